//! Benefit of the doubt (Cherchye, Moesen, Rogge & Van Puyenbroeck 2007, "An introduction to
//! 'benefit of the doubt' composite indicators", Social Indicators Research 82; OECD/JRC
//! Handbook §6.3): each unit's most favourable weights, by linear programming. For unit i
//! with children yᵢ ≥ 0, against the year's units j with every child present:
//!
//! ```text
//! maximise   w · yᵢ
//! subject to w · yⱼ ≤ 1                              for every unit j (i included)
//!            w ≥ 0
//!            Lₖ (w · yᵢ) ≤ wₖ yᵢₖ ≤ Uₖ (w · yᵢ)      for each child k (share restrictions)
//! ```
//!
//! The optimum is in [0, 1] and unique; the weights reaching it often are not. Solved by
//! good_lp's pure-Rust simplex (microlp).
//!
//! **Robust (order-m) variant** (Daraio & Simar 2005; Vidoli & Mazziotta 2013): B times, draw
//! M units with replacement and solve the LP against the drawn units only (unit i is a
//! constraint only when drawn); λ_b = 1/score_b, 0 when the LP is unbounded; the robust score
//! is 1 / mean(λ_b), which can exceed 1. Each (node, year, unit) draws from its own ChaCha8
//! stream keyed by the seed and the codes, so results depend neither on order nor threads.

use good_lp::{Expression, ResolutionError, Solution, SolverModel, constraint, microlp, variable, variables};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One unit's score, its weights and each child's share wₖyᵢₖ / score.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimum {
    pub score: f64,
    pub weights: Vec<f64>,
}

impl Optimum {
    pub fn shares(&self, y: &[f64]) -> Vec<f64> {
        self.weights
            .iter()
            .zip(y)
            .map(|(w, y)| if self.score > 0.0 { w * y / self.score } else { 0.0 })
            .collect()
    }
}

/// The LP of unit `y0` against `frontier`; `Ok(None)` when it is unbounded (possible only
/// when `y0` is not among the frontier's units).
///
/// # Errors
/// The solver's status when it is neither optimal nor unbounded.
pub fn solve(y0: &[f64], frontier: &[&[f64]], lo: &[f64], hi: &[f64]) -> Result<Option<Optimum>, String> {
    let m = y0.len();
    if y0.iter().all(|&y| y == 0.0) {
        return Ok(Some(Optimum { score: 0.0, weights: vec![0.0; m] }));
    }
    let mut vars = variables!();
    let w: Vec<_> = (0..m).map(|_| vars.add(variable().min(0.0))).collect();
    let dot = |y: &[f64]| -> Expression { w.iter().zip(y).map(|(v, y)| *y * *v).sum() };
    let own = dot(y0);
    let mut lp = vars.maximise(own.clone()).using(microlp);
    for y in frontier {
        lp = lp.with(constraint!(dot(y) <= 1.0));
    }
    for k in 0..m {
        if hi[k] < 1.0 {
            lp = lp.with(constraint!(y0[k] * w[k] - hi[k] * own.clone() <= 0.0));
        }
        if lo[k] > 0.0 {
            lp = lp.with(constraint!(lo[k] * own.clone() - y0[k] * w[k] <= 0.0));
        }
    }
    match lp.solve() {
        Ok(s) => {
            let weights: Vec<f64> = w.iter().map(|v| s.value(*v).max(0.0)).collect();
            let score = weights.iter().zip(y0).map(|(w, y)| w * y).sum();
            Ok(Some(Optimum { score, weights }))
        }
        Err(ResolutionError::Unbounded) => Ok(None),
        Err(e) => Err(format!("the LP solver reports: {e}")),
    }
}

/// Every row's BoD optimum against all rows (every child present in each).
///
/// # Errors
/// Row `.0`'s solver failure.
pub fn bod(rows: &[Vec<f64>], lo: &[f64], hi: &[f64]) -> Result<Vec<Optimum>, (usize, String)> {
    let frontier: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    rows.iter()
        .enumerate()
        .map(|(i, y)| match solve(y, &frontier, lo, hi) {
            Ok(Some(o)) => Ok(o),
            Ok(None) => Err((i, "the LP is unbounded, which a unit's own constraint rules out".into())),
            Err(e) => Err((i, e)),
        })
        .collect()
}

