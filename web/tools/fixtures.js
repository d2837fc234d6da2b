// Small hand-written models for the unit tests (the embedded model's layout, docs/explore.md).

import { decode } from "../src/model.js";

/**
 * A decoded model from a compact description. `elements`: [{code, kind, parent (a code),
 * weight, aggregate, own_aggregate, min_coverage, source}], in framework order.
 * `values[y][indicatorCode][u]` gives the normalised data (null = missing); `flags` the
 * same shape (default: observed where a value is present). A node may say `live: false`
 * with `why`; any element `weight_why` (its parent's weights are fitted). `baseline`
 * (optional) gives the published scores in the aggregated layout.
 */
export function model({
  elements,
  units = ["A", "B", "C"],
  years = [2024],
  values,
  flags,
  bands = [],
  higherIs = "better",
  penalty = null,
  defaults = { method: "arithmetic" },
  stable = 2,
  screened = [],
  baseline = null,
}) {
  const codes = elements.map((e) => e.code);
  const els = elements.map((e) => ({
    code: e.code,
    name: e.name ?? e.code,
    kind: e.kind ?? "node",
    parent: e.parent == null ? null : codes.indexOf(e.parent),
    level: e.kind === "indicator" ? 1 : 2,
    weight: e.weight ?? 1,
    ...(e.weight_why ? { weight_why: e.weight_why } : {}),
    ...(e.kind === "indicator"
      ? { source: e.source ?? "statistical", direction: 1 }
      : {
          aggregate: e.aggregate ?? defaults ?? { method: "arithmetic" },
          own_aggregate: e.own_aggregate ?? null,
          min_coverage: e.min_coverage ?? 0.5,
          live: e.live ?? true,
          ...(e.why ? { why: e.why } : {}),
        }),
  }));
  const indicators = els.filter((e) => e.kind === "indicator").map((e) => e.code);
  const normalised = [], fl = [];
  years.forEach((_, y) => {
    for (const code of indicators) {
      units.forEach((_, u) => {
        const v = values[y][code][u];
        normalised.push(v);
        fl.push(flags ? flags[y][code][u] : v == null ? 0 : 1);
      });
    }
  });
  const n = years.length * els.length * units.length;
  return decode({
    schema: 1,
    generator: "test",
    index: { code: els[0].code, name: "Test", version: "1", higher_is: higherIs },
    fictional: null,
    units: units.map((code) => ({ code, name: `${code} name`, region: null })),
    years,
    elements: els,
    defaults_aggregate: defaults,
    penalty,
    bands,
    trend: { stable },
    indicators: { normalised, flags: fl, raw: normalised.map(() => null), treated: [], respondents: [] },
    screened,
    baseline: {
      score: baseline ?? Array(n).fill(null),
      rank: Array(n).fill(null),
      band: Array(n).fill(null),
      coverage: Array(n).fill(0),
      imputed: Array(n).fill(0),
    },
    transparency: [],
    command: { methodology: "m.toml", data: ["data/"], sets: [] },
    disclosure: { count_below: 5, agreement_min: 3 },
  });
}

/** A `--set` value reader for tests (the page's reads TOML with smol-toml, an npm package the
 * unit tests do without): decimal numbers, quoted strings, bare words. */
export function readValue(text) {
  if (/^[+-]?(?:0|[1-9][0-9]*)$/.test(text)) return { kind: "integer", number: Number(text) };
  if (/^[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(text)) return { kind: "float", number: Number(text) };
  if (/^"[^"\\]*"$/.test(text)) return { kind: "string", string: text.slice(1, -1), quoted: true };
  if (text === "true" || text === "false" || text.startsWith("[")) return { kind: "other" };
  return { kind: "string", string: text, quoted: false };
}

/** The configuration of the published methodology of `m`. */
export function published(m, { k } = {}) {
  return {
    weights: Float64Array.from(m.elements, (e) => e.weight),
    aggregate: m.elements.map((e) => (e.kind === "node" ? e.aggregate : null)),
    minCoverage: Float64Array.from(m.elements, (e) => e.min_coverage ?? 0),
    k: k ?? (m.json.penalty ? m.json.penalty.k : 0),
  };
}
