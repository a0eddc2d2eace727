//! Burning a watermark into a finished MP4: its video decoded, drawn on by FFmpeg's
//! `drawtext` filters (a label, and a clock that follows the recording's wall time across
//! closed gaps), and re-encoded with libx264 into a new MP4. The only path in Vigil that
//! re-encodes recorded video, and only on request; the sound, when there is some, is copied
//! as it is (stream 1).

use std::path::Path;

use ffmpeg::{codec, encoder, filter, format::Pixel, frame, Dictionary, Packet, Rational};
use ffmpeg_next as ffmpeg;

use super::container::open_file;
use super::remux::RemuxError;

/// One stretch of the file whose clock runs without a jump: from `from_s` (file time) to
/// `to_s` (or the end), showing `epoch_us + t` (UTC µs) at file time `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRun {
    pub from_s: f64,
    pub to_s: Option<f64>,
    pub epoch_us: i64,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    /// The first line (the camera's name).
    pub label: String,
    pub clock: Vec<ClockRun>,
}

/// Re-encodes the video of `input` with `mark` drawn on every picture into a new MP4 at
/// `output` (a path or `/proc/self/fd/N`). `step(t_us)` is called with each encoded
/// picture's file time and answers false to stop (then [`RemuxError::Output`] "cancelled").
pub fn burn(
    input: &Path,
    output: &Path,
    mark: &Watermark,
    step: &mut dyn FnMut(i64) -> bool,
) -> Result<(), RemuxError> {
    super::init();
    let inp = |e: ffmpeg::Error| RemuxError::Input(e.to_string());
    let out = |e: ffmpeg::Error| RemuxError::Output(e.to_string());
    let mut ictx = open_file(input).map_err(inp)?;
    let stream = ictx
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| RemuxError::Input("it has no video stream".into()))?;
    let (index, tb, rate) = (stream.index(), stream.time_base(), stream.avg_frame_rate());
    let mut decoder = codec::context::Context::from_parameters(stream.parameters())
        .and_then(|c| c.decoder().video())
        .map_err(inp)?;
    let mut sound = SoundCopy::of(&ictx);
    let mut octx = ffmpeg::format::output_as(output, "mp4").map_err(out)?;
    // Made at the first picture, whose size and pixel format the container may not state.
    let mut open: Option<(filter::Graph, encoder::Video, Rational)> = None;
    let mut decoded = frame::Video::empty();
    let mut filtered = frame::Video::empty();
    let mut eof = false;
    while !eof {
        let mut packet = Packet::empty();
        match packet.read(&mut ictx) {
            Ok(()) if packet.stream() == index => decoder.send_packet(&packet).map_err(inp)?,
            Ok(()) => {
                if let Some(sound) = sound.as_mut() {
                    sound.packet(packet, &mut octx)?;
                }
                continue;
            }
            Err(ffmpeg::Error::Eof) => {
                decoder.send_eof().map_err(inp)?;
                eof = true;
            }
            Err(e) => return Err(inp(e)),
        }
        while decoder.receive_frame(&mut decoded).is_ok() {
            let pts = decoded.timestamp();
            decoded.set_pts(pts);
            if open.is_none() {
                let graph = build_graph(&decoded, tb, mark).map_err(out)?;
                let enc = open_encoder(&decoded, tb, rate)?;
                let ost_tb = start_output(&mut octx, &enc, tb, sound.as_mut())?;
                open = Some((graph, enc, ost_tb));
                if let Some(sound) = sound.as_mut() {
                    sound.flush(&mut octx)?;
                }
            }
            let Some((graph, enc, ost_tb)) = open.as_mut() else {
                continue;
            };
            let mut source = graph.get("in").ok_or_else(|| lost("in"))?;
            source.source().add(&decoded).map_err(out)?;
            let mut sink = Sink {
                octx: &mut octx,
                enc,
                enc_tb: tb,
                ost_tb: *ost_tb,
            };
            drain(graph, &mut filtered, &mut sink)?;
            let t_us = pts.map_or(0, |p| rescale_us(p, tb));
            if !step(t_us) {
                return Err(RemuxError::Output("cancelled".into()));
            }
        }
    }
    let Some((mut graph, mut enc, ost_tb)) = open else {
        return Err(RemuxError::Input(
            "it holds no picture that could be decoded".into(),
        ));
    };
    let mut source = graph.get("in").ok_or_else(|| lost("in"))?;
    source.source().flush().map_err(out)?;
    let mut sink = Sink {
        octx: &mut octx,
        enc: &mut enc,
        enc_tb: tb,
        ost_tb,
    };
    drain(&mut graph, &mut filtered, &mut sink)?;
    sink.enc.send_eof().map_err(out)?;
    sink.packets()?;
    octx.write_trailer().map_err(out)
}

