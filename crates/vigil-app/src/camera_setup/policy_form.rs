//! The recording-policy editor's fields in operator units (durations like `30s` or `5m`,
//! days, GB) and their checks: each field's problem in words, the bounds the engine needs
//! (pre-event within the memory bound at the measured bitrate), and the [`Policy`] they make.
//! No drawing here.

use super::estimate::{bitrate, max_pre_event_s, prebuffer_bytes};
use crate::text;
use crate::tr;
pub use vigil_core::model::policy::{MAX_CLIP_S, MAX_POST_EVENT_S, MAX_PRE_EVENT_S};
use vigil_core::model::policy::{MAX_SEGMENT_S, MIN_SEGMENT_S};
use vigil_core::model::time::parse_duration_us;
use vigil_core::model::{Policy, RecordMode};

/// Memory one camera's pre-event buffer may take at its measured bitrate, bytes.
pub const PREBUFFER_LIMIT_BYTES: f64 = 200e6;
/// The editor asks for at least this much clip (the engine takes 1 s, for tests).
pub const MIN_CLIP_S: u32 = 10;
const MAX_DAYS: f64 = 36_500.0;

/// A field of the policy editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Segment,
    KeepDays,
    MaxGb,
    PreEvent,
    PostEvent,
    MaxClip,
    EventDays,
}

impl Field {
    /// Whether the field means anything in `mode` (the others are shown disabled).
    pub fn applies_to(self, mode: RecordMode) -> bool {
        match self {
            Field::Segment | Field::KeepDays | Field::MaxGb => mode.records_continuously(),
            Field::PreEvent | Field::PostEvent | Field::MaxClip | Field::EventDays => {
                mode.records_events()
            }
        }
    }
}

/// What the operator has typed into the policy editor.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyForm {
    /// The policy the form started from: fields that do not apply to the mode keep its values.
    base: Policy,
    pub mode: RecordMode,
    pub segment: String,
    pub keep_days: String,
    /// Empty: no cap.
    pub max_gb: String,
    pub pre_event: String,
    pub post_event: String,
    pub max_clip: String,
    pub event_days: String,
}

/// The result of checking the form: the policy it makes (fields with problems keep the
/// starting values, so an estimate can still be shown) and the problems.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyCheck {
    pub policy: Policy,
    /// Problems by field; `None` for the policy as a whole.
    pub errors: Vec<(Option<Field>, String)>,
}

impl PolicyCheck {
    pub fn error(&self, field: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == Some(field))
            .map(|(_, e)| e.as_str())
    }

    /// The first problem, for the line next to Save.
    pub fn first_error(&self) -> Option<&str> {
        self.errors.first().map(|(_, e)| e.as_str())
    }

    /// The policy to store, or the first problem.
    pub fn result(&self) -> Result<Policy, String> {
        match self.first_error() {
            Some(e) => Err(e.to_string()),
            None => Ok(self.policy.clone()),
        }
    }
}

impl PolicyForm {
    pub fn from_policy(p: &Policy) -> Self {
        Self {
            base: p.clone(),
            mode: p.mode,
            segment: duration(p.segment_s),
            keep_days: number(p.retain_days),
            max_gb: p
                .max_bytes
                .map(|b| number(b as f64 / 1e9))
                .unwrap_or_default(),
            pre_event: duration(p.pre_event_s),
            post_event: duration(p.post_event_s),
            max_clip: duration(p.max_clip_s),
            event_days: number(p.event_retain_days),
        }
    }

    /// Checks every field that applies to the mode; `bitrate_bps` (when measured) bounds the
    /// pre-event time by the memory its buffer would take.
    pub fn check(&self, bitrate_bps: Option<f64>) -> PolicyCheck {
        let mut c = Checker {
            mode: self.mode,
            errors: Vec::new(),
        };
        let b = &self.base;
        let mut policy = Policy {
            mode: self.mode,
            segment_s: c.seconds(
                Field::Segment,
                &self.segment,
                MIN_SEGMENT_S..=MAX_SEGMENT_S,
                b.segment_s,
            ),
            retain_days: c.days(Field::KeepDays, &self.keep_days, b.retain_days),
            max_bytes: c.gigabytes(&self.max_gb, b.max_bytes),
            pre_event_s: c.seconds(
                Field::PreEvent,
                &self.pre_event,
                0..=MAX_PRE_EVENT_S,
                b.pre_event_s,
            ),
            post_event_s: c.seconds(
                Field::PostEvent,
                &self.post_event,
                0..=MAX_POST_EVENT_S,
                b.post_event_s,
            ),
            max_clip_s: c.seconds(
                Field::MaxClip,
                &self.max_clip,
                MIN_CLIP_S..=MAX_CLIP_S,
                b.max_clip_s,
            ),
            event_retain_days: c.days(Field::EventDays, &self.event_days, b.event_retain_days),
        };
        if self.mode.records_events() {
            c.pre_event_fits(&mut policy, bitrate_bps, b.pre_event_s);
        }
        if c.errors.is_empty() {
            if let Err(e) = policy.validate() {
                c.errors.push((None, e.0));
            }
        }
        PolicyCheck {
            policy,
            errors: c.errors,
        }
    }
}

