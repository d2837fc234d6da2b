//! Seeded sampling: one RNG stream per (seed, matrix, row, input).
//!
//! Every draw comes from a ChaCha8 stream whose 256-bit key is the four numbers
//! (seed, matrix, row, input) laid side by side, so streams never collide and a draw does not
//! depend on which thread makes it, nor on the order: the files are byte-identical for any
//! `--threads`. Uncertainty analysis uses the rows of matrix A; the Saltelli design uses A,
//! B and the AB_i matrices, whose row j takes input i from B's row j and every other input
//! from A's row j (Saltelli et al. 2010).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The sample matrices of the Saltelli design (UA uses `A` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matrix {
    A,
    B,
    /// Row j of A with input i taken from row j of B.
    Ab(usize),
}

/// Stream kinds beyond the sample matrices.
const BOOTSTRAP: u64 = 2;

/// The stream for one (seed, matrix, row, input).
pub fn stream(seed: u64, matrix: u64, row: u64, input: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    for (i, v) in [seed, matrix, row, input].into_iter().enumerate() {
        key[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
    }
    ChaCha8Rng::from_seed(key)
}

/// The stream of bootstrap replicate `b`.
pub fn bootstrap_stream(seed: u64, b: usize) -> ChaCha8Rng {
    stream(seed, BOOTSTRAP, b as u64, 0)
}

/// What the inputs look like to the sampler: the number of values of each discrete input
/// (in spec order, the weights input being skipped), the weights input's position and noise,
/// and how many weights it perturbs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    /// Per spec input: `Some(k)` for a discrete input with k values, `None` for weights.
    pub inputs: Vec<Option<usize>>,
    pub noise: f64,
    /// Number of weight factors drawn (one per framework element; the root's stays 1).
    pub n_weights: usize,
}

/// One sampled point: an index per discrete input and a factor per element's weight.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draw {
    pub choice: Vec<usize>,
    pub factors: Vec<f64>,
}

impl Plan {
    /// An empty draw sized for this plan (reused between replications).
    pub fn new_draw(&self) -> Draw {
        Draw { choice: vec![0; self.inputs.iter().flatten().count()], factors: vec![1.0; self.n_weights] }
    }

    /// Fills `d` with row `row` of `matrix`; allocation-free.
    pub fn fill(&self, matrix: Matrix, row: usize, d: &mut Draw) {
        let mut c = 0;
        for (i, k) in self.inputs.iter().enumerate() {
            let from = match matrix {
                Matrix::Ab(j) if j == i => 1,
                Matrix::B => 1,
                _ => 0,
            };
            let mut rng = stream(self.seed, from, row as u64, i as u64);
            match k {
                Some(k) => {
                    d.choice[c] = rng.random_range(0..*k);
                    c += 1;
                }
                None => self.weights(&mut rng, &mut d.factors),
            }
        }
    }

    /// Factors 1 + f(2u − 1), u ~ U[0, 1): U(1 − f, 1 + f); the root (element 0) keeps 1.
    fn weights(&self, rng: &mut ChaCha8Rng, out: &mut [f64]) {
        for f in out.iter_mut().skip(1) {
            *f = 1.0 + self.noise * (2.0 * rng.random::<f64>() - 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan { seed: 7, inputs: vec![Some(3), None, Some(2)], noise: 0.25, n_weights: 5 }
    }

    #[test]
    fn ab_rows_mix_a_and_b_by_input() {
        let p = plan();
        let (mut a, mut b, mut ab) = (p.new_draw(), p.new_draw(), p.new_draw());
        p.fill(Matrix::A, 4, &mut a);
        p.fill(Matrix::B, 4, &mut b);
        p.fill(Matrix::Ab(1), 4, &mut ab);
        assert_eq!(ab.choice, a.choice);
        assert_eq!(ab.factors, b.factors);
        p.fill(Matrix::Ab(2), 4, &mut ab);
        assert_eq!((ab.choice[0], ab.choice[1]), (a.choice[0], b.choice[1]));
        assert_eq!(ab.factors, a.factors);
    }

    #[test]
    fn factors_stay_in_range_and_the_root_is_fixed() {
        let p = plan();
        let mut d = p.new_draw();
        for row in 0..200 {
            p.fill(Matrix::A, row, &mut d);
            assert_eq!(d.factors[0], 1.0);
            assert!(d.factors[1..].iter().all(|f| (0.75..1.25).contains(f)));
            assert!(d.choice[0] < 3 && d.choice[1] < 2);
        }
    }
}
