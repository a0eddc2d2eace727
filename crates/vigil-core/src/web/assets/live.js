// The live view: a grid with a tile per camera, each playing the camera's live fMP4
// fragments from a WebSocket through Media Source Extensions (ManagedMediaSource where Safari
// needs it), from its main stream or its sub-stream as the tile's size and the browser's
// codecs suit (live-stream.js), with the camera's status (recording, motion, why it is
// offline) polled every 2 s. Latency figures for `vigil bench web` go to
// window.vigilLiveStats[camera].
//
// Wire format (live/fanout/wire.rs): JSON text {"type":"init","mime"} then the init segment,
// {"type":"unplayable","reason"}, {"type":"ended","reason"}; binary messages are
// [kind u8: 0 init, 1 fragment][sent_us i64 BE][decode_time u64 BE, 90 kHz][fMP4 bytes].
import { api, el, localTime, problem, stateName, t } from './app.js';
import { chooseStream } from './live-stream.js';

const STATUS_EVERY_MS = 2000;
const KEEP_S = 10; // buffered video kept behind the play position
const MAX_BEHIND_S = 1; // farther behind the newest frame than this: jump to it
const EDGE_SLACK_S = 0.05; // where a jump lands, before the newest frame's end
const CATCH_UP_S = 0.18; // farther behind the buffer's end than this: play a little faster
const CAUGHT_UP_S = 0.1; // ...until this close
const CATCH_UP_RATE = 1.1;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10000;
const MAX_QUEUE = 150; // appends waiting: more means the buffer is stuck, start over
const STATS_MAX = 20000;
const SENT_MAX = 600; // send times kept for frames not yet presented
const TICKS = 90000; // decode_time units per second; media time = decode_time / TICKS
const HEADER = 17;

const MS = window.ManagedMediaSource || window.MediaSource;
window.vigilLiveStats = window.vigilLiveStats || {};

let grid = null;

export async function show(main) {
  grid = new Grid(main);
  await grid.refresh();
}

export function leave() {
  if (grid) grid.stop();
  grid = null;
}

/** Every camera's tile, kept in the order and set the status answer gives. */
class Grid {
  constructor(main) {
    this.tiles = new Map();
    this.box = el('div', { class: 'live-grid' });
    this.empty = el('p', { class: 'empty', hidden: true },
      t('web-live-no-cameras'));
    main.append(el('section', { class: 'live' }, this.empty, this.box));
    this.failed = false;
    this.timer = setInterval(() => this.refresh(), STATUS_EVERY_MS);
    // A new devicePixelRatio (zoom, another screen) changes how wide a tile is in pixels.
    this.resized = () => { for (const tile of this.tiles.values()) tile.choose(); };
    window.addEventListener('resize', this.resized);
  }

  async refresh() {
    let cameras;
    try {
      ({ cameras } = await api('/api/cameras'));
    } catch (e) {
      if (this.timer) problem(t('web-live-status-unavailable', { why: e.message }));
      this.failed = true;
      return;
    }
    if (!this.timer) return; // the view was left meanwhile
    if (this.failed) problem(null);
    this.failed = false;
    const names = new Set(cameras.map((c) => c.name));
    for (const [name, tile] of this.tiles) {
      if (names.has(name)) continue;
      tile.remove();
      this.tiles.delete(name);
    }
    cameras.forEach((cam, i) => {
      let tile = this.tiles.get(cam.name);
      if (!tile) {
        tile = new Tile(cam.name);
        this.tiles.set(cam.name, tile);
      }
      // The operator's name for the camera (정문); the identifier stays in URLs.
      if (tile.label.textContent !== (cam.display_name || cam.name)) {
        tile.label.textContent = cam.display_name || cam.name;
      }
      // Moved only when out of place: moving a playing video can pause it.
      if (this.box.children[i] !== tile.root) this.box.insertBefore(tile.root, this.box.children[i] || null);
      tile.update(cam);
    });
    this.empty.hidden = cameras.length > 0;
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    window.removeEventListener('resize', this.resized);
    for (const tile of this.tiles.values()) tile.remove();
  }
}

