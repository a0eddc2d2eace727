//! The app under a Korean locale: started with `LANG=ko_KR.UTF-8`, its top bar and camera
//! dialog speak Korean from the catalogue. The language is process-wide, so the Korean run
//! is a process of its own (this test binary again, on one ignored test): the other tests
//! keep running in English beside it. The harness gets a Korean font from the system, as the
//! app does, since egui's own fonts have no Hangul; a screenshot is saved to
//! `target/tmp/screenshots/camera-dialog-ko.png` to check the dialog's layout by eye.

use std::process::Command;

use egui_kittest::kittest::Queryable;

use egui_kittest::Harness;

use crate::setup::{click, nodes_showing};
use vigil_app::backend::FixedBackend;
use vigil_app::i18n::{language, Language};
use vigil_app::VigilApp;
use vigil_core::service::ConfigStore;

/// A Korean font the system has (Debian's `fonts-nanum`).
/// The test that runs in the Korean process.
const KOREAN_TEST: &str = "korean_setup::the_camera_dialog_in_korean";

#[test]
fn a_korean_locale_gives_a_korean_camera_dialog() {
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args([KOREAN_TEST, "--exact", "--ignored", "--test-threads=1"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ko_KR.UTF-8")
        .output()
        .expect("the test binary runs again");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the Korean run failed:\n{text}");
    assert!(
        text.contains("test result: ok. 1 passed"),
        "the Korean test did not run:\n{text}"
    );
}

#[test]
#[ignore = "run under LANG=ko_KR.UTF-8 by a_korean_locale_gives_a_korean_camera_dialog"]
fn the_camera_dialog_in_korean() {
    assert_eq!(
        language(),
        Language::Korean,
        "run with LANG=ko_KR.UTF-8 (a_korean_locale_gives_a_korean_camera_dialog does)"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ConfigStore::open(dir.path(), std::sync::Arc::new(|| {})).expect("config store");
    let backend = FixedBackend::default().with_config(store);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        // The app's own fonts: the system's CJK font, else the Hangul subset compiled in.
        .with_context_setup(vigil_app::fonts::install)
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(backend)),
        );
    h.run_steps(2);
    h.get_by_label("클립");
    h.get_by_label("새 창");
    click(&mut h, "+ 카메라 추가");
    h.get_by_label("카메라 추가");
    h.get_by_label("연결 테스트");
    h.get_by_label("감지용 서브 스트림 URL");
    h.get_by_label("녹화 정책");
    h.get_by_label("연속 녹화");
    h.get_by_label("이벤트 녹화");
    h.get_by_label("보존 기간 (일)");
    // An empty form cannot be saved; the reason reads as a Korean sentence.
    assert!(nodes_showing(&h, "아직 저장할 수 없습니다: ") > 0);
    assert_eq!(nodes_showing(&h, "Add camera"), 0, "no English left");
    let image = h.render().expect("render with wgpu (mesa-vulkan-drivers)");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot directory");
    image
        .save(shots.join("camera-dialog-ko.png"))
        .expect("save the screenshot");
    // Save and Cancel read as the shared words.
    h.get_by_label("저장");
    h.get_by_label("취소");
}
