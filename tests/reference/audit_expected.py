"""Independent expected values for tests/treat_audit.rs (audit of the AUDIT fixture), with
numpy: min-max normalisation, arithmetic means, then np.corrcoef, np.linalg.eigh and the
textbook Cronbach alpha. Run once; the printed numbers are pasted into the test."""
import numpy as np
nan = np.nan
raw = {
 "a1": [1, 4, 2, 8, 5, 7],
 "a2": [10, 30, 20, 70, 40, 40],
 "a3": [9, 6, 8, 1, 3, nan],
 "b1": [3, 1, 4, 1, 5, 9],
 "b2": [2, 7, 1, 8, 2, 8],
}
direction = {"a3": -1}
raw = {k: np.array(v, float) for k, v in raw.items()}
def minmax(x):
    return (x - np.nanmin(x)) / (np.nanmax(x) - np.nanmin(x)) * 100
norm = {k: minmax(v * direction.get(k, 1)) for k, v in raw.items()}
A = np.nanmean(np.vstack([norm["a1"], norm["a2"], norm["a3"]]), axis=0)
B = np.nanmean(np.vstack([norm["b1"], norm["b2"]]), axis=0)
I = (A + B) / 2
def rank(x):
    order = np.argsort(x, kind="stable"); r = np.empty(len(x))
    i = 0; xs = x[order]
    while i < len(x):
        j = i
        while j < len(x) and xs[j] == xs[i]: j += 1
        r[order[i:j]] = (i + 1 + j) / 2; i = j
    return r
def pair(x, y):
    m = ~np.isnan(x) & ~np.isnan(y)
    return np.corrcoef(x[m], y[m])[0, 1], np.corrcoef(rank(x[m]), rank(y[m]))[0, 1], int(m.sum())
kids = ["a1", "a2", "a3"]
for i in range(3):
    for j in range(i + 1, 3):
        print("children", kids[i], kids[j], [repr(float(v)) for v in pair(norm[kids[i]], norm[kids[j]])])
for k in kids:
    print("with_node", k, [repr(float(v)) for v in pair(norm[k], A)])
    print("with_index", k, [repr(float(v)) for v in pair(norm[k], I)])
cc = ~np.isnan(np.vstack([norm[k] for k in kids])).any(axis=0)
X = np.vstack([norm[k][cc] for k in kids])
k = 3
alpha = k / (k - 1) * (1 - X.var(axis=1, ddof=1).sum() / X.sum(axis=0).var(ddof=1))
print("complete", int(cc.sum()), "alpha", repr(float(alpha)))
w, v = np.linalg.eigh(np.corrcoef(X))
w, v = w[::-1], v[:, ::-1]
for j in range(3):
    vec = v[:, j] * (1 if v[:, j].sum() >= 0 else -1)
    print("pc", j + 1, repr(float(w[j])), repr(float(w[j] / 3)), [repr(float(x)) for x in vec], [repr(float(x)) for x in vec * np.sqrt(w[j])])
x = raw["a3"][~np.isnan(raw["a3"])]; n = len(x); d = x - x.mean()
m2, m3, m4 = (d**2).sum(), (d**3).sum(), (d**4).sum()
g1 = np.sqrt(n) * m3 / m2**1.5
print("a3 n", n, "mean", repr(float(x.mean())), "sd", repr(float(x.std(ddof=1))),
      "skew", repr(float(g1 * np.sqrt(n*(n-1))/(n-2))),
      "kurt", repr(float(((n+1)*(n*m4/m2**2 - 3) + 6)*(n-1)/((n-2)*(n-3)))))
print("scores A", [repr(float(v)) for v in A], "I", [repr(float(v)) for v in I])
