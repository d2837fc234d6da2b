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
use crate::stages::rank::{assign, order_key};
use std::sync::Arc;

/// Coverage shares within this of the threshold count as meeting it (as `stages::aggregate`).
const COVERAGE_SLACK: f64 = 1e-12;

/// One combination of discrete alternatives, ready to aggregate.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Normalised indicators, (year × indicator × unit), NaN missing.
    pub normalised: Arc<Vec<f64>>,
    /// Their natural logs, when some node takes a geometric mean.
    pub ln_normalised: Option<Arc<Vec<f64>>>,
    /// Per element: declared weight.
    pub weights: Vec<f64>,
    /// Per element (nodes only meaningful): aggregation method and minimum coverage.
    pub aggregate: Vec<Aggregate>,
    pub min_coverage: Vec<f64>,
    /// Aggregated layout (year × element × unit): points subtracted, 0 where none.
    pub penalty: Vec<f64>,
    pub higher_is: HigherIs,
    /// Whether its scores are on the nominal methodology's scale, where the bands are
    /// defined (see [`super::Scale`]).
    pub on_nominal_scale: bool,
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
    /// Per element: its column among the indicators, if it is one.
    pub indicator_of: Vec<Option<usize>>,
    /// Per output node: the highest `max` of its bands (that edge is closed).
    pub tops: Vec<f64>,
}

impl Shape {
    pub fn of(m: &Methodology, units: usize, years: usize) -> Shape {
        let fw = &m.framework;
        let nodes: Vec<usize> = (0..fw.elements.len()).filter(|&i| !fw.elements[i].is_indicator()).collect();
        let bands: Vec<Vec<Band>> = nodes
            .iter()
            .map(|&n| {
                crate::stages::band::applicable(&m.bands, &fw.elements[n].code).into_iter().cloned().collect()
            })
            .collect();
        let tops = bands.iter().map(|b| b.iter().map(|b| b.max).fold(f64::NEG_INFINITY, f64::max)).collect();
        Shape {
            units,
            years,
            indicators: fw.indicators.clone(),
            bottom_up: fw.bottom_up.clone(),
            children: fw.elements.iter().map(|e| e.children.clone()).collect(),
            nodes,
            bands,
            indicator_of: (0..fw.elements.len())
                .map(|e| fw.indicators.iter().position(|&i| i == e))
                .collect(),
            tops,
        }
    }

    pub fn indicator_col(&self, element: usize) -> Option<usize> {
        self.indicator_of[element]
    }

    pub fn elements(&self) -> usize {
        self.children.len()
    }

    /// Points per replication: year × output node × unit.
    pub fn points(&self) -> usize {
        self.years * self.nodes.len() * self.units
    }

    /// Index of the band of output node `n` holding `score`: the rule of
    /// [`crate::stages::band::band_of`] (min inclusive, max exclusive, the top edge closed,
    /// a score within `EDGE_EPS` of an edge on it), without its allocation.
    pub fn band(&self, n: usize, score: f64) -> Option<usize> {
        let (bands, top) = (&self.bands[n], self.tops[n]);
        bands.iter().position(|b| crate::stages::band::holds(b.min, b.max, top, score))
    }
}

/// Buffers one thread reuses for every replication.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// (year × element × unit) scores.
    pub values: Vec<f64>,
    weights: Vec<f64>,
    kids: Vec<(f64, f64)>,
    /// Per unit: present weight, weighted sum (of values or logs), zero/negative child.
    acc_w: Vec<f64>,
    acc_x: Vec<f64>,
    bad: Vec<u8>,
    /// Per unit: the logs of a child's scores that no cache holds.
    ln_child: Vec<f64>,
    /// Per (year, element): the sorted (order key, unit) pairs of its last ranking.
    pub orders: Vec<Vec<(i64, u32)>>,
    /// The same per variant, then per output slot of a replication (year × column ranked):
    /// runs take their variants at random, and a column's order in the last run of the same
    /// variant is far closer (only the weights differ) than the last run's, on another scale
    /// or mean. A variant's slots are made when a run first takes it.
    pub variant_orders: Vec<Vec<Vec<(i64, u32)>>>,
    /// Failed points (a negative child in a geometric mean) in the last replication.
    pub failed: usize,
}

