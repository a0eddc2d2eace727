//! Verifying exports: untouched, trimmed, changed, edited, re-signed, missing.

use super::super::key::InstallationKey;
use super::super::manifest::{build, CameraInfo, ExportFile, Provenance};
use super::*;
use crate::export::ExportReport;

struct Case {
    _dir: tempfile::TempDir,
    video: PathBuf,
    key: InstallationKey,
}

fn case() -> Case {
    let dir = tempfile::tempdir().unwrap();
    let key = InstallationKey::load_or_create(dir.path()).unwrap();
    let video = dir.path().join("clip.mp4");
    std::fs::write(&video, b"not really a video, but bytes all the same").unwrap();
    let (bytes, sha256) = sha256_file(&video).unwrap();
    let report = ExportReport {
        path: video.clone(),
        camera: "yard".into(),
        requested_from_us: 1_000_000,
        requested_to_us: 9_000_000,
        starts_at_us: 0,
        ends_at_us: 9_000_000,
        duration_us: 9_000_000,
        frames: 1,
        gaps: vec![],
        bytes,
        segments_used: 1,
        manifest: None,
        audio: None,
        silent: Vec::new(),
    };
    let prov = Provenance {
        camera: CameraInfo {
            id: 1,
            name: "yard".into(),
            display_name: "Yard".into(),
        },
        exported_by: "ann (CLI)".into(),
        watermarked: false,
    };
    let file = ExportFile {
        name: "clip.mp4".into(),
        bytes,
        sha256,
    };
    build(&report, &prov, vec![], file, &key)
        .write_to(&manifest_path(&video))
        .unwrap();
    Case {
        _dir: dir,
        video,
        key,
    }
}

fn codes(v: &Verdict) -> Vec<&'static str> {
    v.problems.iter().map(Problem::code).collect()
}

fn edit_manifest(c: &Case, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = manifest_path(&c.video);
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
}

#[test]
fn an_untouched_export_is_authentic_with_its_key_and_intact_without() {
    let c = case();
    let own = TrustedKey::Given(c.key.public_key());
    let v = verify(&c.video, None, &own);
    assert_eq!(v.outcome(), Outcome::Authentic, "{:?}", v.problems);
    assert_eq!(v.signed_by.as_deref(), Some(c.key.fingerprint().as_str()));
    assert_eq!(
        verify(&c.video, None, &TrustedKey::None).outcome(),
        Outcome::Intact
    );
}

#[test]
fn trimmed_or_changed_videos_are_named() {
    let c = case();
    let own = TrustedKey::Given(c.key.public_key());
    let mut bytes = std::fs::read(&c.video).unwrap();
    bytes[3] ^= 1;
    std::fs::write(&c.video, &bytes).unwrap();
    assert_eq!(codes(&verify(&c.video, None, &own)), ["content-differs"]);
    bytes.truncate(10);
    std::fs::write(&c.video, &bytes).unwrap();
    let v = verify(&c.video, None, &own);
    assert_eq!(codes(&v), ["trimmed"]);
    assert!(v.problems[0].to_string().contains("the video was trimmed"));
}

#[test]
fn an_edited_manifest_names_the_field() {
    let c = case();
    let own = TrustedKey::Given(c.key.public_key());
    edit_manifest(&c, |m| {
        m["manifest"]["camera"]["display_name"] = "Gate".into()
    });
    let v = verify(&c.video, None, &own);
    assert_eq!(codes(&v), ["manifest-edited"]);
    assert!(
        v.problems[0].to_string().contains("`camera`"),
        "{}",
        v.problems[0]
    );
    let c = case();
    edit_manifest(&c, |m| {
        m["manifest"]["requested"]["from_us"] = 2_000_000.into()
    });
    let v = verify(&c.video, None, &own);
    let text: Vec<String> = v.problems.iter().map(ToString::to_string).collect();
    assert!(text[0].contains("`requested`"), "{text:?}");
    assert!(
        text.iter().any(|t| t.contains("`requested.from`")),
        "{text:?}"
    );
    let c = case();
    edit_manifest(&c, |m| m["manifest"]["lead_in_us"] = "soon".into());
    let v = verify(&c.video, None, &own);
    assert_eq!(codes(&v), ["manifest-edited"]);
    assert!(
        v.problems[0].to_string().contains("`lead_in_us`"),
        "{}",
        v.problems[0]
    );
}

#[test]
fn a_manifest_signed_by_another_key_is_named_with_both_fingerprints() {
    let c = case();
    let other_dir = tempfile::tempdir().unwrap();
    let other = InstallationKey::load_or_create(other_dir.path()).unwrap();
    let path = manifest_path(&c.video);
    let mut signed = SignedManifest::parse(&std::fs::read(&path).unwrap()).unwrap();
    signed.manifest.public_key = Base64::encode_string(&other.public_key());
    signed.manifest.key_fingerprint = other.fingerprint();
    super::super::manifest::sign(signed.manifest, &other)
        .write_to(&path)
        .unwrap();
    let v = verify(
        &c.video,
        None,
        &TrustedKey::Installation(c.key.public_key()),
    );
    assert_eq!(codes(&v), ["other-key"]);
    let text = v.problems[0].to_string();
    assert!(text.contains(&other.fingerprint()) && text.contains(&c.key.fingerprint()));
}

#[test]
fn missing_or_foreign_manifests_are_said() {
    let c = case();
    let own = TrustedKey::Given(c.key.public_key());
    let elsewhere = c.video.with_file_name("other.json");
    assert_eq!(
        codes(&verify(&c.video, Some(&elsewhere), &own)),
        ["manifest-missing"]
    );
    std::fs::write(&elsewhere, b"{\"hello\": 1}").unwrap();
    assert_eq!(
        codes(&verify(&c.video, Some(&elsewhere), &own)),
        ["not-a-manifest"]
    );
    assert_eq!(
        parse_public_key(&crate::evidence::digest::hex(&c.key.public_key())),
        Some(c.key.public_key())
    );
    assert_eq!(
        parse_public_key(&Base64::encode_string(&c.key.public_key())),
        Some(c.key.public_key())
    );
}
