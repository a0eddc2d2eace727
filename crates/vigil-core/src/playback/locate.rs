//! From a camera and a wall time to the recording that covers it: a continuous segment when
//! there is one, an event clip otherwise, and else the file being written now (named by the
//! open-segment journal: a crash-tolerant fMP4 whose fragments are on disk, played up to
//! what is written, which makes instant replay instant); in a gap, the next recorded time.
//! Every question is a narrow time window on the library's (camera, start) index.

use crate::library::{Library, LibraryError, SegmentQuery};
use crate::model::time::now_us;
use crate::model::{Segment, SegmentKind};

/// Windows looked through, one after the other, for the next recording after a gap, µs:
/// an hour, a day, a month, then everything.
const NEXT_WINDOWS_US: [Option<i64>; 4] = [
    Some(3_600_000_000),
    Some(86_400_000_000),
    Some(31 * 86_400_000_000),
    None,
];

/// Where a wall time falls in a camera's recordings.
#[derive(Debug, Clone, PartialEq)]
pub enum Located {
    /// This segment covers the time (`start_us <= t < end_us`).
    Segment(Segment),
    /// Nothing covers the time; `next` is the first segment starting after it, `None` when
    /// nothing was recorded after it.
    Gap { next: Option<Segment> },
}

impl Located {
    /// When the next recording starts, for a gap.
    pub fn next_us(&self) -> Option<i64> {
        match self {
            Located::Segment(s) => Some(s.start_us),
            Located::Gap { next } => next.as_ref().map(|s| s.start_us),
        }
    }
}

/// The recording of `camera_id` at `wall_us`.
pub fn locate(lib: &Library, camera_id: i64, wall_us: i64) -> Result<Located, LibraryError> {
    let covering = lib.segments(&SegmentQuery {
        camera_id: Some(camera_id),
        from_us: Some(wall_us),
        to_us: Some(wall_us.saturating_add(1)),
        kind: None,
    })?;
    if let Some(best) = best_cover(covering) {
        return Ok(Located::Segment(best));
    }
    let open = open_segments(lib, camera_id)?;
    if let Some(seg) = open
        .iter()
        .rev()
        .find(|s| s.start_us <= wall_us && wall_us < s.end_us)
    {
        return Ok(Located::Segment(seg.clone()));
    }
    let next_open = open.into_iter().find(|s| s.start_us > wall_us);
    for window in NEXT_WINDOWS_US {
        let after = lib.segments(&SegmentQuery {
            camera_id: Some(camera_id),
            from_us: Some(wall_us),
            to_us: window.map(|w| wall_us.saturating_add(w)),
            kind: None,
        })?;
        // Oldest first: the first one starting after the time is the next recording.
        if let Some(next) = after.into_iter().find(|s| s.start_us > wall_us) {
            let next = match next_open {
                Some(open) if open.start_us < next.start_us => open,
                _ => next,
            };
            return Ok(Located::Gap { next: Some(next) });
        }
    }
    Ok(Located::Gap { next: next_open })
}

/// Whether a segment is a file being written now (see [`open_segments`]).
pub fn is_open(segment: &Segment) -> bool {
    segment.id < 0
}

/// The files of `camera_id` being written now, oldest first, as segments: recorded from
/// their start to now (`end_us`), with a negative `id` (no row yet) and what is not known
/// before the file is finished (size, frames, codec) zero or empty. A file's fragments are
/// on disk as they are written, so it plays up to the last one.
fn open_segments(lib: &Library, camera_id: i64) -> Result<Vec<Segment>, LibraryError> {
    let mut open: Vec<Segment> = lib
        .open_segments()?
        .into_iter()
        .filter(|(_, cam, _, _)| *cam == camera_id)
        .map(|(rel_path, _, kind, start_us)| Segment {
            id: -start_us.max(1),
            camera_id,
            camera: String::new(),
            kind,
            start_us,
            end_us: now_us().max(start_us + 1),
            path: lib.absolute(&rel_path).to_string_lossy().into_owned(),
            bytes: 0,
            codec: String::new(),
            width: 0,
            height: 0,
            frames: 0,
            event_id: None,
            sha256: None,
            audio_codec: None,
        })
        .collect();
    // A continuous file before an event clip starting at the same time.
    open.sort_by_key(|s| (s.start_us, s.kind == SegmentKind::Continuous));
    Ok(open)
}

/// The recording of `camera_id` that ends last at or before `wall_us` (for stepping back
/// over a gap), looking back through the same widening windows.
pub fn locate_before(
    lib: &Library,
    camera_id: i64,
    wall_us: i64,
) -> Result<Option<Segment>, LibraryError> {
    for window in NEXT_WINDOWS_US {
        let before = lib.segments(&SegmentQuery {
            camera_id: Some(camera_id),
            from_us: window.map(|w| wall_us.saturating_sub(w)),
            to_us: Some(wall_us),
            kind: None,
        })?;
        let last = before
            .into_iter()
            .filter(|s| s.end_us <= wall_us)
            .max_by_key(|s| (s.end_us, s.kind == SegmentKind::Continuous));
        if last.is_some() {
            return Ok(last);
        }
    }
    Ok(None)
}

