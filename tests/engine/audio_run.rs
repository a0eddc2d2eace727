//! Sound recorded end to end: `vigil run` records four cameras of the real RTSP simulator
//! (H.264 with AAC, with Opus, with G.711 µ-law, and AAC with the camera's sound off) into
//! real fMP4 files; `vigil recordings --json` names each file's sound, and ffprobe finds two
//! tracks of matching length where sound is on (G.711 converted to AAC) and one where off.

use std::path::Path;

use crate::audio_record::{assert_plays, tracks};
use crate::common::{RtspServer, Vigil};

/// (camera, mount, --audio, the sound its recordings should have)
const CAMERAS: [(&str, &str, &str, Option<&str>); 4] = [
    ("arun-aac", "h264-aac", "on", Some("aac")),
    ("arun-opus", "h264-opus", "on", Some("opus")),
    ("arun-pcmu", "h264-pcmu", "on", Some("aac")),
    ("arun-off", "h264-aac", "off", None),
];

#[test]
fn vigil_run_records_aac_opus_and_converted_g711_beside_the_video_and_none_when_off() {
    let server = RtspServer::start(&["--gop", "25"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let vigil = Vigil::new(dir.path());
    for (name, mount, audio, _) in CAMERAS {
        let url = server.url(mount);
        vigil.ok(&[
            "camera",
            "add",
            "--name",
            name,
            "--url",
            &url,
            "--segment-seconds",
            "3",
            "--audio",
            audio,
        ]);
    }
    let out = vigil.run(&["run", "--for", "11s"]);
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = vigil.recordings();
    for (name, _, _, sound) in CAMERAS {
        let mut mine: Vec<&serde_json::Value> =
            rows.iter().filter(|r| r["camera"] == name).collect();
        mine.sort_by_key(|r| r["start_us"].as_i64());
        assert!(
            mine.len() >= 3,
            "{name}: 3-s recordings over 11 s: {mine:?}"
        );
        for (i, r) in mine.iter().enumerate() {
            let path = r["path"].as_str().expect("path");
            assert_plays(path);
            let t = tracks(path);
            let said = r["audio"].as_str();
            match sound {
                None => {
                    assert_eq!(said, None, "{name}: sound off: {r}");
                    assert_eq!(t.len(), 1, "{name}: video only: {t:?}");
                }
                // The first file's sound starts once the camera's RTCP reports put both
                // streams on one clock (a second or two in); it then runs to the end.
                Some(codec) if i == 0 => {
                    if said.is_some() {
                        assert_eq!(said, Some(codec), "{name}: {r}");
                        assert_eq!(t.len(), 2, "{name}: {t:?}");
                    }
                }
                Some(codec) => {
                    assert_eq!(said, Some(codec), "{name} file {i}: {r}");
                    assert_eq!(t.len(), 2, "{name} file {i}: {t:?}");
                    let (v, a) = (&t[0], &t[1]);
                    assert_eq!((v.kind.as_str(), v.codec.as_str()), ("video", "h264"));
                    assert_eq!((a.kind.as_str(), a.codec.as_str()), ("audio", codec));
                    // The file the stop cut: its sound runs to the stop (G.711's converter
                    // hands over what it holds, up to one 128 ms AAC frame at 8 kHz), its
                    // picture to the last frame before it.
                    let last = i + 1 == mine.len();
                    let over = a.duration_s() - v.duration_s();
                    assert!(
                        over.abs() <= 0.15 || (last && (0.0..=0.3).contains(&over)),
                        "{name} file {i} ({}): sound {a:?} and picture {v:?} differ",
                        Path::new(path).display()
                    );
                }
            }
        }
    }
}
