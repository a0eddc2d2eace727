//! Confirmation of objects, per zone and label: a label is present once the detector saw it
//! in at least 2 of the last 3 detections that looked at the zone (one lucky frame is not a
//! person); it stays present while it keeps being seen, and goes when it has not been seen
//! for a hold time or the zone's motion ended. Pure: sightings in, verdicts out.

use std::collections::{HashMap, VecDeque};

use crate::model::objects::ObjectBox;

/// Detections remembered per zone and label.
pub const WINDOW: usize = 3;
/// Of those, how many must have seen the label.
pub const NEEDED: usize = 2;
/// How much a score must rise over the best so far to count as a better sighting.
pub const BETTER_BY: f32 = 0.02;

/// The label seen once: when (the picture's time), how surely, where, and the picture it
/// was seen in (`P`: a shared handle, kept for the event's thumbnail).
#[derive(Debug, Clone, PartialEq)]
pub struct Sighting<P> {
    pub at_us: i64,
    pub score: f32,
    pub bbox: ObjectBox,
    pub picture: P,
}

/// What a detection changed for a zone and label.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict<P> {
    /// Confirmed: `first_us` is the earliest sighting of the detections that confirmed it,
    /// `best` the best of them.
    Begin { first_us: i64, best: Sighting<P> },
    /// Already confirmed, and seen with a clearly better score than before.
    Better(Sighting<P>),
}

/// A confirmed object that is gone: its zone and label, when it was last seen and its best
/// score.
#[derive(Debug, Clone, PartialEq)]
pub struct Gone {
    pub zone_id: i64,
    pub label: String,
    pub end_us: i64,
    pub peak: f32,
}

#[derive(Debug)]
struct Present {
    best: f32,
    last_seen_us: i64,
}

#[derive(Debug)]
struct Track<P> {
    window: VecDeque<Option<Sighting<P>>>,
    present: Option<Present>,
    /// When the last confirmed presence ended: a new one starts no earlier.
    last_end_us: Option<i64>,
}

impl<P> Default for Track<P> {
    fn default() -> Self {
        Self {
            window: VecDeque::with_capacity(WINDOW + 1),
            present: None,
            last_end_us: None,
        }
    }
}

/// Confirmation state of every (zone, label) of one camera.
#[derive(Debug)]
pub struct Confirmer<P> {
    tracks: HashMap<(i64, String), Track<P>>,
}

impl<P> Default for Confirmer<P> {
    fn default() -> Self {
        Self {
            tracks: HashMap::new(),
        }
    }
}

impl<P: Clone> Confirmer<P> {
    /// One detection looked at `zone_id` for `label` and saw it (`Some`) or not.
    pub fn observe(
        &mut self,
        zone_id: i64,
        label: &str,
        seen: Option<Sighting<P>>,
    ) -> Option<Verdict<P>> {
        let track = self.tracks.entry((zone_id, label.to_string())).or_default();
        track.window.push_back(seen.clone());
        while track.window.len() > WINDOW {
            track.window.pop_front();
        }
        let seen = seen?;
        if let Some(p) = track.present.as_mut() {
            p.last_seen_us = p.last_seen_us.max(seen.at_us);
            if seen.score >= p.best + BETTER_BY {
                p.best = seen.score;
                return Some(Verdict::Better(seen));
            }
            return None;
        }
        let hits: Vec<&Sighting<P>> = track.window.iter().flatten().collect();
        if hits.len() < NEEDED {
            return None;
        }
        let first_us = hits.iter().map(|s| s.at_us).min().unwrap_or(seen.at_us);
        let best = hits
            .iter()
            .copied()
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .cloned()
            .unwrap_or(seen);
        track.present = Some(Present {
            best: best.score,
            last_seen_us: hits.iter().map(|s| s.at_us).max().unwrap_or(best.at_us),
        });
        Some(Verdict::Begin { first_us, best })
    }

    /// When the zone's label last stopped being present (to start a new presence no earlier).
    pub fn last_end(&self, zone_id: i64, label: &str) -> Option<i64> {
        self.tracks
            .get(&(zone_id, label.to_string()))
            .and_then(|t| t.last_end_us)
    }

    /// Objects not seen for more than `hold_us` before `now_us` are gone.
    pub fn expire(&mut self, now_us: i64, hold_us: i64) -> Vec<Gone> {
        self.end_where(|_, p| now_us.saturating_sub(p.last_seen_us) > hold_us)
    }

