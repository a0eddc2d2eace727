//! Real recordings for the playback tests, made once per test run by the real `vigil`
//! binary: two demo cameras (640x360, 25 fps, a keyframe every 2 s, a frame counter burned
//! into each picture) in 4 s segments, recorded in two sessions with a gap between them.
//! Also what ffprobe and the burned-in counter say about them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use vigil_core::library::{Library, SegmentQuery};
use vigil_core::media::decode::RgbaImage;
use vigil_core::model::Segment;
use vigil_core::source::demo::DemoScene;

use crate::common::Vigil;

pub const W: u32 = 640;
pub const H: u32 = 360;
pub const FRAME_US: i64 = 40_000;

pub struct Fixture {
    pub dir: PathBuf,
    pub a: i64,
    pub b: i64,
}

impl Fixture {
    pub fn lib(&self) -> Library {
        Library::open(&self.dir).expect("library")
    }

    pub fn segments(&self, camera_id: i64) -> Vec<Segment> {
        self.lib()
            .segments(&SegmentQuery {
                camera_id: Some(camera_id),
                ..SegmentQuery::default()
            })
            .expect("segments")
    }

    /// Camera `a`'s segments of the first session (they abut) and the first segment of the
    /// second session (after a gap).
    pub fn sessions(&self) -> (Vec<Segment>, Segment) {
        let segs = self.segments(self.a);
        let gap_at = segs
            .windows(2)
            .position(|w| w[1].start_us > w[0].end_us)
            .expect("a gap between the two recording sessions");
        (segs[..=gap_at].to_vec(), segs[gap_at + 1].clone())
    }
}

/// The recordings, made on first use.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(record)
}

fn record() -> Fixture {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("playback-recordings");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("fixture dir");
    let vigil = Vigil::new(&dir);
    for name in ["a", "b"] {
        let url = "demo://?fps=25";
        vigil.ok(&[
            "camera",
            "add",
            "--name",
            name,
            "--url",
            url,
            "--segment-seconds",
            "4",
        ]);
    }
    vigil.ok(&["run", "--for", "9s"]);
    // The gap: nothing records for a moment between the two sessions.
    std::thread::sleep(Duration::from_millis(1500));
    vigil.ok(&["run", "--for", "5s"]);
    let lib = Library::open(&dir).expect("library");
    let id = |n: &str| lib.camera_by_name(n).expect("camera").id;
    Fixture {
        a: id("a"),
        b: id("b"),
        dir,
    }
}

/// One picture of a file as ffprobe lists it.
#[derive(Debug, Clone, Copy)]
pub struct ProbedFrame {
    pub pts: i64,
    pub pts_time: f64,
}

/// `ffprobe -show_entries frame=pts,pts_time` of a file, in presentation order.
pub fn probe_frames(path: &str) -> Vec<ProbedFrame> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "frame=pts,pts_time",
            "-of",
            "csv=p=0",
            path,
        ])
        .output()
        .expect("run ffprobe");
    assert!(out.status.success(), "ffprobe failed on {path}");
    let mut frames: Vec<ProbedFrame> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split(',');
            Some(ProbedFrame {
                pts: f.next()?.trim().parse().ok()?,
                pts_time: f.next()?.trim().parse().ok()?,
            })
        })
        .collect();
    frames.sort_by_key(|f| f.pts);
    frames
}

/// Wall times of a segment's pictures by ffprobe: the segment starts at its first packet.
pub fn probed_walls(seg: &Segment) -> Vec<(i64, i64)> {
    let frames = probe_frames(&seg.path);
    let t0 = frames.first().expect("frames").pts_time;
    frames
        .iter()
        .map(|f| {
            let wall = seg.start_us + ((f.pts_time - t0) * 1e6).round() as i64;
            (f.pts, wall)
        })
        .collect()
}

/// The frame counter the demo camera burned into a picture decoded at its full size.
pub fn counter(image: &RgbaImage) -> Option<u64> {
    assert_eq!(
        (image.width, image.height),
        (W, H),
        "counter needs full size"
    );
    let luma: Vec<u8> = image
        .data
        .chunks_exact(4)
        .map(|p| {
            ((299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000) as u8
        })
        .collect();
    DemoScene::new(W, H).read_counter(&luma, W as usize)
}

/// Polls `cond` every 2 ms until it holds; panics with `what` after 20 s.
pub fn poll(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}
