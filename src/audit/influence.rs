//! Influence of each element on the index (COINr's `remove_elements`, as JRC audits report):
//! every indicator and every node below the index is removed in turn and the index
//! recomputed for every unit and year.
//!
//! Removing element e: its weight in its parent is set to 0, so the parent renormalises over
//! its other children (weight-0 children never count, [`crate::stages::aggregate`]); a
//! non-compensatory parent (`mpi`, `ampi`, `bod`, `copeland`) is recomputed without it. Fitted
//! weights are kept as fitted (the run's [`Results::fitted_weights`], frozen as declared
//! weights), not refitted. An only child leaves its parent missing for every unit, and the
//! grandparent renormalises. The index without e is ranked by the rank rule
//! ([`crate::stages::rank`], ties within 1e-9 take the lowest rank) and
//!
//! ```text
//! rank_change = nominal rank − rank without e
//! ```
//!
//! (positive: the unit moves towards rank 1 without e, as COINr's `RankDiffs`). A unit whose
//! index is missing either way has no rank change and is not counted in the summary's n.
//!
//! Reference: tests/reference/methods/audit.py and generate.py (`influence_section`),
//! cross-checked in R (tests/reference/methods/crosscheck.R).

use crate::error::PipelineError;
use crate::log::RunLog;
use crate::methodology::{Kind, Methodology, WeightsSpec};
use crate::stages::{Results, aggregate, rank};
use serde::Serialize;

/// One row of `influence.csv`: a unit's index in a year without element `removed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfluenceRow {
    pub year: i32,
    pub removed: String,
    pub level: u32,
    pub unit: String,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    /// Nominal rank − rank without the element.
    pub rank_change: Option<i64>,
}

/// One row of `influence_summary.csv`: how much removing an element moves the ranks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfluenceSummaryRow {
    pub year: i32,
    pub removed: String,
    pub level: u32,
    /// Units ranked both with and without the element.
    pub n: usize,
    pub mean_abs_rank_change: Option<f64>,
    pub max_abs_rank_change: Option<u64>,
}

/// Both influence tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Influence {
    pub rows: Vec<InfluenceRow>,
    pub summary: Vec<InfluenceSummaryRow>,
}

/// The methodology with every fitted node's weights frozen at the run's fitted values, so
/// that removing an element renormalises them instead of refitting them.
fn frozen(m: &Methodology, r: &Results) -> Methodology {
    let mut fixed = m.clone();
    for f in &r.fitted_weights {
        for &(child, _, w) in &f.children {
            fixed.framework.elements[child].weight = w;
        }
        if let Kind::Node(spec) = &mut fixed.framework.elements[f.node].kind {
            spec.weights = WeightsSpec::DECLARED;
        }
    }
    fixed
}

/// The index (every year, year-major then unit) with element `id` at weight 0, aggregated
/// from the run's normalised indicators by the pipeline's own stage.
fn index_without(
    fixed: &Methodology,
    r: &Results,
    observed: &[bool],
    id: usize,
) -> Result<Vec<f64>, PipelineError> {
    let mut m = fixed.clone();
    m.framework.elements[id].weight = 0.0;
    // The findings of these runs (e.g. a parent left without children) are the
    // consequences of the removal itself, not news about the run: not logged.
    let mut log = RunLog::default();
    let d = &r.datasets;
    let agg = aggregate::aggregate_penalised(
        &d.normalised,
        observed,
        &r.imputed_flags,
        &r.transparency.penalty,
        &m,
        &mut log,
    )?;
    let root = m.framework.root();
    Ok((0..agg.panel.years.len()).flat_map(|y| agg.panel.col(y, root).to_vec()).collect())
}