impl Scratch {
    pub fn new(s: &Shape) -> Scratch {
        Scratch {
            values: vec![f64::NAN; s.years * s.elements() * s.units],
            weights: vec![0.0; s.elements()],
            kids: Vec::with_capacity(s.children.iter().map(Vec::len).max().unwrap_or(0)),
            acc_w: vec![0.0; s.units],
            acc_x: vec![0.0; s.units],
            bad: vec![0; s.units],
            ln_child: vec![0.0; s.units],
            orders: vec![Vec::new(); s.years * s.elements()],
            variant_orders: Vec::new(),
            failed: 0,
        }
    }

    /// Makes room in [`Scratch::variant_orders`] for `slots` orders of variant `v`.
    pub fn reserve_variant(&mut self, v: usize, slots: usize) {
        if self.variant_orders.len() <= v {
            self.variant_orders.resize_with(v + 1, Vec::new);
        }
        if self.variant_orders[v].len() < slots {
            self.variant_orders[v].resize_with(slots, Vec::new);
        }
    }
}

/// Natural logs of some nodes' scores, (year × element × unit), for the elements `has`
/// marks: a node's scores that no replication of a variant changes have the same logs in
/// every replication, so a geometric mean above it need not take them again.
#[derive(Debug, Clone, Copy)]
pub struct NodeLogs<'a> {
    pub ln: &'a [f64],
    pub has: &'a [bool],
}

/// Aggregates `v` with weights × `factors` into `s.values`; allocation-free.
pub fn evaluate(shape: &Shape, v: &Variant, factors: &[f64], s: &mut Scratch) {
    load_indicators(shape, v, s);
    reaggregate(shape, v, factors, s, &shape.bottom_up, None);
}

/// Copies `v`'s normalised indicators into `s.values`.
pub fn load_indicators(shape: &Shape, v: &Variant, s: &mut Scratch) {
    let (nu, ne, ni) = (shape.units, shape.elements(), shape.indicators.len());
    for y in 0..shape.years {
        for (c, &id) in shape.indicators.iter().enumerate() {
            let src = &v.normalised[(y * ni + c) * nu..(y * ni + c + 1) * nu];
            s.values[(y * ne + id) * nu..(y * ne + id + 1) * nu].copy_from_slice(src);
        }
    }
}

/// Aggregates `nodes` (children before parents, their children's scores already in
/// `s.values`) with weights × `factors`; `s.failed` counts their undefined points. A
/// geometric mean reads its children's logs from `logs` where it has them (the same
/// `ln` of the same scores, so the same bits).
/// Each year's nodes read that year's scores only, so the order of years does not matter.
pub fn reaggregate(
    shape: &Shape,
    v: &Variant,
    factors: &[f64],
    s: &mut Scratch,
    nodes: &[usize],
    logs: Option<NodeLogs>,
) {
    for (w, (base, f)) in s.weights.iter_mut().zip(v.weights.iter().zip(factors)) {
        *w = base * f;
    }
    s.failed = 0;
    for y in 0..shape.years {
        for &node in nodes {
            aggregate_node(shape, v, (y, node), s, logs);
        }
    }
}

/// A node's scores for every unit: column-wise arithmetic and geometric means, any other
/// method through [`combine`].
fn aggregate_node(
    shape: &Shape,
    v: &Variant,
    (y, node): (usize, usize),
    s: &mut Scratch,
    logs: Option<NodeLogs>,
) {
    match (&v.aggregate[node], &v.ln_normalised) {
        (Aggregate::Arithmetic, _) => columns(shape, v, (y, node), s, None),
        (Aggregate::Geometric, Some(ln)) => columns(shape, v, (y, node), s, Some((ln, logs))),
        _ => general(shape, v, y, node, s),
    }
}

