// The profile of one unit: the chosen node's score, rank, band, coverage and transparency,
// against its region's and the overall mean; a drill-down table of the node's children
// (index → pillars → indicators) with, for indicators, the value as read and its unit
// (statistical indicators only), the normalised value, imputed/treated/missing flags, and
// respondents and agreement as the public model discloses them; trend lines over the years.

import { h, replace } from "../dom.js";
import { IMPUTED, OBSERVED, at, atIndicator } from "../model.js";
import { trends, transparencyOf } from "../recompute.js";
import { lineChart } from "./charts.js";
import { intervalAt, rankIntervalText, uncertainBand } from "../intervals.js";
import {
  decimals,
  elementName,
  kept,
  meanOf,
  noNumbers,
  numberText,
  regionsOf,
  signed,
  unitLabel,
  unitName,
  unitSelect,
  viewHeading,
} from "./common.js";

export function profileView({ m, t, store }) {
  const num = numberText(t, decimals(m));
  const picker = unitSelect(m, t, t("profile.unit"), (code) =>
    store.set({ units: [code, ...store.state.units.filter((c) => c !== code)] }),
  );
  const body = h("div", { class: "profile" });
  const el = h(
    "section",
    { class: "view", attrs: { "aria-labelledby": "profile-title" } },
    viewHeading(m, t, "profile-title", t("view.profile")),
    h("div", { class: "controls" }, picker.el),
    body,
  );
  const regions = regionsOf(m);
  const regionOf = (u) => regions.find((g) => g.units.includes(u));

  /** The unit shown: the first selected, else the first ranked in the year and node. */
  function unitOf(state, r) {
    if (state.units.length) return m.unitIndex.get(state.units[0]);
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    const order = kept(m, y).sort((a, b) => (r.ranks[at(m, y, e, a)] || Infinity) - (r.ranks[at(m, y, e, b)] || Infinity) || a - b);
    return order[0] ?? 0;
  }

  function update(state, whatif) {
    const r = whatif.result;
    if (!r) return replace(body, noNumbers(t));
    const u = unitOf(state, r);
    picker.select.value = m.units[u].code;
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    const weights = whatif.resolved.cfg.weights;
    const region = regionOf(u);
    replace(
      body,
      h("h3", { class: "unit-title" }, unitLabel(m, u), region ? h("span", { class: "region", text: ` · ${region.name}` }) : null),
      summary(r, weights, y, e, u, region),
      breadcrumb(e),
      breakdown(r, weights, y, e, u, region),
      trendsOf(r, e, u, region),
    );
  }

  function summary(r, weights, y, e, u, region) {
    const i = at(m, y, e, u);
    const everyone = meanOf(m, r, y, e, kept(m, y));
    const tr = m.hasExpert ? transparencyOf(m, weights, y, u)[e] : null;
    const band = r.bands[i];
    const iv = intervalAt(m, i, store.active());
    const rows = [
      [t("col.score"), num(r.values[i])],
      [t("col.rank"), r.ranks[i] ? t("profile.rank_of", { rank: r.ranks[i], count: everyone.n }) : t("value.missing")],
      [t("col.band"), band >= 0 ? m.bands[band].label : t("value.none")],
      ...intervalFacts(iv),
      [t("col.coverage"), `${t.number(100 * r.coverage[i], 0)} %`],
      [t("col.imputed"), String(r.imputed[i])],
      region ? [t("profile.region_mean", { region: region.name }), num(meanOf(m, r, y, e, region.units.filter((v) => !m.screened[y * m.nu + v])).mean)] : null,
      [t("profile.overall_mean"), num(everyone.mean)],
      tr && tr.items ? [t("profile.transparency"), t("profile.transparency.value", { answered: tr.answered, items: tr.items, share: t.number(100 * tr.share, 0) })] : null,
    ].filter(Boolean);
    return h(
      "dl",
      { class: "facts" },
      rows.map(([k, v]) => h("div", {}, h("dt", { text: k }), h("dd", { text: v }))),
    );
  }

  /** The published intervals of the point, when shown: rank, score, runs in the band. */
  function intervalFacts(iv) {
    if (!iv) return [];
    const out = [];
    const rank = rankIntervalText(t, iv);
    if (rank) out.push([t("col.interval"), rank]);
    if (iv.scoreLow != null) out.push([t("interval.score"), `${num(iv.scoreLow)} – ${num(iv.scoreHigh)}`]);
    if (iv.band != null) {
      const share = t.number(100 * iv.band, 0);
      out.push([t("interval.band"), uncertainBand(m, iv) ? t("interval.uncertain_band", { share }) : `${share} %`]);
    }
    return out;
  }

  /** The path from the index to the node: each ancestor a button that goes up. */
  function breadcrumb(e) {
    const path = [];
    for (let x = e; x != null; x = m.elements[x].parent) path.unshift(x);
    return h(
      "nav",
      { class: "crumbs", attrs: { "aria-label": t("profile.path") } },
      path.map((x, k) =>
        k === path.length - 1
          ? h("span", { attrs: { "aria-current": "location" }, text: elementName(m.elements[x]) })
          : [h("button", { class: "link", attrs: { type: "button" }, text: elementName(m.elements[x]), on: { click: () => store.set({ node: m.elements[x].code }) } }), " › "],
      ),
    );
  }

  function breakdown(r, weights, y, e, u, region) {
    const kids = m.elements[e].children;
    const inYear = kept(m, y);
    const mine = region ? region.units.filter((v) => !m.screened[y * m.nu + v]) : null;
    const tr = m.hasExpert ? transparencyOf(m, weights, y, u) : null;
    let total = 0;
    for (const k of kids) total += weights[k];
    // Columns of indicators only where the node has indicators among its children.
    const inds = kids.some((k) => m.elements[k].kind === "indicator");
    const expert = inds && kids.some((k) => m.elements[k].source === "expert");
    const nodes = kids.some((k) => m.elements[k].kind === "node") && m.hasExpert;
    const head = [
      "profile.col.element",
      "profile.col.weight",
      "col.score",
      "col.rank",
      region ? "profile.col.region" : null,
      "profile.col.overall",
      inds ? "profile.col.raw" : null,
      inds || nodes ? "profile.col.flags" : null,
      expert ? "profile.col.respondents" : null,
      expert ? "profile.col.agreement" : null,
    ].filter(Boolean);
    const rows = kids.map((k) => {
      const el = m.elements[k];
      const i = at(m, y, k, u);
      const name = elementName(el);
      const label =
        el.kind === "node"
          ? h("button", { class: "link", attrs: { type: "button", title: t("profile.drill", { name }) }, text: name, on: { click: () => store.set({ node: el.code }) } })
          : name;
      const ind = el.kind === "indicator" ? indicatorCells(el, y, u) : { raw: "", flags: nodeFlags(tr, k), respondents: "", agreement: "" };
      return h(
        "tr",
        { class: el.kind },
        h("th", { attrs: { scope: "row" } }, label, h("span", { class: "code", text: ` ${el.code}` })),
        h("td", { class: "num", text: total > 0 ? `${t.number((100 * weights[k]) / total, 1)} %` : t("value.missing") }),
        h("td", { class: "num", text: num(r.values[i]) }),
        h("td", { class: "num", text: r.ranks[i] ? String(r.ranks[i]) : t("value.missing") }),
        mine ? h("td", { class: "num", text: num(meanOf(m, r, y, k, mine).mean) }) : null,
        h("td", { class: "num", text: num(meanOf(m, r, y, k, inYear).mean) }),
        inds ? h("td", { class: "num", text: ind.raw }) : null,
        inds || nodes ? h("td", { text: ind.flags }) : null,
        expert ? h("td", { class: "num", text: ind.respondents }) : null,
        expert ? h("td", { class: "num", text: ind.agreement }) : null,
      );
    });
    return h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "breakdown" },
        h("caption", { text: t("profile.breakdown", { node: elementName(m.elements[e]), year: m.years[y] }) }),
        h("thead", {}, h("tr", {}, head.map((k) => h("th", { attrs: { scope: "col" }, text: t(k) })))),
        h("tbody", {}, rows),
      ),
      h("p", { class: "hint", text: t("profile.normalised_note", { n: m.json.disclosure?.count_below ?? 5 }) }),
    );
  }

  function nodeFlags(tr, k) {
    if (!tr || !tr[k].items) return "";
    return t("profile.answered", { answered: tr[k].answered, items: tr[k].items });
  }

  /** An indicator's value as read (statistical only), flags, respondents and agreement. */
  function indicatorCells(el, y, u) {
    const p = atIndicator(m, y, m.column[el.id], u);
    const raw = m.raw[p];
    const flags = [];
    const f = m.flags[p];
    if (Number.isNaN(m.normalised[p])) flags.push(t("flag.missing"));
    else if (f & IMPUTED) flags.push(t("flag.imputed"));
    else if (!(f & OBSERVED)) flags.push(t("flag.not_observed"));
    const treated = m.treated.get(p);
    if (treated) flags.push(t(`flag.${treated}`));
    if (el.source === "expert") flags.push(t("flag.expert"));
    const d = m.respondents.get(p);
    let respondents = "", agreement = "";
    if (d) {
      respondents = typeof d.n === "string" ? t("respondents.below", { n: d.n.replace("<", "") }) : String(d.n);
      agreement = d.sd == null ? t("respondents.withheld") : t.number(d.sd, 2);
    }
    return {
      raw: Number.isNaN(raw) ? "" : `${t.number(raw, rawDigits(raw))}${el.unit ? ` ${el.unit}` : ""}`,
      flags: flags.join(", "),
      respondents,
      agreement,
    };
  }

  function trendsOf(r, e, u, region) {
    const series = [
      { label: unitName(m, u), values: m.years.map((_, y) => r.values[at(m, y, e, u)]), strong: true },
      region
        ? { label: t("profile.region_mean", { region: region.name }), values: m.years.map((_, y) => meanOf(m, r, y, e, region.units.filter((v) => !m.screened[y * m.nu + v])).mean) }
        : null,
      { label: t("profile.overall_mean"), values: m.years.map((_, y) => meanOf(m, r, y, e, kept(m, y)).mean) },
    ].filter(Boolean);
    const name = elementName(m.elements[e]);
    const chart = lineChart({ t, title: t("profile.trend", { node: name, unit: unitName(m, u) }), years: m.years, series, num });
    const rows = trends(m, r, e, u);
    const table = rows.length
      ? h(
          "table",
          { class: "trends" },
          h("caption", { text: t("profile.changes", { node: name }) }),
          h(
            "thead",
            {},
            h("tr", {}, ["profile.col.years", "profile.col.delta", "profile.col.rank_change", "profile.col.status"].map((k) => h("th", { attrs: { scope: "col" }, text: t(k) }))),
          ),
          h(
            "tbody",
            {},
            rows.map((x) =>
              h(
                "tr",
                {},
                h("th", { attrs: { scope: "row" }, text: `${x.from} → ${x.to}` }),
                h("td", { class: "num", text: Number.isNaN(x.delta) ? t("value.missing") : `${x.delta > 0 ? "+" : x.delta < 0 ? "\u2212" : ""}${num(Math.abs(x.delta))}` }),
                h("td", { class: "num", text: x.rankChange == null ? t("value.missing") : signed(x.rankChange) }),
                h("td", { text: x.status ? t(`status.${x.status}`) : "" }),
              ),
            ),
          ),
        )
      : null;
    return h("div", { class: "trend-block" }, chart, table);
  }

  return { el, update };
}

/** Decimals for a raw value: enough to show 4 significant digits, at most 3. */
function rawDigits(v) {
  const a = Math.abs(v);
  return a >= 1000 || Number.isInteger(v) ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
}