/// Parses fields one by one, collecting problems for the fields that apply to the mode.
struct Checker {
    mode: RecordMode,
    errors: Vec<(Option<Field>, String)>,
}

impl Checker {
    /// The parsed value, or `fallback` (with a problem noted when the field applies).
    fn take<T>(&mut self, field: Field, parsed: Result<T, String>, fallback: T) -> T {
        match parsed {
            Ok(v) => v,
            Err(e) => {
                if field.applies_to(self.mode) {
                    self.errors.push((Some(field), e));
                }
                fallback
            }
        }
    }

    fn seconds(
        &mut self,
        field: Field,
        raw: &str,
        range: std::ops::RangeInclusive<u32>,
        fallback: u32,
    ) -> u32 {
        let parsed = parse_duration_us(raw)
            .map_err(|e| e.0)
            .map(|us| (us as f64 / 1e6).round().min(f64::from(u32::MAX)) as u32)
            .and_then(|s| {
                if range.contains(&s) {
                    Ok(s)
                } else {
                    Err(tr!(
                        "setup-out-of-range",
                        value = duration(s),
                        min = duration(*range.start()),
                        max = duration(*range.end())
                    ))
                }
            });
        self.take(field, parsed, fallback)
    }

    fn days(&mut self, field: Field, raw: &str, fallback: f64) -> f64 {
        let parsed = match raw.trim().parse::<f64>() {
            Ok(d) if d.is_finite() && d > 0.0 && d <= MAX_DAYS => Ok(d),
            Ok(_) => Err(tr!("setup-days-range", max = format!("{MAX_DAYS:.0}"))),
            Err(_) => Err(tr!("setup-not-days", raw = raw.trim())),
        };
        self.take(field, parsed, fallback)
    }

    fn gigabytes(&mut self, raw: &str, fallback: Option<u64>) -> Option<u64> {
        let raw = raw.trim();
        let parsed = if raw.is_empty() {
            Ok(None)
        } else {
            match raw.parse::<f64>() {
                Ok(gb) if gb.is_finite() && gb > 0.0 && gb <= 1e9 => {
                    Ok(Some((gb * 1e9).round() as u64))
                }
                Ok(_) => Err(tr!("setup-gb-range")),
                Err(_) => Err(tr!("setup-not-gb", raw = raw)),
            }
        };
        self.take(Field::MaxGb, parsed, fallback)
    }

    /// The pre-event buffer must fit in memory at the measured bitrate, and a clip must be
    /// longer than its pre-event part.
    fn pre_event_fits(&mut self, policy: &mut Policy, bitrate_bps: Option<f64>, fallback: u32) {
        if self.errors.iter().any(|(f, _)| *f == Some(Field::PreEvent)) {
            return;
        }
        if let Some(bps) = bitrate_bps.filter(|b| b.is_finite() && *b > 0.0) {
            let bytes = prebuffer_bytes(policy.pre_event_s, bps);
            if bytes > PREBUFFER_LIMIT_BYTES {
                self.errors.push((
                    Some(Field::PreEvent),
                    tr!(
                        "setup-prebuffer-too-big",
                        pre = duration(policy.pre_event_s),
                        size = text::bytes(bytes as u64),
                        bitrate = bitrate(bps),
                        limit = text::bytes(PREBUFFER_LIMIT_BYTES as u64),
                        max = duration(max_pre_event_s(PREBUFFER_LIMIT_BYTES, bps))
                    ),
                ));
                policy.pre_event_s = fallback;
                return;
            }
        }
        let clip_has_error = self.errors.iter().any(|(f, _)| *f == Some(Field::MaxClip));
        if !clip_has_error && policy.max_clip_s <= policy.pre_event_s {
            self.errors.push((
                Some(Field::MaxClip),
                tr!("setup-clip-longer", pre = duration(policy.pre_event_s)),
            ));
        }
    }
}

