//! The `vigil bench ui` table: per tile count and stream setup, Vigil's figures beside the
//! ffmpeg baseline's, and the verdict on the goal (64 sub-stream tiles under one core with
//! a UI p95 under 4 ms).

use std::fmt;

use super::window::FRAME_RATE;
use super::{UiReport, UiRow, UiStreams};
use crate::media::TestMedia;

/// Frames a second of both test videos.
const FPS: f64 = crate::media::FPS as f64;

fn describe(m: &TestMedia) -> String {
    format!(
        "{} ({} {}x{}, {:.2} Mbit/s)",
        m.path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        m.codec,
        m.width,
        m.height,
        m.bitrate_bps / 1e6
    )
}

impl fmt::Display for UiReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Desktop app, live tiles: main {}, sub {}; window {}x{} at {FRAME_RATE} frames/s, {} s per row",
            describe(&self.main),
            describe(&self.sub),
            self.window.0,
            self.window.1,
            self.seconds
        )?;
        writeln!(
            f,
            "  (ms per frame; CPU in % of one core)                                       Vigil                                                              baseline: N x ffmpeg -re"
        )?;
        writeln!(
            f,
            "  tiles stream   tile px  on sub  key-frames-only  frame p50   p95    max  tessellate p50/p95  pictures/s  per tile  decode ms/pic    CPU  (UI thread)     CPU  pictures/s  Vigil/ffmpeg CPU"
        )?;
        for r in &self.rows {
            row(f, r)?;
        }
        for r in self.rows.iter().filter(|r| r.streams == UiStreams::Sub) {
            let met = r.process_cpu < 100.0 && r.ui_ms.1 < 4.0;
            writeln!(
                f,
                "  goal, {} sub-stream tiles: under 100 % of one core and UI p95 under 4 ms: {} ({:.1} %, {:.2} ms)",
                r.tiles,
                if met { "MET" } else { "NOT MET" },
                r.process_cpu,
                r.ui_ms.1
            )?;
        }
        Ok(())
    }
}

fn row(f: &mut fmt::Formatter<'_>, r: &UiRow) -> fmt::Result {
    let ratio = if r.ffmpeg.cpu > 0.0 {
        r.process_cpu / r.ffmpeg.cpu
    } else {
        0.0
    };
    writeln!(
        f,
        "  {:>5} {:>6}  {:>8}  {:>6}  {:>15.1}  {:>9.2} {:>5.2} {:>6.2}  {:>9.2} / {:<6.2}  {:>10.0}  {:>8.1}  {:>13.2}  {:>5.1}  ({:>8.1})  {:>6.1}  {:>10.0}  {:>16.2}",
        r.tiles,
        r.streams.as_str(),
        format!("{}x{}", r.tile_px.0, r.tile_px.1),
        r.sub_tiles,
        r.keyframe_tiles,
        r.ui_ms.0,
        r.ui_ms.1,
        r.ui_ms.2,
        r.tessellate_ms.0,
        r.tessellate_ms.1,
        r.pictures_per_s,
        r.pictures_per_s / r.tiles.max(1) as f64,
        r.decode_ms_per_picture,
        r.process_cpu,
        r.ui_thread_cpu,
        r.ffmpeg.cpu,
        r.ffmpeg.pace * FPS * r.tiles as f64,
        ratio
    )
}
