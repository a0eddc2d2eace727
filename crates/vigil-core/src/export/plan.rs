//! Which recordings cover an export range: continuous segments first, event clips only where
//! there is no continuous footage, in time order, with the gaps between them.

use crate::library::{Library, SegmentQuery};
use crate::model::{Segment, SegmentKind};

use super::{show_time, ExportError};

/// Holes shorter than this between recordings are not reported as gaps (rounding).
pub const MIN_GAP_US: i64 = 1_000;

/// The part of one recording file that goes into an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub segment: Segment,
    /// Wall-clock part of the segment to copy, UTC µs. `from_us` after the segment's start
    /// means the copy begins at the keyframe at or before it; `to_us` before the segment's
    /// end means it stops at the first packet presented at or after it.
    pub from_us: i64,
    pub to_us: i64,
}

impl Piece {
    /// Starts inside the file (so a keyframe at or before `from_us` is looked for).
    pub fn cuts_start(&self) -> bool {
        self.from_us > self.segment.start_us
    }

    /// Ends inside the file.
    pub fn cuts_end(&self) -> bool {
        self.to_us < self.segment.end_us
    }
}

/// What an export of `[from_us, to_us)` of one camera will copy.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPlan {
    pub camera: String,
    pub from_us: i64,
    pub to_us: i64,
    /// In time order, not overlapping; never empty.
    pub pieces: Vec<Piece>,
    /// Unrecorded stretches between pieces, `(start_us, end_us)`; the export leaves them out
    /// (the output's timeline closes them).
    pub gaps: Vec<(i64, i64)>,
    /// Whether the camera's sound, where it was recorded, goes into the export (true
    /// unless the operator leaves it out: `vigil export --no-audio`).
    pub audio: bool,
}

impl ExportPlan {
    /// Recorded time the pieces cover, µs (gaps excluded).
    pub fn covered_us(&self) -> i64 {
        self.pieces.iter().map(|p| p.to_us - p.from_us).sum()
    }

