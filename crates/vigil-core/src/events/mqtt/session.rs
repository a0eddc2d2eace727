//! One session with the broker of the current settings: on every (re)connect it subscribes
//! to the trigger sources' topics and the command topics and publishes `available` =
//! `online`, the discovery documents and every camera's states; meanwhile it keeps the
//! states current, publishes the event feed, and reports the connection's status.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::Receiver;

use super::connection::{ConnectError, Link, Net};
use super::discovery;
use super::publish::{event_document, last_event_document, on_off, Command, Outbox, Topics};
use super::triggers::Triggers;
use super::{commands, MqttHost, MqttStatus};
use crate::events::feed::{EventNotice, NoticeKind};
use crate::events::EventBus;
use crate::model::mqtt::MqttSettings;
use crate::model::time::now_us;
use crate::model::trigger_source::TriggerSource;
use crate::model::EventSource;

/// A camera as the library has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibCamera {
    pub id: i64,
    /// The identifier: topics use it.
    pub name: String,
    /// The name people see: Home Assistant's device name.
    pub display_name: String,
    pub paused: bool,
}

pub struct Session {
    settings: MqttSettings,
    link: Link,
    out: Outbox,
    topics: Topics,
    triggers: Triggers,
    cameras: Vec<LibCamera>,
    /// Topic filters subscribed for trigger sources.
    subscribed: BTreeSet<String>,
    /// Cameras whose discovery documents were published, with the display name in them.
    discovered: BTreeMap<String, String>,
    /// Motion events going on, by camera.
    motion: HashMap<String, HashSet<i64>>,
    connected_since: Option<i64>,
    last_error: Option<String>,
    problem: Option<String>,
    dropped: Arc<AtomicU64>,
    reported: Option<(MqttStatus, Option<String>)>,
}

impl Session {
    pub fn start(settings: MqttSettings) -> Result<Self, ConnectError> {
        let link = Link::start(&settings)?;
        let dropped = Arc::new(AtomicU64::new(0));
        let out = Outbox::new(link.client.clone(), Arc::clone(&dropped));
        Ok(Self {
            topics: Topics::new(&settings.topic_prefix),
            settings,
            link,
            out,
            triggers: Triggers::default(),
            cameras: Vec::new(),
            subscribed: BTreeSet::new(),
            discovered: BTreeMap::new(),
            motion: HashMap::new(),
            connected_since: None,
            last_error: None,
            problem: None,
            dropped,
            reported: None,
        })
    }

    pub fn events(&self) -> &Receiver<Net> {
        &self.link.events
    }

    fn connected(&self) -> bool {
        self.connected_since.is_some()
    }

    /// The trigger sources and cameras as of the latest reload.
    pub fn set_config(
        &mut self,
        sources: Vec<TriggerSource>,
        cameras: Vec<LibCamera>,
        bus: &EventBus,
    ) {
        if sources != self.triggers.sources() {
            self.triggers.set_sources(sources, bus);
            if self.connected() {
                self.sync_subscriptions();
            }
        }
        if cameras != self.cameras {
            self.cameras = cameras;
            if self.connected() {
                self.sync_discovery();
                self.publish_paused_states();
            }
        }
    }

    pub fn on_net(&mut self, ev: Net, bus: &EventBus, host: &dyn MqttHost) {
        match ev {
            Net::Connected => {
                tracing::info!(broker = %self.settings.broker.url(), "connected to the MQTT broker");
                self.connected_since = Some(now_us());
                self.last_error = None;
                self.problem = None;
                self.out.forget_states();
                self.subscribed.clear();
                for f in self.topics.command_filters() {
                    self.out.subscribe(&f);
                }
                self.sync_subscriptions();
                self.out.state(&self.topics.available(), b"online");
                self.discovered.clear();
                self.sync_discovery();
                self.publish_paused_states();
                self.publish_running_states(host);
            }
            Net::Message {
                topic,
                payload,
                retain,
                at,
            } => match self.topics.command(&topic) {
                Some(Command::Trigger { camera }) if !retain => {
                    commands::trigger(bus, &camera, &payload);
                }
                Some(Command::Trigger { .. }) => {}
                Some(Command::SetRecording { camera }) => {
                    self.set_recording(&camera, &payload, host);
                }
                None => self.triggers.on_message(&topic, &payload, retain, at, bus),
            },
            Net::Down { reason, retry_in } => {
                if self.connected() || self.last_error.as_ref() != Some(&reason) {
                    tracing::warn!(broker = %self.settings.broker.url(), reason = %reason, "MQTT connection failed");
                }
                self.connected_since = None;
                self.problem = Some(format!(
                    "MQTT broker {} {reason}; retrying every {} s",
                    self.settings.broker.url(),
                    retry_in.as_secs().max(1)
                ));
                self.last_error = Some(reason);
            }
        }
        self.report(host);
    }

