//! Object detection settings through the real `vigil` binary on a real library: a camera
//! added with `--objects person --min-score 0.7 --min-box 0.5%` lists them (text and
//! `--json`) and the library holds them as the engine reads them; `camera edit` changes one
//! setting at a time, picks an ONNX model of the operator's (which must be there) and
//! `--no-objects` turns detection off; bad values are refused in sentences and change
//! nothing; a zone gets its own object list and follows its camera's again.

use crate::common::Vigil;
use vigil_core::library::Library;
use vigil_core::model::{DetectorFormat, DetectorModel, ObjectSettings};

/// The camera's object settings as `camera list --json` shows them.
fn listed_objects(v: &Vigil, camera: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&v.ok(&["camera", "list", "--json"])).expect("json");
    let cams = json.as_array().expect("a list");
    let cam = cams
        .iter()
        .find(|c| c["name"] == camera)
        .unwrap_or_else(|| panic!("camera {camera} listed: {json}"));
    cam["objects"].clone()
}

/// What the library holds for the camera, as the engine reads it.
fn stored(v: &Vigil, camera: &str) -> Option<ObjectSettings> {
    let lib = Library::open(&v.data_dir).expect("library");
    let id = lib.camera_by_name(camera).expect("camera").id;
    lib.camera_objects(id).expect("objects")
}

/// Runs a command that must fail; returns what it said on stderr.
fn refused(v: &Vigil, args: &[&str]) -> String {
    let out = v.run(args);
    assert_eq!(out.status.code(), Some(1), "vigil {args:?} must fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn camera_objects_round_trip_through_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    let said = v.add_demo_camera(
        "drive",
        &[
            "--record",
            "events",
            "--objects",
            "person",
            "--min-score",
            "0.7",
            "--min-box",
            "0.5%",
        ],
    );
    assert!(
        said.contains(
            "events only on person · score ≥ 0.70 · box ≥ 0.5% · built-in person detector"
        ),
        "{said}"
    );
    let listed = listed_objects(&v, "drive");
    assert_eq!(listed["objects"], serde_json::json!(["person"]));
    assert!((listed["min_score"].as_f64().expect("score") - 0.7).abs() < 1e-6);
    assert!((listed["min_area"].as_f64().expect("area") - 0.005).abs() < 1e-6);
    assert_eq!(listed["model"]["kind"], "builtin");
    let text = v.ok(&["camera", "list"]);
    assert!(text.contains("(objects: person · score ≥ 0.70"), "{text}");
    let s = stored(&v, "drive").expect("detection on");
    assert!((s.min_score - 0.7).abs() < 1e-6 && (s.min_area - 0.005).abs() < 1e-7);

    // One setting at a time: the others stay.
    v.ok(&["camera", "edit", "--name", "drive", "--min-box", "0.002"]);
    let s = stored(&v, "drive").expect("detection on");
    assert!((s.min_area - 0.002).abs() < 1e-7 && (s.min_score - 0.7).abs() < 1e-6);

    // An ONNX model of the operator's: it must be there; stored with its full path.
    let model = dir.path().join("yolo.onnx");
    let labels = dir.path().join("labels.txt");
    let missing = refused(
        &v,
        &[
            "camera",
            "edit",
            "--name",
            "drive",
            "--objects",
            "person,car",
            "--detector-model",
            &model.display().to_string(),
            "--detector-format",
            "yolo",
        ],
    );
    assert!(
        missing.contains(&format!(
            "the model file {} does not exist",
            model.display()
        )),
        "{missing}"
    );
    std::fs::write(&model, b"not checked here: the engine loads it").expect("model");
    std::fs::write(&labels, "person\ncar\n").expect("labels");
    v.ok(&[
        "camera",
        "edit",
        "--name",
        "drive",
        "--objects",
        "person,car",
        "--detector-model",
        &model.display().to_string(),
        "--detector-format",
        "yolo",
        "--detector-labels",
        &labels.display().to_string(),
    ]);
    let s = stored(&v, "drive").expect("detection on");
    assert_eq!(s.objects, ["person", "car"]);
    assert_eq!(
        s.model,
        DetectorModel::Onnx {
            path: model.clone(),
            format: DetectorFormat::Yolo,
            labels: Some(labels.clone()),
        }
    );
    assert_eq!(listed_objects(&v, "drive")["model"]["format"], "yolo");

    // Back to the built-in detector, which finds people only.
    let cars = refused(
        &v,
        &[
            "camera",
            "edit",
            "--name",
            "drive",
            "--detector-model",
            "builtin",
        ],
    );
    assert!(cars.contains("finds people only"), "{cars}");
    v.ok(&[
        "camera",
        "edit",
        "--name",
        "drive",
        "--objects",
        "person",
        "--detector-model",
        "builtin",
    ]);
    assert_eq!(
        stored(&v, "drive").expect("on").model,
        DetectorModel::Builtin
    );

    let off = v.ok(&["camera", "edit", "--name", "drive", "--no-objects"]);
    assert!(off.contains("no object detection"), "{off}");
    assert_eq!(stored(&v, "drive"), None);
    assert!(listed_objects(&v, "drive").is_null());
}