    /// Different recording files used.
    pub fn segments_used(&self) -> usize {
        let mut ids: Vec<i64> = self.pieces.iter().map(|p| p.segment.id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

/// Plans the export of camera `camera`'s recordings in `[from_us, to_us)`.
pub fn plan(
    lib: &Library,
    camera: &str,
    from_us: i64,
    to_us: i64,
) -> Result<ExportPlan, ExportError> {
    if from_us >= to_us {
        return Err(ExportError::EmptyRange {
            from: show_time(from_us),
            to: show_time(to_us),
        });
    }
    let cam = lib.camera_by_name(camera)?;
    let segments = lib.segments(&SegmentQuery {
        camera_id: Some(cam.id),
        from_us: Some(from_us),
        to_us: Some(to_us),
        kind: None,
    })?;
    let (pieces, gaps) = choose(&segments, from_us, to_us);
    if pieces.is_empty() {
        return Err(ExportError::NothingRecorded {
            camera: cam.name.to_string(),
            from: show_time(from_us),
            to: show_time(to_us),
        });
    }
    Ok(ExportPlan {
        camera: cam.name.to_string(),
        from_us,
        to_us,
        pieces,
        gaps,
        audio: true,
    })
}

/// Plans the export of one event: its camera from the event's start to its end (not padded;
/// an event still going on ends now).
pub fn plan_event(lib: &Library, event_id: i64) -> Result<ExportPlan, ExportError> {
    let event = lib
        .event(event_id)?
        .ok_or(ExportError::UnknownEvent(event_id))?;
    let end = event
        .end_us
        .unwrap_or_else(crate::model::time::now_us)
        .max(event.start_us + 1);
    plan(lib, &event.camera, event.start_us, end)
}

/// Picks pieces from `segments` (any order) to cover `[from, to)`: continuous footage
/// first, then event clips in what is left. Returns the pieces in time order and the
/// interior gaps (holes at the very start or end of the range are not gaps: the export
/// just starts later or ends earlier).
pub(crate) fn choose(segments: &[Segment], from: i64, to: i64) -> (Vec<Piece>, Vec<(i64, i64)>) {
    let mut by_start: Vec<&Segment> = segments.iter().filter(|s| s.end_us > s.start_us).collect();
    by_start.sort_by_key(|s| (s.start_us, s.id));
    let mut pieces = Vec::new();
    let mut holes = vec![(from, to)];
    for kind in [SegmentKind::Continuous, SegmentKind::Event] {
        let of_kind: Vec<&Segment> = by_start
            .iter()
            .copied()
            .filter(|s| s.kind == kind)
            .collect();
        holes = holes
            .into_iter()
            .flat_map(|hole| fill(hole, &of_kind, &mut pieces))
            .collect();
    }
    pieces.sort_by_key(|p: &Piece| p.from_us);
    let gaps = holes
        .into_iter()
        .filter(|&(a, b)| a != from && b != to && b - a >= MIN_GAP_US)
        .collect();
    (pieces, gaps)
}

/// Covers one hole `[a, b)` with `segments` (sorted by start), pushing pieces; returns what
/// stays uncovered.
fn fill(hole: (i64, i64), segments: &[&Segment], pieces: &mut Vec<Piece>) -> Vec<(i64, i64)> {
    let (a, b) = hole;
    let mut cursor = a;
    let mut left = Vec::new();
    for seg in segments {
        if seg.end_us <= cursor || seg.start_us >= b {
            continue;
        }
        if seg.start_us > cursor {
            left.push((cursor, seg.start_us));
        }
        let piece_from = seg.start_us.max(cursor);
        let piece_to = seg.end_us.min(b);
        pieces.push(Piece {
            segment: (*seg).clone(),
            from_us: piece_from,
            to_us: piece_to,
        });
        cursor = piece_to;
        if cursor >= b {
            break;
        }
    }
    if cursor < b {
        left.push((cursor, b));
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    fn seg(id: i64, kind: SegmentKind, start_s: i64, end_s: i64) -> Segment {
        Segment {
            id,
            camera_id: 1,
            camera: "yard".into(),
            kind,
            start_us: start_s * S,
            end_us: end_s * S,
            path: format!("/r/{id}.mp4"),
            bytes: 1,
            codec: "h264".into(),
            width: 640,
            height: 360,
            frames: 1,
            event_id: None,
            sha256: None,
            audio_codec: None,
        }
    }

    fn spans(pieces: &[Piece]) -> Vec<(i64, i64, i64)> {
        pieces
            .iter()
            .map(|p| (p.segment.id, p.from_us / S, p.to_us / S))
            .collect()
    }

    #[test]
    fn abutting_continuous_segments_make_one_run_without_gaps() {
        use SegmentKind::Continuous as C;
        let segs = [seg(2, C, 10, 20), seg(1, C, 0, 10), seg(3, C, 20, 30)];
        let (pieces, gaps) = choose(&segs, 5 * S, 25 * S);
        assert_eq!(spans(&pieces), [(1, 5, 10), (2, 10, 20), (3, 20, 25)]);
        assert!(gaps.is_empty());
        assert!(pieces[0].cuts_start() && !pieces[0].cuts_end());
        assert!(!pieces[1].cuts_start() && !pieces[1].cuts_end());
        assert!(pieces[2].cuts_end());
    }

    #[test]
    fn event_clips_fill_only_where_continuous_footage_is_missing() {
        use SegmentKind::{Continuous as C, Event as E};
        // Continuous 0-10 and 20-30; an event clip 5-25 overlaps both and fills the hole;
        // a second clip inside continuous footage is not used.
        let segs = [
            seg(1, C, 0, 10),
            seg(2, C, 20, 30),
            seg(3, E, 5, 25),
            seg(4, E, 22, 24),
        ];
        let (pieces, gaps) = choose(&segs, 0, 30 * S);
        assert_eq!(spans(&pieces), [(1, 0, 10), (3, 10, 20), (2, 20, 30)]);
        assert!(gaps.is_empty());
        assert!(pieces[1].cuts_start() && pieces[1].cuts_end());
    }

    #[test]
    fn gaps_are_interior_holes_only() {
        use SegmentKind::Continuous as C;
        let segs = [seg(1, C, 10, 20), seg(2, C, 23, 30), seg(3, C, 40, 50)];
        let (pieces, gaps) = choose(&segs, 0, 45 * S);
        assert_eq!(spans(&pieces), [(1, 10, 20), (2, 23, 30), (3, 40, 45)]);
        assert_eq!(gaps, [(20 * S, 23 * S), (30 * S, 40 * S)]);
        // A hole shorter than a millisecond is rounding, not a gap.
        let mut tight = seg(2, C, 20, 30);
        tight.start_us += 500;
        let (_, gaps) = choose(&[seg(1, C, 10, 20), tight], 10 * S, 30 * S);
        assert!(gaps.is_empty());
    }

    #[test]
    fn nothing_in_range_gives_no_pieces() {
        use SegmentKind::Continuous as C;
        let (pieces, gaps) = choose(&[seg(1, C, 0, 10)], 10 * S, 20 * S);
        assert!(pieces.is_empty() && gaps.is_empty());
    }

    #[test]
    fn overlapping_continuous_segments_are_not_copied_twice() {
        use SegmentKind::Continuous as C;
        let (pieces, _) = choose(&[seg(1, C, 0, 12), seg(2, C, 10, 20)], 0, 20 * S);
        assert_eq!(spans(&pieces), [(1, 0, 12), (2, 12, 20)]);
    }
}
