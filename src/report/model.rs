//! What the report shows, gathered before any rendering: the run's output tables (the same
//! rows `gti compute` writes), the methodology, the units' regions, overall means, and the
//! optional comparison and rank intervals. Lookups only; the pages format these values.

use super::doc::Cell;
use super::rank_stats::RankInterval;
use crate::compare::Comparison;
use crate::ingest::Units;
use crate::methodology::Methodology;
use crate::output::Bundle;
use crate::regions::REGION_COLUMN;
use crate::rows::ScoreRow;

pub use crate::present::{UnitLabel, band_fill, fictional_notice};
use std::collections::{BTreeMap, HashMap};

/// Everything the report pages read.
pub struct ReportData<'a> {
    pub m: &'a Methodology,
    pub bundle: &'a Bundle<'a>,
    /// `bundle.scores` as rows (a report covers few units; it indexes them).
    rows: Vec<ScoreRow>,
    pub units: Vec<UnitLabel>,
    pub years: Vec<i32>,
    /// The root's children that are nodes (the pillars), as (code, name).
    pub pillars: Vec<(String, String)>,
    /// Unweighted mean of the units' scores, by (year, node), over the units with a score.
    pub overall: HashMap<(i32, String), f64>,
    pub comparison: Option<Comparison>,
    pub intervals: Option<Vec<RankInterval>>,
    /// The fictional-data notice, when the methodology or the unit codes say so.
    pub fictional: Option<String>,
    /// Decimals of the scores shown: 2, or 3 when every node score is within ±1.5 (the HDI).
    pub decimals: usize,
    scores: HashMap<(String, i32, String), usize>,
}

