//! The words the desktop app shows for engine state: a camera's condition, its stream
//! details, disk space, camera counts and the list of problems. Pure functions of the status
//! snapshot, so they are tested without a window.

use crate::tr;
use crate::video::ShownStream;
use vigil_core::model::time::to_datetime;
use vigil_core::service::{CameraStatus, ConnState, EngineStatus, LiveStream};

/// Why a tile shows no live picture, in words; `None` while the camera is connected.
pub fn offline_message(c: &CameraStatus, now_us: i64) -> Option<String> {
    match &c.conn {
        ConnState::Connected => None,
        ConnState::Retrying { retry_at_us } => {
            let secs = ((retry_at_us - now_us).max(0) + 999_999) / 1_000_000;
            let why = c
                .last_error
                .clone()
                .unwrap_or_else(|| tr!("live-camera-unavailable"));
            Some(if secs > 0 {
                tr!("live-retrying-in", why = why, secs = secs)
            } else {
                tr!("live-retrying-now", why = why)
            })
        }
        ConnState::Waiting => Some(match &c.last_error {
            Some(why) => tr!("live-waiting-because", why = why),
            None => tr!("live-state-waiting"),
        }),
        ConnState::Connecting => Some(match &c.last_error {
            Some(why) => tr!("live-connecting-again", why = why),
            None => tr!("live-state-connecting"),
        }),
        ConnState::Stopped => Some(tr!("live-state-stopped")),
        ConnState::Disabled => Some(tr!("live-state-disabled")),
    }
}

/// The event badge's text while something is happening: "MOTION", "TRIGGER: door",
/// "MOTION + TRIGGER: door", "PERSON" (an object event); `None` when nothing is.
pub fn event_badge(c: &CameraStatus, now_us: i64) -> Option<String> {
    let motion = c.motion.iter().any(|z| z.active)
        || c.events
            .iter()
            .any(|e| e.source == "motion" && e.is_active(now_us));
    let mut objects: Vec<String> = Vec::new();
    for e in c
        .events
        .iter()
        .filter(|e| e.source == "object" && e.is_active(now_us))
    {
        let word = crate::object_words::badge_word(&e.label);
        if !objects.contains(&word) {
            objects.push(word);
        }
    }
    let triggers: Vec<&str> = c
        .events
        .iter()
        .filter(|e| !["motion", "object"].contains(&e.source.as_str()) && e.is_active(now_us))
        .map(|e| e.label.as_str())
        .collect();
    let trigger =
        (!triggers.is_empty()).then(|| tr!("live-badge-trigger", labels = triggers.join(", ")));
    let parts: Vec<String> = motion
        .then(|| tr!("live-badge-motion"))
        .into_iter()
        .chain((!objects.is_empty()).then(|| objects.join(", ")))
        .chain(trigger)
        .collect();
    (!parts.is_empty()).then(|| parts.join(" + "))
}

/// Stream facts for a tooltip: codec, size, rates, recording state.
pub fn stream_details(c: &CameraStatus) -> String {
    let mut lines = vec![c.url.clone()];
    if c.conn == ConnState::Connected {
        lines.push(tr!(
            "live-stream-facts",
            codec = c.codec.as_deref().unwrap_or("?"),
            width = c.width,
            height = c.height,
            fps = format!("{:.1}", c.fps),
            mbits = format!("{:.2}", c.bitrate_bps / 1e6)
        ));
    }
    lines.push(if c.recording {
        tr!("live-recording")
    } else {
        tr!("live-not-recording")
    });
    if c.segments_written > 0 {
        lines.push(tr!(
            "live-segments-written",
            count = c.segments_written,
            size = bytes(c.bytes_written)
        ));
    }
    if let Some(e) = &c.record_error {
        lines.push(tr!("live-recording-problem", error = e));
    }
    lines.extend(crate::object_words::status_line(c));
    lines.join("\n")
}

/// The corner marker of a tile decoded at key frames only.
pub const KEYFRAMES_MARKER: &str = "KF";

