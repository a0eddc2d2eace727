// The zone editor of the settings page: the camera's live picture (live.js's tile player)
// with its zones drawn over it in an SVG overlay (detect zones and masks in their colours,
// names shown), in fractions of the picture as the library stores them. Add a zone by
// clicking or tapping points (finish on the first point or with Finish; Undo point; Cancel),
// drag a point to move it, set name, kind, sensitivity and minimum area, save or delete.
// The server checks every outline and its sentence is shown here.
import { api, el, t } from './app.js';
import { Tile } from './live.js';

const SVG = 'http://www.w3.org/2000/svg';
const STATUS_EVERY_MS = 2000;
const MOVED_PX = 4; // a press that moves farther is a drag, not a click
const HANDLE_PX = 11;

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

const clamp = (v) => Math.min(1, Math.max(0, v));
const round = (v) => Math.round(v * 10000) / 10000;

export class ZoneEditor {
  constructor(camera) {
    this.camera = camera;
    this.base = `/api/cameras/${encodeURIComponent(camera)}/zones`;
    this.zones = [];
    this.draft = null; // {id, name, kind, sensitivity, min_area, points: [[x,y]], closed}
    this.press = null; // {index (a point) or null, x, y (px), moved}
    this.tile = new Tile(camera);
    this.overlay = svg('svg', { class: 'zones-overlay', role: 'img', 'aria-label': t('web-zones-overlay') });
    this.stage = el('div', { class: 'zones-stage' }, this.tile.screen, this.overlay);
    this.hint = el('p', { class: 'zones-hint' });
    this.msg = el('p', { class: 'settings-msg', role: 'alert', hidden: true });
    this.list = el('ul', { class: 'zones-list' });
    this.tools = el('div', { class: 'zones-tools' });
    this.form = el('div', { class: 'zones-form', hidden: true });
    this.root = el('section', { class: 'settings-card zones' },
      el('h3', {}, t('web-zones-title')), this.stage, this.hint, this.tools, this.msg, this.form, this.list);
    for (const type of ['pointerdown', 'pointermove', 'pointerup', 'pointercancel']) {
      this.overlay.addEventListener(type, (e) => this[type](e));
    }
    this.resize = new ResizeObserver(() => this.render());
    this.resize.observe(this.stage);
    this.timer = setInterval(() => this.status(), STATUS_EVERY_MS);
  }

  async load() {
    await this.status();
    this.zones = (await api(this.base)).zones;
    this.show();
  }

  /** The camera's status for its tile (the player starts once the camera runs). */
  async status() {
    try {
      const { cameras } = await api('/api/cameras');
      const cam = cameras.find((c) => c.name === this.camera);
      if (cam && this.timer) this.tile.update(cam);
    } catch (_) { /* the tile keeps saying what it last knew */ }
  }

  say(text) {
    this.msg.textContent = text || '';
    this.msg.hidden = !text;
  }

  /** Everything but the picture: tools, hint, form, list, overlay. */
  show() {
    const d = this.draft;
    const button = (label, onclick, attrs = {}) => el('button', { type: 'button', onclick, ...attrs }, label);
    if (!d) {
      this.hint.textContent = this.zones.length
        ? t('web-zones-hint-edit') : t('web-zones-none');
      this.tools.replaceChildren(button(t('web-zones-add'), () => this.start(), { class: 'primary', 'data-act': 'add' }));
    } else if (!d.closed) {
      this.hint.textContent = t('web-zones-hint-draw', { count: d.points.length });
      this.tools.replaceChildren(
        button(t('web-zones-finish'), () => this.finish(), { 'data-act': 'finish', disabled: d.points.length < 3 }),
        button(t('web-zones-undo'), () => this.undo(), { 'data-act': 'undo', disabled: !d.points.length }),
        button(t('common-cancel'), () => this.cancel(), { class: 'quiet', 'data-act': 'cancel' }));
    } else {
      this.hint.textContent = t('web-zones-hint-drag');
      this.tools.replaceChildren();
    }
    this.form.hidden = !(d && d.closed);
    if (d && d.closed) this.fillForm();
    this.list.replaceChildren(...this.zones.map((z) => el('li', {},
      el('button', { type: 'button', class: 'zones-item zones-' + z.kind, 'data-zone': z.name,
        onclick: () => this.edit(z) }, `${z.name} · ${z.kind === 'mask' ? t('web-zones-mask') : t('web-zones-detect')}`))));
    this.stage.classList.toggle('drawing', Boolean(d));
    this.render();
  }

