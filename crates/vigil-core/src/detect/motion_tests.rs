//! Scenario tests for the motion detector on synthetic noisy scenes.

use super::*;
use crate::detect::scene::{appears, changes, feed, square, still, Scene, FRAME_US};

const W: usize = 160;
const H: usize = 90;

fn zone(id: i64, name: &str, kind: ZoneKind, polygon: &str) -> ZoneSpec {
    ZoneSpec::new(id, name, kind, Polygon::parse(polygon).unwrap())
}

fn left_right() -> Vec<ZoneSpec> {
    vec![
        zone(1, "left", ZoneKind::Detect, "0,0 0.5,0 0.5,1 0,1"),
        zone(2, "right", ZoneKind::Detect, "0.5,0 1,0 1,1 0.5,1"),
    ]
}

/// A bright 10×10 box moving right 2 px a frame on frames 20..45, within the left half.
fn moving_box(i: i64) -> impl Fn(usize, usize, u8) -> u8 {
    let on = (20..45).contains(&i);
    let x = 10 + 2 * (i.clamp(20, 45) - 20) as usize;
    move |px, py, b| {
        if on {
            square(x, 40, 10, 230)(px, py, b)
        } else {
            b
        }
    }
}

#[test]
fn moving_box_starts_one_event_and_ends_after_quiet() {
    let cfg = DetectorConfig::default();
    let mut det = MotionDetector::new(left_right(), cfg);
    let out = feed(&mut det, &mut Scene::new(W, H), 0..80, moving_box);
    let got = changes(&out);
    assert_eq!(got.len(), 2, "{got:?}");
    let (
        confirmed,
        MotionChange::Started {
            zone_id,
            at_us,
            score,
            ..
        },
    ) = &got[0]
    else {
        panic!("{got:?}");
    };
    assert_eq!(
        (*zone_id, *at_us),
        (1, 2_000_000),
        "dated at the box's first frame"
    );
    assert_eq!(*confirmed, 2_000_000 + cfg.start_after_us);
    assert!(*score > 0.01, "{score}");
    let (
        ended,
        MotionChange::Ended {
            zone_id,
            at_us,
            name,
            ..
        },
    ) = &got[1]
    else {
        panic!("{got:?}");
    };
    assert_eq!((*zone_id, name.as_str()), (1, "left"));
    // The box was last seen at 4.4 s and left at 4.5 s.
    assert!((4_400_000..=4_500_000).contains(at_us), "{at_us}");
    assert!(
        (ended - (4_500_000 + cfg.quiet_us)).abs() <= FRAME_US,
        "{ended}"
    );
    // Zone B never saw anything; A was active exactly between the two changes.
    assert!(out
        .iter()
        .all(|(_, d)| !d.zones[1].active && d.zones[1].changed == 0.0));
    assert!(out
        .iter()
        .all(|(ts, d)| d.zones[0].active == (*ts >= *confirmed && ts < ended)));
}

/// A box that stands still for 3 s and then vanishes, five times at the same place with 1 s
/// between visits: each event ends at the box's last frame, not seconds later (no "ghost" of
/// the partly absorbed box, and none that adds up over visits).
#[test]
fn still_object_leaving_ends_the_event_on_time() {
    let cfg = DetectorConfig::default();
    let mut det = MotionDetector::new(left_right(), cfg);
    // Visit k: frames 20 + 40k .. 50 + 40k (3 s on, 1 s off at 10 fps).
    let on = |i: i64| i >= 20 && (i - 20) % 40 < 30 && i < 20 + 40 * 5;
    let out = feed(&mut det, &mut Scene::new(W, H), 0..260, |i| {
        let visible = on(i);
        move |x, y, b| {
            if visible {
                square(20, 40, 12, 230)(x, y, b)
            } else {
                b
            }
        }
    });
    let ends: Vec<i64> = changes(&out)
        .iter()
        .filter_map(|(_, c)| match c {
            MotionChange::Ended { at_us, .. } => Some(*at_us),
            _ => None,
        })
        .collect();
    // The 1 s gaps are shorter than the quiet period, so the five visits make one event
    // that ends with the last one; what matters is that it ends on time.
    let last_frame_us = (20 + 40 * 4 + 29) * FRAME_US;
    assert_eq!(ends.len(), 1, "{:?}", changes(&out));
    assert!(
        (last_frame_us..=last_frame_us + FRAME_US).contains(&ends[0]),
        "ended at {} µs, box last seen at {last_frame_us}",
        ends[0]
    );
    // And after the first bare frame, what is left of the box stays below the minimum area.
    let min_area = crate::detect::zone::DEFAULT_MIN_AREA;
    let after: Vec<f32> = out
        .iter()
        .filter(|(ts, _)| *ts > last_frame_us + FRAME_US)
        .map(|(_, d)| d.zones[0].changed)
        .filter(|&changed| changed >= min_area)
        .collect();
    assert!(after.is_empty(), "{after:?}");
}

