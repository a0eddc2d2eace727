//! The sound of one recording file, for playback: its audio stream (stream 1 of a segment,
//! AAC or Opus) read on its own input beside the picture's, decoded to [`AudioBlock`]s
//! stamped with wall time. A segment's `start_us` is the presentation time of its first
//! video packet, so a sample's wall time is `start_us` plus its time after that packet's.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

use ffmpeg_next as ffmpeg;

use super::audio_decode::{AudioBlock, AudioDecoder};
use super::container::{open_file, seek_at_or_before};
use super::file_decoder::FileDecodeError;
use super::packet::Packet;

/// Packets read past the start to find the first video packet (the segment's zero).
const FIND_ZERO_PACKETS: usize = 256;

/// Reads and decodes the audio stream of one recording file. Not `Send`: one thread.
pub struct AudioFileReader {
    input: ffmpeg::format::context::Input,
    stream: usize,
    time_base: (i32, i32),
    decoder: AudioDecoder,
    /// Wall time of the audio stream's tick 0, UTC µs.
    zero_wall_us: i64,
    /// Blocks decoded and not yet handed out.
    ready: VecDeque<AudioBlock>,
    /// Blocks ending at or before this wall time are dropped (after a seek).
    skip_before: i64,
    done: bool,
    shown: String,
}

impl AudioFileReader {
    /// Opens the file's audio stream; `Ok(None)` when the file has no sound. `start_us` is
    /// the segment's start (its first video packet's wall time).
    pub fn open(
        path: &Path,
        start_us: i64,
        out_rate: u32,
        out_channels: u16,
    ) -> Result<Option<Self>, FileDecodeError> {
        super::init();
        let shown = path.display().to_string();
        let open_err = |reason: String| FileDecodeError::Open {
            path: shown.clone(),
            reason,
        };
        let mut input = open_file(path).map_err(|e| open_err(describe(e)))?;
        let Some(st) = input.streams().best(ffmpeg::media::Type::Audio) else {
            return Ok(None);
        };
        let stream = st.index();
        let tb = st.time_base();
        let time_base = (tb.numerator(), tb.denominator().max(1));
        let decoder = AudioDecoder::new(st.parameters(), time_base, out_rate, out_channels)
            .map_err(|e| open_err(e.to_string()))?;
        let video_zero_us = first_video_us(&mut input);
        let mut reader = Self {
            input,
            stream,
            time_base,
            decoder,
            zero_wall_us: start_us - video_zero_us,
            ready: VecDeque::new(),
            skip_before: i64::MIN,
            done: false,
            shown,
        };
        reader.seek(start_us)?;
        Ok(Some(reader))
    }

    /// Moves to the sound at `wall_us`: the next block is the one playing then.
    pub fn seek(&mut self, wall_us: i64) -> Result<(), FileDecodeError> {
        let ts = self.ticks_of(wall_us);
        if let Err(e) = seek_at_or_before(&mut self.input, self.stream, ts) {
            return Err(FileDecodeError::Read {
                path: self.shown.clone(),
                reason: describe(e),
            });
        }
        self.decoder.flush();
        self.ready.clear();
        self.done = false;
        self.skip_before = wall_us;
        Ok(())
    }

    /// The next block, `None` at the end of the file (or of what is written of it).
    pub fn next_block(&mut self) -> Result<Option<AudioBlock>, FileDecodeError> {
        while self.ready.is_empty() && !self.done {
            self.read_some()?;
        }
        Ok(self.ready.pop_front())
    }

    /// Reads audio packets until one decodes to something, or the input ends.
    fn read_some(&mut self) -> Result<(), FileDecodeError> {
        let mut packet = ffmpeg::Packet::empty();
        loop {
            match packet.read(&mut self.input) {
                Ok(()) if packet.stream() == self.stream => break,
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => {
                    self.done = true;
                    return Ok(());
                }
                Err(e) => {
                    // A file cut short by a crash ends in a broken fragment: play up to it.
                    tracing::debug!(path = %self.shown, error = %e, "recording's sound ends early");
                    self.done = true;
                    return Ok(());
                }
            }
        }
        let Some(data) = packet.data() else {
            return Ok(());
        };
        let pts = packet.pts().or(packet.dts()).unwrap_or(0);
        let pkt = Packet {
            data: Arc::from(data),
            pts,
            dts: packet.dts().unwrap_or(pts),
            duration: packet.duration(),
            keyframe: true,
            wall_us: self.wall_of(pts),
        };
        let blocks = self
            .decoder
            .decode(&pkt)
            .map_err(|e| FileDecodeError::Read {
                path: self.shown.clone(),
                reason: e.to_string(),
            })?;
        let skip = self.skip_before;
        self.ready.extend(
            blocks
                .into_iter()
                .filter(|b| b.wall_us + b.duration_us() > skip)
                .map(|b| trim_before(b, skip)),
        );
        Ok(())
    }

    fn wall_of(&self, pts: i64) -> i64 {
        let (num, den) = self.time_base;
        let us = i128::from(pts) * 1_000_000 * i128::from(num) / i128::from(den);
        self.zero_wall_us.saturating_add(us as i64)
    }

    fn ticks_of(&self, wall_us: i64) -> i64 {
        let (num, den) = self.time_base;
        let rel = i128::from(wall_us.saturating_sub(self.zero_wall_us)) * i128::from(den);
        (rel / (i128::from(num.max(1)) * 1_000_000)) as i64
    }
}

/// The part of `block` from `wall_us` on (a seek lands inside a block: what plays before
/// the time asked is cut, so the first sample heard is the one at that time).
fn trim_before(mut block: AudioBlock, wall_us: i64) -> AudioBlock {
    if block.wall_us >= wall_us {
        return block;
    }
    let frames = (wall_us - block.wall_us) * i64::from(block.rate) / 1_000_000;
    let cut = (frames.max(0) as usize * usize::from(block.channels)).min(block.samples.len());
    block.samples.drain(..cut);
    block.wall_us += frames * 1_000_000 / i64::from(block.rate.max(1));
    block
}

/// Presentation time of the file's first video packet, µs of the file's clock (0 when the
/// file has no video, or it is not near the start). Leaves the input wherever it read to.
fn first_video_us(input: &mut ffmpeg::format::context::Input) -> i64 {
    let Some(video) = input.streams().best(ffmpeg::media::Type::Video) else {
        return 0;
    };
    let (index, tb) = (video.index(), video.time_base());
    let mut packet = ffmpeg::Packet::empty();
    for _ in 0..FIND_ZERO_PACKETS {
        if packet.read(input).is_err() {
            break;
        }
        if packet.stream() == index {
            if let Some(pts) = packet.pts().or(packet.dts()) {
                let us = i128::from(pts) * 1_000_000 * i128::from(tb.numerator())
                    / i128::from(tb.denominator().max(1));
                return us as i64;
            }
        }
    }
    0
}

fn describe(e: ffmpeg::Error) -> String {
    super::error::describe(e, "the file", None)
}
