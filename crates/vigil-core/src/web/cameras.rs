//! `GET /api/cameras`: every camera with its status in words for the live grid's tiles
//! (connection, recording, motion and events in progress, why it is offline, codec and
//! size, and its sub-stream's); never its URL or password.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::session::SignedIn;
use super::state::Shared;
use crate::model::time::now_us;
use crate::model::RecordMode;
use crate::service::{CameraStatus, ConnState, WAITING};

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/cameras", get(cameras))
}

/// The answer: cameras by name.
#[derive(Debug, Serialize)]
pub struct CameraList {
    pub cameras: Vec<CameraView>,
}

/// One camera as a tile shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CameraView {
    /// The camera's identifier (in URLs and topics).
    pub name: String,
    /// The name people see (any text, NFC).
    pub display_name: String,
    /// `connecting`, `connected`, `retrying`, `waiting`, `stopped` or `disabled`.
    pub state: &'static str,
    /// Connected: its picture can be watched.
    pub online: bool,
    /// A segment file is being written.
    pub recording: bool,
    /// A motion event is in progress.
    pub motion: bool,
    /// Events in progress (motion, triggers).
    pub events: Vec<ActiveEventView>,
    /// Why it shows no picture, in words (none while connected).
    pub offline_reason: Option<String>,
    /// A recording problem (disk full, cannot write), in words.
    pub problem: Option<String>,
    /// e.g. `h264`, `hevc`; none until the stream was seen.
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    /// The recording mode the running camera follows: `off`, `continuous`, `events` or
    /// `both`; none while it is not running.
    pub mode: Option<&'static str>,
    /// A motion analyzer runs (the camera records events, or has detect zones).
    pub analyzing: bool,
    /// The camera's sub-stream, once it was seen (null when the camera has none, or it has
    /// not connected yet): a tile may play it instead of the main stream.
    pub sub: Option<SubStreamView>,
}

/// A camera's sub-stream as a tile chooses between it and the main stream.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubStreamView {
    /// e.g. `h264`.
    pub codec: String,
    pub width: u32,
    pub height: u32,
    /// Connected now (its picture can be watched).
    pub online: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveEventView {
    pub source: String,
    pub label: String,
    pub start_us: i64,
}

async fn cameras(_me: SignedIn, State(state): State<Shared>) -> Json<CameraList> {
    let status = state.engine.status.latest();
    let now = now_us();
    Json(CameraList {
        cameras: status.cameras.iter().map(|c| view(c, now)).collect(),
    })
}

/// A camera's status as a tile shows it, at `now` (UTC µs).
pub fn view(c: &CameraStatus, now: i64) -> CameraView {
    let events: Vec<ActiveEventView> = c
        .events
        .iter()
        .filter(|e| e.is_active(now))
        .map(|e| ActiveEventView {
            source: e.source.clone(),
            label: e.label.clone(),
            start_us: e.start_us,
        })
        .collect();
    let online = c.conn == ConnState::Connected;
    CameraView {
        name: c.name.clone(),
        display_name: c.display_name.clone(),
        state: state_name(&c.conn),
        online,
        recording: c.recording,
        motion: events.iter().any(|e| e.source == "motion"),
        events,
        offline_reason: (!online).then(|| offline_reason(c, now)),
        problem: problem(c),
        codec: c.codec.clone(),
        width: c.width,
        height: c.height,
        fps: c.fps,
        mode: c.mode.map(RecordMode::as_str),
        analyzing: c.analyzing,
        sub: c.sub.as_ref().and_then(|s| {
            Some(SubStreamView {
                codec: s.codec.clone()?,
                width: s.width,
                height: s.height,
                online: s.connected(),
            })
        }),
    }
}

/// A recording problem, or else a failing sub-stream's, or else failing ONVIF events' (the
/// camera stays online).
fn problem(c: &CameraStatus) -> Option<String> {
    let sub = c.sub.as_ref().and_then(|s| s.problem());
    c.record_error
        .clone()
        .or_else(|| sub.map(|e| format!("sub-stream: {e}")))
        .or_else(|| c.onvif_problem())
}

fn state_name(conn: &ConnState) -> &'static str {
    match conn {
        ConnState::Connecting => "connecting",
        ConnState::Connected => "connected",
        ConnState::Retrying { .. } => "retrying",
        ConnState::Waiting => "waiting",
        ConnState::Stopped => "stopped",
        ConnState::Disabled => "disabled",
    }
}

