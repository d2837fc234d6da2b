//! The fast model: what one replication recomputes, and nothing more.
//!
//! Each combination of discrete alternatives is validated and run through the full pipeline
//! once, up front ([`super::prepare`]); a [`Variant`] keeps only what aggregation needs: the
//! normalised indicators (shared between variants whose normalised panels are identical, e.g.
//! those that differ only in the aggregation method), each element's weight, aggregation
//! method and coverage rule, and the transparency penalty. A replication then aggregates and
//! ranks with the same [`combine`] and tie rule as `stages::run`, in buffers allocated once per
//! thread ([`Scratch`]); with no noise it reproduces the pipeline's scores bit for bit.

use crate::methodology::{Aggregate, Band, HigherIs, Methodology};
use crate::stages::aggregate::combine;
use crate::stages::rank::TIE_EPS;
use std::sync::Arc;

/// Coverage shares within this of the threshold count as meeting it (as `stages::aggregate`).
const COVERAGE_SLACK: f64 = 1e-12;

/// One combination of discrete alternatives, ready to aggregate.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Normalised indicators, (year × indicator × unit), NaN missing.
    pub normalised: Arc<Vec<f64>>,
    /// Per element: declared weight.
    pub weights: Vec<f64>,
    /// Per element (nodes only meaningful): aggregation method and minimum coverage.
    pub aggregate: Vec<Aggregate>,
    pub min_coverage: Vec<f64>,
    /// Aggregated layout (year × element × unit): points subtracted, 0 where none.
    pub penalty: Vec<f64>,
    pub higher_is: HigherIs,
}

/// The framework shape shared by every variant.
#[derive(Debug, Clone)]
pub struct Shape {
    pub units: usize,
    pub years: usize,
    /// Element id of each indicator, in framework order.
    pub indicators: Vec<usize>,
    /// Node ids, children before parents.
    pub bottom_up: Vec<usize>,
    pub children: Vec<Vec<usize>>,
    /// Node ids in framework order: the columns of the per-replication outputs.
    pub nodes: Vec<usize>,
    /// Per output node: the bands that apply to it, ascending.
    pub bands: Vec<Vec<Band>>,
}

impl Shape {
    pub fn of(m: &Methodology, units: usize, years: usize) -> Shape {
        let fw = &m.framework;
        let nodes: Vec<usize> = (0..fw.elements.len()).filter(|&i| !fw.elements[i].is_indicator()).collect();
        let bands = nodes
            .iter()
            .map(|&n| {
                crate::stages::band::applicable(&m.bands, &fw.elements[n].code).into_iter().cloned().collect()
            })
            .collect();
        Shape {
            units,
            years,
            indicators: fw.indicators.clone(),
            bottom_up: fw.bottom_up.clone(),
            children: fw.elements.iter().map(|e| e.children.clone()).collect(),
            nodes,
            bands,
        }
    }

    pub fn elements(&self) -> usize {
        self.children.len()
    }

    /// Points per replication: year × output node × unit.
    pub fn points(&self) -> usize {
        self.years * self.nodes.len() * self.units
    }

    /// Index of the band of output node `n` holding `score`: the rule of
    /// [`crate::stages::band::band_of`] (min inclusive, max exclusive, the top edge closed),
    /// without its allocation.
    pub fn band(&self, n: usize, score: f64) -> Option<usize> {
        let bands = &self.bands[n];
        if score.is_nan() {
            return None;
        }
        let top = bands.iter().map(|b| b.max).fold(f64::NEG_INFINITY, f64::max);
        bands.iter().position(|b| b.min <= score && (score < b.max || (score == b.max && b.max == top)))
    }
}

/// Buffers one thread reuses for every replication.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// (year × element × unit) scores.
    pub values: Vec<f64>,
    weights: Vec<f64>,
    kids: Vec<(f64, f64)>,
    /// Sort buffer of the ranking.
    pub order: Vec<usize>,
    /// Failed points (a negative child in a geometric mean) in the last replication.
    pub failed: usize,
}

impl Scratch {
    pub fn new(s: &Shape) -> Scratch {
        Scratch {
            values: vec![f64::NAN; s.years * s.elements() * s.units],
            weights: vec![0.0; s.elements()],
            kids: Vec::with_capacity(s.children.iter().map(Vec::len).max().unwrap_or(0)),
            order: Vec::with_capacity(s.units),
            failed: 0,
        }
    }
}

