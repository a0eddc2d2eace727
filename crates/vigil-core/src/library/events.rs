//! Event rows: insert when an event starts, close when it ends, list, thumbnails, protect.

use rusqlite::{params, OptionalExtension, Row};

use super::{Library, LibraryError};
use crate::model::{Event, EventSource, InvalidInput, NewEvent, ObjectBox};

/// Which events to list: those overlapping `[from_us, to_us)`.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub camera_id: Option<i64>,
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
    pub source: Option<EventSource>,
    pub label: Option<String>,
    /// Only events in the zone of this name.
    pub zone: Option<String>,
    /// Paging: only events before this `(start_us, id)` in newest-first order (with
    /// `newest_first`, the page after the one that ended with that event).
    pub before: Option<(i64, i64)>,
    pub limit: Option<u32>,
    /// Newest first (with `limit`: the newest ones); oldest first otherwise.
    pub newest_first: bool,
}

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<Event> {
    let source: String = r.get(3)?;
    Ok(Event {
        id: r.get(0)?,
        camera_id: r.get(1)?,
        camera: r.get(2)?,
        source: EventSource::parse(&source).unwrap_or(EventSource::External),
        label: r.get(4)?,
        zone_id: r.get(5)?,
        zone: r.get(6)?,
        start_us: r.get(7)?,
        end_us: r.get(8)?,
        score: r.get::<_, f64>(9)? as f32,
        protected: r.get(10)?,
        has_thumbnail: r.get(11)?,
        object_box: r
            .get::<_, Option<String>>(12)?
            .and_then(|raw| serde_json::from_str(&raw).ok()),
    })
}

/// An object box as stored in `events.object_box` (JSON `{"x":…,"y":…,"w":…,"h":…}`).
fn box_json(b: Option<&ObjectBox>) -> Option<String> {
    b.and_then(|b| serde_json::to_string(b).ok())
}

/// Events overlapping a range, filtered; `ORDER BY` is swapped for newest-first queries.
const EVENTS_SQL: &str = "SELECT e.id, e.camera_id, c.name, e.source, e.label, e.zone_id,
        COALESCE(z.display_name, z.name),
        e.start_us, e.end_us, e.score, e.protected, e.thumbnail IS NOT NULL, e.object_box
     FROM events e JOIN cameras c ON c.id = e.camera_id
     LEFT JOIN zones z ON z.id = e.zone_id
     WHERE (?1 IS NULL OR e.camera_id = ?1)
       AND (?2 IS NULL OR COALESCE(e.end_us, 9223372036854775807) > ?2)
       AND (?3 IS NULL OR e.start_us < ?3)
       AND (?4 IS NULL OR e.source = ?4)
       AND (?5 IS NULL OR e.label = ?5)
       AND (?7 IS NULL OR z.name = ?7 OR z.display_name = ?7)
       AND (?8 IS NULL OR e.start_us < ?8 OR (e.start_us = ?8 AND e.id < ?9))
     ORDER BY e.start_us, e.id
     LIMIT ?6";

