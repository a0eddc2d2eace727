//! Export downloads: a camera's range or an event remuxed by the same export as
//! `vigil export` (as a fragmented MP4, like `vigil export -o -`) and streamed to the browser
//! while it is made: by default in a ZIP whose last entry is the signed manifest, made once
//! the MP4's bytes are sent and hashed ([`super::export_framing`]). The export writes into a pipe; a thread of its own reads the pipe in
//! [`CHUNK`]s into a channel of [`QUEUED`] chunks that the response body drains, so one
//! download holds at most the pipe's buffer plus those chunks, and at most [`MAX_EXPORTS`]
//! run at once. A client that goes away closes the channel: the thread cancels the export
//! and closes the pipe. Nothing is written to disk. Every export is audited.

use std::io::Read;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http::{header, Method, StatusCode};
use tokio::sync::mpsc;

use super::events::{audit, lost};
use super::export_framing::{Bare, Framing, Sealed};
use super::params::Params;
use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::{job_answer, Shared};
use crate::jobs::Job;
use crate::library::LibraryError;
use crate::model::time::format_rfc3339;
use crate::service::{ExportError, ExportPlan, ExportReport, ExportRequest, ServiceError};

/// Bytes read from the export's pipe at a time.
pub const CHUNK: usize = 64 * 1024;
/// Chunks waiting for a slow client before the export waits for it.
pub const QUEUED: usize = 4;
/// Downloads made at the same time; more are refused (503) until one ends.
pub const MAX_EXPORTS: usize = 4;

static RUNNING: AtomicUsize = AtomicUsize::new(0);

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/export", get(download))
}

/// What the client gets: a ZIP with the signed manifest (the default) or the bare MP4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Zip,
    Mp4,
}

fn format(p: &Params) -> Result<Format, Refusal> {
    match p.text("format") {
        None | Some("zip") => Ok(Format::Zip),
        Some("mp4") => Ok(Format::Mp4),
        Some(_) => Err(Refusal::bad_request(
            "format is zip (the video with its signed manifest) or mp4 (the video alone)",
        )),
    }
}

/// What the query asks for: `camera=NAME&from=US&to=US`, or `event=ID` (optionally with
/// its `camera`), as `vigil export` takes them.
fn export_request(p: &Params) -> Result<(ExportRequest, Option<String>), Refusal> {
    let camera = p.text("camera").map(str::to_string);
    if let Some(id) = p.id("event")? {
        if p.text("from").is_some() || p.text("to").is_some() {
            return Err(Refusal::bad_request(
                "export either an event or a range (from and to), not both",
            ));
        }
        return Ok((ExportRequest::Event(id), camera));
    }
    let (Some(name), Some(from_us), Some(to_us)) = (camera, p.time_us("from")?, p.time_us("to")?)
    else {
        return Err(Refusal::bad_request(
            "say what to export: camera, from and to (microseconds since 1970 UTC), or event",
        ));
    };
    if from_us >= to_us {
        return Err(Refusal::bad_request("from must be before to"));
    }
    let request = ExportRequest::Range {
        camera: name,
        from_us,
        to_us,
    };
    Ok((request, None))
}

/// Counts a running download; dropping it ends the count.
struct Slot;

