//! The ISO BMFF boxes of a live fragmented MP4 (ISO/IEC 14496-12): the initialization
//! segment (`ftyp` + `moov` with one video track and `mvex`) and one-sample media segments
//! (`moof` with `mfhd`, `tfhd` default-base-is-moof, `tfdt`, `trun`; then `mdat`).

use super::config::DecoderConfig;

/// Writes boxes into a byte buffer; each box's size is filled in when it closes.
#[derive(Default)]
pub struct BoxWriter {
    pub buf: Vec<u8>,
}

impl BoxWriter {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            buf: Vec::with_capacity(n),
        }
    }

    /// A box of type `fourcc` whose content `body` writes.
    pub fn boxed(&mut self, fourcc: &[u8; 4], body: impl FnOnce(&mut Self)) {
        let start = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]);
        self.buf.extend_from_slice(fourcc);
        body(self);
        let size = u32::try_from(self.buf.len() - start).unwrap_or(u32::MAX);
        self.buf[start..start + 4].copy_from_slice(&size.to_be_bytes());
    }

    /// A full box: version and flags, then `body`.
    pub fn full(
        &mut self,
        fourcc: &[u8; 4],
        version: u8,
        flags: u32,
        body: impl FnOnce(&mut Self),
    ) {
        self.boxed(fourcc, |w| {
            w.u32((u32::from(version) << 24) | (flags & 0x00ff_ffff));
            body(w);
        });
    }

    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    pub fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }
    pub fn zeros(&mut self, n: usize) {
        self.buf.resize(self.buf.len() + n, 0);
    }
}

/// The identity transformation matrix of `mvhd` and `tkhd`.
const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];
const TRACK_ID: u32 = 1;
/// `sample_depends_on` = 2 (an I picture), sync sample.
pub const KEY_SAMPLE_FLAGS: u32 = 0x0200_0000;
/// `sample_depends_on` = 1, `sample_is_non_sync_sample`.
pub const DELTA_SAMPLE_FLAGS: u32 = 0x0101_0000;

fn matrix(w: &mut BoxWriter) {
    for v in MATRIX {
        w.u32(v);
    }
}

/// `ftyp` + `moov` for one video track of `width`×`height` timed in `timescale`.
pub fn init_segment(config: &DecoderConfig, width: u16, height: u16, timescale: u32) -> Vec<u8> {
    let mut w = BoxWriter::with_capacity(700 + config.record.len());
    w.boxed(b"ftyp", |w| {
        w.bytes(b"iso5");
        w.u32(512);
        for brand in [b"iso5", b"iso6", b"mp41"] {
            w.bytes(brand);
        }
    });
    w.boxed(b"moov", |w| {
        w.full(b"mvhd", 0, 0, |w| {
            w.zeros(8); // creation, modification time
            w.u32(timescale);
            w.u32(0); // duration: unknown (live)
            w.u32(0x0001_0000); // rate 1.0
            w.u16(0x0100); // volume 1.0
            w.zeros(10);
            matrix(w);
            w.zeros(24); // pre_defined
            w.u32(TRACK_ID + 1); // next_track_ID
        });
        w.boxed(b"trak", |w| trak(w, config, width, height, timescale));
        w.boxed(b"mvex", |w| {
            w.full(b"trex", 0, 0, |w| {
                w.u32(TRACK_ID);
                w.u32(1); // default_sample_description_index
                w.zeros(12); // default duration, size, flags: every trun says them
            });
        });
    });
    w.buf
}

