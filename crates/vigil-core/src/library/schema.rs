//! Schema and migrations, versioned with SQLite's `user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::LibraryError;

/// Each entry moves the schema from version `i` to `i + 1`. Append only; never edit one
/// that has shipped.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: cameras, policies, segments, open-segment journal, deletion journal, settings.
    r"
    CREATE TABLE cameras (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        url         TEXT NOT NULL,
        detect_url  TEXT,
        transport   TEXT NOT NULL DEFAULT 'tcp',
        enabled     INTEGER NOT NULL DEFAULT 1,
        created_us  INTEGER NOT NULL
    );
    CREATE TABLE policies (
        camera_id         INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        mode              TEXT NOT NULL,
        segment_s         INTEGER NOT NULL,
        retain_days       REAL NOT NULL,
        max_bytes         INTEGER,
        pre_event_s       INTEGER NOT NULL,
        post_event_s      INTEGER NOT NULL,
        max_clip_s        INTEGER NOT NULL,
        event_retain_days REAL NOT NULL
    );
    CREATE TABLE segments (
        id         INTEGER PRIMARY KEY,
        camera_id  INTEGER NOT NULL REFERENCES cameras(id),
        kind       TEXT NOT NULL,
        start_us   INTEGER NOT NULL,
        end_us     INTEGER NOT NULL,
        path       TEXT NOT NULL UNIQUE,
        bytes      INTEGER NOT NULL,
        codec      TEXT NOT NULL,
        width      INTEGER NOT NULL,
        height     INTEGER NOT NULL,
        frames     INTEGER NOT NULL,
        event_id   INTEGER
    );
    CREATE INDEX segments_camera_start ON segments(camera_id, start_us);
    CREATE INDEX segments_start ON segments(start_us);
    -- Files being written now. A row here after a crash names a file to probe and index.
    CREATE TABLE open_segments (
        path       TEXT PRIMARY KEY,
        camera_id  INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        start_us   INTEGER NOT NULL
    );
    -- Files whose rows are gone but which may still be on disk (deleted after the commit).
    CREATE TABLE trash (path TEXT PRIMARY KEY);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ",
    // 2: motion zones and events (motion, external triggers, camera, manual).
    r"
    CREATE TABLE zones (
        id          INTEGER PRIMARY KEY,
        camera_id   INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        polygon     TEXT NOT NULL,
        sensitivity INTEGER NOT NULL,
        min_area    REAL NOT NULL,
        UNIQUE (camera_id, name)
    );
    CREATE TABLE events (
        id         INTEGER PRIMARY KEY,
        camera_id  INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
        source     TEXT NOT NULL,
        label      TEXT NOT NULL,
        zone_id    INTEGER,
        start_us   INTEGER NOT NULL,
        end_us     INTEGER,
        score      REAL NOT NULL DEFAULT 0,
        thumbnail  BLOB,
        protected  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX events_camera_start ON events(camera_id, start_us);
    CREATE INDEX events_start ON events(start_us);
    ",
    // 3: what the timeline reads on a large library (see `library::timeline`).
    // - segments_timeline: ranges of one camera and kind read from the index alone.
    // - segment_hours: recorded time per camera, kind and UTC hour, kept by triggers (for
    //   segments spanning up to 8 hours; the recorder's are at most about 1 h), so a week's
    //   view reads 168 rows per camera instead of 10 080 segments.
    // - span_limits: the longest segment and the longest closed event ever indexed (never
    //   lowered), so a range query knows how far back a row overlapping its start can begin.
    // - events_open: events still in progress, few, found at once.
    // - events_timeline: a window's events read from the index alone, never touching the
    //   rows and their thumbnails.
    r"
    CREATE INDEX segments_timeline ON segments(camera_id, kind, start_us, end_us);
    CREATE INDEX events_open ON events(camera_id, start_us) WHERE end_us IS NULL;
    CREATE INDEX events_timeline ON events(camera_id, start_us, end_us, source, label, zone_id);
    CREATE TABLE segment_hours (
        camera_id  INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        hour       INTEGER NOT NULL,
        covered_us INTEGER NOT NULL,
        PRIMARY KEY (camera_id, kind, hour)
    ) WITHOUT ROWID;
    INSERT INTO segment_hours (camera_id, kind, hour, covered_us)
        SELECT camera_id, kind, h,
               SUM(MIN(end_us, (h + 1) * 3600000000) - MAX(start_us, h * 3600000000))
        FROM (SELECT camera_id, kind, start_us, end_us, start_us / 3600000000 + column1 AS h
              FROM segments, (VALUES (0), (1), (2), (3), (4), (5), (6), (7)))
        WHERE h * 3600000000 < end_us
        GROUP BY camera_id, kind, h;
    CREATE TABLE span_limits (name TEXT PRIMARY KEY, max_us INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO span_limits (name, max_us) VALUES
        ('segment', (SELECT COALESCE(MAX(end_us - start_us), 0) FROM segments)),
        ('event', (SELECT COALESCE(MAX(end_us - start_us), 0) FROM events
                   WHERE end_us IS NOT NULL));
    CREATE TRIGGER segment_hours_insert AFTER INSERT ON segments BEGIN
        INSERT INTO segment_hours (camera_id, kind, hour, covered_us)
            SELECT NEW.camera_id, NEW.kind, h,
                   MIN(NEW.end_us, (h + 1) * 3600000000) - MAX(NEW.start_us, h * 3600000000)
            FROM (SELECT NEW.start_us / 3600000000 + column1 AS h
                  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)))
            WHERE h * 3600000000 < NEW.end_us
            ON CONFLICT (camera_id, kind, hour)
            DO UPDATE SET covered_us = covered_us + excluded.covered_us;
        UPDATE span_limits SET max_us = NEW.end_us - NEW.start_us
            WHERE name = 'segment' AND max_us < NEW.end_us - NEW.start_us;
    END;
    CREATE TRIGGER segment_hours_delete AFTER DELETE ON segments BEGIN
        UPDATE segment_hours SET covered_us = covered_us
                - (MIN(OLD.end_us, (hour + 1) * 3600000000) - MAX(OLD.start_us, hour * 3600000000))
            WHERE camera_id = OLD.camera_id AND kind = OLD.kind
              AND hour BETWEEN OLD.start_us / 3600000000 AND OLD.start_us / 3600000000 + 7
              AND hour * 3600000000 < OLD.end_us;
        DELETE FROM segment_hours
            WHERE camera_id = OLD.camera_id AND kind = OLD.kind
              AND hour BETWEEN OLD.start_us / 3600000000 AND OLD.start_us / 3600000000 + 7
              AND covered_us <= 0;
    END;
    CREATE TRIGGER segment_hours_update
    AFTER UPDATE OF camera_id, kind, start_us, end_us ON segments BEGIN
        UPDATE segment_hours SET covered_us = covered_us
                - (MIN(OLD.end_us, (hour + 1) * 3600000000) - MAX(OLD.start_us, hour * 3600000000))
            WHERE camera_id = OLD.camera_id AND kind = OLD.kind
              AND hour BETWEEN OLD.start_us / 3600000000 AND OLD.start_us / 3600000000 + 7
              AND hour * 3600000000 < OLD.end_us;
        INSERT INTO segment_hours (camera_id, kind, hour, covered_us)
            SELECT NEW.camera_id, NEW.kind, h,
                   MIN(NEW.end_us, (h + 1) * 3600000000) - MAX(NEW.start_us, h * 3600000000)
            FROM (SELECT NEW.start_us / 3600000000 + column1 AS h
                  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)))
            WHERE h * 3600000000 < NEW.end_us
            ON CONFLICT (camera_id, kind, hour)
            DO UPDATE SET covered_us = covered_us + excluded.covered_us;
        DELETE FROM segment_hours WHERE covered_us <= 0 AND camera_id = OLD.camera_id
            AND kind = OLD.kind
            AND hour BETWEEN OLD.start_us / 3600000000 AND OLD.start_us / 3600000000 + 7;
        UPDATE span_limits SET max_us = NEW.end_us - NEW.start_us
            WHERE name = 'segment' AND max_us < NEW.end_us - NEW.start_us;
    END;
    CREATE TRIGGER span_limits_event_insert AFTER INSERT ON events
    WHEN NEW.end_us IS NOT NULL BEGIN
        UPDATE span_limits SET max_us = NEW.end_us - NEW.start_us
            WHERE name = 'event' AND max_us < NEW.end_us - NEW.start_us;
    END;
    CREATE TRIGGER span_limits_event_update AFTER UPDATE OF start_us, end_us ON events
    WHEN NEW.end_us IS NOT NULL BEGIN
        UPDATE span_limits SET max_us = NEW.end_us - NEW.start_us
            WHERE name = 'event' AND max_us < NEW.end_us - NEW.start_us;
    END;
    ",
    // 4: camera credentials out of the URL columns (moved by `secrets::move_credentials`,
    // see RUST_STEPS), and the cameras a running recorder has applied (written by the
    // engine, read by `vigil camera remove` to know the camera has stopped).
    r"
    CREATE TABLE camera_secrets (
        camera_id       INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        url_userinfo    TEXT,
        detect_userinfo TEXT
    );
    CREATE TABLE running_cameras (
        camera_id INTEGER PRIMARY KEY,
        since_us  INTEGER NOT NULL
    );
    ",
    // 5: web viewer accounts (`library::accounts`, used by `web::accounts`): users with a
    // role and an Argon2id PHC string, browser sessions kept only as the SHA-256 of their
    // token, and the audit trail (logins, user changes, exports, deletions). `IF NOT
    // EXISTS`: a library rolled back by hand to an older version keeps its accounts.
    r"
    CREATE TABLE IF NOT EXISTS users (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        password_hash TEXT NOT NULL,
        created_us    INTEGER NOT NULL,
        updated_us    INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS web_sessions (
        token_hash   TEXT PRIMARY KEY,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_us   INTEGER NOT NULL,
        expires_us   INTEGER NOT NULL,
        last_seen_us INTEGER NOT NULL,
        address      TEXT
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS web_sessions_user ON web_sessions(user_id);
    CREATE INDEX IF NOT EXISTS web_sessions_expires ON web_sessions(expires_us);
    CREATE TABLE IF NOT EXISTS audit (
        id        INTEGER PRIMARY KEY,
        at_us     INTEGER NOT NULL,
        user_name TEXT,
        action    TEXT NOT NULL,
        detail    TEXT NOT NULL DEFAULT '',
        address   TEXT
    );
    CREATE INDEX IF NOT EXISTS audit_at ON audit(at_us);
    ",
    // 6: API tokens for scripts (`library::api_tokens`, used by `web::accounts`): an
    // account's credentials for `Authorization: Bearer`, labelled, kept only as the SHA-256
    // of the token, no idle expiry, removed with their user.
    r"
    CREATE TABLE IF NOT EXISTS api_tokens (
        id           INTEGER PRIMARY KEY,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        label        TEXT NOT NULL,
        token_hash   TEXT NOT NULL UNIQUE,
        created_us   INTEGER NOT NULL,
        last_used_us INTEGER,
        UNIQUE (user_id, label)
    );
    ",
    // 7: events from outside Vigil (`library::event_sources`): the MQTT broker (one row; its
    // password in a table of its own, like camera credentials), trigger sources bound to a
    // camera (an MQTT topic and the condition that means "active"), each camera's ONVIF
    // settings, and cameras whose recording is paused (an MQTT `recording/set OFF`).
    r"
    CREATE TABLE IF NOT EXISTS mqtt_settings (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        broker       TEXT NOT NULL,
        user         TEXT,
        client_id    TEXT NOT NULL,
        topic_prefix TEXT NOT NULL,
        ha_discovery INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS mqtt_secret (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        password TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS trigger_sources (
        id        INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
        name      TEXT NOT NULL,
        topic     TEXT NOT NULL,
        condition TEXT NOT NULL,
        hold_s    REAL,
        UNIQUE (camera_id, name)
    );
    CREATE TABLE IF NOT EXISTS camera_onvif (
        camera_id   INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        port        INTEGER NOT NULL,
        user        TEXT,
        password    TEXT,
        motion_from TEXT NOT NULL DEFAULT 'vigil'
    );
    CREATE TABLE IF NOT EXISTS recording_paused (
        camera_id INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        since_us  INTEGER NOT NULL
    );
    ",
    // 8: the live view (`library::live_view`): a camera's live sub-stream URL when it is not
    // the detect sub-stream (credentials apart, like the camera's own), named layouts (which
    // camera in which cell, as a JSON array of camera ids or nulls), and tours (a JSON array
    // of steps, each a saved layout or one camera, shown `dwell_s` seconds each).
    r"
    CREATE TABLE IF NOT EXISTS camera_live_stream (
        camera_id INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        url       TEXT NOT NULL,
        userinfo  TEXT
    );
    CREATE TABLE IF NOT EXISTS layouts (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL,
        cells      TEXT NOT NULL,
        updated_us INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tours (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        steps      TEXT NOT NULL,
        dwell_s    REAL NOT NULL,
        updated_us INTEGER NOT NULL
    );
    ",
    // 9: object detection (`library::objects`): a camera's objects to record on (a JSON
    // `ObjectSettings`: labels, minimum score and box area, model), a zone's own object list
    // (JSON array of labels) when it differs from its camera's, and the box of the object
    // that made an event (`events.object_box`, JSON `ObjectBox`, normalized; added by a Rust
    // step, since SQLite has no ADD COLUMN IF NOT EXISTS and migrations must re-run cleanly).
    r"
    CREATE TABLE IF NOT EXISTS camera_objects (
        camera_id INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
        settings  TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS zone_objects (
        zone_id INTEGER PRIMARY KEY REFERENCES zones(id) ON DELETE CASCADE,
        objects TEXT NOT NULL
    );
    ",
    // 10: display names beside identifiers (`library::camera_names`): `cameras.display_name`
    // and `zones.display_name`, any Unicode text in NFC, filled with the identifier for the
    // rows already there (added by a Rust step, like 9's column). Identifiers (`name`) keep
    // naming folders, URLs, topics and CLI flags; no file moves.
    r"
    -- (the Rust step)
    ",
    // 11: the deletion log (`library::deletions`): one row per recording whose row left the
    // library (retention, a person, a removed camera, a file missing at start-up), written in
    // the deleting transaction. `camera` keeps the identifier when the camera is gone.
    r"
    CREATE TABLE IF NOT EXISTS deletions (
        id        INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL,
        camera    TEXT NOT NULL,
        kind      TEXT NOT NULL,
        start_us  INTEGER NOT NULL,
        end_us    INTEGER NOT NULL,
        path      TEXT NOT NULL,
        bytes     INTEGER NOT NULL,
        reason    TEXT NOT NULL,
        by_user   TEXT,
        at_us     INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS deletions_camera_start ON deletions(camera_id, start_us);
    CREATE INDEX IF NOT EXISTS deletions_start ON deletions(start_us);
    ",
    // 12 (helper "gaps"): why recording stopped, and bookmarks (`library::gap_log`,
    // `library::gaps`, `library::bookmarks`). `recording_gaps`: one interval per cause a camera
    // did not record (offline, disk full, paused…), `end_us` NULL while it lasts, written by
    // the engine's gap watcher on state changes; `recorder_runs`: each run of the recorder,
    // `alive_us` refreshed every 30 s, `stopped_us` set at a clean stop, so the time between
    // runs reads "Vigil was not running". `bookmarks`: a moment (`end_us` = `start_us`) or a
    // range on one camera; `protected` keeps its footage through retention.
    r"
    CREATE TABLE IF NOT EXISTS recording_gaps (
        id        INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL,
        start_us  INTEGER NOT NULL,
        end_us    INTEGER,
        cause     TEXT NOT NULL,
        detail    TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS recording_gaps_camera_end ON recording_gaps(camera_id, end_us);
    CREATE TABLE IF NOT EXISTS recorder_runs (
        id         INTEGER PRIMARY KEY,
        started_us INTEGER NOT NULL,
        alive_us   INTEGER NOT NULL,
        stopped_us INTEGER
    );
    CREATE TABLE IF NOT EXISTS bookmarks (
        id         INTEGER PRIMARY KEY,
        camera_id  INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
        start_us   INTEGER NOT NULL,
        end_us     INTEGER NOT NULL,
        name       TEXT NOT NULL,
        note       TEXT NOT NULL DEFAULT '',
        protected  INTEGER NOT NULL DEFAULT 0,
        by_user    TEXT NOT NULL,
        created_us INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bookmarks_camera_start ON bookmarks(camera_id, start_us);
    CREATE INDEX IF NOT EXISTS bookmarks_start ON bookmarks(start_us);
    ",
    // 13: the motion index (`library::motion_index`): per camera-minute the OR of the moved cells
    // of a 32x18 grid (72 bytes, empty when nothing moved) and the frames with motion
    // (`library::motion_codec`). The rowid is the key, camera_id * 2^32 + UTC minute since
    // the epoch: rows lie in (camera, time) order with no separate index, and a busy
    // minute's 1-3 kB stay on the row's page (a WITHOUT ROWID table spills anything over
    // ~1 kB to overflow pages: 2.8x the file size in the benchmark). Gone with its camera.
    r"
    CREATE TABLE IF NOT EXISTS motion_index (
        key       INTEGER PRIMARY KEY,
        camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
        cells     BLOB NOT NULL,
        frames    BLOB NOT NULL
    );
    ",
    // 14: the segment hash chain (`library::chain`): per camera, signed
    // entries linked by SHA-256, one per recording indexed or deleted, appended in the same
    // transaction; `segments.sha256` and `settings.integrity_since_us` come from the Rust
    // step (`chain::add_segment_hashes`, listed in RUST_STEPS under this entry's number).
    r"
    CREATE TABLE IF NOT EXISTS integrity_chain (
        camera_id INTEGER NOT NULL,
        seq       INTEGER NOT NULL,
        entry     TEXT NOT NULL,
        path      TEXT NOT NULL,
        kind      TEXT NOT NULL,
        start_us  INTEGER NOT NULL,
        end_us    INTEGER NOT NULL,
        bytes     INTEGER NOT NULL,
        sha256    TEXT,
        reason    TEXT,
        by_user   TEXT,
        at_us     INTEGER NOT NULL,
        prev      BLOB NOT NULL,
        link      BLOB NOT NULL,
        signature BLOB NOT NULL,
        PRIMARY KEY (camera_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS integrity_chain_path ON integrity_chain(path);
    ",
    // 15: sound. `cameras.audio`: the camera's sound is recorded and played (off unless an
    // operator turns it on: recording sound may be restricted by law). `segments.audio_codec`:
    // the audio track a recording holds (`aac`, `opus`), NULL when it holds none. Added by
    // the Rust step (`add_audio_columns`), which adds only what a library lacks.
    "",
];

/// A migration step in Rust, run right after the SQL of the version it names, in the same
/// transaction. Like the SQL: append only, and never touch a file.
type Step = fn(&Connection) -> Result<(), LibraryError>;

const RUST_STEPS: &[(usize, Step)] = &[
    (4, super::secrets::move_credentials),
    (9, super::objects::add_event_object_box),
    (10, super::camera_names::add_display_names),
    (14, super::chain::add_segment_hashes),
    (15, add_audio_columns),
];

/// Schema 15: `cameras.audio` and `segments.audio_codec`, each added only when missing.
fn add_audio_columns(conn: &Connection) -> Result<(), LibraryError> {
    for (table, column, kind) in [
        ("cameras", "audio", "INTEGER NOT NULL DEFAULT 0"),
        ("segments", "audio_codec", "TEXT"),
    ] {
        let has: bool = conn.query_row(
            &format!("SELECT EXISTS(SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1)"),
            [column],
            |r| r.get(0),
        )?;
        if !has {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
        }
    }
    Ok(())
}

pub fn migrate(conn: &mut Connection, db_path: &Path) -> Result<(), LibraryError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(LibraryError::NewerSchema {
            path: db_path.to_path_buf(),
            found,
            known,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        for (_, step) in RUST_STEPS.iter().filter(|(v, _)| *v == i + 1) {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "library schema migrated");
    }
    Ok(())
}
