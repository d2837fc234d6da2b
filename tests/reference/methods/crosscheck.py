"""Cross-checks of the expected values against other implementations: R (run
crosscheck.R first), scikit-learn's KNNImputer, a direct likelihood maximisation for EM, the
LP dual for BoD. Prints the largest differences. Usage, from the repository root:

    Rscript tests/reference/methods/crosscheck.R tests/data/coinr-asem /tmp/rx tests/data/methods-expected
    python3 tests/reference/methods/crosscheck.py tests/data/coinr-asem /tmp/rx tests/data/methods-expected
"""
import csv
import os
import sys

import numpy as np
from sklearn.impute import KNNImputer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import asem  # noqa: E402
import impute as IM  # noqa: E402
import weights as WT  # noqa: E402

DATA, RX, EXP = (sys.argv[1:4] + [None] * 3)[:3]
DATA = DATA or asem.DEFAULT_DATA
RX = RX or "/tmp/rx"
EXP = EXP or "tests/data/methods-expected"


def rd(path):
    return list(csv.DictReader(open(path)))


def num(s):
    return np.nan if s in ("", "NA") else float(s)


def report(name, diffs):
    d = np.array([x for x in diffs if not np.isnan(x)])
    print(f"{name:<48} n={len(d):<5} max |diff| = {d.max() if len(d) else float('nan'):.3g}")


U, Y, N = asem.normalised(DATA)
A = asem.aggregate_mean(N, DATA)
_, AGG = asem.meta(DATA)



def node_weight_diffs(fn, other):
    """|w − other[(node, child)]| with w = fn(children) on every node's nominal children."""
    diffs = []
    for a in AGG:
        kids = asem.children(a["code"], DATA)
        w, _ = fn(np.column_stack([A[c] for c in kids]))
        diffs += [abs(wi - other[(a["code"], c)]) for c, wi in zip(kids, w)]
    return diffs


# --- R: PCA weights on the nominal children
for f, label in (("pca.csv", "R psych + stats::varimax to a fixpoint"),
                 ("pca-gpa.csv", "R GPArotation::Varimax (eps 1e-7)")):
    other = {(r["node"], r["child"]): num(r["weight"]) for r in rd(os.path.join(RX, f))}
    report("pca weights vs " + label, node_weight_diffs(WT.pca_weights, other))
tw = {r["child"]: num(r["weight"]) for r in rd(os.path.join(RX, "tai-weights.csv"))}
report("TAI pca weights (4 factors) vs R", [abs(num(r["weight"]) - tw[r["child"]])
                                              for r in rd(os.path.join(EXP, "hand/tai-weights.csv"))])

# --- R: BoD by lpSolve
rb = {(r["restriction"], r["node"], r["unit"]): num(r["score"]) for r in rd(os.path.join(RX, "bod.csv"))}
report("bod scores vs R lpSolve", [abs(num(r["score"]) - rb[(r["restriction"], r["node"], r["unit"])])
                                   for r in rd(os.path.join(EXP, "asem-bod.csv"))])
report("bod scores vs the LP dual", [abs(num(r["score"]) - num(r["dual"]))
                                     for r in rd(os.path.join(EXP, "asem-bod.csv")) if r["dual"]])

# --- R: alpha (COINr's formula), correlations, regression
ra = {r["node"]: r for r in rd(os.path.join(RX, "alpha.csv"))}
ex = rd(os.path.join(EXP, "asem-alpha.csv"))
report("alpha complete vs R", [abs(num(r["alpha_complete"]) - num(ra[r["node"]]["alpha_complete"])) for r in ex])
report("alpha pairwise vs R (COINr get_cronbach code)", [abs(num(r["alpha_pairwise"]) - num(ra[r["node"]]["alpha_pairwise"])) for r in ex])
re_ = {(r["node"], r["external"]): r for r in rd(os.path.join(RX, "external.csv"))}
ex = rd(os.path.join(EXP, "asem-external.csv"))
report("external pearson vs R cor", [abs(num(r["pearson"]) - num(re_[(r["node"], r["external"])]["pearson"])) for r in ex])
report("external spearman vs R cor", [abs(num(r["spearman"]) - num(re_[(r["node"], r["external"])]["spearman"])) for r in ex])
report("external n vs R", [abs(num(r["n"]) - num(re_[(r["node"], r["external"])]["n"])) for r in ex])
rr = {(r["unit"], r["indicator"]): num(r["value"]) for r in rd(os.path.join(RX, "regression.csv"))}
ex = [r for r in rd(os.path.join(EXP, "asem-impute.csv")) if r["method"] == "regression"]
report("regression imputation vs R lm", [abs(num(r["value"]) - rr[(r["unit"], r["indicator"])]) for r in ex])
print("  (regression rows: python", len(ex), "R", len(rr), ")")

