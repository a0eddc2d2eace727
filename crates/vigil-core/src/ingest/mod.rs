//! Ingest: one thread per camera that connects, reads packets, stamps wall-clock time and
//! hands them on; on failure it reconnects as [`retry`] decides. It never waits on disk or
//! decoding, and never drops a packet meant for the recorder.

pub mod backoff;
mod changes;
pub mod clock;
pub mod lossy;
pub mod params;
pub mod rate;
pub mod retry;
pub mod sound;
pub mod status;
pub mod tap;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{SendTimeoutError, Sender};

use crate::record::queue::RecorderTx;

use crate::media::input::RawPacket;
use crate::media::MediaError;
use crate::model::time::now_us;
use crate::packet::{Packet, StreamEvent, StreamInfo};
use crate::source::{self, PacketSource, SoundMode, SourceConfig};
use changes::Keyframe;
use clock::WallClock;
use lossy::LossyFeed;
use params::ParamWatch;
use rate::RateMeter;
use retry::Retry;
use sound::SoundIn;
use status::{ConnState, IngestPublisher};
use tap::StreamTap;

/// A connection that stayed up this long resets the backoff.
const STABLE: Duration = Duration::from_secs(30);

/// Where ingest delivers: the recorder gets every packet (ingest waits for it); the
/// analyzer and live view get what they can take (lossy feeds, see [`lossy`]).
pub struct IngestOutputs {
    pub recorder: Option<RecorderTx>,
    pub analyzer: Option<Sender<StreamEvent>>,
    /// Live view: subscribers come and go while ingest runs.
    pub live: Option<Arc<StreamTap>>,
}

/// How long a connection boundary may wait for room in the analyzer's queue.
const ANALYZER_BOUNDARY_WAIT: Duration = Duration::from_millis(500);

/// Per-connection delivery state.
struct Fanout<'a> {
    out: &'a IngestOutputs,
    /// The camera (or its detect stream), for the log.
    camera: &'a str,
    analyzer: LossyFeed,
    /// The recorder gets each packet once the next one has been read: when a connection
    /// breaks, FFmpeg hands over whatever its parser held (a partial access unit, e.g. an
    /// access-unit delimiter alone) before reporting the error, and that must not reach a
    /// file. Live view and analysis get packets at once (they cope with a broken frame).
    held: Option<StreamEvent>,
}

impl<'a> Fanout<'a> {
    fn new(out: &'a IngestOutputs, camera: &'a str) -> Self {
        Self {
            out,
            camera,
            analyzer: LossyFeed::new(ANALYZER_BOUNDARY_WAIT),
            held: None,
        }
    }

    fn send(&mut self, ev: StreamEvent, status: &IngestPublisher, stop: &AtomicBool) -> bool {
        if let Some(tx) = &self.out.analyzer {
            self.analyzer.offer(tx, &ev);
        }
        if let Some(tap) = &self.out.live {
            tap.offer(&ev);
        }
        let Some(tx) = &self.out.recorder else {
            return true;
        };
        let now = match ev {
            StreamEvent::Packet(_) => match self.held.replace(ev) {
                Some(prev) => prev,
                None => return true,
            },
            // Audio goes straight through: the muxer interleaves it with the held video.
            StreamEvent::Audio(_) => ev,
            StreamEvent::Started(_) => {
                // A new stream within the connection: the held packet belongs to the old one
                // and was followed by a read, so it is whole.
                if let Some(prev) = self.held.take() {
                    if !deliver(tx, prev, self.camera, status, stop) {
                        return false;
                    }
                }
                ev
            }
            StreamEvent::Ended => {
                if self.held.take().is_some() {
                    tracing::debug!(camera = %self.camera, "the connection's last packet may be partial: not recorded");
                }
                ev
            }
        };
        deliver(tx, now, self.camera, status, stop)
    }

    /// Ends the connection. After a clean end of stream (a file's end) the held packet is
    /// whole and recorded; after an error or a stop it may be partial and is dropped.
    fn end(&mut self, why: &MediaError, status: &IngestPublisher, stop: &AtomicBool) {
        if matches!(why, MediaError::Ended(_)) {
            if let (Some(prev), Some(tx)) = (self.held.take(), &self.out.recorder) {
                deliver(tx, prev, self.camera, status, stop);
            }
        }
        self.send(StreamEvent::Ended, status, stop);
    }
}

/// Starts the ingest thread of one camera; `name` names the thread (`ingest-{name}`) and
/// the connection in the log.
pub fn spawn(
    name: &str,
    cfg: SourceConfig,
    out: IngestOutputs,
    status: IngestPublisher,
    stop: Arc<AtomicBool>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("ingest-{name}"))
        .spawn({
            let name = name.to_string();
            move || run(&name, cfg, out, status, stop)
        })
}

