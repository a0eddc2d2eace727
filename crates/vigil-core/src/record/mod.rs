//! The recorder: one thread per camera that receives every packet from ingest and the
//! camera's activity from the event bus, and writes continuous segments and event clips,
//! indexing each in the library once its file is finished and synced.

mod announce;
mod clips;
mod continuous;
pub mod gate;
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
use crate::model::Policy;
use crate::packet::{StreamEvent, StreamInfo};
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
                self.info = Some(info);
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
            // Audio is not recorded yet.
            StreamEvent::Audio(_) => {}
        }
    }

    /// The connection ended: finish what is open; the next one starts afresh.
    fn stream_ended(&mut self) {
        self.continuous.close(&mut self.sink);
        self.clips.stream_ended(&mut self.sink);
    }
}