/// The live stream a tile shows, for its hover details: "sub-stream 320×180", "main stream
/// 1280×720 (sub-stream failed: …)", with "key frames only" while the budget is short.
pub fn shown_stream(s: &ShownStream) -> String {
    let (width, height) = s.source;
    let mut line = match s.stream {
        LiveStream::Main => tr!("live-showing-main", width = width, height = height),
        LiveStream::Sub => tr!("live-showing-sub", width = width, height = height),
    };
    if s.keyframes_only {
        line = tr!("live-showing-keyframes-only", shown = line);
    }
    if let Some(why) = &s.fallback {
        line.push_str(&format!(" — {why}"));
    }
    line
}

/// Bytes in decimal units, as disks are sold: "512 B", "1.5 MB", "12.3 GB", "2.00 TB".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{n} B"),
        _ if v >= 100.0 => format!("{v:.0} {}", UNITS[unit]),
        _ if v >= 10.0 => format!("{v:.1} {}", UNITS[unit]),
        _ => format!("{v:.2} {}", UNITS[unit]),
    }
}

/// "Disk: 40.0 GB used, 60.0 GB free of 100 GB".
pub fn disk_line(s: &EngineStatus) -> String {
    if s.disk_total == 0 {
        return tr!("live-disk-unknown");
    }
    let used = s.disk_total.saturating_sub(s.disk_available);
    tr!(
        "live-disk",
        used = bytes(used),
        free = bytes(s.disk_available),
        total = bytes(s.disk_total)
    )
}

/// "3 cameras: 2 live, 1 offline" (states with no camera are left out).
pub fn camera_counts(s: &EngineStatus) -> String {
    let n = s.cameras.len();
    let count = |f: fn(&ConnState) -> bool| s.cameras.iter().filter(|c| f(&c.conn)).count();
    let parts: Vec<String> = [
        count(|c| *c == ConnState::Connected),
        count(|c| *c == ConnState::Connecting),
        count(|c| matches!(c, ConnState::Retrying { .. } | ConnState::Waiting)),
        count(|c| *c == ConnState::Stopped),
        count(|c| *c == ConnState::Disabled),
    ]
    .into_iter()
    .enumerate()
    .filter(|(_, k)| *k > 0)
    .map(|(state, k)| match state {
        0 => tr!("live-count-live", count = k),
        1 => tr!("live-count-connecting", count = k),
        2 => tr!("live-count-offline", count = k),
        3 => tr!("live-count-stopped", count = k),
        _ => tr!("live-count-disabled", count = k),
    })
    .collect();
    let cameras = tr!("common-cameras", count = n);
    if parts.is_empty() {
        cameras
    } else {
        tr!(
            "live-camera-counts",
            cameras = cameras,
            states = parts.join(", ")
        )
    }
}

/// One line of the problems panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The camera it concerns, or `None` for the engine as a whole.
    pub camera: Option<String>,
    pub text: String,
    /// "14:03:07 UTC" when known.
    pub when: Option<String>,
    /// Still going on (the camera is offline now, or recording is failing).
    pub current: bool,
}

/// Every camera's last errors and the engine's own problems, current ones first.
pub fn problems(s: &EngineStatus, engine_problems: &[String]) -> Vec<Problem> {
    let mut out = Vec::new();
    for c in &s.cameras {
        if let Some(e) = &c.record_error {
            out.push(Problem {
                camera: Some(c.name.clone()),
                text: tr!("live-problem-recording", error = e),
                when: None,
                current: true,
            });
        }
        if let Some(e) = &c.last_error {
            out.push(Problem {
                camera: Some(c.name.clone()),
                text: e.clone(),
                when: c.last_error_us.map(clock_time),
                current: c.conn != ConnState::Connected,
            });
        }
        for (detect, sub) in [(false, &c.sub), (true, &c.detect)] {
            if let Some((sub, e)) = sub.as_ref().and_then(|s| Some((s, s.last_error.as_ref()?))) {
                out.push(Problem {
                    camera: Some(c.name.clone()),
                    text: if detect {
                        tr!("live-problem-detect-sub", error = e)
                    } else {
                        tr!("live-problem-sub", error = e)
                    },
                    when: sub.last_error_us.map(clock_time),
                    current: sub.problem().is_some(),
                });
            }
        }
        if let Some(text) = crate::object_words::problem(c) {
            // Current while it lasts: the engine clears it once the model loads.
            out.push(Problem {
                camera: Some(c.name.clone()),
                text,
                when: None,
                current: true,
            });
        }
        if let Some(onvif) = &c.onvif {
            if let Some(e) = &onvif.last_error {
                out.push(Problem {
                    camera: Some(c.name.clone()),
                    text: tr!("live-problem-onvif", error = e),
                    when: onvif.last_error_us.map(clock_time),
                    current: onvif.problem().is_some(),
                });
            }
        }
    }
    // The MQTT problem line stays in the host's list only while the broker is unreachable.
    let mqtt_down = s.mqtt.as_ref().is_some_and(|m| !m.connected);
    out.extend(engine_problems.iter().rev().map(|p| Problem {
        camera: None,
        text: p.clone(),
        when: None,
        current: mqtt_down && p.starts_with("MQTT broker "), // i18n-ignore: the engine's words
    }));
    out.sort_by_key(|p| !p.current);
    out
}

