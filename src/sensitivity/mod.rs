//! Uncertainty and sensitivity analysis: how much the ranks move when the methodology's
//! choices (normalisation, aggregation, treatment, weights, any `--set` path) vary, and which
//! choice moves them.
//!
//! [`prepare`] validates every combination of discrete alternatives once and runs the full
//! pipeline for each ([`model`]); [`run::uncertainty`] and [`run::sensitivity`] then draw the
//! replications ([`sample`]), re-aggregate and re-rank only, in parallel, and summarise them
//! ([`summary`], [`sobol`]). See docs/sensitivity.md.

pub mod data_noise;
pub mod fixed;
pub mod intervals;
pub mod model;
pub mod respondents;
pub mod run;
pub mod sample;
pub mod shard;
pub mod sobol;
pub mod spec;
pub mod summary;

use crate::codes::{Code, UnitCode, Year};
use crate::error::{Diag, Location, MethodologyError, Result};
use crate::ingest::RawData;
use crate::methodology::{Aggregate, Methodology, Override};
use crate::stages::{self, Results};
use model::{Shape, Variant};
use rayon::prelude::*;
use spec::Spec;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Most combinations of discrete alternatives a spec may declare (each is one full run).
pub const MAX_VARIANTS: usize = 4096;

/// Everything a replication needs, computed once.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub spec: Spec,
    pub shape: Shape,
    /// One per combination of discrete alternatives, mixed radix in spec order (the last
    /// discrete input varies fastest).
    pub variants: Vec<Variant>,
    pub radix: Vec<usize>,
    pub units: Vec<UnitCode>,
    pub years: Vec<Year>,
    /// Codes of the output nodes (framework order).
    pub nodes: Vec<Code>,
    /// The unperturbed methodology's scores and ranks (year × node × unit; rank 0 missing).
    pub nominal_scores: Vec<f64>,
    pub nominal_ranks: Vec<u32>,
    /// The base methodology (with the user's `--set`), for the manifest.
    pub base: Methodology,
    /// The base run, for its log.
    pub base_results: Results,
    /// Per element: whether the weights input perturbs its weight.
    pub perturbed: Vec<bool>,
    /// What the respondent bootstrap re-runs, when the spec has one.
    pub boot: Option<Boot>,
}

/// What a replication that resamples the respondents or perturbs the values needs: the
/// data, their panels, the noisy values, and the methodology of every variant (each
/// replication runs the pipeline on its own data).
#[derive(Debug, Clone)]
pub struct Boot {
    pub data: Arc<RawData>,
    /// With the respondent bootstrap.
    pub panels: Option<respondents::Panels>,
    /// Per data-noise input, in spec order.
    pub noise: Vec<data_noise::Targets>,
    pub methodologies: Vec<Methodology>,
}

impl Prepared {
    /// (point index, unit, year, node column) of every output point, sorted by year, node,
    /// unit; the unit-years `[screen]` dropped left out, as in `scores.csv`. The rows of
    /// `rank_stats.csv`, `band_probs.csv` and `uncertainty.csv`.
    pub fn output_points(&self) -> impl Iterator<Item = (usize, &str, i32, usize)> {
        let (nu, nn) = (self.units.len(), self.nodes.len());
        let screened = &self.base_results.screened;
        (0..self.years.len() * nn * nu)
            .filter(move |i| !screened[i / (nn * nu) * nu + i % nu])
            .map(move |i| (i, self.units[i % nu].as_str(), self.years[i / (nn * nu)], i / nu % nn))
    }

    /// The variant of a draw's discrete choices.
    pub fn variant(&self, choice: &[usize]) -> &Variant {
        &self.variants[self.variant_index(choice)]
    }

    /// The index in [`Prepared::variants`] of a draw's discrete choices.
    pub fn variant_index(&self, choice: &[usize]) -> usize {
        choice.iter().zip(&self.radix).fold(0, |acc, (c, k)| acc * k + c)
    }

    /// The variant of a draw whose respondents are resampled or whose values are perturbed
    /// (from the draw's streams): the chosen variant's methodology run on the replication's
    /// data. `None` when that run fails or changes the panel's units or years (its points
    /// then count as failed).
    pub fn resampled(&self, choice: &[usize], d: &sample::Draw) -> Option<Variant> {
        let boot = self.boot.as_ref()?;
        let i = self.variant_index(choice);
        let m = &boot.methodologies[i];
        let mut data = match (&boot.panels, d.respondents) {
            (Some(panels), Some(key)) => panels.resample(&boot.data, &mut sample::stream_of(key)),
            _ => (*boot.data).clone(),
        };
        for (t, key) in boot.noise.iter().zip(&d.data) {
            t.apply(&mut data.obs, &mut sample::stream_of(*key));
        }
        let r = stages::run(m, &data).ok()?;
        let agg = &r.datasets.aggregated;
        (agg.units == self.units && agg.years == self.years).then(|| {
            let mut v = variant_of(m, &r, &self.base);
            v.on_nominal_scale = self.variants[i].on_nominal_scale;
            if self.variants[i].ln_normalised.is_some() {
                v.ln_normalised = Some(Arc::new(v.normalised.iter().map(|x| x.ln()).collect()));
            }
            v
        })
    }

