//! Motion detection, pure: grey frames and zones in, per-zone activity and event edges out.
//!
//! `polygon` (validated zone outlines) → `raster` (their pixels at one frame size) → `motion`
//! (blur, `background` difference, per-zone counts, `hysteresis`). No FFmpeg, threads or I/O.

mod background;
mod blur;
pub mod cells;
mod geometry;
mod hysteresis;
pub mod motion;
pub mod polygon;
pub mod raster;
pub mod region;
#[cfg(test)]
mod scene;
pub mod zone;

pub use background::DEFAULT_LEARN_RATE;
pub use cells::CellMask;
pub use motion::{
    Detection, DetectorConfig, GrayFrame, MotionChange, MotionDetector, ZoneActivity,
    FRAME_ZONE_ID, FRAME_ZONE_NAME,
};
pub use polygon::Polygon;
pub use raster::{Raster, Span};
pub use zone::{
    parse_min_area, parse_sensitivity, threshold_for, ZoneKind, ZoneSpec, DEFAULT_MIN_AREA,
    DEFAULT_SENSITIVITY,
};
