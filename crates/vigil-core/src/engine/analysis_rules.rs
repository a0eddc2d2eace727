//! Which cameras the engine analyses, and how: every recording camera keeps a motion index,
//! some also make motion events, and an index-only camera without a sub-stream is analysed
//! on key frames only. Also the comparisons that decide whether a running camera must restart.

use crate::detect::{ZoneKind, ZoneSpec};
use crate::library::{Library, LibraryError};
use crate::model::{Camera, MotionFrom, OnvifSettings, Policy, RecordMode};

/// Whether a camera runs motion analysis: whenever it records, for the motion index.
pub fn wants_analyzer(policy: &Policy) -> bool {
    policy.mode != RecordMode::Off
}

/// Whether the camera's analyzer makes motion events: when it records events, or has zones
/// drawn, and its motion does not come from the camera alone (ONVIF, [`MotionFrom::Camera`]).
pub fn motion_events(policy: &Policy, zones: &[ZoneSpec], motion: MotionFrom) -> bool {
    motion.from_vigil()
        && wants_analyzer(policy)
        && (policy.mode.records_events() || zones.iter().any(|z| z.kind == ZoneKind::Detect))
}

/// Whether a camera's analyzer looks at key frames only: it only keeps the motion index
/// (makes no events) and would read the main stream (no detect sub-stream), whose full
/// decoding would cost far more than recording it. Its index then has one picture per key
/// frame (every GOP, 1–2 s) instead of five a second.
pub fn index_key_frames_only(events: bool, cam: &Camera) -> bool {
    !events && cam.detect_url.is_none()
}

/// Whether the camera's analyzer, were the engine running it now, would keep its motion index
/// from key frames only ([`index_key_frames_only`]), from its settings in `lib`: what a
/// motion search tells its user about the index's time resolution.
pub fn indexes_key_frames_only(lib: &Library, cam: &Camera) -> Result<bool, LibraryError> {
    let (policy, zones, onvif) = (lib.policy(cam.id)?, lib.zones(cam.id)?, lib.onvif(cam.id)?);
    let events = motion_events(&policy, &zones, motion_from(onvif.as_ref()));
    Ok(wants_analyzer(&policy) && index_key_frames_only(events, cam))
}

/// Where a camera's motion comes from: Vigil's analyzer unless its ONVIF settings say.
pub fn motion_from(onvif: Option<&OnvifSettings>) -> MotionFrom {
    onvif.map_or(MotionFrom::Vigil, |o| o.motion_from)
}

/// Whether two zone lists are the same.
pub fn same_zones(a: &[ZoneSpec], b: &[ZoneSpec]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.id == y.id
                && x.name == y.name
                && x.display_name == y.display_name
                && x.kind == y.kind
                && x.polygon == y.polygon
                && x.sensitivity == y.sensitivity
                && x.min_area == y.min_area
        })
}
