//! The web playback benchmark's figures and table.

use std::fmt::{self, Display, Formatter};

use super::TARGET_P95_MS;
use crate::seek::Latencies;
use crate::timeline::Generated;

/// Everything `vigil bench web-playback` measured; `Display` prints the table.
#[derive(Debug, Clone)]
pub struct WebPlaybackReport {
    pub library: Generated,
    pub starts: usize,
    /// Play endpoint: request → headers; request → first whole fragment; the ffmpeg baseline.
    pub rows: Vec<Latencies>,
    /// The camera page in Chromium: address → frame shown; or why it was not measured.
    pub browser: Result<Latencies, String>,
}

impl WebPlaybackReport {
    pub fn new(
        library: Generated,
        starts: usize,
        [headers, fragment, ffmpeg]: [Vec<f64>; 3],
        browser: Result<Vec<f64>, String>,
    ) -> Self {
        let rows = vec![
            Latencies::new(
                "Vigil play endpoint: request → answer headers".into(),
                headers,
            ),
            Latencies::new(
                "Vigil play endpoint: request → first whole fragment".into(),
                fragment,
            ),
            Latencies::new(
                "baseline ffmpeg -ss … -c copy to fMP4 on a pipe → first fragment".into(),
                ffmpeg,
            ),
        ];
        let browser = browser.map(|ms| {
            Latencies::new(
                "Chromium camera page: #/camera/…?at= → that frame shown".into(),
                ms,
            )
        });
        Self {
            library,
            starts,
            rows,
            browser,
        }
    }

    /// Whether the page's p95 is under the target (false when not measured).
    pub fn met(&self) -> bool {
        matches!(&self.browser, Ok(l) if !l.ms.is_empty() && l.quantile(0.95) < TARGET_P95_MS)
    }
}

fn row(f: &mut Formatter<'_>, l: &Latencies) -> fmt::Result {
    writeln!(
        f,
        "  {:<70} {:>8.1} {:>8.1} {:>8.1} {:>5}",
        l.label,
        l.quantile(0.5),
        l.quantile(0.95),
        l.ms.last().copied().unwrap_or(f64::NAN),
        l.ms.len()
    )
}

impl Display for WebPlaybackReport {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let g = &self.library;
        writeln!(
            f,
            "library: {} segments, {} events, {} cameras, database {:.0} MB; recording: 1080p25 \
             H.264, 2 s GOP; {} random instants",
            g.segments,
            g.events,
            g.camera_ids.len(),
            g.db_bytes as f64 / 1e6,
            self.starts
        )?;
        writeln!(
            f,
            "  {:<70} {:>8} {:>8} {:>8} {:>5}",
            "playback start", "p50 ms", "p95 ms", "max ms", "n"
        )?;
        for l in &self.rows {
            row(f, l)?;
        }
        match &self.browser {
            Ok(l) if !l.ms.is_empty() => {
                row(f, l)?;
                let verdict = if self.met() { "met" } else { "NOT met" };
                writeln!(f, "target: page p95 < {TARGET_P95_MS:.0} ms: {verdict}")
            }
            Ok(_) => writeln!(f, "  (Chromium not timed: --browser-starts 0)"),
            Err(why) => writeln!(f, "  Chromium not timed: {why}"),
        }
    }
}
