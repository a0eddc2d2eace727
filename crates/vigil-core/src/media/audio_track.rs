//! A segment's audio timeline: audio packets placed by their wall-clock time on the video's
//! place in the file (the latest video frame's wall time and file time: the file's time 0 is
//! its first video frame's wall time, and where the writer closed up a jump in the camera's
//! video timestamps the sound follows the picture), back to back while they follow on, never
//! overlapping, never before the file's start. A packet that
//! would go backwards, or that claims a time well past the video it came with (broken
//! timestamps), is dropped and counted, never written. Pure logic, ticks of the audio track.

/// Audio further ahead of the latest video than this is a broken timestamp, µs.
pub const MAX_AHEAD_US: i64 = 1_000_000;

/// A packet within this of where the previous one ended follows on (rounding, clock
/// nudges): it is placed exactly there, µs (at least; half a packet when that is more).
const FOLLOW_ON_US: i64 = 5_000;

/// Duration assumed for packets that do not say theirs, before any did, µs.
const DEFAULT_FRAME_US: i64 = 20_000;

/// Where an audio packet goes in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Write it at `pts` (ticks, also its DTS) lasting `duration` ticks.
    Write { pts: i64, duration: i64 },
    /// Before the file's first video frame (it belongs to the previous file): not written.
    Early,
    /// Broken timestamp (backwards, overlapping, or far ahead of the video): not written.
    Broken,
}

#[derive(Debug, Clone)]
pub struct AudioPlacer {
    /// The audio track's time base, (numerator, denominator).
    tb: (i32, i32),
    /// Wall-clock time of the file's time 0 as the latest video frame puts it, UTC µs:
    /// known at the first video frame.
    zero_wall_us: Option<i64>,
    /// Wall-clock time of the latest video frame written, UTC µs.
    video_wall_us: i64,
    /// Where the previous packet ended, ticks.
    next: Option<i64>,
    last_duration: i64,
    broken: u64,
}

impl AudioPlacer {
    pub fn new(time_base: (i32, i32)) -> Self {
        let tb = (time_base.0.max(1), time_base.1.max(1));
        Self {
            tb,
            zero_wall_us: None,
            video_wall_us: i64::MIN,
            next: None,
            last_duration: 0,
            broken: 0,
        }
    }

    /// Packets dropped for broken timestamps so far.
    pub fn broken(&self) -> u64 {
        self.broken
    }

    /// A video frame was written: presented at `wall_us`, at `file_pts_us` in the file.
    /// (The writer may have placed it off its wall time: a jump in the camera's timestamps,
    /// such as the one when an RTSP stream goes over to the sender's clock, is closed up in
    /// the file. The sound after it goes where the picture went.)
    pub fn video(&mut self, wall_us: i64, file_pts_us: i64) {
        self.zero_wall_us = Some(wall_us.saturating_sub(file_pts_us));
        self.video_wall_us = self.video_wall_us.max(wall_us);
    }

    /// Places a packet presented at `wall_us` lasting `duration` ticks (0: unknown).
    pub fn place(&mut self, wall_us: i64, duration: i64) -> Placement {
        let Some(zero) = self.zero_wall_us else {
            return Placement::Early;
        };
        if wall_us > self.video_wall_us.saturating_add(MAX_AHEAD_US) {
            self.broken += 1;
            return Placement::Broken;
        }
        let rel_us = wall_us.saturating_sub(zero);
        if rel_us < 0 {
            return Placement::Early;
        }
        let duration = if duration > 0 {
            duration
        } else if self.last_duration > 0 {
            self.last_duration
        } else {
            self.us_to_ticks(DEFAULT_FRAME_US).max(1)
        };
        let mut at = self.us_to_ticks(rel_us);
        if let Some(next) = self.next {
            let slack = self.us_to_ticks(FOLLOW_ON_US).max(duration / 2);
            if at < next.saturating_sub(slack) {
                self.broken += 1;
                return Placement::Broken;
            }
            if at <= next.saturating_add(slack) {
                at = next;
            }
            // Later than that: a gap in the sound (packets lost), written as such.
        }
        self.next = Some(at.saturating_add(duration));
        self.last_duration = duration;
        Placement::Write { pts: at, duration }
    }

