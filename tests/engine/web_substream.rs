//! Sub-streams in the web viewer, through the real `vigil run --web` and the RTSP simulator
//! (main streams `/h264` or `/h265`, sub-stream `/sub`, H.264 320×180): `/api/cameras` gives
//! each camera's sub-stream, the live socket with `?stream=sub` sends it (avc1, fragments
//! ffprobe decodes at 320×180), `?stream=sub` of a camera without one is 404 and
//! `?stream=bogus` 400, each with a sentence; and in headless Chromium an H.265 camera with
//! an H.264 sub-stream plays it (marked SD), an H.264 camera's tile plays its sub-stream
//! when small and its main stream when big (switching without a black frame; in between it
//! keeps its stream), and an H.265 camera without a sub-stream still says why it cannot play.

use std::net::TcpStream;
use std::time::Duration;

use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::HandshakeError;
use tungstenite::http::HeaderValue;
use tungstenite::WebSocket;
use vigil_bench::browser::{LaunchOptions, Page};

use crate::common::browser::{seen, signed_in_chromium};
use crate::common::web::{body_of, WebRun};
use crate::common::{self, wait_until, RtspServer, Vigil};
use crate::web_live::{cameras, next, read_init, sign_in, Live, PASSWORD, WEB};

const WAIT: Duration = Duration::from_secs(30);

/// `vigil run --web` over plain HTTP with the demo camera `cam` and `more` cameras
/// (name, main URL, detect sub-stream URL).
fn start(more: &[(&str, &str, Option<&str>)]) -> WebRun {
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    vigil.add_demo_camera("cam", &["--segment-seconds", "2"]);
    for (name, url, sub) in more {
        let mut args = vec!["camera", "add", "--name", name, "--url", url];
        args.extend(["--segment-seconds", "2"]);
        if let Some(sub) = sub {
            args.extend(["--detect-url", sub]);
        }
        vigil.ok(&args);
    }
    WebRun::start_in(dir, WEB)
}

/// Opens `/api/cameras/{camera}/live?{query}` (`Err(status)` when refused).
fn open(
    run: &WebRun,
    camera: &str,
    query: &str,
    cookie: &str,
) -> Result<WebSocket<TcpStream>, u16> {
    let stream = TcpStream::connect(run.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let url = format!("ws://{}/api/cameras/{camera}/live?{query}", run.addr());
    let mut req = url.into_client_request().expect("request");
    let origin = format!("http://{}", run.addr());
    let headers = req.headers_mut();
    headers.insert("cookie", HeaderValue::from_str(cookie).expect("cookie"));
    headers.insert("origin", HeaderValue::from_str(&origin).expect("origin"));
    match tungstenite::client(req, stream) {
        Ok((ws, _)) => Ok(ws),
        Err(HandshakeError::Failure(tungstenite::Error::Http(resp))) => Err(resp.status().as_u16()),
        Err(e) => panic!("the WebSocket handshake failed: {e}"),
    }
}

/// `/api/cameras`' entry for `name`.
fn camera(list: &serde_json::Value, name: &str) -> serde_json::Value {
    list["cameras"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == name))
        .cloned()
        .unwrap_or_else(|| panic!("{name} in {list}"))
}