  start() {
    this.say(null);
    this.draft = { id: 0, name: '', kind: 'detect', sensitivity: 50, min_area: 0.005, points: [], closed: false };
    this.show();
  }

  edit(zone) {
    this.say(null);
    this.draft = { ...zone, points: zone.points.map((p) => [...p]), closed: true };
    this.show();
  }

  finish() {
    if (this.draft.points.length < 3) {
      this.say(t('web-zones-need-points', { count: this.draft.points.length }));
      return;
    }
    this.draft.closed = true;
    this.say(null);
    this.show();
  }

  undo() {
    this.draft.points.pop();
    this.show();
  }

  cancel() {
    this.draft = null;
    this.say(null);
    this.show();
  }

  /** The name, kind, sensitivity and minimum area of the zone being edited. */
  fillForm() {
    const d = this.draft;
    const name = el('input', { type: 'text', value: d.name, maxlength: 64, 'aria-label': t('web-zones-name-label'),
      placeholder: t('web-zones-name-example'), oninput: (e) => { d.name = e.target.value; } });
    const kind = el('select', { 'aria-label': t('web-zones-kind'), onchange: (e) => { d.kind = e.target.value; this.render(); } },
      el('option', { value: 'detect', selected: d.kind === 'detect' }, t('web-zones-kind-detect')),
      el('option', { value: 'mask', selected: d.kind === 'mask' }, t('web-zones-kind-mask')));
    const level = el('output', {}, String(d.sensitivity));
    const sens = el('input', { type: 'range', min: 0, max: 100, step: 1, value: d.sensitivity,
      'aria-label': t('web-zones-sensitivity'), oninput: (e) => { d.sensitivity = Number(e.target.value); level.value = e.target.value; } });
    const area = el('input', { type: 'number', min: 0, max: 100, step: 0.1, inputmode: 'decimal',
      value: round(d.min_area * 100), 'aria-label': t('web-zones-min-area-label'),
      oninput: (e) => { d.min_area = e.target.value === '' ? null : Number(e.target.value) / 100; } });
    const field = (label, input, extra) => el('label', { class: 'settings-field' }, el('span', {}, label), input, extra);
    this.form.replaceChildren(
      field(t('web-zones-name'), name),
      field(t('web-zones-kind'), kind),
      field(t('web-zones-sensitivity-range'), el('span', { class: 'settings-unit zones-range' }, sens, level)),
      field(t('web-zones-min-area'), area),
      el('div', { class: 'zones-tools' },
        el('button', { type: 'button', class: 'primary', 'data-act': 'save', onclick: () => this.save() }, t('web-zones-save')),
        d.id ? el('button', { type: 'button', class: 'danger', 'data-act': 'delete', onclick: () => this.remove() }, t('common-delete')) : null,
        el('button', { type: 'button', class: 'quiet', onclick: () => this.cancel() }, t('common-cancel'))));
  }

  async save() {
    const d = this.draft;
    if (d.min_area === null || Number.isNaN(d.min_area)) {
      this.say(t('web-zones-min-area-bad'));
      return;
    }
    const body = { name: d.name, kind: d.kind, points: d.points.map(([x, y]) => [round(x), round(y)]),
      sensitivity: d.sensitivity, min_area: d.min_area };
    try {
      if (d.id) await api(`${this.base}/${d.id}`, { method: 'PUT', json: body });
      else await api(this.base, { method: 'POST', json: body });
      this.zones = (await api(this.base)).zones;
      // Another zone opened (or drawing began) while this one was saved: leave that open.
      const still = this.draft === d;
      if (still) this.draft = null;
      this.say(null);
      this.show();
      if (still) this.hint.textContent = t('web-zones-saved', { name: body.name.trim() });
    } catch (e) {
      if (this.draft === d) this.say(t('web-zones-not-saved', { why: e.message }));
    }
  }

