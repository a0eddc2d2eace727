//! Opening a source with FFmpeg and reading its video packets (and its sound's, when asked),
//! with a connect deadline, a per-read deadline and a stop flag, so a dead camera never
//! hangs a thread.

use std::ffi::CString;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;

use super::error::{describe, is_rejection, is_unreachable};
use super::packet::{AudioInfo, SharedParams, StreamInfo, VideoCodec};
use super::sound::{self, SoundTrack};
use super::MediaError;

/// How to open one source.
#[derive(Debug, Clone)]
pub struct OpenSpec {
    /// What FFmpeg opens (may hold credentials).
    pub url: String,
    /// What messages show instead (credentials masked).
    pub display: String,
    /// Input format to force (e.g. `video4linux2`), or `None` to probe.
    pub format: Option<String>,
    /// Demuxer/protocol options, e.g. `rtsp_transport=tcp`.
    pub options: Vec<(String, String)>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Deliver packets at their native rate (for files, which would otherwise be read at
    /// disk speed).
    pub realtime: bool,
}

/// A compressed packet as read, before wall-clock stamping.
#[derive(Debug, Clone)]
pub struct RawPacket {
    pub data: Arc<[u8]>,
    /// Presentation time; an audio packet without one has [`NO_TIMESTAMP`] (ingest drops
    /// it; a video packet without timestamps is never returned).
    pub pts: i64,
    pub dts: i64,
    pub duration: i64,
    pub keyframe: bool,
    /// A packet of the source's sound ([`MediaInput::sound`]), in its time base.
    pub audio: bool,
}

/// The timestamp of an audio packet that came without one.
pub const NO_TIMESTAMP: i64 = i64::MIN;

/// An open source: its video stream and a packet reader.
pub struct MediaInput {
    ictx: ffmpeg::format::context::Input,
    stream_index: usize,
    info: Arc<StreamInfo>,
    deadline_ms: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    spec: OpenSpec,
    pacing: Option<(Instant, i64)>,
    packet: ffmpeg::Packet,
    /// The camera's sound, as it is now (reported even when not delivered).
    sound: Option<SoundTrack>,
    /// Whether audio packets are returned by [`MediaInput::read`].
    deliver_audio: bool,
    /// Sound is held back until it shares the picture's clock (RTP sources).
    sync: sound::ClockSync,
}

fn clock_ms() -> u64 {
    static BASE: OnceLock<Instant> = OnceLock::new();
    BASE.get_or_init(Instant::now).elapsed().as_millis() as u64
}

impl MediaInput {
    /// Opens the source and finds its video stream. `stop` aborts a blocking open or read.
    /// Audio packets are not returned (see [`MediaInput::open_with_audio`]).
    pub fn open(spec: OpenSpec, stop: Arc<AtomicBool>) -> Result<Self, MediaError> {
        Self::open_with_audio(spec, stop, false)
    }

    /// Opens the source and finds its video stream and its sound. With `deliver_audio`, the
    /// sound (when it is AAC, Opus or G.711) is in [`StreamInfo::audio`] and its packets are
    /// returned by [`MediaInput::read`]; without, the sound is only reported
    /// ([`MediaInput::sound`]).
    pub fn open_with_audio(
        spec: OpenSpec,
        stop: Arc<AtomicBool>,
        deliver_audio: bool,
    ) -> Result<Self, MediaError> {
        super::init();
        let deadline_ms = Arc::new(AtomicU64::new(
            clock_ms() + spec.connect_timeout.as_millis() as u64,
        ));
        let fail = |e| open_error(e, &spec, &stop, &deadline_ms);
        let mut ictx = open_input(&spec, &stop, &deadline_ms).map_err(fail)?;
        if is_quick(&spec) && !(complete(&ictx) && (!deliver_audio || sound_complete(&ictx))) {
            // The SDP did not give everything (no sprop-parameter-sets, or a stream with
            // B-frames whose decode order FFmpeg must learn): probe the usual way.
            tracing::debug!(source = %spec.display, "quick probe incomplete; probing in full");
            drop(ictx);
            let mut full = spec.clone();
            full.options
                .retain(|o| !QUICK_PROBE.iter().any(|(k, _)| o.0 == *k));
            ictx = open_input(&full, &stop, &deadline_ms).map_err(fail)?;
        }
        let sound = sound::best_audio(&ictx);
        let (stream_index, mut info) = video_stream(&ictx, &spec.display, sound.is_some())?;
        info.audio = sound
            .as_ref()
            .filter(|t| deliver_audio && sound::accepted(t.info.codec))
            .map(|t| Arc::clone(&t.info));
        let sync = sound::ClockSync::new(&ictx);
        Ok(Self {
            ictx,
            stream_index,
            info: Arc::new(info),
            deadline_ms,
            stop,
            spec,
            pacing: None,
            packet: ffmpeg::Packet::empty(),
            sound,
            deliver_audio,
            sync,
        })
    }

