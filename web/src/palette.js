// Colours: band colours from the methodology when it gives them, else Okabe–Ito; scores on
// cividis (d3-scale-chromatic), a sequential scale that reads the same with every common
// colour-vision deficiency and in greyscale; lines in Okabe–Ito with distinct dash patterns.

import { interpolateCividis } from "d3-scale-chromatic";

/** Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. */
export const OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"];

/** Series colours for lines (Okabe–Ito without yellow, which is faint on white). */
export const SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

/** Dash patterns, so that lines differ without colour too. */
export const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 2 1 2"];

/** Fill of a unit without a value. */
export const MISSING = "#e4e4e4";

const HEX = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

/**
 * The colour of every band: its `color` when it is a hex colour; else a step of cividis by
 * the band's place in the order of the bands (by min, then max), the better end light, so
 * that ordered bands read as ordered.
 */
export function bandColours(bands, higherIs) {
  const order = bands.map((_, i) => i).sort((a, b) => key(bands[a]) - key(bands[b]) || bands[a].max - bands[b].max || a - b);
  const place = new Map(order.map((b, k) => [b, order.length > 1 ? k / (order.length - 1) : 0.5]));
  return bands.map((b, i) => {
    if (HEX.test(b.color ?? "")) return b.color;
    const t = 0.1 + 0.85 * place.get(i);
    return rgbHex(interpolateCividis(higherIs === "worse" ? 1.05 - t : t));
  });
}

const key = (b) => (Number.isFinite(b.min) ? b.min : -Infinity);

function rgbHex(c) {
  const rgb = parseColour(c);
  return rgb ? `#${rgb.map((x) => x.toString(16).padStart(2, "0")).join("")}` : c;
}

/**
 * The colour of `v` on cividis over [lo, hi], oriented so that the better end is the light
 * (yellow) one; `higherIs` is the index's "better"/"worse".
 */
export function scoreColour(v, lo, hi, higherIs) {
  if (Number.isNaN(v)) return MISSING;
  let t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  t = Math.min(1, Math.max(0, t));
  return interpolateCividis(higherIs === "worse" ? 1 - t : t);
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function inkOn(colour) {
  const rgb = parseColour(colour);
  if (!rgb) return "#000";
  const lin = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  // Contrast with black (l + 0.05) / 0.05 against with white 1.05 / (l + 0.05).
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff";
}

function parseColour(c) {
  let m = /^#([0-9a-f]{3})$/i.exec(c);
  if (m) return [...m[1]].map((x) => parseInt(x + x, 16));
  m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(c);
  return m ? [1, 2, 3].map((i) => Number(m[i])) : null;
}
