//! The per-camera ONVIF thread (`onvif-<camera>`): keeps a PullPoint subscription to the
//! camera's event service alive (renewed before it ends, re-created when the camera drops
//! it, back-off after errors), turns the notifications into begins and ends of activity on
//! the event bus, publishes its state for the camera's status, and unsubscribes on stop.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::pullpoint::{self, Subscription};
use super::soap::Session;
use super::topics::{Kind, TopicMap};
use super::{device, Credentials, OnvifError};
use crate::events::{Activity, BusError, EventBus};
use crate::model::published::Publisher;
use crate::model::secret::split_credentials;
use crate::model::time::now_us;
use crate::model::{EventSource, MotionFrom, OnvifSettings};

/// How long a subscription lives unless renewed (the camera may grant less).
const SUBSCRIPTION_TTL: Duration = Duration::from_secs(60);
/// How long one PullMessages waits on the camera side.
const PULL_WAIT: Duration = Duration::from_secs(5);
const MESSAGE_LIMIT: u32 = 32;
/// The wait for any other answer.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The wait for Unsubscribe while the pipeline stops.
const UNSUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Where the subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnvifState {
    Connecting,
    Subscribed,
    Failed,
}

/// A camera's ONVIF events as its thread publishes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnvifStatus {
    pub state: OnvifState,
    /// The last error in words, with its time (kept after a recovery, as history).
    pub last_error: Option<String>,
    pub last_error_us: Option<i64>,
    /// Notifications received since the camera started.
    pub events_received: u64,
    /// Subscriptions made after the first (renew failed, camera dropped it, errors).
    pub resubscriptions: u64,
    /// Where the camera's motion events come from.
    pub motion_from: MotionFrom,
}

impl OnvifStatus {
    pub fn new(motion_from: MotionFrom) -> Self {
        Self {
            state: OnvifState::Connecting,
            last_error: None,
            last_error_us: None,
            events_received: 0,
            resubscriptions: 0,
            motion_from,
        }
    }

    /// Why no camera events arrive, while the subscription is not up and has failed.
    pub fn problem(&self) -> Option<&str> {
        match self.state {
            OnvifState::Subscribed => None,
            _ => self.last_error.as_deref(),
        }
    }
}

/// What one camera's ONVIF thread needs.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    pub camera: String,
    /// `http://HOST:PORT/onvif/device_service`.
    pub device_url: String,
    pub creds: Option<Credentials>,
    /// Forward the camera's motion (inputs and tampering always go).
    pub motion: bool,
}

impl WatchConfig {
    /// The device address (the stream URL's host, the ONVIF port) and credentials (the
    /// settings', else the stream URL's, percent-decoded) of a camera; `None` when the
    /// stream URL names no network host.
    pub fn for_camera(camera: &str, stream_url: &str, s: &OnvifSettings) -> Option<Self> {
        let parsed = url::Url::parse(stream_url.trim()).ok()?;
        let host = match parsed.host()? {
            url::Host::Ipv6(a) => format!("[{a}]"),
            other => other.to_string(),
        };
        let (_, url_user, url_password) = split_credentials(stream_url);
        let user = s.user.clone().unwrap_or(url_user);
        let password = s.password.clone().unwrap_or(url_password);
        Some(Self {
            camera: camera.to_string(),
            device_url: format!("http://{host}:{}/onvif/device_service", s.port),
            creds: (!user.is_empty()).then_some(Credentials { user, password }),
            motion: s.motion_from.from_camera(),
        })
    }
}

/// Starts the camera's ONVIF thread; it runs until `stop` is set.
pub fn spawn(
    cfg: WatchConfig,
    bus: EventBus,
    status: Publisher<OnvifStatus>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("onvif-{}", cfg.camera))
        .spawn(move || Watcher::new(cfg, bus, status, stop).run())
}

struct Watcher {
    cfg: WatchConfig,
    bus: EventBus,
    status: Publisher<OnvifStatus>,
    stop: Arc<AtomicBool>,
    session: Session,
    topics: TopicMap,
    /// Keys of the activity begun and not yet ended.
    active: HashSet<String>,
    subscriptions: u64,
}

