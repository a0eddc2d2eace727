//! The samples between the decode side and the sound card: a bounded ring of interleaved
//! `f32`. Pushing never blocks and drops what does not fit (the decode side is ahead);
//! pulling never waits and plays silence for what is missing (an underrun). Shared behind a
//! mutex held only to copy samples.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// A bounded FIFO of samples with counts of what was dropped and what was missing.
#[derive(Debug)]
pub struct SampleRing {
    samples: VecDeque<f32>,
    capacity: usize,
    /// Samples dropped because the ring was full.
    pub dropped: u64,
    /// Samples of silence played because the ring was empty.
    pub missing: u64,
}

impl SampleRing {
    pub fn new(capacity: usize) -> Self {
        Self {
            samples: VecDeque::with_capacity(capacity),
            capacity: capacity.max(1),
            dropped: 0,
            missing: 0,
        }
    }

    /// Adds samples scaled by `gain`; what does not fit is dropped. Returns how many fit.
    pub fn push(&mut self, samples: &[f32], gain: f32) -> usize {
        let room = self.capacity - self.samples.len();
        let fit = samples.len().min(room);
        self.samples
            .extend(samples[..fit].iter().map(|s| (s * gain).clamp(-1.0, 1.0)));
        self.dropped += (samples.len() - fit) as u64;
        fit
    }

    /// Fills `out` from the ring, silence for what is missing. Returns how many were real.
    pub fn pull(&mut self, out: &mut [f32]) -> usize {
        let have = out.len().min(self.samples.len());
        for (o, s) in out.iter_mut().zip(self.samples.drain(..have)) {
            *o = s;
        }
        out[have..].fill(0.0);
        self.missing += (out.len() - have) as u64;
        have
    }

    /// Forgets every queued sample (a seek, a speed change, another tile).
    pub fn clear(&mut self) {
        self.samples.clear();
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

/// The ring shared by the feeder (the UI thread) and the sound card's callback.
pub type SharedRing = Arc<Mutex<SampleRing>>;

pub fn lock(ring: &Mutex<SampleRing>) -> MutexGuard<'_, SampleRing> {
    ring.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_ring_drops_and_an_empty_one_plays_silence() {
        let mut ring = SampleRing::new(4);
        assert_eq!(ring.push(&[0.1, 0.2, 0.3], 1.0), 3);
        assert_eq!(ring.push(&[0.4, 0.5, 0.6], 1.0), 1, "one place left");
        assert_eq!(ring.dropped, 2);
        assert_eq!(ring.len(), 4);
        let mut out = [9.0f32; 6];
        assert_eq!(ring.pull(&mut out), 4);
        assert_eq!(out, [0.1, 0.2, 0.3, 0.4, 0.0, 0.0]);
        assert_eq!(ring.missing, 2);
        assert!(ring.is_empty());
    }

    #[test]
    fn gain_scales_and_clips_and_clear_forgets() {
        let mut ring = SampleRing::new(8);
        ring.push(&[0.5, -0.5, 0.9], 0.5);
        let mut out = [0.0f32; 3];
        ring.pull(&mut out);
        assert_eq!(out, [0.25, -0.25, 0.45]);
        ring.push(&[0.9, -0.9], 2.0);
        let mut out = [0.0f32; 2];
        ring.pull(&mut out);
        assert_eq!(out, [1.0, -1.0], "clipped, never wrapped");
        ring.push(&[0.1; 5], 0.0);
        ring.clear();
        assert!(ring.is_empty());
        assert_eq!(ring.capacity(), 8);
    }
}
