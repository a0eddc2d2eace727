//! In-band parameter sets: finds the SPS/PPS (H.264) or VPS/SPS/PPS (H.265) at the head of
//! an Annex B access unit, reads the picture size they declare with FFmpeg's own parser (no
//! decoder is opened), and builds codec parameters for them, so a camera reconfigured
//! mid-stream gets a new segment with the right header.

use std::ffi::c_int;

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;

use super::packet::VideoCodec;

const PADDING: usize = ffi::AV_INPUT_BUFFER_PADDING_SIZE as usize;
const START_CODE: [u8; 4] = [0, 0, 0, 1];

/// Whether `data` is Annex B (starts with a start code), as RTSP and MPEG-TS deliver it.
pub fn is_annex_b(data: &[u8]) -> bool {
    data.starts_with(&[0, 0, 1]) || data.starts_with(&[0, 0, 0, 1])
}

/// The parameter-set NAL units before the first picture slice of an Annex B access unit,
/// each behind a 4-byte start code; empty when there are none.
pub fn parameter_sets(codec: VideoCodec, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(start) = next_nal(data, pos) {
        let end = next_nal(data, start).map_or(data.len(), |n| n - 3);
        let mut nal = &data[start..end];
        while let [rest @ .., 0] = nal {
            nal = rest; // trailing zeros belong to the next 4-byte start code
        }
        let Some(&header) = nal.first() else {
            pos = end;
            continue;
        };
        let (is_set, is_slice) = match codec {
            VideoCodec::H264 => {
                let t = header & 0x1f;
                ((7..=8).contains(&t), (1..=5).contains(&t))
            }
            VideoCodec::H265 => {
                let t = (header >> 1) & 0x3f;
                ((32..=34).contains(&t), t <= 31)
            }
        };
        if is_slice {
            break;
        }
        if is_set {
            out.extend_from_slice(&START_CODE);
            out.extend_from_slice(nal);
        }
        pos = end;
    }
    out
}

/// Index of the first byte after the next `00 00 01` at or after `from`.
fn next_nal(data: &[u8], from: usize) -> Option<usize> {
    let tail = data.get(from..)?;
    tail.windows(3)
        .position(|w| w == [0, 0, 1])
        .map(|i| from + i + 3)
}

fn codec_id(codec: VideoCodec) -> ffi::AVCodecID {
    match codec {
        VideoCodec::H264 => ffi::AVCodecID::AV_CODEC_ID_H264,
        VideoCodec::H265 => ffi::AVCodecID::AV_CODEC_ID_HEVC,
    }
}

/// The picture size an access unit (parameter sets and a slice) declares, read by FFmpeg's
/// bitstream parser; `None` if it cannot tell.
pub fn picture_size(codec: VideoCodec, access_unit: &[u8]) -> Option<(u32, u32)> {
    super::init();
    let size = c_int::try_from(access_unit.len()).ok()?;
    let mut buf = Vec::with_capacity(access_unit.len() + PADDING);
    buf.extend_from_slice(access_unit);
    buf.resize(access_unit.len() + PADDING, 0);
    // SAFETY: the parser and context are created, used once on a padded buffer that outlives
    // the call, read, and freed here; no pointer escapes.
    unsafe {
        let parser = ffi::av_parser_init(codec_id(codec) as c_int);
        if parser.is_null() {
            return None;
        }
        let mut avctx = ffi::avcodec_alloc_context3(std::ptr::null());
        if avctx.is_null() {
            ffi::av_parser_close(parser);
            return None;
        }
        (*parser).flags |= ffi::PARSER_FLAG_COMPLETE_FRAMES as c_int;
        let mut out: *mut u8 = std::ptr::null_mut();
        let mut out_size: c_int = 0;
        ffi::av_parser_parse2(
            parser,
            avctx,
            &mut out,
            &mut out_size,
            buf.as_ptr(),
            size,
            ffi::AV_NOPTS_VALUE,
            ffi::AV_NOPTS_VALUE,
            0,
        );
        let (w, h) = ((*parser).width, (*parser).height);
        ffi::av_parser_close(parser);
        ffi::avcodec_free_context(&mut avctx);
        (w > 0 && h > 0).then_some((w as u32, h as u32))
    }
}

/// A copy of `base` with new parameter sets (as extradata) and picture size.
pub fn with_parameter_sets(
    base: &ffmpeg::codec::Parameters,
    sets: &[u8],
    width: u32,
    height: u32,
) -> ffmpeg::codec::Parameters {
    let mut params = base.clone();
    // SAFETY: the copy's own fields; the old extradata is freed with av_freep and replaced
    // by a padded av_malloc'd buffer holding `sets`, which the parameters then own.
    unsafe {
        let p = params.as_mut_ptr();
        ffi::av_freep(std::ptr::addr_of_mut!((*p).extradata).cast());
        (*p).extradata_size = 0;
        let buf = ffi::av_mallocz(sets.len() + PADDING).cast::<u8>();
        if !buf.is_null() {
            std::ptr::copy_nonoverlapping(sets.as_ptr(), buf, sets.len());
            (*p).extradata = buf;
            (*p).extradata_size = sets.len() as c_int;
        }
        (*p).width = width as c_int;
        (*p).height = height as c_int;
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_parameter_sets_before_the_first_slice() {
        // SPS, PPS, SEI, IDR slice, then something that looks like an SPS inside slice data.
        let au = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x06, 9, 0, 0, 0, 1, 0x65, 4, 0, 0,
            1, 0x67, 5,
        ];
        assert!(is_annex_b(&au));
        assert_eq!(
            parameter_sets(VideoCodec::H264, &au),
            vec![0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3]
        );
        assert!(parameter_sets(VideoCodec::H264, &[0, 0, 1, 0x41, 7]).is_empty());
        // HEVC: VPS (32), SPS (33), PPS (34), IDR (19).
        let hevc = [
            0, 0, 1, 0x40, 1, 0, 0, 1, 0x42, 2, 0, 0, 1, 0x44, 3, 0, 0, 1, 0x26, 4,
        ];
        assert_eq!(parameter_sets(VideoCodec::H265, &hevc).len(), 3 * 6);
    }

    /// One access unit of `size`, encoded by the real ffmpeg as a raw Annex B stream.
    fn encoded(encoder: &str, format: &str, size: &str) -> Vec<u8> {
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-f", "lavfi", "-i"])
            .arg(format!("testsrc2=size={size}:rate=25"))
            .args(["-frames:v", "1", "-c:v", encoder, "-f", format, "-"])
            .output()
            .expect("run ffmpeg");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    #[test]
    fn reads_the_picture_size_of_real_streams() {
        for (codec, enc, fmt) in [
            (VideoCodec::H264, "libx264", "h264"),
            (VideoCodec::H265, "libx265", "hevc"),
        ] {
            for (size, want) in [("640x360", (640, 360)), ("320x180", (320, 180))] {
                let au = encoded(enc, fmt, size);
                assert!(is_annex_b(&au));
                assert!(!parameter_sets(codec, &au).is_empty(), "{enc} {size}");
                assert_eq!(picture_size(codec, &au), Some(want), "{enc} {size}");
            }
        }
    }

    #[test]
    fn length_prefixed_data_is_not_annex_b_and_garbage_has_no_size() {
        assert!(!is_annex_b(&[0, 0, 2, 0x10, 0x65]));
        assert_eq!(picture_size(VideoCodec::H264, &[0, 0, 1, 0x67, 0xff]), None);
        assert_eq!(picture_size(VideoCodec::H265, &[]), None);
    }
}
