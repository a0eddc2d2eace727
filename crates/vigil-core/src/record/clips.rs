//! Event recording: activity becomes event rows, and the gate turns the packet stream into
//! event clips that begin before the event and end after it.

use std::collections::HashMap;

use crate::events::Activity;
use crate::model::time::now_us;
use crate::model::{NewEvent, Policy, RecordMode, SegmentKind};
use crate::packet::{Packet, StreamInfo};

use super::announce::Announcer;
use super::files::SegmentFiles;
use super::gate::{EventGate, GateOut, GatePolicy, REPORT_LATENCY_US};
use super::item::Item;
use super::sink::Sink;
use super::status::ActiveEvent;
use super::writer::SegmentError;

const S: i64 = 1_000_000;

pub fn gate_policy(p: &Policy) -> GatePolicy {
    GatePolicy {
        pre_us: i64::from(p.pre_event_s) * S,
        post_us: i64::from(p.post_event_s) * S,
        max_clip_us: i64::from(p.max_clip_s.max(1)) * S,
    }
}

pub struct EventClips {
    gate: EventGate,
    files: SegmentFiles,
    /// Event row of each ongoing activity key.
    events: HashMap<String, i64>,
    /// The event the next clip is linked to (the first that started it).
    next_clip_event: Option<i64>,
    /// When the latest event was noticed, until its row is written and its clip is open.
    latency_from: Option<std::time::Instant>,
    /// Pre-event buffer overflows already reported.
    overflows_seen: u64,
    /// Notices of the events to the engine-wide feed.
    announce: Announcer,
}

impl EventClips {
    /// `late_reports_us`: how much later than motion the camera's events may be reported
    /// (object detection; 0 for none): the pre-event buffer holds that much more.
    pub fn new(policy: &Policy, late_reports_us: i64) -> Self {
        let latency = REPORT_LATENCY_US.saturating_add(late_reports_us.max(0));
        Self {
            gate: EventGate::with_report_latency(gate_policy(policy), latency),
            files: SegmentFiles::default(),
            events: HashMap::new(),
            next_clip_event: None,
            latency_from: None,
            overflows_seen: 0,
            announce: Announcer::default(),
        }
    }

    /// Writes the event row and tells the gate.
    pub fn on_activity(&mut self, sink: &mut Sink, act: Activity) {
        show_activity(sink, &act);
        let mode = sink.cfg.policy.mode;
        if mode == RecordMode::Off {
            return;
        }
        match act {
            Activity::Begin {
                key,
                source,
                label,
                zone_id,
                start_us,
                end_us,
                score,
                thumbnail,
                object_box,
                observed,
            } => {
                let row = NewEvent {
                    camera_id: sink.cfg.camera_id,
                    source,
                    label,
                    zone_id,
                    start_us,
                    end_us,
                    score,
                    thumbnail,
                    object_box,
                };
                match sink.lib.insert_event(&row) {
                    Ok(id) => {
                        let camera = &sink.cfg.camera_name;
                        self.announce.begun(&sink.cfg.feed, camera, id, &row);
                        tracing::info!(camera = %sink.cfg.camera_name, event = id, source = source.as_str(), label = %row.label, "event started");
                        if self.next_clip_event.is_none() && !self.gate.is_open() {
                            self.next_clip_event = Some(id);
                        }
                        if end_us.is_none() {
                            self.events.insert(key.clone(), id);
                        }
                        self.latency_from = Some(observed);
                    }
                    Err(e) => sink.failed(&SegmentError::Library(e)),
                }
                let records = sink.cfg.policy.mode.records_events();
                if records {
                    self.gate.begin(&key, start_us);
                    if let Some(end) = end_us {
                        self.gate.end(&key, end);
                    }
                }
                if self.gate.is_open() || !records {
                    self.report_latency(sink);
                }
            }
            Activity::Update {
                key,
                score,
                object_box,
                thumbnail,
            } => {
                if let Some(&id) = self.events.get(&key) {
                    let shown = thumbnail.as_deref();
                    if let Err(e) = sink
                        .lib
                        .improve_event(id, score, object_box.as_ref(), shown)
                    {
                        sink.failed(&SegmentError::Library(e));
                    }
                    self.announce
                        .improved(&sink.cfg.feed, id, score, object_box, shown);
                }
            }
            Activity::End { key, end_us, peak } => {
                if let Some(id) = self.events.remove(&key) {
                    if let Err(e) = sink.lib.end_event(id, end_us, peak) {
                        sink.failed(&SegmentError::Library(e));
                    }
                    self.announce.ended(&sink.cfg.feed, id, end_us);
                }
                self.gate.end(&key, end_us);
            }
        }
    }

