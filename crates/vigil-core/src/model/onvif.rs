//! A camera's ONVIF settings: where its device service answers (the camera URL's host and
//! this port), how to log in (the stream's user and password unless given), and where the
//! camera's motion comes from (Vigil's analyzer, the camera's own detector, or both).

use serde::Serialize;

use super::InvalidInput;

/// Where a camera's motion events come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MotionFrom {
    /// Vigil's motion analyzer over the operator's zones.
    #[default]
    Vigil,
    /// The camera's own motion detector, over ONVIF (no analyzer runs).
    Camera,
    /// Both: either one starts an event.
    Both,
}

impl MotionFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            MotionFrom::Vigil => "vigil",
            MotionFrom::Camera => "camera",
            MotionFrom::Both => "both",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "vigil" => Ok(MotionFrom::Vigil),
            "camera" => Ok(MotionFrom::Camera),
            "both" => Ok(MotionFrom::Both),
            other => Err(InvalidInput(format!(
                "motion source '{other}' is unknown; use vigil, camera or both"
            ))),
        }
    }

    /// Whether Vigil's analyzer makes motion events.
    pub fn from_vigil(self) -> bool {
        self != MotionFrom::Camera
    }

    /// Whether the camera's ONVIF motion makes events.
    pub fn from_camera(self) -> bool {
        self != MotionFrom::Vigil
    }
}

/// The default ONVIF port (HTTP).
pub const DEFAULT_ONVIF_PORT: u16 = 80;

/// A camera's ONVIF settings as stored. `password` is a secret: never log or show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnvifSettings {
    pub port: u16,
    /// `None`: the stream URL's user.
    pub user: Option<String>,
    /// `None`: the stream URL's password.
    pub password: Option<String>,
    pub motion_from: MotionFrom,
}

impl Default for OnvifSettings {
    fn default() -> Self {
        Self {
            port: DEFAULT_ONVIF_PORT,
            user: None,
            password: None,
            motion_from: MotionFrom::Vigil,
        }
    }
}

impl OnvifSettings {
    pub fn validate(&self) -> Result<(), InvalidInput> {
        if self.port == 0 {
            return Err(InvalidInput("the ONVIF port must be 1 to 65535".into()));
        }
        if let Some(u) = &self.user {
            if u.is_empty() || u.len() > 256 || u.chars().any(char::is_control) {
                return Err(InvalidInput(
                    "the ONVIF user must be 1 to 256 printable characters".into(),
                ));
            }
        }
        Ok(())
    }
}
