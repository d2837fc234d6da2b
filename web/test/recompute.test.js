// The recomputation against values worked out by hand (the same cases as the Rust unit tests
// of src/stages/aggregate.rs, rank.rs, band.rs and transparency.rs where they exist).

import { test } from "node:test";
import assert from "node:assert/strict";
import { combine, weightedMedian, AggregateError } from "../src/aggregate.js";
import { at } from "../src/model.js";
import { recompute, trends } from "../src/recompute.js";
import { bandOf, rankInto } from "../src/rank.js";
import { model, published } from "../tools/fixtures.js";

const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(b), 1);
const xs = [4, 16], ws = [1, 3];

test("means by hand", () => {
  // (4 + 48)/4 = 13; 4^(1/4)·16^(3/4) = 8√2; 4 / (1/4 + 3/16) = 64/7; p = 2: √196 = 14.
  assert.ok(close(combine({ method: "arithmetic" }, xs, ws, 4), 13));
  assert.ok(close(combine({ method: "geometric" }, xs, ws, 4), 8 * Math.SQRT2));
  assert.ok(close(combine({ method: "harmonic" }, xs, ws, 4), 64 / 7));
  assert.ok(close(combine({ method: "generalised", p: 2 }, xs, ws, 4), 14));
  assert.ok(close(combine({ method: "generalised", p: 1 }, xs, ws, 4), 13));
  assert.ok(close(combine({ method: "generalised", p: 0 }, xs, ws, 4), 8 * Math.SQRT2));
  assert.equal(combine({ method: "min" }, xs, ws, 4), 4);
  // Sum with one of three unit-weight children missing: (2 + 4)·3/2 = 9.
  assert.equal(combine({ method: "sum" }, [2, 4], [1, 1], 3), 9);
});

test("extreme p stays finite; geometric survives overflow", () => {
  const hi = combine({ method: "generalised", p: 400 }, [50, 100], [1, 1], 2);
  const lo = combine({ method: "generalised", p: -400 }, [50, 100], [1, 1], 2);
  assert.ok(Math.abs(hi - 100 * Math.pow(0.5, 1 / 400)) < 1e-9, String(hi));
  assert.ok(Math.abs(lo - 50 * Math.pow(0.5, -1 / 400)) < 1e-9, String(lo));
  const many = Array(400).fill(1e10);
  assert.ok(close(combine({ method: "geometric" }, many, Array(400).fill(1), 400), 1e10));
});

test("zero children give 0, negative children are an error", () => {
  assert.equal(combine({ method: "geometric" }, [0, 5], [1, 1], 2), 0);
  assert.equal(combine({ method: "harmonic" }, [0, 5], [1, 1], 2), 0);
  assert.equal(combine({ method: "generalised", p: -1 }, [0, 5], [1, 1], 2), 0);
  assert.throws(() => combine({ method: "geometric" }, [-1, 5], [1, 1], 2), AggregateError);
  assert.throws(() => combine({ method: "harmonic" }, [-1, 5], [1, 1], 2), /harmonic mean is undefined/);
  assert.throws(() => combine({ method: "generalised", p: 0.5 }, [-1], [1], 1), /generalised mean is undefined/);
  // The arithmetic mean, median, min and sum take negative children.
  assert.equal(combine({ method: "arithmetic" }, [-1, 5], [1, 1], 2), 2);
});

test("weighted median: the ordinary median for equal weights", () => {
  assert.equal(weightedMedian([3, 1, 2], [1, 1, 1]), 2);
  assert.equal(weightedMedian([4, 1, 2, 3], [1, 1, 1, 1]), 2.5);
  // Weight 3 on 10 outweighs 1 + 1 below it.
  assert.equal(weightedMedian([1, 2, 10], [1, 1, 3]), 10);
});

/** I over A (a1 weight 1, a2 weight 3) and B (b1). */
function small(opts = {}) {
  return model({
    elements: [
      { code: "I" },
      { code: "A", parent: "I", ...opts.A },
      { code: "a1", kind: "indicator", parent: "A" },
      { code: "a2", kind: "indicator", parent: "A", weight: 3 },
      { code: "B", parent: "I" },
      { code: "b1", kind: "indicator", parent: "B" },
    ],
    values: [{ a1: [10, 20, null], a2: [30, null, null], b1: [50, 60, 70] }],
    ...opts.model,
  });
}

