//! Decoder configuration of a live track: the stream's parameter sets as an MP4 decoder
//! configuration record (`avcC`, ISO/IEC 14496-15 §5.3.3; `hvcC`, §8.3.3) and the codec
//! string a browser's Media Source Extensions ask for (RFC 6381; 14496-15 Annex E).

use super::nal::{kind, rbsp, Bits, NalKind};
use crate::media::packet::VideoCodec;

/// Why a stream's parameter sets cannot make a decoder configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("the stream has no {0} parameter sets")]
    Missing(&'static str),
    #[error("the stream's sequence parameter set is unreadable")]
    BadSps,
    #[error("the stream's decoder configuration record is unreadable")]
    BadRecord,
}

/// A stream's parameter sets, each a NAL unit without start code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParameterSets {
    pub vps: Vec<Vec<u8>>,
    pub sps: Vec<Vec<u8>>,
    pub pps: Vec<Vec<u8>>,
}

impl ParameterSets {
    /// The parameter sets among `nals` (repeats of one set kept once).
    pub fn from_nals<'a>(codec: VideoCodec, nals: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut sets = Self::default();
        for nal in nals {
            let list = match kind(codec, nal) {
                NalKind::Vps => &mut sets.vps,
                NalKind::Sps => &mut sets.sps,
                NalKind::Pps => &mut sets.pps,
                _ => continue,
            };
            if !list.iter().any(|n| n == nal) {
                list.push(nal.to_vec());
            }
        }
        sets
    }

    /// Everything a decoder needs: SPS and PPS, and a VPS for H.265.
    pub fn is_complete(&self, codec: VideoCodec) -> bool {
        !self.sps.is_empty()
            && !self.pps.is_empty()
            && (codec == VideoCodec::H264 || !self.vps.is_empty())
    }
}

/// The `avcC`/`hvcC` payload of a track's sample entry and what it tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoderConfig {
    pub codec: VideoCodec,
    /// The record (the box's payload, without box header).
    pub record: Vec<u8>,
    /// Bytes of each NAL unit's length prefix in samples (1, 2 or 4).
    pub length_size: u8,
    /// Parameter sets may also come inside samples (`avc3`/`hev1` rather than `avc1`/`hvc1`).
    pub in_band: bool,
}

impl DecoderConfig {
    /// A record holding `sets`, for samples with 4-byte length prefixes.
    pub fn from_parameter_sets(
        codec: VideoCodec,
        sets: &ParameterSets,
    ) -> Result<Self, ConfigError> {
        let record = match codec {
            VideoCodec::H264 => avcc(sets)?,
            VideoCodec::H265 => hvcc(sets)?,
        };
        Ok(Self {
            codec,
            record,
            length_size: 4,
            in_band: false,
        })
    }

    /// A record as a file stores it (FFmpeg's extradata of an MP4 input), kept as it is.
    pub fn from_record(codec: VideoCodec, record: &[u8]) -> Result<Self, ConfigError> {
        let at = match codec {
            VideoCodec::H264 => 4,
            VideoCodec::H265 => 21,
        };
        let fixed = if codec == VideoCodec::H264 { 6 } else { 23 };
        if record.len() < fixed || record[0] != 1 {
            return Err(ConfigError::BadRecord);
        }
        let length_size = (record[at] & 3) + 1;
        if length_size == 3 {
            return Err(ConfigError::BadRecord);
        }
        Ok(Self {
            codec,
            record: record.to_vec(),
            length_size,
            in_band: true,
        })
    }

    /// The sample entry's four-character code.
    pub fn sample_entry(&self) -> [u8; 4] {
        match (self.codec, self.in_band) {
            (VideoCodec::H264, false) => *b"avc1",
            (VideoCodec::H264, true) => *b"avc3",
            (VideoCodec::H265, false) => *b"hvc1",
            (VideoCodec::H265, true) => *b"hev1",
        }
    }

    /// The configuration box's four-character code.
    pub fn record_box(&self) -> [u8; 4] {
        match self.codec {
            VideoCodec::H264 => *b"avcC",
            VideoCodec::H265 => *b"hvcC",
        }
    }

