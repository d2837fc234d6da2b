//! Output rows built from a run ([`crate::stages::Results`]): `scores`, `trends` and
//! `transparency` rows, sorted as DESIGN says.
//! Exporters only format these rows; nothing is computed while writing.

use crate::codes::Year;
use crate::disclosure::{Disclosure, Respondents};
use crate::ingest::Units;
use crate::methodology::{HigherIs, Methodology};
use crate::stages::{DatasetName, Results};
use serde::Serialize;
use std::sync::Arc;

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
    /// Expert indicators: the answers used (empty for other rows); in public outputs a band
    /// below the disclosure threshold.
    pub respondents: Option<Respondents>,
    /// Expert indicators: the standard deviation (n − 1) of the answers used, where it may be
    /// shown.
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

/// One row of an exported data set (long form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetRow {
    pub unit: String,
    pub year: i32,
    pub code: String,
    pub value: Option<f64>,
    /// `imputed` where imputation filled the point (data sets from `Imputed` on).
    pub flag: String,
}

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// One row of `scores.csv`, borrowed from the results: what the exporters stream, so that
/// ten million rows are never held as ten million [`ScoreRow`]s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreRef<'a> {
    pub unit: &'a str,
    pub year: Year,
    pub node: &'a str,
    pub level: u32,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub unit_name: &'a str,
    pub band: &'a str,
    pub coverage: f64,
    pub imputed: u32,
    pub respondents: Option<Respondents>,
    pub agreement: Option<f64>,
}

impl ScoreRef<'_> {
    pub fn to_row(&self) -> ScoreRow {
        ScoreRow {
            unit: self.unit.to_string(),
            year: self.year,
            node: self.node.to_string(),
            level: self.level,
            score: self.score,
            rank: self.rank,
            unit_name: self.unit_name.to_string(),
            band: self.band.to_string(),
            coverage: self.coverage,
            imputed: self.imputed,
            respondents: self.respondents,
            agreement: self.agreement,
        }
    }
}

/// The scores of a run as rows, produced on demand: every (unit, year, element) but the
/// unit-years `[screen]` dropped, sorted by year, framework order, rank (missing last), unit.
/// Internal by default; [`Scores::public`] applies the disclosure rules to every row.
#[derive(Clone, Copy)]
pub struct Scores<'a> {
    m: &'a Methodology,
    r: &'a Results,
    units: Option<&'a Units>,
    disclosure: Option<Disclosure>,
}

impl std::fmt::Debug for Scores<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scores({} points)", self.r.datasets.aggregated.values.len())
    }
}

impl Serialize for Scores<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'a> Scores<'a> {
    pub fn new(m: &'a Methodology, r: &'a Results, units: Option<&'a Units>) -> Scores<'a> {
        Scores { m, r, units, disclosure: None }
    }

    /// The same rows in their public form: `respondents` banded and `agreement` withheld
    /// under `rules`.
    pub fn public(self, rules: Disclosure) -> Scores<'a> {
        Scores { disclosure: Some(rules), ..self }
    }

    /// The disclosure rules applied to the rows: `Some` in public outputs (exporters that
    /// add values of their own, such as the workbook's raw values, follow them too).
    pub fn disclosure(&self) -> Option<Disclosure> {
        self.disclosure
    }

    /// The methodology the rows follow (exporters name and colour with it).
    pub fn methodology(&self) -> &'a Methodology {
        self.m
    }

    /// The run the rows come from (data sets kept by the run included).
    pub fn results(&self) -> &'a Results {
        self.r
    }

    /// The units file, when one was read.
    pub fn units(&self) -> Option<&'a Units> {
        self.units
    }

    /// An upper bound of the number of rows (the points, screened ones included).
    pub fn capacity(&self) -> usize {
        self.r.datasets.aggregated.values.len()
    }

    pub fn iter(&self) -> ScoreIter<'a> {
        self.iter_blocks(0..self.blocks(), self.names())
    }

    /// Blocks of rows: one per (year, element), in output order.
    pub fn blocks(&self) -> usize {
        let p = &self.r.datasets.aggregated;
        p.years.len() * p.columns.len()
    }

    /// Each unit's name (empty when none), looked up once for every row.
    pub fn names(&self) -> Arc<[&'a str]> {
        let p = &self.r.datasets.aggregated;
        p.units
            .iter()
            .map(|c| self.units.and_then(|u| u.rows.get(c)?.name.as_deref()).unwrap_or(""))
            .collect()
    }

    /// The rows of some blocks (writers format blocks in parallel, then write them in order).
    pub fn iter_blocks(&self, blocks: std::ops::Range<usize>, names: Arc<[&'a str]>) -> ScoreIter<'a> {
        let units = &self.r.datasets.aggregated.units;
        debug_assert!(units.windows(2).all(|w| w[0] < w[1]), "units in code order");
        let order = Vec::with_capacity(units.len());
        ScoreIter { s: *self, names, block: blocks.start, end: blocks.end, order, next: 0 }
    }

    /// Every row, owned (the report and `compare` index them).
    pub fn rows(&self) -> Vec<ScoreRow> {
        self.iter().map(|r| r.to_row()).collect()
    }
}

/// Every score row as [`Scores`] yields them (screened unit-years left out), owned.
pub fn score_rows(m: &Methodology, r: &Results, units: Option<&Units>) -> Vec<ScoreRow> {
    Scores::new(m, r, units).rows()
}

/// Walks the (year, element) blocks in order; within a block, the units by rank.
pub struct ScoreIter<'a> {
    s: Scores<'a>,
    names: Arc<[&'a str]>,
    /// The next block, `year * elements + element`, and the end of the range.
    block: usize,
    end: usize,
    /// Unit indices of the current block in output order, and the next one to yield.
    order: Vec<usize>,
    next: usize,
}

impl<'a> ScoreIter<'a> {
    /// Fills `order` for block `b`: units not screened out, by (rank missing, rank, code).
    /// Ranks are 1..=n, so a counting sort does it in linear time; units are already in code
    /// order (`table::arrange` sorts them), which the sort keeps among equal ranks.
    fn fill(&mut self, b: usize) {
        let (r, p) = (self.s.r, &self.s.r.datasets.aggregated);
        let (nu, y) = (p.units.len(), b / p.columns.len());
        let ranks = &r.ranks[b * nu..(b + 1) * nu];
        // Slot 0 is unused; ranks 1..=nu; nu + 1 holds the units without a rank.
        let key = |u: usize| ranks[u].map_or(nu + 1, |k| k as usize);
        let kept = |u: &usize| !r.screened[y * nu + u];
        let mut start = vec![0usize; nu + 3];
        (0..nu).filter(kept).for_each(|u| start[key(u) + 1] += 1);
        (1..start.len()).for_each(|k| start[k] += start[k - 1]);
        self.order.clear();
        self.order.resize(start[nu + 2], 0);
        for u in (0..nu).filter(kept) {
            let k = key(u);
            self.order[start[k]] = u;
            start[k] += 1;
        }
        self.next = 0;
    }

    fn row(&self, b: usize, u: usize) -> ScoreRef<'a> {
        let (r, p) = (self.s.r, &self.s.r.datasets.aggregated);
        let (y, c) = (b / p.columns.len(), b % p.columns.len());
        let e = &self.s.m.framework.elements[c];
        let i = b * p.units.len() + u;
        let (respondents, agreement) = match (r.respondents(i), self.s.disclosure) {
            (None, _) => (None, None),
            (Some(n), None) => (Some(Respondents::Count(n)), r.agreement(i)),
            (Some(n), Some(d)) => (Some(d.respondents(n)), d.agreement(n, r.agreement(i))),
        };
        ScoreRef {
            unit: p.units[u].as_str(),
            year: p.years[y],
            node: e.code.as_str(),
            level: e.level,
            score: opt(p.values[i]),
            rank: r.ranks[i],
            unit_name: self.names[u],
            band: r.band(i).unwrap_or(""),
            coverage: r.coverage[i],
            imputed: r.imputed_count[i],
            respondents,
            agreement,
        }
    }
}

