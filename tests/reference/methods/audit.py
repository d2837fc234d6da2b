"""Audit additions: Cronbach's alpha (complete cases, and pairwise as COINr's get_cronbach),
correlations with external indicators, and influence (remove one element, renormalise,
re-rank). Independent reference (numpy/scipy), written from the formulas in docs/methods.md
and COINr's documented get_cronbach, not from gti's code."""
import numpy as np
from scipy import stats


def alpha_complete(X):
    """k/(k − 1)·(1 − Σ var(c_i)/var(Σ c_i)) over complete cases, n − 1 variances.
    Returns (alpha, n)."""
    X = np.asarray(X, float)
    C = X[~np.isnan(X).any(axis=1)]
    k = X.shape[1]
    a = k / (k - 1) * (1 - C.var(axis=0, ddof=1).sum() / C.sum(axis=1).var(ddof=1))
    return float(a), C.shape[0]


def pairwise_cov(X):
    """R's cov(use = "pairwise.complete.obs"): each entry over the rows where both columns are
    present, with those rows' own means and n − 1. Returns (cov, counts)."""
    X = np.asarray(X, float)
    k = X.shape[1]
    V = np.full((k, k), np.nan)
    N = np.zeros((k, k), int)
    for i in range(k):
        for j in range(i, k):
            m = ~np.isnan(X[:, i]) & ~np.isnan(X[:, j])
            N[i, j] = N[j, i] = m.sum()
            if m.sum() >= 2:
                a, b = X[m, i], X[m, j]
                V[i, j] = V[j, i] = ((a - a.mean()) * (b - b.mean())).sum() / (m.sum() - 1)
    return V, N


def alpha_pairwise(X):
    """COINr 1.1.14 get_cronbach: C = cov(pairwise); α = k²·mean(off-diagonal C)/sum(C)
    (= k/(k − 1)·(1 − tr C / ΣC)). Returns (alpha, smallest pairwise n)."""
    V, N = pairwise_cov(X)
    k = V.shape[0]
    total = np.nansum(V)
    off = (total - np.nansum(np.diag(V))) / (k * (k - 1))
    return float(k * k * off / total), int(N[np.triu_indices(k, 1)].min())


def external(x, y):
    """Pearson and Spearman (average ranks for ties) over the units present in both; n."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    m = ~np.isnan(x) & ~np.isnan(y)
    n = int(m.sum())
    if n < 3 or np.ptp(x[m]) == 0 or np.ptp(y[m]) == 0:
        return n, np.nan, np.nan
    return n, float(stats.pearsonr(x[m], y[m])[0]), float(stats.spearmanr(x[m], y[m])[0])