/// Adds the encoder's stream to `octx` (and the copied sound's, stream 1) and writes the
/// header (`+faststart`); answers the video stream's time base as the muxer chose it.
fn start_output(
    octx: &mut ffmpeg::format::context::Output,
    enc: &encoder::Video,
    tb: Rational,
    sound: Option<&mut SoundCopy>,
) -> Result<Rational, RemuxError> {
    let out = |e: ffmpeg::Error| RemuxError::Output(e.to_string());
    {
        let mut ost = octx
            .add_stream(encoder::find(codec::Id::H264))
            .map_err(out)?;
        ost.set_parameters(enc);
        ost.set_time_base(tb);
    }
    if let Some(sound) = &sound {
        let mut ost = octx
            .add_stream(encoder::find(codec::Id::None))
            .map_err(out)?;
        ost.set_parameters(sound.params.clone());
        // SAFETY: codec_tag is a plain field of the stream's own parameters.
        unsafe {
            (*ost.parameters().as_mut_ptr()).codec_tag = 0;
        }
        ost.set_time_base(sound.in_tb);
    }
    let mut opts = Dictionary::new();
    opts.set("movflags", "+faststart");
    octx.write_header_with(opts).map_err(out)?;
    if let Some(sound) = sound {
        sound.out_tb = octx.stream(1).map(|s| s.time_base());
    }
    Ok(octx.stream(0).map(|s| s.time_base()).unwrap_or(tb))
}

/// The input's sound, copied into the output as it is: held until the output's header is
/// written (at the first picture), then written as read.
struct SoundCopy {
    index: usize,
    params: codec::Parameters,
    in_tb: Rational,
    /// The output stream's time base, once its header is written.
    out_tb: Option<Rational>,
    held: Vec<Packet>,
}

impl SoundCopy {
    fn of(ictx: &ffmpeg::format::context::Input) -> Option<Self> {
        let stream = ictx.streams().best(ffmpeg::media::Type::Audio)?;
        Some(Self {
            index: stream.index(),
            params: stream.parameters(),
            in_tb: stream.time_base(),
            out_tb: None,
            held: Vec::new(),
        })
    }

    /// A packet read from the input: written when it is the sound's (held until the header).
    fn packet(
        &mut self,
        packet: Packet,
        octx: &mut ffmpeg::format::context::Output,
    ) -> Result<(), RemuxError> {
        if packet.stream() != self.index {
            return Ok(());
        }
        self.held.push(packet);
        self.flush(octx)
    }

    fn flush(&mut self, octx: &mut ffmpeg::format::context::Output) -> Result<(), RemuxError> {
        let Some(out_tb) = self.out_tb else {
            return Ok(());
        };
        for mut pkt in self.held.drain(..) {
            pkt.set_stream(1);
            pkt.set_position(-1);
            pkt.rescale_ts(self.in_tb, out_tb);
            pkt.write_interleaved(octx)
                .map_err(|e| RemuxError::Output(e.to_string()))?;
        }
        Ok(())
    }
}

