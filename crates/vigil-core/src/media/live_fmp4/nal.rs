//! NAL units of H.264/H.265 access units: splitting an Annex B byte stream into units,
//! telling parameter sets from picture data, and reading a unit's RBSP bit by bit (for the
//! few SPS fields an MP4 decoder configuration record repeats).

use crate::media::packet::VideoCodec;

/// What a NAL unit is, as far as MP4 packaging cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NalKind {
    /// H.265 video parameter set.
    Vps,
    Sps,
    Pps,
    /// Access unit delimiter: not carried in MP4 samples.
    Delimiter,
    /// Picture data, SEI and everything else: carried as it is.
    Other,
}

/// The kind of a NAL unit (its first byte or two are its header).
pub fn kind(codec: VideoCodec, nal: &[u8]) -> NalKind {
    let Some(&header) = nal.first() else {
        return NalKind::Other;
    };
    match codec {
        VideoCodec::H264 => match header & 0x1f {
            7 => NalKind::Sps,
            8 => NalKind::Pps,
            9 => NalKind::Delimiter,
            _ => NalKind::Other,
        },
        VideoCodec::H265 => match (header >> 1) & 0x3f {
            32 => NalKind::Vps,
            33 => NalKind::Sps,
            34 => NalKind::Pps,
            35 => NalKind::Delimiter,
            _ => NalKind::Other,
        },
    }
}

/// The NAL units of an Annex B access unit, without start codes or the zero bytes that pad
/// between units; empty when `data` holds no start code.
pub fn split_annex_b(data: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= data.len() {
        if data[i + 2] > 1 {
            i += 3; // no start code can begin at i, i+1 or i+2
        } else if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(data.len(), |&next| next - 3);
        let mut nal = &data[start..end];
        while let [rest @ .., 0] = nal {
            nal = rest;
        }
        if !nal.is_empty() {
            out.push(nal);
        }
    }
    out
}

/// A NAL unit's payload with the emulation-prevention bytes (`00 00 03`) removed.
pub fn rbsp(nal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nal.len());
    let mut zeros = 0;
    for &b in nal {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

/// Reads an RBSP most significant bit first; `None` past its end.
pub struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bits<'a> {
    /// Starts reading at byte `from`.
    pub fn new(data: &'a [u8], from: usize) -> Self {
        Self {
            data,
            pos: from * 8,
        }
    }

    pub fn bit(&mut self) -> Option<u32> {
        let byte = self.data.get(self.pos / 8)?;
        let bit = (byte >> (7 - self.pos % 8)) & 1;
        self.pos += 1;
        Some(u32::from(bit))
    }

    /// `n` bits (at most 64) as an unsigned number.
    pub fn bits(&mut self, n: u32) -> Option<u64> {
        let mut v = 0u64;
        for _ in 0..n {
            v = (v << 1) | u64::from(self.bit()?);
        }
        Some(v)
    }

    pub fn skip(&mut self, n: usize) -> Option<()> {
        self.pos += n;
        (self.pos <= self.data.len() * 8).then_some(())
    }

    /// An unsigned Exp-Golomb number (`ue(v)`).
    pub fn ue(&mut self) -> Option<u32> {
        let mut zeros = 0;
        while self.bit()? == 0 {
            zeros += 1;
            if zeros > 31 {
                return None;
            }
        }
        let rest = self.bits(zeros)?;
        u32::try_from((1u64 << zeros) - 1 + rest).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annex_b_splits_on_three_and_four_byte_start_codes() {
        let au = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0, 0, 3, 1,
        ];
        let nals = split_annex_b(&au);
        assert_eq!(
            nals,
            vec![&[0x67, 1, 2][..], &[0x68, 3], &[0x65, 4, 5, 0, 0, 3, 1]]
        );
        let kinds: Vec<_> = nals.iter().map(|n| kind(VideoCodec::H264, n)).collect();
        assert_eq!(kinds, [NalKind::Sps, NalKind::Pps, NalKind::Other]);
        assert!(
            split_annex_b(&[0, 0, 2, 0x65, 1]).is_empty(),
            "no start code"
        );
        assert!(split_annex_b(&[]).is_empty());
        // HEVC: VPS 32, SPS 33, PPS 34, AUD 35, IDR 19.
        let hevc = [0x40, 0x42, 0x44, 0x46, 0x26].map(|h| kind(VideoCodec::H265, &[h, 1]));
        use NalKind::*;
        assert_eq!(hevc, [Vps, Sps, Pps, Delimiter, Other]);
    }

    #[test]
    fn emulation_prevention_is_removed_and_exp_golomb_read() {
        assert_eq!(
            rbsp(&[0, 0, 3, 1, 0, 0, 3, 0, 3]),
            vec![0, 0, 1, 0, 0, 0, 3]
        );
        // 1 | 010 | 011 | 00100 | 0001000 -> ue: 0, 1, 2, 3, 7
        let data = [0b1010_0110, 0b0100_0001, 0b0000_0000];
        let mut b = Bits::new(&data, 0);
        let got: Vec<_> = (0..5).map(|_| b.ue()).collect();
        assert_eq!(got, [Some(0), Some(1), Some(2), Some(3), Some(7)]);
        assert_eq!(Bits::new(&[0, 0, 0, 0, 0], 0).ue(), None, "too long");
        let mut b = Bits::new(&[0xf0], 0);
        assert_eq!(b.bits(4), Some(0xf));
        assert_eq!(b.skip(5), None, "past the end");
    }
}
