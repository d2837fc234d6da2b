//! Treat outliers, per indicator, on the imputed values (COINr's `Treat`). Runs before
//! normalisation, on the values in the indicator's own units (before `direction`).
//!
//! - `winsorise` (COINr's default `Treat`: `check_SkewKurt` → `winsorise` → `log_CT`):
//!   1. The check passes when |G₁| < `skew` **or** G₂ < `kurtosis` (G₁, G₂ the sample
//!      skewness and excess kurtosis of Excel's `SKEW` and `KURT`, see [`crate::stats`]).
//!      A passing sample is left alone: only |skew| ≥ 2 **and** kurtosis ≥ 3.5 is treated.
//!   2. While the check fails and fewer than `winmax` points are winsorised: if G₁ ≥ 0,
//!      every value equal to the maximum is set to the largest value below it (`winsorised_high`),
//!      otherwise every value equal to the minimum to the smallest above it
//!      (`winsorised_low`). Tied values move together and all count toward `winmax`, so the
//!      count can overshoot it by the ties of the last step (as COINr's `nwin`).
//!   3. If the check still fails and `fallback = "log"`, the winsorised values are discarded
//!      and the **original** values become ln(x − min + 0.01·(max − min)) (COINr `log_CT`;
//!      every present point flagged `log`). With `fallback = "none"` the winsorised values
//!      are kept.
//! - `clip`: values beyond the `percentiles` [p_lo, p_hi] (R type-7 quantiles of the sample)
//!   are set to them (`clipped_low`, `clipped_high`).
//! - `caps`: values beyond fixed `min` / `max` are set to them (`capped_low`, `capped_high`).
//!
//! Policies: a sample with fewer than 4 values, or constant values, has no skew or kurtosis;
//! `winsorise` leaves it alone and logs it (COINr stops with an error, or returns NA and
//! warns). If winsorising leaves the values constant, the check counts as passed.
//!
//! The sample is an indicator in one year (`by = "year"`, the default: COINr treats each
//! coin of a purse on its own) or in all years pooled (`by = "panel"`). When `normalise`
//! pools years (`bounds = "panel"` or `"reference"`) while the log fallback is applied year
//! by year, the years of that indicator are on different scales; the run log says so, and
//! `by = "panel"` is the consistent choice.
//!
//! Reference: W. Becker et al., COINr (R package, `R/treat.R`), and the JRC/OECD Handbook on
//! Constructing Composite Indicators (2008), step 3.

use crate::log::{Finding, RunLog};
use crate::methodology::{Bounds, Fallback, Methodology, Treat, TreatBy};
use crate::stats;
use crate::table::Panel;
use serde::Serialize;

/// How treatment changed a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreatFlag {
    /// Set to the next value below (COINr `winhi`).
    WinsorisedHigh,
    /// Set to the next value above (COINr `winlo`).
    WinsorisedLow,
    /// The log fallback (COINr `log_CT`).
    Log,
    ClippedHigh,
    ClippedLow,
    CappedHigh,
    CappedLow,
}

impl TreatFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            TreatFlag::WinsorisedHigh => "winsorised_high",
            TreatFlag::WinsorisedLow => "winsorised_low",
            TreatFlag::Log => "log",
            TreatFlag::ClippedHigh => "clipped_high",
            TreatFlag::ClippedLow => "clipped_low",
            TreatFlag::CappedHigh => "capped_high",
            TreatFlag::CappedLow => "capped_low",
        }
    }
}

/// What treatment did to one sample.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Passed the check, or no value beyond the limits.
    Untouched,
    /// Skew or kurtosis undefined (the reason): left alone.
    Unchecked(&'static str),
    /// Points winsorised; `passes`: whether the check passes afterwards.
    Winsorised { passes: bool },
    /// Winsorising `tried` points did not pass: the log of the original values.
    Log { tried: usize },
    /// Points clipped or capped.
    Limited,
}

/// A treated sample: its values, one flag per value, and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub values: Vec<f64>,
    pub flags: Vec<Option<TreatFlag>>,
    pub outcome: Outcome,
}

impl Sample {
    fn unchanged(x: &[f64], outcome: Outcome) -> Sample {
        Sample { values: x.to_vec(), flags: vec![None; x.len()], outcome }
    }
}

/// COINr's `check_SkewKurt` on the present values: `Some(true)` when |skew| < `skew` or
/// kurtosis < `kurtosis`; `None` when either is undefined.
pub fn check(x: &[f64], skew: f64, kurtosis: f64) -> Option<bool> {
    let p = stats::present(x);
    let (s, k) = (stats::skewness(&p), stats::kurtosis(&p));
    (!s.is_nan() && !k.is_nan()).then(|| s.abs() < skew || k < kurtosis)
}

