// What several views share: the units kept in a year, means over units and regions (as
// src/regions.rs computes regions.csv: the unweighted mean of the scores present), labels,
// the fictional-data badge, and a unit chooser.

import { h, uid } from "../dom.js";
import { at } from "../model.js";

/** The units of a year that scores.csv has rows for (not dropped by [screen]). */
export function kept(m, y) {
  const out = [];
  for (let u = 0; u < m.nu; u++) if (!m.screened[y * m.nu + u]) out.push(u);
  return out;
}

/** Mean of the values present among `units` at (y, e) in result r: {mean, n} (mean NaN when none). */
export function meanOf(m, r, y, e, units) {
  let sum = 0, n = 0;
  for (const u of units) {
    const v = r.values[at(m, y, e, u)];
    if (!Number.isNaN(v)) {
      sum += v;
      n += 1;
    }
  }
  return { mean: n ? sum / n : NaN, n };
}

/** Regions in name order, each with its units (indices): [{name, units}]; empty without regions. */
export function regionsOf(m) {
  const by = new Map();
  m.units.forEach((u, i) => {
    if (u.region == null || u.region === "") return;
    if (!by.has(u.region)) by.set(u.region, []);
    by.get(u.region).push(i);
  });
  // Rust's BTreeMap order: by code point, as String's Ord.
  return [...by.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((name) => ({ name, units: by.get(name) }));
}

/** A unit's display name: its name, else its code. */
export const unitName = (m, u) => m.units[u].name || m.units[u].code;

/** An element's display name. */
export const elementName = (e) => e.name || e.code;

/** A unit's name with its code beside it (as text nodes). */
export function unitLabel(m, u) {
  const unit = m.units[u];
  return [unit.name || unit.code, unit.name ? h("span", { class: "code", text: ` ${unit.code}` }) : null];
}

/** A view's heading, with the fictional-data badge when the data are fictional. */
export function viewHeading(m, t, id, text) {
  return h(
    "div",
    { class: "view-head" },
    h("h2", { attrs: { id }, text }),
    m.json.fictional ? h("span", { class: "badge", attrs: { title: m.json.fictional }, text: t("app.fictional.badge") }) : null,
  );
}

/** A labelled <select> of every unit (by name); `onChange(code)`. */
export function unitSelect(m, t, label, onChange, { empty = null } = {}) {
  const id = uid("unit");
  const order = m.units.map((_, i) => i).sort((a, b) => unitName(m, a).localeCompare(unitName(m, b)) || a - b);
  const select = h(
    "select",
    { attrs: { id }, on: { change: (e) => onChange(e.target.value) } },
    empty ? h("option", { attrs: { value: "" }, text: empty }) : null,
    order.map((u) => h("option", { attrs: { value: m.units[u].code }, text: `${unitName(m, u)} (${m.units[u].code})` })),
  );
  return { select, el: h("span", { class: "unit-select" }, h("label", { attrs: { for: id }, text: label }), select) };
}

/** Decimals shown: 3 when every node score lies within ±1.5 (the HDI), else 2 (as the report). */
export function decimals(m) {
  let max = 0;
  m.elements.forEach((e) => {
    if (e.kind !== "node") return;
    for (let y = 0; y < m.ny; y++) {
      for (let u = 0; u < m.nu; u++) {
        const v = m.baseline.values[at(m, y, e.id, u)];
        if (!Number.isNaN(v)) max = Math.max(max, Math.abs(v));
      }
    }
  });
  return max > 0 && max <= 1.5 ? 3 : 2;
}

/** A number for people: the language's form with `digits` decimals, or the missing mark. */
export function numberText(t, digits) {
  return (v) => (Number.isNaN(v) || v == null ? t("value.missing") : t.number(v, digits));
}

/** +3, −2, 0. */
export function signed(n) {
  return n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : "0";
}

/** The note shown instead of numbers when the what-if has none. */
export function noNumbers(t) {
  return h("p", { class: "none", text: t("ranking.none") });
}

/** A visually hidden element (for screen readers only). */
export function srOnly(tag, text) {
  return h(tag, { class: "sr-only", text });
}
