//! The camera's device and media services: its identity (GetDeviceInformation), clock
//! (GetSystemDateAndTime), services (GetCapabilities), and the stream URLs of its profiles
//! (GetProfiles + GetStreamUri).
//!
//! FOUNDATION STUB: the signatures below are the contract; the onvif-events branch
//! implements them.

use std::time::Duration;

use super::{Credentials, OnvifError};

/// Who made the camera and what it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeviceInfo {
    pub manufacturer: String,
    pub model: String,
    pub firmware: String,
    pub serial: String,
}

/// One media profile and its RTSP URL (without credentials).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProfileStream {
    pub token: String,
    pub name: String,
    /// e.g. `H264`, `H265`.
    pub encoding: String,
    pub width: u32,
    pub height: u32,
    pub uri: String,
}

/// The camera's streams: the main stream (the largest profile), and a sub-stream (the
/// smallest other profile) when it has one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StreamUris {
    pub main: String,
    pub sub: Option<String>,
    pub profiles: Vec<ProfileStream>,
}

/// The identity of the device at `device_url` (`http://HOST:PORT/onvif/device_service`).
pub fn device_info(
    device_url: &str,
    creds: Option<&Credentials>,
    timeout: Duration,
) -> Result<DeviceInfo, OnvifError> {
    let _ = (device_url, creds, timeout);
    Err(OnvifError::NoService("device"))
}

/// The stream URLs of the device at `device_url` (GetCapabilities → media service,
/// GetProfiles, GetStreamUri for each RTSP profile).
pub fn stream_uris(
    device_url: &str,
    creds: Option<&Credentials>,
    timeout: Duration,
) -> Result<StreamUris, OnvifError> {
    let _ = (device_url, creds, timeout);
    Err(OnvifError::NoService("media"))
}
