//! The sound card: one cpal output stream on a thread of its own ("sound-out"), opened when
//! sound is first wanted, playing from the shared ring (silence when it runs dry). A missing
//! device, a busy one or a stream that fails becomes one sentence for the status bar; nothing
//! else changes (recording is the engine's and never waits on the app's sound).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use crossbeam_channel::{Receiver, Sender, TryRecvError};

use super::ring::{lock, SharedRing};

/// The format asked of the device (what the engine decodes sound to).
pub const RATE: u32 = 48_000;
pub const CHANNELS: u16 = 2;

/// Where the output stands.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputState {
    /// The device is being opened.
    Opening,
    /// Playing at this rate and channel count.
    Playing { rate: u32, channels: u16 },
    /// No sound can be played; the sentence says why.
    Failed(String),
}

/// The app's sound output. Dropping it closes the stream.
pub struct SoundOutput {
    state: OutputState,
    report: Receiver<Result<(u32, u16), String>>,
    /// An error the stream reported while playing.
    stream_error: Arc<Mutex<Option<String>>>,
    /// Closing this ends the thread (and the stream with it).
    _stop: Sender<()>,
}

impl SoundOutput {
    /// Starts opening `device` (by name; `None`: the system's default output) to play from
    /// `ring`. Returns at once; [`Self::state`] says how it went.
    pub fn open(device: Option<String>, ring: SharedRing) -> Self {
        let (report_tx, report) = crossbeam_channel::bounded(1);
        let (stop, stop_rx) = crossbeam_channel::bounded::<()>(0);
        let stream_error = Arc::new(Mutex::new(None));
        let errors = Arc::clone(&stream_error);
        let spawned = std::thread::Builder::new()
            .name("sound-out".into())
            .spawn(move || run(device.as_deref(), &ring, &errors, &report_tx, &stop_rx));
        let state = match spawned {
            Ok(_) => OutputState::Opening,
            Err(e) => OutputState::Failed(no_output(&crate::tr!(
                "sound-thread-failed",
                error = e.to_string()
            ))),
        };
        Self {
            state,
            report,
            stream_error,
            _stop: stop,
        }
    }

    /// The state now (polls the opening thread and the stream's errors; never waits).
    pub fn state(&mut self) -> &OutputState {
        if self.state == OutputState::Opening {
            match self.report.try_recv() {
                Ok(Ok((rate, channels))) => self.state = OutputState::Playing { rate, channels },
                Ok(Err(why)) => self.state = OutputState::Failed(why),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.state = OutputState::Failed(no_output(&crate::tr!("sound-thread-ended")));
                }
            }
        }
        let failed = self
            .stream_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(e) = failed {
            self.state =
                OutputState::Failed(no_output(&crate::tr!("sound-device-failed", error = e)));
        }
        &self.state
    }

    /// The sentence for the status bar when no sound can be played.
    pub fn problem(&mut self) -> Option<String> {
        match self.state() {
            OutputState::Failed(why) => Some(why.clone()),
            _ => None,
        }
    }
}

/// "No sound output: …" — the status bar's sentence.
pub fn no_output(why: &str) -> String {
    crate::tr!("sound-no-output", reason = why)
}

/// The sound thread: opens the stream, reports, keeps it playing until told to stop.
fn run(
    device: Option<&str>,
    ring: &SharedRing,
    errors: &Arc<Mutex<Option<String>>>,
    report: &Sender<Result<(u32, u16), String>>,
    stop: &Receiver<()>,
) {
    let opened = open_stream(device, ring, errors);
    let stream = match opened {
        Ok((stream, format)) => {
            let _ = report.send(Ok(format));
            stream
        }
        Err(why) => {
            tracing::info!(reason = %why, "no sound output");
            let _ = report.send(Err(no_output(&why)));
            return;
        }
    };
    // Until the app drops its end: the stream plays on cpal's own thread meanwhile.
    while let Err(crossbeam_channel::RecvTimeoutError::Timeout) =
        stop.recv_timeout(Duration::from_secs(3600))
    {}
    drop(stream);
}

/// Finds the device and starts a stream; the error is the reason in words.
fn open_stream(
    device: Option<&str>,
    ring: &SharedRing,
    errors: &Arc<Mutex<Option<String>>>,
) -> Result<(cpal::Stream, (u32, u16)), String> {
    let host = cpal::default_host();
    let dev = match device {
        None => host.default_output_device(),
        Some(name) => host
            .output_devices()
            .map_err(|e| crate::tr!("sound-cannot-list", error = e.to_string()))?
            .find(|d| d.name().is_ok_and(|n| n == name)),
    }
    .ok_or_else(|| match device {
        None => crate::tr!("sound-no-device"),
        Some(name) => crate::tr!("sound-no-such-device", name = name),
    })?;
    let config = cpal::StreamConfig {
        channels: CHANNELS,
        sample_rate: cpal::SampleRate(RATE),
        buffer_size: cpal::BufferSize::Default,
    };
    let feed = Arc::clone(ring);
    let errs = Arc::clone(errors);
    let stream = dev
        .build_output_stream(
            &config,
            move |out: &mut [f32], _: &cpal::OutputCallbackInfo| {
                lock(&feed).pull(out);
            },
            move |e| {
                *errs.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
            },
            None,
        )
        .map_err(|e| crate::tr!("sound-device-busy", error = e.to_string()))?;
    stream
        .play()
        .map_err(|e| crate::tr!("sound-device-busy", error = e.to_string()))?;
    Ok((stream, (RATE, CHANNELS)))
}
