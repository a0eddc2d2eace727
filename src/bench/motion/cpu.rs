//! The CPU comparison: each way of decoding the same file, in rounds that alternate who goes
//! first, each also on a 2-second clip to split off what opening a file costs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Analyzed, CpuFigures, Way, WAYS};
use crate::analyze::{analyze_packet, ANALYSIS_WIDTH, THUMBNAIL_WIDTH};
use crate::bench::baseline::wait_all;
use crate::bench::fast::median;
use crate::bench::measure::cpu_thread;
use crate::bench::media::{self, first_line};
use crate::bench::{BenchError, Figures, Pace, Split, TestMedia};
use crate::detect::{DetectorConfig, MotionChange, MotionDetector};
use crate::engine::EngineOptions;
use crate::media::decode::GrayDecoder;
use crate::media::input::{MediaInput, OpenSpec};
use crate::media::MediaError;
use crate::packet::Packet;

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
    let (mut overheads, mut analyzed) = (Vec::new(), Analyzed::default());
    for round in 0..rounds {
        progress(&format!(
            "CPU {label}, round {}/{rounds}: decode only, full analysis, 2 × ffmpeg -f null",
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
        analyzed,
        rounds,
    })
}

/// One pass of `way` over `media`: its CPU time (this thread's, or the ffmpeg process's).
fn run(way: Way, media: &TestMedia) -> Result<(Figures, Option<Analyzed>), BenchError> {
    let t0 = Instant::now();
    let (cpu, analyzed) = match way {
        Way::Decode => (vigil_pass(&media.path, false)?.0, None),
        Way::Analysis => {
            let (cpu, seen) = vigil_pass(&media.path, true)?;
            (cpu, Some(seen))
        }
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

/// Reads `file` to its end on this thread, decoding every packet as the analyzer does; with
/// `analyze`, also runs the analyzer's per-packet path (and its thumbnail per event start).
fn vigil_pass(file: &Path, analyze: bool) -> Result<(Duration, Analyzed), BenchError> {
    let fps = EngineOptions::new(PathBuf::new()).analysis_fps;
    let cpu0 = cpu_thread()?;
    let mut input = MediaInput::open(open_spec(file), Arc::new(AtomicBool::new(false)))?;
    let info = input.info();
    let mut decoder = GrayDecoder::new(&info, ANALYSIS_WIDTH)?;
    let mut detector = MotionDetector::new(Vec::new(), DetectorConfig::default());
    let (mut due, mut seen) = (i64::MIN, Analyzed::default());
    loop {
        let raw = match input.read() {
            Ok(raw) => raw,
            Err(MediaError::Ended(_)) => break,
            Err(e) => return Err(e.into()),
        };
        let pkt = Packet {
            wall_us: info.ticks_to_us(raw.pts),
            data: raw.data,
            pts: raw.pts,
            dts: raw.dts,
            duration: raw.duration,
            keyframe: raw.keyframe,
        };
        if !analyze {
            decoder.decode(&pkt, false)?;
            continue;
        }
        let Some(d) = analyze_packet(&mut decoder, &mut detector, &mut due, fps, &pkt)? else {
            continue;
        };
        seen.frames += 1;
        seen.rejected += u64::from(d.rejected_global);
        for change in &d.changes {
            if matches!(change, MotionChange::Started { .. }) {
                seen.events += 1;
                let _ = decoder.thumbnail_jpeg(THUMBNAIL_WIDTH);
            }
        }
    }
    Ok((cpu_thread()? - cpu0, seen))
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
