//! In Chromium the admin adds a camera through the form and sees its tile in the live grid,
//! while a viewer has no admin link.

use super::*;

const PHONE: (u32, u32, f64) = (375, 812, 2.0);

#[test]
fn in_chromium_an_admin_adds_a_camera_and_sees_its_tile_and_a_viewer_has_no_admin_link() {
    let server = RtspServer::start(&[]);
    let run = WebRun::start(&["--web", "127.0.0.1:0"]);
    let (chromium, page) = signed_in_chromium(
        &run,
        ("root", "admin", "admin pass 1"),
        LaunchOptions::default(),
    );
    let wait = |js: &str, what: &str| {
        page.wait_for(js, WAIT)
            .unwrap_or_else(|e| panic!("{what}: {e}{}", seen(&page)))
    };
    wait(
        "document.getElementById('nav-admin').hidden === false",
        "the admin sees the admin link",
    );
    page.eval("location.hash = '#/admin'; true")
        .expect("to #/admin");
    wait(
        "!!document.querySelector('#admin-cameras [data-camera=\"cam\"]')",
        "the demo camera's card",
    );
    page.eval("document.getElementById('cam-new').click(); true")
        .expect("the add button");
    wait("!!document.getElementById('cam-form')", "the form opens");
    let fill = format!(
        "document.getElementById('cam-name').value = 'door';
         document.getElementById('cam-url').value = {};
         document.getElementById('cam-test').click(); true",
        serde_json::Value::from(server.url("h264"))
    );
    page.eval(&fill).expect("the form's fields");
    let said = wait(
        "document.getElementById('cam-test-result')?.textContent.startsWith('Works') \
         && document.getElementById('cam-test-result').textContent",
        "the connection test's answer",
    );
    assert!(said.as_str().is_some_and(|s| s.contains("h264")), "{said}");
    page.eval("document.getElementById('cam-save').click(); true")
        .expect("save");
    wait(
        "!!document.querySelector('#admin-cameras [data-camera=\"door\"]')",
        "the new camera's card",
    );
    phone_screenshot(&page);

    page.eval("location.hash = '#/live'; true")
        .expect("to #/live");
    wait(
        "!!document.querySelector('.live-tile[data-camera=\"door\"]')",
        "the new camera's tile in the live grid",
    );
    let errors = page.console_errors();
    assert!(
        !errors.iter().any(|e| e.contains("Content Security Policy")),
        "{errors:?}"
    );

    // A viewer: no admin link, and the page says why when opened by address.
    run.add_user("ann", "viewer", "viewer pass 1");
    page.eval("document.getElementById('logout').click(); true")
        .expect("sign out");
    wait(
        "location.pathname === '/login' && !!document.querySelector('form')",
        "signed out",
    );
    submit_login(&page, "ann", "viewer pass 1");
    wait(
        "location.pathname === '/' && document.getElementById('who')?.textContent === 'ann (viewer)'",
        "signed in as the viewer",
    );
    assert_eq!(
        page.eval("document.getElementById('nav-admin').hidden")
            .expect("nav"),
        true
    );
    page.eval("location.hash = '#/admin'; true")
        .expect("to #/admin");
    let said = wait(
        "document.getElementById('problem').textContent",
        "a sentence for the viewer",
    );
    assert!(
        said.as_str().is_some_and(|s| s.contains("Only admins")),
        "{said}"
    );
    drop((page, chromium));
    run.finish();
}

/// The admin page on a 375-px phone: it must not scroll sideways; saved as
/// `web-admin-phone.png` (copied to `VIGIL_SCREENSHOT_DIR` when set: docs/screenshots).
fn phone_screenshot(page: &Page) {
    page.set_viewport(PHONE.0, PHONE.1, true, PHONE.2)
        .expect("phone viewport");
    page.wait_for("innerWidth === 375", WAIT)
        .expect("the phone's width applies");
    let width = page
        .eval("document.documentElement.scrollWidth")
        .expect("width")
        .as_i64()
        .unwrap_or(i64::MAX);
    assert!(
        width <= 375,
        "the admin page scrolls sideways on a phone: {width} px{}",
        seen(page)
    );
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let path = dir.join("web-admin-phone.png");
    page.screenshot_png(&path).expect("screenshot");
    if let Ok(docs) = std::env::var("VIGIL_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&docs).expect("screenshot dir");
        std::fs::copy(
            &path,
            std::path::Path::new(&docs).join("web-admin-phone.png"),
        )
        .expect("copy");
    }
    page.set_viewport(1280, 800, false, 1.0)
        .expect("desktop viewport");
}
