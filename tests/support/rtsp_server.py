#!/usr/bin/python3
"""Vigil integration-test camera simulator (gst-rtsp-server via python3-gi).

Run with Debian's /usr/bin/python3 (it has the `gi` bindings), e.g.:

    /usr/bin/python3 tests/support/rtsp_server.py --port 8554 [--user U --password P]

Mounts (all RTP payload type 96):
    /h264    live moving test picture (pattern=ball), H.264, shared between clients
    /h265    same picture, H.265/HEVC, shared between clients
    /sub     same picture as /h264 scaled to 320x180 (a camera's sub-stream), H.264,
             shared between clients
    /static  SMPTE colour bars with no motion at all, H.264, shared
    /motion  grey background; a white box slides across the frame from
             --motion-start to --motion-end seconds (default 20..26) after the
             client's session started, H.264, NOT shared (fresh timeline per client)
    /lights  grey background that turns brighter (+64 grey) over the whole frame
             from --motion-start to --motion-end (lights switching: no motion), not shared
    /person  only with --person-image PNG: grey background; the picture (a person, e.g.
             scikit-image's astronaut), scaled to a square of 5/9 of the frame height,
             walks in from the left at --motion-start and has left on the right at
             --motion-end, H.264, not shared (fresh timeline per client)
    /avsync  for A/V sync measurements: a dark picture that is white for exactly one frame
             at every whole second of the client's session (running time n s), and AAC
             sound (16 kHz mono, pay1) that is silent but for a 10 ms 1 kHz click heard at
             the same instants (scheduled early by the AAC encoder's priming delay);
             both driven from buffer timestamps by GstController (exact to the frame and
             to the 10 ms audio buffer), not shared

Mounts with sound beside the picture (the /h264 ball picture, not shared: each client
gets its own timeline; the sound is audiotestsrc's live ticks):
    /h264-aac    H.264 + AAC 16 kHz mono (avenc_aac, RTP mpeg4-generic)
    /h264-opus   H.264 + Opus 48 kHz mono (opusenc, rtpopuspay)
    /h264-pcmu   H.264 + G.711 µ-law 8 kHz mono (mulawenc, rtppcmupay)
    /audio-only  AAC 16 kHz mono and no video at all

`--scene` picks the picture for /h264, /h265 and /sub (ball | smpte | motion | snow: random
noise every frame, so the encoder runs at its bit rate like a busy camera).

Once listening, prints exactly one line `READY <port>` on stdout. SIGTERM and
SIGINT quit the main loop and exit with status 0. The listening socket is
bound with SO_REUSEADDR (g_socket_bind allow_reuse=TRUE inside gst-rtsp-server),
so a restart can re-bind the same port immediately.
"""

import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ROLE = "camera-user"
# Size of the white box of the motion scene, as a fraction of the frame.
BOX_FRACTION = 4
# Picture size of the /sub mount (a camera's low-resolution sub-stream).
SUB_WIDTH, SUB_HEIGHT = 320, 180


def parse_args():
    p = argparse.ArgumentParser(description="Vigil RTSP camera simulator")
    p.add_argument("--port", type=int, required=True,
                   help="TCP port to listen on (0 = let the OS pick one)")
    p.add_argument("--user", help="require basic auth with this user name")
    p.add_argument("--password", help="password for --user")
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--gop", type=int, default=25, help="key frame interval, frames")
    p.add_argument("--scene", choices=("ball", "smpte", "motion", "snow"), default="ball",
                   help="picture served on /h264 and /h265")
    p.add_argument("--motion-start", type=float, default=20.0,
                   help="seconds after session start when the box enters (motion scene)")
    p.add_argument("--motion-end", type=float, default=26.0,
                   help="seconds after session start when the box has left (motion scene)")
    p.add_argument("--person-image",
                   help="PNG picture of a person that crosses the /person mount's frame")
    a = p.parse_args()
    if (a.user is None) != (a.password is None):
        p.error("--user and --password must be given together")
    if a.motion_end <= a.motion_start:
        p.error("--motion-end must be after --motion-start")
    return a


def raw_caps(a):
    return "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1" % (a.width, a.height, a.fps)


