//! Consistency checks on expert responses, reported as run-log findings (never errors), so that
//! `gti validate` lists them and `gti compute` records them in the manifest:
//!
//! - **Nobody answered**: in a unit and year with responses, an expert item without a single
//!   valid answer (every answer missing or "don't know", or no row at all).
//! - **Straight-lining**: a respondent whose valid answers, at least [`STRAIGHT_LINE_ITEMS`]
//!   of them, all sit at the same position on their items' scales, pᵢ = (xᵢ − low)/(high −
//!   low) (the raw value when an item has no scale): `5` on 0–10 items and `partially` (0.5)
//!   on 0–1 items is the same answer.
//! - **Far from consensus**: for each answer, d = |x − x̃₋ᵣ| / width, where x̃₋ᵣ is the median
//!   of the other respondents' answers to that item in the unit and year (at least two
//!   others; the median, so that one contrarian does not make the others look far) and width
//!   is the item's scale (high − low), or the range of all its answers when no scale is
//!   declared. A respondent whose mean d over at least [`CONSENSUS_ITEMS`] items exceeds
//!   [`CONSENSUS_DISTANCE`] is reported.
//! - **Few respondents**: a unit and year with fewer respondents giving at least one valid
//!   answer than the largest `min_respondents` of the expert items.

use super::combine::Expert;
use crate::codes::{UnitCode, Year};
use crate::ingest::RawData;
use crate::log::{Finding, RunLog};
use crate::methodology::{ExpertRules, Methodology};
use crate::stats::median;
use std::collections::{BTreeMap, BTreeSet};

/// A respondent is checked for straight-lining with at least this many valid answers.
pub const STRAIGHT_LINE_ITEMS: usize = 3;
/// Mean distance from the others' median, as a share of the scale, above which a respondent
/// is far from the consensus.
pub const CONSENSUS_DISTANCE: f64 = 0.3;
/// A respondent is checked for distance with at least this many comparable items.
pub const CONSENSUS_ITEMS: usize = 3;

/// (unit, year, respondent), borrowed from the responses.
type Who<'a> = (&'a UnitCode, Year, &'a str);

/// Every valid answer: who gave it, to which column, the value.
fn answers<'a>(data: &'a RawData, ex: &Expert) -> Vec<(Who<'a>, usize, f64)> {
    ex.mapped
        .iter()
        .filter_map(|a| {
            let r = &data.responses[a.response];
            Some(((&r.unit, r.year, r.respondent.as_str()), a.column, a.value?))
        })
        .collect()
}

/// The rules of each column's item (`None` for a statistical indicator).
type Rules<'a> = [Option<&'a ExpertRules>];

/// Runs every check on the combined answers and logs what it finds.
pub fn check(data: &RawData, m: &Methodology, ex: &Expert, log: &mut RunLog) {
    if data.responses.is_empty() {
        return;
    }
    let rules = m.expert_rules_by_column();
    let valid = answers(data, ex);
    nobody_answered(data, m, &rules, ex, log);
    straight_lining(&rules, &valid, log);
    far_from_consensus(&rules, &valid, log);
    few_respondents(data, &rules, &valid, log);
}

fn nobody_answered(data: &RawData, m: &Methodology, rules: &Rules, ex: &Expert, log: &mut RunLog) {
    let asked: BTreeSet<(&UnitCode, Year)> = data.responses.iter().map(|r| (&r.unit, r.year)).collect();
    let answered: BTreeSet<(&UnitCode, Year, usize)> =
        ex.points.iter().filter(|p| p.valid > 0).map(|p| (&p.unit, p.year, p.column)).collect();
    let expert_columns: Vec<usize> =
        rules.iter().enumerate().filter(|(_, r)| r.is_some()).map(|(c, _)| c).collect();
    let mut by: BTreeMap<(usize, Year), Vec<String>> = BTreeMap::new();
    for &(unit, year) in &asked {
        for &c in expert_columns.iter().filter(|&&c| !answered.contains(&(unit, year, c))) {
            by.entry((c, year)).or_default().push(unit.to_string());
        }
    }
    for ((c, year), units) in by {
        log.push(Finding::ExpertNoAnswer { code: m.indicator_code(c).to_string(), year, units });
    }
}