/// Of the segments covering one instant: a continuous one before an event clip, and of
/// those the one that started last (after a restart, the newer file).
fn best_cover(segments: Vec<Segment>) -> Option<Segment> {
    segments
        .into_iter()
        .max_by_key(|s| (s.kind == SegmentKind::Continuous, s.start_us, s.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::FinishedSegment;
    use crate::model::{CameraName, NewCamera, Policy, Transport};

    fn add(lib: &mut Library, cam: i64, kind: SegmentKind, start: i64, end: i64) {
        let seg = FinishedSegment {
            camera_id: cam,
            kind,
            start_us: start,
            end_us: end,
            rel_path: format!("recordings/x/{cam}-{start}-{}.mp4", kind.as_str()),
            bytes: 1,
            codec: "h264".into(),
            width: 640,
            height: 360,
            frames: 1,
            event_id: None,
            audio_codec: None,
        };
        lib.finish_segment(&seg).expect("row");
    }

    #[test]
    fn covers_prefers_continuous_and_reports_gaps() {
        let dir = tempfile::tempdir().expect("dir");
        let mut lib = Library::open(dir.path()).expect("library");
        let cam = |name: &str| NewCamera {
            name: CameraName::parse(name).expect("name"),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let a = lib.add_camera(&cam("a"), &Policy::default()).expect("a").id;
        let b = lib.add_camera(&cam("b"), &Policy::default()).expect("b").id;
        add(&mut lib, a, SegmentKind::Continuous, 1_000, 2_000);
        add(&mut lib, a, SegmentKind::Continuous, 2_000, 3_000);
        add(&mut lib, a, SegmentKind::Event, 2_500, 5_000);
        add(
            &mut lib,
            a,
            SegmentKind::Continuous,
            90_000_000_000,
            90_000_001_000,
        );
        add(&mut lib, b, SegmentKind::Continuous, 3_000, 4_000);
        let at = |t| locate(&lib, a, t).expect("locate");
        let start_of = |l: Located| match l {
            Located::Segment(s) => (s.kind, s.start_us),
            other => panic!("not covered: {other:?}"),
        };
        assert_eq!(start_of(at(1_000)), (SegmentKind::Continuous, 1_000));
        // Abutting segments: the end belongs to the next one.
        assert_eq!(start_of(at(2_000)), (SegmentKind::Continuous, 2_000));
        assert_eq!(start_of(at(2_700)), (SegmentKind::Continuous, 2_000));
        // Only the event clip covers 3 000..5 000.
        assert_eq!(start_of(at(3_000)), (SegmentKind::Event, 2_500));
        // A gap: the next recording is a day later (beyond the first window); another
        // camera's segment does not count.
        assert_eq!(at(5_000).next_us(), Some(90_000_000_000));
        assert_eq!(
            at(500),
            Located::Gap {
                next: at(1_000).segment()
            }
        );
        assert_eq!(at(90_000_001_000), Located::Gap { next: None });
        let before = |t| locate_before(&lib, a, t).expect("before").map(|s| s.end_us);
        assert_eq!(before(80_000_000_000), Some(5_000));
        assert_eq!(before(4_000), Some(3_000));
        assert_eq!(before(1_500), None);
    }

    #[test]
    fn a_file_being_written_covers_from_its_start_to_now() {
        let dir = tempfile::tempdir().expect("dir");
        let mut lib = Library::open(dir.path()).expect("library");
        let cam = NewCamera {
            name: CameraName::parse("a").expect("name"),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let a = lib.add_camera(&cam, &Policy::default()).expect("a").id;
        add(&mut lib, a, SegmentKind::Continuous, 1_000, 2_000);
        let now = now_us();
        let open_start = now - 10_000_000;
        lib.begin_segment(
            a,
            SegmentKind::Continuous,
            open_start,
            "recordings/x/open.mp4",
        )
        .expect("journal");
        let open = match locate(&lib, a, open_start + 5_000_000).expect("locate") {
            Located::Segment(s) => s,
            other => panic!("the open file covers it: {other:?}"),
        };
        assert!(is_open(&open), "{open:?}");
        assert_eq!(open.start_us, open_start);
        assert!(open.end_us >= now, "recorded up to now");
        assert!(
            open.path.ends_with("recordings/x/open.mp4"),
            "{}",
            open.path
        );
        // Before it: a gap whose next recording is the open file; a finished row wins.
        assert_eq!(at_next(&lib, a, 3_000), Some(open_start));
        assert!(!matches!(
            locate(&lib, a, 1_500).expect("locate"),
            Located::Segment(s) if is_open(&s)
        ));
        // After now: nothing yet.
        assert_eq!(
            locate(&lib, a, now_us() + 60_000_000).expect("locate"),
            Located::Gap { next: None }
        );
    }

    fn at_next(lib: &Library, cam: i64, t: i64) -> Option<i64> {
        match locate(lib, cam, t).expect("locate") {
            Located::Gap { next } => next.map(|s| s.start_us),
            other => panic!("a gap at {t}: {other:?}"),
        }
    }

    impl Located {
        fn segment(self) -> Option<Segment> {
            match self {
                Located::Segment(s) => Some(s),
                Located::Gap { .. } => None,
            }
        }
    }
}
