"""Data-driven weights for one node's children: `pca` (alias `factor`), `entropy`, `critic`,
`optimised`. Independent reference (numpy/scipy), written from the formulas in
docs/methods.md ("Data-driven weights") and the papers cited there, not from gti's code.

Every function takes X: an n × m array (units × children, complete cases, no constant child)
and returns the m weights, summing to 1, plus details.
"""
import numpy as np
from scipy import optimize


def complete_cases(X):
    X = np.asarray(X, float)
    return X[~np.isnan(X).any(axis=1)]


# ---------------------------------------------------------------- pca / factor (NSB 2000)

def varimax(L, tol=1e-15, max_iter=100000):
    """Kaiser's varimax with Kaiser (row) normalisation, by the SVD iteration of Kaiser (1958)
    as in R's stats::varimax, but stopped when no entry of the rotation matrix moves by more
    than `tol` (R stops on the criterion, whose change is second order in the angle: at
    eps = 1e-14 the weights are still ~5e-9 off). Returns (rotated loadings, rotation,
    iterations)."""
    p, k = L.shape
    if k < 2:
        return L.copy(), np.eye(k), 0
    h = np.sqrt((L ** 2).sum(axis=1))
    A = L / h[:, None]
    T = np.eye(k)
    for it in range(1, max_iter + 1):
        Z = A @ T
        B = A.T @ (Z ** 3 - Z @ np.diag((Z ** 2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(B)
        T_new = u @ vt
        done = np.max(np.abs(T_new - T)) < tol
        T = T_new
        if done:
            break
    return (A @ T) * h[:, None], T, it


def retained(eig, m, min_eigenvalue=1.0, min_cumulative=0.6):
    """k = max(#{λ > min_eigenvalue}, smallest k whose cumulative share ≥ min_cumulative), ≥ 1."""
    k1 = int((eig > min_eigenvalue).sum())
    cum = np.cumsum(eig) / m
    k2 = int(np.argmax(cum >= min_cumulative - 1e-12)) + 1
    return max(k1, k2, 1)


def pca_weights(X, factors=None, min_eigenvalue=1.0, min_cumulative=0.6):
    X = complete_cases(X)
    m = X.shape[1]
    if m == 1:
        return np.ones(1), {}
    R = np.corrcoef(X, rowvar=False)
    eig, vec = np.linalg.eigh(R)
    order = np.argsort(eig)[::-1]
    eig, vec = eig[order], vec[:, order]
    k = factors or retained(eig, m, min_eigenvalue, min_cumulative)
    L = vec[:, :k] * np.sqrt(np.maximum(eig[:k], 0))
    Lr, T, iters = varimax(L)
    V = (Lr ** 2).sum(axis=0)                      # variance explained by each rotated factor
    order = np.argsort(-V, kind="stable")           # factors by explained variance
    Lr, V = Lr[:, order], V[order]
    S = Lr ** 2 / V                                 # squared loadings scaled to unity sum
    j = np.argmax(S, axis=1)                        # each child's factor (first on a tie)
    raw = (V[j] / V.sum()) * S[np.arange(m), j]
    w = raw / raw.sum()
    return w, {"eigenvalues": eig, "factors": k, "loadings": Lr, "explained": V,
               "scaled": S, "factor_of": j, "iterations": iters}


# ---------------------------------------------------------------- entropy

def entropy_weights(X):
    """Shannon-entropy weights: p_ij = x_ij / Σ_i x_ij, e_j = −Σ p ln p / ln n, w ∝ 1 − e_j."""
    X = complete_cases(X)
    n = X.shape[0]
    if (X < 0).any():
        raise ValueError("entropy needs values ≥ 0")
    P = X / X.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    d = 1 - e
    return d / d.sum(), {"entropy": e, "divergence": d}


# ---------------------------------------------------------------- CRITIC

def critic_weights(X):
    """Diakoulaki, Mavrotas & Papayannakis (1995): each child min-max scaled to [0, 1] over
    the fit sample, C_j = σ_j Σ_k (1 − r_jk), w ∝ C_j (σ: any common denominator)."""
    X = complete_cases(X)
    Z = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    sd = Z.std(axis=0, ddof=1)
    R = np.corrcoef(Z, rowvar=False)
    C = sd * (1 - R).sum(axis=1)
    return C / C.sum(), {"sd": sd, "C": C}


# ---------------------------------------------------------------- optimised (COINr get_opt_weights)

def child_correlations(X, w):
    """Pearson correlation of each child with the arithmetic mean Σ w x / Σ w."""
    y = X @ w / w.sum()
    Xc = X - X.mean(axis=0)
    yc = y - y.mean()
    return (Xc * yc[:, None]).sum(axis=0) / np.sqrt((Xc ** 2).sum(axis=0) * (yc ** 2).sum())


def opt_objective(X, w, t):
    r = child_correlations(X, w)
    return float(np.mean((t - r / r.sum()) ** 2))


def optimised_weights(X, targets=None, starts=20, seed=1):
    """Weights w ≥ 0, Σ w = 1, minimising mean_i (t_i − ρ_i/Σρ)², ρ_i = corr(child i, node).
    Several starts (equal weights, then Dirichlet draws), SLSQP, then a least-squares polish;
    the best objective wins."""
    X = complete_cases(X)
    m = X.shape[1]
    t = np.ones(m) / m if targets is None else np.asarray(targets, float) / np.sum(targets)
    if m == 1:
        return np.ones(1), {"objective": 0.0, "correlations": np.ones(1), "targets": t}
    rng = np.random.default_rng(seed)
    inits = [np.ones(m) / m, t.copy()] + [rng.dirichlet(np.ones(m)) for _ in range(starts)]
    best = None
    for w0 in inits:
        res = optimize.minimize(lambda w: opt_objective(X, np.maximum(w, 0) + 1e-300, t), w0,
                                method="SLSQP", bounds=[(0, 1)] * m,
                                constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
                                options={"ftol": 1e-16, "maxiter": 2000})
        w = np.maximum(res.x, 0)
        w = w / w.sum()
        # polish: residuals t − ρ/Σρ with w ≥ 0 (scale fixed afterwards)
        ls = optimize.least_squares(lambda v: t - child_correlations(X, v) / child_correlations(X, v).sum(),
                                    w, bounds=(0, np.inf), xtol=1e-15, ftol=1e-15, gtol=1e-15)
        v = ls.x / ls.x.sum()
        for cand in (w, v):
            f = opt_objective(X, cand, t)
            if best is None or f < best[0]:
                best = (f, cand)
    f, w = best
    w = np.where(w < 1e-12, 0.0, w)     # the optimiser's dust on the bound w_k = 0
    w = w / w.sum()
    f = opt_objective(X, w, t)
    r = child_correlations(X, w)
    return w, {"objective": f, "correlations": r, "shares": r / r.sum(), "targets": t}
