//! Korean in the desktop app: the live grid and the zone editor in Korean over the real
//! engine (screenshots saved to `target/screenshots/`, and to `docs/screenshots/` with
//! `VIGIL_SCREENSHOT_DIR=docs/screenshots`), and glyph checks that Hangul is drawn, not
//! replacement boxes: with the system's fonts, with the bundled font alone, and (the
//! control that proves the check can fail) with egui's fonts only. The app's own
//! screenshots also run under kittest's default policy of panicking on a missing glyph.
//!
//! The language is set for the test's own thread (`set_thread_language`): kittest draws on
//! it, and tests running side by side keep their English.

use crate::frames::settle;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::RichText;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use vigil_app::actions::{tile_menu, UiAction};
use vigil_app::fonts::{self, Lookup};
use vigil_app::i18n::{set_thread_language, Language};
use vigil_app::{tr, VigilApp};
use vigil_core::detect::{Polygon, ZoneKind, ZoneSpec};
use vigil_core::engine::EngineOptions;
use vigil_core::host::EngineHost;
use vigil_core::library::Library;
use vigil_core::model::{CameraName, DisplayName, NewCamera, Policy, Transport};

const SIZE: [f32; 2] = [1280.0, 760.0];
/// (identifier, the name the operator gave it).
const CAMERAS: [(&str, &str); 2] = [("jeongmun", "정문"), ("juchajang-b-2", "주차장 B-2")];
const ZONE: &str = "출입구";

/// Korean on this thread until dropped.
struct Korean;

impl Korean {
    fn speak() -> Korean {
        set_thread_language(Some(Language::Korean));
        Korean
    }
}

impl Drop for Korean {
    fn drop(&mut self) {
        set_thread_language(None);
    }
}

/// The real engine with two demo cameras and a detect zone named in Korean.
fn engine() -> (tempfile::TempDir, EngineHost) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let mut first = None;
    for (name, shown) in CAMERAS {
        let cam = NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let shown = DisplayName::parse(shown).expect("display name");
        let added = lib
            .add_camera_named(&cam, &shown, &Policy::default())
            .expect("camera");
        first.get_or_insert(added.id);
    }
    let polygon = Polygon::parse("0.1,0.5 0.5,0.45 0.6,0.95 0.1,0.95").expect("polygon");
    let zone = ZoneSpec::new(0, ZONE, ZoneKind::Detect, polygon);
    lib.add_zone(first.expect("a camera"), &zone).expect("zone");
    drop(lib);
    let host = EngineHost::start(EngineOptions::new(dir.path().to_path_buf())).expect("engine");
    (dir, host)
}

fn app_harness<'a>(host: EngineHost) -> Harness<'a, VigilApp> {
    Harness::builder()
        .with_size(SIZE)
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(20)
        .wgpu()
        .build_ui_state(
            |ui, app: &mut VigilApp| app.show(ui),
            VigilApp::new(Box::new(host)),
        )
}

/// Steps until every camera's tile shows a live picture, with a deadline.
fn wait_for_pictures(h: &mut Harness<'_, VigilApp>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !CAMERAS
        .iter()
        .all(|(c, _)| h.state().live().picture(c).is_some())
    {
        assert!(Instant::now() < deadline, "no live pictures within 30 s");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(50));
    }
    h.run_steps(2);
}

/// Renders the app, checks its size and saves it as `name`.png.
fn save(h: &mut Harness<'_, VigilApp>, name: &str) -> image::RgbaImage {
    let image = h.render().expect("render with wgpu (mesa-vulkan-drivers)");
    assert_eq!(
        (image.width(), image.height()),
        (SIZE[0] as u32, SIZE[1] as u32)
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    image.save(&path).expect("save png");
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(&path, PathBuf::from(docs).join(format!("{name}.png"))).expect("copy");
    }
    image
}

