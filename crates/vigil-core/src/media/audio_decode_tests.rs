//! Decoding and resampling real AAC and Opus made by the `ffmpeg` CLI: the blocks have the
//! rate and channels asked for, add up to the file's duration, carry the tone's level, and
//! are stamped in order from the segment's start.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::super::audio_file::AudioFileReader;
use super::*;

/// A 2 s fMP4 with video (stream 0) and a 440 Hz tone (stream 1) at `rate` Hz.
fn clip(dir: &Path, codec: &str, rate: u32) -> PathBuf {
    let path = dir.join(format!("{codec}-{rate}.mp4"));
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=160x120:rate=25:duration=2")
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=f=440:r={rate}:duration=2"))
        .args(["-c:v", "libx264", "-g", "25", "-c:a", codec])
        .args(["-movflags", "+frag_keyframe+empty_moov+default_base_moof"])
        .arg(&path)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg made the clip");
    path
}

fn all_blocks(r: &mut AudioFileReader) -> Vec<AudioBlock> {
    let mut out = Vec::new();
    while let Some(b) = r.next_block().expect("decodes") {
        out.push(b);
    }
    out
}

#[test]
fn aac_decodes_and_resamples_to_the_output_format() {
    let dir = tempfile::tempdir().expect("dir");
    let path = clip(dir.path(), "aac", 16_000);
    let start = 1_700_000_000_000_000;
    for (rate, channels) in [(48_000, 2), (16_000, 1), (44_100, 2)] {
        let mut r = AudioFileReader::open(&path, start, rate, channels)
            .expect("opens")
            .expect("has sound");
        let blocks = all_blocks(&mut r);
        assert!(blocks
            .iter()
            .all(|b| b.rate == rate && b.channels == channels));
        let frames: usize = blocks.iter().map(AudioBlock::frames).sum();
        let secs = frames as f64 / f64::from(rate);
        assert!(
            (1.8..=2.2).contains(&secs),
            "{secs} s of sound at {rate} Hz"
        );
        // lavfi's sine is at 1/8 of full scale.
        let peak = blocks.iter().map(AudioBlock::peak).fold(0.0, f32::max);
        assert!((0.09..0.2).contains(&peak), "peak {peak}");
        // Stamped from the segment's start, in order, each after the one before.
        assert!(
            (blocks[0].wall_us - start).abs() < 100_000,
            "{}",
            blocks[0].wall_us - start
        );
        assert!(blocks.windows(2).all(|w| w[1].wall_us > w[0].wall_us));
        let last = blocks.last().expect("blocks");
        let end = last.wall_us + last.duration_us() - start;
        assert!((1_800_000..2_200_000).contains(&end), "ends at {end} µs");
    }
}

#[test]
fn opus_decodes_and_seeking_lands_at_the_time_asked() {
    let dir = tempfile::tempdir().expect("dir");
    let path = clip(dir.path(), "libopus", 48_000);
    let start = 1_000_000_000;
    let mut r = AudioFileReader::open(&path, start, 48_000, 2)
        .expect("opens")
        .expect("has sound");
    r.seek(start + 1_000_000).expect("seeks");
    let first = r.next_block().expect("decodes").expect("a block");
    let off = first.wall_us - (start + 1_000_000);
    assert!(
        off.abs() < 1_000,
        "the first block after a seek to 1 s starts at 1 s ({off} µs from it)"
    );
    let rest: usize = all_blocks(&mut r).iter().map(AudioBlock::frames).sum();
    let secs = (rest + first.frames()) as f64 / 48_000.0;
    assert!((0.8..=1.2).contains(&secs), "{secs} s after the seek");
}

#[test]
fn a_file_without_sound_has_no_audio_reader() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("video.mp4");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=160x120:rate=25:duration=1")
        .args(["-c:v", "libx264"])
        .arg(&path)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    assert!(AudioFileReader::open(&path, 0, 48_000, 2)
        .expect("opens")
        .is_none());
}
