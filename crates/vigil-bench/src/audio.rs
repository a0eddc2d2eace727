//! The remux benchmark's audio line: what converting a camera's G.711 sound to AAC costs
//! (the one audio conversion Vigil makes; video is never re-encoded). A minute of 8 kHz µ-law
//! made by the ffmpeg CLI is cut into 20 ms RTP-sized packets and converted by the
//! recorder's own converter on this thread; its thread CPU time per second of sound is the
//! figure, beside the video remux's and beside the `ffmpeg` CLI converting the same sound
//! with the same encoder settings (the baseline, run in the same benchmark).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use vigil_core::media::audio_convert::G711ToAac;
use vigil_core::packet::{AudioCodec, AudioInfo, Packet};

use crate::measure::cpu_thread;
use crate::BenchError;

/// Seconds of sound converted (long enough that ffmpeg's start-up is a small part of its
/// figure).
const SOUND_S: u64 = 600;
/// Bytes of one 20 ms G.711 packet at 8 kHz.
const PACKET: usize = 160;

/// What converting one camera's G.711 sound costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AudioCost {
    /// Seconds of sound converted.
    pub sound_s: f64,
    /// Thread CPU time, seconds.
    pub cpu_s: f64,
    /// AAC packets made.
    pub packets: usize,
    /// The `ffmpeg` CLI converting the same sound to the same AAC (8 kHz mono, 32 kb/s):
    /// its CPU time, seconds (start-up included).
    pub ffmpeg_cpu_s: Option<f64>,
}

impl AudioCost {
    /// CPU per second of one camera's sound, µs.
    pub fn cpu_us_per_camera_s(&self) -> f64 {
        self.cpu_s * 1e6 / self.sound_s.max(f64::MIN_POSITIVE)
    }

    /// Share of one core one camera's conversion takes, percent.
    pub fn core_percent_per_camera(&self) -> f64 {
        self.cpu_s * 100.0 / self.sound_s.max(f64::MIN_POSITIVE)
    }
}

/// Converts [`SOUND_S`] of G.711 µ-law (cached in `work_dir`) and times it.
pub fn g711_cost(work_dir: &Path) -> Result<AudioCost, BenchError> {
    let raw = ulaw_file(work_dir)?;
    let data = std::fs::read(&raw)
        .map_err(|e| BenchError::io(format!("cannot read {}", raw.display()), e))?;
    let info = AudioInfo {
        codec: AudioCodec::Pcmu,
        sample_rate: 8_000,
        channels: 1,
        time_base: (1, 8_000),
        params: vigil_core::media::audio_convert::g711_params(AudioCodec::Pcmu, 8_000),
    };
    let mut conv =
        G711ToAac::open(&info).map_err(|e| BenchError::Failed(format!("G.711 converter: {e}")))?;
    let start = cpu_thread()?;
    let mut packets = 0;
    for (i, chunk) in data.chunks(PACKET).enumerate() {
        let n = i as i64 * PACKET as i64;
        let pkt = Packet {
            data: Arc::from(chunk),
            pts: n,
            dts: n,
            duration: chunk.len() as i64,
            keyframe: true,
            wall_us: n * 125, // 8 kHz: 125 µs a sample
        };
        packets += conv
            .convert(&pkt)
            .map_err(|e| BenchError::Failed(format!("G.711 conversion: {e}")))?
            .len();
    }
    packets += conv
        .finish()
        .map_err(|e| BenchError::Failed(format!("G.711 conversion: {e}")))?
        .len();
    let cpu_s = (cpu_thread()? - start).as_secs_f64();
    Ok(AudioCost {
        sound_s: data.len() as f64 / 8_000.0,
        cpu_s,
        packets,
        ffmpeg_cpu_s: ffmpeg_cost(&raw).ok(),
    })
}

/// The baseline: `ffmpeg` converting the µ-law file to AAC-LC at 8 kHz mono, 32 kb/s (what
/// the recorder makes), output discarded; its CPU time from the kernel when it exits.
fn ffmpeg_cost(raw: &Path) -> Result<f64, BenchError> {
    let child = Command::new("ffmpeg")
        .args([
            "-v", "error", "-nostdin", "-f", "mulaw", "-ar", "8000", "-ac", "1", "-i",
        ])
        .arg(raw)
        .args(["-c:a", "aac", "-b:a", "32k", "-f", "null", "-"])
        .spawn()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    loop {
        if let Some(usage) = crate::measure::try_wait_child(child.id())? {
            return if usage.success {
                Ok(usage.cpu.as_secs_f64())
            } else {
                Err(BenchError::Failed(
                    "ffmpeg could not convert the G.711 sound".into(),
                ))
            };
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The cached raw µ-law file: a 440 Hz tone with noise, 8 kHz mono.
fn ulaw_file(work_dir: &Path) -> Result<std::path::PathBuf, BenchError> {
    std::fs::create_dir_all(work_dir)
        .map_err(|e| BenchError::io(format!("cannot create {}", work_dir.display()), e))?;
    let path = work_dir.join(format!("tone-8k-{SOUND_S}s.ulaw"));
    let want = SOUND_S as usize * 8_000;
    if std::fs::metadata(&path).is_ok_and(|m| m.len() as usize == want) {
        return Ok(path);
    }
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!(
            "sine=f=440:r=8000:d={SOUND_S},volume=0.5,aeval=val(0)+0.05*(random(0)-0.5)"
        ))
        .args(["-ac", "1", "-f", "mulaw"])
        .arg(&path)
        .status()
        .map_err(|e| BenchError::tool("ffmpeg", e))?;
    if !status.success() {
        return Err(BenchError::Failed(
            "ffmpeg could not make the G.711 test sound".into(),
        ));
    }
    Ok(path)
}