/// Pixels in `rect` of `image` that differ from the rect's most common colour (ink).
fn ink(image: &image::RgbaImage, rect: egui::Rect) -> usize {
    let mut counts = std::collections::HashMap::new();
    let x0 = rect.min.x.max(0.0) as u32;
    let y0 = rect.min.y.max(0.0) as u32;
    let x1 = (rect.max.x as u32).min(image.width());
    let y1 = (rect.max.y as u32).min(image.height());
    for y in y0..y1 {
        for x in x0..x1 {
            *counts.entry(image.get_pixel(x, y).0).or_insert(0usize) += 1;
        }
    }
    let background = counts.values().copied().max().unwrap_or(0);
    counts.values().sum::<usize>() - background
}

#[test]
fn the_live_grid_in_korean() {
    let _ko = Korean::speak();
    let (_dir, host) = engine();
    let mut h = app_harness(host);
    wait_for_pictures(&mut h);
    settle(&mut h, 2);
    // The top bar speaks Korean: the tours menu and the language menu.
    let tours = h.get_by_label(&tr!("tour-menu")).rect();
    let language = h.get_by_label("언어").rect();
    assert_eq!(tr!("tour-menu"), "투어");
    let image = save(&mut h, "korean-live-grid");
    for (what, rect) in [("투어", tours), ("언어", language)] {
        assert!(ink(&image, rect) > 20, "the button {what} draws no text");
    }
}

#[test]
fn the_zone_editor_in_korean() {
    let _ko = Korean::speak();
    let (_dir, host) = engine();
    let mut h = app_harness(host);
    wait_for_pictures(&mut h);
    let camera = CAMERAS[0].0;
    let draw_zones = tile_menu(camera, true)
        .into_iter()
        .find(|(_, a)| matches!(a, UiAction::EditZones(_)))
        .map(|(label, _)| label.to_string())
        .expect("the tile menu draws zones");
    h.get_by_label(&tr!("live-tile-label", name = camera))
        .click_secondary();
    h.run_steps(2);
    h.get_by_label(&draw_zones).click();
    settle(&mut h, 3);
    assert_eq!(h.state().zones().editing(), Some(camera));
    let zone = h
        .query_all_by_label_contains(ZONE)
        .next()
        .expect("the zone list names 출입구")
        .rect();
    let image = save(&mut h, "korean-zones");
    assert!(ink(&image, zone) > 20, "the zone name 출입구 draws no text");
}

/// `text` drawn large on an empty panel with the CJK fonts `lookup` finds (`None`: egui's
/// own fonts only). A character no font has is drawn as a box ("tofu"), not a panic.
fn render(lookup: Option<Lookup>, text: &str) -> image::RgbaImage {
    let text = text.to_string();
    let mut installed = false;
    let mut h = Harness::builder()
        .with_size([360.0, 60.0])
        .allow_missing_glyphs()
        .wgpu()
        .build_ui(move |ui| {
            if let (Some(lookup), false) = (lookup, installed) {
                fonts::install_with(ui.ctx(), lookup);
                installed = true;
            }
            ui.label(RichText::new(&text).size(28.0));
        });
    h.run();
    h.render().expect("render with wgpu (mesa-vulkan-drivers)")
}

/// Pixels that differ between two renders of the same size.
fn differing(a: &image::RgbaImage, b: &image::RgbaImage) -> usize {
    a.pixels().zip(b.pixels()).filter(|(p, q)| p != q).count()
}

/// Two Korean words and an equally long run of private-use characters, which no font has
/// (each one a replacement box).
const WORD_A: &str = "정문 주차";
const WORD_B: &str = "출입 영역";
const NO_FONT: &str = "\u{E000}\u{E001} \u{E002}\u{E003}";

