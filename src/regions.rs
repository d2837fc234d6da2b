//! Regional aggregates: for each region of the units file's `region` column, the mean score
//! of its units at every node and year, with how many units it rests on, and its trends.
//!
//! score(region, year, node) = mean of the scores present among the region's units;
//! coverage = units with a score / units of the region in the run that year. A unit that
//! `[screen]` dropped from a year is not in the run that year (as in `scores.csv`), so it
//! counts in neither. Unweighted: every unit counts the same (a population-weighted mean
//! would need the weights declared).

use crate::ingest::Units;
use crate::methodology::Methodology;
use crate::rows::{status, year_pairs};
use crate::stages::Results;
use serde::Serialize;
use std::collections::BTreeMap;

/// One row of `regions.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionRow {
    pub region: String,
    pub year: i32,
    pub node: String,
    pub score: Option<f64>,
    pub units: usize,
    pub coverage: f64,
}

/// One row of `region_trends.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionTrendRow {
    pub region: String,
    pub node: String,
    pub from_year: i32,
    pub to_year: i32,
    pub score_from: Option<f64>,
    pub score_to: Option<f64>,
    pub delta: Option<f64>,
    pub status: String,
}

pub use crate::ingest::REGION_COLUMN;

/// Unit indices of the run, by region (regions in name order); empty without a region column.
fn members(r: &Results, units: Option<&Units>) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let Some((table, col)) = units.and_then(|u| Some((u, u.column(REGION_COLUMN)?))) else { return out };
    for (i, code) in r.datasets.aggregated.units.iter().enumerate() {
        if let Some(region) = table.rows.get(code).and_then(|info| info.groups[col].clone()) {
            out.entry(region).or_default().push(i);
        }
    }
    out
}

/// Regional means for every node (not indicators), sorted by year, framework order, region.
pub fn region_rows(m: &Methodology, r: &Results, units: Option<&Units>) -> Vec<RegionRow> {
    let groups = members(r, units);
    let p = &r.datasets.aggregated;
    let mut rows = Vec::new();
    for (y, &year) in p.years.iter().enumerate() {
        for (c, e) in m.framework.elements.iter().enumerate().filter(|(_, e)| !e.is_indicator()) {
            let col = p.col(y, c);
            let kept = |u: &&usize| !r.screened[y * p.units.len() + **u];
            for (region, idx) in &groups {
                let members = idx.iter().filter(kept).count();
                if members == 0 {
                    continue;
                }
                let present: Vec<f64> =
                    idx.iter().filter(kept).map(|&u| col[u]).filter(|v| !v.is_nan()).collect();
                let score = (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64);
                let coverage = present.len() as f64 / members as f64;
                rows.push(RegionRow {
                    region: region.clone(),
                    year,
                    node: e.code.to_string(),
                    score,
                    units: present.len(),
                    coverage,
                });
            }
        }
    }
    rows
}

/// Trends of the regional means, over the same year pairs as unit trends.
pub fn region_trends(m: &Methodology, rows: &[RegionRow], years: &[i32]) -> Vec<RegionTrendRow> {
    let at: BTreeMap<(&str, i32, &str), Option<f64>> =
        rows.iter().map(|r| ((r.region.as_str(), r.year, r.node.as_str()), r.score)).collect();
    let regions: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.region.as_str()).collect();
    let mut out = Vec::new();
    for (a, b) in year_pairs(years.len()) {
        for e in m.framework.elements.iter().filter(|e| !e.is_indicator()) {
            for region in &regions {
                let get = |y: i32| at.get(&(*region, y, e.code.as_str())).copied().flatten();
                let (sa, sb) = (get(years[a]), get(years[b]));
                let delta = sa.zip(sb).map(|(x, y)| y - x);
                out.push(RegionTrendRow {
                    region: region.to_string(),
                    node: e.code.to_string(),
                    from_year: years[a],
                    to_year: years[b],
                    score_from: sa,
                    score_to: sb,
                    delta,
                    status: delta.map_or("", |d| status(d, m.trend.stable, m.index.higher_is)).to_string(),
                });
            }
        }
    }
    out
}