test("weights are renormalised among the children present; min_coverage", () => {
  const m = small();
  const r = recompute(m, published(m));
  const v = (code, u) => r.values[at(m, 0, m.byCode.get(code), u)];
  // A: unit A (10·1 + 30·3)/4 = 25; unit B only a1 present (weight 1 of 4 < 0.5): missing.
  assert.equal(v("A", 0), 25);
  assert.ok(Number.isNaN(v("A", 1)));
  assert.ok(Number.isNaN(v("A", 2)));
  // I: unit A (25 + 50)/2; unit B: only B (half the weight, = min_coverage) → 60.
  assert.equal(v("I", 0), 37.5);
  assert.equal(v("I", 1), 60);
  // Coverage: A of unit B: 1·1/4 observed; I: (0.25 + 1)/2.
  assert.equal(r.coverage[at(m, 0, m.byCode.get("A"), 1)], 0.25);
  assert.equal(r.coverage[at(m, 0, m.byCode.get("I"), 1)], 0.625);
});

test("min_coverage counts shares within 1e-12 as meeting it", () => {
  const just = small({ A: { min_coverage: 0.25 + 5e-13 } });
  const r = recompute(just, published(just));
  assert.equal(r.values[at(just, 0, just.byCode.get("A"), 1)], 20);
  const beyond = small({ A: { min_coverage: 0.25 + 2e-12 } });
  const r2 = recompute(beyond, published(beyond));
  assert.ok(Number.isNaN(r2.values[at(beyond, 0, beyond.byCode.get("A"), 1)]));
});

test("a weight-0 child counts for nothing; a negative child in a geometric mean stops the run", () => {
  const m = small();
  const cfg = published(m);
  cfg.weights[m.byCode.get("a2")] = 0;
  const r = recompute(m, cfg);
  assert.equal(r.values[at(m, 0, m.byCode.get("A"), 0)], 10);
  assert.equal(r.values[at(m, 0, m.byCode.get("A"), 1)], 20);
  const neg = model({
    elements: [{ code: "I", aggregate: { method: "geometric" } }, { code: "x", kind: "indicator", parent: "I" }],
    values: [{ x: [1, -2, 3] }],
  });
  const failed = recompute(neg, published(neg));
  assert.deepEqual(failed.error, {
    unit: "B",
    year: 2024,
    code: "I",
    message: "a child is negative (-2): the geometric mean is undefined",
  });
});

test("imputed points are counted and lower coverage", () => {
  const m = model({
    elements: [{ code: "I" }, { code: "x", kind: "indicator", parent: "I" }, { code: "y", kind: "indicator", parent: "I" }],
    values: [{ x: [1, 2, 3], y: [4, 5, 6] }],
    flags: [{ x: [1, 2, 1], y: [1, 2, 0] }],
  });
  const r = recompute(m, published(m));
  const i = (u) => at(m, 0, 0, u);
  assert.deepEqual([r.imputed[i(0)], r.imputed[i(1)], r.imputed[i(2)]], [0, 2, 0]);
  assert.deepEqual([r.coverage[i(0)], r.coverage[i(1)], r.coverage[i(2)]], [1, 0, 0.5]);
});

test("transparency penalty: k times the weight share of direct expert children missing", () => {
  // P over e1 (weight 1, not answered), e2 (weight 3, answered), s (statistical).
  const m = model({
    elements: [
      { code: "I" },
      { code: "P", parent: "I" },
      { code: "e1", kind: "indicator", parent: "P", source: "expert" },
      { code: "e2", kind: "indicator", parent: "P", source: "expert", weight: 3 },
      { code: "s", kind: "indicator", parent: "P" },
    ],
    units: ["A"],
    values: [{ e1: [40], e2: [80], s: [20] }],
    // e1 imputed (not answered), e2 observed and answered, s observed.
    flags: [{ e1: [2], e2: [1 | 4], s: [1] }],
    penalty: { k: 50 },
  });
  const r = recompute(m, published(m));
  // P = (40 + 240 + 20)/5 = 60, minus 50 × 1/4 = 12.5 → 47.5; I inherits it.
  assert.equal(r.values[at(m, 0, m.byCode.get("P"), 0)], 47.5);
  assert.equal(r.values[at(m, 0, m.byCode.get("I"), 0)], 47.5);
  const off = recompute(m, published(m, { k: 0 }));
  assert.equal(off.values[at(m, 0, m.byCode.get("P"), 0)], 60);
});