    /// The codec string for `MediaSource.isTypeSupported` / `addSourceBuffer`, e.g.
    /// `avc1.640028` or `hvc1.1.6.L120.90`.
    pub fn codec_string(&self) -> String {
        let entry = String::from_utf8_lossy(&self.sample_entry()).into_owned();
        let r = &self.record;
        match self.codec {
            VideoCodec::H264 => format!("{entry}.{:02X}{:02X}{:02X}", r[1], r[2], r[3]),
            VideoCodec::H265 => {
                let space = ["", "A", "B", "C"][usize::from(r[1] >> 6)];
                let tier = if r[1] & 0x20 != 0 { 'H' } else { 'L' };
                let compat = u32::from_be_bytes([r[2], r[3], r[4], r[5]]).reverse_bits();
                let mut s = format!("{entry}.{space}{}.{compat:X}.{tier}{}", r[1] & 0x1f, r[12]);
                let constraints = &r[6..12];
                let used = constraints
                    .iter()
                    .rposition(|&b| b != 0)
                    .map_or(0, |i| i + 1);
                for b in &constraints[..used] {
                    s.push_str(&format!(".{b:X}"));
                }
                s
            }
        }
    }
}

/// Appends `nal` behind its 16-bit length.
fn push_nal(out: &mut Vec<u8>, nal: &[u8]) -> Result<(), ConfigError> {
    let len = u16::try_from(nal.len()).map_err(|_| ConfigError::BadSps)?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(nal);
    Ok(())
}

/// Chroma format and bit depths (minus 8) an H.264 SPS of a High profile declares.
fn h264_format(sps: &[u8]) -> Option<(u8, u8, u8)> {
    let data = rbsp(sps);
    let mut b = Bits::new(&data, 4);
    b.ue()?; // seq_parameter_set_id
    let chroma = b.ue()?;
    if chroma == 3 {
        b.bit()?; // separate_colour_plane_flag
    }
    let (luma, chroma_depth) = (b.ue()?, b.ue()?);
    Some((
        u8::try_from(chroma).ok()?,
        u8::try_from(luma).ok()?,
        u8::try_from(chroma_depth).ok()?,
    ))
}

/// `AVCDecoderConfigurationRecord`.
fn avcc(sets: &ParameterSets) -> Result<Vec<u8>, ConfigError> {
    let sps = sets.sps.first().ok_or(ConfigError::Missing("SPS"))?;
    if sets.pps.is_empty() {
        return Err(ConfigError::Missing("PPS"));
    }
    if sps.len() < 4 || sets.sps.len() > 31 || sets.pps.len() > 255 {
        return Err(ConfigError::BadSps);
    }
    let profile = sps[1];
    let mut out = vec![
        1,
        profile,
        sps[2],
        sps[3],
        0xfc | 3,
        0xe0 | sets.sps.len() as u8,
    ];
    for s in &sets.sps {
        push_nal(&mut out, s)?;
    }
    out.push(sets.pps.len() as u8);
    for p in &sets.pps {
        push_nal(&mut out, p)?;
    }
    if matches!(profile, 100 | 110 | 122 | 144) {
        let (chroma, luma, chroma_depth) = h264_format(sps).ok_or(ConfigError::BadSps)?;
        out.extend_from_slice(&[0xfc | chroma, 0xf8 | luma, 0xf8 | chroma_depth, 0]);
    }
    Ok(out)
}

/// What an H.265 SPS says that `hvcC` repeats.
struct HevcSps {
    /// general_profile_space .. general_level_idc: 12 bytes.
    ptl: [u8; 12],
    sub_layers: u8,
    temporal_id_nested: bool,
    chroma: u8,
    luma_depth: u8,
    chroma_depth: u8,
}

fn hevc_sps(sps: &[u8]) -> Option<HevcSps> {
    let data = rbsp(sps);
    let ptl: [u8; 12] = data.get(3..15)?.try_into().ok()?;
    let mut b = Bits::new(&data, 2);
    b.bits(4)?; // sps_video_parameter_set_id
    let max_sub_layers_minus1 = b.bits(3)? as usize;
    let nested = b.bit()? == 1;
    b.skip(96)?; // general profile, tier and level
    let mut present = Vec::with_capacity(max_sub_layers_minus1);
    for _ in 0..max_sub_layers_minus1 {
        present.push((b.bit()? == 1, b.bit()? == 1));
    }
    if max_sub_layers_minus1 > 0 {
        b.skip(2 * (8 - max_sub_layers_minus1))?;
    }
    for (profile, level) in present {
        b.skip(88 * usize::from(profile) + 8 * usize::from(level))?;
    }
    b.ue()?; // sps_seq_parameter_set_id
    let chroma = b.ue()?;
    if chroma == 3 {
        b.bit()?;
    }
    b.ue()?; // pic_width_in_luma_samples
    b.ue()?; // pic_height_in_luma_samples
    if b.bit()? == 1 {
        for _ in 0..4 {
            b.ue()?; // conformance window offsets
        }
    }
    let (luma_depth, chroma_depth) = (b.ue()?, b.ue()?);
    Some(HevcSps {
        ptl,
        sub_layers: max_sub_layers_minus1 as u8 + 1,
        temporal_id_nested: nested,
        chroma: u8::try_from(chroma).ok().filter(|c| *c <= 3)?,
        luma_depth: u8::try_from(luma_depth).ok().filter(|d| *d <= 7)?,
        chroma_depth: u8::try_from(chroma_depth).ok().filter(|d| *d <= 7)?,
    })
}

