//! The Probe's shape and the ProbeMatches parser: real-world answers, broken ones, and
//! arbitrary bytes (never a panic).

use super::*;
use proptest::prelude::*;

const ID: &str = "urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a";

/// An answer shaped like a common camera's (SOAP 1.2, prefixes of its own choosing).
fn answer(relates_to: &str, body_matches: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
 <env:Header>
  <wsadis:MessageID>urn:uuid:11111111-2222-4333-8444-555555555555</wsadis:MessageID>
  <wsadis:RelatesTo>{relates_to}</wsadis:RelatesTo>
  <wsadis:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsadis:To>
  <wsadis:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsadis:Action>
 </env:Header>
 <env:Body><d:ProbeMatches>{body_matches}</d:ProbeMatches></env:Body>
</env:Envelope>"#
    )
}

fn one(endpoint: &str, types: &str, scopes: &str, xaddrs: &str) -> String {
    format!(
        r#"<d:ProbeMatch>
 <wsadis:EndpointReference><wsadis:Address>{endpoint}</wsadis:Address></wsadis:EndpointReference>
 <d:Types>{types}</d:Types>
 <d:Scopes>{scopes}</d:Scopes>
 <d:XAddrs>{xaddrs}</d:XAddrs>
 <d:MetadataVersion>10</d:MetadataVersion>
</d:ProbeMatch>"#
    )
}

fn camera() -> String {
    answer(
        ID,
        &one(
            "urn:uuid:4d454930-0000-1000-8000-bcbac2a1b2c3",
            "dn:NetworkVideoTransmitter tds:Device",
            "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming \
             onvif://www.onvif.org/name/Front%20Door onvif://www.onvif.org/hardware/DS-2CD2143G2 \
             onvif://www.onvif.org/location/city/Paris",
            "http://192.168.1.64/onvif/device_service http://[fe80::1]/onvif/device_service",
        ),
    )
}

#[test]
fn the_probe_asks_for_video_transmitters_with_our_id() {
    let id = new_message_id().unwrap();
    let text = probe(&id);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let find = |local: &str| {
        doc.descendants()
            .find(|n| n.tag_name().name() == local)
            .and_then(|n| n.text())
            .unwrap()
            .to_string()
    };
    assert_eq!(find("MessageID"), id);
    assert_eq!(find("Types"), "dn:NetworkVideoTransmitter");
    assert!(find("Action").ends_with("/discovery/Probe"));
    let types = doc
        .descendants()
        .find(|n| n.tag_name().name() == "Types")
        .unwrap();
    assert_eq!(
        types.lookup_namespace_uri(Some("dn")),
        Some(NS_ONVIF_NETWORK)
    );
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2003/05/soap-envelope")
    );
}

#[test]
fn message_ids_are_fresh_version_4_uuids() {
    let a = new_message_id().unwrap();
    let b = new_message_id().unwrap();
    assert_ne!(a, b);
    let uuid = a.strip_prefix("urn:uuid:").unwrap();
    let parts: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(parts[2].starts_with('4'));
    assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
}

#[test]
fn a_camera_answer_reads_whole() {
    let m = probe_matches(camera().as_bytes(), ID).unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(
        m[0].endpoint,
        "urn:uuid:4d454930-0000-1000-8000-bcbac2a1b2c3"
    );
    assert_eq!(
        m[0].xaddrs,
        [
            "http://192.168.1.64/onvif/device_service",
            "http://[fe80::1]/onvif/device_service"
        ]
    );
    assert_eq!(
        scope_value(&m[0].scopes, "name").as_deref(),
        Some("Front Door")
    );
    assert_eq!(
        scope_value(&m[0].scopes, "hardware").as_deref(),
        Some("DS-2CD2143G2")
    );
    assert_eq!(
        scope_value(&m[0].scopes, "location").as_deref(),
        Some("city/Paris")
    );
    assert_eq!(scope_value(&m[0].scopes, "nothing"), None);
}