    /// For an uncertainty analysis whose alternatives change the score scale of some
    /// combinations, while bands apply: the run-log finding that says band statistics count
    /// only the replications on the nominal scale.
    pub fn band_note(&self) -> Option<crate::log::Finding> {
        let off = self.variants.iter().filter(|v| !v.on_nominal_scale).count();
        let banded = self.shape.bands.iter().any(|b| !b.is_empty());
        (off > 0 && banded).then_some(crate::log::Finding::BandsOffScale { off, of: self.variants.len() })
    }

    /// The sampling plan for `seed`.
    pub fn plan(&self, seed: u64) -> sample::Plan {
        use sample::Slot;
        let inputs = self
            .spec
            .inputs
            .iter()
            .map(|i| match &i.kind {
                spec::Uncertain::Choice(v) => Slot::Choice(v.len()),
                spec::Uncertain::Weights { .. } => Slot::Weights,
                spec::Uncertain::Respondents => Slot::Respondents,
                spec::Uncertain::Data(_) => Slot::Data,
            })
            .collect();
        sample::Plan {
            seed,
            inputs,
            noise: self.spec.noise().unwrap_or(0.0),
            perturbed: self.perturbed.clone(),
        }
    }
}

/// Validates the base methodology and every combination of alternatives, runs the pipeline
/// once for each, and keeps what the replications reuse.
///
/// # Errors
/// Any error of the base run; an alternative whose methodology does not validate or whose
/// run fails (naming the alternatives); alternatives that change the framework's shape; more
/// than [`MAX_VARIANTS`] combinations.
pub fn prepare(path: &Path, base: &[Override], data: &RawData, spec: Spec) -> Result<Prepared> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    let sha = crate::hash::sha256_hex(&bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let m = Methodology::parse_str(path, &text, sha.clone(), base)?;
    if let Some(why) = not_reaggregated(&m) {
        return Err(MethodologyError(vec![Diag::new(Location::file(path), why)]).into());
    }
    let base_results = stages::run(&m, data)?;
    let agg = &base_results.datasets.aggregated;
    let (units, years) = (agg.units.clone(), agg.years.clone());
    let shape = Shape::of(&m, units.len(), years.len());
    let perturbed = perturbed(&m, spec.only())?;
    let noise = data_noise::resolve(&m, data, &spec.data().map(|(i, n)| (&i.loc, n)).collect::<Vec<_>>())?;
    let radix: Vec<usize> = spec.choices().map(|(_, v)| v.len()).collect();
    let n: usize = radix.iter().product();
    if n > MAX_VARIANTS {
        let msg = format!("{n} combinations of alternatives; at most {MAX_VARIANTS} are allowed");
        return Err(MethodologyError(vec![Diag::new(Location::file(&spec.path), msg)]).into());
    }
    let (mut variants, methodologies): (Vec<Variant>, Vec<Methodology>) = (0..n)
        .into_par_iter()
        .map(|i| variant(path, &text, &sha, base, data, &spec, &radix, i, &m))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let boot = if spec.respondents() || spec.data().next().is_some() {
        let panels = if spec.respondents() { Some(respondents::Panels::of(&m, data)?) } else { None };
        Some(Boot { data: Arc::new(data.clone()), panels, noise, methodologies })
    } else {
        None
    };
    // Noisy weights change the scale of a sum (not of a mean).
    if spec.noise().is_some_and(|f| f > 0.0) {
        variants
            .iter_mut()
            .filter(|v| v.aggregate.contains(&Aggregate::Sum))
            .for_each(|v| v.on_nominal_scale = false);
    }

    let (nominal_scores, nominal_ranks) = nominal(&shape, &m, &base_results);
    Ok(Prepared {
        nodes: shape.nodes.iter().map(|&e| m.framework.elements[e].code.clone()).collect(),
        units,
        years,
        variants: share_panels(variants),
        spec,
        shape,
        radix,
        nominal_scores,
        nominal_ranks,
        base: m,
        base_results,
        perturbed,
        boot,
    })
}

