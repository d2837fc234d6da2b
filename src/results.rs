//! Output tables built from a run: `scores`, `trends` and `transparency` rows, sorted as DESIGN says.
//! Exporters only format these rows; nothing is computed while writing.

use crate::codes::Year;
use crate::ingest::Units;
use crate::methodology::{HigherIs, Methodology};
use crate::stages::Results;
use serde::Serialize;

/// One row of `scores.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    pub unit: String,
    pub year: Year,
    pub node: String,
    pub level: u32,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub unit_name: String,
    pub band: String,
    pub coverage: f64,
    pub imputed: u32,
    /// Expert indicators: the answers used (empty for other rows).
    pub respondents: Option<u32>,
    /// Expert indicators: the standard deviation (n − 1) of the answers used.
    pub agreement: Option<f64>,
}

/// One row of `transparency.csv`: a node's questionnaire items answered, by count and weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransparencyRow {
    pub unit: String,
    pub year: Year,
    pub node: String,
    pub level: u32,
    /// Expert indicators beneath the node, and those with a value.
    pub items: u32,
    pub answered: u32,
    pub share_count: f64,
    /// The answered items' share of the node's expert weight.
    pub share_weight: Option<f64>,
    /// Points subtracted from the node's score by the transparency penalty.
    pub penalty: Option<f64>,
}

/// One row of `trends.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    pub unit: String,
    pub node: String,
    pub from_year: Year,
    pub to_year: Year,
    pub score_from: Option<f64>,
    pub score_to: Option<f64>,
    pub delta: Option<f64>,
    pub rank_from: Option<u32>,
    pub rank_to: Option<u32>,
    pub rank_change: Option<i64>,
    pub band_from: String,
    pub band_to: String,
    pub status: String,
}

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

fn unit_name(units: Option<&Units>, code: &crate::codes::UnitCode) -> String {
    units.and_then(|u| u.rows.get(code)?.name.clone()).unwrap_or_default()
}

/// Every (unit, year, element) row, sorted by year, framework order, rank (missing last),
/// unit.
pub fn score_rows(m: &Methodology, r: &Results, units: Option<&Units>) -> Vec<ScoreRow> {
    let p = &r.datasets.aggregated;
    let mut rows = Vec::with_capacity(p.values.len());
    for (y, &year) in p.years.iter().enumerate() {
        for (c, e) in m.framework.elements.iter().enumerate() {
            let base = (y * p.columns.len() + c) * p.units.len();
            let mut block: Vec<ScoreRow> = p
                .units
                .iter()
                .enumerate()
                .map(|(u, code)| ScoreRow {
                    unit: code.to_string(),
                    year,
                    node: e.code.to_string(),
                    level: e.level,
                    score: opt(p.values[base + u]),
                    rank: r.ranks[base + u],
                    unit_name: unit_name(units, code),
                    band: r.bands[base + u].clone().unwrap_or_default(),
                    coverage: r.coverage[base + u],
                    imputed: r.imputed_count[base + u],
                    respondents: r.respondents[base + u],
                    agreement: r.agreement[base + u],
                })
                .collect();
            block.sort_by(|a, b| {
                (a.rank.is_none(), a.rank, &a.unit).cmp(&(b.rank.is_none(), b.rank, &b.unit))
            });
            rows.extend(block);
        }
    }
    rows
}

/// Transparency of every node with expert items beneath it, sorted by year, framework order,
/// unit. `penalty` is shown where it was applied (the node has a score).
pub fn transparency_rows(m: &Methodology, r: &Results) -> Vec<TransparencyRow> {
    let (p, t) = (&r.datasets.aggregated, &r.transparency);
    let mut rows = Vec::new();
    for (y, &year) in p.years.iter().enumerate() {
        for (c, e) in m.framework.elements.iter().enumerate().filter(|(_, e)| !e.is_indicator()) {
            let base = (y * p.columns.len() + c) * p.units.len();
            for (u, code) in p.units.iter().enumerate().filter(|&(u, _)| t.items[base + u] > 0) {
                let i = base + u;
                rows.push(TransparencyRow {
                    unit: code.to_string(),
                    year,
                    node: e.code.to_string(),
                    level: e.level,
                    items: t.items[i],
                    answered: t.answered[i],
                    share_count: f64::from(t.answered[i]) / f64::from(t.items[i]),
                    share_weight: opt(t.share_weight[i]),
                    penalty: t.penalty[i].filter(|_| !p.values[i].is_nan()),
                });
            }
        }
    }
    rows
}

/// Status of a change under the stability threshold.
pub fn status(delta: f64, stable: f64, higher_is: HigherIs) -> &'static str {
    if delta.abs() <= stable {
        return "stable";
    }
    match (delta > 0.0, higher_is) {
        (true, HigherIs::Better) | (false, HigherIs::Worse) => "improved",
        _ => "deteriorated",
    }
}

/// Year pairs to report: each consecutive pair, and first → last when there are more than
/// two years.
pub fn year_pairs(n: usize) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = (1..n).map(|i| (i - 1, i)).collect();
    if n > 2 {
        pairs.push((0, n - 1));
    }
    pairs
}

/// Trend rows for every unit and node (not indicators), sorted by year pair, framework
/// order, unit. Empty with fewer than two years.
pub fn trend_rows(m: &Methodology, r: &Results) -> Vec<TrendRow> {
    let p = &r.datasets.aggregated;
    let mut rows = Vec::new();
    for (a, b) in year_pairs(p.years.len()) {
        for (c, e) in m.framework.elements.iter().enumerate() {
            if e.is_indicator() {
                continue;
            }
            let (ba, bb) =
                ((a * p.columns.len() + c) * p.units.len(), (b * p.columns.len() + c) * p.units.len());
            for (u, code) in p.units.iter().enumerate() {
                let (sa, sb) = (p.values[ba + u], p.values[bb + u]);
                let delta = opt(sb - sa);
                let (ra, rb) = (r.ranks[ba + u], r.ranks[bb + u]);
                rows.push(TrendRow {
                    unit: code.to_string(),
                    node: e.code.to_string(),
                    from_year: p.years[a],
                    to_year: p.years[b],
                    score_from: opt(sa),
                    score_to: opt(sb),
                    delta,
                    rank_from: ra,
                    rank_to: rb,
                    rank_change: ra.zip(rb).map(|(x, y)| i64::from(x) - i64::from(y)),
                    band_from: r.bands[ba + u].clone().unwrap_or_default(),
                    band_to: r.bands[bb + u].clone().unwrap_or_default(),
                    status: delta.map_or("", |d| status(d, m.trend.stable, m.index.higher_is)).to_string(),
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_uses_the_threshold_inclusively_and_the_index_direction() {
        assert_eq!(status(2.0, 2.0, HigherIs::Better), "stable");
        assert_eq!(status(-2.0, 2.0, HigherIs::Better), "stable");
        assert_eq!(status(2.5, 2.0, HigherIs::Better), "improved");
        assert_eq!(status(-2.5, 2.0, HigherIs::Better), "deteriorated");
        assert_eq!(status(2.5, 2.0, HigherIs::Worse), "deteriorated");
    }

    #[test]
    fn pairs_are_consecutive_plus_first_to_last() {
        assert_eq!(year_pairs(1), vec![]);
        assert_eq!(year_pairs(2), vec![(0, 1)]);
        assert_eq!(year_pairs(3), vec![(0, 1), (1, 2), (0, 2)]);
    }
}
