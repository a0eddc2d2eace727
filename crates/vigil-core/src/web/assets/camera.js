// The one-camera view, #/camera/NAME?at=US: a day's timeline (recordings, gaps, event
// markers) over a <video> playing the recordings; tap the timeline to play from that
// instant; speed; previous/next event; the wall-clock time of the frame shown.

import { api, app, el, localTime, problem, sourceName, t } from './app.js';
import { RecordedPlayer } from './camera-play.js';

const SPEEDS = [0.5, 1, 2, 4, 8];
/** Timeline zooms: label, span shown (ms), tick spacing (ms). */
const ZOOMS = [['web-camera-zoom-24h', 86400000, 3 * 3600000], ['web-camera-zoom-6h', 6 * 3600000, 3600000],
  ['web-camera-zoom-1h', 3600000, 10 * 60000], ['web-camera-zoom-10min', 600000, 60000]];
/** The zooms' labels (their keys above, written out for the catalogue's check). */
const ZOOM_LABELS = () => ({
  'web-camera-zoom-24h': t('web-camera-zoom-24h'), 'web-camera-zoom-6h': t('web-camera-zoom-6h'),
  'web-camera-zoom-1h': t('web-camera-zoom-1h'), 'web-camera-zoom-10min': t('web-camera-zoom-10min'),
});
const DAY_MS = 86400000;
let view = null;

/** Midnight (local) of the day holding `ms`, and of the next day, in ms. */
function dayBounds(ms) {
  const d = new Date(ms);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
  return [start.getTime(), end.getTime()];
}

