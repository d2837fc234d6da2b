// `--set` pairs resolved as `gti compute` resolves them: the merge of a node's aggregate
// table over [defaults] (src/methodology/params.rs), the checks of validation, and the
// paths the page does not offer. Each error case is one `gti compute` stops on (the
// messages are the CLI's, checked by hand against it).

import { test } from "node:test";
import assert from "node:assert/strict";
import { effectiveWeights, nodeMethod, resolve } from "../src/whatif.js";
import { model, readValue } from "../tools/fixtures.js";

function framework(extra = {}) {
  return model({
    elements: [
      { code: "I" },
      { code: "A", parent: "I", ...extra.A },
      { code: "a1", kind: "indicator", parent: "A" },
      { code: "a2", kind: "indicator", parent: "A", weight: 3 },
      { code: "B", parent: "I" },
      { code: "b1", kind: "indicator", parent: "B" },
    ],
    values: [{ a1: [1, 2, 3], a2: [4, 5, 6], b1: [7, 8, 9] }],
    defaults: extra.defaults ?? { method: "arithmetic" },
  });
}

const run = (m, pairs) => resolve(m, pairs, readValue);

test("weights and methods in order, the last pair of a path winning", () => {
  const m = framework();
  const r = run(m, ["node.A.weight=2", "indicator.a2.weight=0.5", "node.A.weight=4", "node.B.aggregate.method=GEOMETRIC"]);
  assert.deepEqual(r.errors, []);
  assert.equal(r.cfg.weights[m.byCode.get("A")], 4);
  assert.equal(r.cfg.weights[m.byCode.get("a2")], 0.5);
  assert.deepEqual(r.cfg.aggregate[m.byCode.get("B")], { method: "geometric" });
  assert.deepEqual(r.cfg.aggregate[m.byCode.get("A")], { method: "arithmetic" });
});

test("defaults reach the nodes without their own method; COINr names are aliases", () => {
  const m = framework({ A: { own_aggregate: { method: "median" } } });
  const r = run(m, ["defaults.aggregate.method=a_gmean"]);
  assert.deepEqual(r.cfg.aggregate[m.byCode.get("I")], { method: "geometric" });
  assert.deepEqual(r.cfg.aggregate[m.byCode.get("A")], { method: "median" });
});

test("the generalised mean needs p, from the node or from [defaults]", () => {
  const m = framework();
  assert.deepEqual(run(m, ["defaults.aggregate.method=generalised"]).errors, [
    "node.I.aggregate needs `p`",
    "node.A.aggregate needs `p`",
    "node.B.aggregate needs `p`",
  ]);
  const r = run(m, ["defaults.aggregate.method=generalised", "defaults.aggregate.p=3"]);
  assert.deepEqual(r.cfg.aggregate[m.byCode.get("A")], { method: "generalised", p: 3 });
  const own = run(m, ["node.A.aggregate.method=generalised", "node.A.aggregate.p=-1"]);
  assert.deepEqual(own.cfg.aggregate[m.byCode.get("A")], { method: "generalised", p: -1 });
});

test("a p left beside another method: from [defaults] a note, on the node an error", () => {
  const m = framework({ defaults: { method: "generalised", p: 2 } });
  // [defaults] p with a node naming another method: not carried over, no error.
  const r = run(m, ["node.A.aggregate.method=arithmetic"]);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.cfg.aggregate[m.byCode.get("A")], { method: "arithmetic" });
  // [defaults] p under a default that no longer takes it: noted by gti, not an error.
  assert.deepEqual(run(m, ["defaults.aggregate.method=min"]).errors, []);
  // The node's own p beside a method that takes none: `unknown key p`.
  const own = framework({ A: { own_aggregate: { method: "generalised", p: 2 } } });
  assert.deepEqual(run(own, ["node.A.aggregate.method=geometric"]).errors, ["node.A.aggregate: unknown key `p`"]);
  // p on a node without its own method keeps the default method, which takes none.
  assert.deepEqual(run(m, ["defaults.aggregate.method=arithmetic", "node.B.aggregate.p=3"]).errors, [
    "node.B.aggregate: unknown key `p`",
  ]);
});

test("bad values and unknown names are the CLI's errors", () => {
  const m = framework({ A: { own_aggregate: { method: "median" } } });
  assert.deepEqual(run(m, ["node.A.weight=-1"]).errors, ["weight of 'A' is -1; weights must be finite and >= 0"]);
  assert.deepEqual(run(m, ["node.A.weight=heavy"]).errors, ['node.A.weight: "heavy" is not a number']);
  assert.deepEqual(run(m, ["node.A.weight=0", "node.B.weight=0"]).errors, ["every child of node 'I' has weight 0"]);
  assert.deepEqual(run(m, ["node.Z.weight=2"]).errors, ["--set node.Z.weight: there is no [node.Z]"]);
  assert.deepEqual(run(m, ["node.a1.weight=2"]).errors, ["--set node.a1.weight: there is no [node.a1]"]);
  assert.deepEqual(run(m, ["node.B.aggregate.method=mode"]).errors, ["node.B.aggregate: unknown method 'mode'"]);
  // A number where the node's own method (a string) was: it stays a string (overrides.rs).
  assert.deepEqual(run(m, ["node.A.aggregate.method=1"]).errors, ["node.A.aggregate: unknown method '1'"]);
  // ... where no string was: a number, and a method must be a string.
  assert.deepEqual(run(m, ["node.B.aggregate.method=1"]).errors, ["node.B.aggregate.method must be a string"]);
  assert.deepEqual(run(m, ["expert.penalty.k=-2"]).errors, ["expert.penalty.k is -2; it must be a number >= 0"]);
  assert.deepEqual(run(m, ["node.A.weight"]).errors, ["'node.A.weight' is not PATH=VALUE"]);
});

test("paths the page cannot recompute are unsupported, not errors", () => {
  const m = framework();
  const r = run(m, ["defaults.normalise.method=zscore", "indicator.a1.direction=-1", "node.A.weight=2", "index.higher_is=worse"]);
  assert.equal(r.cfg, null);
  assert.deepEqual(
    r.unsupported.map((u) => u.path),
    ["defaults.normalise.method", "indicator.a1.direction", "index.higher_is"],
  );
  assert.deepEqual(r.errors, []);
});

test("the penalty k turns on and off", () => {
  const m = framework();
  assert.equal(run(m, []).cfg.k, 0);
  assert.equal(run(m, ["expert.penalty.k=50"]).cfg.k, 50);
  assert.equal(run(m, ["expert.penalty.k=50", "expert.penalty.k=0"]).cfg.k, 0);
});

test("nodeMethod: the method names gti accepts", () => {
  const table = (o) => new Map(Object.entries(o).map(([k, v]) => [k, readValue(JSON.stringify(v))]));
  for (const [name, want] of [
    ["mean", "arithmetic"],
    ["a_hmean", "harmonic"],
    ["generalized", "generalised"],
    ["minimum", "min"],
    ["Sum", "sum"],
  ]) {
    const p = want === "generalised" ? { p: 2 } : {};
    assert.equal(nodeMethod("x", null, table({ method: name, ...p }), []).method, want, name);
  }
});

test("effective weights: each weight renormalised among its siblings, down the tree", () => {
  const m = framework();
  const eff = effectiveWeights(m, Float64Array.from(m.elements, (e) => e.weight));
  assert.deepEqual([...eff], [1, 0.5, 0.125, 0.375, 0.5, 0.5]);
});
