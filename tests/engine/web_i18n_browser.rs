//! The web viewer in Korean, in a real headless Chromium against the real `vigil run --web`
//! recording the demo camera: a browser that asks for Korean (Accept-Language and
//! `navigator.languages` ko-KR over the DevTools protocol, Seoul's time zone) gets the login
//! page and the live grid in Korean words (`<html lang="ko">`, dates as
//! `2026년 12월 4일 (금) 오후 3:05`), fitting a 375-px phone (a screenshot is saved, copied to
//! `VIGIL_SCREENSHOT_DIR` by `make screenshot`); choosing English in the language menu turns
//! the page English and the choice stays for the login page.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use vigil_bench::browser::{Chromium, LaunchOptions, Page};

use crate::common::browser::{seen, submit_login};
use crate::common::web::WebRun;

const WAIT: Duration = Duration::from_secs(30);
const PHONE: (u32, u32, f64) = (375, 812, 2.0);

/// A tab whose browser asks for Korean (header, `navigator.languages`, `Intl`) in Seoul.
fn korean_tab(chromium: &Chromium) -> Page {
    let page = chromium.open("about:blank").expect("a tab");
    let agent = page.eval("navigator.userAgent").expect("user agent");
    page.call(
        "Emulation.setUserAgentOverride",
        json!({"userAgent": agent, "acceptLanguage": "ko-KR,ko;q=0.9"}),
    )
    .expect("Accept-Language ko");
    page.call("Emulation.setLocaleOverride", json!({"locale": "ko-KR"}))
        .expect("locale ko-KR");
    page.call(
        "Emulation.setTimezoneOverride",
        json!({"timezoneId": "Asia/Seoul"}),
    )
    .expect("Seoul time");
    page
}

/// The text of the first element matching `selector` (empty when there is none).
fn text(page: &Page, selector: &str) -> String {
    let js = format!(
        "document.querySelector({})?.textContent ?? ''",
        serde_json::Value::from(selector)
    );
    page.eval(&js)
        .expect("text")
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// The page's width in CSS pixels on the phone (more than 375: it scrolls sideways).
fn phone_width(page: &Page) -> i64 {
    page.set_viewport(PHONE.0, PHONE.1, true, PHONE.2)
        .expect("phone viewport");
    page.wait_for("innerWidth === 375", WAIT)
        .expect("the phone's width applies");
    page.eval("document.documentElement.scrollWidth")
        .expect("width")
        .as_i64()
        .unwrap_or(i64::MAX)
}

fn save_screenshot(page: &Page, name: &str) {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("screenshots")
        .join(format!("{name}.png"));
    page.screenshot_png(&path).expect("screenshot");
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(&path, PathBuf::from(docs).join(format!("{name}.png"))).expect("copy");
    }
}

#[test]
fn a_korean_browser_gets_the_viewer_in_korean_and_the_menu_switches_to_english() {
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    run.add_user("min", "operator", "correct horse 42");
    let chromium = Chromium::launch(&LaunchOptions {
        ignore_certificate_errors: true,
        ..LaunchOptions::default()
    })
    .expect("chromium starts (installed by make test)");
    let page = korean_tab(&chromium);
    page.goto(&format!("{}/login", run.url))
        .expect("login page");

    // The login page, in Korean before anyone signs in.
    page.wait_for(
        "document.documentElement.lang === 'ko' && \
         document.querySelector('button[type=submit]').textContent === '로그인'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the login page in Korean: {e}{}", seen(&page)));
    assert_eq!(text(&page, ".lead"), "로그인하여 카메라를 확인하세요.");
    assert_eq!(text(&page, "label[for=password]"), "비밀번호");
    assert_eq!(
        page.eval("document.title").expect("title"),
        "Vigil — 로그인"
    );
    assert_eq!(
        page.eval("document.getElementById('lang').value").unwrap(),
        "ko"
    );
    assert!(
        phone_width(&page) <= 375,
        "the Korean login page fits a phone"
    );

    // The server's refusal of a wrong password, in the page's words.
    submit_login(&page, "min", "not the password");
    page.wait_for(
        "document.querySelector('p.error')?.textContent === '사용자 이름 또는 비밀번호가 올바르지 않습니다'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("a wrong password, in Korean: {e}{}", seen(&page)));

    // The live grid after signing in: the shell, the role and the camera's tile in Korean.
    submit_login(&page, "min", "correct horse 42");
    page.wait_for(
        "location.pathname === '/' && document.getElementById('who')?.textContent === 'min (운영자)'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("signed in, in Korean: {e}{}", seen(&page)));
    assert_eq!(text(&page, "a[data-view=live]"), "라이브");
    assert_eq!(text(&page, "a[data-view=events]"), "이벤트");
    assert_eq!(text(&page, "#logout"), "로그아웃");
    // The demo camera records: its tile says so in Korean.
    page.wait_for(
        "document.querySelector('.live-tile .live-badge.rec')?.textContent === '● 녹화'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the tile's badge in Korean: {e}{}", seen(&page)));
    let when = page
        .eval(
            "import('/static/app.js').then((m) => m.localTime(Date.UTC(2026, 11, 4, 6, 5, 7) * 1000))",
        )
        .expect("a date");
    assert_eq!(
        when, "2026년 12월 4일 (금) 오후 3:05:07",
        "a Korean date in Seoul"
    );
    // (The wrong password's page came with a 401: that one is expected.)
    let errors: Vec<_> = page
        .console_errors()
        .into_iter()
        .filter(|e| !e.contains("status of 401"))
        .collect();
    assert!(errors.is_empty(), "no console errors: {errors:?}");
    assert!(
        phone_width(&page) <= 375,
        "the Korean live grid fits a phone"
    );
    let _ = page.wait_for(
        "document.querySelector('video')?.currentTime > 0",
        Duration::from_secs(10),
    );
    save_screenshot(&page, "web-phone-ko");

    // The language menu: English, at once, and kept for the login page.
    page.eval(
        "const s = document.getElementById('lang'); s.value = 'en'; \
         s.dispatchEvent(new Event('change')); true",
    )
    .expect("the language menu");
    page.wait_for(
        "document.documentElement.lang === 'en' && \
         document.querySelector('a[data-view=live]')?.textContent === 'Live' && \
         document.getElementById('who')?.textContent === 'min (operator)'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("English after the menu: {e}{}", seen(&page)));
    page.wait_for(
        "document.querySelector('.live-tile .live-badge.rec')?.textContent === '● REC'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the tile in English: {e}{}", seen(&page)));
    page.goto(&format!("{}/login", run.url))
        .expect("login page");
    page.wait_for(
        "document.querySelector('button[type=submit]').textContent === 'Sign in' && \
         document.documentElement.lang === 'en'",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the login page stays English: {e}{}", seen(&page)));
    drop((page, chromium));
    run.finish();
}
