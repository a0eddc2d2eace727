//! Evidence-grade exports end to end: footage recorded by `vigil run` from the RTSP
//! simulator, exported with `vigil export` (which writes a signed manifest beside the MP4),
//! checked with `vigil verify` with and without the library, and each kind of tampering
//! (trimmed, a byte flipped, a manifest edited, re-signed by another key, missing) named.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use vigil_core::evidence::manifest::{manifest_path, sign, SignedManifest};
use vigil_core::evidence::InstallationKey;
use vigil_core::model::time::format_rfc3339;

use crate::common::{ffprobe, RtspServer, Vigil};

/// Records ~8 s of the simulator into `dir` and exports the middle to `out`; answers the
/// export's stdout and the range exported (RFC 3339).
fn record_and_export(vigil: &Vigil, out: &Path) -> (String, String, String) {
    let server = RtspServer::start(&["--gop", "25"]);
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "Front door",
        "--id",
        "front",
        "--url",
        &server.url("/h264"),
        "--segment-seconds",
        "2",
    ]);
    let run = vigil.run(&["run", "--for", "8s"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rows = vigil.recordings();
    assert!(rows.len() >= 2, "recorded: {rows:?}");
    let start = rows
        .iter()
        .filter_map(|r| r["start_us"].as_i64())
        .min()
        .expect("start");
    let end = rows
        .iter()
        .filter_map(|r| r["end_us"].as_i64())
        .max()
        .expect("end");
    let (from, to) = (
        format_rfc3339(start + 500_000),
        format_rfc3339(end - 500_000),
    );
    let out_s = out.to_str().expect("utf-8");
    let said = vigil.ok(&[
        "export", "--camera", "front", "--from", &from, "--to", &to, "-o", out_s,
    ]);
    (said, from, to)
}

/// `vigil verify` with `args`: (exit code, its JSON).
fn verify(vigil: &Vigil, video: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["verify", video.to_str().expect("utf-8"), "--json"];
    all.extend_from_slice(args);
    let out: Output = vigil.run(&all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "verify --json printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn codes(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["code"].as_str().map(str::to_string))
        .collect()
}

fn messages(v: &Value) -> String {
    let all: Vec<&str> = v["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["message"].as_str())
        .collect();
    all.join("\n")
}

/// A copy of the export and its manifest in a folder of its own, to tamper with.
fn copy_of(video: &Path, into: &Path, name: &str) -> PathBuf {
    let dir = into.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let copy = dir.join("clip.mp4");
    std::fs::copy(video, &copy).expect("copy video");
    std::fs::copy(manifest_path(video), manifest_path(&copy)).expect("copy manifest");
    copy
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    edit(&mut v);
    std::fs::write(path, serde_json::to_vec_pretty(&v).expect("json")).expect("write");
}

#[test]
fn exports_are_signed_verified_without_a_library_and_tampering_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let vigil = Vigil::new(&data);
    let out_dir = tempfile::tempdir().expect("out dir");
    let video = out_dir.path().join("clip.mp4");
    let (said, from, to) = record_and_export(&vigil, &video);

    // The export names its manifest and the key; the key's fingerprint is stable.
    let key: Value = serde_json::from_str(&vigil.ok(&["key", "show", "--json"])).expect("json");
    let again: Value = serde_json::from_str(&vigil.ok(&["key", "show", "--json"])).expect("json");
    let fp = key["fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    assert_eq!(again["fingerprint"], fp.as_str(), "stable across runs");
    assert_eq!(fp.len(), 39);
    let manifest = manifest_path(&video);
    assert!(
        said.contains(&format!("manifest {}", manifest.display())) && said.contains(&fp),
        "{said}"
    );
    let m: Value =
        serde_json::from_slice(&std::fs::read(&manifest).expect("manifest")).expect("json");
    let body = &m["manifest"];
    assert_eq!(body["format"], "vigil-export-manifest/1");
    assert_eq!(body["camera"]["name"], "front");
    assert_eq!(body["camera"]["display_name"], "Front door");
    assert_eq!(body["watermarked"], false);
    assert_eq!(body["key_fingerprint"], fp.as_str());
    assert_eq!(body["public_key"], key["public_key_base64"]);
    assert_eq!(
        body["export"]["bytes"].as_u64(),
        Some(std::fs::metadata(&video).expect("video").len())
    );
    let sources = body["sources"].as_array().expect("sources");
    assert!(sources.len() >= 2, "{sources:?}");
    for s in sources {
        assert_eq!(s["sha256"].as_str().map(str::len), Some(64), "{s}");
    }
    assert!(ffprobe(video.to_str().expect("utf-8")).frames > 0);

    // Untouched: authentic with this installation's key.
    let (code, v) = verify(&vigil, &video, &[]);
    assert_eq!((code, v["outcome"].as_str()), (0, Some("authentic")), "{v}");
    let text = vigil.ok(&["verify", video.to_str().expect("utf-8")]);
    assert!(text.starts_with("authentic: "), "{text}");

    // Tampered copies, checked against this installation's key.
    let bad = tempfile::tempdir().expect("bad");
    let trimmed = copy_of(&video, bad.path(), "trimmed");
    let len = std::fs::metadata(&trimmed).expect("len").len();
    std::fs::File::options()
        .write(true)
        .open(&trimmed)
        .and_then(|f| f.set_len(len - 1000))
        .expect("truncate");
    let (code, v) = verify(&vigil, &trimmed, &[]);
    assert_eq!((code, codes(&v)), (1, vec!["trimmed".to_string()]), "{v}");
    assert!(messages(&v).contains("the video was trimmed"), "{v}");

    let flipped = copy_of(&video, bad.path(), "flipped");
    let mut bytes = std::fs::read(&flipped).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&flipped, &bytes).expect("write");
    let (code, v) = verify(&vigil, &flipped, &[]);
    assert_eq!(
        (code, codes(&v)),
        (1, vec!["content-differs".to_string()]),
        "{v}"
    );

    let renamed = copy_of(&video, bad.path(), "camera");
    edit_json(&manifest_path(&renamed), |m| {
        m["manifest"]["camera"]["display_name"] = "Back door".into()
    });
    let (code, v) = verify(&vigil, &renamed, &[]);
    assert_eq!(
        (code, codes(&v)),
        (1, vec!["manifest-edited".to_string()]),
        "{v}"
    );
    assert!(messages(&v).contains("`camera`"), "{v}");

    let retimed = copy_of(&video, bad.path(), "time");
    edit_json(&manifest_path(&retimed), |m| {
        let us = m["manifest"]["actual"]["from_us"]
            .as_i64()
            .expect("from_us");
        m["manifest"]["actual"]["from_us"] = (us - 60_000_000).into();
    });
    let (code, v) = verify(&vigil, &retimed, &[]);
    assert_eq!(code, 1, "{v}");
    assert!(codes(&v).contains(&"manifest-edited".to_string()), "{v}");
    assert!(messages(&v).contains("`actual`"), "{v}");

    // Re-signed by another installation's key: intact by itself, but not ours.
    let resigned = copy_of(&video, bad.path(), "resigned");
    let other_dir = tempfile::tempdir().expect("other");
    let other = InstallationKey::load_or_create(other_dir.path()).expect("other key");
    let path = manifest_path(&resigned);
    let mut signed = SignedManifest::parse(&std::fs::read(&path).expect("read")).expect("parse");
    signed.manifest.camera.display_name = "Back door".into();
    signed.manifest.public_key = vigil_core::evidence::digest::base64(&other.public_key());
    signed.manifest.key_fingerprint = other.fingerprint();
    sign(signed.manifest, &other)
        .write_to(&path)
        .expect("write");
    let (code, v) = verify(&vigil, &resigned, &[]);
    assert_eq!((code, codes(&v)), (1, vec!["other-key".to_string()]), "{v}");
    assert!(
        messages(&v).contains(&other.fingerprint()) && messages(&v).contains(&fp),
        "{v}"
    );

    let lonely = copy_of(&video, bad.path(), "lonely");
    std::fs::remove_file(manifest_path(&lonely)).expect("rm");
    let (code, v) = verify(&vigil, &lonely, &[]);
    assert_eq!(
        (code, codes(&v)),
        (1, vec!["manifest-missing".to_string()]),
        "{v}"
    );

    // Watermarked on request: said before it starts, re-encoded, plays, as many frames,
    // marked in its manifest, and authentic.
    let wm = out_dir.path().join("wm.mp4");
    let wm_s = wm.to_str().expect("utf-8");
    let args = [
        "export",
        "--camera",
        "front",
        "--from",
        &from,
        "--to",
        &to,
        "-o",
        wm_s,
        "--watermark",
    ];
    let run = vigil.run(&args);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains(
            "the picture will be re-encoded to burn in the watermark; the manifest records this"
        ),
        "{err}"
    );
    let (plain, marked) = (ffprobe(video.to_str().expect("utf-8")), ffprobe(wm_s));
    assert_eq!(marked.codec, "h264");
    assert_eq!((marked.width, marked.height), (640, 360));
    assert!(
        marked.frames.abs_diff(plain.frames) <= 2
            && (marked.duration_s - plain.duration_s).abs() < 0.2,
        "watermarked {marked:?} vs plain {plain:?}"
    );
    assert_ne!(
        std::fs::read(&wm).expect("wm"),
        std::fs::read(&video).expect("video"),
        "re-encoded"
    );
    let (code, v) = verify(&vigil, &wm, &[]);
    assert_eq!((code, v["outcome"].as_str()), (0, Some("authentic")), "{v}");
    assert_eq!(v["manifest"]["watermarked"], true);
    assert_eq!(body["watermarked"], false, "the plain export is not marked");

    // Another machine: the data directory moved away. Without a key: intact, signed by the
    // fingerprint; with the published key: authentic; nothing is made there.
    std::fs::rename(&data, dir.path().join("moved")).expect("move");
    let (code, v) = verify(&vigil, &video, &[]);
    assert_eq!((code, v["outcome"].as_str()), (2, Some("intact")), "{v}");
    assert_eq!(v["signed_by"], fp.as_str());
    let text = String::from_utf8_lossy(
        &vigil
            .run(&["verify", video.to_str().expect("utf-8")])
            .stdout,
    )
    .into_owned();
    assert!(
        text.contains(&fp) && text.contains("compare that fingerprint"),
        "{text}"
    );
    for given in [&key["public_key_base64"], &key["public_key_hex"]] {
        let (code, v) = verify(&vigil, &video, &["--key", given.as_str().expect("key")]);
        assert_eq!((code, v["outcome"].as_str()), (0, Some("authentic")), "{v}");
    }
    let (code, v) = verify(
        &vigil,
        &resigned,
        &["--key", key["public_key_hex"].as_str().expect("key")],
    );
    assert_eq!((code, codes(&v)), (1, vec!["other-key".to_string()]), "{v}");
    assert!(!data.exists(), "verify made no library");
}

/// A recording altered after it was recorded is not exported as evidence: the video may be
/// written, but no signed manifest vouches for it, and the sentence names the recording.
#[test]
fn an_export_of_a_recording_changed_since_recording_gets_no_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let out_dir = tempfile::tempdir().expect("out dir");
    let first = out_dir.path().join("first.mp4");
    let (_, from, to) = record_and_export(&vigil, &first);
    assert!(
        manifest_path(&first).is_file(),
        "an untouched export is signed"
    );

    // Flip one byte in the middle of the first recording the export read.
    let rows = vigil.recordings();
    let path = rows
        .iter()
        .min_by_key(|r| r["start_us"].as_i64())
        .and_then(|r| r["path"].as_str())
        .expect("a recording")
        .to_string();
    assert!(
        rows.iter()
            .all(|r| r["sha256"].as_str().is_some_and(|h| h.len() == 64)),
        "every recording has its hash: {rows:?}"
    );
    let mut bytes = std::fs::read(&path).expect("recording");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&path, &bytes).expect("write");

    let second = out_dir.path().join("second.mp4");
    let out = vigil.run(&[
        "export",
        "--camera",
        "front",
        "--from",
        &from,
        "--to",
        &to,
        "-o",
        second.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refused: {err}");
    assert!(
        err.contains("changed since it was recorded") && err.contains(&path),
        "{err}"
    );
    assert!(
        !manifest_path(&second).exists(),
        "no manifest vouches for it"
    );
}
