//! WS-Discovery's two messages as text: the Probe we send (SOAP 1.2, WS-Addressing 2004/08,
//! WS-Discovery 2005/04, asking for `dn:NetworkVideoTransmitter`) and the ProbeMatches we
//! read back (the answering device's endpoint, device service addresses and ONVIF scopes).
//! Anything that is not a well-formed answer to our probe reads as `None`.

use crate::model::secret::percent_decode_lossy;

/// The WS-Discovery multicast group and port.
pub const MULTICAST_GROUP: std::net::Ipv4Addr = std::net::Ipv4Addr::new(239, 255, 255, 250);
pub const PORT: u16 = 3702;

const NS_DISCOVERY: &str = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
const NS_ONVIF_NETWORK: &str = "http://www.onvif.org/ver10/network/wsdl";
const ONVIF_SCOPE: &str = "onvif://www.onvif.org/";
/// More matches than this in one datagram are ignored (a real camera sends one).
const MAX_MATCHES: usize = 16;
/// More addresses or scopes than this in one match are ignored.
const MAX_ITEMS: usize = 32;

/// A fresh `urn:uuid:` message id (a random version-4 UUID).
pub fn new_message_id() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// The Probe for ONVIF network video transmitters, with `message_id` (a `urn:uuid:`).
pub fn probe(message_id: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="{NS_DISCOVERY}" xmlns:dn="{NS_ONVIF_NETWORK}"><s:Header><a:Action s:mustUnderstand="1">{NS_DISCOVERY}/Probe</a:Action><a:MessageID>{message_id}</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo><a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>"#
    )
}

/// One ProbeMatch: a device that says it is an ONVIF video transmitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeMatch {
    /// The endpoint reference address, usually `urn:uuid:…`; stable across the device's
    /// addresses, so it names the device.
    pub endpoint: String,
    /// Device service URLs (`http://HOST[:PORT]/onvif/device_service`), http(s) only.
    pub xaddrs: Vec<String>,
    /// The scopes as sent (space-separated URIs in the message).
    pub scopes: Vec<String>,
}

/// The ProbeMatches in `datagram` that answer the probe `message_id`. `None` for anything
/// else: not XML, not a ProbeMatches, an answer to another probe, or no usable match.
pub fn probe_matches(datagram: &[u8], message_id: &str) -> Option<Vec<ProbeMatch>> {
    let text = std::str::from_utf8(datagram).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "Envelope" {
        return None;
    }
    let header = child(root, "Header")?;
    let relates_to = child(header, "RelatesTo")?.text()?.trim();
    if relates_to != message_id {
        return None;
    }
    if let Some(action) = child(header, "Action").and_then(|a| a.text()) {
        if !action.trim().ends_with("/ProbeMatches") {
            return None;
        }
    }
    let matches = child(child(root, "Body")?, "ProbeMatches")?;
    let found: Vec<ProbeMatch> = matches
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "ProbeMatch")
        .take(MAX_MATCHES)
        .filter_map(one_match)
        .collect();
    (!found.is_empty()).then_some(found)
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, local: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == local)
}

fn words(node: Option<roxmltree::Node>) -> Vec<String> {
    node.and_then(|n| n.text())
        .unwrap_or_default()
        .split_ascii_whitespace()
        .take(MAX_ITEMS)
        .map(str::to_string)
        .collect()
}

fn one_match(m: roxmltree::Node) -> Option<ProbeMatch> {
    // A match that names its types must name ours (a camera may add `tds:Device`).
    if let Some(types) = child(m, "Types") {
        let ours = types
            .text()
            .unwrap_or_default()
            .split_ascii_whitespace()
            .any(|t| t.rsplit(':').next() == Some("NetworkVideoTransmitter"));
        if !ours {
            return None;
        }
    }
    let endpoint = child(m, "EndpointReference")
        .and_then(|e| child(e, "Address"))
        .and_then(|a| a.text())
        .map(|a| a.trim().to_string())
        .unwrap_or_default();
    let xaddrs: Vec<String> = words(child(m, "XAddrs"))
        .iter()
        .filter_map(|x| device_url(x))
        .collect();
    if xaddrs.is_empty() {
        return None;
    }
    let endpoint = if endpoint.is_empty() {
        xaddrs[0].clone()
    } else {
        endpoint
    };
    Some(ProbeMatch {
        endpoint,
        xaddrs,
        scopes: words(child(m, "Scopes")),
    })
}

/// `raw` as a device service URL: `http://` or `https://` (any case) with a host, in the
/// URL parser's normal form; `None` for anything else (the parser would also take
/// `http:/host` or `http:\\host`, which no camera sends).
fn device_url(raw: &str) -> Option<String> {
    let head = |p: &str| {
        raw.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    if !(head("http://") || head("https://")) {
        return None;
    }
    let u = url::Url::parse(raw).ok()?;
    (matches!(u.scheme(), "http" | "https") && u.host().is_some()).then(|| u.to_string())
}

/// The value of the ONVIF scope `kind` (`name`, `hardware`, `location`, …) percent-decoded:
/// `onvif://www.onvif.org/name/Front%20Door` → `Front Door`. Several scopes of one kind
/// (`location/country/fr`, `location/city/Paris`) are joined with `, `.
pub fn scope_value(scopes: &[String], kind: &str) -> Option<String> {
    let values: Vec<String> = scopes
        .iter()
        .filter_map(|s| {
            let head = s.get(..ONVIF_SCOPE.len())?;
            if !head.eq_ignore_ascii_case(ONVIF_SCOPE) {
                return None;
            }
            let rest = s[ONVIF_SCOPE.len()..]
                .strip_prefix(kind)?
                .strip_prefix('/')?;
            let value = percent_decode_lossy(rest).trim().to_string();
            (!value.is_empty()).then_some(value)
        })
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

#[cfg(test)]
#[path = "discovery_parse_tests.rs"]
mod tests;