  async remove() {
    const d = this.draft;
    if (!window.confirm(t('web-zones-confirm-delete', { name: d.name }))) return;
    try {
      const left = await api(`${this.base}/${d.id}`, { method: 'DELETE' });
      this.zones = left.zones;
      if (this.draft === d) this.draft = null;
      this.say(null);
      this.show();
    } catch (e) {
      this.say(t('web-zones-not-deleted', { why: e.message }));
    }
  }

  /** The pointer's place: pixels in the overlay and fractions of the picture. */
  where(e) {
    const box = this.overlay.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    return { x, y, fx: clamp(x / box.width), fy: clamp(y / box.height) };
  }

  pointerdown(e) {
    if (e.button !== 0) return;
    const at = this.where(e);
    const index = e.target.dataset ? e.target.dataset.index : undefined;
    const zone = e.target.dataset ? e.target.dataset.zone : undefined;
    if (!this.draft && zone !== undefined) {
      const found = this.zones.find((z) => String(z.id) === zone);
      if (found) this.edit(found);
      return;
    }
    if (!this.draft) return;
    e.preventDefault();
    this.overlay.setPointerCapture(e.pointerId);
    this.press = { index: index === undefined ? null : Number(index), x: at.x, y: at.y, moved: false };
  }

  pointermove(e) {
    const p = this.press;
    if (!p || p.index === null) return;
    const at = this.where(e);
    if (!p.moved && Math.hypot(at.x - p.x, at.y - p.y) < MOVED_PX) return;
    p.moved = true;
    this.draft.points[p.index] = [at.fx, at.fy];
    this.render();
  }

  pointerup(e) {
    const p = this.press;
    this.press = null;
    if (!p || !this.draft) return;
    const d = this.draft;
    if (p.moved) return this.show();
    if (d.closed) return;
    if (p.index === 0 && d.points.length >= 3) return this.finish();
    if (p.index !== null) return;
    const at = this.where(e);
    d.points.push([at.fx, at.fy]);
    this.say(null);
    this.show();
  }

  pointercancel() {
    this.press = null;
    this.render();
  }

  /** Draws the zones over the picture, in pixels of the overlay as it is laid out now. */
  render() {
    const box = this.overlay.getBoundingClientRect();
    const w = box.width || 1;
    const h = box.height || 1;
    this.overlay.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const px = (pts) => pts.map(([x, y]) => `${x * w},${y * h}`).join(' ');
    const parts = [];
    const editing = this.draft ? this.draft.id : null;
    for (const z of this.zones) {
      if (z.id === editing) continue;
      parts.push(svg('polygon', { class: 'zone zone-' + z.kind, points: px(z.points), 'data-zone': z.id }));
      parts.push(this.label(z.name, z.points, w, h, 'zone-name zone-name-' + z.kind));
    }
    const d = this.draft;
    if (d && d.points.length) {
      const shape = d.closed ? 'polygon' : 'polyline';
      parts.push(svg(shape, { class: `zone zone-draft zone-${d.kind}`, points: px(d.points) }));
      if (d.closed && d.name) parts.push(this.label(d.name, d.points, w, h, 'zone-name zone-name-draft'));
      d.points.forEach(([x, y], i) => {
        const closes = !d.closed && i === 0 && d.points.length >= 3;
        parts.push(svg('circle', { class: 'zone-point' + (closes ? ' zone-point-first' : ''),
          cx: x * w, cy: y * h, r: closes ? HANDLE_PX + 3 : HANDLE_PX, 'data-index': i }));
      });
    }
    this.overlay.replaceChildren(...parts);
  }

  /** A zone's name at the middle of its points. */
  label(name, points, w, h, cls) {
    const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
    const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
    return svg('text', { class: cls, x: cx * w, y: cy * h, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, name);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.resize.disconnect();
    this.tile.stop();
  }
}
