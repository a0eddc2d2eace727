//! Remuxing recordings without re-encoding: a recording file's video packets (and, when
//! asked, its sound: stream 1, AAC or Opus) read as they are ([`RecordingFile`]) and
//! written, restamped by the caller, into a new MP4 ([`Mp4Output`]) — the FFmpeg half of an
//! export (its timeline logic is in `export`).

use std::path::{Path, PathBuf};

use ffmpeg_next as ffmpeg;

use super::container::{open_file, output_written};
use crate::model::time::{rescale, MICROS};

/// A time base as (numerator, denominator).
pub type TimeBase = (i32, i32);

/// Why reading a recording or writing the MP4 failed, in words (without the file's name).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemuxError {
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Output(String),
}

/// A video (or, when asked for, audio) packet read from a recording, handed to the output
/// without a copy. Its pts and dts are both set.
pub struct FilePacket {
    pkt: ffmpeg::Packet,
    audio: bool,
}

impl FilePacket {
    pub fn pts(&self) -> i64 {
        self.pkt.pts().unwrap_or(0)
    }

    pub fn dts(&self) -> i64 {
        self.pkt.dts().unwrap_or(0)
    }

    /// Duration in the file's time base of its stream (0 when unknown).
    pub fn duration(&self) -> i64 {
        self.pkt.duration()
    }

    pub fn is_key(&self) -> bool {
        self.pkt.is_key()
    }

    /// A packet of the sound track (only read after [`RecordingFile::with_audio`]).
    pub fn is_audio(&self) -> bool {
        self.audio
    }

    /// The compressed sample as stored (length-prefixed NAL units for H.264/H.265 in MP4).
    pub fn data(&self) -> &[u8] {
        self.pkt.data().unwrap_or(&[])
    }
}

/// A recording's sound track: its codec parameters as stored, and its time base.
pub struct AudioParams {
    params: ffmpeg::codec::Parameters,
    tb: TimeBase,
}

/// What must not change for sound from several files to go into one track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFormat {
    /// `AAC`, `Opus` or FFmpeg's name of another codec.
    pub codec: String,
    pub sample_rate: i32,
    pub channels: i32,
}

impl AudioFormat {
    /// E.g. `AAC 16000 Hz mono`.
    pub fn describe(&self) -> String {
        let layout = match self.channels {
            1 => "mono".to_string(),
            2 => "stereo".to_string(),
            n => format!("{n} channels"),
        };
        format!("{} {} Hz {layout}", self.codec, self.sample_rate)
    }
}

impl AudioParams {
    pub fn time_base(&self) -> TimeBase {
        self.tb
    }

    pub fn format(&self) -> AudioFormat {
        // SAFETY: reading plain fields of valid codec parameters.
        let (sample_rate, channels) = unsafe {
            let p = self.params.as_ptr();
            ((*p).sample_rate, (*p).ch_layout.nb_channels)
        };
        let codec = match self.params.id() {
            ffmpeg::codec::Id::AAC => "AAC".to_string(),
            ffmpeg::codec::Id::OPUS => "Opus".to_string(),
            other => other.name().to_string(),
        };
        AudioFormat {
            codec,
            sample_rate,
            channels,
        }
    }
}

/// A recording's video stream parameters, as stored in its file.
pub struct StreamParams(ffmpeg::codec::Parameters);

/// What must not change between the files of one MP4: codec and picture size; and the
/// parameter sets, which may.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamFormat {
    /// `H.264`, `H.265` or FFmpeg's name of another codec.
    pub codec: String,
    pub width: i32,
    pub height: i32,
    pub extradata: Vec<u8>,
}

impl StreamFormat {
    /// Codec and picture size in words, e.g. `H.264 1920x1080`.
    pub fn describe(&self) -> String {
        format!("{} {}x{}", self.codec, self.width, self.height)
    }

    /// Same codec and picture size.
    pub fn same_video(&self, other: &Self) -> bool {
        self.codec == other.codec && (self.width, self.height) == (other.width, other.height)
    }
}

