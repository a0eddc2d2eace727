//! `vigil camera discover` against real WS-Discovery responders (tests/support/ws_discovery.py)
//! over real multicast, inside a network namespace whose only interface is loopback with
//! multicast on (`unshare -rn`; multicast does not reach a host's ordinary loopback); and the
//! ONVIF flags of `camera add`, `camera edit` and `camera list`.

use std::path::Path;
use std::process::Command;

use crate::common::Vigil;

/// The namespace's loopback, ready for multicast, then `then` (a shell command). Starts each responder of
/// `responders` (arguments of ws_discovery.py) in the background, logging to `r<i>.out` in
/// `work`, and waits (at most 10 s) for every one to print READY before `then` runs; every
/// background process is killed when the script ends, however it ends.
fn in_namespace(work: &Path, responders: &[Vec<String>], then: &str) -> std::process::Output {
    for program in ["unshare", "ip"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {program}")])
            .output()
            .expect("run sh");
        assert!(
            found.status.success(),
            "this test needs `{program}` (packages util-linux and iproute2): it runs discovery \
             inside a network namespace"
        );
    }
    let script_py = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/ws_discovery.py");
    let mut script = String::from(
        "pids=\ntrap 'kill $pids 2>/dev/null' EXIT\n\
         ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo \
         || exit 96\n",
    );
    for (i, args) in responders.iter().enumerate() {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        script += &format!(
            "/usr/bin/python3 '{}' {} > '{}/r{i}.out' 2>&1 &\npids=\"$pids $!\"\n",
            script_py.display(),
            quoted.join(" "),
            work.display()
        );
    }
    // Wait for the READY lines with a deadline (100 × 0.1 s), then run the command.
    script += &format!(
        "n=0\nuntil [ \"$(cat '{w}'/r*.out 2>/dev/null | grep -c '^READY$')\" = {count} ]; do\n\
         n=$((n+1)); [ $n -le 100 ] || {{ echo 'responders not READY within 10 s' >&2; cat '{w}'/r*.out >&2; exit 97; }}\n\
         sleep 0.1\ndone\n{then}\n",
        w = work.display(),
        count = responders.len(),
    );
    let out = Command::new("unshare")
        .args(["-rn", "sh", "-c", &script])
        .env("VIGIL", env!("CARGO_BIN_EXE_vigil"))
        .env("DATA", work)
        .output()
        .expect("run unshare");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("unshare failed") && !stderr.contains("Operation not permitted"),
        "cannot make a network namespace (`unshare -rn`): user namespaces are refused on this \
         machine (run the tests as root, or allow unprivileged user namespaces): {stderr}"
    );
    out
}

