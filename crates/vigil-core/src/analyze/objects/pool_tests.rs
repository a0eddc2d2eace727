//! The pool with the real built-in model (installed by `packaging/install-deps.sh`) on
//! scikit-image's astronaut (the fixture install puts it in `~/.cache/vigil/fixtures`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use super::super::crop;
use super::*;
use crate::media::decode::RgbPicture;
use crate::model::{DetectorFormat, DetectorModel};

fn astronaut() -> image::RgbImage {
    let home = std::env::var("HOME").unwrap_or_default();
    let path = format!("{home}/.cache/vigil/fixtures/astronaut.png");
    image::open(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run `bash packaging/install-deps.sh test`"))
        .to_rgb8()
}

/// A 640×360 grey picture with the astronaut, 160 px square, at (400, 150).
fn scene() -> RgbPicture {
    let small = image::imageops::resize(&astronaut(), 160, 160, image::imageops::Triangle);
    let mut pic = image::RgbImage::from_pixel(640, 360, image::Rgb([128, 128, 128]));
    image::imageops::overlay(&mut pic, &small, 400, 150);
    RgbPicture {
        width: 640,
        height: 360,
        data: pic.into_raw(),
    }
}

fn ready(rx: &Receiver<Reply>) -> Arc<dyn ObjectDetector> {
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(Reply::Ready(d)) => d,
        Ok(Reply::Failed(why)) => panic!("the built-in model cannot load: {why}"),
        Ok(_) => panic!("an answer before the model"),
        Err(e) => panic!("no answer: {e}"),
    }
}

fn request(
    detector: &Arc<dyn ObjectDetector>,
    picture: &Arc<RgbPicture>,
    crop: Option<crop::Crop>,
    reply: &crossbeam_channel::Sender<Reply>,
    dropped: &Arc<AtomicU64>,
) -> Request {
    Request {
        detector: Arc::clone(detector),
        picture: Arc::clone(picture),
        crop,
        min_score: 0.5,
        at_us: 7,
        zones: vec![3],
        received: Instant::now(),
        reply: reply.clone(),
        dropped: Arc::clone(dropped),
    }
}

#[test]
fn the_model_loads_once_and_a_crop_around_the_motion_finds_the_person_in_place() {
    let pool = DetectorPool::new(1);
    let (a_tx, a_rx) = crossbeam_channel::bounded(8);
    let (b_tx, b_rx) = crossbeam_channel::bounded(8);
    pool.load(&DetectorModel::Builtin, &a_tx);
    pool.load(&DetectorModel::Builtin, &b_tx);
    let (a, b) = (ready(&a_rx), ready(&b_rx));
    assert!(Arc::ptr_eq(&a, &b), "one detector for both cameras");

    let picture = Arc::new(scene());
    // The motion region is where the astronaut is.
    let region = [400.0 / 640.0, 150.0 / 360.0, 560.0 / 640.0, 310.0 / 360.0];
    let crop = crop::plan(Some(region), 640, 360);
    assert!(crop.is_some(), "a small region is cropped");
    let dropped = Arc::new(AtomicU64::new(0));
    pool.submit(request(&a, &picture, crop, &a_tx, &dropped));
    let Ok(Reply::Found(f)) = a_rx.recv_timeout(Duration::from_secs(60)) else {
        panic!("no findings")
    };
    assert_eq!((f.at_us, f.zones.as_slice()), (7, [3].as_slice()));
    let person = f.found.first().expect("the astronaut is found");
    assert_eq!(person.label, "person");
    assert!(person.score > 0.7, "{person:?}");
    // The box is in whole-picture coordinates, around where she was put.
    let (cx, cy) = person.bbox.centre();
    assert!(
        (0.6..0.9).contains(&cx) && (0.4..0.9).contains(&cy),
        "{person:?}"
    );
    assert!(
        person.bbox.x + person.bbox.w <= 560.0 / 640.0 + 0.03,
        "{person:?}"
    );
    assert_eq!(dropped.load(Ordering::Relaxed), 0);
}

#[test]
fn a_busy_pool_drops_the_oldest_requests_and_counts_them() {
    let pool = DetectorPool::new(1);
    let (tx, rx) = crossbeam_channel::bounded(64);
    pool.load(&DetectorModel::Builtin, &tx);
    let detector = ready(&rx);
    let picture = Arc::new(scene());
    let dropped = Arc::new(AtomicU64::new(0));
    let sent = 20u64;
    for i in 0..sent {
        let mut r = request(&detector, &picture, None, &tx, &dropped);
        r.at_us = i as i64;
        pool.submit(r);
    }
    let mut answered = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while answered.len() as u64 + dropped.load(Ordering::Relaxed) < sent {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Reply::Found(f)) => answered.push(f.at_us),
            Ok(_) => panic!("only findings expected"),
            Err(_) => panic!("answered {answered:?}, dropped {dropped:?} of {sent}"),
        }
    }
    let dropped = dropped.load(Ordering::Relaxed);
    assert!(dropped > 0, "20 requests at once overflow a queue of 4");
    // What was kept is the newest: the last request is always answered.
    assert_eq!(answered.last(), Some(&(sent as i64 - 1)), "{answered:?}");
    assert!(
        answered.windows(2).all(|w| w[0] < w[1]),
        "in order: {answered:?}"
    );
}

#[test]
fn a_model_that_cannot_load_is_a_sentence_and_is_tried_again_later() {
    let pool = DetectorPool::new(1);
    let model = DetectorModel::Onnx {
        path: "/nonexistent/vigil-test/model.onnx".into(),
        format: DetectorFormat::Yolo,
        labels: None,
    };
    for _ in 0..2 {
        let (tx, rx) = crossbeam_channel::bounded(1);
        pool.load(&model, &tx);
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Reply::Failed(why)) => {
                assert!(why.contains("/nonexistent/vigil-test/model.onnx"), "{why}");
            }
            Ok(_) => panic!("a missing model loaded"),
            Err(e) => panic!("no answer: {e}"),
        }
    }
}