    pub fn info(&self) -> Arc<StreamInfo> {
        Arc::clone(&self.info)
    }

    /// Whether the sound shares the picture's clock yet (see [`sound::ClockSync`]).
    pub fn sound_sync(&self) -> sound::SyncState {
        self.sync.state()
    }

    /// The sound the camera sends now (whether or not its packets are delivered): it may
    /// appear or change codec mid-stream.
    pub fn sound(&self) -> Option<Arc<AudioInfo>> {
        self.sound.as_ref().map(|t| Arc::clone(&t.info))
    }

    /// Notes an audio packet of stream `index`: adopts a sound stream that appeared, and
    /// notices one that changed. Answers whether the packet is the sound's.
    fn track_sound(&mut self, index: usize) -> bool {
        if let Some(t) = &self.sound {
            if t.index != index {
                return false;
            }
            let Some(stream) = self.ictx.stream(index) else {
                return false;
            };
            if !sound::still(&t.info, &stream) {
                self.sound = Some(SoundTrack {
                    index,
                    info: Arc::new(sound::audio_info(&stream)),
                });
            }
            return true;
        }
        self.sound = sound::audio_at(&self.ictx, index);
        self.sound.is_some()
    }

    /// The next video packet. `MediaError::Ended` at the end of a file or stream.
    pub fn read(&mut self) -> Result<RawPacket, MediaError> {
        loop {
            self.deadline_ms.store(
                clock_ms() + self.spec.read_timeout.as_millis() as u64,
                Ordering::Relaxed,
            );
            // av_read_frame overwrites the packet without freeing what it holds: drop the
            // previous packet's buffer first, or every packet read would leak.
            self.packet = ffmpeg::Packet::empty();
            if let Err(e) = self.packet.read(&mut self.ictx) {
                return Err(self.read_error(e));
            }
            if self.packet.stream() != self.stream_index {
                match self.audio_packet() {
                    Some(raw) => return Ok(raw),
                    None => continue,
                }
            }
            self.sync.saw(&self.packet, false);
            let (pts, dts) = match (self.packet.pts(), self.packet.dts()) {
                (Some(p), Some(d)) => (p, d),
                (Some(p), None) => (p, p),
                (None, Some(d)) => (d, d),
                (None, None) => continue,
            };
            let Some(data) = self.packet.data() else {
                continue;
            };
            let raw = RawPacket {
                data: Arc::from(data),
                pts,
                dts,
                duration: self.packet.duration(),
                keyframe: self.packet.is_key(),
                audio: false,
            };
            if self.spec.realtime {
                self.pace(dts);
            }
            return Ok(raw);
        }
    }

    /// The packet just read as the sound's, when it is the sound's and sound is delivered.
    fn audio_packet(&mut self) -> Option<RawPacket> {
        if !self.track_sound(self.packet.stream()) || !self.deliver_audio {
            return None;
        }
        self.sync.saw(&self.packet, true);
        if self.sync.state() == sound::SyncState::Waiting {
            return None;
        }
        let data = self.packet.data()?;
        let pts = self.packet.pts().or(self.packet.dts());
        Some(RawPacket {
            data: Arc::from(data),
            pts: pts.unwrap_or(NO_TIMESTAMP),
            dts: self.packet.dts().or(pts).unwrap_or(NO_TIMESTAMP),
            duration: self.packet.duration(),
            keyframe: true,
            audio: true,
        })
    }

    fn read_error(&self, e: ffmpeg::Error) -> MediaError {
        if self.stop.load(Ordering::Relaxed) {
            return MediaError::Stopped;
        }
        if e == ffmpeg::Error::Eof {
            return MediaError::Ended(format!("{} ended", self.spec.display));
        }
        let timed_out = (clock_ms() >= self.deadline_ms.load(Ordering::Relaxed))
            .then_some(self.spec.read_timeout.as_secs());
        match (e, timed_out) {
            (_, Some(secs)) => MediaError::Source(format!(
                "{} stopped sending video (nothing for {secs} s)",
                self.spec.display
            )),
            _ => MediaError::Source(describe(e, &self.spec.display, None)),
        }
    }

