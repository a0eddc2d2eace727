// The events view (not built yet: this file says so rather than showing an empty page).
import { el } from './app.js';

export async function show(main) {
  main.append(el('p', { class: 'empty' }, 'This page is not built yet.'));
}
