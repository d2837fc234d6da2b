// Colours: declared band colours kept, others ordered steps of cividis (the better end
// light); ink chosen for contrast. Needs d3-scale-chromatic: skipped, saying so, in a clone
// where `npm ci` has not run (CI runs it first).

import { test } from "node:test";
import assert from "node:assert/strict";

const palette = await import("../src/palette.js").catch(() => null);
const skip = palette ? false : "web/node_modules is missing (npm ci): d3-scale-chromatic";
const { bandColours, inkOn, scoreColour } = palette ?? {};

const luminance = (hex) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

test("bands: a declared colour is kept; the others step through cividis in band order", { skip }, () => {
  const bands = [
    { label: "High", min: 0.8, max: 1 },
    { label: "Low", min: null, max: 0.55 },
    { label: "Mid", min: 0.55, max: 0.8, color: "#123456" },
  ];
  const better = bandColours(bands, "better");
  assert.equal(better[2], "#123456");
  assert.match(better[0], /^#[0-9a-f]{6}$/);
  assert.ok(luminance(better[0]) > luminance(better[1]), "the better band is lighter");
  const worse = bandColours(bands, "worse");
  assert.ok(luminance(worse[0]) < luminance(worse[1]), "when higher is worse, the high band is darker");
});

test("scores: missing is grey; the scale is clamped and oriented by higher_is", { skip }, () => {
  assert.equal(scoreColour(NaN, 0, 1, "better"), "#e4e4e4");
  assert.equal(scoreColour(2, 0, 1, "better"), scoreColour(1, 0, 1, "better"));
  assert.equal(scoreColour(0, 0, 1, "worse"), scoreColour(1, 0, 1, "better"));
});

test("ink: black on light fills, white on dark ones", { skip }, () => {
  assert.equal(inkOn("#fddbc7"), "#000");
  assert.equal(inkOn("#b2182b"), "#fff");
  assert.equal(inkOn("rgb(0, 32, 77)"), "#fff");
});
