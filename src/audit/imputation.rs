//! `gti audit --imputation`: how well each imputation method recovers values that were
//! observed (docs/methods.md, "gti audit --imputation"). A share of each indicator-year's
//! observed values is masked (drawn with the project's seeded RNG, or given), every method
//! imputes the masked data, and each is scored at the masked points it filled:
//! rmse = √(mean (x̂ − x)²), mae = mean |x̂ − x|, r2 = 1 − Σ(x̂ − x)² / Σ(x − x̄)²
//! (x̄: the mean of the masked true values; r2 empty with fewer than 2 points filled or
//! when the masked values are all equal). Checked against `tests/reference/methods/impute.py`
//! on the reference's own mask.

use crate::error::Result;
use crate::ingest::Units;
use crate::log::RunLog;
use crate::methodology::{Impute, Kind, Methodology, Scope};
use crate::stages::impute::impute;
use crate::table::Panel;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// One row of `imputation.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImputationRow {
    pub year: i32,
    pub indicator: String,
    pub method: String,
    pub n_masked: usize,
    pub rmse: Option<f64>,
    pub mae: Option<f64>,
    pub r2: Option<f64>,
}

/// A masked point: (year index, indicator column, unit index).
pub type Point = (usize, usize, usize);

/// A method to evaluate, with the name it has in `imputation.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub name: String,
    /// `None`: regression, each indicator with its declared predictors (others not scored).
    pub method: Option<Impute>,
}

