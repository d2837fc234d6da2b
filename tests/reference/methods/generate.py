"""Writes the expected values of tests/data/methods-expected/ from the independent references
in this folder. Usage, from the repository root:

    python3 tests/reference/methods/generate.py [DATA] [OUT]

DATA: COINr's ASEM files (default tests/data/coinr-asem); OUT: default
tests/data/methods-expected. Deterministic: the only random draws (the imputation mask, the
robust-BoD draws) come from numpy's PCG64 with fixed seeds, and are written out as inputs.
"""
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aggregate as AG  # noqa: E402
import asem  # noqa: E402
import audit as AU  # noqa: E402
import impute as IM  # noqa: E402
import weights as WT  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else asem.DEFAULT_DATA
OUT = sys.argv[2] if len(sys.argv) > 2 else "tests/data/methods-expected"
f = asem.fmt


def write(name, header, rows):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([f(x) if isinstance(x, (float, np.floating)) else x for x in r])
    print("wrote", path, len(rows), "rows")


IND, AGG = asem.meta(DATA)
NODES = [a["code"] for a in sorted(AGG, key=lambda a: (a["level"], [x["code"] for x in AGG].index(a["code"])))]
PILLARS = [a["code"] for a in AGG if a["level"] == 2]
UNITS, YEARS, NORM = asem.normalised(DATA)
NOMINAL = asem.aggregate_mean(NORM, DATA)


def kids(node):
    return asem.children(node, DATA)


def matrix(values, node):
    return np.column_stack([values[c] for c in kids(node)])


# ============================================================== data-driven weights on ASEM

def fitted_run(method):
    """Every node's weights fitted by `method` bottom-up; node scores = weighted arithmetic
    mean over the children present with those weights."""
    vals = dict(NORM)
    out_w, details = {}, {}
    for node in NODES:
        X = matrix(vals, node)
        cc = WT.complete_cases(X)
        if method == "pca":
            w, d = WT.pca_weights(X)
        elif method == "entropy":
            w, d = WT.entropy_weights(X)
        elif method == "critic":
            w, d = WT.critic_weights(X)
        elif method == "optimised":
            w, d = WT.optimised_weights(X)
        details[node] = (d, cc.shape[0])
        for c, wi in zip(kids(node), w):
            out_w[c] = wi
        # score this node with the fitted weights
        Wm = np.array([out_w[c] for c in kids(node)])[None, :] * ~np.isnan(X)
        vals[node] = np.nansum(X * Wm, axis=1) / Wm.sum(axis=1)
    return out_w, details, vals


def weights_section():
    rows, scores, pca_rows, opt_rows = [], [], [], []
    for method in ("pca", "entropy", "critic", "optimised"):
        w, det, vals = fitted_run(method)
        for node in NODES:
            for c in kids(node):
                rows.append([method, node, c, w[c], det[node][1]])
            for i, u in enumerate(UNITS):
                scores.append([method, node, u, vals[node][i]])
        if method == "pca":
            for node in NODES:
                d, n = det[node]
                for j in range(d["factors"]):
                    for ci, c in enumerate(kids(node)):
                        pca_rows.append([node, d["factors"], j + 1, d["explained"][j], c,
                                         d["loadings"][ci, j] ** 2, d["scaled"][ci, j],
                                         int(d["factor_of"][ci] == j)])
        if method == "optimised":
            for node in NODES:
                d, n = det[node]
                for ci, c in enumerate(kids(node)):
                    opt_rows.append([node, c, d["targets"][ci], w[c], d["correlations"][ci],
                                     d["shares"][ci], d["objective"]])
    write("asem-weights.csv", ["method", "node", "child", "weight", "fit_cases"], rows)
    write("asem-weights-scores.csv", ["method", "node", "unit", "score"], scores)
    write("asem-pca-factors.csv", ["node", "factors", "factor", "explained", "child",
                                   "squared_loading", "scaled", "assigned"], pca_rows)
    write("asem-optimised.csv", ["node", "child", "target", "weight", "correlation", "share",
                                 "objective"], opt_rows)


# ============================================================== non-compensatory aggregation

