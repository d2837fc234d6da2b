// Nodes the page does not recompute (a non-compensatory method, or weights fitted from the
// data): they keep their published scores, exact while nothing beneath them changes, and a
// what-if that would change them is refused (whatif.js `keepFixed`, recompute.js).

import { test } from "node:test";
import assert from "node:assert/strict";
import { at } from "../src/model.js";
import { recompute } from "../src/recompute.js";
import { resolve } from "../src/whatif.js";
import { model, readValue } from "../tools/fixtures.js";

const WHY = "a non-compensatory method compares the units with each other";
const FITTED = "its children's weights are fitted from the data";

/** I = mean(A, B); A (mpi, published scores 10, 20, 30) over a1, a2; B over b1 (7, 8, 9). */
function framework({ fitted = false, expert = false } = {}) {
  const els = [
    { code: "I" },
    fitted
      ? { code: "A", parent: "I", live: false, why: FITTED }
      : { code: "A", parent: "I", aggregate: { method: "mpi", standardise: true, sd: "population" }, own_aggregate: { method: "mpi" }, live: false, why: WHY },
    { code: "a1", kind: "indicator", parent: "A", weight_why: fitted ? FITTED : undefined, source: expert ? "expert" : undefined },
    { code: "a2", kind: "indicator", parent: "A", weight_why: fitted ? FITTED : undefined },
    { code: "B", parent: "I" },
    { code: "b1", kind: "indicator", parent: "B" },
  ];
  // Aggregated layout (element × unit, one year): only A's published scores matter here.
  const baseline = Array(els.length * 3).fill(null);
  [10, 20, 30].forEach((v, u) => (baseline[1 * 3 + u] = v));
  return model({
    elements: els,
    values: [{ a1: [1, 2, 3], a2: [4, 5, 6], b1: [7, 8, 9] }],
    penalty: expert ? { k: 5 } : null,
    baseline,
  });
}

const run = (m, pairs) => resolve(m, pairs, readValue);
const score = (m, r, code, u) => r.values[at(m, 0, m.byCode.get(code), u)];

test("the published what-if keeps A's published scores and recomputes above it", () => {
  const m = framework();
  const r = run(m, []);
  assert.deepEqual([r.errors, r.refused], [[], []]);
  assert.equal(r.cfg.fixed[m.byCode.get("A")], 1);
  const out = recompute(m, r.cfg);
  assert.deepEqual([0, 1, 2].map((u) => score(m, out, "A", u)), [10, 20, 30]);
  assert.deepEqual([0, 1, 2].map((u) => score(m, out, "I", u)), [8.5, 14, 19.5]);
});

test("a change beside the node is recomputed, with its published scores", () => {
  const m = framework();
  const r = run(m, ["node.B.weight=3", "node.A.weight=1"]);
  assert.deepEqual(r.refused, []);
  const out = recompute(m, r.cfg);
  // (10 + 3·7)/4, (20 + 3·8)/4, (30 + 3·9)/4.
  assert.deepEqual([0, 1, 2].map((u) => score(m, out, "I", u)), [7.75, 11, 14.25]);
});

test("a change beneath it, or to it, is refused with the reason", () => {
  const m = framework();
  const beneath = run(m, ["indicator.a1.weight=2"]);
  assert.equal(beneath.cfg, null);
  assert.deepEqual(beneath.refused, [{ code: "A", why: WHY, beneath: "a1" }]);
  // A new default method: A keeps its own, and nothing beneath it is a node.
  assert.deepEqual(run(m, ["defaults.aggregate.method=geometric"]).refused, []);
  // B made non-compensatory: refused, the page does not compute it.
  const b = run(m, ["node.B.aggregate.method=ci_bod"]);
  assert.equal(b.cfg, null);
  assert.deepEqual(b.refused, [{ code: "B", why: "the page does not recompute bod: it compares the units with each other" }]);
  // p is not a key of mpi: gti compute stops.
  assert.deepEqual(run(m, ["node.A.aggregate.p=2"]).errors, ["node.A.aggregate: unknown key `p`"]);
});

test("switching the node to a recomputed method recomputes it from its children", () => {
  const m = framework();
  const r = run(m, ["node.A.aggregate.method=arithmetic"]);
  assert.deepEqual(r.refused, []);
  assert.equal(r.cfg.fixed[m.byCode.get("A")], 0);
  const out = recompute(m, r.cfg);
  assert.deepEqual([0, 1, 2].map((u) => score(m, out, "A", u)), [2.5, 3.5, 4.5]);
  assert.deepEqual([0, 1, 2].map((u) => score(m, out, "I", u)), [4.75, 5.75, 6.75]);
});

test("fitted weights: the node's method and its children's weights are refused", () => {
  const m = framework({ fitted: true });
  assert.deepEqual(run(m, []).refused, []);
  assert.deepEqual(run(m, ["node.A.aggregate.method=geometric"]).refused, [{ code: "A", why: FITTED }]);
  assert.deepEqual(run(m, ["indicator.a2.weight=5"]).refused, [{ code: "A", why: FITTED, beneath: "a2" }]);
  assert.deepEqual(run(m, ["defaults.aggregate.method=median"]).refused, [{ code: "A", why: FITTED }]);
});

test("the penalty k is refused where an expert indicator lies beneath the node", () => {
  const m = framework({ expert: true });
  assert.deepEqual(run(m, ["expert.penalty.k=5"]).refused, []);
  assert.deepEqual(run(m, ["expert.penalty.k=2"]).refused, [{ code: "A", why: WHY, beneath: "expert.penalty.k" }]);
});
