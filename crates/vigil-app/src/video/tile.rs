//! One tile's live watches: the watch whose pictures are shown and, while the tile switches
//! streams (sub-stream ↔ main stream), the next one. The shown watch's last picture stays on
//! screen until the next watch has its first (it starts at a key frame); only then is the old
//! one dropped, so a switch never shows an empty tile. A sub-stream that fails (its status
//! says so, its decoder errs, or it sends no picture for [`SUB_STALL`]) makes the tile show
//! the main stream and say why.

use std::time::{Duration, Instant};

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use super::choice::{self, SubState};
use super::{ShownStream, WantedTile};
use crate::backend::Backend;
use vigil_core::service::{LiveHandle, LiveStream, Repaint};

/// How soon a failed watch is tried again.
const RETRY: Duration = Duration::from_secs(1);
/// A sub-stream without a new picture for this long has failed (key frames only still
/// brings one a GOP).
pub const SUB_STALL: Duration = Duration::from_secs(6);
/// How long a sub-stream that failed on screen is left alone before it is tried again.
const SUB_RETRY: Duration = Duration::from_secs(30);

struct Watch {
    handle: LiveHandle,
    last_seq: u64,
    /// When the latest picture came (or the watch started).
    last_picture: Instant,
}

impl Watch {
    fn new(handle: LiveHandle) -> Self {
        Self {
            handle,
            last_seq: 0,
            last_picture: Instant::now(),
        }
    }

    fn stream(&self) -> LiveStream {
        self.handle.stream()
    }

    /// Notes a new picture; says how long the watch has gone without one.
    fn silence(&mut self, now: Instant) -> Duration {
        let seq = self.handle.frame_seq();
        if seq != self.last_seq {
            self.last_seq = seq;
            self.last_picture = now;
        }
        now.duration_since(self.last_picture)
    }
}

pub(super) struct LiveTile {
    shown: Option<Watch>,
    next: Option<Watch>,
    texture: Option<TextureHandle>,
    shown_seq: u64,
    /// Size of the picture in the texture.
    pub(super) picture: Option<[u32; 2]>,
    /// The stream and source size of the picture in the texture.
    source: Option<(LiveStream, (u32, u32))>,
    /// Why no picture can be had (watch refused, or the stream cannot be decoded).
    pub(super) error: Option<String>,
    retry_at: Option<Instant>,
    /// The sub-stream's decoded picture width, once seen.
    sub_width: u32,
    /// Why the sub-stream is not used (it failed on screen), and since when.
    sub_failed: Option<(String, Instant)>,
    /// Why the main stream is shown instead of the sub-stream, now.
    fallback: Option<String>,
    /// A sub-stream silent this long has failed ([`SUB_STALL`]; shorter in tests).
    sub_stall: Duration,
}

impl Default for LiveTile {
    fn default() -> Self {
        Self {
            shown: None,
            next: None,
            texture: None,
            shown_seq: 0,
            picture: None,
            source: None,
            error: None,
            retry_at: None,
            sub_width: 0,
            sub_failed: None,
            fallback: None,
            sub_stall: SUB_STALL,
        }
    }
}

impl LiveTile {
    /// Keeps the tile's watches in step with what is wanted and uploads a new picture;
    /// says whether it uploaded one.
    pub(super) fn sync(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        wanted: &WantedTile,
        repaint: &Repaint,
    ) -> bool {
        let now = Instant::now();
        self.watch_sub(now);
        let target = self.target(wanted, now);
        self.start(backend, wanted, target, repaint, now);
        for w in self.shown.iter().chain(&self.next) {
            w.handle.set_size(wanted.size[0], wanted.size[1]);
            w.handle.set_priority(wanted.priority);
        }
        if self.next.as_ref().is_some_and(|n| n.handle.frame_seq() > 0) {
            // The next stream has its first picture: it takes over, the old watch ends.
            self.shown = self.next.take();
            self.shown_seq = 0;
        }
        self.upload(ctx, &wanted.camera)
    }

    /// Stops watching (the tile left the screen).
    pub(super) fn stop(&mut self) {
        self.shown = None;
        self.next = None;
    }

    pub(super) fn handle(&self) -> Option<&LiveHandle> {
        self.shown.as_ref().map(|w| &w.handle)
    }

    pub(super) fn texture(&self) -> Option<(&TextureHandle, [u32; 2])> {
        Some((self.texture.as_ref()?, self.picture?))
    }

