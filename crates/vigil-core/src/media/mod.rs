//! FFmpeg at arm's length — the only module that calls it: opening sources with timeouts,
//! the fragmented-MP4 segment writer, probing files, decoding (live view, analysis,
//! playback), remuxing recordings for export, and the demo camera's encoder. Nothing here
//! re-encodes recorded video.

pub mod audio_convert;
pub mod audio_decode;
pub mod audio_file;
mod audio_track;
pub mod avsync;
pub mod burn;
mod container;
pub mod decode;
pub mod encode;
pub mod error;
pub(crate) mod file_decoder;
pub mod file_events;
pub mod fmp4;
pub mod input;
pub mod live_fmp4;
mod mp4_duration;
pub mod packet;
pub mod paramsets;
pub mod probe;
pub mod remux;
pub mod sound;
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
