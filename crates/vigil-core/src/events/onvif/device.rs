//! The camera's device and media services: its identity (GetDeviceInformation), clock
//! (GetSystemDateAndTime, in [`super::soap`]), services (GetCapabilities), and the stream
//! URLs of its profiles (GetProfiles + GetStreamUri).

use std::time::Duration;

use super::soap::{Session, NS_DEVICE, NS_MEDIA};
use super::{xml, Credentials, OnvifError};

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

/// Where the camera's services answer (from GetCapabilities).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Services {
    pub media: Option<String>,
    pub events: Option<String>,
}

/// The identity of the device at `device_url` (`http://HOST:PORT/onvif/device_service`).
pub fn device_info(
    device_url: &str,
    creds: Option<&Credentials>,
    timeout: Duration,
) -> Result<DeviceInfo, OnvifError> {
    let mut s = Session::new(device_url, creds, timeout);
    let body = s.call(
        device_url,
        &format!("{NS_DEVICE}/GetDeviceInformation"),
        "<tds:GetDeviceInformation/>",
    )?;
    let doc = xml::parse(&body)?;
    let root = doc.root_element();
    let field = |local: &str| xml::text(root, local).unwrap_or_default();
    Ok(DeviceInfo {
        manufacturer: field("Manufacturer"),
        model: field("Model"),
        firmware: field("FirmwareVersion"),
        serial: field("SerialNumber"),
    })
}

/// The media and events service addresses of the session's device.
pub fn capabilities(s: &mut Session) -> Result<Services, OnvifError> {
    let url = s.device_url.clone();
    let body = s.call(
        &url,
        &format!("{NS_DEVICE}/GetCapabilities"),
        "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>",
    )?;
    let doc = xml::parse(&body)?;
    let caps = xml::find(doc.root_element(), "Capabilities")
        .ok_or_else(|| OnvifError::BadAnswer("GetCapabilities named no capabilities".into()))?;
    let addr = |service: &str| {
        xml::children(caps, service)
            .next()
            .and_then(|n| xml::text(n, "XAddr"))
            .filter(|a| !a.is_empty())
    };
    Ok(Services {
        media: addr("Media"),
        events: addr("Events"),
    })
}

/// The stream URLs of the device at `device_url` (GetCapabilities → media service,
/// GetProfiles, GetStreamUri for each RTSP profile).
pub fn stream_uris(
    device_url: &str,
    creds: Option<&Credentials>,
    timeout: Duration,
) -> Result<StreamUris, OnvifError> {
    let mut s = Session::new(device_url, creds, timeout);
    let media = capabilities(&mut s)?
        .media
        .ok_or(OnvifError::NoService("media"))?;
    let body = s.call(
        &media,
        &format!("{NS_MEDIA}/GetProfiles"),
        "<trt:GetProfiles/>",
    )?;
    let mut profiles = parse_profiles(&body)?;
    for p in &mut profiles {
        let request = format!(
            "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream>\
             <tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>\
             <trt:ProfileToken>{}</trt:ProfileToken></trt:GetStreamUri>",
            xml::escape(&p.token)
        );
        let body = s.call(&media, &format!("{NS_MEDIA}/GetStreamUri"), &request)?;
        let doc = xml::parse(&body)?;
        p.uri = xml::text(doc.root_element(), "Uri").unwrap_or_default();
    }
    profiles.retain(|p| !p.uri.is_empty());
    pick_streams(profiles)
}

/// The profiles in a GetProfiles answer (without their URLs yet).
fn parse_profiles(body: &str) -> Result<Vec<ProfileStream>, OnvifError> {
    let doc = xml::parse(body)?;
    let root = doc.root_element();
    let mut out = Vec::new();
    for p in xml::find_all(root, "Profiles") {
        let Some(token) = xml::attr(p, "token") else {
            continue;
        };
        let enc = xml::find(p, "VideoEncoderConfiguration");
        let num = |local: &str| {
            enc.and_then(|e| xml::text(e, local))
                .and_then(|t| t.parse::<u32>().ok())
                .unwrap_or(0)
        };
        out.push(ProfileStream {
            token: token.to_string(),
            name: xml::children(p, "Name")
                .next()
                .and_then(|n| n.text())
                .unwrap_or(token)
                .trim()
                .to_string(),
            encoding: enc
                .and_then(|e| xml::text(e, "Encoding"))
                .unwrap_or_default(),
            width: num("Width"),
            height: num("Height"),
            uri: String::new(),
        });
    }
    Ok(out)
}

/// The largest profile is the main stream, the smallest other one the sub-stream.
fn pick_streams(mut profiles: Vec<ProfileStream>) -> Result<StreamUris, OnvifError> {
    let area = |p: &ProfileStream| u64::from(p.width) * u64::from(p.height);
    profiles.sort_by_key(|p| std::cmp::Reverse(area(p)));
    let main = profiles.first().map(|p| p.uri.clone()).ok_or_else(|| {
        OnvifError::BadAnswer("the camera has no profile with an RTSP URL".into())
    })?;
    let sub = profiles
        .iter()
        .skip(1)
        .filter(|p| p.uri != main)
        .min_by_key(|p| area(p))
        .map(|p| p.uri.clone());
    Ok(StreamUris {
        main,
        sub,
        profiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_profile_is_main_and_the_smallest_other_is_sub() {
        let body = r#"<Envelope><Body><GetProfilesResponse>
          <Profiles token="sub"><Name>Sub</Name><VideoEncoderConfiguration><Encoding>H264</Encoding>
            <Resolution><Width>320</Width><Height>180</Height></Resolution></VideoEncoderConfiguration></Profiles>
          <Profiles token="main"><Name>Main</Name><VideoEncoderConfiguration><Encoding>H264</Encoding>
            <Resolution><Width>1280</Width><Height>720</Height></Resolution></VideoEncoderConfiguration></Profiles>
          </GetProfilesResponse></Body></Envelope>"#;
        let mut profiles = parse_profiles(body).expect("profiles");
        assert_eq!(profiles.len(), 2);
        assert_eq!((profiles[0].width, profiles[0].height), (320, 180));
        assert_eq!(profiles[1].name, "Main");
        profiles[0].uri = "rtsp://c/sub".into();
        profiles[1].uri = "rtsp://c/main".into();
        let s = pick_streams(profiles).expect("streams");
        assert_eq!(s.main, "rtsp://c/main");
        assert_eq!(s.sub.as_deref(), Some("rtsp://c/sub"));
        assert!(pick_streams(Vec::new()).is_err());
    }
}