def person_side(a):
    """Side of the person picture's square on /person, pixels (even)."""
    return (a.height * 5 // 9) & ~1


def source(a, scene):
    """gst-launch fragment producing live raw video for a scene."""
    caps = raw_caps(a)
    if scene == "person":
        # Grey background plus the still person picture composited on top; animate_box()
        # slides it across like the motion scene's box.
        side = person_side(a)
        return (
            "videotestsrc is-live=true pattern=solid-color foreground-color=0xff808080 "
            "! %s ! mix.sink_0 "
            "filesrc location=\"%s\" ! pngdec ! imagefreeze name=box is-live=true "
            "! videoconvert ! videoscale "
            "! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1 ! mix.sink_1 "
            "compositor name=mix background=black sink_1::alpha=0 sink_1::zorder=1 "
            "! videoconvert ! %s"
            % (caps, a.person_image, side, side, a.fps, caps))
    if scene == "lights":
        # Grey background; a full-frame brighter layer switched on between
        # motion_start and motion_end (lights coming on: no motion).
        return (
            "videotestsrc is-live=true pattern=solid-color foreground-color=0xff808080 "
            "! %s ! mix.sink_0 "
            "videotestsrc name=box is-live=true pattern=solid-color foreground-color=0xffc0c0c0 "
            "! %s ! mix.sink_1 "
            "compositor name=mix background=black sink_1::alpha=0 sink_1::zorder=1 "
            "! videoconvert ! %s"
            % (caps, caps, caps))
    if scene == "motion":
        # Grey background plus a small white box composited on top (the
        # compositor comes last so the encoder links to its output). The box
        # pad starts fully transparent; animate_box() animates it.
        bw, bh = a.width // BOX_FRACTION, a.height // BOX_FRACTION
        return (
            "videotestsrc is-live=true pattern=solid-color foreground-color=0xff808080 "
            "! %s ! mix.sink_0 "
            "videotestsrc name=box is-live=true pattern=white "
            "! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1 ! mix.sink_1 "
            "compositor name=mix background=black sink_1::alpha=0 sink_1::zorder=1 "
            "! videoconvert ! %s"
            % (caps, bw, bh, a.fps, caps))
    pattern = scene if scene in ("smpte", "snow") else "ball"
    chain = "videotestsrc is-live=true pattern=%s ! %s" % (pattern, caps)
    # Burn a running clock into the moving picture when pango is installed.
    if scene == "ball" and Gst.ElementFactory.find("timeoverlay"):
        chain += " ! timeoverlay"
    return chain


def sub_scale():
    """gst-launch fragment scaling raw video to the sub-stream's size."""
    return "videoscale ! video/x-raw,width=%d,height=%d" % (SUB_WIDTH, SUB_HEIGHT)


def h264(a):
    return ("x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d "
            "! video/x-h264,stream-format=byte-stream "
            "! rtph264pay name=pay0 pt=96 config-interval=1" % a.gop)


def h265(a):
    return ("x265enc tune=zerolatency speed-preset=ultrafast key-int-max=%d "
            "option-string=\"repeat-headers=1\" "
            "! video/x-h265,stream-format=byte-stream "
            "! rtph265pay name=pay0 pt=96 config-interval=1" % a.gop)


# Sound fragments: live ticks, encoded and payloaded as stream `pay`.
AUDIO = {
    "aac": ("audio/x-raw,rate=16000,channels=1 ! audioconvert ! avenc_aac bitrate=32000 "
            "! rtpmp4gpay name=%s pt=%d"),
    "opus": ("audio/x-raw,rate=48000,channels=1 ! audioconvert ! opusenc bitrate=32000 "
             "! rtpopuspay name=%s pt=%d"),
    "pcmu": ("audio/x-raw,rate=8000,channels=1 ! audioconvert ! mulawenc "
             "! rtppcmupay name=%s pt=%d"),
}


def sound(kind, pay, pt):
    """gst-launch fragment producing a live sound stream of `kind` payloaded as `pay`."""
    return ("audiotestsrc is-live=true wave=ticks ! audioresample ! "
            + AUDIO[kind] % (pay, pt))


def switch_lights(a, media):
    """Show the bright full-frame layer of the lights scene from motion_start to motion_end."""
    pipeline = media.get_element()
    box = pipeline.get_by_name("box")
    mix_pad = pipeline.get_by_name("mix").get_static_pad("sink_1")

    def probe(_pad, info):
        buf = info.get_buffer()
        if buf is not None and buf.pts != Gst.CLOCK_TIME_NONE:
            t = buf.pts / Gst.SECOND
            mix_pad.set_property("alpha", 1.0 if a.motion_start <= t < a.motion_end else 0.0)
        return Gst.PadProbeReturn.OK

    box.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, probe)


