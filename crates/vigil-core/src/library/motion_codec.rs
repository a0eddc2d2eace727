//! The motion index's row format: one row per camera-minute holds the OR of the minute's
//! moved cells (a 72-byte [`CellMask`], or nothing when nothing moved) and its frames with
//! any moved cell, each as its offset in the minute and how its cells differ from the
//! previous stored frame's (the first: from none), sparse or as a bitset, whichever is
//! smaller. A moving object's cells change little from one frame to the next, so most
//! frames take 3 to 7 bytes.
//!
//! A frame is `offset_ms: u16 LE`, `n: u8`, then `n` toggled cell indices (`u16 LE`) when
//! `n <= SPARSE_MAX` (0: the same cells as the previous frame), or, when `n == BITSET`, the
//! 72-byte mask of the toggled cells.

use crate::detect::cells::{CellMask, MASK_BYTES};

/// Up to this many toggled cells a frame lists them (2 bytes each); more, and it stores
/// the bitset.
pub const SPARSE_MAX: usize = MASK_BYTES / 2 - 1;
const BITSET: u8 = 0xFF;

/// One analysed frame with motion: its time from the start of its minute and its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameCells {
    pub offset_ms: u16,
    pub cells: CellMask,
}

/// A stored frames blob that does not parse (a damaged row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a motion index row is damaged (frames data ends early at byte {at})")]
pub struct DamagedRow {
    pub at: usize,
}

/// Appends frames to one row's blob, each against the one before.
#[derive(Debug, Clone, Default)]
pub struct FrameWriter {
    prev: CellMask,
}

impl FrameWriter {
    /// Appends `frame` to `out`. Frames without a moved cell are not stored.
    pub fn push(&mut self, out: &mut Vec<u8>, frame: &FrameCells) {
        if frame.cells.is_empty() {
            return;
        }
        let toggled = frame.cells.xor(&self.prev);
        self.prev = frame.cells;
        out.extend_from_slice(&frame.offset_ms.to_le_bytes());
        let n = toggled.count() as usize;
        if n <= SPARSE_MAX {
            out.push(n as u8);
            for i in toggled.indices() {
                out.extend_from_slice(&(i as u16).to_le_bytes());
            }
        } else {
            out.push(BITSET);
            out.extend_from_slice(&toggled.to_bytes());
        }
    }
}

/// Encodes frames (in the order given).
pub fn encode_frames(frames: &[FrameCells]) -> Vec<u8> {
    let (mut out, mut writer) = (Vec::new(), FrameWriter::default());
    for f in frames {
        writer.push(&mut out, f);
    }
    out
}

/// Calls `each` with every frame of a blob, in stored order.
pub fn for_each_frame(blob: &[u8], mut each: impl FnMut(FrameCells)) -> Result<(), DamagedRow> {
    let mut cells = CellMask::EMPTY;
    let mut at = 0;
    while at < blob.len() {
        let head = blob.get(at..at + 3).ok_or(DamagedRow { at })?;
        let offset_ms = u16::from_le_bytes([head[0], head[1]]);
        let n = head[2];
        at += 3;
        if n == BITSET {
            let bytes = blob.get(at..at + MASK_BYTES).ok_or(DamagedRow { at })?;
            cells = cells.xor(&CellMask::from_bytes(bytes).ok_or(DamagedRow { at })?);
            at += MASK_BYTES;
        } else {
            let len = usize::from(n) * 2;
            let list = blob.get(at..at + len).ok_or(DamagedRow { at })?;
            for pair in list.chunks_exact(2) {
                cells.toggle(usize::from(u16::from_le_bytes([pair[0], pair[1]])));
            }
            at += len;
        }
        each(FrameCells { offset_ms, cells });
    }
    Ok(())
}

/// Calls `each(offset_ms, moved)` with every frame of a blob and how many of its cells are
/// in `mask` (the search's inner loop: one AND and count per frame).
pub fn count_in_frames(
    blob: &[u8],
    mask: &CellMask,
    mut each: impl FnMut(u16, u32),
) -> Result<(), DamagedRow> {
    for_each_frame(blob, |f| each(f.offset_ms, f.cells.and(mask).count()))
}

/// Decodes a whole blob.
pub fn decode_frames(blob: &[u8]) -> Result<Vec<FrameCells>, DamagedRow> {
    let mut out = Vec::new();
    for_each_frame(blob, |f| out.push(f))?;
    Ok(out)
}

/// The stored form of a minute's OR mask: nothing when nothing moved.
pub fn mask_blob(mask: &CellMask) -> Vec<u8> {
    if mask.is_empty() {
        Vec::new()
    } else {
        mask.to_bytes().to_vec()
    }
}

/// A stored OR mask back (an empty or damaged blob reads as nothing moved).
pub fn mask_of(blob: &[u8]) -> CellMask {
    CellMask::from_bytes(blob).unwrap_or(CellMask::EMPTY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(list: &[usize]) -> CellMask {
        let mut m = CellMask::EMPTY;
        for &i in list {
            m.set(i);
        }
        m
    }

    #[test]
    fn frames_round_trip_sparse_and_bitset() {
        let many: Vec<usize> = (0..200).map(|i| i * 2).collect();
        let frames = vec![
            FrameCells {
                offset_ms: 0,
                cells: cells(&[0, 575]),
            },
            FrameCells {
                offset_ms: 200,
                cells: cells(&many),
            },
            FrameCells {
                offset_ms: 400,
                cells: cells(&many),
            },
            FrameCells {
                offset_ms: 59_999,
                cells: cells(&(0..SPARSE_MAX).collect::<Vec<_>>()),
            },
        ];
        let blob = encode_frames(&frames);
        // Frame 4 against frame 3: evens from 36 to 398 go, odds below 35 come.
        assert_eq!(
            blob.len(),
            (3 + 4) + (3 + MASK_BYTES) + 3 + (3 + MASK_BYTES),
            "sparse when smaller, bitset otherwise, nothing for the same cells"
        );
        assert_eq!(decode_frames(&blob).expect("decodes"), frames);
        let mut counted = Vec::new();
        count_in_frames(&blob, &cells(&[0, 2, 4, 575]), |t, n| counted.push((t, n)))
            .expect("counts");
        assert_eq!(counted, vec![(0, 2), (200, 3), (400, 3), (59_999, 3)]);
    }

    #[test]
    fn quiet_frames_are_not_stored_and_a_cut_blob_is_damaged() {
        let quiet = FrameCells {
            offset_ms: 5,
            cells: CellMask::EMPTY,
        };
        assert!(encode_frames(&[quiet]).is_empty());
        let blob = encode_frames(&[FrameCells {
            offset_ms: 5,
            cells: cells(&[1, 2, 3]),
        }]);
        assert!(decode_frames(&blob[..blob.len() - 1]).is_err());
        let step = encode_frames(&[
            FrameCells {
                offset_ms: 0,
                cells: cells(&[1, 2, 3]),
            },
            FrameCells {
                offset_ms: 200,
                cells: cells(&[2, 3, 4]),
            },
        ]);
        assert_eq!(
            step.len(),
            (3 + 6) + (3 + 4),
            "a step of one cell toggles two"
        );
        assert_eq!(mask_of(&mask_blob(&CellMask::EMPTY)), CellMask::EMPTY);
        assert!(mask_blob(&CellMask::EMPTY).is_empty());
    }
}
