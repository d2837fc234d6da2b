//! The two small dense solves that model-based imputation needs, for the handful of
//! variables of one model (an indicator and its siblings, or a few predictors):
//!
//! - [`cholesky_solve`]: Σ X = B for a symmetric positive definite Σ, by the Cholesky factor
//!   Σ = L Lᵀ (Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 4.2.1), refusing a pivot
//!   ≤ `rel` × the largest diagonal entry (a singular or nearly singular Σ);
//! - [`least_squares`]: min ‖A b − y‖ by Householder QR (ibid. Alg. 5.3.2 and §5.3.3), which
//!   avoids squaring the condition number as the normal equations would; a column whose
//!   |Rⱼⱼ| ≤ 1e-10 × its norm is collinear with the columns before it.
//!
//! Neither is a general solver: both are exact to rounding for the well-conditioned small
//! systems they get, which the reference tests check against numpy's LAPACK solves.

/// Solves Σ X = B (Σ: n × n, B: n × m, both row-major `Vec`s of rows). `None` when a pivot of
/// the factorisation is ≤ `rel` × max Σᵢᵢ (Σ singular or not positive definite).
pub fn cholesky_solve(sigma: &[Vec<f64>], b: &[Vec<f64>], rel: f64) -> Option<Vec<Vec<f64>>> {
    let n = sigma.len();
    let top = sigma.iter().enumerate().map(|(i, r)| r[i]).fold(0.0f64, f64::max);
    let mut l = vec![vec![0.0; n]; n];
    for j in 0..n {
        let d = sigma[j][j] - (0..j).map(|k| l[j][k] * l[j][k]).sum::<f64>();
        if d.is_nan() || d <= rel * top {
            return None;
        }
        l[j][j] = d.sqrt();
        for i in j + 1..n {
            let s = sigma[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            l[i][j] = s / l[j][j];
        }
    }
    let m = b.first().map_or(0, Vec::len);
    let mut x = b.to_vec();
    #[allow(clippy::needless_range_loop)] // column c of every row: an index reads clearer
    for c in 0..m {
        // L y = b, then Lᵀ x = y.
        for i in 0..n {
            let s = x[i][c] - (0..i).map(|k| l[i][k] * x[k][c]).sum::<f64>();
            x[i][c] = s / l[i][i];
        }
        for i in (0..n).rev() {
            let s = x[i][c] - (i + 1..n).map(|k| l[k][i] * x[k][c]).sum::<f64>();
            x[i][c] = s / l[i][i];
        }
    }
    Some(x)
}

/// The least-squares coefficients b of A b ≈ y (A: rows of p entries, at least p rows).
/// `Err(j)` when column j is (numerically) a combination of the columns before it.
pub fn least_squares(a: &[Vec<f64>], y: &[f64]) -> Result<Vec<f64>, usize> {
    let (n, p) = (a.len(), a.first().map_or(0, Vec::len));
    // Column-major copy: Householder reflections act on columns.
    let mut r: Vec<Vec<f64>> = (0..p).map(|j| a.iter().map(|row| row[j]).collect()).collect();
    let norms: Vec<f64> = r.iter().map(|c| c.iter().map(|v| v * v).sum::<f64>().sqrt()).collect();
    let mut qty = y.to_vec();
    for j in 0..p {
        let alpha = r[j][j..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if j >= n || alpha <= 1e-10 * norms[j].max(f64::MIN_POSITIVE) {
            return Err(j);
        }
        let alpha = if r[j][j] > 0.0 { -alpha } else { alpha };
        let mut v: Vec<f64> = r[j][j..].to_vec();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|x| x * x).sum();
        let reflect = |col: &mut [f64]| {
            let f = 2.0 * v.iter().zip(col.iter()).map(|(a, b)| a * b).sum::<f64>() / vv;
            col.iter_mut().zip(&v).for_each(|(c, vi)| *c -= f * vi);
        };
        for col in r.iter_mut().skip(j) {
            reflect(&mut col[j..]);
        }
        reflect(&mut qty[j..]);
    }
    let mut b = vec![0.0; p];
    for i in (0..p).rev() {
        let s = qty[i] - (i + 1..p).map(|k| r[k][i] * b[k]).sum::<f64>();
        b[i] = s / r[i][i];
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system_and_refuses_a_singular_one() {
        // Σ = [[4, 2], [2, 3]]; Σ x = [2, 1] ⇒ x = [0.5, 0].
        let s = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let x = cholesky_solve(&s, &[vec![2.0], vec![1.0]], 1e-12).unwrap();
        assert!((x[0][0] - 0.5).abs() < 1e-15 && x[1][0].abs() < 1e-15);
        let singular = vec![vec![1.0, 2.0], vec![2.0, 4.0]];
        assert!(cholesky_solve(&singular, &[vec![1.0], vec![1.0]], 1e-12).is_none());
    }

    #[test]
    fn least_squares_fits_a_line_and_names_a_collinear_column() {
        // y = 1 + 2x exactly.
        let a: Vec<Vec<f64>> = (0..5).map(|x| vec![1.0, x as f64]).collect();
        let y: Vec<f64> = (0..5).map(|x| 1.0 + 2.0 * x as f64).collect();
        let b = least_squares(&a, &y).unwrap();
        assert!((b[0] - 1.0).abs() < 1e-13 && (b[1] - 2.0).abs() < 1e-13);
        // A constant predictor is collinear with the intercept.
        let c: Vec<Vec<f64>> = (0..5).map(|x| vec![1.0, x as f64, 3.0]).collect();
        assert_eq!(least_squares(&c, &y), Err(2));
    }
}