    fn set_recording(&mut self, camera: &str, payload: &[u8], host: &dyn MqttHost) {
        let Some(on) = commands::on_off(payload) else {
            tracing::warn!(camera, "recording/set wants ON or OFF");
            return;
        };
        let Some(cam) = self.cameras.iter_mut().find(|c| c.name == camera) else {
            tracing::warn!(camera, "recording/set for a camera that does not exist");
            return;
        };
        match host.set_recording_paused(cam.id, !on) {
            Ok(()) => {
                cam.paused = !on;
                tracing::info!(camera, recording = on, "recording switched over MQTT");
                self.publish_paused_states();
            }
            Err(e) => tracing::warn!(camera, error = %e, "cannot switch the recording"),
        }
    }

    /// A recorded event began, got its clip, or ended.
    pub fn on_notice(&mut self, n: &EventNotice) {
        self.out
            .send(&self.topics.events(), event_document(n).to_string(), false);
        if n.kind == NoticeKind::New {
            let doc = last_event_document(n).to_string();
            self.out
                .state(&self.topics.camera(&n.camera, "last_event"), doc.as_bytes());
        }
        // The event's picture, and a better one when the detector sees its object better.
        if let Some(jpeg) = &n.thumbnail {
            let topic = self.topics.camera(&n.camera, "snapshot");
            self.out.send(&topic, jpeg.as_slice(), true);
        }
        if n.source == EventSource::Motion {
            let ongoing = self.motion.entry(n.camera.clone()).or_default();
            match n.kind {
                NoticeKind::New if n.end_us.is_none() => {
                    ongoing.insert(n.id);
                }
                NoticeKind::End => {
                    ongoing.remove(&n.id);
                }
                _ => {}
            }
            let on = !ongoing.is_empty();
            self.out
                .state(&self.topics.camera(&n.camera, "motion"), on_off(on));
        }
    }

    /// Hold times, running states and the status.
    pub fn tick(&mut self, bus: &EventBus, host: &dyn MqttHost) {
        self.triggers.tick(bus);
        if self.connected() {
            self.publish_running_states(host);
        }
        self.report(host);
    }

    fn sync_subscriptions(&mut self) {
        let want = self.triggers.filters();
        for gone in self.subscribed.difference(&want) {
            self.out.unsubscribe(gone);
        }
        for new in want.difference(&self.subscribed) {
            self.out.subscribe(new);
        }
        self.subscribed = want;
    }

    /// Discovery documents for the cameras there are; empty retained payloads for the ones
    /// gone.
    fn sync_discovery(&mut self) {
        if !self.settings.ha_discovery {
            return;
        }
        let client = self.settings.client_id.trim().to_string();
        let now: BTreeMap<String, String> = self
            .cameras
            .iter()
            .map(|c| (c.name.clone(), c.display_name.clone()))
            .collect();
        for gone in self.discovered.keys().filter(|id| !now.contains_key(*id)) {
            for topic in discovery::config_topics(&self.topics, &client, gone) {
                self.out.send(&topic, Vec::new(), true);
            }
        }
        // New cameras, and renamed ones (the same topics, the new name).
        for (id, display) in &now {
            if self.discovered.get(id) == Some(display) {
                continue;
            }
            for (topic, doc) in discovery::documents(&self.topics, &client, id, display) {
                self.out.send(&topic, doc.to_string(), true);
            }
        }
        self.discovered = now;
    }

    fn publish_paused_states(&mut self) {
        for c in &self.cameras {
            let topic = self.topics.camera(&c.name, "recording/state");
            self.out.state(&topic, on_off(!c.paused));
            let motion = self.motion.get(&c.name).is_some_and(|m| !m.is_empty());
            self.out
                .state(&self.topics.camera(&c.name, "motion"), on_off(motion));
        }
    }

    fn publish_running_states(&mut self, host: &dyn MqttHost) {
        let running = host.cameras();
        for c in &self.cameras {
            let on = running.iter().any(|r| r.name == c.name && r.recording);
            self.out
                .state(&self.topics.camera(&c.name, "recording"), on_off(on));
        }
    }

    /// Tells the host the status and problem when they changed.
    pub fn report(&mut self, host: &dyn MqttHost) {
        let now = (self.status(), self.problem.clone());
        if self.reported.as_ref() != Some(&now) {
            host.report(Some(now.0.clone()), now.1.clone());
            self.reported = Some(now);
        }
    }

    fn status(&self) -> MqttStatus {
        MqttStatus {
            broker: self.settings.broker.url(),
            connected: self.connected(),
            since_us: self.connected_since,
            last_error: self.last_error.clone(),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    /// Ends trigger events, publishes `available` = `offline` and disconnects (bounded).
    pub fn stop(mut self, bus: &EventBus) {
        self.triggers.end_all(bus);
        if self.connected() {
            self.out.send(&self.topics.available(), "offline", true);
        }
        self.link.stop();
    }
}
