//! The live muxer's boxes byte by byte on hand-made packets, and real streams encoded by
//! ffmpeg (H.264 with B-frames from an MP4, H.265 from MPEG-TS) muxed and read back by
//! ffprobe.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use super::boxes::{DELTA_SAMPLE_FLAGS, KEY_SAMPLE_FLAGS};
use super::*;
use crate::media::input::{MediaInput, OpenSpec};

/// The boxes laid end to end in `data`: (type, whole box).
fn boxes(data: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 8 <= data.len() {
        let size = u32::from_be_bytes(data[pos..pos + 4].try_into().unwrap()) as usize;
        assert!(size >= 8 && pos + size <= data.len(), "box size at {pos}");
        out.push((
            data[pos + 4..pos + 8].try_into().unwrap(),
            &data[pos..pos + size],
        ));
        pos += size;
    }
    assert_eq!(pos, data.len(), "the boxes fill the data exactly");
    out
}

/// The whole box at `path`, each step a child of the previous box.
fn find<'a>(data: &'a [u8], path: &[&[u8; 4]]) -> &'a [u8] {
    let (first, rest) = path.split_first().unwrap();
    let found = boxes(data)
        .into_iter()
        .find(|(t, _)| t == *first)
        .unwrap_or_else(|| panic!("no {}", String::from_utf8_lossy(*first)))
        .1;
    match rest {
        [] => found,
        _ => find(&found[8..], rest),
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

const SPS: &[u8] = &[0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8];
const PPS: &[u8] = &[0x68, 0xce, 0x3c, 0x80];

fn annex_b(nals: &[&[u8]]) -> Vec<u8> {
    nals.iter()
        .flat_map(|n| [&[0, 0, 0, 1][..], *n].concat())
        .collect()
}

fn packet(data: Vec<u8>, dts: i64, keyframe: bool) -> Packet {
    Packet {
        data: Arc::from(data),
        pts: dts,
        dts,
        duration: 0,
        keyframe,
        wall_us: dts * 40_000,
    }
}

fn demo_track() -> TrackParams {
    TrackParams {
        codec: VideoCodec::H264,
        width: 640,
        height: 360,
        time_base: (1, 25),
        fps: Some(25.0),
        extradata: annex_b(&[SPS, PPS]),
    }
}

#[test]
fn init_segment_describes_one_avc_track() {
    let mut m = LiveMuxer::new(&demo_track(), Position::default()).unwrap();
    let slice: &[u8] = &[0x41, 0x9a, 1, 2];
    let before = m.push(&packet(annex_b(&[slice]), 0, false)).unwrap();
    assert!(
        before.init.is_none() && before.fragment.is_none(),
        "nothing before a keyframe"
    );
    let idr: &[u8] = &[0x65, 0x88, 0x84, 0, 0, 3, 1];
    let first = m
        .push(&packet(annex_b(&[&[0x09, 0xf0], idr]), 1, true))
        .unwrap();
    let init = first.init.expect("an init segment with the first keyframe");
    assert_eq!(
        (init.codec.as_str(), init.width, init.height),
        ("avc1.42C01E", 640, 360)
    );
    assert_eq!(init.mime_type(), "video/mp4; codecs=\"avc1.42C01E\"");
    let top: Vec<_> = boxes(&init.data).into_iter().map(|(t, _)| t).collect();
    assert_eq!(top, [*b"ftyp", *b"moov"]);
    let mvhd = find(&init.data, &[b"moov", b"mvhd"]);
    assert_eq!((mvhd.len(), u32_at(mvhd, 20)), (108, TIMESCALE));
    let tkhd = find(&init.data, &[b"moov", b"trak", b"tkhd"]);
    assert_eq!(
        (tkhd.len(), u32_at(tkhd, 84), u32_at(tkhd, 88)),
        (92, 640 << 16, 360 << 16)
    );
    let mdhd = find(&init.data, &[b"moov", b"trak", b"mdia", b"mdhd"]);
    assert_eq!((mdhd.len(), u32_at(mdhd, 20)), (32, TIMESCALE));
    let stsd = find(
        &init.data,
        &[b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd"],
    );
    let avc1 = find(&stsd[16..], &[b"avc1"]);
    assert_eq!(u16::from_be_bytes([avc1[32], avc1[33]]), 640);
    let avcc = find(&avc1[86..], &[b"avcC"]);
    assert_eq!(&avcc[8..14], &[1, 0x42, 0xc0, 0x1e, 0xff, 0xe1]);
    let trex = find(&init.data, &[b"moov", b"mvex", b"trex"]);
    assert_eq!((trex.len(), u32_at(trex, 12), u32_at(trex, 16)), (32, 1, 1));

    let frag = first.fragment.expect("the keyframe's fragment");
    // The delimiter is dropped; the slice is length-prefixed; its emulation bytes stay.
    let mdat = find(&frag.data, &[b"mdat"]);
    assert_eq!(&mdat[8..], &[0, 0, 0, 7, 0x65, 0x88, 0x84, 0, 0, 3, 1]);
}

#[test]
fn fragments_carry_sequence_decode_time_and_sample_flags() {
    let mut m = LiveMuxer::new(&demo_track(), Position::default()).unwrap();
    let (idr, p): (&[u8], &[u8]) = (&[0x65, 1, 2, 3], &[0x41, 4, 5]);
    let mut frags = Vec::new();
    for (dts, key) in [(0, true), (1, false), (2, false), (3, true), (4, false)] {
        let data = if key {
            annex_b(&[SPS, PPS, idr])
        } else {
            annex_b(&[p])
        };
        let out = m.push(&packet(data, dts, key)).unwrap();
        assert_eq!(
            out.init.is_some(),
            dts == 0,
            "repeated sets make no new init segment"
        );
        frags.push(out.fragment.unwrap());
    }
    for (i, f) in frags.iter().enumerate() {
        let moof = find(&f.data, &[b"moof"]);
        assert_eq!(moof.len(), 104);
        assert_eq!(u32_at(find(moof, &[b"moof", b"mfhd"]), 12), i as u32 + 1);
        let tfhd = find(&f.data, &[b"moof", b"traf", b"tfhd"]);
        assert_eq!(
            (u32_at(tfhd, 8), u32_at(tfhd, 12)),
            (0x020000, 1),
            "default-base-is-moof"
        );
        let tfdt = find(&f.data, &[b"moof", b"traf", b"tfdt"]);
        assert_eq!(tfdt[8], 1, "64-bit tfdt");
        let decode = u64::from_be_bytes(tfdt[12..20].try_into().unwrap());
        assert_eq!((decode, f.decode_time), (i as u64 * 3600, i as u64 * 3600));
        let trun = find(&f.data, &[b"moof", b"traf", b"trun"]);
        assert_eq!((trun[8], u32_at(trun, 8) & 0xffffff), (1, 0xf01));
        let mdat = find(&f.data, &[b"mdat"]);
        assert_eq!(u32_at(trun, 12), 1, "one sample");
        assert_eq!(
            u32_at(trun, 16) as usize,
            moof.len() + 8,
            "data offset from the moof"
        );
        assert_eq!(u32_at(trun, 20), 3600, "one frame at 25 fps");
        assert_eq!(u32_at(trun, 24) as usize, mdat.len() - 8);
        let flags = if f.keyframe {
            KEY_SAMPLE_FLAGS
        } else {
            DELTA_SAMPLE_FLAGS
        };
        assert_eq!(u32_at(trun, 28), flags);
        assert_eq!(u32_at(trun, 32), 0, "no reordering");
    }
    assert!(frags[3].keyframe && !frags[4].keyframe);
    let at3 = find(&frags[3].data, &[b"mdat"]);
    assert_eq!(
        at3.len(),
        8 + 4 + idr.len(),
        "parameter sets are in the init segment only"
    );
}

#[test]
fn gaps_close_and_a_new_muxer_continues_the_timeline() {
    let mut m = LiveMuxer::new(&demo_track(), Position::default()).unwrap();
    let key = || annex_b(&[SPS, PPS, &[0x65, 1]]);
    let times: Vec<u64> = [(0, true), (1, false), (90, true), (91, false), (89, true)]
        .into_iter()
        .map(|(dts, k)| {
            let data = if k { key() } else { annex_b(&[&[0x41, 1]]) };
            m.push(&packet(data, dts, k))
                .unwrap()
                .fragment
                .unwrap()
                .decode_time
        })
        .collect();
    // Dropped packets and time going back both continue right after the last sample.
    assert_eq!(times, [0, 3600, 7200, 10800, 14400]);
    let pos = m.position();
    assert_eq!(
        pos,
        Position {
            decode_time: 18000,
            sequence: 5
        }
    );
    let mut next = LiveMuxer::new(&demo_track(), pos).unwrap();
    let out = next.push(&packet(key(), 5000, true)).unwrap();
    assert!(
        out.init.is_some(),
        "a new stream starts with its init segment"
    );
    let f = out.fragment.unwrap();
    assert_eq!((f.decode_time, f.sequence), (18000, 6));
}

#[test]
fn changed_parameter_sets_make_a_new_init_segment_and_missing_ones_an_error() {
    let mut m = LiveMuxer::new(&demo_track(), Position::default()).unwrap();
    let idr: &[u8] = &[0x65, 1];
    assert!(
        m.push(&packet(annex_b(&[idr]), 0, true))
            .unwrap()
            .init
            .is_some(),
        "declared sets"
    );
    let high: &[u8] = &[0x67, 0x64, 0x00, 0x28, 0xac, 0xd9, 0x40, 0x78];
    let out = m
        .push(&packet(annex_b(&[high, PPS, idr]), 1, true))
        .unwrap();
    assert_eq!(out.init.expect("new sets, new init").codec, "avc1.640028");
    let bare = TrackParams {
        extradata: Vec::new(),
        ..demo_track()
    };
    let mut m = LiveMuxer::new(&bare, Position::default()).unwrap();
    let err = m.push(&packet(annex_b(&[idr]), 0, true)).unwrap_err();
    assert_eq!(err, LiveMuxError::Config(ConfigError::Missing("SPS")));
    assert_eq!(
        m.push(&packet(vec![0, 0, 2, 1], 1, true)).unwrap_err(),
        LiveMuxError::NotAnnexB
    );
    let bad = TrackParams {
        width: 70_000,
        ..demo_track()
    };
    assert!(matches!(
        LiveMuxer::new(&bad, Position::default()),
        Err(LiveMuxError::PictureSize(..))
    ));
    let bad = TrackParams {
        time_base: (1, 0),
        ..demo_track()
    };
    assert!(LiveMuxer::new(&bad, Position::default()).is_err());
}

/// Encodes a 2-s test picture with ffmpeg into `dir/name`.
fn encode(dir: &std::path::Path, name: &str, args: &[&str]) -> String {
    let path = dir.join(name).to_string_lossy().into_owned();
    let out = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=25",
        ])
        .args(["-t", "2"])
        .args(args)
        .arg(&path)
        .output()
        .expect("run ffmpeg");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// Muxes every packet of the file at `path` into one live MP4 beside it; returns that
/// file, the init segment and the fragments.
fn mux_file(path: &str) -> (String, InitSegment, Vec<Fragment>) {
    let spec = OpenSpec {
        url: path.to_string(),
        display: path.to_string(),
        format: None,
        options: Vec::new(),
        connect_timeout: Duration::from_secs(10),
        read_timeout: Duration::from_secs(10),
        realtime: false,
    };
    let mut input = MediaInput::open(spec, Arc::new(AtomicBool::new(false))).expect("open");
    let mut muxer = LiveMuxer::new(&TrackParams::of(&input.info()), Position::default()).unwrap();
    let (mut init, mut frags) = (None, Vec::new());
    while let Ok(raw) = input.read() {
        let p = Packet {
            data: raw.data,
            pts: raw.pts,
            dts: raw.dts,
            duration: raw.duration,
            keyframe: raw.keyframe,
            wall_us: 0,
        };
        let out = muxer.push(&p).expect("mux");
        init = init.or(out.init);
        frags.extend(out.fragment);
    }
    let init = init.expect("an init segment");
    let mut bytes = init.data.clone();
    frags.iter().for_each(|f| bytes.extend_from_slice(&f.data));
    let live = format!("{path}.live.mp4");
    std::fs::write(&live, bytes).unwrap();
    (live, init, frags)
}

/// ffprobe's codec, size and decoded frame count, with nothing on its error output.
fn probe(path: &str) -> String {
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "stream=codec_name,width,height,nb_read_frames",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .expect("run ffprobe");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn real_h264_with_b_frames_from_an_mp4_file_plays_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let src = encode(
        dir.path(),
        "b.mp4",
        &["-c:v", "libx264", "-bf", "2", "-g", "25"],
    );
    let (live, init, frags) = mux_file(&src);
    assert!(init.codec.starts_with("avc3.64"), "{}", init.codec);
    assert_eq!(frags.len(), 50);
    assert!(frags[0].keyframe && frags.iter().filter(|f| f.keyframe).count() >= 2);
    let offset = |f: &Fragment| u32_at(find(&f.data, &[b"moof", b"traf", b"trun"]), 32);
    assert!(
        frags.iter().any(|f| offset(f) != 0),
        "B-frames have composition offsets"
    );
    assert!(frags
        .windows(2)
        .all(|w| w[1].decode_time > w[0].decode_time));
    assert_eq!(probe(&live), "h264,320,240,50");
}

#[test]
fn real_h265_from_mpeg_ts_plays_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let src = encode(
        dir.path(),
        "h.ts",
        &["-c:v", "libx265", "-x265-params", "log-level=error"],
    );
    let (live, init, frags) = mux_file(&src);
    assert!(init.codec.starts_with("hvc1.1.6.L"), "{}", init.codec);
    assert_eq!(frags.len(), 50);
    assert!(frags[0].keyframe);
    assert_eq!(probe(&live), "hevc,320,240,50");
}