/// Aggregates `v` with weights × `factors` into `s.values`; allocation-free.
pub fn evaluate(shape: &Shape, v: &Variant, factors: &[f64], s: &mut Scratch) {
    let (nu, ne, ni) = (shape.units, shape.elements(), shape.indicators.len());
    for (w, (base, f)) in s.weights.iter_mut().zip(v.weights.iter().zip(factors)) {
        *w = base * f;
    }
    s.failed = 0;
    for y in 0..shape.years {
        for (c, &id) in shape.indicators.iter().enumerate() {
            let src = &v.normalised[(y * ni + c) * nu..(y * ni + c + 1) * nu];
            s.values[(y * ne + id) * nu..(y * ne + id + 1) * nu].copy_from_slice(src);
        }
        for &node in &shape.bottom_up {
            aggregate_node(shape, v, y, node, s);
        }
    }
}

fn aggregate_node(shape: &Shape, v: &Variant, y: usize, node: usize, s: &mut Scratch) {
    let (nu, ne) = (shape.units, shape.elements());
    let kids = &shape.children[node];
    let w_all: f64 = kids.iter().map(|&k| s.weights[k]).filter(|&w| w > 0.0).sum();
    for u in 0..nu {
        s.kids.clear();
        for &k in kids {
            let (x, w) = (s.values[(y * ne + k) * nu + u], s.weights[k]);
            if w > 0.0 && !x.is_nan() {
                s.kids.push((x, w));
            }
        }
        let t = (y * ne + node) * nu + u;
        let share = s.kids.iter().map(|p| p.1).sum::<f64>() / w_all;
        s.values[t] = if s.kids.is_empty() || share + COVERAGE_SLACK < v.min_coverage[node] {
            f64::NAN
        } else {
            match combine(v.aggregate[node], &s.kids, w_all) {
                Ok(x) => x - v.penalty[t],
                Err(_) => {
                    s.failed += 1;
                    f64::NAN
                }
            }
        };
    }
}

/// Ranks of one column into `out` (0 = missing): the rule of `stages::rank` (ties within
/// [`TIE_EPS`] of a group's first score share its rank, "min").
pub fn rank_into(scores: &[f64], higher_is: HigherIs, order: &mut Vec<usize>, out: &mut [u32]) {
    order.clear();
    order.extend((0..scores.len()).filter(|&i| !scores[i].is_nan()));
    order.sort_unstable_by(|&a, &b| match higher_is {
        HigherIs::Better => scores[b].total_cmp(&scores[a]),
        HigherIs::Worse => scores[a].total_cmp(&scores[b]),
    });
    out.fill(0);
    let (mut leader, mut leader_rank) = (f64::NAN, 0u32);
    for (pos, &i) in order.iter().enumerate() {
        if (scores[i] - leader).abs() >= TIE_EPS || leader.is_nan() {
            leader = scores[i];
            leader_rank = pos as u32 + 1;
        }
        out[i] = leader_rank;
    }
}

/// Writes the output nodes' scores and ranks (year × node × unit) of the last evaluation.
pub fn outputs(shape: &Shape, v: &Variant, s: &mut Scratch, scores: &mut [f64], ranks: &mut [u32]) {
    let (nu, ne, nn) = (shape.units, shape.elements(), shape.nodes.len());
    for y in 0..shape.years {
        for (j, &node) in shape.nodes.iter().enumerate() {
            let src = &s.values[(y * ne + node) * nu..(y * ne + node + 1) * nu];
            let at = (y * nn + j) * nu;
            scores[at..at + nu].copy_from_slice(src);
            rank_into(src, v.higher_is, &mut s.order, &mut ranks[at..at + nu]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::band::band_of;
    use crate::stages::rank::rank;

    #[test]
    fn band_lookup_matches_the_pipeline_rule() {
        let b = |label: &str, min: f64, max: f64| Band {
            label: label.into(),
            min,
            max,
            color: None,
            nodes: None,
        };
        let bands = vec![b("high", 0.0, 40.0), b("low", 40.0, 100.0)];
        let shape = Shape {
            units: 0,
            years: 0,
            indicators: vec![],
            bottom_up: vec![],
            children: vec![],
            nodes: vec![0],
            bands: vec![bands.clone()],
        };
        let refs: Vec<&Band> = bands.iter().collect();
        for x in [-1.0, 0.0, 39.99, 40.0, 99.0, 100.0, 100.5, f64::NAN] {
            assert_eq!(shape.band(0, x), band_of(&refs, x), "{x}");
        }
    }

    #[test]
    fn rank_into_matches_the_pipeline_rank() {
        let scores = [10.0, 20.0, 20.0 + 1e-12, f64::NAN, 5.0, 5.0 + 2e-9];
        for h in [HigherIs::Better, HigherIs::Worse] {
            let (mut order, mut out) = (Vec::new(), vec![9; scores.len()]);
            rank_into(&scores, h, &mut order, &mut out);
            let want: Vec<u32> = rank(&scores, h).into_iter().map(|r| r.unwrap_or(0)).collect();
            assert_eq!(out, want);
        }
    }
}
