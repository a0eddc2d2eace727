//! Decoding for analysis: compressed packets in, small grey frames out at a chosen width,
//! plus a colour JPEG of the latest frame for event thumbnails. Decoding is kept cheap (one
//! thread, no loop filter): motion analysis does not need a pretty picture.

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling;

use super::MediaError;
use crate::packet::{Packet, StreamInfo};

/// An owned grey picture (stride == width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

/// A decoder for one connection's stream. Not `Send`: create it on the thread that uses it.
pub struct GrayDecoder {
    decoder: ffmpeg::decoder::Video,
    width: u32,
    gray: Option<(scaling::Context, (Pixel, u32, u32))>,
    rgb: Option<(scaling::Context, (Pixel, u32, u32))>,
    /// The latest picture (kept for thumbnails).
    decoded: ffmpeg::frame::Video,
    /// Where frames are received: FFmpeg blanks it when no frame is ready, so the latest
    /// picture is swapped into `decoded` only on success.
    scratch: ffmpeg::frame::Video,
    has_frame: bool,
}

impl GrayDecoder {
    /// `width` is the analysis width (e.g. 320); the height keeps the aspect ratio.
    pub fn new(info: &StreamInfo, width: u32) -> Result<Self, MediaError> {
        super::init();
        let fail = |e: ffmpeg::Error| {
            MediaError::Unsupported(format!("cannot decode {} video: {e}", info.codec.as_str()))
        };
        let mut ctx =
            ffmpeg::codec::context::Context::from_parameters(info.params.get()).map_err(fail)?;
        // SAFETY: plain fields of a codec context not yet opened.
        unsafe {
            let raw = ctx.as_mut_ptr();
            (*raw).thread_count = 1;
            (*raw).skip_loop_filter = ffi::AVDiscard::AVDISCARD_ALL;
        }
        let decoder = ctx.decoder().video().map_err(fail)?;
        Ok(Self {
            decoder,
            width: width.max(16) & !1,
            gray: None,
            rgb: None,
            decoded: ffmpeg::frame::Video::empty(),
            scratch: ffmpeg::frame::Video::empty(),
            has_frame: false,
        })
    }

    /// Decodes one packet. When `want` is true and a frame comes out, returns it scaled to
    /// grey; otherwise the frame only advances the decoder. Corrupt data is skipped, not fatal.
    pub fn decode(&mut self, pkt: &Packet, want: bool) -> Result<Option<GrayImage>, MediaError> {
        let mut p = ffmpeg::Packet::copy(&pkt.data);
        p.set_pts(Some(pkt.pts));
        p.set_dts(Some(pkt.dts));
        if pkt.keyframe {
            p.set_flags(ffmpeg::packet::Flags::KEY);
        }
        match self.decoder.send_packet(&p) {
            Ok(()) | Err(ffmpeg::Error::InvalidData) => {}
            Err(ffmpeg::Error::Other { errno }) if errno == libc::EAGAIN => {}
            Err(e) => return Err(MediaError::Source(format!("decoding failed: {e}"))),
        }
        let mut out = None;
        while self.decoder.receive_frame(&mut self.scratch).is_ok() {
            std::mem::swap(&mut self.decoded, &mut self.scratch);
            self.has_frame = true;
            if want {
                out = Some(self.scaled_gray()?);
            }
        }
        Ok(out)
    }

    fn scaled_gray(&mut self) -> Result<GrayImage, MediaError> {
        let (w, h) = self.out_size(self.width);
        let scaled = scale(&mut self.gray, &self.decoded, Pixel::GRAY8, w, h)?;
        let data = rows(&scaled, w as usize);
        Ok(GrayImage {
            width: w as usize,
            height: h as usize,
            data,
        })
    }

    fn out_size(&self, width: u32) -> (u32, u32) {
        let (sw, sh) = (self.decoded.width().max(1), self.decoded.height().max(1));
        let w = width.min(sw) & !1;
        let h = ((u64::from(sh) * u64::from(w) / u64::from(sw)) as u32).max(2) & !1;
        (w, h)
    }

    /// The latest decoded frame as a JPEG `width` pixels wide, for an event thumbnail.
    pub fn thumbnail_jpeg(&mut self, width: u32) -> Option<Vec<u8>> {
        if !self.has_frame {
            return None;
        }
        let (w, h) = self.out_size(width);
        let scaled = scale(&mut self.rgb, &self.decoded, Pixel::RGB24, w, h).ok()?;
        let data = rows(&scaled, w as usize * 3);
        let img = image::RgbImage::from_raw(w, h, data)?;
        let mut jpeg = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
        img.write_with_encoder(enc).ok()?;
        Some(jpeg)
    }
}

/// Scales `src` with a cached context, re-created when the source format or size changes.
fn scale(
    cache: &mut Option<(scaling::Context, (Pixel, u32, u32))>,
    src: &ffmpeg::frame::Video,
    fmt: Pixel,
    w: u32,
    h: u32,
) -> Result<ffmpeg::frame::Video, MediaError> {
    let key = (src.format(), src.width(), src.height());
    if key.0 == Pixel::None || key.1 == 0 || key.2 == 0 || w == 0 || h == 0 {
        return Err(MediaError::Source("no picture to scale".into()));
    }
    let stale = cache
        .as_ref()
        .is_none_or(|(c, k)| *k != key || c.output().width != w || c.output().height != h);
    if stale {
        let ctx = scaling::Context::get(
            key.0,
            key.1,
            key.2,
            fmt,
            w,
            h,
            scaling::Flags::FAST_BILINEAR,
        )
        .map_err(|e| MediaError::Unsupported(format!("cannot scale the picture: {e}")))?;
        *cache = Some((ctx, key));
    }
    let mut out = ffmpeg::frame::Video::empty();
    if let Some((ctx, _)) = cache.as_mut() {
        ctx.run(src, &mut out)
            .map_err(|e| MediaError::Source(format!("cannot scale the picture: {e}")))?;
    }
    Ok(out)
}

/// Copies a frame's first plane row by row (rows are padded to the stride).
fn rows(frame: &ffmpeg::frame::Video, row_bytes: usize) -> Vec<u8> {
    let stride = frame.stride(0);
    let data = frame.data(0);
    let mut out = Vec::with_capacity(row_bytes * frame.height() as usize);
    for y in 0..frame.height() as usize {
        let start = y * stride;
        out.extend_from_slice(&data[start..start + row_bytes]);
    }
    out
}
