//! The passwords of a site configuration, sealed with a passphrase: Argon2id turns the
//! passphrase and a random 16-byte salt into a 256-bit key, ChaCha20-Poly1305 (ring) with a
//! random nonce encrypts and authenticates the JSON of [`Secrets`]. The KDF's parameters
//! are written beside the ciphertext; a wrong passphrase and a changed byte fail alike.

use std::collections::BTreeMap;

use argon2::{Algorithm, Argon2, Params, Version};
use base64ct::{Base64, Encoding};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use serde::{Deserialize, Serialize};

use super::SiteConfigError;

/// Names written in the file for what this module uses.
const KDF: &str = "argon2id";
const CIPHER: &str = "chacha20-poly1305";
/// Bound to the ciphertext: sealed secrets open only as a version-1 site configuration's.
const AAD: &[u8] = b"vigil-site-config/1/secrets";
const SALT_LEN: usize = 16;
const KEY_LEN: usize = 32;
/// What this build seals with: 64 MiB, 3 passes, 1 lane.
const M_COST_KIB: u32 = 64 * 1024;
const T_COST: u32 = 3;
const P_COST: u32 = 1;
/// The most a file may ask of the KDF (a file is input: it must not make import take
/// minutes or gigabytes).
const MAX_M_COST_KIB: u32 = 1024 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 16;
/// Fewest characters a passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The passwords themselves, keyed by camera identifier and user name. User info is kept as
/// written in the URL (`user:pass`, percent-encoded). Never logged: `Debug` shows no value.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    #[serde(default)]
    pub cameras: BTreeMap<String, CameraSecrets>,
    #[serde(default)]
    pub mqtt_password: Option<String>,
    /// User name → Argon2id PHC string of their password.
    #[serde(default)]
    pub users: BTreeMap<String, String>,
}

/// One camera's credentials.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraSecrets {
    #[serde(default)]
    pub url_userinfo: Option<String>,
    #[serde(default)]
    pub detect_userinfo: Option<String>,
    #[serde(default)]
    pub live_userinfo: Option<String>,
    #[serde(default)]
    pub onvif_password: Option<String>,
}

impl CameraSecrets {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("cameras", &self.cameras.keys().collect::<Vec<_>>())
            .field("users", &self.users.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The KDF as written in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfParams {
    pub algorithm: String,
    /// Argon2 version (19 = 0x13).
    pub version: u32,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Base64.
    pub salt: String,
}

/// Sealed [`Secrets`] as written in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedSecrets {
    pub kdf: KdfParams,
    pub cipher: String,
    /// Base64.
    pub nonce: String,
    /// Base64: the encrypted JSON with its 16-byte tag.
    pub ciphertext: String,
}

/// Refuses a passphrase too short to protect password hashes.
pub fn check_passphrase(passphrase: &str) -> Result<(), SiteConfigError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(SiteConfigError::Invalid(format!(
            "the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"
        )));
    }
    Ok(())
}

fn crypto(what: &str) -> SiteConfigError {
    SiteConfigError::Crypto(what.to_string())
}

fn damaged(what: &str) -> SiteConfigError {
    SiteConfigError::Invalid(format!("the file's passwords part is damaged: {what}"))
}

fn derive_key(
    passphrase: &str,
    kdf: &KdfParams,
    salt: &[u8],
) -> Result<LessSafeKey, SiteConfigError> {
    let params = Params::new(kdf.m_cost_kib, kdf.t_cost, kdf.p_cost, Some(KEY_LEN))
        .map_err(|e| damaged(&format!("its key parameters are not usable ({e})")))?;
    let mut key = [0u8; KEY_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|e| damaged(&format!("cannot derive its key ({e})")))?;
    let unbound =
        UnboundKey::new(&CHACHA20_POLY1305, &key).map_err(|_| crypto("bad key length"))?;
    key.fill(0);
    Ok(LessSafeKey::new(unbound))
}

/// Encrypts `secrets` with `passphrase` (a fresh salt and nonce each time).
pub fn seal(secrets: &Secrets, passphrase: &str) -> Result<SealedSecrets, SiteConfigError> {
    check_passphrase(passphrase)?;
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|e| crypto(&format!("no random salt ({e})")))?;
    getrandom::fill(&mut nonce).map_err(|e| crypto(&format!("no random nonce ({e})")))?;
    let kdf = KdfParams {
        algorithm: KDF.into(),
        version: 0x13,
        m_cost_kib: M_COST_KIB,
        t_cost: T_COST,
        p_cost: P_COST,
        salt: Base64::encode_string(&salt),
    };
    let key = derive_key(passphrase, &kdf, &salt)?;
    let mut data = serde_json::to_vec(secrets).map_err(|e| crypto(&e.to_string()))?;
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(AAD),
        &mut data,
    )
    .map_err(|_| crypto("the cipher refused the data"))?;
    Ok(SealedSecrets {
        kdf,
        cipher: CIPHER.into(),
        nonce: Base64::encode_string(&nonce),
        ciphertext: Base64::encode_string(&data),
    })
}

