//! The pre-event buffer: the last few seconds of packets held in memory, whole GOPs only, so
//! an event clip can begin at the keyframe at or before `event_start - pre_event`. It is
//! bounded by time and by bytes: a camera with a very long (or no) keyframe interval cannot
//! make it grow without limit. Over the byte cap the oldest GOPs go first; a single GOP over
//! the cap is dropped whole (a GOP cut short at its start could not be decoded), and
//! buffering resumes at the next keyframe. Audio packets are held in the GOP they arrive in,
//! so they go (and stay) with the video around them.

use std::collections::VecDeque;

use super::item::Item;

/// Packets from one video keyframe up to the next (with the audio that came meanwhile).
#[derive(Debug)]
struct Gop {
    start_us: i64,
    packets: Vec<Item>,
    bytes: usize,
}

/// Default byte cap of one camera's pre-event buffer: 256 MiB, about 35 s of 4K at 60 Mbit/s.
pub const DEFAULT_MAX_BYTES: usize = 256 << 20;

#[derive(Debug)]
pub struct PreBuffer {
    keep_us: i64,
    max_bytes: usize,
    gops: VecDeque<Gop>,
    bytes: usize,
    /// Times data was dropped to stay under `max_bytes`.
    overflows: u64,
}

impl PreBuffer {
    /// Holds at least `keep_us` of video (plus up to one GOP, so it can start on a keyframe),
    /// at most [`DEFAULT_MAX_BYTES`].
    pub fn new(keep_us: i64) -> Self {
        Self::with_cap(keep_us, DEFAULT_MAX_BYTES)
    }

    /// Holds at least `keep_us` of video but never more than `max_bytes`.
    pub fn with_cap(keep_us: i64, max_bytes: usize) -> Self {
        Self {
            keep_us,
            max_bytes,
            gops: VecDeque::new(),
            bytes: 0,
            overflows: 0,
        }
    }

    /// Times video was dropped because the buffer reached its byte cap.
    pub fn overflows(&self) -> u64 {
        self.overflows
    }

    pub fn set_keep(&mut self, keep_us: i64) {
        self.keep_us = keep_us;
    }

