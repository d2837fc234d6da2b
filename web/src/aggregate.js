// Combining a node's present children: the JS twin of src/stages/aggregate.rs (`combine`,
// `power_mean`, `geometric`, `weighted_median`), operation for operation, so that the page's
// scores equal `gti compute`'s to the last bits wherever the two maths libraries agree
// (Math.pow and glibc's pow may differ by an ulp, ~1e-16 relative).
//
// Sums start at -0, as Rust's `Iterator::sum` of f64 does, so that even the sign of a zero
// score is the same.

/** Thrown when `gti compute` would stop with an error for this node and unit. */
export class AggregateError extends Error {}

const METHOD_NAMES = { geometric: "geometric", harmonic: "harmonic" };

/** Σ of `f(i)` for i in 0..n, from -0 as Rust's f64 `sum`. */
function sum(n, f) {
  let s = -0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

/** The message of the error for a negative child, or null (`neg` in combine). */
function negative(method, xs) {
  for (const x of xs) {
    if (x < 0) {
      const name = METHOD_NAMES[method] ?? "generalised";
      return `a child is negative (${rustDisplay(x)}): the ${name} mean is undefined`;
    }
  }
  return null;
}

// Rust's `{}` of a negative child in the message: the page only shows it, never compares
// it, so JS's shortest form is close enough here.
function rustDisplay(x) {
  return String(x);
}

/**
 * Combines present children `xs` with weights `ws` (both arrays, weights > 0); `wAll` is
 * the weight of all the node's children of positive weight. `agg` is {method, p}.
 * Throws AggregateError where `combine` returns Err.
 */
export function combine(agg, xs, ws, wAll) {
  const n = xs.length;
  const w = sum(n, (i) => ws[i]);
  const method = agg.method;
  switch (method) {
    case "arithmetic":
      return sum(n, (i) => ws[i] * xs[i]) / w;
    case "sum":
      return sum(n, (i) => ws[i] * xs[i]) * (wAll / w);
    case "min":
      return xs.reduce((m, x) => rustMin(m, x), Infinity);
    case "median":
      return weightedMedian(xs, ws);
    case "geometric":
      return geometricBranch(method, xs, ws, w);
    case "harmonic": {
      const bad = negative(method, xs);
      if (bad) throw new AggregateError(bad);
      if (xs.some((x) => x === 0)) return 0;
      return w / sum(n, (i) => ws[i] / xs[i]);
    }
    case "generalised": {
      const p = agg.p;
      if (p === 0) return geometricBranch(method, xs, ws, w);
      const bad = negative(method, xs);
      if (bad) throw new AggregateError(bad);
      if (p < 0 && xs.some((x) => x === 0)) return 0;
      return powerMean(xs, ws, w, p);
    }
    default:
      throw new Error(`unknown aggregation method ${method}`);
  }
}

function geometricBranch(method, xs, ws, w) {
  const bad = negative(method === "generalised" ? "generalised" : "geometric", xs);
  if (bad) throw new AggregateError(bad);
  if (xs.some((x) => x === 0)) return 0;
  return geometric(xs, ws, w);
}

/** f64::min: NaN-ignoring minimum (no NaN reaches it here). */
function rustMin(a, b) {
  return b < a ? b : a;
}

/** f64::max as used by `fold(0.0, f64::max)`. */
function rustMax(a, b) {
  return b > a ? b : a;
}

/** (Π xᵢ^wᵢ)^(1/W), through logs only when the product over- or underflows. */
export function geometric(xs, ws, w) {
  let p = 1;
  for (let i = 0; i < xs.length; i++) p *= Math.pow(xs[i], ws[i]);
  if (Number.isFinite(p) && p > 0) return Math.pow(p, 1 / w);
  return Math.exp(sum(xs.length, (i) => ws[i] * Math.log(xs[i])) / w);
}

/** m · (Σ wᵢ (xᵢ/m)^p / W)^(1/p), m the largest child for p > 0, the smallest for p < 0. */
export function powerMean(xs, ws, w, p) {
  const m = p > 0 ? xs.reduce(rustMax, 0) : xs.reduce(rustMin, Infinity);
  if (m === 0) return 0;
  return m * Math.pow(sum(xs.length, (i) => ws[i] * Math.pow(xs[i] / m, p)) / w, 1 / p);
}

/** f64::total_cmp for the finite values and zeros that reach it (-0 before +0). */
export function totalCmp(a, b) {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === 0 && b === 0) {
    const sa = Object.is(a, -0), sb = Object.is(b, -0);
    return sa === sb ? 0 : sa ? -1 : 1;
  }
  return 0;
}

/**
 * The weighted median: the smallest sorted value whose cumulative weight reaches W/2,
 * averaged with the next value of positive weight when it reaches exactly W/2.
 */
export function weightedMedian(xs, ws) {
  const s = xs.map((x, i) => [x, ws[i]]);
  s.sort((a, b) => totalCmp(a[0], b[0])); // stable, as Rust's sort_by
  const half = sum(s.length, (i) => s[i][1]) / 2;
  let cum = 0;
  for (let i = 0; i < s.length; i++) {
    const [x, w] = s[i];
    cum += w;
    if (Math.abs(cum - half) <= 1e-12 * Math.max(half, 1)) {
      const next = s.slice(i + 1).find((q) => q[1] > 0);
      return (x + (next ? next[0] : x)) / 2;
    }
    if (cum > half) return x;
  }
  return s.length ? s[s.length - 1][0] : NaN;
}

/** `finite`: a score that is not a finite number is an error, never a score. */
export function finite(score) {
  if (Number.isFinite(score)) return score;
  const shown = Number.isNaN(score) ? "NaN" : score > 0 ? "inf" : "-inf";
  throw new AggregateError(`the mean is ${shown}: the values or weights are too large for f64 arithmetic`);
}
