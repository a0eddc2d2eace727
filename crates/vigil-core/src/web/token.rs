//! Session tokens: 32 random bytes from the operating system, written base64url (43
//! characters) for the cookie; API tokens for scripts are the same with the prefix
//! [`API_PREFIX`]. Only their SHA-256 (hex) is stored, so a copy of the library does not let
//! anyone in.

use std::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

/// Random bytes in a token.
pub const TOKEN_BYTES: usize = 32;

/// A session token as handed to a browser. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// A new token from the operating system's random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Self(Base64UrlUnpadded::encode_string(&bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the library stores for this token.
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// What starts an API token (so it is told from a session token without a look-up, and
/// recognised by secret scanners).
pub const API_PREFIX: &str = "vigil_";

/// A new API token: [`API_PREFIX`] and a fresh session-shaped token.
pub fn generate_api_token() -> Result<SessionToken, getrandom::Error> {
    let t = SessionToken::generate()?;
    Ok(SessionToken(format!("{API_PREFIX}{}", t.0)))
}

/// True if `token` has the shape of an API token we hand out.
pub fn well_formed_api(token: &str) -> bool {
    token.strip_prefix(API_PREFIX).is_some_and(well_formed)
}

/// SHA-256 of a token as sent by a client, in lowercase hex.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// True if `token` has the shape of one we hand out (so a cookie of any other shape is not
/// even looked up).
pub fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_url_safe_characters_and_all_differ() {
        let a = SessionToken::generate().unwrap();
        let b = SessionToken::generate().unwrap();
        assert_ne!(a, b);
        assert!(well_formed(a.as_str()), "{}", a.as_str());
        assert!(!well_formed("short") && !well_formed(&"+".repeat(43)));
        assert_eq!(format!("{a:?}"), "SessionToken(…)");
        let api = generate_api_token().unwrap();
        assert!(well_formed_api(api.as_str()) && !well_formed(api.as_str()));
        assert!(!well_formed_api(a.as_str()));
    }

    #[test]
    fn the_stored_hash_is_sha256_hex() {
        // SHA-256("abc"), FIPS 180-2's example.
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let t = SessionToken::generate().unwrap();
        assert_eq!(t.hash(), hash_token(t.as_str()));
        assert_eq!(t.hash().len(), 64);
    }
}
