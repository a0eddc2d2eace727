//! What ingest publishes about its camera: where the connection stands, the stream it
//! delivers (codec, size, rates), connection errors and stream changes it noticed. Written
//! only by the camera's ingest thread.

use serde::{Deserialize, Serialize};

use crate::model::published::Publisher;
use crate::model::time::now_us;

/// Where a camera's connection stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnState {
    Connecting,
    Connected,
    /// Waiting before the next attempt; `retry_at_us` is UTC µs.
    Retrying {
        retry_at_us: i64,
    },
    /// Nothing answers at the camera's address (refused, unreachable, timed out): it is
    /// checked twice a second and opened as soon as it accepts a connection.
    Waiting,
    Stopped,
    /// Configured but switched off by the operator.
    Disabled,
}

/// What a camera that does not answer is doing, in words (CLI and GUI).
pub const WAITING: &str = "waiting for the camera to answer (checked twice a second)";

/// One connection's part of a camera's status.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestStatus {
    pub conn: ConnState,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub bitrate_bps: f64,
    /// The last connection error (why the camera is offline or was), with its time.
    pub last_error: Option<String>,
    pub last_error_us: Option<i64>,
    pub connected_since_us: Option<i64>,
    pub reconnects: u64,
    /// Times the recorder queue was full (ingest then waits; nothing is dropped).
    pub recorder_stalls: u64,
    /// The latest change in the stream ingest noticed (new picture size or codec), in
    /// words, with its time.
    pub stream_notice: Option<String>,
    pub stream_notice_us: Option<i64>,
    /// The sound the camera sends, when it sends any (reported whether recorded or not).
    pub audio: Option<AudioStatus>,
}

/// The sound a camera sends, as its ingest sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioStatus {
    /// FFmpeg's name of the codec: `aac`, `opus`, `pcm_mulaw`, `pcm_alaw`, or another.
    pub codec: String,
    /// Samples per second (0 when the camera did not say).
    pub sample_rate: u32,
    pub channels: u16,
    /// The camera's sound is on and Vigil takes this codec in: its packets are delivered
    /// to the recorder and the listeners.
    pub recorded: bool,
    /// What is wrong with the sound, as one sentence (a codec Vigil cannot record, sound
    /// that stopped, broken timestamps).
    pub problem: Option<String>,
    /// Audio packets dropped because their timestamps were missing or broken.
    pub dropped: u64,
}

impl AudioStatus {
    /// e.g. `aac 16 kHz mono (recorded)`, `pcm_mulaw 8 kHz mono (off)`.
    pub fn describe(&self) -> String {
        let mut text = self.codec.clone();
        if self.sample_rate > 0 {
            let khz = f64::from(self.sample_rate) / 1000.0;
            if self.sample_rate.is_multiple_of(1000) {
                text.push_str(&format!(" {khz:.0} kHz"));
            } else {
                text.push_str(&format!(" {khz:.1} kHz"));
            }
        }
        match self.channels {
            0 => {}
            1 => text.push_str(" mono"),
            2 => text.push_str(" stereo"),
            n => text.push_str(&format!(" {n} channels")),
        }
        text.push_str(if self.recorded {
            " (recorded)"
        } else {
            " (off)"
        });
        text
    }
}

impl Default for IngestStatus {
    fn default() -> Self {
        Self {
            conn: ConnState::Connecting,
            codec: None,
            width: 0,
            height: 0,
            fps: 0.0,
            bitrate_bps: 0.0,
            last_error: None,
            last_error_us: None,
            connected_since_us: None,
            reconnects: 0,
            recorder_stalls: 0,
            stream_notice: None,
            stream_notice_us: None,
            audio: None,
        }
    }
}

impl IngestStatus {
    /// Records a connection error in words, with its time.
    pub fn set_error(&mut self, message: &str) {
        self.last_error = Some(message.to_string());
        self.last_error_us = Some(now_us());
    }

    /// Records a change in the camera's stream in words, with its time.
    pub fn set_notice(&mut self, message: &str) {
        self.stream_notice = Some(message.to_string());
        self.stream_notice_us = Some(now_us());
    }
}

/// The ingest thread's writer of its [`IngestStatus`].
pub type IngestPublisher = Publisher<IngestStatus>;
