//! Built-in demo camera: a synthetic scene rendered in memory and encoded to H.264 (by
//! [`crate::media::encode`]), so Vigil works with no camera.

use crate::media::encode::{EncodeError, H264Encoder};
use crate::media::input::RawPacket;
use crate::packet::StreamInfo;

/// 5x7 bitmap font: glyph `i` of `FONT_CHARS` is `FONT[i]`, one byte per row (top row in the
/// high byte), bit 4 of each row is the leftmost column.
const FONT_CHARS: &str = "0123456789:.VIGLDEMO ";
#[rustfmt::skip]
const FONT: [u64; 21] = [
    0x0E11131519110E, 0x040C040404040E, 0x0E11010204081F, 0x1F02040201110E, 0x02060A121F0202, // 01234
    0x1F101E0101110E, 0x0608101E11110E, 0x1F010204080808, 0x0E11110E11110E, 0x0E11110F01020C, // 56789
    0x000C0C000C0C00, 0x00000000000C0C, 0x11111111110A04, 0x0E04040404040E, 0x0E11101711110F, // :.VIG
    0x1010101010101F, 0x1C12111111121C, 0x1F10101E10101F, 0x111B1515111111, 0x0E11111111110E, // LDEMO
    0x00000000000000, // space
];
const LABEL: &str = "VIGIL DEMO";
const TEXT_Y: u8 = 235;
/// LCM of the object periods (12 s, 40 s, 9 s, 2.6 s, 0.6 s): the scene repeats every 78 min.
const LOOP_MS: u128 = 4_680_000;
const BOX: [u8; 3] = [16, 128, 128];

fn glyph(c: char) -> [u8; 7] {
    let bits = FONT_CHARS.find(c).map_or(0, |i| FONT[i]);
    std::array::from_fn(|row| (bits >> (8 * (6 - row))) as u8)
}

/// Rectangle `[x0, y0, x1, y1]` in luma pixels (`x1`/`y1` exclusive); may lie partly off-screen.
type Rect = [i64; 4];

/// Triangle wave: 0 → `span` → 0 over `period` ms.
fn tri(t_ms: i64, period: i64, span: i64) -> i64 {
    let p = t_ms % period;
    span * p.min(period - p) / (period / 2)
}

/// Fills `r` in a `size` plane (chroma planes: `shift` = 1), clipped to the plane.
fn fill(buf: &mut [u8], stride: usize, size: (usize, usize), shift: u32, r: Rect, val: u8) {
    let clip = |v: i64, max: usize| (v >> shift).clamp(0, max as i64) as usize;
    let round = (1 << shift) - 1;
    let (x0, x1) = (clip(r[0], size.0), clip(r[2] + round, size.0));
    for row in clip(r[1], size.1)..clip(r[3] + round, size.1) {
        buf[row * stride + x0..row * stride + x1.max(x0)].fill(val);
    }
}

/// Draws `text` in luma at (x, y), each font pixel `scale`x`scale`; unknown chars render blank.
fn draw_text(buf: &mut [u8], stride: usize, x: usize, y: usize, scale: usize, text: &str) {
    for (i, c) in text.chars().enumerate() {
        for (r, bits) in glyph(c).iter().enumerate() {
            for col in (0..5).filter(|col| bits & (0x10 >> col) != 0) {
                for dy in 0..scale {
                    let start = (y + r * scale + dy) * stride + x + (i * 6 + col) * scale;
                    buf[start..start + scale].fill(TEXT_Y);
                }
            }
        }
    }
}

/// The synthetic "parking lot at dusk": static background, three moving objects, burned-in text.
pub struct DemoScene {
    width: u32,
    height: u32,
    /// Font pixel size of the clock and counter (digits are 7 * scale px tall).
    scale: usize,
    /// Pre-rendered background planes (Y, U, V), tightly packed.
    background: [Vec<u8>; 3],
}

