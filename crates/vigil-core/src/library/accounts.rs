//! Account rows (schema 5): web viewer users, their browser sessions and the audit trail.
//! Only rows here: the rules (names, password strength, hashing, roles, tokens) are
//! `web::accounts`'s. A session is stored under the SHA-256 of its token, never the token.

use rusqlite::{params, OptionalExtension, Row};

use super::{Library, LibraryError};

/// A user as stored. `role` is one of `viewer`, `operator`, `admin` (the table checks it);
/// `password_hash` is a PHC string.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_us: i64,
    pub updated_us: i64,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("created_us", &self.created_us)
            .field("updated_us", &self.updated_us)
            .finish_non_exhaustive()
    }
}

/// What [`Library::delete_user`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserRemoval {
    Removed,
    /// No user has that name.
    Unknown,
    /// The user is the only admin left; nothing was removed.
    LastAdmin,
}

/// What [`Library::set_user_role`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    Changed,
    /// No user has that name.
    Unknown,
    /// The user is the only admin left and would stop being one; nothing changed.
    LastAdmin,
}

/// A session row to store: the token's hash, whose it is, and when it ends.
#[derive(Debug, Clone)]
pub struct NewSessionRow<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub now_us: i64,
    pub expires_us: i64,
    pub address: Option<&'a str>,
}

/// One line of the audit trail. `user_name` is who did it (`None` when no one was signed in,
/// e.g. the command line); `address` where from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at_us: i64,
    pub user_name: Option<String>,
    pub action: String,
    pub detail: String,
    pub address: Option<String>,
}

const USER_COLUMNS: &str = "id, name, role, password_hash, created_us, updated_us";

pub(super) fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        password_hash: r.get(3)?,
        created_us: r.get(4)?,
        updated_us: r.get(5)?,
    })
}

