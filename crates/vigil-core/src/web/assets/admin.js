// The administration page for admins (#/admin): cameras (admin-cameras.js) and users —
// list with role, when added and last signed in; add, change a role, set a new password,
// remove. Every refusal is shown as the server's sentence next to what was tried.
import { api, app, el, localTime, problem, roleName, t } from './app.js';
import { CameraAdmin } from './admin-cameras.js';

const ROLES = ['viewer', 'operator', 'admin'];

let cameras = null;

export async function show(main) {
  if (!app.me.may.manage_users) {
    problem(t('web-admin-not-allowed', { role: roleName(app.me.role) }));
    return;
  }
  const users = new UserAdmin();
  cameras = new CameraAdmin();
  main.append(el('section', { class: 'admin' },
    el('h1', {}, t('web-admin-title')), cameras.root, users.root));
  await Promise.all([cameras.refresh(), users.refresh()]);
}

export function leave() {
  if (cameras) cameras.stop();
  cameras = null;
}

/** A line saying what went wrong (role=alert) or what was done (role=status). */
export function sayer() {
  const line = el('p', { class: 'admin-said', role: 'status', hidden: true });
  const say = (text, bad) => {
    line.textContent = text || '';
    line.hidden = !text;
    line.classList.toggle('admin-error', !!bad);
    line.setAttribute('role', bad ? 'alert' : 'status');
  };
  return [line, say];
}

/** A labelled field: el('label') around its words and the input. */
export function field(words, input) {
  return el('label', { class: 'admin-field' }, el('span', {}, words), input);
}

class UserAdmin {
  constructor() {
    [this.said, this.say] = sayer();
    this.list = el('div', { class: 'admin-list', id: 'admin-users' });
    this.name = el('input', { id: 'user-name', autocomplete: 'off', required: true });
    this.role = el('select', { id: 'user-role' },
      ...ROLES.map((r) => el('option', { value: r }, roleName(r))));
    this.password = el('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', required: true });
    const form = el('form', { class: 'admin-form', id: 'user-add', onsubmit: (e) => { e.preventDefault(); this.add(); } },
      field(t('web-admin-name'), this.name), field(t('web-admin-role'), this.role),
      field(t('web-admin-password'), this.password),
      el('div', { class: 'admin-buttons' }, el('button', { type: 'submit' }, t('web-admin-add-user'))));
    this.root = el('section', { class: 'admin-users' },
      el('h2', {}, t('web-admin-users')), this.said, this.list,
      el('h3', {}, t('web-admin-add-a-user')), form);
  }

  async refresh() {
    let answer;
    try {
      answer = await api('/api/users');
    } catch (e) {
      this.say(t('web-admin-users-unreadable', { why: e.message }), true);
      return;
    }
    this.list.replaceChildren(...answer.users.map((u) => this.row(u)));
  }

  row(u) {
    const role = el('select', { 'aria-label': t('web-admin-role-of', { name: u.name }),
      onchange: (e) => this.setRole(u.name, e.target) },
    ...ROLES.map((r) => el('option', { value: r, selected: r === u.role }, roleName(r))));
    const last = u.last_login_us ? t('web-admin-last-login', { when: localTime(u.last_login_us) })
      : t('web-admin-never-signed-in');
    const pwBox = el('div', { class: 'admin-inline', hidden: true });
    const card = el('div', { class: 'admin-card', 'data-user': u.name },
      el('div', { class: 'admin-card-head' }, el('strong', {}, u.name), role),
      el('div', { class: 'admin-meta' }, t('web-admin-added-at', { when: localTime(u.created_us) }) + ' · ' + last),
      el('div', { class: 'admin-buttons' },
        el('button', { type: 'button', onclick: () => this.passwordForm(u.name, pwBox) }, t('web-admin-new-password')),
        el('button', { type: 'button', class: 'admin-danger', onclick: () => this.confirmRemove(u.name, pwBox) },
          t('common-remove'))),
      pwBox);
    return card;
  }

  async add() {
    const name = this.name.value;
    try {
      await api('/api/users', { method: 'POST', json: { name, role: this.role.value, password: this.password.value } });
    } catch (e) {
      this.say(e.message, true);
      return;
    }
    this.password.value = '';
    this.name.value = '';
    this.say(t('web-admin-user-added', { name }));
    await this.refresh();
  }

  async setRole(name, select) {
    try {
      await api('/api/users/' + encodeURIComponent(name), { method: 'PATCH', json: { role: select.value } });
      this.say(t('web-admin-role-set', { name, role: roleName(select.value) }));
    } catch (e) {
      this.say(e.message, true);
    }
    await this.refresh();
  }

  passwordForm(name, box) {
    const input = el('input', { type: 'password', autocomplete: 'new-password', 'aria-label': t('web-admin-new-password-for', { name }) });
    const form = el('form', { onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('/api/users/' + encodeURIComponent(name) + '/password', { method: 'PUT', json: { password: input.value } });
      } catch (err) {
        this.say(err.message, true);
        return;
      }
      box.hidden = true;
      this.say(t('web-admin-password-set', { name }));
    } }, field(t('web-admin-new-password'), input),
    el('div', { class: 'admin-buttons' }, el('button', { type: 'submit' }, t('web-admin-set-password')),
      el('button', { type: 'button', class: 'quiet', onclick: () => { box.hidden = true; } }, t('common-cancel'))));
    box.replaceChildren(form);
    box.hidden = false;
    input.focus();
  }

  confirmRemove(name, box) {
    box.replaceChildren(
      el('p', {}, t('web-admin-confirm-remove-user', { name })),
      el('div', { class: 'admin-buttons' },
        el('button', { type: 'button', class: 'admin-danger', onclick: () => this.remove(name) },
          t('web-admin-remove-name', { name })),
        el('button', { type: 'button', class: 'quiet', onclick: () => { box.hidden = true; } }, t('common-cancel'))));
    box.hidden = false;
  }

  async remove(name) {
    try {
      await api('/api/users/' + encodeURIComponent(name), { method: 'DELETE' });
    } catch (e) {
      this.say(e.message, true);
      return;
    }
    this.say(t('web-admin-removed', { name }));
    if (name === app.me.name) {
      location.href = '/login';
      return;
    }
    await this.refresh();
  }
}