fn responder(xaddr: &str, scopes: &[&str], extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--xaddr".to_string(), xaddr.to_string()];
    for s in scopes {
        args.extend(["--scope".to_string(), s.to_string()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn discover_lists_the_camera_answering_and_ignores_a_foreign_answer() {
    let work = tempfile::tempdir().expect("temp dir");
    let camera = responder(
        "http://127.0.0.1:8081/onvif/device_service",
        &[
            "onvif://www.onvif.org/type/video_encoder",
            "onvif://www.onvif.org/name/Front%20Door",
            "onvif://www.onvif.org/hardware/VS-100%2FB",
            "onvif://www.onvif.org/location/city/Paris",
        ],
        &[
            "--endpoint",
            "urn:uuid:5f1a7c38-0d4e-4b1e-9d6c-3f0a2b7e4c11",
        ],
    );
    let foreign = responder(
        "http://127.0.0.2/onvif/device_service",
        &["onvif://www.onvif.org/name/Wrong"],
        &["--wrong-relates-to"],
    );
    let out = in_namespace(
        work.path(),
        &[camera, foreign],
        r#""$VIGIL" --data-dir "$DATA" camera discover --json --timeout 2s"#,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "discover failed: {stderr}\n{stdout}");
    let listed: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON array");
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), 1, "only the camera is listed: {stdout}");
    let cam = &listed[0];
    assert_eq!(
        cam["endpoint"],
        "urn:uuid:5f1a7c38-0d4e-4b1e-9d6c-3f0a2b7e4c11"
    );
    assert_eq!(
        cam["xaddrs"],
        serde_json::json!(["http://127.0.0.1:8081/onvif/device_service"])
    );
    assert_eq!(
        cam["device_url"],
        "http://127.0.0.1:8081/onvif/device_service"
    );
    assert_eq!(cam["name"], "Front Door");
    assert_eq!(cam["hardware"], "VS-100/B");
    assert_eq!(cam["location"], "city/Paris");
    assert_eq!(cam["host"], "127.0.0.1");
    assert_eq!(cam["onvif_port"], 8081);
    assert_eq!(cam["suggested_name"], "Front-Door");
    // Without a login nothing is asked.
    assert!(cam["main_url"].is_null() && cam["add_command"].is_null());
    // The foreign responder did answer (twice: the probe is sent twice), and was ignored.
    let foreign_log = std::fs::read_to_string(work.path().join("r1.out")).expect("r1.out");
    assert!(
        foreign_log.matches("ANSWERED").count() >= 1,
        "the wrong-RelatesTo responder answered: {foreign_log}"
    );
    assert!(!stdout.contains("Wrong") && !stdout.contains("127.0.0.2"));
}

#[test]
fn discover_says_why_when_nothing_answers() {
    let work = tempfile::tempdir().expect("temp dir");
    let out = in_namespace(
        work.path(),
        &[],
        r#""$VIGIL" --data-dir "$DATA" camera discover --timeout 1s"#,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("No ONVIF camera answered within 1 s")
            && stdout.contains("another subnet")
            && stdout.contains("multicast"),
        "a sentence naming the timeout and the likely causes: {stdout}"
    );
}

/// With a login the stream URLs are filled: the ONVIF simulator answers the probe itself
/// (`--discovery`), then GetCapabilities, GetProfiles and GetStreamUri with its digest check.
#[test]
fn discover_with_a_login_fills_the_stream_urls() {
    let work = tempfile::tempdir().expect("temp dir");
    let sim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/onvif_sim.py");
    assert!(sim.exists(), "{} is missing", sim.display());
    let main = "rtsp://127.0.0.1:8554/h264";
    let sub = "rtsp://127.0.0.1:8554/sub";
    // The simulator (with --discovery) answers probes itself; it prints READY when listening.
    let then = format!(
        "/usr/bin/python3 '{sim}' --port 8089 --user admin --password 'Pa55 w0rd' \
         --main-uri {main} --sub-uri {sub} --discovery > \"$DATA/sim.out\" 2>&1 &\n\
         pids=\"$pids $!\"\n\
         n=0; until grep -q READY \"$DATA/sim.out\"; do n=$((n+1)); [ $n -le 100 ] || exit 98; sleep 0.1; done\n\
         PW='Pa55 w0rd' \"$VIGIL\" --data-dir \"$DATA\" camera discover --json --timeout 2s \
         --user admin --password-env PW",
        sim = sim.display()
    );
    let out = in_namespace(work.path(), &[], &then);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "discover failed: {stderr}\n{stdout}");
    assert!(
        !format!("{stdout}{stderr}").contains("Pa55"),
        "password shown: {stdout}"
    );
    let listed: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON array");
    let cam = &listed.as_array().expect("an array")[0];
    assert_eq!(cam["main_url"], main, "{stdout}");
    assert_eq!(cam["sub_url"], sub, "{stdout}");
    assert!(cam["error"].is_null(), "{stdout}");
    let add = cam["add_command"].as_str().expect("an add command");
    assert!(
        add.contains(&format!("--url {main}"))
            && add.contains(&format!("--detect-url {sub}"))
            && add.contains("--user admin --password-env PW --onvif --onvif-port 8089"),
        "{add}"
    );
}

#[test]
fn camera_flags_store_the_onvif_settings_and_list_never_shows_the_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    let added = vigil.add_demo_camera(
        "porch",
        &["--onvif", "--onvif-port", "8080", "--motion-from", "both"],
    );
    assert!(
        added.contains("ONVIF on port 8080 (motion from both)"),
        "{added}"
    );
    let refused = vigil.run(&[
        "camera",
        "add",
        "--name",
        "yard",
        "--url",
        "demo://",
        "--motion-from",
        "camera",
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("add --onvif"),
        "details without --onvif are refused, not ignored"
    );
    let edit = vigil
        .cmd()
        .args([
            "camera",
            "edit",
            "--name",
            "porch",
            "--onvif-user",
            "events",
        ])
        .args([
            "--onvif-password-env",
            "ONVIF_PW",
            "--motion-from",
            "camera",
        ])
        .env("ONVIF_PW", "0nvif-Secret")
        .output()
        .expect("run vigil");
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );

    let text = vigil.ok(&["camera", "list"]);
    assert!(text.contains("onvif:8080/camera"), "{text}");
    let json = vigil.ok(&["camera", "list", "--json"]);
    assert!(
        !format!("{text}{json}").contains("0nvif-Secret"),
        "password shown"
    );
    let listed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        listed[0]["onvif"],
        serde_json::json!({"port": 8080, "user": "events", "motion_from": "camera"})
    );

    // The login given with --user goes into the sub-stream URL too (discover's add line
    // relies on it).
    let add = vigil
        .cmd()
        .args([
            "camera",
            "add",
            "--name",
            "gate",
            "--url",
            "rtsp://10.0.0.5/main",
        ])
        .args(["--detect-url", "rtsp://10.0.0.5/sub", "--user", "admin"])
        .args(["--password-env", "CAM_PW", "--onvif"])
        .env("CAM_PW", "cam-Secret")
        .output()
        .expect("run vigil");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let json = vigil.ok(&["camera", "list", "--json"]);
    assert!(!json.contains("cam-Secret"));
    let listed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let gate = listed
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == "gate"))
        .expect("gate listed");
    assert_eq!(gate["detect_url"], "rtsp://admin:***@10.0.0.5/sub");
    assert_eq!(gate["onvif"]["port"], 80);

    vigil.ok(&["camera", "edit", "--name", "porch", "--no-onvif"]);
    let listed: serde_json::Value =
        serde_json::from_str(&vigil.ok(&["camera", "list", "--json"])).expect("JSON");
    let porch = listed
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == "porch"))
        .expect("porch listed");
    assert!(porch["onvif"].is_null(), "ONVIF off: {listed}");
    assert!(vigil.ok(&["camera", "list"]).contains("porch"));
}
