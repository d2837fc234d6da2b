// The ranking view: one row per unit of the chosen year and node (no paging), searchable
// and sortable; with a what-if, the published rank, the shift and any band crossing.
//
// With the published intervals (and no what-if), a whisker per row: the unit's 5–95 % rank
// interval, and a mark on a band that fewer than 90 % of the runs agree on.
//
// Each row carries data-unit, data-year, data-node, data-score (scores.csv's text),
// data-rank and data-band (empty when none): the contract scripts rely on.

import { h, replace, uid } from "../dom.js";
import { fmtF64 } from "../fmt.js";
import { at } from "../model.js";
import { bandColours } from "../palette.js";
import { intervalAt, uncertainBand, whisker } from "../intervals.js";
import { formatFragment } from "../sets.js";
import { decimals, kept, signed, viewHeading } from "./common.js";

export function rankingView({ m, t, store }) {
  const searchId = uid("search");
  const search = h("input", {
    attrs: { id: searchId, type: "search", autocomplete: "off", "aria-describedby": `${searchId}-hint` },
    on: { input: (e) => store.set({ search: e.target.value }) },
  });
  const shown = h("p", { class: "shown", attrs: { "aria-live": "polite" } });
  const note = h("p", { class: "interval-note", attrs: { hidden: true } });
  const table = h("table", { class: "ranking" });
  const el = h(
    "section",
    { class: "view", attrs: { "aria-labelledby": "ranking-title" } },
    viewHeading(m, t, "ranking-title", t("view.ranking")),
    h(
      "div",
      { class: "search" },
      h("label", { attrs: { for: searchId }, text: t("ranking.search") }),
      search,
      h("span", { class: "hint", attrs: { id: `${searchId}-hint` }, text: t("ranking.search.hint") }),
    ),
    shown,
    note,
    h("div", { class: "table-wrap" }, table),
  );
  const digits = decimals(m);
  const colours = bandColours(m.bands, m.index.higher_is);
  const num = (v) => (Number.isNaN(v) ? t("value.missing") : t.number(v, digits));

  function update(state, whatif) {
    if (search.value !== state.search) search.value = state.search;
    const r = whatif.result;
    const y = m.years.indexOf(state.year);
    const e = m.byCode.get(state.node);
    if (!r) {
      replace(table);
      shown.textContent = t("ranking.none");
      return;
    }
    const active = store.active();
    intervalNote(active);
    const whiskers = m.intervals != null && !active;
    const rows = kept(m, y).map((u) => row(u));
    function row(u) {
      const i = at(m, y, e, u);
      const prev = y > 0 ? r.ranks[at(m, y - 1, e, u)] : 0;
      return {
        u,
        score: r.values[i],
        rank: r.ranks[i],
        band: r.bands[i],
        published: m.baseline.ranks[i],
        publishedBand: m.baseline.bands[i],
        since: prev && r.ranks[i] ? prev - r.ranks[i] : null,
        coverage: r.coverage[i],
        imputed: r.imputed[i],
        interval: intervalAt(m, i, active),
      };
    }
    sortRows(rows, state.sort);
    const columns = header(active, y, whiskers);
    const query = state.search.trim().toLowerCase();
    let visible = 0;
    const body = rows.map((x) => {
      const unit = m.units[x.u];
      const match = query === "" || [unit.code, unit.name, unit.region ?? ""].some((s) => s.toLowerCase().includes(query));
      if (match) visible += 1;
      return h(
        "tr",
        {
          attrs: {
            "data-unit": unit.code,
            "data-year": state.year,
            "data-node": state.node,
            "data-score": Number.isNaN(x.score) ? "" : fmtF64(x.score),
            "data-rank": x.rank ? x.rank : "",
            "data-band": x.band >= 0 ? m.bands[x.band].label : "",
            hidden: !match,
          },
        },
        h("td", { class: "num", text: x.rank ? String(x.rank) : t("value.missing") }),
        h(
          "th",
          { attrs: { scope: "row" } },
          profileLink(state, unit),
          unit.name ? h("span", { class: "code", text: ` ${unit.code}` }) : null,
        ),
        h("td", { text: unit.region ?? "" }),
        h("td", { class: "num", text: num(x.score) }),
        h("td", {}, bandCell(x.band), uncertainMark(x.interval)),
        whiskers ? h("td", { class: "interval" }, whisker(t, x.interval, x.rank, rows.length)) : null,
        active ? h("td", { class: "num", text: x.published ? String(x.published) : t("value.missing") }) : null,
        active ? h("td", { class: "num", text: shift(x) }) : null,
        active ? h("td", { text: crossing(x) }) : null,
        y > 0 ? h("td", { class: "num", text: x.since == null ? t("value.missing") : signed(x.since) }) : null,
        h("td", { class: "num", text: `${t.number(100 * x.coverage, 0)} %` }),
        h("td", { class: "num", text: String(x.imputed) }),
      );
    });
    const name = m.elements[e].name || state.node;
    replace(
      table,
      h("caption", { text: t("ranking.caption", { node: name, year: state.year, count: rows.length }) }),
      h("thead", {}, h("tr", {}, columns.map((c) => th(c, state.sort)))),
      h("tbody", {}, body),
    );
    shown.textContent = t("ranking.shown", { shown: visible, count: rows.length });
  }

  /** The unit's name, a link to its profile (kept in the URL, so it opens in a new tab too). */
  function profileLink(state, unit) {
    const units = [unit.code, ...state.units.filter((c) => c !== unit.code)];
    return h("a", {
      attrs: { href: formatFragment({ ...state, view: "profile", units }) },
      text: unit.name || unit.code,
      on: {
        click: (e) => {
          e.preventDefault();
          store.set({ view: "profile", units });
        },
      },
    });
  }

  /** Where the intervals came from, or why they are hidden (a what-if is on). */
  function intervalNote(active) {
    const iv = m.intervals;
    note.hidden = !iv;
    if (!iv) return;
    note.textContent = active
      ? t("interval.hidden")
      : t("interval.note", { runs: iv.runs, spec: iv.spec, share: t.number(100 * iv.uncertainBelow, 0) }) +
        (iv.withheld ? ` ${t("interval.withheld", { count: iv.withheld })}` : "");
  }

  /** The "uncertain band" mark: a symbol with its words for screen readers and a tooltip. */
  function uncertainMark(iv) {
    if (!uncertainBand(m, iv)) return null;
    const text = t("interval.uncertain_band", { share: t.number(100 * iv.band, 0) });
    return h("span", { class: "uncertain", attrs: { title: text, "aria-label": text, role: "img" }, text: " ◆" });
  }

  function header(active, y, whiskers) {
    const cols = [
      { key: "rank", label: t("col.rank") },
      { key: "unit", label: t("col.unit") },
      { key: "region", label: t("col.region") },
      { key: "score", label: t("col.score") },
      { key: "band", label: t("col.band") },
    ];
    if (whiskers) cols.push({ key: "interval", label: t("col.interval") });
    if (active) {
      cols.push({ key: "published", label: t("col.published_rank") });
      cols.push({ key: "shift", label: t("col.shift") });
      cols.push({ key: "crossing", label: t("col.band_change") });
    }
    if (y > 0) cols.push({ key: "since", label: t("col.since", { year: m.years[y - 1] }) });
    cols.push({ key: "coverage", label: t("col.coverage") }, { key: "imputed", label: t("col.imputed") });
    return cols;
  }

  function th(c, sort) {
    const on = sort.key === c.key;
    return h(
      "th",
      { attrs: { scope: "col", "aria-sort": on ? (sort.dir > 0 ? "ascending" : "descending") : null } },
      h("button", {
        attrs: { type: "button", title: t("sort.by", { column: c.label }) },
        text: c.label + (on ? (sort.dir > 0 ? " ▲" : " ▼") : ""),
        on: { click: () => store.set({ sort: { key: c.key, dir: on ? -sort.dir : 1 } }) },
      }),
    );
  }

  function bandCell(b) {
    if (b < 0) return "";
    const swatch = h("span", { class: "swatch", attrs: { "aria-hidden": "true" } });
    swatch.style.background = colours[b];
    return h("span", { class: "band" }, swatch, m.bands[b].label);
  }

  function shift(x) {
    if (!x.rank || !x.published) return t("value.missing");
    return signed(x.published - x.rank);
  }

  function crossing(x) {
    if (x.band === x.publishedBand) return "";
    const label = (b) => (b >= 0 ? m.bands[b].label : t("value.none"));
    return t("band.crossing", { from: label(x.publishedBand), to: label(x.band) });
  }

  function sortRows(rows, sort) {
    const keyOf = {
      rank: (x) => x.rank || Infinity,
      unit: (x) => (m.units[x.u].name || m.units[x.u].code).toLowerCase(),
      region: (x) => (m.units[x.u].region ?? "").toLowerCase(),
      score: (x) => (Number.isNaN(x.score) ? -Infinity : x.score),
      band: (x) => x.band,
      interval: (x) => (x.interval?.rankHigh ?? Infinity) - (x.interval?.rankLow ?? 0),
      published: (x) => x.published || Infinity,
      shift: (x) => (x.rank && x.published ? x.published - x.rank : -Infinity),
      crossing: (x) => (x.band === x.publishedBand ? 0 : 1),
      since: (x) => x.since ?? -Infinity,
      coverage: (x) => x.coverage,
      imputed: (x) => x.imputed,
    }[sort.key] ?? ((x) => x.rank || Infinity);
    rows.sort((a, b) => {
      const ka = keyOf(a), kb = keyOf(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : 0;
      return c * sort.dir || (a.rank || Infinity) - (b.rank || Infinity) || a.u - b.u;
    });
  }

  return { el, update };
}
