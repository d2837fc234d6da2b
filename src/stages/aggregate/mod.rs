//! Aggregate bottom-up: each node combines its children's values with their weights,
//! renormalised among the children present.
//!
//! With w_i the weights of the children present (weight-0 children never count) and
//! W = Σ w_i:
//! - `arithmetic` (COINr `a_amean`): Σ w_i x_i / W.
//! - `geometric` (`a_gmean`): (Π x_i^w_i)^(1/W) (= exp(Σ w_i ln x_i / W)). A child at 0 makes the score 0
//!   (the limit of the product; logged); a negative child is an error.
//! - `harmonic` (`a_hmean`): W / Σ (w_i / x_i). 0 → score 0 (logged); negative: error.
//! - `generalised` (`a_genmean`, parameter p): (Σ w_i x_i^p / W)^(1/p); p = 0 is the
//!   geometric mean. Negative children are an error; 0 with p < 0 gives 0.
//! - `median`: the weighted median: the smallest sorted value whose cumulative weight
//!   reaches W/2, averaged with the next when it reaches exactly W/2 (so equal weights give
//!   the ordinary median).
//! - `min`: the smallest child present (weights only decide who counts).
//! - `sum`: Σ w_i x_i · (W_all / W): the weighted sum, scaled up to all children's weight
//!   when some are missing, so that scores stay comparable.
//!
//! The non-compensatory methods look at every unit of the year at once ([`mpi`] and AMPI,
//! [`bod`], [`copeland`]; driven by [`cross`]); a node's weights can be fitted from the data
//! ([`weights`], [`optimise`]) before it is aggregated.
//!
//! Coverage: a node is missing when the weight of its children present, as a share of all
//! its children's weight, is below `min_coverage`. Each output point also carries the share
//! of its indicators' effective weight that was observed (not imputed) and the number of
//! imputed indicators beneath it.
//!
//! Nodes are computed bottom-up, one at a time across every year (each year on its own
//! thread): fitted weights and AMPI's goalposts need a node's children in every year first.

pub mod bod;
pub mod copeland;
mod cross;
pub mod mpi;
pub mod optimise;
pub mod weights;

use crate::codes::{Code, UnitCode, Year};
use crate::error::PipelineError;
use crate::log::{Finding, RunLog};
use crate::methodology::{Aggregate, Methodology, NodeSpec};
use crate::stats::weighted_median;
use crate::table::Panel;

/// Coverage shares within this of the threshold count as meeting it (1/3 + 1/3 + 1/3).
const COVERAGE_SLACK: f64 = 1e-12;

/// Scores of every element, with per-point coverage and imputed counts, and what the
/// data-driven methods chose.
#[derive(Debug, Clone)]
pub struct Aggregated {
    /// Columns: every element of the framework, in framework order.
    pub panel: Panel,
    pub coverage: Vec<f64>,
    pub imputed: Vec<u32>,
    /// The nodes whose children's weights were fitted from the data, bottom-up.
    pub fitted: Vec<weights::Fitted>,
    /// Each BoD unit's weights, sorted by year, node (framework order) and unit.
    pub bod: Vec<BodWeights>,
}

/// The weights one unit's BoD LP chose for a node in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct BodWeights {
    pub year: Year,
    /// Element id of the node.
    pub node: usize,
    /// Index into the panel's units.
    pub unit: usize,
    /// (child element id, weight, share wₖyₖ / score) of each child with weight > 0.
    pub children: Vec<(usize, f64, f64)>,
}

/// Combines present children (value, renormalisable weight). `Err` holds a message.
pub fn combine(method: &Aggregate, xs: &[(f64, f64)], w_all: f64) -> Result<f64, String> {
    let w: f64 = xs.iter().map(|p| p.1).sum();
    let neg = || {
        xs.iter()
            .find(|p| p.0 < 0.0)
            .map(|p| format!("a child is negative ({}): the {} mean is undefined", p.0, name(method)))
    };
    match method {
        Aggregate::Arithmetic => Ok(xs.iter().map(|(x, wi)| wi * x).sum::<f64>() / w),
        Aggregate::Sum => Ok(xs.iter().map(|(x, wi)| wi * x).sum::<f64>() * (w_all / w)),
        Aggregate::Min => Ok(xs.iter().map(|p| p.0).fold(f64::INFINITY, f64::min)),
        Aggregate::Median => Ok(weighted_median(xs)),
        Aggregate::Geometric | Aggregate::Generalised { p: 0.0 } => match neg() {
            Some(m) => Err(m),
            None if xs.iter().any(|p| p.0 == 0.0) => Ok(0.0),
            None => Ok(geometric(xs, w)),
        },
        Aggregate::Harmonic => match neg() {
            Some(m) => Err(m),
            None if xs.iter().any(|p| p.0 == 0.0) => Ok(0.0),
            None => Ok(w / xs.iter().map(|(x, wi)| wi / x).sum::<f64>()),
        },
        Aggregate::Generalised { p } => match neg() {
            Some(m) => Err(m),
            None if *p < 0.0 && xs.iter().any(|q| q.0 == 0.0) => Ok(0.0),
            None => Ok(power_mean(xs, w, *p)),
        },
        cross => {
            Err(format!("{} compares the units with each other: it has no per-unit value", cross.name()))
        }
    }
}

