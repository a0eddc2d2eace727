//! API token rows (schema 6): an account's credentials for scripts (`Authorization: Bearer`),
//! each with a label, stored only as the SHA-256 of the token, never expiring by idleness,
//! going with their user. The rules (token shape, hashing, who may) are `web::accounts`'s.

use rusqlite::{params, OptionalExtension};

use super::accounts::UserRow;
use super::{Library, LibraryError};

/// An API token as listed: never the token nor its hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub label: String,
    pub created_us: i64,
    /// When it last let a request in (`None`: never used).
    pub last_used_us: Option<i64>,
}

impl Library {
    /// Stores a token for user `user_id`; `None` when the user already has one with this
    /// label.
    pub fn insert_api_token(
        &mut self,
        user_id: i64,
        label: &str,
        token_hash: &str,
        now_us: i64,
    ) -> Result<Option<i64>, LibraryError> {
        let inserted = self.conn.execute(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_us)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, label) DO NOTHING",
            params![user_id, label, token_hash, now_us],
        )?;
        Ok((inserted == 1).then(|| self.conn.last_insert_rowid()))
    }

    /// The tokens of user `user_id`, oldest first.
    pub fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiTokenRow>, LibraryError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, label, created_us, last_used_us FROM api_tokens
             WHERE user_id = ?1 ORDER BY created_us, id",
        )?;
        let rows = stmt.query_map([user_id], |r| {
            Ok(ApiTokenRow {
                id: r.get(0)?,
                label: r.get(1)?,
                created_us: r.get(2)?,
                last_used_us: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Revokes user `user_id`'s token labelled `label`; false if there was none.
    pub fn delete_api_token(&mut self, user_id: i64, label: &str) -> Result<bool, LibraryError> {
        Ok(self.conn.execute(
            "DELETE FROM api_tokens WHERE user_id = ?1 AND label = ?2",
            params![user_id, label],
        )? == 1)
    }

    /// The user whose token has this hash, marking it used now; `None` for an unknown (or
    /// revoked) token.
    pub fn use_api_token(
        &mut self,
        token_hash: &str,
        now_us: i64,
    ) -> Result<Option<UserRow>, LibraryError> {
        let used = self.conn.execute(
            "UPDATE api_tokens SET last_used_us = ?2 WHERE token_hash = ?1",
            params![token_hash, now_us],
        )?;
        if used == 0 {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row(
                "SELECT u.id, u.name, u.role, u.password_hash, u.created_us, u.updated_us
                 FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
                [token_hash],
                super::accounts::user_row,
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_listed_used_revoked_and_go_with_their_user() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let ana = lib
            .insert_user("ana", "operator", "$argon2id$x", 1)
            .unwrap()
            .unwrap();
        let bob = lib
            .insert_user("bob", "viewer", "$argon2id$y", 1)
            .unwrap()
            .unwrap();
        assert!(lib
            .insert_api_token(ana, "door", "h1", 5)
            .unwrap()
            .is_some());
        assert_eq!(lib.insert_api_token(ana, "door", "h2", 6).unwrap(), None);
        assert!(lib
            .insert_api_token(bob, "door", "h3", 7)
            .unwrap()
            .is_some());
        let listed = lib.api_tokens(ana).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].label.as_str(), listed[0].last_used_us),
            ("door", None)
        );
        assert_eq!(lib.use_api_token("h1", 99).unwrap().unwrap().name, "ana");
        assert_eq!(lib.api_tokens(ana).unwrap()[0].last_used_us, Some(99));
        assert!(lib.use_api_token("nope", 99).unwrap().is_none());
        assert!(lib.delete_api_token(ana, "door").unwrap());
        assert!(!lib.delete_api_token(ana, "door").unwrap());
        assert!(lib.use_api_token("h1", 100).unwrap().is_none());
        assert_eq!(
            lib.delete_user("bob").unwrap(),
            super::super::accounts::UserRemoval::Removed
        );
        assert!(lib.use_api_token("h3", 100).unwrap().is_none());
        let left: i64 = lib
            .conn()
            .query_row("SELECT COUNT(*) FROM api_tokens", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }
}
