//! Variance-based sensitivity indices from a Saltelli design, with bootstrap intervals.
//!
//! The design evaluates the output on N rows of two independent sample matrices A and B and
//! on the d matrices AB_i (A with column i from B): N(d + 2) runs. With f_A, f_B, f_ABi the
//! outputs and V the variance (n − 1) of the 2N values of f_A and f_B:
//!
//! - first order (Saltelli et al. 2010, table 2 (b)):
//!   S_i = (1/N) Σ_j f_B(j) (f_ABi(j) − f_A(j)) / V
//! - total (Jansen 1999; Saltelli et al. 2010, table 2 (f)):
//!   ST_i = (1/2N) Σ_j (f_A(j) − f_ABi(j))² / V
//!
//! Confidence intervals are percentile bootstrap intervals: the rows j are resampled with
//! replacement (the same rows in A, B and every AB_i), the indices re-estimated, and the
//! (1 − level)/2 and (1 + level)/2 quantiles (R type 7) of the replicates reported.
//!
//! References: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola
//! (2010), "Variance based sensitivity analysis of model output. Design and estimator for the
//! total sensitivity index", Computer Physics Communications 181, 259–270. M. J. W. Jansen
//! (1999), "Analysis of variance designs for model output", Computer Physics Communications
//! 117, 35–43.

use super::sample::bootstrap_stream;
use super::summary::quantile_sorted;
use rand::RngExt;

/// One input's indices with their bootstrap intervals; `None` when the output does not vary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    pub first: f64,
    pub first_ci: (f64, f64),
    pub total: f64,
    pub total_ci: (f64, f64),
}

/// Outputs of a Saltelli design: `y` holds f_A (N), then f_B (N), then f_AB1 … f_ABd.
#[derive(Debug, Clone, Copy)]
pub struct Design<'a> {
    pub y: &'a [f64],
    pub n: usize,
    pub d: usize,
}

impl Design<'_> {
    fn a(&self, j: usize) -> f64 {
        self.y[j]
    }
    fn b(&self, j: usize) -> f64 {
        self.y[self.n + j]
    }
    fn ab(&self, i: usize, j: usize) -> f64 {
        self.y[(2 + i) * self.n + j]
    }
}

/// Point estimates (S_i, ST_i) over the rows `rows`; `None` when V = 0 or NaN.
pub fn estimate(design: Design, rows: &[usize]) -> Option<Vec<(f64, f64)>> {
    let v = variance(design, rows);
    if v.is_nan() || v <= 0.0 {
        return None;
    }
    let n = rows.len() as f64;
    let one = |i: usize| {
        let (mut s, mut t) = (0.0, 0.0);
        for &j in rows {
            let (a, b, ab) = (design.a(j), design.b(j), design.ab(i, j));
            s += b * (ab - a);
            t += (a - ab) * (a - ab);
        }
        (s / n / v, t / (2.0 * n) / v)
    };
    Some((0..design.d).map(one).collect())
}

/// Variance (n − 1) of f_A and f_B over `rows`, pooled.
fn variance(design: Design, rows: &[usize]) -> f64 {
    let values = || rows.iter().flat_map(|&j| [design.a(j), design.b(j)]);
    let m = values().sum::<f64>() / (2 * rows.len()) as f64;
    values().map(|x| (x - m) * (x - m)).sum::<f64>() / (2 * rows.len() - 1) as f64
}

/// Indices with percentile bootstrap intervals at `level` (e.g. 0.95) from `boot`
/// resamples drawn from `seed`'s bootstrap streams.
pub fn indices(design: Design, boot: usize, level: f64, seed: u64) -> Option<Vec<Indices>> {
    let all: Vec<usize> = (0..design.n).collect();
    let point = estimate(design, &all)?;
    let mut reps: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(boot); design.d];
    let mut rows = vec![0; design.n];
    for b in 0..boot {
        let mut rng = bootstrap_stream(seed, b);
        rows.iter_mut().for_each(|r| *r = rng.random_range(0..design.n));
        if let Some(est) = estimate(design, &rows) {
            reps.iter_mut().zip(est).for_each(|(r, e)| r.push(e));
        }
    }
    let (lo, hi) = ((1.0 - level) / 2.0, (1.0 + level) / 2.0);
    let ci = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        (quantile_sorted(&xs, lo), quantile_sorted(&xs, hi))
    };
    let out = point.into_iter().zip(reps).map(|((s, t), r)| Indices {
        first: s,
        first_ci: ci(r.iter().map(|e| e.0).collect()),
        total: t,
        total_ci: ci(r.iter().map(|e| e.1).collect()),
    });
    Some(out.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::sample::stream;
    use std::f64::consts::PI;

    /// Ishigami: sin x1 + a sin² x2 + b x3⁴ sin x1, x ~ U(−π, π)³.
    fn ishigami(x: [f64; 3]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    fn row(seed: u64, matrix: u64, j: usize) -> [f64; 3] {
        let mut rng = stream(seed, matrix, j as u64, 0);
        [0; 3].map(|_| -PI + 2.0 * PI * rng.random::<f64>())
    }

    #[test]
    fn recovers_the_ishigami_indices_within_their_intervals() {
        // Analytic values for a = 7, b = 0.1 (Saltelli et al. 2010; Ishigami and Homma 1990).
        let s = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        let (n, d, seed) = (10_000, 3, 11);
        let mut y = vec![0.0; n * (d + 2)];
        for j in 0..n {
            let (a, b) = (row(seed, 0, j), row(seed, 1, j));
            y[j] = ishigami(a);
            y[n + j] = ishigami(b);
            for i in 0..d {
                let mut ab = a;
                ab[i] = b[i];
                y[(2 + i) * n + j] = ishigami(ab);
            }
        }
        let ix = indices(Design { y: &y, n, d }, 200, 0.95, seed).unwrap();
        for i in 0..d {
            let (lo, hi) = ix[i].first_ci;
            assert!(lo <= s[i] && s[i] <= hi, "S{}: {} not in [{lo}, {hi}]", i + 1, s[i]);
            let (lo, hi) = ix[i].total_ci;
            assert!(lo <= st[i] && st[i] <= hi, "ST{}: {} not in [{lo}, {hi}]", i + 1, st[i]);
            assert!(hi - lo < 0.1, "ST{} interval too wide: [{lo}, {hi}]", i + 1);
        }
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let y = vec![3.0; 4 * 5];
        assert!(indices(Design { y: &y, n: 5, d: 2 }, 10, 0.9, 1).is_none());
    }
}
