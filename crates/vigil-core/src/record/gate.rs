//! The event-recording gate: decides, packet by packet, when an event clip opens (reaching
//! back into the pre-event buffer), extends while activity goes on, rotates at the maximum
//! clip length, and closes `post_event` after the last activity. Only video decides; audio
//! packets follow the clip they arrive in (and fill the pre-event buffer beside the video).
//! Pure logic, no I/O.

use std::collections::HashMap;

use super::item::Item;
use super::prebuffer::PreBuffer;

/// Clip timing, µs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatePolicy {
    pub pre_us: i64,
    pub post_us: i64,
    pub max_clip_us: i64,
}

/// What to do with the clip file for one packet.
#[derive(Debug)]
pub enum GateOut {
    /// Open a new clip with these packets (the first is a keyframe; the last is the current
    /// packet).
    Open(Vec<Item>),
    /// Append the packet to the open clip.
    Append(Item),
    /// Close the open clip, ending at `end_us`.
    Close { end_us: i64 },
}

/// Activity that keeps a clip open: until `i64::MAX` while ongoing.
const ONGOING: i64 = i64::MAX;

/// Extra video the pre-event buffer keeps beyond `pre_event`: activity is reported late
/// (motion is confirmed after it has lasted a moment, and analysis trails ingest), and the
/// clip must still reach back to `event_start - pre_event`.
pub const REPORT_LATENCY_US: i64 = 3_000_000;

#[derive(Debug)]
pub struct EventGate {
    policy: GatePolicy,
    /// How late activity may be reported: the pre-event buffer keeps this beyond `pre_us`.
    report_latency_us: i64,
    buffer: PreBuffer,
    /// Activity by key (one per zone or trigger), and until when it lasts.
    active: HashMap<String, i64>,
    /// Earliest start of activity that has not got a clip yet.
    pending_start: Option<i64>,
    /// Start of the open clip.
    clip_start: Option<i64>,
}

impl EventGate {
    pub fn new(policy: GatePolicy) -> Self {
        Self::with_report_latency(policy, REPORT_LATENCY_US)
    }

    /// A gate for activity reported up to `report_latency_us` after it began (more than
    /// [`REPORT_LATENCY_US`] when an object detector confirms motion seconds after it
    /// started): the clip still reaches back to `start - pre_event`.
    pub fn with_report_latency(policy: GatePolicy, report_latency_us: i64) -> Self {
        let report_latency_us = report_latency_us.max(REPORT_LATENCY_US);
        Self {
            policy,
            report_latency_us,
            buffer: PreBuffer::new(policy.pre_us.saturating_add(report_latency_us)),
            active: HashMap::new(),
            pending_start: None,
            clip_start: None,
        }
    }

    pub fn set_policy(&mut self, policy: GatePolicy) {
        self.policy = policy;
        self.buffer
            .set_keep(policy.pre_us.saturating_add(self.report_latency_us));
    }

    pub fn buffered_bytes(&self) -> usize {
        self.buffer.bytes()
    }

    /// Times the pre-event buffer dropped video at its byte cap.
    pub fn buffer_overflows(&self) -> u64 {
        self.buffer.overflows()
    }

    pub fn is_open(&self) -> bool {
        self.clip_start.is_some()
    }

    /// Activity `key` began at `start_us` and goes on until [`EventGate::end`].
    pub fn begin(&mut self, key: &str, start_us: i64) {
        self.active.insert(key.to_string(), ONGOING);
        if self.clip_start.is_none() {
            self.pending_start = Some(self.pending_start.map_or(start_us, |p| p.min(start_us)));
        }
    }

    /// Activity `key` ended (or will end) at `end_us`.
    pub fn end(&mut self, key: &str, end_us: i64) {
        if let Some(until) = self.active.get_mut(key) {
            *until = end_us;
        }
    }

    /// A new connection: the clip (closed by the caller) and the buffer start afresh; ongoing
    /// activity stays and opens a clip on the new connection's first keyframe.
    pub fn reset_stream(&mut self) {
        self.buffer.clear();
        if self.clip_start.take().is_some() || !self.active.is_empty() {
            let ongoing = self.active.values().any(|u| *u == ONGOING);
            if ongoing {
                self.pending_start = Some(i64::MIN / 2);
            }
        }
    }

    fn active_until(&self) -> Option<i64> {
        self.active.values().copied().max()
    }

