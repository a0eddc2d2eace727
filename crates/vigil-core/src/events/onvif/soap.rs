//! SOAP 1.2 for ONVIF: envelopes with WS-Addressing and a WS-Security UsernameToken
//! (PasswordDigest = Base64(SHA-1(nonce + created + password)), `created` in the camera's
//! clock), a session that learns the camera's clock offset from GetSystemDateAndTime once
//! and again (with one retry) when the camera says the token is not authorized, and faults
//! turned into [`OnvifError`]s carrying the camera's reason text.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use ring::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY};

use super::{client, xml, Credentials, OnvifError};
use crate::model::time::{now_us, to_datetime};

pub const NS_DEVICE: &str = "http://www.onvif.org/ver10/device/wsdl";
pub const NS_MEDIA: &str = "http://www.onvif.org/ver10/media/wsdl";
pub const NS_EVENTS: &str = "http://www.onvif.org/ver10/events/wsdl";
pub const NS_SCHEMA: &str = "http://www.onvif.org/ver10/schema";

const NS_ENV: &str = "http://www.w3.org/2003/05/soap-envelope";
const NS_WSA: &str = "http://www.w3.org/2005/08/addressing";
const NS_WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const NS_WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const DIGEST_TYPE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const NONCE_TYPE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// The WS-Security password digest: Base64(SHA-1(nonce + created + password)).
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut input = Vec::with_capacity(nonce.len() + created.len() + password.len());
    input.extend_from_slice(nonce);
    input.extend_from_slice(created.as_bytes());
    input.extend_from_slice(password.as_bytes());
    Base64::encode_string(digest(&SHA1_FOR_LEGACY_USE_ONLY, &input).as_ref())
}

/// `2026-12-05T03:00:00Z`: the form of `Created` every camera accepts.
pub fn created_text(us: i64) -> String {
    let t = to_datetime(us);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The UsernameToken header for `creds` at camera time `camera_us`.
fn security_header(creds: &Credentials, camera_us: i64) -> String {
    let mut nonce = [0u8; 16];
    if getrandom::fill(&mut nonce).is_err() {
        // Without the OS's randomness a nonce from the clock still differs per request.
        nonce[..16].copy_from_slice(&now_us().to_le_bytes().repeat(2));
    }
    let created = created_text(camera_us);
    format!(
        "<wsse:Security xmlns:wsse=\"{NS_WSSE}\" xmlns:wsu=\"{NS_WSU}\" env:mustUnderstand=\"true\">\
         <wsse:UsernameToken><wsse:Username>{}</wsse:Username>\
         <wsse:Password Type=\"{DIGEST_TYPE}\">{}</wsse:Password>\
         <wsse:Nonce EncodingType=\"{NONCE_TYPE}\">{}</wsse:Nonce>\
         <wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>",
        xml::escape(&creds.user),
        password_digest(&nonce, &created, &creds.password),
        Base64::encode_string(&nonce),
    )
}

/// A whole SOAP 1.2 envelope: addressing headers, the security header when given, `body`.
pub fn envelope(action: &str, to: &str, security: Option<&str>, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <env:Envelope xmlns:env=\"{NS_ENV}\" xmlns:wsa=\"{NS_WSA}\" xmlns:tds=\"{NS_DEVICE}\" \
         xmlns:trt=\"{NS_MEDIA}\" xmlns:tev=\"{NS_EVENTS}\" xmlns:tt=\"{NS_SCHEMA}\" \
         xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\">\
         <env:Header><wsa:Action>{}</wsa:Action><wsa:To>{}</wsa:To>{}</env:Header>\
         <env:Body>{body}</env:Body></env:Envelope>",
        xml::escape(action),
        xml::escape(to),
        security.unwrap_or("")
    )
}

