//! A tour: a named list of steps (a saved layout, or one camera full screen) that the live
//! view cycles through, each shown for the tour's dwell time.

use serde::{Deserialize, Serialize};

use super::InvalidInput;

/// The shortest and longest time a tour step may show, seconds.
pub const DWELL_RANGE_S: (f64, f64) = (2.0, 3600.0);

/// One step of a tour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "show", content = "id", rename_all = "lowercase")]
pub enum TourStep {
    /// A saved layout, by its id.
    Layout(i64),
    /// One camera full screen, by its id.
    Camera(i64),
}

/// A tour as saved in the library.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tour {
    pub id: i64,
    pub name: String,
    pub steps: Vec<TourStep>,
    /// How long each step shows, seconds (within [`DWELL_RANGE_S`]).
    pub dwell_s: f64,
    pub updated_us: i64,
}

/// Checks a dwell time in seconds.
pub fn check_dwell(seconds: f64) -> Result<f64, InvalidInput> {
    let (lo, hi) = DWELL_RANGE_S;
    if !(lo..=hi).contains(&seconds) {
        return Err(InvalidInput(format!(
            "a tour step shows for {lo}–{hi} seconds, not {seconds}"
        )));
    }
    Ok(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_stored_as_tagged_json_and_dwell_is_bounded() {
        let steps = vec![TourStep::Layout(3), TourStep::Camera(7)];
        let json = serde_json::to_string(&steps).expect("json");
        assert_eq!(
            json,
            r#"[{"show":"layout","id":3},{"show":"camera","id":7}]"#
        );
        let back: Vec<TourStep> = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, steps);
        assert!(check_dwell(10.0).is_ok());
        assert!(check_dwell(0.5).is_err());
        assert!(check_dwell(f64::NAN).is_err());
    }
}