impl Library {
    /// Adds a user; `None` when the name is taken.
    pub fn insert_user(
        &mut self,
        name: &str,
        role: &str,
        password_hash: &str,
        now_us: i64,
    ) -> Result<Option<i64>, LibraryError> {
        let inserted = self.conn.execute(
            "INSERT INTO users (name, role, password_hash, created_us, updated_us)
             VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (name) DO NOTHING",
            params![name, role, password_hash, now_us],
        )?;
        Ok((inserted == 1).then(|| self.conn.last_insert_rowid()))
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRow>, LibraryError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The user with this exact name, if any.
    pub fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, LibraryError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"),
                [name],
                user_row,
            )
            .optional()?)
    }

    /// Replaces a user's password hash and ends all their sessions (a changed password
    /// signs everyone out). False when no user has that name.
    pub fn set_user_password_hash(
        &mut self,
        name: &str,
        password_hash: &str,
        now_us: i64,
    ) -> Result<bool, LibraryError> {
        let tx = self.conn.savepoint()?;
        let changed = tx.execute(
            "UPDATE users SET password_hash = ?2, updated_us = ?3 WHERE name = ?1",
            params![name, password_hash, now_us],
        )?;
        tx.execute(
            "DELETE FROM web_sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)",
            [name],
        )?;
        tx.commit()?;
        Ok(changed == 1)
    }

    /// Removes a user (and, by cascade, their sessions), unless they are the last admin.
    /// One statement: two removals at once cannot both pass the check.
    pub fn delete_user(&mut self, name: &str) -> Result<UserRemoval, LibraryError> {
        let removed = self.conn.execute(
            "DELETE FROM users WHERE name = ?1
               AND (role <> 'admin' OR (SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)",
            [name],
        )?;
        if removed == 1 {
            return Ok(UserRemoval::Removed);
        }
        Ok(match self.user_by_name(name)? {
            Some(_) => UserRemoval::LastAdmin,
            None => UserRemoval::Unknown,
        })
    }

    /// Gives a user another role, unless that leaves no admin. One statement: two changes
    /// at once cannot both pass the check.
    pub fn set_user_role(
        &mut self,
        name: &str,
        role: &str,
        now_us: i64,
    ) -> Result<RoleChange, LibraryError> {
        let changed = self.conn.execute(
            "UPDATE users SET role = ?2, updated_us = ?3 WHERE name = ?1
               AND (role <> 'admin' OR ?2 = 'admin'
                    OR (SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)",
            params![name, role, now_us],
        )?;
        if changed == 1 {
            return Ok(RoleChange::Changed);
        }
        Ok(match self.user_by_name(name)? {
            Some(_) => RoleChange::LastAdmin,
            None => RoleChange::Unknown,
        })
    }

    /// Each user's latest audit line of `action` (e.g. their last sign-in): (name, when).
    pub fn latest_audit_by_user(&self, action: &str) -> Result<Vec<(String, i64)>, LibraryError> {
        let mut stmt = self.conn.prepare(
            "SELECT user_name, MAX(at_us) FROM audit
             WHERE action = ?1 AND user_name IS NOT NULL GROUP BY user_name",
        )?;
        let rows = stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores a new session.
    pub fn insert_session(&mut self, row: &NewSessionRow<'_>) -> Result<(), LibraryError> {
        self.conn.execute(
            "INSERT INTO web_sessions (token_hash, user_id, created_us, expires_us, last_seen_us,
                 address)
             VALUES (?1, ?2, ?3, ?4, ?3, ?5)",
            params![
                row.token_hash,
                row.user_id,
                row.now_us,
                row.expires_us,
                row.address
            ],
        )?;
        Ok(())
    }

    /// The user of a live session, marking it seen now: its end moves on by as much time as
    /// passed since it was last seen (an idle timeout), never past `created_us + max_age_us`.
    /// `None` for an unknown or expired session.
    pub fn touch_session(
        &mut self,
        token_hash: &str,
        now_us: i64,
        max_age_us: i64,
    ) -> Result<Option<UserRow>, LibraryError> {
        let live = self.conn.execute(
            "UPDATE web_sessions
             SET expires_us = MIN(?2 + (expires_us - last_seen_us), created_us + ?3),
                 last_seen_us = ?2
             WHERE token_hash = ?1 AND expires_us > ?2",
            params![token_hash, now_us, max_age_us],
        )?;
        if live == 0 {
            return Ok(None);
        }
        let cols = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {cols} FROM web_sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1"
                ),
                [token_hash],
                user_row,
            )
            .optional()?)
    }

    /// Ends a session; false if there was none.
    pub fn delete_session(&mut self, token_hash: &str) -> Result<bool, LibraryError> {
        Ok(self.conn.execute(
            "DELETE FROM web_sessions WHERE token_hash = ?1",
            [token_hash],
        )? == 1)
    }

    /// Deletes sessions that ended before `now_us`; returns how many.
    pub fn delete_expired_sessions(&mut self, now_us: i64) -> Result<usize, LibraryError> {
        Ok(self
            .conn
            .execute("DELETE FROM web_sessions WHERE expires_us <= ?1", [now_us])?)
    }

    /// Appends a line to the audit trail.
    pub fn insert_audit(
        &mut self,
        at_us: i64,
        user_name: Option<&str>,
        action: &str,
        detail: &str,
        address: Option<&str>,
    ) -> Result<(), LibraryError> {
        self.conn.execute(
            "INSERT INTO audit (at_us, user_name, action, detail, address)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![at_us, user_name, action, detail, address],
        )?;
        Ok(())
    }

    /// The latest `limit` lines of the audit trail, newest first.
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>, LibraryError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at_us, user_name, action, detail, address FROM audit
             ORDER BY at_us DESC, id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at_us: r.get(1)?,
                user_name: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
                address: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn version(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn migrating_a_schema_4_library_adds_empty_account_tables_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join("vigil.db")).unwrap();
            for sql in &super::super::schema::MIGRATIONS[..4] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 4).unwrap();
            conn.execute_batch(
                "INSERT INTO cameras (id, name, url, created_us) VALUES (1, 'gate', 'demo://', 0);",
            )
            .unwrap();
        }
        let mut lib = Library::open(dir.path()).unwrap();
        assert!(version(lib.conn()) >= 5);
        assert_eq!(lib.camera_by_name("gate").unwrap().id, 1);
        assert!(lib.users().unwrap().is_empty());
        assert!(lib.audit_entries(10).unwrap().is_empty());
        let id = lib.insert_user("root", "admin", "$argon2id$x", 7).unwrap();
        assert!(id.is_some());
        assert_eq!(
            lib.insert_user("root", "viewer", "$argon2id$y", 8).unwrap(),
            None
        );
        // The table refuses a role it does not know.
        assert!(lib
            .insert_user("eve", "superuser", "$argon2id$z", 9)
            .is_err());
        // A session goes with its user.
        let user_id = id.unwrap();
        lib.insert_session(&NewSessionRow {
            token_hash: "ab",
            user_id,
            now_us: 10,
            expires_us: 20,
            address: None,
        })
        .unwrap();
        lib.conn()
            .execute("UPDATE users SET role = 'viewer'", [])
            .unwrap();
        assert_eq!(lib.delete_user("root").unwrap(), UserRemoval::Removed);
        let sessions: i64 = lib
            .conn()
            .query_row("SELECT COUNT(*) FROM web_sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sessions, 0);
    }

    #[test]
    fn a_library_set_back_to_schema_4_by_hand_keeps_its_accounts() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut lib = Library::open(dir.path()).unwrap();
            lib.insert_user("root", "admin", "$argon2id$x", 1).unwrap();
            lib.conn().pragma_update(None, "user_version", 4).unwrap();
        }
        let lib = Library::open(dir.path()).unwrap();
        assert!(version(lib.conn()) >= 5);
        let names: Vec<String> = lib.users().unwrap().into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["root"]);
    }
}
