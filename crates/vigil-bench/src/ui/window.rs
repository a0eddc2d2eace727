//! The app driven headless: one egui frame of `VigilApp::show` every 1/60 s in a fixed-size
//! window, timing each frame and, apart, egui's tessellation of it.

use std::time::{Duration, Instant};

use egui::{Context, RawInput, Rect};

use vigil_app::VigilApp;

/// Frames a second the headless window is driven at (a 60 Hz display).
pub const FRAME_RATE: f64 = 60.0;

pub struct Window {
    ctx: Context,
    pub app: VigilApp,
    screen: Rect,
    start: Instant,
    /// Per frame, ms: the egui frame with the app in it, and tessellation.
    pub frame_ms: Vec<f64>,
    pub tessellate_ms: Vec<f64>,
}

impl Window {
    pub fn new(app: VigilApp, (w, h): (f32, f32)) -> Self {
        Self {
            ctx: Context::default(),
            app,
            screen: Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, h)),
            start: Instant::now(),
            frame_ms: Vec::new(),
            tessellate_ms: Vec::new(),
        }
    }

    fn frame(&mut self) {
        let input = RawInput {
            screen_rect: Some(self.screen),
            time: Some(self.start.elapsed().as_secs_f64()),
            ..RawInput::default()
        };
        let app = &mut self.app;
        let t0 = Instant::now();
        let mut out = self.ctx.run_ui(input, |ui| app.show(ui));
        let t1 = Instant::now();
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        // No GPU to hand the texture uploads to (see the module's note).
        out.textures_delta.clear();
        self.frame_ms.push((t1 - t0).as_secs_f64() * 1e3);
        self.tessellate_ms.push(t1.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(prims);
    }

    /// Runs frames at [`FRAME_RATE`] until `until` says stop or `limit` passes; says whether
    /// `until` did.
    pub fn run_for(&mut self, limit: Duration, mut until: impl FnMut(&VigilApp) -> bool) -> bool {
        let period = Duration::from_secs_f64(1.0 / FRAME_RATE);
        let began = Instant::now();
        let mut next = began;
        while began.elapsed() < limit {
            self.frame();
            if until(&self.app) {
                return true;
            }
            next += period;
            if let Some(wait) = next.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        false
    }
}
