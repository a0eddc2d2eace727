//! Writes the real duration into a finished fragmented MP4's movie header. The header is
//! written before the first fragment, when the duration is not known, and players such as
//! browsers then treat the file as endless (no seek bar, no `ended`); patching the two
//! duration fields in place changes no size, so the file stays valid at every step.
//!
//! The file is read as untrusted: a box is only used when its header and its whole extent
//! lie inside its parent, and a field is only written when it lies inside its box, so a
//! truncated or lying file is left as it is (and gets an error), never written past.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

/// A box found in the file: its type and byte range, and where its payload starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mp4Box {
    pub kind: [u8; 4],
    pub start: u64,
    pub payload: u64,
    pub end: u64,
}

/// A duration field that was overwritten, the box it belongs to and that box's containers
/// (outermost first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Patched {
    pub parents: Vec<Mp4Box>,
    pub within: Mp4Box,
    pub field: Range<u64>,
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

/// Reads the box header at `pos`, which must fit in `[pos, end)` with the whole box;
/// `None` for a header that is cut short or a size that lies (smaller than the header,
/// or past `end`). Size 0 means "to the end of the parent", as ISO/IEC 14496-12 allows at
/// the top level.
fn box_at<F: Read + Seek>(f: &mut F, pos: u64, end: u64) -> std::io::Result<Option<Mp4Box>> {
    let room = end.saturating_sub(pos);
    if room < 8 {
        return Ok(None);
    }
    let mut h = [0u8; 8];
    f.seek(SeekFrom::Start(pos))?;
    f.read_exact(&mut h)?;
    let kind = [h[4], h[5], h[6], h[7]];
    let (size, header) = match u32::from_be_bytes([h[0], h[1], h[2], h[3]]) {
        0 => (room, 8),
        1 if room >= 16 => {
            let mut l = [0u8; 8];
            f.read_exact(&mut l)?;
            (u64::from_be_bytes(l), 16)
        }
        1 => return Ok(None),
        n => (u64::from(n), 8),
    };
    if size < header || size > room {
        return Ok(None);
    }
    Ok(Some(Mp4Box {
        kind,
        start: pos,
        payload: pos + header,
        end: pos + size,
    }))
}

/// Finds the first box `kind` among the boxes in `[start, end)`. Stops at the first box
/// whose header does not make sense: what follows it cannot be located.
fn find<F: Read + Seek>(
    f: &mut F,
    start: u64,
    end: u64,
    kind: &[u8; 4],
) -> std::io::Result<Option<Mp4Box>> {
    let mut pos = start;
    while let Some(b) = box_at(f, pos, end)? {
        if &b.kind == kind {
            return Ok(Some(b));
        }
        pos = b.end;
    }
    Ok(None)
}

/// Reads the version byte of a full box, `None` when the payload is empty.
fn version<F: Read + Seek>(f: &mut F, b: &Mp4Box) -> std::io::Result<Option<u8>> {
    if b.payload >= b.end {
        return Ok(None);
    }
    let mut v = [0u8; 1];
    f.seek(SeekFrom::Start(b.payload))?;
    f.read_exact(&mut v)?;
    Ok(Some(v[0]))
}

/// Overwrites a full box's duration field: `offset_v0`/`offset_v1` bytes into the payload
/// for version 0 (32-bit) and version 1 (64-bit) boxes. A field that does not fit in the
/// box is left alone (`None`).
fn patch<F: Read + Write + Seek>(
    f: &mut F,
    parents: &[Mp4Box],
    b: &Mp4Box,
    (offset_v0, offset_v1): (u64, u64),
    value: u64,
) -> std::io::Result<Option<Patched>> {
    let bytes = match version(f, b)? {
        None => return Ok(None),
        Some(1) => (offset_v1, value.to_be_bytes().to_vec()),
        Some(_) => (
            offset_v0,
            u32::try_from(value)
                .unwrap_or(u32::MAX)
                .to_be_bytes()
                .to_vec(),
        ),
    };
    let (offset, bytes) = bytes;
    let field = b.payload + offset..b.payload + offset + bytes.len() as u64;
    if field.end > b.end {
        return Ok(None);
    }
    f.seek(SeekFrom::Start(field.start))?;
    f.write_all(&bytes)?;
    Ok(Some(Patched {
        parents: parents.to_vec(),
        within: *b,
        field,
    }))
}

/// Reads mvhd's timescale (units per second), `None` when the box is too short for it.
fn timescale<F: Read + Seek>(f: &mut F, mvhd: &Mp4Box) -> std::io::Result<Option<u64>> {
    // mvhd: version/flags, creation, modification, timescale (v0: 4-byte fields, v1: 8).
    let at = match version(f, mvhd)? {
        None => return Ok(None),
        Some(1) => mvhd.payload + 20,
        Some(_) => mvhd.payload + 12,
    };
    if at + 4 > mvhd.end {
        return Ok(None);
    }
    let mut ts = [0u8; 4];
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(&mut ts)?;
    Ok(Some(u64::from(u32::from_be_bytes(ts))))
}

/// Sets the movie duration (`mvhd`, and the first track's `tkhd`) of the `len`-byte MP4 in
/// `f` to `duration_us`; returns the fields written.
pub(crate) fn patch_durations<F: Read + Write + Seek>(
    f: &mut F,
    len: u64,
    duration_us: i64,
) -> std::io::Result<Vec<Patched>> {
    let moov = find(f, 0, len, b"moov")?.ok_or_else(|| invalid("no movie header"))?;
    let mvhd =
        find(f, moov.payload, moov.end, b"mvhd")?.ok_or_else(|| invalid("no movie header"))?;
    let timescale = timescale(f, &mvhd)?.ok_or_else(|| invalid("the movie header is cut short"))?;
    let units = u128::from(duration_us.max(0).unsigned_abs()) * u128::from(timescale) / 1_000_000;
    let units = u64::try_from(units).unwrap_or(u64::MAX);
    let mut done = Vec::new();
    // mvhd: version/flags, creation, modification, timescale, duration.
    done.extend(patch(f, &[moov], &mvhd, (16, 24), units)?);
    if let Some(trak) = find(f, moov.payload, moov.end, b"trak")? {
        if let Some(tkhd) = find(f, trak.payload, trak.end, b"tkhd")? {
            // tkhd: version/flags, creation, modification, track id, reserved, duration.
            done.extend(patch(f, &[moov, trak], &tkhd, (20, 28), units)?);
        }
    }
    Ok(done)
}

/// Sets the movie duration (`mvhd`, and the first track's `tkhd`) to `duration_us`.
pub fn write_duration(path: &Path, duration_us: i64) -> std::io::Result<()> {
    let mut f = File::options().read(true).write(true).open(path)?;
    let len = f.metadata()?.len();
    patch_durations(&mut f, len, duration_us)?;
    f.flush()
}

#[cfg(test)]
#[path = "mp4_duration_props.rs"]
mod props;
