//! Recorded video for a remote viewer: a camera's recordings from a wall-clock instant as one
//! fragmented MP4 stream (an initialization segment, then one fragment per frame), starting
//! at the keyframe at or before the instant and running on across segment files until a
//! gap, a change of video format or a length limit. Packets are read from the recorded
//! files (container only: nothing is decoded or re-encoded) and restamped onto one timeline
//! by the same packager as live view, so the first bytes go out as soon as the first
//! keyframe is read. Reads files only: recording is never disturbed.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::export::reader::SegmentReader;
use crate::export::timeline::{Start, StartSearch};
use crate::export::{plan, ExportError, Piece, MIN_GAP_US};
use crate::library::{Library, LibraryError};
use crate::media::live_fmp4::{LiveMuxer, Position, TrackParams};
use crate::media::packet::VideoCodec;
use crate::media::remux::{FilePacket, StreamFormat};
use crate::model::time::format_rfc3339;
use crate::packet::Packet;

/// The longest stretch one stream covers, µs; a viewer asks for the next part where it ends.
pub const PART_US: i64 = 10 * 60 * 1_000_000;

/// Why a recording cannot be played from an instant, in words for the viewer.
#[derive(Debug, thiserror::Error)]
pub enum RecordedError {
    #[error("no camera named '{0}'")]
    UnknownCamera(String),
    #[error("nothing was recorded by camera '{camera}' between {from} and {to}")]
    NothingRecorded {
        camera: String,
        from: String,
        to: String,
    },
    #[error("the recording at {at} cannot be played: {reason}")]
    Unplayable { at: String, reason: String },
    #[error("cannot read the recording {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{0}")]
    Other(String),
    #[error(transparent)]
    Library(LibraryError),
}

impl From<ExportError> for RecordedError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Library(LibraryError::UnknownCamera(name)) => Self::UnknownCamera(name),
            ExportError::Library(e) => Self::Library(e),
            ExportError::NothingRecorded { camera, from, to } => {
                Self::NothingRecorded { camera, from, to }
            }
            ExportError::Input { path, reason } => Self::Read {
                path: path.display().to_string(),
                reason,
            },
            other => Self::Other(other.to_string()),
        }
    }
}

/// One camera's recordings from an instant, as fragmented MP4 chunks (see the module doc).
pub struct RecordedStream {
    /// Pieces not opened yet, in time order, without gaps between them.
    pieces: VecDeque<Piece>,
    reader: SegmentReader,
    /// Packets read ahead from `reader` (a piece's start), handed out before reading on.
    pending: VecDeque<FilePacket>,
    /// End of the piece being read: stop at the first keyframe at or after it (the last
    /// piece) or read the file to its end (the others, whose files end before a keyframe).
    piece_to_us: i64,
    last_piece: bool,
    format: StreamFormat,
    muxer: LiveMuxer,
    /// Wall-clock time of media time 0, UTC µs.
    start_us: i64,
    codecs: String,
    /// Bytes ready to hand out (the initialization segment and the first fragment).
    ready: VecDeque<Vec<u8>>,
    done: bool,
}

impl RecordedStream {
    /// Plans `camera`'s recordings from `at_us` for at most `span_us` and reads up to the
    /// first keyframe (at or before `at_us`, or the first recorded after it).
    pub fn open(
        lib: &Library,
        camera: &str,
        at_us: i64,
        span_us: i64,
    ) -> Result<Self, RecordedError> {
        let plan = plan(lib, camera, at_us, at_us.saturating_add(span_us.max(1)))?;
        let mut pieces = contiguous(plan.pieces);
        let Some(first) = pieces.pop_front() else {
            return Err(RecordedError::NothingRecorded {
                camera: camera.to_string(),
                from: format_rfc3339(at_us),
                to: format_rfc3339(at_us + span_us),
            });
        };
        let (mut reader, format) = open_piece(&first)?;
        let unplayable = |reason: String| RecordedError::Unplayable {
            at: format_rfc3339(first.from_us),
            reason,
        };
        let track = track(&format).map_err(unplayable)?;
        let mut muxer =
            LiveMuxer::new(&track, Position::default()).map_err(|e| unplayable(e.to_string()))?;
        let mut pending = VecDeque::from(start_packets(&mut reader, &first)?);
        let key = pending.pop_front().ok_or_else(|| RecordedError::Read {
            path: reader.path().display().to_string(),
            reason: "it holds no keyframe".into(),
        })?;
        let start_us = reader.wall_us(key.dts());
        let muxed = muxer
            .push(&packet(&reader, &key, start_us))
            .map_err(|e| unplayable(e.to_string()))?;
        let init = muxed
            .init
            .ok_or_else(|| unplayable("its first keyframe has no parameter sets".into()))?;
        let mut ready = VecDeque::from([init.data]);
        ready.extend(muxed.fragment.map(|f| f.data));
        let last_piece = pieces.is_empty();
        Ok(Self {
            pieces,
            reader,
            pending,
            piece_to_us: first.to_us,
            last_piece,
            format,
            muxer,
            start_us,
            codecs: init.codec,
            ready,
            done: false,
        })
    }

    /// Wall-clock time of media time 0 (the first keyframe's decode time), UTC µs.
    pub fn start_us(&self) -> i64 {
        self.start_us
    }

    /// The codec string for `MediaSource.isTypeSupported`, e.g. `avc3.640028`.
    pub fn codecs(&self) -> &str {
        &self.codecs
    }

