//! What an export wrote, and the sentence that says so (shared by the CLI and the app).

use std::path::PathBuf;

/// A finished export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportReport {
    /// The file written (the requested path; `-` for standard output).
    pub path: PathBuf,
    pub camera: String,
    /// The requested range, UTC µs.
    pub requested_from_us: i64,
    pub requested_to_us: i64,
    /// Wall time of the first frame: the keyframe at or before the requested start (or the
    /// first recorded keyframe, when nothing was recorded at the requested start).
    pub starts_at_us: i64,
    /// Wall time just after the last frame.
    pub ends_at_us: i64,
    /// Length of the written file as its MP4 header states it (read back after writing; for
    /// standard output, counted while writing), µs.
    pub duration_us: i64,
    /// Video frames in the written file (read back after writing; for standard output,
    /// counted while writing).
    pub frames: u64,
    /// Unrecorded stretches left out (the file's timeline closes them), UTC µs.
    pub gaps: Vec<(i64, i64)>,
    /// Size of the written file.
    pub bytes: u64,
    /// Recording files the export was copied from.
    pub segments_used: usize,
    /// The signed manifest written beside the file ([`crate::evidence::manifest`]), or why
    /// none could be; `None` when none was asked for (a stream, or before it is sealed).
    pub manifest: Option<Result<Sealed, String>>,
    /// The sound track, in words (`AAC 16000 Hz mono`), when the file has one: the
    /// camera's sound, where it was recorded, remuxed as it was.
    pub audio: Option<String>,
    /// Recorded stretches, UTC µs, whose sound is not in the file because it was recorded
    /// in another format than the file's sound track (the camera's sound was changed).
    pub silent: Vec<(i64, i64)>,
}

impl ExportReport {
    /// How much earlier than requested the file starts, µs (negative: later).
    pub fn lead_in_us(&self) -> i64 {
        self.requested_from_us - self.starts_at_us
    }

    /// Total length of the gaps left out, µs.
    pub fn gaps_us(&self) -> i64 {
        self.gaps.iter().map(|(a, b)| b - a).sum()
    }

    /// One line: "12.4 s (3.1 MB), starts at the keyframe 1.24 s before the requested time;
    /// 1 gap of 3.0 s left out".
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{:.1} s ({:.1} MB), {}",
            self.duration_us as f64 / 1e6,
            self.bytes as f64 / 1e6,
            self.start_sentence()
        );
        if let Some(audio) = &self.audio {
            text.push_str(&format!("; with sound ({audio})"));
        }
        for &(a, b) in &self.silent {
            text.push_str(&format!(
                "; no sound from {} to {} (recorded in another sound format)",
                super::show_time(a),
                super::show_time(b)
            ));
        }
        if !self.gaps.is_empty() {
            let n = self.gaps.len();
            text.push_str(&format!(
                "; {n} gap{} of {} left out",
                if n == 1 { "" } else { "s" },
                seconds(self.gaps_us())
            ));
        }
        // Less than this short of the end is frame rounding, not missing footage.
        const ROUNDING_US: i64 = 100_000;
        if self.requested_to_us - self.ends_at_us > ROUNDING_US {
            text.push_str(&format!(
                "; ends {} before the requested end (no finished recording after it)",
                seconds(self.requested_to_us - self.ends_at_us)
            ));
        }
        text
    }

    fn start_sentence(&self) -> String {
        let lead = self.lead_in_us();
        if lead > 0 {
            format!(
                "starts at the keyframe {} before the requested time",
                seconds(lead)
            )
        } else if lead == 0 {
            "starts exactly at the requested time (a keyframe)".to_string()
        } else {
            format!(
                "starts {} after the requested time (nothing was recorded before it)",
                seconds(-lead)
            )
        }
    }
}

/// "1.24 s" (two decimals under ten seconds, one above).
fn seconds(us: i64) -> String {
    let s = us as f64 / 1e6;
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> ExportReport {
        ExportReport {
            path: PathBuf::from("clip.mp4"),
            camera: "yard".into(),
            requested_from_us: 10_000_000,
            requested_to_us: 25_000_000,
            starts_at_us: 8_760_000,
            ends_at_us: 25_000_000,
            duration_us: 13_240_000,
            frames: 331,
            gaps: vec![(15_000_000, 18_000_000)],
            bytes: 3_100_000,
            segments_used: 2,
            manifest: None,
            audio: None,
            silent: Vec::new(),
        }
    }

    #[test]
    fn summary_says_where_it_starts_and_what_was_left_out() {
        let r = report();
        assert_eq!(
            r.summary(),
            "13.2 s (3.1 MB), starts at the keyframe 1.24 s before the requested time; 1 gap of 3.00 s left out"
        );
        let exact = ExportReport {
            starts_at_us: 10_000_000,
            gaps: vec![],
            ends_at_us: 20_000_000,
            ..report()
        };
        assert_eq!(
            exact.summary(),
            "13.2 s (3.1 MB), starts exactly at the requested time (a keyframe); ends 5.00 s before the requested end (no finished recording after it)"
        );
        let late = ExportReport {
            starts_at_us: 12_500_000,
            ..report()
        };
        assert!(late
            .summary()
            .contains("starts 2.50 s after the requested time"));
    }

    #[test]
    fn summary_says_the_sound_and_where_it_is_missing() {
        let r = ExportReport {
            audio: Some("AAC 16000 Hz mono".into()),
            silent: vec![(1_764_072_000_000_000, 1_764_072_060_000_000)],
            gaps: vec![],
            ..report()
        };
        assert_eq!(
            r.summary(),
            "13.2 s (3.1 MB), starts at the keyframe 1.24 s before the requested time; with sound (AAC 16000 Hz mono); no sound from 2025-11-25T12:00:00Z to 2025-11-25T12:01:00Z (recorded in another sound format)"
        );
    }
}

/// A signed manifest written beside an export (by `crate::evidence::manifest`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sealed {
    pub path: std::path::PathBuf,
    /// The signing key's fingerprint.
    pub fingerprint: String,
}