/// A score that is not a finite number is an error, never a written score.
fn finite(score: f64) -> Result<f64, String> {
    if score.is_finite() {
        Ok(score)
    } else {
        Err(format!("the mean is {score}: the values or weights are too large for f64 arithmetic"))
    }
}

/// (Σ wᵢ xᵢ^p / W)^(1/p), computed as m · (Σ wᵢ (xᵢ/m)^p / W)^(1/p) with m the largest
/// child for p > 0 and the smallest for p < 0, so that every (xᵢ/m)^p ≤ 1 and a large |p|
/// cannot overflow (all xᵢ > 0 here, or p > 0).
fn power_mean(xs: &[(f64, f64)], w: f64, p: f64) -> f64 {
    let values = xs.iter().map(|q| q.0);
    let m = if p > 0.0 { values.fold(0.0, f64::max) } else { values.fold(f64::INFINITY, f64::min) };
    if m == 0.0 {
        return 0.0;
    }
    m * (xs.iter().map(|(x, wi)| wi * (x / m).powf(p)).sum::<f64>() / w).powf(1.0 / p)
}

/// (Π xᵢ^wᵢ)^(1/W): the order of operations of COINr's `a_gmean` and of UNDP's HDI
/// ((LEI·EI·II)^(1/3)), so that published values round the same way; through logs only when
/// the product over- or underflows.
fn geometric(xs: &[(f64, f64)], w: f64) -> f64 {
    let p: f64 = xs.iter().map(|(x, wi)| x.powf(*wi)).product();
    if p.is_finite() && p > 0.0 {
        p.powf(1.0 / w)
    } else {
        (xs.iter().map(|(x, wi)| wi * x.ln()).sum::<f64>() / w).exp()
    }
}

fn name(m: &Aggregate) -> &'static str {
    match m {
        Aggregate::Geometric => "geometric",
        Aggregate::Harmonic => "harmonic",
        _ => "generalised",
    }
}

fn zero_child(method: &Aggregate, xs: &[(f64, f64)]) -> bool {
    // Only these means are forced to 0 by a zero child (generalised only for p <= 0).
    let forced = match method {
        Aggregate::Geometric | Aggregate::Harmonic => true,
        Aggregate::Generalised { p } => *p <= 0.0,
        _ => false,
    };
    forced && xs.iter().any(|p| p.0 == 0.0)
}

/// Aggregates the normalised indicators up to the index.
///
/// `observed[i]` is true where indicator point `i` (same layout as `normalised`) holds a
/// value from the data (not imputed, not missing); `imputed[i]` where it was imputed.
///
/// # Errors
/// A negative child in a geometric, harmonic or generalised mean.
pub fn aggregate(
    normalised: &Panel,
    observed: &[bool],
    imputed: &[bool],
    m: &Methodology,
    log: &mut RunLog,
) -> Result<Aggregated, PipelineError> {
    aggregate_penalised(normalised, observed, imputed, &[], m, log)
}