impl DemoScene {
    pub fn new(width: u32, height: u32) -> Self {
        let (w, h) = (width as usize, height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let horizon = (h * 2 / 5).max(1);
        let mut background = [vec![0; w * h], vec![0; cw * ch], vec![0; cw * ch]];
        for row in 0..h {
            // Dusky purple sky brightening towards the horizon, then dark asphalt.
            let yuv = if row < horizon {
                let k = row * 50 / horizon;
                [28 + k, 150 - k / 5, 136 + k / 4]
            } else {
                [60 - (row - horizon) * 20 / (h - horizon).max(1), 128, 130]
            };
            background[0][row * w..(row + 1) * w].fill(yuv[0] as u8);
            let c = row / 2 * cw..(row / 2 + 1) * cw;
            background[1][c.clone()].fill(yuv[1] as u8);
            background[2][c].fill(yuv[2] as u8);
        }
        // Grey parking bay lines and a kerb.
        let (w64, h64) = (w as i64, h as i64);
        let (line, bay) = ((w64 / 160).max(2), [h64 * 55 / 100, h64 * 68 / 100]);
        let bays = (1..8).map(|k| [k * w64 / 8, bay[0], k * w64 / 8 + line, bay[1]]);
        let kerb = [0, h64 * 70 / 100, w64, h64 * 70 / 100 + (h64 / 120).max(2)];
        for r in bays.chain([kerb]) {
            fill(&mut background[0], w, (w, h), 0, r, 100);
        }
        let scale = (h / 120).max(1);
        DemoScene {
            width,
            height,
            scale,
            background,
        }
    }

    /// The moving objects of frame `n`, painted in order, with their (Y, U, V) colour.
    fn objects(&self, n: u64, fps: u32) -> [(Rect, [u8; 3]); 8] {
        let (w, h) = (self.width as i64, self.height as i64);
        // Milliseconds into the scene's loop; the loop length is a multiple of every period below.
        let t = (u128::from(n) * 1000 / u128::from(fps.max(1)) % LOOP_MS) as i64;
        // Car: crosses left to right every 12 s.
        let car = w * 18 / 100;
        let x = -car + (w + car) * (t % 12_000) / 12_000;
        let (roof, top, bottom) = (h * 68 / 100, h * 74 / 100, h * 88 / 100);
        let wheel = (h * 5 / 100).max(2);
        let wheel_at = |x: i64| [x, bottom - wheel / 2, x + 2 * wheel, bottom + wheel / 2];
        // Person: walks right to left every 40 s, bobbing one step every 300 ms.
        let (pw, head) = ((w * 2 / 100).max(2), (w * 3 / 200).max(1));
        let px = w - (w + pw) * (t % 40_000) / 40_000;
        let py = h * 42 / 100 + (t / 300 % 2) * (h / 180).max(1);
        let hx = px + (pw - head) / 2;
        // Ball: bounces around the sky below the text boxes.
        let ball = (h * 6 / 100).max(2);
        let bx = w * 30 / 100 + tri(t, 9_000, w * 60 / 100 - ball);
        let by = h * 14 / 100 + tri(t, 2_600, h * 22 / 100 - ball);
        let (red, glass) = ([70, 100, 200], [45, 140, 118]);
        [
            ([x, top, x + car, bottom], red),
            ([x + car / 5, roof, x + car * 3 / 4, top], red),
            ([x + car / 4, roof + h / 100, x + car * 7 / 10, top], glass),
            (wheel_at(x + car / 8), BOX),
            (wheel_at(x + car * 5 / 8), BOX),
            ([px, py + head, px + pw, py + h / 10], [150, 70, 150]),
            ([hx, py, hx + head, py + head], [140, 110, 150]),
            ([bx, by, bx + ball, by + ball], [150, 160, 60]),
        ]
    }

    /// Font scale, box and text origin for `len` glyphs in a corner; the bottom (label) is smaller.
    fn text_box(&self, len: usize, right: bool, low: bool) -> Option<(usize, Rect, usize, usize)> {
        let (w, h, m) = (self.width as usize, self.height as usize, 2 * self.scale);
        let scale = if low { self.scale * 2 / 3 } else { self.scale }.max(1);
        let (bw, bh) = (len * 6 * scale - scale + 2 * m, 7 * scale + 2 * m);
        let x0 = if right { w.checked_sub(m + bw)? } else { m };
        let y0 = if low { h.checked_sub(m + bh)? } else { m };
        let r = [x0, y0, x0 + bw, y0 + bh].map(|v| v as i64);
        (x0 + bw <= w && y0 + bh <= h).then_some((scale, r, x0 + m, y0 + m))
    }

    /// Paints plane `p` (0 = Y, 1 = U, 2 = V) of frame `n` into `buf`.
    fn paint(&self, p: usize, n: u64, fps: u32, clock_us: i64, buf: &mut [u8], stride: usize) {
        let shift = u32::from(p > 0);
        let dim = |v: u32| (v as usize).div_ceil(1 << shift);
        let size = (dim(self.width), dim(self.height));
        for (row, bg) in self.background[p].chunks_exact(size.0).enumerate() {
            buf[row * stride..row * stride + size.0].copy_from_slice(bg);
        }
        for (r, yuv) in self.objects(n, fps) {
            fill(buf, stride, size, shift, r, yuv[p]);
        }
        let ms = clock_us.div_euclid(1000).rem_euclid(86_400_000);
        let (hh, mm, ss) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60);
        let clock = format!("{hh:02}:{mm:02}:{ss:02}.{:03}", ms % 1000);
        for (text, right, bottom) in [
            (clock, false, false),
            (n.to_string(), true, false),
            (LABEL.into(), false, true),
        ] {
            if let Some((scale, r, x, y)) = self.text_box(text.len(), right, bottom) {
                fill(buf, stride, size, shift, r, BOX[p]);
                if p == 0 {
                    draw_text(buf, stride, x, y, scale, &text);
                }
            }
        }
    }

