// Everything downstream of the normalised data set, as `gti compute` does it
// (src/stages/aggregate.rs, transparency.rs, rank.rs, band.rs, results.rs): weights
// renormalised among the children present, min_coverage with the same slack, each node's
// aggregation method, the transparency penalty, coverage and imputed counts, ranks with the
// 1e-9 tie rule, bands, trends.
//
// `cfg` (from whatif.js) holds, per element: `weights` (Float64Array), `aggregate`
// ({method, p} for nodes), `minCoverage` (Float64Array), `fixed` (Uint8Array: 1 for a node
// that keeps its published scores, whatif.js `keepFixed`); and `k`, the penalty (0: off).

import { AggregateError, combine, finite } from "./aggregate.js";
import { ANSWERED, IMPUTED, OBSERVED, at, atIndicator } from "./model.js";
import { applicable, bandOf, rankInto, status, yearPairs } from "./rank.js";

/** Coverage shares within this of the threshold count as meeting it (1/3 + 1/3 + 1/3). */
const COVERAGE_SLACK = 1e-12;

/**
 * Recomputes every score. Returns {values, coverage, imputed, ranks, bands} in the
 * aggregated layout (year × element × unit), or {error: {unit, year, code, message}} where
 * `gti compute` would stop with an error.
 */
export function recompute(m, cfg) {
  const n = m.ny * m.ne * m.nu;
  const out = {
    values: new Float64Array(n).fill(NaN),
    coverage: new Float64Array(n),
    imputed: new Uint32Array(n),
  };
  const penalty = penalties(m, cfg);
  for (let y = 0; y < m.ny; y++) {
    copyIndicators(m, y, out);
    for (const node of m.bottomUp) {
      const failed = aggregateNode(m, cfg, penalty, y, node, out);
      if (failed) return { error: failed };
    }
  }
  out.ranks = rankAll(m, out.values);
  out.bands = bandAll(m, out.values);
  return out;
}

function copyIndicators(m, y, out) {
  m.indicators.forEach((id, c) => {
    for (let u = 0; u < m.nu; u++) {
      const s = atIndicator(m, y, c, u), t = at(m, y, id, u);
      out.values[t] = m.normalised[s];
      out.coverage[t] = m.flags[s] & OBSERVED ? 1 : 0;
      out.imputed[t] = m.flags[s] & IMPUTED ? 1 : 0;
    }
  });
}

/** One node of one year for every unit (`aggregate_year`'s loop body); an error or null. */
function aggregateNode(m, cfg, penalty, y, node, out) {
  if (cfg.fixed && cfg.fixed[node]) {
    // Not recomputed: nothing beneath it changed, so its published scores are exact.
    for (let u = 0; u < m.nu; u++) {
      const t = at(m, y, node, u);
      out.values[t] = m.baseline.values[t];
      out.coverage[t] = m.baseline.coverage[t];
      out.imputed[t] = m.baseline.imputed[t];
    }
    return null;
  }
  const kids = m.elements[node].children.filter((k) => cfg.weights[k] > 0);
  let wAll = -0;
  for (const k of kids) wAll += cfg.weights[k];
  const agg = cfg.aggregate[node];
  const xs = [], ws = [];
  for (let u = 0; u < m.nu; u++) {
    xs.length = 0;
    ws.length = 0;
    let cov = -0, imp = 0;
    for (const k of kids) {
      const x = out.values[at(m, y, k, u)];
      if (!Number.isNaN(x)) {
        xs.push(x);
        ws.push(cfg.weights[k]);
      }
      cov += cfg.weights[k] * out.coverage[at(m, y, k, u)];
      imp += out.imputed[at(m, y, k, u)];
    }
    const t = at(m, y, node, u);
    out.coverage[t] = cov / wAll;
    out.imputed[t] = imp;
    let present = -0;
    for (const w of ws) present += w;
    const share = present / wAll;
    if (xs.length === 0 || share + COVERAGE_SLACK < cfg.minCoverage[node]) continue;
    try {
      out.values[t] = finite(combine(agg, xs, ws, wAll)) - penalty[t];
    } catch (e) {
      if (!(e instanceof AggregateError)) throw e;
      return { unit: m.units[u].code, year: m.years[y], code: m.elements[node].code, message: e.message };
    }
  }
  return null;
}

/**
 * The transparency penalty of every point (0 where none): at a node with expert indicators
 * among its direct children, k × the weight share of those children not answered
 * (`transparency::missing_share`). Nothing without an expert indicator in the framework.
 */
export function penalties(m, cfg) {
  const penalty = new Float64Array(m.ny * m.ne * m.nu);
  if (!(cfg.k > 0) || !m.hasExpert) return penalty;
  for (const node of m.bottomUp) {
    const experts = m.elements[node].children.filter((k) => m.elements[k].source === "expert");
    for (let y = 0; y < m.ny; y++) {
      for (let u = 0; u < m.nu; u++) {
        let all = 0, answered = 0;
        for (const k of experts) {
          const w = cfg.weights[k];
          const a = m.flags[atIndicator(m, y, m.column[k], u)] & ANSWERED ? 1 : 0;
          all += w;
          answered += w * a;
        }
        if (all > 0) penalty[at(m, y, node, u)] = cfg.k * (1 - answered / all);
      }
    }
  }
  return penalty;
}

/** Ranks (0: none) of every (year, element) column, in the aggregated layout. */
function rankAll(m, values) {
  const ranks = new Int32Array(values.length);
  for (let y = 0; y < m.ny; y++) {
    for (let e = 0; e < m.ne; e++) {
      const o = at(m, y, e, 0);
      rankInto(values.subarray(o, o + m.nu), m.index.higher_is, ranks.subarray(o, o + m.nu));
    }
  }
  return ranks;
}

/** Band index (-1: none) of every node point; indicators are never banded. */
function bandAll(m, values) {
  const bands = new Int32Array(values.length).fill(-1);
  if (m.bands.length === 0) return bands;
  for (const e of m.elements) {
    if (e.kind !== "node") continue;
    const mine = applicable(m.bands, e.code);
    if (mine.length === 0) continue;
    for (let y = 0; y < m.ny; y++) {
      for (let u = 0; u < m.nu; u++) {
        const t = at(m, y, e.id, u);
        bands[t] = bandOf(mine, values[t]);
      }
    }
  }
  return bands;
}

/**
 * Trend rows (`results::trend_rows`) of node `e` for unit `u`: every year pair, with the
 * delta, ranks, bands and status under the methodology's stability threshold.
 */
export function trends(m, r, e, u) {
  return yearPairs(m.ny).map(([a, b]) => {
    const ia = at(m, a, e, u), ib = at(m, b, e, u);
    const delta = r.values[ib] - r.values[ia];
    return {
      from: m.years[a],
      to: m.years[b],
      delta,
      rankChange: r.ranks[ia] && r.ranks[ib] ? r.ranks[ia] - r.ranks[ib] : null,
      status: Number.isNaN(delta) ? "" : status(delta, m.trend.stable, m.index.higher_is),
    };
  });
}
