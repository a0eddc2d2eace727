//! Which of a camera's streams a tile shows: the sub-stream while the tile is small, the main
//! stream once it is large (wider in physical pixels than [`TO_MAIN`] × the sub-stream's
//! picture width, back below [`TO_SUB`] × — the band between keeps whatever is shown, so a
//! resize near the threshold does not flap), and the main stream while the sub-stream fails.

use vigil_core::service::{CameraStatus, LiveStream};

/// Main stream above this many sub-stream widths.
pub const TO_MAIN: f32 = 1.5;
/// Back to the sub-stream below this many sub-stream widths.
pub const TO_SUB: f32 = 1.2;

/// What the status says of a camera's sub-stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubState {
    /// The camera has no sub-stream.
    None,
    /// It has one: its picture width when known (0 before it connected), and why it fails
    /// while it is not connected after an error.
    Some { width: u32, problem: Option<String> },
}

impl SubState {
    pub fn of(c: &CameraStatus) -> Self {
        match &c.sub {
            None => SubState::None,
            Some(s) => SubState::Some {
                width: s.width,
                problem: s.problem().map(str::to_string),
            },
        }
    }
}

/// The stream for a tile `tile_width` physical pixels wide, now showing `current`, with a
/// sub-stream `sub_width` pixels wide (0: unknown yet, start small).
pub fn by_size(tile_width: u32, sub_width: u32, current: Option<LiveStream>) -> LiveStream {
    if sub_width == 0 {
        return current.unwrap_or(LiveStream::Sub);
    }
    let (w, sub) = (tile_width as f32, sub_width as f32);
    match current {
        Some(LiveStream::Main) if w >= TO_SUB * sub => LiveStream::Main,
        Some(LiveStream::Main) => LiveStream::Sub,
        _ if w > TO_MAIN * sub => LiveStream::Main,
        _ => LiveStream::Sub,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LiveStream::{Main, Sub};

    #[test]
    fn large_tiles_get_the_main_stream_with_a_band_that_keeps_what_is_shown() {
        // A 320-pixel sub-stream: main above 480, sub again below 384.
        assert_eq!(by_size(300, 320, None), Sub);
        assert_eq!(by_size(481, 320, None), Main);
        assert_eq!(by_size(480, 320, Some(Sub)), Sub);
        assert_eq!(by_size(481, 320, Some(Sub)), Main);
        for w in [384, 420, 480, 1000] {
            assert_eq!(by_size(w, 320, Some(Main)), Main, "{w}");
        }
        assert_eq!(by_size(383, 320, Some(Main)), Sub);
        for w in [383, 420, 480] {
            assert_eq!(by_size(w, 320, Some(Sub)), Sub, "{w}");
        }
    }

    #[test]
    fn an_unknown_sub_stream_width_starts_small_and_keeps_what_is_shown() {
        assert_eq!(by_size(2000, 0, None), Sub);
        assert_eq!(by_size(2000, 0, Some(Main)), Main);
    }
}
