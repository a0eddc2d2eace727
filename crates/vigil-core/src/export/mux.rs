//! The export's output: one MP4 with the first recording's codec parameters, unchanged, and
//! packets restamped onto one timeline — a regular MP4 (`+faststart`, the index before the
//! video) into a file, or a fragmented one (no seeking) into a pipe.

use std::path::{Path, PathBuf};

use ffmpeg_next as ffmpeg;

use super::timeline::{rescale, Splicer};
use super::{show_time, ExportError};

/// What must not change between the files of one export: codec and picture size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Format {
    codec: ffmpeg::codec::Id,
    width: i32,
    height: i32,
    extradata: Vec<u8>,
}

impl Format {
    pub fn of(params: &ffmpeg::codec::Parameters) -> Self {
        // SAFETY: reading plain fields of valid codec parameters; extradata holds
        // extradata_size bytes when it is not null.
        let (width, height, extradata) = unsafe {
            let p = params.as_ptr();
            let extra = if (*p).extradata.is_null() || (*p).extradata_size <= 0 {
                Vec::new()
            } else {
                std::slice::from_raw_parts((*p).extradata, (*p).extradata_size as usize).to_vec()
            };
            ((*p).width, (*p).height, extra)
        };
        Self {
            codec: params.id(),
            width,
            height,
            extradata,
        }
    }

    fn describe(&self) -> String {
        let codec = match self.codec {
            ffmpeg::codec::Id::H264 => "H.264".to_string(),
            ffmpeg::codec::Id::HEVC => "H.265".to_string(),
            other => other.name().to_string(),
        };
        format!("{codec} {}x{}", self.width, self.height)
    }
}

/// How the MP4 is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One index, moved before the video once it is all written (needs a seekable file).
    Faststart,
    /// An empty index first, then self-contained fragments from each keyframe: written
    /// front to back, for a pipe.
    Fragmented,
}

impl Layout {
    fn movflags(self) -> &'static str {
        match self {
            Layout::Faststart => "+faststart",
            Layout::Fragmented => "+frag_keyframe+empty_moov+default_base_moof",
        }
    }
}

/// What [`Mux::finish`] wrote, as counted while writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    pub frames: u64,
    /// From the first frame shown to the end of the last, µs.
    pub duration_us: i64,
    /// Bytes written.
    pub bytes: u64,
}

/// The MP4 being written (to the temporary file, or a pipe).
pub(crate) struct Mux {
    octx: ffmpeg::format::context::Output,
    out_tb: ffmpeg::Rational,
    timeline: Splicer,
    format: Format,
    /// Where the file will end up, for messages.
    shown: PathBuf,
    frames: u64,
    /// Earliest shown and latest end of the packets written, in `out_tb`.
    first_pts: Option<i64>,
    end_pts: i64,
}

