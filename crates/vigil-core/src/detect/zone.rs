//! A zone as the operator defines it: where (polygon), what for (detect or mask), how sensitive.

use serde::Serialize;

use super::polygon::Polygon;
use crate::model::InvalidInput;

/// Default sensitivity, 0..=100.
pub const DEFAULT_SENSITIVITY: u8 = 50;
/// Default minimum changed area, as a fraction of the zone's area (0.5 %).
pub const DEFAULT_MIN_AREA: f32 = 0.005;

/// A detection zone reports motion; a mask is ignored by every zone (trees, a busy road, a
/// clock overlay).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneKind {
    Detect,
    Mask,
}

impl ZoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Detect => "detect",
            ZoneKind::Mask => "mask",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "detect" => Ok(ZoneKind::Detect),
            "mask" => Ok(ZoneKind::Mask),
            other => Err(InvalidInput(format!(
                "zone kind '{other}' is unknown; use detect or mask"
            ))),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ZoneSpec {
    pub id: i64,
    /// The zone's stable identifier (for CLI flags); the name people see is `display_name`.
    pub name: String,
    /// The name people see (any text, NFC); the identifier for zones made before it.
    pub display_name: String,
    pub kind: ZoneKind,
    pub polygon: Polygon,
    /// 0..=100, default 50. Higher sees fainter changes; values above 100 count as 100.
    pub sensitivity: u8,
    /// Fraction of the zone's (unmasked) pixels that must change, default 0.005.
    pub min_area: f32,
}

impl ZoneSpec {
    /// A zone with the default sensitivity and minimum area.
    /// `name` is both its identifier and display name until the library stores it (which
    /// derives an identifier from a name that is not one).
    pub fn new(id: i64, name: impl Into<String>, kind: ZoneKind, polygon: Polygon) -> Self {
        let name = name.into();
        Self {
            id,
            display_name: name.clone(),
            name,
            kind,
            polygon,
            sensitivity: DEFAULT_SENSITIVITY,
            min_area: DEFAULT_MIN_AREA,
        }
    }

    /// Per-pixel grey-level difference (0–255) that counts as a change for this zone.
    pub fn threshold(&self) -> u8 {
        threshold_for(self.sensitivity)
    }

    /// `min_area` made safe to compare with: NaN gives the default, the rest is clamped to 0..=1.
    pub(crate) fn min_area_clamped(&self) -> f32 {
        if self.min_area.is_nan() {
            DEFAULT_MIN_AREA
        } else {
            self.min_area.clamp(0.0, 1.0)
        }
    }
}

/// Maps sensitivity to a per-pixel threshold, piecewise linear through 0 → 60, 50 → 25 and
/// 100 → 8 grey levels (after the blur, so sensor noise is already much reduced).
pub fn threshold_for(sensitivity: u8) -> u8 {
    let s = u32::from(sensitivity.min(100));
    let t = if s <= 50 {
        60 - (s * 35 + 25) / 50
    } else {
        25 - ((s - 50) * 17 + 25) / 50
    };
    t as u8
}

/// Reads a sensitivity from the command line: a whole number from 0 to 100.
pub fn parse_sensitivity(raw: &str) -> Result<u8, InvalidInput> {
    match raw.trim().parse::<u8>() {
        Ok(v) if v <= 100 => Ok(v),
        _ => Err(InvalidInput(format!(
            "sensitivity '{}' must be a whole number from 0 (least) to 100 (most)",
            raw.trim()
        ))),
    }
}

/// Reads a minimum changed area: `"0.5%"` (percent of the zone) or `"0.005"` (a fraction).
pub fn parse_min_area(raw: &str) -> Result<f32, InvalidInput> {
    let text = raw.trim();
    let bad = || {
        InvalidInput(format!(
            "minimum area '{text}' must be a percentage of the zone like 0.5% (or a fraction \
             like 0.005), from 0 to 100%"
        ))
    };
    let value = match text.strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f32>().map_err(|_| bad())? / 100.0,
        None => text.parse::<f32>().map_err(|_| bad())?,
    };
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_follow_sensitivity() {
        assert_eq!(threshold_for(0), 60);
        assert_eq!(threshold_for(50), 25);
        assert_eq!(threshold_for(100), 8);
        assert_eq!(threshold_for(255), 8);
        let all: Vec<u8> = (0..=100).map(threshold_for).collect();
        assert!(all.windows(2).all(|w| w[1] <= w[0]), "{all:?}");
    }

    #[test]
    fn defaults_and_kinds() {
        let z = ZoneSpec::new(3, "porch", ZoneKind::Detect, Polygon::full_frame());
        assert_eq!((z.sensitivity, z.min_area, z.threshold()), (50, 0.005, 25));
        assert_eq!(ZoneKind::parse(" Mask ").unwrap(), ZoneKind::Mask);
        assert_eq!(
            ZoneKind::parse(ZoneKind::Detect.as_str()).unwrap(),
            ZoneKind::Detect
        );
        assert_eq!(
            ZoneKind::parse("ignore").unwrap_err().0,
            "zone kind 'ignore' is unknown; use detect or mask"
        );
        let nan = ZoneSpec {
            min_area: f32::NAN,
            ..z
        };
        assert_eq!(nan.min_area_clamped(), DEFAULT_MIN_AREA);
    }

    #[test]
    fn command_line_values() {
        assert_eq!(parse_sensitivity("75").unwrap(), 75);
        assert!(parse_sensitivity("101")
            .unwrap_err()
            .0
            .contains("0 (least) to 100"));
        assert!(parse_sensitivity("high").is_err());
        assert!((parse_min_area("0.5%").unwrap() - 0.005).abs() < 1e-7);
        assert!((parse_min_area(" 2 % ").unwrap() - 0.02).abs() < 1e-7);
        assert!((parse_min_area("0.01").unwrap() - 0.01).abs() < 1e-7);
        assert_eq!(
            parse_min_area("150%").unwrap_err().0,
            "minimum area '150%' must be a percentage of the zone like 0.5% (or a fraction \
             like 0.005), from 0 to 100%"
        );
        assert!(parse_min_area("lots").is_err());
        assert!(parse_min_area("-1%").is_err());
    }
}