    /// Announces the end of events whose end, known in advance, has passed (called at every
    /// packet, whatever the mode).
    pub fn tick(&mut self, sink: &Sink) {
        self.announce.tick(&sink.cfg.feed);
    }

    pub fn on_packet(&mut self, sink: &mut Sink, info: &StreamInfo, pkt: Packet) {
        if pkt.keyframe {
            let bytes = self.gate.buffered_bytes() as u64;
            sink.status.update(|s| s.prebuffer_bytes = bytes);
        }
        self.files.video_at(sink, pkt.wall_us);
        let outs = self.gate.on_packet(Item::Video(pkt));
        if self.gate.buffer_overflows() != self.overflows_seen {
            self.overflows_seen = self.gate.buffer_overflows();
            let text = format!(
                "the pre-event buffer reached its {} MiB cap (keyframes too rare?); its oldest video was dropped",
                super::prebuffer::DEFAULT_MAX_BYTES >> 20
            );
            tracing::warn!(camera = %sink.cfg.camera_name, "{text}");
            sink.status.update(|s| s.set_notice(&text));
        }
        self.handle(sink, info, outs);
    }

    /// An audio packet of the connection: into the open clip or the pre-event buffer (and
    /// the clip just closed, if its span holds the packet's time).
    pub fn on_audio(&mut self, sink: &mut Sink, info: &StreamInfo, pkt: Packet) {
        let outs = self.gate.on_packet(Item::Audio(pkt.clone()));
        if outs.is_empty() {
            self.write(sink, info, &Item::Audio(pkt));
        }
        self.handle(sink, info, outs);
    }

    fn handle(&mut self, sink: &mut Sink, info: &StreamInfo, outs: Vec<GateOut>) {
        for out in outs {
            match out {
                GateOut::Open(packets) => self.open_clip(sink, info, &packets),
                GateOut::Append(p) => self.write(sink, info, &p),
                GateOut::Close { end_us } => {
                    if self.files.is_open() {
                        sink.status.update(|s| s.recording = false);
                    }
                    self.files.cut(sink, end_us, Some(end_us));
                }
            }
        }
    }

    fn open_clip(&mut self, sink: &mut Sink, info: &StreamInfo, packets: &[Item]) {
        let Some(first) = packets.first() else { return };
        let event_id = self
            .next_clip_event
            .take()
            .or_else(|| self.events.values().min().copied());
        self.files
            .set(sink.open(info, first.wall_us(), SegmentKind::Event, event_id));
        if let (Some(id), true) = (event_id, self.files.is_open()) {
            self.announce.clip_opened(&sink.cfg.feed, id);
        }
        for p in packets {
            self.write(sink, info, p);
        }
        // An event that found no clip open is recorded once its clip has begun.
        if self.files.is_open() {
            self.report_latency(sink);
        }
    }

    /// Event latency: from the source noticing the event to its row written and its clip open.
    fn report_latency(&mut self, sink: &Sink) {
        if let Some(t) = self.latency_from.take() {
            let us = t.elapsed().as_micros() as i64;
            sink.status.update(|s| s.event_latency_us = Some(us));
            tracing::debug!(camera = %sink.cfg.camera_name, latency_ms = us as f64 / 1000.0, "event recorded");
        }
    }

    fn write(&mut self, sink: &mut Sink, info: &StreamInfo, item: &Item) {
        let written = match item {
            Item::Video(p) => self.files.write_video(sink, p, info),
            Item::Audio(p) => self.files.write_audio(sink, p),
        };
        if let Err(e) = written {
            sink.failed(&SegmentError::Media(e));
            self.files.close(sink, None);
        }
    }

    /// The connection ended: finish the open clip; buffered packets of the old connection
    /// are dropped (their timestamps do not continue).
    pub fn stream_ended(&mut self, sink: &mut Sink) {
        if self.files.close(sink, None) {
            sink.status.update(|s| s.recording = false);
        }
        self.gate.reset_stream();
    }
}

/// Keeps the camera's status list of events in progress in step (for the live view's badge),
/// whatever the recording mode; events whose hold time has passed are dropped.
fn show_activity(sink: &Sink, act: &Activity) {
    let now = now_us();
    sink.status.update(|s| {
        s.events.retain(|e| e.is_active(now));
        match act {
            Activity::Begin {
                key,
                source,
                label,
                start_us,
                end_us,
                ..
            } => {
                s.events.retain(|e| &e.key != key);
                s.events.push(ActiveEvent {
                    key: key.clone(),
                    source: source.as_str().to_string(),
                    label: label.clone(),
                    start_us: *start_us,
                    until_us: *end_us,
                });
            }
            Activity::End { key, .. } => s.events.retain(|e| &e.key != key),
            Activity::Update { .. } => {}
        }
    });
}