def animate_box(a, media, animated=True):
    """Drive the motion-scene box from the timestamps of its own buffers.

    Live videotestsrc timestamps start at 0 when the media's pipeline starts
    playing, i.e. when the client's DESCRIBE prepared it (/motion is not
    shared, so every client gets its own timeline; with `--scene motion` the
    shared /h264 and /h265 count from their first client instead).
    Between motion_start and motion_end the box slides left to right across
    the frame; otherwise it is invisible and the picture is perfectly static.
    """
    pipeline = media.get_element()
    box = pipeline.get_by_name("box")
    mix_pad = pipeline.get_by_name("mix").get_static_pad("sink_1")
    bw, bh = a.width // BOX_FRACTION, a.height // BOX_FRACTION
    if animated == "person":
        bw = bh = person_side(a)
    mix_pad.set_property("ypos", (a.height - bh) // 2)
    span = a.motion_end - a.motion_start

    def probe(_pad, info):
        buf = info.get_buffer()
        if buf is None or buf.pts == Gst.CLOCK_TIME_NONE:
            return Gst.PadProbeReturn.OK
        t = buf.pts / Gst.SECOND
        if a.motion_start <= t < a.motion_end:
            frac = (t - a.motion_start) / span
            mix_pad.set_property("xpos", int(-bw + frac * (a.width + bw)))
            mix_pad.set_property("alpha", 1.0)
        else:
            mix_pad.set_property("alpha", 0.0)
        return Gst.PadProbeReturn.OK

    box.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, probe)


# /avsync: sound sample rate, samples per buffer (10 ms: the click's length and its
# resolution), the dark picture's colour and the flash's.
AVSYNC_RATE = 16000
AVSYNC_BUFFER = AVSYNC_RATE // 100
AVSYNC_DARK, AVSYNC_WHITE = 0xff101010, 0xffffffff
# Control points are laid out this far ahead (seconds of a session).
AVSYNC_HOURS = 2
# How much later a decoder plays sound than it went into voaacenc (its priming: 1536
# samples, measured with ffmpeg on /avsync's output): the click is scheduled this much
# earlier to be heard on the flash.
AVSYNC_PRIMING_NS = Gst.SECOND * 1536 // AVSYNC_RATE


def avsync_launch(a):
    """gst-launch fragment of /avsync: the flashing picture (pay0) and clicking sound (pay1)."""
    return (
        "videotestsrc name=flash is-live=true pattern=solid-color foreground-color=%d "
        "! %s ! %s "
        "audiotestsrc name=click is-live=true wave=sine freq=1000 volume=0 samplesperbuffer=%d "
        "! audio/x-raw,rate=%d,channels=1 ! audioconvert ! voaacenc "
        "! rtpmp4gpay name=pay1 pt=97"
        % (AVSYNC_DARK, raw_caps(a), h264(a), AVSYNC_BUFFER, AVSYNC_RATE))


def flash_and_click(a, media):
    """Flash one frame and click 10 ms at every whole second of /avsync's timeline.

    Both sources take their property values from a step control source at each buffer's
    timestamp (gst_object_sync_values), so the flash and the click start at the same
    running time, whatever the threads do.
    """
    gi.require_version("GstController", "1.0")
    from gi.repository import GstController  # noqa: E402

    pipeline = media.get_element()
    frame_ns = Gst.SECOND // a.fps
    click_ns = Gst.SECOND * AVSYNC_BUFFER // AVSYNC_RATE
    for name, prop, (off, on), length, early in (
            ("flash", "foreground-color", (AVSYNC_DARK, AVSYNC_WHITE), frame_ns, 0),
            ("click", "volume", (0.0, 0.8), click_ns, AVSYNC_PRIMING_NS)):
        element = pipeline.get_by_name(name)
        cs = GstController.InterpolationControlSource()
        cs.set_property("mode", GstController.InterpolationMode.NONE)
        for n in range(1, AVSYNC_HOURS * 3600):
            cs.set(n * Gst.SECOND - early, float(on))
            cs.set(n * Gst.SECOND - early + length, float(off))
        element.add_control_binding(
            GstController.DirectControlBinding.new_absolute(element, prop, cs))
        # Kept alive with the media.
        media.avsync_controls = getattr(media, "avsync_controls", []) + [cs]


