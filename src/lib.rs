//! Vigil engine: cameras in, fragmented-MP4 recordings out, indexed in SQLite.
//!
//! The pipeline reads top to bottom: `source` → `packet` → `ingest` → `record` → `library`,
//! with `engine` owning one pipeline per camera and `live` decoding for whoever watches. The
//! CLI and the desktop app (`ui`) are thin layers that send commands to the engine and read
//! its status snapshot.

pub mod analyze;
pub mod bench;
pub mod detect;
pub mod engine;
pub mod events;
pub mod export;
pub mod ingest;
pub mod library;
pub mod live;
pub mod media;
pub mod model;
pub mod net;
pub mod packet;
pub mod playback;
pub mod record;
pub mod source;
pub mod ui;