#[test]
fn box_inside_mask_gives_no_event() {
    let mask = zone(9, "road", ZoneKind::Mask, "0,0.3 0.5,0.3 0.5,0.8 0,0.8");
    let mut det = MotionDetector::new(vec![mask], DetectorConfig::default());
    let out = feed(&mut det, &mut Scene::new(W, H), 0..80, moving_box);
    assert_eq!(changes(&out), vec![]);
    assert!(out
        .iter()
        .all(|(_, d)| d.zones.len() == 1 && d.zones[0].changed == 0.0));
    // Without the mask the implicit whole-frame zone sees it.
    let mut det = MotionDetector::new(vec![], DetectorConfig::default());
    let got = changes(&feed(&mut det, &mut Scene::new(W, H), 0..80, moving_box));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        matches!(&got[0].1, MotionChange::Started { zone_id: 0, name, at_us: 2_000_000, .. }
        if name == "frame")
    );
}

#[test]
fn brightness_jump_is_rejected_and_learned() {
    let mut det = MotionDetector::new(left_right(), DetectorConfig::default());
    let out = feed(&mut det, &mut Scene::new(W, H), 0..60, |i| {
        move |_: usize, _: usize, b: u8| if i >= 20 { b.saturating_add(60) } else { b }
    });
    assert_eq!(changes(&out), vec![]);
    for (ts, d) in &out {
        let jump = *ts == 2_000_000;
        assert_eq!(d.rejected_global, jump, "at {ts}");
        if jump {
            assert!(d.frame_changed > 0.9, "{}", d.frame_changed);
        } else {
            assert!(d.frame_changed < 0.001, "{} at {ts}", d.frame_changed);
        }
        assert!(d.zones.iter().all(|z| z.changed < 0.001 && !z.active));
    }
}

#[test]
fn noise_alone_never_triggers() {
    let mut scene = Scene::new(W, H);
    scene.noise = 6;
    let mut zones = left_right();
    zones.iter_mut().for_each(|z| z.sensitivity = 100);
    let mut det = MotionDetector::new(zones, DetectorConfig::default());
    let out = feed(&mut det, &mut scene, 0..300, |_| still);
    assert_eq!(changes(&out), vec![]);
    assert!(out
        .iter()
        .all(|(_, d)| d.frame_changed == 0.0 && !d.rejected_global));
}

#[test]
fn tiny_change_stays_below_min_area() {
    let run = |min_area: f32| {
        let mut big = zone(1, "yard", ZoneKind::Detect, "0,0 1,0 1,1 0,1");
        (big.sensitivity, big.min_area) = (100, min_area);
        let mut det = MotionDetector::new(vec![big], DetectorConfig::default());
        let out = feed(&mut det, &mut Scene::new(W, H), 0..40, |i| {
            appears(i, 10, 80, 45, 2)
        });
        let seen = out
            .iter()
            .map(|(_, d)| d.zones[0].changed)
            .fold(0.0, f32::max);
        (changes(&out), seen)
    };
    // A 2×2 px change in a 160×90 zone: well under the default 0.5 %.
    let (got, seen) = run(0.005);
    assert_eq!(got, vec![]);
    assert!(seen > 0.0 && seen < 0.005, "{seen}");
    // The same change counts once the zone asks for less.
    let (got, _) = run(0.001);
    assert!(
        matches!(
            got[0].1,
            MotionChange::Started {
                at_us: 1_000_000,
                ..
            }
        ),
        "{got:?}"
    );
}

#[test]
fn sensitivity_decides_faint_change() {
    let run = |sensitivity: u8| {
        let mut z = zone(
            1,
            "porch",
            ZoneKind::Detect,
            "0.2,0.2 0.8,0.2 0.8,0.8 0.2,0.8",
        );
        z.sensitivity = sensitivity;
        let mut det = MotionDetector::new(vec![z], DetectorConfig::default());
        let faint = |i: i64| {
            move |x: usize, y: usize, b: u8| {
                let inside = (60..80).contains(&x) && (35..55).contains(&y);
                if i >= 10 && inside {
                    b + 15
                } else {
                    b
                }
            }
        };
        changes(&feed(&mut det, &mut Scene::new(W, H), 0..30, faint))
    };
    assert_eq!(run(0), vec![]);
    let got = run(100);
    assert!(
        matches!(
            got[..],
            [(
                1_400_000,
                MotionChange::Started {
                    at_us: 1_000_000,
                    ..
                }
            )]
        ),
        "{got:?}"
    );
}

