//! One recording file opened for frame-accurate decoding: packets in file order, every
//! decoded picture out, in presentation order, with its PTS. Seeking lands on the keyframe at
//! or before a timestamp and flushes the decoder; the end of the file drains it, so the last
//! pictures are not lost. Unlike live view (which keeps only the newest picture), nothing is
//! skipped here. Each decoder belongs to the one thread that opened it.

use std::path::Path;

use ffmpeg_next as ffmpeg;
use ffmpeg_next::codec::threading;
use ffmpeg_next::format::Pixel;

use super::container::{open_file, seek_at_or_before};
use super::decode::{fit_within, rows, RgbaImage, Scaler};
use super::MediaError;

/// Why a recording file cannot be decoded, in words.
#[derive(Debug, thiserror::Error)]
pub enum FileDecodeError {
    #[error("cannot open the recording {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("cannot read the recording {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the recording {0} holds no picture")]
    Empty(String),
}

/// A decoded picture and its presentation timestamp (stream ticks).
pub(crate) struct Decoded {
    frame: ffmpeg::frame::Video,
    pub pts: i64,
}

impl Decoded {
    /// The picture as RGBA fitted into `max_w`×`max_h` (aspect kept, never enlarged).
    pub(crate) fn fitted_rgba(
        &self,
        scaler: &mut Scaler,
        max_w: u32,
        max_h: u32,
    ) -> Result<RgbaImage, MediaError> {
        let src = &self.frame;
        let (w, h) = fit_within((src.width(), src.height()), max_w, max_h);
        let scaled = scaler.run(src, Pixel::RGBA, w, h)?;
        Ok(RgbaImage {
            width: w,
            height: h,
            data: rows(&scaled, w as usize * 4),
        })
    }
}

/// The file's video stream, as the decoder sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamMeta {
    pub time_base: (i32, i32),
    /// Nominal frame interval in ticks, if the file says.
    pub frame_ticks: Option<i64>,
    /// The codec of the file's sound (`aac`, `opus`), when it has a sound track.
    pub audio_codec: Option<&'static str>,
}

pub(crate) struct FileDecoder {
    input: ffmpeg::format::context::Input,
    stream: usize,
    decoder: ffmpeg::decoder::Video,
    packet: ffmpeg::Packet,
    /// `packet` was read but not yet handed to the decoder.
    pending: bool,
    /// No more packets to read (end of file, or a file cut short by a crash).
    input_done: bool,
    /// The decoder was told the input ended, and gives what it holds back.
    draining: bool,
    /// PTS of the file's first video packet: the segment's `start_us`.
    first_packet_pts: Option<i64>,
    /// Where messages say the file is.
    shown: String,
}

/// Decoder threads: frame threading decodes the pictures up to a seek's target on the cores
/// that are free (`vigil bench seek`: median 34–41 ms with two threads, 46–50 ms with one, on
/// a busy two-core machine).
fn decoder_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

impl FileDecoder {
    /// Opens the file and reads its first video packet (not decoded yet: a seek often
    /// comes first).
    pub fn open(path: &Path) -> Result<(Self, StreamMeta), FileDecodeError> {
        super::init();
        let shown = path.display().to_string();
        let open_err = |reason: String| FileDecodeError::Open {
            path: shown.clone(),
            reason,
        };
        let input = open_file(path).map_err(|e| open_err(describe(e)))?;
        let st = input
            .streams()
            .best(ffmpeg::media::Type::Video)
            .ok_or_else(|| open_err("it has no video stream".into()))?;
        let tb = st.time_base();
        let rate = st.avg_frame_rate();
        let frame_ticks = (rate.numerator() > 0 && tb.numerator() > 0).then(|| {
            let ticks = i64::from(tb.denominator()) * i64::from(rate.denominator())
                / (i64::from(tb.numerator()) * i64::from(rate.numerator()));
            ticks.max(1)
        });
        let audio_codec = input
            .streams()
            .best(ffmpeg::media::Type::Audio)
            .map(|a| a.parameters().id().name());
        let meta = StreamMeta {
            time_base: (tb.numerator(), tb.denominator()),
            frame_ticks,
            audio_codec,
        };
        let stream = st.index();
        let mut ctx = ffmpeg::codec::context::Context::from_parameters(st.parameters())
            .map_err(|e| open_err(format!("cannot decode its video: {}", describe(e))))?;
        ctx.set_threading(threading::Config {
            kind: threading::Type::Frame,
            count: decoder_threads(),
            ..Default::default()
        });
        let decoder = ctx
            .decoder()
            .video()
            .map_err(|e| open_err(format!("cannot decode its video: {}", describe(e))))?;
        let mut reader = Self {
            input,
            stream,
            decoder,
            packet: ffmpeg::Packet::empty(),
            pending: false,
            input_done: false,
            draining: false,
            first_packet_pts: None,
            shown,
        };
        reader.read_packet();
        if reader.input_done {
            return Err(FileDecodeError::Empty(reader.shown));
        }
        reader.first_packet_pts = reader.packet.pts().or(reader.packet.dts());
        reader.pending = true;
        Ok((reader, meta))
    }

