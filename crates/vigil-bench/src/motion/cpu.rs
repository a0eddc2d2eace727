//! The CPU comparison: each way of decoding the same file, in rounds that alternate who goes
//! first, each also on a 2-second clip to split off what opening a file costs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Analyzed, CpuFigures, Way, WAYS};
use crate::baseline::wait_all;
use crate::fast::median;
use crate::measure::cpu_thread;
use crate::media::{self, first_line};
use crate::{BenchError, Figures, Pace, Split, TestMedia};
use vigil_core::analyze::index::MinuteBuilder;
use vigil_core::analyze::{analyze_packet, ANALYSIS_WIDTH, THUMBNAIL_WIDTH};
use vigil_core::detect::cells::MASK_BYTES;
use vigil_core::detect::{DetectorConfig, MotionChange, MotionDetector};
use vigil_core::engine::EngineOptions;
use vigil_core::library::motion_index::MotionMinute;
use vigil_core::media::decode::GrayDecoder;
use vigil_core::media::input::{MediaInput, OpenSpec};
use vigil_core::media::MediaError;
use vigil_core::packet::{Packet, StreamInfo};

/// Length of the clip that measures what opening a file costs, seconds.
const CLIP_S: u64 = 2;

/// Rounds of every way on the whole file and on a short clip of it; who goes first
/// alternates between rounds.
pub(super) fn compare(
    label: String,
    media: TestMedia,
    rounds: usize,
    progress: &mut dyn FnMut(&str),
) -> Result<CpuFigures, BenchError> {
    let clip = media::clip(&media, CLIP_S)?;
    let mut full: Vec<Vec<Figures>> = vec![Vec::new(); WAYS.len()];
    let mut short = full.clone();
    let (mut overheads, mut interleaved) = (Vec::new(), Vec::new());
    let mut analyzed = Analyzed::default();
    for round in 0..rounds {
        progress(&format!(
            "CPU {label}, round {}/{rounds}: decode only, full analysis, 2 × ffmpeg -f null, key frames only, both interleaved",
            round + 1
        ));
        let mut order: Vec<usize> = (0..WAYS.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let (f, seen) = run(WAYS[i], &media)?;
            analyzed = seen.unwrap_or(analyzed);
            full[i].push(f);
            short[i].push(run(WAYS[i], &clip)?.0);
        }
        let ms = |w: usize| full[w][round].cpu_ms_per_stream_s();
        overheads.push((ms(1) - ms(0)) / ms(0));
        let (a, b) = interleaved_pass(&media.path)?;
        interleaved.push((b.as_secs_f64() - a.as_secs_f64()) / a.as_secs_f64());
    }
    let runs: Vec<Figures> = full.into_iter().map(median).collect();
    let splits = runs
        .iter()
        .zip(short.into_iter().map(median))
        .map(|(f, s)| Split::from_runs(f, &s))
        .collect();
    Ok(CpuFigures {
        label,
        media,
        runs,
        splits,
        overheads,
        interleaved,
        analyzed,
        rounds,
    })
}

/// One pass of `way` over `media`: its CPU time (this thread's, or the ffmpeg process's).
fn run(way: Way, media: &TestMedia) -> Result<(Figures, Option<Analyzed>), BenchError> {
    let t0 = Instant::now();
    let (cpu, analyzed) = match way {
        Way::Decode => (vigil_pass(&media.path, Pass::Decode)?.0, None),
        Way::Analysis => {
            let (cpu, seen) = vigil_pass(&media.path, Pass::Analysis)?;
            (cpu, Some(seen))
        }
        Way::KeyFrames => (vigil_pass(&media.path, Pass::KeyFrames)?.0, None),
        Way::FfmpegDefault => (ffmpeg_pass(&media.path, false)?, None),
        Way::FfmpegLikeVigil => (ffmpeg_pass(&media.path, true)?, None),
    };
    let figures = Figures {
        streams: 1,
        cpu_s: cpu.as_secs_f64(),
        wall_s: t0.elapsed().as_secs_f64(),
        stream_s: media.duration_s,
        peak_mem_per_stream: None,
        process_peak_rss: None,
    };
    Ok((figures, analyzed))
}

/// What one of Vigil's passes does with each packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Decode it (a).
    Decode,
    /// The analyzer's per-packet path, thumbnail per event start included (b).
    Analysis,
    /// The analyzer's path for key frames only, each decoded alone; other packets are
    /// dropped unread, as a key-frame-only analyzer does (c).
    KeyFrames,
}

/// Reads `file` to its end on this thread, doing `pass`'s work with each packet.
fn vigil_pass(file: &Path, pass: Pass) -> Result<(Duration, Analyzed), BenchError> {
    let cpu0 = cpu_thread()?;
    let mut reader = Reader::open(file)?;
    let mut work = Analysis::new(&reader.info)?;
    if pass == Pass::KeyFrames {
        work = work.key_frames_only();
    }
    while let Some(pkt) = reader.next()? {
        match pass {
            Pass::Decode => {
                work.decoder.decode(&pkt, false)?;
            }
            Pass::Analysis => work.feed(&pkt)?,
            Pass::KeyFrames if pkt.keyframe => work.feed(&pkt)?,
            Pass::KeyFrames => {}
        }
    }
    if pass != Pass::Decode {
        work.finish_index();
    }
    Ok((cpu_thread()? - cpu0, work.seen))
}