function dateValue(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

function clockText(us) {
  return localTime(us);
}

export async function show(main, args, params) {
  const name = args[0];
  if (!name) {
    main.append(el('p', { class: 'empty' }, t('web-camera-no-name'), ' ',
      el('a', { href: '#/live' }, t('web-camera-choose-one'))));
    return;
  }
  const raw = params.get('at');
  let at = null;
  if (raw !== null) {
    if (/^\d{1,16}$/.test(raw)) at = Number(raw);
    else problem(t('web-camera-bad-time', { time: raw }));
  }
  view = new CameraView(main, name);
  await view.open(at === null ? Date.now() : at / 1000, at);
}

export function leave() {
  if (view) view.close();
  view = null;
}

class CameraView {
  constructor(main, name) {
    this.name = name;
    this.data = null;
    this.video = el('video', { muted: true, playsinline: true, class: 'camera-video' });
    this.video.muted = true;
    this.note = el('p', { class: 'camera-note', role: 'status' });
    this.clock = el('span', { class: 'camera-clock' }, '');
    this.track = el('div', { class: 'camera-track' });
    this.ticks = el('div', { class: 'camera-ticks' });
    this.cursor = el('div', { class: 'camera-cursor', hidden: true });
    this.date = el('input', { type: 'date', class: 'camera-date', 'aria-label': t('web-camera-day') });
    this.date.addEventListener('change', () => this.pickDay());
    const zoomLabels = ZOOM_LABELS();
    this.zoom = el('select', { class: 'camera-zoom', 'aria-label': t('web-camera-zoom') },
      ...ZOOMS.map(([key], i) => el('option', { value: i }, zoomLabels[key])));
    this.zoom.addEventListener('change', () => this.setZoom(this.player.now()));
    this.playBtn = el('button', { type: 'button', class: 'camera-play', onclick: () => this.toggle() }, t('web-camera-play'));
    this.speed = el('select', { class: 'camera-speed', 'aria-label': t('web-camera-speed') },
      ...SPEEDS.map((s) => el('option', { value: s, selected: s === 1 }, s + '×')));
    this.speed.addEventListener('change', () => { this.video.playbackRate = Number(this.speed.value); });
    this.video.addEventListener('ratechange', () => { this.speed.value = String(this.video.playbackRate); });
    this.video.addEventListener('play', () => { this.playBtn.textContent = t('web-camera-pause'); });
    this.video.addEventListener('pause', () => { this.playBtn.textContent = t('web-camera-play'); });
    this.player = new RecordedPlayer(this.video, name, (t) => this.say(t),
      (us, alive) => this.whereNext(us, alive));
    this.track.append(this.cursor);
    this.track.addEventListener('click', (e) => this.tap(e));
    this.build(main);
    this.watchFrames();
  }

  build(main) {
    const step = (days) => el('button', { type: 'button', class: 'quiet', onclick: () => this.shiftDay(days),
      'aria-label': days < 0 ? t('web-camera-previous-day') : t('web-camera-next-day') }, days < 0 ? '‹' : '›');
    main.append(el('section', { class: 'camera-view' },
      el('div', { class: 'camera-head' },
        el('a', { href: '#/live', class: 'camera-back' }, t('web-camera-back')),
        el('h2', { class: 'camera-name' }, this.name),
        app.me && app.me.may.change_config
          ? el('a', { href: `#/camera/${encodeURIComponent(this.name)}/settings`, class: 'camera-settings' }, t('web-camera-settings'))
          : null,
        el('span', { class: 'camera-day' }, step(-1), this.date, step(1), this.zoom)),
      el('div', { class: 'camera-timeline' }, this.track, this.ticks),
      this.note,
      el('div', { class: 'camera-stage' }, this.video),
      el('div', { class: 'camera-controls' },
        el('button', { type: 'button', onclick: () => this.jumpEvent(-1), title: t('web-camera-previous-event') }, t('web-camera-previous-event-short')),
        this.playBtn,
        el('button', { type: 'button', onclick: () => this.jumpEvent(1), title: t('web-camera-next-event') }, t('web-camera-next-event-short')),
        this.speed,
        this.clock)));
  }

  say(text) { this.note.textContent = text || ''; }

  /** Shows the day holding `ms` and, with `atUs`, plays from that instant (paused on it). */
  async open(ms, atUs) {
    await this.loadDay(ms);
    if (atUs !== null && this.data) this.playFrom(atUs, false);
  }

  async loadDay(ms) {
    const [start, end] = dayBounds(ms);
    this.day = [start * 1000, end * 1000];
    this.span = [...this.day];
    this.date.value = dateValue(start);
    const gap = Math.max(1000000, Math.round((end - start) * 1000 / 2000));
    this.timelinePath = `/api/cameras/${encodeURIComponent(this.name)}/timeline?from=${start * 1000}&to=${end * 1000}&min_gap_us=${gap}`;
    try {
      this.data = await api(this.timelinePath);
    } catch (e) {
      this.data = null;
      this.track.replaceChildren(this.cursor);
      this.say(e.message.startsWith('there is no camera')
        ? t('web-camera-unknown', { camera: this.name }) : e.message);
      return;
    }
    this.setZoom(null);
    const empty = !this.data.recordings.length && !this.data.recording_now.length;
    this.say(empty ? t('web-camera-nothing-today') : t('web-camera-tap-hint'));
  }

  pickDay() {
    const [y, m, d] = this.date.value.split('-').map(Number);
    if (!y) return;
    this.loadDay(new Date(y, m - 1, d, 12).getTime());
  }

  shiftDay(days) {
    this.loadDay(this.day[0] / 1000 + days * DAY_MS + DAY_MS / 2);
  }

  /** Shows the zoom chosen around `centre` (UTC µs; the middle of the view if null). */
  setZoom(centre) {
    const len = ZOOMS[Number(this.zoom.value)][1] * 1000;
    const [d0, d1] = this.day;
    const mid = centre ?? (this.span[0] + this.span[1]) / 2;
    const a = Math.min(Math.max(d0, mid - len / 2), d1 - Math.min(len, d1 - d0));
    this.span = [a, Math.min(d1, a + len)];
    if (this.data) this.draw();
  }

  /** Position of `us` across the span shown, in percent. */
  pos(us) {
    const [a, b] = this.span;
    return Math.min(100, Math.max(0, (us - a) / (b - a) * 100));
  }

  place(node, from, to) {
    node.style.left = this.pos(from) + '%';
    if (to !== undefined) node.style.width = Math.max(0, this.pos(to) - this.pos(from)) + '%';
    return node;
  }

  draw() {
    const d = this.data;
    const parts = [];
    for (const g of d.gaps) parts.push(this.place(el('div', { class: 'camera-gap' }), g.start_us, g.end_us));
    for (const r of d.recordings) {
      parts.push(this.place(el('div', { class: 'camera-span camera-span-' + r.kind,
        title: `${clockText(r.start_us)} – ${clockText(r.end_us)}` }), r.start_us, r.end_us));
    }
    const nowUs = Date.now() * 1000;
    for (const r of d.recording_now) {
      parts.push(this.place(el('div', { class: 'camera-span camera-span-now', title: t('web-camera-recording-now') }),
        Math.max(r.start_us, this.day[0]), Math.min(nowUs, this.day[1])));
    }
    for (const e of d.events) {
      const label = [sourceName(e.source), e.label, e.zone].filter(Boolean).join(' · ');
      parts.push(this.place(el('button', { type: 'button', class: 'camera-event camera-event-' + e.source,
        title: t('web-camera-event-at', { what: label, when: clockText(e.start_us) }),
        'aria-label': t('web-camera-event', { what: label }),
        onclick: (ev) => { ev.stopPropagation(); this.playFrom(e.start_us, true); } }), e.start_us));
    }
    this.track.replaceChildren(...parts, this.cursor);
    const ticks = [];
    const step = ZOOMS[Number(this.zoom.value)][2] * (window.innerWidth < 600 ? 2 : 1);
    const [a, b] = [this.span[0] / 1000, this.span[1] / 1000];
    const first = new Date(a);
    first.setMinutes(0, 0, 0);
    for (let ms = first.getTime(); ms <= b; ms += step) {
      if (ms < a) continue;
      const label = localTime(ms * 1000, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      ticks.push(this.place(el('span', { class: 'camera-tick' }, ms === this.day[1] / 1000 ? '24:00' : label), ms * 1000));
    }
    this.ticks.replaceChildren(...ticks);
  }

  /** The start of the first recording after `us` in the day shown, or null. */
  nextStart(us) {
    if (!this.data) return null;
    const r = this.data.recordings.find((x) => x.start_us > us);
    return r ? r.start_us : null;
  }

  /** `us` if it is recorded (the timeline read again), else the next recording's start;
   * when `us` is in the file being written now, waits (while `alive()`) until it is done. */
  async whereNext(us, alive) {
    for (let waited = 0; alive(); waited++) {
      await this.refresh();
      if (!this.data) return null;
      const inside = this.data.recordings.some((r) => r.start_us <= us && us < r.end_us);
      const next = inside ? us : this.nextStart(us);
      if (next !== null) {
        if (waited) this.say('');
        return next;
      }
      // (A file may have just been finished and the next not begun: look again shortly.)
      const writing = this.data.recording_now.some((r) => r.start_us <= us) || waited < 3;
      if (!writing || us < this.day[0] || us >= this.day[1]) return null;
      if (waited === 3) {
        this.say(t('web-camera-caught-up'));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    return null;
  }

  /** Reads the day's timeline again, quietly. */
  async refresh() {
    try {
      this.data = await api(this.timelinePath);
      this.draw();
    } catch (_) { /* keep what is shown */ }
  }

  tap(e) {
    if (!this.data) return;
    const box = this.track.getBoundingClientRect();
    const frac = (e.clientX - box.left) / box.width;
    const us = Math.round(this.span[0] + frac * (this.span[1] - this.span[0]));
    const inside = this.data.recordings.some((r) => r.start_us <= us && us < r.end_us);
    if (inside) return this.playFrom(us, true);
    const live = this.data.recording_now.some((r) => r.start_us <= us);
    const next = this.nextStart(us);
    if (next !== null) {
      this.say(t('web-camera-gap-next', { when: clockText(us) }));
      return this.playFrom(next, true, true);
    }
    this.say(live ? t('web-camera-recording-live') : t('web-camera-gap', { when: clockText(us) }));
  }

  /** Plays from `us`; the address then names that instant. */
  playFrom(us, play, keepNote) {
    if (!keepNote) this.say('');
    history.replaceState(null, '', `#/camera/${encodeURIComponent(this.name)}?at=${Math.round(us)}`);
    this.player.start(us, play).then(() => {
      this.video.playbackRate = Number(this.speed.value);
    });
  }

  toggle() {
    if (!this.player.parts.length) {
      const first = this.data && this.data.recordings[0];
      if (first) this.playFrom(first.start_us, true);
      return;
    }
    if (this.video.paused) this.video.play().catch((e) => this.say(e.message));
    else this.video.pause();
  }

  jumpEvent(dir) {
    const events = this.data ? this.data.events : [];
    const now = this.player.now() ?? (dir > 0 ? this.day[0] : this.day[1]);
    const found = dir > 0
      ? events.find((e) => e.start_us > now + 500000)
      : [...events].reverse().find((e) => e.start_us < now - 2000000);
    if (!found) return this.say(dir > 0 ? t('web-camera-no-later-event') : t('web-camera-no-earlier-event'));
    this.playFrom(found.start_us, true);
  }

  /** Keeps the clock and the cursor on the frame shown. */
  watchFrames() {
    const update = () => {
      const us = this.player.now();
      if (us === null) return;
      this.video.dataset.wallUs = String(Math.round(us));
      this.clock.textContent = clockText(us);
      if (us >= this.day[0] && us < this.day[1] && (us < this.span[0] || us >= this.span[1])) {
        this.setZoom(us);
      }
      const on = us >= this.span[0] && us < this.span[1];
      this.cursor.hidden = !on;
      if (on) this.cursor.style.left = this.pos(us) + '%';
    };
    const v = this.video;
    if (v.requestVideoFrameCallback) {
      const frame = () => { update(); if (view === this || !view) v.requestVideoFrameCallback(frame); };
      v.requestVideoFrameCallback(frame);
    }
    v.addEventListener('timeupdate', update);
    v.addEventListener('seeked', update);
  }

  close() {
    this.player.stop();
  }
}
