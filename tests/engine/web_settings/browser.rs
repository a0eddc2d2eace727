//! The settings page in a real headless Chromium against the real `vigil run --web`: an
//! admin opens it from the camera page, tries Undo point and Cancel on one outline, draws a
//! 4-point zone by clicking on the live picture (real mouse events over the DevTools
//! protocol), closes it on its first point, names and saves it, and the API's polygon
//! matches the clicks within 1 %; the policy form shows the server's sentence for a bad
//! value and saves a good one; on a 375-px phone the page does not scroll sideways, a point
//! dragged to a new place is saved there, and a screenshot is saved (`VIGIL_SCREENSHOT_DIR`:
//! docs/screenshots/web-zones-phone.png).

use std::time::Duration;

use serde_json::{json, Value};
use vigil_bench::browser::{LaunchOptions, Page};

use super::{call, PASSWORD, WEB};
use crate::common::browser::{seen, signed_in_chromium};
use crate::common::web::WebRun;

const WAIT: Duration = Duration::from_secs(30);
const OVERLAY: &str = "document.querySelector('.zones-overlay')";
/// The zone drawn, in fractions of the picture.
const CLICKS: [(f64, f64); 4] = [(0.2, 0.25), (0.75, 0.2), (0.8, 0.7), (0.25, 0.75)];

/// The overlay's box in the viewport: (left, top, width, height) in CSS pixels.
fn overlay_box(page: &Page) -> (f64, f64, f64, f64) {
    let js = format!(
        "(() => {{ const o = {OVERLAY}; o.scrollIntoView({{block: 'center'}});
                   const b = o.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; }})()"
    );
    let b = page.eval(&js).expect("the overlay's box");
    let n = |i: usize| b[i].as_f64().unwrap_or(0.0);
    (n(0), n(1), n(2), n(3))
}

/// A real mouse event at `at` (fractions of the picture).
fn mouse(page: &Page, kind: &str, at: (f64, f64)) {
    let (left, top, w, h) = overlay_box(page);
    let params = json!({
        "type": kind, "x": left + at.0 * w, "y": top + at.1 * h,
        "button": "left", "buttons": if kind == "mouseReleased" { 0 } else { 1 }, "clickCount": 1,
    });
    page.call("Input.dispatchMouseEvent", params)
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
}

fn click(page: &Page, at: (f64, f64)) {
    mouse(page, "mousePressed", at);
    mouse(page, "mouseReleased", at);
}

fn press(page: &Page, selector: &str) {
    let js = format!(
        "document.querySelector({}).click(); true",
        Value::from(selector)
    );
    page.eval(&js)
        .unwrap_or_else(|e| panic!("{selector}: {e}{}", seen(page)));
}

fn wait(page: &Page, what: &str, js: &str) -> Value {
    page.wait_for(js, WAIT)
        .unwrap_or_else(|e| panic!("{what}: {e}{}", seen(page)))
}

/// The zone's points from the API.
fn stored_points(run: &WebRun, admin: &crate::common::web::Session) -> Vec<(f64, f64)> {
    let (status, zones) = call(run, admin, "GET", "/api/cameras/cam/zones", None);
    assert_eq!(status, 200, "{zones}");
    assert_eq!(zones["zones"].as_array().map(Vec::len), Some(1), "{zones}");
    assert_eq!(zones["zones"][0]["name"], "porch");
    zones["zones"][0]["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| (p[0].as_f64().unwrap_or(-1.0), p[1].as_f64().unwrap_or(-1.0)))
        .collect()
}

fn assert_near(got: &[(f64, f64)], want: &[(f64, f64)]) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g.0 - w.0).abs() <= 0.01 && (g.1 - w.1).abs() <= 0.01,
            "stored {g:?}, clicked {w:?} (all: {got:?})"
        );
    }
}

