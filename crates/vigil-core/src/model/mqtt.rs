//! The MQTT broker Vigil talks to (site-wide, at most one): where it is, how to log in, the
//! client id and the topic prefix of what Vigil publishes. The password is stored like a
//! camera's and shown only masked.

use serde::Serialize;

use super::InvalidInput;

/// A broker address: `mqtt://HOST[:PORT]` (plain, port 1883) or `mqtts://HOST[:PORT]` (TLS,
/// port 8883).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broker {
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

impl Broker {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let raw = raw.trim();
        let bad = |why: &str| InvalidInput(format!("broker '{raw}' {why}"));
        let (tls, rest) = if let Some(r) = raw.strip_prefix("mqtt://") {
            (false, r)
        } else if let Some(r) = raw.strip_prefix("mqtts://") {
            (true, r)
        } else {
            return Err(bad("must start with mqtt:// or mqtts://"));
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains('@') {
            return Err(bad(
                "must not hold a user or password; use --user and --password-env",
            ));
        }
        if rest.contains(['/', '?', '#', ' ']) {
            return Err(bad(
                "must be only a host and a port, e.g. mqtt://192.168.1.5:1883",
            ));
        }
        let (host, port) = split_host_port(rest)
            .ok_or_else(|| bad("has a port that is not a number from 1 to 65535"))?;
        if host.is_empty() {
            return Err(bad("names no host"));
        }
        let port = port.unwrap_or(if tls { 8883 } else { 1883 });
        Ok(Self {
            tls,
            host: host.to_string(),
            port,
        })
    }

    /// The address as the operator writes it.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "mqtts" } else { "mqtt" };
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; `None` when the port is not a port.
fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    match port {
        None => Some((host, None)),
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .map(|p| (host, Some(p))),
    }
}

/// The broker settings as stored. `password` is a secret: never log or show it (see
/// [`MqttSettings::masked_password`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MqttSettings {
    pub broker: Broker,
    pub user: Option<String>,
    pub password: Option<String>,
    pub client_id: String,
    /// Topics Vigil publishes start with this (no trailing `/`), e.g. `vigil`.
    pub topic_prefix: String,
    /// Publish Home Assistant discovery documents under `homeassistant/`.
    pub ha_discovery: bool,
}

pub const DEFAULT_TOPIC_PREFIX: &str = "vigil";
pub const DEFAULT_CLIENT_ID: &str = "vigil";

impl MqttSettings {
    pub fn new(broker: Broker) -> Self {
        Self {
            broker,
            user: None,
            password: None,
            client_id: DEFAULT_CLIENT_ID.into(),
            topic_prefix: DEFAULT_TOPIC_PREFIX.into(),
            ha_discovery: true,
        }
    }

    /// Checks the client id, the prefix and the user name.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        let id = self.client_id.trim();
        if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_graphic()) {
            return Err(InvalidInput(format!(
                "client id '{id}' must be 1 to 64 visible ASCII characters"
            )));
        }
        check_prefix(&self.topic_prefix)?;
        if let Some(u) = &self.user {
            if u.is_empty() || u.len() > 256 || u.chars().any(char::is_control) {
                return Err(InvalidInput(
                    "the MQTT user must be 1 to 256 printable characters".into(),
                ));
            }
        }
        if self.password.is_some() && self.user.is_none() {
            return Err(InvalidInput(
                "an MQTT password needs a user (--user)".into(),
            ));
        }
        Ok(())
    }

    /// `********` when a password is set, for showing.
    pub fn masked_password(&self) -> Option<&'static str> {
        self.password.as_ref().map(|_| "********")
    }
}

/// A topic prefix: 1–64 characters, no wildcards, no leading or trailing `/`.
pub fn check_prefix(prefix: &str) -> Result<(), InvalidInput> {
    let ok = !prefix.is_empty()
        && prefix.len() <= 64
        && !prefix.starts_with('/')
        && !prefix.ends_with('/')
        && !prefix.contains(['+', '#', '\0'])
        && !prefix.contains("//")
        && !prefix.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(InvalidInput(format!(
            "topic prefix '{prefix}' must be 1 to 64 characters without '+', '#', or a '/' at either end"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brokers_parse_with_default_ports_and_refuse_credentials() {
        let b = Broker::parse("mqtt://10.0.0.5").expect("plain");
        assert_eq!((b.tls, b.host.as_str(), b.port), (false, "10.0.0.5", 1883));
        let b = Broker::parse("mqtts://broker.lan:8884/").expect("tls");
        assert_eq!((b.tls, b.host.as_str(), b.port), (true, "broker.lan", 8884));
        assert_eq!(b.url(), "mqtts://broker.lan:8884");
        let b = Broker::parse("mqtt://[::1]:1999").expect("v6");
        assert_eq!((b.host.as_str(), b.port), ("::1", 1999));
        assert_eq!(b.url(), "mqtt://[::1]:1999");
        for bad in [
            "tcp://x",
            "mqtt://u:p@x",
            "mqtt://x:0",
            "mqtt://x:99999",
            "mqtt://",
            "mqtt://x/topic",
        ] {
            assert!(Broker::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_refuse_wildcards_and_slashes_at_the_ends() {
        assert!(check_prefix("vigil").is_ok());
        assert!(check_prefix("site/a").is_ok());
        for bad in ["", "/v", "v/", "v/+", "v#", "a//b"] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }
}