/// Why a camera that is not connected shows no picture.
fn offline_reason(c: &CameraStatus, now: i64) -> String {
    let doing = match c.conn {
        ConnState::Connecting | ConnState::Connected => "connecting".to_string(),
        ConnState::Retrying { retry_at_us } => {
            let secs = ((retry_at_us - now).max(0) + 999_999) / 1_000_000;
            format!("trying again in {secs} s")
        }
        ConnState::Waiting => WAITING.to_string(),
        ConnState::Stopped => "stopped".to_string(),
        ConnState::Disabled => return "switched off by an administrator".to_string(),
    };
    match &c.last_error {
        Some(err) => format!("{err} — {doing}"),
        None => doing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{ActiveEvent, SubStreamStatus};

    #[test]
    fn a_tile_says_why_a_camera_is_offline_and_never_shows_its_url() {
        let mut c = CameraStatus::new("door", "rtsp://admin:***@10.0.0.5/s");
        c.conn = ConnState::Retrying {
            retry_at_us: 5_000_000,
        };
        c.last_error = Some("connection refused".into());
        let v = view(&c, 1_000_000);
        assert!(!v.online);
        assert_eq!(v.state, "retrying");
        assert_eq!(
            v.offline_reason.as_deref(),
            Some("connection refused — trying again in 4 s")
        );
        let json = serde_json::to_string(&v).unwrap();
        assert!(!json.contains("rtsp") && !json.contains("admin"), "{json}");
        assert_eq!((v.mode, v.analyzing), (None, false), "not running");
        c.mode = Some(crate::model::RecordMode::Events);
        c.analyzing = true;
        assert_eq!(
            (view(&c, 0).mode, view(&c, 0).analyzing),
            (Some("events"), true)
        );

        c.conn = ConnState::Disabled;
        let v = view(&c, 0);
        assert_eq!(
            v.offline_reason.as_deref(),
            Some("switched off by an administrator")
        );
    }

    #[test]
    fn motion_is_an_active_motion_event_and_ended_events_are_left_out() {
        let mut c = CameraStatus::new("yard", "demo://");
        c.conn = ConnState::Connected;
        c.recording = true;
        c.codec = Some("h264".into());
        let event = |source: &str, until_us| ActiveEvent {
            key: format!("{source}:1"),
            source: source.into(),
            label: "x".into(),
            start_us: 10,
            until_us,
        };
        c.events = vec![event("trigger", None), event("motion", Some(50))];
        let v = view(&c, 100);
        assert!(v.online && v.recording && v.offline_reason.is_none());
        assert!(!v.motion, "the motion event ended at 50");
        assert_eq!(v.events.len(), 1);
        let v = view(&c, 20);
        assert!(v.motion);
        assert_eq!(v.events.len(), 2);
        assert_eq!(v.sub, None, "no sub-stream");
    }

    #[test]
    fn a_sub_stream_shows_once_seen_and_its_failure_is_a_problem_not_offline() {
        let mut c = CameraStatus::new("yard", "rtsp://cam/main");
        c.conn = ConnState::Connected;
        let mut sub = SubStreamStatus {
            conn: ConnState::Connecting,
            codec: None,
            width: 0,
            height: 0,
            fps: 0.0,
            last_error: None,
            last_error_us: None,
        };
        c.sub = Some(sub.clone());
        assert_eq!(view(&c, 0).sub, None, "not seen yet");
        sub.conn = ConnState::Connected;
        sub.codec = Some("h264".into());
        (sub.width, sub.height) = (320, 180);
        c.sub = Some(sub.clone());
        let v = view(&c, 0);
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(
            json["sub"],
            serde_json::json!({"codec": "h264", "width": 320, "height": 180, "online": true})
        );
        sub.conn = ConnState::Waiting;
        sub.last_error = Some("connection refused".into());
        c.sub = Some(sub);
        let v = view(&c, 0);
        assert!(v.online, "the camera's state is its main stream's");
        assert_eq!(v.sub.map(|s| s.online), Some(false));
        assert_eq!(v.problem.as_deref(), Some("sub-stream: connection refused"));
    }

    #[test]
    fn failing_onvif_events_are_a_problem_not_offline() {
        use crate::engine::status::{OnvifState, OnvifStatus};
        use crate::model::MotionFrom;
        let mut c = CameraStatus::new("door", "rtsp://cam/main");
        c.conn = ConnState::Connected;
        let mut onvif = OnvifStatus::new(MotionFrom::Both);
        onvif.state = OnvifState::Failed;
        onvif.last_error = Some("the camera refused the ONVIF user name or password".into());
        c.onvif = Some(onvif.clone());
        let v = view(&c, 0);
        assert!(v.online);
        assert_eq!(
            v.problem.as_deref(),
            Some("ONVIF events: the camera refused the ONVIF user name or password")
        );
        onvif.state = OnvifState::Subscribed;
        c.onvif = Some(onvif);
        assert_eq!(view(&c, 0).problem, None, "subscribed again");
    }
}
