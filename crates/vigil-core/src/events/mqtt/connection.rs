//! One MQTT connection: rumqttc options from the settings (TLS with rustls, the `ring`
//! provider and the system's roots for `mqtts://`; user and password; client id; keep-alive;
//! the last will `<prefix>/available` = `offline`, retained), and the thread that drives the
//! event loop, reconnecting with a back-off of 1 s doubling to 30 s. What the broker sends
//! reaches the MQTT worker over a bounded channel; requests go through rumqttc's bounded
//! request channel and are dropped, counted, when it is full.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rumqttc::tokio_rustls::rustls;
use rumqttc::{
    Client, ConnectReturnCode, ConnectionError, Event, LastWill, MqttOptions, Outgoing, Packet,
    QoS, TlsConfiguration, Transport,
};

use crate::model::mqtt::MqttSettings;

/// Requests (publishes, subscribes) waiting for the connection; more are dropped.
pub const REQUEST_CAPACITY: usize = 128;
/// Messages from the broker waiting for the worker; more are dropped.
const INCOMING_CAPACITY: usize = 256;
/// Largest packet either way (event snapshots are JPEGs of a few tens of KiB).
const MAX_PACKET: usize = 1 << 20;
const KEEP_ALIVE: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT_S: u64 = 5;
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(30);
/// How long stopping waits for the connection thread before leaving it to finish alone.
const STOP_WAIT: Duration = Duration::from_secs(3);

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot set up TLS for the MQTT broker: {0}")]
    Tls(String),
    #[error("cannot start the MQTT connection thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// What the connection thread reports.
#[derive(Debug)]
pub enum Net {
    /// The broker accepted the connection (each time, after every reconnect).
    Connected,
    /// A message on a subscribed topic, with the time it arrived.
    Message {
        topic: String,
        payload: Vec<u8>,
        retain: bool,
        at: Instant,
    },
    /// The connection failed or was lost; the next attempt is in `retry_in`.
    Down { reason: String, retry_in: Duration },
}

/// A running connection: its client (for requests) and its thread.
pub struct Link {
    pub client: Client,
    pub events: Receiver<Net>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The topic whose retained value tells whether Vigil is connected.
pub fn available_topic(prefix: &str) -> String {
    format!("{prefix}/available")
}

/// rumqttc's options for `settings`.
pub fn options(settings: &MqttSettings) -> Result<MqttOptions, ConnectError> {
    let b = &settings.broker;
    let mut opts = MqttOptions::new(settings.client_id.trim(), b.host.clone(), b.port);
    opts.set_keep_alive(KEEP_ALIVE)
        .set_max_packet_size(MAX_PACKET, MAX_PACKET)
        .set_clean_session(true)
        .set_last_will(LastWill::new(
            available_topic(&settings.topic_prefix),
            "offline",
            QoS::AtLeastOnce,
            true,
        ));
    if let Some(user) = &settings.user {
        opts.set_credentials(user.clone(), settings.password.clone().unwrap_or_default());
    }
    if b.tls {
        opts.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
            Arc::new(tls_config()?),
        )));
    }
    Ok(opts)
}

