//! FFmpeg at arm's length: opening sources with timeouts, the fragmented-MP4 segment writer,
//! and probing files. Nothing here re-encodes video.

pub mod decode;
pub mod error;
pub mod fmp4;
pub mod input;
mod mp4_duration;
pub mod paramsets;
pub mod probe;
mod timeline;

use std::sync::Once;

use ffmpeg_next as ffmpeg;

pub use error::MediaError;

/// Initialises FFmpeg once per process. FFmpeg's own log is silenced by default because it
/// can quote camera URLs (with passwords); set `VIGIL_FFMPEG_LOG=warning` (or `info`,
/// `debug`) to see it while debugging a camera.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Err(e) = ffmpeg::init() {
            tracing::error!(error = %e, "FFmpeg failed to initialise");
        }
        let level = match std::env::var("VIGIL_FFMPEG_LOG").as_deref() {
            Ok("debug") => ffmpeg::util::log::Level::Debug,
            Ok("info") => ffmpeg::util::log::Level::Info,
            Ok("warning") => ffmpeg::util::log::Level::Warning,
            Ok("error") => ffmpeg::util::log::Level::Error,
            _ => ffmpeg::util::log::Level::Quiet,
        };
        ffmpeg::util::log::set_level(level);
    });
}