    /// Renders frame `n` (at `fps`) into planar YUV420 buffers (Y, U, V with given strides).
    ///
    /// Panics if a buffer is smaller than its stride times its plane height.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &self,
        n: u64,
        fps: u32,
        wall_clock_us: i64,
        y: &mut [u8],
        y_stride: usize,
        u: &mut [u8],
        u_stride: usize,
        v: &mut [u8],
        v_stride: usize,
    ) {
        self.paint(0, n, fps, wall_clock_us, y, y_stride);
        self.paint(1, n, fps, wall_clock_us, u, u_stride);
        self.paint(2, n, fps, wall_clock_us, v, v_stride);
    }

    /// Reads the burned-in frame counter back from a rendered or decoded luma plane of this
    /// scene's size (for seek-accuracy tests); `None` if no digits can be recognised.
    pub fn read_counter(&self, y: &[u8], y_stride: usize) -> Option<u64> {
        let s = self.scale;
        let (_, _, right_x, gy) = self.text_box(1, true, false)?; // the rightmost digit
        let mut digits = String::new();
        for gx in (0..=right_x).rev().step_by(6 * s).take(20) {
            let mut bits = [0u8; 7];
            for (r, row) in bits.iter_mut().enumerate() {
                for c in 0..5 {
                    let lit = *y.get((gy + r * s + s / 2) * y_stride + gx + c * s + s / 2)? > 128;
                    *row |= u8::from(lit) << (4 - c);
                }
            }
            if bits.iter().map(|b| b.count_ones()).sum::<u32>() <= 2 {
                break; // past the leftmost digit: the box background
            }
            let dist = |d| {
                (0..7)
                    .map(|r| (glyph(d)[r] ^ bits[r]).count_ones())
                    .sum::<u32>()
            };
            let (best, d) = ('0'..='9').map(|d| (dist(d), d)).min()?;
            if best > 3 {
                return None;
            }
            digits.insert(0, d);
        }
        digits.parse().ok()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("invalid demo camera size {width}x{height}: sides must be even, 64..=4096")]
    InvalidSize { width: u32, height: u32 },
    #[error("invalid demo camera frame rate {0}: must be 1..=60")]
    InvalidFps(u32),
    #[error("invalid demo camera GOP length {0}: must be at least 1 frame")]
    InvalidGop(u32),
    #[error(transparent)]
    Encoder(#[from] EncodeError),
}