fn lost(name: &str) -> RemuxError {
    RemuxError::Output(format!("the filter graph lost its '{name}' filter"))
}

fn rescale_us(ticks: i64, tb: Rational) -> i64 {
    let us = i128::from(ticks) * 1_000_000 * i128::from(tb.numerator())
        / i128::from(tb.denominator().max(1));
    i64::try_from(us).unwrap_or(0)
}

/// The encoder and the output it writes into.
struct Sink<'a> {
    octx: &'a mut ffmpeg::format::context::Output,
    enc: &'a mut encoder::Video,
    enc_tb: Rational,
    ost_tb: Rational,
}

impl Sink<'_> {
    /// Writes every packet the encoder has ready.
    fn packets(&mut self) -> Result<(), RemuxError> {
        let mut pkt = Packet::empty();
        while self.enc.receive_packet(&mut pkt).is_ok() {
            pkt.set_stream(0);
            pkt.rescale_ts(self.enc_tb, self.ost_tb);
            pkt.write_interleaved(self.octx)
                .map_err(|e| RemuxError::Output(e.to_string()))?;
        }
        Ok(())
    }
}

/// Encodes every picture the filter graph has ready.
fn drain(
    graph: &mut filter::Graph,
    filtered: &mut frame::Video,
    sink: &mut Sink<'_>,
) -> Result<(), RemuxError> {
    let mut out = graph.get("out").ok_or_else(|| lost("out"))?;
    while out.sink().frame(filtered).is_ok() {
        sink.enc
            .send_frame(filtered)
            .map_err(|e| RemuxError::Output(e.to_string()))?;
        sink.packets()?;
    }
    Ok(())
}

/// libx264 for the decoder's size, YUV 4:2:0, in the input's time base; a keyframe every
/// two seconds, no B-frames (pictures keep their order), quality close to the source's.
fn open_encoder(
    dec: &frame::Video,
    tb: Rational,
    rate: Rational,
) -> Result<encoder::Video, RemuxError> {
    let fail = |e: ffmpeg::Error| RemuxError::Output(format!("cannot open the H.264 encoder: {e}"));
    let codec = encoder::find_by_name("libx264")
        .ok_or_else(|| RemuxError::Output("no libx264 in this FFmpeg build".into()))?;
    let mut enc = codec::Context::new_with_codec(codec)
        .encoder()
        .video()
        .map_err(fail)?;
    enc.set_width(dec.width());
    enc.set_height(dec.height());
    enc.set_format(Pixel::YUV420P);
    enc.set_time_base(tb);
    let fps = if rate.numerator() > 0 && rate.denominator() > 0 {
        rate
    } else {
        Rational::new(25, 1)
    };
    enc.set_frame_rate(Some(fps));
    let gop = (2 * fps.numerator() / fps.denominator().max(1)).max(1) as u32;
    enc.set_gop(gop);
    enc.set_max_b_frames(0);
    enc.set_flags(codec::flag::Flags::GLOBAL_HEADER);
    let mut opts = Dictionary::new();
    opts.set("preset", "veryfast");
    opts.set("crf", "20");
    enc.open_with(opts).map_err(fail)
}