/// λ_b of one replicate: 1/score against the drawn units, 0 when unbounded.
///
/// # Errors
/// The solver's failure.
pub fn lambda(y0: &[f64], drawn: &[&[f64]], lo: &[f64], hi: &[f64]) -> Result<f64, String> {
    Ok(match solve(y0, drawn, lo, hi)? {
        None => 0.0,
        Some(o) => 1.0 / o.score,
    })
}

/// The robust score of `y0` from its λ_b; `None` when every λ_b is 0.
pub fn robust_score(lambdas: &[f64]) -> Option<f64> {
    let mean = lambdas.iter().sum::<f64>() / lambdas.len() as f64;
    (mean > 0.0).then(|| 1.0 / mean)
}

/// The stream of one (seed, node, year, unit): its ChaCha8 key is the SHA-256 of the four.
pub fn stream(seed: u64, node: &str, year: i32, unit: &str) -> ChaCha8Rng {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"gti robust bod\0");
    h.update(seed.to_le_bytes());
    h.update(node.as_bytes());
    h.update([0]);
    h.update(year.to_le_bytes());
    h.update(unit.as_bytes());
    ChaCha8Rng::from_seed(h.finalize().into())
}

/// B draws of M row indices (with replacement) among `n` rows.
pub fn draws(rng: &mut ChaCha8Rng, n: usize, m: usize, b: usize) -> Vec<Vec<usize>> {
    (0..b).map(|_| (0..m).map(|_| rng.random_range(0..n)).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn worked_example_by_hand() {
        // (1,4), (3,3), (4,1) span the frontier; (2,2) reaches 2/3 of it, (1,1) 1/3.
        let rows = vec![vec![1.0, 4.0], vec![3.0, 3.0], vec![4.0, 1.0], vec![2.0, 2.0], vec![1.0, 1.0]];
        let none = bod(&rows, &[0.0, 0.0], &[1.0, 1.0]).unwrap();
        let want = [1.0, 1.0, 1.0, 2.0 / 3.0, 1.0 / 3.0];
        for (o, w) in none.iter().zip(want) {
            assert!(close(o.score, w), "{} vs {w}", o.score);
        }
        // Shares in [0.3, 0.7]: (1, 4) can no longer put everything on its 4: 40/57.
        let shares = bod(&rows, &[0.3, 0.3], &[0.7, 0.7]).unwrap();
        assert!(close(shares[0].score, 40.0 / 57.0), "{}", shares[0].score);
        for (o, y) in shares.iter().zip(&rows) {
            for s in o.shares(y) {
                assert!((0.3 - 1e-9..=0.7 + 1e-9).contains(&s), "{s}");
            }
        }
    }

    #[test]
    fn zeros_unbounded_and_robust() {
        let zero = solve(&[0.0, 0.0], &[&[1.0, 1.0]], &[0.0; 2], &[1.0; 2]).unwrap().unwrap();
        assert_eq!(zero.score, 0.0);
        // Against (1, 0) alone, unit (1, 4) can weigh its second child without bound.
        assert_eq!(lambda(&[1.0, 4.0], &[&[1.0, 0.0]], &[0.0; 2], &[1.0; 2]).unwrap(), 0.0);
        assert_eq!(robust_score(&[0.5, 1.5]), Some(1.0));
        assert_eq!(robust_score(&[0.0, 0.0]), None);
        // The same stream for the same codes, another for another unit.
        let a = draws(&mut stream(1, "P1", 2024, "XAA"), 5, 3, 2);
        assert_eq!(a, draws(&mut stream(1, "P1", 2024, "XAA"), 5, 3, 2));
        assert_ne!(a, draws(&mut stream(1, "P1", 2024, "XAB"), 5, 3, 2));
    }
}
