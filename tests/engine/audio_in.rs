//! The camera's sound coming in (issue 18), against the real RTSP simulator's mounts with
//! sound: with the camera's sound on, AAC, Opus and G.711 µ-law arrive as audio packets
//! beside the video, stamped from the video's wall-clock anchor (within 100 ms of the video
//! around them); with it off, the codec is reported and no audio is delivered; a stream with
//! sound alone is refused in a sentence; and `vigil camera add/edit --audio` round-trips,
//! off by default, with `camera list` showing the codec a running recorder sees.

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{wait_until, RtspServer, Vigil};
use vigil_core::ingest::status::{IngestPublisher, IngestStatus};
use vigil_core::ingest::{self, IngestOutputs};
use vigil_core::model::time::now_us;
use vigil_core::model::Transport;
use vigil_core::packet::{AudioCodec, StreamEvent, StreamInfo};
use vigil_core::record::queue;
use vigil_core::source::{SoundMode, SourceConfig};

/// What one ingest thread delivered in `secs` seconds.
struct Delivered {
    started: Vec<Arc<StreamInfo>>,
    /// (wall µs, arrival µs, index of the video packet delivered just before)
    audio: Vec<(i64, i64, usize)>,
    /// Wall µs of each video packet.
    video: Vec<i64>,
    status: IngestStatus,
}

/// Runs ingest of `url` as camera `name` with `sound` for `secs` seconds.
fn ingest_for(name: &str, url: &str, sound: SoundMode, secs: u64) -> Delivered {
    let mut cfg = SourceConfig::new(url, Transport::Tcp);
    cfg.sound = sound;
    let (tx, rx) = queue::bounded(10_000, 256 << 20);
    let out = IngestOutputs {
        recorder: Some(tx),
        analyzer: None,
        live: None,
    };
    let status = IngestPublisher::new(IngestStatus::default());
    let reader = status.reader();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = ingest::spawn(name, cfg, out, status, Arc::clone(&stop)).expect("ingest");
    let mut got = Delivered {
        started: Vec::new(),
        audio: Vec::new(),
        video: Vec::new(),
        status: IngestStatus::default(),
    };
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        let Ok(ev) = rx.receiver().recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        match ev {
            StreamEvent::Started(info) => got.started.push(info),
            StreamEvent::Packet(p) => got.video.push(p.wall_us),
            StreamEvent::Audio(p) => got.audio.push((p.wall_us, now_us(), got.video.len())),
            StreamEvent::Ended => {}
        }
    }
    got.status = reader.snapshot();
    stop.store(true, Ordering::Relaxed);
    // Drain so a waiting ingest sees the stop.
    while !thread.is_finished() {
        while rx.receiver().try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(20));
    }
    thread.join().expect("ingest thread");
    got
}

/// The median of |audio wall − wall of the video delivered around it|, µs, over the audio
/// packets after the first `skip` seconds (the streams' RTCP sync settles first).
fn median_skew_us(d: &Delivered, skip_us: i64) -> i64 {
    let Some(first) = d.video.first() else {
        return i64::MAX;
    };
    let mut skews: Vec<i64> = d
        .audio
        .iter()
        .filter(|(wall, _, before)| *wall - first > skip_us && *before > 0)
        .map(|(wall, _, before)| {
            // The video packets delivered around this audio packet (ingest holds each video
            // packet back until the next is read; audio goes straight through).
            let near = [
                d.video.get(before - 1),
                d.video.get(*before),
                d.video.get(before + 1),
            ];
            near.iter()
                .flatten()
                .map(|v| (wall - **v).abs())
                .min()
                .unwrap_or(i64::MAX)
        })
        .collect();
    assert!(!skews.is_empty(), "audio packets after the settling time");
    skews.sort_unstable();
    skews[skews.len() / 2]
}

#[test]
fn sound_on_delivers_aac_opus_and_pcmu_stamped_with_the_videos_clock() {
    let rtsp = RtspServer::start(&[]);
    for (mount, codec, rate, per_s) in [
        ("h264-aac", AudioCodec::Aac, 16_000, 10),
        ("h264-opus", AudioCodec::Opus, 48_000, 25),
        ("h264-pcmu", AudioCodec::Pcmu, 8_000, 5),
    ] {
        let name = format!("sndin-{mount}");
        let d = ingest_for(&name, &rtsp.url(mount), SoundMode::Deliver, 6);
        let info = d.started.first().expect("a Started");
        let audio = info.audio.as_ref().expect("the connection's audio");
        assert_eq!(audio.codec, codec, "{mount}");
        assert_eq!(audio.sample_rate, rate, "{mount}");
        assert!(audio.channels >= 1, "{mount}: {} channels", audio.channels);
        if codec == AudioCodec::Aac {
            assert!(!audio.params.extradata().is_empty(), "AAC config known");
        }
        assert_eq!(d.started.len(), 1, "{mount}: one Started, no audio change");
        assert!(
            d.audio.len() >= 4 * per_s,
            "{mount}: {} audio packets in 6 s",
            d.audio.len()
        );
        assert!(
            d.video.len() >= 100,
            "{mount}: {} video packets",
            d.video.len()
        );
        // Audio wall times agree with the video's around them, and with arrival.
        let skew = median_skew_us(&d, 2_000_000);
        assert!(skew < 100_000, "{mount}: audio {skew} µs from the video");
        let late = d
            .audio
            .iter()
            .map(|(w, arrived, _)| (arrived - w).abs())
            .max();
        assert!(
            late.is_some_and(|l| l < 1_000_000),
            "{mount}: audio stamped near its arrival ({late:?} µs)"
        );
        let a = d.status.audio.as_ref().expect("sound in the status");
        assert_eq!(a.codec, codec.as_str());
        assert!(a.recorded, "{mount}");
        assert_eq!(a.problem, None, "{mount}");
        assert_eq!(a.dropped, 0, "{mount}: no broken timestamps");
    }
}

