//! WS-Discovery: a Probe for ONVIF network video transmitters sent to the multicast group
//! 239.255.255.250:3702 from every IPv4 interface that can multicast, and the ProbeMatches
//! that come back until the timeout (device service addresses, scopes naming the model and
//! location), one [`Found`] per device.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::discovery_parse::{self as parse, ProbeMatch};

/// How many times the probe is sent (UDP may lose one), and the pause between sends.
const PROBE_REPEAT: usize = 2;
const PROBE_GAP: Duration = Duration::from_millis(100);
/// Datagrams read per interface at most (a flood cannot grow the answer without bound).
const MAX_DATAGRAMS: usize = 4096;

/// A device that answered the probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Its endpoint reference (`urn:uuid:…`): the same whichever address it answered on.
    pub endpoint: String,
    /// Its device service URLs, in the order it gave them (the first IPv4 one first).
    pub xaddrs: Vec<String>,
    /// The `name` scope, percent-decoded.
    pub name: Option<String>,
    /// The `hardware` scope (usually the model).
    pub hardware: Option<String>,
    /// The `location` scope(s).
    pub location: Option<String>,
    /// The host of its first device service URL (else the address the answer came from).
    pub host: String,
}

impl Found {
    /// The device service URL to talk to: its first one.
    pub fn device_url(&self) -> &str {
        self.xaddrs.first().map(String::as_str).unwrap_or_default()
    }

    /// The port of its device service (the ONVIF port to store).
    pub fn onvif_port(&self) -> Option<u16> {
        url::Url::parse(self.device_url())
            .ok()?
            .port_or_known_default()
    }

    /// A valid camera name made from its name scope (else its model, else its host):
    /// letters, digits, `-` and `_` only, at most 64 characters.
    pub fn camera_name(&self) -> String {
        let source = self
            .name
            .as_deref()
            .or(self.hardware.as_deref())
            .unwrap_or(&self.host);
        camera_name_from(source)
    }
}

/// `Front Door (2)` → `Front-Door-2`: other characters become `-`, runs of them one, none
/// at either end; `camera` when nothing is left.
pub fn camera_name_from(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut name: String = out.trim_end_matches('-').chars().take(64).collect();
    name.truncate(name.trim_end_matches('-').len());
    if name.is_empty() {
        "camera".to_string()
    } else {
        name
    }
}

/// What to say when nothing answered within `timeout`: the likely causes.
pub fn nothing_found(timeout: Duration) -> String {
    let secs = timeout.as_secs_f64();
    let secs = if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs:.1} s")
    };
    format!(
        "No ONVIF camera answered within {secs}. A camera on another subnet than this \
         computer's, or a network (switch, Wi-Fi, firewall) that blocks multicast, cannot \
         answer: add such a camera by its address."
    )
}

/// Why nothing could be asked.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("cannot make a random message id for the probe: {0}")]
    Random(String),
    #[error("cannot send the discovery probe: no network interface with multicast is up ({0})")]
    NoInterface(String),
}

/// Probes the local networks and returns every ONVIF video transmitter that answered within
/// `timeout`, deduplicated by endpoint, sorted by host.
pub fn discover(timeout: Duration) -> Result<Vec<Found>, DiscoveryError> {
    let message_id = parse::new_message_id().map_err(|e| DiscoveryError::Random(e.to_string()))?;
    let probe = parse::probe(&message_id);
    let target = SocketAddrV4::new(parse::MULTICAST_GROUP, parse::PORT);
    let mut sockets = Vec::new();
    let mut last_error = String::from("no IPv4 interface is up with multicast on");
    for iface in multicast_interfaces() {
        match probe_socket(iface) {
            Ok(s) => sockets.push((iface, s)),
            Err(e) => last_error = format!("{iface}: {e}"),
        }
    }
    if sockets.is_empty() {
        // No interface listed (a container without getifaddrs?): let the routing table pick.
        match probe_socket(Ipv4Addr::UNSPECIFIED) {
            Ok(s) => sockets.push((Ipv4Addr::UNSPECIFIED, s)),
            Err(e) => last_error = e.to_string(),
        }
    }
    let deadline = Instant::now() + timeout;
    let sent = send_probes(&sockets, probe.as_bytes(), target, &mut last_error);
    if sent == 0 {
        return Err(DiscoveryError::NoInterface(last_error));
    }
    let answers: Vec<(ProbeMatch, IpAddr)> = std::thread::scope(|scope| {
        let readers: Vec<_> = sockets
            .iter()
            .map(|(_, s)| scope.spawn(|| read_answers(s, &message_id, deadline)))
            .collect();
        readers
            .into_iter()
            .flat_map(|r| r.join().unwrap_or_default())
            .collect()
    });
    Ok(merge(answers))
}

