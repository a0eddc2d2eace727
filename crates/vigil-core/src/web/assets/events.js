// The events view (#/events?camera=&from=&to=&source=&label=&zone=): filters, the events as
// cards (thumbnail, camera, local time, length, what happened, protected), their actions by
// role (play, download, protect, delete) and a form to export any range of a camera.
// Times travel as UTC microseconds; the page shows and reads them in local time.
import { api, app, el, localTime, problem, sourceName, t } from './app.js';

const PERIODS = () => [
  ['', t('web-events-any-time')],
  ['1h', t('web-events-last-hour')],
  ['24h', t('web-events-last-24h')],
  ['7d', t('web-events-last-7d')],
  ['30d', t('web-events-last-30d')],
  ['custom', t('web-events-custom')],
];
const PERIOD_US = { '1h': 3600e6, '24h': 86400e6, '7d': 7 * 86400e6, '30d': 30 * 86400e6 };
const SOURCES = () => [['', t('web-events-any-source')], ['motion', t('web-events-source-motion')],
  ['external', t('web-events-source-trigger')], ['camera', t('web-events-source-camera')],
  ['manual', t('web-events-source-manual')]];

let view = null;

export async function show(main, _args, params) {
  view = { main, params, next: null, list: null, more: null };
  const filters = filterForm(params);
  const list = el('div', { class: 'events-list', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', class: 'events-more', hidden: true,
    onclick: () => load(false) }, t('web-events-older'));
  view.list = list;
  view.more = more;
  view.filters = filters;
  main.append(el('section', { class: 'events' }, filters.form, list, more));
  await load(true);
  if (app.me && app.me.may.export) main.querySelector('.events').append(rangeForm());
}

export function leave() {
  view = null;
}

/** The query the API gets for the filters in the address. */
function apiQuery(params, before) {
  const q = new URLSearchParams();
  for (const k of ['camera', 'source', 'label', 'zone', 'from', 'to']) {
    if (params.get(k)) q.set(k, params.get(k));
  }
  if (params.get('period') && PERIOD_US[params.get('period')]) {
    q.set('from', String(Math.round(Date.now() * 1000 - PERIOD_US[params.get('period')])));
  }
  q.set('limit', '60');
  if (before) q.set('before', before);
  return q.toString();
}

/** Loads the first page (replacing the list) or the next one (appending). */
async function load(first) {
  const v = view;
  if (!v) return;
  let answer;
  try {
    answer = await api('/api/events?' + apiQuery(v.params, first ? null : v.next));
  } catch (e) {
    problem(e.message);
    if (first) v.list.replaceChildren(el('p', { class: 'empty' }, e.message));
    return;
  }
  if (v !== view) return;
  if (first) {
    v.list.replaceChildren();
    v.filters.cameras(answer.cameras);
  }
  for (const e of answer.events) v.list.append(card(e));
  if (first && answer.events.length === 0) {
    v.list.append(el('p', { class: 'empty' }, t('web-events-none')));
  }
  v.next = answer.next;
  v.more.hidden = !answer.next;
}

