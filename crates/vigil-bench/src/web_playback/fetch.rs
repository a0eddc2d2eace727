//! Timing the first fragment of a fragmented MP4 stream: from the web viewer's play endpoint
//! (a plain HTTP/1.1 request, chunked answer decoded here) and from an `ffmpeg -c copy`
//! remux to a pipe (the baseline), both read until the first `moof` + `mdat` is whole.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::BenchError;

/// Whether `data` (an MP4 from its start) holds a whole first fragment (`moof` then `mdat`).
pub fn has_first_fragment(data: &[u8]) -> bool {
    let mut at = 0usize;
    let mut moof = false;
    while data.len() >= at + 8 {
        let size =
            u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        let kind = &data[at + 4..at + 8];
        if size < 8 || data.len() < at + size {
            return false;
        }
        if kind == b"moof" {
            moof = true;
        } else if kind == b"mdat" && moof {
            return true;
        }
        at += size;
    }
    false
}

/// What one play request took, ms from sending it.
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    pub headers_ms: f64,
    pub fragment_ms: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// GETs `path` with a bearer token and reads until the first fragment is whole.
pub fn play(addr: SocketAddr, path: &str, token: &str) -> Result<Timed, BenchError> {
    let io = |what: &str| {
        let what = what.to_string();
        move |e| BenchError::io(what, e)
    };
    let started = Instant::now();
    let mut s = TcpStream::connect(addr).map_err(io("cannot connect to the web viewer"))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(io("socket"))?;
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).map_err(io("cannot send"))?;
    let mut raw = Vec::with_capacity(1 << 20);
    let mut buf = vec![0u8; 256 * 1024];
    let mut headers_ms = None;
    let mut body_at = 0;
    loop {
        let n = s.read(&mut buf).map_err(io("cannot read the answer"))?;
        if n == 0 {
            return Err(BenchError::Failed(format!(
                "the play answer ended before its first fragment: {}",
                String::from_utf8_lossy(&raw[..raw.len().min(400)])
            )));
        }
        raw.extend_from_slice(&buf[..n]);
        if headers_ms.is_none() {
            let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            if !raw.starts_with(b"HTTP/1.1 200") {
                return Err(BenchError::Failed(format!(
                    "play answered {}",
                    String::from_utf8_lossy(&raw[..raw.len().min(400)])
                )));
            }
            headers_ms = Some(ms(started.elapsed()));
            body_at = end + 4;
        }
        if has_first_fragment(&dechunk(&raw[body_at..])) {
            return Ok(Timed {
                headers_ms: headers_ms.unwrap_or(f64::NAN),
                fragment_ms: ms(started.elapsed()),
            });
        }
    }
}

/// The data of the complete chunks of a chunked body read so far.
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = b.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&b[..line_end])
            .ok()
            .and_then(|l| usize::from_str_radix(l.split(';').next().unwrap_or("").trim(), 16).ok());
        let Some(size) = size else { break };
        let start = line_end + 2;
        if size == 0 || b.len() < start + size + 2 {
            break;
        }
        out.extend_from_slice(&b[start..start + size]);
        b = &b[start + size + 2..];
    }
    out
}

/// The baseline: `ffmpeg -ss OFFSET -i FILE -c copy` to a fragmented MP4 on a pipe, ms until
/// its first fragment is whole.
pub fn ffmpeg_copy(file: &Path, offset_s: f64) -> Result<f64, BenchError> {
    let started = Instant::now();
    let mut child = Command::new("ffmpeg")
        .args(["-v", "error", "-ss", &format!("{offset_s:.3}"), "-i"])
        .arg(file)
        .args(["-c", "copy", "-an", "-f", "mp4", "-movflags"])
        .args(["frag_keyframe+empty_moov+default_base_moof", "pipe:1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    let mut out = child
        .stdout
        .take()
        .ok_or_else(|| BenchError::Failed("no pipe".into()))?;
    let mut data = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    let result = loop {
        match out.read(&mut buf) {
            Ok(0) => break Err(BenchError::Failed("ffmpeg wrote no fragment".into())),
            Ok(n) => {
                data.extend_from_slice(&buf[..n]);
                if has_first_fragment(&data) {
                    break Ok(ms(started.elapsed()));
                }
            }
            Err(e) => break Err(BenchError::io("reading ffmpeg", e)),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp4_box(kind: &[u8; 4], payload: usize) -> Vec<u8> {
        let mut b = ((payload + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend(std::iter::repeat_n(0u8, payload));
        b
    }

    #[test]
    fn a_fragment_is_whole_once_its_mdat_is() {
        let mut d = mp4_box(b"ftyp", 16);
        d.extend(mp4_box(b"moov", 100));
        assert!(!has_first_fragment(&d));
        d.extend(mp4_box(b"moof", 40));
        let mdat = mp4_box(b"mdat", 1000);
        d.extend_from_slice(&mdat[..500]);
        assert!(!has_first_fragment(&d));
        d.extend_from_slice(&mdat[500..]);
        assert!(has_first_fragment(&d));
    }

    #[test]
    fn chunks_are_joined_when_complete() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n4\r\nfg"), b"abcde");
        assert_eq!(dechunk(b"0\r\n\r\n"), b"");
    }
}
