//! Continuous recording from a real RTSP server: H.264 and H.265 remuxed (not re-encoded)
//! into fMP4 segments that start on keyframes, abut in wall-clock time, and match their rows.

use crate::common;

use common::{assert_files_match_rows, ffprobe, RtspServer, Vigil};

fn record_and_check(mount: &str, codec: &str) {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "front",
        "--url",
        &server.url(mount),
        "--segment-seconds",
        "3",
    ]);
    let out = vigil.run(&["run", "--for", "12s"]);
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let rows = vigil.recordings();
    assert!(
        rows.len() >= 3,
        "expected at least 3 segments in 12 s, got {}",
        rows.len()
    );
    for r in &rows {
        assert_eq!(r["camera"], "front");
        assert_eq!(r["kind"], "continuous");
        assert_eq!(r["codec"], codec);
        assert_eq!(
            (r["width"].as_u64(), r["height"].as_u64()),
            (Some(640), Some(360))
        );
        let path = r["path"].as_str().expect("path");
        assert!(path.starts_with('/'), "path must be absolute: {path}");
        let len = std::fs::metadata(path).expect("segment file").len();
        assert_eq!(
            r["bytes"].as_u64(),
            Some(len),
            "bytes column is the file size"
        );

        let p = ffprobe(path);
        assert_eq!(p.codec, codec, "no transcoding: codec unchanged");
        assert_eq!((p.width, p.height), (640, 360));
        assert_eq!(
            p.frames,
            r["frames"].as_u64().unwrap_or(0),
            "frame count in row"
        );
        assert!(
            p.dts.windows(2).all(|w| w[1] > w[0]),
            "dts strictly increasing in {path}"
        );
        let row_s = (r["end_us"].as_i64().unwrap() - r["start_us"].as_i64().unwrap()) as f64 / 1e6;
        // The file's duration matches the row's wall-clock extent within a frame or two.
        assert!(
            (p.duration_s - row_s).abs() < 0.1,
            "{path}: file {:.3} s vs row {row_s:.3} s",
            p.duration_s
        );
        // Frame count matches 25 fps over the duration (no frames lost or duplicated).
        let expected = p.duration_s * 25.0;
        assert!(
            (p.frames as f64 - expected).abs() <= 2.0,
            "{path}: {} frames for {:.3} s",
            p.frames,
            p.duration_s
        );
    }
    // Full segments (all but the last) are cut at the first keyframe at or after 3 s of
    // stream time: with a 1 s GOP at 25 fps that is exactly 75 frames.
    for (i, r) in rows[..rows.len() - 1].iter().enumerate() {
        assert_eq!(r["frames"].as_u64(), Some(75), "segment {i} cut at 3 s");
        let d = (r["end_us"].as_i64().unwrap() - r["start_us"].as_i64().unwrap()) as f64 / 1e6;
        // Wall-clock length equals stream length, except that the first segment of a
        // connection absorbs the start-up latency correction of the ingest clock.
        let tolerance = if i == 0 { 0.5 } else { 0.01 };
        assert!(
            (d - 3.0).abs() < tolerance,
            "segment {i} lasts {d:.3} s of wall time"
        );
    }
    // Consecutive segments of one connection abut: no gap, no overlap.
    for w in rows.windows(2) {
        let gap = w[1]["start_us"].as_i64().unwrap() - w[0]["end_us"].as_i64().unwrap();
        assert_eq!(gap, 0, "segments must abut exactly");
    }
    assert_files_match_rows(&vigil);
}

#[test]
fn records_h264_over_rtsp_into_abutting_fmp4_segments() {
    record_and_check("h264", "h264");
}

#[test]
fn records_h265_over_rtsp_into_abutting_fmp4_segments() {
    record_and_check("h265", "hevc");
}

#[test]
fn passwords_never_appear_in_output_and_auth_works() {
    let server = RtspServer::start(&["--user", "admin", "--password", "s3cretPW"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    let url = server.url_with_auth("admin", "s3cretPW", "h264");
    let added = vigil.ok(&["camera", "add", "--name", "gate", "--url", &url]);
    let list = vigil.ok(&["camera", "list"]);
    let json = vigil.ok(&["camera", "list", "--json"]);
    let out = vigil.run(&["-v", "run", "--for", "5s"]);
    let all = format!(
        "{added}{list}{json}{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "run failed: {all}");
    assert!(!all.contains("s3cretPW"), "password leaked:\n{all}");
    assert!(
        list.contains("admin:***@127.0.0.1"),
        "masked URL shown: {list}"
    );
    assert!(
        !vigil.recordings().is_empty(),
        "authenticated camera recorded"
    );
}