def make_unseekable(media):
    """Answer SEEKING queries with "not seekable", like a real camera.

    A live videotestsrc claims to be seekable, so gst-rtsp-server would honour
    the `Range: npt=0-` that most clients (ffmpeg included) send with PLAY and
    flush-seek the pipeline. On a shared mount that restarts the stream for
    every client already watching (timestamps jump back to 0). Returning
    HANDLED on a fresh seeking query leaves its default answer: seekable=FALSE,
    and the server then skips the seek and still answers PLAY with 200 OK.
    """
    def probe(_pad, info):
        if info.get_query().type == Gst.QueryType.SEEKING:
            return Gst.PadProbeReturn.HANDLED
        return Gst.PadProbeReturn.OK

    pay = media.get_element().get_by_name("pay0")
    pay.get_static_pad("src").add_probe(Gst.PadProbeType.QUERY_UPSTREAM, probe)


def make_factory(a, launch, shared, animated, permissions):
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch("( %s )" % launch)
    f.set_shared(shared)
    f.set_latency(50)  # ms, rtpbin jitterbuffer latency inside the server

    def configure(_factory, media):
        make_unseekable(media)
        if animated == "lights":
            switch_lights(a, media)
        elif animated == "avsync":
            flash_and_click(a, media)
        elif animated:
            animate_box(a, media, animated)

    f.connect("media-configure", configure)
    if permissions is not None:
        f.set_permissions(permissions)
    return f


def setup_auth(server, a):
    """Require HTTP basic auth for every mount; returns the factory permissions."""
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", ROLE)
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), token)
    # No default token: anonymous requests get 401 Unauthorized.
    server.set_auth(auth)
    perms = GstRtspServer.RTSPPermissions()
    perms.add_permission_for_role(ROLE, "media.factory.access", True)
    perms.add_permission_for_role(ROLE, "media.factory.construct", True)
    return perms


def main():
    a = parse_args()
    Gst.init(None)

    server = GstRtspServer.RTSPServer()
    server.set_address("0.0.0.0")
    server.set_service(str(a.port))
    perms = setup_auth(server, a) if a.user is not None else None

    main_scene = a.scene
    mounts = {
        "/h264": (source(a, main_scene) + " ! " + h264(a), True, main_scene == "motion"),
        "/h265": (source(a, main_scene) + " ! " + h265(a), True, main_scene == "motion"),
        "/sub": (source(a, main_scene) + " ! " + sub_scale() + " ! " + h264(a), True,
                 main_scene == "motion"),
        "/static": (source(a, "smpte") + " ! " + h264(a), True, False),
        "/motion": (source(a, "motion") + " ! " + h264(a), False, True),
        "/lights": (source(a, "lights") + " ! " + h264(a), False, "lights"),
    }
    for kind in AUDIO:
        mounts["/h264-" + kind] = (
            source(a, "ball") + " ! " + h264(a) + "  " + sound(kind, "pay1", 97), False, False)
    mounts["/audio-only"] = (sound("aac", "pay0", 96), False, False)
    if a.person_image:
        mounts["/person"] = (source(a, "person") + " ! " + h264(a), False, "person")
    mounts["/avsync"] = (avsync_launch(a), False, "avsync")
    points = server.get_mount_points()
    for path, (launch, shared, animated) in mounts.items():
        points.add_factory(path, make_factory(a, launch, shared, animated, perms))

    if server.attach(None) == 0:
        print("rtsp_server.py: cannot listen on port %d" % a.port, file=sys.stderr)
        sys.exit(1)

    loop = GLib.MainLoop()

    def stop(*_):
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, stop)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, stop)

    # Housekeeping: drop timed-out client sessions every couple of seconds.
    pool = server.get_session_pool()
    GLib.timeout_add_seconds(2, lambda: (pool.cleanup(), GLib.SOURCE_CONTINUE)[1])

    print("READY %d" % server.get_bound_port(), flush=True)
    loop.run()
    # Skip interpreter teardown (finalising live pipelines and their streaming
    # threads can stall); the kernel closes the listening and client sockets.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