    /// The zone's motion ended: its objects are gone (at their last sighting).
    pub fn end_zone(&mut self, zone_id: i64) -> Vec<Gone> {
        let mut gone = self.end_where(|zone, _| zone == zone_id);
        // Its detections start afresh with the next motion.
        for ((zone, _), track) in self.tracks.iter_mut() {
            if *zone == zone_id {
                track.window.clear();
            }
        }
        gone.sort_by(|a, b| a.label.cmp(&b.label));
        gone
    }

    /// Everything is gone (the stream ended); confirmation starts afresh.
    pub fn end_all(&mut self) -> Vec<Gone> {
        let gone = self.end_where(|_, _| true);
        self.tracks.clear();
        gone
    }

    fn end_where(&mut self, mut ends: impl FnMut(i64, &Present) -> bool) -> Vec<Gone> {
        let mut gone = Vec::new();
        for ((zone, label), track) in self.tracks.iter_mut() {
            let Some(p) = track.present.as_ref() else {
                continue;
            };
            if !ends(*zone, p) {
                continue;
            }
            gone.push(Gone {
                zone_id: *zone,
                label: label.clone(),
                end_us: p.last_seen_us,
                peak: p.best,
            });
            track.last_end_us = Some(p.last_seen_us);
            track.present = None;
            track.window.clear();
        }
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(at_s: i64, score: f32) -> Option<Sighting<u32>> {
        Some(Sighting {
            at_us: at_s * 1_000_000,
            score,
            bbox: ObjectBox::from_corners(0.1, 0.1, 0.3, 0.6),
            picture: at_s as u32,
        })
    }

    #[test]
    fn two_of_the_last_three_detections_confirm_one_does_not() {
        let mut c = Confirmer::default();
        assert_eq!(c.observe(1, "person", seen(1, 0.7)), None);
        assert_eq!(c.observe(1, "person", None), None);
        assert_eq!(c.observe(1, "person", None), None);
        // The sighting at 1 s has left the window: this one alone is not enough.
        assert_eq!(c.observe(1, "person", seen(4, 0.8)), None);
        let v = c.observe(1, "person", seen(5, 0.9)).expect("confirmed");
        let Verdict::Begin { first_us, best } = v else {
            panic!("{v:?}")
        };
        assert_eq!(first_us, 4_000_000, "the earliest sighting of the window");
        assert_eq!((best.score, best.picture), (0.9, 5), "the best picture");
    }

    #[test]
    fn zones_and_labels_confirm_separately() {
        let mut c = Confirmer::default();
        assert_eq!(c.observe(1, "person", seen(1, 0.7)), None);
        assert_eq!(c.observe(2, "person", seen(1, 0.7)), None);
        assert_eq!(c.observe(1, "car", seen(2, 0.7)), None);
        assert!(matches!(
            c.observe(1, "person", seen(2, 0.7)),
            Some(Verdict::Begin { .. })
        ));
    }

    #[test]
    fn better_scores_update_and_the_object_goes_after_the_hold() {
        let mut c = Confirmer::default();
        c.observe(1, "person", seen(1, 0.7));
        assert!(c.observe(1, "person", seen(2, 0.7)).is_some());
        // Not clearly better: nothing; clearly better: an update.
        assert_eq!(c.observe(1, "person", seen(3, 0.71)), None);
        let Some(Verdict::Better(s)) = c.observe(1, "person", seen(4, 0.8)) else {
            panic!("a better sighting")
        };
        assert_eq!(s.picture, 4);
        assert_eq!(c.observe(1, "person", None), None);
        assert!(c.expire(9_000_000, 5_000_000).is_empty(), "seen 5 s ago");
        let gone = c.expire(9_000_001, 5_000_000);
        assert_eq!(
            gone,
            [Gone {
                zone_id: 1,
                label: "person".into(),
                end_us: 4_000_000,
                peak: 0.8
            }]
        );
        assert_eq!(c.last_end(1, "person"), Some(4_000_000));
        // Coming back needs a new confirmation.
        assert_eq!(c.observe(1, "person", seen(20, 0.9)), None);
        assert!(c.observe(1, "person", seen(21, 0.9)).is_some());
    }

    #[test]
    fn motion_ending_in_a_zone_ends_only_its_objects() {
        let mut c = Confirmer::default();
        for zone in [1, 2] {
            c.observe(zone, "person", seen(1, 0.7));
            c.observe(zone, "person", seen(2, 0.75));
        }
        let gone = c.end_zone(1);
        assert_eq!(gone.len(), 1);
        assert_eq!((gone[0].zone_id, gone[0].end_us), (1, 2_000_000));
        let rest = c.end_all();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].zone_id, 2);
        assert!(c.end_all().is_empty());
    }
}
