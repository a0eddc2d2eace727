//! Reliability and security round (issue 9), one test binary: the HTTP API under hostile
//! clients, cameras that go away and come back, data safety of the library, exports to
//! odd places, streams that change under the recorder, and crash loops.

#[path = "../common/mod.rs"]
mod common;

mod api;
mod crash_loop;
mod data_safety;
mod export_safety;
mod reconnect;
mod stream_changes;
