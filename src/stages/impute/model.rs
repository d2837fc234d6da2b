//! Model-based imputation of one year's values (docs/methods.md, "Model-based imputation"):
//! each function takes the year's columns (one value per unit, NaN = missing or not a donor)
//! and returns filled values, never touching a value that is present.
//!
//! - [`em_fit`] + [`conditional_fill`]: maximum likelihood μ, Σ of a multivariate normal by
//!   EM (Dempster, Laird & Rubin 1977; Little & Rubin 2002, §11.2), then each missing value
//!   replaced by its conditional mean given the unit's observed values.
//! - [`knn_fill`]: the mean of the k nearest donors, distance the root mean square difference
//!   of the standardised features both units have (scikit-learn's `KNNImputer` ranking).
//! - [`regression_fill`]: ordinary least squares with an intercept on declared predictors.
//!
//! Checked against the independent references in `tests/reference/methods/impute.py`
//! (`tests/methods_impute.rs`).

use crate::stats::linalg::{cholesky_solve, least_squares};
use crate::stats::{mean, sd};

/// A Σₒₒ pivot at or below this share of the largest variance is a singular Σₒₒ.
const SINGULAR: f64 = 1e-12;

/// A fitted EM model.
#[derive(Debug, Clone)]
pub struct EmFit {
    pub mu: Vec<f64>,
    pub sigma: Vec<Vec<f64>>,
    pub iterations: u32,
    /// The last iteration's largest scaled change.
    pub change: f64,
    /// Rows (units with at least one observed value) behind the fit.
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EmError {
    /// n ≤ p: fewer rows than variables.
    TooFew { n: usize, p: usize },
    /// Σₒₒ singular at some iteration.
    Singular,
}

fn observed(row: &[f64]) -> (Vec<usize>, Vec<usize>) {
    (0..row.len()).partition(|&j| !row[j].is_nan())
}

fn sub(s: &[Vec<f64>], rows: &[usize], cols: &[usize]) -> Vec<Vec<f64>> {
    rows.iter().map(|&i| cols.iter().map(|&j| s[i][j]).collect()).collect()
}

/// E[xₘ | xₒ] and Σₘₒ Σₒₒ⁻¹ (rows: missing, columns: observed); `None` if Σₒₒ is singular.
fn conditional(
    row: &[f64],
    o: &[usize],
    m: &[usize],
    mu: &[f64],
    s: &[Vec<f64>],
) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
    let soo = sub(s, o, o);
    let som = sub(s, o, m);
    let bt = cholesky_solve(&soo, &som, SINGULAR)?; // Σₒₒ⁻¹ Σₒₘ: |o| × |m|
    let d: Vec<f64> = o.iter().map(|&j| row[j] - mu[j]).collect();
    let xm = m
        .iter()
        .enumerate()
        .map(|(a, &j)| mu[j] + (0..o.len()).map(|b| bt[b][a] * d[b]).sum::<f64>())
        .collect();
    let b = (0..m.len()).map(|a| (0..o.len()).map(|b| bt[b][a]).collect()).collect();
    Some((xm, b))
}

