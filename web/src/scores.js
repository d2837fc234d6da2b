// The rows of `scores.csv` (src/results.rs `Scores`, src/output/csv.rs) from a recomputed
// run: every (unit, year, element) but the unit-years `[screen]` dropped, sorted by year,
// framework order, rank (missing last), unit; cells as the CSV writer formats them.
//
// `respondents` and `agreement` are the public model's (docs/explore.md): a count below the
// disclosure threshold is written as its band (`<5`), and agreement only where published.

import { fmtF64 } from "./fmt.js";
import { at, atIndicator } from "./model.js";

export const COLUMNS = [
  "unit",
  "year",
  "node",
  "level",
  "score",
  "rank",
  "unit_name",
  "band",
  "coverage",
  "imputed",
  "respondents",
  "agreement",
];

/** Unit indices of block (year y, element e) in output order: kept units by (rank missing, rank). */
export function blockOrder(m, r, y, e) {
  const units = [];
  for (let u = 0; u < m.nu; u++) if (!m.screened[y * m.nu + u]) units.push(u);
  const key = (u) => r.ranks[at(m, y, e, u)] || Infinity;
  return units.sort((a, b) => key(a) - key(b) || a - b);
}

/** One row as scores.csv writes it: every cell a string. */
export function scoreRow(m, r, y, e, u) {
  const t = at(m, y, e, u);
  const el = m.elements[e];
  const v = r.values[t];
  let respondents = "", agreement = "";
  if (el.kind === "indicator") {
    const d = m.respondents.get(atIndicator(m, y, m.column[e], u));
    if (d) {
      respondents = String(d.n);
      agreement = d.sd == null ? "" : fmtF64(d.sd);
    }
  }
  return {
    unit: m.units[u].code,
    year: String(m.years[y]),
    node: el.code,
    level: String(el.level),
    score: Number.isNaN(v) ? "" : fmtF64(v),
    rank: r.ranks[t] ? String(r.ranks[t]) : "",
    unit_name: m.units[u].name,
    band: r.bands[t] >= 0 ? m.bands[r.bands[t]].label : "",
    coverage: fmtF64(r.coverage[t]),
    imputed: String(r.imputed[t]),
    respondents,
    agreement,
  };
}

/** Every row of scores.csv, in its order. */
export function scoreRows(m, r) {
  const rows = [];
  for (let y = 0; y < m.ny; y++) {
    for (let e = 0; e < m.ne; e++) {
      for (const u of blockOrder(m, r, y, e)) rows.push(scoreRow(m, r, y, e, u));
    }
  }
  return rows;
}

/** A CSV cell, quoted as the csv crate quotes when necessary. */
function cell(s) {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The text of scores.csv. */
export function toCsv(rows) {
  const lines = [COLUMNS.join(",")];
  for (const row of rows) lines.push(COLUMNS.map((c) => cell(row[c])).join(","));
  return lines.join("\n") + "\n";
}
