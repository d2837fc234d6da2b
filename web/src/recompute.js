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
  // Indicators' values, coverage, imputed flags and ranks are the same under every what-if
  // (weights, methods and k act above them): copied from the layer made once per model.
  const layer = indicatorLayer(m);
  const out = { values: layer.values.slice(), coverage: layer.coverage.slice(), imputed: layer.imputed.slice() };
  const penalty = penalties(m, cfg);
  for (let y = 0; y < m.ny; y++) {
    for (const node of m.bottomUp) {
      const failed = aggregateNode(m, cfg, penalty, y, node, out);
      if (failed) return { error: failed };
    }
  }
  out.ranks = layer.ranks.slice();
  rankColumns(m, out.values, out.ranks, m.bottomUp);
  out.bands = bandAll(m, out.values);
  return out;
}

const layers = new WeakMap();
const zeros = new WeakMap();

/** The penalty of every point when there is none (read only, shared). */
function noPenalty(m) {
  if (!zeros.has(m)) zeros.set(m, new Float64Array(m.ny * m.ne * m.nu));
  return zeros.get(m);
}

/** The indicator points in the aggregated layout, with their ranks (nodes: NaN, 0). */
function indicatorLayer(m) {
  let layer = layers.get(m);
  if (layer) return layer;
  const n = m.ny * m.ne * m.nu;
  layer = { values: new Float64Array(n).fill(NaN), coverage: new Float64Array(n), imputed: new Uint32Array(n) };
  for (let y = 0; y < m.ny; y++) copyIndicators(m, y, layer);
  layer.ranks = new Int32Array(n);
  rankColumns(m, layer.values, layer.ranks, m.indicators);
  layers.set(m, layer);
  return layer;
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
  // Each child's column of this year starts at base[j]: unit u is base[j] + u.
  const base = kids.map((k) => at(m, y, k, 0));
  const kw = kids.map((k) => cfg.weights[k]);
  const { values, coverage, imputed } = out;
  const xs = [], ws = [];
  const t0 = at(m, y, node, 0);
  for (let u = 0; u < m.nu; u++) {
    xs.length = 0;
    ws.length = 0;
    let cov = -0, imp = 0;
    for (let j = 0; j < kids.length; j++) {
      const i = base[j] + u;
      const x = values[i];
      if (x === x) {
        xs.push(x);
        ws.push(kw[j]);
      }
      cov += kw[j] * coverage[i];
      imp += imputed[i];
    }
    const t = t0 + u;
    coverage[t] = cov / wAll;
    imputed[t] = imp;
    let present = -0;
    for (const w of ws) present += w;
    const share = present / wAll;
    if (xs.length === 0 || share + COVERAGE_SLACK < cfg.minCoverage[node]) continue;
    try {
      values[t] = finite(combine(agg, xs, ws, wAll)) - penalty[t];
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
  if (!(cfg.k > 0) || !m.hasExpert) return noPenalty(m);
  const penalty = new Float64Array(m.ny * m.ne * m.nu);
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

/** Ranks (0: none) of the (year, element) columns of `elements` into `ranks` (aggregated layout). */
function rankColumns(m, values, ranks, elements) {
  const scratch = new Float64Array(m.nu);
  for (let y = 0; y < m.ny; y++) {
    for (const e of elements) {
      const o = at(m, y, e, 0);
      rankInto(values.subarray(o, o + m.nu), m.index.higher_is, ranks.subarray(o, o + m.nu), scratch);
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

/**
 * Transparency of one unit-year under weights `weights` (`stages::transparency::tally`):
 * per element, {items, answered, share} — the expert items beneath it, those answered, and
 * the answered items' share of their effective weight (NaN without expert items).
 */
export function transparencyOf(m, weights, y, u) {
  const items = new Uint32Array(m.ne), answered = new Uint32Array(m.ne);
  const total = new Float64Array(m.ne), got = new Float64Array(m.ne);
  m.indicators.forEach((id, c) => {
    if (m.elements[id].source !== "expert") return;
    const a = m.flags[atIndicator(m, y, c, u)] & ANSWERED ? 1 : 0;
    items[id] = 1;
    answered[id] = a;
    total[id] = 1;
    got[id] = a;
  });
  for (const n of m.bottomUp) {
    const kids = m.elements[n].children;
    let sum = -0;
    for (const k of kids) sum += weights[k];
    for (const k of kids) {
      const f = weights[k] / sum;
      items[n] += items[k];
      answered[n] += answered[k];
      total[n] += f * total[k];
      got[n] += f * got[k];
    }
  }
  return m.elements.map((_, e) => ({ items: items[e], answered: answered[e], share: total[e] > 0 ? got[e] / total[e] : NaN }));
}
