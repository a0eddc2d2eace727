//! "Test connection": opens a camera URL with short deadlines, reads a few packets, and says
//! what the stream is (codec, size, frame rate) or why it cannot be used — in words, with any
//! password masked. Used by `vigil camera test` and the desktop app's camera dialog.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use super::SourceConfig;
use crate::jobs::{Job, Wake};
use crate::media::MediaError;
use crate::model::camera::validate_url;
use crate::model::secret::mask_url;
use crate::model::{InvalidInput, Transport};

/// What a successful test found.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamSummary {
    /// The URL with any password masked.
    pub url: String,
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub fps: Option<f64>,
}

impl std::fmt::Display for StreamSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}x{}", self.codec, self.width, self.height)?;
        if let Some(fps) = self.fps {
            write!(f, " at {fps:.2} fps")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error(transparent)]
    Media(#[from] MediaError),
}

/// Opens `url` and reads three packets (so a stream that opens but sends nothing is caught),
/// each step bounded by `timeout`. Blocks: call it off the UI thread (see [`spawn_test`]).
pub fn test_connection(
    url: &str,
    transport: Transport,
    timeout: Duration,
) -> Result<StreamSummary, ProbeError> {
    validate_url(url)?;
    let mut cfg = SourceConfig::new(url, transport);
    cfg.connect_timeout = timeout;
    cfg.read_timeout = timeout;
    // The test reports the frame rate, which only the full probe estimates.
    cfg.quick_start = false;
    let mut src = super::open(&cfg, Arc::new(AtomicBool::new(false)))?;
    let info = src.info();
    for _ in 0..3 {
        src.read()?;
    }
    Ok(StreamSummary {
        url: mask_url(url),
        codec: info.codec.as_str().to_string(),
        width: info.width,
        height: info.height,
        fps: info.fps,
    })
}

/// Runs [`test_connection`] on a [`Job`]; its answer is an error already in words, with the
/// password masked. `wake` is called once the answer is ready.
pub fn spawn_test(
    url: &str,
    transport: Transport,
    timeout: Duration,
    wake: Option<Wake>,
) -> Job<Result<StreamSummary, String>> {
    let url = url.trim().to_string();
    Job::spawn(
        "camera-test",
        wake,
        move |_| {
            test_connection(&url, transport, timeout)
                .map_err(|e| crate::model::secret::scrub(&e.to_string(), &url))
        },
        |e| Err(format!("cannot start the connection test: {e}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_source_reports_its_stream() {
        let got = test_connection("demo://", Transport::Tcp, Duration::from_secs(5)).unwrap();
        assert_eq!(got.codec, "h264");
        assert!(got.width > 0 && got.height > 0, "{got:?}");
    }

    #[test]
    fn refused_connection_is_an_error_in_words_without_the_password() {
        let job = spawn_test(
            "rtsp://admin:hunter2@127.0.0.1:1/stream",
            Transport::Tcp,
            Duration::from_secs(3),
            None,
        );
        let err = job.wait().unwrap().unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.to_lowercase().contains("refused"), "{err}");
        let bad = test_connection("ftp://x", Transport::Tcp, Duration::from_secs(1));
        assert!(matches!(bad, Err(ProbeError::Invalid(_))), "{bad:?}");
    }
}
