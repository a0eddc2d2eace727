//! Playback against real recordings (the demo camera recorded by the real `vigil` binary):
//! seeking lands on the exact picture (its PTS is what ffprobe lists, its burned-in frame
//! counter is the right one), playback is continuous across segment boundaries, jumps gaps
//! and says so, steps by exactly one picture, plays 4× faster, and keeps cameras in sync.
//! Playback time is driven by a hand-moved clock, so nothing depends on timing.

mod fixture;

use std::sync::Arc;

use fixture::{counter, fixture, poll, probed_walls, FRAME_US, H, W};
use vigil_core::model::Segment;
use vigil_core::playback::{FrameReader, ManualClock, Player, PlayerOptions, TrackStatus};

/// Picks numbers deterministically (a linear congruential generator).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as i64
    }
}

/// Segments with their pictures' `(pts, wall)` by ffprobe.
struct Probed(Vec<(Segment, Vec<(i64, i64)>)>);

impl Probed {
    fn new(segs: &[Segment]) -> Self {
        Self(segs.iter().map(|s| (s.clone(), probed_walls(s))).collect())
    }

    /// The picture showing at `pos`: in the segment covering `pos`, the last one presented
    /// at or before it. `(segment id, wall)`.
    fn at(&self, pos: i64) -> (i64, i64) {
        let (seg, frames) = self
            .0
            .iter()
            .find(|(s, _)| s.start_us <= pos && pos < s.end_us)
            .unwrap_or_else(|| panic!("no segment covers {pos}"));
        let wall = frames
            .iter()
            .take_while(|(_, wall)| *wall <= pos)
            .last()
            .expect("a picture at or before the position")
            .1;
        (seg.id, wall)
    }
}

#[test]
fn seeking_lands_on_the_exact_picture() {
    let fx = fixture();
    let mut rng = Lcg(7);
    for seg in fx.sessions().0.iter().take(2) {
        let probed = probed_walls(seg);
        assert!(
            probed.len() >= 75,
            "a 4 s segment at 25 fps: {}",
            probed.len()
        );
        // Read in order: every picture ffprobe lists, with consecutive counters.
        let mut reader = FrameReader::open(seg).expect("open");
        let mut counters = Vec::new();
        while let Some(f) = reader.next_frame(W, H).expect("next frame") {
            counters.push((f.pts, f.wall_us, counter(&f.image).expect("counter")));
        }
        let read: Vec<(i64, i64)> = counters.iter().map(|c| (c.0, c.1)).collect();
        assert_eq!(read, probed, "pictures read in order = ffprobe's frames");
        for w in counters.windows(2) {
            assert_eq!(w[1].2, w[0].2 + 1, "counters go up by one");
        }
        // Seek to random times, back and forth, on the same reader.
        let span = probed.last().expect("frames").1 + FRAME_US - seg.start_us;
        for _ in 0..40 {
            let target = seg.start_us + rng.below(span);
            let f = reader.seek(target, W, H).expect("seek");
            let i = probed.iter().rposition(|p| p.1 <= target).expect("a frame");
            assert_eq!(f.pts, probed[i].0, "PTS at {target}");
            assert!(f.wall_us <= target && target - f.wall_us < FRAME_US);
            assert_eq!(
                counter(&f.image),
                Some(counters[i].2),
                "picture at {target}"
            );
            assert_eq!((f.segment_id, f.camera_id), (seg.id, fx.a));
            // Reading on from a seek gives the next picture.
            if let Some(next) = reader.next_frame(W, H).expect("next") {
                assert_eq!(next.pts, probed[i + 1].0);
                assert_eq!(counter(&next.image), Some(counters[i + 1].2));
            }
        }
        // Cold: a new reader for each seek, and times just outside the pictures.
        let last = *probed.last().expect("frames");
        let cold = [
            seg.start_us - 5_000,
            seg.start_us + 1_000_000,
            last.1 + 30_000,
        ]
        .into_iter()
        .chain((0..5).map(|_| seg.start_us + rng.below(span)));
        for target in cold {
            let f = FrameReader::open(seg)
                .and_then(|mut r| r.seek(target, W, H))
                .expect("cold seek");
            let i = probed.iter().rposition(|p| p.1 <= target).unwrap_or(0);
            assert_eq!(f.pts, probed[i].0, "cold seek to {target}");
            assert_eq!(counter(&f.image), Some(counters[i].2));
        }
        // Scaled pictures keep the aspect ratio.
        let small = reader.seek(seg.start_us, 320, 320).expect("seek small");
        assert_eq!((small.image.width, small.image.height), (320, 180));
        assert_eq!(small.image.data.len(), 320 * 180 * 4);
    }
}

/// A player of `cameras` paused at `start`, driven by a hand-moved clock.
fn player(cameras: &[i64], start: i64) -> (Player, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let mut opts = PlayerOptions::new(W, H);
    opts.clock = clock.clone();
    let p = Player::open(&fixture().dir, cameras, start, opts).expect("player");
    (p, clock)
}