/// Per element of `m`: whether weight noise applies to it. Every element below the index
/// when the spec does not say; else those at the given levels (1 = indicators; the index's
/// own level may be listed, as in COINr's `levels = [2, 3]`, but its weight never varies),
/// or the given elements.
///
/// # Errors
/// A level outside 1 to the index's level, levels that select no weight below the index, an
/// unknown code, or the index's own code, located at the spec's `levels` or `nodes`.
fn perturbed(m: &Methodology, only: Option<&spec::Only>) -> std::result::Result<Vec<bool>, MethodologyError> {
    let el = &m.framework.elements;
    let top = el[0].level;
    let fail = |loc: &Location, msg: String, hint: String| {
        MethodologyError(vec![Diag::new(loc.clone(), msg).hint(hint)])
    };
    let mut out: Vec<bool> = match only {
        None => vec![true; el.len()],
        Some(spec::Only::Levels(levels, loc)) => {
            if let Some(l) = levels.iter().find(|&&l| l == 0 || l > top) {
                let msg = format!("level {l} is out of range: this framework has levels 1 to {top}");
                return Err(fail(loc, msg, "1 = indicators; a node is one above its highest child".into()));
            }
            let on: Vec<bool> =
                el.iter().enumerate().map(|(i, e)| i > 0 && levels.contains(&e.level)).collect();
            if !on.contains(&true) {
                let msg = format!("levels {levels:?} select no weight below the index");
                return Err(fail(
                    loc,
                    msg,
                    format!("the index is level {top}; its own weight does not count"),
                ));
            }
            on
        }
        Some(spec::Only::Nodes(codes, loc)) => {
            let mut on = vec![false; el.len()];
            for c in codes {
                match el.iter().position(|e| e.code.as_str() == c) {
                    Some(0) => {
                        let msg = format!("'{c}' is the index: its weight does not count");
                        return Err(fail(loc, msg, "list the elements below it".into()));
                    }
                    Some(i) => on[i] = true,
                    None => {
                        let near = crate::suggest::near_miss(c, el.iter().map(|e| e.code.as_str()));
                        let hint = near.map_or("list codes of the methodology's framework".into(), |n| {
                            format!("did you mean '{n}'?")
                        });
                        return Err(fail(loc, format!("unknown node '{c}'"), hint));
                    }
                }
            }
            on
        }
    };
    out[0] = false;
    Ok(out)
}

/// Why a replication could not re-aggregate `m` from the normalised panel: a node whose
/// scores compare the units with each other (`mpi`, `ampi`, `bod`, `copeland`), or whose
/// children's weights are fitted from the data (they would be refitted on every change).
pub fn not_reaggregated(m: &Methodology) -> Option<String> {
    m.framework.elements.iter().find_map(|e| {
        let n = e.node()?;
        if n.aggregate.is_cross_unit() {
            Some(format!(
                "node '{}' is aggregated by {}, which compares the units with each other; gti sensitivity \
                 re-aggregates each replication unit by unit and does not support it (analyse a methodology \
                 with a per-unit mean there, and compare the {} run with gti compare)",
                e.code,
                n.aggregate.name(),
                n.aggregate.name()
            ))
        } else if n.weights.is_fitted() {
            Some(format!(
                "node '{}' fits its children's weights from the data ({}); gti sensitivity perturbs declared \
                 weights and does not refit them: freeze them first (gti methodology freeze -m M -d D -o M2) \
                 and analyse M2",
                e.code,
                n.weights.method.name()
            ))
        } else {
            None
        }
    })
}

/// The overrides of combination `i` (mixed radix, the last input fastest).
fn combination<'s>(spec: &'s Spec, radix: &[usize], mut i: usize) -> Vec<&'s Override> {
    let mut out: Vec<&Override> = Vec::with_capacity(radix.len());
    for ((_, values), k) in spec.choices().collect::<Vec<_>>().into_iter().rev().zip(radix.iter().rev()) {
        out.push(&values[i % k]);
        i /= k;
    }
    out.reverse();
    out
}

#[allow(clippy::too_many_arguments)]
fn variant(
    path: &Path,
    text: &str,
    sha: &str,
    base: &[Override],
    data: &RawData,
    spec: &Spec,
    radix: &[usize],
    i: usize,
    nominal: &Methodology,
) -> Result<(Variant, Methodology)> {
    let chosen = combination(spec, radix, i);
    let mut all = base.to_vec();
    all.extend(chosen.iter().map(|o| (*o).clone()));
    let fail = |e: &dyn std::fmt::Display| {
        let what: Vec<String> = chosen.iter().map(|o| format!("{} = {}", o.path, o.value)).collect();
        let msg = format!("with {}: {e}", what.join(", "));
        crate::Error::from(MethodologyError(vec![Diag::new(Location::file(&spec.path), msg)]))
    };
    let m = Methodology::parse_str(path, text, sha.to_string(), &all).map_err(|e| fail(&e))?;
    if !same_shape(&m, nominal) {
        return Err(fail(&"the alternative changes the framework (codes or parents); it may not"));
    }
    if let Some(why) = not_reaggregated(&m) {
        return Err(fail(&why));
    }
    let r = stages::run(&m, data).map_err(|e| fail(&e))?;
    Ok((variant_of(&m, &r, nominal), m))
}