#[test]
fn the_live_socket_sends_a_cameras_sub_stream_and_refuses_in_sentences() {
    let rtsp = RtspServer::start(&[]);
    let (main, sub) = (rtsp.url("h264"), rtsp.url("sub"));
    let run = start(&[("lane", &main, Some(&sub))]);
    let cookie = sign_in(&run);
    let mut list = serde_json::Value::Null;
    assert!(
        wait_until(WAIT, || {
            list = cameras(&run, &cookie);
            camera(&list, "lane")["sub"]["online"] == true
        }),
        "lane's sub-stream is listed online: {list}"
    );
    let lane = camera(&list, "lane");
    assert_eq!(
        lane["sub"],
        serde_json::json!({"codec": "h264", "width": 320, "height": 180, "online": true})
    );
    assert_eq!(
        (lane["width"].as_u64(), lane["height"].as_u64()),
        (Some(640), Some(360))
    );
    assert!(camera(&list, "cam")["sub"].is_null(), "{list}");
    assert!(!list.to_string().contains("rtsp"), "no URL: {list}");

    // The sub-stream over the socket: an avc1 init, then fragments that decode at 320×180.
    let mut ws = open(&run, "lane", "stream=sub", &cookie).expect("upgrade");
    let (mime, mut bytes) = read_init(&mut ws);
    assert!(mime.starts_with("video/mp4; codecs=\"avc1."), "{mime}");
    let mut frames = 0u64;
    while frames < 20 {
        match next(&mut ws) {
            Live::Binary { kind: 1, data, .. } => {
                bytes.extend_from_slice(&data);
                frames += 1;
            }
            other => panic!("fragments while the sub-stream runs: {other:?}"),
        }
    }
    drop(ws);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sub.mp4");
    std::fs::write(&path, &bytes).expect("write");
    let probe = common::ffprobe(&path.to_string_lossy());
    assert_eq!(probe.codec, "h264");
    assert_eq!((probe.width, probe.height), (320, 180));
    assert_eq!(probe.frames, frames, "every fragment decodes to a frame");

    // `stream=main` is the main stream, as without a query.
    let mut ws = open(&run, "lane", "stream=main", &cookie).expect("upgrade");
    let (_, init) = read_init(&mut ws);
    let path = dir.path().join("main-init.mp4");
    std::fs::write(&path, &init).expect("write");
    let probe = common::ffprobe(&path.to_string_lossy());
    assert_eq!((probe.width, probe.height), (640, 360));
    drop(ws);

    // Refusals: a sentence each, before any upgrade.
    let get = ["-H".to_string(), format!("Cookie: {cookie}")];
    let (status, text) = run.curl_with("/api/cameras/cam/live?stream=sub", &get);
    assert_eq!(status, 404, "{text}");
    assert!(
        body_of(&text).contains("camera 'cam' has no sub-stream"),
        "{text}"
    );
    assert_eq!(open(&run, "cam", "stream=sub", &cookie).err(), Some(404));
    let (status, text) = run.curl_with("/api/cameras/lane/live?stream=bogus", &get);
    assert_eq!(status, 400, "{text}");
    assert!(
        body_of(&text).contains("stream must be main") && body_of(&text).contains("not 'bogus'"),
        "{text}"
    );
    let (status, text) = run.curl_with("/api/cameras/nope/live?stream=sub", &get);
    assert_eq!(status, 404, "{text}");
    assert!(
        body_of(&text).contains("no running camera named 'nope'"),
        "{text}"
    );
    let (status, _) = run.curl("/api/cameras/lane/live?stream=sub", &[]);
    assert_eq!(status, 401, "a session is needed");
    run.finish();
}

/// The tile of `camera`.
fn tile(camera: &str) -> String {
    format!("document.querySelector('.live-tile[data-camera=\"{camera}\"]')")
}