    /// Bytes held (for the memory figure in the status and benchmarks).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn is_empty(&self) -> bool {
        self.gops.is_empty()
    }

    /// Adds a packet; packets before the first keyframe are dropped (nothing can start there).
    pub fn push(&mut self, pkt: Item) {
        let size = pkt.bytes();
        let video = pkt.is_video();
        if pkt.is_keyframe() {
            self.gops.push_back(Gop {
                start_us: pkt.wall_us(),
                packets: vec![pkt],
                bytes: size,
            });
        } else if let Some(gop) = self.gops.back_mut() {
            gop.packets.push(pkt);
            gop.bytes += size;
        } else {
            return;
        }
        self.bytes += size;
        if video {
            if let Some(newest) = self
                .gops
                .back()
                .and_then(|g| g.packets.last())
                .map(Item::wall_us)
            {
                self.drop_before(newest.saturating_sub(self.keep_us));
            }
        }
        self.enforce_cap();
    }

    /// Drops the oldest GOPs while over the byte cap; a lone GOP over the cap goes whole.
    fn enforce_cap(&mut self) {
        if self.bytes <= self.max_bytes {
            return;
        }
        self.overflows += 1;
        while self.bytes > self.max_bytes {
            match self.gops.pop_front() {
                Some(old) => self.bytes -= old.bytes,
                None => break,
            }
        }
    }

    /// Keeps only the GOP that covers `us` and what follows it.
    pub fn keep_from(&mut self, us: i64) {
        self.drop_before(us);
    }

    /// Drops whole GOPs while the next one still starts at or before `cutoff_us`.
    fn drop_before(&mut self, cutoff_us: i64) {
        while self.gops.len() >= 2 && self.gops[1].start_us <= cutoff_us {
            if let Some(old) = self.gops.pop_front() {
                self.bytes -= old.bytes;
            }
        }
    }

    /// Takes everything from the keyframe at or before `start_us` (or the oldest keyframe
    /// held, if none is that early) and empties the buffer.
    pub fn take_from(&mut self, start_us: i64) -> Vec<Item> {
        self.drop_before(start_us);
        self.bytes = 0;
        self.gops.drain(..).flat_map(|g| g.packets).collect()
    }

    pub fn clear(&mut self) {
        self.gops.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::packet::Packet;

    /// A 25 fps packet stream with a keyframe every `gop` frames, 1000 bytes each.
    pub fn packet(i: i64, gop: i64) -> Packet {
        Packet {
            data: Arc::from(vec![0u8; 1000]),
            pts: i,
            dts: i,
            duration: 1,
            keyframe: i % gop == 0,
            wall_us: i * 40_000,
        }
    }

    #[test]
    fn keeps_the_window_from_a_keyframe() {
        let mut b = PreBuffer::new(2_000_000);
        for i in 0..250 {
            b.push(packet(i, 25).into());
        }
        // Newest at 9.96 s; 2 s back is 7.96 s; the keyframe at or before is 7.0 s.
        let taken = b.take_from(9_960_000 - 2_000_000);
        assert!(taken[0].is_keyframe());
        assert_eq!(taken[0].wall_us(), 7_000_000);
        assert_eq!(taken.len(), 75);
        assert!(b.is_empty());
        assert_eq!(b.bytes(), 0);
    }

    #[test]
    fn memory_is_bounded_by_the_window() {
        let mut b = PreBuffer::new(2_000_000);
        for i in 0..10_000 {
            b.push(packet(i, 25).into());
        }
        // At most the window plus one GOP: 3 s of 25 fps × 1000 bytes.
        assert!(b.bytes() <= 76_000, "{}", b.bytes());
    }

    #[test]
    fn the_byte_cap_drops_the_oldest_gops_and_keeps_a_keyframe_start() {
        // A 30-s window would hold 750 kB by time; the cap is 12 kB (2 GOPs of 5 kB).
        let mut b = PreBuffer::with_cap(30_000_000, 12_000);
        for i in 0..1000 {
            b.push(packet(i, 5).into());
            assert!(b.bytes() <= 12_000, "{}", b.bytes());
        }
        assert!(b.overflows() > 0);
        let taken = b.take_from(0);
        assert!(
            taken[0].is_keyframe(),
            "what is left still starts on a keyframe"
        );
        assert_eq!(taken.last().map(Item::wall_us), Some(999 * 40_000));
    }

    #[test]
    fn a_stream_without_keyframes_stays_under_the_cap() {
        // One keyframe, then none at all (a camera with a 20-s or endless GOP).
        let mut b = PreBuffer::with_cap(8_000_000, 50_000);
        b.push(packet(0, 1).into());
        for i in 1..20_000 {
            b.push(packet(i, i64::MAX).into());
            assert!(b.bytes() <= 50_000, "{}", b.bytes());
        }
        // The lone GOP went whole; nothing undecodable is kept.
        assert!(b.is_empty());
        assert_eq!(b.overflows(), 1);
        // Buffering resumes at the next keyframe.
        b.push(packet(20_000, 1).into());
        assert_eq!(b.take_from(0).len(), 1);
    }

    #[test]
    fn audio_stays_with_the_video_around_it() {
        let audio = |us: i64| {
            Item::Audio(Packet {
                data: Arc::from(vec![0u8; 100]),
                pts: us,
                dts: us,
                duration: 1,
                keyframe: true, // every audio packet is one to its codec: never a GOP start
                wall_us: us,
            })
        };
        let mut b = PreBuffer::new(2_000_000);
        b.push(audio(0));
        assert!(b.is_empty(), "nothing to start a clip on yet");
        for i in 0..250 {
            b.push(packet(i, 25).into());
            b.push(audio(i * 40_000 + 10_000));
        }
        // Three GOPs (7, 8, 9 s) of 25 frames, each with its sound.
        assert_eq!(b.bytes(), 3 * 25 * 1100);
        let taken = b.take_from(9_960_000 - 2_000_000);
        assert!(taken[0].is_keyframe());
        assert_eq!(taken[0].wall_us(), 7_000_000);
        assert_eq!(taken.len(), 150);
        assert_eq!(taken.iter().filter(|i| !i.is_video()).count(), 75);
    }

    #[test]
    fn nothing_before_the_first_keyframe() {
        let mut b = PreBuffer::new(2_000_000);
        for i in 1..10 {
            b.push(packet(i, 25).into());
        }
        assert!(b.is_empty());
        b.push(packet(25, 25).into());
        assert_eq!(b.take_from(0).len(), 1);
    }
}