/// Arithmetic (`ln` = `None`): Σ w x / W over the present children, summed in child order
/// exactly as [`combine`] does, so the bits agree. Geometric (`ln` given, the indicators'
/// cached logs, and those of `NodeLogs`): exp(Σ w ln x / W), 0 with a zero child, undefined (counted in
/// `failed`) with a negative one. This is the log form that [`combine`] falls back to on
/// overflow; it may differ from the pipeline's (Π x^w)^(1/W) in the last bits (≈1e-15
/// relative), far below the 1e-9 rank tie threshold, and saves a `powf` per child.
fn columns(
    shape: &Shape,
    v: &Variant,
    (y, node): (usize, usize),
    s: &mut Scratch,
    ln: Option<(&Arc<Vec<f64>>, Option<NodeLogs>)>,
) {
    let (nu, ne, ni) = (shape.units, shape.elements(), shape.indicators.len());
    s.acc_w.fill(-0.0);
    s.acc_x.fill(-0.0);
    s.bad.fill(0);
    let mut w_all = -0.0;
    for &k in &shape.children[node] {
        let w = s.weights[k];
        if w <= 0.0 {
            continue;
        }
        w_all += w;
        let x = &s.values[(y * ne + k) * nu..(y * ne + k + 1) * nu];
        let logs = ln.and_then(|(l, nodes)| match shape.indicator_col(k) {
            Some(c) => Some(&l[(y * ni + c) * nu..(y * ni + c + 1) * nu]),
            None => nodes.filter(|n| n.has[k]).map(|n| &n.ln[(y * ne + k) * nu..(y * ne + k + 1) * nu]),
        });
        match (ln, logs) {
            (None, _) => add_child(x, x, w, (&mut s.acc_w, &mut s.acc_x)),
            (Some(_), Some(l)) => add_child(x, l, w, (&mut s.acc_w, &mut s.acc_x)),
            (Some(_), None) => {
                let l: &mut [f64] = &mut s.ln_child[..nu];
                l.iter_mut().zip(x).for_each(|(l, x)| *l = x.ln());
                add_child(x, &s.ln_child[..nu], w, (&mut s.acc_w, &mut s.acc_x));
            }
        }
        if ln.is_some() {
            for (b, &x) in s.bad.iter_mut().zip(x) {
                *b = (*b).max(u8::from(x <= 0.0) + u8::from(x < 0.0));
            }
        }
    }
    for u in 0..nu {
        let t = (y * ne + node) * nu + u;
        let present = s.acc_w[u] > 0.0 && s.acc_w[u] / w_all + COVERAGE_SLACK >= v.min_coverage[node];
        s.values[t] = match (present, ln.is_some(), s.bad[u]) {
            (false, _, _) => f64::NAN,
            (true, false, _) => s.acc_x[u] / s.acc_w[u] - v.penalty[t],
            (true, true, 0) => (s.acc_x[u] / s.acc_w[u]).exp() - v.penalty[t],
            (true, true, 1) => 0.0 - v.penalty[t],
            (true, true, _) => {
                s.failed += 1;
                f64::NAN
            }
        };
    }
}

/// Adds a child's `w · y` (y its score, or the log of its score) and `w` to each unit's sums
/// where its score `x` is present. A missing one adds -0.0, which leaves any sum as it is
/// (x + -0.0 is x, -0.0 included), as skipping it did: without the branch the loop
/// vectorises.
fn add_child(x: &[f64], y: &[f64], w: f64, (acc_w, acc_x): (&mut [f64], &mut [f64])) {
    for (((aw, ax), &x), &y) in acc_w.iter_mut().zip(acc_x.iter_mut()).zip(x).zip(y) {
        let present = !x.is_nan();
        *aw += if present { w } else { -0.0 };
        *ax += if present { w * y } else { -0.0 };
    }
}

