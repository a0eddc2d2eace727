//! Vigil engine: cameras in, fragmented-MP4 recordings out, indexed in SQLite.
//!
//! The pipeline reads top to bottom: `source` → `packet` → `ingest` → `record` → `library`,
//! with `engine` owning one pipeline per camera and `live` decoding for whoever watches. Front
//! ends (the `vigil` CLI, the desktop app in `vigil-app`) reach it through `service`, the
//! engine service API; `jobs` runs their slow work off their own threads. `web` is the web
//! viewer (for now its accounts), reached only from the host.

pub mod analyze;
pub mod detect;
pub mod engine;
pub mod events;
pub mod evidence;
pub mod export;
pub mod host;
pub mod ingest;
pub mod jobs;
#[cfg(test)]
mod layering_tests;
pub mod library;
pub mod live;
pub mod media;
pub mod model;
pub mod net;
pub mod objects;
pub mod packet;
pub mod playback;
pub mod record;
pub mod search;
pub mod service;
pub mod site_config;
pub mod source;
pub mod web;
