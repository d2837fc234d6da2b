//! Comparing two runs on the same data: a base methodology against a candidate (another file,
//! or the base with `--set` what-ifs). Pure: takes the two runs' score rows and frameworks and
//! returns tables; `output::compare_md` formats the committee summary.

use crate::error::Result;
use crate::ingest::Units;
use crate::methodology::Methodology;
use crate::methodology::diff::{KeyChange, diff, flat_file};
use crate::rows::{ScoreRow, score_rows};
use crate::stages::Results;
use crate::stats;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One row of `compare.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    pub unit: String,
    pub year: i32,
    pub node: String,
    pub score_base: Option<f64>,
    pub score_candidate: Option<f64>,
    pub delta: Option<f64>,
    pub rank_base: Option<u32>,
    pub rank_candidate: Option<u32>,
    /// rank_base − rank_candidate: positive = the unit moves up under the candidate.
    pub rank_change: Option<i64>,
    pub band_base: String,
    pub band_candidate: String,
}

/// An indicator's effective weight in the index under each methodology (0 when absent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectiveWeight {
    pub indicator: String,
    pub base: f64,
    pub candidate: f64,
}

/// Everything the committee summary shows.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub base_version: String,
    pub candidate_version: String,
    pub index: String,
    pub rows: Vec<CompareRow>,
    pub weights: Vec<EffectiveWeight>,
    pub keys: Vec<KeyChange>,
    /// Unit names from the units file, by code (empty without one).
    pub names: BTreeMap<String, String>,
}

/// How far the candidate's index moves from the base's in the latest year, over the units
/// scored under both: one line of the committee summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Agreement {
    pub year: i32,
    pub units: usize,
    /// Spearman's ρ of the two index scores (Pearson's r of their average ranks, ties
    /// sharing the mean rank): 1 when the candidate keeps the order. NaN when a score is
    /// constant or fewer than 2 units.
    pub spearman: f64,
    /// The mean of |rank_base − rank_candidate| (gti's ranks, ties sharing the lowest).
    pub mean_abs_rank_shift: f64,
    /// Units whose rank changes.
    pub moved: usize,
}

type Key = (String, i32, String);

fn key(r: &ScoreRow) -> Key {
    (r.unit.clone(), r.year, r.node.clone())
}

/// Pairs rows by (unit, year, node): the base's rows in its order, then rows only the
/// candidate has (e.g. a new indicator) in the candidate's order.
pub fn pair_rows(base: &[ScoreRow], candidate: &[ScoreRow]) -> Vec<CompareRow> {
    let cand: HashMap<Key, &ScoreRow> = candidate.iter().map(|r| (key(r), r)).collect();
    let in_base: std::collections::HashSet<Key> = base.iter().map(key).collect();
    let mut out: Vec<CompareRow> = base.iter().map(|b| row(Some(b), cand.get(&key(b)).copied())).collect();
    out.extend(candidate.iter().filter(|c| !in_base.contains(&key(c))).map(|c| row(None, Some(c))));
    out
}

fn row(b: Option<&ScoreRow>, c: Option<&ScoreRow>) -> CompareRow {
    let any = b.or(c).expect("one side exists");
    let (sb, sc) = (b.and_then(|r| r.score), c.and_then(|r| r.score));
    let (rb, rc) = (b.and_then(|r| r.rank), c.and_then(|r| r.rank));
    CompareRow {
        unit: any.unit.clone(),
        year: any.year,
        node: any.node.clone(),
        score_base: sb,
        score_candidate: sc,
        delta: sb.zip(sc).map(|(x, y)| y - x),
        rank_base: rb,
        rank_candidate: rc,
        rank_change: rb.zip(rc).map(|(x, y)| i64::from(x) - i64::from(y)),
        band_base: b.map(|r| r.band.clone()).unwrap_or_default(),
        band_candidate: c.map(|r| r.band.clone()).unwrap_or_default(),
    }
}

/// Effective weights of every indicator of either methodology: base order, then new ones.
pub fn effective_weights(base: &Methodology, candidate: &Methodology) -> Vec<EffectiveWeight> {
    let weights = |m: &Methodology| -> Vec<(String, f64)> {
        let eff = m.framework.effective_weights();
        m.framework.indicators.iter().map(|&i| (m.element(i).code.to_string(), eff[i])).collect()
    };
    let (b, c) = (weights(base), weights(candidate));
    let find = |v: &[(String, f64)], code: &str| v.iter().find(|p| p.0 == code).map_or(0.0, |p| p.1);
    let mut out: Vec<EffectiveWeight> = b
        .iter()
        .map(|(code, w)| EffectiveWeight { indicator: code.clone(), base: *w, candidate: find(&c, code) })
        .collect();
    for (code, w) in c.iter().filter(|(code, _)| !b.iter().any(|p| &p.0 == code)) {
        out.push(EffectiveWeight { indicator: code.clone(), base: 0.0, candidate: *w });
    }
    out
}

impl Comparison {
    /// The comparison of two runs on the same data: the base methodology's (`base`, `rb`)
    /// and the candidate's (`cand`, `rc`). The methodology keys that differ are read from
    /// the two files, with the overrides each was loaded with.
    ///
    /// # Errors
    /// A methodology file can no longer be read.
    pub fn build(
        (base, rb): (&Methodology, &Results),
        (cand, rc): (&Methodology, &Results),
        units: Option<&Units>,
    ) -> Result<Comparison> {
        let with_set = if cand.provenance.overrides.is_empty() { "" } else { " with --set" };
        let flat = |m: &Methodology| flat_file(&m.provenance.path, &m.provenance.overrides);
        // Rows as `scores.csv` holds them: unit-years dropped by [screen] left out.
        let (sb, sc) = (score_rows(base, rb, units), score_rows(cand, rc, units));
        let names = sb
            .iter()
            .chain(&sc)
            .filter(|r| !r.unit_name.is_empty())
            .map(|r| (r.unit.clone(), r.unit_name.clone()))
            .collect();
        Ok(Comparison {
            base_version: format!("{} {}", base.index.code, base.index.version),
            candidate_version: format!("{} {}{with_set}", cand.index.code, cand.index.version),
            index: base.index.code.to_string(),
            rows: pair_rows(&sb, &sc),
            weights: effective_weights(base, cand),
            keys: diff(&flat(base)?, &flat(cand)?),
            names,
        })
    }

    /// The latest year of the index rows.
    fn latest(&self) -> Option<i32> {
        self.rows.iter().filter(|r| r.node == self.index).map(|r| r.year).max()
    }

    /// The agreement of the two index rankings in the latest year; `None` when no unit is
    /// scored under both.
    pub fn agreement(&self) -> Option<Agreement> {
        let year = self.latest()?;
        let both: Vec<&CompareRow> = self
            .rows
            .iter()
            .filter(|r| {
                r.node == self.index
                    && r.year == year
                    && r.score_base.is_some()
                    && r.score_candidate.is_some()
            })
            .collect();
        if both.is_empty() {
            return None;
        }
        let (b, c): (Vec<f64>, Vec<f64>) =
            both.iter().filter_map(|r| r.score_base.zip(r.score_candidate)).unzip();
        let shifts: Vec<f64> =
            both.iter().filter_map(|r| r.rank_change).map(|d| d.unsigned_abs() as f64).collect();
        Some(Agreement {
            year,
            units: both.len(),
            spearman: stats::spearman(&b, &c),
            mean_abs_rank_shift: stats::mean(&shifts),
            moved: shifts.iter().filter(|&&d| d > 0.0).count(),
        })
    }

    /// Index rows of the latest year, largest |rank change| first (then unit).
    pub fn largest_shifts(&self, n: usize) -> Vec<&CompareRow> {
        let latest = self.latest();
        let mut rows: Vec<&CompareRow> = self
            .rows
            .iter()
            .filter(|r| {
                r.node == self.index && Some(r.year) == latest && r.rank_change.is_some_and(|c| c != 0)
            })
            .collect();
        rows.sort_by(|a, b| {
            b.rank_change.map(i64::abs).cmp(&a.rank_change.map(i64::abs)).then(a.unit.cmp(&b.unit))
        });
        rows.truncate(n);
        rows
    }

    /// Index rows whose band differs, by year and unit.
    pub fn band_crossings(&self) -> Vec<&CompareRow> {
        let mut rows: Vec<&CompareRow> =
            self.rows.iter().filter(|r| r.node == self.index && r.band_base != r.band_candidate).collect();
        rows.sort_by(|a, b| (a.year, &a.unit).cmp(&(b.year, &b.unit)));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sr(unit: &str, node: &str, score: f64, rank: u32, band: &str) -> ScoreRow {
        ScoreRow {
            unit: unit.into(),
            year: 2024,
            node: node.into(),
            level: 2,
            score: Some(score),
            rank: Some(rank),
            unit_name: String::new(),
            band: band.into(),
            coverage: 1.0,
            imputed: 0,
            respondents: None,
            agreement: None,
        }
    }

    #[test]
    fn rows_pair_by_key_and_rank_change_is_base_minus_candidate() {
        let base = [sr("XAA", "I", 40.0, 2, "high"), sr("XAB", "I", 60.0, 1, "low")];
        let cand =
            [sr("XAB", "I", 45.0, 2, "high"), sr("XAA", "I", 55.0, 1, "low"), sr("XAA", "new", 1.0, 1, "")];
        let rows = pair_rows(&base, &cand);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].unit.as_str(), rows[0].delta, rows[0].rank_change), ("XAA", Some(15.0), Some(1)));
        assert_eq!(
            (rows[1].rank_change, rows[1].band_base.as_str(), rows[1].band_candidate.as_str()),
            (Some(-1), "low", "high")
        );
        assert_eq!((rows[2].node.as_str(), rows[2].score_base), ("new", None));
        let c = Comparison {
            base_version: "1".into(),
            candidate_version: "2".into(),
            index: "I".into(),
            rows,
            weights: vec![],
            keys: vec![],
            names: BTreeMap::new(),
        };
        assert_eq!(c.band_crossings().len(), 2);
        assert_eq!(c.largest_shifts(10).len(), 2);
    }
}

/// One row of `decomposition.csv`: a unit's change at a node since a published edition,
/// split in three parts that add up to the total:
/// - data revision = A − P: the edition's methodology on today's data, minus what was
///   published (P) for the edition's year;
/// - methodology change = B − A: today's methodology back-cast on that year, minus A;
/// - real change = C − B: today's latest year, minus the back-cast;
/// - total = C − P.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecompositionRow {
    pub unit: String,
    pub node: String,
    pub edition_year: i32,
    pub latest_year: i32,
    pub published: f64,
    pub edition_methodology_now: Option<f64>,
    pub backcast: Option<f64>,
    pub latest: Option<f64>,
    pub data_revision: Option<f64>,
    pub methodology_change: Option<f64>,
    pub real_change: Option<f64>,
    pub total: Option<f64>,
}

/// Scores by (unit, year, node).
pub type ScoreMap = HashMap<(String, i32, String), Option<f64>>;

pub fn score_map(rows: &[ScoreRow]) -> ScoreMap {
    rows.iter().map(|r| (key(r), r.score)).collect()
}

/// Decomposes each published (unit, year, node, score) against the edition's methodology
/// (`old`) and today's (`now`), both run on today's data; `latest` is today's last year.
pub fn decompose(
    published: &[(String, i32, String, f64)],
    old: &ScoreMap,
    now: &ScoreMap,
    latest: i32,
) -> Vec<DecompositionRow> {
    published
        .iter()
        .map(|(unit, year, node, p)| {
            let get = |m: &ScoreMap, y: i32| m.get(&(unit.clone(), y, node.clone())).copied().flatten();
            let (a, b, c) = (get(old, *year), get(now, *year), get(now, latest));
            DecompositionRow {
                unit: unit.clone(),
                node: node.clone(),
                edition_year: *year,
                latest_year: latest,
                published: *p,
                edition_methodology_now: a,
                backcast: b,
                latest: c,
                data_revision: a.map(|a| a - p),
                methodology_change: b.zip(a).map(|(b, a)| b - a),
                real_change: c.zip(b).map(|(c, b)| c - b),
                total: c.map(|c| c - p),
            }
        })
        .collect()
}
