// Numbers as `scores.csv` writes them (src/output/mod.rs `fmt_f64`): the shortest decimal
// that reads back to the same double; positional between 1e-6 and 1e16 (Rust's `{}`),
// exponent form outside (Rust's `{:e}`: `1e300`, `1.5e-7`); -0 as `0`.
//
// JS finds the shortest digits as Rust does, but where two shortest candidates are exactly
// as close to the double (at 16-17 significant digits), JS takes the even one and Rust the
// larger: so for 16 digits and more, the candidates next to JS's are compared exactly (with
// BigInt) and the closest, ties to the larger, is taken.

/** The text of `v` in scores.csv. */
export function fmtF64(v) {
  if (Number.isNaN(v)) return "NaN";
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (a < 1e15 && Number.isInteger(v)) return String(v);
  const { digits, exp } = shortest(a);
  const sign = v < 0 ? "-" : "";
  if (a >= 1e-6 && a < 1e16) return sign + positional(digits, exp);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${exp}`;
}

/** Digits d₀d₁… and exponent e with a = d₀.d₁… × 10^e, shortest, Rust's choice among ties. */
export function shortest(a) {
  const [m, e] = a.toExponential().split("e");
  let digits = m.replace(".", "");
  const exp = Number(e);
  if (digits.length >= 16) digits = closest(a, digits, exp - (digits.length - 1));
  return { digits, exp };
}

/** Among s-1, s, s+1 (× 10^p) that read back to `a` with as many digits, the closest to `a`. */
function closest(a, digits, p) {
  const s = BigInt(digits);
  const { num, den } = exact(a);
  const pos = p >= 0 ? 10n ** BigInt(p) : 1n;
  const neg = p < 0 ? 10n ** BigInt(-p) : 1n;
  // |a - c·10^p| · den · neg, for comparing distances on one denominator.
  const dist = (c) => {
    const d = num * neg - c * pos * den;
    return d < 0n ? -d : d;
  };
  let best = s, bestDist = dist(s);
  for (const c of [s - 1n, s + 1n]) {
    const text = c.toString();
    if (text.length !== digits.length || text.endsWith("0")) continue;
    if (Number(`${text}e${p}`) !== a) continue;
    const d = dist(c);
    if (d < bestDist || (d === bestDist && c > best)) {
      best = c;
      bestDist = d;
    }
  }
  return best.toString();
}

/** A positive finite double as the exact fraction num / den (den a power of two). */
function exact(a) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2;
  if (biased === 0) {
    e2 = -1074;
  } else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  return e2 >= 0 ? { num: mant << BigInt(e2), den: 1n } : { num: mant, den: 1n << BigInt(-e2) };
}

/** Rust's `{}` layout of digits × 10^exp: no exponent, no trailing `.0`. */
function positional(digits, exp) {
  const n = digits.length;
  if (exp >= n - 1) return digits + "0".repeat(exp - (n - 1));
  if (exp >= 0) return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `0.${"0".repeat(-exp - 1)}${digits}`;
}