#[test]
fn resolution_change_reinitialises_without_false_event() {
    let mut det = MotionDetector::new(left_right(), DetectorConfig::default());
    // An event in progress at 160×90 ends when the size changes.
    let out = feed(&mut det, &mut Scene::new(W, H), 0..30, moving_box);
    assert!(matches!(
        changes(&out)[..],
        [(_, MotionChange::Started { .. })]
    ));
    let mut big = Scene::new(2 * W, 2 * H);
    let out = feed(&mut det, &mut big, 30..90, |_| still);
    let got = changes(&out);
    assert!(
        matches!(
            &got[..],
            [(
                3_000_000,
                MotionChange::Ended {
                    zone_id: 1,
                    at_us: 2_900_000,
                    ..
                }
            )]
        ),
        "{got:?}"
    );
    let first = &out[0].1;
    assert_eq!(first.frame_changed, 0.0);
    assert!(first.zones.iter().all(|z| !z.active && z.changed == 0.0));
    assert!(out.iter().all(|(_, d)| d.frame_changed < 0.001));
    // Zones still work at the new size: a box on the right half starts zone 2.
    let out = feed(&mut det, &mut big, 90..110, |i| appears(i, 95, 250, 80, 20));
    let got = changes(&out);
    assert!(
        matches!(
            &got[..],
            [(
                _,
                MotionChange::Started {
                    zone_id: 2,
                    at_us: 9_500_000,
                    ..
                }
            )]
        ),
        "{got:?}"
    );
}

#[test]
fn set_zones_keeps_background_and_ends_removed_zone() {
    let mut det = MotionDetector::new(left_right(), DetectorConfig::default());
    let mut scene = Scene::new(W, H);
    let out = feed(&mut det, &mut scene, 0..30, moving_box);
    assert_eq!(changes(&out).len(), 1);
    // Drop "left" (active), keep "right" and add a mask: "left" ends on the next frame.
    let mut zones = left_right().split_off(1);
    zones.push(zone(5, "tree", ZoneKind::Mask, "0.9,0 1,0 1,0.2"));
    det.set_zones(zones);
    let out = feed(&mut det, &mut scene, 30..60, |_| still);
    let got = changes(&out);
    assert!(
        matches!(
            &got[..],
            [(3_000_000, MotionChange::Ended { zone_id: 1, .. })]
        ),
        "{got:?}"
    );
    // The background was kept: no re-initialisation, right after the switch either.
    assert!(out
        .iter()
        .all(|(_, d)| d.zones.len() == 1 && d.zones[0].zone_id == 2));
    assert!(out[1..].iter().all(|(_, d)| d.frame_changed < 0.001));
}

#[test]
fn invalid_and_padded_frames() {
    let mut det = MotionDetector::new(vec![], DetectorConfig::default());
    let data = vec![100u8; 100];
    for (width, height, stride) in [(0, 10, 10), (10, 0, 10), (11, 10, 10), (10, 11, 10)] {
        let frame = GrayFrame {
            width,
            height,
            stride,
            data: &data,
        };
        assert!(!frame.is_valid());
        assert_eq!(det.process(&frame, 0), Detection::default());
    }
    // Rows padded with changing garbage: only the visible pixels count.
    for i in 0..20u8 {
        let data: Vec<u8> = (0..16 * 8)
            .map(|p| if p % 16 < 10 { 100 } else { i * 13 })
            .collect();
        let frame = GrayFrame {
            width: 10,
            height: 8,
            stride: 16,
            data: &data,
        };
        let d = det.process(&frame, i64::from(i) * FRAME_US);
        assert_eq!((d.frame_changed, d.changes.len()), (0.0, 0));
    }
}

