// The audit trail for admins (#/audit): logins, failed logins, exports, deletions and
// account changes, newest first, with who, when and from where; a filter by kind.
import { api, el, localTime, problem, t } from './app.js';

const KINDS = () => [
  ['', t('web-audit-kind-everything')],
  ['login', t('web-audit-kind-logins')],
  ['login failed', t('web-audit-kind-failed-logins')],
  ['export', t('web-audit-kind-exports')],
  ['event deleted', t('web-audit-kind-deletions')],
  ['user.add', t('web-audit-kind-users-added')],
  ['user.role', t('web-audit-kind-roles-changed')],
  ['user.remove', t('web-audit-kind-users-removed')],
  ['user.password', t('web-audit-kind-passwords-changed')],
  ['camera.add', t('web-audit-kind-cameras-added')],
  ['camera.edit', t('web-audit-kind-cameras-edited')],
  ['camera.rename', t('web-audit-kind-cameras-renamed')],
  ['camera.enable', t('web-audit-kind-cameras-enabled')],
  ['camera.disable', t('web-audit-kind-cameras-disabled')],
  ['camera.remove', t('web-audit-kind-cameras-removed')],
  ['token added', t('web-audit-kind-tokens-added')],
  ['token removed', t('web-audit-kind-tokens-removed')],
  ['policy.set', t('web-audit-kind-policies')],
  ['zone.add', t('web-audit-kind-zones-added')],
  ['zone.edit', t('web-audit-kind-zones-changed')],
  ['zone.remove', t('web-audit-kind-zones-removed')],
];

export async function show(main, _args, params) {
  const kind = params.get('action') || '';
  const pick = el('select', {
    'aria-label': t('web-audit-kind'),
    onchange: (e) => {
      location.hash = '#/audit' + (e.target.value ? '?action=' + encodeURIComponent(e.target.value) : '');
    },
  }, ...KINDS().map(([value, label]) => el('option', { value, selected: value === kind }, label)));
  const body = el('tbody');
  const table = el('table', { class: 'audit-table' },
    el('thead', {}, el('tr', {}, el('th', {}, t('web-audit-when')), el('th', {}, t('web-audit-who')),
      el('th', {}, t('web-audit-what')), el('th', {}, t('web-audit-detail')), el('th', {}, t('web-audit-from')))),
    body);
  main.append(el('section', { class: 'audit' },
    el('div', { class: 'audit-bar' }, el('h1', {}, t('web-audit-title')), pick), table));
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
    main.append(el('p', { class: 'empty' }, t('web-audit-empty')));
    return;
  }
  for (const e of answer.entries) {
    body.append(el('tr', { class: e.action === 'login failed' ? 'audit-failed' : null },
      el('td', {}, localTime(e.at_us)),
      el('td', {}, e.user_name || t('web-audit-command-line')),
      el('td', {}, e.action),
      el('td', {}, e.detail),
      el('td', {}, e.address || '')));
  }
}
