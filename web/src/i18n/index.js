// The UI strings of one language, with {placeholder} substitution.

import en from "./en.js";
import fr from "./fr.js";

/** The languages the page speaks (`gti explore --lang`). */
export const LANGUAGES = { en, fr };

/** The translator for `lang` (English when there is none): t(key, vars), t.number(v, d). */
export function translator(lang) {
  const table = LANGUAGES[lang] ?? en;
  const t = (key, vars = {}) => {
    const s = table.strings[key] ?? en.strings[key] ?? key;
    return s.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  };
  t.lang = table.lang;
  t.number = table.number;
  return t;
}
