// The UI strings of one language, with {placeholder} substitution.

import en from "./en.js";

const LANGUAGES = { en };

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