impl Library {
    pub fn insert_event(&self, e: &NewEvent) -> Result<i64, LibraryError> {
        self.conn().execute(
            "INSERT INTO events (camera_id, source, label, zone_id, start_us, end_us, score,
                 thumbnail, object_box)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                e.camera_id,
                e.source.as_str(),
                e.label,
                e.zone_id,
                e.start_us,
                e.end_us,
                f64::from(e.score),
                e.thumbnail,
                box_json(e.object_box.as_ref())
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// A better sighting of an object event: its score, box and thumbnail replace the
    /// stored ones when the score is at least the stored one (a thumbnail of `None` keeps
    /// the stored picture).
    pub fn improve_event(
        &self,
        id: i64,
        score: f32,
        object_box: Option<&ObjectBox>,
        thumbnail: Option<&[u8]>,
    ) -> Result<(), LibraryError> {
        self.conn().execute(
            "UPDATE events SET score = ?2, object_box = COALESCE(?3, object_box),
                 thumbnail = COALESCE(?4, thumbnail)
             WHERE id = ?1 AND score <= ?2",
            params![id, f64::from(score), box_json(object_box), thumbnail],
        )?;
        Ok(())
    }

    /// Sets an event's end (and its peak score, if higher than recorded).
    pub fn end_event(&self, id: i64, end_us: i64, score: f32) -> Result<(), LibraryError> {
        self.conn().execute(
            "UPDATE events SET end_us = MAX(?2, start_us), score = MAX(score, ?3) WHERE id = ?1",
            params![id, end_us, f64::from(score)],
        )?;
        Ok(())
    }

    /// Closes events left open by a crash at the end of the last recording of their camera.
    /// Runs at start-up: only the recordings from the event's start on are looked at (a
    /// segment ending after it starts no earlier than the longest segment before it).
    pub fn close_dangling_events(&self) -> Result<usize, LibraryError> {
        Ok(self.conn().execute(
            "UPDATE events SET end_us = MAX(start_us, COALESCE(
                 (SELECT MAX(end_us) FROM segments s WHERE s.camera_id = events.camera_id
                    AND s.start_us >= events.start_us
                        - (SELECT max_us FROM span_limits WHERE name = 'segment')
                    AND s.end_us >= events.start_us), start_us))
             WHERE end_us IS NULL",
            [],
        )?)
    }

    /// Events overlapping the query range, oldest first (or newest first).
    pub fn events(&self, q: &EventQuery) -> Result<Vec<Event>, LibraryError> {
        let sql = if q.newest_first {
            EVENTS_SQL.replace(
                "ORDER BY e.start_us, e.id",
                "ORDER BY e.start_us DESC, e.id DESC",
            )
        } else {
            EVENTS_SQL.to_string()
        };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                q.camera_id,
                q.from_us,
                q.to_us,
                q.source.map(EventSource::as_str),
                q.label,
                q.limit.map_or(i64::MAX, i64::from),
                q.zone,
                q.before.map(|b| b.0),
                q.before.map(|b| b.1)
            ],
            event_from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One event by id, or `None` if there is no such event.
    pub fn event(&self, id: i64) -> Result<Option<Event>, LibraryError> {
        let sql = "SELECT e.id, e.camera_id, c.name, e.source, e.label, e.zone_id,
        COALESCE(z.display_name, z.name),
                e.start_us, e.end_us, e.score, e.protected, e.thumbnail IS NOT NULL, e.object_box
             FROM events e JOIN cameras c ON c.id = e.camera_id
             LEFT JOIN zones z ON z.id = e.zone_id
             WHERE e.id = ?1";
        Ok(self
            .conn()
            .query_row(sql, [id], event_from_row)
            .optional()?)
    }

    pub fn event_thumbnail(&self, id: i64) -> Result<Option<Vec<u8>>, LibraryError> {
        Ok(self
            .conn()
            .query_row("SELECT thumbnail FROM events WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten())
    }

    /// Protects an event (and its clips) from retention, or lifts the protection.
    pub fn set_event_protected(&self, id: i64, protected: bool) -> Result<bool, LibraryError> {
        let n = self.conn().execute(
            "UPDATE events SET protected = ?2 WHERE id = ?1",
            params![id, protected],
        )?;
        Ok(n > 0)
    }
}

/// What deleting an event removes: its row and the event clips recorded for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventDeletion {
    pub clips: usize,
    pub bytes: u64,
    /// Other events whose time falls inside those clips (their rows stay, their video goes).
    pub other_events: usize,
}

