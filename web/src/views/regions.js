// Regional means (as regions.csv: the unweighted mean of the scores present among a region's
// units) for the year and node, their change since the first year, and their trends.

import { h, replace } from "../dom.js";
import { status } from "../rank.js";
import { lineChart } from "./charts.js";
import { decimals, elementName, kept, meanOf, noNumbers, numberText, regionsOf, viewHeading } from "./common.js";

export function regionsView({ m, t, store }) {
  const num = numberText(t, decimals(m));
  const body = h("div", { class: "regions" });
  const el = h(
    "section",
    { class: "view", attrs: { "aria-labelledby": "regions-title" } },
    viewHeading(m, t, "regions-title", t("view.regions")),
    h("p", { class: "hint", text: t("regions.intro") }),
    body,
  );
  const regions = regionsOf(m);

  function update(state, whatif) {
    const r = whatif.result;
    if (!r) return replace(body, noNumbers(t));
    if (regions.length === 0) return replace(body, h("p", { class: "none", text: t("regions.none") }));
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    const series = regions.map((g) => ({ label: g.name, values: m.years.map((_, yy) => meanOf(m, r, yy, e, g.units).mean) }));
    const overall = { label: t("profile.overall_mean"), values: m.years.map((_, yy) => meanOf(m, r, yy, e, kept(m, yy)).mean), strong: true, colour: "#555" };
    const first = 0, last = m.ny - 1;
    const head = ["regions.col.region", "regions.col.units", "regions.col.mean", m.ny > 1 ? "regions.col.change" : null, m.ny > 1 ? "regions.col.status" : null].filter(Boolean);
    const rows = regions.map((g, k) => {
      const now = meanOf(m, r, y, e, g.units);
      const delta = series[k].values[last] - series[k].values[first];
      return h(
        "tr",
        { attrs: { "data-region": g.name } },
        h("th", { attrs: { scope: "row" }, text: g.name }),
        h("td", { class: "num", text: t("regions.count", { n: now.n, of: g.units.length }) }),
        h("td", { class: "num", text: num(now.mean) }),
        m.ny > 1 ? h("td", { class: "num", text: Number.isNaN(delta) ? t("value.missing") : `${delta > 0 ? "+" : delta < 0 ? "\u2212" : ""}${num(Math.abs(delta))}` }) : null,
        m.ny > 1 ? h("td", { text: Number.isNaN(delta) ? "" : t(`status.${status(delta, m.trend.stable, m.index.higher_is)}`) }) : null,
      );
    });
    const name = elementName(m.elements[e]);
    replace(
      body,
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "region-table" },
          h("caption", { text: t("regions.caption", { node: name, year: state.year, from: m.years[first], to: m.years[last] }) }),
          h("thead", {}, h("tr", {}, head.map((k) => h("th", { attrs: { scope: "col" }, text: t(k, { from: m.years[first], to: m.years[last] }) })))),
          h("tbody", {}, rows),
        ),
      ),
      lineChart({ t, title: t("regions.trend", { node: name }), years: m.years, series: [...series, overall], num }),
    );
  }

  return { el, update };
}