/// Waits until `camera`'s tile shows `stream` (`main` or `sub`) and plays it: its video
/// time advances and its frame is `width` wide and not black. Answers the frame's luma.
fn wait_playing(page: &Page, camera: &str, stream: &str, width: u32) -> f64 {
    let t = tile(camera);
    let video = format!("{t}?.querySelector('video.live-current')");
    page.wait_for(
        &format!("{t}?.dataset.stream === '{stream}' && {video}?.currentTime > 0.3"),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{camera} plays its {stream} stream: {e}{}", seen(page)));
    let t0 = page
        .eval(&format!("{video}.currentTime"))
        .expect("time")
        .as_f64()
        .unwrap_or(0.0);
    page.wait_for(&format!("{video}.currentTime > {t0} + 0.5"), WAIT)
        .unwrap_or_else(|e| panic!("{camera}'s video time advances: {e}{}", seen(page)));
    let shown = page
        .eval(&format!("{video}.videoWidth"))
        .expect("width")
        .as_u64();
    assert_eq!(shown, Some(u64::from(width)), "{camera}'s {stream} stream");
    let luma = page
        .eval(&format!(
            "(() => {{
                const v = {video};
                const c = document.createElement('canvas');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const g = c.getContext('2d');
                g.drawImage(v, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data;
                let sum = 0;
                for (let i = 0; i < d.length; i += 4) sum += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
                return sum / (d.length / 4);
            }})()"
        ))
        .expect("draw")
        .as_f64()
        .unwrap_or(0.0);
    assert!(luma > 20.0, "{camera}'s frame is not black: {luma}");
    luma
}

/// Whether `camera`'s tile shows the SD marker, and its title.
fn sd_marker(page: &Page, camera: &str) -> (bool, String) {
    let sd = page
        .eval(&format!(
            "(() => {{ const m = {}.querySelector('.live-sd'); return [!m.hidden, m.title]; }})()",
            tile(camera)
        ))
        .expect("marker");
    (
        sd[0].as_bool().unwrap_or(false),
        sd[1].as_str().unwrap_or("").to_string(),
    )
}

/// Sets a 1280-px viewport (three columns: `lane`'s tile between 1.2 × and 1.5 × the
/// sub-stream's 320 px) and checks, once the layout and its resize callbacks have run, that
/// the tile still shows `stream` with no switch under way.
fn in_band_keeps(page: &Page, stream: &str) {
    page.set_viewport(1280, 900, false, 1.0)
        .expect("three columns");
    let t = tile("lane");
    page.wait_for(
        &format!("{t}.querySelector('.live-screen').clientWidth > 400"),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("three columns: {e}{}", seen(page)));
    let px = device_px(page, "lane");
    assert!((1.2 * 320.0..=1.5 * 320.0).contains(&px), "{px}");
    // Resize observers run before the next frame is painted: two frames later they have.
    let kept = page
        .eval(&format!(
            "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
               done([{t}.dataset.stream, {t}.querySelectorAll('video').length]))))"
        ))
        .expect("after two frames");
    assert_eq!(kept, serde_json::json!([stream, 1]), "at {px} px");
}

/// The tile's width in device pixels.
fn device_px(page: &Page, camera: &str) -> f64 {
    page.eval(&format!(
        "{}.querySelector('.live-screen').clientWidth * devicePixelRatio",
        tile(camera)
    ))
    .expect("width")
    .as_f64()
    .unwrap_or(0.0)
}

