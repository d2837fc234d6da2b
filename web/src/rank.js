// Ranks and bands: the JS twins of src/stages/rank.rs and src/stages/band.rs.

/** Scores closer than this to the first score of a tie group share its rank (DESIGN). */
export const TIE_EPS = 1e-9;

/**
 * Ranks of `scores` (NaN = missing → 0) into `out` (an Int32Array as long): rank 1 is the
 * highest score when `higherIs` is "better". As `stages::rank`: the scores in total order
 * (best first); a score within TIE_EPS of its group's first score takes that score's rank
 * ("min" ties).
 *
 * Fast form (docs/performance.md): the keys (scores, negated when higher is better) are
 * sorted by the typed array's native numeric sort, which is the total order (−0 before +0);
 * each sorted position gets its group's rank; a unit's rank is that of the first position
 * holding its key (equal keys always share a group, so which one is found does not matter).
 * `scratch` (a Float64Array at least as long) avoids an allocation per column.
 */
export function rankInto(scores, higherIs, out, scratch = new Float64Array(scores.length)) {
  const sign = higherIs === "better" ? -1 : 1;
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (v === v) scratch[n++] = sign * v;
  }
  const keys = scratch.subarray(0, n).sort();
  const rankAt = new Int32Array(n);
  let leader = NaN, leaderRank = 0;
  for (let pos = 0; pos < n; pos++) {
    const v = keys[pos];
    // A NaN leader (before the first score) never ties.
    if (!(Math.abs(v - leader) < TIE_EPS)) {
      leader = v;
      leaderRank = pos + 1;
    }
    rankAt[pos] = leaderRank;
  }
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (v !== v) {
      out[i] = 0;
      continue;
    }
    const key = sign * v;
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    out[i] = rankAt[lo];
  }
  return out;
}

/** The bands that apply to node `code`, in declared order (the methodology's [[band]]s). */
export function applicable(bands, code) {
  return bands.map((b, i) => ({ ...b, index: i })).filter((b) => b.nodes == null || b.nodes.includes(code));
}

/**
 * The index (into the methodology's bands) of the band holding `score`, or -1: min
 * inclusive, max exclusive, the top edge (the highest max among `bands`) closed.
 */
export function bandOf(bands, score) {
  if (Number.isNaN(score)) return -1;
  const top = bands.reduce((m, b) => (b.max > m ? b.max : m), -Infinity);
  const hit = bands.find((b) => holds(b.min, b.max, top, score));
  return hit ? hit.index : -1;
}

/**
 * `band::holds`: [min, max), max too when it is the top edge; a score within TIE_EPS of an
 * edge is on it (a weighted mean of children all at 100 can come out at 100.00000000000001).
 */
export function holds(min, max, top, score) {
  const on = (edge) => Math.abs(score - edge) <= TIE_EPS;
  const aboveMin = min <= score || on(min);
  const belowMax = (score < max && !on(max)) || (max === top && (score <= max || on(max)));
  return aboveMin && belowMax;
}

/** `results::status`: a change of at most `stable` points (absolute) is stable. */
export function status(delta, stable, higherIs) {
  if (Math.abs(delta) <= stable) return "stable";
  return (delta > 0) === (higherIs === "better") ? "improved" : "deteriorated";
}

/** `results::year_pairs`: consecutive pairs, and first → last when there are more than two. */
export function yearPairs(n) {
  const pairs = [];
  for (let i = 1; i < n; i++) pairs.push([i - 1, i]);
  if (n > 2) pairs.push([0, n - 1]);
  return pairs;
}
