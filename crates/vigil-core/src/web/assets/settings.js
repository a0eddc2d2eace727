// A camera's settings page for admins, #/camera/NAME/settings: its recording policy (mode,
// continuous retention and disk cap, event pre/post time, longest clip and retention; the
// model's fields, checked by the server, whose sentence is shown) and its motion zones
// (zones.js). Each save applies at once.
import { api, app, el, t } from './app.js';
import { ZoneEditor } from './zones.js';

const MODES = () => [
  ['off', t('web-settings-mode-off')],
  ['continuous', t('web-settings-mode-continuous')],
  ['events', t('web-settings-mode-events')],
  ['both', t('web-settings-mode-both')],
];
/** The policy's fields: key, label, unit ('s', 'days', 'GB'), which modes use it. */
const FIELDS = [
  ['segment_s', 'web-settings-segment', 's', 'continuous'],
  ['retain_days', 'web-settings-retain', 'days', 'continuous'],
  ['max_bytes', 'web-settings-max-bytes', 'GB', 'continuous'],
  ['pre_event_s', 'web-settings-pre-event', 's', 'events'],
  ['post_event_s', 'web-settings-post-event', 's', 'events'],
  ['max_clip_s', 'web-settings-max-clip', 's', 'events'],
  ['event_retain_days', 'web-settings-event-retain', 'days', 'events'],
];
/** The fields' labels (the keys above, as t() sees them written out). */
const LABELS = () => ({
  'web-settings-segment': t('web-settings-segment'),
  'web-settings-retain': t('web-settings-retain'),
  'web-settings-max-bytes': t('web-settings-max-bytes'),
  'web-settings-pre-event': t('web-settings-pre-event'),
  'web-settings-post-event': t('web-settings-post-event'),
  'web-settings-max-clip': t('web-settings-max-clip'),
  'web-settings-event-retain': t('web-settings-event-retain'),
});
const UNITS = () => ({ s: t('web-unit-s'), days: t('web-unit-days'), GB: t('web-unit-gb') });
const USES = {
  off: [], continuous: ['continuous'], events: ['events'], both: ['continuous', 'events'],
};

const SAVED = () => ({
  off: t('web-settings-saved-off'), continuous: t('web-settings-saved-continuous'),
  events: t('web-settings-saved-events'), both: t('web-settings-saved-both'),
});

let page = null;

export async function show(main, args) {
  const name = args[0];
  const back = el('a', { href: '#/camera/' + encodeURIComponent(name || ''), class: 'settings-back' }, t('web-settings-back'));
  const head = el('div', { class: 'settings-head' }, back, el('h2', {}, t('web-settings-title', { name: name || '?' })));
  const root = el('section', { class: 'settings-view' }, head);
  main.append(root);
  if (!app.me || !app.me.may.change_config) {
    root.append(el('p', { class: 'empty' },
      t('web-settings-not-allowed', { name: app.me ? app.me.name : '?' })));
    return;
  }
  page = { policy: new PolicyForm(name), zones: new ZoneEditor(name) };
  root.append(el('div', { class: 'settings-grid' }, page.zones.root, page.policy.root));
  await Promise.all([page.policy.load(), page.zones.load()]);
}

export function leave() {
  if (page) page.zones.stop();
  page = null;
}

/** The recording policy form. */
class PolicyForm {
  constructor(camera) {
    this.path = `/api/cameras/${encodeURIComponent(camera)}/policy`;
    this.mode = el('select', { name: 'mode', 'aria-label': t('web-settings-record'), onchange: () => this.enable() },
      ...MODES().map(([v, label]) => el('option', { value: v }, label)));
    this.inputs = {};
    const labels = LABELS();
    const units = UNITS();
    this.rows = FIELDS.map(([key, label, unit, uses]) => {
      const input = el('input', { type: 'number', name: key, min: 0, step: unit === 's' ? 1 : 'any',
        inputmode: unit === 's' ? 'numeric' : 'decimal' });
      this.inputs[key] = input;
      return [uses, el('label', { class: 'settings-field' }, el('span', {}, labels[label]),
        el('span', { class: 'settings-unit' }, input, units[unit]))];
    });
    this.msg = el('p', { class: 'settings-msg', role: 'alert', hidden: true });
    this.saved = el('p', { class: 'settings-saved', role: 'status' });
    this.save = el('button', { type: 'submit', class: 'primary', 'data-act': 'save-policy' }, t('web-settings-save'));
    this.form = el('form', { class: 'settings-policy', novalidate: true },
      el('label', { class: 'settings-field' }, el('span', {}, t('web-settings-record')), this.mode),
      el('fieldset', {}, el('legend', {}, t('web-settings-continuous')),
        ...this.rows.filter(([u]) => u === 'continuous').map(([, r]) => r)),
      el('fieldset', {}, el('legend', {}, t('web-settings-event-clips')),
        ...this.rows.filter(([u]) => u === 'events').map(([, r]) => r)),
      this.msg, this.saved, this.save);
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.root = el('section', { class: 'settings-card' }, el('h3', {}, t('web-settings-policy')), this.form);
  }

  async load() {
    const { policy, limits } = await api(this.path);
    const max = { segment_s: limits.max_segment_s, pre_event_s: limits.max_pre_event_s,
      post_event_s: limits.max_post_event_s, max_clip_s: limits.max_clip_s };
    for (const [key, value] of Object.entries(max)) this.inputs[key].max = value;
    this.fill(policy);
  }

  fill(p) {
    this.mode.value = p.mode;
    for (const [key, , unit] of FIELDS) {
      const v = p[key];
      this.inputs[key].value = v === null ? '' : unit === 'GB' ? String(Math.round(v / 1e6) / 1e3) : String(v);
    }
    this.enable();
  }

  /** Fields the mode does not use are disabled (and kept as they are). */
  enable() {
    const uses = USES[this.mode.value] || [];
    for (const [key, , , use] of FIELDS) this.inputs[key].disabled = !uses.includes(use);
  }

  /** The policy to send, or a sentence saying which field is empty. */
  body() {
    const out = { mode: this.mode.value };
    const labels = LABELS();
    for (const [key, labelKey, unit] of FIELDS) {
      const label = labels[labelKey];
      const input = this.inputs[key];
      if (input.disabled) continue;
      const raw = input.value.trim();
      if (unit === 'GB') {
        if (raw === '' && !input.validity.badInput) out[key] = null;
        else if (raw === '') return t('web-settings-need-gb', { label });
        else out[key] = Math.round(Number(raw) * 1e9);
      } else if (raw === '') {
        return unit === 's' ? t('web-settings-need-seconds', { label }) : t('web-settings-need-days', { label });
      } else {
        out[key] = Number(raw);
      }
    }
    return out;
  }

  async submit() {
    const body = this.body();
    this.saved.textContent = '';
    if (typeof body === 'string') return this.say(body);
    this.save.disabled = true;
    try {
      const { policy } = await api(this.path, { method: 'PUT', json: body });
      this.fill(policy);
      this.say(null);
      this.saved.textContent = t('web-settings-saved', { what: SAVED()[policy.mode] });
    } catch (e) {
      this.say(t('web-settings-not-saved', { why: e.message }));
    } finally {
      this.save.disabled = false;
    }
  }

  say(text) {
    this.msg.textContent = text || '';
    this.msg.hidden = !text;
  }
}
