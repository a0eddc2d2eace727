//! Audio/video sync measured in a file whose picture flashes and whose sound clicks at the
//! same instants (the test camera's `/avsync`): the video decoded to the mean luma of each
//! picture (a flash is a picture much brighter than the one before), the sound decoded to
//! samples (a click starts at the first loud sample after a stretch of silence), each click
//! paired with the nearest flash, and the offsets (sound − picture) summed up.

use std::path::Path;

use ffmpeg_next as ffmpeg;
use ffmpeg_next::format::{sample::Type as SampleLayout, Sample};

use super::container::open_file;

/// A click more than this far from every flash is not paired, seconds.
pub const PAIR_WITHIN_S: f64 = 0.4;
/// Quiet this long before a loud sample makes it a click's start, seconds.
const SILENCE_BEFORE_S: f64 = 0.2;
/// A sample louder than this fraction of the loudest one is loud.
const LOUD_FRACTION: f32 = 0.3;
/// Brightness between the darkest and the brightest picture must differ by this much (of
/// 255) for any picture to be a flash.
const MIN_FLASH_CONTRAST: f64 = 40.0;

/// What [`measure`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct AvSync {
    /// When each flash is shown, seconds of the file's timeline.
    pub flashes: Vec<f64>,
    /// When each click starts, seconds of the file's timeline.
    pub clicks: Vec<f64>,
    /// Sound − picture for each paired click, milliseconds (positive: the sound is late).
    pub offsets_ms: Vec<f64>,
}

impl AvSync {
    /// Clicks paired with a flash.
    pub fn count(&self) -> usize {
        self.offsets_ms.len()
    }

    /// Mean offset, ms (0 when nothing was paired).
    pub fn mean_ms(&self) -> f64 {
        if self.offsets_ms.is_empty() {
            return 0.0;
        }
        self.offsets_ms.iter().sum::<f64>() / self.offsets_ms.len() as f64
    }

    /// Largest offset either way, ms.
    pub fn max_abs_ms(&self) -> f64 {
        self.offsets_ms.iter().fold(0.0, |m, o| m.max(o.abs()))
    }
}

/// Why a file could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum AvSyncError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{0} has no video stream")]
    NoVideo(String),
    #[error("{0} has no sound")]
    NoAudio(String),
}

/// Decodes `path` (picture and sound) and measures the offset of each click from its flash.
pub fn measure(path: &Path) -> Result<AvSync, AvSyncError> {
    let (pictures, sound) = decode(path)?;
    let flashes = flashes(&pictures);
    let clicks = clicks(&sound);
    let offsets_ms = pair(&flashes, &clicks, PAIR_WITHIN_S)
        .into_iter()
        .map(|o| o * 1000.0)
        .collect();
    Ok(AvSync {
        flashes,
        clicks,
        offsets_ms,
    })
}

/// For each click, its offset (seconds) from the nearest flash, if one is within `within_s`.
pub fn pair(flashes: &[f64], clicks: &[f64], within_s: f64) -> Vec<f64> {
    clicks
        .iter()
        .filter_map(|&c| {
            flashes
                .iter()
                .map(|&f| c - f)
                .min_by(|a, b| a.abs().total_cmp(&b.abs()))
                .filter(|o| o.abs() <= within_s)
        })
        .collect()
}

/// Times of the pictures much brighter than the one before: (time s, mean luma) in.
pub fn flashes(pictures: &[(f64, f64)]) -> Vec<f64> {
    let lo = pictures.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = pictures
        .iter()
        .map(|p| p.1)
        .fold(f64::NEG_INFINITY, f64::max);
    if pictures.is_empty() || hi - lo < MIN_FLASH_CONTRAST {
        return Vec::new();
    }
    let mid = (lo + hi) / 2.0;
    pictures
        .windows(2)
        .filter(|w| w[0].1 <= mid && w[1].1 > mid)
        .map(|w| w[1].0)
        .collect()
}

/// Decoded sound: the time of its first sample (s), its sample rate, and its samples.
pub struct Sound {
    pub runs: Vec<(f64, u32, Vec<f32>)>,
}