    fn us_to_ticks(&self, us: i64) -> i64 {
        let v = i128::from(us) * i128::from(self.tb.1) / (1_000_000 * i128::from(self.tb.0));
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000_000;
    /// AAC at 16 kHz: 1024 samples = 64 ms.
    const FRAME: i64 = 1024;

    fn placer() -> AudioPlacer {
        let mut p = AudioPlacer::new((1, 16_000));
        p.video(T0, 0);
        p.video(T0 + 10_000_000, 10_000_000);
        p
    }

    #[test]
    fn packets_follow_on_from_the_first_video_frame() {
        let mut p = placer();
        // 64 000 µs per packet, with a microsecond of rounding here and there.
        assert_eq!(
            p.place(T0 + 128_001, FRAME),
            Placement::Write {
                pts: 2048,
                duration: FRAME
            }
        );
        assert_eq!(
            p.place(T0 + 191_999, FRAME),
            Placement::Write {
                pts: 3072,
                duration: FRAME
            }
        );
        // Duration unknown: the previous one's.
        assert_eq!(
            p.place(T0 + 256_000, 0),
            Placement::Write {
                pts: 4096,
                duration: FRAME
            }
        );
        assert_eq!(p.broken(), 0);
    }

    #[test]
    fn audio_before_the_file_start_or_before_any_video_is_not_written() {
        let mut p = AudioPlacer::new((1, 16_000));
        assert_eq!(p.place(T0, FRAME), Placement::Early);
        p.video(T0, 0);
        assert_eq!(p.place(T0 - 30_000, FRAME), Placement::Early);
        assert!(matches!(
            p.place(T0 + 34_000, FRAME),
            Placement::Write { .. }
        ));
        assert_eq!(p.broken(), 0);
    }

    #[test]
    fn backwards_overlapping_and_far_ahead_packets_are_dropped_and_counted() {
        let mut p = placer();
        assert!(matches!(
            p.place(T0, FRAME),
            Placement::Write { pts: 0, .. }
        ));
        assert!(matches!(
            p.place(T0 + 64_000, FRAME),
            Placement::Write { pts: 1024, .. }
        ));
        assert_eq!(p.place(T0 + 64_000, FRAME), Placement::Broken); // repeated
        assert_eq!(p.place(T0 + 32_000, FRAME), Placement::Broken); // backwards
        assert_eq!(p.place(T0 + 3_600_000_000, FRAME), Placement::Broken); // an hour ahead
        assert_eq!(p.place(i64::MAX, FRAME), Placement::Broken);
        assert_eq!(p.place(i64::MIN, FRAME), Placement::Early);
        // The stream carries on where it was.
        assert!(matches!(
            p.place(T0 + 128_000, FRAME),
            Placement::Write { pts: 2048, .. }
        ));
        assert_eq!(p.broken(), 4);
    }

    #[test]
    fn a_lost_packet_leaves_a_gap() {
        let mut p = placer();
        assert!(matches!(
            p.place(T0, FRAME),
            Placement::Write { pts: 0, .. }
        ));
        assert!(matches!(
            p.place(T0 + 128_000, FRAME),
            Placement::Write { pts: 2048, .. }
        ));
    }

    #[test]
    fn sound_follows_the_picture_where_the_writer_closed_up_a_jump() {
        // 25 fps; at 2 s the camera's video timestamps jump 80 ms ahead (its stream went
        // over to the sender's clock), and the writer kept the frames 40 ms apart.
        let mut p = AudioPlacer::new((1, 16_000));
        p.video(T0, 0);
        p.video(T0 + 1_960_000, 1_960_000);
        p.video(T0 + 2_080_000, 2_000_000);
        // Sound at the jumped frame's wall time goes with that frame in the file.
        assert!(matches!(
            p.place(T0 + 2_080_000, FRAME),
            Placement::Write { pts: 32_000, .. }
        ));
    }

    #[test]
    fn the_zero_follows_the_first_frame_presentation() {
        // First video frame presented 80 ms into the file (B-frames): audio at its wall time
        // goes 80 ms in as well.
        let mut p = AudioPlacer::new((1, 48_000));
        p.video(T0, 80_000);
        assert!(matches!(
            p.place(T0, 960),
            Placement::Write { pts: 3840, .. }
        ));
    }
}
