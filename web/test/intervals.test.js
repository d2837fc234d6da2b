// The published intervals (web/src/intervals.js): decoding the model's points, the
// "uncertain band" threshold, hiding during a what-if, the rank text and the whisker's place.

import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeIntervals, intervalAt, rankIntervalText, uncertainBand, whiskerGeometry } from "../src/intervals.js";
import { translator } from "../src/i18n/index.js";

const json = {
  spec: "ua.toml",
  runs: 200,
  seed: 7,
  withheld: 1,
  uncertain_below: 0.9,
  // Point 0: rank 2–4, 62.5 % in its band; point 3: rank 1 always, 90 % in its band
  // (exactly the threshold: not uncertain); point 5: a band probability only.
  points: [
    [0, 40.5, 52.25, 2, 4, 0.625],
    [3, 70, 71, 1, 1, 0.9],
    [5, null, null, null, null, 0.5],
  ],
};

test("intervals: decoded by point; none for a point left out (withheld) or during a what-if", () => {
  const m = { intervals: decodeIntervals(json) };
  assert.equal(decodeIntervals(undefined), null);
  assert.deepEqual(intervalAt(m, 0, false), { scoreLow: 40.5, scoreHigh: 52.25, rankLow: 2, rankHigh: 4, band: 0.625 });
  assert.equal(intervalAt(m, 1, false), null, "a withheld point has no interval");
  assert.equal(intervalAt(m, 0, true), null, "hidden while a what-if is on");
  assert.equal(intervalAt({ intervals: null }, 0, false), null);
  assert.deepEqual([m.intervals.runs, m.intervals.spec, m.intervals.withheld], [200, "ua.toml", 1]);
});

test("intervals: a band is uncertain below 90 % of the runs (the report's threshold), not at it", () => {
  const m = { intervals: decodeIntervals(json) };
  assert.equal(uncertainBand(m, intervalAt(m, 0, false)), true);
  assert.equal(uncertainBand(m, intervalAt(m, 3, false)), false);
  assert.equal(uncertainBand(m, null), false);
});

test("intervals: the rank text in English and French, fractional quantiles with one decimal", () => {
  const m = { intervals: decodeIntervals(json) };
  const en = translator("en"), fr = translator("fr");
  assert.equal(rankIntervalText(en, intervalAt(m, 0, false)), "rank 2–4 (90 % of runs)");
  assert.equal(rankIntervalText(fr, intervalAt(m, 0, false)), "rang 2–4 (90 % des tirages)");
  assert.equal(rankIntervalText(en, { rankLow: 1.5, rankHigh: 3 }), "rank 1.5–3 (90 % of runs)");
  assert.equal(rankIntervalText(en, intervalAt(m, 5, false)), null, "no rank interval, no text");
});

test("intervals: the whisker spans its ranks on a strip of ranks 1…n, half a rank of margin each side", () => {
  // 10 ranks on 100 px: rank r sits at (r − 0.5) × 10.
  assert.deepEqual(whiskerGeometry({ rankLow: 2, rankHigh: 4 }, 3, 10, 100), { x1: 15, x2: 35, x: 25 });
  assert.deepEqual(whiskerGeometry({ rankLow: 1, rankHigh: 10 }, 0, 10, 100), { x1: 5, x2: 95, x: null });
});