def mpi_section():
    rows = []
    variants = {"paper": (True, "population"), "sample": (True, "sample"),
                "unstandardised": (False, "population")}
    for node in NODES:
        X = matrix(NOMINAL, node)
        for name, (std, sd) in variants.items():
            s, Z, M, S = AG.mpi(X, standardise=std, sd=sd)
            for i, u in enumerate(UNITS):
                rows.append([name, node, u, s[i], M[i], S[i]])
    write("asem-mpi.csv", ["variant", "node", "unit", "score", "mean", "sd"], rows)


def ampi_section():
    units, years, norm = asem.normalised(DATA, panel=True)
    nominal = asem.aggregate_mean(norm, DATA)
    ys = sorted(set(years))
    rows = []
    for node in NODES:
        X = np.column_stack([nominal[c] for c in kids(node)])
        byyear = {y: X[years == y] for y in ys}
        ref = np.nanmean(byyear[ys[0]], axis=0)
        res = AG.ampi(byyear, ref)
        for y in ys:
            s, R, M, S = res[y]
            for i, u in enumerate(np.array(units)[years == y]):
                rows.append([y, node, u, s[i], M[i], S[i]])
    write("asem-ampi.csv", ["year", "node", "unit", "score", "mean", "sd"], rows)


def bod_section():
    rows = []
    for node in NODES:
        X = matrix(NOMINAL, node)
        m = X.shape[1]
        for name, (lo, hi) in {"none": (None, None),
                               "shares": (np.full(m, 0.05), np.full(m, 0.5))}.items():
            s, W, sh = AG.bod(X, lo, hi)
            for i, u in enumerate(UNITS):
                dual = ""
                if name == "none" and not np.isnan(s[i]):
                    ok = ~np.isnan(X).any(axis=1)
                    dual = AG.bod_dual(X[i], X[ok])
                rows.append([name, node, u, s[i], dual])
    write("asem-bod.csv", ["restriction", "node", "unit", "score", "dual"], rows)


def copeland_section():
    rows = []
    for node in NODES:
        X = matrix(NOMINAL, node)
        pts, E = AG.copeland(X)
        complete = not np.isnan(X).any()
        co = AG.coinr_copeland(X) if complete else [np.nan] * len(pts)
        for i, u in enumerate(UNITS):
            rows.append([node, u, pts[i], co[i]])
    write("asem-copeland.csv", ["node", "unit", "score", "coinr"], rows)


# ============================================================== audit additions

def alpha_section():
    rows = []
    for node in NODES:
        X = matrix(NOMINAL, node)
        ac, nc = AU.alpha_complete(X)
        ap, npw = AU.alpha_pairwise(X)
        rows.append([node, X.shape[1], ac, nc, ap, npw])
    write("asem-alpha.csv", ["node", "k", "alpha_complete", "n_complete", "alpha_pairwise",
                             "n_pairwise_min"], rows)


def external_section():
    units, years, cols, _ = asem.raw(DATA)
    ext = {"GDP": cols["GDP"], "Population": cols["Population"],
           "GDPpc": cols["GDP"] / cols["Population"] * 1e6}
    inp = [[u, int(years[i]), k, ext[k][i]] for k in ext for i, u in enumerate(units)]
    write("asem-external-input.csv", ["unit", "year", "indicator", "value"], inp)
    rows = []
    for node in NODES:
        for k, x in ext.items():
            n, p, s = AU.external(NOMINAL[node], x)
            rows.append([2018, node, k, n, p, s])
    write("asem-external.csv", ["year", "node", "external", "n", "pearson", "spearman"], rows)


def influence_section():
    base = NOMINAL["Index"]
    r0 = asem.rank_min(base)
    rows, summ = [], []
    removable = [e["code"] for e in IND] + [a["code"] for a in AGG if a["code"] != "Index"]
    for code in removable:
        vals = asem.aggregate_mean(NORM, DATA, skip=[code])
        s = vals["Index"]
        r = asem.rank_min(s)
        ch = r0 - r
        for i, u in enumerate(UNITS):
            rows.append([code, u, s[i], r[i], ch[i]])
        ok = ~np.isnan(ch)
        level = next(e["level"] for e in IND + AGG if e["code"] == code)
        summ.append([code, level, int(ok.sum()), float(np.mean(np.abs(ch[ok]))),
                     float(np.max(np.abs(ch[ok])))])
    rows = [[c, u, s, int(r) if not np.isnan(r) else "", int(ch) if not np.isnan(ch) else ""]
            for c, u, s, r, ch in rows]
    write("asem-influence.csv", ["removed", "unit", "index_score", "index_rank", "rank_change"], rows)
    write("asem-influence-summary.csv", ["removed", "level", "n", "mean_abs_rank_change",
                                         "max_abs_rank_change"], summ)