    /// Feeds one packet; returns what to do with the clip file, in order.
    pub fn on_packet(&mut self, pkt: Item) -> Vec<GateOut> {
        match (self.clip_start, pkt.is_video()) {
            (None, true) => self.while_idle(pkt),
            (Some(start), true) => self.while_open(pkt, start),
            (None, false) => {
                self.buffer.push(pkt);
                Vec::new()
            }
            (Some(_), false) => {
                self.buffer.push(pkt.clone());
                vec![GateOut::Append(pkt)]
            }
        }
    }

    fn while_idle(&mut self, pkt: Item) -> Vec<GateOut> {
        self.buffer.push(pkt);
        let Some(event_start) = self.pending_start else {
            return Vec::new();
        };
        if self.buffer.is_empty() {
            return Vec::new(); // no keyframe yet to start a clip on
        }
        let packets = self
            .buffer
            .take_from(event_start.saturating_sub(self.policy.pre_us));
        self.pending_start = None;
        self.clip_start = packets.first().map(Item::wall_us);
        vec![GateOut::Open(packets)]
    }

    fn while_open(&mut self, pkt: Item, clip_start: i64) -> Vec<GateOut> {
        let wall_us = pkt.wall_us();
        let until = self.active_until().unwrap_or(i64::MIN);
        let over = until != ONGOING && wall_us > until.saturating_add(self.policy.post_us);
        // The buffer keeps filling while a clip is open, so an event right after the clip
        // closes still has video before it (no gap between clips).
        self.buffer.push(pkt.clone());
        if over {
            let end_us = wall_us;
            self.clip_start = None;
            self.active.retain(|_, u| *u > end_us);
            // What the closed clip already holds is not needed again: keep only the GOP in
            // progress, so the next clip overlaps this one by less than a GOP.
            self.buffer.keep_from(end_us);
            return vec![GateOut::Close { end_us }];
        }
        if pkt.is_keyframe() && wall_us.saturating_sub(clip_start) >= self.policy.max_clip_us {
            // Capped: this clip ends here and the next one starts with this keyframe.
            self.clip_start = Some(wall_us);
            let end_us = wall_us;
            return vec![GateOut::Close { end_us }, GateOut::Open(vec![pkt])];
        }
        vec![GateOut::Append(pkt)]
    }
}

#[cfg(test)]
mod tests {
    use super::super::prebuffer::tests::packet;
    use super::*;

    const S: i64 = 1_000_000;

    /// Runs packets 0..n (25 fps, keyframe every second) through the gate, calling `at` before
    /// each; returns the clips as (start_us, end_us).
    fn run(
        n: i64,
        gate: &mut EventGate,
        mut at: impl FnMut(i64, &mut EventGate),
    ) -> Vec<(i64, i64)> {
        let mut clips = Vec::new();
        let mut open: Option<i64> = None;
        for i in 0..n {
            at(i * 40_000, gate);
            for out in gate.on_packet(packet(i, 25).into()) {
                match out {
                    GateOut::Open(p) => {
                        assert!(p[0].is_keyframe(), "clips start on a keyframe");
                        open = Some(p[0].wall_us());
                    }
                    GateOut::Append(_) => assert!(open.is_some()),
                    GateOut::Close { end_us } => clips.push((open.take().unwrap_or(-1), end_us)),
                }
            }
        }
        if let Some(s) = open {
            clips.push((s, i64::MAX));
        }
        clips
    }

    fn policy(pre: i64, post: i64, max: i64) -> GatePolicy {
        GatePolicy {
            pre_us: pre * S,
            post_us: post * S,
            max_clip_us: max * S,
        }
    }

    #[test]
    fn audio_follows_the_clip_from_its_pre_event_start() {
        let mut g = EventGate::new(policy(2, 1, 60));
        let mut clip: Vec<Item> = Vec::new();
        let mut closed = 0;
        for i in 0..500 {
            let t = i * 40_000;
            if t == 10 * S {
                g.begin("a", 10 * S);
                g.end("a", 11 * S);
            }
            let audio = Item::Audio(crate::packet::Packet {
                keyframe: true,
                wall_us: t + 20_000,
                ..packet(i, 1)
            });
            for pkt in [packet(i, 25).into(), audio] {
                for out in g.on_packet(pkt) {
                    match out {
                        GateOut::Open(p) => clip.extend(p),
                        GateOut::Append(p) => clip.push(p),
                        GateOut::Close { .. } => closed += 1,
                    }
                }
            }
        }
        assert_eq!(closed, 1);
        assert_eq!(clip[0].wall_us(), 8 * S, "keyframe at or before 10 - 2 s");
        let audio: Vec<i64> = clip
            .iter()
            .filter(|i| !i.is_video())
            .map(Item::wall_us)
            .collect();
        assert_eq!(
            audio[0],
            8 * S + 20_000,
            "the pre-event buffer held the sound"
        );
        assert!(audio.windows(2).all(|w| w[1] - w[0] == 40_000), "no hole");
        assert!(audio.last().is_some_and(|l| *l >= 12 * S), "{audio:?}");
    }

