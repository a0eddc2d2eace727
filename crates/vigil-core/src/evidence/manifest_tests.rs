//! Manifests: round trip, strict parsing, where they go.

use super::*;

fn sample(key: &InstallationKey) -> SignedManifest {
    let report = ExportReport {
        path: PathBuf::from("clip.mp4"),
        camera: "yard".into(),
        requested_from_us: 10_000_000,
        requested_to_us: 25_000_000,
        starts_at_us: 8_760_000,
        ends_at_us: 25_000_000,
        duration_us: 13_240_000,
        frames: 331,
        gaps: vec![(15_000_000, 18_000_000)],
        bytes: 3,
        segments_used: 1,
        manifest: None,
        audio: None,
        silent: Vec::new(),
    };
    let prov = Provenance {
        camera: CameraInfo {
            id: 1,
            name: "yard".into(),
            display_name: "마당".into(),
        },
        exported_by: "ann (CLI)".into(),
        watermarked: false,
    };
    let file = ExportFile {
        name: "clip.mp4".into(),
        bytes: 3,
        sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
    };
    build(&report, &prov, Vec::new(), file, key)
}

#[test]
fn a_manifest_round_trips_and_its_signatures_verify() {
    let dir = tempfile::tempdir().unwrap();
    let key = InstallationKey::load_or_create(dir.path()).unwrap();
    let signed = sample(&key);
    let path = dir.path().join("clip.mp4.manifest.json");
    signed.write_to(&path).unwrap();
    let back = SignedManifest::parse(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(back, signed);
    let sig = Base64::decode_vec(&back.signature.value).unwrap();
    assert!(key::verify(
        &key.public_key(),
        &canonical(&back.manifest),
        &sig
    ));
    assert_eq!(
        back.signature.fields.len(),
        field_messages(&back.manifest).len()
    );
    assert_eq!(back.manifest.lead_in_us, 1_240_000);
    assert_eq!(back.manifest.requested.from, "1970-01-01T00:00:10.000000Z");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "the key and the manifest, no temporary file");
}

#[test]
fn unknown_or_missing_fields_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = InstallationKey::load_or_create(dir.path()).unwrap();
    let mut value = serde_json::to_value(sample(&key)).unwrap();
    value["manifest"]["extra"] = serde_json::json!(1);
    let err = SignedManifest::parse(value.to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("unknown field `extra`"), "{err}");
    let mut value = serde_json::to_value(sample(&key)).unwrap();
    value["manifest"]
        .as_object_mut()
        .unwrap()
        .remove("exported_by");
    let err = SignedManifest::parse(value.to_string().as_bytes()).unwrap_err();
    assert!(err.to_string().contains("exported_by"), "{err}");
}

#[test]
fn the_manifest_path_is_beside_the_export() {
    assert_eq!(
        manifest_path(Path::new("/x/clip.mp4")),
        PathBuf::from("/x/clip.mp4.manifest.json")
    );
}