/// The demo camera: renders [`DemoScene`] frames and encodes them to H.264 (Annex B packets,
/// SPS/PPS in the extradata only).
pub struct DemoSource {
    scene: DemoScene,
    encoder: H264Encoder,
    fps: u32,
    next_frame: u64,
}

impl DemoSource {
    /// width/height even, fps 1..=60, gop in frames.
    pub fn new(width: u32, height: u32, fps: u32, gop: u32) -> Result<Self, DemoError> {
        let size_ok = |v: u32| v.is_multiple_of(2) && (64..=4096).contains(&v);
        if !size_ok(width) || !size_ok(height) {
            return Err(DemoError::InvalidSize { width, height });
        }
        if !(1..=60).contains(&fps) {
            return Err(DemoError::InvalidFps(fps));
        }
        if gop == 0 {
            return Err(DemoError::InvalidGop(gop));
        }
        Ok(DemoSource {
            scene: DemoScene::new(width, height),
            encoder: H264Encoder::open(width, height, fps, gop)?,
            fps,
            next_frame: 0,
        })
    }

    /// The stream the packets form (codec parameters include the SPS/PPS extradata).
    pub fn stream_info(&self) -> StreamInfo {
        self.encoder.stream_info()
    }

    pub fn fps(&self) -> u32 {
        self.fps
    }

