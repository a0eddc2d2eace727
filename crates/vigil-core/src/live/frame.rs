//! What a live decoder shares with its viewer: the latest picture (replaced, never queued),
//! a frame counter, the tile size wanted, the last decoding problem in words, whether the
//! viewer marked the watch a priority (selected tile) and whether the decoder takes key
//! frames only (the decode budget).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::media::decode::RgbaImage;

/// Called after each new picture (e.g. the GUI's `request_repaint`).
pub type Repaint = Arc<dyn Fn() + Send + Sync>;

/// One live picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveFrame {
    /// RGBA, `width * height * 4` bytes, opaque.
    pub image: RgbaImage,
    /// Wall-clock time of the picture, UTC µs.
    pub wall_us: i64,
    /// 1 for the first picture of this watch, then counting up.
    pub seq: u64,
    /// Size of the decoded picture before it was fitted to the tile (the stream's own).
    pub source: (u32, u32),
}

/// The slot between one decoder thread and its viewer.
pub(crate) struct LiveSlot {
    latest: Mutex<Option<Arc<LiveFrame>>>,
    seq: AtomicU64,
    /// Requested box, packed `width << 32 | height`.
    size: AtomicU64,
    error: Mutex<Option<String>>,
    stopped: AtomicBool,
    /// The viewer's priority watch (selected tile, full screen): never key frames only.
    priority: AtomicBool,
    /// The decoder takes key frames only now.
    keyframes_only: AtomicBool,
    repaint: Option<Repaint>,
}

fn pack(width: u32, height: u32) -> u64 {
    (u64::from(width.max(1)) << 32) | u64::from(height.max(1))
}

impl LiveSlot {
    pub(crate) fn new(width: u32, height: u32, repaint: Option<Repaint>) -> Self {
        Self {
            latest: Mutex::new(None),
            seq: AtomicU64::new(0),
            size: AtomicU64::new(pack(width, height)),
            error: Mutex::new(None),
            stopped: AtomicBool::new(false),
            priority: AtomicBool::new(false),
            keyframes_only: AtomicBool::new(false),
            repaint,
        }
    }

    fn latest_slot(&self) -> MutexGuard<'_, Option<Arc<LiveFrame>>> {
        self.latest.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error_slot(&self) -> MutexGuard<'_, Option<String>> {
        self.error.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the latest picture and wakes the viewer.
    pub(crate) fn publish(&self, image: RgbaImage, wall_us: i64, source: (u32, u32)) {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        *self.latest_slot() = Some(Arc::new(LiveFrame {
            image,
            wall_us,
            seq,
            source,
        }));
        self.set_error(None);
        self.wake();
    }

    pub(crate) fn set_error(&self, error: Option<String>) {
        let mut slot = self.error_slot();
        if *slot != error {
            *slot = error;
            drop(slot);
            self.wake();
        }
    }

    fn wake(&self) {
        if let Some(repaint) = &self.repaint {
            repaint();
        }
    }

    pub(crate) fn latest(&self) -> Option<Arc<LiveFrame>> {
        self.latest_slot().clone()
    }

    pub(crate) fn seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    pub(crate) fn error(&self) -> Option<String> {
        self.error_slot().clone()
    }

    pub(crate) fn size(&self) -> (u32, u32) {
        let v = self.size.load(Ordering::Relaxed);
        ((v >> 32) as u32, v as u32)
    }

    pub(crate) fn set_size(&self, width: u32, height: u32) {
        self.size.store(pack(width, height), Ordering::Relaxed);
    }

    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    pub(crate) fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    pub(crate) fn set_priority(&self, priority: bool) {
        self.priority.store(priority, Ordering::Relaxed);
    }

    pub(crate) fn priority(&self) -> bool {
        self.priority.load(Ordering::Relaxed)
    }

    /// Set by the decoder; wakes the viewer when it changes (the tile's marker).
    pub(crate) fn set_keyframes_only(&self, on: bool) {
        if self.keyframes_only.swap(on, Ordering::Relaxed) != on {
            self.wake();
        }
    }

    pub(crate) fn keyframes_only(&self) -> bool {
        self.keyframes_only.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_keeps_only_the_latest_picture_and_wakes_the_viewer() {
        let woken = Arc::new(AtomicU64::new(0));
        let w = Arc::clone(&woken);
        let shared = LiveSlot::new(
            0,
            0,
            Some(Arc::new(move || {
                w.fetch_add(1, Ordering::Relaxed);
            })),
        );
        assert_eq!(shared.size(), (1, 1));
        shared.set_size(320, 180);
        assert_eq!(shared.size(), (320, 180));
        for n in 0..3 {
            let image = RgbaImage {
                width: 1,
                height: 1,
                data: vec![n; 4],
            };
            shared.publish(image, i64::from(n), (640, 360));
        }
        let latest = shared.latest().expect("a picture");
        assert_eq!((latest.seq, latest.wall_us), (3, 2));
        assert_eq!(latest.source, (640, 360));
        assert_eq!(shared.seq(), 3);
        assert_eq!(woken.load(Ordering::Relaxed), 3);
    }
}