    /// The stream whose picture is shown, for the tile's marker and hover details.
    pub(super) fn shown_stream(&self) -> Option<ShownStream> {
        let (stream, source) = self.source?;
        Some(ShownStream {
            stream,
            source,
            keyframes_only: self.handle().is_some_and(LiveHandle::keyframes_only),
            fallback: (stream == LiveStream::Main)
                .then(|| self.fallback.clone())
                .flatten(),
            switching: self.next.is_some(),
        })
    }

    /// A sub-stream watch that errs or stays silent too long has failed.
    fn watch_sub(&mut self, now: Instant) {
        let stall = self.sub_stall;
        for w in self.shown.iter_mut().chain(self.next.iter_mut()) {
            if w.stream() != LiveStream::Sub {
                continue;
            }
            let why = match w.handle.error() {
                Some(e) => Some(crate::tr!("video-sub-undecodable", error = e.to_string())),
                None => (w.silence(now) >= stall)
                    .then(|| crate::tr!("video-sub-silent", secs = stall.as_secs())),
            };
            if let (Some(why), None) = (why, &self.sub_failed) {
                tracing::info!(camera = %w.handle.camera(), %why, "live tile shows the main stream");
                self.sub_failed = Some((why, now));
            }
        }
        if self
            .next
            .as_ref()
            .is_some_and(|n| n.stream() == LiveStream::Sub)
            && self.sub_failed.is_some()
        {
            self.next = None;
        }
    }

    /// The stream the tile should show now.
    fn target(&mut self, wanted: &WantedTile, now: Instant) -> LiveStream {
        if self
            .sub_failed
            .as_ref()
            .is_some_and(|(_, at)| now.duration_since(*at) >= SUB_RETRY)
        {
            self.sub_failed = None;
        }
        self.fallback = match (&wanted.sub, &self.sub_failed) {
            (SubState::None, _) => None,
            (
                SubState::Some {
                    problem: Some(p), ..
                },
                _,
            ) => Some(crate::tr!("video-sub-failed", error = p.to_string())),
            (_, Some((why, _))) => Some(why.clone()),
            _ => None,
        };
        let SubState::Some { width, .. } = wanted.sub else {
            return LiveStream::Main;
        };
        if self.fallback.is_some() {
            return LiveStream::Main;
        }
        let sub_width = if self.sub_width > 0 {
            self.sub_width
        } else {
            width
        };
        let current = self
            .next
            .as_ref()
            .or(self.shown.as_ref())
            .map(Watch::stream);
        choice::by_size(wanted.size[0], sub_width, current)
    }

    /// Starts a watch of `target` unless one is shown or coming.
    fn start(
        &mut self,
        backend: &dyn Backend,
        wanted: &WantedTile,
        target: LiveStream,
        repaint: &Repaint,
        now: Instant,
    ) {
        if self.next.as_ref().is_some_and(|n| n.stream() != target) {
            self.next = None; // switched back before it had a picture
        }
        let shown = self.shown.as_ref().map(Watch::stream);
        if shown == Some(target) || self.next.is_some() {
            return;
        }
        if self.retry_at.is_some_and(|t| now < t) {
            return;
        }
        let [w, h] = wanted.size;
        match backend.watch_stream(&wanted.camera, target, w, h, Some(repaint.clone())) {
            Ok(handle) => {
                self.retry_at = None;
                if shown.is_some() {
                    self.next = Some(Watch::new(handle));
                } else {
                    self.shown = Some(Watch::new(handle));
                    self.shown_seq = 0;
                    self.error = None;
                }
            }
            Err(e) if target == LiveStream::Sub => {
                self.sub_failed =
                    Some((crate::tr!("video-sub-failed", error = e.to_string()), now));
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.retry_at = Some(now + RETRY);
            }
        }
    }