# ============================================================== imputation

def raw_matrix():
    units, years, cols, groups = asem.raw(DATA)
    codes = [e["code"] for e in IND]
    return units, codes, np.column_stack([cols[c] for c in codes]), groups


REGRESSION = {  # target: declared predictors (complete for the units missing the target)
    "Flights": ["LPI", "Ship"], "ConSpeed": ["Cov4G", "LPI"], "Renew": ["PrimEner", "CO2"],
}


def impute_models(X, codes, units):
    """{method: imputed matrix}: em per pillar (siblings), knn (k = 5) on all indicators,
    regression for the declared targets."""
    out = {}
    em = X.copy()
    em_iters = {}
    for p in PILLARS:
        idx = [codes.index(c) for c in kids(p)]
        sub = X[:, idx]
        imp, d = IM.em_impute(sub)
        em[:, idx] = imp
        em_iters[p] = d["iterations"]
    out["em"] = em
    out["knn"], _ = IM.knn_impute(X, 5, codes=units)
    reg = np.full_like(X, np.nan)
    for t, preds in REGRESSION.items():
        col, beta, nfit = IM.regression_impute(X, codes.index(t), [codes.index(c) for c in preds])
        reg[:, codes.index(t)] = col
    out["regression"] = reg
    return out, em_iters


def impute_section():
    units, codes, X, groups = raw_matrix()
    models, iters = impute_models(X, codes, units)
    rows = []
    for method, M in models.items():
        for i, u in enumerate(units):
            for j, c in enumerate(codes):
                if np.isnan(X[i, j]) and not np.isnan(M[i, j]):
                    rows.append([method, 2018, u, c, M[i, j]])
    write("asem-impute.csv", ["method", "year", "unit", "indicator", "value"], rows)
    write("asem-impute-em-iterations.csv", ["node", "iterations_to_1e-13"],
          [[p, iters[p]] for p in PILLARS])

    # evaluation on a seeded mask: 10 % of each indicator's observed values (rounded), at
    # least 2 observed values kept
    rng = np.random.default_rng(20261201)
    mask = []
    Xm = X.copy()
    for j, c in enumerate(codes):
        obs = np.where(~np.isnan(X[:, j]))[0]
        k = min(int(np.floor(0.1 * len(obs) + 0.5)), len(obs) - 2)
        for i in sorted(rng.choice(obs, size=k, replace=False)):
            mask.append([units[i], 2018, c])
            Xm[i, j] = np.nan
    write("asem-imputation-mask.csv", ["unit", "year", "indicator"], mask)
    filled = {"mean": np.where(np.isnan(Xm), np.nanmean(Xm, axis=0), Xm)}
    g = np.array(groups["GDPpc_group"])
    gm = Xm.copy()
    for j in range(len(codes)):
        for i in np.where(np.isnan(Xm[:, j]))[0]:
            same = (g == g[i]) & ~np.isnan(Xm[:, j])
            if same.any():
                gm[i, j] = Xm[same, j].mean()
    filled["group_mean"] = gm
    models, _ = impute_models(Xm, codes, units)
    filled.update(models)
    rows = []
    for j, c in enumerate(codes):
        masked = [units.index(u) for u, _, cc in mask if cc == c]
        truth = X[masked, j]
        for method, M in filled.items():
            if method == "regression" and c not in REGRESSION:
                continue
            n, rmse, mae, r2 = IM.metrics(truth, M[masked, j])
            rows.append([2018, c, method, n, rmse, mae, r2])
    write("asem-imputation-eval.csv", ["year", "indicator", "method", "n_masked", "rmse", "mae", "r2"], rows)


if __name__ == "__main__":
    weights_section()
    mpi_section()
    ampi_section()
    bod_section()
    copeland_section()
    alpha_section()
    external_section()
    influence_section()
    impute_section()


# ============================================================== small hand-made cases

