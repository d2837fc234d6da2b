// Two to five units side by side: the node and its children (pillars) for the year, and the
// node's score over the years, one line per unit.

import { h, replace } from "../dom.js";
import { at } from "../model.js";
import { MAX_COMPARE } from "../state.js";
import { lineChart } from "./charts.js";
import { decimals, elementName, kept, noNumbers, numberText, unitName, unitSelect, viewHeading } from "./common.js";

export function compareView({ m, t, store }) {
  const num = numberText(t, decimals(m));
  const picker = unitSelect(
    m,
    t,
    t("compare.add"),
    (code) => code && store.set({ units: [...store.state.units.filter((c) => c !== code), code].slice(-MAX_COMPARE) }),
    { empty: t("compare.choose") },
  );
  const chosen = h("ul", { class: "chosen" });
  const body = h("div", { class: "compare" });
  const el = h(
    "section",
    { class: "view", attrs: { "aria-labelledby": "compare-title" } },
    viewHeading(m, t, "compare-title", t("view.compare")),
    h("p", { class: "hint", text: t("compare.intro", { max: MAX_COMPARE }) }),
    h("div", { class: "controls" }, picker.el),
    chosen,
    body,
  );

  /** The units compared: those selected, else the first two ranked. */
  function unitsOf(state, r) {
    if (state.units.length) return state.units.map((c) => m.unitIndex.get(c));
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    return kept(m, y)
      .sort((a, b) => (r.ranks[at(m, y, e, a)] || Infinity) - (r.ranks[at(m, y, e, b)] || Infinity) || a - b)
      .slice(0, 2);
  }

  function update(state, whatif) {
    picker.select.value = "";
    const r = whatif.result;
    if (!r) {
      replace(chosen);
      return replace(body, noNumbers(t));
    }
    const units = unitsOf(state, r);
    replace(
      chosen,
      units.map((u) =>
        h(
          "li",
          {},
          unitName(m, u),
          h("span", { class: "code", text: ` ${m.units[u].code}` }),
          state.units.length
            ? h("button", {
                attrs: { type: "button", "aria-label": t("compare.remove", { unit: unitName(m, u) }) },
                text: "×",
                on: { click: () => store.set({ units: state.units.filter((c) => c !== m.units[u].code) }) },
              })
            : null,
        ),
      ),
    );
    if (units.length < 2) return replace(body, h("p", { class: "hint", text: t("compare.fewer") }));
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    const rows = [e, ...m.elements[e].children];
    const cell = (k, u) => {
      const i = at(m, y, k, u);
      return h("td", { class: "num" }, num(r.values[i]), r.ranks[i] ? h("span", { class: "rank", text: ` (${r.ranks[i]})` }) : null);
    };
    const table = h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "side-by-side" },
        h("caption", { text: t("compare.caption", { node: elementName(m.elements[e]), year: state.year }) }),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { attrs: { scope: "col" }, text: t("profile.col.element") }), units.map((u) => h("th", { attrs: { scope: "col" }, text: unitName(m, u) }))),
        ),
        h(
          "tbody",
          {},
          rows.map((k) =>
            h(
              "tr",
              { class: k === e ? "total" : m.elements[k].kind },
              h("th", { attrs: { scope: "row" } }, elementName(m.elements[k]), h("span", { class: "code", text: ` ${m.elements[k].code}` })),
              units.map((u) => cell(k, u)),
            ),
          ),
          h(
            "tr",
            {},
            h("th", { attrs: { scope: "row" }, text: t("col.band") }),
            units.map((u) => {
              const b = r.bands[at(m, y, e, u)];
              return h("td", { text: b >= 0 ? m.bands[b].label : "" });
            }),
          ),
        ),
      ),
      h("p", { class: "hint", text: t("compare.ranks") }),
    );
    const chart = lineChart({
      t,
      title: t("compare.trend", { node: elementName(m.elements[e]) }),
      years: m.years,
      series: units.map((u) => ({ label: unitName(m, u), values: m.years.map((_, yy) => r.values[at(m, yy, e, u)]) })),
      num,
    });
    replace(body, table, chart);
  }

  return { el, update };
}
