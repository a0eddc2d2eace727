//! Passwords: the length rule, and hashing with Argon2id (default parameters, a fresh salt
//! made by the hasher) into a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). A
//! password never leaves this module except as such a hash.

use std::sync::OnceLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

/// Fewest and most characters a password may have.
pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 1024;

/// Why a password cannot be set, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_CHARS} characters")]
    TooShort,
    #[error("a password may have at most {MAX_CHARS} characters")]
    TooLong,
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Checks the length rule (in characters, not bytes).
pub fn check(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    Ok(())
}

/// Checks the rule, then hashes: Argon2id with the crate's default parameters and a random
/// salt, as a PHC string. Two hashes of one password differ (their salts do).
pub fn hash(password: &str) -> Result<String, PasswordError> {
    check(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// True if `password` matches the PHC string `phc`. A hash that does not parse matches
/// nothing (and is logged, without the password).
pub fn verify(password: &str, phc: &str) -> bool {
    let parsed = match argon2::PasswordHash::new(phc) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(
                "a stored password hash cannot be read ({e}); nobody can log in with it"
            );
            return false;
        }
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Spends the time a [`verify`] takes, for a name that has no account: a failed login takes
/// as long whether or not the name exists.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(phc) = DUMMY.get_or_init(|| hash("not anyone's password").ok()) {
        let _ = verify(password, phc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_an_argon2id_phc_string_that_verifies_only_its_password() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert_eq!(h.split('$').count(), 6, "PHC: $id$v$params$salt$hash: {h}");
        assert!(!h.contains("correct horse"));
        assert!(verify("correct horse", &h));
        assert!(!verify("correct horsE", &h));
        assert!(!verify("", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_their_salt() {
        let a = hash("same password").unwrap();
        let b = hash("same password").unwrap();
        assert_ne!(a, b);
        assert!(verify("same password", &a) && verify("same password", &b));
    }

    #[test]
    fn passwords_have_8_to_1024_characters() {
        assert_eq!(check("1234567"), Err(PasswordError::TooShort));
        assert_eq!(check("12345678"), Ok(()));
        // Characters, not bytes: 8 two-byte letters are enough.
        assert_eq!(check("éééééééé"), Ok(()));
        assert_eq!(check(&"x".repeat(1024)), Ok(()));
        assert_eq!(check(&"x".repeat(1025)), Err(PasswordError::TooLong));
        assert_eq!(hash("short"), Err(PasswordError::TooShort));
        assert_eq!(
            PasswordError::TooShort.to_string(),
            "a password needs at least 8 characters"
        );
    }
}
