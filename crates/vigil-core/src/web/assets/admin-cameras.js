// The administration page's cameras: a card per camera (URLs with the password masked,
// transport, switched on or off, what it is doing now, its recordings) refreshed every 3 s,
// and one form to add or edit a camera with "Test connection". The password is never sent to
// the page: editing with the password field empty keeps the stored one. Removing a camera
// with recordings needs "also delete its recordings" ticked.
import { api, el, stateName, t, tn } from './app.js';
import { field, sayer } from './admin.js';

const REFRESH_MS = 3000;

export class CameraAdmin {
  constructor() {
    [this.said, this.say] = sayer();
    this.list = el('div', { class: 'admin-list', id: 'admin-cameras' });
    this.panel = el('div', { class: 'admin-panel', hidden: true });
    this.root = el('section', { class: 'admin-cameras' },
      el('div', { class: 'admin-head' }, el('h2', {}, t('web-admin-cameras')),
        el('button', { type: 'button', id: 'cam-new', onclick: () => this.openForm(null) }, t('web-admin-add-a-camera'))),
      this.said, this.panel, this.list);
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async refresh() {
    let answer;
    try {
      answer = await api('/api/admin/cameras');
    } catch (e) {
      if (this.timer) this.say(t('web-admin-cameras-unreadable', { why: e.message }), true);
      return;
    }
    this.cameras = answer.cameras;
    if (answer.cameras.length === 0) {
      this.list.replaceChildren(el('p', { class: 'empty' }, t('web-admin-no-cameras')));
      return;
    }
    this.list.replaceChildren(...answer.cameras.map((c) => this.card(c)));
  }

  card(c) {
    const doing = c.enabled ? (c.recording ? 'recording' : c.state) : 'disabled';
    const recs = tn('web-admin-recordings', c.recordings);
    return el('div', { class: 'admin-card', 'data-camera': c.name },
      el('div', { class: 'admin-card-head' }, el('strong', {}, c.name),
        el('span', { class: 'admin-badge admin-' + doing }, stateName(doing))),
      el('div', { class: 'admin-url' }, c.url),
      c.detect_url ? el('div', { class: 'admin-url' }, t('web-admin-sub-stream', { url: c.detect_url })) : null,
      el('div', { class: 'admin-meta' }, c.transport.toUpperCase() + ' · ' + recs + ' (' + mb(c.bytes) + ')'),
      c.enabled && c.offline_reason && c.offline_reason !== c.state ? el('div', { class: 'admin-meta' }, c.offline_reason) : null,
      el('div', { class: 'admin-buttons' },
        el('button', { type: 'button', onclick: () => this.openForm(c) }, t('common-edit')),
        el('button', { type: 'button', onclick: () => this.change(c.name, { enabled: !c.enabled },
          c.enabled ? t('web-admin-camera-disabled', { name: c.name }) : t('web-admin-camera-enabled', { name: c.name })) },
        c.enabled ? t('web-admin-disable') : t('web-admin-enable')),
        el('button', { type: 'button', class: 'admin-danger', onclick: () => this.confirmRemove(c) }, t('common-remove'))));
  }

  /** The add (cam null) or edit form, in the panel above the list. */
  openForm(cam) {
    const input = (id, value, attrs = {}) => el('input', Object.assign({ id, value: value || '', autocomplete: 'off' }, attrs));
    const f = {
      name: input('cam-name', cam && cam.name, { required: true }),
      url: input('cam-url', cam && cam.form_url, { required: true, placeholder: 'rtsp://192.168.1.20:554/stream1' }), // i18n-ignore
      detect_url: input('cam-detect', cam && cam.form_detect_url, { placeholder: t('web-admin-detect-placeholder') }),
      user: input('cam-user', cam && cam.user),
      password: input('cam-password', '', {
        type: 'password', autocomplete: 'new-password',
        placeholder: cam && cam.has_password ? t('web-admin-password-keep') : '',
      }),
      transport: el('select', { id: 'cam-transport' },
        ...['tcp', 'udp'].map((t) => el('option', { value: t, selected: cam ? cam.transport === t : t === 'tcp' }, t.toUpperCase()))),
      enabled: el('input', { id: 'cam-enabled', type: 'checkbox', checked: cam ? cam.enabled : true }),
    };
    const [tested, sayTested] = sayer();
    tested.id = 'cam-test-result';
    const values = () => ({
      name: f.name.value, url: f.url.value, detect_url: f.detect_url.value, user: f.user.value,
      password: f.password.value, transport: f.transport.value, enabled: f.enabled.checked,
    });
    const test = async () => {
      sayTested(t('web-admin-testing'));
      const v = values();
      const body = { url: v.url, user: v.user, password: v.password, transport: v.transport };
      if (cam) body.camera = cam.name;
      try {
        const a = await api('/api/admin/cameras/test', { method: 'POST', json: body });
        sayTested(a.ok ? t('web-admin-test-works', { summary: a.summary })
          : t('web-admin-test-fails', { summary: a.summary }), !a.ok);
      } catch (e) {
        sayTested(e.message, true);
      }
    };
    const save = async (e) => {
      e.preventDefault();
      const done = cam
        ? await this.change(cam.name, values(), t('web-admin-camera-saved', { name: f.name.value }))
        : await this.add(values());
      if (done) this.closePanel();
    };
    const form = el('form', { class: 'admin-form', id: 'cam-form', onsubmit: save },
      el('h3', {}, cam ? t('web-admin-edit-camera', { name: cam.name }) : t('web-admin-add-a-camera')),
      field(t('web-admin-name'), f.name), field(t('web-admin-url'), f.url),
      field(t('web-admin-sub-stream-url'), f.detect_url),
      field(t('web-admin-user'), f.user), field(t('web-admin-password'), f.password),
      field(t('web-admin-transport'), f.transport),
      el('label', { class: 'admin-check' }, f.enabled, ' ', t('web-admin-enabled')),
      tested,
      el('div', { class: 'admin-buttons' },
        el('button', { type: 'button', id: 'cam-test', onclick: test }, t('web-admin-test')),
        el('button', { type: 'submit', id: 'cam-save' }, cam ? t('common-save') : t('web-admin-add-camera')),
        el('button', { type: 'button', class: 'quiet', onclick: () => this.closePanel() }, t('common-cancel'))));
    this.panel.replaceChildren(form);
    this.panel.hidden = false;
    f.name.focus();
  }

  closePanel() {
    this.panel.hidden = true;
    this.panel.replaceChildren();
  }

  async add(values) {
    try {
      await api('/api/cameras', { method: 'POST', json: values });
    } catch (e) {
      this.say(e.message, true);
      return false;
    }
    this.say(t('web-admin-camera-added', { name: values.name }));
    await this.refresh();
    return true;
  }

  async change(name, fields, done) {
    try {
      await api('/api/cameras/' + encodeURIComponent(name), { method: 'PATCH', json: fields });
    } catch (e) {
      this.say(e.message, true);
      return false;
    }
    this.say(done);
    await this.refresh();
    return true;
  }

  confirmRemove(c) {
    const tick = el('input', { type: 'checkbox', id: 'cam-delete-recordings' });
    const remove = el('button', { type: 'button', class: 'admin-danger', id: 'cam-remove', disabled: c.recordings > 0,
      onclick: () => this.remove(c.name, tick.checked, remove) }, t('web-admin-remove-name', { name: c.name }));
    tick.addEventListener('change', () => { remove.disabled = c.recordings > 0 && !tick.checked; });
    const recs = tn('web-admin-recordings', c.recordings);
    this.panel.replaceChildren(el('div', { class: 'admin-form' },
      el('h3', {}, t('web-admin-confirm-remove-camera', { name: c.name })),
      el('p', {}, c.recordings > 0
        ? t('web-admin-camera-has', { name: c.name, recordings: recs, size: mb(c.bytes) })
        : t('web-admin-camera-has-none', { name: c.name })),
      c.recordings > 0 ? el('label', { class: 'admin-check' }, tick, ' ', t('web-admin-also-delete', { recordings: recs })) : null,
      el('div', { class: 'admin-buttons' }, remove,
        el('button', { type: 'button', class: 'quiet', onclick: () => this.closePanel() }, t('common-cancel')))));
    this.panel.hidden = false;
  }

  async remove(name, deleteRecordings, button) {
    button.disabled = true;
    this.say(t('web-admin-removing', { name }));
    try {
      await api('/api/cameras/' + encodeURIComponent(name) + (deleteRecordings ? '?delete_recordings=true' : ''),
        { method: 'DELETE' });
    } catch (e) {
      this.say(e.message, true);
      button.disabled = false;
      return;
    }
    this.closePanel();
    this.say(t('web-admin-removed', { name }));
    await this.refresh();
  }
}

function mb(bytes) {
  return t('web-unit-mb', { mb: (bytes / 1e6).toFixed(1) });
}
