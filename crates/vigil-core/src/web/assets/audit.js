// The audit trail for admins (#/audit): logins, failed logins, exports, deletions and
// account changes, newest first, with who, when and from where; a filter by kind.
import { api, el, localTime, problem } from './app.js';

const KINDS = [
  ['', 'Everything'],
  ['login', 'Logins'],
  ['login failed', 'Failed logins'],
  ['export', 'Exports'],
  ['event deleted', 'Deletions'],
  ['user.add', 'Users added'],
  ['user.role', 'Roles changed'],
  ['user.remove', 'Users removed'],
  ['user.password', 'Passwords changed'],
  ['camera.add', 'Cameras added'],
  ['camera.edit', 'Cameras edited'],
  ['camera.rename', 'Cameras renamed'],
  ['camera.enable', 'Cameras enabled'],
  ['camera.disable', 'Cameras disabled'],
  ['camera.remove', 'Cameras removed'],
  ['token added', 'Tokens added'],
  ['token removed', 'Tokens removed'],
  ['policy.set', 'Recording policies'],
  ['zone.add', 'Zones added'],
  ['zone.edit', 'Zones changed'],
  ['zone.remove', 'Zones removed'],
];

export async function show(main, _args, params) {
  const kind = params.get('action') || '';
  const pick = el('select', {
    'aria-label': 'Kind of line',
    onchange: (e) => {
      location.hash = '#/audit' + (e.target.value ? '?action=' + encodeURIComponent(e.target.value) : '');
    },
  }, ...KINDS.map(([value, label]) => el('option', { value, selected: value === kind }, label)));
  const body = el('tbody');
  const table = el('table', { class: 'audit-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'),
      el('th', {}, 'What'), el('th', {}, 'Detail'), el('th', {}, 'From'))),
    body);
  main.append(el('section', { class: 'audit' },
    el('div', { class: 'audit-bar' }, el('h1', {}, 'Audit trail'), pick), table));
  const query = new URLSearchParams({ limit: '500' });
  if (kind) query.set('action', kind);
  let answer;
  try {
    answer = await api('/api/audit?' + query);
  } catch (e) {
    problem(e.message);
    return;
  }
  if (answer.entries.length === 0) {
    main.append(el('p', { class: 'empty' }, 'Nothing of this kind yet.'));
    return;
  }
  for (const e of answer.entries) {
    body.append(el('tr', { class: e.action === 'login failed' ? 'audit-failed' : null },
      el('td', {}, localTime(e.at_us)),
      el('td', {}, e.user_name || '(command line)'),
      el('td', {}, e.action),
      el('td', {}, e.detail),
      el('td', {}, e.address || '')));
  }
}