/// The present value that is largest (`high`) or smallest, excluding `except`.
fn extreme(x: &[f64], high: bool, except: Option<f64>) -> Option<f64> {
    let ok = |v: &f64| !v.is_nan() && Some(*v) != except;
    let it = x.iter().copied().filter(ok);
    if high { it.reduce(f64::max) } else { it.reduce(f64::min) }
}

/// One winsorisation step: every value tied at the extreme takes the next value in.
/// Returns the indices moved.
fn step(x: &mut [f64], high: bool) -> Vec<usize> {
    let Some(e) = extreme(x, high, None) else { return vec![] };
    let at: Vec<usize> = (0..x.len()).filter(|&i| x[i] == e).collect();
    if let Some(next) = extreme(x, high, Some(e)) {
        at.iter().for_each(|&i| x[i] = next);
    }
    at
}

/// ln(x − min + 0.01·(max − min)) over the present values (COINr `log_CT`).
pub fn log_ct(x: &[f64]) -> Vec<f64> {
    let (lo, hi) = (extreme(x, false, None).unwrap_or(0.0), extreme(x, true, None).unwrap_or(0.0));
    x.iter().map(|v| (v - lo + 0.01 * (hi - lo)).ln()).collect()
}

fn why_unchecked(x: &[f64]) -> &'static str {
    if stats::present(x).len() < 4 {
        "fewer than 4 values: skew and kurtosis are undefined"
    } else {
        "constant values: skew and kurtosis are undefined"
    }
}

/// COINr's default treatment of one sample (see the module docs).
pub fn winsorise(x: &[f64], winmax: u32, skew: f64, kurtosis: f64, fallback: Fallback) -> Sample {
    match check(x, skew, kurtosis) {
        None => return Sample::unchanged(x, Outcome::Unchecked(why_unchecked(x))),
        Some(true) => return Sample::unchanged(x, Outcome::Untouched),
        Some(false) => {}
    }
    let mut w = x.to_vec();
    let (mut high, mut low) = (Vec::new(), Vec::new());
    let mut passes = false;
    while !passes && high.len() + low.len() < winmax as usize {
        let up = stats::skewness(&stats::present(&w)) >= 0.0;
        let moved = step(&mut w, up);
        if up {
            high = moved
        } else {
            low = moved
        }
        passes = check(&w, skew, kurtosis).unwrap_or(true);
    }
    if passes || fallback == Fallback::None {
        let mut flags = vec![None; x.len()];
        high.iter().for_each(|&i| flags[i] = Some(TreatFlag::WinsorisedHigh));
        low.iter().for_each(|&i| flags[i] = Some(TreatFlag::WinsorisedLow));
        return Sample { values: w, flags, outcome: Outcome::Winsorised { passes } };
    }
    let flags = x.iter().map(|v| (!v.is_nan()).then_some(TreatFlag::Log)).collect();
    Sample { values: log_ct(x), flags, outcome: Outcome::Log { tried: high.len() + low.len() } }
}

/// Sets values below `lo` to `lo` and above `hi` to `hi`, flagging them.
fn limit(x: &[f64], lo: Option<f64>, hi: Option<f64>, flags: (TreatFlag, TreatFlag)) -> Sample {
    let mut s = Sample::unchanged(x, Outcome::Untouched);
    for (i, v) in x.iter().enumerate() {
        if let Some(l) = lo.filter(|l| v < l) {
            (s.values[i], s.flags[i]) = (l, Some(flags.0));
        } else if let Some(h) = hi.filter(|h| v > h) {
            (s.values[i], s.flags[i]) = (h, Some(flags.1));
        }
    }
    if s.flags.iter().any(Option::is_some) {
        s.outcome = Outcome::Limited;
    }
    s
}

/// Clips at the `lower` and `upper` percentiles (0–100, R type-7 quantiles).
pub fn clip(x: &[f64], lower: f64, upper: f64) -> Sample {
    let mut sorted = stats::present(x);
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| (!sorted.is_empty()).then(|| stats::quantile_sorted(&sorted, p / 100.0));
    limit(x, q(lower), q(upper), (TreatFlag::ClippedLow, TreatFlag::ClippedHigh))
}

/// Caps at fixed values.
pub fn caps(x: &[f64], min: Option<f64>, max: Option<f64>) -> Sample {
    limit(x, min, max, (TreatFlag::CappedLow, TreatFlag::CappedHigh))
}

