//! Accounts over the library: users (name, role, Argon2id password hash), logins (checked,
//! throttled, logged and audited), browser sessions (a random token handed out, only its
//! hash stored) and the audit trail. Who may call what is the caller's rule (see
//! [`Role`]): this module does what it is asked.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::password::{self, PasswordError};
use super::role::Role;
use super::throttle::{Throttle, Throttled};
use super::token::{self, SessionToken};
use crate::library::accounts::{AuditEntry, NewSessionRow, RoleChange, UserRemoval, UserRow};
pub use crate::library::api_tokens::ApiTokenRow as ApiToken;
use crate::library::{Library, LibraryError};
use crate::model::text::printable;
use crate::model::time::now_us;
use crate::model::InvalidInput;

/// Errors from accounts, each a sentence for the person who asked.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("a user named '{0}' already exists")]
    DuplicateUser(String),
    #[error("no user named '{0}'")]
    UnknownUser(String),
    #[error("'{user}' already has a token labelled '{label}'")]
    DuplicateToken { user: String, label: String },
    #[error("'{user}' has no token labelled '{label}'")]
    UnknownToken { user: String, label: String },
    #[error("'{0}' is the last admin; make another user an admin before removing this one")]
    LastAdmin(String),
    #[error(
        "'{0}' is the last admin; make another user an admin before giving this one another role"
    )]
    LastAdminRole(String),
    /// Said the same whether or not the name exists.
    #[error("wrong user name or password")]
    LoginFailed,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error("the system's random number source failed: {0}")]
    Random(String),
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// A user, as shown anywhere: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_us: i64,
    pub updated_us: i64,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            role: Role::from_stored(&row.role),
            created_us: row.created_us,
            updated_us: row.updated_us,
        }
    }
}

/// Who made a change, for the audit trail: a signed-in user and where from, or the local
/// command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    pub user: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl Actor<'static> {
    /// `vigil user …` on this machine: whoever may write the data directory.
    pub const COMMAND_LINE: Actor<'static> = Actor {
        user: None,
        address: Some("command line"),
    };
}

/// A session just made: the token for the cookie, and when it ends unless used.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: SessionToken,
    pub expires_us: i64,
}

/// Audit actions written by this module (the web server adds its own, e.g. `export`,
/// `camera.add`).
pub mod action {
    pub const LOGIN: &str = "login";
    pub const LOGIN_FAILED: &str = "login failed";
    pub const LOGOUT: &str = "logout";
    pub const USER_ADDED: &str = "user.add";
    pub const ROLE_CHANGED: &str = "user.role";
    pub const PASSWORD_CHANGED: &str = "user.password";
    pub const USER_REMOVED: &str = "user.remove";
    pub const TOKEN_ADDED: &str = "token added";
    pub const TOKEN_REMOVED: &str = "token removed";
}

/// Longest a session lives, however often it is used.
pub const SESSION_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// Checks a user name: 1 to 64 printable characters, kept exactly as written (no leading
/// or trailing spaces, so what is typed at login is what was stored).
pub fn check_name(name: &str) -> Result<(), InvalidInput> {
    let n = name.chars().count();
    if n == 0 || n > 64 {
        return Err(InvalidInput(format!(
            "user name '{}' must be 1 to 64 characters long",
            printable(name)
        )));
    }
    if crate::model::text::has_unsafe(name) {
        return Err(InvalidInput(format!(
            "user name '{}' may only use printable characters",
            printable(name)
        )));
    }
    if name.trim() != name {
        return Err(InvalidInput(format!(
            "user name '{name}' must not start or end with a space"
        )));
    }
    Ok(())
}

/// Checks an API token's label: 1 to 64 printable characters.
pub fn check_label(label: &str) -> Result<&str, InvalidInput> {
    let n = label.chars().count();
    if n == 0 || n > 64 || crate::model::text::has_unsafe(label) || label.trim() != label {
        return Err(InvalidInput(format!(
            "token label '{}' must be 1 to 64 printable characters, not starting or ending \
             with a space",
            printable(label)
        )));
    }
    Ok(label)
}