/// "14:03:07 UTC".
pub fn clock_time(us: i64) -> String {
    let t = to_datetime(us);
    let time = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    tr!("live-clock-utc", time = time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cam(name: &str, conn: ConnState) -> CameraStatus {
        CameraStatus {
            conn,
            ..CameraStatus::new(name, "rtsp://cam/1")
        }
    }

    #[test]
    fn event_badge_names_motion_and_triggers_until_their_hold_ends() {
        use vigil_core::service::ActiveEvent;
        let mut c = cam("door", ConnState::Connected);
        assert_eq!(event_badge(&c, 0), None);
        c.events.push(ActiveEvent {
            key: "trigger:door".into(),
            source: "trigger".into(),
            label: "door".into(),
            start_us: 0,
            until_us: Some(10_000_000),
        });
        assert_eq!(event_badge(&c, 5_000_000).as_deref(), Some("TRIGGER: door"));
        assert_eq!(event_badge(&c, 10_000_000), None, "hold over");
        c.events.push(ActiveEvent {
            key: "zone:1".into(),
            source: "motion".into(),
            label: "motion in gate".into(),
            start_us: 0,
            until_us: None,
        });
        assert_eq!(
            event_badge(&c, 5_000_000).as_deref(),
            Some("MOTION + TRIGGER: door")
        );
        assert_eq!(event_badge(&c, 20_000_000).as_deref(), Some("MOTION"));
    }

    #[test]
    fn offline_cameras_say_why_and_when_they_retry() {
        let mut c = cam(
            "door",
            ConnState::Retrying {
                retry_at_us: 10_000_000,
            },
        );
        c.last_error = Some("connection refused by 10.0.0.5:554".into());
        assert_eq!(
            offline_message(&c, 2_500_000).as_deref(),
            Some("connection refused by 10.0.0.5:554 — retrying in 8 s")
        );
        assert_eq!(offline_message(&cam("a", ConnState::Connected), 0), None);
        assert_eq!(
            offline_message(&cam("a", ConnState::Connecting), 0).as_deref(),
            Some("connecting…")
        );
        c.conn = ConnState::Waiting;
        assert_eq!(
            offline_message(&c, 0).as_deref(),
            Some("connection refused by 10.0.0.5:554 — waiting for the camera to answer (checked twice a second)")
        );
    }

    #[test]
    fn bytes_read_like_a_disk_label() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1_500_000), "1.50 MB");
        assert_eq!(bytes(12_345_000_000), "12.3 GB");
        assert_eq!(bytes(250_000_000_000), "250 GB");
    }

    #[test]
    fn counts_and_disk_line() {
        let s = EngineStatus {
            cameras: vec![
                cam("a", ConnState::Connected),
                cam("b", ConnState::Connected),
                cam("c", ConnState::Retrying { retry_at_us: 0 }),
            ],
            disk_total: 100_000_000_000,
            disk_available: 60_000_000_000,
            mqtt: None,
        };
        assert_eq!(camera_counts(&s), "3 cameras: 2 live, 1 offline");
        assert_eq!(disk_line(&s), "Disk: 40.0 GB used, 60.0 GB free of 100 GB");
        assert_eq!(camera_counts(&EngineStatus::default()), "0 cameras");
    }

    #[test]
    fn failing_onvif_events_are_a_current_problem_until_subscribed() {
        use vigil_core::engine::status::{OnvifState, OnvifStatus};
        let mut c = cam("door", ConnState::Connected);
        let mut onvif = OnvifStatus::new(vigil_core::model::MotionFrom::Camera);
        onvif.state = OnvifState::Failed;
        onvif.last_error = Some("the camera has no ONVIF events service".into());
        c.onvif = Some(onvif.clone());
        let s = EngineStatus {
            cameras: vec![c.clone()],
            ..EngineStatus::default()
        };
        let p = problems(&s, &[]);
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].text,
            "ONVIF events: the camera has no ONVIF events service"
        );
        assert!(p[0].current);
        onvif.state = OnvifState::Subscribed;
        c.onvif = Some(onvif);
        let s = EngineStatus {
            cameras: vec![c],
            ..EngineStatus::default()
        };
        assert!(!problems(&s, &[])[0].current, "history once subscribed");
    }

    #[test]
    fn current_problems_come_first() {
        let mut old = cam("a", ConnState::Connected);
        old.last_error = Some("timed out".into());
        let mut now = cam("b", ConnState::Retrying { retry_at_us: 0 });
        now.last_error = Some("refused".into());
        let s = EngineStatus {
            cameras: vec![old, now],
            ..EngineStatus::default()
        };
        let p = problems(&s, &["cannot apply".to_string()]);
        let texts: Vec<_> = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["refused", "timed out", "cannot apply"]);
        assert!(p[0].current && !p[1].current);
    }

    #[test]
    fn an_unreachable_mqtt_broker_is_a_current_problem() {
        let line = "MQTT broker mqtt://10.0.0.5:1883 is unreachable: connection refused; retrying every 30 s";
        let mut s = EngineStatus {
            mqtt: Some(vigil_core::service::MqttStatus {
                broker: "mqtt://10.0.0.5:1883".into(),
                connected: false,
                since_us: None,
                last_error: Some("is unreachable: connection refused".into()),
                dropped: 0,
            }),
            ..EngineStatus::default()
        };
        let p = problems(&s, &[line.to_string(), "cannot apply".to_string()]);
        assert!(p[0].current && p[0].text == line, "{p:?}");
        assert!(!p[1].current);
        if let Some(m) = s.mqtt.as_mut() {
            m.connected = true;
        }
        assert!(!problems(&s, &[line.to_string()])[0].current);
    }

    #[test]
    fn a_failing_sub_stream_is_a_problem_of_an_online_camera() {
        let mut c = cam("door", ConnState::Connected);
        c.sub = Some(vigil_core::service::SubStreamStatus {
            conn: ConnState::Waiting,
            codec: None,
            width: 0,
            height: 0,
            fps: 0.0,
            last_error: Some("connection refused".into()),
            last_error_us: Some(0),
        });
        let s = EngineStatus {
            cameras: vec![c],
            ..EngineStatus::default()
        };
        let p = problems(&s, &[]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].text, "sub-stream: connection refused");
        assert!(p[0].current);
        assert_eq!(camera_counts(&s), "1 camera: 1 live");
    }

    #[test]
    fn the_hover_names_the_live_stream_shown_and_why_not_the_sub_stream() {
        let mut s = ShownStream {
            stream: LiveStream::Sub,
            source: (320, 180),
            keyframes_only: false,
            fallback: None,
            switching: false,
        };
        assert_eq!(shown_stream(&s), "showing the sub-stream 320×180");
        s.keyframes_only = true;
        assert!(shown_stream(&s).ends_with("key frames only (decoding is behind)"));
        s = ShownStream {
            stream: LiveStream::Main,
            source: (1280, 720),
            keyframes_only: false,
            fallback: Some("the sub-stream sent no picture for 6 s".into()),
            switching: false,
        };
        assert_eq!(
            shown_stream(&s),
            "showing the main stream 1280×720 — the sub-stream sent no picture for 6 s"
        );
    }
}