/// Sends the probe [`PROBE_REPEAT`] times on each socket; how many sockets sent at least once.
fn send_probes(
    sockets: &[(Ipv4Addr, UdpSocket)],
    probe: &[u8],
    target: SocketAddrV4,
    last_error: &mut String,
) -> usize {
    let mut ok = vec![false; sockets.len()];
    for round in 0..PROBE_REPEAT {
        if round > 0 {
            std::thread::sleep(PROBE_GAP);
        }
        for (i, (iface, s)) in sockets.iter().enumerate() {
            match s.send_to(probe, target) {
                Ok(_) => ok[i] = true,
                Err(e) => {
                    tracing::debug!(%iface, error = %e, "WS-Discovery probe not sent");
                    *last_error = format!("{iface}: {e}");
                }
            }
        }
    }
    ok.iter().filter(|&&b| b).count()
}

/// A UDP socket on `iface` (any port) whose multicasts leave through that interface and
/// loop back to this host (a camera simulator on the same machine answers too).
fn probe_socket(iface: Ipv4Addr) -> std::io::Result<UdpSocket> {
    let s = UdpSocket::bind(SocketAddrV4::new(iface, 0))?;
    s.set_multicast_ttl_v4(1)?;
    s.set_multicast_loop_v4(true)?;
    if !iface.is_unspecified() {
        set_multicast_if(&s, iface)?;
    }
    Ok(s)
}

fn set_multicast_if(s: &UdpSocket, iface: Ipv4Addr) -> std::io::Result<()> {
    let addr = libc::in_addr {
        s_addr: u32::from_ne_bytes(iface.octets()),
    };
    // SAFETY: a valid socket descriptor, a pointer to an in_addr and its size.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_MULTICAST_IF,
            (&addr as *const libc::in_addr).cast(),
            std::mem::size_of::<libc::in_addr>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The IPv4 addresses of the interfaces that are up and can multicast.
fn multicast_interfaces() -> Vec<Ipv4Addr> {
    let mut out = Vec::new();
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `head` with a list we free below with freeifaddrs.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        tracing::debug!(error = %std::io::Error::last_os_error(), "getifaddrs failed");
        return out;
    }
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, not yet freed.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        let flags = ifa.ifa_flags;
        let wanted = libc::IFF_UP as u32 | libc::IFF_MULTICAST as u32;
        if flags & wanted != wanted || ifa.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: ifa_addr is non-null and points to a sockaddr of family sa_family.
        if i32::from(unsafe { (*ifa.ifa_addr).sa_family }) != libc::AF_INET {
            continue;
        }
        // SAFETY: an AF_INET address is a sockaddr_in.
        let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
        let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
        if !out.contains(&ip) {
            out.push(ip);
        }
    }
    // SAFETY: `head` came from getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    out
}

/// The matches answering `message_id` that reach `socket` before `deadline`.
fn read_answers(
    socket: &UdpSocket,
    message_id: &str,
    deadline: Instant,
) -> Vec<(ProbeMatch, IpAddr)> {
    let mut buf = vec![0u8; 65_536];
    let mut out = Vec::new();
    for _ in 0..MAX_DATAGRAMS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || socket.set_read_timeout(Some(left)).is_err() {
            break;
        }
        let (n, from): (usize, SocketAddr) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break
            }
            Err(e) => {
                tracing::debug!(error = %e, "WS-Discovery receive failed");
                continue;
            }
        };
        match parse::probe_matches(&buf[..n], message_id) {
            Some(matches) => out.extend(matches.into_iter().map(|m| (m, from.ip()))),
            None => tracing::debug!(%from, bytes = n, "WS-Discovery datagram ignored"),
        }
    }
    out
}

