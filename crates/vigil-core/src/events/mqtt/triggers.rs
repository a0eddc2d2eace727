//! Trigger sources at work: each message on a source's topic is evaluated with its
//! condition; "active" begins an event on the source's camera (key `mqtt:<id>`, source
//! external, label the source's name) unless one is already going, and the event ends when
//! the opposite value arrives or `hold_s` after the last active message. A retained message
//! (old news the broker keeps) may end an event, never begin one.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use crate::events::{Activity, EventBus};
use crate::model::time::now_us;
use crate::model::trigger_source::TriggerSource;
use crate::model::EventSource;

struct Active {
    camera: String,
    last_active: Instant,
    last_active_us: i64,
}

#[derive(Default)]
pub struct Triggers {
    sources: Vec<TriggerSource>,
    active: HashMap<i64, Active>,
}

impl Triggers {
    /// The topic filters the sources need.
    pub fn filters(&self) -> BTreeSet<String> {
        self.sources.iter().map(|s| s.topic.clone()).collect()
    }

    pub fn sources(&self) -> &[TriggerSource] {
        &self.sources
    }

    /// Replaces the sources; the events of sources removed or changed end now.
    pub fn set_sources(&mut self, sources: Vec<TriggerSource>, bus: &EventBus) {
        let gone: Vec<i64> = self
            .active
            .keys()
            .copied()
            .filter(|id| !sources.iter().any(|s| s.id == *id) || self.changed(*id, &sources))
            .collect();
        for id in gone {
            self.end(id, now_us(), bus);
        }
        self.sources = sources;
    }

    fn changed(&self, id: i64, new: &[TriggerSource]) -> bool {
        let old = self.sources.iter().find(|s| s.id == id);
        let new = new.iter().find(|s| s.id == id);
        old != new
    }

    /// A message arrived on `topic`.
    pub fn on_message(
        &mut self,
        topic: &str,
        payload: &[u8],
        retain: bool,
        at: Instant,
        bus: &EventBus,
    ) {
        let hits: Vec<(i64, bool)> = self
            .sources
            .iter()
            .filter(|s| filter_matches(&s.topic, topic))
            .filter_map(|s| s.when.evaluate(payload).map(|active| (s.id, active)))
            .collect();
        for (id, active) in hits {
            if !active {
                self.end(id, now_us(), bus);
            } else if let Some(a) = self.active.get_mut(&id) {
                a.last_active = at;
                a.last_active_us = now_us();
            } else if !retain {
                self.begin(id, at, bus);
            }
        }
    }

    fn begin(&mut self, id: i64, at: Instant, bus: &EventBus) {
        let Some(s) = self.sources.iter().find(|s| s.id == id) else {
            return;
        };
        let start_us = now_us();
        let sent = bus.send(
            &s.camera,
            Activity::Begin {
                key: key(id),
                source: EventSource::External,
                label: s.name.clone(),
                zone_id: None,
                start_us,
                end_us: None,
                score: 1.0,
                thumbnail: None,
                object_box: None,
                observed: at,
            },
        );
        match sent {
            Ok(()) => {
                tracing::info!(camera = %s.camera, source = %s.name, "MQTT trigger began an event");
                self.active.insert(
                    id,
                    Active {
                        camera: s.camera.clone(),
                        last_active: at,
                        last_active_us: start_us,
                    },
                );
            }
            Err(e) => {
                tracing::warn!(source = %s.name, error = %e, "MQTT trigger not delivered");
            }
        }
    }

    fn end(&mut self, id: i64, end_us: i64, bus: &EventBus) {
        let Some(a) = self.active.remove(&id) else {
            return;
        };
        let end = Activity::End {
            key: key(id),
            end_us,
            peak: 1.0,
        };
        if let Err(e) = bus.send(&a.camera, end) {
            tracing::warn!(camera = %a.camera, error = %e, "the end of an MQTT trigger was not delivered");
        }
    }

    /// Ends the events whose hold has passed since their last active message.
    pub fn tick(&mut self, bus: &EventBus) {
        let due: Vec<(i64, i64)> = self
            .active
            .iter()
            .filter_map(|(id, a)| {
                let hold = self.sources.iter().find(|s| s.id == *id)?.hold_s?;
                let hold = Duration::from_secs_f64(hold);
                (a.last_active.elapsed() >= hold)
                    .then(|| (*id, a.last_active_us + hold.as_micros() as i64))
            })
            .collect();
        for (id, end_us) in due {
            self.end(id, end_us, bus);
        }
    }

