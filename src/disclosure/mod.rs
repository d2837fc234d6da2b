//! What gti may publish about the respondents of expert questionnaires: the one place for
//! the disclosure rules of public outputs (`gti explore`, `gti report --public`, `gti compute
//! --public` and the coming `gti release`). docs/respondent-safety.md gives each rule with
//! its reason and the disclosure-control practice it follows.
//!
//! Public outputs are built from a run by [`public::publish`] (rows, log, manifest) or, for the
//! explorer, from the same rules. They never hold a respondent id, a raw answer or a
//! per-respondent finding. For expert items, under the methodology's `[expert] disclosure`
//! ([`Disclosure`], safe defaults when absent):
//!
//! - **counts** ([`Disclosure::respondents`]): a number of answers below `count_band` is
//!   published as the band `<count_band`;
//! - **spread** ([`Disclosure::agreement`], [`Disclosure::interval`]): the standard deviation
//!   of an item's answers, and any interval from resampling respondents, only from
//!   `min_respondents` answers (never below [`SPREAD_FLOOR`]);
//! - **values** ([`check_values`], [`Disclosure::raw_value`]): no item value from a single
//!   answer; an item's combined value on its own scale only where it must be (a release's
//!   data, [`combined_values`]), elsewhere through its normalised value;
//! - **differencing** ([`same_combination`], [`combines_answers`]): no public comparison of
//!   two ways of combining the same answers.

pub mod public;

pub use public::{combined_values, public_intervals, publish};

use crate::error::{Diag, Error, Location, MethodologyError, Result};
use crate::methodology::{ExpertRules, Methodology, Source};
use crate::stages::Results;
use serde::Serialize;
use std::fmt;

/// `count_band` when the methodology does not say: exact counts from 5 answers up.
pub const COUNT_BAND: u32 = 5;
/// `min_respondents` when the methodology does not say: spread from 5 answers up.
pub const MIN_RESPONDENTS: u32 = 5;
/// The fewest answers whose spread may be published whatever the methodology says: the mean
/// m and the standard deviation s of two answers are the answers themselves, m ± s/√2.
pub const SPREAD_FLOOR: u32 = 3;
/// The fewest answers behind an item value in a public output: the value of one answer is
/// that answer.
pub const VALUE_FLOOR: u32 = 2;
/// Item values from fewer answers than this are counted in the public run log: a respondent
/// who knows they answered with one other can compute the other's answer from the value (the
/// minimum frequency rule's n = 3).
pub const ONE_INSIDER: u32 = 3;

/// The disclosure rules for expert items in public outputs (`[expert] disclosure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Counts of answers below this are published as the band `<count_band`.
    pub count_band: u32,
    /// Spread (agreement, resampling intervals) is published only from this many answers.
    pub min_respondents: u32,
}

impl Default for Disclosure {
    fn default() -> Disclosure {
        Disclosure { count_band: COUNT_BAND, min_respondents: MIN_RESPONDENTS }
    }
}

/// A number of answers as an output shows it: exact, or the band below the threshold.
/// Internal outputs hold only `Count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Respondents {
    Count(u32),
    /// "fewer than N": written `<N`.
    FewerThan(u32),
}

impl fmt::Display for Respondents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Respondents::Count(n) => write!(f, "{n}"),
            Respondents::FewerThan(n) => write!(f, "<{n}"),
        }
    }
}

impl Serialize for Respondents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Respondents::Count(n) => s.serialize_u32(*n),
            Respondents::FewerThan(_) => s.collect_str(self),
        }
    }
}

impl Disclosure {
    /// The count of `n` answers as a public output shows it.
    pub fn respondents(&self, n: u32) -> Respondents {
        if n < self.count_band { Respondents::FewerThan(self.count_band) } else { Respondents::Count(n) }
    }

    /// The agreement (sd of `n` answers) that may be published.
    pub fn agreement(&self, n: u32, sd: Option<f64>) -> Option<f64> {
        sd.filter(|v| n >= self.min_respondents.max(SPREAD_FLOOR) && v.is_finite())
    }

    /// Whether an interval from resampling respondents (issue 19) may be published for a
    /// point: `answers` are the numbers of answers of the expert items it rests on (the item
    /// itself, or every expert item with a value beneath a node, in that unit and year). A
    /// bootstrap over two answers a and b has the means a, (a + b)/2 and b: its interval is the
    /// pair. Published only when every item has `min_respondents` answers; a point resting on
    /// no expert item has no such interval to withhold.
    pub fn interval(&self, answers: impl IntoIterator<Item = u32>) -> bool {
        answers.into_iter().all(|n| n >= self.min_respondents.max(SPREAD_FLOOR))
    }