/// One [`Found`] per endpoint (addresses merged, IPv4 first), sorted by host then endpoint.
fn merge(answers: Vec<(ProbeMatch, IpAddr)>) -> Vec<Found> {
    let mut by_endpoint: BTreeMap<String, (ProbeMatch, IpAddr)> = BTreeMap::new();
    for (m, from) in answers {
        match by_endpoint.get_mut(&m.endpoint) {
            Some((known, _)) => {
                for x in m.xaddrs {
                    if !known.xaddrs.contains(&x) {
                        known.xaddrs.push(x);
                    }
                }
            }
            None => {
                by_endpoint.insert(m.endpoint.clone(), (m, from));
            }
        }
    }
    let mut found: Vec<Found> = by_endpoint
        .into_values()
        .map(|(mut m, from)| {
            // A stable sort: IPv4 hosts (no `[`) before IPv6 ones, otherwise as given.
            m.xaddrs.sort_by_key(|x| x.contains("://["));
            let host = url::Url::parse(&m.xaddrs[0])
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| from.to_string());
            Found {
                name: parse::scope_value(&m.scopes, "name"),
                hardware: parse::scope_value(&m.scopes, "hardware"),
                location: parse::scope_value(&m.scopes, "location"),
                endpoint: m.endpoint,
                xaddrs: m.xaddrs,
                host,
            }
        })
        .collect();
    found.sort_by(|a, b| (&a.host, &a.endpoint).cmp(&(&b.host, &b.endpoint)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(endpoint: &str, xaddrs: &[&str], scopes: &[&str]) -> ProbeMatch {
        ProbeMatch {
            endpoint: endpoint.into(),
            xaddrs: xaddrs.iter().map(|s| s.to_string()).collect(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn answers_merge_by_endpoint_ipv4_first() {
        let from: IpAddr = Ipv4Addr::new(10, 0, 0, 9).into();
        let found = merge(vec![
            (
                m(
                    "urn:uuid:b",
                    &["http://[fe80::2]/onvif/device_service"],
                    &["onvif://www.onvif.org/name/Back%20Yard"],
                ),
                from,
            ),
            (
                m(
                    "urn:uuid:a",
                    &["http://10.0.0.3:8080/onvif/device_service"],
                    &[],
                ),
                from,
            ),
            (
                m(
                    "urn:uuid:b",
                    &[
                        "http://10.0.0.2/onvif/device_service",
                        "http://[fe80::2]/onvif/device_service",
                    ],
                    &[],
                ),
                from,
            ),
        ]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].endpoint, "urn:uuid:b");
        assert_eq!(found[0].host, "10.0.0.2");
        assert_eq!(
            found[0].xaddrs,
            [
                "http://10.0.0.2/onvif/device_service",
                "http://[fe80::2]/onvif/device_service"
            ]
        );
        assert_eq!(found[0].name.as_deref(), Some("Back Yard"));
        assert_eq!(found[0].camera_name(), "Back-Yard");
        assert_eq!(found[0].onvif_port(), Some(80));
        assert_eq!(found[1].onvif_port(), Some(8080));
        assert_eq!(found[1].camera_name(), "10-0-0-3");
    }

    #[test]
    fn camera_names_are_valid() {
        for (text, want) in [
            ("Front Door", "Front-Door"),
            ("  --Café (2)!  ", "Caf-2"),
            ("IPC_3 // hall", "IPC_3-hall"),
            ("€€€", "camera"),
            ("", "camera"),
        ] {
            assert_eq!(camera_name_from(text), want, "{text}");
        }
        let long = camera_name_from(&"ab ".repeat(50));
        assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
        crate::model::CameraName::parse(&long).unwrap();
    }

    #[test]
    fn the_interfaces_listed_are_up_ipv4() {
        // Whatever this machine has; each must be bindable.
        for ip in multicast_interfaces() {
            probe_socket(ip).unwrap();
        }
    }
}
