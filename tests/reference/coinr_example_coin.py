"""Independent re-computation of COINr 1.1.14's `build_example_coin()` (R/examples.R) on the
vendored ASEM tables, run once to write tests/data/coinr-asem/expected/example-coin/. Plain
Python floats, written from COINr's documented steps, sharing no code with gti:

1. Denominate(dset = "Raw"): each indicator with a `Denominator` in iMeta (17 of them) divided
   by that column of iData (COINr: x / denominator, ScaleFactor 1).
2. Impute(f_i = "i_mean_grp", use_group = "EurAsia_group"): a missing value becomes the mean of
   the present values of its indicator within the unit's EurAsia_group.
3. Screen(dat_thresh = 0.9, unit_screen = "byNA"), on the imputed data: a unit with less than
   90 % of its indicators present is dropped (none is, after imputation: checked below).
4. Treat(global_specs = list(f1_para = list(winmax = 5))): COINr's default treatment, as
   re-implemented in coinr_treat.py (skew/kurtosis check, winsorise up to 5 points, else
   log_CT of the original values).
5. Normalise(n_minmax, l_u = c(0, 100)), direction applied by multiplying first.
6. Aggregate(a_amean): weighted mean of the children present, iMeta weights rescaled among
   them, level by level (pillars, sub-indices, Index).

Usage, from the repository root:
    python3 tests/reference/coinr_example_coin.py tests/data/coinr-asem \
        tests/data/coinr-asem/expected/example-coin
Writes treated.csv (the Treated data set) and aggregated.csv (normalised indicators and every
aggregate), one row per unit, numbers as repr() of the double (shortest round-trip), NA for
missing.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coinr_treat import passes, winsorise, log_ct  # noqa: E402


def num(s):
    return None if s == "NA" else float(s)


def denominate(rows, meta):
    for m in meta:
        den = m["Denominator"]
        if m["Type"] != "Indicator" or den in ("", "NA"):
            continue
        for r in rows:
            x, d = r[m["iCode"]], num(r[den])
            r[m["iCode"]] = None if x is None or d is None else x / d


def impute_group_mean(rows, inds, group="EurAsia_group"):
    for code in inds:
        groups = {}
        for r in rows:
            if r[code] is not None:
                groups.setdefault(r[group], []).append(r[code])
        means = {g: sum(v) / len(v) for g, v in groups.items()}
        for r in rows:
            if r[code] is None:
                r[code] = means.get(r[group])


def screen(rows, inds, thresh=0.9):
    kept = [r for r in rows if sum(r[c] is not None for c in inds) / len(inds) >= thresh]
    dropped = sorted(r["uCode"] for r in rows if r not in kept)
    print(f"screen: {len(kept)} units kept, dropped {dropped}", file=sys.stderr)
    return kept


def treat(rows, inds, winmax=5):
    for code in inds:
        x = [r[code] for r in rows]
        if passes(x):
            continue
        w, _, _, ok = winsorise(x, winmax)
        new = w if ok else log_ct(x)
        print(f"treat: {code} {'winsorised' if ok else 'log_CT'}", file=sys.stderr)
        for r, v in zip(rows, new):
            r[code] = v


def minmax(rows, meta, inds):
    direction = {m["iCode"]: float(m["Direction"]) for m in meta if m["Type"] == "Indicator"}
    out = []
    for r in rows:
        out.append({"uCode": r["uCode"]})
    for code in inds:
        x = [None if r[code] is None else r[code] * direction[code] for r in rows]
        pres = [v for v in x if v is not None]
        lo, hi = min(pres), max(pres)
        for o, v in zip(out, x):
            o[code] = None if v is None else (v - lo) / (hi - lo) * (100 - 0) + 0
    return out


def aggregate(norm, meta):
    for level in (2, 3, 4):
        for m in meta:
            if m["Type"] != "Aggregate" or int(m["Level"]) != level:
                continue
            kids = [(k["iCode"], float(k["Weight"])) for k in meta if k["Parent"] == m["iCode"]]
            for o in norm:
                pres = [(o[c], w) for c, w in kids if o[c] is not None]
                tot = sum(w for _, w in pres)
                o[m["iCode"]] = sum(w / tot * v for v, w in pres) if pres else None
    return norm


def write(path, table, cols):
    with open(path, "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["uCode"] + cols)
        for o in table:
            wr.writerow([o["uCode"]] + ["NA" if o[c] is None else repr(o[c]) for c in cols])


def main(asem, out):
    meta = list(csv.DictReader(open(os.path.join(asem, "ASEM_iMeta.csv"))))
    inds = [m["iCode"] for m in meta if m["Type"] == "Indicator"]
    rows = list(csv.DictReader(open(os.path.join(asem, "ASEM_iData.csv"))))
    for r in rows:
        for c in inds:
            r[c] = num(r[c])
    denominate(rows, meta)
    impute_group_mean(rows, inds)
    rows = screen(rows, inds)
    treat(rows, inds)
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "treated.csv"), rows, inds)
    table = aggregate(minmax(rows, meta, inds), meta)
    aggs = [m["iCode"] for m in meta if m["Type"] == "Aggregate"]
    write(os.path.join(out, "aggregated.csv"), table, inds + aggs)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
