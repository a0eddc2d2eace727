// The administration page's cameras: a card per camera (URLs with the password masked,
// transport, switched on or off, what it is doing now, its recordings) refreshed every 3 s,
// and one form to add or edit a camera with "Test connection". The password is never sent to
// the page: editing with the password field empty keeps the stored one. Removing a camera
// with recordings needs "also delete its recordings" ticked.
import { api, el } from './app.js';
import { field, sayer } from './admin.js';

const REFRESH_MS = 3000;

export class CameraAdmin {
  constructor() {
    [this.said, this.say] = sayer();
    this.list = el('div', { class: 'admin-list', id: 'admin-cameras' });
    this.panel = el('div', { class: 'admin-panel', hidden: true });
    this.root = el('section', { class: 'admin-cameras' },
      el('div', { class: 'admin-head' }, el('h2', {}, 'Cameras'),
        el('button', { type: 'button', id: 'cam-new', onclick: () => this.openForm(null) }, 'Add a camera')),
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
      if (this.timer) this.say('The cameras could not be read: ' + e.message, true);
      return;
    }
    this.cameras = answer.cameras;
    if (answer.cameras.length === 0) {
      this.list.replaceChildren(el('p', { class: 'empty' }, 'No cameras yet: add one above.'));
      return;
    }
    this.list.replaceChildren(...answer.cameras.map((c) => this.card(c)));
  }

  card(c) {
    const doing = c.enabled ? (c.recording ? 'recording' : c.state) : 'disabled';
    const recs = c.recordings === 1 ? '1 recording' : c.recordings + ' recordings';
    return el('div', { class: 'admin-card', 'data-camera': c.name },
      el('div', { class: 'admin-card-head' }, el('strong', {}, c.name),
        el('span', { class: 'admin-badge admin-' + doing }, doing)),
      el('div', { class: 'admin-url' }, c.url),
      c.detect_url ? el('div', { class: 'admin-url' }, 'sub-stream ' + c.detect_url) : null,
      el('div', { class: 'admin-meta' }, c.transport.toUpperCase() + ' · ' + recs + ' (' + mb(c.bytes) + ')'),
      c.enabled && c.offline_reason && c.offline_reason !== c.state ? el('div', { class: 'admin-meta' }, c.offline_reason) : null,
      el('div', { class: 'admin-buttons' },
        el('button', { type: 'button', onclick: () => this.openForm(c) }, 'Edit'),
        el('button', { type: 'button', onclick: () => this.change(c.name, { enabled: !c.enabled },
          c.name + (c.enabled ? ' is disabled.' : ' is enabled.')) }, c.enabled ? 'Disable' : 'Enable'),
        el('button', { type: 'button', class: 'admin-danger', onclick: () => this.confirmRemove(c) }, 'Remove')));
  }

  /** The add (cam null) or edit form, in the panel above the list. */
  openForm(cam) {
    const input = (id, value, attrs = {}) => el('input', Object.assign({ id, value: value || '', autocomplete: 'off' }, attrs));
    const f = {
      name: input('cam-name', cam && cam.name, { required: true }),
      url: input('cam-url', cam && cam.form_url, { required: true, placeholder: 'rtsp://192.168.1.20:554/stream1' }),
      detect_url: input('cam-detect', cam && cam.form_detect_url, { placeholder: 'optional, for motion detection' }),
      user: input('cam-user', cam && cam.user),
      password: input('cam-password', '', {
        type: 'password', autocomplete: 'new-password',
        placeholder: cam && cam.has_password ? 'leave empty to keep the stored one' : '',
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
      sayTested('Testing…');
      const v = values();
      const body = { url: v.url, user: v.user, password: v.password, transport: v.transport };
      if (cam) body.camera = cam.name;
      try {
        const a = await api('/api/admin/cameras/test', { method: 'POST', json: body });
        sayTested(a.ok ? 'Works: ' + a.summary : 'Does not work: ' + a.summary, !a.ok);
      } catch (e) {
        sayTested(e.message, true);
      }
    };
    const save = async (e) => {
      e.preventDefault();
      const done = cam
        ? await this.change(cam.name, values(), 'Saved ' + f.name.value + '.')
        : await this.add(values());
      if (done) this.closePanel();
    };
    const form = el('form', { class: 'admin-form', id: 'cam-form', onsubmit: save },
      el('h3', {}, cam ? 'Edit ' + cam.name : 'Add a camera'),
      field('Name', f.name), field('URL', f.url), field('Sub-stream URL', f.detect_url),
      field('User', f.user), field('Password', f.password), field('Transport', f.transport),
      el('label', { class: 'admin-check' }, f.enabled, ' Enabled (recording)'),
      tested,
      el('div', { class: 'admin-buttons' },
        el('button', { type: 'button', id: 'cam-test', onclick: test }, 'Test connection'),
        el('button', { type: 'submit', id: 'cam-save' }, cam ? 'Save' : 'Add camera'),
        el('button', { type: 'button', class: 'quiet', onclick: () => this.closePanel() }, 'Cancel')));
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
    this.say('Added ' + values.name + '; it starts recording in a moment.');
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
      onclick: () => this.remove(c.name, tick.checked, remove) }, 'Remove ' + c.name);
    tick.addEventListener('change', () => { remove.disabled = c.recordings > 0 && !tick.checked; });
    const recs = c.recordings === 1 ? '1 recording' : c.recordings + ' recordings';
    this.panel.replaceChildren(el('div', { class: 'admin-form' },
      el('h3', {}, 'Remove camera ' + c.name + '?'),
      el('p', {}, c.recordings > 0
        ? c.name + ' has ' + recs + ' (' + mb(c.bytes) + '). Disabling the camera keeps them.'
        : c.name + ' has no recordings.'),
      c.recordings > 0 ? el('label', { class: 'admin-check' }, tick, ' also delete its ' + recs) : null,
      el('div', { class: 'admin-buttons' }, remove,
        el('button', { type: 'button', class: 'quiet', onclick: () => this.closePanel() }, 'Cancel'))));
    this.panel.hidden = false;
  }

  async remove(name, deleteRecordings, button) {
    button.disabled = true;
    this.say('Stopping and removing ' + name + '…');
    try {
      await api('/api/cameras/' + encodeURIComponent(name) + (deleteRecordings ? '?delete_recordings=true' : ''),
        { method: 'DELETE' });
    } catch (e) {
      this.say(e.message, true);
      button.disabled = false;
      return;
    }
    this.closePanel();
    this.say('Removed ' + name + '.');
    await this.refresh();
  }
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(1) + ' MB';
}
