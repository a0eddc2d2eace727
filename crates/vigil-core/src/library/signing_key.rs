//! The installation's Ed25519 signing key: made once per data directory, kept in
//! `<data-dir>/signing.key` (PKCS#8, mode 0600 whatever group read says), used to sign the
//! integrity chain and export manifests; its public key is what a verifier trusts.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};

use crate::library::io_reason;
use crate::library::perms::create_private_file;

/// File name of the key in the data directory.
pub const KEY_FILE: &str = "signing.key";

/// Why the key cannot be used, in words.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("this installation has no signing key yet ({path}); it is made by the recorder or by the first export")]
    Missing { path: String },
    #[error("cannot read the signing key {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the signing key {path} is not an Ed25519 key in PKCS#8 form: it may be damaged")]
    Invalid { path: String },
    #[error("cannot save a new signing key as {path}: {reason}")]
    Save { path: String, reason: String },
    #[error("cannot make a signing key: the system's random source failed")]
    Random,
}

/// The installation's signing key.
pub struct InstallationKey {
    pair: Ed25519KeyPair,
    path: PathBuf,
}

impl std::fmt::Debug for InstallationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstallationKey")
            .field("path", &self.path)
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

impl InstallationKey {
    /// The key of the library in `data_dir`; `Missing` when none was made yet.
    pub fn load(data_dir: &Path) -> Result<Self, KeyError> {
        let path = data_dir.join(KEY_FILE);
        let shown = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(KeyError::Missing { path: shown })
            }
            Err(e) => {
                return Err(KeyError::Read {
                    path: shown,
                    reason: io_reason(&e),
                })
            }
        };
        let pair = Ed25519KeyPair::from_pkcs8(&bytes)
            .or_else(|_| Ed25519KeyPair::from_pkcs8_maybe_unchecked(&bytes))
            .map_err(|_| KeyError::Invalid { path: shown })?;
        Ok(Self { pair, path })
    }

    /// The key of the library in `data_dir`, made now when there is none. Two processes
    /// making one at once agree on the first saved: the file is written whole under a
    /// temporary name and linked into place only if no key is there yet.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        match Self::load(data_dir) {
            Err(KeyError::Missing { .. }) => {}
            other => return other,
        }
        let path = data_dir.join(KEY_FILE);
        let fail = |e: std::io::Error| KeyError::Save {
            path: path.display().to_string(),
            reason: io_reason(&e),
        };
        let pkcs8 =
            Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| KeyError::Random)?;
        let tmp = data_dir.join(format!("{KEY_FILE}.{}.tmp", std::process::id()));
        create_private_file(&tmp).map_err(fail)?;
        let saved = std::fs::write(&tmp, pkcs8.as_ref())
            .and_then(|()| std::fs::File::open(&tmp)?.sync_all())
            .and_then(|()| match std::fs::hard_link(&tmp, &path) {
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
                other => other,
            });
        let _ = std::fs::remove_file(&tmp);
        saved.map_err(fail)?;
        tracing::info!(path = %path.display(), "made this installation's signing key");
        Self::load(data_dir)
    }

    /// Signs `msg` (64 bytes).
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        self.pair.sign(msg).as_ref().to_vec()
    }

    /// The public key (32 bytes).
    pub fn public_key(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.pair.public_key().as_ref());
        out
    }

    /// A short name of the public key a person can compare: the first 16 bytes of its
    /// SHA-256, as `ab12:cd34:…` (8 groups of 4 hex digits).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }

    /// Where the key is kept.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The fingerprint of any Ed25519 public key (see [`InstallationKey::fingerprint`]).
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, public_key);
    let groups: Vec<String> = digest.as_ref()[..16]
        .chunks(2)
        .map(|c| format!("{:02x}{:02x}", c[0], c[1]))
        .collect();
    groups.join(":")
}

/// Whether `signature` is `public_key`'s Ed25519 signature of `msg`.
pub fn verify(public_key: &[u8], msg: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(msg, signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_key_is_made_once_kept_private_and_verifies_its_signatures() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            InstallationKey::load(dir.path()),
            Err(KeyError::Missing { .. })
        ));
        let key = InstallationKey::load_or_create(dir.path()).unwrap();
        let again = InstallationKey::load_or_create(dir.path()).unwrap();
        assert_eq!(
            key.public_key(),
            again.public_key(),
            "the same key is read back"
        );
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        let sig = key.sign(b"segment 1");
        assert_eq!(sig.len(), 64);
        assert!(verify(&key.public_key(), b"segment 1", &sig));
        assert!(!verify(&key.public_key(), b"segment 2", &sig));
        let other = tempfile::tempdir().unwrap();
        let stranger = InstallationKey::load_or_create(other.path()).unwrap();
        assert!(!verify(&stranger.public_key(), b"segment 1", &sig));
        assert_ne!(key.fingerprint(), stranger.fingerprint());
        assert_eq!(key.fingerprint().len(), 39);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left");
    }

    #[test]
    fn a_damaged_key_is_named_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), b"not a key").unwrap();
        let err = InstallationKey::load_or_create(dir.path()).unwrap_err();
        assert!(matches!(err, KeyError::Invalid { .. }), "{err}");
        assert_eq!(
            std::fs::read(dir.path().join(KEY_FILE)).unwrap(),
            b"not a key"
        );
    }
}
