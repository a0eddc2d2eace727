//! Writes the real duration into a finished fragmented MP4's movie header. The header is
//! written before the first fragment, when the duration is not known, and players such as
//! browsers then treat the file as endless (no seek bar, no `ended`); patching the two
//! duration fields in place changes no size, so the file stays valid at every step.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Reads a box header at the current position: (size, type, header length).
fn box_header(f: &mut File) -> std::io::Result<(u64, [u8; 4], u64)> {
    let mut h = [0u8; 8];
    f.read_exact(&mut h)?;
    let size = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
    let kind = [h[4], h[5], h[6], h[7]];
    if size == 1 {
        let mut l = [0u8; 8];
        f.read_exact(&mut l)?;
        return Ok((u64::from_be_bytes(l), kind, 16));
    }
    Ok((size, kind, 8))
}

/// Finds the box `kind` among the boxes in `[start, end)`; returns (payload start, end).
fn find(f: &mut File, start: u64, end: u64, kind: &[u8; 4]) -> std::io::Result<Option<(u64, u64)>> {
    let mut pos = start;
    while pos + 8 <= end {
        f.seek(SeekFrom::Start(pos))?;
        let (size, k, header) = box_header(f)?;
        if size < header {
            return Ok(None);
        }
        if &k == kind {
            return Ok(Some((pos + header, pos + size)));
        }
        pos += size;
    }
    Ok(None)
}

/// Overwrites a full box's duration field: `offset_v0`/`offset_v1` bytes into the payload
/// for version 0 (32-bit) and version 1 (64-bit) boxes. `scale` converts µs to its units.
fn patch(
    f: &mut File,
    payload: u64,
    offset_v0: u64,
    offset_v1: u64,
    value: u64,
) -> std::io::Result<()> {
    f.seek(SeekFrom::Start(payload))?;
    let mut version = [0u8; 1];
    f.read_exact(&mut version)?;
    if version[0] == 1 {
        f.seek(SeekFrom::Start(payload + offset_v1))?;
        f.write_all(&value.to_be_bytes())
    } else {
        f.seek(SeekFrom::Start(payload + offset_v0))?;
        f.write_all(&u32::try_from(value).unwrap_or(u32::MAX).to_be_bytes())
    }
}

/// Sets the movie duration (`mvhd`, and the first track's `tkhd`) to `duration_us`.
pub fn write_duration(path: &Path, duration_us: i64) -> std::io::Result<()> {
    let mut f = File::options().read(true).write(true).open(path)?;
    let len = f.metadata()?.len();
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "no movie header");
    let (moov, moov_end) = find(&mut f, 0, len, b"moov")?.ok_or_else(bad)?;
    let (mvhd, _) = find(&mut f, moov, moov_end, b"mvhd")?.ok_or_else(bad)?;
    // mvhd: version/flags, creation, modification, timescale, duration (v0: 4-byte fields).
    f.seek(SeekFrom::Start(mvhd))?;
    let mut v = [0u8; 1];
    f.read_exact(&mut v)?;
    let timescale_at = if v[0] == 1 { mvhd + 20 } else { mvhd + 12 };
    f.seek(SeekFrom::Start(timescale_at))?;
    let mut ts = [0u8; 4];
    f.read_exact(&mut ts)?;
    let timescale = u64::from(u32::from_be_bytes(ts));
    let units = (duration_us.max(0) as u128 * u128::from(timescale) / 1_000_000) as u64;
    patch(&mut f, mvhd, 16, 24, units)?;
    if let Some((trak, trak_end)) = find(&mut f, moov, moov_end, b"trak")? {
        if let Some((tkhd, _)) = find(&mut f, trak, trak_end, b"tkhd")? {
            // tkhd: version/flags, creation, modification, track id, reserved, duration.
            patch(&mut f, tkhd, 20, 28, units)?;
        }
    }
    f.flush()
}
