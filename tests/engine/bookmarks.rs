//! Bookmarks through the `vigil` binary on footage `vigil run` recorded: add (a range and a
//! moment), list, search, bad input refused in a sentence, export by bookmark (ffprobe),
//! a protected bookmark's footage kept through retention, remove.

use crate::common;

use std::time::Duration;

use common::{ffprobe, wait_until, Vigil};

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

fn rfc3339(us: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000).expect("time");
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("format")
}

fn spans(vigil: &Vigil) -> Vec<(i64, i64)> {
    vigil
        .recordings()
        .iter()
        .map(|r| {
            (
                r["start_us"].as_i64().unwrap_or(0),
                r["end_us"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

fn list(vigil: &Vigil, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["bookmark", "list", "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&vigil.ok(&args)).expect("bookmark list --json is a JSON array")
}

fn refused(vigil: &Vigil, args: &[&str]) -> String {
    let out = vigil.run(args);
    assert!(!out.status.success(), "vigil {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bookmarks_round_trip_export_and_keep_protected_footage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    // Retention keeps 5 s: the next run's start sweeps this run's footage.
    vigil.add_demo_camera(
        "front",
        &["--segment-seconds", "2", "--retain-days", "0.0000579"],
    );
    let out = vigil.run(&["run", "--for", "12s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recorded = spans(&vigil);
    assert!(recorded.len() >= 4, "{recorded:?}");
    let (a, b) = recorded[1];
    let moment = (recorded[2].0 + recorded[2].1) / 2;

    let added: serde_json::Value = serde_json::from_str(&vigil.ok(&[
        "bookmark",
        "add",
        "--camera",
        "front",
        "--from",
        &rfc3339(a),
        "--to",
        &rfc3339(b),
        "--name",
        "White van",
        "--note",
        "plate half visible",
        "--protect",
        "--json",
    ]))
    .expect("JSON");
    let van = added["id"].as_i64().expect("its id");
    assert_eq!(added["by_user"], "root (cli)");
    assert_eq!(added["protected"], true);
    let said = vigil.ok(&[
        "bookmark",
        "add",
        "--camera",
        "front",
        "--at",
        &rfc3339(moment),
        "--name",
        "Knock",
    ]);
    assert!(
        said.starts_with("bookmark ") && said.contains(" added: front  at "),
        "{said}"
    );
    let knock: i64 = said
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("its number");

    let names = |extra: &[&str]| -> Vec<String> {
        list(&vigil, extra)
            .iter()
            .map(|b| b["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names(&[]), ["White van", "Knock"]);
    assert_eq!(names(&["--search", "VAN"]), ["White van"]);
    assert_eq!(
        names(&["--search", "plate"]),
        ["White van"],
        "the note is searched"
    );
    assert_eq!(
        names(&["--camera", "front", "--from", &rfc3339(moment - 1)]),
        ["Knock"]
    );
    let text = vigil.ok(&["bookmark", "list"]);
    assert!(
        text.contains("\"White van\"  protected  by root (cli)"),
        "{text}"
    );

    // Bad input, each in a sentence.
    let from_to = ["--from", &rfc3339(b), "--to", &rfc3339(a)];
    let mut args = vec!["bookmark", "add", "--camera", "front", "--name", "x"];
    args.extend_from_slice(&from_to);
    assert!(refused(&vigil, &args).contains("--from must be before --to"));
    let blank = [
        "bookmark",
        "add",
        "--camera",
        "front",
        "--at",
        &rfc3339(a),
        "--name",
        "  ",
    ];
    assert!(refused(&vigil, &blank).contains("a bookmark needs a name"));
    let nobody = [
        "bookmark",
        "add",
        "--camera",
        "back",
        "--at",
        &rfc3339(a),
        "--name",
        "x",
    ];
    assert!(refused(&vigil, &nobody).contains("no camera named 'back'"));
    assert!(refused(&vigil, &["bookmark", "remove", "999"]).contains("there is no bookmark 999"));
    assert!(
        refused(&vigil, &["export", "--bookmark", "999", "-o", "x.mp4"])
            .contains("there is no bookmark 999")
    );

    // Export by bookmark: the range exactly (segments start on keyframes), a moment with
    // 10 s either side (as much of it as was recorded).
    let out_dir = tempfile::tempdir().expect("out dir");
    let clip = out_dir.path().join("van.mp4");
    let clip_s = clip.to_str().expect("path");
    vigil.ok(&["export", "--bookmark", &van.to_string(), "-o", clip_s]);
    let got = ffprobe(clip_s).duration_s;
    let want = (b - a) as f64 / 1e6;
    assert!(
        (got - want).abs() < 0.3,
        "exported {got} s of a {want} s bookmark"
    );
    let knock_clip = out_dir.path().join("knock.mp4");
    let knock_s = knock_clip.to_str().expect("path");
    let out = vigil.run(&["export", "--bookmark", &knock.to_string(), "-o", knock_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is a moment: exporting 10 s either side of it"),
        "{stderr}"
    );
    let first = recorded[0].0;
    let last = recorded[recorded.len() - 1].1;
    let want = ((moment + 10_000_000).min(last) - (moment - 10_000_000).max(first)) as f64 / 1e6;
    let got = ffprobe(knock_s).duration_s;
    assert!(
        (got - want).abs() < 2.5,
        "exported {got} s around the moment, want about {want} s"
    );

    // Five seconds after the footage ends, a new run's retention sweep keeps only the
    // protected bookmark's segment of it.
    assert!(wait_until(Duration::from_secs(20), || now_us() > last + 6_000_000));
    let out = vigil.run(&["run", "--for", "2s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<(i64, i64)> = spans(&vigil).into_iter().filter(|s| s.1 <= last).collect();
    assert_eq!(
        left,
        [(a, b)],
        "only the protected bookmark's footage is left"
    );

    let said = vigil.ok(&["bookmark", "remove", &van.to_string()]);
    assert!(
        said.starts_with(&format!("bookmark {van} removed: ")),
        "{said}"
    );
    assert_eq!(names(&[]), ["Knock"]);
}
