//! `vigil layout list|show|remove` through the real binary on a real library: layouts saved
//! through the library (as the app saves them) listed (text and `--json`), shown cell by
//! cell with a removed camera's cell saying so, removed, and an unknown name refused.

use crate::common::Vigil;
use vigil_core::library::Library;
use vigil_core::model::LayoutKind;

#[test]
fn saved_layouts_are_listed_shown_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(dir.path());
    v.add_demo_camera("gate", &[]);
    v.add_demo_camera("yard", &[]);
    {
        let mut lib = Library::open(dir.path()).expect("library");
        let ids: Vec<i64> = lib
            .cameras()
            .expect("cameras")
            .iter()
            .map(|c| c.id)
            .collect();
        lib.save_layout(
            "Front",
            LayoutKind::OnePlusFive,
            &[Some(ids[1]), None, Some(ids[0])],
        )
        .expect("save");
    }
    let listed = v.ok(&["layout", "list"]);
    assert!(
        listed.contains("Front") && listed.contains("1+5") && listed.contains("2 cameras placed"),
        "{listed}"
    );
    v.ok(&["camera", "remove", "--name", "gate"]);
    let shown = v.ok(&["layout", "show", "Front"]);
    assert!(shown.contains("cell  1: yard"), "{shown}");
    assert!(shown.contains("cell  2: (empty)"), "{shown}");
    assert!(shown.contains("was removed"), "{shown}");
    let json: serde_json::Value =
        serde_json::from_str(&v.ok(&["layout", "list", "--json"])).expect("json");
    assert_eq!(json[0]["kind"], "1+5");
    assert_eq!(json[0]["cells"][0], "yard");
    assert_eq!(json[0]["cells"].as_array().map(Vec::len), Some(6));
    let refused = v.run(&["layout", "remove", "Back"]);
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("no saved layout named 'Back'"), "{said}");
    assert!(v
        .ok(&["layout", "remove", "Front"])
        .contains("removed layout 'Front'"));
    assert!(v.ok(&["layout", "list"]).contains("no saved layouts"));
}
