//! Which timeline query the panel needs: the window widened and snapped so small pans, the
//! live slide and small zooms reuse the last answer — never a new query per frame while
//! nothing changed. The query runs on the service's timeline feed.

use super::view::{TimeAxis, TimelineView};
use vigil_core::service::TimelineQuery;

/// The query for `view` drawn over `axis`: the window widened by a quarter of its span on
/// each side and snapped to a sixteenth of it (a power of two), so small pans and the live
/// slide reuse the answer; one point's time snapped down to a power of two as `min_gap_us`,
/// so a zoom re-reads only every few wheel notches.
pub fn wanted_query(view: &TimelineView, axis: &TimeAxis, camera_ids: &[i64]) -> TimelineQuery {
    let span = view.span_us();
    let quantum = pow2_at_least(span / 16);
    let from = (view.start_us - span / 4).div_euclid(quantum) * quantum;
    let to = (view.end_us + span / 4).div_euclid(quantum) * quantum + quantum;
    TimelineQuery {
        camera_ids: camera_ids.to_vec(),
        from_us: from,
        to_us: to,
        min_gap_us: pow2_at_most(axis.us_per_px() as i64),
    }
}

/// Whether the answer to `have` still serves `want` (same cameras and resolution, and the
/// visible window inside it).
pub fn still_serves(have: &TimelineQuery, want: &TimelineQuery, view: &TimelineView) -> bool {
    have.camera_ids == want.camera_ids
        && have.min_gap_us == want.min_gap_us
        && have.from_us <= view.start_us
        && have.to_us >= view.end_us
}

fn pow2_at_least(v: i64) -> i64 {
    let v = v.max(1) as u64;
    i64::try_from(v.next_power_of_two()).unwrap_or(i64::MAX)
}

fn pow2_at_most(v: i64) -> i64 {
    let v = v.max(1) as u64;
    1 << (63 - v.leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000_000;
    const HOUR: i64 = 3_600_000_000;

    fn view(start: i64, span: i64) -> TimelineView {
        TimelineView {
            start_us: start,
            end_us: start + span,
            playhead_us: Some(start),
            selection: None,
            follow_live: false,
        }
    }

    #[test]
    fn small_pans_reuse_the_answer_and_zoom_rereads_every_few_notches() {
        let v = view(NOW, HOUR);
        let axis = TimeAxis::new(&v, 0.0, 1600.0);
        let q = wanted_query(&v, &axis, &[1, 2]);
        assert!(q.from_us <= NOW - HOUR / 4 && q.to_us >= NOW + HOUR + HOUR / 4);
        assert!(q.to_us - q.from_us < 2 * HOUR);
        assert_eq!(q.min_gap_us, 2_097_152, "2.25 s a point → 2^21 µs");
        // Ten minutes later (a pan, or the live slide) the same answer still serves.
        let moved = view(NOW + 10 * 60_000_000, HOUR);
        let want = wanted_query(&moved, &axis, &[1, 2]);
        assert!(still_serves(&q, &want, &moved));
        // Half an hour later it does not.
        let far = view(NOW + HOUR / 2, HOUR);
        assert!(!still_serves(&q, &wanted_query(&far, &axis, &[1, 2]), &far));
        // A little closer keeps the resolution (2.14 s a point); more changes it.
        let mut z = v.clone();
        z.zoom_about(NOW + HOUR / 2, 1.05);
        let za = TimeAxis::new(&z, 0.0, 1600.0);
        assert!(still_serves(&q, &wanted_query(&z, &za, &[1, 2]), &z));
        z.zoom_about(NOW + HOUR / 2, 1.25 * 1.25);
        let za = TimeAxis::new(&z, 0.0, 1600.0);
        assert!(!still_serves(&q, &wanted_query(&z, &za, &[1, 2]), &z));
        // Other cameras: a new query.
        assert!(!still_serves(&q, &wanted_query(&v, &axis, &[1]), &v));
    }

    #[test]
    fn powers_of_two() {
        assert_eq!(pow2_at_least(0), 1);
        assert_eq!(pow2_at_least(1000), 1024);
        assert_eq!(pow2_at_most(1000), 512);
        assert_eq!(pow2_at_most(1024), 1024);
    }
}