/// [`aggregate`], subtracting `penalty[i]` (aggregated layout; an empty slice for none) from
/// a node's score as soon as it is combined, before its parent uses it: the transparency
/// penalty of `super::transparency`.
///
/// # Errors
/// As [`aggregate`].
pub fn aggregate_penalised(
    normalised: &Panel,
    observed: &[bool],
    imputed: &[bool],
    penalty: &[Option<f64>],
    m: &Methodology,
    log: &mut RunLog,
) -> Result<Aggregated, PipelineError> {
    use rayon::prelude::*;
    let fw = &m.framework;
    let columns: Vec<Code> = fw.elements.iter().map(|e| e.code.clone()).collect();
    let mut panel = Panel::new(normalised.units.clone(), normalised.years.clone(), columns);
    let n = panel.values.len();
    let (mut coverage, mut imp) = (vec![0.0; n], vec![0u32; n]);
    let (units, years) = (&normalised.units, &normalised.years);
    let (block, sources) = (fw.elements.len() * units.len(), fw.indicators.len() * units.len());
    let (mut fitted, mut bod, mut early) = (Vec::new(), Vec::new(), Vec::new());
    let mut per_year: Vec<Vec<Finding>> = vec![Vec::new(); years.len()];
    if block > 0 {
        for y in 0..years.len() {
            let at = y * block..(y + 1) * block;
            let points = YearPoints {
                values: &mut panel.values[at.clone()],
                coverage: &mut coverage[at.clone()],
                imp: &mut imp[at],
            };
            let from = y * sources..(y + 1) * sources;
            copy_indicators(
                points,
                (normalised.col_block(y, sources), &observed[from.clone()], &imputed[from]),
                m,
            );
        }
    }
    for &node in fw.bottom_up.iter().filter(|_| block > 0) {
        let spec = fw.elements[node].node().expect("bottom_up lists nodes");
        let kids: Vec<(usize, f64)> = if spec.weights.is_fitted() {
            let f = weights::fit(node, m, &panel, &mut early)?;
            let kids = f.children.iter().filter(|c| c.2 > 0.0).map(|c| (c.0, c.2)).collect();
            fitted.push(f);
            kids
        } else {
            fw.elements[node]
                .children
                .iter()
                .map(|&k| (k, fw.elements[k].weight))
                .filter(|k| k.1 > 0.0)
                .collect()
        };
        let mut goal = cross::Node { id: node, kids: &kids, goalposts: None };
        let pooled = cross::goalposts(&goal, m, &panel, &mut early)?;
        goal.goalposts = pooled.as_ref();
        let node_ctx = &goal;
        // Years are independent once the children are scored: one task per year, results
        // gathered in year order, so the log and the first error do not depend on threads.
        let found: Vec<Result<NodeYear, PipelineError>> = panel
            .values
            .par_chunks_mut(block)
            .zip(coverage.par_chunks_mut(block))
            .zip(imp.par_chunks_mut(block))
            .enumerate()
            .map(|(y, ((values, coverage), imp))| {
                let points = YearPoints { values, coverage, imp };
                let penalty = penalty.get(y * block..(y + 1) * block).unwrap_or(&[]);
                node_year(points, penalty, node_ctx, spec, m, (units, years[y]))
            })
            .collect();
        for (y, r) in found.into_iter().enumerate() {
            let (findings, weights) = r?;
            per_year[y].extend(findings);
            bod.extend(weights);
        }
    }
    early.into_iter().chain(per_year.into_iter().flatten()).for_each(|f| log.push(f));
    // Element ids are in framework order.
    bod.sort_by_key(|b| (b.year, b.node, b.unit));
    Ok(Aggregated { panel, coverage, imputed: imp, fitted, bod })
}

/// What aggregating one node in one year found: the run log's findings and BoD's weights.
type NodeYear = (Vec<Finding>, Vec<BodWeights>);

/// One year's block of the aggregated arrays (element-major, then unit).
struct YearPoints<'a> {
    values: &'a mut [f64],
    coverage: &'a mut [f64],
    imp: &'a mut [u32],
}

/// Copies one year's indicators in: `input` is the year's normalised values, observed and
/// imputed flags (indicator-major, then unit).
fn copy_indicators(out: YearPoints, input: (&[f64], &[bool], &[bool]), m: &Methodology) {
    let YearPoints { values, coverage, imp } = out;
    let (normalised, observed, imputed) = input;
    let nu = normalised.len() / m.framework.indicators.len().max(1);
    for (c, &id) in m.framework.indicators.iter().enumerate() {
        for u in 0..nu {
            let (s, t) = (c * nu + u, id * nu + u);
            values[t] = normalised[s];
            coverage[t] = if observed[s] { 1.0 } else { 0.0 };
            imp[t] = u32::from(imputed[s]);
        }
    }
}