/// Treats one sample by `method`.
pub fn treat_sample(method: &Treat, x: &[f64]) -> Sample {
    match *method {
        Treat::None => Sample::unchanged(x, Outcome::Untouched),
        Treat::Winsorise { winmax, skew, kurtosis, fallback } => {
            winsorise(x, winmax, skew, kurtosis, fallback)
        }
        Treat::Clip { lower, upper } => clip(x, lower, upper),
        Treat::Caps { min, max } => caps(x, min, max),
    }
}

/// Treated values and one flag per point (same layout as the input panel).
#[derive(Debug, Clone)]
pub struct Treated {
    pub panel: Panel,
    pub flags: Vec<Option<TreatFlag>>,
}

/// The samples of indicator column `c`: a label and the positions of its points.
fn samples(p: &Panel, c: usize, by: TreatBy) -> Vec<(String, Vec<usize>)> {
    let (nc, nu) = (p.columns.len(), p.units.len());
    let points = |y: usize| (0..nu).map(move |u| (y * nc + c) * nu + u);
    match by {
        TreatBy::Year => (0..p.years.len()).map(|y| (p.years[y].to_string(), points(y).collect())).collect(),
        TreatBy::Panel => vec![("all years".into(), (0..p.years.len()).flat_map(points).collect())],
    }
}

/// Applies each indicator's treatment, logging every treated point.
pub fn treat(input: &Panel, m: &Methodology, log: &mut RunLog) -> Treated {
    let mut out = Treated { panel: input.clone(), flags: vec![None; input.values.len()] };
    for (c, &id) in m.framework.indicators.iter().enumerate() {
        let e = m.element(id);
        let spec = e.indicator().expect("indicator ids point at indicators");
        if spec.treat.method == Treat::None {
            continue;
        }
        let mut logs = 0;
        for (label, idx) in samples(input, c, spec.treat.by) {
            let x: Vec<f64> = idx.iter().map(|&i| input.values[i]).collect();
            let s = treat_sample(&spec.treat.method, &x);
            for (k, &i) in idx.iter().enumerate() {
                (out.panel.values[i], out.flags[i]) = (s.values[k], s.flags[k]);
            }
            logs += usize::from(matches!(s.outcome, Outcome::Log { .. }));
            report(log, input, e.code.as_str(), &label, &idx, &s, &spec.treat.method);
        }
        let pooled = !matches!(spec.normalise.bounds, Bounds::Year) && spec.normalise.method.is_fitted();
        if logs > 0 && spec.treat.by == TreatBy::Year && pooled && input.years.len() > 1 {
            log.push(Finding::TreatScales { code: e.code.to_string(), years: logs });
        }
    }
    out
}

/// The unit of point `i`, with its year when the sample spans years.
fn unit_of(p: &Panel, i: usize, label: &str) -> String {
    let u = &p.units[i % p.units.len()];
    if label == "all years" {
        format!("{u}/{}", p.years[i / (p.units.len() * p.columns.len())])
    } else {
        u.to_string()
    }
}

fn report(log: &mut RunLog, p: &Panel, code: &str, label: &str, idx: &[usize], s: &Sample, method: &Treat) {
    if let Outcome::Unchecked(reason) = s.outcome {
        log.push(Finding::TreatSkipped { code: code.into(), year: label.into(), reason: reason.into() });
        return;
    }
    let note = note(s, method);
    let mut kinds: Vec<TreatFlag> = s.flags.iter().flatten().copied().collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let units = s
            .flags
            .iter()
            .zip(idx)
            .filter(|(f, _)| **f == Some(kind))
            .map(|(_, &i)| unit_of(p, i, label))
            .collect();
        let (code, year, flag) = (code.to_string(), label.to_string(), kind.as_str());
        log.push(Finding::Treated { code, year, flag, units, note: note.clone() });
    }
}

fn note(s: &Sample, method: &Treat) -> String {
    let after = stats::present(&s.values);
    let stats = format!("skew {:.3}, kurtosis {:.3} after", stats::skewness(&after), stats::kurtosis(&after));
    match (&s.outcome, method) {
        (Outcome::Winsorised { passes: false }, _) => {
            format!("did not pass ({stats}); kept: fallback = none")
        }
        (Outcome::Log { tried }, Treat::Winsorise { skew, kurtosis, .. }) => format!(
            "winsorising {tried} point(s) left |skew| >= {skew} and kurtosis >= {kurtosis}: \
             ln(x - min + 0.01 (max - min)) of the original values ({stats})"
        ),
        _ => stats,
    }
}

#[cfg(test)]
mod tests;
