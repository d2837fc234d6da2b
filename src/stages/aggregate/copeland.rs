//! Copeland's pairwise outranking (Munda & Nardo 2009, "Noncompensatory/nonlinear composite
//! indicators for ranking countries: a defensible setting", Applied Economics 41; COINr's
//! `a_copeland`), per year over the node's sample of n units:
//!
//! ```text
//! eⱼₖ = Σᵢ wᵢ ([xᵢⱼ > xᵢₖ] + ½[xᵢⱼ = xᵢₖ]) / Σᵢ wᵢ     over the children i present for both units
//! pointsⱼₖ = 1 if eⱼₖ > ½, ½ if eⱼₖ = ½ (within 1e-12), 0 otherwise
//! sⱼ = Σₖ≠ⱼ pointsⱼₖ ∈ [0, n − 1]
//! ```
//!
//! Two units with no child present for both tie (½ each). COINr's score is
//! Σₖ sign(eⱼₖ − ½) = 2sⱼ − (n − 1) on complete data.

/// eⱼₖ is compared with ½ within this, so that weights such as 1/3 + 1/6 tie.
const HALF_EPS: f64 = 1e-12;

/// Points of each row (a unit's children, NaN missing) against every other, and the pairs
/// (j, k), j < k, that share no present child.
pub fn copeland(rows: &[Vec<f64>], w: &[f64]) -> (Vec<f64>, Vec<(usize, usize)>) {
    let n = rows.len();
    let mut points = vec![0.0; n];
    let mut disjoint = Vec::new();
    for j in 0..n {
        for k in j + 1..n {
            let (mut won, mut total) = (0.0, 0.0);
            for (i, &wi) in w.iter().enumerate() {
                let (a, b) = (rows[j][i], rows[k][i]);
                if a.is_nan() || b.is_nan() || wi <= 0.0 {
                    continue;
                }
                total += wi;
                won += if a > b {
                    wi
                } else if a == b {
                    wi / 2.0
                } else {
                    0.0
                };
            }
            let e = if total > 0.0 {
                won / total
            } else {
                disjoint.push((j, k));
                0.5
            };
            let (pj, pk) = if e > 0.5 + HALF_EPS {
                (1.0, 0.0)
            } else if e >= 0.5 - HALF_EPS {
                (0.5, 0.5)
            } else {
                (0.0, 1.0)
            };
            points[j] += pj;
            points[k] += pk;
        }
    }
    (points, disjoint)
}

/// A score in [0, n − 1] onto `range` (n = 1: its midpoint).
pub fn onto(points: f64, n: usize, range: Option<(f64, f64)>) -> f64 {
    match range {
        None => points,
        Some((lo, hi)) if n > 1 => lo + points / (n - 1) as f64 * (hi - lo),
        Some((lo, hi)) => (lo + hi) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_split_points() {
        // (3, 1) vs (1, 3): one child each way, e = ½: half a point each; both beat (0, 0).
        let rows = vec![vec![3.0, 1.0], vec![1.0, 3.0], vec![0.0, 0.0]];
        let (p, d) = copeland(&rows, &[1.0, 1.0]);
        assert_eq!(p, vec![1.5, 1.5, 0.0]);
        assert!(d.is_empty());
        // Weights 2, 1: the first wins the pair.
        assert_eq!(copeland(&rows, &[2.0, 1.0]).0, vec![2.0, 1.0, 0.0]);
        // No shared child: a tie, reported.
        let (p, d) = copeland(&[vec![1.0, f64::NAN], vec![f64::NAN, 2.0]], &[1.0, 1.0]);
        assert_eq!((p, d), (vec![0.5, 0.5], vec![(0, 1)]));
        assert_eq!(onto(1.0, 3, Some((0.0, 100.0))), 50.0);
        assert_eq!(onto(0.0, 1, Some((0.0, 100.0))), 50.0);
    }
}