/// Checks the sealed part's form (names, sizes, KDF bounds) without a passphrase.
pub fn check_form(sealed: &SealedSecrets) -> Result<(), SiteConfigError> {
    let kdf = &sealed.kdf;
    if kdf.algorithm != KDF || kdf.version != 0x13 {
        return Err(damaged(&format!(
            "its key derivation is '{}' version {}; this Vigil knows {KDF} version 19",
            kdf.algorithm, kdf.version
        )));
    }
    if sealed.cipher != CIPHER {
        return Err(damaged(&format!(
            "its cipher is '{}'; this Vigil knows {CIPHER}",
            sealed.cipher
        )));
    }
    if kdf.m_cost_kib > MAX_M_COST_KIB || kdf.t_cost > MAX_T_COST || kdf.p_cost > MAX_P_COST {
        return Err(damaged(&format!(
            "its key derivation asks for more than {} MiB, {MAX_T_COST} passes or \
             {MAX_P_COST} lanes",
            MAX_M_COST_KIB / 1024
        )));
    }
    decode(&kdf.salt, "salt", Some(SALT_LEN))?;
    decode(&sealed.nonce, "nonce", Some(NONCE_LEN))?;
    decode(&sealed.ciphertext, "ciphertext", None)?;
    Ok(())
}

fn decode(text: &str, what: &str, len: Option<usize>) -> Result<Vec<u8>, SiteConfigError> {
    let bytes =
        Base64::decode_vec(text).map_err(|_| damaged(&format!("its {what} is not base64")))?;
    match len {
        Some(n) if bytes.len() != n => Err(damaged(&format!(
            "its {what} has {} bytes, not {n}",
            bytes.len()
        ))),
        None if bytes.len() < CHACHA20_POLY1305.tag_len() => {
            Err(damaged(&format!("its {what} is too short")))
        }
        _ => Ok(bytes),
    }
}

/// Decrypts sealed secrets. A wrong passphrase, or any changed byte of salt, nonce or
/// ciphertext, gives [`SiteConfigError::WrongPassphrase`].
pub fn open(sealed: &SealedSecrets, passphrase: &str) -> Result<Secrets, SiteConfigError> {
    check_form(sealed)?;
    let salt = decode(&sealed.kdf.salt, "salt", Some(SALT_LEN))?;
    let nonce = decode(&sealed.nonce, "nonce", Some(NONCE_LEN))?;
    let mut data = decode(&sealed.ciphertext, "ciphertext", None)?;
    let key = derive_key(passphrase, &sealed.kdf, &salt)?;
    let nonce = Nonce::try_assume_unique_for_key(&nonce).map_err(|_| damaged("its nonce"))?;
    let plain = key
        .open_in_place(nonce, Aad::from(AAD), &mut data)
        .map_err(|_| SiteConfigError::WrongPassphrase)?;
    serde_json::from_slice(plain).map_err(|e| damaged(&format!("its contents do not read ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        let mut s = Secrets::default();
        s.cameras.insert(
            "gate".into(),
            CameraSecrets {
                url_userinfo: Some("admin:s3cr%21t".into()),
                ..CameraSecrets::default()
            },
        );
        s.mqtt_password = Some("broker-pass".into());
        s.users.insert(
            "alice".into(),
            "$argon2id$v=19$m=19456,t=2,p=1$abc$def".into(),
        );
        s
    }

    #[test]
    fn sealed_secrets_open_with_the_passphrase_and_hide_every_value() {
        let sealed = seal(&secrets(), "correct horse").unwrap();
        let json = serde_json::to_string(&sealed).unwrap();
        for secret in ["s3cr", "broker-pass", "argon2id$", "alice", "gate"] {
            assert!(!json.contains(secret), "{secret} shows in {json}");
        }
        assert_eq!(open(&sealed, "correct horse").unwrap(), secrets());
        // A fresh salt and nonce each time.
        let again = seal(&secrets(), "correct horse").unwrap();
        assert_ne!(again.kdf.salt, sealed.kdf.salt);
        assert_ne!(again.nonce, sealed.nonce);
        assert!(!format!("{:?}", secrets()).contains("s3cr"));
    }

    #[test]
    fn a_wrong_passphrase_or_a_changed_byte_opens_nothing() {
        let sealed = seal(&secrets(), "correct horse").unwrap();
        let wrong = open(&sealed, "correct horsf").unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "the passphrase does not open this file's passwords (a wrong passphrase, or the \
             file was changed since it was written); nothing was imported"
        );
        let mut bytes = Base64::decode_vec(&sealed.ciphertext).unwrap();
        bytes[3] ^= 1;
        let tampered = SealedSecrets {
            ciphertext: Base64::encode_string(&bytes),
            ..sealed.clone()
        };
        assert!(matches!(
            open(&tampered, "correct horse"),
            Err(SiteConfigError::WrongPassphrase)
        ));
        let mut salt = Base64::decode_vec(&sealed.kdf.salt).unwrap();
        salt[0] ^= 1;
        let mut other_salt = sealed.clone();
        other_salt.kdf.salt = Base64::encode_string(&salt);
        assert!(matches!(
            open(&other_salt, "correct horse"),
            Err(SiteConfigError::WrongPassphrase)
        ));
    }

    #[test]
    fn a_damaged_or_greedy_sealed_part_is_refused_before_any_work() {
        let sealed = seal(&secrets(), "correct horse").unwrap();
        let mut greedy = sealed.clone();
        greedy.kdf.m_cost_kib = 64 * 1024 * 1024;
        assert!(check_form(&greedy)
            .unwrap_err()
            .to_string()
            .contains("asks for more than 1024 MiB"));
        let mut short_nonce = sealed.clone();
        short_nonce.nonce = Base64::encode_string(&[1, 2, 3]);
        assert_eq!(
            check_form(&short_nonce).unwrap_err().to_string(),
            "the file's passwords part is damaged: its nonce has 3 bytes, not 12"
        );
        let mut other = sealed;
        other.cipher = "rot13".into();
        assert!(check_form(&other)
            .unwrap_err()
            .to_string()
            .contains("rot13"));
        assert!(seal(&secrets(), "short").is_err());
    }
}
