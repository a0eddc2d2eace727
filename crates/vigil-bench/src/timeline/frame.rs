//! The timeline panel's own cost on the UI thread: one egui frame of `TimelinePanel::show`
//! (input, layout, drawing commands) and, apart, egui's tessellation, for every camera of the
//! generated library at a week, a day and an hour, in a headless egui context. The data is
//! read by the service's timeline feed first (not timed here: that is the query above).

use std::time::{Duration, Instant};

use egui::{Context, RawInput, Rect};

use super::generate::Generated;
use super::{summarize, Times};
use crate::BenchError;
use vigil_app::timeline::paint::NAME_W;
use vigil_app::timeline::TimelinePanel;
use vigil_core::model::time::US_PER_SEC;
use vigil_core::service::TimelineFeed;

/// Frames timed per view.
const FRAMES: usize = 120;

/// One view's frame figures.
#[derive(Debug, Clone)]
pub struct FrameRow {
    pub view: &'static str,
    pub cameras: usize,
    pub show: Times,
    pub tessellate: Times,
}

/// Times the panel `width_px` wide (plus the names column) at each view, ending a day before
/// the library's end, with the playhead in the middle (not live, so the window stays put).
pub fn frames(g: &Generated, width_px: u32) -> Result<Vec<FrameRow>, BenchError> {
    let names: Vec<(i64, String)> = g
        .camera_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, format!("cam{:02}", i + 1)))
        .collect();
    let mut rows = Vec::new();
    for (view, secs) in [("week", 7 * 86_400), ("day", 86_400), ("hour", 3600)] {
        let span = secs * US_PER_SEC;
        let feed = TimelineFeed::open(&g.dir, None)
            .map_err(|e| BenchError::Failed(format!("cannot start the timeline feed: {e}")))?;
        let mut panel = TimelinePanel::new(Some(feed), g.to_us, span);
        panel.set_cameras(names.clone());
        let end = g.to_us - 86_400 * US_PER_SEC;
        let v = panel.view_mut();
        v.end_us = end;
        v.start_us = end - span;
        v.set_playhead(end - span / 2);
        let ctx = Context::default();
        let screen = Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(width_px as f32 + NAME_W, 80.0 + 30.0 * names.len() as f32),
        );
        let started = Instant::now();
        let frame = |panel: &mut TimelinePanel| {
            let input = RawInput {
                screen_rect: Some(screen),
                time: Some(started.elapsed().as_secs_f64()),
                ..RawInput::default()
            };
            let t0 = Instant::now();
            let out = ctx.run_ui(input, |ui| {
                panel.show(ui, g.to_us);
            });
            let t1 = Instant::now();
            std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
            (ms(t1 - t0), ms(t1.elapsed()))
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !panel.is_current() {
            if Instant::now() > deadline {
                return Err(BenchError::Failed(format!(
                    "the timeline worker did not answer for the {view} view within a minute"
                )));
            }
            frame(&mut panel);
            std::thread::sleep(Duration::from_millis(5));
        }
        let (mut show, mut tess) = (Vec::new(), Vec::new());
        for _ in 0..FRAMES {
            let (a, b) = frame(&mut panel);
            show.push(a);
            tess.push(b);
        }
        rows.push(FrameRow {
            view,
            cameras: names.len(),
            show: summarize(show),
            tessellate: summarize(tess),
        });
    }
    Ok(rows)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