/// Seconds as the shortest duration text that parses back: "45s", "5m", "1h", "1h30m".
pub fn duration(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// A number without trailing zeros: "7", "0.5", "200".
fn number(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR_MBIT: Option<f64> = Some(4_000_000.0);

    fn form(mode: RecordMode) -> PolicyForm {
        PolicyForm {
            mode,
            ..PolicyForm::from_policy(&Policy::default())
        }
    }

    #[test]
    fn the_default_policy_round_trips_through_the_fields() {
        let f = PolicyForm::from_policy(&Policy::default());
        assert_eq!(
            (
                f.segment.as_str(),
                f.pre_event.as_str(),
                f.max_clip.as_str()
            ),
            ("1m", "10s", "5m")
        );
        assert_eq!((f.keep_days.as_str(), f.max_gb.as_str()), ("7", ""));
        let check = f.check(FOUR_MBIT);
        assert_eq!(check.errors, []);
        assert_eq!(check.result().unwrap(), Policy::default());
    }

    #[test]
    fn operator_units_become_the_stored_policy() {
        let mut f = form(RecordMode::Both);
        f.segment = "90".into();
        f.keep_days = "14".into();
        f.max_gb = "250.5".into();
        f.pre_event = "20s".into();
        f.post_event = "1m".into();
        f.max_clip = "45m".into();
        f.event_days = "0.5".into();
        let p = f.check(None).result().unwrap();
        assert_eq!(
            p,
            Policy {
                mode: RecordMode::Both,
                segment_s: 90,
                retain_days: 14.0,
                max_bytes: Some(250_500_000_000),
                pre_event_s: 20,
                post_event_s: 60,
                max_clip_s: 2700,
                event_retain_days: 0.5,
            }
        );
        // And back: the fields show the stored policy.
        let back = PolicyForm::from_policy(&p);
        assert_eq!(
            (back.max_gb.as_str(), back.segment.as_str()),
            ("250.5", "1m30s")
        );
    }

    #[test]
    fn each_bad_field_is_named_next_to_it() {
        let mut f = form(RecordMode::Both);
        f.segment = "1s".into();
        f.keep_days = "0".into();
        f.max_gb = "lots".into();
        f.post_event = "soon".into();
        f.event_days = "-3".into();
        let c = f.check(None);
        assert!(c.error(Field::Segment).unwrap().contains("use 2s to 1h"));
        assert!(c.error(Field::KeepDays).unwrap().contains("more than 0"));
        assert!(c
            .error(Field::MaxGb)
            .unwrap()
            .contains("not a number of GB"));
        assert!(c
            .error(Field::PostEvent)
            .unwrap()
            .contains("not a duration"));
        assert!(c.error(Field::EventDays).is_some());
        assert!(c.result().is_err());
    }

    #[test]
    fn fields_that_do_not_apply_to_the_mode_are_not_held_against_it() {
        let mut f = form(RecordMode::Continuous);
        f.pre_event = "forever".into();
        f.max_clip = "1s".into();
        let p = f.check(FOUR_MBIT).result().unwrap();
        assert_eq!(p.pre_event_s, 10, "the starting value is kept");
        assert_eq!(p.max_clip_s, 300);
        f.mode = RecordMode::Events;
        let c = f.check(FOUR_MBIT);
        assert!(c.error(Field::PreEvent).is_some() && c.error(Field::MaxClip).is_some());
        f.mode = RecordMode::Off;
        f.segment = "0".into();
        assert!(f.check(None).result().is_ok());
        assert!(!Field::Segment.applies_to(RecordMode::Events));
        assert!(Field::PreEvent.applies_to(RecordMode::Both));
    }

    #[test]
    fn pre_event_stays_within_the_memory_bound() {
        let mut f = form(RecordMode::Events);
        f.pre_event = "121s".into();
        let c = f.check(None);
        assert!(c.error(Field::PreEvent).unwrap().contains("use 0s to 2m"));
        // 100 s + 3 s at 16 Mbit/s is 206 MB: over the 200 MB bound.
        f.pre_event = "100s".into();
        let c = f.check(Some(16_000_000.0));
        let e = c.error(Field::PreEvent).unwrap();
        assert!(e.contains("≈ 206 MB in memory at 16.0 Mbit/s"), "{e}");
        assert!(e.contains("at most 1m37s at this bitrate"), "{e}");
        // The same at 4 Mbit/s fits.
        assert!(f.check(FOUR_MBIT).result().is_ok());
        // A clip must be longer than its pre-event part.
        f.max_clip = "60s".into();
        let c = f.check(FOUR_MBIT);
        assert!(c
            .error(Field::MaxClip)
            .unwrap()
            .contains("longer than the pre-event"));
    }

    #[test]
    fn shown_durations_parse_back() {
        use proptest::prelude::*;
        proptest!(|(secs in any::<u32>())| {
            let us = parse_duration_us(&duration(secs));
            prop_assert_eq!(us, Ok(i64::from(secs) * 1_000_000));
        });
    }

    #[test]
    fn durations_are_shown_short() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(5400), "1h30m");
        assert_eq!(duration(3661), "1h1m1s");
        assert_eq!(number(7.0), "7");
        assert_eq!(number(0.25), "0.25");
    }
}