/// Waits until `camera` shows the picture presented at `wall` and the state says so;
/// returns its segment id.
fn shows(p: &Player, camera: i64, wall: i64) -> i64 {
    poll(&format!("camera {camera} to show {wall}"), || {
        let state = p.state();
        let track = state.tracks.iter().find(|t| t.camera_id == camera);
        p.latest(camera).is_some_and(|f| f.wall_us == wall)
            && track.is_some_and(|t| t.frame_wall_us == Some(wall))
    });
    p.latest(camera).map_or(0, |f| f.segment_id)
}

/// Starts playing and waits until the player has (so the clock moves only after).
fn play(p: &Player) {
    p.play().expect("play");
    poll("playing", || p.state().playing);
}

#[test]
fn playback_is_continuous_across_segment_boundaries() {
    let fx = fixture();
    let (first, _) = fx.sessions();
    let boundary = first[1].start_us;
    let start = boundary - 10 * FRAME_US;
    let probed = Probed::new(&first);
    let (p, clock) = player(&[fx.a], start);
    shows(&p, fx.a, probed.at(start).1);
    play(&p);
    // Half a picture at a time, so even a picture shown for less than 40 ms (the last one
    // of a segment can be: the next segment starts where the camera's clock put it) is seen.
    let mut seen = vec![probed.at(start)];
    let half = FRAME_US / 2;
    for k in 1..=50 {
        clock.advance(half);
        let (seg, wall) = probed.at(start + k * half);
        assert_eq!(shows(&p, fx.a, wall), seg);
        if seen.last() != Some(&(seg, wall)) {
            seen.push((seg, wall));
        }
    }
    // Every picture of both segments in that stretch, in order, none skipped.
    let end = start + 50 * half;
    let every: Vec<(i64, i64)> = probed
        .0
        .iter()
        .flat_map(|(s, frames)| {
            let s = s.clone();
            frames
                .iter()
                .filter(move |f| f.1 < s.end_us)
                .map(move |f| (s.id, f.1))
                .collect::<Vec<_>>()
        })
        .filter(|f| f.1 >= seen[0].1 && f.1 <= end)
        .collect();
    assert_eq!(seen, every, "pictures shown = pictures recorded");
    assert!(seen.iter().any(|s| s.0 == first[0].id) && seen.iter().any(|s| s.0 == first[1].id));
    for w in seen.windows(2) {
        let step = w[1].1 - w[0].1;
        assert!(
            step > 0 && step <= FRAME_US * 3 / 2,
            "step of {step} µs at {w:?}"
        );
    }
    assert!(p.state().playing);
}

#[test]
fn playback_jumps_a_gap_and_says_so() {
    let fx = fixture();
    let (first, after_gap) = fx.sessions();
    let end = first.last().expect("segment").end_us;
    // Paused in the gap: nothing to show, and when the next recording starts.
    let (p, clock) = player(&[fx.a], end + 100_000);
    poll("the gap to be reported", || {
        p.state().tracks[0].status
            == TrackStatus::InGap {
                next_us: Some(after_gap.start_us),
            }
    });
    assert!(p.latest(fx.a).is_none());
    assert!(p.state().describe().contains("next recording starts at"));
    // Steps from the gap: back to the last picture before it, then over it.
    let last_before = probed_walls(first.last().expect("segment"))
        .last()
        .expect("frames")
        .1;
    p.step(-1).expect("step back");
    shows(&p, fx.a, last_before);
    p.step(1).expect("step over the gap");
    shows(&p, fx.a, after_gap.start_us);
    // Playing into the gap jumps it.
    let start = end - 5 * FRAME_US;
    p.seek(start).expect("seek");
    shows(&p, fx.a, Probed::new(&first).at(start).1);
    play(&p);
    // One move of the clock past the end; the player jumps to the next recording's start.
    clock.advance(6 * FRAME_US);
    poll("playback to jump the gap", || {
        p.latest(fx.a).is_some_and(|f| f.segment_id == after_gap.id)
    });
    let state = p.state();
    let (from, to) = state.jumped_gap.expect("the jump is reported");
    assert!(from >= end && to == after_gap.start_us, "{from}..{to}");
    assert!(state.describe().contains("skipped"));
    let f = p.latest(fx.a).expect("picture");
    assert_eq!(
        f.wall_us, after_gap.start_us,
        "the first picture after the gap"
    );
    // And it goes on from there.
    clock.advance(FRAME_US);
    shows(&p, fx.a, after_gap.start_us + FRAME_US);
    // At the end of the recordings it stops, the last picture still shown.
    let segs = fx.segments(fx.a);
    let last = segs.last().expect("segment");
    let last_wall = probed_walls(last).last().expect("frames").1;
    p.seek(last_wall - 2 * FRAME_US).expect("seek near the end");
    shows(&p, fx.a, last_wall - 2 * FRAME_US);
    clock.advance(10 * FRAME_US);
    poll("playback to end", || p.state().ended);
    let state = p.state();
    assert!(!state.playing);
    assert_eq!(state.tracks[0].status, TrackStatus::Ended);
    assert_eq!(p.latest(fx.a).map(|f| f.wall_us), Some(last_wall));
    assert!(state.describe().starts_with("end of the recordings"));
}

