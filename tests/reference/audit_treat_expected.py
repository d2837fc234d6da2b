"""Independent expected values for tests/audit.rs (`audit_compares_treatment_on_the_data_it_saw`):
skew and kurtosis (Excel's SKEW and KURT, the adjusted G1 and G2) of an indicator before and
after treatment, on the values treatment saw (ln(1 + x)), and on the raw values. Plain Python;
run once, the printed numbers are pasted into the test."""
import math

raw = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000]

def skew(x):
    n = len(x); m = sum(x) / n
    s = math.sqrt(sum((v - m) ** 2 for v in x) / (n - 1))
    return n / ((n - 1) * (n - 2)) * sum(((v - m) / s) ** 3 for v in x)

def kurt(x):
    n = len(x); m = sum(x) / n
    s = math.sqrt(sum((v - m) ** 2 for v in x) / (n - 1))
    g = sum(((v - m) / s) ** 4 for v in x)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * g - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))

logged = [math.log1p(v) for v in raw]
# COINr's winsorise (winmax 5, |skew| >= 2 and kurtosis >= 3.5, positive skew): the k highest
# values take the (k + 1)-th highest, k = 1, 2, … until the check passes.
treated = sorted(logged)
points = 0
while abs(skew(treated)) >= 2 and kurt(treated) >= 3.5 and points < 5:
    points += 1
    treated[-points:] = [treated[-points - 1]] * points
print("raw", repr(skew(raw)), repr(kurt(raw)))
print("before", repr(skew(logged)), repr(kurt(logged)))
print("after", points, repr(skew(treated)), repr(kurt(treated)))
