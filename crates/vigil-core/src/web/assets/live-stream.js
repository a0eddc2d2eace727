// Which of a camera's streams a live tile plays: the main stream or the sub-stream (the
// camera's detect sub-stream, when /api/cameras lists one). A tile wider on screen (CSS px
// × devicePixelRatio) than MAIN_ABOVE × the sub-stream's width plays the main stream, one
// narrower than SUB_BELOW × plays the sub-stream, and in between keeps what it plays
// (hysteresis: a tile near the edge does not flip back and forth). A stream this browser
// cannot play is never chosen when the other can: an H.265 camera with an H.264 sub-stream
// shows the sub-stream at any size.

export const MAIN_ABOVE = 1.5;
export const SUB_BELOW = 1.2;

const MS = window.ManagedMediaSource || window.MediaSource;

/** A type to ask MediaSource about, per codec name as /api/cameras gives it. */
const PROBE = {
  h264: 'video/mp4; codecs="avc1.640028"',
  hevc: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  h265: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
};

/** Whether this browser can likely play `codec` live (an unknown codec is tried: its init
 * message tells for sure). */
export function playable(codec) {
  if (!MS) return false;
  const probe = PROBE[codec];
  return probe ? MS.isTypeSupported(probe) : true;
}

/** The stream (`main` or `sub`) a tile `devicePx` wide should play, given the camera's
 * status `cam`, the stream it plays now (`current`, or null) and the streams that turned
 * out unplayable here (`cannot`: {main, sub} booleans from init messages). */
export function chooseStream(cam, devicePx, current, cannot) {
  const sub = cam.sub && cam.sub.online ? cam.sub : null;
  if (!sub) return 'main';
  const subPlays = !cannot.sub && playable(sub.codec);
  const mainPlays = !cannot.main && (!cam.codec || playable(cam.codec));
  if (!subPlays) return 'main';
  if (!mainPlays) return 'sub';
  if (!sub.width || !devicePx) return current || 'main';
  if (devicePx > MAIN_ABOVE * sub.width) return 'main';
  if (devicePx < SUB_BELOW * sub.width) return 'sub';
  return current || 'main';
}
