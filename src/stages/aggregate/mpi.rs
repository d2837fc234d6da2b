//! The Mazziotta–Pareto Index and its adjusted, goalpost-based form.
//!
//! **MPI** (Mazziotta & Pareto 2016, "On a generalized non-compensatory composite index for
//! measuring socio-economic phenomena", Social Indicators Research 127; weighted form:
//! Mazziotta & Pareto 2022, RIEDS), per year over the node's sample, with wⱼ the children's
//! weights and W their sum over unit i's present children:
//!
//! ```text
//! zᵢⱼ = 100 + 10 (xᵢⱼ − μⱼ)/σⱼ      (standardise = true; μⱼ, σⱼ over the units with j present)
//! Mᵢ  = Σⱼ wⱼ zᵢⱼ / W,   Sᵢ = √(Σⱼ wⱼ (zᵢⱼ − Mᵢ)² / W)
//! MPIᵢ = Mᵢ − Sᵢ²/Mᵢ   (higher is better; + when higher is worse)
//! ```
//!
//! `sd = "sample"` uses n − 1 in σⱼ and Sᵢ² · m/(m − 1) with m the unit's present children
//! (Compind 3.4's `ci_mpi`). σⱼ = 0 gives zᵢⱼ = 100; Sᵢ = 0 gives MPIᵢ = Mᵢ; Mᵢ ≤ 0 with
//! Sᵢ > 0 has no defined penalty and is an error.
//!
//! **AMPI** (same paper): rᵢⱼₜ = 100 + 30 (xᵢⱼₜ − Refⱼ)/Δⱼ with Δⱼ = (Supⱼ − Infⱼ)/2 over every
//! unit and year, and Refⱼ a reference value (by default child j's mean in the first year);
//! then the same penalised mean. Δⱼ = 0 gives rᵢⱼₜ = 100.

use crate::methodology::Spread;

/// One unit's children (NaN: missing) with the weights of all the node's children.
pub type Row = Vec<f64>;

/// Scores of the sample's rows, and the children whose spread was 0 (standardised to 100).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub scores: Vec<f64>,
    /// Each row's (M, S), for the tests and the docs' worked example.
    pub moments: Vec<(f64, f64)>,
    pub flat: Vec<usize>,
}

/// An error of row `.0`: the message.
pub type RowError = (usize, String);

/// MPI of the rows (the year's sample); `better`: higher scores are better.
///
/// # Errors
/// A row whose mean is ≤ 0 while its children differ.
pub fn mpi(rows: &[Row], w: &[f64], standardise: bool, sd: Spread, better: bool) -> Result<Scored, RowError> {
    let m = w.len();
    let mut flat = Vec::new();
    let z: Vec<Row> = if standardise {
        let ddof = if sd == Spread::Sample { 1.0 } else { 0.0 };
        let mut z = rows.to_vec();
        for j in 0..m {
            let col: Vec<f64> = rows.iter().map(|r| r[j]).filter(|x| !x.is_nan()).collect();
            let n = col.len() as f64;
            let mu = col.iter().sum::<f64>() / n;
            let sigma = if n > ddof {
                (col.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - ddof)).sqrt()
            } else {
                0.0
            };
            if sigma == 0.0 && !col.is_empty() {
                flat.push(j);
            }
            for r in &mut z {
                if !r[j].is_nan() {
                    r[j] = if sigma > 0.0 { 100.0 + 10.0 * (r[j] - mu) / sigma } else { 100.0 };
                }
            }
        }
        z
    } else {
        rows.to_vec()
    };
    let (scores, moments) = penalised_all(&z, w, sd, better, "mpi")?;
    Ok(Scored { scores, moments, flat })
}

/// AMPI's pooled goalposts: per child, the reference value and Δ (half the panel's range).
#[derive(Debug, Clone, PartialEq)]
pub struct Goalposts {
    pub reference: Vec<f64>,
    pub delta: Vec<f64>,
}

impl Goalposts {
    /// From every sample row of every year (`all`) and the reference values.
    pub fn new<'a>(all: impl Iterator<Item = &'a Row>, reference: Vec<f64>) -> Goalposts {
        let m = reference.len();
        let (mut lo, mut hi) = (vec![f64::INFINITY; m], vec![f64::NEG_INFINITY; m]);
        for r in all {
            for j in 0..m {
                if !r[j].is_nan() {
                    lo[j] = lo[j].min(r[j]);
                    hi[j] = hi[j].max(r[j]);
                }
            }
        }
        let delta = lo.iter().zip(&hi).map(|(l, h)| if h >= l { (h - l) / 2.0 } else { 0.0 }).collect();
        Goalposts { reference, delta }
    }

    /// The children with Δ = 0: constant over the whole panel.
    pub fn flat(&self) -> Vec<usize> {
        (0..self.delta.len()).filter(|&j| self.delta[j] <= 0.0).collect()
    }
}

