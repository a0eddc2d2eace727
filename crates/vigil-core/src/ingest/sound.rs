//! The camera's sound as ingest takes it in: which audio a connection delivers (the
//! camera's sound on, a codec Vigil takes), its timestamps checked (missing, backwards or
//! far from the video's are dropped and counted), stamped with wall-clock time from the
//! video's anchor, and the status kept truthful when the sound stops, returns or changes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::clock::WallClock;
use super::status::{AudioStatus, IngestPublisher};
use crate::media::input::{RawPacket, NO_TIMESTAMP};
use crate::media::sound::{accepted, SyncState};
use crate::packet::{AudioCodec, AudioInfo, Packet, StreamInfo};

/// Audio more than this far from the video it travels with has broken timestamps, µs.
const MAX_SKEW_US: i64 = 3_000_000;
/// Sound missing this long while the video flows has stopped.
const SILENT_AFTER: Duration = Duration::from_secs(5);

/// Why an audio packet's timestamp was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    Missing,
    Backwards,
    FarFromVideo,
}

impl Broken {
    fn words(self) -> &'static str {
        match self {
            Broken::Missing => "without a timestamp",
            Broken::Backwards => "going back in time",
            Broken::FarFromVideo => "seconds away from the video's time",
        }
    }
}

/// Checks audio timestamps against the audio before them and the video they travel with.
#[derive(Debug, Default)]
pub struct AudioStamps {
    last_us: Option<i64>,
}

impl AudioStamps {
    /// The packet's presentation time in µs, or why it is broken. `video_us` is the latest
    /// video packet's presentation time (same timeline).
    pub fn check(&mut self, pts: i64, info: &AudioInfo, video_us: i64) -> Result<i64, Broken> {
        if pts == NO_TIMESTAMP {
            return Err(Broken::Missing);
        }
        let us = info.ticks_to_us(pts);
        if us.saturating_sub(video_us).saturating_abs() > MAX_SKEW_US {
            return Err(Broken::FarFromVideo);
        }
        if let Some(last) = self.last_us {
            // A small step back is a broken packet; a large one that agrees with the video
            // (checked above) is the stream starting a new timeline.
            if us <= last && last.saturating_sub(us) <= MAX_SKEW_US {
                return Err(Broken::Backwards);
            }
        }
        self.last_us = Some(us);
        Ok(us)
    }
}

/// The sound of one connection: what it delivers and what the status says about it.
pub struct SoundIn {
    /// The camera's sound is on (the source delivers audio packets).
    on: bool,
    /// The sound the camera sends, as last seen.
    sent: Option<Arc<AudioInfo>>,
    stamps: AudioStamps,
    dropped: u64,
    /// Why the latest packet was dropped, once one was.
    broken: Option<Broken>,
    last_audio: Option<Instant>,
    started: Instant,
    stopped: bool,
    /// Whether the sound shares the picture's clock (RTCP), as the source said last.
    sync: SyncState,
}

impl SoundIn {
    pub fn new(on: bool, sent: Option<Arc<AudioInfo>>, status: &IngestPublisher) -> Self {
        let me = Self {
            on,
            sent,
            stamps: AudioStamps::default(),
            dropped: 0,
            broken: None,
            last_audio: None,
            started: Instant::now(),
            stopped: false,
            sync: SyncState::Synced,
        };
        me.publish(status);
        me
    }

    /// The audio a connection should deliver now: the camera's sound, when on, taken in
    /// by Vigil and flowing.
    pub fn wanted(&self) -> Option<Arc<AudioInfo>> {
        self.sent
            .as_ref()
            .filter(|a| self.on && !self.stopped && accepted(a.codec))
            .cloned()
    }

