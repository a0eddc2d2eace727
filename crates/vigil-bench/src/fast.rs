//! The as-fast-as-possible comparison. Each round, both recorders read the whole file, then
//! a 2-second clip of it (to tell what starting a camera costs from what each second of
//! video costs); who goes first alternates between rounds, because on a virtual machine the
//! first to write into freshly freed memory pays more. The median round of each counts.

use std::path::Path;

use super::{baseline, media, vigil, BenchError, Comparison, Figures, Pace, Split, TestMedia};

/// Length of the clip that measures the start-up cost, seconds.
const CLIP_S: u64 = 2;

pub fn compare(
    n: usize,
    rounds: usize,
    media: &TestMedia,
    runs: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Comparison, BenchError> {
    let clip = media::clip(media, CLIP_S)?;
    let (mut full, mut short, mut unhashed) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds.max(1) {
        let vigil_first = round % 2 == 0;
        progress(&format!(
            "as fast as possible, round {}/{rounds}: {n} cameras in Vigil and {n} ffmpeg processes ({} first), whole file then a {CLIP_S}-second clip",
            round + 1,
            if vigil_first { "Vigil" } else { "ffmpeg" }
        ));
        full.push(pair(&media.path, n, vigil_first, &runs.join("fast"))?);
        short.push(pair(&clip.path, n, vigil_first, &runs.join("clip"))?);
        progress(&format!(
            "as fast as possible, round {}/{rounds}: Vigil again without hashing its segments",
            round + 1
        ));
        unhashed.push(without_hash(&media.path, n, &runs.join("unhashed"))?);
    }
    let (vigil, ffmpeg) = medians(full);
    let (vigil_short, ffmpeg_short) = medians(short);
    let split = (
        Split::from_runs(&vigil, &vigil_short),
        Split::from_runs(&ffmpeg, &ffmpeg_short),
    );
    Ok(Comparison {
        vigil,
        ffmpeg,
        sent_s: n as f64 * media.duration_s,
        split: Some(split),
        rounds: rounds.max(1),
        vigil_unhashed: Some(median(unhashed)),
    })
}

/// Vigil's run with the recorder's segment hashing off: what the integrity hash costs.
fn without_hash(file: &Path, n: usize, dir: &Path) -> Result<Figures, BenchError> {
    vigil_core::library::chain::set_hashing(false);
    let run = vigil::run(file, n, Pace::AsFastAsPossible, dir);
    vigil_core::library::chain::set_hashing(true);
    run
}

/// One run of each recorder on `file`, in the order asked.
fn pair(
    file: &Path,
    n: usize,
    vigil_first: bool,
    dir: &Path,
) -> Result<(Figures, Figures), BenchError> {
    let pace = Pace::AsFastAsPossible;
    let run_vigil = || vigil::run(file, n, pace, dir);
    let run_ffmpeg = || baseline::run(file, n, pace, dir, "ffmpeg-");
    if vigil_first {
        let v = run_vigil()?;
        Ok((v, run_ffmpeg()?))
    } else {
        let b = run_ffmpeg()?;
        Ok((run_vigil()?, b))
    }
}

/// The run with the median CPU time, for each recorder separately.
fn medians(runs: Vec<(Figures, Figures)>) -> (Figures, Figures) {
    let (vigil, ffmpeg): (Vec<Figures>, Vec<Figures>) = runs.into_iter().unzip();
    (median(vigil), median(ffmpeg))
}

pub(super) fn median(mut runs: Vec<Figures>) -> Figures {
    runs.sort_by(|a, b| a.cpu_s.total_cmp(&b.cpu_s));
    runs.swap_remove(runs.len() / 2)
}