impl StreamParams {
    pub fn format(&self) -> StreamFormat {
        // SAFETY: reading plain fields of valid codec parameters; extradata holds
        // extradata_size bytes when it is not null.
        let (width, height, extradata) = unsafe {
            let p = self.0.as_ptr();
            let extra = if (*p).extradata.is_null() || (*p).extradata_size <= 0 {
                Vec::new()
            } else {
                std::slice::from_raw_parts((*p).extradata, (*p).extradata_size as usize).to_vec()
            };
            ((*p).width, (*p).height, extra)
        };
        let codec = match self.0.id() {
            ffmpeg::codec::Id::H264 => "H.264".to_string(),
            ffmpeg::codec::Id::HEVC => "H.265".to_string(),
            other => other.name().to_string(),
        };
        StreamFormat {
            codec,
            width,
            height,
            extradata,
        }
    }
}

/// A recording file open for reading its video packets (and its sound's, when asked).
pub struct RecordingFile {
    ictx: ffmpeg::format::context::Input,
    index: usize,
    tb: TimeBase,
    /// The sound track's stream index, once [`RecordingFile::with_audio`] asked for it.
    audio: Option<usize>,
    path: PathBuf,
}

impl RecordingFile {
    /// Opens the file. Only the container is read (no probe decoding): MP4 says everything
    /// a remux needs in its header.
    pub fn open(path: &Path) -> Result<Self, RemuxError> {
        super::init();
        let ictx = open_file(path).map_err(|e| RemuxError::Input(input_reason(path, e)))?;
        let stream = ictx
            .streams()
            .best(ffmpeg::media::Type::Video)
            .ok_or_else(|| RemuxError::Input("it has no video stream".into()))?;
        let tb = stream.time_base();
        Ok(Self {
            index: stream.index(),
            tb: (tb.numerator(), tb.denominator()),
            ictx,
            audio: None,
            path: path.to_path_buf(),
        })
    }

    /// The file's sound track (an audio stream beside the video), if it has one.
    pub fn audio_params(&self) -> Option<AudioParams> {
        let stream = self.ictx.streams().best(ffmpeg::media::Type::Audio)?;
        let tb = stream.time_base();
        Some(AudioParams {
            params: stream.parameters(),
            tb: (tb.numerator(), tb.denominator()),
        })
    }

    /// From now on [`RecordingFile::read`] also hands out the sound track's packets
    /// ([`FilePacket::is_audio`]); answers its parameters, or `None` when the file has none.
    pub fn with_audio(&mut self) -> Option<AudioParams> {
        let params = self.audio_params()?;
        self.audio = self
            .ictx
            .streams()
            .best(ffmpeg::media::Type::Audio)
            .map(|s| s.index());
        Some(params)
    }

    pub fn time_base(&self) -> TimeBase {
        self.tb
    }

    /// The video stream's codec parameters.
    pub fn params(&self) -> Result<StreamParams, RemuxError> {
        self.ictx
            .stream(self.index)
            .map(|s| StreamParams(s.parameters()))
            .ok_or_else(|| RemuxError::Input("its video stream disappeared".into()))
    }

    /// Moves to the keyframe at or before `ts_us` (µs of the file's own timeline; FFmpeg's
    /// index, the caller checks where it landed).
    pub fn seek_us(&mut self, ts_us: i64) -> Result<(), RemuxError> {
        let result = self.ictx.seek(ts_us, ..ts_us);
        result.map_err(|e| RemuxError::Input(input_reason(&self.path, e)))
    }

