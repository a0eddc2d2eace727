//! The recorder's notices to the engine-wide event feed: an event's row written (`new`),
//! its clip begun or a better sighting of its object (`update`), its end (`end`; for an event whose end was known at once, a
//! held trigger, when that time has passed). Nothing is built when no one listens.

use std::collections::HashMap;
use std::sync::Arc;

use crate::events::feed::{EventFeed, EventNotice, NoticeKind};
use crate::model::time::now_us;
use crate::model::NewEvent;

#[derive(Default)]
pub struct Announcer {
    /// Events announced and not ended yet, by id.
    open: HashMap<i64, EventNotice>,
}

impl Announcer {
    /// An event row was written.
    pub fn begun(&mut self, feed: &EventFeed, camera: &str, id: i64, row: &NewEvent) {
        if !feed.has_subscribers() {
            return;
        }
        let notice = EventNotice {
            kind: NoticeKind::New,
            id,
            camera: camera.to_string(),
            source: row.source,
            label: row.label.clone(),
            zone_id: row.zone_id,
            start_us: row.start_us,
            end_us: row.end_us,
            score: row.score,
            object_box: row.object_box,
            has_snapshot: row.thumbnail.is_some(),
            thumbnail: row.thumbnail.clone().map(Arc::new),
        };
        feed.publish(&notice);
        self.open.insert(
            id,
            EventNotice {
                thumbnail: None,
                ..notice
            },
        );
    }

    /// The event's clip began.
    pub fn clip_opened(&mut self, feed: &EventFeed, id: i64) {
        self.update(feed, id);
    }

    /// A better sighting of the event's object was stored (score, box, thumbnail): the
    /// update carries them, the new thumbnail included (MQTT's snapshot topic shows it).
    pub fn improved(
        &mut self,
        feed: &EventFeed,
        id: i64,
        score: f32,
        object_box: Option<crate::model::ObjectBox>,
        thumbnail: Option<&[u8]>,
    ) {
        let Some(n) = self.open.get_mut(&id) else {
            return;
        };
        n.score = score;
        n.object_box = object_box.or(n.object_box);
        n.has_snapshot |= thumbnail.is_some();
        if feed.has_subscribers() {
            feed.publish(&EventNotice {
                kind: NoticeKind::Update,
                thumbnail: thumbnail.map(|t| Arc::new(t.to_vec())),
                ..n.clone()
            });
        }
    }

    fn update(&self, feed: &EventFeed, id: i64) {
        if let Some(n) = self.open.get(&id) {
            feed.publish(&EventNotice {
                kind: NoticeKind::Update,
                ..n.clone()
            });
        }
    }

    /// The event ended at `end_us`.
    pub fn ended(&mut self, feed: &EventFeed, id: i64, end_us: i64) {
        if let Some(n) = self.open.remove(&id) {
            feed.publish(&EventNotice {
                kind: NoticeKind::End,
                end_us: Some(end_us),
                ..n
            });
        }
    }

    /// Ends the events whose end, known in advance, has passed.
    pub fn tick(&mut self, feed: &EventFeed) {
        if self.open.is_empty() {
            return;
        }
        let now = now_us();
        let due: Vec<(i64, i64)> = self
            .open
            .values()
            .filter_map(|n| n.end_us.filter(|end| *end <= now).map(|end| (n.id, end)))
            .collect();
        for (id, end) in due {
            self.ended(feed, id, end);
        }
    }
}
