// The web viewer's shell: who is signed in, the API helper every view uses (it adds the
// CSRF token to changes and sends the browser to the login page when the session ends), and
// the views by address: #/live, #/camera/NAME, #/events, and for admins
// #/camera/NAME/settings, #/audit, #/admin. Every view's words come from i18n.js.
import { formatTime, languageMenu, loadLanguage, t } from './i18n.js';

export { t, tn } from './i18n.js';

export const app = { me: null };

/** Calls the API: answers the parsed JSON (or the Response for non-JSON answers, with
 * `raw: true`); throws an Error carrying the server's sentence on a refusal. */
export async function api(path, opts = {}) {
  const method = opts.method || 'GET';
  const headers = Object.assign({}, opts.headers || {});
  if (method !== 'GET' && app.me) headers['X-Vigil-CSRF'] = app.me.csrf;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const resp = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  if (resp.status === 401) {
    location.href = '/login';
    throw new Error(t('web-session-ended'));
  }
  if (!resp.ok) {
    let msg = resp.status + ' ' + resp.statusText;
    try { msg = (await resp.json()).error || msg; } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  if (opts.raw) return resp;
  const type = resp.headers.get('Content-Type') || '';
  return type.startsWith('application/json') ? resp.json() : resp;
}

/** Shows a problem in words at the top of the page (null hides it). */
export function problem(text) {
  const p = document.getElementById('problem');
  p.textContent = text || '';
  p.hidden = !text;
}

/** Makes an element: el('div', {class: 'x'}, child, 'text'). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** A UTC-microsecond time as the browser's local date and time, in the viewer's language. */
export function localTime(us, opts) {
  return formatTime(us, opts);
}

/** A camera's state (as /api/cameras names it) in the viewer's language. */
export function stateName(state) {
  const names = {
    connecting: t('web-state-connecting'), connected: t('web-state-connected'),
    recording: t('web-state-recording'), retrying: t('web-state-retrying'),
    waiting: t('web-state-waiting'), disabled: t('web-state-disabled'),
    stopped: t('web-state-stopped'),
  };
  return names[state] || state;
}

/** An event's source (motion, external, camera, manual) in the viewer's language. */
export function sourceName(source) {
  const names = {
    motion: t('web-source-motion'), external: t('web-source-external'),
    camera: t('web-source-camera'), manual: t('web-source-manual'),
  };
  return names[source] || source;
}

/** A role's name in the viewer's language. */
export function roleName(role) {
  const names = { viewer: t('web-role-viewer'), operator: t('web-role-operator'), admin: t('web-role-admin') };
  return names[role] || role;
}

const views = {
  live: () => import('./live.js'),
  camera: () => import('./camera.js'),
  events: () => import('./events.js'),
  audit: () => import('./audit.js'),
  settings: () => import('./settings.js'),
  admin: () => import('./admin.js'),
};
let current = null;
// Counts navigations: a view whose show() finishes after the address changed again renders
// into a container no longer on the page, and is told to leave (closing what it opened).
let generation = 0;

async function route() {
  const gen = ++generation;
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [name, ...args] = path.split('/');
  // #/camera/NAME/settings: the camera's settings page (admins).
  const load = name === 'camera' && args[1] === 'settings' ? views.settings : views[name] || views.live;
  if (current && current.leave) current.leave();
  current = null;
  const container = el('div', { class: 'view-body' });
  document.getElementById('view').replaceChildren(container);
  problem(null);
  for (const a of document.querySelectorAll('.bar nav a')) {
    a.classList.toggle('here', a.dataset.view === (views[name] ? name : 'live'));
  }
  let mod = null;
  try {
    mod = await load();
    if (gen !== generation) return;
    current = mod;
    await mod.show(container, args.map(decodeURIComponent), new URLSearchParams(query || ''));
  } catch (e) {
    if (gen === generation) problem(e.message);
  }
  if (gen !== generation && mod && mod !== current && mod.leave) mod.leave();
}

async function start() {
  await loadLanguage();
  languageMenu(document.getElementById('lang'));
  try {
    app.me = await api('/api/me');
  } catch (e) {
    problem(e.message);
    return;
  }
  document.getElementById('who').textContent = t('web-who', { name: app.me.name, role: roleName(app.me.role) });
  document.getElementById('nav-audit').hidden = !app.me.may.manage_users;
  document.getElementById('nav-admin').hidden = !(app.me.may.manage_users && app.me.may.change_config);
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api('/logout', { method: 'POST' }); } catch (_) { /* leaving anyway */ }
    location.href = '/login';
  });
  window.addEventListener('hashchange', route);
  await route();
}

start();
