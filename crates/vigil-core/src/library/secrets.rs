//! Camera credentials kept out of the `cameras` URL columns: the `user:password@` part of a
//! URL lives in `camera_secrets` (schema 4) and is put back when a camera is read, so the
//! URL column never shows a password (in logs of SQL, exports of the table, screenshots of a
//! database browser). The database file itself still holds them: that is why it is 0600.

use rusqlite::{params, Connection};

use super::LibraryError;

/// Splits `scheme://userinfo@host…` into the URL without its user info and the user info as
/// written (still percent-encoded), so [`join_userinfo`] gives back the very same string.
/// A URL without user info (or without `://`, like a file path) comes back whole.
pub fn split_userinfo(url: &str) -> (String, Option<String>) {
    let whole = || (url.to_string(), None);
    let Some(scheme_end) = url.find("://") else {
        return whole();
    };
    let start = scheme_end + 3;
    let rest = &url[start..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..host_end].rfind('@') else {
        return whole();
    };
    (
        format!("{}{}", &url[..start], &rest[at + 1..]),
        Some(rest[..at].to_string()),
    )
}

/// Puts user info taken out by [`split_userinfo`] back into its URL.
pub fn join_userinfo(url: &str, userinfo: Option<&str>) -> String {
    match (userinfo, url.find("://")) {
        (Some(info), Some(i)) => format!("{}{info}@{}", &url[..i + 3], &url[i + 3..]),
        _ => url.to_string(),
    }
}

/// A camera's URLs as stored: credential-free URLs for `cameras`, user info for
/// `camera_secrets`.
pub(super) struct StoredUrls {
    pub url: String,
    pub detect_url: Option<String>,
    pub url_userinfo: Option<String>,
    pub detect_userinfo: Option<String>,
}

impl StoredUrls {
    pub fn split(url: &str, detect_url: Option<&str>) -> Self {
        let (url, url_userinfo) = split_userinfo(url.trim());
        let (detect_url, detect_userinfo) = match detect_url.map(str::trim) {
            Some(d) => {
                let (d, info) = split_userinfo(d);
                (Some(d), info)
            }
            None => (None, None),
        };
        Self {
            url,
            detect_url,
            url_userinfo,
            detect_userinfo,
        }
    }

    /// Writes (or clears) the camera's secrets row.
    pub fn write_secrets(&self, conn: &Connection, camera_id: i64) -> rusqlite::Result<()> {
        if self.url_userinfo.is_none() && self.detect_userinfo.is_none() {
            conn.execute(
                "DELETE FROM camera_secrets WHERE camera_id = ?1",
                [camera_id],
            )?;
            return Ok(());
        }
        conn.execute(
            "INSERT INTO camera_secrets (camera_id, url_userinfo, detect_userinfo)
             VALUES (?1, ?2, ?3)
             ON CONFLICT(camera_id) DO UPDATE SET url_userinfo = excluded.url_userinfo,
                detect_userinfo = excluded.detect_userinfo",
            params![camera_id, self.url_userinfo, self.detect_userinfo],
        )?;
        Ok(())
    }
}

/// Schema 4: moves the credentials of every camera's URLs into `camera_secrets`. Runs in
/// the migration's transaction; touches no file.
pub(super) fn move_credentials(conn: &Connection) -> Result<(), LibraryError> {
    let rows: Vec<(i64, String, Option<String>)> = {
        let mut stmt = conn.prepare("SELECT id, url, detect_url FROM cameras")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, url, detect_url) in rows {
        let stored = StoredUrls::split(&url, detect_url.as_deref());
        if stored.url_userinfo.is_none() && stored.detect_userinfo.is_none() {
            continue;
        }
        conn.execute(
            "UPDATE cameras SET url = ?2, detect_url = ?3 WHERE id = ?1",
            params![id, stored.url, stored.detect_url],
        )?;
        stored.write_secrets(conn, id)?;
    }
    Ok(())
}

/// The user info of a camera's URL and detect URL, if any.
#[cfg(test)]
pub(super) fn secrets_of(
    conn: &Connection,
    camera_id: i64,
) -> rusqlite::Result<Option<(Option<String>, Option<String>)>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT url_userinfo, detect_userinfo FROM camera_secrets WHERE camera_id = ?1",
        [camera_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_a_schema_3_library_moves_passwords_out_of_the_url_column() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join("vigil.db")).unwrap();
            for sql in &crate::library::schema::MIGRATIONS[..3] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute_batch(
                "INSERT INTO cameras (id, name, url, detect_url, created_us) VALUES
                    (1, 'gate', 'rtsp://admin:s3cr%21t@10.0.0.5/main',
                     'rtsp://admin:s3cr%21t@10.0.0.5/sub', 0),
                    (2, 'yard', 'rtsp://10.0.0.6/main', NULL, 0);",
            )
            .unwrap();
        }
        let lib = crate::library::Library::open(dir.path()).unwrap();
        let stored: Vec<String> = lib
            .conn()
            .prepare("SELECT url || ' ' || COALESCE(detect_url, '') FROM cameras ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            stored,
            [
                "rtsp://10.0.0.5/main rtsp://10.0.0.5/sub",
                "rtsp://10.0.0.6/main "
            ]
        );
        assert_eq!(
            secrets_of(lib.conn(), 1).unwrap(),
            Some((Some("admin:s3cr%21t".into()), Some("admin:s3cr%21t".into())))
        );
        assert_eq!(secrets_of(lib.conn(), 2).unwrap(), None);
        // Readers get the URLs ffmpeg needs, exactly as they were entered.
        let gate = lib.camera_by_name("gate").unwrap();
        assert_eq!(gate.url, "rtsp://admin:s3cr%21t@10.0.0.5/main");
        assert_eq!(
            gate.detect_url.as_deref(),
            Some("rtsp://admin:s3cr%21t@10.0.0.5/sub")
        );
        assert_eq!(
            lib.camera_by_name("yard").unwrap().url,
            "rtsp://10.0.0.6/main"
        );
    }

    #[test]
    fn user_info_splits_out_and_joins_back_exactly() {
        for (url, clean, info) in [
            (
                "rtsp://admin:p%40ss:w0rd@cam.local:554/a?b=c",
                "rtsp://cam.local:554/a?b=c",
                Some("admin:p%40ss:w0rd"),
            ),
            ("rtsp://user@10.0.0.5/s", "rtsp://10.0.0.5/s", Some("user")),
            ("rtsp://10.0.0.5/s?x=a@b", "rtsp://10.0.0.5/s?x=a@b", None),
            ("/videos/a.mp4", "/videos/a.mp4", None),
            ("demo://", "demo://", None),
        ] {
            let (u, i) = split_userinfo(url);
            assert_eq!((u.as_str(), i.as_deref()), (clean, info), "{url}");
            assert_eq!(join_userinfo(&u, i.as_deref()), url);
        }
    }
}
