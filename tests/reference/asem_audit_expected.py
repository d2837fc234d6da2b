"""Independent expected audit values on ASEM (no treatment), from COINr's own published
normalised + aggregated values (expected/minmax-amean/aggregated.csv), with numpy."""
import csv, numpy as np
D = "tests/data/coinr-asem/expected/minmax-amean/aggregated.csv"  # from the repository root
rows = list(csv.DictReader(open(D)))
col = lambda c: np.array([np.nan if r[c] == "NA" else float(r[c]) for r in rows])
def pair(x, y):
    m = ~np.isnan(x) & ~np.isnan(y)
    return float(np.corrcoef(x[m], y[m])[0, 1]), int(m.sum())
print("TBTs~Instit", pair(col("TBTs"), col("Instit")))
print("ConEcFin~P2P", pair(col("ConEcFin"), col("P2P")))
kids = ["Physical", "ConEcFin", "Political", "Instit", "P2P"]
X = np.vstack([col(k) for k in kids]); cc = ~np.isnan(X).any(axis=0); X = X[:, cc]
k = len(kids)
alpha = k / (k - 1) * (1 - X.var(axis=1, ddof=1).sum() / X.sum(axis=0).var(ddof=1))
w = np.linalg.eigvalsh(np.corrcoef(X))[::-1]
print("Conn complete", int(cc.sum()), "alpha", repr(float(alpha)), "eig", [repr(float(v)) for v in w], "share1", repr(float(w[0] / k)))
