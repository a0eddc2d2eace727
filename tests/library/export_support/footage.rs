//! The footage the export tests cut from: one camera recorded from the RTSP simulator in
//! 2-s segments by two `vigil run`s a few seconds apart.

use std::time::Duration;

use vigil_core::model::time::now_us;

use super::Seg;
use crate::common::{wait_until, RtspServer, Vigil};

/// Two recording runs of the same camera, `run1` then `run2`, a few seconds apart.
pub struct Footage {
    _server: RtspServer,
    pub dir: tempfile::TempDir,
    pub vigil: Vigil,
    pub run1: Vec<Seg>,
    pub run2: Vec<Seg>,
}

pub fn record_two_runs_with_a_gap() -> Footage {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(&dir.path().join("data"));
    let url = server.url("h264");
    let add = |name: &str, more: &[&str]| {
        let mut args = vec!["camera", "add", "--name", name, "--url", &url];
        args.extend_from_slice(more);
        vigil.ok(&args);
    };
    add("yard", &["--segment-seconds", "2"]);
    let segs = |v: &Vigil| -> Vec<Seg> { v.recordings().iter().map(Seg::from_json).collect() };
    vigil.ok(&["run", "--for", "8s"]);
    let run1 = segs(&vigil);
    // Segments 1 and 2 are whole (2 s) ones with segments on both sides.
    assert!(
        run1.len() >= 4,
        "first run recorded {} segments",
        run1.len()
    );
    let end1 = run1.last().map_or(0, |s| s.end_us);
    assert!(
        wait_until(Duration::from_secs(20), || now_us() > end1 + 3_000_000),
        "the clock did not move on"
    );
    vigil.ok(&["run", "--for", "7s"]);
    let run2: Vec<Seg> = segs(&vigil).into_iter().skip(run1.len()).collect();
    assert!(
        run2.len() >= 3,
        "second run recorded {} segments",
        run2.len()
    );
    // Another camera, with nothing recorded.
    add("gate", &[]);
    Footage {
        _server: server,
        dir,
        vigil,
        run1,
        run2,
    }
}

/// 0.3 s after the start of run 1's last segment that lasts long enough (the very last one
/// may be cut short by the stop): a keyframe is 0.3 s before it.
pub fn gap_export_from(f: &Footage) -> i64 {
    let seg = f
        .run1
        .iter()
        .rev()
        .find(|s| s.end_us - s.start_us > 500_000)
        .expect("a segment of run 1 longer than 0.5 s");
    seg.start_us + 300_000
}
