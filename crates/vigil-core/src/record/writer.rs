//! One segment being recorded: its journal entry, its MP4 writer (video, and the sound when
//! the connection's is recorded) and its wall-clock extent; finishing it syncs the file and
//! then writes the library row.

use crate::library::layout::{camera_folder, segment_rel_path};
use crate::library::perms::create_library_file;
use crate::library::{io_reason, FinishedSegment, Library, LibraryError};
use crate::media::fmp4::SegmentWriter;
use crate::media::probe::probe_file;
use crate::media::MediaError;
use crate::model::SegmentKind;
use crate::packet::{Packet, StreamInfo};

use super::RecorderConfig;

#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error(transparent)]
    Library(#[from] LibraryError),
}

impl SegmentError {
    /// True when the disk (or the database on it) is full: retention must free space now.
    pub fn is_disk_full(&self) -> bool {
        match self {
            SegmentError::Media(MediaError::DiskFull(_)) => true,
            SegmentError::Library(LibraryError::Sql(rusqlite::Error::SqliteFailure(e, _))) => {
                e.code == rusqlite::ErrorCode::DiskFull
            }
            _ => false,
        }
    }
}

pub struct OpenSegment {
    writer: SegmentWriter,
    camera_id: i64,
    kind: SegmentKind,
    event_id: Option<i64>,
    rel_path: String,
    start_us: i64,
    /// Wall time just past the last written frame.
    end_us: i64,
    last_wall_us: i64,
    codec: &'static str,
    width: u32,
    height: u32,
}

impl OpenSegment {
    /// Journals the file, then creates it with its MP4 header.
    pub fn create(
        lib: &Library,
        cfg: &RecorderConfig,
        info: &StreamInfo,
        start_us: i64,
        kind: SegmentKind,
        event_id: Option<i64>,
    ) -> Result<Self, SegmentError> {
        let rel_path = segment_rel_path(&camera_folder(cfg.camera_id), kind, start_us);
        lib.begin_segment(cfg.camera_id, kind, start_us, &rel_path)?;
        let abs = lib.absolute(&rel_path);
        // Made 0600 (its folders 0700; 0640 / 0750 with group read) before FFmpeg opens it,
        // which keeps the mode.
        let created = create_library_file(&abs).map_err(|e| create_error(&abs, &e));
        let writer = match created.and_then(|()| SegmentWriter::create(&abs, info)) {
            Ok(w) => w,
            Err(e) => {
                let _ = std::fs::remove_file(lib.absolute(&rel_path));
                let _ = lib.abandon_segment(&rel_path);
                return Err(e.into());
            }
        };
        Ok(Self {
            writer,
            camera_id: cfg.camera_id,
            kind,
            event_id,
            rel_path,
            start_us,
            end_us: start_us,
            last_wall_us: start_us,
            codec: info.codec.as_str(),
            width: info.width,
            height: info.height,
        })
    }

    /// True when the file has an audio track.
    pub fn has_audio(&self) -> bool {
        self.writer.has_audio()
    }

    /// Writes an audio packet where its wall-clock time puts it; false when it was not
    /// written (before the file's start, or a broken timestamp: see
    /// [`OpenSegment::audio_broken`]).
    pub fn write_audio(&mut self, pkt: &Packet) -> Result<bool, MediaError> {
        self.writer.write_audio(pkt)
    }

    /// Audio packets dropped for broken timestamps so far.
    pub fn audio_broken(&self) -> u64 {
        self.writer.audio_broken()
    }

    pub fn write(&mut self, pkt: &Packet, info: &StreamInfo) -> Result<(), MediaError> {
        self.writer.write(pkt)?;
        let frame_us = if pkt.duration > 0 {
            info.ticks_to_us(pkt.duration)
        } else {
            pkt.wall_us.saturating_sub(self.last_wall_us).max(0)
        };
        self.last_wall_us = pkt.wall_us;
        self.end_us = self.end_us.max(pkt.wall_us.saturating_add(frame_us));
        Ok(())
    }

    /// Finishes and syncs the file; returns the row to index. `end_us` overrides the computed
    /// end (the next segment's start, so consecutive segments abut). `None` if nothing worth
    /// keeping was written (the file is then removed).
    pub fn finish(
        self,
        lib: &mut Library,
        end_us: Option<i64>,
    ) -> Result<Option<FinishedSegment>, SegmentError> {
        let abs = lib.absolute(&self.rel_path);
        let frames = self.writer.frames();
        if frames == 0 {
            drop(self.writer);
            let _ = std::fs::remove_file(&abs);
            lib.abandon_segment(&self.rel_path)?;
            return Ok(None);
        }
        let end_us = end_us.unwrap_or(self.end_us).max(self.start_us + 1);
        let (frames, bytes, end_us, audio) = match self.writer.finish() {
            Ok(w) => {
                let audio = (w.audio_packets > 0)
                    .then_some(w.audio_codec)
                    .flatten()
                    .map(|c| c.as_str().to_string());
                (w.frames, w.bytes, end_us, audio)
            }
            Err(e) => {
                // The trailer failed (disk full?); the fragments written so far still play.
                tracing::warn!(path = %abs.display(), error = %e, "segment not finished cleanly; indexing what was written");
                match probe_file(&abs) {
                    Ok(p) => {
                        let bytes = std::fs::metadata(&abs).map(|m| m.len()).unwrap_or(0);
                        let end = self.start_us + p.duration_us.max(1);
                        (p.frames, bytes, end, p.audio_codec)
                    }
                    // Read through and no frames in it (or not a recording at all): drop it.
                    Err(MediaError::Unsupported(_)) => {
                        let _ = std::fs::remove_file(&abs);
                        lib.abandon_segment(&self.rel_path)?;
                        return Err(e.into());
                    }
                    // Unreadable for now (I/O error, out of descriptors): keep the file and
                    // its journal row, so recovery settles it later instead of losing footage.
                    Err(probe) => {
                        tracing::warn!(path = %abs.display(), error = %probe, "segment kept for recovery: it cannot be read now");
                        return Err(e.into());
                    }
                }
            }
        };
        Ok(Some(FinishedSegment {
            camera_id: self.camera_id,
            kind: self.kind,
            start_us: self.start_us,
            end_us,
            rel_path: self.rel_path.clone(),
            bytes,
            codec: self.codec.to_string(),
            width: self.width,
            height: self.height,
            frames,
            event_id: self.event_id,
            audio_codec: audio,
        }))
    }
}

/// A segment file that cannot be created, in words; a full disk is told apart so retention
/// frees space at once.
fn create_error(path: &std::path::Path, e: &std::io::Error) -> MediaError {
    let msg = format!("cannot create {}: {}", path.display(), io_reason(e));
    if e.kind() == std::io::ErrorKind::StorageFull {
        MediaError::DiskFull(msg)
    } else {
        MediaError::Write(msg)
    }
}