test("ranks: ties within 1e-9 share the lowest rank, missing has none", () => {
  const out = new Int32Array(5);
  rankInto([10, 20, 20 + 1e-12, NaN, 5], "better", out);
  assert.deepEqual([...out], [3, 1, 1, 0, 4]);
  rankInto([10, 20, 5, NaN, 5], "worse", out);
  assert.deepEqual([...out], [3, 4, 1, 0, 1]);
  const two = new Int32Array(2);
  rankInto([1, 1 + 2e-9], "better", two);
  assert.deepEqual([...two], [2, 1]);
  // Ties are against the group's first score, not chained.
  const chain = new Int32Array(3);
  rankInto([1, 1 - 0.6e-9, 1 - 1.2e-9], "better", chain);
  assert.deepEqual([...chain], [1, 1, 3]);
});

test("bands: min inclusive, max exclusive, the top edge closed", () => {
  const bands = [
    { label: "high", min: 0, max: 40, index: 0 },
    { label: "low", min: 40, max: 100, index: 1 },
  ];
  assert.equal(bandOf(bands, 0), 0);
  assert.equal(bandOf(bands, 39.999), 0);
  assert.equal(bandOf(bands, 40), 1);
  assert.equal(bandOf(bands, 100), 1);
  assert.equal(bandOf(bands, 100.5), -1);
  assert.equal(bandOf(bands, -1), -1);
  assert.equal(bandOf(bands, NaN), -1);
});

test("bands: a score within 1e-9 of an edge is on it (band.rs's a_score_an_ulp_off_an_edge_is_on_it)", () => {
  const bands = [
    { label: "high", min: 0, max: 40, index: 0 },
    { label: "low", min: 40, max: 100, index: 1 },
  ];
  assert.equal(bandOf(bands, 100.00000000000001), 1, "an ulp above the closed top edge");
  assert.equal(bandOf(bands, 40 - 1e-12), 1, "on the inner edge: the upper band");
  assert.equal(bandOf(bands, 39.9999), 0, "further than the tolerance: below the edge");
  assert.equal(bandOf(bands, -1e-12), 0, "an ulp below the bottom edge");
});

test("bands apply to their nodes only; trends by the stability threshold", () => {
  const m = model({
    elements: [{ code: "I" }, { code: "x", kind: "indicator", parent: "I" }],
    years: [2023, 2024],
    values: [{ x: [10, 50, 90] }, { x: [13, 51, 80] }],
    bands: [
      { label: "bad", min: 0, max: 50, color: null, nodes: ["I"] },
      { label: "good", min: 50, max: 100, color: null, nodes: null },
    ],
  });
  const r = recompute(m, published(m));
  assert.deepEqual([0, 1, 2].map((u) => r.bands[at(m, 1, 0, u)]), [0, 1, 1]);
  assert.deepEqual([0, 1, 2].map((u) => r.bands[at(m, 1, 1, u)]), [-1, -1, -1]);
  const status = [0, 1, 2].map((u) => trends(m, r, 0, u)[0].status);
  assert.deepEqual(status, ["improved", "stable", "deteriorated"]);
});

test("ranks: the fast rankInto equals ranking by a comparison sort (stages::rank's algorithm)", () => {
  // The reference: stable sort of positions by total order, best first; a score within 1e-9
  // of its group's first score takes that score's rank.
  const reference = (scores, higherIs) => {
    const order = [...scores.keys()].filter((i) => !Number.isNaN(scores[i]));
    const key = (v) => (Object.is(v, -0) ? -Number.MIN_VALUE / 2 : v); // −0 before +0
    order.sort((a, b) => (higherIs === "better" ? key(scores[b]) - key(scores[a]) : key(scores[a]) - key(scores[b])) || a - b);
    const out = new Array(scores.length).fill(0);
    let leader = NaN, rank = 0;
    order.forEach((i, pos) => {
      if (!(Math.abs(scores[i] - leader) < 1e-9)) [leader, rank] = [scores[i], pos + 1];
      out[i] = rank;
    });
    return out;
  };
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let trial = 0; trial < 2000; trial++) {
    const n = 1 + Math.floor(rand() * 40);
    const pool = [0, -0, 1, 1 + 0.5e-9, 1 - 0.7e-9, 2, 50, NaN];
    const scores = Array.from({ length: n }, () => (rand() < 0.5 ? pool[Math.floor(rand() * pool.length)] : rand() * 100));
    for (const higherIs of ["better", "worse"]) {
      const out = new Int32Array(n);
      rankInto(scores, higherIs, out);
      assert.deepEqual([...out], reference(scores, higherIs), `${higherIs} ${scores}`);
    }
  }
});
