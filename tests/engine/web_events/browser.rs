//! The events page in a real headless Chromium (`vigil_bench::browser`) against the real
//! `vigil run --web`: an operator signs in, opens #/events, sees the event's card with its
//! thumbnail decoded, clicks Download and gets an MP4 that ffprobe reads; the page fits a
//! 375-px phone in one column.

use std::path::PathBuf;
use std::time::Duration;

use vigil_bench::browser::{LaunchOptions, Tab};

use super::harness::{prepared_run, PASSWORD};
use crate::common::browser::{seen, signed_in_chromium};
use crate::common::ffprobe;

const WAIT: Duration = Duration::from_secs(20);

/// Opens #/events and waits for the motion event's card with its thumbnail decoded; answers
/// the card's text (camera and kind checked).
pub(crate) fn assert_lists_the_motion_event(page: &impl Tab) -> String {
    page.eval("location.hash = '#/events'; true")
        .expect("events");

    let card = "document.querySelector('.events-card img.events-thumb')";
    let width = page
        .wait_for(&format!("{card}?.complete && {card}.naturalWidth"), WAIT)
        .unwrap_or_else(|e| panic!("a card with its thumbnail: {e}{}", seen(page)));
    assert!(
        width.as_i64().unwrap_or(0) > 0,
        "the thumbnail decoded: {width}"
    );
    let text = page
        .eval("document.querySelector('.events-card').innerText")
        .expect("card");
    let text = text.as_str().unwrap_or("").to_string();
    assert!(
        text.contains("cam") && text.contains("motion"),
        "{}: {text}",
        page.browser()
    );
    text
}

#[test]
fn an_operator_sees_event_cards_with_thumbnails_and_downloads_an_export() {
    let run = prepared_run();
    let (chromium, page) = signed_in_chromium(
        &run,
        ("olga", "operator", PASSWORD),
        LaunchOptions::default(),
    );
    let downloads = tempfile::tempdir().expect("downloads");
    chromium
        .allow_downloads(downloads.path())
        .expect("downloads");
    let text = assert_lists_the_motion_event(&page);
    for action in ["Play", "Download", "Protect", "Delete"] {
        assert!(text.contains(action), "{action} for an operator: {text}");
    }

    page.eval("document.querySelector('.events-card .events-download').click(); true")
        .expect("click Download");
    let file = chromium
        .wait_download(Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("the export downloaded: {e}{}", seen(&page)));
    eprintln!(
        "downloaded {} ({} bytes)",
        file.suggested_filename, file.bytes
    );
    // The download is the evidence ZIP: the MP4 and its signed manifest beside it.
    assert!(
        file.suggested_filename.starts_with("cam-") && file.suggested_filename.ends_with("Z.zip"),
        "{}",
        file.suggested_filename
    );
    let unpacked = tempfile::tempdir().expect("unpacked");
    let names = std::process::Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.testzip(); \
             z.extractall(sys.argv[2]); print(' '.join(z.namelist()))",
        ])
        .arg(&file.path)
        .arg(unpacked.path())
        .output()
        .expect("python3");
    assert!(
        names.status.success(),
        "{}",
        String::from_utf8_lossy(&names.stderr)
    );
    let names = String::from_utf8_lossy(&names.stdout).trim().to_string();
    let mp4 = file.suggested_filename.replace(".zip", ".mp4");
    assert_eq!(
        names,
        format!("{mp4} {mp4}.manifest.json"),
        "the ZIP's entries"
    );
    let video = unpacked.path().join(&mp4);
    let probe = ffprobe(video.to_str().expect("utf-8"));
    assert_eq!(probe.codec, "h264");
    assert!(probe.duration_s > 0.5, "{:.2} s", probe.duration_s);
    // (The favicon is not this page's: the app's icons come with the web-app manifest.)
    let errors: Vec<String> = page
        .console_errors()
        .into_iter()
        .filter(|e| !e.contains("favicon"))
        .collect();
    assert!(errors.is_empty(), "no console errors: {errors:?}");

    // A phone: one column, no sideways scrolling.
    page.set_viewport(375, 812, true, 2.0).expect("phone");
    page.wait_for("innerWidth === 375", WAIT)
        .expect("phone width");
    let layout = page
        .eval(
            "[document.documentElement.scrollWidth,
              getComputedStyle(document.querySelector('.events-list'))
                .gridTemplateColumns.split(' ').length]",
        )
        .expect("layout");
    assert_eq!(layout, serde_json::json!([375, 1]), "one column at 375 px");
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        let path = PathBuf::from(docs).join("web-events-phone.png");
        page.screenshot_png(&path).expect("screenshot");
    }
    drop((page, chromium));
    run.finish();
}