    /// The next chunk of the stream (the initialization segment first, then one fragment per
    /// frame), or `None` at its end.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, RecordedError> {
        loop {
            if let Some(chunk) = self.ready.pop_front() {
                return Ok(Some(chunk));
            }
            if self.done {
                return Ok(None);
            }
            let Some(pkt) = self.read()? else {
                self.done = true;
                continue;
            };
            let shown = self.reader.wall_us(pkt.pts());
            if self.last_piece && pkt.is_key() && shown >= self.piece_to_us {
                self.done = true;
                continue;
            }
            let muxed = self
                .muxer
                .push(&packet(&self.reader, &pkt, self.start_us))
                .map_err(|e| RecordedError::Unplayable {
                    at: format_rfc3339(shown),
                    reason: e.to_string(),
                })?;
            self.ready.extend(muxed.fragment.map(|f| f.data));
        }
    }

    /// The next packet, from the next piece's file when this one ends; `None` at the end of
    /// the last piece or where the video's format changes (a new stream must start there).
    fn read(&mut self) -> Result<Option<FilePacket>, RecordedError> {
        loop {
            if let Some(p) = self.pending.pop_front() {
                return Ok(Some(p));
            }
            if let Some(p) = self.reader.read()? {
                return Ok(Some(p));
            }
            let Some(next) = self.pieces.pop_front() else {
                return Ok(None);
            };
            let (mut reader, format) = match open_piece(&next) {
                Ok(opened) => opened,
                // Deleted by retention meanwhile, or unreadable: the stream ends here.
                Err(e) => {
                    tracing::warn!(error = %e, "recorded playback stops early");
                    return Ok(None);
                }
            };
            if format != self.format {
                return Ok(None);
            }
            self.pending = VecDeque::from(start_packets(&mut reader, &next)?);
            self.reader = reader;
            self.piece_to_us = next.to_us;
            self.last_piece = self.pieces.is_empty();
        }
    }
}

/// What the packager needs to know about a recording's video.
fn track(format: &StreamFormat) -> Result<TrackParams, String> {
    let codec = match format.codec.as_str() {
        "H.264" => VideoCodec::H264,
        "H.265" => VideoCodec::H265,
        other => return Err(format!("its codec {other} is not H.264 or H.265")),
    };
    Ok(TrackParams {
        codec,
        width: u32::try_from(format.width).unwrap_or(0),
        height: u32::try_from(format.height).unwrap_or(0),
        time_base: (1, 1_000_000),
        fps: None,
        extradata: format.extradata.clone(),
    })
}

/// The pieces up to the first gap (a viewer asks again after it).
fn contiguous(pieces: Vec<Piece>) -> VecDeque<Piece> {
    let mut out: VecDeque<Piece> = VecDeque::with_capacity(pieces.len());
    for p in pieces {
        if out
            .back()
            .is_some_and(|last| p.from_us - last.to_us >= MIN_GAP_US)
        {
            break;
        }
        out.push_back(p);
    }
    out
}

fn open_piece(piece: &Piece) -> Result<(SegmentReader, StreamFormat), RecordedError> {
    let reader = SegmentReader::open(&piece.segment)?;
    let format = reader.params()?.format();
    Ok((reader, format))
}

/// The packets a piece starts with: from the keyframe at or before its start (when it starts
/// inside the file; the file's first keyframe otherwise) up to the first shown after it.
/// Empty when the file holds no keyframe.
fn start_packets(
    reader: &mut SegmentReader,
    piece: &Piece,
) -> Result<Vec<FilePacket>, RecordedError> {
    if !piece.cuts_start() {
        while let Some(p) = reader.read()? {
            if p.is_key() {
                return Ok(vec![p]);
            }
        }
        return Ok(Vec::new());
    }
    reader.seek(Some(piece.from_us))?;
    let mut search = StartSearch::new(piece.from_us, true);
    while let Some(p) = reader.read()? {
        let (key, wall) = (p.is_key(), reader.wall_us(p.pts()));
        match search.offer(p, key, wall) {
            Start::Hold => {}
            Start::Release(packets) => return Ok(packets),
            Start::Rewind => {
                reader.seek(None)?;
                search.rewound();
            }
        }
    }
    Ok(search.finish())
}

/// A file packet as the packager takes it: timestamps in µs of the stream's own timeline
/// (media time 0 at `start_us`), the wall-clock time it is shown.
fn packet(reader: &SegmentReader, p: &FilePacket, start_us: i64) -> Packet {
    let wall = reader.wall_us(p.pts());
    Packet {
        data: Arc::from(p.data()),
        pts: wall - start_us,
        dts: reader.wall_us(p.dts()) - start_us,
        duration: reader.ticks_us(p.duration()),
        keyframe: p.is_key(),
        wall_us: wall,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Segment, SegmentKind};

    fn piece(from_us: i64, to_us: i64) -> Piece {
        Piece {
            segment: Segment {
                id: from_us,
                camera_id: 1,
                camera: "cam".into(),
                kind: SegmentKind::Continuous,
                start_us: from_us,
                end_us: to_us,
                path: String::new(),
                bytes: 0,
                codec: "h264".into(),
                width: 640,
                height: 360,
                frames: 1,
                event_id: None,
                sha256: None,
                audio_codec: None,
            },
            from_us,
            to_us,
        }
    }

    #[test]
    fn a_stream_covers_the_pieces_up_to_the_first_gap() {
        let pieces = vec![
            piece(0, 10_000),
            piece(10_000, 20_000),
            piece(20_500, 30_000),
            piece(40_000, 50_000),
        ];
        let kept: Vec<i64> = contiguous(pieces).iter().map(|p| p.from_us).collect();
        // 500 µs is rounding (below MIN_GAP_US), 10 ms is a gap.
        assert_eq!(kept, vec![0, 10_000, 20_500]);
        assert!(contiguous(Vec::new()).is_empty());
    }
}
