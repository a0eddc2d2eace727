//! The recorder: one thread per camera that receives every packet from ingest and the
//! camera's activity from the event bus, and writes continuous segments and event clips,
//! indexing each in the library once its file is finished and synced. The camera's sound,
//! when the connection carries it, is recorded beside the video (G.711 converted to AAC here,
//! on the recorder's thread, by a converter per connection).

mod announce;
mod clips;
mod continuous;
mod files;
pub mod gate;
pub mod item;
pub mod prebuffer;
pub mod queue;
pub mod segmenter;
mod sink;
pub mod status;
mod writer;

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{select, Receiver, Sender};

use queue::RecorderRx;

use crate::events::Activity;
use crate::library::Library;
use crate::media::audio_convert::G711ToAac;
use crate::model::Policy;
use crate::packet::{Packet, StreamEvent, StreamInfo};
use clips::EventClips;
use continuous::Continuous;
use sink::Sink;
use status::RecordPublisher;

/// How long a stopping recorder keeps trying to index its last segments (database full:
/// retention is asked to free space meanwhile).
const FLUSH_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// What a recorder needs to know about its camera.
#[derive(Debug, Clone)]
pub struct RecorderConfig {
    pub camera_id: i64,
    pub camera_name: String,
    pub policy: Policy,
    pub data_dir: PathBuf,
    /// Asks retention to free space at once (the disk is full).
    pub sweep_now: Sender<()>,
    /// Where the recorder announces its events' begin, clip and end.
    pub feed: crate::events::feed::EventFeed,
    /// How much later than usual the camera's events may be reported, µs: object
    /// detection confirms a person seconds after the motion began, and the event clip must
    /// still start `pre_event` before that motion (the pre-event buffer holds this much
    /// more). 0 for cameras without object detection.
    pub late_reports_us: i64,
}

/// Starts the recorder thread of one camera. It runs until ingest drops its sender, then
/// finishes and indexes whatever is open.
pub fn spawn(
    cfg: RecorderConfig,
    packets: RecorderRx,
    activity: Receiver<Activity>,
    status: RecordPublisher,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("record-{}", cfg.camera_name))
        .spawn(move || {
            let lib = match Library::open(&cfg.data_dir) {
                Ok(lib) => {
                    // The chain's signing key, made now rather than at the first segment.
                    let _ = crate::library::chain::signer_for(lib.root());
                    lib
                }
                Err(e) => {
                    tracing::error!(camera = %cfg.camera_name, error = %e, "recorder cannot open the library");
                    status.update(|s| s.set_error(&e.to_string()));
                    // Keep draining so ingest is never blocked by a dead recorder.
                    for ev in packets.receiver().iter() {
                        packets.release(&ev);
                    }
                    return;
                }
            };
            Recorder::new(Sink::new(lib, cfg, status)).run(&packets, &activity);
        })
}

struct Recorder {
    sink: Sink,
    info: Option<Arc<StreamInfo>>,
    /// The connection's G.711 → AAC converter, when its sound is G.711.
    converter: Option<G711ToAac>,
    continuous: Continuous,
    clips: EventClips,
}

impl Recorder {
    fn new(sink: Sink) -> Self {
        let policy = sink.cfg.policy.clone();
        let late_reports_us = sink.cfg.late_reports_us;
        Self {
            sink,
            info: None,
            converter: None,
            continuous: Continuous::new(&policy),
            clips: EventClips::new(&policy, late_reports_us),
        }
    }

    fn run(mut self, packets: &RecorderRx, activity: &Receiver<Activity>) {
        loop {
            select! {
                recv(packets.receiver()) -> ev => match ev {
                    Ok(ev) => {
                        packets.release(&ev);
                        self.on_stream(ev);
                    }
                    Err(_) => break,
                },
                recv(activity) -> act => {
                    if let Ok(act) = act {
                        self.clips.on_activity(&mut self.sink, act);
                    }
                }
            }
            // Rows of segments finished by what was just handled: after its packet is
            // written, so hashing the old file never delays the new one.
            self.sink.index_finished();
        }
        // Activity that arrived while winding down still gets its event row.
        while let Ok(act) = activity.try_recv() {
            self.clips.on_activity(&mut self.sink, act);
        }
        self.stream_ended();
        self.sink.flush_unindexed(FLUSH_WITHIN);
    }