    #[test]
    fn nothing_happens_nothing_is_written() {
        let mut g = EventGate::new(policy(5, 5, 60));
        assert!(run(1000, &mut g, |_, _| {}).is_empty());
    }

    #[test]
    fn clip_covers_pre_event_to_post_event() {
        let mut g = EventGate::new(policy(5, 3, 60));
        // Motion from 20.0 s to 26.0 s.
        let clips = run(1000, &mut g, |t, g| {
            if t == 20 * S {
                g.begin("zone:1", 20 * S);
            }
            if t == 26 * S {
                g.end("zone:1", 26 * S);
            }
        });
        assert_eq!(clips.len(), 1);
        let (start, end) = clips[0];
        assert_eq!(start, 15 * S, "keyframe at or before 20 - 5 s");
        assert!(
            end > 29 * S && end <= 29 * S + 40_000,
            "ends 3 s after the motion: {end}"
        );
    }

    #[test]
    fn overlapping_activity_extends_one_clip_and_max_clip_rotates() {
        let mut g = EventGate::new(policy(2, 2, 10));
        let clips = run(1500, &mut g, |t, g| {
            if t == 10 * S {
                g.begin("door", 10 * S);
                g.end("door", 14 * S);
            }
            if t == 13 * S {
                g.begin("zone:1", 13 * S);
            }
            if t == 30 * S {
                g.end("zone:1", 30 * S);
            }
        });
        // One stretch of activity 10–30 s, clipped at 10 s: 8–18, 18–28, 28–32.
        assert_eq!(clips.len(), 3, "{clips:?}");
        assert_eq!(clips[0], (8 * S, 18 * S));
        assert_eq!(clips[1], (18 * S, 28 * S));
        assert_eq!(clips[2].0, 28 * S);
        assert!(clips[2].1 > 32 * S && clips[2].1 <= 32 * S + 40_000);
    }

    #[test]
    fn an_event_right_after_a_clip_closes_still_has_video_before_it() {
        let mut g = EventGate::new(policy(5, 2, 60));
        let clips = run(1000, &mut g, |t, g| {
            if t == 10 * S {
                g.begin("a", 10 * S);
                g.end("a", 12 * S);
            }
            // The first clip closes just after 14 s; this event starts about 0.5 s later.
            if t == 14_520_000 {
                g.begin("b", 14_520_000);
                g.end("b", 15 * S);
            }
        });
        assert_eq!(clips.len(), 2, "{clips:?}");
        assert!(
            clips[1].0 <= clips[0].1,
            "no gap between the clips: {clips:?}"
        );
        assert!(
            clips[0].1 - clips[1].0 < S,
            "they overlap by less than a GOP: {clips:?}"
        );
    }

    #[test]
    fn a_late_report_reaches_back_to_pre_event_when_the_buffer_expects_it() {
        // An object confirmed at 29 s, 9 s after the motion that led to it (20 s).
        let clip_start = |latency: i64| {
            let mut g = EventGate::with_report_latency(policy(3, 2, 60), latency);
            let clips = run(1500, &mut g, |t, g| {
                if t == 29 * S {
                    g.begin("object:1:person", 20 * S);
                    g.end("object:1:person", 31 * S);
                }
            });
            clips[0].0
        };
        // The usual margin holds 3 + 3 s: the clip misses the start of the motion.
        assert_eq!(clip_start(REPORT_LATENCY_US), 23 * S);
        // With 8 s more (object detection), it starts 3 s before the motion.
        assert_eq!(clip_start(REPORT_LATENCY_US + 8 * S), 17 * S);
    }

    #[test]
    fn a_held_trigger_keeps_the_clip_for_its_hold_time() {
        let mut g = EventGate::new(policy(1, 2, 60));
        let clips = run(600, &mut g, |t, g| {
            if t == 5 * S {
                g.begin("trigger", 5 * S);
                g.end("trigger", 15 * S);
            }
        });
        assert_eq!(clips.len(), 1);
        assert_eq!(clips[0].0, 4 * S);
        assert!(clips[0].1 > 17 * S && clips[0].1 <= 17 * S + 40_000);
    }
}
