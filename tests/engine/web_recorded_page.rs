//! The one-camera page in headless Chromium over the real `vigil run --web` recording the
//! demo camera: for an address naming a past instant it shows the frame recorded then (read
//! back from the pixels: the demo camera burns a frame counter into every picture); on a
//! phone it plays on across files, at speed, zooms, and says what is wrong in sentences.

use std::time::Duration;

use vigil_bench::browser::{LaunchOptions, Tab};
use vigil_core::source::demo::DemoScene;

use crate::common::browser::signed_in_chromium;
use crate::common::web::WebRun;
use crate::web_recorded::{pick_instant, recorded_frames, segments, start, PASSWORD};

/// The viewer account the page is seen as.
const ANA: (&str, &str, &str) = ("ana", "viewer", PASSWORD);

#[test]
fn chromium_shows_the_frame_recorded_at_the_instant_in_the_address() {
    let run = start();
    let (chromium, page) = signed_in_chromium(&run, ANA, LaunchOptions::default());
    assert_shows_the_frame_recorded_at_an_instant(&run, &page);
    drop(chromium);
    run.finish();
}

/// Once four files are recorded, the camera page opened at an instant inside the second one
/// shows the frame recorded then: the page's wall-clock stamp is within 50 ms of the address,
/// the video is the recording's size, and the counter burnt into the picture is that frame's.
/// No console errors.
pub(crate) fn assert_shows_the_frame_recorded_at_an_instant(run: &WebRun, page: &impl Tab) {
    let rows = segments(run, 4);
    let (w, h, frames) = recorded_frames(&rows[1]);
    let (at, shown, _) = pick_instant(&frames);
    page.goto(&format!("{}/#/camera/cam?at={at}", run.url))
        .expect("camera page");
    let ready = "(() => { const v = document.querySelector('video.camera-video'); \
                 return !!v && v.readyState >= 2 && !v.seeking && !!v.dataset.wallUs; })()";
    if let Err(e) = page.wait_for(ready, Duration::from_secs(30)) {
        panic!(
            "{e} in {}; console: {:?}; note: {:?}",
            page.browser(),
            page.console_errors(),
            page.eval("document.querySelector('.camera-note').textContent")
        );
    }
    let wall: i64 = page
        .eval("Number(document.querySelector('video.camera-video').dataset.wallUs)")
        .expect("wall")
        .as_i64()
        .expect("a number");
    assert!(
        (wall - at).abs() < 50_000,
        "the page says the frame is from {wall}, asked {at}"
    );
    let luma = page
        .eval(
            "(() => { const v = document.querySelector('video.camera-video'); \
             const c = document.createElement('canvas'); c.width = v.videoWidth; c.height = v.videoHeight; \
             const g = c.getContext('2d'); g.drawImage(v, 0, 0); \
             const d = g.getImageData(0, 0, c.width, c.height).data; const y = []; \
             for (let i = 0; i < d.length; i += 4) y.push(Math.round(0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2])); \
             return {w: c.width, h: c.height, y}; })()",
        )
        .expect("pixels");
    assert_eq!(
        (luma["w"].as_u64(), luma["h"].as_u64()),
        (Some(w.into()), Some(h.into()))
    );
    let y: Vec<u8> = luma["y"]
        .as_array()
        .expect("luma")
        .iter()
        .map(|v| v.as_u64().expect("byte") as u8)
        .collect();
    let counter = DemoScene::new(w, h).read_counter(&y, w as usize);
    assert_eq!(
        counter,
        Some(shown.counter),
        "the frame shown is the one recorded at {at}"
    );
    // (The favicon belongs to the web app's manifest, not to this page.)
    let errors: Vec<String> = page
        .console_errors()
        .into_iter()
        .filter(|e| !e.contains("favicon"))
        .collect();
    assert!(errors.is_empty(), "{} console: {errors:?}", page.browser());
}