fn us(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// The accounts in one library.
pub struct Accounts {
    lib: Library,
}

impl Accounts {
    pub fn new(lib: Library) -> Self {
        Self { lib }
    }

    /// The library underneath, for the caller's other work.
    pub fn library(&mut self) -> &mut Library {
        &mut self.lib
    }

    /// Adds a user with a role and a password (hashed here); audited.
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
        by: Actor<'_>,
    ) -> Result<User, AccountError> {
        check_name(name)?;
        let hash = password::hash(password)?;
        let now = now_us();
        let Some(id) = self.lib.insert_user(name, role.as_str(), &hash, now)? else {
            return Err(AccountError::DuplicateUser(name.to_string()));
        };
        self.audit(by, action::USER_ADDED, &format!("{name} ({role})"))?;
        Ok(User {
            id,
            name: name.to_string(),
            role,
            created_us: now,
            updated_us: now,
        })
    }

    /// Every user, by name.
    pub fn list_users(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.lib.users()?.into_iter().map(User::from).collect())
    }

    /// Every user, by name, with when they last signed in (`None`: never, or before the
    /// audit trail was kept).
    pub fn list_users_with_last_login(&self) -> Result<Vec<(User, Option<i64>)>, AccountError> {
        let last: std::collections::HashMap<String, i64> = self
            .lib
            .latest_audit_by_user(action::LOGIN)?
            .into_iter()
            .collect();
        Ok(self
            .list_users()?
            .into_iter()
            .map(|u| {
                let at = last.get(&u.name).copied();
                (u, at)
            })
            .collect())
    }

    /// Gives a user another role, unless that leaves no admin. Audited.
    pub fn set_role(&mut self, name: &str, role: Role, by: Actor<'_>) -> Result<(), AccountError> {
        match self.lib.set_user_role(name, role.as_str(), now_us())? {
            RoleChange::Changed => self.audit(by, action::ROLE_CHANGED, &format!("{name}: {role}")),
            RoleChange::Unknown => Err(AccountError::UnknownUser(printable(name).into_owned())),
            RoleChange::LastAdmin => Err(AccountError::LastAdminRole(name.to_string())),
        }
    }

    /// The user with this exact name.
    pub fn user(&self, name: &str) -> Result<User, AccountError> {
        match self.lib.user_by_name(name)? {
            Some(row) => Ok(row.into()),
            None => Err(AccountError::UnknownUser(printable(name).into_owned())),
        }
    }

    /// Sets a new password; the user's sessions end. Audited.
    pub fn set_password(
        &mut self,
        name: &str,
        password: &str,
        by: Actor<'_>,
    ) -> Result<(), AccountError> {
        let hash = password::hash(password)?;
        if !self.lib.set_user_password_hash(name, &hash, now_us())? {
            return Err(AccountError::UnknownUser(printable(name).into_owned()));
        }
        self.audit(by, action::PASSWORD_CHANGED, name)
    }

    /// Removes a user and their sessions, unless they are the last admin. Audited.
    pub fn remove_user(&mut self, name: &str, by: Actor<'_>) -> Result<(), AccountError> {
        match self.lib.delete_user(name)? {
            UserRemoval::Removed => self.audit(by, action::USER_REMOVED, name),
            UserRemoval::Unknown => Err(AccountError::UnknownUser(printable(name).into_owned())),
            UserRemoval::LastAdmin => Err(AccountError::LastAdmin(name.to_string())),
        }
    }

    /// The user if `password` is theirs. The error is the same for an unknown name and a
    /// wrong password, and takes as long.
    pub fn verify(&self, name: &str, password: &str) -> Result<User, AccountError> {
        match self.lib.user_by_name(name)? {
            Some(row) if password::verify(password, &row.password_hash) => Ok(row.into()),
            Some(_) => Err(AccountError::LoginFailed),
            None => {
                password::verify_nobody(password);
                Err(AccountError::LoginFailed)
            }
        }
    }

    /// A login attempt from `address`: refused while throttled, otherwise verified; the
    /// outcome counts in `throttle`, is logged (never the password) and audited.
    pub fn login(
        &mut self,
        throttle: &mut Throttle,
        name: &str,
        password: &str,
        address: &str,
        now: Instant,
    ) -> Result<User, AccountError> {
        // What was typed as a name is kept short in logs and the audit trail.
        let typed: String = name.chars().take(64).collect();
        let shown = printable(&typed);
        if let Err(t) = throttle.check(name, address, now) {
            tracing::warn!(user = %shown, address, "login refused: {t}");
            return Err(t.into());
        }
        let by = Actor {
            user: Some(&typed),
            address: Some(address),
        };
        match self.verify(name, password) {
            Ok(user) => {
                throttle.succeeded(name);
                tracing::info!(user = %shown, address, "login");
                self.audit(by, action::LOGIN, "")?;
                Ok(user)
            }
            Err(AccountError::LoginFailed) => {
                throttle.failed(name, address, now);
                tracing::warn!(user = %shown, address, "login failed: wrong user name or password");
                self.audit(by, action::LOGIN_FAILED, "")?;
                Err(AccountError::LoginFailed)
            }
            Err(e) => Err(e),
        }
    }

    /// Starts a session for `user` that ends after `idle` without use (and after
    /// [`SESSION_MAX_AGE`] in any case). Expired sessions are swept on the way.
    pub fn create_session(
        &mut self,
        user: &User,
        address: Option<&str>,
        idle: Duration,
    ) -> Result<NewSession, AccountError> {
        let now = now_us();
        self.lib.delete_expired_sessions(now)?;
        let token = SessionToken::generate().map_err(|e| AccountError::Random(e.to_string()))?;
        let expires_us = now.saturating_add(us(idle.min(SESSION_MAX_AGE)));
        self.lib.insert_session(&NewSessionRow {
            token_hash: &token.hash(),
            user_id: user.id,
            now_us: now,
            expires_us,
            address,
        })?;
        Ok(NewSession { token, expires_us })
    }

    /// The user of a live session (its idle timeout starts again), or `None` for a token
    /// that is malformed, unknown, ended or expired.
    pub fn session(&mut self, token: &str) -> Result<Option<User>, AccountError> {
        self.session_at(token, now_us())
    }

    fn session_at(&mut self, token: &str, now: i64) -> Result<Option<User>, AccountError> {
        if !token::well_formed(token) {
            return Ok(None);
        }
        let row = self
            .lib
            .touch_session(&token::hash_token(token), now, us(SESSION_MAX_AGE))?;
        Ok(row.map(User::from))
    }

    /// The user of an API token (marked used now), or `None` for a token that is
    /// malformed, unknown or revoked. API tokens never expire by idleness.
    pub fn api_token(&mut self, token: &str) -> Result<Option<User>, AccountError> {
        if !token::well_formed_api(token) {
            return Ok(None);
        }
        let row = self
            .lib
            .use_api_token(&token::hash_token(token), now_us())?;
        Ok(row.map(User::from))
    }

    /// The user of a bearer token: an API token, else a session token.
    pub fn bearer(&mut self, token: &str) -> Result<Option<User>, AccountError> {
        if token.starts_with(token::API_PREFIX) {
            self.api_token(token)
        } else {
            self.session(token)
        }
    }

    /// Makes an API token for user `name`, labelled `label` (or `token N`, the first
    /// free); the token is handed back once and only its hash is kept. Audited.
    pub fn add_api_token(
        &mut self,
        name: &str,
        label: Option<&str>,
        by: Actor<'_>,
    ) -> Result<(ApiToken, SessionToken), AccountError> {
        let user = self.user(name)?;
        let label = match label {
            Some(l) => check_label(l)?.to_string(),
            None => {
                let taken = self.lib.api_tokens(user.id)?;
                (1..)
                    .map(|n| format!("token {n}"))
                    .find(|l| taken.iter().all(|t| &t.label != l))
                    .unwrap_or_default()
            }
        };
        let secret =
            token::generate_api_token().map_err(|e| AccountError::Random(e.to_string()))?;
        let now = now_us();
        let Some(id) = self
            .lib
            .insert_api_token(user.id, &label, &secret.hash(), now)?
        else {
            return Err(AccountError::DuplicateToken {
                user: user.name,
                label,
            });
        };
        self.audit(by, action::TOKEN_ADDED, &format!("{name}: {label}"))?;
        let row = ApiToken {
            id,
            label,
            created_us: now,
            last_used_us: None,
        };
        Ok((row, secret))
    }

    /// User `name`'s API tokens (never the tokens themselves).
    pub fn api_tokens(&self, name: &str) -> Result<Vec<ApiToken>, AccountError> {
        let user = self.user(name)?;
        Ok(self.lib.api_tokens(user.id)?)
    }

    /// Revokes user `name`'s token labelled `label`. Audited.
    pub fn remove_api_token(
        &mut self,
        name: &str,
        label: &str,
        by: Actor<'_>,
    ) -> Result<(), AccountError> {
        let user = self.user(name)?;
        if !self.lib.delete_api_token(user.id, label)? {
            return Err(AccountError::UnknownToken {
                user: user.name,
                label: printable(label).into_owned(),
            });
        }
        self.audit(by, action::TOKEN_REMOVED, &format!("{name}: {label}"))
    }

    /// Ends a session (logout); false if there was none. Audited when there was.
    pub fn end_session(
        &mut self,
        token: &str,
        address: Option<&str>,
    ) -> Result<bool, AccountError> {
        if !token::well_formed(token) {
            return Ok(false);
        }
        let hash = token::hash_token(token);
        let user = self
            .lib
            .touch_session(&hash, now_us(), us(SESSION_MAX_AGE))?;
        let ended = self.lib.delete_session(&hash)?;
        if let (true, Some(u)) = (ended, user) {
            let by = Actor {
                user: Some(&u.name),
                address,
            };
            self.audit(by, action::LOGOUT, "")?;
        }
        Ok(ended)
    }

    /// Deletes expired sessions; returns how many.
    pub fn sweep_sessions(&mut self) -> Result<usize, AccountError> {
        Ok(self.lib.delete_expired_sessions(now_us())?)
    }

    /// Writes a line to the audit trail (logins and user changes are written here; the web
    /// server adds exports, deletions and the like).
    pub fn audit(&mut self, by: Actor<'_>, action: &str, detail: &str) -> Result<(), AccountError> {
        Ok(self
            .lib
            .insert_audit(now_us(), by.user, action, detail, by.address)?)
    }

    /// The latest `limit` lines of the audit trail, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, AccountError> {
        Ok(self.lib.audit_entries(limit)?)
    }
}

#[cfg(test)]
#[path = "accounts_tests.rs"]
mod tests;
