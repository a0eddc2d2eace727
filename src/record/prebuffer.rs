//! The pre-event buffer: the last few seconds of packets held in memory, whole GOPs only, so
//! an event clip can begin at the keyframe at or before `event_start - pre_event`.

use std::collections::VecDeque;

use crate::packet::Packet;

/// Packets from one keyframe up to the next.
#[derive(Debug)]
struct Gop {
    start_us: i64,
    packets: Vec<Packet>,
    bytes: usize,
}

#[derive(Debug)]
pub struct PreBuffer {
    keep_us: i64,
    gops: VecDeque<Gop>,
    bytes: usize,
}

impl PreBuffer {
    /// Holds at least `keep_us` of video (plus up to one GOP, so it can start on a keyframe).
    pub fn new(keep_us: i64) -> Self {
        Self {
            keep_us,
            gops: VecDeque::new(),
            bytes: 0,
        }
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
    pub fn push(&mut self, pkt: Packet) {
        let size = pkt.data.len();
        if pkt.keyframe {
            self.gops.push_back(Gop {
                start_us: pkt.wall_us,
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
        if let Some(newest) = self
            .gops
            .back()
            .and_then(|g| g.packets.last())
            .map(|p| p.wall_us)
        {
            self.drop_before(newest - self.keep_us);
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
    pub fn take_from(&mut self, start_us: i64) -> Vec<Packet> {
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
            b.push(packet(i, 25));
        }
        // Newest at 9.96 s; 2 s back is 7.96 s; the keyframe at or before is 7.0 s.
        let taken = b.take_from(9_960_000 - 2_000_000);
        assert!(taken[0].keyframe);
        assert_eq!(taken[0].wall_us, 7_000_000);
        assert_eq!(taken.len(), 75);
        assert!(b.is_empty());
        assert_eq!(b.bytes(), 0);
    }

    #[test]
    fn memory_is_bounded_by_the_window() {
        let mut b = PreBuffer::new(2_000_000);
        for i in 0..10_000 {
            b.push(packet(i, 25));
        }
        // At most the window plus one GOP: 3 s of 25 fps × 1000 bytes.
        assert!(b.bytes() <= 76_000, "{}", b.bytes());
    }

    #[test]
    fn nothing_before_the_first_keyframe() {
        let mut b = PreBuffer::new(2_000_000);
        for i in 1..10 {
            b.push(packet(i, 25));
        }
        assert!(b.is_empty());
        b.push(packet(25, 25));
        assert_eq!(b.take_from(0).len(), 1);
    }
}