/** One camera's tile: its video, a note over it when there is something to say, its name
 * and status badges. A click opens the camera's recordings. The tile plays the stream that
 * suits its size (live-stream.js); a switch keeps the old picture until the new stream has
 * a frame. (The settings page shows its `screen` alone, under the zones.) */
export class Tile {
  constructor(name) {
    this.name = name;
    this.note = el('p', { class: 'live-note' }, t('web-live-connecting'));
    this.sd = el('span', { class: 'live-sd', hidden: true }, t('web-live-sd'));
    this.badges = el('span', { class: 'live-badges' });
    this.info = el('span', { class: 'live-info' });
    this.screen = el('div', { class: 'live-screen' }, this.sd, this.note);
    this.root = el('figure', {
      class: 'live-tile', tabindex: 0, 'data-camera': name,
      onclick: () => this.open(),
      onkeydown: (e) => { if (e.key === 'Enter') this.open(); }, // i18n-ignore
    }, this.screen, el('figcaption', { class: 'live-head' },
      this.label = el('span', { class: 'live-name' }, name), this.info, this.badges));
    this.player = null; // the stream shown
    this.next = null; // the stream switched to, until it has a frame
    this.cannot = { main: false, sub: false }; // streams whose video this browser refused
    this.status = null;
    this.playerNote = t('web-live-connecting');
    this.resized = new ResizeObserver(() => this.choose());
    this.resized.observe(this.screen);
  }

  open() {
    location.hash = '#/camera/' + encodeURIComponent(this.name);
  }

  update(cam) {
    const was = this.status;
    this.status = cam;
    this.badges.replaceChildren(...badges(cam));
    if (cam.width && cam.height) this.screen.style.aspectRatio = `${cam.width} / ${cam.height}`;
    // A stream whose codec changed may play now (or no longer): ask again.
    for (const stream of ['main', 'sub']) {
      if (was && codecOf(was, stream) !== codecOf(cam, stream)) this.cannot[stream] = false;
    }
    const runs = cam.state !== 'disabled' && cam.state !== 'stopped';
    if (!runs) this.stop();
    else this.choose();
    this.render();
  }

  /** Plays the stream that suits the tile now (see live-stream.js). */
  choose() {
    const cam = this.status;
    if (!cam || cam.state === 'disabled' || cam.state === 'stopped') return;
    const px = this.screen.clientWidth * (window.devicePixelRatio || 1);
    const shown = this.player && !this.player.unplayable ? this.player.stream : null;
    const want = chooseStream(cam, px, this.next ? this.next.stream : shown, this.cannot);
    if (this.next) {
      if (this.next.stream === want) return;
      this.next.stop();
      this.next = null;
    }
    if (this.player && this.player.stream === want
        && !(this.player.unplayable && this.player.codec !== codecOf(cam, want))) return;
    if (this.player && this.player.showing && !this.player.unplayable) {
      this.next = new Player(this, want); // swapped in by ready()
    } else {
      this.replace(new Player(this, want));
    }
  }

  /** A player has its first frame: a stream switched to takes the old one's place. */
  ready(player) {
    if (player !== this.next) return;
    this.next = null;
    this.replace(player);
  }

  /** A player's stream cannot play in this browser: another stream may. */
  refused(player) {
    this.cannot[player.stream] = true;
    if (player === this.next) {
      this.next = null;
      player.stop();
    }
    // Only a change of stream: the same one again would be refused again.
    const cam = this.status;
    if (cam && chooseStream(cam, 0, null, this.cannot) !== player.stream) this.choose();
  }

  replace(player) {
    if (this.player) this.player.stop();
    this.dropSnapshot();
    this.player = player;
    player.codec = codecOf(this.status, player.stream);
    player.video.classList.add('live-current');
    // What the new player said while it waited, else what a player says before its first frame.
    this.playerNote = player.note !== undefined ? player.note : (player.showing ? null : t('web-live-connecting'));
    this.render();
  }