#[test]
fn live_tiles_play_sub_streams_when_small_or_when_the_main_cannot_play() {
    // Colour bars (the ball scene is nearly all black, too dark to tell from no picture).
    let rtsp = RtspServer::start(&["--scene", "smpte"]);
    let (h264, h265, sub) = (rtsp.url("h264"), rtsp.url("h265"), rtsp.url("sub"));
    let run = start(&[
        ("lane", &h264, Some(&sub)),
        ("hevsub", &h265, Some(&sub)),
        ("hevc", &h265, None),
    ]);
    // Two columns of tiles about 330 px wide: small next to the sub-stream's 320 px.
    let small = LaunchOptions {
        width: 700,
        height: 900,
        ..LaunchOptions::default()
    };
    let (chromium, page) = signed_in_chromium(&run, ("vera", "viewer", PASSWORD), small);

    // H.265 main (Chromium cannot play it) with an H.264 sub-stream: the sub-stream, SD.
    let y = wait_playing(&page, "hevsub", "sub", 320);
    eprintln!("hevsub plays its sub-stream, luma {y:.1}");
    assert_eq!(
        sd_marker(&page, "hevsub"),
        (true, "sub-stream 320×180".to_string())
    );
    // H.265 without a sub-stream: the sentence, as before.
    let note = page
        .wait_for(
            &format!(
                "(() => {{ const n = {}.querySelector('.live-note');
                  return n && !n.hidden && n.textContent.includes('H.265') ? n.textContent : false; }})()",
                tile("hevc")
            ),
            WAIT,
        )
        .unwrap_or_else(|e| panic!("the H.265 tile explains itself: {e}{}", seen(&page)));
    eprintln!("hevc says: {note}");

    // A small tile of an H.264 camera: its sub-stream.
    let px = device_px(&page, "lane");
    eprintln!("lane's tile is {px} device px wide");
    assert!(px < 1.2 * 320.0, "{px}");
    wait_playing(&page, "lane", "sub", 320);
    assert!(sd_marker(&page, "lane").0, "marked SD");

    // One column: a big tile plays the main stream, the old picture shown until then.
    page.eval(&format!(
        "window.blankFrames = 0; window.lookedAt = 0; window.sampling = true;
         (function look() {{
           const v = {}.querySelector('video.live-current');
           window.lookedAt += 1;
           if (!v || v.readyState < 2) window.blankFrames += 1;
           if (window.sampling) requestAnimationFrame(look);
         }})(); true",
        tile("lane")
    ))
    .expect("watch for blank frames");
    page.set_viewport(690, 900, false, 1.0).expect("one column");
    wait_playing(&page, "lane", "main", 640);
    let px = device_px(&page, "lane");
    eprintln!("lane's tile is {px} device px wide");
    assert!(px > 1.5 * 320.0, "{px}");
    let seen_frames = page
        .eval("window.sampling = false; [window.lookedAt, window.blankFrames]")
        .expect("blank frames");
    eprintln!("[frames looked at, frames without a picture] while switching: {seen_frames}");
    assert!(seen_frames[0].as_u64() > Some(10), "{seen_frames}");
    assert_eq!(
        seen_frames[1], 0,
        "no frame without a picture while switching"
    );
    assert!(
        !sd_marker(&page, "lane").0,
        "no SD marker on the main stream"
    );
    // An H.265 main stays unplayable however big the tile: still the sub-stream.
    wait_playing(&page, "hevsub", "sub", 320);

    // Hysteresis: a tile between 1.2 × and 1.5 × the sub-stream's width keeps its stream.
    in_band_keeps(&page, "main");
    // Back to two columns: the sub-stream again, kept in the band too.
    page.set_viewport(700, 900, false, 1.0)
        .expect("two columns");
    wait_playing(&page, "lane", "sub", 320);
    in_band_keeps(&page, "sub");

    // The choice itself: never a stream the browser cannot play when the other can.
    let picks = page
        .eval(
            "import('/static/live-stream.js').then(({ chooseStream }) => {
               const none = { main: false, sub: false };
               const sub = (codec) => ({ codec, width: 320, height: 180, online: true });
               return [
                 chooseStream({ codec: 'h264', sub: sub('hevc') }, 100, null, none),
                 chooseStream({ codec: 'hevc', sub: sub('h264') }, 4000, null, none),
                 chooseStream({ codec: 'h264', sub: { ...sub('h264'), online: false } }, 100, null, none),
                 chooseStream({ codec: 'h264', sub: null }, 100, null, none),
                 chooseStream({ codec: 'h264', sub: sub('h264') }, 100, null, { main: false, sub: true }),
               ];
             })",
        )
        .expect("live-stream.js");
    assert_eq!(
        picks,
        serde_json::json!(["main", "sub", "main", "main", "main"]),
        "unplayable sub; unplayable main; sub offline; no sub; sub refused"
    );
    let errors = page.console_errors();
    assert!(
        !errors.iter().any(|e| e.contains("Content Security Policy")),
        "{errors:?}"
    );
    drop((page, chromium));
    run.finish();
}