#[test]
fn scopes_decode_and_join() {
    let scopes: Vec<String> = [
        "ONVIF://www.onvif.org/name/Caf%C3%A9%20%C3%A9t%C3%A9",
        "onvif://www.onvif.org/location/country/france",
        "onvif://www.onvif.org/location/city/Lyon",
        "onvif://www.onvif.org/names/not-a-name",
        "onvif://www.onvif.org/name/",
        "onvif://elsewhere.example/name/Other",
        "onvif://www.onvif.org/hardware/%ZZbad",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(scope_value(&scopes, "name").as_deref(), Some("Café été"));
    assert_eq!(
        scope_value(&scopes, "location").as_deref(),
        Some("country/france, city/Lyon")
    );
    assert_eq!(scope_value(&scopes, "hardware").as_deref(), Some("%ZZbad"));
}

#[test]
fn several_matches_and_no_endpoint() {
    let body = one(
        "urn:uuid:a",
        "dn:NetworkVideoTransmitter",
        "",
        "http://10.0.0.2/onvif/device_service",
    ) + &one(
        "",
        "NetworkVideoTransmitter",
        "",
        "HTTPS://10.0.0.3:8443/onvif/device_service",
    );
    let m = probe_matches(answer(ID, &body).as_bytes(), ID).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[1].endpoint, "https://10.0.0.3:8443/onvif/device_service");
    assert!(m[1].scopes.is_empty());
}

/// Each of these is not an answer to our probe, or not a usable one.
#[test]
fn broken_or_foreign_datagrams_are_none() {
    let good = one(
        "urn:uuid:a",
        "dn:NetworkVideoTransmitter",
        "",
        "http://10.0.0.2/onvif/device_service",
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("not UTF-8", vec![0xff, 0xfe, 0x00, 0x3c]),
        ("not XML", b"hello".to_vec()),
        ("truncated", camera().as_bytes()[..400].to_vec()),
        ("another probe's answer", answer("urn:uuid:other", &good).into_bytes()),
        ("no RelatesTo", camera().replace("RelatesTo", "Foo").into_bytes()),
        (
            "a Probe, not an answer",
            probe(ID).into_bytes(),
        ),
        (
            "a Hello",
            camera()
                .replace("/ProbeMatches</wsadis:Action>", "/Hello</wsadis:Action>")
                .into_bytes(),
        ),
        ("no matches", answer(ID, "").into_bytes()),
        (
            "a printer",
            answer(
                ID,
                &one("urn:uuid:p", "wprt:PrinterServiceType", "", "http://10.0.0.9/ws"),
            )
            .into_bytes(),
        ),
        (
            "no XAddrs",
            answer(ID, &one("urn:uuid:a", "dn:NetworkVideoTransmitter", "", "")).into_bytes(),
        ),
        (
            "XAddrs not http",
            answer(
                ID,
                &one(
                    "urn:uuid:a",
                    "dn:NetworkVideoTransmitter",
                    "",
                    "rtsp://x/ ftp://y/ junk http:!/x http:/y https:z http:// HTTP:\\\\w",
                ),
            )
            .into_bytes(),
        ),
        (
            "not an Envelope",
            b"<Header><RelatesTo>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</RelatesTo></Header>"
                .to_vec(),
        ),
        (
            "a DTD bomb",
            format!(
                "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\
                 <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>{}",
                answer(ID, &good).replace("urn:uuid:a", "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;")
            )
            .into_bytes(),
        ),
    ];
    for (what, bytes) in cases {
        let got = probe_matches(&bytes, ID);
        assert!(
            got.is_none() || what == "a DTD bomb",
            "{what}: read as {got:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = probe_matches(&bytes, ID);
    }

    /// A camera's answer cut, with a byte changed anywhere: parsed or refused, never a
    /// panic, and whatever is read still answers our probe with http(s) addresses.
    #[test]
    fn mangled_answers_never_panic(cut in 0usize..2000, at in 0usize..2000, byte in any::<u8>()) {
        let mut bytes = camera().into_bytes();
        bytes.truncate(cut.max(1).min(bytes.len()));
        let i = at % bytes.len();
        bytes[i] = byte;
        if let Some(found) = probe_matches(&bytes, ID) {
            for m in found {
                prop_assert!(!m.xaddrs.is_empty());
                for x in &m.xaddrs {
                    prop_assert!(x.starts_with("http://") || x.starts_with("https://"));
                }
            }
        }
    }

    #[test]
    fn scope_values_never_panic(s in ".{0,80}") {
        let scopes = vec![format!("onvif://www.onvif.org/name/{s}"), s.clone()];
        let _ = scope_value(&scopes, "name");
    }
}
