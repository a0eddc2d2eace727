//! Bookmarks on a real SQLite library: add, list by camera, window and text, remove; bad
//! input refused in a sentence; a protected bookmark keeps its footage through retention.

use super::*;
use crate::library::timeline::tests::{continuous, library, S, T0};
use crate::model::Policy;

const MIN: i64 = 60 * S;
const DAY: i64 = 86_400 * S;

fn new(cam: i64, a: i64, b: i64, name: &str) -> NewBookmark {
    NewBookmark {
        camera_id: cam,
        start_us: a,
        end_us: b,
        name: name.into(),
        note: String::new(),
        protected: false,
        by_user: "ana".into(),
    }
}

#[test]
fn bookmarks_are_added_listed_searched_and_removed() {
    let (_dir, lib, cam) = library();
    let van = lib
        .add_bookmark(
            &NewBookmark {
                note: "Plate 50% visible_ at the gate".into(),
                ..new(cam, T0, T0 + MIN, "  White van ")
            },
            T0 + DAY,
        )
        .expect("add");
    assert_eq!(van.name, "White van");
    assert_eq!((van.camera.as_str(), van.by_user.as_str()), ("yard", "ana"));
    assert_eq!(van.created_us, T0 + DAY);
    assert!(!van.is_moment());
    let knock = lib
        .add_bookmark(&new(cam, T0 + 10 * MIN, T0 + 10 * MIN, "Knock"), T0)
        .expect("add a moment");
    assert!(knock.is_moment());
    assert_eq!(
        knock.footage(),
        (T0 + 10 * MIN - MOMENT_PAD_US, T0 + 10 * MIN + MOMENT_PAD_US)
    );

    let names = |q: &BookmarkQuery| -> Vec<String> {
        lib.bookmarks(q)
            .expect("list")
            .into_iter()
            .map(|b| b.name)
            .collect()
    };
    assert_eq!(names(&BookmarkQuery::default()), ["White van", "Knock"]);
    let search = |s: &str| BookmarkQuery {
        search: Some(s.into()),
        ..BookmarkQuery::default()
    };
    assert_eq!(names(&search("WHITE")), ["White van"]);
    assert_eq!(names(&search("50%")), ["White van"], "in the note");
    assert!(names(&search("5_%")).is_empty(), "wildcards are literal");
    let window = BookmarkQuery {
        from_us: Some(T0 + 5 * MIN),
        to_us: Some(T0 + 20 * MIN),
        ..BookmarkQuery::default()
    };
    assert_eq!(names(&window), ["Knock"]);
    let other = BookmarkQuery {
        camera_id: Some(cam + 1),
        ..BookmarkQuery::default()
    };
    assert!(names(&other).is_empty());

    assert_eq!(
        lib.remove_bookmark(van.id).expect("remove"),
        Some(van.clone())
    );
    assert_eq!(lib.remove_bookmark(van.id).expect("again"), None);
    assert_eq!(names(&BookmarkQuery::default()), ["Knock"]);
}

#[test]
fn bad_bookmarks_are_refused_in_a_sentence() {
    let (_dir, lib, cam) = library();
    let said = |b: NewBookmark| lib.add_bookmark(&b, T0).expect_err("refused").to_string();
    assert_eq!(said(new(cam, T0, T0, "   ")), "a bookmark needs a name");
    assert_eq!(
        said(new(cam, T0 + 1, T0, "x")),
        "a bookmark's range must end after it starts"
    );
    assert!(said(new(cam, T0, T0, &"n".repeat(201))).contains("at most 200 characters"));
    assert_eq!(
        said(new(cam + 7, T0, T0, "x")),
        format!("no camera with id {}", cam + 7)
    );
}

#[test]
fn a_protected_bookmark_keeps_its_footage_through_retention() {
    let (_dir, mut lib, cam) = library();
    for i in 0..6 {
        continuous(&mut lib, cam, T0 + i * MIN, T0 + (i + 1) * MIN);
    }
    // A protected moment at 1:30 keeps the 1–2 min segment; a protected range over 3–4 min
    // keeps that one; an unprotected bookmark keeps nothing.
    let moment = NewBookmark {
        protected: true,
        ..new(cam, T0 + 90 * S, T0 + 90 * S, "moment")
    };
    lib.add_bookmark(&moment, T0).expect("moment");
    let range = NewBookmark {
        protected: true,
        ..new(cam, T0 + 3 * MIN + S, T0 + 4 * MIN - S, "range")
    };
    lib.add_bookmark(&range, T0).expect("range");
    lib.add_bookmark(&new(cam, T0 + 5 * MIN, T0 + 6 * MIN, "loose"), T0)
        .expect("loose");
    let policy = Policy {
        retain_days: 1.0,
        ..Policy::default()
    };
    lib.set_policy(cam, &policy).expect("policy");
    lib.sweep(T0 + 2 * DAY, None).expect("sweep");
    let left: Vec<i64> = lib
        .segments(&Default::default())
        .expect("segments")
        .iter()
        .map(|s| (s.start_us - T0) / MIN)
        .collect();
    assert_eq!(left, [1, 3]);
}
