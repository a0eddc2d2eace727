//! Decoding compressed packets into small pictures: grey frames at a chosen width for motion
//! analysis (cheap: one thread, no loop filter) plus, from the same decoded frame, an RGB
//! picture for object detection and a colour JPEG for event thumbnails; and RGBA pictures
//! fitted to a box for live view. Both share one decoder core and a cached scaler.

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling;

use super::packet::{Packet, StreamInfo};
use super::MediaError;

/// An owned grey picture (stride == width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

/// An owned RGBA picture, 4 bytes a pixel, unmultiplied alpha (always opaque), no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbaImage {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// An owned packed RGB24 picture, 3 bytes a pixel, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbPicture {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// How much picture quality decoding may trade for speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// Skip the loop filter: enough to see change (analysis).
    Fast,
    /// The picture as the camera meant it (live view).
    Full,
}

/// The decoder core: packets in, the latest decoded picture kept.
/// Not `Send`: create it on the thread that uses it.
struct FrameDecoder {
    decoder: ffmpeg::decoder::Video,
    /// The latest picture.
    decoded: ffmpeg::frame::Video,
    /// Where frames are received: FFmpeg blanks it when no frame is ready, so the latest
    /// picture is swapped into `decoded` only on success.
    scratch: ffmpeg::frame::Video,
    has_frame: bool,
    /// Every packet is an intra picture decoded on its own (key frames only): each one is
    /// drained out at once instead of waiting in the decoder's reorder delay.
    alone: bool,
}

impl FrameDecoder {
    fn new(info: &StreamInfo, quality: Quality) -> Result<Self, MediaError> {
        super::init();
        // Absurd dimensions are refused before a decoder can allocate for them.
        info.check_size().map_err(MediaError::Unsupported)?;
        let fail = |e: ffmpeg::Error| {
            MediaError::Unsupported(format!("cannot decode {} video: {e}", info.codec.as_str()))
        };
        let mut ctx =
            ffmpeg::codec::context::Context::from_parameters(info.params.get()).map_err(fail)?;
        // SAFETY: plain fields of a codec context not yet opened.
        unsafe {
            let raw = ctx.as_mut_ptr();
            (*raw).thread_count = 1;
            if quality == Quality::Fast {
                (*raw).skip_loop_filter = ffi::AVDiscard::AVDISCARD_ALL;
            }
        }
        let decoder = ctx.decoder().video().map_err(fail)?;
        Ok(Self {
            decoder,
            decoded: ffmpeg::frame::Video::empty(),
            scratch: ffmpeg::frame::Video::empty(),
            has_frame: false,
            alone: false,
        })
    }

    /// Decodes one packet; returns whether a new picture came out. Corrupt data is skipped.
    fn decode(&mut self, pkt: &Packet) -> Result<bool, MediaError> {
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
        if self.alone {
            // Drain the picture now; the flush readies the decoder for the next key frame.
            let _ = self.decoder.send_eof();
        }
        let mut got = false;
        while self.decoder.receive_frame(&mut self.scratch).is_ok() {
            std::mem::swap(&mut self.decoded, &mut self.scratch);
            self.has_frame = true;
            got = true;
        }
        if self.alone {
            self.decoder.flush();
        }
        Ok(got)
    }

    /// Size of the latest picture (at least 1×1).
    fn source_size(&self) -> (u32, u32) {
        (self.decoded.width().max(1), self.decoded.height().max(1))
    }

    /// The latest picture `width` wide (never wider than the source), aspect kept, even sizes.
    fn size_for_width(&self, width: u32) -> (u32, u32) {
        let (sw, sh) = self.source_size();
        let w = width.min(sw) & !1;
        let h = ((u64::from(sh) * u64::from(w) / u64::from(sw)) as u32).max(2) & !1;
        (w, h)
    }
}

/// The largest size with the source's aspect ratio that fits in `max_w`×`max_h`, never
/// larger than the source itself, at least 1×1.
pub fn fit_within(src: (u32, u32), max_w: u32, max_h: u32) -> (u32, u32) {
    let (sw, sh) = (u64::from(src.0.max(1)), u64::from(src.1.max(1)));
    let (mw, mh) = (
        u64::from(max_w.max(1)).min(sw),
        u64::from(max_h.max(1)).min(sh),
    );
    // Width-limited unless that would make the picture too tall.
    let (w, h) = if sh * mw / sw <= mh {
        (mw, sh * mw / sw)
    } else {
        (sw * mh / sh, mh)
    };
    (w.max(1) as u32, h.max(1) as u32)
}

/// Decodes for motion analysis. Not `Send`: create it on the thread that uses it.
pub struct GrayDecoder {
    core: FrameDecoder,
    width: u32,
    gray: Scaler,
    rgb: Scaler,
    /// For [`GrayDecoder::rgb_picture`], apart from the thumbnails' (another size).
    detect: Scaler,
}

impl GrayDecoder {
    /// `width` is the analysis width (e.g. 320); the height keeps the aspect ratio.
    pub fn new(info: &StreamInfo, width: u32) -> Result<Self, MediaError> {
        Ok(Self {
            core: FrameDecoder::new(info, Quality::Fast)?,
            width: width.max(16) & !1,
            gray: Scaler::default(),
            rgb: Scaler::default(),
            detect: Scaler::default(),
        })
    }

    /// Key frames only from now on: every packet given is a key frame (an IDR picture that
    /// decodes on its own), and its picture comes out of [`GrayDecoder::decode`] at once.
    pub fn key_frames_only(&mut self) {
        self.core.alone = true;
    }

