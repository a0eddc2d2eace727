//! A small blocking HTTP/1.1 client for SOAP: one POST per connection over a `TcpStream`,
//! with a connect timeout, an overall deadline, a size cap on answers, and a stop flag that
//! is checked while waiting (so a long PullMessages poll ends promptly on shutdown). A 401
//! with an HTTP Digest challenge is answered once ([`super::http_digest`]) when there are
//! credentials; a second 401, or any other, is [`OnvifError::NotAuthorized`].

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::http_digest::{authorization, parse_challenge};
use super::{Credentials, OnvifError};

/// The largest answer read, bytes (a camera's PullMessages answer is a few KiB).
pub const MAX_ANSWER: usize = 1 << 20;
/// How often a waiting read looks at the stop flag.
const POLL: Duration = Duration::from_millis(100);

/// An HTTP answer: its status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The host:port and path of an `http://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    pub authority: String,
    pub path: String,
}

impl HttpUrl {
    pub fn parse(url: &str) -> Result<Self, OnvifError> {
        let bad = || OnvifError::BadAnswer(format!("'{url}' is not an http:// address"));
        let rest = url.trim().strip_prefix("http://").ok_or_else(bad)?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        // Drop any user info: ONVIF logs in with WS-Security, not URL credentials.
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        if authority.is_empty() {
            return Err(bad());
        }
        let has_port = match authority.rfind(']') {
            Some(end) => authority[end..].contains(':'),
            None => authority.contains(':'),
        };
        let authority = if has_port {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        Ok(Self {
            authority,
            path: path.to_string(),
        })
    }
}

/// POSTs a SOAP 1.2 envelope to `url` with the action `action`; waits at most `timeout` for
/// the whole answer, and gives up early when `stop` is set. `creds` answer an HTTP Digest
/// challenge, if the camera makes one.
pub fn post(
    url: &str,
    action: &str,
    body: &str,
    timeout: Duration,
    creds: Option<&Credentials>,
    stop: Option<&AtomicBool>,
) -> Result<Answer, OnvifError> {
    let target = HttpUrl::parse(url)?;
    let deadline = Instant::now() + timeout;
    let send = |auth: Option<&str>| exchange(&target, action, body, auth, deadline, timeout, stop);
    let (first, challenge) = send(None)?;
    if first.status != 401 {
        return Ok(first);
    }
    let (Some(creds), Some(ch)) = (creds, challenge.as_deref().and_then(parse_challenge)) else {
        return Err(OnvifError::NotAuthorized);
    };
    let mut cnonce = [0u8; 8];
    let _ = getrandom::fill(&mut cnonce);
    let cnonce: String = cnonce.iter().map(|b| format!("{b:02x}")).collect();
    let auth = authorization(&ch, creds, "POST", &target.path, &cnonce);
    match send(Some(&auth))? {
        (a, _) if a.status == 401 => Err(OnvifError::NotAuthorized),
        (a, _) => Ok(a),
    }
}

/// One request and its answer, with the answer's `WWW-Authenticate` value.
fn exchange(
    target: &HttpUrl,
    action: &str,
    body: &str,
    auth: Option<&str>,
    deadline: Instant,
    timeout: Duration,
    stop: Option<&AtomicBool>,
) -> Result<(Answer, Option<String>), OnvifError> {
    let mut stream = connect(&target.authority, timeout)?;
    let auth = auth
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/soap+xml; charset=utf-8; action=\"{action}\"\r\n{auth}Content-Length: {}\r\nConnection: close\r\nUser-Agent: vigil\r\n\r\n{body}",
        target.path,
        target.authority,
        body.len()
    );
    let unreachable = |e: std::io::Error| OnvifError::Unreachable {
        addr: target.authority.clone(),
        reason: e.to_string(),
    };
    stream
        .set_write_timeout(Some(timeout))
        .map_err(unreachable)?;
    stream.write_all(request.as_bytes()).map_err(unreachable)?;
    let raw = read_answer(&mut stream, deadline, timeout, stop).map_err(|e| match e {
        ReadError::Io(e) => unreachable(e),
        ReadError::Onvif(e) => e,
    })?;
    parse_answer(&raw)
}

fn connect(authority: &str, timeout: Duration) -> Result<TcpStream, OnvifError> {
    let unreachable = |reason: String| OnvifError::Unreachable {
        addr: authority.to_string(),
        reason,
    };
    let addrs: Vec<SocketAddr> = authority
        .to_socket_addrs()
        .map_err(|e| unreachable(e.to_string()))?
        .collect();
    let mut last = "the name has no address".to_string();
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) if e.kind() == ErrorKind::TimedOut => {
                return Err(OnvifError::Timeout(timeout.as_secs().max(1)))
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(unreachable(last))
}

