//! `optimised` weights (Becker, Saisana, Paruolo & Vandecasteele 2017, "Weights and
//! importance in composite indicators: closing the gap", Ecological Indicators 80; COINr's
//! `get_opt_weights(optype = "balance")`), per node:
//!
//! ```text
//! y(w)  = the node's score of each fit-sample row under weights w (its own mean)
//! ρᵢ(w) = Pearson correlation of child i with y(w)
//! f(w)  = (1/m) Σᵢ (tᵢ − ρᵢ(w) / Σₖ ρₖ(w))²,   minimised over w ≥ 0, Σ w = 1
//! ```
//!
//! Nelder–Mead (argmin) on v ∈ ℝᵐ with w = v²/Σv² (the bound w ≥ 0 is then free, and a
//! weight can reach 0 exactly), from equal and from declared weights, each restarted from
//! its best point until a restart gains less than 1e-18; the better of the two wins. Weights
//! below 1e-12 are set to 0 and the others renormalised.

use super::weights::{correlations, scores};
use crate::methodology::Aggregate;
use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;

/// The weights found, the objective there, and each child's correlation with the node.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimised {
    pub weights: Vec<f64>,
    pub objective: f64,
    pub correlations: Vec<f64>,
}

/// The objective of [`optimise`] at weights `w` (f64::INFINITY where undefined, e.g. Σρ ≤ 0).
pub fn objective(x: &[Vec<f64>], t: &[f64], w: &[f64], method: &Aggregate) -> f64 {
    shares_gap(&correlations(x, &scores(x, w, method)), t)
}

/// (1/m) Σ (tᵢ − ρᵢ/Σρ)², infinite when Σρ ≤ 0 or a ρ is undefined.
fn shares_gap(rho: &[f64], t: &[f64]) -> f64 {
    let total: f64 = rho.iter().sum();
    if total.is_nan() || total <= 0.0 || rho.iter().any(|r| r.is_nan()) {
        return f64::INFINITY;
    }
    rho.iter().zip(t).map(|(r, t)| (t - r / total).powi(2)).sum::<f64>() / t.len() as f64
}

/// How the correlations are computed for a weighting: for a weighted sum or mean the node
/// is linear in the children, y ∝ Xw, and ρᵢ = (Cw)ᵢ / √(Cᵢᵢ · wᵀCw) from the children's
/// covariance C (m² operations instead of a pass over the data); other means go through
/// the node's own aggregation.
enum Model<'a> {
    Linear(Vec<Vec<f64>>),
    Mean(&'a [Vec<f64>], &'a Aggregate),
}

impl Model<'_> {
    fn gap(&self, w: &[f64], t: &[f64]) -> f64 {
        match self {
            Model::Mean(x, method) => objective(x, t, w, method),
            Model::Linear(c) => {
                let cw: Vec<f64> = c.iter().map(|row| row.iter().zip(w).map(|(a, b)| a * b).sum()).collect();
                let var: f64 = cw.iter().zip(w).map(|(a, b)| a * b).sum();
                let rho: Vec<f64> =
                    cw.iter().zip(c).enumerate().map(|(i, (v, row))| v / (row[i] * var).sqrt()).collect();
                shares_gap(&rho, t)
            }
        }
    }
}

/// The children's covariance (sums of cross-products of deviations).
fn covariance(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let (n, m) = (x.len() as f64, x[0].len());
    let mean: Vec<f64> = (0..m).map(|j| x.iter().map(|r| r[j]).sum::<f64>() / n).collect();
    (0..m)
        .map(|a| (0..m).map(|b| x.iter().map(|r| (r[a] - mean[a]) * (r[b] - mean[b])).sum()).collect())
        .collect()
}

struct Problem<'a> {
    model: &'a Model<'a>,
    /// Target shares, summing to 1.
    t: &'a [f64],
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, v: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        let w: Vec<f64> = v.iter().map(|x| x * x).collect();
        Ok(if w.iter().sum::<f64>() > 0.0 { self.model.gap(&w, self.t) } else { f64::INFINITY })
    }
}

/// Weights over `x`'s columns whose correlation shares best match `targets` (relative).
///
/// # Errors
/// When no weights tried give correlations with a positive sum.
pub fn optimise(
    x: &[Vec<f64>],
    targets: &[f64],
    declared: &[f64],
    method: &Aggregate,
) -> Result<Optimised, String> {
    let m = targets.len();
    let total: f64 = targets.iter().sum();
    let t: Vec<f64> =
        if total > 0.0 { targets.iter().map(|v| v / total).collect() } else { vec![1.0 / m as f64; m] };
    let model = match method {
        Aggregate::Arithmetic | Aggregate::Sum => Model::Linear(covariance(x)),
        other => Model::Mean(x, other),
    };
    let problem = Problem { model: &model, t: &t };
    let starts = [vec![1.0; m], declared.iter().map(|w| w.sqrt()).collect::<Vec<f64>>()];
    let mut best: Option<(f64, Vec<f64>)> = None;
    for start in starts {
        let found = descend(&problem, start)?;
        if best.as_ref().is_none_or(|b| found.0 < b.0) {
            best = Some(found);
        }
    }
    let (f, v) = best.expect("two starts");
    if !f.is_finite() {
        return Err(
            "optimised: the children's correlations with the node sum to ≤ 0 for every weighting tried"
                .into(),
        );
    }
    let mut w: Vec<f64> = v.iter().map(|x| x * x).collect();
    let sum: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= sum);
    w.iter_mut().filter(|x| **x < 1e-12).for_each(|x| *x = 0.0);
    let sum: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= sum);
    let objective = objective(x, &t, &w, method);
    let correlations = correlations(x, &scores(x, &w, method));
    Ok(Optimised { weights: w, objective, correlations })
}

/// Nelder–Mead from `start`, restarted from its best point until a restart gains < 1e-18.
fn descend(problem: &Problem, start: Vec<f64>) -> Result<(f64, Vec<f64>), String> {
    let mut best = start;
    let mut f_best = problem.cost(&best).map_err(|e| e.to_string())?;
    for _ in 0..50 {
        let simplex: Vec<Vec<f64>> = std::iter::once(best.clone())
            .chain((0..best.len()).map(|j| {
                let mut s = best.clone();
                s[j] += if s[j].abs() > 1e-3 { 0.05 * s[j] } else { 0.02 };
                s
            }))
            .collect();
        let solver = NelderMead::new(simplex).with_sd_tolerance(1e-19).map_err(|e| e.to_string())?;
        let run = Executor::new(Problem { model: problem.model, t: problem.t }, solver)
            .configure(|s| s.max_iters(5_000))
            .run()
            .map_err(|e| format!("optimised: the optimiser failed: {e}"))?;
        let f = run.state().get_best_cost();
        let gained = f_best - f;
        if f < f_best {
            f_best = f;
            best = run.state().get_best_param().cloned().unwrap_or(best);
        }
        if gained.is_nan() || gained < 1e-18 {
            break;
        }
    }
    Ok((f_best, best))
}