    /// Uploads the shown watch's newest picture if there is one; says whether it did.
    fn upload(&mut self, ctx: &Context, name: &str) -> bool {
        let Some(handle) = self.shown.as_ref().map(|w| &w.handle) else {
            return false;
        };
        if let Some(e) = handle.error() {
            self.error = Some(e);
        }
        if handle.frame_seq() == self.shown_seq {
            return false;
        }
        let Some(frame) = handle.latest() else {
            return false;
        };
        self.shown_seq = frame.seq;
        let img = &frame.image;
        let size = [img.width as usize, img.height as usize];
        if img.data.len() != size[0] * size[1] * 4 {
            return false;
        }
        if handle.stream() == LiveStream::Sub {
            self.sub_width = frame.source.0;
        }
        self.source = Some((handle.stream(), frame.source));
        // Live pictures are opaque, so premultiplied and unmultiplied alpha are the same
        // bytes: the premultiplied constructor is a plain copy, where the unmultiplied one
        // converts every pixel (measured with `vigil bench ui`, docs/PERFORMANCE.md).
        let color = ColorImage::from_rgba_premultiplied(size, &img.data);
        match &mut self.texture {
            Some(t) => t.set(color, TextureOptions::LINEAR),
            None => {
                self.texture =
                    Some(ctx.load_texture(format!("live-{name}"), color, TextureOptions::LINEAR))
            }
        }
        self.picture = Some([img.width, img.height]);
        self.error = None;
        true
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::backend::FixedBackend;

    fn setup() -> (FixedBackend, Context, Repaint) {
        let backend = FixedBackend::default();
        backend.live.tap("cam");
        backend.live.tap_of("cam", LiveStream::Sub);
        (backend, Context::default(), Arc::new(|| {}))
    }

    fn wanted(width: u32, sub: SubState) -> WantedTile {
        WantedTile {
            camera: "cam".into(),
            size: [width, width * 9 / 16],
            priority: false,
            sub,
        }
    }

    fn streams(tile: &LiveTile) -> (Option<LiveStream>, Option<LiveStream>) {
        (
            tile.shown.as_ref().map(Watch::stream),
            tile.next.as_ref().map(Watch::stream),
        )
    }

    const SUB: SubState = SubState::Some {
        width: 320,
        problem: None,
    };

    #[test]
    fn a_silent_sub_stream_hands_the_tile_to_the_main_stream_and_says_why() {
        let (backend, ctx, repaint) = setup();
        let mut tile = LiveTile {
            sub_stall: Duration::from_millis(100),
            ..LiveTile::default()
        };
        tile.sync(&ctx, &backend, &wanted(200, SUB), &repaint);
        assert_eq!(streams(&tile), (Some(LiveStream::Sub), None));
        let deadline = Instant::now() + Duration::from_secs(5);
        while streams(&tile).1.is_none() {
            assert!(Instant::now() < deadline, "the main stream started");
            std::thread::sleep(Duration::from_millis(20));
            tile.sync(&ctx, &backend, &wanted(200, SUB), &repaint);
        }
        // The silent sub-stream stays shown until the main stream has a picture.
        assert_eq!(
            streams(&tile),
            (Some(LiveStream::Sub), Some(LiveStream::Main))
        );
        let why = tile.fallback.as_deref().expect("the reason");
        assert!(why.starts_with("the sub-stream sent no picture"), "{why}");
    }

    #[test]
    fn a_switch_undone_before_its_first_picture_drops_the_new_watch() {
        let (backend, ctx, repaint) = setup();
        let mut tile = LiveTile::default();
        tile.sync(&ctx, &backend, &wanted(300, SUB), &repaint);
        assert_eq!(streams(&tile), (Some(LiveStream::Sub), None));
        tile.sync(&ctx, &backend, &wanted(1000, SUB), &repaint);
        assert_eq!(
            streams(&tile),
            (Some(LiveStream::Sub), Some(LiveStream::Main))
        );
        assert!(tile.shown_stream().is_none(), "no picture yet");
        tile.sync(&ctx, &backend, &wanted(300, SUB), &repaint);
        assert_eq!(streams(&tile), (Some(LiveStream::Sub), None));
        assert_eq!(backend.live.tap("cam").subscribers(), 0, "main unwatched");
    }

    #[test]
    fn cameras_without_a_sub_stream_or_with_a_failing_one_show_the_main_stream() {
        let (backend, ctx, repaint) = setup();
        let mut tile = LiveTile::default();
        tile.sync(&ctx, &backend, &wanted(200, SubState::None), &repaint);
        assert_eq!(streams(&tile), (Some(LiveStream::Main), None));
        assert_eq!(tile.fallback, None);
        let failing = SubState::Some {
            width: 320,
            problem: Some("connection refused".into()),
        };
        let mut tile = LiveTile::default();
        tile.sync(&ctx, &backend, &wanted(200, failing), &repaint);
        assert_eq!(streams(&tile), (Some(LiveStream::Main), None));
        assert_eq!(
            tile.fallback.as_deref(),
            Some("sub-stream failed: connection refused")
        );
    }
}