/// buffer → drawtext (label) → drawtext (clock, one per run) → format yuv420p → buffersink.
fn build_graph(
    dec: &frame::Video,
    tb: Rational,
    mark: &Watermark,
) -> Result<filter::Graph, ffmpeg::Error> {
    let find = |name: &str| filter::find(name).ok_or(ffmpeg::Error::FilterNotFound);
    let mut graph = filter::Graph::new();
    let aspect = dec.aspect_ratio();
    let (an, ad) = if aspect.numerator() > 0 {
        (aspect.numerator(), aspect.denominator())
    } else {
        (1, 1)
    };
    let args = format!(
        "video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect={an}/{ad}",
        dec.width(),
        dec.height(),
        ffmpeg::ffi::AVPixelFormat::from(dec.format()) as i32,
        tb.numerator(),
        tb.denominator()
    );
    graph.add(&find("buffer")?, "in", &args)?;
    let mut names = Vec::new();
    for (i, spec) in drawtext_args(mark, dec.height()).iter().enumerate() {
        let name = format!("text{i}");
        graph.add(&find("drawtext")?, &name, spec)?;
        names.push(name);
    }
    graph.add(&find("format")?, "yuv", "pix_fmts=yuv420p")?;
    graph.add(&find("buffersink")?, "out", "")?;
    let mut chain = vec!["in".to_string()];
    chain.extend(names);
    chain.extend(["yuv".to_string(), "out".to_string()]);
    for pair in chain.windows(2) {
        let mut a = graph.get(&pair[0]).ok_or(ffmpeg::Error::FilterNotFound)?;
        let mut b = graph.get(&pair[1]).ok_or(ffmpeg::Error::FilterNotFound)?;
        a.link(0, &mut b, 0);
    }
    graph.validate()?;
    Ok(graph)
}

/// The options of each `drawtext` (as `avfilter_graph_create_filter` reads them: one level
/// of quoting, so a quoted value is taken literally). The label is drawn without expansion;
/// the clock is `%{pts:gmtime:EPOCH:FORMAT}`, whose colons inside FORMAT are escaped for
/// drawtext's own argument parser.
pub fn drawtext_args(mark: &Watermark, height: u32) -> Vec<String> {
    let size = (height / 20).max(12);
    let style = format!(
        "fontsize={size}:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw={}",
        size / 4
    );
    let label: String = mark
        .label
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '\'' { '’' } else { c })
        .collect();
    let font = if label.is_ascii() {
        "font='Sans'".to_string()
    } else {
        cjk_font().map_or("font='Sans'".to_string(), |f| format!("fontfile='{f}'"))
    };
    let m = size / 2;
    // The label above the clock, both at the bottom left (cameras put their own text at
    // the top).
    let mut out = vec![format!(
        "{font}:expansion=none:text='{label}':x={m}:y=h-2*th-{}:{style}",
        3 * m
    )];
    for run in &mark.clock {
        let epoch = run.epoch_us as f64 / 1e6;
        let enable = match run.to_s {
            Some(to) => format!("between(t,{:.6},{:.6})", run.from_s, to - 1e-6),
            None => format!("gte(t,{:.6})", run.from_s),
        };
        out.push(format!(
            "font='Sans':text='%{{pts:gmtime:{epoch:.6}:%Y-%m-%d %H\\:%M\\:%S UTC}}':enable='{enable}':x={m}:y=h-th-{m}:{style}"
        ));
    }
    out
}

/// A font file with Hangul (and Latin) glyphs, for labels that are not ASCII: drawtext
/// draws one font, without fallback.
fn cjk_font() -> Option<&'static str> {
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/nanum/NanumGothic.ttf",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawtext_options_quote_the_label_and_escape_the_clock() {
        let mark = Watermark {
            label: "Kim's door".into(),
            clock: vec![
                ClockRun {
                    from_s: 0.0,
                    to_s: Some(4.0),
                    epoch_us: 1_764_072_000_500_000,
                },
                ClockRun {
                    from_s: 4.0,
                    to_s: None,
                    epoch_us: 1_764_072_010_500_000,
                },
            ],
        };
        let args = drawtext_args(&mark, 360);
        assert_eq!(args.len(), 3);
        assert!(args[0].contains("text='Kim’s door'"), "{}", args[0]);
        assert!(args[0].contains("expansion=none"));
        assert!(
            args[1].contains("%{pts:gmtime:1764072000.500000:%Y-%m-%d %H\\:%M\\:%S UTC}"),
            "{}",
            args[1]
        );
        assert!(args[1].contains("enable='between(t,0.000000,3.999999)'"));
        assert!(args[2].contains("enable='gte(t,4.000000)'"), "{}", args[2]);
    }
}
