//! The non-compensatory methods on one node and year: the year's sample (the units whose
//! node is not missing under the coverage rule) goes to [`super::mpi`], [`super::bod`] or
//! [`super::copeland`] together; AMPI's goalposts are pooled over every year first.

use super::{BodWeights, bod, copeland, mpi};
use crate::codes::{UnitCode, Year};
use crate::error::PipelineError;
use crate::log::Finding;
use crate::methodology::{Aggregate, AmpiReference, Bod, HigherIs, Methodology, Spread};
use crate::table::Panel;

/// One node being aggregated: its element id and its children with weight > 0 (declared or
/// fitted).
pub(super) struct Node<'a> {
    pub id: usize,
    pub kids: &'a [(usize, f64)],
    /// AMPI's goalposts, pooled over every year.
    pub goalposts: Option<&'a mpi::Goalposts>,
}

/// Whether a unit whose present children weigh `present` of `total` is in the node's sample.
pub(super) fn covered(present: f64, total: f64, any: bool, min_coverage: f64) -> bool {
    any && present / total + super::COVERAGE_SLACK >= min_coverage
}

/// AMPI's goalposts for `node` over every year of `p` (children already scored), and the
/// findings about them.
///
/// # Errors
/// A child with no value in the reference year (with `reference = "mean"`).
pub(super) fn goalposts(
    node: &Node,
    m: &Methodology,
    p: &Panel,
    log: &mut Vec<Finding>,
) -> Result<Option<mpi::Goalposts>, PipelineError> {
    let e = &m.framework.elements[node.id];
    let spec = e.node().expect("a node");
    let Aggregate::Ampi(a) = &spec.aggregate else { return Ok(None) };
    let total: f64 = node.kids.iter().map(|k| k.1).sum();
    let rows_of = |y: usize| -> Vec<Vec<f64>> {
        (0..p.units.len())
            .map(|u| node.kids.iter().map(|&(k, _)| p.get(y, k, u)).collect::<Vec<f64>>())
            .filter(|r| {
                let present: f64 =
                    r.iter().zip(node.kids).filter(|(x, _)| !x.is_nan()).map(|(_, k)| k.1).sum();
                covered(present, total, present > 0.0, spec.min_coverage)
            })
            .collect()
    };
    let all: Vec<Vec<f64>> = (0..p.years.len()).flat_map(rows_of).collect();
    let ry = a.reference_year.unwrap_or_else(|| p.years.first().copied().unwrap_or(0));
    let err = |message: String| PipelineError {
        stage: "aggregate",
        unit: "(all units)".into(),
        year: ry,
        code: e.code.to_string(),
        message,
    };
    let reference = match a.reference {
        AmpiReference::Value(v) => vec![v; node.kids.len()],
        AmpiReference::Mean => {
            let y = p
                .years
                .iter()
                .position(|&y| y == ry)
                .ok_or_else(|| err("ampi: the reference year has no data".into()))?;
            let rows = rows_of(y);
            let mut means = Vec::with_capacity(node.kids.len());
            for (j, &(k, _)) in node.kids.iter().enumerate() {
                let col: Vec<f64> = rows.iter().map(|r| r[j]).filter(|x| !x.is_nan()).collect();
                if col.is_empty() {
                    let child = &m.framework.elements[k].code;
                    return Err(err(format!("ampi: child '{child}' has no value in the reference year")));
                }
                means.push(col.iter().sum::<f64>() / col.len() as f64);
            }
            means
        }
    };
    let g = mpi::Goalposts::new(all.iter(), reference);
    let flat: Vec<String> =
        g.flat().iter().map(|&j| m.framework.elements[node.kids[j].0].code.to_string()).collect();
    if !flat.is_empty() {
        log.push(Finding::CrossUnitNote {
            code: e.code.to_string(),
            note: format!("ampi: {} constant over the whole panel: scored 100", flat.join(", ")),
        });
    }
    let per_year = year_bounded_beneath(m, node.id);
    if p.years.len() > 1 && !per_year.is_empty() {
        log.push(Finding::CrossUnitNote {
            code: e.code.to_string(),
            note: format!(
                "ampi compares levels across years, but {} beneath it {} normalised on each year's units alone \
                 (bounds = \"year\"): use bounds = \"panel\" or \"reference\"",
                per_year.join(", "),
                if per_year.len() == 1 { "is" } else { "are" }
            ),
        });
    }
    Ok(Some(g))
}

