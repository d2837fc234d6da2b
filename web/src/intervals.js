// The intervals published with the scores (`gti explore --uncertainty SPEC` or
// `--sensitivity DIR`; docs/explore.md, "Published intervals"): per point, the 5 % and 95 %
// quantiles of the score and of the rank over the uncertainty runs, and the share of the runs
// that put the point in its nominal band. They belong to the published methodology: the
// views show them only while no what-if is on.

import { s } from "./dom.js";

/**
 * The model's intervals decoded: {runs, seed, spec, withheld, uncertainBelow, at: Map(point →
 * {scoreLow, scoreHigh, rankLow, rankHigh, band})}, null members for missing; null when the
 * page has none.
 */
export function decodeIntervals(json) {
  if (!json) return null;
  const at = new Map();
  for (const [i, scoreLow, scoreHigh, rankLow, rankHigh, band] of json.points) {
    at.set(i, { scoreLow, scoreHigh, rankLow, rankHigh, band });
  }
  return {
    runs: json.runs,
    seed: json.seed,
    spec: json.spec,
    withheld: json.withheld,
    uncertainBelow: json.uncertain_below,
    at,
  };
}

/** The interval of point `i` to show: none without intervals, during a what-if, or withheld. */
export function intervalAt(m, i, whatifOn) {
  if (!m.intervals || whatifOn) return null;
  return m.intervals.at.get(i) ?? null;
}

/**
 * Whether a point's band is "uncertain": fewer than `uncertainBelow` (0.9, the report's
 * threshold) of the runs put it in its nominal band.
 */
export function uncertainBand(m, iv) {
  return iv != null && iv.band != null && iv.band < m.intervals.uncertainBelow;
}

/** Whole ranks as ranks, fractional quantiles (between two runs) with one decimal. */
export function rankText(t, r) {
  return Number.isInteger(r) ? String(r) : t.number(r, 1);
}

/** "rank 5–9 in 90 % of the runs" (or the page's language), or null without a rank interval. */
export function rankIntervalText(t, iv) {
  if (!iv || iv.rankLow == null || iv.rankHigh == null) return null;
  return t("interval.rank", { low: rankText(t, iv.rankLow), high: rankText(t, iv.rankHigh) });
}

/**
 * Where a rank whisker sits in a strip `width` wide for ranks 1…`count` (rank 1 at the left,
 * half a rank of margin each side): {x1, x2, x} of the 5 % rank, the 95 % rank and the rank.
 */
export function whiskerGeometry(iv, rank, count, width) {
  const n = Math.max(count, 1);
  const x = (r) => ((r - 0.5) / n) * width;
  return { x1: x(iv.rankLow), x2: x(iv.rankHigh), x: rank ? x(rank) : null };
}

const W = 120, H = 14;

/** The whisker of one ranking row as an SVG image, titled with its text for every reader. */
export function whisker(t, iv, rank, count) {
  const label = rankIntervalText(t, iv);
  if (!label) return null;
  const g = whiskerGeometry(iv, rank, count, W);
  const mid = H / 2;
  return s(
    "svg",
    { class: "whisker", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": label },
    s("title", { text: label }),
    s("line", { x1: 0, x2: W, y1: mid, y2: mid, class: "track" }),
    s("line", { x1: g.x1, x2: g.x2, y1: mid, y2: mid, class: "span" }),
    s("line", { x1: g.x1, x2: g.x1, y1: mid - 4, y2: mid + 4, class: "span" }),
    s("line", { x1: g.x2, x2: g.x2, y1: mid - 4, y2: mid + 4, class: "span" }),
    g.x == null ? null : s("circle", { cx: g.x, cy: mid, r: 3 }),
  );
}