impl Mux {
    /// Opens `url` (a path, `/proc/self/fd/N` or `pipe:1`) and writes the MP4 header for a
    /// stream with `params` (time base `tb`).
    pub fn create(
        url: &Path,
        shown: &Path,
        params: ffmpeg::codec::Parameters,
        tb: ffmpeg::Rational,
        layout: Layout,
    ) -> Result<Self, ExportError> {
        let fail = |e: ffmpeg::Error| output_error(shown, e);
        let format = Format::of(&params);
        let mut octx = ffmpeg::format::output_as(url, "mp4").map_err(fail)?;
        {
            let mut ost = octx
                .add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))
                .map_err(fail)?;
            // The recording's parameters as they are, tag included (avc1 from an MP4) —
            // except that H.265 is tagged hvc1, what Apple players and browsers expect
            // (the parameter sets are in the sample entry either way).
            let hevc = params.id() == ffmpeg::codec::Id::HEVC;
            ost.set_parameters(params);
            if hevc {
                // SAFETY: codec_tag is a plain field of the stream's own parameters.
                unsafe {
                    (*ost.parameters().as_mut_ptr()).codec_tag = u32::from_le_bytes(*b"hvc1");
                }
            }
            ost.set_time_base(tb);
        }
        let mut opts = ffmpeg::Dictionary::new();
        opts.set("movflags", layout.movflags());
        let unused: Vec<String> = octx
            .write_header_with(opts)
            .map_err(fail)?
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        for k in unused {
            tracing::warn!(option = %k, "the MP4 muxer ignored an option");
        }
        let out_tb = octx
            .stream(0)
            .map(|s| s.time_base())
            .ok_or_else(|| ExportError::Output {
                path: shown.to_path_buf(),
                reason: "the MP4 muxer lost its stream".into(),
            })?;
        Ok(Self {
            octx,
            out_tb,
            timeline: Splicer::new(out_tb),
            format,
            shown: shown.to_path_buf(),
            frames: 0,
            first_pts: None,
            end_pts: 0,
        })
    }

    /// Checks that a further file (whose first piece starts at `at_us`) can continue this
    /// stream, and starts a new piece of the timeline.
    pub fn next_piece(
        &mut self,
        params: &ffmpeg::codec::Parameters,
        at_us: i64,
    ) -> Result<(), ExportError> {
        let next = Format::of(params);
        let same = next.codec == self.format.codec
            && (next.width, next.height) == (self.format.width, self.format.height);
        if !same {
            return Err(ExportError::FormatChanged {
                at: show_time(at_us),
                before: self.format.describe(),
                after: next.describe(),
            });
        }
        if next.extradata != self.format.extradata {
            // Same codec and size, other parameter sets (e.g. the camera's encoder restarted):
            // players take the in-band ones that cameras send with every keyframe.
            tracing::warn!(at = %show_time(at_us), "codec parameter sets differ between recordings; the export keeps the first ones");
        }
        self.timeline.next_piece();
        Ok(())
    }

    /// Writes a packet read from a file with time base `tb`, restamped.
    pub fn write(
        &mut self,
        mut pkt: ffmpeg::Packet,
        tb: ffmpeg::Rational,
    ) -> Result<(), ExportError> {
        let (pts, dts) = (pkt.pts().unwrap_or(0), pkt.dts().unwrap_or(0));
        let out = self.timeline.map(pts, dts, pkt.duration(), tb);
        self.frames += 1;
        self.first_pts = Some(self.first_pts.map_or(out.pts, |f| f.min(out.pts)));
        self.end_pts = self.end_pts.max(out.pts + out.duration.max(0));
        pkt.set_pts(Some(out.pts));
        pkt.set_dts(Some(out.dts));
        pkt.set_duration(out.duration);
        pkt.set_stream(0);
        pkt.set_position(-1);
        pkt.set_time_base(self.out_tb);
        pkt.write(&mut self.octx)
            .map(|_| ())
            .map_err(|e| output_error(&self.shown, e))
    }

    /// Writes the index (moved before the video with `+faststart`; the last fragment and the
    /// fragment index when fragmented) and closes the output.
    pub fn finish(mut self) -> Result<Written, ExportError> {
        self.octx
            .write_trailer()
            .map_err(|e| output_error(&self.shown, e))?;
        // FFmpeg's buffered I/O keeps a write error to itself (the trailer can "succeed"
        // on a full disk): check it.
        // SAFETY: `pb` is the output's open I/O context, owned by `octx`, used only here;
        // seeking 0 from the current position only reports the position (no I/O).
        let (io_error, position) = unsafe {
            let pb = (*self.octx.as_ptr()).pb;
            if pb.is_null() {
                (0, 0)
            } else {
                ((*pb).error, ffmpeg::ffi::avio_seek(pb, 0, libc::SEEK_CUR))
            }
        };
        if io_error < 0 {
            return Err(output_error(&self.shown, ffmpeg::Error::from(io_error)));
        }
        let first = self.first_pts.unwrap_or(0);
        let micros = ffmpeg::Rational::new(1, 1_000_000);
        Ok(Written {
            frames: self.frames,
            duration_us: rescale((self.end_pts - first).max(0), self.out_tb, micros),
            bytes: position.max(0) as u64,
        })
    }
}

/// An FFmpeg error writing the export, in words.
pub(crate) fn output_error(path: &Path, e: ffmpeg::Error) -> ExportError {
    let reason = match e {
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
    };
    ExportError::Output {
        path: path.to_path_buf(),
        reason,
    }
}
