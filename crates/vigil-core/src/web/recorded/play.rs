//! `GET /api/cameras/{camera}/play?at=US`: the camera's recordings from the keyframe at or
//! before `at` as one fragmented MP4 (`video/mp4`, chunked: the initialization segment, then
//! a fragment per frame), for at most [`PART_US`], across segment files, until a gap. Header
//! `X-Vigil-Start-Us` gives the wall-clock time of media time 0 and `X-Vigil-Codecs` the
//! codec string for Media Source Extensions. The files are read on a thread of the stream's
//! own that feeds a small bounded channel: a slow browser holds back the reading, never
//! memory, and the recorder is never touched.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Extension;
use http::{header, HeaderValue, StatusCode};
use http_body_util::channel::Sender;
use http_body_util::Channel;
use tokio::runtime::Handle;
use tokio::sync::oneshot;

use super::{library_refusal, time_param, Readers};
use crate::service::{RecordedError, RecordedStream, PART_US};
use crate::web::refusal::Refusal;
use crate::web::session::SignedIn;
use crate::web::state::Shared;

/// Streams played at once (each holds a thread and an open file).
const MAX_STREAMS: usize = 32;
/// Chunks queued between the reading thread and the connection.
const QUEUE: usize = 8;
/// After the first frame, frames are sent in chunks of about this many bytes.
const CHUNK: usize = 64 * 1024;

static STREAMS: AtomicUsize = AtomicUsize::new(0);

/// One of the [`MAX_STREAMS`] places, given back on drop.
struct Place;

impl Place {
    fn take() -> Result<Self, Refusal> {
        let taken = STREAMS.fetch_add(1, Ordering::SeqCst);
        if taken >= MAX_STREAMS {
            STREAMS.fetch_sub(1, Ordering::SeqCst);
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many recordings are being played at once; try again in a moment",
            ));
        }
        Ok(Self)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        STREAMS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the response's headers say, known once the first keyframe is read.
struct Head {
    start_us: i64,
    codecs: String,
}

type PlayBody = Channel<Bytes, std::io::Error>;

pub(super) async fn play(
    _me: SignedIn,
    State(state): State<Shared>,
    Extension(readers): Extension<Readers>,
    Path(camera): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let at_us = time_param(&query, "at")?;
    let place = Place::take()?;
    let (head_tx, head_rx) = oneshot::channel();
    let (sender, body) = PlayBody::new(QUEUE);
    let job = Feed {
        readers,
        data_dir: state.engine.data_dir.clone(),
        camera,
        at_us,
        runtime: Handle::current(),
    };
    std::thread::Builder::new()
        .name("web-playback".into())
        .spawn(move || job.run(place, head_tx, sender))
        .map_err(|e| Refusal::unavailable("starting playback", &e))?;
    let head = head_rx
        .await
        .map_err(|_| Refusal::unavailable("starting playback", &"its thread ended"))??;
    let mut resp = Response::new(Body::new(body));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("video/mp4"));
    h.insert("x-vigil-start-us", HeaderValue::from(head.start_us));
    if let Ok(v) = HeaderValue::from_str(&head.codecs) {
        h.insert("x-vigil-codecs", v);
    }
    Ok(resp)
}

/// The reading thread's work.
struct Feed {
    readers: Readers,
    data_dir: PathBuf,
    camera: String,
    at_us: i64,
    runtime: Handle,
}

impl Feed {
    fn run(
        self,
        _place: Place,
        head: oneshot::Sender<Result<Head, Refusal>>,
        mut body: Sender<Bytes, std::io::Error>,
    ) {
        let opened = self.readers.with(&self.data_dir, |lib| {
            RecordedStream::open(lib, &self.camera, self.at_us, PART_US)
        });
        let mut stream = match opened {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                let _ = head.send(Err(refusal(&self.camera, &e)));
                return;
            }
            Err(e) => {
                let _ = head.send(Err(library_refusal(&self.camera, &e)));
                return;
            }
        };
        let said = Head {
            start_us: stream.start_us(),
            codecs: stream.codecs().to_string(),
        };
        if head.send(Ok(said)).is_err() {
            return;
        }
        let mut sent = 0usize;
        let mut batch: Vec<u8> = Vec::new();
        loop {
            let next = stream.next_chunk();
            let end = !matches!(next, Ok(Some(_)));
            match next {
                Ok(Some(chunk)) => batch.extend_from_slice(&chunk),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(camera = %self.camera, error = %e, "recorded playback failed");
                    body.abort(std::io::Error::other(e.to_string()));
                    return;
                }
            }
            // The initialization segment and the first frame go out at once.
            if (sent < 2 || batch.len() >= CHUNK || end) && !batch.is_empty() {
                let data = Bytes::from(std::mem::take(&mut batch));
                if self.runtime.block_on(body.send_data(data)).is_err() {
                    return; // the viewer went away
                }
                sent += 1;
            }
            if end {
                return;
            }
        }
    }
}

/// Why a stream cannot start, as an answer.
fn refusal(camera: &str, e: &RecordedError) -> Refusal {
    match e {
        RecordedError::UnknownCamera(_) => {
            Refusal::not_found(format!("there is no camera named '{camera}'"))
        }
        RecordedError::NothingRecorded { .. } => Refusal::not_found(e.to_string()),
        RecordedError::Unplayable { .. } => {
            Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
        }
        RecordedError::Read { .. } | RecordedError::Other(_) => {
            // The file's path stays in the log.
            tracing::error!(camera, error = %e, "web: recorded playback cannot start");
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the recording at that time cannot be read now; the recorder's log says why",
            )
        }
        RecordedError::Library(inner) => library_refusal(camera, inner),
    }
}