    /// Ends every event (the service stops).
    pub fn end_all(&mut self, bus: &EventBus) {
        let ids: Vec<i64> = self.active.keys().copied().collect();
        for id in ids {
            self.end(id, now_us(), bus);
        }
    }

    /// Events going on now.
    pub fn active(&self) -> usize {
        self.active.len()
    }
}

fn key(id: i64) -> String {
    format!("mqtt:{id}")
}

/// Whether `topic` matches the subscription `filter` (`+` one level, `#` the rest; a topic
/// starting with `$` matches no wildcard at its first level).
pub fn filter_matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && filter.starts_with(['+', '#']) {
        return false;
    }
    let mut f = filter.split('/');
    let mut t = topic.split('/');
    loop {
        match (f.next(), t.next()) {
            (Some("#"), _) => return true,
            (Some("+"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trigger_source::TriggerCondition;

    fn source(id: i64, hold_s: Option<f64>) -> TriggerSource {
        TriggerSource {
            id,
            camera_id: 1,
            camera: "front".into(),
            name: "door".into(),
            topic: "zigbee2mqtt/+".into(),
            when: TriggerCondition::parse("contact == false").expect("condition"),
            hold_s,
        }
    }

    fn setup(hold_s: Option<f64>) -> (Triggers, EventBus, crossbeam_channel::Receiver<Activity>) {
        let bus = EventBus::new();
        let (tx, rx) = crossbeam_channel::bounded(16);
        bus.register("front", tx);
        let mut t = Triggers::default();
        t.set_sources(vec![source(3, hold_s)], &bus);
        (t, bus, rx)
    }

    fn kinds(rx: &crossbeam_channel::Receiver<Activity>) -> Vec<String> {
        rx.try_iter()
            .map(|a| match a {
                Activity::Begin { key, label, .. } => format!("begin {key} {label}"),
                Activity::End { key, .. } => format!("end {key}"),
                Activity::Update { key, .. } => format!("update {key}"),
            })
            .collect()
    }

    #[test]
    fn open_then_closed_makes_one_event_and_repeats_do_not_start_another() {
        let (mut t, bus, rx) = setup(None);
        let now = Instant::now();
        t.on_message(
            "zigbee2mqtt/front_door",
            br#"{"contact":false}"#,
            false,
            now,
            &bus,
        );
        t.on_message(
            "zigbee2mqtt/front_door",
            br#"{"contact":false}"#,
            false,
            now,
            &bus,
        );
        t.on_message(
            "zigbee2mqtt/front_door",
            br#"{"battery":90}"#,
            false,
            now,
            &bus,
        );
        t.on_message("other/front_door", br#"{"contact":true}"#, false, now, &bus);
        assert_eq!(kinds(&rx), ["begin mqtt:3 door"]);
        t.on_message(
            "zigbee2mqtt/front_door",
            br#"{"contact":true}"#,
            false,
            now,
            &bus,
        );
        assert_eq!(kinds(&rx), ["end mqtt:3"]);
        assert_eq!(t.active(), 0);
    }

    #[test]
    fn the_hold_ends_an_event_after_the_last_active_message() {
        let (mut t, bus, rx) = setup(Some(0.0));
        t.on_message(
            "zigbee2mqtt/x",
            br#"{"contact":false}"#,
            false,
            Instant::now(),
            &bus,
        );
        t.tick(&bus);
        assert_eq!(kinds(&rx), ["begin mqtt:3 door", "end mqtt:3"]);
    }

    #[test]
    fn retained_messages_never_begin_an_event_and_removed_sources_end_theirs() {
        let (mut t, bus, rx) = setup(None);
        t.on_message(
            "zigbee2mqtt/x",
            br#"{"contact":false}"#,
            true,
            Instant::now(),
            &bus,
        );
        assert!(kinds(&rx).is_empty());
        t.on_message(
            "zigbee2mqtt/x",
            br#"{"contact":false}"#,
            false,
            Instant::now(),
            &bus,
        );
        t.set_sources(Vec::new(), &bus);
        assert_eq!(kinds(&rx), ["begin mqtt:3 door", "end mqtt:3"]);
    }

    #[test]
    fn filters_match_like_a_broker() {
        assert!(filter_matches("a/+/c", "a/b/c"));
        assert!(filter_matches("a/#", "a/b/c"));
        assert!(filter_matches("a/#", "a"));
        assert!(filter_matches("#", "x/y"));
        assert!(!filter_matches("#", "$SYS/x"));
        assert!(!filter_matches("a/+", "a/b/c"));
        assert!(!filter_matches("a/b", "a/b/c"));
        assert!(!filter_matches("a/b/c", "a/b"));
    }
}