    /// An audio packet read (`sent`: the sound the source reports now): the packet to
    /// send, stamped, or `None` when it is dropped (broken timestamps, sound the connection
    /// does not deliver yet, no video yet).
    pub fn packet(
        &mut self,
        raw: RawPacket,
        sent: Option<&Arc<AudioInfo>>,
        info: &StreamInfo,
        clock: &WallClock,
        video_us: Option<i64>,
        status: &IngestPublisher,
    ) -> Option<Packet> {
        self.last_audio = Some(Instant::now());
        if self.stopped {
            self.stopped = false;
            self.publish(status);
        }
        let audio = info.audio.as_ref()?;
        // A packet of a sound that changed belongs to the next Started.
        if !sent.is_some_and(|s| Arc::ptr_eq(s, audio)) {
            return None;
        }
        let video_us = video_us?;
        let pts_us = match self.stamps.check(raw.pts, audio, video_us) {
            Ok(us) => us,
            Err(why) => {
                self.dropped += 1;
                self.broken = Some(why);
                tracing::debug!(
                    pts = raw.pts,
                    ?why,
                    "audio packet with a broken timestamp dropped"
                );
                self.publish(status);
                return None;
            }
        };
        let wall_us = clock.wall_of(pts_us)?;
        Some(Packet {
            data: raw.data,
            pts: raw.pts,
            dts: if raw.dts == NO_TIMESTAMP {
                raw.pts
            } else {
                raw.dts
            },
            duration: raw.duration,
            keyframe: true,
            wall_us,
        })
    }

    /// Called on each video packet with the sound the source reports now: notices sound that
    /// appeared, changed or stopped. Answers whether the status changed.
    /// `sync`: whether the source delivers the sound yet (it holds it back until the sound
    /// shares the picture's clock).
    pub fn video(
        &mut self,
        sent: Option<Arc<AudioInfo>>,
        sync: SyncState,
        status: &IngestPublisher,
    ) -> bool {
        let mut changed = false;
        if sync != self.sync {
            self.sync = sync;
            changed = true;
        }
        if sync == SyncState::Waiting {
            // Held back, not missing: silence counts from when it may flow.
            self.started = Instant::now();
        }
        let same = match (&self.sent, &sent) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.sent = sent;
            self.stamps = AudioStamps::default();
            changed = true;
        }
        let since = self.last_audio.unwrap_or(self.started);
        if self.on && self.sent.is_some() && !self.stopped && since.elapsed() >= SILENT_AFTER {
            self.stopped = true;
            changed = true;
        }
        if changed {
            self.publish(status);
        }
        changed
    }

    fn publish(&self, status: &IngestPublisher) {
        let audio = self.sent.as_ref().map(|a| {
            let problem = if !accepted(a.codec) {
                Some(format!(
                    "the camera sends {} sound, which Vigil cannot record",
                    codec_words(a.codec)
                ))
            } else if self.stopped {
                Some("the camera stopped sending sound".to_string())
            } else if self.on && self.sync == SyncState::Unsynced {
                Some(
                    "the camera sends no RTCP sender reports, so its sound is matched to the \
                     picture by their first packets and may be a fraction of a second off"
                        .to_string(),
                )
            } else {
                self.broken.map(|why| {
                    format!(
                        "{} sound packets were dropped for broken timestamps (the last {})",
                        self.dropped,
                        why.words()
                    )
                })
            };
            AudioStatus {
                codec: a.codec.as_str().to_string(),
                sample_rate: a.sample_rate,
                channels: a.channels,
                recorded: self.on && accepted(a.codec),
                problem,
                dropped: self.dropped,
            }
        });
        status.update(|s| s.audio = audio);
    }
}

/// How an operator knows a codec Vigil does not take: G.726 rather than `adpcm_g726`.
fn codec_words(codec: AudioCodec) -> String {
    match codec.as_str() {
        "adpcm_g726" | "adpcm_g726le" => "G.726".into(),
        "adpcm_g722" => "G.722".into(),
        "g723_1" => "G.723.1".into(),
        "g729" => "G.729".into(),
        "mp3" | "mp2" => codec.as_str().to_uppercase(),
        other => other.to_string(),
    }
}

