//! Varimax rotation (Kaiser 1958) with Kaiser normalisation, by the SVD iteration of R's
//! `stats::varimax`, stopped on the rotation rather than on the criterion.
//!
//! With A the loadings (p × k) divided row by row by hᵢ = √Σⱼ Lᵢⱼ², and T = I at first:
//!
//! ```text
//! Z = A·T,   B = Aᵀ (Z³ − Z · diag(Σᵢ Zᵢⱼ²) / p),   T ← U·Vᵀ  where B = U·S·Vᵀ
//! ```
//!
//! until no entry of T moves by more than `tol`; the rotated loadings are (A·T)·h. R stops
//! when the criterion changes by less than `eps`; that change is second order in the angle,
//! so R's default leaves loadings wrong in the 4th decimal.
//!
//! When B is 0 the loadings are already a stationary point (two variables on two factors, by
//! symmetry): they are left unrotated, as an SVD of the zero matrix leaves T = I.
//!
//! U·Vᵀ, the orthogonal polar factor of B, is read from the eigenvectors of the symmetric
//! matrix [[0, B], [Bᵀ, 0]] (eigenvalues ±sᵢ, eigenvectors (uᵢ, ±vᵢ)/√2), which keeps the
//! accuracy of an SVD (error ∝ the condition of B, not its square).

use super::eigen::symmetric_eigen;

/// |B| entries below this (per variable) count as 0: rounding of an exact stationary point.
const STATIONARY: f64 = 1e-13;

/// Rotated loadings (rows = variables) and the iterations used; `None` when the rotation did
/// not settle within `max_iter`, or B became singular (no unique rotation).
pub fn varimax(loadings: &[Vec<f64>], tol: f64, max_iter: usize) -> Option<(Vec<Vec<f64>>, usize)> {
    let p = loadings.len();
    let k = loadings.first().map_or(0, Vec::len);
    if k < 2 {
        return Some((loadings.to_vec(), 0));
    }
    let h: Vec<f64> = loadings.iter().map(|r| r.iter().map(|x| x * x).sum::<f64>().sqrt()).collect();
    let a: Vec<Vec<f64>> = loadings
        .iter()
        .zip(&h)
        .map(|(r, hi)| r.iter().map(|x| if *hi > 0.0 { x / hi } else { 0.0 }).collect())
        .collect();
    let mut t: Vec<Vec<f64>> =
        (0..k).map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    for it in 1..=max_iter {
        let z = mul(&a, &t);
        let col2: Vec<f64> = (0..k).map(|j| z.iter().map(|r| r[j] * r[j]).sum::<f64>()).collect();
        let inner: Vec<Vec<f64>> =
            z.iter().map(|r| (0..k).map(|j| r[j].powi(3) - r[j] * col2[j] / p as f64).collect()).collect();
        let b = mul(&transpose(&a), &inner);
        // B = 0: the loadings are a stationary point of the criterion (two variables on two
        // factors, by symmetry); no rotation moves them.
        let next =
            if b.iter().flatten().all(|x| x.abs() <= STATIONARY * p as f64) { t.clone() } else { polar(&b)? };
        let moved =
            t.iter().flatten().zip(next.iter().flatten()).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
        t = next;
        if moved < tol {
            let rotated =
                mul(&a, &t).into_iter().zip(&h).map(|(r, hi)| r.iter().map(|x| x * hi).collect()).collect();
            return Some((rotated, it));
        }
    }
    None
}

/// The orthogonal polar factor U·Vᵀ of a square matrix; `None` when it is singular.
fn polar(b: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = b.len();
    let mut aug = vec![vec![0.0; 2 * k]; 2 * k];
    for i in 0..k {
        for j in 0..k {
            aug[i][k + j] = b[i][j];
            aug[k + j][i] = b[i][j];
        }
    }
    let e = symmetric_eigen(&aug);
    let top = e.values[0].abs();
    // The k largest eigenvalues are +s₁ … +s_k; a zero one leaves the factor undefined.
    if top.is_nan() || top <= 0.0 || e.values[k - 1] <= 1e-12 * top {
        return None;
    }
    let mut out = vec![vec![0.0; k]; k];
    for v in &e.vectors[..k] {
        // v = (u, v)/√2: u·vᵀ = 2 · top · bottomᵀ.
        for i in 0..k {
            for j in 0..k {
                out[i][j] += 2.0 * v[i] * v[k + j];
            }
        }
    }
    Some(out)
}

fn mul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let m = b.first().map_or(0, Vec::len);
    a.iter().map(|r| (0..m).map(|j| r.iter().zip(b).map(|(x, row)| x * row[j]).sum()).collect()).collect()
}

fn transpose(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let m = a.first().map_or(0, Vec::len);
    (0..m).map(|j| a.iter().map(|r| r[j]).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn polar_factor_of_a_known_matrix() {
        // B = R(30°)·diag(3, 1): its polar factor is the rotation R(30°).
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let b = vec![vec![3.0 * c, -s], vec![3.0 * s, c]];
        let t = polar(&b).unwrap();
        assert!(close(t[0][0], c) && close(t[0][1], -s) && close(t[1][0], s) && close(t[1][1], c), "{t:?}");
        assert!(polar(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_none());
    }

    #[test]
    fn five_variables_against_numpy() {
        // tests/reference/methods/weights.py's `varimax` (numpy's SVD, run to a rotation
        // moving by < 1e-15; 24 iterations) on these loadings:
        let l = [[0.8, 0.3], [0.7, 0.4], [0.2, 0.9], [0.3, 0.7], [0.6, -0.2]];
        let want = [
            [0.729947210370357, 0.44404624767307066],
            [0.6130397476819245, 0.5236241665183935],
            [0.028502434239762776, 0.9215137607450081],
            [0.16407466884974986, 0.7436931511328075],
            [0.6267856884443752, -0.08449675000442691],
        ];
        let l: Vec<Vec<f64>> = l.iter().map(|r| r.to_vec()).collect();
        let (rot, _) = varimax(&l, 1e-12, 1000).unwrap();
        for (r, w) in rot.iter().zip(want) {
            assert!((r[0] - w[0]).abs() < 1e-11 && (r[1] - w[1]).abs() < 1e-11, "{r:?} vs {w:?}");
        }
        // One factor: nothing to rotate.
        assert_eq!(varimax(&[vec![0.5], vec![0.7]], 1e-12, 10).unwrap().0, vec![vec![0.5], vec![0.7]]);
    }
}
