"""COINr's ASEM example, read and normalised independently of gti (min-max onto [0, 100] over
the units present, direction applied by negating first, as COINr's `n_minmax` and gti's
`minmax` document), and its framework (parents, weights) from iMeta.

Written from the documented formulas (docs/methods.md, COINr's documentation), not from gti's
code. Every function takes the data folder (default tests/data/coinr-asem).
"""
import csv
import os
import numpy as np

DEFAULT_DATA = "tests/data/coinr-asem"


def data_dir(path=None):
    return path or os.environ.get("ASEM_DATA", DEFAULT_DATA)


def _num(s):
    return np.nan if s in ("NA", "") else float(s)


def meta(path=None):
    """(indicators, aggregates): lists of dicts with code, parent, weight, direction, level."""
    rows = list(csv.DictReader(open(os.path.join(data_dir(path), "ASEM_iMeta.csv"))))
    out = {"Indicator": [], "Aggregate": []}
    for r in rows:
        if r["Type"] in out:
            out[r["Type"]].append({
                "code": r["iCode"],
                "parent": None if r["Parent"] in ("NA", "") else r["Parent"],
                "weight": float(r["Weight"]),
                "direction": float(r["Direction"]) if r["Direction"] not in ("NA", "") else 1.0,
                "level": int(r["Level"]),
            })
    return out["Indicator"], out["Aggregate"]


def children(code, path=None):
    ind, agg = meta(path)
    return [e["code"] for e in ind + agg if e["parent"] == code]


def raw(path=None, panel=False):
    """(units, years, {code: array over rows}) with rows = (unit, year) in file order, and the
    extra columns (denominators, groups) as strings or numbers."""
    f = "ASEM_iData_p.csv" if panel else "ASEM_iData.csv"
    rows = list(csv.DictReader(open(os.path.join(data_dir(path), f))))
    units = [r["uCode"] for r in rows]
    years = [int(r["Time"]) if "Time" in r and r["Time"] not in ("NA", "") else 2018 for r in rows]
    cols = {}
    for k in rows[0]:
        if k in ("uName", "uCode", "Time") or k.endswith("_group"):
            continue
        cols[k] = np.array([_num(r[k]) for r in rows])
    groups = {k: [r[k] for r in rows] for k in rows[0] if k.endswith("_group")}
    return units, np.array(years), cols, groups


def minmax(x, lo=0.0, hi=100.0):
    """(x − min)/(max − min)·(hi − lo) + lo over the values present; NaN stays NaN."""
    mn, mx = np.nanmin(x), np.nanmax(x)
    return (x - mn) / (mx - mn) * (hi - lo) + lo


def normalised(path=None, panel=False, pooled=None):
    """Normalised indicators. Single year: per year. Panel: pooled over all years unless
    pooled=False (what `gti import coinr` writes: bounds = "panel" for several years)."""
    units, years, cols, _ = raw(path, panel)
    ind, _ = meta(path)
    if pooled is None:
        pooled = panel
    out = {}
    for e in ind:
        x = e["direction"] * cols[e["code"]]
        if pooled:
            out[e["code"]] = minmax(x)
        else:
            y = np.full_like(x, np.nan)
            for t in np.unique(years):
                m = years == t
                y[m] = minmax(x[m])
            out[e["code"]] = y
    return units, years, out


def aggregate_mean(values, path=None, weights=None, skip=()):
    """Weighted arithmetic mean over the children present, bottom-up (COINr a_amean, gti
    `arithmetic`, min_coverage = 0). `weights` overrides iMeta weights by code; codes in
    `skip` get weight 0 (removed). Returns a new dict with every node added."""
    ind, agg = meta(path)
    w = {e["code"]: e["weight"] for e in ind + agg}
    if weights:
        w.update(weights)
    for c in skip:
        w[c] = 0.0
    vals = dict(values)
    for level in sorted({a["level"] for a in agg}):
        for a in [a for a in agg if a["level"] == level]:
            kids = [e["code"] for e in ind + agg if e["parent"] == a["code"] and w[e["code"]] > 0]
            n = len(next(iter(values.values())))
            if not kids:
                vals[a["code"]] = np.full(n, np.nan)
                continue
            X = np.vstack([vals[k] for k in kids])
            W = np.array([w[k] for k in kids])[:, None] * ~np.isnan(X)
            num = np.nansum(X * W, axis=0)
            den = W.sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                vals[a["code"]] = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return vals


def rank_min(scores, higher_better=True, tol=1e-9):
    """gti's rank rule: sort, a score within `tol` of the first score of the current tie group
    joins it, the group takes the lowest rank; missing → NaN."""
    s = np.asarray(scores, float)
    idx = [i for i in range(len(s)) if not np.isnan(s[i])]
    idx.sort(key=lambda i: -s[i] if higher_better else s[i])
    r = np.full(len(s), np.nan)
    first = None
    for pos, i in enumerate(idx):
        if first is None or abs(s[i] - s[first]) >= tol:
            first, rank = i, pos + 1
        r[i] = rank
    return r


def fmt(v):
    """Shortest round-trip decimal, empty for missing."""
    if v is None:
        return ""
    v = float(v)
    if np.isnan(v):
        return ""
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(v)
