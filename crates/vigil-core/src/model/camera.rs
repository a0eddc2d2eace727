//! A camera as configured by the operator: a validated name, its URLs and how to reach it.

use std::fmt;

use serde::Serialize;

use super::secret::{has_ambiguous_credentials, mask_url, scheme_end};

/// Input from the operator that cannot be accepted, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// A camera's identifier: 1–64 ASCII letters, digits, `-` and `_`. It names the camera in
/// URLs, MQTT topics and CLI flags, so nothing else is allowed; the name people see is its
/// [`super::DisplayName`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CameraName(String);

impl CameraName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let name = raw.trim();
        if name.is_empty() || name.len() > 64 {
            return Err(InvalidInput(format!(
                "camera name '{name}' must be 1 to 64 characters long"
            )));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(InvalidInput(format!(
                "camera name '{name}' may only use letters, digits, '-' and '_'"
            )));
        }
        Ok(Self(name.to_string()))
    }

    /// A name read back from the library, where it was validated on the way in.
    pub(crate) fn trusted(name: String) -> Self {
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CameraName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RTSP transport. TCP is the default: it survives lossy Wi-Fi and NAT where UDP does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    #[default]
    Tcp,
    Udp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "tcp" => Ok(Transport::Tcp),
            "udp" => Ok(Transport::Udp),
            other => Err(InvalidInput(format!(
                "transport '{other}' is unknown; use tcp or udp"
            ))),
        }
    }
}

/// A camera to be added.
#[derive(Debug, Clone)]
pub struct NewCamera {
    pub name: CameraName,
    pub url: String,
    pub detect_url: Option<String>,
    pub transport: Transport,
    pub enabled: bool,
    /// Take in the camera's sound (record it, listen live). Off by default: recording
    /// sound may be restricted by law where the camera is.
    pub audio: bool,
}

/// A configured camera. `url` holds credentials: show it only through [`Camera::masked_url`].
#[derive(Debug, Clone)]
pub struct Camera {
    pub id: i64,
    /// The stable identifier: folders, URLs, MQTT topics and CLI flags use it.
    pub name: CameraName,
    /// The name people see (any text, NFC); the identifier for cameras added before it.
    pub display_name: super::DisplayName,
    pub url: String,
    pub detect_url: Option<String>,
    pub transport: Transport,
    pub enabled: bool,
    /// Take in the camera's sound (see [`NewCamera::audio`]).
    pub audio: bool,
    pub created_us: i64,
}

impl Camera {
    pub fn masked_url(&self) -> String {
        mask_url(&self.url)
    }
}

/// Checks that a camera URL names a source Vigil can open: `rtsp://`, `rtsps://`, `http(s)://`,
/// `file://` or a path to a local file, `/dev/video*` (v4l2), or `demo://`.
pub fn validate_url(raw: &str) -> Result<(), InvalidInput> {
    let url = raw.trim();
    if url.is_empty() {
        return Err(InvalidInput("the camera URL is empty".into()));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(InvalidInput(format!(
            "camera URL '{}' contains spaces",
            mask_url(url)
        )));
    }
    if url.starts_with('/') || url.starts_with("./") || url.starts_with("v4l2:") {
        return Ok(());
    }
    let Some(scheme) = scheme_end(url).map(|end| &url[..end - 3]) else {
        return Err(InvalidInput(format!(
            "camera URL '{}' has no scheme; use rtsp://, http://, file://, a path, or demo://",
            mask_url(url)
        )));
    };
    if has_ambiguous_credentials(url) {
        return Err(InvalidInput(format!(
            "camera URL '{}' has an '@' after a '/', '?' or '#', so its user name and password \
             cannot be told apart from the address; write a '/', '?' or '#' in the password as \
             %2F, %3F or %23 (or type the password in its own field), and an '@' in the path \
             as %40",
            mask_url(url)
        )));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "rtsp" | "rtsps" | "http" | "https" | "file" | "demo" => Ok(()),
        other => Err(InvalidInput(format!(
            "camera URL scheme '{other}' is not supported; use rtsp, rtsps, http, https, file or demo"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated() {
        assert!(CameraName::parse("front_door-2").is_ok());
        assert!(CameraName::parse("").is_err());
        assert!(CameraName::parse("../etc").is_err());
        assert!(CameraName::parse("a b").is_err());
        assert!(CameraName::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn urls_are_validated() {
        for ok in [
            "rtsp://u:p@h/s",
            "http://h/x",
            "/tmp/a.mp4",
            "demo://",
            "/dev/video0",
        ] {
            assert!(validate_url(ok).is_ok(), "{ok}");
        }
        for bad in ["", "ftp://h/x", "hello", "rtsp://h/a b"] {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
        let err = validate_url("gopher://u:secret@h/").unwrap_err();
        assert!(!err.0.contains("secret"));
        // ffmpeg reads unencoded credentials up to the last '@' before the first '/', '?'
        // or '#' (checked with ffprobe against the RTSP simulator): '@' and ':' in a
        // password work, '/', '?' and '#' do not, so such URLs are refused in words.
        assert!(validate_url("rtsp://admin:p@s:s@cam/h264").is_ok());
        assert!(validate_url("rtsp://admin:a%2Fb%23c%3Fd@[::1]:554/h264").is_ok());
        for (bad, secret) in [
            ("rtsp://admin:pa#ss@cam/", "pa#ss"),
            ("rtsp://admin:pa/ss@cam:554/h264", "pa/ss"),
            ("rtsp://admin:p?ss@[::1]:554/", "p?ss"),
        ] {
            let err = validate_url(bad).unwrap_err().0;
            assert!(err.contains("%23"), "{err}");
            assert!(!err.contains(secret), "{err}");
        }
    }
}