/// The indicators beneath `node` normalised per year.
fn year_bounded_beneath(m: &Methodology, node: usize) -> Vec<String> {
    let fw = &m.framework;
    let under = |mut id: usize| loop {
        match fw.elements[id].parent {
            Some(p) if p == node => return true,
            Some(p) => id = p,
            None => return false,
        }
    };
    let yearly: Vec<&crate::codes::Code> = m.fitted_per_year();
    fw.indicators
        .iter()
        .filter(|&&i| under(i) && yearly.contains(&&fw.elements[i].code))
        .map(|&i| fw.elements[i].code.to_string())
        .collect()
}

/// One year's sample of a cross-unit node: its units (indices into `units`) and rows.
pub(super) struct YearSample<'a> {
    pub units: &'a [UnitCode],
    pub year: Year,
    pub members: &'a [usize],
    pub rows: &'a [Vec<f64>],
}

/// The scores of the sample (NaN: no score), the findings and BoD's weights.
///
/// # Errors
/// A negative child under BoD, a non-positive mean under MPI, a solver failure; each names
/// the unit.
pub(super) fn scores(
    node: &Node,
    m: &Methodology,
    s: &YearSample,
    out: &mut (Vec<Finding>, Vec<BodWeights>),
) -> Result<Vec<f64>, PipelineError> {
    let e = &m.framework.elements[node.id];
    let spec = e.node().expect("a node");
    let err = |i: usize, message: String| PipelineError {
        stage: "aggregate",
        unit: s.units[s.members[i]].to_string(),
        year: s.year,
        code: e.code.to_string(),
        message,
    };
    let w: Vec<f64> = node.kids.iter().map(|k| k.1).collect();
    let better = m.index.higher_is == HigherIs::Better;
    let note = |note: String| Finding::CrossUnitNote { code: e.code.to_string(), note };
    match &spec.aggregate {
        Aggregate::Mpi(p) => {
            let r = mpi::mpi(s.rows, &w, p.standardise, p.sd, better).map_err(|(i, msg)| err(i, msg))?;
            if !r.flat.is_empty() {
                let names: Vec<String> =
                    r.flat.iter().map(|&j| m.framework.elements[node.kids[j].0].code.to_string()).collect();
                let why = if p.sd == Spread::Sample { " (or one unit)" } else { "" };
                out.0.push(note(format!(
                    "mpi in {}: {} constant over the units{why}: standardised to 100",
                    s.year,
                    names.join(", ")
                )));
            }
            Ok(r.scores)
        }
        Aggregate::Ampi(p) => {
            let g = node.goalposts.expect("goalposts are pooled before the years");
            Ok(mpi::ampi(s.rows, &w, g, p.sd, better).map_err(|(i, msg)| err(i, msg))?.scores)
        }
        Aggregate::Copeland { range } => {
            let (points, disjoint) = copeland::copeland(s.rows, &w);
            if !disjoint.is_empty() {
                let pairs: Vec<String> = disjoint
                    .iter()
                    .map(|&(a, b)| format!("{} and {}", s.units[s.members[a]], s.units[s.members[b]]))
                    .collect();
                out.0.push(note(format!(
                    "copeland in {}: no child present for both of {}: a tie",
                    s.year,
                    pairs.join("; ")
                )));
            }
            Ok(points.iter().map(|&p| copeland::onto(p, points.len(), *range)).collect())
        }
        Aggregate::Bod(b) => bod_scores(node, m, s, b, out, &err),
        _ => unreachable!("per-unit methods are combined unit by unit"),
    }
}

