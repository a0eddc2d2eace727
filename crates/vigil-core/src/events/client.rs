//! Talking to a running `vigil run` from another process: where its trigger API listens, its
//! token (a file only the owner can read), and a minimal HTTP client for `vigil trigger`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

const TOKEN_FILE: &str = "api-token";
const ADDR_FILE: &str = "api.addr";

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(
        "no running Vigil with the trigger API was found for {0} (start it with `vigil run --api`)"
    )]
    NotRunning(String),
    #[error("cannot reach the trigger API at {addr}: {reason}")]
    Unreachable { addr: String, reason: String },
    #[error("the trigger API said: {0}")]
    Refused(String),
    #[error("cannot keep the API token in {path}: {reason}")]
    Token { path: String, reason: String },
}

/// The API token: `VIGIL_API_TOKEN` if set, else the data directory's token file, created
/// with a random token (mode 0600) the first time. A token file that another user owns, or
/// that other users may read or change, is refused: the token would not be a secret.
pub fn load_or_create_token(data_dir: &Path) -> Result<String, ClientError> {
    if let Ok(t) = std::env::var("VIGIL_API_TOKEN") {
        if !t.trim().is_empty() {
            return Ok(t.trim().to_string());
        }
    }
    token_file(&data_dir.join(TOKEN_FILE))
}

fn token_file(path: &Path) -> Result<String, ClientError> {
    let refuse = |reason: String| ClientError::Token {
        path: path.display().to_string(),
        reason,
    };
    let fail = |e: std::io::Error| refuse(crate::library::io_reason(&e));
    match std::fs::File::open(path) {
        Ok(mut f) => {
            let meta = f.metadata().map_err(fail)?;
            check_private(&meta, path).map_err(refuse)?;
            let mut t = String::new();
            f.read_to_string(&mut t).map_err(fail)?;
            if !t.trim().is_empty() {
                return Ok(t.trim().to_string());
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e)),
    }
    let mut bytes = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(fail)?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    f.write_all(token.as_bytes()).map_err(fail)?;
    Ok(token)
}

/// Whether only this user owns and can read or change the token file; else why not.
fn check_private(meta: &std::fs::Metadata, path: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(format!(
            "it belongs to user id {}, not to you (user id {me}); remove it, or make it yours, \
             and start again",
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "other users may read or change it (mode {mode:o}); run `chmod 600 {}`, or remove \
             it so that a new token is made, and start again",
            path.display()
        ));
    }
    Ok(())
}

/// The file that tells other `vigil` commands where the running instance's API listens.
pub fn addr_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(ADDR_FILE)
}

/// Records where the running instance's API listens.
pub fn write_addr(data_dir: &Path, addr: &str) -> std::io::Result<()> {
    std::fs::write(addr_path(data_dir), addr)
}

pub fn remove_addr(data_dir: &Path) {
    let _ = std::fs::remove_file(data_dir.join(ADDR_FILE));
}

pub fn read_addr(data_dir: &Path) -> Result<String, ClientError> {
    std::fs::read_to_string(data_dir.join(ADDR_FILE))
        .map(|s| s.trim().to_string())
        .map_err(|_| ClientError::NotRunning(data_dir.display().to_string()))
}

/// POSTs a trigger; returns the response's JSON on success.
pub fn post_trigger(
    addr: &str,
    token: &str,
    camera: &str,
    label: &str,
    hold_s: f64,
) -> Result<serde_json::Value, ClientError> {
    let unreachable = |e: std::io::Error| ClientError::Unreachable {
        addr: addr.to_string(),
        reason: crate::library::io_reason(&e),
    };
    let mut stream = TcpStream::connect(addr).map_err(unreachable)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(unreachable)?;
    let body = serde_json::json!({ "label": label, "hold_s": hold_s }).to_string();
    let request = format!(
        "POST /api/v1/cameras/{camera}/trigger HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(unreachable)?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(unreachable)?;
    let status: u16 = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json: serde_json::Value = response
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(serde_json::Value::Null);
    if status == 200 {
        Ok(json)
    } else {
        let msg = json["error"]
            .as_str()
            .map_or_else(|| format!("HTTP {status}"), str::to_string);
        Err(ClientError::Refused(msg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_token_file_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN_FILE);
        let first = token_file(&path).unwrap();
        assert_eq!(first.len(), 48);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(token_file(&path).unwrap(), first);
    }

    #[test]
    fn a_token_file_others_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN_FILE);
        std::fs::write(&path, "secret").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = token_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("other users may read or change it (mode 644)"),
            "{err}"
        );
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(token_file(&path).unwrap(), "secret");
    }

    #[test]
    fn a_token_file_of_another_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN_FILE);
        std::fs::write(&path, "secret").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        // Only root can give a file away; elsewhere this check cannot be staged.
        if std::os::unix::fs::chown(&path, Some(65534), None).is_err() {
            eprintln!("not root: skipped giving the token file to another user");
            return;
        }
        let err = token_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("belongs to user id 65534, not to you"),
            "{err}"
        );
    }
}