    /// PTS of the file's first video packet.
    pub fn first_packet_pts(&self) -> Option<i64> {
        self.first_packet_pts
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The next picture in presentation order, or `None` at the end of the file.
    pub fn next(&mut self) -> Result<Option<Decoded>, FileDecodeError> {
        loop {
            let mut frame = ffmpeg::frame::Video::empty();
            match self.decoder.receive_frame(&mut frame) {
                Ok(()) => {
                    let Some(pts) = frame.timestamp().or(frame.pts()) else {
                        continue; // a picture without a time cannot be placed
                    };
                    return Ok(Some(Decoded { frame, pts }));
                }
                Err(ffmpeg::Error::Eof) => return Ok(None),
                Err(ffmpeg::Error::Other { errno }) if errno == libc::EAGAIN => {}
                Err(e) => return Err(self.read_error(e)),
            }
            if self.input_done {
                if self.draining {
                    return Ok(None);
                }
                self.draining = true;
                // Tells the decoder to hand back the pictures it still holds.
                let _ = self.decoder.send_eof();
                continue;
            }
            self.feed()?;
        }
    }

    /// Reads the next video packet into `packet`; marks the input done at its end.
    fn read_packet(&mut self) {
        loop {
            self.packet = ffmpeg::Packet::empty();
            match self.packet.read(&mut self.input) {
                Ok(()) if self.packet.stream() == self.stream => return,
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => {
                    self.input_done = true;
                    return;
                }
                Err(e) => {
                    // A file cut short by a crash ends in a broken fragment: play up to it.
                    tracing::debug!(path = %self.shown, error = %e, "recording ends early");
                    self.input_done = true;
                    return;
                }
            }
        }
    }

    /// Hands the next video packet to the decoder (the one read at opening first).
    fn feed(&mut self) -> Result<(), FileDecodeError> {
        if !std::mem::take(&mut self.pending) {
            self.read_packet();
            if self.input_done {
                return Ok(());
            }
        }
        match self.decoder.send_packet(&self.packet) {
            Ok(()) | Err(ffmpeg::Error::InvalidData) => Ok(()),
            // Full: the packet goes in after the decoder has handed out a picture.
            Err(ffmpeg::Error::Other { errno }) if errno == libc::EAGAIN => {
                self.pending = true;
                Ok(())
            }
            Err(e) => Err(self.read_error(e)),
        }
    }

    /// Moves to the keyframe at or before `ts` (stream ticks) and forgets what the decoder
    /// held; the next picture is that keyframe's (or the first after it, in presentation
    /// order).
    pub fn seek(&mut self, ts: i64) -> Result<(), FileDecodeError> {
        if let Err(e) = seek_at_or_before(&mut self.input, self.stream, ts) {
            return Err(self.read_error(e));
        }
        self.decoder.flush();
        self.pending = false;
        self.input_done = false;
        self.draining = false;
        Ok(())
    }

    fn read_error(&self, e: ffmpeg::Error) -> FileDecodeError {
        FileDecodeError::Read {
            path: self.shown.clone(),
            reason: describe(e),
        }
    }
}

fn describe(e: ffmpeg::Error) -> String {
    super::error::describe(e, "the file", None)
}