/// One pass feeding every packet to two decoders in turn, (a)'s work then (b)'s (or the
/// other way round, alternately), each call timed on this thread: both see the same moment's
/// conditions, which separate passes cannot promise. Returns the CPU time of (a) and (b).
fn interleaved_pass(file: &Path) -> Result<(Duration, Duration), BenchError> {
    let mut reader = Reader::open(file)?;
    let mut plain = Analysis::new(&reader.info)?;
    let mut full = Analysis::new(&reader.info)?;
    let mut spent = [Duration::ZERO; 2];
    let mut n = 0;
    while let Some(pkt) = reader.next()? {
        for k in [n % 2, 1 - n % 2] {
            let t0 = cpu_thread()?;
            if k == 0 {
                plain.decoder.decode(&pkt, false)?;
            } else {
                full.feed(&pkt)?;
            }
            spent[k] += cpu_thread()? - t0;
        }
        n += 1;
    }
    Ok((spent[0], spent[1]))
}

/// A file's video packets, stamped with their presentation time as wall time.
struct Reader {
    input: MediaInput,
    info: Arc<StreamInfo>,
}

impl Reader {
    fn open(file: &Path) -> Result<Self, BenchError> {
        let input = MediaInput::open(open_spec(file), Arc::new(AtomicBool::new(false)))?;
        let info = input.info();
        Ok(Self { input, info })
    }

    fn next(&mut self) -> Result<Option<Packet>, BenchError> {
        let raw = match self.input.read() {
            Ok(raw) => raw,
            Err(MediaError::Ended(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some(Packet {
            wall_us: self.info.ticks_to_us(raw.pts),
            data: raw.data,
            pts: raw.pts,
            dts: raw.dts,
            duration: raw.duration,
            keyframe: raw.keyframe,
        }))
    }
}

/// The analyzer's per-packet state: its decoder, detector, frame grid and minute of the
/// motion index.
struct Analysis {
    decoder: GrayDecoder,
    detector: MotionDetector,
    due: i64,
    fps: f64,
    seen: Analyzed,
    index: MinuteBuilder,
}

impl Analysis {
    fn new(info: &StreamInfo) -> Result<Self, BenchError> {
        Ok(Self {
            decoder: GrayDecoder::new(info, ANALYSIS_WIDTH)?,
            detector: MotionDetector::new(Vec::new(), DetectorConfig::default()),
            due: i64::MIN,
            fps: EngineOptions::new(PathBuf::new()).analysis_fps,
            seen: Analyzed::default(),
            index: MinuteBuilder::new(1),
        })
    }

    /// As a key-frame-only analyzer: each key frame decoded alone, the background learning
    /// at the same pace in time.
    fn key_frames_only(mut self) -> Self {
        self.decoder.key_frames_only();
        let cfg = DetectorConfig {
            learn_interval_us: (1e6 / self.fps.max(0.1)) as i64,
            ..DetectorConfig::default()
        };
        self.detector = MotionDetector::new(Vec::new(), cfg);
        self
    }

    /// What the analyzer thread does with a packet, a thumbnail per event start included.
    fn feed(&mut self, pkt: &Packet) -> Result<(), BenchError> {
        let (decoder, detector) = (&mut self.decoder, &mut self.detector);
        let Some(d) = analyze_packet(decoder, detector, &mut self.due, self.fps, pkt)? else {
            return Ok(());
        };
        self.seen.frames += 1;
        self.seen.rejected += u64::from(d.rejected_global);
        self.index_frame(pkt.wall_us)?;
        for change in &d.changes {
            if matches!(change, MotionChange::Started { .. }) {
                self.seen.events += 1;
                let _ = self.decoder.thumbnail_jpeg(THUMBNAIL_WIDTH);
            }
        }
        Ok(())
    }
}

impl Analysis {
    /// The analyzer's motion index work for the frame just analysed (its moved cells into
    /// the minute; a finished minute is what goes to the writer's queue), timed.
    fn index_frame(&mut self, at_us: i64) -> Result<(), BenchError> {
        let t0 = cpu_thread()?;
        let cells = self.detector.moved_cells();
        let done = self.index.push(at_us, &cells);
        self.seen.index_cpu += cpu_thread()? - t0;
        self.seen.index_frames += u64::from(!cells.is_empty());
        if let Some(minute) = done {
            self.count_minute(&minute);
        }
        Ok(())
    }

    /// The minute in progress at the end of the file, as the analyzer sends it.
    fn finish_index(&mut self) {
        if let Some(minute) = self.index.take() {
            self.count_minute(&minute);
        }
    }

    fn count_minute(&mut self, minute: &MotionMinute) {
        self.seen.index_minutes += 1;
        self.seen.index_bytes += minute.frames.len() as u64 + MASK_BYTES as u64;
    }
}

fn open_spec(file: &Path) -> OpenSpec {
    let url = file.to_string_lossy().into_owned();
    OpenSpec {
        display: url.clone(),
        url,
        format: None,
        options: Vec::new(),
        connect_timeout: Duration::from_secs(10),
        read_timeout: Duration::from_secs(10),
        realtime: false,
    }
}

/// `ffmpeg -f null` decoding `file`; `like_vigil`: one thread, loop filter skipped. Returns
/// the process's CPU time from `wait4`.
fn ffmpeg_pass(file: &Path, like_vigil: bool) -> Result<Duration, BenchError> {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-nostdin", "-v", "error"]);
    if like_vigil {
        cmd.args(["-threads", "1", "-skip_loop_filter", "all"]);
    }
    let mut child = cmd
        .arg("-i")
        .arg(file)
        .args(["-f", "null", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    let watched = wait_all(std::slice::from_ref(&child), Pace::AsFastAsPossible)?;
    let mut log = Vec::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = std::io::Read::read_to_end(&mut err, &mut log);
    }
    match watched.first().and_then(|w| w.ended) {
        Some(u) if u.success => Ok(u.cpu),
        _ => Err(BenchError::Failed(format!(
            "ffmpeg could not decode {}: {}",
            file.display(),
            first_line(&log)
        ))),
    }
}
