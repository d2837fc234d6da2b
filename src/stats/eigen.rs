//! The symmetric eigenproblem by cyclic Jacobi rotations, and a PCA built on it.
//!
//! Jacobi (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5.2; Numerical Recipes §11.1):
//! each rotation in the (p, q) plane zeroes a_pq with θ = (a_qq − a_pp) / (2 a_pq),
//! t = sgn(θ) / (|θ| + √(θ² + 1)), c = 1/√(t² + 1), s = t·c; sweeps repeat until the
//! off-diagonal mass is below 1e-30 of the total (at most 100 sweeps). The accumulated
//! rotations are the eigenvectors. It is exact to rounding for the small matrices of an audit
//! (a node's children), needs no dependency, and is unconditionally convergent.
//!
//! PCA (as R's `prcomp(scale. = TRUE)`, which COINr's `get_PCA` calls): the eigenvalues λ of
//! the correlation matrix of complete cases, in decreasing order; each component's share of
//! variance λ / k; the eigenvectors ("rotation"), each signed so that its entries sum to
//! ≥ 0 (prcomp's sign is arbitrary); and the loadings v·√λ, the correlations of each variable
//! with the component.

/// Eigenvalues (decreasing) and unit eigenvectors (`vectors[j]` belongs to `values[j]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Eigen {
    pub values: Vec<f64>,
    pub vectors: Vec<Vec<f64>>,
}

fn off_diagonal(a: &[Vec<f64>]) -> f64 {
    let n = a.len();
    (0..n)
        .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
        .map(|(i, j)| a[i][j].powi(2))
        .sum()
}

/// Applies the rotation that zeroes a[p][q] to `a` and accumulates it into `v`.
fn rotate(a: &mut [Vec<f64>], v: &mut [Vec<f64>], p: usize, q: usize) {
    let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
    let (c, s) = (1.0 / (t * t + 1.0).sqrt(), t / (t * t + 1.0).sqrt());
    for row in a.iter_mut().chain(v.iter_mut()) {
        let (xp, xq) = (row[p], row[q]);
        row[p] = c * xp - s * xq;
        row[q] = s * xp + c * xq;
    }
    let (upper, lower) = a.split_at_mut(q);
    for (x, y) in upper[p].iter_mut().zip(lower[0].iter_mut()) {
        let (xp, xq) = (*x, *y);
        *x = c * xp - s * xq;
        *y = s * xp + c * xq;
    }
}

/// Eigen-decomposition of a symmetric matrix (rows of equal length).
pub fn symmetric_eigen(m: &[Vec<f64>]) -> Eigen {
    let n = m.len();
    let mut a = m.to_vec();
    let mut v: Vec<Vec<f64>> =
        (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    let total: f64 = a.iter().flatten().map(|x| x * x).sum();
    for _ in 0..100 {
        if off_diagonal(&a) <= 1e-30 * total {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] != 0.0 {
                    rotate(&mut a, &mut v, p, q);
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j][j].total_cmp(&a[i][i]));
    let values = order.iter().map(|&i| a[i][i]).collect();
    let vectors = order.iter().map(|&j| (0..n).map(|i| v[i][j]).collect()).collect();
    Eigen { values, vectors }
}

/// A PCA of k standardised variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    pub eigenvalues: Vec<f64>,
    /// λ / k for each component.
    pub shares: Vec<f64>,
    /// Unit eigenvectors, signed so that each sums to ≥ 0.
    pub vectors: Vec<Vec<f64>>,
    /// v · √λ: each variable's correlation with the component.
    pub loadings: Vec<Vec<f64>>,
}

/// PCA of a correlation matrix; `None` when it holds NaN (a constant variable).
pub fn pca(corr: &[Vec<f64>]) -> Option<Pca> {
    if corr.is_empty() || corr.iter().flatten().any(|x| x.is_nan()) {
        return None;
    }
    let k = corr.len() as f64;
    let e = symmetric_eigen(corr);
    let vectors: Vec<Vec<f64>> = e
        .vectors
        .into_iter()
        .map(|v| if v.iter().sum::<f64>() < 0.0 { v.iter().map(|x| -x).collect() } else { v })
        .collect();
    let loadings = vectors
        .iter()
        .zip(&e.values)
        .map(|(v, l)| v.iter().map(|x| x * l.max(0.0).sqrt()).collect())
        .collect();
    let shares = e.values.iter().map(|l| l / k).collect();
    Some(Pca { eigenvalues: e.values, shares, vectors, loadings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn two_by_two_by_hand() {
        // [[1, r], [r, 1]] has eigenvalues 1 ± r with vectors (1, ±1)/√2.
        let e = symmetric_eigen(&[vec![1.0, 0.6], vec![0.6, 1.0]]);
        assert!(close(e.values[0], 1.6) && close(e.values[1], 0.4));
        let h = 0.5f64.sqrt();
        assert!(close(e.vectors[0][0].abs(), h) && close(e.vectors[0][1].abs(), h));
        assert!(close(e.vectors[0][0] * e.vectors[0][1], 0.5));
    }

    #[test]
    fn three_by_three_against_numpy() {
        // numpy.linalg.eigh([[4,1,2],[1,3,0],[2,0,5]]) (python3, numpy 2.4): eigenvalues
        // 6.669079088282288, 3.476023602918134, 1.854897308799577 (decreasing); the first
        // eigenvector (0.6311789687764832, 0.1720265367929079, 0.7563200248659909) up to sign.
        let m = [vec![4.0, 1.0, 2.0], vec![1.0, 3.0, 0.0], vec![2.0, 0.0, 5.0]];
        let e = symmetric_eigen(&m);
        for (got, want) in e.values.iter().zip([6.669079088282288, 3.476023602918134, 1.854897308799577]) {
            assert!(close(*got, want), "{got} vs {want}");
        }
        let v = &e.vectors[0];
        let s = v[0].signum();
        for (got, want) in v.iter().zip([0.6311789687764832, 0.1720265367929079, 0.7563200248659909]) {
            assert!(close(s * got, want), "{got} vs {want}");
        }
    }

    #[test]
    fn pca_shares_and_loadings() {
        let p = pca(&[vec![1.0, 0.6], vec![0.6, 1.0]]).unwrap();
        assert!(close(p.shares[0], 0.8) && close(p.shares[1], 0.2));
        // Loadings of PC1: (1/√2)·√1.6 = √0.8 each, positive by the sign convention.
        assert!(close(p.loadings[0][0], 0.8f64.sqrt()) && close(p.loadings[0][1], 0.8f64.sqrt()));
        assert!(pca(&[vec![1.0, f64::NAN], vec![f64::NAN, 1.0]]).is_none());
    }
}
