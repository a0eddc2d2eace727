// The web viewer's words: the language (the one chosen in the language menu, kept in
// localStorage, else the browser's: ko* → Korean, else English), its messages from
// GET /i18n/<lang>.json (the web- part of the app's catalogue), t(key, args) for text a
// script builds, tn(key, count, args) for counted words (key-one / key-other), the
// data-i18n attributes of the pages' HTML, and dates in the language's own way.

const STORE = 'vigil-lang';
/** The languages, each named in its own words (the same in every language). */
export const LANGUAGES = [['en', 'English'], ['ko', '한국어']]; // i18n-ignore
let lang = 'en';
let words = {};

/** The language to show: the one chosen here before, else the browser's first we have. */
function chosen() {
  let saved = null;
  try { saved = localStorage.getItem(STORE); } catch (_) { /* storage off: the browser's */ }
  if (LANGUAGES.some(([code]) => code === saved)) return saved;
  for (const l of navigator.languages || [navigator.language || '']) {
    const code = String(l).toLowerCase();
    if (code.startsWith('ko')) return 'ko';
    if (code.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Loads the language's messages and translates the page's HTML. */
export async function loadLanguage() {
  lang = chosen();
  document.documentElement.lang = lang;
  try {
    const resp = await fetch(`/i18n/${lang}.json`, { credentials: 'same-origin' });
    if (resp.ok) words = (await resp.json()).messages || {};
  } catch (_) {
    words = {}; // the HTML keeps its English words
  }
  translate(document);
}

/** The language shown: 'en' or 'ko'. */
export function language() {
  return lang;
}

/** The message `key` with its `{ $name }` placeables filled from `args` (the key itself when
 * the catalogue lacks it, so a missing message is seen, not hidden). */
export function t(key, args = {}) {
  const text = words[key];
  if (text === undefined) return key;
  return text.replace(/\{\s*\$([A-Za-z0-9_-]+)\s*\}/g, (_, name) => {
    const v = args[name];
    return v === undefined || v === null ? '' : String(v);
  });
}

/** A counted message: `key-one` or `key-other` as the language's plural rules say for
 * `count` (passed as the `count` placeable too). */
export function tn(key, count, args = {}) {
  const form = new Intl.PluralRules(lang).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}-${form}`, Object.assign({ count }, args));
}

/** Sets the words of `root`'s elements with data-i18n (text), data-i18n-placeholder,
 * data-i18n-title and data-i18n-aria-label (attributes). */
export function translate(root) {
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const attr of ['placeholder', 'title', 'aria-label']) {
    for (const e of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      e.setAttribute(attr, t(e.getAttribute(`data-i18n-${attr}`)));
    }
  }
}

/** The language menu: choosing another language keeps it here and reloads the page. */
export function languageMenu(select) {
  select.replaceChildren(...LANGUAGES.map(([code, name]) => {
    const o = document.createElement('option');
    o.value = code;
    o.textContent = name;
    o.lang = code;
    return o;
  }));
  select.value = lang;
  select.addEventListener('change', () => {
    try { localStorage.setItem(STORE, select.value); } catch (_) { /* this visit only */ }
    location.reload();
  });
}

/** The browser's own variant of the language shown (en-GB, ko-KR), else the language. */
function locale() {
  const own = (navigator.languages || []).find((l) => String(l).toLowerCase().startsWith(lang));
  return own || lang;
}

/** Date and time as each language writes them: English as the browser does ("Dec 4, 2026,
 * 3:05:07 PM"); Korean as a date with its weekday in brackets and a time ("2026년 12월 4일
 * (금) 오후 3:05:07", as Korean recorders and phones show it). */
const DATE_TIME = {
  en: [{ dateStyle: 'medium', timeStyle: 'medium' }],
  ko: [{ year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' },
    { hour: 'numeric', minute: '2-digit', second: '2-digit' }],
};

/** A UTC-microsecond time in the viewer's time zone and language (`opts`: Intl options). */
export function formatTime(us, opts) {
  const at = new Date(us / 1000);
  const parts = opts ? [opts] : DATE_TIME[lang] || DATE_TIME.en;
  const bracket = !opts && lang === 'ko';
  return parts.map((o) => new Intl.DateTimeFormat(locale(), o).formatToParts(at)
    .map((p) => (bracket && p.type === 'weekday' ? `(${p.value})` : p.value)).join('')).join(' ');
}
