//! The respondent bootstrap (`path = "respondents"`): who answered is the largest
//! uncertainty of an expert-based index, so each replication redraws the respondents.
//!
//! For every (unit, year, item) with valid answers (after step 1 of
//! [`crate::stages::expert`]: codes mapped, "don't know" and empty answers excluded), a
//! replication draws as many answers as there are, uniformly with replacement, from that
//! item's valid answers. Then:
//!
//! - **Distinct respondents.** A draw with fewer *distinct* respondents than the item's
//!   `min_respondents` leaves the item missing in that replication, as an item with that few
//!   answers would be: with 2 answers and `min_respondents = 2` the same respondent is drawn
//!   twice with probability 1/2. (Counting copies instead would never lose the item, however
//!   thin its panel.)
//! - **Otherwise** the drawn answers, a respondent drawn twice counting twice (the bootstrap),
//!   go through the expert stage unchanged: confidence weights, the outlier rule, the
//!   minimum, the combination rule. It is the stage's own code ([`crate::stages::run`]) on the
//!   resampled answers, not a copy of it.
//!
//! Answers that are not valid stay as they are. The draws come from the replication's own
//! stream (see [`super::sample`]), consumed in the order of (unit, year, item), so a
//! replication's answers do not depend on the thread that draws them.

use crate::error::Result;
use crate::ingest::{RawAnswer, RawData};
use crate::log::RunLog;
use crate::methodology::Methodology;
use crate::stages::expert;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// The valid answers of every (unit, year, item), found once.
#[derive(Debug, Clone)]
pub struct Panels {
    /// Per combined point, in the expert stage's order (unit, year, item): its valid
    /// answers (indices into [`RawData::responses`]) and the item's `min_respondents`.
    groups: Vec<(Vec<usize>, u32)>,
}

impl Panels {
    /// The panels of `data` under `m`'s expert rules.
    ///
    /// # Errors
    /// The expert stage's errors (an undeclared code, a repeated answer, …).
    pub fn of(m: &Methodology, data: &RawData) -> Result<Panels> {
        let ex = expert::combine(data, m, &mut RunLog::default())?;
        let rules = m.expert_rules_by_column();
        let mut valid: Vec<Vec<usize>> = vec![Vec::new(); ex.points.len()];
        let at = |r: &crate::ingest::Response, column: usize| {
            ex.points.binary_search_by(|p| (&p.unit, p.year, p.column).cmp(&(&r.unit, r.year, column)))
        };
        for a in ex.mapped.iter().filter(|a| a.value.is_some()) {
            if let Ok(i) = at(&data.responses[a.response], a.column) {
                valid[i].push(a.response);
            }
        }
        let groups = ex
            .points
            .iter()
            .zip(valid)
            .map(|(p, v)| (v, rules[p.column].map_or(1, |r| r.min_respondents)))
            .collect();
        Ok(Panels { groups })
    }

    /// A resampled copy of `data`: each group's valid answers replaced by a draw with
    /// replacement (a respondent drawn k times answers under k names, `id`, `id#2`, …, so the
    /// expert stage counts each copy), or by "missing" answers when the draw has fewer
    /// distinct respondents than `min_respondents`.
    pub fn resample(&self, data: &RawData, rng: &mut ChaCha8Rng) -> RawData {
        let mut out = data.clone();
        let mut distinct = HashSet::new();
        let mut drawn = Vec::new();
        for (answers, min) in &self.groups {
            let n = answers.len();
            drawn.clear();
            drawn.extend((0..n).map(|_| answers[rng.random_range(0..n)]));
            distinct.clear();
            distinct.extend(drawn.iter().map(|&i| data.responses[i].respondent.as_str()));
            let short = distinct.len() < *min as usize;
            let mut copies = std::collections::HashMap::<usize, usize>::new();
            for (&slot, &from) in answers.iter().zip(&drawn) {
                let k = copies.entry(from).or_default();
                *k += 1;
                let src = &data.responses[from];
                let r = &mut out.responses[slot];
                r.respondent =
                    if *k == 1 { src.respondent.clone() } else { format!("{}#{k}", src.respondent) };
                r.answer = if short { RawAnswer::Missing } else { src.answer.clone() };
                r.confidence = src.confidence;
            }
        }
        out
    }

    /// Whether there is anything to resample.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Per output point of `p` (year × node × unit, the layout of [`super::Prepared::nominal_scores`]):
/// the fewest answers any expert item below the node was combined from, for that unit and
/// year, in the nominal run (`respondents` of `scores.csv`: the answers used, after the
/// outlier rule); `None` when no item below it has answers.
///
/// An interval from resampled respondents says how much a score hangs on each answer; where
/// this number is small it can reveal what one respondent answered. A public output must
/// withhold such intervals below a threshold (issue 20); this is what it decides on.
pub fn min_answers(p: &super::Prepared) -> Vec<Option<u32>> {
    min_answers_of(&p.shape, &p.base_results.respondents)
}

/// [`min_answers`] from a run's shape and its answers used per aggregated point
/// ([`stages::Results::respondents`]), for outputs built without a [`super::Prepared`].
pub fn min_answers_of(shape: &super::model::Shape, r: &[Option<u32>]) -> Vec<Option<u32>> {
    let (nu, ne) = (shape.units, shape.elements());
    if r.is_empty() {
        return vec![None; shape.points()];
    }
    let below: Vec<Vec<usize>> = shape.nodes.iter().map(|&n| items_below(shape, n)).collect();
    let mut out = Vec::with_capacity(shape.points());
    for y in 0..shape.years {
        for items in &below {
            out.extend((0..nu).map(|u| items.iter().filter_map(|&e| r[(y * ne + e) * nu + u]).min()));
        }
    }
    out
}

/// The indicators below `node` (element ids), without recursion.
fn items_below(shape: &super::model::Shape, node: usize) -> Vec<usize> {
    let (mut out, mut stack) = (Vec::new(), vec![node]);
    while let Some(e) = stack.pop() {
        match shape.indicator_col(e) {
            Some(_) => out.push(e),
            None => stack.extend(&shape.children[e]),
        }
    }
    out
}