  /** Shows the camera's latest event picture, when the events API has one (a camera whose
   * video this browser cannot play then shows a picture, not only a sentence). */
  async showSnapshot() {
    try {
      const q = '/api/events?limit=20&camera=' + encodeURIComponent(this.name);
      const resp = await fetch(q, { credentials: 'same-origin' });
      if (!resp.ok) return;
      const found = ((await resp.json()).events || []).find((e) => e.has_thumbnail);
      if (!found || !this.player || !this.player.unplayable) return;
      this.dropSnapshot();
      this.snapshot = el('img', {
        class: 'live-snapshot', alt: t('web-live-snapshot-alt', { camera: this.name }),
        src: `/api/events/${encodeURIComponent(found.id)}/thumbnail.jpg`,
      });
      this.snapshotAt = found.start_us;
      this.screen.append(this.snapshot);
      this.screen.append(this.note); // the note stays on top
      this.render();
    } catch (_) {
      // No events API or no answer: the sentence alone says why.
    }
  }

  dropSnapshot() {
    if (this.snapshot) this.snapshot.remove();
    this.snapshot = null;
  }

  /** What the shown player has to say (null: nothing, the picture speaks). */
  say(player, text) {
    if (player !== this.player) {
      player.note = text; // said when it is shown
      return;
    }
    this.playerNote = text;
    this.render();
  }

  render() {
    const cam = this.status;
    const p = this.player;
    const sub = p && p.stream === 'sub' && cam && cam.sub;
    this.sd.hidden = !sub;
    this.sd.title = sub ? t('web-live-sub-stream', { width: sub.width, height: sub.height }) : '';
    this.root.dataset.stream = p ? p.stream : '';
    const info = sub || cam || {};
    this.info.textContent = info.codec ? `${info.codec} ${info.width}×${info.height}` : '';
    let text = this.playerNote;
    let big = Boolean(p && p.unplayable);
    if (cam && !cam.online && !big) {
      text = cam.state === 'connecting' ? t('web-live-connecting')
        : t('web-live-offline', { why: cam.offline_reason || stateName(cam.state) });
      big = !p || !p.showing;
    }
    if (this.snapshot && big) {
      big = false; // the picture shows, the sentence goes below it
      text += ' ' + t('web-live-snapshot-note', { when: localTime(this.snapshotAt) });
    }
    this.note.textContent = text || '';
    this.note.hidden = !text;
    this.note.classList.toggle('big', big);
  }

  stop() {
    if (this.next) this.next.stop();
    if (this.player) this.player.stop();
    this.next = null;
    this.player = null;
    this.dropSnapshot();
  }

  /** The tile leaves the page. */
  remove() {
    this.stop();
    this.resized.disconnect();
    this.root.remove();
  }
}

/** The codec of one of the camera's streams, as its status says (undefined until seen). */
function codecOf(cam, stream) {
  return stream === 'sub' ? (cam.sub || {}).codec : cam.codec;
}

function badges(cam) {
  const out = [];
  if (cam.recording) {
    out.push(el('span', { class: 'live-badge rec', title: t('web-live-recording') }, t('web-live-rec')));
  }
  if (cam.motion) out.push(el('span', { class: 'live-badge motion' }, t('web-live-motion')));
  for (const e of cam.events.filter((ev) => ev.source !== 'motion')) {
    out.push(el('span', { class: 'live-badge event' }, e.label || e.source));
  }
  if (!cam.online) out.push(el('span', { class: 'live-badge off' }, stateName(cam.state)));
  if (cam.problem) out.push(el('span', { class: 'live-badge problem', title: cam.problem }, t('web-live-problem')));
  return out;
}

/** Closes a live socket. One still connecting is closed once it opens: closing it earlier
 * makes Firefox log "can't establish a connection to the server" as a console error (Chromium
 * a warning) whenever the grid is left right after it opened. */
