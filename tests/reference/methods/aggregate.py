"""Non-compensatory aggregation of one node's children across units: `mpi`, `ampi`, `bod`
(and its robust order-m variant), `copeland`. Independent reference (numpy/scipy), written
from the formulas in docs/methods.md and the papers cited there, not from gti's code.

X is an n × m array (units × children) for one year; NaN is a missing child.
"""
import numpy as np
from scipy.optimize import linprog


def _wstats(Z, w, sd):
    """Weighted mean and sd of each row over its present entries (population: Σw(z−M)²/W;
    sample: times m/(m − 1), m the number present)."""
    P = ~np.isnan(Z)
    W = np.where(P, w[None, :], 0.0)
    Zf = np.where(P, Z, 0.0)
    Wsum = W.sum(axis=1)
    M = (W * Zf).sum(axis=1) / Wsum
    var = (W * (Zf - M[:, None]) ** 2).sum(axis=1) / Wsum
    if sd == "sample":
        m = P.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.where(m > 1, var * m / (m - 1), 0.0)
    return M, np.sqrt(var)


def penalised(M, S, higher_is="better"):
    """M ∓ S·cv = M ∓ S²/M; S = 0 → M."""
    sign = -1.0 if higher_is == "better" else 1.0
    out = np.where(S == 0, M, M + sign * S ** 2 / np.where(M == 0, 1, M))
    if ((S > 0) & (M <= 0)).any():
        raise ValueError("mpi/ampi: a unit's mean is ≤ 0 while its children differ")
    return out


def mpi(X, w=None, standardise=True, sd="population", higher_is="better"):
    """Mazziotta & Pareto (2016): z_ij = 100 + 10 (x_ij − μ_j)/σ_j over the units present,
    then M_i − S_i·cv_i. Returns (scores, z, M, S)."""
    X = np.asarray(X, float)
    n, m = X.shape
    w = np.ones(m) if w is None else np.asarray(w, float)
    if standardise:
        mu = np.nanmean(X, axis=0)
        ddof = 0 if sd == "population" else 1
        sig = np.array([np.nanstd(X[:, j], ddof=ddof) if (~np.isnan(X[:, j])).sum() > ddof else 0.0
                        for j in range(m)])
        Z = np.where(sig[None, :] > 0, 100 + 10 * (X - mu) / np.where(sig > 0, sig, 1), 100.0)
        Z = np.where(np.isnan(X), np.nan, Z)
    else:
        Z = X.copy()
    M, S = _wstats(Z, w, sd)
    return penalised(M, S, higher_is), Z, M, S


def ampi(X_by_year, reference, w=None, sd="population", higher_is="better"):
    """Adjusted MPI (Mazziotta & Pareto 2016): goalposts pooled over every year,
    r = 100 + 30 (x − Ref)/Δ = 70 + 60 (x − (Ref − Δ))/(2Δ), Δ = (max − min)/2 over all
    units and years, Ref the reference value of each child (e.g. its mean in a base year).
    X_by_year: {year: n × m}; reference: length-m array. Returns {year: (scores, r, M, S)}."""
    allX = np.vstack(list(X_by_year.values()))
    m = allX.shape[1]
    w = np.ones(m) if w is None else np.asarray(w, float)
    lo, hi = np.nanmin(allX, axis=0), np.nanmax(allX, axis=0)
    delta = (hi - lo) / 2
    ref = np.asarray(reference, float)
    out = {}
    for y, X in X_by_year.items():
        R = np.where(delta[None, :] > 0, 100 + 30 * (X - ref) / np.where(delta > 0, delta, 1), 100.0)
        R = np.where(np.isnan(X), np.nan, R)
        M, S = _wstats(R, w, sd)
        out[y] = (penalised(M, S, higher_is), R, M, S)
    return out


# ---------------------------------------------------------------- benefit of the doubt