#[test]
fn sound_off_reports_the_codec_and_delivers_no_audio() {
    let rtsp = RtspServer::start(&[]);
    let d = ingest_for("sndin-off", &rtsp.url("h264-pcmu"), SoundMode::Report, 4);
    let info = d.started.first().expect("a Started");
    assert!(info.audio.is_none(), "no audio on the connection");
    assert!(
        d.audio.is_empty(),
        "{} audio packets delivered",
        d.audio.len()
    );
    assert!(d.video.len() >= 50, "the video flows: {}", d.video.len());
    let a = d.status.audio.expect("the codec the camera sends is shown");
    assert_eq!(a.codec, "pcm_mulaw");
    assert_eq!(a.sample_rate, 8000);
    assert!(!a.recorded);
    assert_eq!(a.describe(), "pcm_mulaw 8 kHz mono (off)");
}

#[test]
fn a_stream_with_sound_but_no_video_is_refused_in_a_sentence() {
    let rtsp = RtspServer::start(&[]);
    let d = ingest_for("sndin-only", &rtsp.url("audio-only"), SoundMode::Deliver, 5);
    assert!(d.started.is_empty(), "nothing started");
    let err = d.status.last_error.expect("an error");
    assert!(
        err.contains("the camera sends sound but no video; Vigil records video"),
        "{err}"
    );
    assert!(d.status.reconnects >= 1, "counted as a failed attempt");
}

/// `vigil camera list --json` as JSON.
fn list(vigil: &Vigil) -> Vec<serde_json::Value> {
    serde_json::from_str(&vigil.ok(&["camera", "list", "--json"])).expect("JSON")
}

fn row<'a>(rows: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .expect("the camera listed")
}

#[test]
fn camera_audio_flag_round_trips_and_camera_list_shows_the_codec_sent() {
    let rtsp = RtspServer::start(&[]);
    let dir = tempfile::tempdir().expect("dir");
    let vigil = Vigil::new(dir.path());
    let added = vigil.ok(&[
        "camera",
        "add",
        "--name",
        "sndcli-aac",
        "--url",
        &rtsp.url("h264-aac"),
        "--audio",
        "on",
    ]);
    assert!(added.contains("with sound"), "{added}");
    vigil.ok(&[
        "camera",
        "add",
        "--name",
        "sndcli-pcmu",
        "--url",
        &rtsp.url("h264-pcmu"),
    ]);
    let rows = list(&vigil);
    assert_eq!(row(&rows, "sndcli-aac")["audio"], true);
    assert_eq!(row(&rows, "sndcli-pcmu")["audio"], false, "off by default");
    let bad = vigil.run(&["camera", "edit", "--name", "sndcli-pcmu", "--audio", "loud"]);
    assert!(!bad.status.success());
    vigil.ok(&["camera", "edit", "--name", "sndcli-aac", "--audio", "off"]);
    assert_eq!(row(&list(&vigil), "sndcli-aac")["audio"], false);
    vigil.ok(&["camera", "edit", "sndcli-aac", "--audio", "on"]);
    assert_eq!(row(&list(&vigil), "sndcli-aac")["audio"], true);

    // A running recorder: the list shows the sound each camera sends.
    let run = vigil.spawn(&["run"]);
    let seen = wait_until(Duration::from_secs(40), || {
        let rows = list(&vigil);
        row(&rows, "sndcli-aac")["audio_codec"] == "aac"
            && row(&rows, "sndcli-pcmu")["audio_codec"] == "pcm_mulaw"
    });
    let text = vigil.ok(&["camera", "list"]);
    let out = common::terminate(run);
    assert!(
        seen,
        "the codecs were listed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("audio: aac 16 kHz mono (recorded)"), "{text}");
    assert!(text.contains("audio: pcm_mulaw 8 kHz mono (off)"), "{text}");
}