enum ReadError {
    Io(std::io::Error),
    Onvif(OnvifError),
}

/// Reads until the server closes, the announced body is complete, or the deadline.
fn read_answer(
    stream: &mut TcpStream,
    deadline: Instant,
    timeout: Duration,
    stop: Option<&AtomicBool>,
) -> Result<Vec<u8>, ReadError> {
    stream.set_read_timeout(Some(POLL)).map_err(ReadError::Io)?;
    let mut raw = Vec::with_capacity(4096);
    let mut buf = [0u8; 8192];
    loop {
        if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            return Err(ReadError::Onvif(OnvifError::Unreachable {
                addr: "camera".into(),
                reason: "stopped".into(),
            }));
        }
        if Instant::now() >= deadline {
            return Err(ReadError::Onvif(OnvifError::Timeout(
                timeout.as_secs().max(1),
            )));
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok(raw),
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if raw.len() > MAX_ANSWER {
                    return Err(ReadError::Onvif(OnvifError::BadAnswer(format!(
                        "the answer is larger than {} KiB",
                        MAX_ANSWER >> 10
                    ))));
                }
                if is_complete(&raw) {
                    return Ok(raw);
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
}

/// Where the head ends (the index after the blank line).
fn head_end(raw: &[u8]) -> Option<usize> {
    raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Whether a Content-Length answer is complete (chunked ones end when the server closes
/// or with the last chunk).
fn is_complete(raw: &[u8]) -> bool {
    let Some(end) = head_end(raw) else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    if let Some(len) = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        return raw.len() >= end + len;
    }
    let chunked = header(&head, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    chunked && raw[end..].ends_with(b"0\r\n\r\n")
}

fn parse_answer(raw: &[u8]) -> Result<(Answer, Option<String>), OnvifError> {
    let end = head_end(raw)
        .ok_or_else(|| OnvifError::BadAnswer("the HTTP answer ended before its body".into()))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| OnvifError::BadAnswer("no HTTP status line".into()))?;
    let mut body = raw[end..].to_vec();
    if let Some(len) = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.truncate(len);
    } else if header(&head, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        body = dechunk(&body)?;
    }
    let challenge = header(&head, "www-authenticate").map(str::to_string);
    let answer = Answer {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    Ok((answer, challenge))
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, OnvifError> {
    let bad = || OnvifError::BadAnswer("a broken chunked HTTP answer".into());
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or("").trim().to_string();
        let size = usize::from_str_radix(&size_text, 16).map_err(|_| bad())?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err(bad());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn urls_get_a_default_port_and_lose_user_info() {
        let u = HttpUrl::parse("http://admin:pw@10.0.0.5/onvif/device_service").expect("url");
        assert_eq!(u.authority, "10.0.0.5:80");
        assert_eq!(u.path, "/onvif/device_service");
        let u = HttpUrl::parse("http://[::1]:8080").expect("url");
        assert_eq!((u.authority.as_str(), u.path.as_str()), ("[::1]:8080", "/"));
        assert!(HttpUrl::parse("rtsp://x/").is_err());
    }

    /// Serves one canned answer on a loopback port.
    fn serve_once(answer: &'static [u8]) -> String {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = l.local_addr().expect("addr");
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = l.accept() {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(answer);
            }
        });
        format!("http://{addr}/onvif/device_service")
    }

    #[test]
    fn chunked_and_sized_answers_are_read() {
        let url = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        let a = post(&url, "a", "<x/>", Duration::from_secs(5), None, None).expect("answer");
        assert_eq!((a.status, a.body.as_str()), (200, "hello"));
        let url = serve_once(
            b"HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        );
        let a = post(&url, "a", "<x/>", Duration::from_secs(5), None, None).expect("answer");
        assert_eq!((a.status, a.body.as_str()), (500, "abcde"));
        let url = serve_once(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(
            post(&url, "a", "<x/>", Duration::from_secs(5), None, None),
            Err(OnvifError::NotAuthorized)
        );
    }

    #[test]
    fn a_silent_server_times_out_and_a_stop_ends_the_wait() {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/", l.local_addr().expect("addr"));
        let started = Instant::now();
        let r = post(&url, "a", "<x/>", Duration::from_millis(400), None, None);
        assert_eq!(r, Err(OnvifError::Timeout(1)));
        assert!(started.elapsed() < Duration::from_secs(2));
        let stop = AtomicBool::new(true);
        let started = Instant::now();
        assert!(post(
            &url,
            "a",
            "<x/>",
            Duration::from_secs(30),
            None,
            Some(&stop)
        )
        .is_err());
        assert!(started.elapsed() < Duration::from_secs(1));
        drop(l);
    }
}
