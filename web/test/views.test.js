// What the views compute beside the recomputation: transparency as stages::transparency
// tallies it, the URL fragment's selected units and colouring, band and score colours.

import { test } from "node:test";
import assert from "node:assert/strict";
import { transparencyOf } from "../src/recompute.js";
import { formatFragment, parseFragment } from "../src/sets.js";
import { stateFrom } from "../src/state.js";
import { model } from "../tools/fixtures.js";

test("transparency: the answered items' share of their effective weight (stages::transparency's own example)", () => {
  // P: e1 (0.2, missing), e2 (0.6, answered), s (0.2, statistical); I: P and e3 (answered),
  // equal weights. T(P) = 0.2 + 0.6 = 0.8, A(P) = 0.6 → 0.75; I: (0.8 + 1)/2 = 0.9 and
  // (0.6 + 1)/2 = 0.8 → 8/9. Counts: P 2 items, 1 answered; I 3 and 2.
  const m = model({
    elements: [
      { code: "I" },
      { code: "P", parent: "I" },
      { code: "e1", kind: "indicator", parent: "P", source: "expert", weight: 0.2 },
      { code: "e2", kind: "indicator", parent: "P", source: "expert", weight: 0.6 },
      { code: "s", kind: "indicator", parent: "P", weight: 0.2 },
      { code: "e3", kind: "indicator", parent: "I", source: "expert" },
    ],
    units: ["A"],
    values: [{ e1: [50], e2: [60], s: [70], e3: [80] }],
    flags: [{ e1: [1], e2: [1 | 4], s: [1], e3: [1 | 4] }],
  });
  const t = transparencyOf(m, Float64Array.from(m.elements, (e) => e.weight), 0, 0);
  const at = (code) => t[m.byCode.get(code)];
  assert.deepEqual([at("P").items, at("P").answered], [2, 1]);
  assert.ok(Math.abs(at("P").share - 0.75) < 1e-12);
  assert.deepEqual([at("I").items, at("I").answered], [3, 2]);
  assert.ok(Math.abs(at("I").share - 8 / 9) < 1e-12);
  assert.ok(Number.isNaN(at("s").share));
  // A what-if weight moves the share: e1 at 0 leaves only e2 (answered) in P.
  const w = Float64Array.from(m.elements, (e) => e.weight);
  w[m.byCode.get("e1")] = 0;
  assert.equal(transparencyOf(m, w, 0, 0)[m.byCode.get("P")].share, 1);
});

test("fragment: selected units (percent-encoded, comma-joined) and the map's colouring round-trip", () => {
  const state = { view: "compare", year: 2024, node: "GTI", units: ["XAA", "A,B"], color: "score", sets: ["node.P1.weight=2"] };
  const text = formatFragment(state);
  assert.equal(text, "#view=compare&year=2024&node=GTI&units=XAA,A%2CB&color=score&set=node.P1.weight%3D2");
  const back = parseFragment(text);
  assert.deepEqual([back.view, back.units, back.color, back.sets], ["compare", ["XAA", "A,B"], "score", ["node.P1.weight=2"]]);
  assert.equal(formatFragment({ ...state, units: [], color: null, sets: [] }), "#view=compare&year=2024&node=GTI");
});

test("state: unknown units dropped, duplicates once, at most five; an unknown view is the ranking", () => {
  const m = model({
    elements: [{ code: "I" }, { code: "a", kind: "indicator", parent: "I" }],
    units: ["A", "B", "C", "D", "E", "F"],
    values: [{ a: [1, 2, 3, 4, 5, 6] }],
  });
  const st = stateFrom(m, "#view=nope&units=B,Z,B,A,C,D,E,F&color=rainbow");
  assert.equal(st.view, "ranking");
  assert.deepEqual(st.units, ["B", "A", "C", "D", "E"]);
  assert.equal(st.color, null);
  assert.equal(stateFrom(m, "#view=map&color=band").view, "map");
});