impl Slot {
    fn take() -> Result<Self, Refusal> {
        let taken = RUNNING.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < MAX_EXPORTS).then_some(n + 1)
        });
        match taken {
            Ok(_) => Ok(Slot),
            Err(_) => Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{MAX_EXPORTS} exports are being downloaded already; try again when one has finished"),
            )),
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `GET /api/export?camera=NAME&from=US&to=US` or `?event=ID` (operators and admins): the
/// MP4, streamed while it is made, as an attachment named after the camera and start. With
/// `check=1`, only what it would hold (or why there is nothing), as JSON; a HEAD request
/// gets the headers alone (nothing is made or audited for either).
async fn download(
    State(state): State<Shared>,
    me: SignedIn,
    method: Method,
    RawQuery(raw): RawQuery,
) -> Result<Response, Refusal> {
    me.may(me.user.role.can_export(), "download exports")?;
    let params = Params::parse(raw.as_deref());
    let (request, camera) = export_request(&params)?;
    let format = format(&params)?;
    let slot = Slot::take()?;
    let plan = job_answer(|wake| state.archive.exports().plan(request.clone(), Some(wake)))
        .await
        .ok_or_else(lost)?
        .map_err(refusal)?;
    if let (ExportRequest::Event(id), Some(cam)) = (&request, camera) {
        if cam != plan.camera {
            let msg = format!("event {id} is on camera '{}', not '{cam}'", plan.camera);
            return Err(Refusal::bad_request(msg));
        }
    }
    let name = file_name(&plan);
    let (shown, content_type) = match format {
        Format::Zip => (name.replace(".mp4", ".zip"), "application/zip"),
        Format::Mp4 => (name.clone(), "video/mp4"),
    };
    if params.text("check").is_some() {
        return Ok(Json(check_json(&plan, &shown)).into_response());
    }
    let disposition = format!("attachment; filename=\"{shown}\"");
    let headers = [
        (header::CONTENT_TYPE, content_type.to_string()),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    if method == Method::HEAD {
        // What a GET would answer, without making (or auditing) the export.
        return Ok(headers.into_response());
    }
    audit(&state, &me, "export", describe(&request, &plan)).await?;
    let exports = state.archive.exports();
    let framing: Box<dyn Framing> = match format {
        Format::Zip => Box::new(Sealed::new(
            exports.stream_seal(me.user.name.clone()),
            plan.clone(),
            name,
        )),
        Format::Mp4 => Box::new(Bare),
    };
    let (job, pipe) = exports.stream(plan, None).map_err(refusal)?;
    let (tx, mut rx) = mpsc::channel(QUEUED);
    let who = me.user.name.clone();
    std::thread::Builder::new()
        .name("web-export".into())
        .spawn(move || pump(pipe, job, &tx, framing, slot, &who))
        .map_err(|e| Refusal::unavailable("starting the export", &e))?;
    // The first bytes (or why there are none) before the answer's status is chosen.
    let first = match rx.recv().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(refused)) => return Err(refused),
        None => return Err(lost()),
    };
    let body = Download {
        first: Some(first),
        rx,
    };
    Ok((headers, Body::new(body)).into_response())
}

/// What `check=1` answers instead of the video: what the export would hold (nothing is
/// written or audited), so a page can say why not before starting a download.
fn check_json(plan: &ExportPlan, name: &str) -> serde_json::Value {
    serde_json::json!({
        "camera": plan.camera,
        "from_us": plan.from_us,
        "to_us": plan.to_us,
        "recorded_us": plan.covered_us(),
        "gaps": plan.gaps.len(),
        "file": name,
    })
}

/// What goes through the channel: bytes of the MP4, or why the export stopped.
type Piece = Result<Bytes, Refusal>;

/// Reads the export's pipe into `tx`, framed by `framing` (its head before the first byte,
/// its tail once the export has finished), until the export ends (then says how it ended)
/// or the client goes away (then cancels it and closes the pipe, which stops the export at
/// its next write). Runs on its own thread; holds `_slot` (the download's) until the end.
fn pump(
    mut pipe: std::io::PipeReader,
    job: Job<Result<ExportReport, ServiceError>>,
    tx: &mpsc::Sender<Piece>,
    mut framing: Box<dyn Framing>,
    _slot: impl Send,
    who: &str,
) {
    let mut buf = vec![0u8; CHUNK];
    let mut sent = 0u64;
    // Sent with the first bytes of video, so an export that fails at once is still an error
    // status rather than a broken archive.
    let mut head = Some(framing.head());
    loop {
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the export's pipe");
                break;
            }
        };
        framing.data(&buf[..n]);
        let mut piece = head.take().unwrap_or_default();
        piece.extend_from_slice(&buf[..n]);
        if tx.blocking_send(Ok(Bytes::from(piece))).is_err() {
            job.cancel();
            drop(pipe);
            let _ = job.wait();
            tracing::info!(
                user = who,
                bytes = sent,
                "export download stopped: the client went away"
            );
            return;
        }
        sent += n as u64;
    }
    drop(pipe);
    match job.wait() {
        Some(Ok(report)) => match framing.tail(&report) {
            Ok(tail) => {
                if !tail.is_empty() {
                    let _ = tx.blocking_send(Ok(Bytes::from(tail)));
                }
                tracing::info!(
                    user = who,
                    bytes = sent,
                    "export downloaded: {}",
                    report.summary()
                );
            }
            Err(e) => {
                tracing::warn!(user = who, error = %e, "export download failed");
                let refused = Refusal::new(StatusCode::SERVICE_UNAVAILABLE, e);
                let _ = tx.blocking_send(Err(refused));
            }
        },
        Some(Err(e)) => {
            tracing::warn!(user = who, error = %e, "export download failed");
            let _ = tx.blocking_send(Err(refusal(e)));
        }
        None => {
            let _ = tx.blocking_send(Err(lost()));
        }
    }
}

