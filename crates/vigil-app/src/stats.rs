//! Frame-time statistics of the app's own UI work — the time `VigilApp::show` takes per frame
//! (layout, texture uploads of new live pictures, drawing commands) — kept over the last few
//! seconds, for the `--stats` overlay (F12) and `vigil bench ui`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use egui::{Align2, Color32, FontId, Ui};

/// Frames kept (a few seconds at 60 fps).
const KEEP: usize = 300;

#[derive(Debug, Clone, Default)]
pub struct FrameStats {
    /// (when the frame started, UI time, live pictures uploaded in it).
    frames: VecDeque<(Instant, Duration, u32)>,
}

/// Figures over the kept frames.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    pub frames: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// Frames per second over the kept window.
    pub fps: f64,
    /// Live pictures uploaded per second over the kept window.
    pub pictures_per_s: f64,
}

impl FrameStats {
    pub fn record(&mut self, started: Instant, took: Duration, pictures: u32) {
        if self.frames.len() == KEEP {
            self.frames.pop_front();
        }
        self.frames.push_back((started, took, pictures));
    }

    pub fn clear(&mut self) {
        self.frames.clear();
    }

    pub fn summary(&self) -> Summary {
        let mut ms: Vec<f64> = self
            .frames
            .iter()
            .map(|(_, d, _)| d.as_secs_f64() * 1e3)
            .collect();
        if ms.is_empty() {
            return Summary::default();
        }
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        let span = match (self.frames.front(), self.frames.back()) {
            (Some((first, _, _)), Some((last, _, _))) => last.duration_since(*first).as_secs_f64(),
            _ => 0.0,
        };
        let per_s = |n: f64| if span > 0.0 { n / span } else { 0.0 };
        // The first frame opens the window; what it uploaded is not inside it.
        let pictures: u32 = self.frames.iter().skip(1).map(|(_, _, p)| p).sum();
        Summary {
            frames: ms.len(),
            p50_ms: at(0.5),
            p95_ms: at(0.95),
            max_ms: at(1.0),
            fps: per_s((ms.len() - 1) as f64),
            pictures_per_s: per_s(f64::from(pictures)),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = crate::tr!(
            "live-stats-summary",
            p50 = format!("{:.2}", self.p50_ms),
            p95 = format!("{:.2}", self.p95_ms),
            max = format!("{:.2}", self.max_ms),
            fps = format!("{:.0}", self.fps),
            pictures = format!("{:.0}", self.pictures_per_s)
        );
        f.write_str(&text)
    }
}

/// Draws the figures in the top-right corner of the window, above everything else.
pub fn overlay(ui: &Ui, summary: &Summary, tiles: usize) {
    let rect = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("frame-stats"),
    ));
    let text = crate::tr!(
        "live-stats-overlay",
        summary = summary.to_string(),
        tiles = tiles
    );
    let pos = rect.right_top() + egui::vec2(-8.0, 36.0);
    let galley = painter.layout_no_wrap(text, FontId::monospace(12.0), Color32::WHITE);
    let bg = Align2::RIGHT_TOP
        .anchor_size(pos, galley.size())
        .expand(4.0);
    painter.rect_filled(bg, 3.0, Color32::from_black_alpha(190));
    painter.galley(bg.min + egui::vec2(4.0, 4.0), galley, Color32::WHITE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_rates_and_window() {
        let mut s = FrameStats::default();
        assert_eq!(s.summary(), Summary::default());
        let t0 = Instant::now();
        // 101 frames 10 ms apart: UI times 1..=101 µs×10, 2 pictures each.
        for i in 0..=100u32 {
            let at = t0 + Duration::from_millis(10 * u64::from(i));
            s.record(at, Duration::from_micros(10 * u64::from(i + 1)), 2);
        }
        let sum = s.summary();
        assert_eq!(sum.frames, 101);
        assert!((sum.p50_ms - 0.51).abs() < 1e-9, "{sum:?}");
        assert!((sum.p95_ms - 0.96).abs() < 1e-9, "{sum:?}");
        assert!((sum.max_ms - 1.01).abs() < 1e-9, "{sum:?}");
        assert!((sum.fps - 100.0).abs() < 1e-6, "{sum:?}");
        assert!((sum.pictures_per_s - 200.0).abs() < 1e-6, "{sum:?}");
        for i in 0..KEEP as u64 {
            s.record(t0, Duration::from_micros(i), 0);
        }
        assert_eq!(s.summary().frames, KEEP);
        s.clear();
        assert_eq!(s.summary().frames, 0);
    }
}