/// The fault in an answer, if it is one: `NotAuthorized` for a sender-not-authorized (or
/// failed-authentication) fault, else `Fault` with the camera's reason text.
pub fn fault(doc: &roxmltree::Document<'_>) -> Option<OnvifError> {
    let f = xml::find(doc.root_element(), "Fault")?;
    let codes: Vec<String> = xml::find_all(f, "Value")
        .into_iter()
        .chain(xml::find_all(f, "faultcode"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    let denied = codes.iter().any(|c| {
        let local = c.rsplit(':').next().unwrap_or(c);
        local == "NotAuthorized" || local == "FailedAuthentication"
    });
    if denied {
        return Some(OnvifError::NotAuthorized);
    }
    let reason = xml::text(f, "Text")
        .or_else(|| xml::text(f, "faultstring"))
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| codes.join(" / "));
    Some(OnvifError::Fault(reason))
}

/// Checks an HTTP answer: a fault or an unreadable body is an error, else the body.
pub fn check(answer: client::Answer) -> Result<String, OnvifError> {
    let doc = xml::parse(&answer.body).map_err(|e| {
        if answer.status == 200 {
            e
        } else {
            OnvifError::Fault(format!("HTTP status {}", answer.status))
        }
    })?;
    if let Some(f) = fault(&doc) {
        return Err(f);
    }
    if answer.status != 200 {
        return Err(OnvifError::Fault(format!("HTTP status {}", answer.status)));
    }
    Ok(answer.body)
}

/// The camera's clock from a GetSystemDateAndTime answer, UTC µs.
pub fn parse_camera_clock(body: &str) -> Result<i64, OnvifError> {
    let doc = xml::parse(body)?;
    let utc = xml::find(doc.root_element(), "UTCDateTime")
        .ok_or_else(|| OnvifError::BadAnswer("the camera's clock has no UTCDateTime".into()))?;
    let num = |local: &str| -> Result<i64, OnvifError> {
        xml::text(utc, local)
            .and_then(|t| t.parse::<i64>().ok())
            .ok_or_else(|| OnvifError::BadAnswer(format!("the camera's clock has no {local}")))
    };
    let bad = |_| OnvifError::BadAnswer("the camera's clock is not a valid date".into());
    let month = time::Month::try_from(num("Month")? as u8).map_err(bad)?;
    let date = time::Date::from_calendar_date(num("Year")? as i32, month, num("Day")? as u8)
        .map_err(bad)?;
    let t = time::Time::from_hms(
        num("Hour")? as u8,
        num("Minute")? as u8,
        num("Second")? as u8,
    )
    .map_err(bad)?;
    Ok(time::PrimitiveDateTime::new(date, t)
        .assume_utc()
        .unix_timestamp()
        * 1_000_000)
}

/// One camera's SOAP conversation: its device address, credentials, and the offset of its
/// clock from ours (learnt once, renewed when the camera refuses a token).
#[derive(Debug)]
pub struct Session {
    pub device_url: String,
    creds: Option<Credentials>,
    pub timeout: Duration,
    /// Camera clock minus ours, µs; `None` until asked.
    offset_us: Option<i64>,
    stop: Option<Arc<AtomicBool>>,
}

impl Session {
    pub fn new(device_url: &str, creds: Option<&Credentials>, timeout: Duration) -> Self {
        Self {
            device_url: device_url.to_string(),
            creds: creds.cloned(),
            timeout,
            offset_us: None,
            stop: None,
        }
    }

    /// Waits end early once `stop` is set.
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }

    /// Uses the clock offset `other` learnt (no new GetSystemDateAndTime).
    pub fn with_clock_of(mut self, other: &Session) -> Self {
        self.offset_us = other.offset_us;
        self
    }

    /// The camera's clock minus ours, µs, as last learnt.
    pub fn clock_offset_us(&self) -> Option<i64> {
        self.offset_us
    }

    /// Asks the camera for its clock (no authentication needed) and keeps the offset.
    pub fn sync_clock(&mut self) -> Result<i64, OnvifError> {
        let action = format!("{NS_DEVICE}/GetSystemDateAndTime");
        let env = envelope(
            &action,
            &self.device_url,
            None,
            "<tds:GetSystemDateAndTime/>",
        );
        let sent = Instant::now();
        let before = now_us();
        let answer = self.post(&self.device_url.clone(), &action, &env, self.timeout)?;
        let camera = parse_camera_clock(&check(answer)?)?;
        let ours = before + (sent.elapsed().as_micros() as i64) / 2;
        let offset = camera - ours;
        tracing::debug!(device = %self.device_url, offset_ms = offset / 1000, "camera clock");
        self.offset_us = Some(offset);
        Ok(offset)
    }

    /// Calls `action` at `url` with `body`, authenticated; answers the checked body.
    pub fn call(&mut self, url: &str, action: &str, body: &str) -> Result<String, OnvifError> {
        self.call_timeout(url, action, body, self.timeout)
    }

    /// [`Session::call`] waiting at most `timeout` (a long poll needs more than a call).
    pub fn call_timeout(
        &mut self,
        url: &str,
        action: &str,
        body: &str,
        timeout: Duration,
    ) -> Result<String, OnvifError> {
        if self.creds.is_some() && self.offset_us.is_none() {
            self.sync_clock_or_trust_ours()?;
        }
        match self.call_once(url, action, body, timeout) {
            // The camera's clock may have moved (or was never read right): once more.
            Err(OnvifError::NotAuthorized) if self.creds.is_some() => {
                self.sync_clock_or_trust_ours()?;
                self.call_once(url, action, body, timeout)
            }
            other => other,
        }
    }

    /// [`Session::sync_clock`]; a camera that answers it with a fault or nonsense (some
    /// want a login even for their clock) is taken to share our clock. Only an unreachable
    /// or silent camera is an error.
    fn sync_clock_or_trust_ours(&mut self) -> Result<(), OnvifError> {
        match self.sync_clock() {
            Ok(_) => Ok(()),
            Err(e @ (OnvifError::Unreachable { .. } | OnvifError::Timeout(_))) => Err(e),
            Err(e) => {
                tracing::debug!(device = %self.device_url, error = %e,
                    "camera clock unreadable; using ours");
                self.offset_us = Some(0);
                Ok(())
            }
        }
    }

    fn call_once(
        &self,
        url: &str,
        action: &str,
        body: &str,
        timeout: Duration,
    ) -> Result<String, OnvifError> {
        let security = self
            .creds
            .as_ref()
            .map(|c| security_header(c, now_us() + self.offset_us.unwrap_or(0)));
        let env = envelope(action, url, security.as_deref(), body);
        check(self.post(url, action, &env, timeout)?)
    }

    fn post(
        &self,
        url: &str,
        action: &str,
        env: &str,
        timeout: Duration,
    ) -> Result<client::Answer, OnvifError> {
        client::post(
            url,
            action,
            env,
            timeout,
            self.creds.as_ref(),
            self.stop.as_deref(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected digest was computed independently with Python's hashlib:
    /// `base64.b64encode(hashlib.sha1(bytes(range(16)) + b"2026-12-05T03:00:00Z" +
    /// b"hunter22").digest())`.
    #[test]
    fn the_password_digest_matches_an_independent_computation() {
        let nonce: Vec<u8> = (0u8..16).collect();
        assert_eq!(Base64::encode_string(&nonce), "AAECAwQFBgcICQoLDA0ODw==");
        assert_eq!(
            password_digest(&nonce, "2026-12-05T03:00:00Z", "hunter22"),
            "seyi7lvYYYsrFy0LOBOEu79J4r8="
        );
    }

    #[test]
    fn created_is_written_to_the_second_in_utc() {
        assert_eq!(created_text(1_780_000_000_123_456), "2026-05-28T20:26:40Z");
    }

    #[test]
    fn faults_become_errors_with_the_cameras_reason() {
        let denied = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
          xmlns:ter="http://www.onvif.org/ver10/error"><env:Body><env:Fault>
          <env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value>
          </env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender not authorized</env:Text>
          </env:Reason></env:Fault></env:Body></env:Envelope>"#;
        let doc = xml::parse(denied).expect("xml");
        assert_eq!(fault(&doc), Some(OnvifError::NotAuthorized));
        let other = denied
            .replace("ter:NotAuthorized", "ter:ActionNotSupported")
            .replace("Sender not authorized", "Optional action not implemented");
        let answer = client::Answer {
            status: 400,
            body: other,
        };
        assert_eq!(
            check(answer),
            Err(OnvifError::Fault("Optional action not implemented".into()))
        );
    }

    #[test]
    fn the_cameras_clock_is_read_from_its_utc_date_time() {
        let body = r#"<Envelope><Body><GetSystemDateAndTimeResponse><SystemDateAndTime>
          <UTCDateTime><Time><Hour>20</Hour><Minute>26</Minute><Second>40</Second></Time>
          <Date><Year>2026</Year><Month>5</Month><Day>28</Day></Date></UTCDateTime>
          </SystemDateAndTime></GetSystemDateAndTimeResponse></Body></Envelope>"#;
        assert_eq!(parse_camera_clock(body), Ok(1_780_000_000_000_000));
    }
}
