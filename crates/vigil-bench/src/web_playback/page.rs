//! The camera page in headless Chromium: signed in once, then for each instant the address
//! `#/camera/NAME?at=US` is set and the time until the frame at that instant is shown is
//! measured in the page (the page loads the day's timeline, asks for the stream, appends it
//! and seeks to the instant).

use std::time::Duration;

use crate::browser::{Chromium, LaunchOptions};

/// ms from setting each address to its frame shown.
pub fn first_frames(
    url: &str,
    user: &str,
    password: &str,
    targets: &[(String, i64)],
) -> Result<Vec<f64>, String> {
    let fail = |e: crate::browser::BrowserError| e.to_string();
    let chromium = Chromium::launch(&LaunchOptions::default()).map_err(fail)?;
    let page = chromium.open(&format!("{url}/login")).map_err(fail)?;
    let signed = page
        .eval(&format!(
            "fetch('/login', {{method: 'POST', body: new URLSearchParams({{name: {user:?}, \
             password: {password:?}}})}}).then(r => r.ok)"
        ))
        .map_err(fail)?;
    if signed != true {
        return Err("Chromium could not sign in".into());
    }
    let Some((first, _)) = targets.first() else {
        return Ok(Vec::new());
    };
    page.goto(&format!("{url}/#/camera/{first}"))
        .map_err(fail)?;
    page.wait_for(
        "!!document.querySelector('.camera-track')",
        Duration::from_secs(20),
    )
    .map_err(fail)?;
    let mut out = Vec::with_capacity(targets.len());
    for (camera, at) in targets {
        let js = format!(
            "new Promise((resolve, reject) => {{ \
               const old = document.querySelector('video.camera-video'); if (old) old.remove(); \
               const t0 = performance.now(); \
               location.hash = '#/camera/{camera}?at={at}'; \
               const check = () => {{ \
                 const v = document.querySelector('video.camera-video'); \
                 if (v && v.readyState >= 2 && !v.seeking && \
                     Math.abs(Number(v.dataset.wallUs) - {at}) < 200000) \
                   return resolve(performance.now() - t0); \
                 if (performance.now() - t0 > 20000) {{ \
                   const n = document.querySelector('.camera-note'); \
                   return reject(new Error('no frame: ' + (n && n.textContent))); }} \
                 setTimeout(check, 2); }}; \
               check(); }})"
        );
        let ms = page.eval(&js).map_err(fail)?;
        out.push(ms.as_f64().ok_or("the page answered no time")?);
    }
    Ok(out)
}