/// Fits μ and Σ (divisor n) by EM on the rows with at least one observed value. Start: the
/// observed means and a diagonal Σ of observed variances (divisor nⱼ); stop when every
/// |Δμⱼ|/sⱼ and |ΔΣⱼₖ|/(sⱼsₖ) < `tol` (s: the starting sds) or after `max_iter` iterations.
/// Every variable must have a positive observed variance (constant ones are left out by the
/// caller).
pub fn em_fit(cols: &[&[f64]], tol: f64, max_iter: u32) -> Result<EmFit, EmError> {
    let p = cols.len();
    let n_all = cols.first().map_or(0, |c| c.len());
    let x: Vec<Vec<f64>> = (0..n_all)
        .map(|u| cols.iter().map(|c| c[u]).collect::<Vec<f64>>())
        .filter(|r: &Vec<f64>| r.iter().any(|v| !v.is_nan()))
        .collect();
    let n = x.len();
    if n <= p {
        return Err(EmError::TooFew { n, p });
    }
    let present: Vec<Vec<f64>> = cols.iter().map(|c| crate::stats::present(c)).collect();
    let mut mu: Vec<f64> = present.iter().map(|v| mean(v)).collect();
    let s: Vec<f64> = present
        .iter()
        .zip(&mu)
        .map(|(v, m)| (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt())
        .collect();
    let mut sigma: Vec<Vec<f64>> =
        (0..p).map(|i| (0..p).map(|j| if i == j { s[i] * s[i] } else { 0.0 }).collect()).collect();
    let rows: Vec<(Vec<usize>, Vec<usize>)> = x.iter().map(|r| observed(r)).collect();
    let (mut iterations, mut change) = (0, f64::INFINITY);
    while iterations < max_iter {
        iterations += 1;
        let mut t1 = vec![0.0; p];
        let mut t2 = vec![vec![0.0; p]; p];
        for (row, (o, m)) in x.iter().zip(&rows) {
            let mut xh = row.clone();
            if !m.is_empty() {
                let (xm, b) = conditional(row, o, m, &mu, &sigma).ok_or(EmError::Singular)?;
                m.iter().zip(&xm).for_each(|(&j, v)| xh[j] = *v);
                // C_mm = Σₘₘ − Σₘₒ Σₒₒ⁻¹ Σₒₘ
                for (a, &j) in m.iter().enumerate() {
                    for &k in m {
                        let bs: f64 = o.iter().enumerate().map(|(q, &oq)| b[a][q] * sigma[oq][k]).sum();
                        t2[j][k] += sigma[j][k] - bs;
                    }
                }
            }
            for j in 0..p {
                t1[j] += xh[j];
                for k in 0..p {
                    t2[j][k] += xh[j] * xh[k];
                }
            }
        }
        let mu_new: Vec<f64> = t1.iter().map(|v| v / n as f64).collect();
        let s_new: Vec<Vec<f64>> =
            (0..p).map(|j| (0..p).map(|k| t2[j][k] / n as f64 - mu_new[j] * mu_new[k]).collect()).collect();
        let dmu = (0..p).map(|j| (mu_new[j] - mu[j]).abs() / s[j]).fold(0.0, f64::max);
        let ds = (0..p)
            .flat_map(|j| (0..p).map(move |k| (j, k)))
            .map(|(j, k)| (s_new[j][k] - sigma[j][k]).abs() / (s[j] * s[k]))
            .fold(0.0, f64::max);
        (mu, sigma, change) = (mu_new, s_new, dmu.max(ds));
        if change < tol {
            break;
        }
    }
    Ok(EmFit { mu, sigma, iterations, change, rows: n })
}

/// Column `t` with each missing value replaced by its conditional mean under `fit`; a unit
/// with nothing observed gets μₜ.
pub fn conditional_fill(cols: &[&[f64]], t: usize, fit: &EmFit) -> Result<Vec<f64>, EmError> {
    let n = cols[t].len();
    (0..n)
        .map(|u| {
            if !cols[t][u].is_nan() {
                return Ok(cols[t][u]);
            }
            let row: Vec<f64> = cols.iter().map(|c| c[u]).collect();
            let (o, m) = observed(&row);
            if o.is_empty() {
                return Ok(fit.mu[t]);
            }
            let (xm, _) = conditional(&row, &o, &m, &fit.mu, &fit.sigma).ok_or(EmError::Singular)?;
            Ok(xm[m.iter().position(|&j| j == t).expect("t is missing")])
        })
        .collect()
}

/// z-scores over the values present (sample sd); a column with sd 0 (or one value) is 0.
fn standardise(c: &[f64]) -> Vec<f64> {
    let present = crate::stats::present(c);
    let m = mean(&present);
    let s = if present.len() > 1 { sd(&present) } else { f64::NAN };
    let s = if s > 0.0 { s } else { 1.0 };
    c.iter().map(|v| (v - m) / s).collect()
}

/// Column `t` filled by the mean of the `k` nearest donors (units with `t` present) over the
/// features (every other column). `codes` break ties. Also returns each filled unit's donors.
pub fn knn_fill(cols: &[&[f64]], t: usize, k: usize, codes: &[&str]) -> (Vec<f64>, Vec<(usize, Vec<usize>)>) {
    let z: Vec<Vec<f64>> = cols.iter().map(|c| standardise(c)).collect();
    let target = cols[t];
    let mut out = target.to_vec();
    let mut used = Vec::new();
    for u in (0..target.len()).filter(|&u| target[u].is_nan()) {
        let mut cand: Vec<(f64, &str, usize)> = (0..target.len())
            .filter(|&v| v != u && !target[v].is_nan())
            .filter_map(|v| {
                let diffs: Vec<f64> = (0..cols.len())
                    .filter(|&f| f != t && !z[f][u].is_nan() && !z[f][v].is_nan())
                    .map(|f| (z[f][u] - z[f][v]).powi(2))
                    .collect();
                (!diffs.is_empty()).then(|| (mean(&diffs).sqrt(), codes[v], v))
            })
            .collect();
        if cand.is_empty() {
            continue;
        }
        cand.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        let chosen: Vec<usize> = cand.iter().take(k).map(|c| c.2).collect();
        out[u] = chosen.iter().map(|&v| target[v]).sum::<f64>() / chosen.len() as f64;
        used.push((u, chosen));
    }
    (out, used)
}

/// What a regression imputation did.
#[derive(Debug, Clone, PartialEq)]
pub enum Regression {
    /// The filled column, the coefficients (b₀ first) and the fitting units.
    Filled { values: Vec<f64>, coefficients: Vec<f64>, fit: usize },
    /// Fewer than predictors + 2 fitting units.
    TooFew { fit: usize },
    /// A rank-deficient design.
    Collinear,
}

/// `y` filled by OLS with an intercept on `predictors`, fitted on the units with `y` and every
/// predictor present; applied to the units missing `y` with every predictor present.
pub fn regression_fill(y: &[f64], predictors: &[&[f64]]) -> Regression {
    let complete = |u: usize| predictors.iter().all(|p| !p[u].is_nan());
    let fit: Vec<usize> = (0..y.len()).filter(|&u| !y[u].is_nan() && complete(u)).collect();
    if fit.len() < predictors.len() + 2 {
        return Regression::TooFew { fit: fit.len() };
    }
    let design = |u: usize| std::iter::once(1.0).chain(predictors.iter().map(|p| p[u])).collect::<Vec<f64>>();
    let a: Vec<Vec<f64>> = fit.iter().map(|&u| design(u)).collect();
    let rhs: Vec<f64> = fit.iter().map(|&u| y[u]).collect();
    let Ok(b) = least_squares(&a, &rhs) else { return Regression::Collinear };
    let values = (0..y.len())
        .map(|u| match y[u].is_nan() && complete(u) {
            true => design(u).iter().zip(&b).map(|(x, c)| x * c).sum(),
            false => y[u],
        })
        .collect();
    Regression::Filled { values, coefficients: b, fit: fit.len() }
}

#[cfg(test)]
mod tests {
    use super::*;
    const NA: f64 = f64::NAN;

    #[test]
    fn em_on_complete_data_is_the_sample_moments_in_one_step() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [2.0, 1.0, 4.0, 3.0];
        let fit = em_fit(&[&a, &b], 1e-13, 100).unwrap();
        assert_eq!(fit.mu, vec![2.5, 2.5]);
        assert!((fit.sigma[0][1] - 0.75).abs() < 1e-15, "{:?}", fit.sigma);
        assert!(fit.iterations <= 2);
    }

    #[test]
    fn em_refuses_too_few_rows() {
        let a = [1.0, 2.0, NA];
        let b = [2.0, 1.0, NA];
        assert_eq!(em_fit(&[&a, &b], 1e-8, 10).unwrap_err(), EmError::TooFew { n: 2, p: 2 });
    }

    #[test]
    fn knn_takes_the_nearest_donors_and_breaks_ties_by_code() {
        let f = [0.0, 1.0, 1.0, 10.0];
        let t = [NA, 5.0, 7.0, 100.0];
        let (out, used) = knn_fill(&[&f, &t], 1, 1, &["a", "c", "b", "d"]);
        // c and b are equally near: b comes first by code.
        assert_eq!(out[0], 7.0);
        assert_eq!(used, vec![(0, vec![2])]);
    }

    #[test]
    fn regression_refuses_a_collinear_design_and_too_few_units() {
        let y = [1.0, 2.0, 3.0, NA];
        let x = [1.0, 2.0, 3.0, 4.0];
        let Regression::Filled { values, .. } = regression_fill(&y, &[&x]) else { panic!() };
        assert!((values[3] - 4.0).abs() < 1e-12);
        assert_eq!(regression_fill(&y, &[&x, &x]), Regression::TooFew { fit: 3 });
        let y5 = [1.0, 2.0, 3.0, 5.0, NA];
        let x5 = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(regression_fill(&y5, &[&x5, &x5]), Regression::Collinear);
    }
}
