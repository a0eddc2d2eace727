//! The web viewer in a real headless Firefox (Debian's `firefox-esr`, driven over WebDriver
//! BiDi by `vigil_bench::browser::Firefox`) against the real `vigil run --web`: sign in
//! through the login page, the live grid's tile plays the demo camera's H.264 through MSE
//! (video time advancing, a frame drawn to a canvas not black), an H.265 camera's tile plays
//! or says why it cannot, the grid fits a 375-px phone
//! (screenshot `web-live-firefox-phone`), the camera page shows the frame recorded at the
//! address's instant, and the events page lists the motion event. The checks are the
//! Chromium tests' own, run through the `Tab` trait.

use std::time::Duration;

use vigil_bench::browser::{LaunchOptions, Tab};

use crate::common::browser::{seen, signed_in_firefox};
use crate::common::RtspServer;
use crate::web_events::browser::assert_lists_the_motion_event;
use crate::web_events::harness::{prepared_run, PASSWORD as EVENTS_PASSWORD};
use crate::web_live::{start as start_live, PASSWORD as LIVE_PASSWORD};
use crate::web_live_browser::{assert_the_demo_tile_plays, luma_of, save_screenshot};
use crate::web_recorded::{start as start_recorded, PASSWORD as RECORDED_PASSWORD};
use crate::web_recorded_page::assert_shows_the_frame_recorded_at_an_instant;

const WAIT: Duration = Duration::from_secs(20);

/// The console's errors but the favicon's (the app's icons come with its manifest).
fn console_errors(page: &impl Tab) -> Vec<String> {
    page.console_errors()
        .into_iter()
        .filter(|e| !e.contains("favicon"))
        .collect()
}

/// What Firefox's MSE says it plays, for the log (Chromium: both H.264 profiles, no H.265).
const CODECS: &str = "['avc1.42E01E', 'avc1.640028', 'hvc1.1.6.L93.B0', 'hev1.1.6.L93.B0']
    .map(c => c + ' ' + MediaSource.isTypeSupported(`video/mp4; codecs=\"${c}\"`)).join(', ')";

/// The H.265 camera's tile: `plays` when its video time advances, else the sentence it shows.
const HEVC_TILE: &str = "(() => {
    const t = document.querySelector('.live-tile[data-camera=\"hevc\"]');
    const n = t?.querySelector('.live-note');
    if (t?.querySelector('video')?.currentTime > 0.5) return 'plays';
    return n && !n.hidden && n.classList.contains('big') ? n.textContent : false; })()";

#[test]
fn firefox_signs_in_and_plays_the_live_grid_on_a_desktop_and_a_phone() {
    // SMPTE bars: a black frame from the H.265 tile cannot pass for the picture.
    let rtsp = RtspServer::start(&["--scene", "smpte"]);
    let run = start_live(&[("hevc", &rtsp.url("h265"))]);
    let (firefox, page) = signed_in_firefox(
        &run,
        ("vera", "viewer", LIVE_PASSWORD),
        LaunchOptions::default(),
    );
    assert_the_demo_tile_plays(&page);
    page.wait_for(
        "document.querySelector('.live-tile[data-camera=\"cam\"] .live-badge.rec')",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the recording badge: {e}{}", seen(&page)));
    eprintln!("Firefox MSE: {}", page.eval(CODECS).expect("codecs"));
    // H.265: the tile plays where the browser decodes it, else says why it cannot.
    let hevc = page
        .wait_for(HEVC_TILE, WAIT)
        .unwrap_or_else(|e| panic!("the H.265 tile plays or explains: {e}{}", seen(&page)));
    eprintln!("Firefox's H.265 tile: {hevc}");
    if hevc == "plays" {
        let y = luma_of(&page, "hevc");
        eprintln!("the H.265 tile's frame in Firefox has average luma {y:.1}");
        assert!(
            y > 20.0,
            "a frame drawn from the H.265 tile is not black: {y}"
        );
    } else {
        assert!(hevc.as_str().is_some_and(|t| t.contains("H.265")), "{hevc}");
    }

    page.set_viewport(375, 812, true, 2.0).expect("phone");
    page.wait_for("innerWidth === 375", WAIT)
        .expect("the phone's width");
    let layout = page
        .eval(
            "[document.documentElement.scrollWidth,
              getComputedStyle(document.querySelector('.live-grid')).gridTemplateColumns.split(' ').length]",
        )
        .expect("layout");
    assert_eq!(
        layout,
        serde_json::json!([375, 1]),
        "one column, no sideways scrolling"
    );
    // Still playing at the phone's size.
    assert_the_demo_tile_plays(&page);
    print_latency(&page);
    save_screenshot(&page, "web-live-firefox-phone");
    let errors = console_errors(&page);
    assert!(errors.is_empty(), "no console errors: {errors:?}");
    drop((page, firefox));
    run.finish();
}

/// Prints the page's own latency figures (server read → frame presented), as the Chromium
/// test does; requestVideoFrameCallback gives them in Firefox too.
fn print_latency(page: &impl Tab) {
    page.wait_for(
        "(window.vigilLiveStats?.cam?.latency_ms.length || 0) >= 120",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("latency figures: {e}{}", seen(page)));
    let stats = page.eval("window.vigilLiveStats.cam").expect("stats");
    let mut lat: Vec<f64> = stats["latency_ms"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    let mut lat = lat.split_off(lat.len().saturating_sub(90));
    lat.sort_by(f64::total_cmp);
    let at = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    eprintln!(
        "Firefox: {} frames presented; latency p50 {:.0} ms, p95 {:.0} ms over the last {} frames",
        stats["presented"],
        at(0.5),
        at(0.95),
        lat.len()
    );
    assert!(at(0.5) > 0.0 && at(0.5) < 1000.0, "p50 {}", at(0.5));
}

#[test]
fn firefox_shows_the_frame_recorded_at_the_instant_in_the_address() {
    let run = start_recorded();
    let (firefox, page) = signed_in_firefox(
        &run,
        ("ana", "viewer", RECORDED_PASSWORD),
        LaunchOptions::default(),
    );
    assert_shows_the_frame_recorded_at_an_instant(&run, &page);
    drop((page, firefox));
    run.finish();
}

#[test]
fn firefox_lists_the_motion_event_on_the_events_page() {
    let run = prepared_run();
    let (firefox, page) = signed_in_firefox(
        &run,
        ("olga", "operator", EVENTS_PASSWORD),
        LaunchOptions::default(),
    );
    // Straight from the grid, its sockets perhaps still connecting: leaving them must not
    // log a failed connection (Firefox did, before live.js closed them once open).
    let text = assert_lists_the_motion_event(&page);
    assert!(text.contains("Download"), "{text}");
    let errors = console_errors(&page);
    assert!(errors.is_empty(), "no console errors: {errors:?}");
    // Back on the grid, over TLS (this run's self-signed certificate), the live socket plays.
    page.eval("location.hash = '#/'; true").expect("grid");
    assert_the_demo_tile_plays(&page);
    drop((page, firefox));
    run.finish();
}