#[test]
fn bad_object_settings_are_refused_in_sentences_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    let add = |extra: &[&str]| {
        let mut args = vec!["camera", "add", "--name", "yard", "--url", "demo://"];
        args.extend_from_slice(extra);
        refused(&v, &args)
    };
    let score = add(&["--objects", "person", "--min-score", "1.5"]);
    assert!(
        score.contains("minimum score '1.5' must be a number from 0 to 1"),
        "{score}"
    );
    let size = add(&["--objects", "person", "--min-box", "lots"]);
    assert!(
        size.contains("minimum box size 'lots' must be a percentage of the picture"),
        "{size}"
    );
    let empty = add(&["--objects", " , "]);
    assert!(empty.contains("name at least one object"), "{empty}");
    let format = add(&[
        "--objects",
        "person",
        "--detector-model",
        "/tmp",
        "--detector-format",
        "resnet",
    ]);
    assert!(
        format.contains("detector format 'resnet' is unknown; use ssd or yolo"),
        "{format}"
    );
    let folder = add(&[
        "--objects",
        "person",
        "--detector-model",
        "/tmp",
        "--detector-format",
        "ssd",
    ]);
    assert!(
        folder.contains("the model file /tmp is not a file"),
        "{folder}"
    );
    let off = add(&["--min-score", "0.8"]);
    assert!(off.contains("add --objects person"), "{off}");
    let listed = v.ok(&["camera", "list", "--json"]);
    assert_eq!(listed.trim(), "[]", "no camera was added");

    v.add_demo_camera("yard", &[]);
    let both = v.run(&[
        "camera",
        "edit",
        "--name",
        "yard",
        "--objects",
        "person",
        "--no-objects",
    ]);
    assert_eq!(both.status.code(), Some(2), "clap refuses the pair");
    let nothing = refused(&v, &["camera", "edit", "--name", "yard"]);
    assert!(
        nothing.contains("nothing to change") && nothing.contains("--objects"),
        "{nothing}"
    );
    let details = refused(&v, &["camera", "edit", "--name", "yard", "--min-box", "1%"]);
    assert!(
        details.contains("object detection is off for this camera"),
        "{details}"
    );
    assert_eq!(stored(&v, "yard"), None);
}

#[test]
fn a_zone_has_its_own_objects_or_follows_its_camera() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    v.add_demo_camera("drive", &["--objects", "person"]);
    let added = v.ok(&[
        "zone",
        "add",
        "--camera",
        "drive",
        "--name",
        "path",
        "--polygon",
        "0,0 1,0 1,1",
        "--objects",
        "Person",
    ]);
    assert!(added.contains("objects person"), "{added}");
    v.ok(&[
        "zone",
        "add",
        "--camera",
        "drive",
        "--name",
        "lawn",
        "--polygon",
        "0,0 1,1 0,1",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&v.ok(&["zone", "list", "--camera", "drive", "--json"]))
            .expect("json");
    assert_eq!(json[0]["objects"], serde_json::json!(["person"]));
    assert!(
        json[1]["objects"].is_null(),
        "lawn follows the camera's: {json}"
    );
    let text = v.ok(&["zone", "list", "--camera", "drive"]);
    assert!(text.contains("objects: person"), "{text}");

    // Edit: the outline and the list change apart; --camera-objects follows the camera again.
    v.ok(&[
        "zone",
        "edit",
        "--camera",
        "drive",
        "--name",
        "lawn",
        "--objects",
        "person,dog",
    ]);
    v.ok(&[
        "zone",
        "edit",
        "--camera",
        "drive",
        "--name",
        "lawn",
        "--sensitivity",
        "80",
    ]);
    let lib = Library::open(dir.path()).expect("library");
    let cam = lib.camera_by_name("drive").expect("camera").id;
    let zones = lib.zones(cam).expect("zones");
    let own = lib.zone_objects(cam).expect("zone objects");
    assert_eq!(zones[1].sensitivity, 80);
    assert_eq!(
        own,
        [
            (zones[0].id, vec!["person".to_string()]),
            (zones[1].id, vec!["person".to_string(), "dog".to_string()])
        ]
    );
    let back = v.ok(&[
        "zone",
        "edit",
        "--camera",
        "drive",
        "--name",
        "path",
        "--camera-objects",
    ]);
    assert!(
        back.contains("follows the camera's objects again"),
        "{back}"
    );
    assert_eq!(lib.zone_objects(cam).expect("zone objects").len(), 1);

    // A mask has no objects; a zone's list on a camera without detection is noted.
    let mask = v.run(&[
        "zone",
        "add",
        "--camera",
        "drive",
        "--name",
        "tree",
        "--polygon",
        "0,0 1,0 0,1",
        "--mask",
        "--objects",
        "person",
    ]);
    assert_eq!(
        mask.status.code(),
        Some(2),
        "clap refuses --mask with --objects"
    );
    v.ok(&[
        "zone",
        "add",
        "--camera",
        "drive",
        "--name",
        "tree",
        "--polygon",
        "0,0 1,0 0,1",
        "--mask",
    ]);
    let masked = refused(
        &v,
        &[
            "zone",
            "edit",
            "--camera",
            "drive",
            "--name",
            "tree",
            "--objects",
            "person",
        ],
    );
    assert!(masked.contains("is a mask"), "{masked}");
    v.ok(&["camera", "edit", "--name", "drive", "--no-objects"]);
    let out = v.run(&[
        "zone",
        "edit",
        "--camera",
        "drive",
        "--name",
        "path",
        "--objects",
        "person",
    ]);
    assert!(out.status.success());
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("has no object detection"), "{note}");
    let unknown = refused(
        &v,
        &[
            "zone",
            "edit",
            "--camera",
            "drive",
            "--name",
            "pond",
            "--objects",
            "person",
        ],
    );
    assert!(unknown.contains("has no zone named 'pond'"), "{unknown}");
}