/// Any method, through [`combine`] on the present children of each unit.
fn general(shape: &Shape, v: &Variant, y: usize, node: usize, s: &mut Scratch) {
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
            match combine(&v.aggregate[node], &s.kids, w_all) {
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
/// [`TIE_EPS`](crate::stages::rank::TIE_EPS) of a group's first score share its rank, "min").
///
/// `order` is this column's (key, unit) pairs as the last replication left them: every
/// unit, missing ones keyed last. Replications move ranks a little, so re-keying them in
/// that order and insertion-sorting is several times faster than sorting afresh; a column
/// that moved a lot is sorted afresh. Pairs are ordered by their key alone: equal keys are
/// equal scores (the key is the score's bits), whose order changes neither a tie group's
/// first score nor any rank, so the ranks are the same whichever way they were sorted.
pub fn rank_into(scores: &[f64], higher_is: HigherIs, order: &mut Vec<(i64, u32)>, out: &mut [u32]) {
    if order.len() == scores.len() {
        order.iter_mut().for_each(|e| e.0 = order_key(scores[e.1 as usize], higher_is));
    } else {
        order.clear();
        order.extend(scores.iter().enumerate().map(|(i, &x)| (order_key(x, higher_is), i as u32)));
    }
    let budget = 8 * order.len();
    if !insertion_sort(order, budget) {
        order.sort_unstable_by_key(|e| e.0);
    }
    assign(scores, order, |i, r| out[i] = r.unwrap_or(0));
}

/// Sorts `v` by key by insertion, giving up (false, `v` then a permutation of itself)
/// after `budget` moves.
fn insertion_sort(v: &mut [(i64, u32)], mut budget: usize) -> bool {
    for i in 1..v.len() {
        let (x, mut j) = (v[i], i);
        while j > 0 && v[j - 1].0 > x.0 {
            if budget == 0 {
                v[j] = x;
                return false;
            }
            v[j] = v[j - 1];
            j -= 1;
            budget -= 1;
        }
        v[j] = x;
    }
    true
}

/// Writes the output nodes' scores and ranks (year × node × unit) of the last evaluation.
pub fn outputs(shape: &Shape, v: &Variant, s: &mut Scratch, scores: &mut [f64], ranks: &mut [u32]) {
    let (nu, ne, nn) = (shape.units, shape.elements(), shape.nodes.len());
    for y in 0..shape.years {
        for (j, &node) in shape.nodes.iter().enumerate() {
            let src = &s.values[(y * ne + node) * nu..(y * ne + node + 1) * nu];
            let at = (y * nn + j) * nu;
            scores[at..at + nu].copy_from_slice(src);
            rank_into(src, v.higher_is, &mut s.orders[y * ne + node], &mut ranks[at..at + nu]);
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
            indicator_of: vec![None],
            tops: vec![100.0],
        };
        let refs: Vec<&Band> = bands.iter().collect();
        for x in [-1.0, 0.0, 39.99, 40.0, 99.0, 100.0, 100.5, f64::NAN] {
            assert_eq!(shape.band(0, x), band_of(&refs, x), "{x}");
        }
    }

    proptest::proptest! {
        /// Columns of one length ranked one after the other with one buffer, as in a run:
        /// each starts from the order the last left. Random columns, the last one's scores
        /// handed to the units in reverse (for long columns more moves than the insertion
        /// budget allows, so the sort takes over), the last one shifted (no move at all);
        /// missing values, near ties within 1e-9, -0 beside +0.
        #[test]
        fn reused_orders_give_the_pipeline_ranks(
            len in 0usize..90,
            seeds in proptest::collection::vec(proptest::collection::vec(proptest::option::of(-4i32..4), 90), 1..8),
            better in proptest::bool::ANY,
        ) {
            let h = if better { HigherIs::Better } else { HigherIs::Worse };
            let fresh = |seed: &Vec<Option<i32>>| -> Vec<f64> {
                seed[..len]
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| match v {
                        None => f64::NAN,
                        Some(0) if i % 2 == 0 => -0.0,
                        Some(v) => f64::from(v) + (i % 3) as f64 * 4e-10,
                    })
                    .collect()
            };
            let (mut order, mut last): (Vec<(i64, u32)>, Vec<f64>) = (Vec::new(), Vec::new());
            for (k, seed) in seeds.iter().enumerate() {
                let scores: Vec<f64> = match k % 3 {
                    1 => last.iter().rev().copied().collect(),
                    2 => last.iter().map(|x| x + 2e-3).collect(),
                    _ => fresh(seed),
                };
                let mut out = vec![9; scores.len()];
                rank_into(&scores, h, &mut order, &mut out);
                let want: Vec<u32> = rank(&scores, h).into_iter().map(|r| r.unwrap_or(0)).collect();
                proptest::prop_assert_eq!(out, want);
                last = scores;
            }
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
