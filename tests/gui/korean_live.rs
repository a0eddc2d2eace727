//! The live grid and the zone editor in Korean: a tile's connection state, its motion badge,
//! the status bar and the zone editor's panel speak Korean from the catalogue.
//!
//! The language is process-wide and the other tests of this binary assert English words
//! while running in parallel, so the Korean part runs in a child process of this test binary
//! (the parent test starts it and checks that it passed).

use crate::frames::settle;

use std::process::Command;
use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::backend::FixedBackend;
use vigil_app::i18n::{set_language, Language};
use vigil_app::VigilApp;
use vigil_core::detect::ZoneActivity;
use vigil_core::model::{CameraName, NewCamera, Policy, Transport};
use vigil_core::service::{CameraStatus, ConfigStore, ConnState, EngineStatus};

/// A Korean font installed on this machine (package fonts-nanum).
const CHILD_ENV: &str = "VIGIL_TEST_KOREAN_CHILD";
const CHILD_TEST: &str = "korean_live::in_korean_the_tiles_and_the_zone_editor_child";

/// Puts the process back in English however the test ends.
struct English;

impl Drop for English {
    fn drop(&mut self) {
        set_language(Language::English);
    }
}

/// Hangul for the harness's context: the app's own fonts (the system's CJK font, else the
/// Hangul subset compiled in).
fn add_korean_font(ctx: &egui::Context) {
    vigil_app::fonts::install(ctx);
}

fn status() -> EngineStatus {
    let mut front = CameraStatus {
        conn: ConnState::Connected,
        codec: Some("h264".into()),
        width: 1280,
        height: 720,
        fps: 25.0,
        bitrate_bps: 2_000_000.0,
        ..CameraStatus::new("front", "rtsp://10.0.0.9/front")
    };
    front.motion = vec![ZoneActivity {
        zone_id: 1,
        name: "gate".into(),
        changed: 0.2,
        active: true,
    }];
    let gate = CameraStatus {
        conn: ConnState::Connecting,
        ..CameraStatus::new("gate", "rtsp://10.0.0.9/gate")
    };
    EngineStatus {
        cameras: vec![front, gate],
        disk_total: 500_000_000_000,
        disk_available: 120_000_000_000,
        mqtt: None,
    }
}

#[test]
fn in_korean_the_tiles_and_the_zone_editor_speak_korean() {
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args([CHILD_TEST, "--exact", "--ignored", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the Korean child test failed:\n{stdout}\n{stderr}"
    );
}

#[test]
#[ignore = "run by in_korean_the_tiles_and_the_zone_editor_speak_korean in a process of its own"]
fn in_korean_the_tiles_and_the_zone_editor_child() {
    assert!(
        std::env::var_os(CHILD_ENV).is_some(),
        "this test switches the whole process to Korean: run it through its parent test"
    );
    let _english = English;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ConfigStore::open(dir.path(), Arc::new(|| {})).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("front").expect("name"),
        url: "rtsp://10.0.0.9/front".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: true,
        audio: false,
    };
    let added = store.add_camera(cam, Policy::default(), None).wait();
    added.expect("an answer").expect("camera");
    let backend = FixedBackend::new(status()).with_config(store);
    let app = VigilApp::new(Box::new(backend));
    let mut h = Harness::builder()
        .with_size([1100.0, 700.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut VigilApp| app.show(ui), app);

    add_korean_font(&h.ctx);
    set_language(Language::Korean);
    h.run_steps(2);
    // The connecting camera's tile says so, the moving one wears the motion badge.
    h.get_by_label("연결 중…");
    assert_eq!(h.query_all_by_label("모션").count(), 1, "the motion badge");
    assert!(h.query_by_label("MOTION").is_none(), "no English badge");
    h.get_by_label_contains("카메라 2대: 연결 1, 연결 중 1");
    h.get_by_label("문제 없음");

    // Into zone drawing through the tile's menu (in English: that menu is not this
    // module's), then the editor's panel in Korean.
    set_language(Language::English);
    h.run_steps(1);
    h.get_by_label("tile front").click_secondary();
    h.run_steps(2);
    h.get_by_label("Draw zones…").click();
    settle(&mut h, 3);
    assert_eq!(h.state().zones().editing(), Some("front"));
    set_language(Language::Korean);
    h.run_steps(2);
    h.get_by_label("front 영역");
    h.get_by_label("새 영역");
    h.get_by_label("완료");
    h.get_by_label("영역이 없습니다. 전체 화면에서 모션을 감지합니다.");
    h.get_by_label("새 영역").click();
    h.run_steps(2);
    h.get_by_label("영역 이름");
    h.get_by_label("감지");
    h.get_by_label("마스크");
    h.get_by_label("점 0개, 열림");
    assert!(
        h.query_by_label("New zone").is_none(),
        "no English left in the panel"
    );
}