/// A recording whose file is gone: the player says so in words and keeps running.
#[test]
fn a_missing_file_is_reported_in_words() {
    use vigil_core::library::{FinishedSegment, Library};
    use vigil_core::model::{CameraName, NewCamera, Policy, SegmentKind, Transport};
    let dir = tempfile::tempdir().expect("dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let cam = NewCamera {
        name: CameraName::parse("gone").expect("name"),
        url: "demo://".into(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: false,
        audio: false,
    };
    let id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
    lib.finish_segment(&FinishedSegment {
        camera_id: id,
        kind: SegmentKind::Continuous,
        start_us: 1_000_000,
        end_us: 5_000_000,
        rel_path: "recordings/gone/missing.mp4".into(),
        bytes: 1,
        codec: "h264".into(),
        width: W,
        height: H,
        frames: 100,
        event_id: None,
        audio_codec: None,
    })
    .expect("row");
    let p = Player::open(dir.path(), &[id], 2_000_000, PlayerOptions::new(W, H)).expect("player");
    poll("the error", || {
        matches!(&p.state().tracks[0].status, TrackStatus::Error(why)
            if why.contains("cannot open the recording") && why.contains("missing.mp4"))
    });
    assert!(p.latest(id).is_none());
    p.seek(3_000_000).expect("the player still takes commands");
    p.stop();
}

#[test]
fn steps_move_exactly_one_picture() {
    let fx = fixture();
    let (first, _) = fx.sessions();
    let frames: Vec<(i64, i64)> = first[..2]
        .iter()
        .flat_map(|s| probed_walls(s).into_iter().map(|(_, w)| (s.id, w)))
        .collect();
    // From the 10th picture of the first segment to past the boundary, and back.
    let last_of_first = frames.iter().filter(|f| f.0 == first[0].id).count() - 1;
    let (p, _clock) = player(&[fx.a], frames[10].1);
    shows(&p, fx.a, frames[10].1);
    for (i, &(seg, wall)) in frames.iter().enumerate().take(last_of_first + 4).skip(11) {
        p.step(1).expect("step");
        assert_eq!(shows(&p, fx.a, wall), seg, "step to picture {i}");
        assert_eq!(p.state().position_us, wall);
    }
    for i in (last_of_first - 3..=last_of_first + 2).rev() {
        p.step(-1).expect("step back");
        assert_eq!(
            shows(&p, fx.a, frames[i].1),
            frames[i].0,
            "back to picture {i}"
        );
    }
    p.step(-5).expect("five back");
    shows(&p, fx.a, frames[last_of_first - 8].1);
    assert!(!p.state().playing);
}

#[test]
fn four_times_speed_shows_every_fourth_picture() {
    let fx = fixture();
    let (first, _) = fx.sessions();
    let start = first[0].start_us + 20 * FRAME_US;
    let probed = Probed::new(&first);
    let (p, clock) = player(&[fx.a], start);
    shows(&p, fx.a, start);
    p.set_speed(4.0).expect("speed");
    assert!(p.set_speed(20.0).is_err(), "16× is the fastest");
    play(&p);
    let mut walls = vec![start];
    for k in 1..=12 {
        clock.advance(FRAME_US);
        let wall = probed.at(start + 4 * k * FRAME_US).1;
        shows(&p, fx.a, wall);
        walls.push(wall);
    }
    for w in walls.windows(2) {
        assert!((w[1] - w[0] - 4 * FRAME_US).abs() < FRAME_US / 2, "{w:?}");
    }
    let state = p.state();
    assert_eq!(state.speed, 4.0);
    assert_eq!(state.position_us, start + 48 * FRAME_US);
}

#[test]
fn cameras_play_in_sync() {
    let fx = fixture();
    let segs_a = Probed::new(&fx.sessions().0);
    let segs_b = Probed::new(&fx.segments(fx.b));
    // An instant both cameras recorded, away from the ends.
    let start = segs_a.0[0].0.start_us.max(segs_b.0[0].0.start_us) + 500_000;
    let (p, clock) = player(&[fx.a, fx.b], start);
    for k in 0..30 {
        let pos = start + k * FRAME_US;
        if k > 0 {
            clock.advance(FRAME_US);
        }
        shows(&p, fx.a, segs_a.at(pos).1);
        shows(&p, fx.b, segs_b.at(pos).1);
        for cam in [fx.a, fx.b] {
            let f = p.latest(cam).expect("picture");
            assert!(
                f.wall_us <= pos && pos - f.wall_us < FRAME_US,
                "camera {cam} at {pos}"
            );
        }
        if k == 0 {
            play(&p);
        }
    }
    assert_eq!(p.state().tracks.len(), 2);
    p.stop();
}
