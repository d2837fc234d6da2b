//! What a replication cannot change, computed once per variant.
//!
//! A node's scores depend on its children's scores and weights only. When no weight below a
//! node is perturbed (COINr's vignette perturbs pillars and sub-indices, `levels = [2, 3]`,
//! so the indicator weights stay), its scores, ranks and bands are the same in every
//! replication of a variant: [`Fixed`] keeps them per variant, and a replication
//! re-aggregates only the nodes above ([`Fixed::evaluate`]). The cached scores come from the
//! same [`reaggregate`] on the same numbers (an unperturbed weight is `base × 1.0`, the same
//! bits), so every output is bit for bit what a full evaluation gives.
//!
//! The summaries of a fixed point need no stored runs either: how many runs took each
//! variant, and (for the mean, summed in run order as before) the variant of each run
//! ([`super::summary::summarise_counted`]).

use super::Prepared;
use super::model::{NodeLogs, Scratch, Shape, Variant, load_indicators, rank_into, reaggregate};
use super::sample::Slot;
use crate::methodology::Aggregate;

/// Where a replication's outputs go: scores and ranks.
pub type Out<'a> = (&'a mut [f64], &'a mut [u32]);

/// Per variant, the scores and ranks no replication can change, and which nodes vary.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// Per element: whether its scores are the same in every replication of a variant
    /// (indicators, and nodes none of whose children varies or has a perturbed weight).
    pub fixed: Vec<bool>,
    /// The nodes a replication re-aggregates, children before parents.
    pub varying: Vec<usize>,
    /// Fixed elements copied into a replication's scores: those a varying node reads, and
    /// every fixed node (the outputs read them there).
    pub copied: Vec<usize>,
    /// Output columns (positions in [`Shape::nodes`]) that vary, and that are fixed.
    pub varying_cols: Vec<usize>,
    pub fixed_cols: Vec<usize>,
    /// Per variant: (year × element × unit) scores, meaningful for fixed elements.
    pub values: Vec<Vec<f64>>,
    /// Per variant: ranks in the output layout (year × node × unit; 0 missing), meaningful
    /// in the fixed columns.
    pub ranks: Vec<Vec<u32>>,
    /// Per variant: points of fixed nodes left missing by an undefined mean.
    pub failed: Vec<usize>,
    /// Per variant that takes a geometric mean of varying nodes: the logs of the fixed
    /// nodes those means read ([`NodeLogs`], marked by `logged`).
    pub logs: Vec<Option<Vec<f64>>>,
    pub logged: Vec<bool>,
}

impl Fixed {
    /// The cache of `p`'s variants; `None` when a replication changes more than weights
    /// (a resampled input makes its own variant).
    pub fn of(p: &Prepared) -> Option<Fixed> {
        let only_weights = p.plan(0).inputs.iter().all(|s| matches!(s, Slot::Choice(_) | Slot::Weights));
        if p.boot.is_some() || !only_weights {
            return None;
        }
        let shape = &p.shape;
        let mut fixed: Vec<bool> = shape.indicator_of.iter().map(Option::is_some).collect();
        for &node in &shape.bottom_up {
            fixed[node] = shape.children[node].iter().all(|&k| fixed[k] && !p.perturbed[k]);
        }
        let varying: Vec<usize> = shape.bottom_up.iter().copied().filter(|&n| !fixed[n]).collect();
        let read = |e: usize| varying.iter().any(|&n| shape.children[n].contains(&e));
        let copied =
            (0..shape.elements()).filter(|&e| fixed[e] && (read(e) || shape.indicator_of[e].is_none()));
        let (fixed_cols, varying_cols) = (0..shape.nodes.len()).partition(|&j| fixed[shape.nodes[j]]);
        let logged =
            (0..shape.elements()).map(|e| fixed[e] && shape.indicator_of[e].is_none() && read(e)).collect();
        let mut f = Fixed {
            copied: copied.collect(),
            varying,
            fixed_cols,
            varying_cols,
            values: Vec::with_capacity(p.variants.len()),
            ranks: Vec::with_capacity(p.variants.len()),
            failed: Vec::with_capacity(p.variants.len()),
            logs: Vec::with_capacity(p.variants.len()),
            logged,
            fixed,
        };
        let nodes: Vec<usize> = shape.bottom_up.iter().copied().filter(|&n| f.fixed[n]).collect();
        let (mut s, ones) = (Scratch::new(shape), vec![1.0; shape.elements()]);
        for v in &p.variants {
            load_indicators(shape, v, &mut s);
            reaggregate(shape, v, &ones, &mut s, &nodes, None);
            let mut ranks = vec![0u32; shape.points()];
            f.rank_fixed(shape, v, &mut s, &mut ranks);
            f.logs.push(f.logs_of(shape, v, &s.values));
            f.values.push(s.values.clone());
            f.ranks.push(ranks);
            f.failed.push(s.failed);
        }
        Some(f)
    }