impl Library {
    /// What [`Library::delete_event`] would remove, for a confirmation.
    pub fn event_deletion(&self, id: i64) -> Result<EventDeletion, LibraryError> {
        let (clips, bytes): (i64, i64) = self.conn().query_row(
            "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM segments
             WHERE kind = 'event' AND event_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let other: i64 = self.conn().query_row(
            "SELECT COUNT(DISTINCT e.id) FROM events e JOIN segments s
               ON s.kind = 'event' AND s.event_id = ?1 AND s.camera_id = e.camera_id
              AND e.start_us < s.end_us AND COALESCE(e.end_us, e.start_us) >= s.start_us
             WHERE e.id <> ?1",
            [id],
            |r| r.get(0),
        )?;
        Ok(EventDeletion {
            clips: clips.max(0) as usize,
            bytes: bytes.max(0) as u64,
            other_events: other.max(0) as usize,
        })
    }

    /// Deletes an event and its event clips (files through the trash journal), logging the
    /// clips as deleted by `by` (a person: a web user, or the desktop's account). A protected
    /// event, or one whose clips hold a protected event, is refused: unprotect it first.
    pub fn delete_event(&mut self, id: i64, by: &str) -> Result<EventDeletion, LibraryError> {
        let event = self
            .event(id)?
            .ok_or_else(|| LibraryError::Invalid(InvalidInput(format!("no event {id}"))))?;
        let gone = self.event_deletion(id)?;
        // Checked and done in one write transaction, so nothing protects or records into
        // the event's clips in between.
        let tx = self
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(why) = deletion_refused(&tx, &event)? {
            return Err(LibraryError::Invalid(InvalidInput(why)));
        }
        let why = super::deletions::Why {
            by_user: Some(by),
            ..super::deletions::Why::now(super::DeletionReason::Person)
        };
        super::deletions::log_deletions(&tx, "s.kind = 'event' AND s.event_id = ?1", id, why)?;
        tx.execute(
            "INSERT OR IGNORE INTO trash (path)
             SELECT path FROM segments WHERE kind = 'event' AND event_id = ?1",
            [id],
        )?;
        tx.execute(
            "DELETE FROM segments WHERE kind = 'event' AND event_id = ?1",
            [id],
        )?;
        tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
        tx.commit()?;
        self.empty_trash()?;
        Ok(gone)
    }
}

/// Why an event may not be deleted now, in words: it (or an event inside its clips) is
/// protected, it is still going on, or its camera is writing an event clip (which may be
/// this event's and would be indexed after the deletion).
fn deletion_refused(
    conn: &rusqlite::Connection,
    event: &Event,
) -> rusqlite::Result<Option<String>> {
    let id = event.id;
    if event.end_us.is_none() {
        return Ok(Some(format!(
            "event {id} ({}) is still going on; delete it once it has ended",
            crate::model::text::printable(&event.label)
        )));
    }
    let recording: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM open_segments WHERE camera_id = ?1 AND kind = 'event')",
        [event.camera_id],
        |r| r.get(0),
    )?;
    if recording {
        return Ok(Some(format!(
            "camera '{}' is still recording an event clip; delete event {id} once it is finished",
            event.camera
        )));
    }
    let protected: bool = conn.query_row(
        "SELECT e.protected OR EXISTS(SELECT 1 FROM events o JOIN segments s
           ON s.kind = 'event' AND s.event_id = ?1 AND s.camera_id = o.camera_id
          AND o.start_us < s.end_us AND COALESCE(o.end_us, o.start_us) >= s.start_us
         WHERE o.protected AND o.id <> ?1)
         FROM events e WHERE e.id = ?1",
        [id],
        |r| r.get(0),
    )?;
    Ok(protected.then(|| {
        format!(
            "event {id} ({}) or an event in its clips is protected; unprotect it first",
            crate::model::text::printable(&event.label)
        )
    }))
}

#[cfg(test)]
mod tests {
    use crate::library::timeline::tests::library;
    use crate::model::{EventSource, NewEvent, ObjectBox};

    #[test]
    fn an_object_event_keeps_its_best_sighting() {
        let (_dir, lib, cam) = library();
        let first = ObjectBox::from_corners(0.1, 0.2, 0.3, 0.9);
        let id = lib
            .insert_event(&NewEvent {
                camera_id: cam,
                source: EventSource::Object,
                label: "person".into(),
                zone_id: None,
                start_us: 1_000_000,
                end_us: None,
                score: 0.7,
                thumbnail: Some(vec![1]),
                object_box: Some(first),
            })
            .expect("event");
        let read = |lib: &crate::library::Library| lib.event(id).expect("query").expect("row");
        assert_eq!(read(&lib).object_box, Some(first));
        // A better sighting replaces score, box and picture; a worse one changes nothing.
        let better = ObjectBox::from_corners(0.2, 0.2, 0.4, 0.95);
        lib.improve_event(id, 0.9, Some(&better), Some(&[2]))
            .expect("improve");
        lib.improve_event(id, 0.8, Some(&first), Some(&[3]))
            .expect("ignored");
        let e = read(&lib);
        assert_eq!((e.score, e.object_box), (0.9, Some(better)));
        assert_eq!(lib.event_thumbnail(id).expect("thumb"), Some(vec![2]));
        // Its end keeps the best score.
        lib.end_event(id, 5_000_000, 0.85).expect("end");
        assert_eq!(read(&lib).score, 0.9);
        // Other events have no box.
        let motion = lib
            .insert_event(&NewEvent {
                camera_id: cam,
                source: EventSource::Motion,
                label: "motion".into(),
                zone_id: None,
                start_us: 0,
                end_us: Some(1),
                score: 0.1,
                thumbnail: None,
                object_box: None,
            })
            .expect("event");
        assert_eq!(lib.event(motion).expect("q").expect("row").object_box, None);
    }
}