    /// Sleeps until the packet's time has come, as a live camera would deliver it.
    fn pace(&mut self, dts: i64) {
        let (start, first) = *self.pacing.get_or_insert((Instant::now(), dts));
        let due_us = self.info.ticks_to_us(dts - first).max(0) as u64;
        let due = start + Duration::from_micros(due_us);
        while !self.stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            if now >= due {
                break;
            }
            std::thread::sleep((due - now).min(Duration::from_millis(100)));
        }
    }
}

/// Demuxer options that make the stream probe take what the RTSP SDP says (codec, size,
/// pixel format from sprop-parameter-sets) and the first packet, instead of decoding a
/// keyframe and ~20 frames more to estimate the frame rate (1–1.5 s at start-up).
pub const QUICK_PROBE: [(&str, &str); 2] = [("probesize", "32"), ("fpsprobesize", "0")];

fn is_quick(spec: &OpenSpec) -> bool {
    QUICK_PROBE
        .iter()
        .all(|(k, v)| spec.options.iter().any(|o| o.0 == *k && o.1 == *v))
}

/// True when the best video stream's parameters are known well enough to record: size,
/// pixel format, and no reordering delay (no B-frames) so DTS need no guessing.
fn complete(ictx: &ffmpeg::format::context::Input) -> bool {
    let Some(stream) = ictx.streams().best(ffmpeg::media::Type::Video) else {
        return false;
    };
    // SAFETY: reading plain fields of the stream's codec parameters.
    unsafe {
        let p = stream.parameters().as_ptr();
        (*p).width > 0 && (*p).height > 0 && (*p).format >= 0 && (*p).video_delay == 0
    }
}

/// True when the best audio stream, if any, is known well enough (see [`sound::complete`]).
fn sound_complete(ictx: &ffmpeg::format::context::Input) -> bool {
    sound::best_audio(ictx).is_none_or(|t| sound::complete(&t.info))
}

/// Turns an FFmpeg error met while opening into a [`MediaError`] of the right kind.
fn open_error(
    e: ffmpeg::Error,
    spec: &OpenSpec,
    stop: &AtomicBool,
    deadline_ms: &AtomicU64,
) -> MediaError {
    if stop.load(Ordering::Relaxed) {
        return MediaError::Stopped;
    }
    let timed_out = (clock_ms() >= deadline_ms.load(Ordering::Relaxed))
        .then_some(spec.connect_timeout.as_secs());
    if let Some((host, why)) = unresolved_host(e, &spec.url, timed_out) {
        return MediaError::Rejected(format!(
            "cannot find host '{host}' for {} ({why})",
            spec.display
        ));
    }
    let message = describe(e, &spec.display, timed_out);
    // A local file that is not video stays that way; a network source that sent garbage
    // may be a camera still booting or overloaded, so it is retried (after the long
    // back-off of answers that retrying soon will not fix).
    let local = !spec.url.contains("://");
    match e {
        ffmpeg::Error::InvalidData | ffmpeg::Error::StreamNotFound
            if timed_out.is_none() && local =>
        {
            MediaError::Unsupported(message)
        }
        _ if timed_out.is_some() || is_unreachable(e) => MediaError::Unreachable(message),
        _ if is_rejection(e) => MediaError::Rejected(message),
        _ => MediaError::Source(message),
    }
}

/// FFmpeg reports a host name that does not resolve as a bare EIO ("input/output error").
/// When an open fails that way, looks the name up once more (off-thread, at most 2 s) so the
/// message can say what is wrong: returns the host and why it did not resolve, or `None` when
/// that is not the cause.
fn unresolved_host(
    e: ffmpeg::Error,
    url: &str,
    timed_out: Option<u64>,
) -> Option<(String, String)> {
    if timed_out.is_some() || !matches!(e, ffmpeg::Error::Other { errno: libc::EIO }) {
        return None;
    }
    let parsed = url::Url::parse(url).ok()?;
    let Some(url::Host::Domain(host)) = parsed.host() else {
        return None;
    };
    let host = host.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    let name = host.clone();
    std::thread::Builder::new()
        .name("resolve".into())
        .spawn(move || {
            let lookup = std::net::ToSocketAddrs::to_socket_addrs(&(name.as_str(), 0));
            let _ = tx.send(lookup.err());
        })
        .ok()?;
    let err = rx.recv_timeout(Duration::from_secs(2)).ok()??;
    // std says "failed to lookup address information: Name or service not known".
    let text = err.to_string();
    let why = text.rsplit(": ").next().unwrap_or(&text).to_lowercase();
    Some((host, why))
}