fn trak(w: &mut BoxWriter, config: &DecoderConfig, width: u16, height: u16, timescale: u32) {
    w.full(b"tkhd", 0, 3, |w| {
        w.zeros(8); // creation, modification time
        w.u32(TRACK_ID);
        w.zeros(4);
        w.u32(0); // duration
        w.zeros(8);
        w.zeros(8); // layer, alternate_group, volume, reserved
        matrix(w);
        w.u32(u32::from(width) << 16);
        w.u32(u32::from(height) << 16);
    });
    w.boxed(b"mdia", |w| {
        w.full(b"mdhd", 0, 0, |w| {
            w.zeros(8);
            w.u32(timescale);
            w.u32(0);
            w.u16(0x55c4); // language "und"
            w.u16(0);
        });
        w.full(b"hdlr", 0, 0, |w| {
            w.u32(0);
            w.bytes(b"vide");
            w.zeros(12);
            w.bytes(b"VideoHandler\0");
        });
        w.boxed(b"minf", |w| {
            w.full(b"vmhd", 0, 1, |w| w.zeros(8));
            w.boxed(b"dinf", |w| {
                w.full(b"dref", 0, 0, |w| {
                    w.u32(1);
                    w.full(b"url ", 0, 1, |_| {}); // media in this file
                });
            });
            w.boxed(b"stbl", |w| stbl(w, config, width, height));
        });
    });
}

fn stbl(w: &mut BoxWriter, config: &DecoderConfig, width: u16, height: u16) {
    w.full(b"stsd", 0, 0, |w| {
        w.u32(1);
        w.boxed(&config.sample_entry(), |w| {
            w.zeros(6);
            w.u16(1); // data_reference_index
            w.zeros(16); // pre_defined, reserved
            w.u16(width);
            w.u16(height);
            w.u32(0x0048_0000); // 72 dpi
            w.u32(0x0048_0000);
            w.u32(0);
            w.u16(1); // frame_count
            w.zeros(32); // compressorname
            w.u16(0x0018); // depth
            w.u16(0xffff); // pre_defined = -1
            w.boxed(&config.record_box(), |w| w.bytes(&config.record));
        });
    });
    // Empty sample tables: the samples are in the fragments.
    for fourcc in [b"stts", b"stsc", b"stco"] {
        w.full(fourcc, 0, 0, |w| w.u32(0));
    }
    w.full(b"stsz", 0, 0, |w| w.zeros(8));
}

/// Timing and kind of a fragment's one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleInfo {
    /// `tfdt` baseMediaDecodeTime, in the track's timescale.
    pub decode_time: u64,
    pub duration: u32,
    /// Presentation minus decode time.
    pub composition_offset: i32,
    pub keyframe: bool,
    /// Bytes of sample data.
    pub size: u32,
}

/// Bytes of a one-sample `moof` plus the `mdat` header.
pub const FRAGMENT_HEADER: usize = 104 + 8;

/// `trun` flags: data offset, sample duration, size, flags and composition offset present.
const TRUN_FLAGS: u32 = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;
/// `tfhd` flags: default-base-is-moof.
const TFHD_FLAGS: u32 = 0x020000;

/// The `moof` and `mdat` header of a one-sample fragment; the caller appends the
/// `sample.size` bytes of sample data.
pub fn fragment_header(sequence: u32, sample: &SampleInfo) -> BoxWriter {
    let mut w = BoxWriter::with_capacity(FRAGMENT_HEADER + sample.size as usize);
    w.boxed(b"moof", |w| {
        w.full(b"mfhd", 0, 0, |w| w.u32(sequence));
        w.boxed(b"traf", |w| {
            w.full(b"tfhd", 0, TFHD_FLAGS, |w| w.u32(TRACK_ID));
            w.full(b"tfdt", 1, 0, |w| w.u64(sample.decode_time));
            w.full(b"trun", 1, TRUN_FLAGS, |w| {
                w.u32(1); // sample_count
                w.u32(FRAGMENT_HEADER as u32); // data_offset: from the moof's start
                w.u32(sample.duration);
                w.u32(sample.size);
                w.u32(if sample.keyframe {
                    KEY_SAMPLE_FLAGS
                } else {
                    DELTA_SAMPLE_FLAGS
                });
                w.u32(sample.composition_offset as u32);
            });
        });
    });
    let mdat = sample.size.saturating_add(8);
    w.u32(mdat);
    w.bytes(b"mdat");
    w
}
