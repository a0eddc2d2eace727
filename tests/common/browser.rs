//! A real headless Chromium or Firefox (`vigil_bench::browser`) signed in to a running
//! [`WebRun`] through its login form, and what the page shows for a failure message.

use std::time::Duration;

use vigil_bench::browser::{Chromium, Firefox, FirefoxPage, LaunchOptions, Page, Tab};

use super::web::WebRun;

const WAIT: Duration = Duration::from_secs(30);

/// Where the page is and what it shows, for a failure message.
pub fn seen(page: &impl Tab) -> String {
    let state = page
        .eval("location.href + '\\n' + document.body.innerText")
        .unwrap_or_default();
    format!(
        "\nthe page: {}\nconsole errors: {:?}",
        state.as_str().unwrap_or(""),
        page.console_errors()
    )
}

/// Fills the login form and submits it the way the button does.
pub fn submit_login(page: &impl Tab, name: &str, password: &str) {
    let js = format!(
        "document.getElementById('name').value = {};
         document.getElementById('password').value = {};
         document.querySelector('form').requestSubmit(); true",
        serde_json::Value::from(name),
        serde_json::Value::from(password)
    );
    page.eval(&js).expect("the login form is there");
}

/// Makes the account `name` with `role` and `password` (`vigil user add`), launches Chromium
/// with `options` (ignoring the self-signed certificate), opens /login, signs in through the
/// form and waits for the app shell naming the user (`#who`).
pub fn signed_in_chromium(
    run: &WebRun,
    (name, role, password): (&str, &str, &str),
    options: LaunchOptions,
) -> (Chromium, Page) {
    run.add_user(name, role, password);
    let chromium = Chromium::launch(&LaunchOptions {
        ignore_certificate_errors: true,
        ..options
    })
    .expect("chromium starts (installed by make test)");
    let page = chromium
        .open(&format!("{}/login", run.url))
        .expect("the login page opens");
    sign_in_through_form(&page, name, password);
    (chromium, page)
}

/// The same in Firefox (`firefox-esr`, driven over WebDriver BiDi).
pub fn signed_in_firefox(
    run: &WebRun,
    (name, role, password): (&str, &str, &str),
    options: LaunchOptions,
) -> (Firefox, FirefoxPage) {
    run.add_user(name, role, password);
    let firefox = Firefox::launch(&LaunchOptions {
        ignore_certificate_errors: true,
        ..options
    })
    .expect("firefox-esr starts (installed by packaging/install-deps.sh)");
    let page = firefox
        .open(&format!("{}/login", run.url))
        .expect("the login page opens");
    sign_in_through_form(&page, name, password);
    (firefox, page)
}

/// On the login page: waits for the form, submits it and waits for the app shell naming the
/// user (`#who`).
fn sign_in_through_form(page: &impl Tab, name: &str, password: &str) {
    page.wait_for(
        "location.pathname === '/login' && !!document.querySelector('form')",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("the login page in {}: {e}{}", page.browser(), seen(page)));
    submit_login(page, name, password);
    page.wait_for(
        "location.pathname === '/' && !!document.getElementById('who')?.textContent",
        WAIT,
    )
    .unwrap_or_else(|e| {
        panic!(
            "signed in as {name} in {}: {e}{}",
            page.browser(),
            seen(page)
        )
    });
}

/// Opens `url` in a headless Chromium driven over DevTools, in real time (not the virtual
/// clock of `--dump-dom`, which can run out before a loaded machine decodes anything), and
/// waits up to `timeout` for the page to set its title to anything but `pending`; returns it.
pub fn title_once_settled(url: &str, timeout: Duration) -> String {
    let chromium = Chromium::launch(&LaunchOptions::default())
        .expect("chromium starts (installed by make test)");
    let page = chromium.open(url).expect("the page opens");
    let settled = page.wait_for("document.title !== 'pending' && document.title", timeout);
    match settled {
        Ok(title) => title.as_str().unwrap_or("").to_string(),
        Err(e) => format!("pending after {timeout:?} ({e}){}", seen(&page)),
    }
}
