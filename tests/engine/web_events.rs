//! The web viewer's events and exports through the real `vigil run --web`, recording the
//! demo camera continuously and on events: the events list with its filters and paging,
//! thumbnails as stored, protect and delete by operators (audited) and never by viewers,
//! CSRF and bad input refused in words, and export downloads streamed while they are made —
//! probed with ffprobe, leaving the library as it was and nothing behind (export.rs), and
//! the events page in Chromium (browser.rs).

use harness::{audit_trail, door_event, error_of, events, json, prepared_run, sign_in};

pub(crate) mod browser;
mod export;
pub(crate) mod harness;

#[test]
fn events_are_listed_filtered_and_protected_or_deleted_by_operators_only() {
    let run = prepared_run();
    let op = sign_in(&run, "olga", "operator");
    let viewer = sign_in(&run, "vic", "viewer");
    let admin = sign_in(&run, "ada", "admin");
    let door = door_event(&run, &op, "door");
    let id = door["id"].as_i64().expect("id");

    let all = events(&run, &viewer, "");
    assert!(all.len() >= 2, "{all:?}");
    let starts: Vec<i64> = all
        .iter()
        .map(|e| e["start_us"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {starts:?}"
    );
    let motion = events(&run, &viewer, "?source=motion&camera=cam");
    assert_eq!(motion.len(), 1, "{motion:?}");
    let m = &motion[0];
    assert_eq!(
        (m["zone"].as_str(), m["has_thumbnail"].as_bool()),
        (Some("lot"), Some(true))
    );
    assert_eq!(events(&run, &viewer, "?zone=lot").len(), 1);
    assert!(events(&run, &viewer, "?zone=nowhere").is_empty());
    let doors = events(&run, &viewer, "?source=external&label=door");
    assert_eq!(doors.len(), 1);
    assert_eq!(doors[0]["id"], door["id"]);
    assert_eq!(doors[0]["camera"], "cam");
    let before_door = door["start_us"].as_i64().unwrap_or(0);
    let early = events(&run, &viewer, &format!("?to={before_door}"));
    assert!(
        early.iter().all(|e| e["id"] != door["id"]),
        "to bounds the list"
    );
    // Paging: one a page, the next page starts after the first.
    let (status, _, body) = run.curl_bytes("/api/events?limit=1", &viewer.get());
    assert_eq!(status, 200);
    let page = json(&body);
    let next = page["next"].as_str().expect("a next page").to_string();
    let second = events(&run, &viewer, &format!("?limit=1&before={next}"));
    assert_eq!(second.len(), 1);
    assert_ne!(second[0]["id"], page["events"][0]["id"]);

    // The thumbnail is the stored JPEG; none for a trigger or an unknown event.
    let mid = m["id"].as_i64().expect("id");
    let (status, head, jpeg) =
        run.curl_bytes(&format!("/api/events/{mid}/thumbnail.jpg"), &viewer.get());
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/jpeg"),
        "{head}"
    );
    assert!(
        jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]),
        "a JPEG"
    );
    assert_eq!(
        run.curl_bytes(&format!("/api/events/{id}/thumbnail.jpg"), &viewer.get())
            .0,
        404
    );
    assert_eq!(
        run.curl_bytes("/api/events/999999/thumbnail.jpg", &viewer.get())
            .0,
        404
    );
    assert_eq!(
        run.curl_bytes(&format!("/api/events/{mid}/thumbnail.jpg"), &[])
            .0,
        401
    );

    // Bad input: a sentence and a 4xx.
    for (query, status, words) in [
        (
            "?from=yesterday",
            400,
            "from must be a time in microseconds",
        ),
        ("?limit=0", 400, "limit must be a whole number"),
        ("?source=dog", 400, "event source 'dog' is unknown"),
        ("?camera=nope", 404, "no camera named 'nope'"),
        ("?before=x.y", 400, "before must be"),
    ] {
        let (got, head, body) = run.curl_bytes(&format!("/api/events{query}"), &viewer.get());
        assert_eq!(got, status, "{query}: {head}");
        assert!(
            error_of(&body).contains(words),
            "{query}: {}",
            error_of(&body)
        );
    }

    // Viewers may not change events; nobody without the CSRF token.
    let protect = format!("/api/events/{id}/protect");
    let yes = r#"{"protected": true}"#;
    let (status, _, body) = run.curl_bytes(&protect, &viewer.change("POST", Some(yes)));
    assert_eq!(status, 403);
    assert!(
        error_of(&body).contains("may not protect or delete events"),
        "{}",
        error_of(&body)
    );
    assert_eq!(
        run.curl_bytes(&format!("/api/events/{id}"), &viewer.change("DELETE", None))
            .0,
        403
    );
    let no_csrf = ["-H", op.cookie_header.as_str(), "-X", "POST", "--data", yes];
    assert_eq!(
        run.curl_bytes(&protect, &no_csrf).0,
        403,
        "without the CSRF header"
    );
    assert_eq!(
        run.curl_bytes("/api/events/999999/protect", &op.change("POST", Some(yes)))
            .0,
        404
    );
    assert_eq!(
        run.curl_bytes("/api/events/abc/protect", &op.change("POST", Some(yes)))
            .0,
        400
    );
    assert_eq!(
        run.curl_bytes(&protect, &op.change("POST", Some("{}"))).0,
        400
    );

    // An operator protects (then deleting is refused in words), unprotects and deletes.
    let (status, head, body) = run.curl_bytes(&protect, &op.change("POST", Some(yes)));
    assert_eq!(status, 200, "{head}");
    assert_eq!(json(&body)["protected"], true);
    assert_eq!(events(&run, &viewer, "?label=door")[0]["protected"], true);
    let delete = format!("/api/events/{id}");
    let (status, _, body) = run.curl_bytes(&delete, &op.change("DELETE", None));
    assert_eq!(status, 409);
    assert!(
        error_of(&body).contains("unprotect it first"),
        "{}",
        error_of(&body)
    );
    let no = r#"{"protected": false}"#;
    assert_eq!(
        run.curl_bytes(&protect, &admin.change("POST", Some(no))).0,
        200
    );
    let (status, head, body) = run.curl_bytes(&delete, &op.change("DELETE", None));
    assert_eq!(status, 200, "{head}");
    assert_eq!(json(&body)["clips"], 1, "its clip went with it");
    assert!(events(&run, &viewer, "?label=door").is_empty());
    assert_eq!(run.curl_bytes(&delete, &op.change("DELETE", None)).0, 404);

    // The audit trail shows who did it.
    let trail = audit_trail(&run);
    let row = |action: &str, user: &str| {
        trail
            .iter()
            .find(|e| e["action"] == action && e["user"] == user)
            .cloned()
    };
    let deleted = row("event deleted", "olga").expect("the deletion is audited");
    eprintln!("audit: {deleted}");
    let detail = deleted["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("event {id} on camera cam")),
        "{detail}"
    );
    assert!(deleted["address"]
        .as_str()
        .is_some_and(|a| a.starts_with("127.0.0.1")));
    assert!(row("event protected", "olga").is_some());
    assert!(
        row("event unprotected", "ada").is_some(),
        "admins manage events too"
    );
    run.finish();
}
