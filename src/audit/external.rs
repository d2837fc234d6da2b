//! Links to other indicators (the OECD/JRC Handbook's step 9, `gti audit --external`): the
//! index and every other node correlated with external indicators.
//!
//! For each year, node and external indicator, over the units with both values:
//!
//! ```text
//! n, Pearson r, Spearman ρ (Pearson's r of the average ranks, ties sharing their mean rank)
//! ```
//!
//! r and ρ are empty when n < 3 or either variable is constant. The external file is read
//! by gti's own ingest (long or wide) before this; here only its observations are used.
//! Reference: tests/reference/methods/audit.py (`external`), cross-checked with R's `cor`.

use crate::error::{DataError, Diag};
use crate::ingest::RawData;
use crate::log::Finding;
use crate::methodology::Methodology;
use crate::stages::Results;
use crate::stats;
use serde::Serialize;
use std::collections::BTreeMap;

/// Fewest units with both values for a correlation.
pub const MIN_PAIRS: usize = 3;

/// One row of `external.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExternalRow {
    pub year: i32,
    pub node: String,
    pub external: String,
    pub n: usize,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
}

/// The external values on the run's axes: per external code (first-seen order), a value per
/// (year, unit) of the run (year-major, NaN where absent).
#[derive(Debug, Clone)]
pub struct ExternalValues {
    pub codes: Vec<String>,
    pub values: Vec<Vec<f64>>,
    /// Rows naming a unit or year the run does not have (ignored).
    pub ignored: usize,
}

/// Checks the external data against the methodology, before the run.
///
/// # Errors
/// A located [`DataError`] for an external code that is a code of the methodology (its
/// values would be read as that element's data) and for a file of expert responses.
pub fn check(m: &Methodology, ext: &RawData) -> Result<(), DataError> {
    let mut diags = Vec::new();
    if let Some(resp) = ext.responses.first() {
        let msg = "an external file holds indicator values (unit, year, indicator, value), not responses";
        diags.push(Diag::new(ext.response_location(resp), msg));
    }
    let mut named = vec![false; ext.codes.all().len()];
    for o in &ext.obs {
        let code = ext.code_of(o).as_str();
        if m.framework.find(code).is_some() && !std::mem::replace(&mut named[o.code as usize], true) {
            let msg = format!("'{code}' is a code of the methodology, not an external indicator");
            diags.push(
                Diag::new(ext.code_location(o, ext.code_column(o)), msg)
                    .hint("give the external indicator a code of its own"),
            );
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(DataError(diags)) }
}

/// Places the external values on the run's units and years; rows for other units or years
/// are counted in [`ExternalValues::ignored`].
///
/// # Errors
/// A located [`DataError`] for a value given twice (same code, unit and year).
pub fn place(r: &Results, ext: &RawData) -> Result<ExternalValues, DataError> {
    let mut diags = Vec::new();
    let p = &r.datasets.aggregated;
    let (nu, ny) = (p.units.len(), p.years.len());
    let unit_at: BTreeMap<&str, usize> = p.units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let codes: Vec<String> = ext.codes.all().iter().map(|c| c.as_str().to_string()).collect();
    let mut values = vec![vec![f64::NAN; ny * nu]; codes.len()];
    let mut seen = vec![vec![false; ny * nu]; codes.len()];
    let mut ignored = 0;
    for o in &ext.obs {
        let u = unit_at.get(ext.unit_of(o).as_str());
        let y = p.years.iter().position(|&y| y == o.year);
        let (Some(&u), Some(y)) = (u, y) else {
            ignored += 1;
            continue;
        };
        let at = y * nu + u;
        if std::mem::replace(&mut seen[o.code as usize][at], true) {
            let msg = format!(
                "'{}' of '{}' in {} is given twice: an external value must be given once",
                ext.code_of(o).as_str(),
                ext.unit_of(o).as_str(),
                o.year
            );
            diags.push(Diag::new(ext.location(o), msg));
        }
        values[o.code as usize][at] = o.value;
    }
    if diags.is_empty() { Ok(ExternalValues { codes, values, ignored }) } else { Err(DataError(diags)) }
}

/// The run log's note about ignored rows, if any.
pub fn note(ext: &ExternalValues) -> Option<Finding> {
    (ext.ignored > 0).then_some(Finding::ExternalIgnored { rows: ext.ignored })
}

/// Correlations of every node (framework order) with every external indicator, each year.
pub fn correlate(m: &Methodology, r: &Results, ext: &ExternalValues) -> Vec<ExternalRow> {
    let p = &r.datasets.aggregated;
    let nu = p.units.len();
    let mut rows = Vec::new();
    for (y, &year) in p.years.iter().enumerate() {
        for (id, e) in m.framework.elements.iter().enumerate().filter(|(_, e)| !e.is_indicator()) {
            for (code, values) in ext.codes.iter().zip(&ext.values) {
                let (x, z) = stats::complete_pairs(p.col(y, id), &values[y * nu..(y + 1) * nu]);
                let (pearson, spearman) = correlations(&x, &z);
                let (node, external) = (e.code.to_string(), code.clone());
                rows.push(ExternalRow { year, node, external, n: x.len(), pearson, spearman });
            }
        }
    }
    rows
}

/// Pearson's r and Spearman's ρ, both empty when n < 3 or a variable is constant.
fn correlations(x: &[f64], y: &[f64]) -> (Option<f64>, Option<f64>) {
    // Exact comparison: a variable is constant when every value is the same number (its
    // mean's rounding must not make it look variable).
    let constant = |v: &[f64]| v.iter().all(|&a| a == v[0]);
    if x.len() < MIN_PAIRS || constant(x) || constant(y) {
        return (None, None);
    }
    let opt = |v: f64| (!v.is_nan()).then_some(v);
    (opt(stats::pearson(x, y)), opt(stats::spearman(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlations_by_hand() {
        // y = 2x: r = ρ = 1; reversed: −1.
        let (p, s) = correlations(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0]);
        assert!((p.unwrap() - 1.0).abs() < 1e-15 && (s.unwrap() - 1.0).abs() < 1e-15);
        let (p, s) = correlations(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]);
        assert!((p.unwrap() + 1.0).abs() < 1e-15 && (s.unwrap() + 1.0).abs() < 1e-15);
        // Ties take their average rank: ranks (1.5, 1.5, 3) and (1, 2, 3): ρ = √3/2.
        let (_, s) = correlations(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]);
        assert!((s.unwrap() - 3f64.sqrt() / 2.0).abs() < 1e-15, "{s:?}");
    }

    #[test]
    fn too_few_pairs_or_a_constant_give_no_correlation() {
        assert_eq!(correlations(&[1.0, 2.0], &[1.0, 2.0]), (None, None));
        assert_eq!(correlations(&[0.1, 0.1, 0.1], &[1.0, 2.0, 3.0]), (None, None));
        assert_eq!(correlations(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), (None, None));
    }
}
