//! Saved layouts and the layout in use against a real SQLite library in a temporary folder.

use super::*;
use crate::library::Library;
use crate::model::{CameraName, NewCamera, Policy, Transport};

fn library(cameras: &[&str]) -> (tempfile::TempDir, Library, Vec<i64>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("open");
    let ids = cameras
        .iter()
        .map(|name| {
            let cam = NewCamera {
                name: CameraName::parse(name).expect("name"),
                url: format!("rtsp://10.0.0.9/{name}"),
                detect_url: None,
                transport: Transport::Tcp,
                enabled: true,
                audio: false,
            };
            lib.add_camera(&cam, &Policy::default()).expect("camera").id
        })
        .collect();
    (dir, lib, ids)
}

#[test]
fn a_layout_is_saved_padded_replaced_by_name_and_survives_reopening() {
    let (dir, mut lib, ids) = library(&["gate", "yard"]);
    let saved = lib
        .save_layout(
            " Lobby ",
            LayoutKind::Grid(2),
            &[None, Some(ids[1]), Some(ids[0])],
        )
        .expect("save");
    assert_eq!(saved.name, "Lobby");
    assert_eq!(saved.cells, vec![None, Some(ids[1]), Some(ids[0]), None]);
    let again = lib
        .save_layout("Lobby", LayoutKind::OnePlusFive, &[Some(ids[0])])
        .expect("replace");
    assert_eq!(again.id, saved.id, "replacing by name keeps the id");
    assert_eq!(again.kind, LayoutKind::OnePlusFive);
    assert_eq!(again.cells.len(), 6);
    drop(lib);
    let lib = Library::open(dir.path()).expect("reopen");
    let all = lib.layouts().expect("list");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].cells[0], Some(ids[0]));
}

#[test]
fn bad_cells_are_refused_with_the_reason() {
    let (_dir, mut lib, ids) = library(&["gate"]);
    let twice = lib.save_layout("x", LayoutKind::Grid(2), &[Some(ids[0]), Some(ids[0])]);
    assert!(twice.expect_err("twice").to_string().contains("two cells"));
    let unknown = lib.save_layout("x", LayoutKind::Grid(1), &[Some(999)]);
    assert!(matches!(unknown, Err(LibraryError::UnknownCamera(_))));
    let overflow = lib.save_layout("x", LayoutKind::Grid(1), &[None, Some(ids[0])]);
    assert!(overflow
        .expect_err("too many")
        .to_string()
        .contains("1 cells"));
    assert!(lib.save_layout("  ", LayoutKind::Grid(1), &[]).is_err());
    assert!(lib.layouts().expect("list").is_empty(), "nothing stored");
}

#[test]
fn rename_refuses_a_taken_name_and_remove_forgets_the_layout_in_use() {
    let (_dir, mut lib, ids) = library(&["gate"]);
    let a = lib
        .save_layout("A", LayoutKind::Grid(1), &[Some(ids[0])])
        .expect("A");
    lib.save_layout("B", LayoutKind::Grid(2), &[]).expect("B");
    let dup = lib.rename_layout(a.id, "B");
    assert!(matches!(dup, Err(LibraryError::DuplicateLayout(n)) if n == "B"));
    let renamed = lib.rename_layout(a.id, "Front door").expect("rename");
    assert_eq!((renamed.id, renamed.name.as_str()), (a.id, "Front door"));
    let in_use = LayoutInUse {
        kind: Some("1".into()),
        cells: Some(vec![Some(ids[0])]),
        saved_id: Some(a.id),
    };
    lib.set_layout_in_use(&in_use).expect("store");
    assert_eq!(lib.layout_in_use().expect("read"), Some(in_use.clone()));
    lib.remove_layout(a.id).expect("remove");
    assert!(matches!(
        lib.layout(a.id),
        Err(LibraryError::UnknownLayout(_))
    ));
    let left = lib.layout_in_use().expect("read").expect("kept");
    assert_eq!((left.saved_id, left.cells), (None, in_use.cells));
    assert!(matches!(
        lib.remove_layout(a.id),
        Err(LibraryError::UnknownLayout(_))
    ));
}

#[test]
fn a_removed_camera_leaves_its_id_in_the_cell() {
    let (_dir, mut lib, ids) = library(&["gate", "yard"]);
    let saved = lib
        .save_layout("L", LayoutKind::Grid(2), &[Some(ids[0]), Some(ids[1])])
        .expect("save");
    lib.remove_camera("gate", false).expect("remove camera");
    let read = lib.layout(saved.id).expect("read");
    assert_eq!(
        read.cells[0],
        Some(ids[0]),
        "the reader shows it as removed"
    );
}