/// What the status says when a connection's audio changes mid-stream.
pub fn change_notice(old: Option<&AudioInfo>, new: Option<&AudioInfo>) -> String {
    match (old, new) {
        (None, Some(n)) => format!(
            "the camera sends sound now ({} {} Hz); new segments carry it",
            n.codec.as_str(),
            n.sample_rate
        ),
        (Some(_), None) => "the camera stopped sending sound; new segments have none".into(),
        (Some(o), Some(n)) => format!(
            "the camera changed its sound from {} {} Hz to {} {} Hz; a new segment was started",
            o.codec.as_str(),
            o.sample_rate,
            n.codec.as_str(),
            n.sample_rate
        ),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::SharedParams;
    use ffmpeg_next as ffmpeg;

    fn aac() -> AudioInfo {
        AudioInfo {
            codec: AudioCodec::Aac,
            sample_rate: 16_000,
            channels: 1,
            time_base: (1, 16_000),
            params: SharedParams::new(ffmpeg::codec::Parameters::new()),
        }
    }

    #[test]
    fn good_audio_timestamps_pass_in_microseconds() {
        let info = aac();
        let mut f = AudioStamps::default();
        assert_eq!(f.check(0, &info, 0), Ok(0));
        assert_eq!(f.check(1024, &info, 40_000), Ok(64_000));
        assert_eq!(f.check(2048, &info, 120_000), Ok(128_000));
    }

    #[test]
    fn missing_backward_and_far_timestamps_are_dropped() {
        let info = aac();
        let mut f = AudioStamps::default();
        assert_eq!(f.check(NO_TIMESTAMP, &info, 0), Err(Broken::Missing));
        assert_eq!(f.check(16_000, &info, 1_000_000), Ok(1_000_000));
        // The same timestamp again, or a little earlier: broken.
        assert_eq!(f.check(16_000, &info, 1_000_000), Err(Broken::Backwards));
        assert_eq!(f.check(15_000, &info, 1_000_000), Err(Broken::Backwards));
        // An hour ahead of the video, or at the edges of i64: broken, and never overflows.
        assert_eq!(
            f.check(16_000 * 3600, &info, 1_040_000),
            Err(Broken::FarFromVideo)
        );
        assert_eq!(f.check(i64::MAX, &info, 0), Err(Broken::FarFromVideo));
        assert_eq!(f.check(i64::MIN + 1, &info, 0), Err(Broken::FarFromVideo));
        // The stream goes on where it was.
        assert_eq!(f.check(17_024, &info, 1_060_000), Ok(1_064_000));
    }

    #[test]
    fn a_new_timeline_shared_with_the_video_is_followed() {
        let info = aac();
        let mut f = AudioStamps::default();
        assert_eq!(f.check(16_000 * 100, &info, 100_000_000), Ok(100_000_000));
        // Both streams start again from zero (the camera restarted its clock).
        assert_eq!(f.check(0, &info, 10_000), Ok(0));
        assert_eq!(f.check(1024, &info, 60_000), Ok(64_000));
    }

    #[test]
    fn sound_vigil_cannot_take_is_a_sentence() {
        let status = IngestPublisher::new(super::super::status::IngestStatus::default());
        let mut g726 = aac();
        g726.codec = AudioCodec::Other("adpcm_g726");
        g726.sample_rate = 8000;
        let s = SoundIn::new(true, Some(Arc::new(g726)), &status);
        assert!(s.wanted().is_none());
        let a = status.snapshot().audio.expect("reported");
        assert!(!a.recorded);
        assert_eq!(
            a.problem.as_deref(),
            Some("the camera sends G.726 sound, which Vigil cannot record")
        );
        // Sound off: reported, not delivered, no problem.
        let s = SoundIn::new(false, Some(Arc::new(aac())), &status);
        assert!(s.wanted().is_none());
        let a = status.snapshot().audio.expect("reported");
        assert_eq!(a.describe(), "aac 16 kHz mono (off)");
        assert_eq!(a.problem, None);
    }
}