    /// The value of an indicator as read (before transformation and normalisation) that the
    /// explorer and public data sets show: statistical indicators only. An expert item's
    /// combined value is its answers' mean on the item's scale; public outputs give it as the
    /// normalised value, and only a release (which must recompute) carries it.
    pub fn raw_value(&self, source: Source, v: f64) -> Option<f64> {
        (source == Source::Statistical && !v.is_nan()).then_some(v)
    }
}

/// The expert item points of a run whose value came from answers, as (aggregated point,
/// answers used), screened unit-years left out.
fn valued_points<'a>(m: &'a Methodology, r: &'a Results) -> impl Iterator<Item = (usize, u32)> + 'a {
    let p = &r.datasets.aggregated;
    let (nu, ne) = (p.units.len(), p.columns.len());
    let min = |e: usize| {
        m.framework.elements[e].indicator().and_then(|s| s.expert.as_ref()).map(|x| x.min_respondents)
    };
    (0..r.respondents.len()).filter_map(move |i| {
        let n = r.respondents(i)?;
        let (e, u, y) = ((i / nu) % ne, i % nu, i / (nu * ne));
        let valued = n >= 1 && n >= min(e).unwrap_or(1);
        (valued && !r.screened[y * nu + u]).then_some((i, n))
    })
}

/// Refuses to publish a run with an expert item whose value came from fewer than
/// [`VALUE_FLOOR`] answers: that value is the respondent's answer.
///
/// # Errors
/// [`Error::Methodology`], at the methodology file, naming the first such points and the fix.
pub fn check_values(m: &Methodology, r: &Results) -> Result<()> {
    let p = &r.datasets.aggregated;
    let (nu, ne) = (p.units.len(), p.columns.len());
    let lone: Vec<usize> = valued_points(m, r).filter(|&(_, n)| n < VALUE_FLOOR).map(|(i, _)| i).collect();
    if lone.is_empty() {
        return Ok(());
    }
    let name = |i: usize| {
        let (e, u, y) = ((i / nu) % ne, i % nu, i / (nu * ne));
        format!("{} {} {}", p.units[u], p.years[y], m.framework.elements[e].code)
    };
    let shown: Vec<String> = lone.iter().take(3).map(|&i| name(i)).collect();
    Err(lone_answers(m, &shown, lone.len()))
}

/// The error of [`check_values`]: `shown` names the first points, of `all`.
fn lone_answers(m: &Methodology, shown: &[String], all: usize) -> Error {
    let more = if all > shown.len() { format!(", … ({all} in all)") } else { String::new() };
    let diag = Diag::new(
        Location::file(&m.provenance.path),
        format!(
            "a public output cannot hold an expert item's value from a single answer (that value is \
             the respondent's answer): {}{more}",
            shown.join(", ")
        ),
    )
    .hint("set [expert] min_respondents = 2 or more: such items are then missing and flagged (docs/respondent-safety.md)");
    MethodologyError(vec![diag]).into()
}

/// How many expert item values of a run rest on fewer than [`ONE_INSIDER`] answers.
pub fn few_answers(m: &Methodology, r: &Results) -> usize {
    valued_points(m, r).filter(|&(_, n)| n < ONE_INSIDER).count()
}

/// Whether a `--set` path (or a sensitivity input's) can change how answers are combined
/// into item values: anything under `[expert]` but `penalty` and `disclosure`, an indicator's
/// `expert` table or `source`, and a whole `[expert]` or `[indicator.X]` table.
pub fn combines_answers(path: &str) -> bool {
    let seg: Vec<&str> = path.split('.').map(str::trim).collect();
    match seg.as_slice() {
        ["expert"] | ["indicator", _] | ["indicator", _, "expert" | "source", ..] => true,
        ["expert", k, ..] => !matches!(*k, "penalty" | "disclosure"),
        _ => false,
    }
}

/// Refuses a public comparison whose candidate combines some item's answers otherwise than
/// the base: the two published values of that item differ only by how its answers were
/// combined, and their difference tells about single answers (with two answers, the mean and
/// the median agree, but a trimmed or outlier-cleaned value drops one).
///
/// `what` names the two in the message ("the methodology and the candidate").
///
/// # Errors
/// [`Error::Usage`], naming the first item and the rule that differs.
pub fn same_combination(base: &Methodology, candidate: &Methodology, what: &str) -> Result<()> {
    for &id in &base.framework.indicators {
        let el = &base.framework.elements[id];
        let Some(b) = el.indicator().and_then(|s| s.expert.as_deref()) else { continue };
        let cand = candidate.framework.find(el.code.as_str()).map(|c| candidate.element(c));
        let Some(c) = cand.and_then(|e| e.indicator()) else { continue };
        let rule = match c.expert.as_deref() {
            None => Some("source"),
            Some(c) => differs(b, c),
        };
        if let Some(rule) = rule {
            return Err(Error::Usage(format!(
                "a public output cannot show two ways of combining the same answers: {what} combine \
                 the answers to '{}' differently ({rule}), and the difference between the two \
                 published values would tell about single answers. Leave out --public (an internal \
                 output), or publish one methodology (docs/respondent-safety.md)",
                el.code
            )));
        }
    }
    Ok(())
}