/// The influence of every element below the index, in framework order, each year.
///
/// # Errors
/// A [`PipelineError`] from re-aggregating (a removal cannot cause one the run did not
/// have, but the stage's errors are passed on, never hidden).
pub fn influence(m: &Methodology, r: &Results) -> Result<Influence, PipelineError> {
    use rayon::prelude::*;
    let fixed = frozen(m, r);
    let d = &r.datasets;
    let observed: Vec<bool> =
        d.transformed.values.iter().zip(&r.imputed_flags).map(|(v, f)| !v.is_nan() && !f).collect();
    let root = m.framework.root();
    let removed: Vec<usize> = (0..m.framework.elements.len()).filter(|&id| id != root).collect();
    // One element per task, gathered in framework order: the output is the same on any
    // number of threads.
    let without: Vec<Vec<f64>> =
        removed.par_iter().map(|&id| index_without(&fixed, r, &observed, id)).collect::<Result<_, _>>()?;
    let p = &d.aggregated;
    let (nu, nc) = (p.units.len(), p.columns.len());
    let mut out = Influence::default();
    for (y, &year) in p.years.iter().enumerate() {
        let nominal = &r.ranks[(y * nc + root) * nu..(y * nc + root + 1) * nu];
        for (&id, scores) in removed.iter().zip(&without) {
            let e = m.element(id);
            let scores = &scores[y * nu..(y + 1) * nu];
            let ranks = rank::rank(scores, m.index.higher_is);
            let mut changes = Vec::new();
            for (u, unit) in p.units.iter().enumerate().filter(|&(u, _)| !r.screened[y * nu + u]) {
                let change = nominal[u].zip(ranks[u]).map(|(a, b)| i64::from(a) - i64::from(b));
                changes.extend(change);
                out.rows.push(InfluenceRow {
                    year,
                    removed: e.code.to_string(),
                    level: e.level,
                    unit: unit.to_string(),
                    score: (!scores[u].is_nan()).then_some(scores[u]),
                    rank: ranks[u],
                    rank_change: change,
                });
            }
            out.summary.push(summarise(year, e.code.to_string(), e.level, &changes));
        }
    }
    Ok(out)
}

/// n, the mean and the largest |rank change| (both empty when n = 0).
fn summarise(year: i32, removed: String, level: u32, changes: &[i64]) -> InfluenceSummaryRow {
    let n = changes.len();
    let abs = changes.iter().map(|c| c.unsigned_abs());
    InfluenceSummaryRow {
        year,
        removed,
        level,
        n,
        mean_abs_rank_change: (n > 0).then(|| abs.clone().map(|a| a as f64).sum::<f64>() / n as f64),
        max_abs_rank_change: abs.max(),
    }
}

/// The `k` most influential elements of the latest year: largest mean |rank change| first,
/// then largest max, then framework order; elements with no ranked unit last.
pub fn most_influential(summary: &[InfluenceSummaryRow], k: usize) -> Vec<&InfluenceSummaryRow> {
    let Some(latest) = summary.iter().map(|s| s.year).max() else {
        return Vec::new();
    };
    let mut rows: Vec<&InfluenceSummaryRow> = summary.iter().filter(|s| s.year == latest).collect();
    let key = |s: &InfluenceSummaryRow| (s.mean_abs_rank_change.unwrap_or(-1.0), s.max_abs_rank_change);
    // A stable sort keeps framework order among equals.
    rows.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.cmp(&ka.1))
    });
    rows.truncate(k);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_only_units_ranked_both_ways() {
        let s = summarise(2024, "a".into(), 1, &[2, -4, 0]);
        assert_eq!((s.n, s.mean_abs_rank_change, s.max_abs_rank_change), (3, Some(2.0), Some(4)));
        let none = summarise(2024, "a".into(), 1, &[]);
        assert_eq!((none.n, none.mean_abs_rank_change, none.max_abs_rank_change), (0, None, None));
    }

    #[test]
    fn the_most_influential_are_the_latest_years_largest_mean_changes() {
        let row = |year, code: &str, mean, max| InfluenceSummaryRow {
            year,
            removed: code.into(),
            level: 1,
            n: 3,
            mean_abs_rank_change: mean,
            max_abs_rank_change: max,
        };
        let rows = [
            row(2023, "old", Some(9.0), Some(9)),
            row(2024, "a", Some(1.0), Some(2)),
            row(2024, "b", None, None),
            row(2024, "c", Some(1.0), Some(3)),
            row(2024, "d", Some(0.5), Some(1)),
        ];
        let top: Vec<&str> = most_influential(&rows, 3).iter().map(|r| r.removed.as_str()).collect();
        assert_eq!(top, ["c", "a", "d"]);
    }
}