impl Watcher {
    fn new(
        cfg: WatchConfig,
        bus: EventBus,
        status: Publisher<OnvifStatus>,
        stop: Arc<AtomicBool>,
    ) -> Self {
        let session = Session::new(&cfg.device_url, cfg.creds.as_ref(), CALL_TIMEOUT)
            .with_stop(Arc::clone(&stop));
        Self {
            cfg,
            bus,
            status,
            stop,
            session,
            topics: TopicMap::default(),
            active: HashSet::new(),
            subscriptions: 0,
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn run(mut self) {
        let mut backoff = Duration::from_secs(1);
        let mut last_logged = String::new();
        while !self.stopped() {
            self.status.update(|s| s.state = OnvifState::Connecting);
            let result = self.subscribe_and_pull(&mut backoff);
            self.end_all();
            let Err(e) = result else { break };
            if self.stopped() {
                break;
            }
            let text = e.to_string();
            if text != last_logged {
                tracing::warn!(camera = %self.cfg.camera, device = %self.cfg.device_url,
                    error = %text, "ONVIF events failed; retrying with back-off");
                last_logged = text.clone();
            }
            self.status.update(|s| {
                s.state = OnvifState::Failed;
                s.last_error = Some(text);
                s.last_error_us = Some(now_us());
            });
            self.sleep(backoff);
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Sleeps up to `d`, waking early on stop.
    fn sleep(&self, d: Duration) {
        let until = Instant::now() + d;
        while !self.stopped() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Subscribes, then pulls until stopped (`Ok`) or an error that needs a back-off.
    fn subscribe_and_pull(&mut self, backoff: &mut Duration) -> Result<(), OnvifError> {
        let events = device::capabilities(&mut self.session)?
            .events
            .ok_or(OnvifError::NoService("events"))?;
        let mut sub = self.subscribe(&events)?;
        *backoff = Duration::from_secs(1);
        // Re-creating a subscription at once is fine once; twice in a row wants a back-off.
        let mut fresh = true;
        loop {
            if self.stopped() {
                self.unsubscribe(&sub);
                return Ok(());
            }
            if due_for_renewal(&sub) {
                let mut renewed = sub.clone();
                match pullpoint::renew(&mut self.session, &mut renewed, SUBSCRIPTION_TTL) {
                    Ok(()) => sub = renewed,
                    Err(_) if self.stopped() => return Ok(()),
                    Err(e) => {
                        tracing::info!(camera = %self.cfg.camera, error = %e,
                            "ONVIF renew failed; subscribing again");
                        sub = self.subscribe(&events)?;
                        continue;
                    }
                }
            }
            match pullpoint::pull(&mut self.session, &sub, PULL_WAIT, MESSAGE_LIMIT) {
                Ok(notes) => {
                    fresh = false;
                    let arrived = Instant::now();
                    self.deliver(&notes, arrived);
                }
                Err(_) if self.stopped() => {
                    self.unsubscribe(&sub);
                    return Ok(());
                }
                // The camera no longer knows the subscription: a new one, once at once.
                Err(e @ (OnvifError::Fault(_) | OnvifError::BadAnswer(_))) if !fresh => {
                    tracing::info!(camera = %self.cfg.camera, error = %e,
                        "ONVIF subscription lost; subscribing again");
                    sub = self.subscribe(&events)?;
                    fresh = true;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn subscribe(&mut self, events: &str) -> Result<Subscription, OnvifError> {
        let sub = pullpoint::create(&mut self.session, events, SUBSCRIPTION_TTL)?;
        self.subscriptions += 1;
        let again = self.subscriptions.saturating_sub(1);
        self.status.update(|s| {
            s.state = OnvifState::Subscribed;
            s.resubscriptions = again;
        });
        tracing::info!(camera = %self.cfg.camera, resubscriptions = again, "ONVIF events subscribed");
        Ok(sub)
    }

    /// Unsubscribes within a short bound (the pipeline is stopping).
    fn unsubscribe(&self, sub: &Subscription) {
        let mut s = Session::new(
            &self.cfg.device_url,
            self.cfg.creds.as_ref(),
            UNSUBSCRIBE_TIMEOUT,
        )
        .with_clock_of(&self.session);
        if let Err(e) = pullpoint::unsubscribe(&mut s, sub) {
            tracing::debug!(camera = %self.cfg.camera, error = %e, "ONVIF unsubscribe failed");
        }
    }

    /// Sends the begins and ends the notifications report to the camera's recorder.
    fn deliver(&mut self, notes: &[super::topics::Notification], arrived: Instant) {
        if notes.is_empty() {
            return;
        }
        let count = notes.len() as u64;
        self.status.update(|s| s.events_received += count);
        for n in notes {
            let Some(change) = self.topics.interpret(n) else {
                continue;
            };
            if change.kind == Kind::Motion && !self.cfg.motion {
                continue;
            }
            let now = now_us();
            let activity = if change.active {
                if !self.active.insert(change.key.clone()) {
                    continue;
                }
                Activity::Begin {
                    key: change.key,
                    source: EventSource::Camera,
                    label: change.label,
                    zone_id: None,
                    start_us: now,
                    end_us: None,
                    score: 1.0,
                    thumbnail: None,
                    object_box: None,
                    observed: arrived,
                }
            } else {
                if !self.active.remove(&change.key) {
                    continue;
                }
                Activity::End {
                    key: change.key,
                    end_us: now,
                    peak: 1.0,
                }
            };
            self.send(activity);
        }
    }

    /// Sends to the camera's recorder; a busy recorder gets one more try shortly after.
    fn send(&self, activity: Activity) {
        let result = match self.bus.send(&self.cfg.camera, activity.clone()) {
            Err(BusError::Busy(_)) => {
                std::thread::sleep(Duration::from_millis(50));
                self.bus.send(&self.cfg.camera, activity)
            }
            other => other,
        };
        match result {
            Ok(()) => {}
            Err(e @ BusError::Busy(_)) => {
                tracing::warn!(camera = %self.cfg.camera, error = %e, "ONVIF event dropped")
            }
            Err(e) => {
                tracing::debug!(camera = %self.cfg.camera, error = %e, "ONVIF event not delivered")
            }
        }
    }

    /// Ends the activity in progress: the subscription is gone, so its end would be missed.
    fn end_all(&mut self) {
        let end_us = now_us();
        for key in std::mem::take(&mut self.active) {
            self.send(Activity::End {
                key,
                end_us,
                peak: 1.0,
            });
        }
    }
}

/// Whether the subscription should be renewed before the next pull: when half of what the
/// camera granted is left, or less than a pull and a bit.
fn due_for_renewal(sub: &Subscription) -> bool {
    let floor = (PULL_WAIT + Duration::from_secs(2)).as_micros() as i64;
    sub.terminates_us - now_us() < (sub.granted_us / 2).max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_address_and_login_come_from_the_stream_url_unless_given() {
        let s = OnvifSettings {
            port: 8000,
            ..OnvifSettings::default()
        };
        let c = WatchConfig::for_camera("door", "rtsp://admin:p%40ss@10.0.0.7:554/main", &s)
            .expect("config");
        assert_eq!(c.device_url, "http://10.0.0.7:8000/onvif/device_service");
        let creds = c.creds.expect("creds");
        assert_eq!(
            (creds.user.as_str(), creds.password.as_str()),
            ("admin", "p@ss")
        );
        assert!(!c.motion, "motion from Vigil by default");
        let s = OnvifSettings {
            user: Some("onvif".into()),
            password: Some("other".into()),
            motion_from: MotionFrom::Both,
            ..OnvifSettings::default()
        };
        let c = WatchConfig::for_camera("door", "rtsp://[::1]/main", &s).expect("config");
        assert_eq!(c.device_url, "http://[::1]:80/onvif/device_service");
        assert_eq!(c.creds.expect("creds").user, "onvif");
        assert!(c.motion);
        assert!(WatchConfig::for_camera("f", "/var/video.mp4", &s).is_none());
    }

    fn note(
        topic: &str,
        token: (&str, &str),
        data: (&str, &str),
    ) -> super::super::topics::Notification {
        super::super::topics::Notification {
            topic: topic.into(),
            operation: Some("Changed".into()),
            source: vec![(token.0.into(), token.1.into())],
            data: vec![(data.0.into(), data.1.into())],
        }
    }

    #[test]
    fn motion_goes_only_when_wanted_and_each_begin_has_one_end() {
        let bus = EventBus::new();
        let (tx, rx) = crossbeam_channel::bounded(16);
        bus.register("door", tx);
        let cfg = WatchConfig {
            camera: "door".into(),
            device_url: "http://127.0.0.1:9/onvif/device_service".into(),
            creds: None,
            motion: false,
        };
        let status = Publisher::new(OnvifStatus::new(MotionFrom::Vigil));
        let reader = status.reader();
        let mut w = Watcher::new(cfg, bus, status, Arc::new(AtomicBool::new(false)));
        let motion = "tns1:RuleEngine/CellMotionDetector/Motion";
        let input = "tns1:Device/Trigger/DigitalInput";
        w.deliver(
            &[
                note(
                    motion,
                    ("VideoSourceConfigurationToken", "vsc1"),
                    ("IsMotion", "true"),
                ),
                note(input, ("InputToken", "1"), ("LogicalState", "false")),
                note(input, ("InputToken", "1"), ("LogicalState", "true")),
                note(input, ("InputToken", "1"), ("LogicalState", "true")),
                note(input, ("InputToken", "1"), ("LogicalState", "false")),
            ],
            Instant::now(),
        );
        let got: Vec<String> = rx
            .try_iter()
            .map(|a| match a {
                Activity::Begin {
                    key, label, source, ..
                } => {
                    assert_eq!(source, EventSource::Camera);
                    format!("begin {key} {label}")
                }
                Activity::End { key, .. } => format!("end {key}"),
                Activity::Update { key, .. } => format!("update {key}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                "begin onvif:Device/Trigger/DigitalInput:1 input 1",
                "end onvif:Device/Trigger/DigitalInput:1"
            ],
            "no camera motion (from Vigil), no end before a begin, one begin for two trues"
        );
        assert_eq!(reader.snapshot().events_received, 5);
        // An activity still going when the subscription is lost is ended.
        w.cfg.motion = true;
        w.deliver(
            &[note(
                motion,
                ("VideoSourceConfigurationToken", "vsc1"),
                ("IsMotion", "true"),
            )],
            Instant::now(),
        );
        w.end_all();
        let kinds: Vec<bool> = rx
            .try_iter()
            .map(|a| matches!(a, Activity::Begin { .. }))
            .collect();
        assert_eq!(kinds, [true, false]);
    }
}