/// Aggregates one node in one year: coverage and imputed counts of every unit, then each
/// unit's score (per-unit means) or the sample's scores together (cross-unit methods).
fn node_year(
    out: YearPoints,
    penalty: &[Option<f64>],
    node: &cross::Node,
    spec: &NodeSpec,
    m: &Methodology,
    (units, year): (&[UnitCode], Year),
) -> Result<NodeYear, PipelineError> {
    let e = &m.framework.elements[node.id];
    let YearPoints { values, coverage, imp } = out;
    let nu = units.len();
    let w_all: f64 = node.kids.iter().map(|k| k.1).sum();
    let (mut short, mut zeros, mut sample) = (Vec::new(), Vec::new(), Vec::new());
    let mut present: Vec<(f64, f64)> = Vec::with_capacity(node.kids.len());
    let cross_unit = spec.aggregate.is_cross_unit();
    for (u, unit) in units.iter().enumerate() {
        let at = |k: usize| k * nu + u;
        present.clear();
        present.extend(node.kids.iter().map(|&(k, w)| (values[at(k)], w)).filter(|p| !p.0.is_nan()));
        let t = at(node.id);
        coverage[t] = node.kids.iter().map(|&(k, w)| w * coverage[at(k)]).sum::<f64>() / w_all;
        // Weight-0 children count for neither coverage nor imputed points.
        imp[t] = node.kids.iter().map(|&(k, _)| imp[at(k)]).sum();
        let weight: f64 = present.iter().map(|p| p.1).sum();
        if !cross::covered(weight, w_all, !present.is_empty(), spec.min_coverage) {
            short.push(unit.to_string());
            continue;
        }
        if cross_unit {
            sample.push(u);
            continue;
        }
        if zero_child(&spec.aggregate, &present) {
            zeros.push(unit.to_string());
        }
        let score =
            combine(&spec.aggregate, &present, w_all).and_then(finite).map_err(|message| PipelineError {
                stage: "aggregate",
                unit: unit.to_string(),
                year,
                code: e.code.to_string(),
                message,
            })?;
        values[t] = score - penalty.get(t).copied().flatten().unwrap_or(0.0);
    }
    let mut out = (Vec::new(), Vec::new());
    let code = e.code.to_string();
    if !short.is_empty() {
        out.0.push(Finding::InsufficientCoverage { code: code.clone(), year, units: short });
    }
    if !zeros.is_empty() {
        out.0.push(Finding::ZeroInMean { code, year, units: zeros });
    }
    if cross_unit && !sample.is_empty() {
        let rows: Vec<Vec<f64>> =
            sample.iter().map(|&u| node.kids.iter().map(|&(k, _)| values[k * nu + u]).collect()).collect();
        let s = cross::YearSample { units, year, members: &sample, rows: &rows };
        let scores = cross::scores(node, m, &s, &mut out)?;
        for (&u, score) in sample.iter().zip(scores) {
            let t = node.id * nu + u;
            values[t] = score - penalty.get(t).copied().flatten().unwrap_or(0.0);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::close;

    #[test]
    fn means_by_hand() {
        let xs = [(4.0, 1.0), (16.0, 3.0)];
        // (4 + 48)/4 = 13; exp((ln 4 + 3 ln 16)/4) = 4^(1/4)·16^(3/4) = 8√2 ≈ 11.3137;
        // 4 / (1/4 + 3/16) = 64/7.
        assert!(close(combine(&Aggregate::Arithmetic, &xs, 4.0).unwrap(), 13.0));
        assert!(close(combine(&Aggregate::Geometric, &xs, 4.0).unwrap(), 8.0 * 2f64.sqrt()));
        assert!(close(combine(&Aggregate::Harmonic, &xs, 4.0).unwrap(), 64.0 / 7.0));
        // p = 2: sqrt((16 + 3·256)/4) = sqrt(196) = 14.
        assert!(close(combine(&Aggregate::Generalised { p: 2.0 }, &xs, 4.0).unwrap(), 14.0));
        assert!(close(combine(&Aggregate::Generalised { p: 1.0 }, &xs, 4.0).unwrap(), 13.0));
        assert_eq!(combine(&Aggregate::Min, &xs, 4.0).unwrap(), 4.0);
        // Sum with one of three unit-weight children missing: (2 + 4)·3/2 = 9.
        assert_eq!(combine(&Aggregate::Sum, &[(2.0, 1.0), (4.0, 1.0)], 3.0).unwrap(), 9.0);
    }

    #[test]
    fn power_means_survive_extreme_p() {
        // p = ±400 on 50 and 100: the maximum and minimum dominate (100 · (1/2)^(1/400) …).
        let xs = [(50.0, 1.0), (100.0, 1.0)];
        let hi = combine(&Aggregate::Generalised { p: 400.0 }, &xs, 2.0).unwrap();
        let lo = combine(&Aggregate::Generalised { p: -400.0 }, &xs, 2.0).unwrap();
        assert!(hi.is_finite() && (hi - 100.0 * 0.5f64.powf(1.0 / 400.0)).abs() < 1e-9, "{hi}");
        assert!(lo.is_finite() && (lo - 50.0 * 0.5f64.powf(-1.0 / 400.0)).abs() < 1e-9, "{lo}");
    }

    #[test]
    fn geometric_survives_overflow() {
        // 400 children at 1e10: the product overflows; the mean is still 1e10.
        let xs = vec![(1e10, 1.0); 400];
        assert!(close(combine(&Aggregate::Geometric, &xs, 400.0).unwrap(), 1e10));
    }

    #[test]
    fn zero_and_negative_policies() {
        assert_eq!(combine(&Aggregate::Geometric, &[(0.0, 1.0), (5.0, 1.0)], 2.0).unwrap(), 0.0);
        assert_eq!(combine(&Aggregate::Harmonic, &[(0.0, 1.0), (5.0, 1.0)], 2.0).unwrap(), 0.0);
        assert!(combine(&Aggregate::Geometric, &[(-1.0, 1.0), (5.0, 1.0)], 2.0).is_err());
        assert!(combine(&Aggregate::Generalised { p: 0.5 }, &[(-1.0, 1.0)], 1.0).is_err());
    }
}
