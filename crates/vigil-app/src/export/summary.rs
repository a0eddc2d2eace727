//! An export's outcome in the operator's language: the engine's `ExportReport::summary`
//! says the same in English for the CLI.

use crate::tr;
use vigil_core::service::ExportReport;

/// Less than this short of the end is frame rounding, not missing footage.
const ROUNDING_US: i64 = 100_000;

/// "12.4 s (3.1 MB), starts at the keyframe 1.24 s before the requested time; 1 gap of
/// 3.0 s left out".
pub fn summary(r: &ExportReport) -> String {
    let mut parts = vec![tr!(
        "export-summary",
        length = seconds_one_decimal(r.duration_us),
        size = format!("{:.1}", r.bytes as f64 / 1e6),
        start = start_sentence(r)
    )];
    if let Some(format) = &r.audio {
        parts.push(tr!("export-sound", format = format.clone()));
    }
    for &(from, to) in &r.silent {
        parts.push(tr!(
            "export-silent",
            from = crate::local_time::date_time(from),
            to = crate::local_time::date_time(to)
        ));
    }
    if !r.gaps.is_empty() {
        parts.push(tr!(
            "export-gaps",
            count = r.gaps.len(),
            length = seconds(r.gaps_us())
        ));
    }
    if r.requested_to_us - r.ends_at_us > ROUNDING_US {
        parts.push(tr!(
            "export-ends-early",
            short = seconds(r.requested_to_us - r.ends_at_us)
        ));
    }
    parts.join("; ")
}

fn start_sentence(r: &ExportReport) -> String {
    let lead = r.lead_in_us();
    match lead {
        1.. => tr!("export-starts-before", lead = seconds(lead)),
        0 => tr!("export-starts-exact"),
        _ => tr!("export-starts-after", lead = seconds(-lead)),
    }
}

/// "1.24 s" (two decimals under ten seconds, one above).
fn seconds(us: i64) -> String {
    let s = us as f64 / 1e6;
    let value = if s < 10.0 {
        format!("{s:.2}")
    } else {
        format!("{s:.1}")
    };
    tr!("export-seconds", value = value)
}

fn seconds_one_decimal(us: i64) -> String {
    tr!("export-seconds", value = format!("{:.1}", us as f64 / 1e6))
}

/// Where the signed manifest went (and the key's fingerprint), or why there is none.
pub fn manifest(r: &ExportReport) -> String {
    match &r.manifest {
        Some(Ok(sealed)) => tr!(
            "export-manifest-written",
            path = sealed.path.display().to_string(),
            fingerprint = sealed.fingerprint.clone()
        ),
        Some(Err(e)) => tr!("export-manifest-failed", error = e.clone()),
        None => String::new(),
    }
}
