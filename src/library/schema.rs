//! Schema and migrations, versioned with SQLite's `user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::LibraryError;

/// Each entry moves the schema from version `i` to `i + 1`. Append only; never edit one
/// that has shipped.
const MIGRATIONS: &[&str] = &[
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
];

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
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "library schema migrated");
    }
    Ok(())
}