    /// The next video packet (or sound packet, after [`RecordingFile::with_audio`]) with its
    /// timestamps set, or `None` at the end. A fragment cut short by a crash ends the file
    /// (with a warning) rather than failing.
    pub fn read(&mut self) -> Result<Option<FilePacket>, RemuxError> {
        loop {
            let mut packet = ffmpeg::Packet::empty();
            match packet.read(&mut self.ictx) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => return Ok(None),
                Err(ffmpeg::Error::InvalidData) => {
                    tracing::warn!(path = %self.path.display(), "recording ends with an unreadable fragment; exporting what precedes it");
                    return Ok(None);
                }
                Err(e) => return Err(RemuxError::Input(input_reason(&self.path, e))),
            }
            let audio = Some(packet.stream()) == self.audio;
            if packet.stream() != self.index && !audio {
                continue;
            }
            if packet.is_corrupt() {
                tracing::warn!(path = %self.path.display(), "recording ends with a damaged fragment; exporting what precedes it");
                return Ok(None);
            }
            match (packet.pts(), packet.dts()) {
                (Some(_), Some(_)) => {}
                (Some(p), None) => packet.set_dts(Some(p)),
                (None, Some(d)) => packet.set_pts(Some(d)),
                (None, None) => continue,
            }
            return Ok(Some(FilePacket { pkt: packet, audio }));
        }
    }
}

/// An MP4 being written (to a file, `/proc/self/fd/N` or `pipe:1`): the video as stream 0
/// and, when there is one, the sound as stream 1.
pub struct Mp4Output {
    octx: ffmpeg::format::context::Output,
    out_tb: TimeBase,
    audio_tb: Option<TimeBase>,
}

impl Mp4Output {
    /// Opens `url` and writes the MP4 header (with `movflags`) for one video stream with
    /// `params` (time base `tb`) and, with `audio`, a sound track copied as it is. The
    /// parameters are kept as they are, tag included (avc1 from an MP4), except that H.265
    /// is tagged hvc1, what Apple players and browsers expect (the parameter sets are in
    /// the sample entry either way).
    pub fn create(
        url: &Path,
        params: StreamParams,
        tb: TimeBase,
        audio: Option<&AudioParams>,
        movflags: &str,
    ) -> Result<Self, RemuxError> {
        let fail = |e: ffmpeg::Error| RemuxError::Output(output_reason(e));
        let mut octx = ffmpeg::format::output_as(url, "mp4").map_err(fail)?;
        {
            let mut ost = octx
                .add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))
                .map_err(fail)?;
            let hevc = params.0.id() == ffmpeg::codec::Id::HEVC;
            ost.set_parameters(params.0);
            if hevc {
                // SAFETY: codec_tag is a plain field of the stream's own parameters.
                unsafe {
                    (*ost.parameters().as_mut_ptr()).codec_tag = u32::from_le_bytes(*b"hvc1");
                }
            }
            ost.set_time_base(ffmpeg::Rational::new(tb.0, tb.1));
        }
        if let Some(audio) = audio {
            add_audio_stream(&mut octx, audio).map_err(fail)?;
        }
        let mut opts = ffmpeg::Dictionary::new();
        opts.set("movflags", movflags);
        let unused: Vec<String> = octx
            .write_header_with(opts)
            .map_err(fail)?
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        for k in unused {
            tracing::warn!(option = %k, "the MP4 muxer ignored an option");
        }
        let stream_tb = |i: usize| {
            octx.stream(i)
                .map(|s| (s.time_base().numerator(), s.time_base().denominator()))
                .ok_or_else(|| RemuxError::Output("the MP4 muxer lost its stream".into()))
        };
        let out_tb = stream_tb(0)?;
        let audio_tb = match audio {
            Some(_) => Some(stream_tb(1)?),
            None => None,
        };
        Ok(Self {
            octx,
            out_tb,
            audio_tb,
        })
    }

    /// The time base the muxer chose for the video; written timestamps are in it.
    pub fn time_base(&self) -> TimeBase {
        self.out_tb
    }

    /// The time base the muxer chose for the sound track, if there is one.
    pub fn audio_time_base(&self) -> Option<TimeBase> {
        self.audio_tb
    }

    /// Writes a packet with new timestamps (in [`Mp4Output::time_base`], or in
    /// [`Mp4Output::audio_time_base`] for a sound packet), interleaved in time order with
    /// the other stream's.
    pub fn write(
        &mut self,
        pkt: FilePacket,
        (pts, dts, duration): (i64, i64, i64),
    ) -> Result<(), RemuxError> {
        let (stream, tb) = match (pkt.audio, self.audio_tb) {
            (false, _) => (0, self.out_tb),
            (true, Some(tb)) => (1, tb),
            (true, None) => {
                return Err(RemuxError::Output(
                    "a sound packet for an export without a sound track".into(),
                ))
            }
        };
        let mut pkt = pkt.pkt;
        pkt.set_pts(Some(pts));
        pkt.set_dts(Some(dts));
        pkt.set_duration(duration);
        pkt.set_stream(stream);
        pkt.set_position(-1);
        pkt.set_time_base(ffmpeg::Rational::new(tb.0, tb.1));
        let written = if self.audio_tb.is_some() {
            pkt.write_interleaved(&mut self.octx)
        } else {
            pkt.write(&mut self.octx).map(|_| ())
        };
        written.map_err(|e| RemuxError::Output(output_reason(e)))
    }

    /// Writes the index (and the last fragment when fragmented), closes the output, and
    /// returns the bytes written.
    pub fn finish(mut self) -> Result<u64, RemuxError> {
        let fail = |e: ffmpeg::Error| RemuxError::Output(output_reason(e));
        self.octx.write_trailer().map_err(fail)?;
        output_written(&self.octx).map_err(fail)
    }
}