#[test]
fn an_admin_draws_a_zone_on_the_live_picture_in_chromium() {
    let run = WebRun::start(WEB);
    let (chromium, page) =
        signed_in_chromium(&run, ("ada", "admin", PASSWORD), LaunchOptions::default());
    let admin = run.sign_in("ada", PASSWORD);
    page.eval("location.hash = '#/camera/cam'; true")
        .expect("go");
    wait(
        &page,
        "the camera page links to its settings",
        "!!document.querySelector('a.camera-settings')",
    );
    press(&page, "a.camera-settings");
    wait(
        &page,
        "the settings page",
        "location.hash === '#/camera/cam/settings' && !!document.querySelector('[data-act=add]')",
    );
    // The picture: on a loaded machine (three `vigil run`s, the simulator and Chromium on
    // two cores) the demo camera's first keyframe can take a while.
    page.wait_for(
        "document.querySelector('.zones-stage video')?.currentTime > 0.3",
        2 * WAIT,
    )
    .unwrap_or_else(|e| panic!("the live picture plays under the zones: {e}{}", seen(&page)));
    wait(
        &page,
        "the policy form is filled",
        "document.querySelector('select[name=mode]').value === 'continuous'",
    );

    // Undo point and Cancel: two points drawn, one undone, then the outline dropped.
    press(&page, "[data-act=add]");
    click(&page, (0.5, 0.5));
    click(&page, (0.6, 0.6));
    wait(
        &page,
        "two points",
        "document.querySelectorAll('.zone-point').length === 2",
    );
    assert_eq!(
        page.eval("document.querySelector('[data-act=finish]').disabled")
            .expect("finish"),
        true,
        "3 points at least"
    );
    press(&page, "[data-act=undo]");
    wait(
        &page,
        "a point undone",
        "document.querySelectorAll('.zone-point').length === 1",
    );
    press(&page, "[data-act=cancel]");
    wait(
        &page,
        "the outline dropped",
        "!document.querySelector('.zone-point') && !!document.querySelector('[data-act=add]')",
    );

    press(&page, "[data-act=add]");
    for at in CLICKS {
        click(&page, at);
    }
    wait(
        &page,
        "four points drawn",
        "document.querySelectorAll('.zone-point').length === 4",
    );
    click(&page, CLICKS[0]); // the first point closes the outline
    wait(
        &page,
        "the outline closed and the form shown",
        "!document.querySelector('.zones-form').hidden",
    );
    page.eval(
        "const n = document.querySelector('.zones-form input[type=text]');
         n.value = 'porch'; n.dispatchEvent(new Event('input')); true",
    )
    .expect("name");
    press(&page, "[data-act=save]");
    wait(
        &page,
        "the saved zone is listed",
        "!!document.querySelector('.zones-item[data-zone=porch]')",
    );
    assert_near(&stored_points(&run, &admin), &CLICKS);
    let drawn = page
        .eval("[document.querySelectorAll('polygon.zone-detect').length, document.querySelector('.zone-name')?.textContent]")
        .expect("drawn");
    assert_eq!(
        drawn,
        json!([1, "porch"]),
        "the zone is drawn with its name"
    );

    // The policy form: the server's sentence for a bad value, then a change saved.
    page.eval(
        "const f = document.querySelector('.settings-policy');
         f.querySelector('select[name=mode]').value = 'events';
         f.querySelector('select[name=mode]').dispatchEvent(new Event('change'));
         f.querySelector('input[name=pre_event_s]').value = '500';
         f.querySelector('[data-act=save-policy]').click(); true",
    )
    .expect("policy form");
    let said = wait(
        &page,
        "the policy's problem in words",
        "document.querySelector('.settings-policy .settings-msg:not([hidden])')?.textContent",
    );
    assert!(
        said.as_str().is_some_and(
            |s| s.contains("pre-event time 500 s is out of range; use at most 120 seconds")
        ),
        "{said}"
    );
    page.eval(
        "document.querySelector('input[name=pre_event_s]').value = '4';
         document.querySelector('[data-act=save-policy]').click(); true",
    )
    .expect("save");
    wait(
        &page,
        "the policy saved",
        "document.querySelector('.settings-saved').textContent.includes('records events')",
    );
    let policy = call(&run, &admin, "GET", "/api/cameras/cam/policy", None).1;
    assert_eq!(
        (
            policy["policy"]["mode"].as_str(),
            policy["policy"]["pre_event_s"].as_u64()
        ),
        (Some("events"), Some(4))
    );

    // A phone: no sideways scrolling; drag the third point and save it there.
    page.set_viewport(375, 812, true, 2.0).expect("phone");
    wait(&page, "the phone's width", "innerWidth === 375");
    let width = page
        .eval("document.documentElement.scrollWidth")
        .expect("width");
    assert!(
        width.as_i64().is_some_and(|w| w <= 375),
        "no sideways scrolling: {width}"
    );
    press(&page, ".zones-item[data-zone=porch]");
    wait(
        &page,
        "the zone's points to drag",
        "document.querySelectorAll('.zone-point').length === 4",
    );
    let to = (0.9, 0.85);
    mouse(&page, "mousePressed", CLICKS[2]);
    mouse(&page, "mouseMoved", (0.85, 0.78));
    mouse(&page, "mouseMoved", to);
    mouse(&page, "mouseReleased", to);
    press(&page, "[data-act=save]");
    let mut want = CLICKS.to_vec();
    want[2] = to;
    let moved = crate::common::wait_until(WAIT, || {
        let got = stored_points(&run, &admin);
        (got[2].0 - to.0).abs() <= 0.01 && (got[2].1 - to.1).abs() <= 0.01
    });
    assert!(
        moved,
        "the dragged point was saved where it was dropped{}",
        seen(&page)
    );
    assert_near(&stored_points(&run, &admin), &want);
    wait(
        &page,
        "the page says the zone was saved",
        "document.querySelector('.zones-form').hidden && document.querySelector('.zones-hint').textContent.startsWith('Saved zone')",
    );
    press(&page, ".zones-item[data-zone=porch]");
    wait(
        &page,
        "the zone open for editing",
        "!document.querySelector('.zones-form').hidden",
    );
    save_screenshot(&page, "web-zones-phone");
    let errors = page.console_errors();
    assert!(
        !errors.iter().any(|e| e.contains("Content Security Policy")),
        "{errors:?}"
    );
    drop((page, chromium));
    run.finish();
}

/// Saves a PNG of the page under the test's temporary directory, and to
/// `VIGIL_SCREENSHOT_DIR` when that is set (`make screenshot`: docs/screenshots).
fn save_screenshot(page: &Page, name: &str) {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let path = dir.join(format!("{name}.png"));
    page.screenshot_png(&path).expect("screenshot");
    eprintln!("screenshot: {}", path.display());
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(
            &path,
            std::path::Path::new(&docs).join(format!("{name}.png")),
        )
        .expect("copy");
    }
}
