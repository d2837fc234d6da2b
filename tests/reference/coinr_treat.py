"""Independent re-implementation of COINr 1.1.14's default Treat() (R/treat.R), run once on the
ASEM data to produce the expected list for gti's tests. Plain Python floats, written from the
rule as COINr documents and applies it (no COINr code copied): the check (|skew| < 2 or
kurtosis < 3.5, e1071 type-2 statistics), winsorising the skewed side up to winmax = 5 with
ties together, else log(x - min + 0.01 (max - min)) of the original values."""
import csv, math, sys

def skew(x):
    n = len(x); m = sum(x) / n; d = [v - m for v in x]
    s2 = sum(v * v for v in d); s3 = sum(v ** 3 for v in d)
    y = math.sqrt(n) * s3 / (s2 ** 1.5)
    return y * math.sqrt(n * (n - 1)) / (n - 2)

def kurt(x):
    n = len(x); m = sum(x) / n; d = [v - m for v in x]
    s2 = sum(v * v for v in d); s4 = sum(v ** 4 for v in d)
    r = n * s4 / (s2 ** 2)
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))

def passes(x, st=2.0, kt=3.5):
    pres = [v for v in x if v is not None]
    return abs(skew(pres)) < st or kurt(pres) < kt

def winsorise(x, winmax=5):
    x = list(x); imax = []; imin = []; nwin = 0
    passing = passes(x)
    while (not passing) and nwin < winmax:
        pres = [v for v in x if v is not None]
        if skew(pres) >= 0:
            mx = max(pres)
            imax = [i for i, v in enumerate(x) if v is not None and v == mx]
            nxt = max(v for i, v in enumerate(x) if v is not None and i not in imax)
            for i in imax: x[i] = nxt
        else:
            mn = min(pres)
            imin = [i for i, v in enumerate(x) if v is not None and v == mn]
            nxt = min(v for i, v in enumerate(x) if v is not None and i not in imin)
            for i in imin: x[i] = nxt
        nwin = len(imax) + len(imin)
        passing = passes(x)
    return x, imax, imin, passing

def log_ct(x):
    pres = [v for v in x if v is not None]
    lo, hi = min(pres), max(pres)
    return [None if v is None else math.log(v - lo + 0.01 * (hi - lo)) for v in x]

def main(idata, imeta, winmax=5):
    meta = list(csv.DictReader(open(imeta)))
    inds = [m["iCode"] for m in meta if m["Type"] == "Indicator"]
    rows = list(csv.DictReader(open(idata)))
    units = [r["uCode"] for r in rows]
    for code in inds:
        x = [None if r[code] == "NA" else float(r[code]) for r in rows]
        pres = [v for v in x if v is not None]
        sk0, kt0 = skew(pres), kurt(pres)
        if passes(x):
            continue
        w, imax, imin, ok = winsorise(x, winmax)
        if ok:
            hi = sorted(units[i] for i in imax); lo = sorted(units[i] for i in imin)
            wp = [v for v in w if v is not None]
            print(f"WIN {code} n={len(imax)+len(imin)} high={hi} low={lo} skew0={sk0!r} kurt0={kt0!r} skew1={skew(wp)!r} kurt1={kurt(wp)!r}")
            for i in sorted(imax + imin):
                print(f"   {units[i]} {x[i]!r} -> {w[i]!r}")
        else:
            l = log_ct(x)
            lp = [v for v in l if v is not None]
            print(f"LOG {code} npts={len(lp)} skew0={sk0!r} kurt0={kt0!r} triedwin={len(imax)+len(imin)} logskew={skew(lp)!r} logkurt={kurt(lp)!r}")
            for u, v0, v in list(zip(units, x, l))[:3]:
                print(f"   {u} {v0!r} -> {v!r}")

if __name__ == "__main__":
    # python3 tests/reference/coinr_treat.py tests/data/coinr-asem/ASEM_iData.csv \
    #     tests/data/coinr-asem/ASEM_iMeta.csv [WINMAX]   (from the repository root)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
