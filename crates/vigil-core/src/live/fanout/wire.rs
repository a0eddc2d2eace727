//! The live wire format the web viewer's sockets carry (the page, `vigil bench web` and
//! `vigil bench web --fanout` depend on it), built once per chunk by a tap's packager and
//! shared by all its viewers.
//!
//! Text messages are JSON `{"type":"init","mime":…}` (followed by one binary message holding
//! the init segment), `{"type":"unplayable","reason":…}` and `{"type":"ended","reason":…}`;
//! binary messages are
//! `[kind u8: 0 init, 1 fragment][sent_us i64 BE][decode_time u64 BE, 90 kHz][fMP4 bytes]`,
//! `sent_us` being the server's wall clock (UTC µs) when the packager packaged the chunk (the
//! same instant for every viewer of the tap; a late joiner's init keeps its first stamp).

use std::sync::Arc;

use bytes::Bytes;

use super::super::LiveChunk;

/// Binary message kinds.
pub const KIND_INIT: u8 = 0;
pub const KIND_FRAGMENT: u8 = 1;
/// Bytes before the fMP4 data in a binary message.
pub const HEADER_LEN: usize = 17;

/// What a viewer's socket sends, in order. Cloning is a reference count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// The init JSON, then the binary init segment.
    Init { json: Arc<str>, segment: Bytes },
    /// A binary fragment message.
    Fragment(Bytes),
    /// A JSON text message (`unplayable`, `ended`).
    Note(Arc<str>),
    /// A last JSON text message; the socket closes after it (the camera is gone).
    Last(Arc<str>),
}

/// A binary message: header then the fMP4 bytes.
pub fn binary(kind: u8, sent_us: i64, decode_time: u64, data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(HEADER_LEN + data.len());
    out.push(kind);
    out.extend_from_slice(&sent_us.to_be_bytes());
    out.extend_from_slice(&decode_time.to_be_bytes());
    out.extend_from_slice(data);
    Bytes::from(out)
}

/// A JSON text message `{"type": kind, "reason": reason}`.
pub fn note(kind: &str, reason: &str) -> Arc<str> {
    serde_json::json!({ "type": kind, "reason": reason })
        .to_string()
        .into()
}

/// The `ended` note of a camera whose connection ended (it may come back).
pub fn connection_ended() -> Arc<str> {
    note(
        "ended",
        "the camera's connection ended; the picture returns when it reconnects",
    )
}

/// The wire message(s) for one chunk packaged at `sent_us`.
pub fn encode(chunk: LiveChunk, sent_us: i64) -> Outgoing {
    match chunk {
        LiveChunk::Init(init) => Outgoing::Init {
            json: serde_json::json!({ "type": "init", "mime": init.mime_type() })
                .to_string()
                .into(),
            segment: binary(KIND_INIT, sent_us, 0, &init.data),
        },
        LiveChunk::Fragment(f) => {
            Outgoing::Fragment(binary(KIND_FRAGMENT, sent_us, f.decode_time, &f.data))
        }
        LiveChunk::Unplayable(why) => Outgoing::Note(note("unplayable", &why)),
        LiveChunk::Ended => Outgoing::Note(connection_ended()),
    }
}