/// The methods named on the command line (`mean`, `median`, `group_mean[:COLUMN]`,
/// `group_median[:COLUMN]`, `em`, `knn`, `regression`), or the default set when `names` is
/// empty: mean, group_mean for each group column of the methodology's impute tables, em, knn,
/// and regression when an indicator declares predictors. em and knn take the parameters of
/// the first indicator declaring them, else their defaults.
pub fn candidates(m: &Methodology, names: &[String]) -> std::result::Result<Vec<Candidate>, String> {
    let specs: Vec<&Impute> =
        m.framework.indicators.iter().filter_map(|&i| m.element(i).indicator()).map(|s| &s.impute).collect();
    let mut groups: Vec<String> = Vec::new();
    for s in &specs {
        if let Impute::GroupMean { group } | Impute::GroupMedian { group } = s
            && !groups.contains(group)
        {
            groups.push(group.clone());
        }
    }
    let em = specs
        .iter()
        .find(|s| matches!(s, Impute::Em { .. }))
        .map_or(Impute::Em { variables: Scope::Siblings, tolerance: 1e-8, max_iterations: 1000 }, |s| {
            (*s).clone()
        });
    let knn = specs
        .iter()
        .find(|s| matches!(s, Impute::Knn { .. }))
        .map_or(Impute::Knn { k: 5, features: Scope::All }, |s| (*s).clone());
    let has_regression = specs.iter().any(|s| matches!(s, Impute::Regression { .. }));
    let one = |name: &str, method: Option<Impute>| Candidate { name: name.into(), method };
    let grouped = |kind: &str, col: &str, several: bool| {
        let name = if several { format!("{kind}:{col}") } else { kind.to_string() };
        let group = col.to_string();
        let method =
            if kind == "group_mean" { Impute::GroupMean { group } } else { Impute::GroupMedian { group } };
        one(&name, Some(method))
    };
    if names.is_empty() {
        let mut out = vec![one("mean", Some(Impute::Mean))];
        out.extend(groups.iter().map(|g| grouped("group_mean", g, groups.len() > 1)));
        out.extend([one("em", Some(em)), one("knn", Some(knn))]);
        if has_regression {
            out.push(one("regression", None));
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for name in names {
        let (kind, col) = name.split_once(':').map_or((name.as_str(), None), |(a, b)| (a, Some(b)));
        match (kind, col) {
            ("mean", None) => out.push(one("mean", Some(Impute::Mean))),
            ("median", None) => out.push(one("median", Some(Impute::Median))),
            ("em", None) => out.push(one("em", Some(em.clone()))),
            ("knn", None) => out.push(one("knn", Some(knn.clone()))),
            ("regression", None) if has_regression => out.push(one("regression", None)),
            ("regression", None) => return Err("regression: no indicator declares predictors".into()),
            ("group_mean" | "group_median", Some(c)) => out.push(grouped(kind, c, false)),
            ("group_mean" | "group_median", None) if !groups.is_empty() => {
                out.extend(groups.iter().map(|g| grouped(kind, g, groups.len() > 1)))
            }
            ("group_mean" | "group_median", None) => {
                return Err(format!("{kind}: no impute table names a group; write {kind}:COLUMN"));
            }
            _ => {
                return Err(format!(
                    "unknown imputation method '{name}' (mean, median, group_mean[:COLUMN], group_median[:COLUMN], em, knn, regression)"
                ));
            }
        }
    }
    Ok(out)
}

/// Draws the mask: for each year and indicator, ⌊share · n_obs + ½⌋ of the n_obs observed
/// values (at most n_obs − 2), uniformly without replacement, from a ChaCha8 stream keyed by
/// the seed, the year and the indicator (so the mask of one does not depend on the others).
pub fn draw_mask(p: &Panel, share: f64, seed: u64) -> Vec<Point> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    for y in 0..p.years.len() {
        for c in 0..p.columns.len() {
            let obs: Vec<usize> = (0..p.units.len()).filter(|&u| !p.get(y, c, u).is_nan()).collect();
            let k = ((share * obs.len() as f64 + 0.5).floor() as usize).min(obs.len().saturating_sub(2));
            let mut h = Sha256::new();
            h.update(b"gti imputation mask\0");
            h.update(seed.to_le_bytes());
            h.update(p.years[y].to_le_bytes());
            h.update(p.columns[c].as_str().as_bytes());
            let mut rng = ChaCha8Rng::from_seed(h.finalize().into());
            let mut picked: Vec<usize> =
                rand::seq::index::sample(&mut rng, obs.len(), k).into_iter().map(|i| obs[i]).collect();
            picked.sort_unstable();
            out.extend(picked.into_iter().map(|u| (y, c, u)));
        }
    }
    out
}

/// The methodology with every indicator imputed by `method` (`None`: only the indicators
/// declaring regression keep it; the others are not imputed).
fn with_method(m: &Methodology, method: Option<&Impute>) -> Methodology {
    let mut m2 = m.clone();
    for &i in &m.framework.indicators.clone() {
        if let Kind::Indicator(spec) = &mut m2.framework.elements[i].kind {
            spec.impute = match method {
                Some(x) => x.clone(),
                None if matches!(spec.impute, Impute::Regression { .. }) => spec.impute.clone(),
                None => Impute::None,
            };
        }
    }
    m2
}

/// rmse, mae and r2 of the filled points (`pairs`: (imputed, true)).
fn metrics(pairs: &[(f64, f64)]) -> (Option<f64>, Option<f64>, Option<f64>) {
    let filled: Vec<(f64, f64)> = pairs.iter().copied().filter(|p| !p.0.is_nan()).collect();
    if filled.is_empty() {
        return (None, None, None);
    }
    let n = filled.len() as f64;
    let sse: f64 = filled.iter().map(|(a, b)| (a - b).powi(2)).sum();
    let mae = filled.iter().map(|(a, b)| (a - b).abs()).sum::<f64>() / n;
    let mean = filled.iter().map(|p| p.1).sum::<f64>() / n;
    let sst: f64 = filled.iter().map(|p| (p.1 - mean).powi(2)).sum();
    let r2 = (filled.len() >= 2 && sst > 0.0).then(|| 1.0 - sse / sst);
    (Some((sse / n).sqrt()), Some(mae), r2)
}

/// Scores every candidate on `mask` over the observed panel `observed` (transformed values,
/// NaN = missing or screened out); `skip` as [`impute`] takes it. Rows: year, indicator, then
/// the candidates in order.
pub fn evaluate(
    m: &Methodology,
    observed: &Panel,
    units: Option<&Units>,
    skip: &[bool],
    mask: &[Point],
    methods: &[Candidate],
    log: &mut RunLog,
) -> Result<Vec<ImputationRow>> {
    let mut masked = observed.clone();
    mask.iter().for_each(|&(y, c, u)| masked.set(y, c, u, f64::NAN));
    let mut results = Vec::new();
    for cand in methods {
        let m2 = with_method(m, cand.method.as_ref());
        let mut scratch = RunLog::default();
        results.push(impute(&masked, &m2, units, skip, &mut scratch)?.panel);
    }
    let mut rows = Vec::new();
    let mut unfilled = 0;
    for y in 0..observed.years.len() {
        for c in 0..observed.columns.len() {
            let points: Vec<usize> = mask.iter().filter(|p| p.0 == y && p.1 == c).map(|p| p.2).collect();
            if points.is_empty() {
                continue;
            }
            let declared = m.element(m.framework.indicators[c]).indicator().map(|s| &s.impute);
            for (cand, panel) in methods.iter().zip(&results) {
                if cand.method.is_none() && !matches!(declared, Some(Impute::Regression { .. })) {
                    continue;
                }
                let pairs: Vec<(f64, f64)> =
                    points.iter().map(|&u| (panel.get(y, c, u), observed.get(y, c, u))).collect();
                unfilled += pairs.iter().filter(|p| p.0.is_nan()).count();
                let (rmse, mae, r2) = metrics(&pairs);
                rows.push(ImputationRow {
                    year: observed.years[y],
                    indicator: observed.columns[c].to_string(),
                    method: cand.name.clone(),
                    n_masked: points.len(),
                    rmse,
                    mae,
                    r2,
                });
            }
        }
    }
    if unfilled > 0 {
        log.push(crate::log::Finding::Methodology(format!(
            "audit --imputation: {unfilled} masked point(s) left missing by a method; each method is scored on the points it filled"
        )));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_follow_the_formulas() {
        // errors 1 and −1 around truths 1 and 3 (mean 2): sse 2, sst 2.
        let (rmse, mae, r2) = metrics(&[(2.0, 1.0), (2.0, 3.0), (f64::NAN, 5.0)]);
        assert_eq!((rmse, mae, r2), (Some(1.0), Some(1.0), Some(0.0)));
        assert_eq!(metrics(&[(1.0, 2.0)]).2, None);
    }
}