const WALL: &str = "Number(document.querySelector('video.camera-video').dataset.wallUs || 0)";
const VIDEO_STATE: &str =
    "(() => { const v = document.querySelector('video'); const b = v.buffered; \
    const r = []; for (let i = 0; i < b.length; i++) r.push([b.start(i), b.end(i)]); \
    return {paused: v.paused, t: v.currentTime, ready: v.readyState, ended: v.ended, r, \
    error: v.error && v.error.message}; })()";
const NOTE: &str = "document.querySelector('.camera-note').textContent";

#[test]
fn on_a_phone_the_page_plays_on_across_files_at_speed_and_says_what_is_wrong() {
    let run = start();
    let rows = segments(&run, 3);
    let at = rows[1]["start_us"].as_i64().expect("start") + 300_000;
    let (chromium, page) = signed_in_chromium(
        &run,
        ANA,
        LaunchOptions {
            width: 375,
            height: 812,
            mobile: true,
            ..LaunchOptions::default()
        },
    );
    page.goto(&format!("{}/#/camera/cam?at={at}", run.url))
        .expect("camera page");
    page.wait_for(&format!("{WALL} > 0"), Duration::from_secs(30))
        .expect("a frame");
    assert_eq!(
        page.eval("document.querySelector('video').paused")
            .expect("eval"),
        true,
        "an address's instant is shown paused"
    );
    page.eval("document.querySelector('.camera-play').click()")
        .expect("play");
    // Past the files indexed when playback started: the page asks for the next part as the
    // recorder finishes files.
    let later = at + 10_000_000;
    if let Err(e) = page.wait_for(&format!("{WALL} > {later}"), Duration::from_secs(60)) {
        panic!(
            "{e}; note: {:?}; video: {:?}; console: {:?}",
            page.eval(NOTE),
            page.eval(VIDEO_STATE),
            page.console_errors()
        );
    }
    page.eval(
        "const s = document.querySelector('.camera-speed'); s.value = '4'; \
               s.dispatchEvent(new Event('change'))",
    )
    .expect("speed");
    assert_eq!(
        page.eval("document.querySelector('video').playbackRate")
            .expect("rate"),
        4
    );
    // Zoomed to ten minutes, the few seconds recorded are a visible span, the cursor on it.
    page.eval(
        "const z = document.querySelector('.camera-zoom'); z.value = '3'; \
         z.dispatchEvent(new Event('change'))",
    )
    .expect("zoom");
    let span = page
        .eval("document.querySelector('.camera-span').getBoundingClientRect().width")
        .expect("span width");
    assert!(span.as_f64().is_some_and(|w| w >= 8.0), "span {span}");
    page.wait_for(
        "!document.querySelector('.camera-cursor').hidden",
        Duration::from_secs(5),
    )
    .expect("the cursor is shown");
    let width = page
        .eval("document.documentElement.scrollWidth")
        .expect("width");
    assert!(
        width.as_f64().is_some_and(|w| w <= 375.0),
        "no sideways scrolling on a phone: {width}"
    );

    page.goto(&format!("{}/#/camera/nope", run.url))
        .expect("unknown camera");
    page.wait_for(
        &format!("{NOTE}.includes(\"no camera named 'nope'\")"),
        Duration::from_secs(10),
    )
    .expect("the page says the camera is unknown");
    page.goto(&format!("{}/#/camera/cam?at=noon", run.url))
        .expect("malformed");
    page.wait_for(
        "document.getElementById('problem').textContent.includes(\"'noon' is not a time\")",
        Duration::from_secs(10),
    )
    .expect("the page says the address's time is malformed");
    page.goto(&format!("{}/#/camera/cam?at=1000000000000000", run.url))
        .expect("2001");
    page.wait_for(
        &format!("{NOTE}.toLowerCase().includes('nothing was recorded')"),
        Duration::from_secs(10),
    )
    .expect("the page says nothing was recorded then");
    drop(chromium);
    run.finish();
}
