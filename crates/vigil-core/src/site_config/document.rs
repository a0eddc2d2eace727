//! The site configuration file: a versioned JSON document holding what an operator set up
//! (cameras with their policies, ONVIF and object settings, zones and trigger sources; the
//! MQTT broker; web users and their roles), never a recording, event, session or token. URLs
//! carry no credentials here; passwords only ever travel sealed in `secrets`.

use serde::{Deserialize, Serialize};

use super::sealed::SealedSecrets;
use super::SiteConfigError;
use crate::model::objects::ObjectSettings;

/// The `format` every site configuration file names.
pub const FORMAT: &str = "vigil-site-config";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub format: String,
    pub version: u32,
    /// When it was written, UTC microseconds since the Unix epoch.
    pub exported_at_us: i64,
    /// The Vigil that wrote it.
    pub vigil_version: String,
    pub cameras: Vec<CameraConfig>,
    #[serde(default)]
    pub mqtt: Option<MqttConfig>,
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// The passwords, encrypted with a passphrase; absent unless asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<SealedSecrets>,
}

/// A camera and everything set up for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraConfig {
    /// Its identifier (folders, URLs, topics, flags).
    pub id: String,
    /// The name people see.
    pub name: String,
    /// Without `user:password@`.
    pub url: String,
    #[serde(default)]
    pub detect_url: Option<String>,
    #[serde(default)]
    pub live_url: Option<String>,
    pub transport: String,
    pub enabled: bool,
    /// The camera's sound is taken in (recorded, listened to); off when absent.
    #[serde(default)]
    pub audio: bool,
    pub policy: PolicyConfig,
    #[serde(default)]
    pub onvif: Option<OnvifConfig>,
    #[serde(default)]
    pub objects: Option<ObjectSettings>,
    #[serde(default)]
    pub zones: Vec<ZoneConfig>,
    #[serde(default)]
    pub trigger_sources: Vec<TriggerSourceConfig>,
}

/// A camera's recording policy (durations in seconds, sizes in bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    pub mode: String,
    pub segment_s: u32,
    pub retain_days: f64,
    #[serde(default)]
    pub max_bytes: Option<u64>,
    pub pre_event_s: u32,
    pub post_event_s: u32,
    pub max_clip_s: u32,
    pub event_retain_days: f64,
}

/// A camera's ONVIF settings, without the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnvifConfig {
    pub port: u16,
    #[serde(default)]
    pub user: Option<String>,
    pub motion_from: String,
}

/// A motion zone or mask; `polygon` in fractions of the frame, `[[x, y], …]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneConfig {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub polygon: Vec<(f32, f32)>,
    pub sensitivity: u32,
    pub min_area: f32,
    /// The zone's own object list, when it differs from its camera's.
    #[serde(default)]
    pub objects: Option<Vec<String>>,
}

/// A message source that starts the camera's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerSourceConfig {
    pub name: String,
    pub topic: String,
    pub when: String,
    #[serde(default)]
    pub hold_s: Option<f64>,
}

/// The MQTT broker, without the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MqttConfig {
    pub broker: String,
    #[serde(default)]
    pub user: Option<String>,
    pub client_id: String,
    pub topic_prefix: String,
    pub ha_discovery: bool,
}

/// A web viewer account, without its password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub name: String,
    pub role: String,
}

impl SiteConfig {
    /// Reads a file's text: first whether it is a site configuration of a version this build
    /// knows, then the whole document. Every refusal names the problem.
    pub fn parse(text: &str) -> Result<Self, SiteConfigError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| invalid(format!("the file is not JSON ({e})")))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(invalid(format!(
                    "the file's format is '{other}', not a Vigil site configuration ('{FORMAT}')"
                )))
            }
            None => {
                return Err(invalid(format!(
                    "the file has no \"format\": \"{FORMAT}\"; it is not a Vigil site configuration"
                )))
            }
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(invalid(format!(
                    "the file is version {v} of the site configuration; this Vigil reads version \
                     {VERSION} (a newer Vigil wrote it: upgrade this one)"
                )))
            }
            None => return Err(invalid("the file has no version number".into())),
        }
        serde_json::from_value(value).map_err(|e| {
            invalid(format!(
                "the file does not read as a site configuration: {e}"
            ))
        })
    }

    /// The document as pretty JSON, ending with a newline.
    pub fn to_json(&self) -> Result<String, SiteConfigError> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| invalid(format!("cannot write the document: {e}")))?;
        text.push('\n');
        Ok(text)
    }
}

fn invalid(message: String) -> SiteConfigError {
    SiteConfigError::Invalid(message)
}