/// The response body: chunks as the export's thread sends them. Dropping it (the client
/// went away) closes the channel, which stops the export.
struct Download {
    first: Option<Bytes>,
    rx: mpsc::Receiver<Piece>,
}

impl axum::body::HttpBody for Download {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(http_body::Frame::data(first))));
        }
        self.rx.poll_recv(cx).map(|piece| {
            piece.map(|p| {
                p.map(http_body::Frame::data)
                    .map_err(|r| std::io::Error::other(r.message))
            })
        })
    }
}

/// `cam-2026-12-04T10-00-00Z.mp4`: the camera and the requested start (UTC, to the second).
pub fn file_name(plan: &ExportPlan) -> String {
    let start = format_rfc3339(plan.from_us);
    let seconds: String = start.chars().take(19).collect();
    let safe = |c: char| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        }
    };
    let camera: String = plan.camera.chars().map(safe).collect();
    let time: String = seconds.chars().map(safe).collect();
    format!("{camera}-{time}Z.mp4")
}

/// The audit trail's words for an export.
fn describe(request: &ExportRequest, plan: &ExportPlan) -> String {
    let range = format!(
        "camera {} from {} to {}",
        plan.camera,
        format_rfc3339(plan.from_us),
        format_rfc3339(plan.to_us)
    );
    match request {
        ExportRequest::Event(id) => format!("event {id}: {range}"),
        ExportRequest::Range { .. } => range,
    }
}

/// An export error as an answer: nothing to export or no such camera/event is a 404, an
/// empty range 400, a video whose format changes 409; anything else 503.
fn refusal(e: ServiceError) -> Refusal {
    let text = e.to_string();
    match e {
        ServiceError::Export(
            ExportError::NothingRecorded { .. }
            | ExportError::UnknownEvent(_)
            | ExportError::Library(LibraryError::UnknownCamera(_)),
        ) => Refusal::not_found(text),
        ServiceError::Export(ExportError::EmptyRange { .. }) => Refusal::bad_request(text),
        ServiceError::Export(ExportError::FormatChanged { .. }) => {
            Refusal::new(StatusCode::CONFLICT, text)
        }
        other => Refusal::unavailable("the export", &other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_read_as_vigil_export_takes_them() {
        let p = |q: &str| export_request(&Params::parse(Some(q)));
        let (r, _) = p("camera=cam&from=1&to=5").unwrap();
        assert_eq!(
            r,
            ExportRequest::Range {
                camera: "cam".into(),
                from_us: 1,
                to_us: 5
            }
        );
        assert_eq!(
            p("event=7&camera=cam").unwrap(),
            (ExportRequest::Event(7), Some("cam".into()))
        );
        for bad in [
            "camera=cam&from=5&to=5",
            "camera=cam&from=x&to=5",
            "event=7&from=1",
            "camera=cam",
        ] {
            let e = p(bad).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn file_names_carry_the_camera_and_start_without_colons() {
        let plan = ExportPlan {
            camera: "cam".into(),
            from_us: 1_796_378_400_000_000,
            to_us: 1_796_378_460_000_000,
            pieces: Vec::new(),
            gaps: Vec::new(),
            audio: true,
        };
        assert_eq!(file_name(&plan), "cam-2026-12-04T10-00-00Z.mp4");
    }

    #[test]
    fn a_client_going_away_stops_the_export() {
        use std::io::Write;
        let (pipe, mut writer) = std::io::pipe().unwrap();
        // An endless export: writes until its pipe is closed or it is cancelled.
        let job = Job::spawn(
            "endless-export",
            None,
            move |ctx| {
                let block = [7u8; 8192];
                while !ctx.cancelled() && writer.write_all(&block).is_ok() {}
                Err(ServiceError::Export(ExportError::Cancelled))
            },
            |_| Err(ServiceError::Export(ExportError::Cancelled)),
        );
        let (tx, mut rx) = mpsc::channel(QUEUED);
        let pumping = std::thread::spawn(move || pump(pipe, job, &tx, Box::new(Bare), (), "test"));
        let first = rx.blocking_recv().expect("a chunk").expect("bytes");
        assert!(!first.is_empty() && first.len() <= CHUNK);
        drop(rx);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !pumping.is_finished() {
            assert!(
                std::time::Instant::now() < deadline,
                "the export did not stop"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    #[test]
    fn downloads_are_counted_and_capped() {
        let slots: Vec<Slot> = (0..MAX_EXPORTS).map_while(|_| Slot::take().ok()).collect();
        assert_eq!(slots.len(), MAX_EXPORTS);
        assert_eq!(
            Slot::take().err().map(|r| r.status),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        drop(slots);
        assert!(Slot::take().is_ok());
    }
}
