// Every UI string exists in every language, with the same {placeholders}: a translation is
// one file, and nothing shows as a bare key.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { LANGUAGES, translator } from "../src/i18n/index.js";
import en from "../src/i18n/en.js";

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

test("every language has every key of en, with the same placeholders, and no key en lacks", () => {
  assert.ok(Object.keys(LANGUAGES).includes("fr"));
  for (const [lang, table] of Object.entries(LANGUAGES)) {
    assert.equal(table.lang, lang);
    for (const [key, text] of Object.entries(en.strings)) {
      assert.ok(key in table.strings, `${lang} lacks ${key}`);
      assert.deepEqual(placeholders(table.strings[key]), placeholders(text), `${lang} ${key}`);
      assert.notEqual(table.strings[key].trim(), "", `${lang} ${key} is empty`);
    }
    for (const key of Object.keys(table.strings)) assert.ok(key in en.strings, `${lang} has ${key}, which en lacks`);
  }
});

test("every key the sources use is in en", () => {
  const dir = new URL("../src/", import.meta.url);
  const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".js") && !f.startsWith("i18n"));
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(new URL(f, dir), "utf8");
    for (const x of text.matchAll(/\bt\("([a-z_.]+)"/g)) used.add(x[1]);
  }
  assert.ok(used.size > 60, `${used.size} keys found`);
  for (const key of used) assert.ok(key in en.strings, `${key} is used but not in en.js`);
});

test("French numbers use a decimal comma; unknown languages fall back to English", () => {
  const fr = translator("fr");
  assert.equal(fr.number(-12.345, 2), "\u221212,35");
  assert.equal(fr("ranking.caption", { node: "GTI", year: 2024, count: 26 }), "GTI, 2024 : 26 unités");
  const xx = translator("xx");
  assert.equal(xx.lang, "en");
  assert.equal(xx("view.map"), "Map");
});
