"""Model-based imputation for one year: `em`, `knn`, `regression`, and the evaluation of
`gti audit --imputation` on a given mask. Independent reference (numpy/scipy/scikit-learn),
written from the formulas in docs/methods.md, not from gti's code.

X is an n × p array (units × indicators) of one year's transformed values; NaN is missing.
"""
import numpy as np
from scipy import optimize


# ---------------------------------------------------------------- EM, multivariate normal

def em_mvn(X, tol=1e-13, max_iter=100000):
    """Maximum-likelihood μ, Σ (divisor n) of a multivariate normal from incomplete rows by
    EM (Dempster, Laird & Rubin 1977; Little & Rubin 2002 §11.2). Start: observed means,
    diagonal observed variances (divisor n_j). Stop when every |Δμ_j|/s_j and
    |ΔΣ_jk|/(s_j s_k) < tol (s: the starting sds). Rows with no observed value are left out
    of the fit. Returns (μ, Σ, iterations)."""
    X = np.asarray(X, float)
    X = X[(~np.isnan(X)).any(axis=1)]
    n, p = X.shape
    mu = np.nanmean(X, axis=0)
    s = np.nanstd(X, axis=0)
    S = np.diag(s ** 2)
    for it in range(1, max_iter + 1):
        T1 = np.zeros(p)
        T2 = np.zeros((p, p))
        for x in X:
            o = ~np.isnan(x)
            mis = ~o
            xh = x.copy()
            C = np.zeros((p, p))
            if mis.any():
                Soo = S[np.ix_(o, o)]
                B = np.linalg.solve(Soo, S[np.ix_(o, mis)]).T          # Σ_mo Σ_oo⁻¹
                xh[mis] = mu[mis] + B @ (x[o] - mu[o])
                C[np.ix_(mis, mis)] = S[np.ix_(mis, mis)] - B @ S[np.ix_(o, mis)]
            T1 += xh
            T2 += np.outer(xh, xh) + C
        mu_new = T1 / n
        S_new = T2 / n - np.outer(mu_new, mu_new)
        dmu = np.max(np.abs(mu_new - mu) / s)
        dS = np.max(np.abs(S_new - S) / np.outer(s, s))
        mu, S = mu_new, S_new
        if max(dmu, dS) < tol:
            break
    return mu, S, it


def conditional_means(X, mu, S):
    """Each missing value replaced by E[x_mis | x_obs] under N(μ, Σ); a row with nothing
    observed gets μ."""
    X = np.asarray(X, float).copy()
    for i, x in enumerate(X):
        o = ~np.isnan(x)
        mis = ~o
        if not mis.any():
            continue
        if not o.any():
            X[i] = mu
            continue
        B = np.linalg.solve(S[np.ix_(o, o)], S[np.ix_(o, mis)]).T
        X[i, mis] = mu[mis] + B @ (x[o] - mu[o])
    return X


def em_impute(X, tol=1e-13, max_iter=100000):
    mu, S, it = em_mvn(X, tol, max_iter)
    return conditional_means(X, mu, S), {"mu": mu, "sigma": S, "iterations": it}


def observed_loglik(X, mu, S):
    ll = 0.0
    for x in np.asarray(X, float):
        o = ~np.isnan(x)
        if not o.any():
            continue
        d = x[o] - mu[o]
        Soo = S[np.ix_(o, o)]
        sign, logdet = np.linalg.slogdet(Soo)
        ll += -0.5 * (o.sum() * np.log(2 * np.pi) + logdet + d @ np.linalg.solve(Soo, d))
    return ll


def mle_direct(X, mu0, S0):
    """The same MLE by maximising the observed-data log-likelihood directly (BFGS over μ and
    a Cholesky factor of Σ) — an independent check of the EM fixed point."""
    X = np.asarray(X, float)
    X = X[(~np.isnan(X)).any(axis=1)]
    p = X.shape[1]
    Lc = np.linalg.cholesky(S0)
    tri = np.tril_indices(p)

    def unpack(v):
        mu = v[:p]
        L = np.zeros((p, p)); L[tri] = v[p:]
        return mu, L @ L.T

    v0 = np.concatenate([mu0, Lc[tri]])
    res = optimize.minimize(lambda v: -observed_loglik(X, *unpack(v)), v0, method="BFGS",
                            options={"gtol": 1e-10, "maxiter": 20000})
    return unpack(res.x)


# ---------------------------------------------------------------- kNN

def standardise(X):
    """z-scores per column over the values present (sample sd, n − 1)."""
    mu = np.nanmean(X, axis=0)
    sd = np.nanstd(X, axis=0, ddof=1)
    return (X - mu) / np.where(sd > 0, sd, 1)


def knn_impute(X, k=5, codes=None):
    """For each missing x_uc: the mean of c over the k donors (units with c observed) nearest
    to u, distance d(u, v) = sqrt(mean over the other columns observed for both of
    (z_u − z_v)²) on standardised columns; donors without a common column are skipped; ties
    broken by unit code (row order when `codes` is None)."""
    X = np.asarray(X, float)
    n, p = X.shape
    Z = standardise(X)
    codes = list(range(n)) if codes is None else codes
    out = X.copy()
    used = {}
    for u in range(n):
        for c in range(p):
            if not np.isnan(X[u, c]):
                continue
            cand = []
            for v in range(n):
                if v == u or np.isnan(X[v, c]):
                    continue
                both = ~np.isnan(Z[u]) & ~np.isnan(Z[v])
                both[c] = False
                if not both.any():
                    continue
                d = np.sqrt(np.mean((Z[u, both] - Z[v, both]) ** 2))
                cand.append((d, codes[v], v))
            if not cand:
                continue
            cand.sort()
            chosen = [v for _, _, v in cand[:k]]
            out[u, c] = X[chosen, c].mean()
            used[(u, c)] = chosen
    return out, used


# ---------------------------------------------------------------- regression

def regression_impute(X, target, predictors):
    """OLS with intercept of the target on the predictors, fitted on rows where all are
    observed; applied to rows with the target missing and every predictor observed.
    Returns (column, coefficients, n_fit)."""
    X = np.asarray(X, float)
    y = X[:, target]
    P = X[:, predictors]
    fit = ~np.isnan(y) & ~np.isnan(P).any(axis=1)
    A = np.column_stack([np.ones(fit.sum()), P[fit]])
    beta, *_ = np.linalg.lstsq(A, y[fit], rcond=None)
    out = y.copy()
    app = np.isnan(y) & ~np.isnan(P).any(axis=1)
    out[app] = beta[0] + P[app] @ beta[1:]
    return out, beta, int(fit.sum())


# ---------------------------------------------------------------- evaluation on a mask

def metrics(truth, pred):
    """n, rmse, mae, r2 = 1 − Σ(x̂ − x)²/Σ(x − x̄)² over the masked points filled (x̄: mean of
    the masked true values); r2 empty with fewer than 2 points or Σ(x − x̄)² = 0."""
    truth, pred = np.asarray(truth, float), np.asarray(pred, float)
    ok = ~np.isnan(pred)
    t, p_ = truth[ok], pred[ok]
    if len(t) == 0:
        return len(truth), np.nan, np.nan, np.nan
    e = p_ - t
    rmse = float(np.sqrt(np.mean(e ** 2)))
    mae = float(np.mean(np.abs(e)))
    ss = float(((t - t.mean()) ** 2).sum())
    r2 = 1 - float((e ** 2).sum()) / ss if len(t) >= 2 and ss > 0 else np.nan
    return len(truth), rmse, mae, r2