impl<'a> Iterator for ScoreIter<'a> {
    type Item = ScoreRef<'a>;

    fn next(&mut self) -> Option<ScoreRef<'a>> {
        loop {
            // `order` is empty until the first block is filled.
            if self.next < self.order.len() {
                self.next += 1;
                return Some(self.row(self.block - 1, self.order[self.next - 1]));
            }
            if self.block >= self.end {
                return None;
            }
            self.fill(self.block);
            self.block += 1;
        }
    }
}

/// Transparency of every node with expert items beneath it, sorted by year, framework order,
/// unit. `penalty` is shown where it was applied (the node has a score).
pub fn transparency_rows(m: &Methodology, r: &Results) -> Vec<TransparencyRow> {
    let (p, t) = (&r.datasets.aggregated, &r.transparency);
    let mut rows = Vec::new();
    if t.items.is_empty() {
        return rows;
    }
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
                    band_from: r.band(ba + u).unwrap_or_default().to_string(),
                    band_to: r.band(bb + u).unwrap_or_default().to_string(),
                    status: delta.map_or("", |d| status(d, m.trend.stable, m.index.higher_is)).to_string(),
                });
            }
        }
    }
    rows
}

/// Whether `[screen]` dropped `unit` from `year` (its rows are left out of the outputs).
pub fn dropped(r: &Results, unit: &str, year: i32) -> bool {
    let p = &r.datasets.aggregated;
    let y = p.years.iter().position(|&v| v == year);
    let u = p.units.iter().position(|c| c.as_str() == unit);
    matches!((y, u), (Some(y), Some(u)) if r.screened[y * p.units.len() + u])
}

/// The flags of point `i` (unit `u`, year `y`) of data set `name`, joined by `+`:
/// `screened` (after Raw), `imputed` (Imputed to Normalised), the treatment flag (Treated,
/// Normalised).
fn point_flag(r: &Results, name: DatasetName, y: usize, u: usize, i: usize) -> String {
    use DatasetName::*;
    let n_units = r.datasets.raw.units.len();
    let mut flags: Vec<String> = Vec::new();
    if name != Raw && r.screened[y * n_units + u] {
        flags.push("screened".into());
    }
    if matches!(name, Imputed | Treated | Normalised) && r.imputed_flags[i] {
        flags.push(match r.imputed_from(i) {
            Some(source) => format!("imputed {source}"),
            None => "imputed".into(),
        });
    }
    if matches!(name, Treated | Normalised)
        && let Some(t) = r.treat_flags[i]
    {
        flags.push(t.as_str().into());
    }
    flags.join("+")
}

/// A data set in long form, sorted by year, column (framework order), unit.
pub fn dataset_rows(r: &Results, name: DatasetName) -> Vec<DatasetRow> {
    let p = r.datasets.get(name);
    let mut rows = Vec::with_capacity(p.values.len());
    for (y, &year) in p.years.iter().enumerate() {
        for (c, code) in p.columns.iter().enumerate() {
            for (u, unit) in p.units.iter().enumerate() {
                let i = (y * p.columns.len() + c) * p.units.len() + u;
                let v = p.values[i];
                rows.push(DatasetRow {
                    unit: unit.to_string(),
                    year,
                    code: code.to_string(),
                    value: (!v.is_nan()).then_some(v),
                    flag: point_flag(r, name, y, u, i),
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