    /// Render and encode the next frame; returns the packets the encoder produced (0..n),
    /// timed in 1/fps, keyframes marked. `wall_clock_us` is drawn into the picture as a clock.
    pub fn next_packets(&mut self, wall_clock_us: i64) -> Result<Vec<RawPacket>, DemoError> {
        let (n, fps, scene) = (self.next_frame, self.fps, &self.scene);
        let packets = self
            .encoder
            .encode(|p, data, stride| scene.paint(p, n, fps, wall_clock_us, data, stride))?;
        self.next_frame += 1;
        Ok(packets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(scene: &DemoScene, n: u64, clock_us: i64) -> [Vec<u8>; 3] {
        let (w, h) = (scene.width as usize, scene.height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let (mut y, mut u, mut v) = (vec![0; w * h], vec![0; cw * ch], vec![0; cw * ch]);
        scene.render(n, 30, clock_us, &mut y, w, &mut u, cw, &mut v, cw);
        [y, u, v]
    }

    #[test]
    fn render_is_deterministic_and_objects_move() {
        let scene = DemoScene::new(640, 360);
        let a = render(&scene, 100, 1_700_000_000_000_000);
        assert_eq!(a, render(&scene, 100, 1_700_000_000_000_000));
        let b = render(&scene, 101, 1_700_000_000_000_000);
        // The car's rows (68%..88% of the height) change between consecutive frames.
        let car_rows = 360 * 68 / 100 * 640..360 * 88 / 100 * 640;
        let changed = car_rows.filter(|&i| a[0][i] != b[0][i]).count();
        assert!(changed > 100, "only {changed} car pixels changed");
        // ...and so does the chroma (the car is red).
        assert_ne!(a[2], b[2]);
        // The scene loops: the car is back where it was 12 s (360 frames) later.
        let car = |n| scene.objects(n, 30)[0].0[0];
        assert_eq!(car(100), car(100 + 360));
        assert_ne!(car(100), car(101));
    }

    #[test]
    fn digit_renderer_lights_the_right_pixels() {
        let (stride, s) = (40, 2);
        let mut buf = vec![0u8; stride * 20];
        draw_text(&mut buf, stride, 1, 2, s, "10");
        let lit = |col: usize, row: usize| buf[(2 + row * s) * stride + 1 + col * s] == TEXT_Y;
        // '1': vertical stem in font column 2, a base from column 1 to 3, a flag at (1, 1).
        assert!((0..7).all(|r| lit(2, r)));
        assert!(lit(1, 6) && lit(3, 6) && lit(1, 1));
        assert!(!lit(0, 3) && !lit(4, 3) && !lit(3, 0) && !lit(0, 6));
        // '0' one cell (6 font pixels) to the right: rounded box with a diagonal slash.
        let zero = |col: usize, row: usize| lit(6 + col, row);
        assert!((1..4).all(|c| zero(c, 0) && zero(c, 6)));
        assert!((1..6).all(|r| zero(0, r) && zero(4, r)));
        assert!(!zero(0, 0) && !zero(4, 6) && zero(2, 3) && !zero(1, 3) && !zero(3, 3));
        // Every font pixel is a full s x s block, and nothing else was touched.
        let total = buf.iter().filter(|&&p| p == TEXT_Y).count();
        assert_eq!(total, (10 + 19) * s * s);
        // A scene renders its counter in a way read_counter understands.
        let scene = DemoScene::new(640, 360);
        for n in [0, 7, 1234567890, u64::MAX] {
            assert_eq!(scene.read_counter(&render(&scene, n, 0)[0], 640), Some(n));
        }
    }

    #[test]
    fn mp4_round_trip_through_ffprobe_and_decoder() {
        use ffmpeg::{codec, format, frame};
        use ffmpeg_next as ffmpeg;
        let fps = 30;
        let mut src = DemoSource::new(640, 360, fps, 2 * fps).expect("demo source");
        let path = std::env::temp_dir().join(format!("vigil-demo-test-{}.mp4", std::process::id()));
        let info = src.stream_info();
        let mut out = crate::media::fmp4::SegmentWriter::create(&path, &info).expect("output");
        for i in 0..3 * fps {
            let clock_us = 1_700_000_000_000_000 + i64::from(i) * 33_333;
            for p in src.next_packets(clock_us).expect("encode") {
                let pkt = crate::packet::Packet {
                    data: p.data,
                    pts: p.pts,
                    dts: p.dts,
                    duration: p.duration,
                    keyframe: p.keyframe,
                    wall_us: clock_us,
                };
                out.write(&pkt).expect("write");
            }
        }
        out.finish().expect("finish");

        let out = std::process::Command::new("ffprobe")
            .args("-v error -count_frames -show_streams -of json".split(' '))
            .arg(&path)
            .output()
            .expect("run ffprobe");
        let (json, err) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "ffprobe failed: {err}");
        for field in [
            "\"codec_name\": \"h264\"".to_string(),
            "\"width\": 640".to_string(),
            "\"height\": 360".to_string(),
            format!("\"nb_read_frames\": \"{}\"", 3 * fps),
        ] {
            assert!(json.contains(&field), "missing {field} in {json}");
        }

        // Decode it back: every frame's burned-in counter survives compression.
        let mut ictx = format::input(&path).expect("input");
        let params = ictx.stream(0).expect("stream 0").parameters();
        let ctx = codec::Context::from_parameters(params).expect("decoder context");
        let mut decoder = ctx.decoder().video().expect("decoder");
        let (scene, mut frame, mut decoded) = (DemoScene::new(640, 360), frame::Video::empty(), 0);
        for p in ictx.packets().map(|(_, p)| Some(p)).chain([None]) {
            match p {
                Some(p) => decoder.send_packet(&p).expect("send packet"),
                None => decoder.send_eof().expect("send eof"),
            }
            while decoder.receive_frame(&mut frame).is_ok() {
                let counter = scene.read_counter(frame.data(0), frame.stride(0));
                assert_eq!(counter, Some(decoded), "decoded frame {decoded}");
                decoded += 1;
            }
        }
        assert_eq!(decoded, u64::from(3 * fps));
        let _ = std::fs::remove_file(&path);
    }
}