/// `HEVCDecoderConfigurationRecord`, with complete VPS, SPS and PPS arrays.
fn hvcc(sets: &ParameterSets) -> Result<Vec<u8>, ConfigError> {
    for (list, name) in [(&sets.vps, "VPS"), (&sets.sps, "SPS"), (&sets.pps, "PPS")] {
        if list.is_empty() {
            return Err(ConfigError::Missing(name));
        }
        if list.len() > usize::from(u16::MAX) {
            return Err(ConfigError::BadSps);
        }
    }
    let sps = hevc_sps(&sets.sps[0]).ok_or(ConfigError::BadSps)?;
    let mut out = vec![1];
    out.extend_from_slice(&sps.ptl);
    out.extend_from_slice(&[0xf0, 0x00]); // min_spatial_segmentation_idc unknown
    out.push(0xfc); // parallelismType unknown
    out.push(0xfc | sps.chroma);
    out.push(0xf8 | sps.luma_depth);
    out.push(0xf8 | sps.chroma_depth);
    out.extend_from_slice(&[0, 0]); // avgFrameRate unknown
    out.push(((sps.sub_layers & 7) << 3) | (u8::from(sps.temporal_id_nested) << 2) | 3);
    out.push(3);
    for (list, nal_type) in [(&sets.vps, 32u8), (&sets.sps, 33), (&sets.pps, 34)] {
        out.push(0x80 | nal_type); // array_completeness: every set is here
        out.extend_from_slice(&(list.len() as u16).to_be_bytes());
        for nal in list {
            push_nal(&mut out, nal)?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Baseline SPS (profile 66, constraint 0xC0, level 30) and a PPS.
    const SPS: &[u8] = &[0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8];
    const PPS: &[u8] = &[0x68, 0xce, 0x3c, 0x80];

    #[test]
    fn avcc_holds_the_sets_and_names_the_profile() {
        let sets = ParameterSets::from_nals(VideoCodec::H264, [SPS, PPS, SPS]);
        assert_eq!(sets.sps.len(), 1, "a repeated set is kept once");
        assert!(sets.is_complete(VideoCodec::H264));
        assert!(!sets.is_complete(VideoCodec::H265), "H.265 needs a VPS");
        let c = DecoderConfig::from_parameter_sets(VideoCodec::H264, &sets).expect("config");
        let mut want = vec![1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0, 10];
        want.extend_from_slice(SPS);
        want.extend_from_slice(&[1, 0, 4]);
        want.extend_from_slice(PPS);
        assert_eq!(c.record, want);
        assert_eq!(c.codec_string(), "avc1.42C01E");
        assert_eq!(&c.sample_entry(), b"avc1");
        let file = DecoderConfig::from_record(VideoCodec::H264, &want).expect("record");
        assert_eq!(
            (file.length_size, file.codec_string()),
            (4, "avc3.42C01E".into())
        );
        assert_eq!(
            DecoderConfig::from_record(VideoCodec::H264, &[0, 0, 0]),
            Err(ConfigError::BadRecord)
        );
        let none = ParameterSets::from_nals(VideoCodec::H264, [PPS]);
        assert_eq!(
            DecoderConfig::from_parameter_sets(VideoCodec::H264, &none),
            Err(ConfigError::Missing("SPS"))
        );
    }

    #[test]
    fn hevc_codec_strings_follow_annex_e() {
        let mut record = vec![1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 120];
        record.resize(23, 0);
        record[21] = 0x0f;
        let c = DecoderConfig::from_record(VideoCodec::H265, &record).expect("record");
        assert_eq!(c.codec_string(), "hev1.1.6.L120.90");
        record[1] = 0x22; // tier High, Main 10
        record[2..6].copy_from_slice(&[0x20, 0, 0, 0]);
        record[6..12].copy_from_slice(&[0xb0, 0, 0x23, 0, 0, 0]);
        let c = DecoderConfig::from_record(VideoCodec::H265, &record).expect("record");
        assert_eq!(c.codec_string(), "hev1.2.4.H120.B0.0.23");
    }
}