/// Per-frame cost at 320×180 with two zones and a mask. Run it in release:
/// `cargo test --release --lib detect::motion::tests::per_frame_cost -- --ignored --nocapture`
#[test]
#[ignore]
fn per_frame_cost() {
    let mut zones = left_right();
    zones.push(zone(5, "tree", ZoneKind::Mask, "0.9,0 1,0 1,0.2"));
    let mut det = MotionDetector::new(zones, DetectorConfig::default());
    let mut scene = Scene::new(320, 180);
    let frames: Vec<Vec<u8>> = (0..50)
        .map(|i| scene.frame(square(10 + i, 80, 20, 230)))
        .collect();
    let n = 2000;
    let start = std::time::Instant::now();
    for i in 0..n {
        let data = &frames[i % frames.len()];
        let frame = GrayFrame {
            width: 320,
            height: 180,
            stride: 320,
            data,
        };
        std::hint::black_box(det.process(&frame, i as i64 * FRAME_US));
    }
    let per_frame = start.elapsed() / n as u32;
    println!("320x180: {per_frame:?} per frame");
    if !cfg!(debug_assertions) {
        assert!(
            per_frame < std::time::Duration::from_millis(1),
            "{per_frame:?}"
        );
    }
}

/// A stream that ends during the quiet period: the event ends where the box was last seen,
/// not when the stream stopped.
#[test]
fn stream_end_in_the_quiet_period_ends_at_the_last_motion() {
    let mut det = MotionDetector::new(left_right(), DetectorConfig::default());
    let out = feed(&mut det, &mut Scene::new(W, H), 0..55, moving_box);
    assert!(changes(&out)
        .iter()
        .all(|(_, c)| matches!(c, MotionChange::Started { .. })));
    let ended = det.finish_all();
    let [MotionChange::Ended { zone_id, at_us, .. }] = ended.as_slice() else {
        panic!("{ended:?}");
    };
    assert_eq!(*zone_id, 1);
    assert!((4_400_000..=4_500_000).contains(at_us), "{at_us}");
    assert!(det.finish_all().is_empty(), "ended once");
}

/// Moved cells per analysed frame over two minutes at `fps`, of a box that walks from 10 s
/// to 15 s and then stands still; (time in µs, cells).
fn walk_then_stand(fps: i64, learn_interval_us: i64) -> Vec<(i64, u32)> {
    let cfg = DetectorConfig {
        learn_interval_us,
        ..DetectorConfig::default()
    };
    let mut det = MotionDetector::new(Vec::new(), cfg);
    let mut scene = Scene::new(W, H);
    (0..120 * fps)
        .map(|i| {
            let at_us = i * 1_000_000 / fps;
            let walked = (at_us.clamp(10_000_000, 15_000_000) - 10_000_000) * 16 / 1_000_000;
            let data = scene.frame(|x, y, b| {
                if at_us >= 10_000_000 {
                    square(10 + walked as usize, 40, 12, 230)(x, y, b)
                } else {
                    b
                }
            });
            let frame = GrayFrame {
                width: W,
                height: H,
                stride: W,
                data: &data,
            };
            det.process(&frame, at_us);
            (at_us, det.moved_cells().count())
        })
        .collect()
}

/// When the last frame with moved cells was, µs.
fn last_moved(frames: &[(i64, u32)]) -> i64 {
    frames
        .iter()
        .filter(|f| f.1 > 0)
        .map(|f| f.0)
        .max()
        .unwrap_or(0)
}

/// At one frame a second (a key-frame-only motion index) the background learns at the same
/// pace in time as at 5 fps: a box that walks shows cells on every frame it walks, none
/// before, and once it stands still it becomes background about when it does at 5 fps
/// (within 30 %: 38 s and 43 s); learning per frame alone would take five times as long.
#[test]
fn one_frame_a_second_moves_then_stops() {
    let full = walk_then_stand(5, 0);
    let keyed = walk_then_stand(1, 200_000);
    let walking = |f: &&(i64, u32)| (10_000_000..=15_000_000).contains(&f.0);
    assert!(keyed.iter().filter(walking).all(|f| f.1 > 0), "{keyed:?}");
    assert!(
        keyed.iter().filter(|f| f.0 < 10_000_000).all(|f| f.1 == 0),
        "{keyed:?}"
    );
    let (settled_full, settled_keyed) = (last_moved(&full), last_moved(&keyed));
    assert!(
        settled_full > 15_000_000 && settled_full < 100_000_000,
        "{full:?}"
    );
    let off = (settled_keyed - settled_full).abs() as f64 / (settled_full - 15_000_000) as f64;
    assert!(
        off < 0.3,
        "still after {settled_keyed} µs at 1 fps, {settled_full} µs at 5 fps"
    );
    let unpaced = last_moved(&walk_then_stand(1, 0));
    assert!(unpaced > 2 * settled_full, "{unpaced} µs");
}