fn run(
    name: &str,
    cfg: SourceConfig,
    out: IngestOutputs,
    status: IngestPublisher,
    stop: Arc<AtomicBool>,
) {
    let mut retry = Retry::new(&cfg.url, name);
    let follow_arrival = cfg.realtime_files;
    while !stop.load(Ordering::Relaxed) {
        status.update(|s| s.conn = ConnState::Connecting);
        let attempt = Instant::now();
        let result = source::open(&cfg, Arc::clone(&stop));
        let err = match result {
            Ok(mut src) => {
                let err = stream(
                    src.as_mut(),
                    name,
                    &out,
                    &status,
                    &stop,
                    (follow_arrival, attempt, cfg.sound == SoundMode::Deliver),
                );
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
        status.update(|s| {
            s.set_error(&err.to_string());
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
    camera: &str,
    out: &IngestOutputs,
    status: &IngestPublisher,
    stop: &AtomicBool,
    (follow_arrival, attempt, sound_on): (bool, Instant, bool),
) -> MediaError {
    let mut info = src.info();
    // Absurd dimensions are refused before any consumer opens a decoder or muxer.
    if let Err(why) = info.check_size() {
        return MediaError::Unsupported(format!("refused: {why}"));
    }
    note_new_parameters(camera, status, &info);
    show_stream(status, &info);
    status.update(|s| {
        s.conn = ConnState::Connected;
        s.connected_since_us = Some(now_us());
    });
    let mut fan = Fanout::new(out, camera);
    if !fan.send(StreamEvent::Started(Arc::clone(&info)), status, stop) {
        return MediaError::Stopped;
    }
    let mut sound = SoundIn::new(sound_on, src.sound(), status);
    let mut video_us = None;
    let mut clock = WallClock::new(follow_arrival);
    let mut meter = RateMeter::new();
    let mut first = FirstKeyframe::new(attempt);
    let mut watch = ParamWatch::new();
    let err = loop {
        let raw = match src.read() {
            Ok(raw) => raw,
            Err(e) => break e,
        };
        if stop.load(Ordering::Relaxed) {
            // A read cut short by the stop can hand over a partial packet (MPEG-TS flushes
            // the PES it was assembling): never record it.
            break MediaError::Stopped;
        }
        if raw.audio {
            let sent = src.sound();
            let pkt = sound.packet(raw, sent.as_ref(), &info, &clock, video_us, status);
            if let Some(p) = pkt {
                if !fan.send(StreamEvent::Audio(p), status, stop) {
                    break MediaError::Stopped;
                }
            }
            continue;
        }
        first.saw(&raw, &info, camera);
        sound.video(src.sound(), src.sound_sync(), status);
        if raw.keyframe {
            let mut at = Keyframe {
                camera,
                status,
                stop,
                fan: &mut fan,
            };
            if let Err(e) = at.changes(&raw, &mut info, &sound, &mut watch) {
                break e;
            }
        }
        video_us = Some(info.ticks_to_us(raw.pts));
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
    fan.end(&err, status, stop);
    err
}

/// Puts the stream's codec and size in the status.
fn show_stream(status: &IngestPublisher, info: &StreamInfo) {
    status.update(|s| {
        s.codec = Some(info.codec.as_str().to_string());
        s.width = info.width;
        s.height = info.height;
    });
}

/// A reconnection that came back with another codec or size (the camera was reconfigured,
/// the common case): says so; the recorder starts new segments on every connection anyway.
fn note_new_parameters(camera: &str, status: &IngestPublisher, info: &StreamInfo) {
    let was = status.snapshot();
    let Some(old_codec) = was.codec.as_deref() else {
        return;
    };
    let now = (info.codec.as_str(), info.width, info.height);
    if (old_codec, was.width, was.height) == now {
        return;
    }
    let text = format!(
        "the camera came back with {} {}x{} (was {old_codec} {}x{}); new segments use it",
        now.0, now.1, now.2, was.width, was.height
    );
    tracing::warn!(camera, "{text}");
    status.update(|s| s.set_notice(&text));
}

/// The camera was reconfigured mid-stream: says so and returns the new stream.
fn reconfigured(
    camera: &str,
    status: &IngestPublisher,
    old: &StreamInfo,
    new: StreamInfo,
) -> Arc<StreamInfo> {
    let text = format!(
        "the camera changed its picture from {}x{} to {}x{}; a new segment was started",
        old.width, old.height, new.width, new.height
    );
    tracing::warn!(camera, "{text}");
    status.update(|s| s.set_notice(&text));
    show_stream(status, &new);
    Arc::new(new)
}

/// Sends to the recorder, waiting if its queue is full (an alarm, never a silent drop).
/// Returns false if the recorder is gone or a stop was requested while waiting.
fn deliver(
    recorder: &RecorderTx,
    mut ev: StreamEvent,
    camera: &str,
    status: &IngestPublisher,
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
                    tracing::error!(
                        camera,
                        "recorder queue full: disk too slow? ingest is waiting"
                    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::queue;

    fn pkt(n: u8) -> StreamEvent {
        StreamEvent::Packet(Packet {
            data: Arc::from(vec![n; 10]),
            pts: i64::from(n),
            dts: i64::from(n),
            duration: 1,
            keyframe: n == 0,
            wall_us: i64::from(n),
        })
    }

    /// What the recorder received, as packet numbers (`None` for `Ended`).
    fn received(rx: &queue::RecorderRx) -> Vec<Option<u8>> {
        rx.receiver()
            .try_iter()
            .map(|ev| match ev {
                StreamEvent::Packet(p) => Some(p.data[0]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_recorder_never_gets_the_packet_read_just_before_a_broken_connection() {
        for (why, want) in [
            (
                MediaError::Source("gone".into()),
                vec![Some(0), Some(1), None],
            ),
            (MediaError::Stopped, vec![Some(0), Some(1), None]),
            (
                MediaError::Ended("file ended".into()),
                vec![Some(0), Some(1), Some(2), None],
            ),
        ] {
            let (tx, rx) = queue::bounded(16, 1 << 20);
            let out = IngestOutputs {
                recorder: Some(tx),
                analyzer: None,
                live: None,
            };
            let status = IngestPublisher::new(status::IngestStatus::default());
            let stop = AtomicBool::new(false);
            let mut fan = Fanout::new(&out, "cam");
            for n in 0..3 {
                assert!(fan.send(pkt(n), &status, &stop));
            }
            assert_eq!(
                received(&rx),
                vec![Some(0), Some(1)],
                "one packet held back"
            );
            fan.end(&why, &status, &stop);
            assert_eq!(received(&rx), want[2..].to_vec(), "{why:?}");
        }
    }
}