/// Adds a stream copying `audio` (codec tag cleared: the MP4 muxer picks its own, e.g.
/// mp4a or Opus).
pub(crate) fn add_audio_stream(
    octx: &mut ffmpeg::format::context::Output,
    audio: &AudioParams,
) -> Result<(), ffmpeg::Error> {
    let mut ost = octx.add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))?;
    ost.set_parameters(audio.params.clone());
    // SAFETY: codec_tag is a plain field of the stream's own parameters.
    unsafe {
        (*ost.parameters().as_mut_ptr()).codec_tag = 0;
    }
    ost.set_time_base(ffmpeg::Rational::new(audio.tb.0, audio.tb.1));
    Ok(())
}

/// A written MP4's length, µs, and frame count, read from its header.
pub fn probe_written(url: &Path) -> Result<(i64, u64), RemuxError> {
    let ictx = open_file(url).map_err(|e| RemuxError::Output(output_reason(e)))?;
    let stream = ictx
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| RemuxError::Output("the written file has no video stream".into()))?;
    let tb = stream.time_base();
    let duration = if stream.duration() > 0 {
        rescale(
            stream.duration(),
            (tb.numerator(), tb.denominator()),
            MICROS,
        )
    } else {
        ictx.duration().max(0)
    };
    Ok((duration, stream.frames().max(0) as u64))
}

/// Why reading `path` failed, in words, the file called "the file".
fn input_reason(path: &Path, e: ffmpeg::Error) -> String {
    let shown = path.display().to_string();
    let reason = super::error::describe(e, &shown, None);
    reason
        .strip_prefix(&format!("{shown}: "))
        .unwrap_or(&reason)
        .replace(&shown, "the file")
}

/// Why writing failed, in words.
fn output_reason(e: ffmpeg::Error) -> String {
    match e {
        ffmpeg::Error::Other { errno } => match errno {
            libc::ENOSPC => "the disk is full".to_string(),
            libc::EACCES | libc::EPERM => "permission denied".to_string(),
            libc::EROFS => "the file system is read-only".to_string(),
            libc::ENOENT => "its folder does not exist".to_string(),
            libc::ENOTDIR => "a part of the path is not a folder".to_string(),
            other => {
                let text = std::io::Error::from_raw_os_error(other).to_string();
                text.split(" (os error")
                    .next()
                    .unwrap_or(&text)
                    .to_lowercase()
            }
        },
        other => other.to_string(),
    }
}
