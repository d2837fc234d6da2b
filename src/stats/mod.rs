//! Descriptive statistics shared by the stages and the audit. Pure functions over slices;
//! missing values (NaN) are the caller's business unless a function says otherwise.
//!
//! Formulas, for a sample x₁…xₙ with mean x̄, m₂ = Σ(xᵢ − x̄)², m₃ = Σ(xᵢ − x̄)³,
//! m₄ = Σ(xᵢ − x̄)⁴:
//! - standard deviation: √(m₂ / (n − 1));
//! - median: the middle sorted value, the mean of the two middle ones when n is even;
//! - weighted median of (xᵢ, wᵢ), W = Σwᵢ: the smallest sorted value whose cumulative weight
//!   reaches W/2, averaged with the next value that carries weight when it reaches exactly
//!   W/2 (so equal weights give the ordinary median);
//! - skewness (Excel `SKEW`, R `e1071::skewness(type = 2)`, COINr `skew`):
//!   g₁ = √n · m₃ / m₂^{3/2}, G₁ = g₁ · √(n(n − 1)) / (n − 2); needs n ≥ 3;
//! - kurtosis (Excel `KURT`, `e1071::kurtosis(type = 2)`, COINr `kurt`), an *excess* kurtosis:
//!   r = n · m₄ / m₂², G₂ = ((n + 1)(r − 3) + 6)(n − 1) / ((n − 2)(n − 3)); needs n ≥ 4;
//! - quantile (R's default `quantile(type = 7)`, numpy's default): h = (n − 1)p,
//!   Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) over the sorted sample (0-based);
//! - Pearson r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²);
//! - Spearman ρ = Pearson r of the ranks, ties given their average rank (R's
//!   `cor(method = "spearman")`);
//! - Cronbach's α = k/(k − 1) · (1 − Σ var(itemᵢ) / var(Σ itemᵢ)) over k items and complete
//!   cases (Cronbach 1951; COINr `get_cronbach`).
//!
//! Every function returns NaN where its statistic is undefined (too few values, zero
//! variance), so that callers decide the policy in one place.

pub mod eigen;
pub mod linalg;
pub mod varimax;

/// The arithmetic mean (NaN when empty).
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// The mean and the standard deviation (n − 1; `None` when n < 2).
pub fn mean_sd(x: &[f64]) -> (f64, Option<f64>) {
    (mean(x), (x.len() >= 2).then(|| sd(x)))
}

/// The median of `x` (NaN when empty).
pub fn median(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 }
}

/// The weighted median of (value, weight) pairs (see the module docs; NaN when empty).
pub fn weighted_median(xs: &[(f64, f64)]) -> f64 {
    let mut s: Vec<(f64, f64)> = xs.to_vec();
    s.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = s.iter().map(|p| p.1).sum::<f64>() / 2.0;
    let mut cum = 0.0;
    for (i, (x, w)) in s.iter().enumerate() {
        cum += w;
        if (cum - half).abs() <= 1e-12 * half.max(1.0) {
            // Exactly half below: average with the next value that carries weight.
            let next = s[i + 1..].iter().find(|p| p.1 > 0.0).map_or(*x, |p| p.0);
            return (x + next) / 2.0;
        }
        if cum > half {
            return *x;
        }
    }
    s.last().map_or(f64::NAN, |p| p.0)
}

/// Sums of the 2nd, 3rd and 4th powers of the deviations from the mean.
fn central_sums(x: &[f64]) -> (f64, f64, f64) {
    let m = mean(x);
    x.iter().fold((0.0, 0.0, 0.0), |(s2, s3, s4), v| {
        let d = v - m;
        (s2 + d * d, s3 + d * d * d, s4 + d * d * d * d)
    })
}

/// Sample variance, n − 1 denominator (NaN when n < 2).
pub fn variance(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    central_sums(x).0 / (x.len() as f64 - 1.0)
}

/// Sample standard deviation, n − 1 denominator (NaN when n < 2).
pub fn sd(x: &[f64]) -> f64 {
    variance(x).sqrt()
}

/// Sample-adjusted skewness G₁ (Excel `SKEW`); NaN when n < 3 or the values are constant.
pub fn skewness(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (m2, m3, _) = central_sums(x);
    if x.len() < 3 || m2 == 0.0 {
        return f64::NAN;
    }
    let g1 = n.sqrt() * m3 / m2.powf(1.5);
    g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
}

/// Sample-adjusted excess kurtosis G₂ (Excel `KURT`); NaN when n < 4 or the values are
/// constant.
pub fn kurtosis(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (m2, _, m4) = central_sums(x);
    if x.len() < 4 || m2 == 0.0 {
        return f64::NAN;
    }
    let r = n * m4 / (m2 * m2);
    ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
}

/// The values that are not NaN.
pub fn present(x: &[f64]) -> Vec<f64> {
    x.iter().copied().filter(|v| !v.is_nan()).collect()
}

/// Quantile `p` ∈ [0, 1] of an ascending sample, R type 7 (NaN when empty).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else { return f64::NAN };
    let h = last as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Ranks 1…n, ties sharing the average of the ranks they span (R's `rank`, "average").
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let j = order[i..].iter().take_while(|&&k| x[k] == x[order[i]]).count() + i;
        let avg = (i + 1 + j) as f64 / 2.0;
        order[i..j].iter().for_each(|&k| ranks[k] = avg);
        i = j;
    }
    ranks
}