    /// `ln` of the logged nodes' scores in `values`, when a varying node of `v` takes a
    /// geometric mean through the logs (see [`super::model::reaggregate`]).
    fn logs_of(&self, shape: &Shape, v: &Variant, values: &[f64]) -> Option<Vec<f64>> {
        let geometric = self.varying.iter().any(|&n| matches!(v.aggregate[n], Aggregate::Geometric));
        if !geometric || v.ln_normalised.is_none() {
            return None;
        }
        let (nu, ne) = (shape.units, shape.elements());
        let mut ln = vec![f64::NAN; values.len()];
        for (i, (l, x)) in ln.iter_mut().zip(values).enumerate() {
            if self.logged[i / nu % ne] {
                *l = x.ln();
            }
        }
        Some(ln)
    }

    fn rank_fixed(&self, shape: &Shape, v: &Variant, s: &mut Scratch, ranks: &mut [u32]) {
        let (nu, ne, nn) = (shape.units, shape.elements(), shape.nodes.len());
        for y in 0..shape.years {
            for &j in &self.fixed_cols {
                let node = shape.nodes[j];
                let col = &s.values[(y * ne + node) * nu..(y * ne + node + 1) * nu];
                let at = (y * nn + j) * nu;
                rank_into(col, v.higher_is, &mut s.orders[y * ne + node], &mut ranks[at..at + nu]);
            }
        }
    }

    /// Replication scores of variant `vi` (`v`) with weights × `factors` into `s.values`:
    /// [`super::model::evaluate`]'s, re-aggregating the varying nodes only.
    pub fn evaluate(&self, shape: &Shape, (vi, v): (usize, &Variant), factors: &[f64], s: &mut Scratch) {
        let (nu, ne) = (shape.units, shape.elements());
        let cached = &self.values[vi];
        for y in 0..shape.years {
            for &e in &self.copied {
                let at = (y * ne + e) * nu..(y * ne + e + 1) * nu;
                s.values[at.clone()].copy_from_slice(&cached[at]);
            }
        }
        let logs = self.logs[vi].as_deref().map(|ln| NodeLogs { ln, has: &self.logged });
        reaggregate(shape, v, factors, s, &self.varying, logs);
        s.failed += self.failed[vi];
    }

    /// [`super::model::outputs`] of output columns `cols` only, (year × col × unit): the
    /// fixed columns' ranks from the cache.
    pub fn outputs(
        &self,
        shape: &Shape,
        (vi, v): (usize, &Variant),
        s: &mut Scratch,
        cols: &[usize],
        out: Out,
    ) {
        let (nu, ne, nn) = (shape.units, shape.elements(), shape.nodes.len());
        let (scores, ranks) = out;
        let higher_is = v.higher_is;
        s.reserve_variant(vi, shape.years * cols.len());
        for y in 0..shape.years {
            for (jj, &j) in cols.iter().enumerate() {
                let node = shape.nodes[j];
                let src = &s.values[(y * ne + node) * nu..(y * ne + node + 1) * nu];
                let at = (y * cols.len() + jj) * nu;
                scores[at..at + nu].copy_from_slice(src);
                if self.fixed[node] {
                    let from = (y * nn + j) * nu;
                    ranks[at..at + nu].copy_from_slice(&self.ranks[vi][from..from + nu]);
                } else {
                    let order = &mut s.variant_orders[vi][y * cols.len() + jj];
                    rank_into(src, higher_is, order, &mut ranks[at..at + nu]);
                }
            }
        }
    }
}
