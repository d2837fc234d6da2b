//! Impute: fill missing values of an indicator in a year from the units present that year.
//!
//! - `mean` (COINr `i_mean`): the mean of the values present.
//! - `median` (`i_median`): their median (the mean of the two middle values when even).
//! - `group_mean`, `group_median` (`i_mean_grp`, `i_median_grp`): the same over the units
//!   sharing the unit's value in a column of the units file (e.g. `region`).
//!
//! A value with no donor (no unit present, or a unit with no group) stays missing, logged.
//! Every imputed point is flagged, and the flags reach the final scores (`imputed`).

mod model;
pub mod models;
pub mod time;

use crate::error::Result;
use crate::ingest::Units;
use crate::log::{Finding, RunLog};
use crate::methodology::{Impute, Methodology};
use crate::stats::{mean, median};
use crate::table::Panel;
use models::Models;
use time::{Source, fill_column};

/// Imputed values and one flag per point (true = imputed).
pub struct Imputed {
    pub panel: Panel,
    pub flags: Vec<bool>,
    /// For points imputed over time: the year(s) the value came from.
    pub sources: Vec<Option<Source>>,
}

/// Each unit's group for `column`, or `None` (no units file, no such column, empty cell).
fn groups(p: &Panel, units: Option<&Units>, column: &str) -> Vec<Option<String>> {
    let col = units.and_then(|u| Some((u, u.column(column)?)));
    p.units
        .iter()
        .map(|code| {
            let (u, c) = col?;
            u.rows.get(code)?.groups[c].clone()
        })
        .collect()
}

fn fill(values: &[f64], group: Option<&[Option<String>]>, median_of: bool) -> Vec<f64> {
    let stat = |xs: &[f64]| if median_of { median(xs) } else { mean(xs) };
    let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let all = stat(&present);
    values
        .iter()
        .enumerate()
        .map(|(u, &v)| {
            if !v.is_nan() {
                return v;
            }
            let Some(groups) = group else { return all };
            let Some(g) = &groups[u] else { return f64::NAN };
            let donors: Vec<f64> = values
                .iter()
                .zip(groups)
                .filter(|(x, h)| !x.is_nan() && h.as_ref() == Some(g))
                .map(|(x, _)| *x)
                .collect();
            stat(&donors)
        })
        .collect()
}

/// Imputes every indicator by its method. Units flagged in `skip` (year-major, one flag per
/// unit: units screened out) stay missing, are no donors and are not counted as left missing.
///
/// # Errors
/// A model-based method without an honest value: `em` with n ≤ p or a singular Σₒₒ,
/// `regression` on collinear predictors.
pub fn impute(
    input: &Panel,
    m: &Methodology,
    units: Option<&Units>,
    skip: &[bool],
    log: &mut RunLog,
) -> Result<Imputed> {
    let mut panel = input.clone();
    let mut flags = vec![false; input.values.len()];
    let mut sources = vec![None; input.values.len()];
    let n_units = input.units.len();
    let mut models = Models::new(input, m, skip);
    for (c, &id) in m.framework.indicators.iter().enumerate() {
        let e = m.element(id);
        let method = &e.indicator().expect("indicator").impute;
        let (grp, med) = match method {
            Impute::None => continue,
            Impute::GroupMean { group } => (Some(groups(input, units, group)), false),
            Impute::GroupMedian { group } => (Some(groups(input, units, group)), true),
            Impute::Median => (None, true),
            _ => (None, false),
        };
        let over_time = match method {
            Impute::Latest { max_age } => Some(fill_column(input, c, Some(*max_age))),
            Impute::Linear => Some(fill_column(input, c, None)),
            _ => None,
        };
        for y in 0..input.years.len() {
            let col = input.col(y, c);
            let mut reason = if over_time.is_some() {
                "no observed value near enough in time".to_string()
            } else if grp.is_some() {
                "no donor in the unit's group (or no group)".to_string()
            } else {
                "no unit has a value".to_string()
            };
            let mut filled = match (&over_time, method.is_model()) {
                (Some(t), _) => t[y].iter().map(|p| p.0).collect(),
                (None, true) => {
                    let (values, why) = models.fill(c, y, method, log)?;
                    reason = why;
                    values
                }
                (None, false) => fill(col, grp.as_deref(), med),
            };
            if let Some(t) = &over_time {
                let base = (y * input.columns.len() + c) * n_units;
                t[y].iter().enumerate().for_each(|(u, p)| sources[base + u] = p.1);
            }
            let skip = &skip[y * n_units..(y + 1) * n_units];
            filled.iter_mut().zip(skip).filter(|p| *p.1).for_each(|p| *p.0 = f64::NAN);
            let base = (y * input.columns.len() + c) * n_units;
            let (mut done, mut left) = (0, 0);
            for u in 0..n_units {
                if col[u].is_nan() && !filled[u].is_nan() {
                    flags[base + u] = true;
                    done += 1;
                } else if filled[u].is_nan() && !skip[u] {
                    left += 1;
                }
            }
            panel.col_mut(y, c).copy_from_slice(&filled);
            let (code, year) = (e.code.to_string(), input.years[y]);
            if done > 0 {
                log.push(Finding::Imputed { code: code.clone(), year, count: done, method: label(method) });
            }
            if left > 0 {
                log.push(Finding::NotImputed { code, year, count: left, reason });
            }
        }
    }
    Ok(Imputed { panel, flags, sources })
}

fn label(m: &Impute) -> String {
    match m {
        Impute::None => "none".into(),
        Impute::Mean => "mean".into(),
        Impute::Median => "median".into(),
        Impute::GroupMean { group } => format!("group mean by {group}"),
        Impute::GroupMedian { group } => format!("group median by {group}"),
        Impute::Latest { max_age } => format!("the latest value at most {max_age} year(s) old"),
        Impute::Linear => "linear interpolation over time".into(),
        Impute::Em { .. } => "em".into(),
        Impute::Knn { k, .. } => format!("knn (k = {k})"),
        Impute::Regression { predictors } => format!("regression on {}", predictors.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const NA: f64 = f64::NAN;

    #[test]
    fn mean_and_median_fill_only_missing() {
        let x = [1.0, NA, 2.0, 6.0];
        assert_eq!(fill(&x, None, false), vec![1.0, 3.0, 2.0, 6.0]);
        assert_eq!(fill(&x, None, true), vec![1.0, 2.0, 2.0, 6.0]);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn group_fill_uses_the_units_group_and_leaves_orphans_missing() {
        let s = |v: &str| Some(v.to_string());
        let g = [s("a"), s("a"), s("b"), s("b"), None, s("c")];
        let x = [1.0, NA, 10.0, NA, NA, NA];
        let out = fill(&x, Some(&g), false);
        assert_eq!(&out[..4], &[1.0, 1.0, 10.0, 10.0]);
        assert!(out[4].is_nan() && out[5].is_nan());
    }
}