/// The pairs where both values are present.
pub fn complete_pairs(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    x.iter().zip(y).filter(|(a, b)| !a.is_nan() && !b.is_nan()).map(|(a, b)| (*a, *b)).unzip()
}

/// Pearson's r of two equally long samples (NaN when n < 2 or a sample is constant).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if x.len() < 2 || sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman's ρ: Pearson's r of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Cronbach's α of k items (columns of equal length, complete cases only). NaN when k < 2,
/// fewer than 2 cases, or the total score is constant.
pub fn cronbach_alpha(items: &[Vec<f64>]) -> f64 {
    let k = items.len() as f64;
    let n = items.first().map_or(0, Vec::len);
    if items.len() < 2 || n < 2 {
        return f64::NAN;
    }
    let totals: Vec<f64> = (0..n).map(|i| items.iter().map(|c| c[i]).sum()).collect();
    let total_var = variance(&totals);
    if total_var == 0.0 {
        return f64::NAN;
    }
    let item_var: f64 = items.iter().map(|c| variance(c)).sum();
    k / (k - 1.0) * (1.0 - item_var / total_var)
}

/// The matrix of Pearson correlations of k columns of equal length (complete cases).
pub fn correlation_matrix(cols: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = cols.len();
    let mut r = vec![vec![1.0; k]; k];
    for i in 0..k {
        for j in i + 1..k {
            r[i][j] = pearson(&cols[i], &cols[j]);
            r[j][i] = r[i][j];
        }
    }
    r
}

/// The unit tests' one tolerance: equal to 12 significant digits (values worked by hand or
/// by an independent implementation; `tests/util.rs` holds the integration tests' own).
#[cfg(test)]
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_median_matches_the_ordinary_one_for_equal_weights() {
        assert_eq!(weighted_median(&[(3.0, 1.0), (1.0, 1.0), (2.0, 1.0)]), 2.0);
        assert_eq!(weighted_median(&[(4.0, 1.0), (1.0, 1.0), (2.0, 1.0), (3.0, 1.0)]), 2.5);
        // Weight 3 on 10 outweighs 1 + 1 below it.
        assert_eq!(weighted_median(&[(1.0, 1.0), (2.0, 1.0), (10.0, 3.0)]), 10.0);
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn mean_sd_of_one_value_has_no_sd() {
        assert_eq!(mean_sd(&[3.0]), (3.0, None));
        assert_eq!(mean_sd(&[1.0, 3.0]), (2.0, Some(2f64.sqrt())));
    }

    #[test]
    fn skew_and_kurtosis_of_coinr_example() {
        // COINr's treat vignette: x = 1..10, 30, 100. Independent values from numpy
        // (python3: the G1/G2 formulas of the module docs written out with numpy sums):
        // skew 3.0632410342394985, kurtosis 9.741390834569144.
        let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
        x.extend([30.0, 100.0]);
        assert!(close(skewness(&x), 3.0632410342394985), "{}", skewness(&x));
        assert!(close(kurtosis(&x), 9.741390834569144), "{}", kurtosis(&x));
    }

    #[test]
    fn skew_and_kurtosis_by_hand() {
        // x = 0, 0, 0, 4: mean 1, deviations −1, −1, −1, 3: m2 = 12, m3 = 24, m4 = 84.
        // g1 = 2·24/12^1.5 = 2/√3; G1 = g1·√12/2 = 2. r = 4·84/144 = 7/3;
        // G2 = (5·(7/3 − 3) + 6)·3/(2·1) = (−10/3 + 6)·1.5 = 4.
        let x = [0.0, 0.0, 0.0, 4.0];
        assert!(close(skewness(&x), 2.0));
        assert!(close(kurtosis(&x), 4.0));
        assert!(skewness(&[1.0, 2.0]).is_nan());
        assert!(kurtosis(&[1.0, 2.0, 3.0]).is_nan());
        assert!(skewness(&[5.0; 6]).is_nan());
    }

    #[test]
    fn quantile_type_7() {
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        // h = 4·0.9 = 3.6: 4 + 0.6·(10 − 4) = 7.6; h = 4·0.25 = 1: 2.
        assert!(close(quantile_sorted(&s, 0.9), 7.6));
        assert_eq!(quantile_sorted(&s, 0.25), 2.0);
        assert_eq!(quantile_sorted(&s, 0.0), 1.0);
        assert_eq!(quantile_sorted(&s, 1.0), 10.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(average_ranks(&[10.0, 20.0, 10.0, 5.0]), vec![2.5, 4.0, 2.5, 1.0]);
    }

    #[test]
    fn pearson_spearman_alpha_by_hand() {
        // x = 1, 2, 3; y = 2, 4, 7: deviations −1, 0, 1 and −7/3, −1/3, 8/3:
        // Sxy = 5, Sxx = 2, Syy = (49 + 1 + 64)/9 = 38/3: r = 5/√(76/3).
        let (x, y) = ([1.0, 2.0, 3.0], [2.0, 4.0, 7.0]);
        assert!(close(pearson(&x, &y), 5.0 / (76.0f64 / 3.0).sqrt()));
        assert!(close(spearman(&x, &y), 1.0));
        assert!(pearson(&x, &[1.0, 1.0, 1.0]).is_nan());
        // Two identical items: α = 2·(1 − 2v/4v) = 1.
        assert!(close(cronbach_alpha(&[x.to_vec(), x.to_vec()]), 1.0));
    }
}