TAI = """country,patents,royalties,internet,exports,telephones,electricity,schooling,university
Finland,187,125.6,200.2,50.7,3.08,4.15,10,27.4
United States,289,130,179.1,66.2,3,4.07,12,13.9
Sweden,271,156.6,125.8,59.7,3.1,4.14,11.4,15.3
Japan,994,64.6,49,80.8,3,3.86,9.5,10
"Korea, Rep. of",779,9.8,4.8,66.7,2.97,3.65,10.8,23.2
Netherlands,189,151.2,136,50.9,3.02,3.77,9.4,9.5
United Kingdom,82,134,57.4,61.9,3.02,3.73,9.4,14.9
Canada,31,38.6,108,48.7,2.94,4.18,11.6,14.2
Australia,75,18.2,125.9,16.2,2.94,3.94,10.9,25.3
Singapore,8,25.5,72.3,74.9,2.95,3.83,7.1,24.2
Germany,235,36.8,41.2,64.2,2.94,3.75,10.2,14.4
Norway,103,20.2,193.6,19,3.12,4.39,11.9,11.2
Ireland,106,110.3,48.6,53.6,2.97,3.68,9.4,12.3
Belgium,72,73.9,58.9,47.6,2.91,3.86,9.3,13.6
New Zealand,103,13,146.7,15.4,2.86,3.91,11.7,13.1
Austria,165,14.8,84.2,50.3,2.99,3.79,8.4,13.6
France,205,33.6,36.4,58.9,2.97,3.8,7.9,12.6
Israel,74,43.6,43.2,45,2.96,3.74,9.6,11
Spain,42,8.6,21,53.4,2.86,3.62,7.3,15.6
Italy,13,9.8,30.4,51,3,3.65,7.2,13
Czech Republic,28,4.2,25,51.7,2.75,3.68,9.5,8.2
Hungary,26,6.2,21.6,63.5,2.73,3.46,9.1,7.7
Slovenia,105,4,20.3,49.5,2.84,3.71,7.1,10.6
"""

# 8 units × 4 children on [0, 100]
HAND_W = [("XAA", 80, 70, 20, 55), ("XAB", 60, 65, 35, 40), ("XAC", 30, 20, 90, 60),
          ("XAD", 50, 45, 60, 10), ("XAE", 90, 95, 10, 70), ("XAF", 20, 35, 75, 35),
          ("XAG", 70, 50, 40, 90), ("XAH", 40, 30, 55, 25)]
# 5 units × 4 children; XAE has one very low child (the MPI penalty case)
HAND_MPI = [("XAA", 60, 62, 58, 61), ("XAB", 40, 45, 42, 38), ("XAC", 75, 70, 80, 72),
            ("XAD", 55, 50, 52, 58), ("XAE", 78, 80, 76, 5)]
# 2 years × 4 units × 3 children (already normalised with panel bounds)
HAND_AMPI = [(2023, "XAA", 40, 50, 45), (2023, "XAB", 60, 55, 65), (2023, "XAC", 20, 30, 25),
             (2023, "XAD", 80, 10, 70), (2024, "XAA", 45, 55, 50), (2024, "XAB", 65, 60, 70),
             (2024, "XAC", 30, 35, 30), (2024, "XAD", 90, 15, 100)]
# BoD: XAA, XAB, XAC on the frontier; XAD and XAE inside it
HAND_BOD = [("XAA", 1, 4), ("XAB", 3, 3), ("XAC", 4, 1), ("XAD", 2, 2), ("XAE", 1, 1)]
HAND_BOD_ANALYTIC = {"none": [1, 1, 1, 2 / 3, 1 / 3], "shares 0.3-0.7": [40 / 57, 1, 40 / 57, 2 / 3, 1 / 3]}
# Copeland: ties between children and an exact majority tie (XAA vs XAB); XAE misses `a`
HAND_COP = [("XAA", 3, 2, 1), ("XAB", 3, 1, 2), ("XAC", 1, 1, 1), ("XAD", 2, 3, 1),
            ("XAE", None, 3, 3)]
# imputation: 10 units × 3 indicators
HAND_IMP = [("XAA", 1.0, 2.1, 3.2), ("XAB", 2.0, 3.9, None), ("XAC", 3.0, None, 7.1),
            ("XAD", 4.0, 8.2, 9.0), ("XAE", None, 9.8, 11.2), ("XAF", 6.0, 12.1, 12.8),
            ("XAG", 7.0, 13.8, None), ("XAH", 8.0, 16.3, 17.1), ("XAI", 9.0, None, 19.4),
            ("XAJ", 10.0, 19.9, 21.0)]