/// The first rule of combination two items do not share.
fn differs(a: &ExpertRules, b: &ExpertRules) -> Option<&'static str> {
    if a.combine != b.combine {
        Some("combine")
    } else if a.min_respondents != b.min_respondents {
        Some("min_respondents")
    } else if a.codes != b.codes {
        Some("codes")
    } else if a.scale != b.scale {
        Some("scale")
    } else if a.outliers != b.outliers {
        Some("outliers")
    } else if a.weight_by_confidence != b.weight_by_confidence {
        Some("weight_by_confidence")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_the_band_are_a_band_and_spread_needs_min_respondents() {
        let d = Disclosure::default();
        assert_eq!(d.respondents(2), Respondents::FewerThan(5));
        assert_eq!(d.respondents(4), Respondents::FewerThan(5));
        assert_eq!(d.respondents(5), Respondents::Count(5));
        assert_eq!(serde_json::to_string(&d.respondents(3)).unwrap(), "\"<5\"");
        assert_eq!(serde_json::to_string(&d.respondents(7)).unwrap(), "7");
        assert_eq!(d.respondents(3).to_string(), "<5");
        assert_eq!(d.agreement(4, Some(0.5)), None);
        assert_eq!(d.agreement(5, Some(0.5)), Some(0.5));
        assert_eq!(d.agreement(9, None), None);
        assert_eq!(d.agreement(9, Some(f64::NAN)), None);
    }

    #[test]
    fn spread_is_never_published_below_three_answers() {
        // Even a methodology asking for less (validation refuses it, this is the backstop).
        let d = Disclosure { count_band: 1, min_respondents: 2 };
        assert_eq!(d.agreement(2, Some(0.5)), None);
        assert_eq!(d.agreement(3, Some(0.5)), Some(0.5));
        assert!(!d.interval([2]));
        assert!(d.interval([3, 4]));
        assert_eq!(d.respondents(1), Respondents::Count(1));
    }

    #[test]
    fn intervals_need_every_item_beneath_to_have_enough_answers() {
        let d = Disclosure::default();
        assert!(d.interval([5, 9, 12]));
        assert!(!d.interval([5, 4, 12]), "one item with four answers");
        assert!(d.interval(std::iter::empty::<u32>()), "no expert item: nothing to withhold");
    }

    #[test]
    fn raw_values_only_for_statistical_indicators() {
        let d = Disclosure::default();
        assert_eq!(d.raw_value(Source::Statistical, 2.5), Some(2.5));
        assert_eq!(d.raw_value(Source::Expert, 2.5), None);
        assert_eq!(d.raw_value(Source::Statistical, f64::NAN), None);
    }

    #[test]
    fn paths_that_change_how_answers_are_combined() {
        for p in [
            "expert",
            "expert.combine",
            "expert.trim",
            "expert.min_respondents",
            "expert.codes.yes",
            "expert.outliers.sd",
            "expert.weight_by_confidence",
            "indicator.P1_npm.expert.combine",
            "indicator.P1_npm.expert",
            "indicator.P1_npm.source",
            "indicator.P1_npm",
        ] {
            assert!(combines_answers(p), "{p}");
        }
        for p in [
            "expert.penalty.k",
            "expert.disclosure.count_band",
            "node.P1.weight",
            "indicator.P1_npm.weight",
            "indicator.P1_npm.normalise.method",
            "defaults.aggregate.method",
            "weights",
        ] {
            assert!(!combines_answers(p), "{p}");
        }
    }

    #[test]
    fn the_rule_that_differs_is_named() {
        let a = ExpertRules::default();
        assert_eq!(differs(&a, &a.clone()), None);
        let b = ExpertRules { min_respondents: 3, ..ExpertRules::default() };
        assert_eq!(differs(&a, &b), Some("min_respondents"));
        let c = ExpertRules { weight_by_confidence: true, ..ExpertRules::default() };
        assert_eq!(differs(&a, &c), Some("weight_by_confidence"));
    }
}