def bod_lp(y0, Y, lower=None, upper=None):
    """max w·y0 s.t. w·y_j ≤ 1 (rows of Y), w ≥ 0, and for each child k
    L_k·(w·y0) ≤ w_k y0_k ≤ U_k·(w·y0). HiGHS via scipy. Returns (score, w, result)."""
    m = len(y0)
    A, b = [Y], [np.ones(len(Y))]
    for k in range(m):
        e = np.zeros(m); e[k] = y0[k]
        if upper is not None and upper[k] < 1:
            A.append((e - upper[k] * y0)[None, :]); b.append([0.0])     # w_k y_k − U (w·y) ≤ 0
        if lower is not None and lower[k] > 0:
            A.append((lower[k] * y0 - e)[None, :]); b.append([0.0])     # L (w·y) − w_k y_k ≤ 0
    res = linprog(-np.asarray(y0, float), A_ub=np.vstack(A), b_ub=np.concatenate(b),
                  bounds=[(0, None)] * m, method="highs")
    if res.status == 3:
        return np.inf, None, res
    if res.status != 0:
        raise RuntimeError(res.message)
    return -res.fun, res.x, res


def bod(X, lower=None, upper=None):
    """BoD score of every unit with all children present (Cherchye et al. 2007): the LP
    against all such units, itself included. Returns (scores, weights, shares)."""
    X = np.asarray(X, float)
    ok = ~np.isnan(X).any(axis=1)
    Y = X[ok]
    n, m = X.shape
    scores = np.full(n, np.nan)
    W = np.full((n, m), np.nan)
    for i in np.where(ok)[0]:
        s, w, _ = bod_lp(X[i], Y, lower, upper)
        scores[i], W[i] = s, w
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = W * X / scores[:, None]
    return scores, W, shares


def bod_dual(y0, Y):
    """The dual of the unrestricted BoD LP: min Σ λ_j s.t. Σ_j λ_j y_jk ≥ y0_k, λ ≥ 0
    (output-oriented DEA with one unit input, constant returns). Its optimum equals the
    primal score (an independent check)."""
    res = linprog(np.ones(len(Y)), A_ub=-Y.T, b_ub=-np.asarray(y0, float),
                  bounds=[(0, None)] * len(Y), method="highs")
    return res.fun


def robust_bod_given_draws(X, draws, lower=None, upper=None):
    """Robust (order-m) BoD with the draws given: draws[i] is a B × m_draw array of unit
    indices (rows of X, all complete) drawn for unit i. Replicate b scores unit i against
    the drawn units only (the unit itself is a constraint only when drawn); λ_b = 1/score_b
    (0 when unbounded); robust score = 1 / mean_b λ_b."""
    X = np.asarray(X, float)
    n = X.shape[0]
    out = np.full(n, np.nan)
    per_draw = {}
    for i, D in draws.items():
        lam = []
        for row in D:
            s, _, _ = bod_lp(X[i], X[row], lower, upper)
            lam.append(0.0 if np.isinf(s) else 1.0 / s)
        lam = np.array(lam)
        per_draw[i] = lam
        out[i] = np.inf if lam.mean() == 0 else 1.0 / lam.mean()
    return out, per_draw


# ---------------------------------------------------------------- Copeland

def copeland(X, w=None, eps=1e-12):
    """Munda & Nardo (2009): e_jk = Σ_i w_i ([x_ij > x_ik] + ½[x_ij = x_ik]) / Σ_i w_i over
    the children present for both units; j beats k when e_jk > ½ (1 point), ties ½ point.
    Score = points in [0, n − 1] over the units of the node. Returns (scores, E)."""
    X = np.asarray(X, float)
    n, m = X.shape
    w = np.ones(m) if w is None else np.asarray(w, float)
    E = np.full((n, n), np.nan)
    pts = np.zeros(n)
    for j in range(n):
        for k in range(n):
            if j == k:
                continue
            both = ~np.isnan(X[j]) & ~np.isnan(X[k]) & (w > 0)
            if not both.any():
                e = 0.5
            else:
                ww = w[both]
                e = (ww * ((X[j, both] > X[k, both]) + 0.5 * (X[j, both] == X[k, both]))).sum() / ww.sum()
            E[j, k] = e
            pts[j] += 1.0 if e > 0.5 + eps else (0.5 if e >= 0.5 - eps else 0.0)
    return pts, E


def coinr_copeland(X, w=None):
    """COINr's a_copeland on complete data: Σ_k sign(e_jk − ½) (= 2·score − (n − 1))."""
    pts, E = copeland(X, w)
    n = len(pts)
    return 2 * pts - (n - 1)