/// Hangul is drawn when the renders of two different words differ from each other and
/// from replacement boxes (boxes look the same whatever character is missing).
fn assert_hangul_drawn(lookup: Lookup) {
    let (a, b, boxes) = (
        render(Some(lookup), WORD_A),
        render(Some(lookup), WORD_B),
        render(Some(lookup), NO_FONT),
    );
    assert!(
        differing(&a, &boxes) > 200,
        "{lookup:?}: 정문 주차 drawn as boxes"
    );
    assert!(
        differing(&b, &boxes) > 200,
        "{lookup:?}: 출입 영역 drawn as boxes"
    );
    assert!(differing(&a, &b) > 200, "{lookup:?}: two words drawn alike");
}

#[test]
fn hangul_is_drawn_with_the_system_font() {
    let font = fonts::find_system_font()
        .expect("no Korean system font: packaging/install-deps.sh installs fonts-noto-cjk");
    assert!(font.path.is_file());
    assert_hangul_drawn(Lookup::SystemThenBundled);
}

#[test]
fn hangul_is_drawn_with_the_bundled_font_alone() {
    assert_hangul_drawn(Lookup::BundledOnly);
}

#[test]
fn without_cjk_fonts_hangul_would_be_boxes() {
    // The control: egui's own fonts have no Hangul, so both words and the private-use run
    // are the same row of boxes, and the check above would fail.
    let (a, b, boxes) = (
        render(None, WORD_A),
        render(None, WORD_B),
        render(None, NO_FONT),
    );
    assert_eq!(differing(&a, &b), 0, "egui's fonts drew Hangul");
    assert_eq!(differing(&a, &boxes), 0, "egui's fonts drew Hangul");
}

#[test]
#[should_panic(expected = "No glyph")]
fn kittest_refuses_to_draw_hangul_without_a_font() {
    // The screenshots above run under kittest's default policy, which panics on a missing
    // glyph: were the fonts not installed, they would fail here rather than show boxes.
    let mut h = Harness::builder().with_size([360.0, 60.0]).build_ui(|ui| {
        ui.label(WORD_A);
    });
    h.run();
}

#[test]
fn the_system_and_bundled_fonts_draw_hangul_differently() {
    // Proves the system font is the one in use when present (Noto Sans CJK KR or Nanum
    // Gothic), the bundled subset only behind it.
    let system = render(Some(Lookup::SystemThenBundled), WORD_A);
    let bundled = render(Some(Lookup::BundledOnly), WORD_A);
    let font = fonts::find_system_font().expect("a Korean system font");
    if font.path.to_string_lossy().contains("NanumGothic.ttf") {
        // The bundled font is a subset of this very font: the same outlines.
        assert_eq!(differing(&system, &bundled), 0);
    } else {
        assert!(differing(&system, &bundled) > 50, "{font:?} not used");
    }
}

#[test]
fn a_text_field_takes_hangul_composed_by_an_input_method() {
    // The events an IME sends while 한글 is typed: each syllable is built in the preedit
    // (ㅎ, 하, 한) and committed when the next one starts.
    let text = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let field = text.clone();
    let mut h = Harness::builder()
        .with_size([360.0, 60.0])
        .wgpu()
        .build_ui(move |ui| {
            fonts::install(ui.ctx());
            let mut value = field.borrow_mut();
            let label = ui.label("영역 이름");
            let edit = ui
                .add(egui::TextEdit::singleline(&mut *value).id_salt("ime-field"))
                .labelled_by(label.id);
            edit.request_focus();
        });
    h.run();
    let preedit = |t: &str| {
        egui::Event::Ime(egui::ImeEvent::Preedit {
            text: t.to_string(),
            active_range_chars: Some(0..t.chars().count()),
        })
    };
    for (typed, committed) in [(["ㅎ", "하", "한"], "한"), (["ㄱ", "그", "글"], "글")] {
        for t in typed {
            h.event(preedit(t));
            h.run();
        }
        h.event(egui::Event::Ime(egui::ImeEvent::Commit(committed.into())));
        h.run();
    }
    assert_eq!(*text.borrow(), "한글");
}