/// pᵢ: the position of a value on its item's scale (the value itself without a scale).
fn position(rules: &Rules, column: usize, x: f64) -> f64 {
    let scale = rules[column].and_then(|r| r.scale);
    scale.map_or(x, |(lo, hi)| (x - lo) / (hi - lo))
}

fn straight_lining(rules: &Rules, valid: &[(Who, usize, f64)], log: &mut RunLog) {
    let mut by: BTreeMap<Who, Vec<f64>> = BTreeMap::new();
    for &(who, c, x) in valid {
        by.entry(who).or_default().push(position(rules, c, x));
    }
    for ((unit, year, respondent), ps) in by {
        let (lo, hi) = ps.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, &p| (a.0.min(p), a.1.max(p)));
        if ps.len() >= STRAIGHT_LINE_ITEMS && hi - lo <= 1e-9 {
            let (unit, respondent) = (unit.to_string(), respondent.to_string());
            log.push(Finding::StraightLining { unit, year, respondent, items: ps.len() });
        }
    }
}

/// Each column's width: its scale, or the range of its answers (0 when no spread).
fn widths(rules: &Rules, valid: &[(Who, usize, f64)]) -> Vec<f64> {
    let mut range = vec![(f64::INFINITY, f64::NEG_INFINITY); rules.len()];
    for &(_, c, x) in valid {
        range[c] = (range[c].0.min(x), range[c].1.max(x));
    }
    let observed = |c: usize| if range[c].1 > range[c].0 { range[c].1 - range[c].0 } else { 0.0 };
    (0..rules.len())
        .map(|c| rules[c].and_then(|r| r.scale).map_or_else(|| observed(c), |(lo, hi)| hi - lo))
        .collect()
}

fn far_from_consensus(rules: &Rules, valid: &[(Who, usize, f64)], log: &mut RunLog) {
    let widths = widths(rules, valid);
    type Answers<'a> = Vec<(&'a str, f64)>;
    let mut items: BTreeMap<(&UnitCode, Year, usize), Answers> = BTreeMap::new();
    for &((unit, year, who), c, x) in valid {
        items.entry((unit, year, c)).or_default().push((who, x));
    }
    let mut distance: BTreeMap<Who, (f64, usize)> = BTreeMap::new();
    for ((unit, year, c), xs) in items.into_iter().filter(|(k, xs)| xs.len() >= 3 && widths[k.2] > 0.0) {
        for (k, &(who, x)) in xs.iter().enumerate() {
            let others: Vec<f64> = xs.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, p)| p.1).collect();
            let others = median(&others);
            let d = distance.entry((unit, year, who)).or_default();
            *d = (d.0 + (x - others).abs() / widths[c], d.1 + 1);
        }
    }
    for ((unit, year, respondent), (sum, n)) in distance {
        let mean = sum / n as f64;
        if n >= CONSENSUS_ITEMS && mean > CONSENSUS_DISTANCE {
            let (unit, respondent) = (unit.to_string(), respondent.to_string());
            let threshold = CONSENSUS_DISTANCE;
            log.push(Finding::FarFromConsensus { unit, year, respondent, distance: mean, threshold });
        }
    }
}

fn few_respondents(data: &RawData, rules: &Rules, valid: &[(Who, usize, f64)], log: &mut RunLog) {
    let required = rules.iter().flatten().map(|r| r.min_respondents).max().unwrap_or(1);
    let mut by: BTreeMap<(&UnitCode, Year), BTreeSet<&str>> = BTreeMap::new();
    for r in &data.responses {
        by.entry((&r.unit, r.year)).or_default();
    }
    for &((unit, year, who), _, _) in valid {
        by.entry((unit, year)).or_default().insert(who);
    }
    for ((unit, year), who) in by.into_iter().filter(|(_, w)| w.len() < required as usize) {
        let (unit, respondents) = (unit.to_string(), Some(who.len()));
        log.push(Finding::FewRespondents { unit, year, respondents, required });
    }
}