fn bod_scores(
    node: &Node,
    m: &Methodology,
    s: &YearSample,
    b: &Bod,
    out: &mut (Vec<Finding>, Vec<BodWeights>),
    err: &(dyn Fn(usize, String) -> PipelineError + Sync),
) -> Result<Vec<f64>, PipelineError> {
    use rayon::prelude::*;
    let fw = &m.framework;
    let code = &fw.elements[node.id].code;
    let complete: Vec<usize> = (0..s.rows.len()).filter(|&i| s.rows[i].iter().all(|x| !x.is_nan())).collect();
    let incomplete: Vec<String> = (0..s.rows.len())
        .filter(|i| !complete.contains(i))
        .map(|i| s.units[s.members[i]].to_string())
        .collect();
    if !incomplete.is_empty() {
        out.0.push(Finding::CrossUnitNote {
            code: code.to_string(),
            note: format!("bod needs every child: no score in {} for {}", s.year, incomplete.join(", ")),
        });
    }
    for &i in &complete {
        if let Some((j, v)) = s.rows[i].iter().enumerate().find(|(_, v)| **v < 0.0) {
            let child = &fw.elements[node.kids[j].0].code;
            return Err(err(
                i,
                format!(
                    "bod needs values >= 0 (child {child}: {v}); use a normalisation with a non-negative range"
                ),
            ));
        }
    }
    let lo: Vec<f64> = node.kids.iter().map(|&(k, _)| b.min_share.of(&fw.elements[k].code)).collect();
    let hi: Vec<f64> = node.kids.iter().map(|&(k, _)| b.max_share.of(&fw.elements[k].code)).collect();
    let rows: Vec<Vec<f64>> = complete.iter().map(|&i| s.rows[i].clone()).collect();
    let scores: Vec<f64> = match b.robust {
        None => {
            let optima = bod::bod(&rows, &lo, &hi).map_err(|(i, msg)| err(complete[i], msg))?;
            for (i, o) in optima.iter().enumerate() {
                let shares = o.shares(&rows[i]);
                out.1.push(BodWeights {
                    year: s.year,
                    node: node.id,
                    unit: s.members[complete[i]],
                    children: (0..node.kids.len()).map(|j| (node.kids[j].0, o.weights[j], shares[j])).collect(),
                });
            }
            optima.iter().map(|o| o.score).collect()
        }
        Some(r) => (0..rows.len())
            .into_par_iter()
            .map(|i| {
                if rows[i].iter().all(|&y| y == 0.0) {
                    return Ok(0.0);
                }
                let unit = s.units[s.members[complete[i]]].as_ref();
                let draws = bod::draws(&mut bod::stream(b.seed, code.as_str(), s.year, unit), rows.len(), r.m, r.draws);
                let mut lambdas = Vec::with_capacity(r.draws);
                for d in draws {
                    let drawn: Vec<&[f64]> = d.iter().map(|&j| rows[j].as_slice()).collect();
                    lambdas.push(bod::lambda(&rows[i], &drawn, &lo, &hi).map_err(|msg| err(complete[i], msg))?);
                }
                bod::robust_score(&lambdas).ok_or_else(|| {
                    err(
                        complete[i],
                        format!(
                            "robust bod: in every one of the {} draws of {} unit(s), no drawn unit bounds this one; raise m",
                            r.draws, r.m
                        ),
                    )
                })
            })
            .collect::<Result<Vec<f64>, PipelineError>>()?,
    };
    let mut all = vec![f64::NAN; s.rows.len()];
    for (i, sc) in complete.iter().zip(scores) {
        all[*i] = b.range.map_or(sc, |(lo, hi)| lo + sc * (hi - lo));
    }
    Ok(all)
}
