//! Vigil's three ways of seeking, each timed from the request to the decoded RGBA picture
//! and checked (the picture presented at or before the target, within one picture of it):
//! cold (locate the segment, open its file, seek), warm (the segment's file already open),
//! and through a [`Player`] (a `Seek` command in, the picture published to the viewer).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use crate::BenchError;
use vigil_core::library::Library;
use vigil_core::model::Segment;
use vigil_core::playback::{
    locate, DecodedFrame, FrameReader, Located, PlaybackError, Player, PlayerOptions,
};

/// How far from the target the picture returned may be: one picture at 25 fps.
const FRAME_US: i64 = 40_000;

pub(super) fn failed(e: PlaybackError) -> BenchError {
    BenchError::Failed(e.to_string())
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn check(frame: &DecodedFrame, t: i64) -> Result<(), BenchError> {
    if frame.wall_us <= t && t - frame.wall_us < FRAME_US {
        return Ok(());
    }
    Err(BenchError::Failed(format!(
        "a seek to {t} returned the picture at {}",
        frame.wall_us
    )))
}

pub(super) fn covering(lib: &Library, camera: i64, t: i64) -> Result<Segment, BenchError> {
    match locate(lib, camera, t)? {
        Located::Segment(s) => Ok(s),
        Located::Gap { .. } => Err(BenchError::Failed(format!("no segment covers {t}"))),
    }
}

/// Cold: everything a click on another segment costs.
pub(super) fn cold(
    lib: &Library,
    camera: i64,
    t: i64,
    size: (u32, u32),
) -> Result<f64, BenchError> {
    let started = Instant::now();
    let seg = covering(lib, camera, t)?;
    let frame = FrameReader::open(&seg)
        .and_then(|mut r| r.seek(t, size.0, size.1))
        .map_err(failed)?;
    let took = ms(started.elapsed());
    check(&frame, t)?;
    Ok(took)
}

/// Warm: the reader of the target's segment is open (opened, untimed, when the target
/// moves to another segment).
pub(super) fn warm(
    reader: &mut Option<FrameReader>,
    lib: &Library,
    camera: i64,
    t: i64,
    size: (u32, u32),
) -> Result<f64, BenchError> {
    let covers = |r: &FrameReader| (r.segment().start_us..r.segment().end_us).contains(&t);
    if !reader.as_ref().is_some_and(covers) {
        *reader = None;
        *reader = Some(FrameReader::open(&covering(lib, camera, t)?).map_err(failed)?);
    }
    let Some(r) = reader.as_mut() else {
        return Err(BenchError::Failed("no reader".into()));
    };
    let started = Instant::now();
    let frame = r.seek(t, size.0, size.1).map_err(failed)?;
    let took = ms(started.elapsed());
    check(&frame, t)?;
    Ok(took)
}

/// A player of one camera and a signal from its repaint callback.
pub(super) struct TimedPlayer {
    player: Player,
    camera: i64,
    repainted: Receiver<()>,
}

impl TimedPlayer {
    pub fn open(dir: &Path, camera: i64, start: i64, size: (u32, u32)) -> Result<Self, BenchError> {
        let (tx, rx) = crossbeam_channel::bounded::<()>(1);
        let mut opts = PlayerOptions::new(size.0, size.1);
        opts.repaint = Some(Arc::new(move || {
            let _ = tx.try_send(());
        }));
        let player = Player::open(dir, &[camera], start, opts).map_err(failed)?;
        let p = Self {
            player,
            camera,
            repainted: rx,
        };
        p.wait(start, 0)?;
        Ok(p)
    }

    fn shows(&self, t: i64) -> bool {
        self.player
            .latest(self.camera)
            .is_some_and(|f| check(&f, t).is_ok())
    }

    /// Waits until a picture newer than `before` shows `t`.
    fn wait(&self, t: i64, before: u64) -> Result<(), BenchError> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !(self.player.frame_seq() > before && self.shows(t)) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.repainted.recv_timeout(left).is_err() && !self.shows(t) {
                let state = self.player.state().describe();
                return Err(BenchError::Failed(format!("no picture for {t}: {state}")));
            }
        }
        Ok(())
    }

    /// Sends `Seek(t)` and times it until the picture is published.
    pub fn seek(&self, t: i64) -> Result<f64, BenchError> {
        while self.repainted.try_recv().is_ok() {}
        let before = self.player.frame_seq();
        let started = Instant::now();
        self.player.seek(t).map_err(failed)?;
        self.wait(t, before)?;
        Ok(ms(started.elapsed()))
    }

    pub fn stop(self) {
        self.player.stop();
    }
}
