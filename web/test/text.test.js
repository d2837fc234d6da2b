// Texts the page writes: numbers as scores.csv has them, the URL fragment, the command line,
// and the rows and CSV of scores.csv.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fmtF64 } from "../src/fmt.js";
import { computeCommand, formatFragment, parseFragment, parsePair } from "../src/sets.js";
import { recompute } from "../src/recompute.js";
import { scoreRows, toCsv } from "../src/scores.js";
import { model, published } from "../tools/fixtures.js";

test("numbers: shortest round trip, Rust's layout and Rust's choice at ties", () => {
  // Expected texts are those of Rust's `{}` / `{:e}` (src/output/mod.rs `fmt_f64`).
  const cases = [
    [79.96111572033891, "79.96111572033891"],
    [100, "100"],
    [-0, "0"],
    [0.1, "0.1"],
    [1 / 3, "0.3333333333333333"],
    [5e-7, "5e-7"],
    [1e-6, "0.000001"],
    [9.99e-7, "9.99e-7"],
    [1.5e-7, "1.5e-7"],
    [-2.5e-300, "-2.5e-300"],
    [1e300, "1e300"],
    [1e15, "1000000000000000"],
    [1e16, "1e16"],
    [123456.789, "123456.789"],
    // Halfway between …919.2 and …919.3, both round-trip: JS says .2, Rust .3.
    [1067889150943919.25, "1067889150943919.3"],
  ];
  for (const [v, want] of cases) assert.equal(fmtF64(v), want, String(v));
});

test("pairs split at the first =, trimmed, as the CLI does", () => {
  assert.deepEqual(parsePair(" node.A.weight = 2 ").value, "2");
  assert.equal(parsePair("a.b=x=y").value, "x=y");
  assert.match(parsePair("a..b=1").error, /not a dotted path/);
  assert.match(parsePair("a.b=").error, /has no value/);
});

test("fragment: each pair percent-encoded, pairs joined by a literal comma", () => {
  const state = {
    view: "ranking",
    year: 2024,
    node: "GTI",
    sets: ["node.P4.weight=2", "defaults.aggregate.method=geometric"],
  };
  const text = formatFragment(state);
  assert.equal(text, "#view=ranking&year=2024&node=GTI&set=node.P4.weight%3D2,defaults.aggregate.method%3Dgeometric");
  const back = parseFragment(text);
  assert.deepEqual([back.view, back.year, back.node, back.sets], ["ranking", 2024, "GTI", state.sets]);
  // A comma inside a value is %2C; a fragment without `set` has no pairs.
  assert.deepEqual(parseFragment("#set=defaults.normalise.range%3D%5B1%2C100%5D").sets, ["defaults.normalise.range=[1,100]"]);
  assert.equal(parseFragment("#view=ranking").sets, null);
  assert.deepEqual(parseFragment("#set=").sets, []);
});

test("the command quotes what the shell would read otherwise", () => {
  const cmd = computeCommand({ methodology: "m y.toml", data: ["data/", "it's.csv"] }, ["node.P4.weight=2", 'defaults.aggregate.method="geometric"']);
  assert.equal(
    cmd,
    `gti compute -m 'm y.toml' -d data/ -d 'it'\\''s.csv' --set node.P4.weight=2 --set 'defaults.aggregate.method="geometric"'`,
  );
});

test("scores.csv rows: by year, framework order, rank (missing last), unit; quoted when needed", () => {
  const m = model({
    elements: [{ code: "I" }, { code: "x", kind: "indicator", parent: "I" }],
    units: ["A", "B", "C"],
    values: [{ x: [20, null, 30] }],
  });
  m.units[0].name = 'Name, with "quotes"';
  const rows = scoreRows(m, recompute(m, published(m)));
  assert.deepEqual(
    rows.map((r) => [r.node, r.unit, r.score, r.rank]),
    [
      ["I", "C", "30", "1"],
      ["I", "A", "20", "2"],
      ["I", "B", "", ""],
      ["x", "C", "30", "1"],
      ["x", "A", "20", "2"],
      ["x", "B", "", ""],
    ],
  );
  const csv = toCsv(rows).split("\n");
  assert.equal(csv[0], "unit,year,node,level,score,rank,unit_name,band,coverage,imputed,respondents,agreement");
  assert.equal(csv[2], 'A,2024,I,2,20,2,"Name, with ""quotes""",,1,0,,');
  // Screened unit-years have no rows.
  const s = model({
    elements: [{ code: "I" }, { code: "x", kind: "indicator", parent: "I" }],
    values: [{ x: [1, 2, 3] }],
    screened: [[0, 1]],
  });
  assert.deepEqual(scoreRows(s, recompute(s, published(s))).map((r) => r.unit), ["C", "A", "C", "A"]);
});
