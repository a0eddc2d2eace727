//! Checks of an exported file against the recordings it was cut from, with ffprobe.

#![allow(dead_code)]

pub mod footage;

use std::path::Path;
use std::process::Command;

use vigil_core::export::{ExportPlan, ExportReport};

/// A recording row, from `vigil recordings --json`.
#[derive(Debug, Clone)]
pub struct Seg {
    pub start_us: i64,
    pub end_us: i64,
    pub path: String,
}

impl Seg {
    pub fn from_json(v: &serde_json::Value) -> Self {
        Self {
            start_us: v["start_us"].as_i64().expect("start_us"),
            end_us: v["end_us"].as_i64().expect("end_us"),
            path: v["path"].as_str().expect("path").to_string(),
        }
    }
}

/// One video packet as ffprobe shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pkt {
    pub pts_s: f64,
    pub size: u64,
    pub key: bool,
}

fn ffprobe_json(path: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(args)
        .args(["-of", "json", path])
        .output()
        .expect("run ffprobe");
    assert!(
        out.status.success(),
        "ffprobe rejected {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ffprobe JSON")
}

/// The video packets of a file, in decode order.
pub fn packets(path: &str) -> Vec<Pkt> {
    let v = ffprobe_json(path, &["-show_entries", "packet=pts_time,size,flags"]);
    v["packets"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| Pkt {
            pts_s: p["pts_time"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .unwrap_or(f64::NAN),
            size: p["size"].as_str().and_then(|t| t.parse().ok()).unwrap_or(0),
            key: p["flags"].as_str().is_some_and(|f| f.starts_with('K')),
        })
        .collect()
}

/// The named fields of a file's video stream, as ffprobe prints them.
pub fn stream_fields(path: &str, keys: &[&str]) -> Vec<(String, String)> {
    let entries = format!("stream={}", keys.join(","));
    let v = ffprobe_json(path, &["-show_entries", &entries]);
    keys.iter()
        .map(|k| (k.to_string(), v["streams"][0][*k].to_string()))
        .collect()
}

/// The recorded packets an export should hold: from its start keyframe on, each piece up to
/// its end, in order.
fn expected_packets(plan: &ExportPlan, report: &ExportReport) -> Vec<Pkt> {
    let mut out = Vec::new();
    for (i, piece) in plan.pieces.iter().enumerate() {
        let pkts = packets(&piece.segment.path);
        let first = pkts.first().map_or(0.0, |p| p.pts_s);
        let lo = if i == 0 {
            report.starts_at_us
        } else {
            piece.from_us
        };
        for p in pkts {
            let wall = piece.segment.start_us + ((p.pts_s - first) * 1e6).round() as i64;
            let before_end = !piece.cuts_end() || wall < piece.to_us;
            if wall >= lo - 500 && before_end {
                out.push(p);
            }
        }
    }
    out
}

/// Checks an exported file: valid video, of the recordings' codec, that decodes frame by frame, exactly the recorded
/// packets of its range (no re-encoding, none lost or doubled), timestamps evenly spaced
/// (no jump at a segment boundary or a closed gap), and a length equal to the recorded time
/// from the start keyframe to the requested end, gaps left out: within one frame, or within
/// `clock_slack_s` when a piece is the first segment of a connection (its wall-clock extent
/// absorbs the ingest clock's start-up correction, so it differs from its video's length).
pub fn check_against_sources(
    plan: &ExportPlan,
    report: &ExportReport,
    frame_s: f64,
    clock_slack_s: f64,
) {
    let path = report.path.to_string_lossy().into_owned();
    let expected = expected_packets(plan, report);
    let got = packets(&path);
    let sizes = |v: &[Pkt]| v.iter().map(|p| (p.size, p.key)).collect::<Vec<_>>();
    assert_eq!(
        sizes(&got),
        sizes(&expected),
        "{path}: packets differ from the recordings'"
    );
    assert!(
        got.first().is_some_and(|p| p.key),
        "{path} starts on a keyframe"
    );
    let probe = super::common::ffprobe(&path);
    assert_eq!(probe.codec, plan.pieces[0].segment.codec, "codec unchanged");
    assert_eq!(
        probe.frames,
        expected.len() as u64,
        "{path}: decoded frames; {}",
        decode_diagnostics(plan, &path)
    );
    assert_eq!(
        report.frames,
        expected.len() as u64,
        "{path}: frames in the report"
    );
    for w in got.windows(2) {
        let step = w[1].pts_s - w[0].pts_s;
        assert!(
            (step - frame_s).abs() < 0.002,
            "{path}: timestamps jump by {step:.3} s at {:.3} s",
            w[0].pts_s
        );
    }
    let n_s = expected.len() as f64 * frame_s;
    assert!(
        (probe.duration_s - n_s).abs() < frame_s / 2.0,
        "{path}: {} s for {} frames",
        probe.duration_s,
        expected.len()
    );
    assert!(
        (report.duration_us as f64 / 1e6 - probe.duration_s).abs() < 0.001,
        "report says {} µs, ffprobe {} s",
        report.duration_us,
        probe.duration_s
    );
    let end = plan.to_us.min(report.ends_at_us);
    let recorded_s = (end - report.starts_at_us - report.gaps_us()) as f64 / 1e6;
    assert!(
        (probe.duration_s - recorded_s).abs() <= frame_s + 0.005 + clock_slack_s,
        "{path}: {} s long, {recorded_s:.3} s recorded from the start keyframe to the end",
        probe.duration_s
    );
    assert!(report.lead_in_us() >= 0 && report.lead_in_us() < 1_000_000);
}

/// The exported stream is the recorded one: same codec parameters, same packets.
pub fn no_transcoding(source: &str, export: &Path) {
    let export = export.to_string_lossy();
    let keys = [
        "codec_name",
        "profile",
        "level",
        "width",
        "height",
        "pix_fmt",
        "extradata_size",
    ];
    assert_eq!(
        stream_fields(source, &keys),
        stream_fields(&export, &keys),
        "codec parameters of {source} and {export}"
    );
    let (src, out) = (packets(source), packets(&export));
    let start = src
        .iter()
        .position(|p| p.size == out[0].size && p.key)
        .expect("the export's first packet is a keyframe of the source");
    let n = (src.len() - start).min(out.len()).min(20);
    let sizes = |v: &[Pkt]| v.iter().map(|p| p.size).collect::<Vec<_>>();
    assert_eq!(
        sizes(&src[start..start + n]),
        sizes(&out[..n]),
        "packet sizes differ: re-encoded?"
    );
}

/// What FFmpeg says decoding the export and its sources, for a failure message.
fn decode_diagnostics(plan: &ExportPlan, export: &str) -> String {
    let errors = |path: &str| {
        let out = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"])
            .output()
            .expect("run ffmpeg");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let mut text = format!("decoding the export says: {:?}", errors(export));
    for piece in &plan.pieces {
        let path = &piece.segment.path;
        let p = super::common::ffprobe(path);
        text.push_str(&format!(
            "; source {path}: {} packets, {} decoded, {:?}",
            p.dts.len(),
            p.frames,
            errors(path)
        ));
    }
    text
}
