//! Where video comes from: turns a camera URL into an open packet source — RTSP, HTTP,
//! local files (paced like a live camera), v4l2 webcams, or the built-in demo camera.

pub mod demo;
mod demo_live;
pub mod probe;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use crate::media::input::{MediaInput, OpenSpec, RawPacket, QUICK_PROBE};
use crate::media::sound::SyncState;
use crate::media::MediaError;
use crate::model::secret::mask_url;
use crate::model::Transport;
use crate::packet::{AudioInfo, StreamInfo};

/// An open source delivering compressed video packets (and audio packets, when its camera's
/// sound is on: [`RawPacket::audio`]).
pub trait PacketSource: Send {
    fn info(&self) -> Arc<StreamInfo>;
    /// Blocks until the next packet (bounded by the read timeout or the stop flag).
    fn read(&mut self) -> Result<RawPacket, MediaError>;
    /// The sound the camera sends now, whether or not it is delivered; `None` for a silent
    /// source (the demo camera).
    fn sound(&self) -> Option<Arc<AudioInfo>> {
        None
    }
    /// Whether the sound shares the picture's clock yet (held back while it waits).
    fn sound_sync(&self) -> SyncState {
        SyncState::Synced
    }
}

impl PacketSource for MediaInput {
    fn info(&self) -> Arc<StreamInfo> {
        MediaInput::info(self)
    }

    fn read(&mut self) -> Result<RawPacket, MediaError> {
        MediaInput::read(self)
    }

    fn sound(&self) -> Option<Arc<AudioInfo>> {
        MediaInput::sound(self)
    }

    fn sound_sync(&self) -> SyncState {
        MediaInput::sound_sync(self)
    }
}

/// What a source does with the camera's sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SoundMode {
    /// Not even asked for (sub-streams, the connection test): RTSP sets up video alone.
    #[default]
    Ignore,
    /// Seen, so the status can say what the camera sends, but not delivered (sound off).
    Report,
    /// Delivered beside the video (sound on).
    Deliver,
}

/// How to reach a camera.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub url: String,
    pub transport: Transport,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Deliver local files at their native rate (a live camera's pace). Off for benchmarks.
    pub realtime_files: bool,
    /// Start RTSP streams from what the SDP says instead of probing ~1 s of video (see
    /// [`QUICK_PROBE`]); off where the frame rate is wanted (the connection test).
    pub quick_start: bool,
    /// The camera's sound: ignored unless asked for.
    pub sound: SoundMode,
}

impl SourceConfig {
    pub fn new(url: &str, transport: Transport) -> Self {
        Self {
            url: url.trim().to_string(),
            transport,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(10),
            realtime_files: true,
            quick_start: true,
            sound: SoundMode::Ignore,
        }
    }
}

/// What kind of source a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    Rtsp,
    Http,
    File(String),
    V4l2(String),
    Demo,
}

pub fn classify(url: &str) -> SourceKind {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("demo://") {
        SourceKind::Demo
    } else if lower.starts_with("rtsp://") || lower.starts_with("rtsps://") {
        SourceKind::Rtsp
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        SourceKind::Http
    } else if let Some(dev) = url.strip_prefix("v4l2://") {
        SourceKind::V4l2(dev.to_string())
    } else if url.starts_with("/dev/video") {
        SourceKind::V4l2(url.to_string())
    } else if let Some(path) = url.strip_prefix("file://") {
        SourceKind::File(path.to_string())
    } else {
        SourceKind::File(url.to_string())
    }
}

/// Opens the source named by `cfg.url`. `stop` aborts a blocking open or read.
pub fn open(
    cfg: &SourceConfig,
    stop: Arc<AtomicBool>,
) -> Result<Box<dyn PacketSource>, MediaError> {
    let display = mask_url(&cfg.url);
    let us = |d: Duration| d.as_micros().to_string();
    let mut spec = OpenSpec {
        url: cfg.url.clone(),
        display,
        format: None,
        options: Vec::new(),
        connect_timeout: cfg.connect_timeout,
        read_timeout: cfg.read_timeout,
        realtime: false,
    };
    match classify(&cfg.url) {
        SourceKind::Demo => return Ok(Box::new(demo_live::LiveDemo::open(&cfg.url, stop)?)),
        SourceKind::Rtsp => {
            spec.options
                .push(("rtsp_transport".into(), cfg.transport.as_str().into()));
            spec.options.push(("timeout".into(), us(cfg.read_timeout)));
            if cfg.sound == SoundMode::Ignore {
                spec.options
                    .push(("allowed_media_types".into(), "video".into()));
            }
            if cfg.quick_start {
                spec.options.extend(
                    QUICK_PROBE
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string())),
                );
            }
        }
        SourceKind::Http => {
            spec.options.push(("timeout".into(), us(cfg.read_timeout)));
        }
        SourceKind::File(path) => {
            if !std::path::Path::new(&path).exists() {
                return Err(MediaError::Source(format!("{path} does not exist")));
            }
            spec.url = path;
            spec.realtime = cfg.realtime_files;
        }
        SourceKind::V4l2(dev) => {
            spec.url = dev;
            spec.format = Some("video4linux2".into());
            spec.options.push(("input_format".into(), "h264".into()));
        }
    }
    let deliver = cfg.sound == SoundMode::Deliver;
    Ok(Box::new(MediaInput::open_with_audio(spec, stop, deliver)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_classified() {
        assert_eq!(classify("demo://"), SourceKind::Demo);
        assert_eq!(classify("rtsp://u:p@h/s"), SourceKind::Rtsp);
        assert_eq!(classify("HTTPS://h/x"), SourceKind::Http);
        assert_eq!(
            classify("/dev/video0"),
            SourceKind::V4l2("/dev/video0".into())
        );
        assert_eq!(
            classify("file:///a/b.mp4"),
            SourceKind::File("/a/b.mp4".into())
        );
        assert_eq!(
            classify("clips/a.mkv"),
            SourceKind::File("clips/a.mkv".into())
        );
    }
}
