// Plays a camera's recordings in a <video> through Media Source Extensions: each part comes
// from GET /api/cameras/NAME/play?at=US as a streamed fragmented MP4 (appended as it
// arrives), the next part is asked for where one ends, and every part's media time is
// mapped back to the wall clock (X-Vigil-Start-Us) so the page can say when a frame was
// recorded. ManagedMediaSource is used where it exists (Safari on iPhone).

import { api, t } from './app.js';

const MS = window.ManagedMediaSource || window.MediaSource;
/** Seconds of video kept ahead of the playhead (reading pauses beyond it). */
const AHEAD = 30;
/** Seconds of played video kept behind the playhead. */
const BEHIND = 20;

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

export class RecordedPlayer {
  /** `video`: the element; `camera`: its name; `onProblem(text)`: a sentence for the page;
   * `whereNext(us, alive)`: resolves to `us` when something is recorded there, else the
   * start of the next recording (or null), from the page's timeline, to skip gaps; it may
   * wait for a recording in progress while `alive()`. */
  constructor(video, camera, onProblem, whereNext) {
    this.video = video;
    this.camera = camera;
    this.onProblem = onProblem;
    this.whereNext = whereNext;
    this.session = 0;
    this.parts = [];
  }

  /** Plays from `atUs` (UTC µs): shows the frame recorded then, and plays on if `play`. */
  async start(atUs, play) {
    const session = ++this.session;
    this.stopFetch();
    this.parts = [];
    this.ended = false;
    if (!MS) {
      this.onProblem(t('web-play-no-mse'));
      return;
    }
    const ms = new MS();
    this.ms = ms;
    const video = this.video;
    if (window.ManagedMediaSource) video.disableRemotePlayback = true;
    video.src = URL.createObjectURL(ms);
    await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
    if (session !== this.session) return;
    let resp;
    try {
      resp = await this.fetchPart(atUs);
    } catch (e) {
      this.onProblem(e.message);
      return;
    }
    const codecs = resp.headers.get('X-Vigil-Codecs') || 'avc1.42E01E';
    const type = `video/mp4; codecs="${codecs}"`;
    if (!MS.isTypeSupported(type)) {
      this.onProblem(t('web-play-codec', { codec: codecs }));
      return;
    }
    this.sb = ms.addSourceBuffer(type);
    this.sb.mode = 'segments';
    const target = (atUs - Number(resp.headers.get('X-Vigil-Start-Us'))) / 1e6;
    this.feed(session, resp, Math.max(0, target), play);
  }

  async fetchPart(atUs) {
    this.abort = new AbortController();
    const path = `/api/cameras/${encodeURIComponent(this.camera)}/play?at=${Math.round(atUs)}`;
    return api(path, { raw: true, signal: this.abort.signal });
  }

  stopFetch() {
    if (this.abort) this.abort.abort();
    this.abort = null;
  }

  /** Appends part after part while this session lasts. */
  async feed(session, resp, target, play) {
    let first = true;
    for (;;) {
      const start = Number(resp.headers.get('X-Vigil-Start-Us'));
      await this.idle();
      const offset = this.bufferedEnd();
      this.sb.timestampOffset = offset;
      this.parts.push({ media: offset, wall: start });
      try {
        await this.appendStream(session, resp.body.getReader(), () => {
          if (!first) return;
          if (this.bufferedEnd() > target) {
            first = false;
            this.video.currentTime = target;
            if (play) this.video.play().catch(() => {});
          }
        });
      } catch (e) {
        if (session === this.session) this.onProblem(t('web-play-stopped', { why: e.message }));
        return;
      }
      if (session !== this.session) return;
      const next = await this.nextPart(start);
      if (session !== this.session) return;
      if (!next) break;
      resp = next;
    }
    this.ended = true;
    if (this.ms.readyState === 'open' && !this.sb.updating) this.ms.endOfStream();
  }

  /** The part after the one just read, or null at the end of the recordings. */
  async nextPart(lastStart) {
    const end = this.wallAt(this.bufferedEnd());
    if (end === null) return null;
    const session = this.session;
    const at = await this.whereNext(end + 1000, () => session === this.session);
    if (at === null) return null;
    try {
      const resp = await this.fetchPart(at);
      return Number(resp.headers.get('X-Vigil-Start-Us')) > lastStart ? resp : null;
    } catch (_) {
      return null;
    }
  }

  /** Reads a part's body into the source buffer, holding back while far enough ahead. */
  async appendStream(session, reader, onData) {
    for (;;) {
      const { done, value } = await reader.read();
      if (session !== this.session) { reader.cancel().catch(() => {}); return; }
      if (done) return;
      await this.append(value);
      onData();
      while (session === this.session && this.bufferedEnd() - this.video.currentTime > AHEAD * Math.max(1, this.video.playbackRate)) {
        await sleep(300);
      }
    }
  }

  async append(bytes) {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.idle();
        this.sb.appendBuffer(bytes);
        await new Promise((r) => this.sb.addEventListener('updateend', r, { once: true }));
        this.trim();
        return;
      } catch (e) {
        if (e.name !== 'QuotaExceededError' || attempt > 20) throw e;
        this.trim(true);
        await sleep(500);
      }
    }
  }

  /** Waits until the source buffer takes a new operation. */
  async idle() {
    while (this.sb.updating) {
      await new Promise((r) => this.sb.addEventListener('updateend', r, { once: true }));
    }
  }

  /** Drops played video behind the playhead (all of it but a second when `hard`). */
  trim(hard) {
    const b = this.sb.buffered;
    const keep = hard ? 1 : BEHIND;
    if (!b.length || this.sb.updating) return;
    const until = this.video.currentTime - keep;
    if (until - b.start(0) > (hard ? 0 : 10)) this.sb.remove(b.start(0), until);
  }

  bufferedEnd() {
    const b = this.sb ? this.sb.buffered : null;
    return b && b.length ? b.end(b.length - 1) : 0;
  }

  /** The wall-clock time (UTC µs) of media time `t`, or null before anything is loaded. */
  wallAt(t) {
    let part = null;
    for (const p of this.parts) if (p.media <= t + 1e-6) part = p;
    return part ? part.wall + (t - part.media) * 1e6 : null;
  }

  /** The wall-clock time of the frame shown now. */
  now() {
    return this.parts.length ? this.wallAt(this.video.currentTime) : null;
  }

  stop() {
    this.session++;
    this.stopFetch();
    this.video.removeAttribute('src');
    this.video.load();
  }
}
