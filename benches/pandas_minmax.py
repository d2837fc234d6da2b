"""The pandas baseline of benches/run.sh: a single grouped min-max of a long indicator file.

python3 benches/pandas_minmax.py indicators.csv [OUT.csv]

Reads unit,year,indicator,value, min-max normalises value to [0, 100] within each
(indicator, year) group (as gti's `bounds = "year"`), and with OUT writes the result.
"""
import sys
import time

import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], na_values=["NA"], keep_default_na=False)
t1 = time.perf_counter()
g = df.groupby(["indicator", "year"])["value"]
lo, hi = g.transform("min"), g.transform("max")
df["normalised"] = (df["value"] - lo) / (hi - lo) * 100.0
t2 = time.perf_counter()
if len(sys.argv) > 2:
    df.to_csv(sys.argv[2], index=False)
t3 = time.perf_counter()
print(f"pandas {pd.__version__}: read {t1 - t0:.2f} s, min-max {t2 - t1:.2f} s, write {t3 - t2:.2f} s", file=sys.stderr)
