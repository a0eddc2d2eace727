//! The desktop app (egui/eframe): a thin layer over the engine, which runs in-process on its
//! own threads. The app reads the status snapshot and the latest live pictures and sends
//! commands; it never waits on decoding, the disk or a camera.

pub mod actions;
pub mod app;
pub mod audio;
pub mod backend;
pub mod camera_setup;
pub mod clips;
pub mod config_jobs;
pub mod export;
pub mod fonts;
pub mod grid;
pub mod i18n;
pub mod identity;
pub mod language_menu;
pub mod layouts;
pub mod local_time;
pub mod monitor;
pub mod mqtt_settings;
pub mod object_words;
pub mod objects;
pub mod picture_map;
pub mod recorded;
pub mod replay;
pub mod search;
pub mod stats;
pub mod status_bar;
pub mod text;
pub mod tile;
pub mod timeline;
pub mod tour;
pub mod video;
pub mod viewer;
pub mod zones;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub use app::VigilApp;
use backend::Backend;

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error("cannot open the window: {0}")]
    Window(String),
}

/// Whether a graphical display is available (`DISPLAY` or `WAYLAND_DISPLAY` is set), and
/// which one.
pub fn display() -> Option<String> {
    ["WAYLAND_DISPLAY", "DISPLAY"].iter().find_map(|var| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{var}={v}"))
    })
}

/// Opens the window and runs until it is closed or `stop` is set (e.g. by SIGTERM); the
/// engine is stopped (every open segment finished and indexed) before this returns. `stats`
/// shows the frame-time overlay from the start. `viewer`: the banner when `service` views a
/// library another Vigil records into (`viewer/`).
pub fn run(
    service: Box<dyn Backend>,
    notice: Option<String>,
    viewer: Option<viewer::ViewerState>,
    stats: bool,
    stop: Arc<AtomicBool>,
) -> Result<(), UiError> {
    language_menu::apply_at_startup();
    let options = eframe::NativeOptions {
        viewport: identity::apply(egui::ViewportBuilder::default())
            .with_title("Vigil") // i18n-ignore
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([480.0, 320.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Vigil",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            let app = VigilApp::new(service)
                .with_notice(notice)
                .with_viewer(viewer)
                .with_stats(stats)
                .with_stop(stop);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| UiError::Window(e.to_string()))
}