fn open_input(
    spec: &OpenSpec,
    stop: &Arc<AtomicBool>,
    deadline_ms: &Arc<AtomicU64>,
) -> Result<ffmpeg::format::context::Input, ffmpeg::Error> {
    let mut dict = ffmpeg::Dictionary::new();
    for (k, v) in &spec.options {
        dict.set(k, v);
    }
    let stop = Arc::clone(stop);
    let deadline = Arc::clone(deadline_ms);
    let interrupt = ffmpeg::util::interrupt::new(Box::new(move || {
        stop.load(Ordering::Relaxed) || clock_ms() >= deadline.load(Ordering::Relaxed)
    }));
    let url = CString::new(spec.url.as_str()).map_err(|_| ffmpeg::Error::InvalidData)?;
    let format = match &spec.format {
        Some(name) => {
            let c_name = CString::new(name.as_str()).map_err(|_| ffmpeg::Error::InvalidData)?;
            // SAFETY: c_name is a valid C string; the result is a static descriptor or null.
            let f = unsafe { ffi::av_find_input_format(c_name.as_ptr()) };
            if f.is_null() {
                return Err(ffmpeg::Error::DemuxerNotFound);
            }
            f
        }
        None => std::ptr::null(),
    };
    // SAFETY: the same sequence as ffmpeg-next's `input_with_interrupt_and_dictionary`, with
    // an input format added. On failure avformat_open_input frees the context; the interrupt
    // guard outlives the context because `Input` owns it.
    unsafe {
        let mut ps = ffi::avformat_alloc_context();
        if ps.is_null() {
            return Err(ffmpeg::Error::Other {
                errno: libc::ENOMEM,
            });
        }
        (*ps).interrupt_callback = interrupt.interrupt;
        let mut opts = dict.disown();
        let started = Instant::now();
        let res = ffi::avformat_open_input(&mut ps, url.as_ptr(), format, &mut opts);
        ffmpeg::Dictionary::own(opts);
        if res != 0 {
            return Err(ffmpeg::Error::from(res));
        }
        let handshake = started.elapsed();
        let r = ffi::avformat_find_stream_info(ps, std::ptr::null_mut());
        if r < 0 {
            ffi::avformat_close_input(&mut ps);
            return Err(ffmpeg::Error::from(r));
        }
        tracing::debug!(
            source = %spec.display,
            handshake_ms = handshake.as_millis() as u64,
            probe_ms = (started.elapsed() - handshake).as_millis() as u64,
            "source opened"
        );
        Ok(ffmpeg::format::context::Input::wrap_with_interrupt(
            ps,
            interrupt.guard,
        ))
    }
}

/// Picks the best video stream, refusing codecs Vigil cannot record without transcoding
/// (and a source that sends sound alone, `has_sound`).
fn video_stream(
    ictx: &ffmpeg::format::context::Input,
    display: &str,
    has_sound: bool,
) -> Result<(usize, StreamInfo), MediaError> {
    let stream = ictx
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| {
            MediaError::Unsupported(if has_sound {
                format!("{display}: the camera sends sound but no video; Vigil records video")
            } else {
                format!("{display} has no video stream")
            })
        })?;
    let params = stream.parameters();
    let id = params.id();
    let codec = VideoCodec::from_ffmpeg(id).ok_or_else(|| {
        MediaError::Unsupported(format!(
            "{display} sends {} video; Vigil records H.264 and H.265 without re-encoding, so set the camera to H.264 or H.265",
            id.name()
        ))
    })?;
    // SAFETY: reading plain fields of the stream's codec parameters.
    let (width, height) = unsafe {
        let p = params.as_ptr();
        ((*p).width.max(0) as u32, (*p).height.max(0) as u32)
    };
    if width == 0 || height == 0 {
        return Err(MediaError::Unsupported(format!(
            "{display} did not say its picture size (no SPS received)"
        )));
    }
    let tb = stream.time_base();
    let rate = stream.avg_frame_rate();
    let fps = (rate.numerator() > 0 && rate.denominator() > 0)
        .then(|| f64::from(rate.numerator()) / f64::from(rate.denominator()));
    let info = StreamInfo {
        codec,
        width,
        height,
        time_base: (tb.numerator(), tb.denominator()),
        fps,
        params: SharedParams::new(params),
        audio: None,
    };
    Ok((stream.index(), info))
}