function closeSocket(ws) {
  if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000);
  else ws.close(1000);
}

/** One camera's live video from one of its streams (`main` or `sub`): its own video
 * element, its socket (reopened with back-off), the MediaSource fed from it, keeping near
 * the newest frame, and the latency of each frame shown. */
class Player {
  constructor(tile, stream) {
    this.tile = tile;
    this.stream = stream;
    this.video = el('video', { muted: true, autoplay: true, playsinline: true, disablepictureinpicture: true });
    this.video.muted = true;
    // The first frame: the tile may show this stream now (it stays under the old one until).
    this.video.addEventListener('loadeddata', () => { if (!this.stopped) tile.ready(this); });
    tile.screen.prepend(this.video);
    this.name = tile.name;
    this.retryMs = RETRY_MIN_MS;
    this.stopped = false;
    this.unplayable = false;
    this.showing = false;
    this.queue = [];
    this.sent = []; // [decode_time, sent_us] of fragments, in order
    this.stats = window.vigilLiveStats[this.name] ||= { presented: 0, latency_ms: [] };
    if (!MS) {
      this.cannotPlay(t('web-live-no-mse'));
      return;
    }
    this.connect();
    this.watchFrames();
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const path = `/api/cameras/${encodeURIComponent(this.name)}/live?stream=${this.stream}`;
    const ws = new WebSocket(`${scheme}//${location.host}${path}`);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => { if (this.ws === ws) this.message(e.data); };
    ws.onclose = (e) => { if (this.ws === ws) this.closed(e); };
    this.ws = ws;
    this.fresh = true; // the next init starts a new timeline
  }

  closed(e) {
    this.ws = null;
    if (this.stopped || this.unplayable) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.tile.say(this, e.reason ? t('web-live-reconnecting-why', { why: e.reason }) : t('web-live-reconnecting'));
    this.retry = setTimeout(() => { if (!this.stopped) this.connect(); }, wait);
  }

  message(data) {
    if (typeof data === 'string') {
      this.text(JSON.parse(data));
      return;
    }
    const view = new DataView(data);
    const kind = view.getUint8(0);
    if (kind === 1) {
      this.sent.push([Number(view.getBigUint64(9)), Number(view.getBigInt64(1))]);
      if (this.sent.length > SENT_MAX) this.sent.splice(0, this.sent.length - SENT_MAX);
      this.retryMs = RETRY_MIN_MS;
    }
    if (this.unplayable || !this.mime) return;
    this.queue.push(new Uint8Array(data, HEADER));
    if (this.queue.length > MAX_QUEUE) this.restart(t('web-live-buffer-stuck'));
    else this.pump();
  }

  text(msg) {
    if (msg.type === 'init') this.init(msg.mime);
    else if (msg.type === 'unplayable') this.tile.say(this, t('web-live-unplayable', { why: msg.reason }));
    else if (msg.type === 'ended') this.tile.say(this, msg.reason);
  }

