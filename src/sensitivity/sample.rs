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

/// The stream of a (seed, matrix, row, input) key.
pub fn stream_of(key: [u64; 4]) -> ChaCha8Rng {
    stream(key[0], key[1], key[2], key[3])
}

/// The stream of bootstrap replicate `b`.
pub fn bootstrap_stream(seed: u64, b: usize) -> ChaCha8Rng {
    stream(seed, BOOTSTRAP, b as u64, 0)
}

/// One spec input, as the sampler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A discrete input with k values.
    Choice(usize),
    Weights,
    Respondents,
    /// Noise on the data values.
    Data,
}

/// What the inputs look like to the sampler: each input's kind (in spec order), the
/// weights input's noise, and which weights it perturbs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub inputs: Vec<Slot>,
    pub noise: f64,
    /// Per framework element: whether its weight gets a factor (the root's never does; the
    /// others keep 1).
    pub perturbed: Vec<bool>,
}

/// One sampled point: an index per discrete input, a factor per element's weight, and the
/// stream the respondents are resampled from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draw {
    pub choice: Vec<usize>,
    pub factors: Vec<f64>,
    /// (seed, matrix, row, input) of the respondents' stream, when the spec resamples them.
    pub respondents: Option<[u64; 4]>,
    /// The streams of the data-noise inputs, in spec order.
    pub data: Vec<[u64; 4]>,
}

impl Draw {
    /// Whether the replication runs the pipeline on varied data (respondents or values).
    pub fn reruns(&self) -> bool {
        self.respondents.is_some() || !self.data.is_empty()
    }
}

impl Plan {
    /// An empty draw sized for this plan (reused between replications).
    pub fn new_draw(&self) -> Draw {
        let choices = self.inputs.iter().filter(|s| matches!(s, Slot::Choice(_))).count();
        let data = self.inputs.iter().filter(|s| matches!(s, Slot::Data)).count();
        Draw {
            choice: vec![0; choices],
            factors: vec![1.0; self.perturbed.len()],
            respondents: None,
            data: vec![[0; 4]; data],
        }
    }

    /// Fills `d` with row `row` of `matrix`; allocation-free.
    pub fn fill(&self, matrix: Matrix, row: usize, d: &mut Draw) {
        let (mut c, mut n) = (0, 0);
        for (i, k) in self.inputs.iter().enumerate() {
            let from = match matrix {
                Matrix::Ab(j) if j == i => 1,
                Matrix::B => 1,
                _ => 0,
            };
            let key = [self.seed, from, row as u64, i as u64];
            match k {
                Slot::Choice(k) => {
                    d.choice[c] = stream_of(key).random_range(0..*k);
                    c += 1;
                }
                Slot::Weights => self.weights(&mut stream_of(key), &mut d.factors),
                Slot::Respondents => d.respondents = Some(key),
                Slot::Data => {
                    d.data[n] = key;
                    n += 1;
                }
            }
        }
    }

    /// Factors 1 + f(2u − 1), u ~ U[0, 1): U(1 − f, 1 + f), drawn in element order for the
    /// perturbed elements only (so perturbing every one draws what it always drew); the root
    /// (element 0) and the others keep 1.
    fn weights(&self, rng: &mut ChaCha8Rng, out: &mut [f64]) {
        for (f, &on) in out.iter_mut().zip(&self.perturbed).skip(1) {
            *f = if on { 1.0 + self.noise * (2.0 * rng.random::<f64>() - 1.0) } else { 1.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            seed: 7,
            inputs: vec![Slot::Choice(3), Slot::Weights, Slot::Choice(2)],
            noise: 0.25,
            perturbed: vec![true; 5],
        }
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

    #[test]
    fn unperturbed_weights_keep_factor_one_and_the_others_their_draws() {
        let all = plan();
        let some = Plan { perturbed: vec![true, true, false, true, false], ..plan() };
        let (mut a, mut s) = (all.new_draw(), some.new_draw());
        all.fill(Matrix::A, 3, &mut a);
        some.fill(Matrix::A, 3, &mut s);
        assert_eq!((s.factors[2], s.factors[4]), (1.0, 1.0));
        // The perturbed ones take the stream's draws in order.
        assert_eq!((s.factors[1], s.factors[3]), (a.factors[1], a.factors[2]));
    }
}