    fn on_stream(&mut self, ev: StreamEvent) {
        let mode = self.sink.cfg.policy.mode;
        match ev {
            StreamEvent::Started(info) => {
                self.stream_ended();
                self.info = Some(self.recorded_stream(info));
            }
            StreamEvent::Packet(pkt) => {
                self.clips.tick(&self.sink);
                let Some(info) = self.info.clone() else {
                    return;
                };
                if mode.records_continuously() {
                    self.continuous.on_packet(&mut self.sink, &info, &pkt);
                }
                if mode.records_events() {
                    self.clips.on_packet(&mut self.sink, &info, pkt);
                }
            }
            StreamEvent::Ended => self.stream_ended(),
            StreamEvent::Audio(pkt) => self.on_audio(pkt),
        }
    }

    /// The stream as recorded: G.711 sound becomes the converter's AAC; sound no MP4 can
    /// carry is left out (said once in the status).
    fn recorded_stream(&mut self, info: Arc<StreamInfo>) -> Arc<StreamInfo> {
        let Some(audio) = info.audio.as_deref() else {
            return info;
        };
        if audio.codec.remuxable() {
            return info;
        }
        let mut recorded = (*info).clone();
        recorded.audio = None;
        let why = if audio.codec.needs_conversion() {
            match G711ToAac::open(audio) {
                Ok(c) => {
                    recorded.audio = Some(c.info());
                    self.converter = Some(c);
                    return Arc::new(recorded);
                }
                Err(e) => e.to_string(),
            }
        } else {
            format!(
                "the camera's sound ({}) cannot be recorded in MP4; only its video is",
                audio.codec.as_str()
            )
        };
        tracing::warn!(camera = %self.sink.cfg.camera_name, "{why}");
        self.sink.status.update(|s| s.set_notice(&why));
        Arc::new(recorded)
    }

    /// An audio packet: converted if it is G.711, then recorded beside the video.
    fn on_audio(&mut self, pkt: Packet) {
        let Some(info) = self.info.clone() else {
            return;
        };
        if info.audio.is_none() {
            return;
        }
        match self.converter.as_mut() {
            Some(c) => match c.convert(&pkt) {
                Ok(out) => out.into_iter().for_each(|p| self.record_audio(&info, p)),
                Err(e) => self.converter_failed(&e),
            },
            None => self.record_audio(&info, pkt),
        }
    }

    fn record_audio(&mut self, info: &StreamInfo, pkt: Packet) {
        let mode = self.sink.cfg.policy.mode;
        if mode.records_continuously() {
            self.continuous.on_audio(&mut self.sink, &pkt);
        }
        if mode.records_events() {
            self.clips.on_audio(&mut self.sink, info, pkt);
        }
    }

    /// The converter failed: the rest of the connection is recorded without sound.
    fn converter_failed(&mut self, e: &crate::media::audio_convert::ConvertError) {
        self.converter = None;
        if let Some(info) = self.info.as_mut() {
            let mut silent = (**info).clone();
            silent.audio = None;
            *info = Arc::new(silent);
        }
        let text = format!("{e}; recording goes on without sound");
        tracing::warn!(camera = %self.sink.cfg.camera_name, "{text}");
        self.sink.status.update(|s| s.set_notice(&text));
    }

    /// The connection ended: finish what is open (with the converter's last sound); the next
    /// one starts afresh.
    fn stream_ended(&mut self) {
        if let Some(mut c) = self.converter.take() {
            if let (Ok(out), Some(info)) = (c.finish(), self.info.clone()) {
                out.into_iter().for_each(|p| self.record_audio(&info, p));
            }
        }
        self.continuous.close(&mut self.sink);
        self.clips.stream_ended(&mut self.sink);
    }
}
