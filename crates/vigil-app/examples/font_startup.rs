//! What the CJK fonts cost at start-up: the time to find and map them, and the time of the
//! app's first frame (fresh egui context, `VigilApp` over an empty backend, 1280×800, in
//! English and in Korean) with egui's fonts only, with the bundled font and with the
//! system's font. Median and minimum over fresh contexts (the minimum is the figure to
//! trust on a busy machine); for docs/PERFORMANCE.md.
//!
//! `cargo run --release -p vigil-app --example font_startup [runs]`

use std::time::{Duration, Instant};

use vigil_app::backend::FixedBackend;
use vigil_app::fonts::{self, Lookup};
use vigil_app::i18n::{set_language, Language};
use vigil_app::VigilApp;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15);
    match fonts::find_system_font() {
        Some(f) => println!("system font: {} (face {})", f.path.display(), f.index),
        None => println!("system font: none"),
    }
    println!("{runs} fresh contexts per row; ms, median (min)");
    println!(
        "{:<8} {:<9} {:>15} {:>17} {:>17}",
        "language", "CJK fonts", "install", "first frame", "second frame"
    );
    for lang in [Language::English, Language::Korean] {
        set_language(lang);
        for (name, lookup) in [
            ("none", Lookup::None),
            ("bundled", Lookup::BundledOnly),
            ("system", Lookup::SystemThenBundled),
        ] {
            let mut install = Vec::new();
            let mut first = Vec::new();
            let mut second = Vec::new();
            for _ in 0..runs {
                let (i, f, s) = one_start(lookup);
                install.push(i);
                first.push(f);
                second.push(s);
            }
            println!(
                "{:<8} {:<9} {:>15} {:>17} {:>17}",
                lang.tag(),
                name,
                figure(install),
                figure(first),
                figure(second)
            );
        }
    }
}

/// (install, first frame including install, second frame) for one fresh context.
fn one_start(lookup: Lookup) -> (Duration, Duration, Duration) {
    let ctx = egui::Context::default();
    let mut app = VigilApp::new(Box::new(FixedBackend::default()));
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let started = Instant::now();
    let installed = fonts::install_with(&ctx, lookup);
    let mut out = ctx.run_ui(input(), |ui| app.show(ui));
    let _ = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    out.textures_delta.clear();
    let first = started.elapsed();
    let started = Instant::now();
    let mut out = ctx.run_ui(input(), |ui| app.show(ui));
    let _ = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    out.textures_delta.clear();
    (installed.elapsed, first, started.elapsed())
}

/// "12.34 (10.20)": the median and the minimum, ms.
fn figure(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    format!("{:.2} ({:.2})", ms(v[v.len() / 2]), ms(v[0]))
}
