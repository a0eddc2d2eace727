//! The live grid in a real headless Chromium (driven by `vigil_bench::browser`) against the
//! real `vigil run --web`: sign in through the form, the demo camera's tile plays (its video
//! time advances and a frame drawn to a canvas is not black), its badge says it records, the
//! page's latency figures fill, an H.265 camera's tile says why it cannot play instead of
//! staying black, a second tab joining the running live feed late plays from its later decode
//! times, the grid has one column on a phone and more on a desktop, and a click on a tile
//! opens the camera's page (and leaving the grid closes its sockets).

use std::time::Duration;

use vigil_bench::browser::{LaunchOptions, Tab};

use crate::common::browser::{seen, signed_in_chromium};
use crate::common::{wait_until, RtspServer};
use crate::web_live::{start, threads_named, PASSWORD};

const WAIT: Duration = Duration::from_secs(30);
const CAM_VIDEO: &str = "document.querySelector('.live-tile[data-camera=\"cam\"] video')";

/// The average luma (0–255) of the demo camera tile's current frame drawn to a canvas.
fn luma(page: &impl Tab) -> f64 {
    luma_of(page, "cam")
}

/// The average luma (0–255) of `camera`'s tile's current frame drawn to a canvas.
pub(crate) fn luma_of(page: &impl Tab, camera: &str) -> f64 {
    let js = format!(
        "(() => {{
            const v = document.querySelector('.live-tile[data-camera=\"{camera}\"] video');
            const c = document.createElement('canvas');
            c.width = v.videoWidth; c.height = v.videoHeight;
            const g = c.getContext('2d');
            g.drawImage(v, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data;
            let sum = 0;
            for (let i = 0; i < d.length; i += 4) sum += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
            return sum / (d.length / 4);
        }})()"
    );
    page.eval(&js).expect("draw").as_f64().unwrap_or(0.0)
}

/// The demo camera's tile plays: its video time passes 0.5 s and then advances by a second,
/// the video is the camera's 640×360, and a frame drawn to a canvas is not black.
pub(crate) fn assert_the_demo_tile_plays(page: &impl Tab) {
    page.wait_for(&format!("{CAM_VIDEO}?.currentTime > 0.5"), WAIT)
        .unwrap_or_else(|e| panic!("the demo camera's tile plays: {e}{}", seen(page)));
    let t0 = page
        .eval(&format!("{CAM_VIDEO}.currentTime"))
        .expect("time")
        .as_f64()
        .unwrap_or(0.0);
    page.wait_for(&format!("{CAM_VIDEO}.currentTime > {t0} + 1"), WAIT)
        .unwrap_or_else(|e| panic!("the video time advances: {e}{}", seen(page)));
    let size = page
        .eval(&format!(
            "[{CAM_VIDEO}.videoWidth, {CAM_VIDEO}.videoHeight]"
        ))
        .expect("size");
    assert_eq!(size, serde_json::json!([640, 360]));
    let y = luma(page);
    eprintln!(
        "the tile's frame in {} has average luma {y:.1}",
        page.browser()
    );
    assert!(y > 20.0, "a frame drawn from the tile is not black: {y}");
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

#[test]
fn the_live_grid_plays_the_demo_camera_in_chromium_and_explains_h265() {
    let rtsp = RtspServer::start(&[]);
    let run = start(&[("hevc", &rtsp.url("h265"))]);
    let (chromium, page) =
        signed_in_chromium(&run, ("vera", "viewer", PASSWORD), LaunchOptions::default());
    assert_the_demo_tile_plays(&page);
    page.wait_for(
        "document.querySelector('.live-tile[data-camera=\"cam\"] .live-badge.rec')",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the recording badge: {e}{}", seen(&page)));

    // H.265: the tile says why it cannot play (Chromium's MSE has no H.265).
    let note = page
        .wait_for(
            "(() => { const n = document.querySelector('.live-tile[data-camera=\"hevc\"] .live-note');
                      return n && !n.hidden && n.classList.contains('big') && n.textContent.includes('H.265')
                        ? n.textContent : false; })()",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("the H.265 tile explains itself: {e}{}", seen(&page)));
    eprintln!("the H.265 tile says: {note}");

    // Latency, server read → frame presented, as the page measures it.
    page.wait_for(
        "(window.vigilLiveStats?.cam?.latency_ms.length || 0) >= 150",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("latency figures: {e}{}", seen(&page)));
    let stats = page.eval("window.vigilLiveStats.cam").expect("stats");
    let mut lat: Vec<f64> = stats["latency_ms"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    // The last 90 frames (6 s): the start (first keyframe, catching up) left out.
    let mut lat = lat.split_off(lat.len().saturating_sub(90));
    lat.sort_by(f64::total_cmp);
    eprintln!(
        "{} frames presented; latency p50 {:.0} ms, p95 {:.0} ms over the last {} frames",
        stats["presented"],
        percentile(&lat, 0.5),
        percentile(&lat, 0.95),
        lat.len()
    );
    assert!(percentile(&lat, 0.5) > 0.0 && percentile(&lat, 0.5) < 1000.0);
    let errors = page.console_errors();
    assert!(
        !errors.iter().any(|e| e.contains("Content Security Policy")),
        "{errors:?}"
    );

    // A second tab joins the camera's running fan-out late: its first fragment's decode time
    // is seconds into the packager's timeline, and the tile plays from there.
    let late = chromium
        .open(&format!("{}/#/live", run.url))
        .expect("a second tab");
    let joined = late
        .wait_for(
            &format!(
                "(v => !!v && v.buffered.length > 0 && v.currentTime > v.buffered.start(0) + 1 \
                   && v.buffered.start(0))({CAM_VIDEO})"
            ),
            WAIT,
        )
        .unwrap_or_else(|e| panic!("the late tab plays: {e}{}", seen(&late)));
    eprintln!("the late tab's video starts at {joined} s of the camera's live timeline");
    assert!(joined.as_f64().is_some_and(|t| t > 2.0), "{joined}");
    drop(late);

    // Two tiles a row or more on this 1280-px desktop, one on a 375-px phone.
    let columns = "getComputedStyle(document.querySelector('.live-grid')).gridTemplateColumns.split(' ').length";
    let desktop = page.eval(columns).expect("columns").as_u64().unwrap_or(0);
    assert!((2..=4).contains(&desktop), "{desktop} columns at 1280 px");
    page.set_viewport(375, 812, true, 2.0).expect("phone");
    page.wait_for("innerWidth === 375", WAIT)
        .expect("the phone's width");
    assert_eq!(
        page.eval(columns).expect("columns"),
        1,
        "one column on a phone"
    );
    let width = page
        .eval("document.documentElement.scrollWidth")
        .expect("width");
    assert!(
        width.as_i64().is_some_and(|w| w <= 375),
        "no sideways scrolling: {width}"
    );
    save_screenshot(&page, "web-live-phone");

    page.eval("document.querySelector('.live-tile[data-camera=\"cam\"]').click(); true")
        .expect("click");
    page.wait_for("location.hash === '#/camera/cam'", WAIT)
        .expect("the tile opens the camera's page");
    // Leaving the grid closes its sockets: the camera's last viewer gone, its packager ends.
    assert!(
        wait_until(WAIT, || threads_named(run.pid(), "live-fan-cam") == 0),
        "the live view's sockets closed when the page left the grid"
    );
    drop((page, chromium));
    run.finish();
}

/// Saves a PNG of the page under the test's temporary directory, and to
/// `VIGIL_SCREENSHOT_DIR` when that is set (`make screenshot`: docs/screenshots).
pub(crate) fn save_screenshot(page: &impl Tab, name: &str) {
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
