// The embedded model (docs/explore.md, "The embedded model") decoded into the shape the
// recomputation reads: typed arrays, NaN for missing, each element's children, and the
// bottom-up order of the nodes.

export const SCHEMA = 1;

/** Flags of an indicator point (model.indicators.flags). */
export const OBSERVED = 1;
export const IMPUTED = 2;
export const ANSWERED = 4;

import { decodeIntervals } from "./intervals.js";

const nan = (v) => (v == null ? NaN : v);

/** Decodes the parsed JSON of the model. Throws on a schema this page does not read. */
export function decode(json) {
  if (json.schema !== SCHEMA) throw new Error(`model schema ${json.schema} is not ${SCHEMA}`);
  const elements = json.elements.map((e, id) => ({ ...e, id, children: [] }));
  for (const e of elements) {
    e.depth = e.parent == null ? 0 : elements[e.parent].depth + 1;
    if (e.parent != null) elements[e.parent].children.push(e.id);
  }
  const indicators = elements.filter((e) => e.kind === "indicator").map((e) => e.id);
  const column = new Int32Array(elements.length).fill(-1);
  indicators.forEach((id, c) => (column[id] = c));
  // Elements are in pre-order (parents first): reversed, children come before parents.
  const bottomUp = elements.filter((e) => e.kind === "node").map((e) => e.id).reverse();
  const nu = json.units.length, ny = json.years.length, ne = elements.length;
  const ind = json.indicators;
  const screened = new Uint8Array(ny * nu);
  for (const [y, u] of json.screened) screened[y * nu + u] = 1;
  const b = json.baseline;
  return {
    json,
    index: json.index,
    units: json.units,
    unitIndex: new Map(json.units.map((u, i) => [u.code, i])),
    years: json.years,
    elements,
    byCode: new Map(elements.map((e) => [e.code, e.id])),
    indicators,
    column,
    bottomUp,
    nu,
    ny,
    ne,
    normalised: Float64Array.from(ind.normalised, nan),
    flags: Uint8Array.from(ind.flags),
    raw: Float64Array.from(ind.raw, nan),
    treated: new Map(ind.treated),
    respondents: new Map(ind.respondents.map(([i, n, sd]) => [i, { n, sd }])),
    hasExpert: elements.some((e) => e.source === "expert"),
    screened,
    bands: json.bands,
    trend: json.trend,
    // The published intervals (null without them): web/src/intervals.js.
    intervals: decodeIntervals(json.intervals),
    baseline: {
      values: Float64Array.from(b.score, nan),
      ranks: Int32Array.from(b.rank, (r) => r ?? 0),
      bands: Int32Array.from(b.band, (k) => k ?? -1),
      coverage: Float64Array.from(b.coverage),
      imputed: Uint32Array.from(b.imputed),
    },
  };
}

/** Position of (year, element, unit) in the aggregated layout. */
export function at(m, y, e, u) {
  return (y * m.ne + e) * m.nu + u;
}

/** Position of (year, indicator column, unit) in the indicator layout. */
export function atIndicator(m, y, c, u) {
  return (y * m.indicators.length + c) * m.nu + u;
}