/// What a replication keeps of a run of methodology `m`.
fn variant_of(m: &Methodology, r: &Results, nominal: &Methodology) -> Variant {
    Variant {
        normalised: Arc::new(r.datasets.normalised.values.clone()),
        ln_normalised: None,
        weights: m.framework.elements.iter().map(|e| e.weight).collect(),
        aggregate: m
            .framework
            .elements
            .iter()
            .map(|e| e.node().map_or(Aggregate::Arithmetic, |n| n.aggregate.clone()))
            .collect(),
        min_coverage: m.framework.elements.iter().map(|e| e.node().map_or(0.0, |n| n.min_coverage)).collect(),
        penalty: match r.transparency.penalty.as_slice() {
            [] => vec![0.0; r.datasets.aggregated.values.len()],
            p => p.iter().map(|p| p.unwrap_or(0.0)).collect(),
        },
        higher_is: m.index.higher_is,
        on_nominal_scale: Scale::of(m) == Scale::of(nominal),
    }
}

/// What fixes the unit of a run's scores, element by element: the scale each indicator is
/// normalised onto (its range, the z-score's mean and sd, ranks, or its own units), and
/// whether each node averages its children or sums them. Two runs with the same scales
/// score on the same scale, so the nominal bands' cut-offs apply to both; minmax and
/// goalposts onto [0, 100] share one, minmax onto [1, 100] and a z-score (10, 2) do not.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    Range(f64, f64),
    ZScore {
        mean: f64,
        sd: f64,
    },
    Rank,
    Borda,
    /// Not normalised: the indicator's own units, after its transform.
    Own(crate::methodology::Transform),
    /// A node that averages its children (any mean, the median, the minimum).
    Mean,
    /// A node that adds them up: its scale depends on the weights.
    Sum,
}

impl Scale {
    pub fn of(m: &Methodology) -> Vec<Scale> {
        use crate::methodology::{Kind, Normalise as N};
        let scale = |e: &crate::methodology::Element| match &e.kind {
            Kind::Node(n) if n.aggregate == Aggregate::Sum => Scale::Sum,
            Kind::Node(_) => Scale::Mean,
            Kind::Indicator(i) => match i.normalise.method {
                N::None => Scale::Own(i.transform.clone()),
                N::MinMax { lo, hi }
                | N::Goalposts { lo, hi, .. }
                | N::Percentile { lo, hi }
                | N::DistanceToTarget { lo, hi, .. }
                | N::FractionOfMax { lo, hi } => Scale::Range(lo, hi),
                N::ZScore { mean, sd } => Scale::ZScore { mean, sd },
                N::Rank => Scale::Rank,
                N::Borda => Scale::Borda,
            },
        };
        m.framework.elements.iter().map(scale).collect()
    }
}

fn same_shape(a: &Methodology, b: &Methodology) -> bool {
    let (ea, eb) = (&a.framework.elements, &b.framework.elements);
    ea.len() == eb.len() && ea.iter().zip(eb).all(|(x, y)| x.code == y.code && x.parent == y.parent)
}

/// Lets variants with bit-identical normalised panels share one (memory only: the values
/// are the same either way).
/// Variants that take a geometric mean also get the logs of the panel (computed once per
/// shared panel).
fn share_panels(mut variants: Vec<Variant>) -> Vec<Variant> {
    type Shared = (Arc<Vec<f64>>, Option<Arc<Vec<f64>>>);
    let mut seen: HashMap<Vec<u64>, Shared> = HashMap::new();
    for v in &mut variants {
        let key: Vec<u64> = v.normalised.iter().map(|x| x.to_bits()).collect();
        let entry = seen.entry(key).or_insert_with(|| (v.normalised.clone(), None));
        v.normalised = entry.0.clone();
        if v.aggregate.contains(&Aggregate::Geometric) {
            let ln = entry.1.get_or_insert_with(|| Arc::new(entry.0.iter().map(|x| x.ln()).collect()));
            v.ln_normalised = Some(ln.clone());
        }
    }
    variants
}

/// The base run's node scores and ranks in the output layout.
fn nominal(shape: &Shape, m: &Methodology, r: &Results) -> (Vec<f64>, Vec<u32>) {
    let p = &r.datasets.aggregated;
    let ne = m.framework.elements.len();
    let (mut scores, mut ranks) = (Vec::with_capacity(shape.points()), Vec::with_capacity(shape.points()));
    for y in 0..shape.years {
        for &node in &shape.nodes {
            let at = (y * ne + node) * shape.units;
            scores.extend_from_slice(p.col(y, node));
            ranks.extend(r.ranks[at..at + shape.units].iter().map(|r| r.unwrap_or(0)));
        }
    }
    (scores, ranks)
}