/// A TLS client configuration with the `ring` provider and the system's root certificates.
fn tls_config() -> Result<rustls::ClientConfig, ConnectError> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        // A certificate the store cannot use is skipped, as browsers do.
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        return Err(ConnectError::Tls(
            "no root certificates found on this system (is ca-certificates installed?)".into(),
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnectError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Link {
    /// Starts connecting to the broker of `settings` (at once; failures are reported as
    /// [`Net::Down`] and retried).
    pub fn start(settings: &MqttSettings) -> Result<Self, ConnectError> {
        let mut opts = options(settings)?;
        opts.set_request_channel_capacity(REQUEST_CAPACITY);
        let (client, mut connection) = Client::new(opts, REQUEST_CAPACITY);
        connection
            .eventloop
            .network_options
            .set_connection_timeout(CONNECT_TIMEOUT_S);
        let (tx, events) = crossbeam_channel::bounded(INCOMING_CAPACITY);
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("mqtt-conn".into())
            .spawn(move || drive(&mut connection, &tx, &flag))?;
        Ok(Self {
            client,
            events,
            stop,
            thread: Some(thread),
        })
    }

    /// Disconnects cleanly (after the requests already queued, e.g. `available` =
    /// `offline`) and waits a bounded time for the thread.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.client.try_disconnect();
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = Instant::now() + STOP_WAIT;
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if thread.is_finished() {
            let _ = thread.join();
        } else {
            tracing::debug!("the MQTT connection thread is still connecting; left to finish");
        }
    }
}

/// The connection thread: polls the event loop until stopped, backing off after failures.
fn drive(connection: &mut rumqttc::Connection, tx: &Sender<Net>, stop: &AtomicBool) {
    let mut retry = FIRST_RETRY;
    while !stop.load(Ordering::Relaxed) {
        let Ok(event) = connection.recv() else {
            break; // every client is gone
        };
        match event {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                retry = FIRST_RETRY;
                let _ = tx.send_timeout(Net::Connected, Duration::from_secs(1));
            }
            Ok(Event::Incoming(Packet::Publish(p))) => {
                let msg = Net::Message {
                    topic: p.topic,
                    payload: p.payload.to_vec(),
                    retain: p.retain,
                    at: Instant::now(),
                };
                if tx.try_send(msg).is_err() {
                    tracing::warn!("MQTT message dropped: the worker is not keeping up");
                }
            }
            Ok(Event::Outgoing(Outgoing::Disconnect)) => break,
            Ok(_) => {}
            Err(e) => {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let down = Net::Down {
                    reason: describe(&e),
                    retry_in: retry,
                };
                let _ = tx.send_timeout(down, Duration::from_secs(1));
                sleep_unless_stopped(retry, stop);
                retry = (retry * 2).min(LAST_RETRY);
            }
        }
    }
}

fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) {
    let until = Instant::now() + d;
    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Why the connection failed, in words that complete "the MQTT broker … ".
pub fn describe(e: &ConnectionError) -> String {
    match e {
        ConnectionError::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "is unreachable: connection refused".into(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::UnexpectedEof => {
                "closed the connection".into()
            }
            _ => format!("is unreachable: {io}"),
        },
        ConnectionError::NetworkTimeout => {
            format!("is unreachable: no answer within {CONNECT_TIMEOUT_S} s")
        }
        ConnectionError::ConnectionRefused(code) => match code {
            ConnectReturnCode::BadUserNamePassword | ConnectReturnCode::NotAuthorized => {
                "refused the user name or password (not authorized)".into()
            }
            ConnectReturnCode::BadClientId => "refused the client id".into(),
            other => format!("refused the connection ({other:?})"),
        },
        ConnectionError::Tls(t) => format!("failed the TLS handshake: {t}"),
        ConnectionError::MqttState(s) => format!("broke the connection: {s}"),
        other => format!("failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mqtt::Broker;

    #[test]
    fn options_carry_the_will_credentials_and_tls() {
        let mut s = MqttSettings::new(Broker::parse("mqtts://broker.lan").expect("broker"));
        s.user = Some("vigil".into());
        s.password = Some("secret".into());
        s.topic_prefix = "site".into();
        let o = options(&s).expect("options");
        assert_eq!(o.broker_address(), ("broker.lan".to_string(), 8883));
        let will = o.last_will().expect("will");
        assert_eq!(
            (will.topic.as_str(), &will.message[..], will.retain),
            ("site/available", &b"offline"[..], true)
        );
        assert_eq!(o.credentials().map(|l| l.username), Some("vigil".into()));
        assert!(matches!(o.transport(), Transport::Tls(_)));
        let plain = MqttSettings::new(Broker::parse("mqtt://10.0.0.2").expect("broker"));
        assert!(matches!(
            options(&plain).expect("options").transport(),
            Transport::Tcp
        ));
    }

    #[test]
    fn failures_read_as_sentences() {
        let refused = ConnectionError::Io(std::io::ErrorKind::ConnectionRefused.into());
        assert_eq!(describe(&refused), "is unreachable: connection refused");
        let auth = ConnectionError::ConnectionRefused(ConnectReturnCode::NotAuthorized);
        assert!(describe(&auth).contains("user name or password"));
    }
}