/** The filters, filled from the address; applying them changes the address. */
function filterForm(params) {
  const camera = el('select', { name: 'camera', 'aria-label': t('common-camera') },
    el('option', { value: '' }, t('web-events-all-cameras')));
  const period = select('period', t('web-events-period'), PERIODS(), params.get('period') ||
    (params.get('from') || params.get('to') ? 'custom' : ''));
  const from = el('input', { type: 'datetime-local', name: 'from', 'aria-label': t('web-events-from') });
  const to = el('input', { type: 'datetime-local', name: 'to', 'aria-label': t('web-events-to') });
  from.value = toLocalInput(params.get('from'));
  to.value = toLocalInput(params.get('to'));
  const custom = el('span', { class: 'events-custom' }, from, to);
  const showCustom = () => { custom.hidden = period.value !== 'custom'; };
  period.addEventListener('change', showCustom);
  showCustom();
  const source = select('source', t('web-events-source'), SOURCES(), params.get('source') || '');
  const label = el('input', { type: 'search', name: 'label', placeholder: t('web-events-label'),
    'aria-label': t('web-events-label'), value: params.get('label') || undefined });
  const zone = el('input', { type: 'search', name: 'zone', placeholder: t('web-events-zone'),
    'aria-label': t('web-events-zone'), value: params.get('zone') || undefined });
  const form = el('form', { class: 'events-filters' }, camera, period, custom, source, label,
    zone, el('button', { type: 'submit' }, t('web-events-show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (camera.value) q.set('camera', camera.value);
    if (period.value === 'custom') {
      const f = fromLocalInput(from.value);
      const t = fromLocalInput(to.value);
      if (f === null && t === null) {
        problem(t('web-events-need-period'));
        return;
      }
      if (f !== null) q.set('from', String(f));
      if (t !== null) q.set('to', String(t));
    } else if (period.value) {
      q.set('period', period.value);
    }
    for (const [k, input] of [['source', source], ['label', label], ['zone', zone]]) {
      if (input.value.trim()) q.set(k, input.value.trim());
    }
    const hash = '#/events' + (q.toString() ? '?' + q : '');
    if (location.hash === hash) load(true); else location.hash = hash;
  });
  return {
    form,
    cameras(names) {
      const want = params.get('camera') || camera.value;
      camera.replaceChildren(el('option', { value: '' }, t('web-events-all-cameras')),
        ...names.map((n) => el('option', { value: n }, n)));
      camera.value = names.includes(want) ? want : '';
      view.cameraNames = names;
    },
  };
}

function select(name, label, options, value) {
  const s = el('select', { name, 'aria-label': label },
    ...options.map(([v, text]) => el('option', { value: v }, text)));
  s.value = value;
  return s;
}

/** One event as a card. */
function card(e) {
  const when = localTime(e.start_us);
  const label = e.label && e.label !== e.source ? e.label : null;
  const zone = e.zone && !(label || '').includes(e.zone) ? t('web-events-in-zone', { zone: e.zone }) : null;
  const what = [sourceName(e.source), label, zone]
    .filter(Boolean).join(' · ');
  const picture = e.has_thumbnail
    ? el('img', { class: 'events-thumb', src: `/api/events/${e.id}/thumbnail.jpg`,
      loading: 'lazy', alt: t('web-events-picture-alt', { camera: e.camera, when }), width: 320, height: 180 })
    : el('div', { class: 'events-thumb events-nothumb' }, sourceName(e.source));
  const c = el('article', { class: 'events-card', 'data-id': String(e.id) },
    el('a', { href: playHref(e), class: 'events-play-picture', 'aria-label': t('web-events-play') }, picture),
    el('div', { class: 'events-info' },
      el('div', { class: 'events-camera' }, e.camera,
        e.protected ? el('span', { class: 'events-protected', title: t('web-events-protected-title') },
          t('web-events-protected')) : null),
      el('div', { class: 'events-when' }, when, ' · ', duration(e)),
      el('div', { class: 'events-what' }, what)),
    actions(e));
  return c;
}

function playHref(e) {
  return `#/camera/${encodeURIComponent(e.camera)}?at=${e.start_us}`;
}

/** "12 s", "3 min 5 s", or "going on" (in the viewer's language). */
function duration(e) {
  if (e.end_us === null || e.end_us === undefined) return t('web-events-going-on');
  const s = Math.max(0, Math.round((e.end_us - e.start_us) / 1e6));
  if (s < 60) return t('web-duration-s', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('web-duration-min-s', { m, s: s % 60 });
  return t('web-duration-h-min', { h: Math.floor(m / 60), m: m % 60 });
}

/** The card's buttons, by role. */
function actions(e) {
  const may = (app.me && app.me.may) || {};
  const row = el('div', { class: 'events-actions' },
    el('a', { class: 'events-button', href: playHref(e) }, t('web-events-play')));
  if (may.export) {
    row.append(el('button', { type: 'button', class: 'events-download',
      onclick: (ev) => download(`event=${e.id}`, ev.currentTarget) }, t('web-events-download')));
  }
  if (may.manage_events) {
    row.append(el('button', { type: 'button', class: 'events-protect',
      onclick: () => protect(e, !e.protected) }, e.protected ? t('web-events-unprotect') : t('web-events-protect')));
    row.append(el('button', { type: 'button', class: 'events-delete',
      disabled: e.protected || e.end_us === null, title: e.protected
        ? t('web-events-unprotect-first') : (e.end_us === null ? t('web-events-still-going-on') : undefined),
      onclick: () => remove(e) }, t('common-delete')));
  }
  return row;
}

async function protect(e, on) {
  problem(null);
  try {
    const updated = await api(`/api/events/${e.id}/protect`, { method: 'POST',
      json: { protected: on } });
    replaceCard(e.id, card(updated));
  } catch (err) {
    problem(err.message);
  }
}

async function remove(e) {
  const text = t('web-events-confirm-delete', { what: e.label || sourceName(e.source), camera: e.camera,
    when: localTime(e.start_us) });
  if (!window.confirm(text)) return;
  problem(null);
  try {
    await api(`/api/events/${e.id}`, { method: 'DELETE' });
    replaceCard(e.id, null);
  } catch (err) {
    problem(err.message);
  }
}

function replaceCard(id, next) {
  const old = view && view.list.querySelector(`[data-id="${id}"]`);
  if (!old) return;
  if (next) old.replaceWith(next); else old.remove();
  if (!view.list.querySelector('.events-card')) {
    view.list.append(el('p', { class: 'empty' }, t('web-events-none')));
  }
}

/** Checks the export first (so a refusal is a sentence on the page), then lets the browser
 * download it: the file streams to disk, never through this page's memory. */
async function download(query, button) {
  problem(null);
  if (button) button.disabled = true;
  try {
    const plan = await api('/api/export?check=1&' + query);
    const a = el('a', { href: '/api/export?' + query, download: plan.file, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (err) {
    problem(err.message);
  } finally {
    if (button) setTimeout(() => { button.disabled = false; }, 1500);
  }
}

/** "Export a range": a camera, a local start and end → a download. */
function rangeForm() {
  const names = (view && view.cameraNames) || [];
  const camera = el('select', { name: 'camera', 'aria-label': t('common-camera') },
    ...names.map((n) => el('option', { value: n }, n)));
  const current = view && view.params.get('camera');
  if (current && names.includes(current)) camera.value = current;
  const now = Date.now();
  const from = el('input', { type: 'datetime-local', name: 'from', step: 1, required: true,
    'aria-label': t('web-events-from') });
  const to = el('input', { type: 'datetime-local', name: 'to', step: 1, required: true,
    'aria-label': t('web-events-to') });
  from.value = toLocalInput(String((now - 10 * 60e3) * 1000));
  to.value = toLocalInput(String(now * 1000));
  const go = el('button', { type: 'submit' }, t('web-events-download'));
  const form = el('form', { class: 'events-range' },
    el('h2', {}, t('web-events-export-range')),
    el('div', { class: 'events-range-fields' },
      el('label', {}, t('common-camera'), ' ', camera),
      el('label', {}, t('web-events-from'), ' ', from),
      el('label', {}, t('web-events-to'), ' ', to),
      go));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = fromLocalInput(from.value);
    const t = fromLocalInput(to.value);
    if (!camera.value) { problem(t('web-events-no-camera')); return; }
    if (f === null || t === null) { problem(t('web-events-need-range')); return; }
    if (f >= t) { problem(t('web-events-range-order')); return; }
    const q = new URLSearchParams({ camera: camera.value, from: String(f), to: String(t) });
    download(q.toString(), go);
  });
  return form;
}

/** A UTC-µs time (text) as a datetime-local value in local time, or ''. */
function toLocalInput(us) {
  const n = Number(us);
  if (!us || !Number.isFinite(n)) return '';
  const d = new Date(n / 1000);
  const pad = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local value (local time) as UTC µs, or null. */
function fromLocalInput(value) {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.round(ms) * 1000 : null;
}
