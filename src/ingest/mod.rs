//! Ingest: one thread per camera that connects, reads packets, stamps wall-clock time and
//! hands them on; on failure it reconnects as [`retry`] decides. It never waits on disk or
//! decoding, and never drops a packet meant for the recorder.

pub mod backoff;
pub mod clock;
pub mod lossy;
pub mod rate;
pub mod retry;
pub mod tap;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{SendTimeoutError, Sender};

use crate::engine::status::{ConnState, StatusHandle};
use crate::media::input::RawPacket;
use crate::media::MediaError;
use crate::model::time::now_us;
use crate::packet::{Packet, StreamEvent, StreamInfo};
use crate::source::{self, PacketSource, SourceConfig};
use clock::WallClock;
use lossy::LossyFeed;
use rate::RateMeter;
use retry::Retry;
use tap::StreamTap;

/// A connection that stayed up this long resets the backoff.
const STABLE: Duration = Duration::from_secs(30);

/// Where ingest delivers: the recorder gets every packet (ingest waits for it); the
/// analyzer and live view get what they can take (lossy feeds, see [`lossy`]).
pub struct IngestOutputs {
    pub recorder: Option<Sender<StreamEvent>>,
    pub analyzer: Option<Sender<StreamEvent>>,
    /// Live view: subscribers come and go while ingest runs.
    pub live: Option<Arc<StreamTap>>,
}

/// How long a connection boundary may wait for room in the analyzer's queue.
const ANALYZER_BOUNDARY_WAIT: Duration = Duration::from_millis(500);

/// Per-connection delivery state.
struct Fanout<'a> {
    out: &'a IngestOutputs,
    analyzer: LossyFeed,
}

impl<'a> Fanout<'a> {
    fn new(out: &'a IngestOutputs) -> Self {
        Self {
            out,
            analyzer: LossyFeed::new(ANALYZER_BOUNDARY_WAIT),
        }
    }

    fn send(&mut self, ev: StreamEvent, status: &StatusHandle, stop: &AtomicBool) -> bool {
        if let Some(tx) = &self.out.analyzer {
            self.analyzer.offer(tx, &ev);
        }
        if let Some(tap) = &self.out.live {
            tap.offer(&ev);
        }
        match &self.out.recorder {
            Some(tx) => deliver(tx, ev, status, stop),
            None => true,
        }
    }
}

/// Starts the ingest thread of one camera.
pub fn spawn(
    name: &str,
    cfg: SourceConfig,
    out: IngestOutputs,
    status: StatusHandle,
    stop: Arc<AtomicBool>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("ingest-{name}"))
        .spawn(move || run(cfg, out, status, stop))
}

fn run(cfg: SourceConfig, out: IngestOutputs, status: StatusHandle, stop: Arc<AtomicBool>) {
    let mut retry = Retry::new(&cfg.url);
    let follow_arrival = cfg.realtime_files;
    while !stop.load(Ordering::Relaxed) {
        status.update(|s| s.conn = ConnState::Connecting);
        let attempt = Instant::now();
        let result = source::open(&cfg, Arc::clone(&stop));
        let err = match result {
            Ok(mut src) => {
                let err = stream(src.as_mut(), &out, &status, &stop, follow_arrival, attempt);
                if attempt.elapsed() >= STABLE {
                    retry.reset();
                }
                err
            }
            Err(e) => e,
        };
        if stop.load(Ordering::Relaxed) || err == MediaError::Stopped {
            break;
        }
        status.set_error(&err.to_string());
        status.update(|s| {
            s.fps = 0.0;
            s.bitrate_bps = 0.0;
            s.reconnects += 1;
        });
        if !retry.wait(&err, attempt, &status, &stop) {
            break;
        }
    }
    status.update(|s| s.conn = ConnState::Stopped);
}