/// Start times of the loud stretches that follow at least [`SILENCE_BEFORE_S`] of quiet.
pub fn clicks(sound: &Sound) -> Vec<f64> {
    let peak = sound
        .runs
        .iter()
        .flat_map(|r| r.2.iter())
        .fold(0.0f32, |m, s| m.max(s.abs()));
    if peak <= 0.0 {
        return Vec::new();
    }
    let loud = peak * LOUD_FRACTION;
    let mut last_loud: Option<f64> = None;
    let mut out = Vec::new();
    for (start, rate, samples) in &sound.runs {
        for (i, s) in samples.iter().enumerate() {
            if s.abs() < loud {
                continue;
            }
            let t = start + i as f64 / f64::from((*rate).max(1));
            if last_loud.is_none_or(|l| t - l >= SILENCE_BEFORE_S) {
                out.push(t);
            }
            last_loud = Some(t);
        }
    }
    out
}

/// Decodes the file's first video stream to (time s, mean luma) per picture, in
/// presentation order, and its first audio stream to samples of its first channel.
fn decode(path: &Path) -> Result<(Vec<(f64, f64)>, Sound), AvSyncError> {
    super::init();
    let shown = path.display().to_string();
    let fail = |e: ffmpeg::Error| AvSyncError::Read {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let mut ictx = open_file(path).map_err(fail)?;
    let (vi, vtb, mut vdec) = {
        let s = ictx
            .streams()
            .best(ffmpeg::media::Type::Video)
            .ok_or_else(|| AvSyncError::NoVideo(shown.clone()))?;
        let dec = ffmpeg::codec::context::Context::from_parameters(s.parameters())
            .and_then(|c| c.decoder().video())
            .map_err(fail)?;
        (s.index(), f64::from(s.time_base()), dec)
    };
    let (ai, atb, mut adec) = {
        let s = ictx
            .streams()
            .best(ffmpeg::media::Type::Audio)
            .ok_or_else(|| AvSyncError::NoAudio(shown.clone()))?;
        let dec = ffmpeg::codec::context::Context::from_parameters(s.parameters())
            .and_then(|c| c.decoder().audio())
            .map_err(fail)?;
        (s.index(), f64::from(s.time_base()), dec)
    };
    let mut pictures = Vec::new();
    let mut sound = Sound { runs: Vec::new() };
    let mut picture = ffmpeg::frame::Video::empty();
    let mut samples = ffmpeg::frame::Audio::empty();
    loop {
        let mut packet = ffmpeg::Packet::empty();
        let eof = match packet.read(&mut ictx) {
            Ok(()) => false,
            Err(ffmpeg::Error::Eof) => true,
            Err(e) => return Err(fail(e)),
        };
        if eof {
            vdec.send_eof().map_err(fail)?;
            adec.send_eof().map_err(fail)?;
        } else if packet.stream() == vi {
            // A picture that cannot be decoded is skipped, as a player would.
            let _ = vdec.send_packet(&packet);
        } else if packet.stream() == ai {
            let _ = adec.send_packet(&packet);
        }
        while vdec.receive_frame(&mut picture).is_ok() {
            if let (Some(ts), Some(luma)) = (picture.timestamp(), mean_luma(&picture)) {
                pictures.push((ts as f64 * vtb, luma));
            }
        }
        while adec.receive_frame(&mut samples).is_ok() {
            let start = samples.timestamp().map(|ts| ts as f64 * atb);
            let after_last = sound
                .runs
                .last()
                .map(|(t, rate, s)| t + s.len() as f64 / f64::from((*rate).max(1)));
            if let Some(start) = start.or(after_last) {
                sound
                    .runs
                    .push((start, samples.rate(), first_channel(&samples)));
            }
        }
        if eof {
            break;
        }
    }
    pictures.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok((pictures, sound))
}

/// Mean of the luma plane (the first plane of a YUV or grey picture), 0–255.
fn mean_luma(frame: &ffmpeg::frame::Video) -> Option<f64> {
    let (w, h, stride) = (
        frame.width() as usize,
        frame.height() as usize,
        frame.stride(0),
    );
    let data = frame.data(0);
    if w == 0 || h == 0 || stride < w || data.len() < stride * (h - 1) + w {
        return None;
    }
    let sum: u64 = (0..h)
        .map(|y| {
            data[y * stride..y * stride + w]
                .iter()
                .map(|&v| u64::from(v))
                .sum::<u64>()
        })
        .sum();
    Some(sum as f64 / (w * h) as f64)
}

/// The first channel's samples as f32 in −1..1 (planar or packed f32, f64, s16, s32).
fn first_channel(frame: &ffmpeg::frame::Audio) -> Vec<f32> {
    let n = frame.samples();
    let step = match frame.format() {
        Sample::F32(SampleLayout::Packed) | Sample::I32(SampleLayout::Packed) => {
            usize::from(frame.channels().max(1))
        }
        Sample::I16(SampleLayout::Packed) | Sample::F64(SampleLayout::Packed) => {
            usize::from(frame.channels().max(1))
        }
        _ => 1,
    };
    let data = frame.data(0);
    let read = |size: usize, f: &dyn Fn(&[u8]) -> f32| -> Vec<f32> {
        (0..n)
            .filter_map(|i| data.get(i * step * size..i * step * size + size).map(f))
            .collect()
    };
    match frame.format() {
        Sample::F32(_) => read(4, &|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]])),
        Sample::F64(_) => read(8, &|b| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            f64::from_ne_bytes(a) as f32
        }),
        Sample::I16(_) => read(2, &|b| {
            f32::from(i16::from_ne_bytes([b[0], b[1]])) / 32768.0
        }),
        Sample::I32(_) => read(4, &|b| {
            i32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0
        }),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_pair_with_the_nearest_flash() {
        let flashes = [1.0, 2.0, 3.0];
        let clicks = [1.05, 1.98, 3.6];
        let offsets = pair(&flashes, &clicks, PAIR_WITHIN_S);
        assert_eq!(
            offsets.len(),
            2,
            "the click 0.6 s from every flash is not paired"
        );
        assert!((offsets[0] - 0.05).abs() < 1e-9 && (offsets[1] + 0.02).abs() < 1e-9);
    }

    #[test]
    fn a_flash_is_a_picture_much_brighter_than_the_one_before() {
        let pictures: Vec<(f64, f64)> = (0..75)
            .map(|i| (i as f64 * 0.04, if i % 25 == 10 { 235.0 } else { 16.0 }))
            .collect();
        let found = flashes(&pictures);
        assert_eq!(found.len(), 3, "{found:?}");
        for (got, want) in found.iter().zip([0.4, 1.4, 2.4]) {
            assert!((got - want).abs() < 1e-9, "{found:?}");
        }
        let flat: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 100.0 + i as f64)).collect();
        assert!(flashes(&flat).is_empty(), "no contrast, no flash");
    }

    #[test]
    fn a_click_starts_at_its_first_loud_sample_after_silence() {
        let rate = 1000;
        let mut samples = vec![0.0f32; 3000];
        for at in [500usize, 1500, 2500] {
            for s in &mut samples[at..at + 10] {
                *s = 0.8;
            }
        }
        let sound = Sound {
            runs: vec![(10.0, rate, samples)],
        };
        assert_eq!(clicks(&sound), [10.5, 11.5, 12.5]);
    }

    /// An MP4 made by ffmpeg: a dark picture flashing white on every 25th frame (each whole
    /// second) and a 10 ms click every second, the sound delayed by `delay_s`.
    fn flashing_file(dir: &Path, name: &str, delay_s: f64) -> std::path::PathBuf {
        let out = dir.join(name);
        let status = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
            .arg("color=c=0x101010:s=160x120:r=25:d=5,drawbox=c=white:t=fill:enable='eq(mod(n\\,25)\\,0)'")
            .args(["-itsoffset", &format!("{delay_s}"), "-f", "lavfi", "-i"])
            .arg("aevalsrc='if(lt(mod(t\\,1)\\,0.01)\\,0.8*sin(2*PI*1000*t)\\,0)':s=16000:d=5")
            .args(["-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p"])
            .args(["-c:a", "aac", "-b:a", "64k"])
            .arg(&out)
            .status()
            .expect("ffmpeg is installed");
        assert!(status.success(), "ffmpeg made the test file");
        out
    }

    #[test]
    fn measures_a_known_offset_and_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let synced = measure(&flashing_file(dir.path(), "synced.mp4", 0.0)).expect("measure");
        assert!(synced.count() >= 3, "{synced:?}");
        assert!(synced.max_abs_ms() <= 5.0, "in sync: {synced:?}");
        let late = measure(&flashing_file(dir.path(), "late.mp4", 0.1)).expect("measure");
        assert!(late.count() >= 3, "{late:?}");
        assert!(
            (late.mean_ms() - 100.0).abs() <= 5.0 && late.max_abs_ms() <= 105.0,
            "sound 100 ms late: {late:?}"
        );
    }
}