/// AMPI of one year's rows against the pooled goalposts.
///
/// # Errors
/// As [`mpi`].
pub fn ampi(rows: &[Row], w: &[f64], g: &Goalposts, sd: Spread, better: bool) -> Result<Scored, RowError> {
    let r: Vec<Row> = rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(j, &x)| match x {
                    x if x.is_nan() => x,
                    _ if g.delta[j] > 0.0 => 100.0 + 30.0 * (x - g.reference[j]) / g.delta[j],
                    _ => 100.0,
                })
                .collect()
        })
        .collect();
    let (scores, moments) = penalised_all(&r, w, sd, better, "ampi")?;
    Ok(Scored { scores, moments, flat: Vec::new() })
}

type Penalised = (Vec<f64>, Vec<(f64, f64)>);

fn penalised_all(z: &[Row], w: &[f64], sd: Spread, better: bool, name: &str) -> Result<Penalised, RowError> {
    let mut scores = Vec::with_capacity(z.len());
    let mut moments = Vec::with_capacity(z.len());
    for (i, row) in z.iter().enumerate() {
        let (mean, s) = moments_of(row, w, sd);
        scores.push(penalised(mean, s, better).map_err(|e| (i, format!("{name} {e}")))?);
        moments.push((mean, s));
    }
    Ok((scores, moments))
}

/// The weighted mean and sd of a row's present entries.
fn moments_of(row: &[f64], w: &[f64], sd: Spread) -> (f64, f64) {
    let present = || row.iter().zip(w).filter(|(x, wj)| !x.is_nan() && **wj > 0.0);
    let total: f64 = present().map(|(_, wj)| wj).sum();
    let mean = present().map(|(x, wj)| wj * x).sum::<f64>() / total;
    let mut var = present().map(|(x, wj)| wj * (x - mean).powi(2)).sum::<f64>() / total;
    if sd == Spread::Sample {
        let k = present().count() as f64;
        var = if k > 1.0 { var * k / (k - 1.0) } else { 0.0 };
    }
    (mean, var.sqrt())
}

/// M ∓ S²/M (S = 0: M).
fn penalised(mean: f64, s: f64, better: bool) -> Result<f64, String> {
    if s == 0.0 {
        return Ok(mean);
    }
    if mean <= 0.0 {
        return Err(format!("needs a positive mean of the children (M = {mean})"));
    }
    let p = s * s / mean;
    Ok(if better { mean - p } else { mean + p })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn unbalanced_unit_by_hand() {
        // Two units, two children, not standardised: (10, 10) has no penalty; (2, 18) has
        // M = 10, S = 8: 10 − 64/10 = 3.6 (higher is better), 16.4 (worse).
        let rows = vec![vec![10.0, 10.0], vec![2.0, 18.0]];
        let s = mpi(&rows, &[1.0, 1.0], false, Spread::Population, true).unwrap();
        assert_eq!(s.scores[0], 10.0);
        assert!(close(s.scores[1], 3.6));
        let s = mpi(&rows, &[1.0, 1.0], false, Spread::Population, false).unwrap();
        assert!(close(s.scores[1], 16.4));
        // Sample: S² · 2/1 = 128: 10 − 12.8 < 0 would be the score; no error, the score is −2.8.
        let s = mpi(&rows, &[1.0, 1.0], false, Spread::Sample, true).unwrap();
        assert!(close(s.scores[1], -2.8));
    }

    #[test]
    fn degenerate_cases() {
        // A constant child standardises to 100, and is reported.
        let rows = vec![vec![5.0, 1.0], vec![5.0, 3.0]];
        let s = mpi(&rows, &[1.0, 1.0], true, Spread::Population, true).unwrap();
        assert_eq!(s.flat, vec![0]);
        // Unit 1: z = (100, 90): M = 95, S = 5: 95 − 25/95.
        assert!(close(s.scores[0], 95.0 - 25.0 / 95.0));
        // A non-positive mean with spread: an error naming the row.
        let e = mpi(&[vec![-3.0, 1.0]], &[1.0, 1.0], false, Spread::Population, true).unwrap_err();
        assert_eq!(e.0, 0);
        assert!(e.1.contains("M = -1"), "{}", e.1);
        // One present child: no spread, no penalty.
        let s = mpi(&[vec![f64::NAN, 7.0]], &[1.0, 1.0], false, Spread::Sample, true).unwrap();
        assert_eq!(s.scores[0], 7.0);
    }

    #[test]
    fn ampi_goalposts_by_hand() {
        // Child 0 over the panel: 0..20 (Δ = 10); reference 10: x = 15 → 115; child 1 is
        // constant (Δ = 0) → 100. Mean 107.5, S = 7.5: 107.5 − 56.25/107.5.
        let year1 = [vec![0.0, 4.0], vec![20.0, 4.0]];
        let year2 = vec![vec![15.0, 4.0]];
        let g = Goalposts::new(year1.iter().chain(&year2), vec![10.0, 4.0]);
        assert_eq!(g.flat(), vec![1]);
        let s = ampi(&year2, &[1.0, 1.0], &g, Spread::Population, true).unwrap();
        assert!(close(s.scores[0], 107.5 - 56.25 / 107.5));
    }
}
