// The login page's words in the viewer's language and its language menu.
import { languageMenu, loadLanguage } from './i18n.js';

loadLanguage().then(() => languageMenu(document.getElementById('lang')));
