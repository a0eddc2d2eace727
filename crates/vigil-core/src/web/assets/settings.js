// A camera's settings page for admins, #/camera/NAME/settings: its recording policy (mode,
// continuous retention and disk cap, event pre/post time, longest clip and retention; the
// model's fields, checked by the server, whose sentence is shown) and its motion zones
// (zones.js). Each save applies at once.
import { api, app, el } from './app.js';
import { ZoneEditor } from './zones.js';

const MODES = [
  ['off', 'Off (record nothing)'],
  ['continuous', 'Continuous'],
  ['events', 'Events (motion, triggers)'],
  ['both', 'Continuous and events'],
];
/** The policy's fields: key, label, unit ('s', 'days', 'GB'), which modes use it. */
const FIELDS = [
  ['segment_s', 'Segment length', 's', 'continuous'],
  ['retain_days', 'Keep recordings', 'days', 'continuous'],
  ['max_bytes', 'Disk cap (empty: no cap)', 'GB', 'continuous'],
  ['pre_event_s', 'Before each event', 's', 'events'],
  ['post_event_s', 'After each event', 's', 'events'],
  ['max_clip_s', 'Longest clip', 's', 'events'],
  ['event_retain_days', 'Keep events', 'days', 'events'],
];
const USES = {
  off: [], continuous: ['continuous'], events: ['events'], both: ['continuous', 'events'],
};

const SAVED = {
  off: 'records nothing', continuous: 'records continuously', events: 'records events',
  both: 'records continuously and on events',
};

let page = null;

export async function show(main, args) {
  const name = args[0];
  const back = el('a', { href: '#/camera/' + encodeURIComponent(name || ''), class: 'settings-back' }, '← Camera');
  const head = el('div', { class: 'settings-head' }, back, el('h2', {}, `Settings of ${name || '?'}`));
  const root = el('section', { class: 'settings-view' }, head);
  main.append(root);
  if (!app.me || !app.me.may.change_config) {
    root.append(el('p', { class: 'empty' },
      `Your account (${app.me ? app.me.name : '?'}) may not change camera settings: ask an administrator.`));
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
    this.mode = el('select', { name: 'mode', 'aria-label': 'Record', onchange: () => this.enable() },
      ...MODES.map(([v, label]) => el('option', { value: v }, label)));
    this.inputs = {};
    this.rows = FIELDS.map(([key, label, unit, uses]) => {
      const input = el('input', { type: 'number', name: key, min: 0, step: unit === 's' ? 1 : 'any',
        inputmode: unit === 's' ? 'numeric' : 'decimal' });
      this.inputs[key] = input;
      return [uses, el('label', { class: 'settings-field' }, el('span', {}, label),
        el('span', { class: 'settings-unit' }, input, unit))];
    });
    this.msg = el('p', { class: 'settings-msg', role: 'alert', hidden: true });
    this.saved = el('p', { class: 'settings-saved', role: 'status' });
    this.save = el('button', { type: 'submit', class: 'primary', 'data-act': 'save-policy' }, 'Save policy');
    this.form = el('form', { class: 'settings-policy', novalidate: true },
      el('label', { class: 'settings-field' }, el('span', {}, 'Record'), this.mode),
      el('fieldset', {}, el('legend', {}, 'Continuous recording'),
        ...this.rows.filter(([u]) => u === 'continuous').map(([, r]) => r)),
      el('fieldset', {}, el('legend', {}, 'Event clips'),
        ...this.rows.filter(([u]) => u === 'events').map(([, r]) => r)),
      this.msg, this.saved, this.save);
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.root = el('section', { class: 'settings-card' }, el('h3', {}, 'Recording policy'), this.form);
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
    for (const [key, label, unit] of FIELDS) {
      const input = this.inputs[key];
      if (input.disabled) continue;
      const raw = input.value.trim();
      if (unit === 'GB') {
        if (raw === '' && !input.validity.badInput) out[key] = null;
        else if (raw === '') return `${label}: enter a number of GB, or leave it empty for no cap.`;
        else out[key] = Math.round(Number(raw) * 1e9);
      } else if (raw === '') {
        return `${label}: enter a number of ${unit === 's' ? 'seconds' : 'days'}.`;
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
      this.saved.textContent = 'Saved: the camera ' + SAVED[policy.mode] + ' now.';
    } catch (e) {
      this.say('The policy was not saved: ' + e.message + '.');
    } finally {
      this.save.disabled = false;
    }
  }

  say(text) {
    this.msg.textContent = text || '';
    this.msg.hidden = !text;
  }
}
