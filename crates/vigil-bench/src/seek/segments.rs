//! The seek benchmark's library: the test video cut at keyframes into fMP4 segments by the
//! recorder's own segment writer and indexed as a camera's continuous recordings, exactly as
//! `vigil run` would have left them (wall time = start + PTS, segments abut).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use crate::BenchError;
use vigil_core::library::layout::segment_rel_path;
use vigil_core::library::{FinishedSegment, Library, LibraryError, SegmentQuery};
use vigil_core::media::fmp4::SegmentWriter;
use vigil_core::media::input::{MediaInput, OpenSpec};
use vigil_core::media::MediaError;
use vigil_core::model::{CameraName, NewCamera, Policy, Segment, SegmentKind, Transport};
use vigil_core::packet::{Packet, StreamInfo};

const CAMERA: &str = "seek";

/// One segment being written.
struct Open {
    writer: SegmentWriter,
    rel: String,
    start_us: i64,
    start_pts: i64,
}

/// Builds the library in `dir` from `media`; returns the camera id and its segments.
pub(crate) fn build(
    media: &Path,
    dir: &Path,
    segment_s: u32,
    start_us: i64,
) -> Result<(i64, Vec<Segment>), BenchError> {
    let mut lib = Library::open(dir)?;
    let cam = NewCamera {
        name: CameraName::parse(CAMERA).map_err(LibraryError::from)?,
        url: media.to_string_lossy().into_owned(),
        detect_url: None,
        transport: Transport::Tcp,
        enabled: false,
        audio: false,
    };
    let camera_id = lib.add_camera(&cam, &Policy::default())?.id;
    let spec = OpenSpec {
        url: media.to_string_lossy().into_owned(),
        display: media.display().to_string(),
        format: None,
        options: Vec::new(),
        connect_timeout: Duration::from_secs(10),
        read_timeout: Duration::from_secs(10),
        realtime: false,
    };
    let mut input = MediaInput::open(spec, Arc::new(AtomicBool::new(false)))?;
    let info = input.info();
    let segment_ticks = info_ticks(&info, i64::from(segment_s) * 1_000_000);
    let (mut open, mut first_pts, mut last_end) = (None::<Open>, None, start_us);
    loop {
        let raw = match input.read() {
            Ok(raw) => raw,
            Err(MediaError::Ended(_)) => break,
            Err(e) => return Err(e.into()),
        };
        let first = *first_pts.get_or_insert(raw.pts);
        let wall_us = start_us + info.ticks_to_us(raw.pts - first);
        let pkt = Packet {
            data: raw.data,
            pts: raw.pts,
            dts: raw.dts,
            duration: raw.duration,
            keyframe: raw.keyframe,
            wall_us,
        };
        let cut = open
            .as_ref()
            .is_none_or(|o| pkt.keyframe && pkt.pts - o.start_pts >= segment_ticks);
        if cut && pkt.keyframe {
            if let Some(o) = open.take() {
                finish(&mut lib, camera_id, &info, o, wall_us)?;
            }
            open = Some(create(&lib, camera_id, &info, &pkt)?);
        }
        if let Some(o) = open.as_mut() {
            o.writer.write(&pkt)?;
            let frame_us = info.ticks_to_us(pkt.duration.max(0)).max(1);
            last_end = last_end.max(wall_us + frame_us);
        }
    }
    if let Some(o) = open.take() {
        finish(&mut lib, camera_id, &info, o, last_end)?;
    }
    let segments = lib.segments(&SegmentQuery {
        camera_id: Some(camera_id),
        ..SegmentQuery::default()
    })?;
    Ok((camera_id, segments))
}

fn info_ticks(info: &StreamInfo, us: i64) -> i64 {
    let (num, den) = info.time_base;
    (i128::from(us) * i128::from(den) / (i128::from(num.max(1)) * 1_000_000)) as i64
}

fn create(
    lib: &Library,
    camera_id: i64,
    info: &StreamInfo,
    pkt: &Packet,
) -> Result<Open, BenchError> {
    let rel = segment_rel_path(CAMERA, SegmentKind::Continuous, pkt.wall_us);
    lib.begin_segment(camera_id, SegmentKind::Continuous, pkt.wall_us, &rel)?;
    let writer = SegmentWriter::create(&lib.absolute(&rel), info)?;
    Ok(Open {
        writer,
        rel,
        start_us: pkt.wall_us,
        start_pts: pkt.pts,
    })
}

fn finish(
    lib: &mut Library,
    camera_id: i64,
    info: &StreamInfo,
    o: Open,
    end_us: i64,
) -> Result<(), BenchError> {
    let written = o.writer.finish()?;
    lib.finish_segment(&FinishedSegment {
        camera_id,
        kind: SegmentKind::Continuous,
        start_us: o.start_us,
        end_us,
        rel_path: o.rel,
        bytes: written.bytes,
        codec: info.codec.as_str().to_string(),
        width: info.width,
        height: info.height,
        frames: written.frames,
        event_id: None,
        audio_codec: None,
    })?;
    Ok(())
}