    /// Decodes one packet. When `want` is true and a frame comes out, returns it scaled to
    /// grey; otherwise the frame only advances the decoder. Corrupt data is skipped, not fatal.
    pub fn decode(&mut self, pkt: &Packet, want: bool) -> Result<Option<GrayImage>, MediaError> {
        if !self.core.decode(pkt)? || !want {
            return Ok(None);
        }
        let (w, h) = self.core.size_for_width(self.width);
        let scaled = self.gray.run(&self.core.decoded, Pixel::GRAY8, w, h)?;
        Ok(Some(GrayImage {
            width: w as usize,
            height: h as usize,
            data: rows(&scaled, w as usize),
        }))
    }

    /// The latest decoded frame (the one [`GrayDecoder::decode`] last returned) in colour,
    /// `width` pixels wide at most, aspect kept: what object detection looks at. No second
    /// decode, only a scale.
    pub fn rgb_picture(&mut self, width: u32) -> Result<RgbPicture, MediaError> {
        if !self.core.has_frame {
            return Err(MediaError::Source("no picture decoded yet".into()));
        }
        let (w, h) = self.core.size_for_width(width);
        let scaled = self.detect.run(&self.core.decoded, Pixel::RGB24, w, h)?;
        Ok(RgbPicture {
            width: w,
            height: h,
            data: rows(&scaled, w as usize * 3),
        })
    }

    /// The latest decoded frame as a JPEG `width` pixels wide, for an event thumbnail.
    pub fn thumbnail_jpeg(&mut self, width: u32) -> Option<Vec<u8>> {
        if !self.core.has_frame {
            return None;
        }
        let (w, h) = self.core.size_for_width(width);
        let scaled = self.rgb.run(&self.core.decoded, Pixel::RGB24, w, h).ok()?;
        let data = rows(&scaled, w as usize * 3);
        let img = image::RgbImage::from_raw(w, h, data)?;
        let mut jpeg = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
        img.write_with_encoder(enc).ok()?;
        Some(jpeg)
    }
}

/// Decodes for live view: RGBA fitted to a box. Not `Send`: create it on its thread.
pub struct RgbaDecoder {
    core: FrameDecoder,
    rgba: Scaler,
}

impl RgbaDecoder {
    pub fn new(info: &StreamInfo) -> Result<Self, MediaError> {
        Ok(Self {
            core: FrameDecoder::new(info, Quality::Full)?,
            rgba: Scaler::default(),
        })
    }

    /// Size of the latest decoded picture, before scaling (at least 1×1).
    pub fn source_size(&self) -> (u32, u32) {
        self.core.source_size()
    }

    /// Decodes one packet. With `fit = Some((w, h))` and a new frame, returns it scaled to
    /// fit that box (aspect kept, never enlarged); with `None` the frame only advances the
    /// decoder (the consumer is behind and a newer packet is already waiting).
    pub fn decode(
        &mut self,
        pkt: &Packet,
        fit: Option<(u32, u32)>,
    ) -> Result<Option<RgbaImage>, MediaError> {
        match fit {
            Some((max_w, max_h)) if self.core.decode(pkt)? => {
                let (w, h) = fit_within(self.core.source_size(), max_w, max_h);
                let scaled = self.rgba.run(&self.core.decoded, Pixel::RGBA, w, h)?;
                Ok(Some(RgbaImage {
                    width: w,
                    height: h,
                    data: rows(&scaled, w as usize * 4),
                }))
            }
            Some(_) => Ok(None),
            None => self.core.decode(pkt).map(|_| None),
        }
    }
}

/// A scaling context cached across frames, re-created when the source or target changes.
#[derive(Default)]
pub(crate) struct Scaler {
    cache: Option<(scaling::Context, (Pixel, u32, u32))>,
}

impl Scaler {
    pub(crate) fn run(
        &mut self,
        src: &ffmpeg::frame::Video,
        fmt: Pixel,
        w: u32,
        h: u32,
    ) -> Result<ffmpeg::frame::Video, MediaError> {
        let key = (src.format(), src.width(), src.height());
        if key.0 == Pixel::None || key.1 == 0 || key.2 == 0 || w == 0 || h == 0 {
            return Err(MediaError::Source("no picture to scale".into()));
        }
        let stale = self
            .cache
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
            self.cache = Some((ctx, key));
        }
        let mut out = ffmpeg::frame::Video::empty();
        if let Some((ctx, _)) = self.cache.as_mut() {
            ctx.run(src, &mut out)
                .map_err(|e| MediaError::Source(format!("cannot scale the picture: {e}")))?;
        }
        Ok(out)
    }
}

/// Copies a frame's first plane row by row (rows are padded to the stride).
pub(crate) fn rows(frame: &ffmpeg::frame::Video, row_bytes: usize) -> Vec<u8> {
    let stride = frame.stride(0);
    let data = frame.data(0);
    let mut out = Vec::with_capacity(row_bytes * frame.height() as usize);
    for y in 0..frame.height() as usize {
        let start = y * stride;
        out.extend_from_slice(&data[start..start + row_bytes]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fit_within;

    #[test]
    fn fit_keeps_the_aspect_and_never_enlarges() {
        assert_eq!(fit_within((1920, 1080), 640, 640), (640, 360));
        assert_eq!(fit_within((1920, 1080), 1000, 360), (640, 360));
        assert_eq!(fit_within((640, 360), 4000, 4000), (640, 360));
        assert_eq!(fit_within((640, 480), 320, 100), (133, 100));
        assert_eq!(fit_within((0, 0), 0, 0), (1, 1));
    }
}