/// Reads one connection until it fails; returns why it ended.
fn stream(
    src: &mut dyn PacketSource,
    out: &IngestOutputs,
    status: &StatusHandle,
    stop: &AtomicBool,
    follow_arrival: bool,
    attempt: Instant,
) -> MediaError {
    let info = src.info();
    status.update(|s| {
        s.conn = ConnState::Connected;
        s.codec = Some(info.codec.as_str().to_string());
        s.width = info.width;
        s.height = info.height;
        s.connected_since_us = Some(now_us());
    });
    let mut fan = Fanout::new(out);
    if !fan.send(StreamEvent::Started(Arc::clone(&info)), status, stop) {
        return MediaError::Stopped;
    }
    let mut clock = WallClock::new(follow_arrival);
    let mut meter = RateMeter::new();
    let mut first = FirstKeyframe::new(attempt);
    let camera = status.snapshot().name;
    let err = loop {
        let raw = match src.read() {
            Ok(raw) => raw,
            Err(e) => break e,
        };
        first.saw(&raw, &info, &camera);
        let wall_us = clock.stamp(info.ticks_to_us(raw.pts), now_us());
        if let Some(r) = meter.add(raw.data.len(), wall_us) {
            status.update(|s| {
                s.fps = r.fps;
                s.bitrate_bps = r.bitrate_bps;
            });
        }
        let pkt = Packet {
            data: raw.data,
            pts: raw.pts,
            dts: raw.dts,
            duration: raw.duration,
            keyframe: raw.keyframe,
            wall_us,
        };
        if !fan.send(StreamEvent::Packet(pkt), status, stop) {
            break MediaError::Stopped;
        }
    };
    fan.send(StreamEvent::Ended, status, stop);
    err
}

/// Sends to the recorder, waiting if its queue is full (an alarm, never a silent drop).
/// Returns false if the recorder is gone or a stop was requested while waiting.
fn deliver(
    recorder: &Sender<StreamEvent>,
    mut ev: StreamEvent,
    status: &StatusHandle,
    stop: &AtomicBool,
) -> bool {
    let mut alarmed = false;
    loop {
        match recorder.send_timeout(ev, Duration::from_millis(200)) {
            Ok(()) => return true,
            Err(SendTimeoutError::Disconnected(_)) => return false,
            Err(SendTimeoutError::Timeout(back)) => {
                if !alarmed {
                    alarmed = true;
                    tracing::error!(camera = %status.snapshot().name, "recorder queue full: disk too slow? ingest is waiting");
                    status.update(|s| s.recorder_stalls += 1);
                }
                if stop.load(Ordering::Relaxed) && matches!(back, StreamEvent::Ended) {
                    return false;
                }
                ev = back;
            }
        }
    }
}

/// Times a connection's way to its first keyframe, logged once (debug) for start-up
/// measurements: from the start of the attempt to the first packet read, and the wait for
/// the keyframe in stream time (its PTS minus the first packet's, which is how long the
/// camera took to send it after the stream started flowing, however FFmpeg buffered it).
struct FirstKeyframe {
    attempt: Instant,
    open_ms: u64,
    first: Option<(Instant, i64)>,
    done: bool,
}

impl FirstKeyframe {
    fn new(attempt: Instant) -> Self {
        Self {
            attempt,
            open_ms: attempt.elapsed().as_millis() as u64,
            first: None,
            done: false,
        }
    }

    fn saw(&mut self, raw: &RawPacket, info: &StreamInfo, camera: &str) {
        if self.done {
            return;
        }
        let pts_us = info.ticks_to_us(raw.pts);
        let (read, first_pts_us) = *self.first.get_or_insert((Instant::now(), pts_us));
        if raw.keyframe {
            self.done = true;
            tracing::debug!(
                camera,
                open_ms = self.open_ms,
                first_packet_ms = (read - self.attempt).as_millis() as u64,
                keyframe_wait_ms = (pts_us - first_pts_us).max(0) / 1000,
                "first keyframe"
            );
        }
    }
}
