//! Recording through the engine and the `vigil` binary against a real RTSP server: sources, live view, motion, triggers, the host (trigger API, notices, reload), failing cameras, bad input, resilience, playback of a segment in a real browser, and the web viewer's server.
//! One test binary (each binary links the whole workspace; see docs/ARCHITECTURE.md).

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod browser;
mod failing_cameras;
mod host;
mod live;
mod motion;
mod record_rtsp;
mod resilience;
mod sources;
mod triggers;
mod web;