def hand_section():
    H = "hand/"
    # --- weights
    X = np.array([r[1:] for r in HAND_W], float)
    kids_ = ["a", "b", "c", "d"]
    write(H + "weights-input.csv", ["unit"] + kids_, [list(r) for r in HAND_W])
    rows = []
    for label, (w, d) in {"pca": WT.pca_weights(X), "pca factors=2": WT.pca_weights(X, factors=2),
                          "entropy": WT.entropy_weights(X), "critic": WT.critic_weights(X),
                          "optimised": WT.optimised_weights(X),
                          "optimised targets=2,1,1,1": WT.optimised_weights(X, [2, 1, 1, 1])}.items():
        extra = d.get("objective", "")
        for c, wi in zip(kids_, w):
            rows.append([label, c, wi, extra])
    write(H + "weights.csv", ["method", "child", "weight", "objective"], rows)
    # --- the Handbook's TAI example
    os.makedirs(os.path.join(OUT, "hand"), exist_ok=True)
    open(os.path.join(OUT, H + "tai-input.csv"), "w").write(TAI)
    rows_ = list(csv.reader(TAI.strip().splitlines()))
    T = np.array([[float(v) for v in r[1:]] for r in rows_[1:]])
    w, d = WT.pca_weights(T, factors=4)
    rows = [[c, w[i], int(d["factor_of"][i]) + 1, d["scaled"][i, d["factor_of"][i]]]
            for i, c in enumerate(rows_[0][1:])]
    write(H + "tai-weights.csv", ["child", "weight", "factor", "scaled_squared_loading"], rows)
    write(H + "tai-eigenvalues.csv", ["component", "eigenvalue", "share", "cumulative"],
          [[i + 1, e, e / 8, s] for i, (e, s) in enumerate(zip(d["eigenvalues"], np.cumsum(d["eigenvalues"]) / 8))])
    # --- MPI
    X = np.array([r[1:] for r in HAND_MPI], float)
    write(H + "mpi-input.csv", ["unit", "a", "b", "c", "d"], [list(r) for r in HAND_MPI])
    rows = []
    for name, (std, sd, hib) in {"paper": (True, "population", "better"),
                                 "sample": (True, "sample", "better"),
                                 "unstandardised": (False, "population", "better"),
                                 "paper higher_is=worse": (True, "population", "worse")}.items():
        s, Z, M, S = AG.mpi(X, standardise=std, sd=sd, higher_is=hib)
        for i, r in enumerate(HAND_MPI):
            rows.append([name, r[0], s[i], M[i], S[i], M[i] - s[i]])
    write(H + "mpi.csv", ["variant", "unit", "score", "mean", "sd", "penalty"], rows)
    # --- AMPI
    write(H + "ampi-input.csv", ["year", "unit", "a", "b", "c"], [list(r) for r in HAND_AMPI])
    by = {y: np.array([r[2:] for r in HAND_AMPI if r[0] == y], float) for y in (2023, 2024)}
    res = AG.ampi(by, by[2023].mean(axis=0))
    rows = []
    for y in (2023, 2024):
        s, R, M, S = res[y]
        for i, r in enumerate([r for r in HAND_AMPI if r[0] == y]):
            rows.append([y, r[1], s[i], M[i], S[i], M[i] - s[i]])
    write(H + "ampi.csv", ["year", "unit", "score", "mean", "sd", "penalty"], rows)
    # --- BoD
    X = np.array([r[1:] for r in HAND_BOD], float)
    write(H + "bod-input.csv", ["unit", "a", "b"], [list(r) for r in HAND_BOD])
    rows = []
    for name, (lo, hi) in {"none": (None, None), "shares 0.3-0.7": (np.full(2, 0.3), np.full(2, 0.7))}.items():
        s, W, sh = AG.bod(X, lo, hi)
        for i, r in enumerate(HAND_BOD):
            assert abs(s[i] - HAND_BOD_ANALYTIC[name][i]) < 1e-12, (name, r, s[i])
            rows.append([name, r[0], s[i], HAND_BOD_ANALYTIC[name][i]])
    write(H + "bod.csv", ["restriction", "unit", "score", "analytic"], rows)
    # --- robust BoD: given draws, and the exact expectation over every ordered draw of m = 3
    rng = np.random.default_rng(7)
    n, mdraw, B = len(HAND_BOD), 3, 4
    draws = {i: rng.integers(0, n, size=(B, mdraw)) for i in range(n)}
    rob, lam = AG.robust_bod_given_draws(X, draws)
    write(H + "robust-bod-draws.csv", ["unit", "draw", "drawn_units", "lambda"],
          [[HAND_BOD[i][0], b + 1, " ".join(HAND_BOD[j][0] for j in draws[i][b]), lam[i][b]]
           for i in range(n) for b in range(B)])
    import itertools
    allrows = np.array(list(itertools.product(range(n), repeat=mdraw)))
    _, lam_all = AG.robust_bod_given_draws(X, {i: allrows for i in range(n)})
    write(H + "robust-bod.csv", ["unit", "score_given_draws", "mean_lambda_exact", "sd_lambda_exact",
                                 "score_exact_expectation"],
          [[HAND_BOD[i][0], rob[i], lam_all[i].mean(), lam_all[i].std(), 1 / lam_all[i].mean()]
           for i in range(n)])
    # --- Copeland
    X = np.array([[np.nan if v is None else v for v in r[1:]] for r in HAND_COP], float)
    write(H + "copeland-input.csv", ["unit", "a", "b", "c"], [[r[0]] + ["" if v is None else v for v in r[1:]] for r in HAND_COP])
    rows = []
    for name, w in {"equal": None, "weights=2,1,1": [2, 1, 1]}.items():
        pts, E = AG.copeland(X, w)
        for i, r in enumerate(HAND_COP):
            rows.append([name, r[0], pts[i]] + [E[i, k] for k in range(len(HAND_COP))])
    write(H + "copeland.csv", ["weights", "unit", "score"] + ["e_vs_" + r[0] for r in HAND_COP], rows)
    # --- imputation
    X = np.array([[np.nan if v is None else v for v in r[1:]] for r in HAND_IMP], float)
    units = [r[0] for r in HAND_IMP]
    write(H + "impute-input.csv", ["unit", "x1", "x2", "x3"], [[r[0]] + ["" if v is None else v for v in r[1:]] for r in HAND_IMP])
    em, d = IM.em_impute(X)
    kn, used = IM.knn_impute(X, 2, codes=units)
    reg, beta, nfit = IM.regression_impute(X, 2, [0, 1])
    rows = []
    for i, u in enumerate(units):
        for j, c in enumerate(["x1", "x2", "x3"]):
            if np.isnan(X[i, j]):
                rows.append(["em", u, c, em[i, j], ""])
                rows.append(["knn k=2", u, c, kn[i, j], " ".join(units[v] for v in used[(i, j)])])
                if j == 2:
                    rows.append(["regression x3~x1+x2", u, c, reg[i], ""])
    write(H + "impute.csv", ["method", "unit", "indicator", "value", "donors"], rows)
    write(H + "impute-em-fit.csv", ["parameter", "value"],
          [["mu_" + c, d["mu"][j]] for j, c in enumerate(["x1", "x2", "x3"])] +
          [[f"sigma_{a}{b}", d["sigma"][i, j]] for i, a in enumerate("123") for j, b in enumerate("123")] +
          [["iterations_to_1e-13", d["iterations"]]])
    # --- alpha, pairwise vs complete
    A = np.array([[1, 2, 3], [2, 2, 4], [3, 5, 4], [4, 4, np.nan], [5, np.nan, 7], [6, 7, 8]], float)
    write(H + "alpha-input.csv", ["unit", "a", "b", "c"],
          [[f"XA{chr(65 + i)}"] + ["" if np.isnan(v) else v for v in r] for i, r in enumerate(A)])
    ac, nc = AU.alpha_complete(A)
    ap, npw = AU.alpha_pairwise(A)
    write(H + "alpha.csv", ["alpha_complete", "n_complete", "alpha_pairwise", "n_pairwise_min"], [[ac, nc, ap, npw]])


if __name__ == "__main__":
    hand_section()