# --- R: MPI, Copeland (COINr's definition), influence
rm = {(r["variant"], r["node"], r["unit"]): num(r["score"]) for r in rd(os.path.join(RX, "mpi.csv"))}
report("mpi (complete nodes) vs R", [abs(num(r["score"]) - rm[k]) for r in rd(os.path.join(EXP, "asem-mpi.csv"))
                                     if (k := (r["variant"], r["node"], r["unit"])) in rm])
rc = {(r["node"], r["unit"]): num(r["coinr"]) for r in rd(os.path.join(RX, "copeland.csv"))}
report("copeland 2s − (n − 1) vs R (COINr's definition)", [abs(num(r["coinr"]) - rc[k]) for r in rd(os.path.join(EXP, "asem-copeland.csv"))
                                                          if (k := (r["node"], r["unit"])) in rc])
ri = {r["removed"]: r for r in rd(os.path.join(RX, "influence.csv"))}
ex = rd(os.path.join(EXP, "asem-influence-summary.csv"))
report("influence mean |rank change| vs R (exact ties)", [abs(num(r["mean_abs_rank_change"]) - num(ri[r["removed"]]["mean_abs_rank_change"])) for r in ex])
report("influence max |rank change| vs R", [abs(num(r["max_abs_rank_change"]) - num(ri[r["removed"]]["max_abs_rank_change"])) for r in ex])

# --- R: entropy and CRITIC weights on the nominal children, AMPI on the panel
rec = {(r["method"], r["node"], r["child"]): num(r["weight"]) for r in rd(os.path.join(RX, "entropy-critic.csv"))}
for meth, fn in (("entropy", WT.entropy_weights), ("critic", WT.critic_weights)):
    other = {(n, c): w for (m_, n, c), w in rec.items() if m_ == meth}
    report(f"{meth} weights vs R (from the formulas)", node_weight_diffs(fn, other))
rap = {(r["year"], r["node"], r["unit"]): num(r["score"]) for r in rd(os.path.join(RX, "ampi.csv"))}
report("ampi (panel) vs R (from the formulas)", [abs(num(r["score"]) - rap[(r["year"], r["node"], r["unit"])])
                                                for r in rd(os.path.join(EXP, "asem-ampi.csv"))])

# --- scikit-learn KNNImputer (nan_euclidean on the standardised columns, uniform weights)
units, years, cols, _ = asem.raw(DATA)
codes = [e["code"] for e in asem.meta(DATA)[0]]
X = np.column_stack([cols[c] for c in codes])
Z = IM.standardise(X)
mu, sd = np.nanmean(X, axis=0), np.nanstd(X, axis=0, ddof=1)
sk = KNNImputer(n_neighbors=5).fit_transform(Z) * sd + mu
ex = [r for r in rd(os.path.join(EXP, "asem-impute.csv")) if r["method"] == "knn"]
report("knn imputation vs scikit-learn KNNImputer", [abs(num(r["value"]) - sk[units.index(r["unit"]), codes.index(r["indicator"])]) for r in ex])

# --- EM against a direct maximisation of the observed-data likelihood
H = np.array([[num(v) for v in list(r.values())[1:]] for r in rd(os.path.join(EXP, "hand/impute-input.csv"))])
mu, S, _ = IM.em_mvn(H)
mu2, S2 = IM.mle_direct(H, np.nanmean(H, axis=0), np.diag(np.nanvar(H, axis=0)))
report("EM (hand case) mu, Sigma vs direct MLE", list(np.abs(mu - mu2)) + list(np.abs(S - S2).ravel()))
print("  log-likelihood at EM − at direct MLE: %.3g (≥ 0: EM's fixed point is at least as good)"
      % (IM.observed_loglik(H, mu, S) - IM.observed_loglik(H, mu2, S2)))
for p in ("Political", "Environ"):
    idx = [codes.index(c) for c in asem.children(p, DATA)]
    mu, S, _ = IM.em_mvn(X[:, idx])
    mu2, S2 = IM.mle_direct(X[:, idx], mu * 1.01, S * 1.1)
    report(f"EM ({p}) mu, Sigma vs direct MLE (relative)",
           list(np.abs(mu - mu2) / np.abs(mu)) + list((np.abs(S - S2) / np.sqrt(np.outer(np.diag(S), np.diag(S)))).ravel()))
    print("  log-likelihood at EM − at direct MLE: %.3g" % (IM.observed_loglik(X[:, idx], mu, S) - IM.observed_loglik(X[:, idx], mu2, S2)))