  init(mime) {
    if (!MS.isTypeSupported(mime)) {
      const codec = (/codecs="([^"]*)"/.exec(mime) || [])[1] || mime;
      const hevc = /^(hvc1|hev1)/.test(codec);
      this.cannotPlay(hevc ? t('web-live-hevc', { codec }) : t('web-live-codec', { codec }));
      return;
    }
    this.tile.say(this, null);
    // Within one socket decode times continue, so the same buffer takes a new init segment.
    if (!this.fresh && this.mime === mime) return;
    this.fresh = false;
    this.open(mime);
  }

  cannotPlay(why) {
    this.unplayable = true;
    if (this.ws) closeSocket(this.ws);
    this.tile.say(this, why);
    this.tile.refused(this);
    if (this.tile.player === this) this.tile.showSnapshot();
  }

  /** A new MediaSource for `mime` (a new timeline: everything before is let go). */
  open(mime) {
    this.release();
    this.mime = mime;
    const ms = new MS();
    this.ms = ms;
    this.sent = [];
    if (window.ManagedMediaSource && ms instanceof window.ManagedMediaSource) this.video.disableRemotePlayback = true;
    ms.addEventListener('sourceopen', () => {
      if (this.ms !== ms) return;
      const sb = ms.addSourceBuffer(mime);
      sb.mode = 'segments';
      sb.addEventListener('updateend', () => { if (this.sb === sb) this.appended(); });
      this.sb = sb;
      this.pump();
    }, { once: true });
    this.url = URL.createObjectURL(ms);
    this.video.src = this.url;
  }

  pump() {
    const sb = this.sb;
    if (!sb || sb.updating || this.ms.readyState !== 'open') return;
    if (this.trim(sb)) return; // updateend pumps again
    const next = this.queue.shift();
    if (!next) return;
    try {
      sb.appendBuffer(next);
    } catch (e) {
      this.restart(t('web-live-refused', { error: e.name }));
    }
  }

  /** After each append: play, keep near the newest frame, then append what waits. */
  appended() {
    const v = this.video;
    const b = v.buffered;
    if (b.length) {
      const start = b.start(b.length - 1);
      const end = b.end(b.length - 1);
      const lag = end - v.currentTime;
      if (v.currentTime < start || lag > MAX_BEHIND_S) {
        v.currentTime = Math.max(start, end - EDGE_SLACK_S);
      } else {
        // Catch up gently (the newest frame shown sooner, without seeking), with hysteresis:
        // each change of rate costs Chromium a few frames.
        if (lag > CATCH_UP_S && v.playbackRate === 1) v.playbackRate = CATCH_UP_RATE;
        else if (lag < CAUGHT_UP_S && v.playbackRate !== 1) v.playbackRate = 1;
      }
      if (v.paused) v.play().catch(() => {});
      if (!this.showing) {
        this.showing = true;
        this.tile.render();
      }
    }
    this.pump();
  }

  /** Removes what lies more than KEEP_S behind the play position; true if it started. */
  trim(sb) {
    const b = sb.buffered;
    const behind = this.video.currentTime - KEEP_S;
    if (!b.length || behind - b.start(0) < 2) return false;
    sb.remove(b.start(0), behind);
    return true;
  }

  /** Starts over on a new socket (the next keyframe gives a clean start). */
  restart(why) {
    this.tile.say(this, t('web-live-reconnecting-why', { why }));
    const ws = this.ws;
    this.ws = null;
    if (ws) closeSocket(ws);
    this.release();
    this.mime = null;
    if (!this.stopped) this.connect();
  }

  release() {
    this.queue = [];
    this.sb = null;
    this.ms = null;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  watchFrames() {
    if (!this.video.requestVideoFrameCallback) return;
    const onFrame = (_now, meta) => {
      if (this.stopped) return;
      this.presented(meta.mediaTime);
      this.video.requestVideoFrameCallback(onFrame);
    };
    this.video.requestVideoFrameCallback(onFrame);
  }

  /** A frame was presented: its latency is now minus when the server read it. */
  presented(mediaTime) {
    this.stats.presented += 1;
    const ticks = Math.round(mediaTime * TICKS);
    const s = this.sent;
    let lo = 0;
    let hi = s.length - 1;
    let found = -1;
    while (lo <= hi) { // the last fragment starting at or before the frame
      const mid = (lo + hi) >> 1;
      if (s[mid][0] <= ticks + 1) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0 || ticks - s[found][0] > TICKS / 2) return;
    const lat = this.stats.latency_ms;
    lat.push(Date.now() - s[found][1] / 1000);
    if (lat.length > STATS_MAX) lat.splice(0, lat.length - STATS_MAX);
    s.splice(0, found + 1); // each frame counts once
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    const ws = this.ws;
    this.ws = null;
    if (ws) closeSocket(ws);
    this.release();
    this.video.removeAttribute('src');
    this.video.load();
    this.video.remove();
  }
}