impl<'a> ReportData<'a> {
    pub fn new(m: &'a Methodology, bundle: &'a Bundle<'a>, units: Option<&Units>) -> ReportData<'a> {
        let rows = bundle.scores.rows();
        let scores =
            rows.iter().enumerate().map(|(i, r)| ((r.unit.clone(), r.year, r.node.clone()), i)).collect();
        let labels = unit_labels(&rows, units);
        let fictional = fictional_notice(m, &labels);
        ReportData {
            m,
            bundle,
            years: years(&rows),
            pillars: pillars(m),
            overall: overall_means(&rows),
            units: labels,
            comparison: None,
            intervals: None,
            fictional,
            decimals: decimals(&rows),
            rows,
            scores,
        }
    }

    /// A score as the tables show it.
    pub fn num(&self, v: Option<f64>) -> String {
        super::blocks::fmt_num(v, self.decimals)
    }

    /// A change as the tables show it, with its sign.
    pub fn signed(&self, v: Option<f64>) -> String {
        super::blocks::fmt_signed(v, self.decimals)
    }

    pub fn index(&self) -> &str {
        self.m.index.code.as_str()
    }

    /// The axis range of every index chart over time: all units' index scores, all years.
    pub fn index_range(&self) -> (f64, f64) {
        let idx = self.index();
        super::charts::nice_range(self.rows.iter().filter(|r| r.node == idx).filter_map(|r| r.score))
    }

    pub fn latest(&self) -> Option<i32> {
        self.years.last().copied()
    }

    pub fn score_row(&self, unit: &str, year: i32, node: &str) -> Option<&ScoreRow> {
        self.scores.get(&(unit.to_string(), year, node.to_string())).map(|&i| &self.rows[i])
    }

    pub fn score(&self, unit: &str, year: i32, node: &str) -> Option<f64> {
        self.score_row(unit, year, node).and_then(|r| r.score)
    }

    pub fn region_mean(&self, region: &str, year: i32, node: &str) -> Option<f64> {
        let r =
            self.bundle.regions.iter().find(|r| r.region == region && r.year == year && r.node == node)?;
        r.score
    }

    /// Regions in name order, each with its units in code order.
    pub fn regions(&self) -> BTreeMap<String, Vec<&UnitLabel>> {
        let mut out: BTreeMap<String, Vec<&UnitLabel>> = BTreeMap::new();
        for u in &self.units {
            if let Some(r) = &u.region {
                out.entry(r.clone()).or_default().push(u);
            }
        }
        out
    }

    /// Index rows of the latest year, in rank order (as in scores.csv).
    pub fn ranking(&self) -> Vec<&ScoreRow> {
        let latest = self.latest();
        self.rows.iter().filter(|r| r.node == self.index() && Some(r.year) == latest).collect()
    }

    /// The colour of band `label` (the methodology's, else an Okabe–Ito colour by position).
    pub fn band_colour(&self, label: &str) -> Option<String> {
        let i = self.m.bands.iter().position(|b| b.label == label)?;
        Some(band_fill(&self.m.bands[i], i))
    }

    /// The band of a row as a coloured cell (plain text when the band has no colour).
    pub fn band_cell(&self, band: &str) -> Cell {
        match self.band_colour(band) {
            Some(fill) => {
                let ink = super::svg::text_on(&fill).to_string();
                Cell::Swatch { text: band.to_string(), fill, ink }
            }
            None => Cell::Text(band.to_string()),
        }
    }

    pub fn unit(&self, code: &str) -> Option<&UnitLabel> {
        self.units.iter().find(|u| u.code == code)
    }
}

fn decimals(rows: &[ScoreRow]) -> usize {
    let max = rows.iter().filter(|r| r.level > 1).filter_map(|r| r.score).fold(0.0f64, |m, s| m.max(s.abs()));
    if max > 0.0 && max <= 1.5 { 3 } else { 2 }
}

fn years(rows: &[ScoreRow]) -> Vec<i32> {
    let mut y: Vec<i32> = rows.iter().map(|r| r.year).collect();
    y.sort_unstable();
    y.dedup();
    y
}

fn pillars(m: &Methodology) -> Vec<(String, String)> {
    let root = m.element(m.framework.root());
    root.children
        .iter()
        .map(|&c| m.element(c))
        .filter(|e| !e.is_indicator())
        .map(|e| (e.code.to_string(), e.name.clone()))
        .collect()
}

/// Units in code order, named from the score rows, with the units file's region.
fn unit_labels(rows: &[ScoreRow], units: Option<&Units>) -> Vec<UnitLabel> {
    let mut by_code: BTreeMap<&str, &str> = BTreeMap::new();
    for r in rows {
        by_code.entry(&r.unit).or_insert(&r.unit_name);
    }
    let region = |code: &str| -> Option<String> {
        let u = units?;
        let info = u.rows.iter().find(|(c, _)| c.as_str() == code)?.1;
        info.groups.get(u.column(REGION_COLUMN)?)?.clone()
    };
    by_code
        .into_iter()
        .map(|(code, name)| UnitLabel { code: code.into(), name: name.into(), region: region(code) })
        .collect()
}

/// Overall means: like the regional means (unweighted, over the units with a score).
fn overall_means(rows: &[ScoreRow]) -> HashMap<(i32, String), f64> {
    let mut acc: HashMap<(i32, String), (f64, usize)> = HashMap::new();
    for r in rows.iter().filter(|r| r.level > 1) {
        if let Some(s) = r.score {
            let e = acc.entry((r.year, r.node.clone())).or_default();
            *e = (e.0 + s, e.1 + 1);
        }
    }
    acc.into_iter().map(|(k, (sum, n))| (k, sum / n as f64)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(unit: &str, year: i32, node: &str, level: u32, score: Option<f64>) -> ScoreRow {
        ScoreRow {
            unit: unit.into(),
            year,
            node: node.into(),
            level,
            score,
            rank: None,
            unit_name: format!("{unit} name"),
            band: String::new(),
            coverage: 1.0,
            imputed: 0,
            respondents: None,
            agreement: None,
        }
    }

    #[test]
    fn overall_means_skip_missing_scores_and_indicators() {
        let rows = [
            row("A", 2024, "I", 2, Some(10.0)),
            row("B", 2024, "I", 2, Some(20.0)),
            row("C", 2024, "I", 2, None),
            row("A", 2024, "i1", 1, Some(99.0)),
        ];
        let m = overall_means(&rows);
        assert_eq!(m.get(&(2024, "I".to_string())), Some(&15.0));
        assert_eq!(m.get(&(2024, "i1".to_string())), None);
    }

    #[test]
    fn three_decimals_only_for_scores_within_1_5() {
        let hdi = [row("A", 2024, "I", 2, Some(0.962)), row("A", 2024, "i1", 1, Some(80.0))];
        assert_eq!(decimals(&hdi), 3);
        assert_eq!(decimals(&[row("A", 2024, "I", 2, Some(62.5))]), 2);
        assert_eq!(decimals(&[row("A", 2024, "I", 2, None)]), 2);
    }

    #[test]
    fn labels_carry_names_in_code_order() {
        let rows = [row("XB", 2024, "I", 2, None), row("XA", 2024, "I", 2, None)];
        let l = unit_labels(&rows, None);
        assert_eq!(l.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["XA", "XB"]);
        assert_eq!(l[0].label(), "XA name (XA)");
        assert_eq!(l[0].region, None);
    }
}
