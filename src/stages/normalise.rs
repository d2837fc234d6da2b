//! Normalise: bring every indicator onto a common scale.
//!
//! The indicator's `direction` is applied first by negation (x' = −x for direction −1), as
//! COINr's `Normalise` does, so every method sees "higher is better" values. Fitted methods
//! learn their parameters from a sample (`bounds`): the units present in the same year
//! (`year`), in all years pooled (`panel`) or in one reference year (`reference`), and apply
//! them to every value (fit/apply split, as linfa's scalers).
//!
//! Formulas (x' the signed value, [lo, hi] the output `range`, sample statistics over the
//! fit sample S of n values):
//! - `minmax` (COINr `n_minmax`): (x' − min S) / (max S − min S) · (hi − lo) + lo.
//!   Zero range: every value gets the midpoint (lo + hi) / 2, logged. (COINr returns NaN.)
//! - `zscore` (`n_zscore`): (x' − mean S) / sd S · sd + mean, sd with n − 1.
//!   sd S = 0 or n < 2: every value gets `mean`, logged.
//! - `goalposts` (`n_goalposts`): y = (x − min)/(max − min) for direction 1,
//!   (max − x)/(max − min) for −1, truncated to [0, 1] unless `truncate = false`;
//!   then lo + y (hi − lo). Goalposts are in the indicator's own units; no sample is used.
//!   With `log = true`: y = (ln x − ln min)/(ln max − ln min) (the HDI's income index);
//!   a value ≤ 0 is then an error.
//! - `rank` (`n_rank`): 1 + #{s ∈ S : s < x'} (ties share the lowest rank, R's "min").
//! - `borda` (`n_borda`): rank − 1.
//! - `percentile` (`n_prank`): (rank − 1)/(n − 1), mapped onto [lo, hi]; with range [0, 1]
//!   it equals COINr's. n = 1: midpoint, logged.
//! - `distance_to_target` (`n_dist2targ`): (x' − min S)/(t' − min S), t' = direction · target,
//!   capped at 1 when `cap`; mapped onto [lo, hi]. t' = min S is an error.
//! - `fraction_of_max` (`n_fracmax`): x / max S mapped onto [lo, hi]; direction −1 is refused
//!   at validation, max S ≤ 0 is an error.
//! - `none`: x' unchanged.

use crate::codes::Year;
use crate::error::PipelineError;
use crate::log::{Finding, RunLog};
use crate::methodology::{Bounds, Methodology, Normalise};
use crate::stats;
use crate::table::Panel;

/// Parameters learned from a fit sample.
#[derive(Debug, Clone, PartialEq)]
pub enum Fit {
    None,
    Range { min: f64, max: f64 },
    Moments { mean: f64, sd: f64, n: usize },
    Sorted(Vec<f64>),
}

/// Learns the parameters `method` needs from a sample of signed values (no NaN).
pub fn fit(method: &Normalise, sample: &[f64]) -> Fit {
    match method {
        Normalise::None | Normalise::Goalposts { .. } => Fit::None,
        Normalise::MinMax { .. } | Normalise::DistanceToTarget { .. } | Normalise::FractionOfMax { .. } => {
            let min = sample.iter().copied().fold(f64::INFINITY, f64::min);
            let max = sample.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            Fit::Range { min, max }
        }
        Normalise::ZScore { .. } => {
            // sd is NaN for fewer than two values (`degenerate` says so).
            let (mean, sd) = (stats::mean(sample), stats::sd(sample));
            Fit::Moments { mean, sd, n: sample.len() }
        }
        Normalise::Rank | Normalise::Borda | Normalise::Percentile { .. } => {
            let mut s = sample.to_vec();
            s.sort_by(f64::total_cmp);
            Fit::Sorted(s)
        }
    }
}

/// Why a fit cannot give distinct values, with the policy applied; `None` when it can.
pub fn degenerate(method: &Normalise, fit: &Fit, sign: f64) -> Option<&'static str> {
    match (method, fit) {
        (Normalise::DistanceToTarget { target, .. }, Fit::Range { min, .. }) if sign * target < *min => {
            Some("has its target beyond the worst value: every score runs negative (as COINr, which warns)")
        }
        (Normalise::MinMax { .. }, Fit::Range { min, max }) if min == max => {
            Some("has zero range: every value set to the middle of the range")
        }
        (Normalise::ZScore { .. }, Fit::Moments { sd, n, .. }) if *n < 2 || *sd == 0.0 => {
            Some("has zero standard deviation (or one value): every value set to the target mean")
        }
        (Normalise::Percentile { .. }, Fit::Sorted(s)) if s.len() == 1 => {
            Some("has one value: its percentile set to the middle of the range")
        }
        _ => None,
    }
}

fn scale(y: f64, lo: f64, hi: f64) -> f64 {
    y * (hi - lo) + lo
}

fn rank_in(sorted: &[f64], x: f64) -> f64 {
    1.0 + sorted.partition_point(|s| *s < x) as f64
}

/// Applies a fitted method to one signed value `x` (NaN stays NaN). `sign` is the
/// direction, used by goalposts whose posts are in the indicator's own units.
pub fn apply(method: &Normalise, fit: &Fit, x: f64, sign: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    match (method, fit) {
        (Normalise::None, _) => x,
        (Normalise::MinMax { lo, hi }, Fit::Range { min, max }) if min == max => (lo + hi) / 2.0,
        (Normalise::MinMax { lo, hi }, Fit::Range { min, max }) => (x - min) / (max - min) * (hi - lo) + lo,
        (Normalise::ZScore { mean, .. }, Fit::Moments { sd: s, n, .. }) if *n < 2 || *s == 0.0 => *mean,
        (Normalise::ZScore { mean, sd }, Fit::Moments { mean: m, sd: s, .. }) => (x - m) / s * sd + mean,
        (Normalise::Goalposts { min, max, lo, hi, truncate, log }, _) => {
            // Goalposts are in the indicator's own units: undo the sign, then flip y.
            let f = |v: f64| if *log { v.ln() } else { v };
            let y = (f(x * sign) - f(*min)) / (f(*max) - f(*min));
            let y = if sign < 0.0 { 1.0 - y } else { y };
            scale(if *truncate { y.clamp(0.0, 1.0) } else { y }, *lo, *hi)
        }
        (Normalise::Rank, Fit::Sorted(s)) => rank_in(s, x),
        (Normalise::Borda, Fit::Sorted(s)) => rank_in(s, x) - 1.0,
        (Normalise::Percentile { lo, hi }, Fit::Sorted(s)) if s.len() == 1 => (lo + hi) / 2.0,
        (Normalise::Percentile { lo, hi }, Fit::Sorted(s)) => {
            scale((rank_in(s, x) - 1.0) / (s.len() as f64 - 1.0), *lo, *hi)
        }
        (Normalise::DistanceToTarget { target, cap, lo, hi }, Fit::Range { min, .. }) => {
            let y = (x - min) / (sign * target - min);
            scale(if *cap { y.min(1.0) } else { y }, *lo, *hi)
        }
        (Normalise::FractionOfMax { lo, hi }, Fit::Range { max, .. }) => scale(x / max, *lo, *hi),
        _ => unreachable!("fit() returns the Fit variant of its method"),
    }
}

/// Checks a fit for the cases with no policy but an error.
fn check(method: &Normalise, fit: &Fit, sign: f64) -> Result<(), String> {
    match (method, fit) {
        (Normalise::DistanceToTarget { target, .. }, Fit::Range { min, .. }) if sign * target == *min => Err(
            format!("the target {target} equals the lowest value of the sample: every distance is undefined"),
        ),
        (Normalise::FractionOfMax { .. }, Fit::Range { max, .. }) if *max <= 0.0 => {
            Err(format!("the largest value is {max}; fraction_of_max needs a positive maximum"))
        }
        _ => Ok(()),
    }
}

/// Whether a raw value (NaN = missing) can be normalised by `method`.
fn in_domain(method: &Normalise, x: f64) -> bool {
    !matches!(method, Normalise::Goalposts { log: true, .. }) || x.is_nan() || x > 0.0
}

fn signed(values: &[f64], sign: f64) -> Vec<f64> {
    values.iter().filter(|v| !v.is_nan()).map(|v| v * sign).collect()
}

/// Normalises every indicator column of `input` (indicator columns in framework order).
///
/// # Errors
/// A reference year absent from the data, or a fit with no defined result (see `check`).
pub fn normalise(input: &Panel, m: &Methodology, log: &mut RunLog) -> Result<Panel, PipelineError> {
    let mut out = Panel::new(input.units.clone(), input.years.clone(), input.columns.clone());
    let per_year = m.fitted_per_year();
    if input.years.len() > 1 && !per_year.is_empty() {
        let codes = per_year.iter().map(|c| c.to_string()).collect();
        log.push(Finding::YearBounds { codes, of: m.framework.indicators.len() });
    }
    for (c, &id) in m.framework.indicators.iter().enumerate() {
        let e = m.element(id);
        let spec = &e.indicator().expect("indicator ids point at indicators").normalise;
        let sign = e.indicator().expect("indicator").direction.sign();
        let err = |year: Year, message: String| PipelineError {
            stage: "normalise",
            unit: "(all units)".into(),
            year,
            code: e.code.to_string(),
            message,
        };
        let samples: Vec<(Vec<usize>, Vec<f64>, String)> = match spec.bounds {
            Bounds::Year => (0..input.years.len())
                .map(|y| (vec![y], signed(input.col(y, c), sign), input.years[y].to_string()))
                .collect(),
            Bounds::Panel => {
                let all: Vec<f64> =
                    (0..input.years.len()).flat_map(|y| signed(input.col(y, c), sign)).collect();
                vec![((0..input.years.len()).collect(), all, "all years".into())]
            }
            Bounds::Reference(ry) => {
                let Some(ri) = input.years.iter().position(|&y| y == ry) else {
                    return Err(err(ry, "the reference year has no data".into()));
                };
                vec![(
                    (0..input.years.len()).collect(),
                    signed(input.col(ri, c), sign),
                    format!("reference {ry}"),
                )]
            }
        };
        for (years, sample, label) in samples {
            if sample.is_empty() && spec.method.is_fitted() {
                years.iter().for_each(|&y| {
                    log.push(Finding::AllMissing { code: e.code.to_string(), year: input.years[y] })
                });
                continue;
            }
            let f = fit(&spec.method, &sample);
            check(&spec.method, &f, sign).map_err(|msg| err(input.years[years[0]], msg))?;
            if let Some(policy) = degenerate(&spec.method, &f, sign) {
                log.push(Finding::Degenerate { code: e.code.to_string(), year: label.clone(), policy });
            }
            for &y in &years {
                let src = input.col(y, c).to_vec();
                if let Some(u) = src.iter().position(|&x| !in_domain(&spec.method, x)) {
                    let message = format!("{} is outside the domain of log goalposts (> 0)", src[u]);
                    return Err(PipelineError {
                        unit: input.units[u].to_string(),
                        ..err(input.years[y], message)
                    });
                }
                for (u, (o, x)) in out.col_mut(y, c).iter_mut().zip(src).enumerate() {
                    *o = apply(&spec.method, &f, x * sign, sign);
                    // Values near the f64 limits overflow (max − min = inf): never write a
                    // NaN or an infinity as if it were a score.
                    if !x.is_nan() && !o.is_finite() {
                        let message =
                            format!("normalising {x} gives {o}: the values are too large for f64 arithmetic");
                        return Err(PipelineError {
                            unit: input.units[u].to_string(),
                            ..err(input.years[y], message)
                        });
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(method: Normalise, xs: &[f64], sign: f64) -> Vec<f64> {
        let s = signed(xs, sign);
        let f = fit(&method, &s);
        xs.iter().map(|x| apply(&method, &f, x * sign, sign)).collect()
    }

    #[test]
    fn minmax_by_hand_with_direction() {
        // (x − 2)/(10 − 2) · 100: 2 → 0, 4 → 25, 10 → 100.
        assert_eq!(
            run(Normalise::MinMax { lo: 0.0, hi: 100.0 }, &[2.0, 4.0, 10.0], 1.0),
            vec![0.0, 25.0, 100.0]
        );
        // Negated: −10 is the min, so 10 → 0 and 2 → 100; 4 → (−4 + 10)/8 · 100 = 75.
        assert_eq!(
            run(Normalise::MinMax { lo: 0.0, hi: 100.0 }, &[2.0, 4.0, 10.0], -1.0),
            vec![100.0, 75.0, 0.0]
        );
        assert_eq!(run(Normalise::MinMax { lo: 1.0, hi: 100.0 }, &[0.0, 1.0], 1.0), vec![1.0, 100.0]);
    }

    #[test]
    fn minmax_zero_range_is_the_midpoint_and_missing_stays_missing() {
        let m = Normalise::MinMax { lo: 0.0, hi: 100.0 };
        let out = run(m.clone(), &[5.0, 5.0, f64::NAN], 1.0);
        assert_eq!(&out[..2], &[50.0, 50.0]);
        assert!(out[2].is_nan());
        assert!(degenerate(&m, &fit(&m, &[5.0, 5.0]), 1.0).is_some());
        let d = Normalise::DistanceToTarget { target: 1.0, cap: false, lo: 0.0, hi: 1.0 };
        assert!(degenerate(&d, &fit(&d, &[2.0, 5.0]), 1.0).is_some(), "target below the minimum");
        assert!(degenerate(&d, &fit(&d, &[-5.0, -2.0]), -1.0).is_none(), "direction −1: target 1 is best");
    }

    #[test]
    fn zscore_uses_n_minus_1() {
        // x = 1, 2, 3: mean 2, sd (n−1) = 1. Target mean 10, sd 2: 8, 10, 12.
        assert_eq!(
            run(Normalise::ZScore { mean: 10.0, sd: 2.0 }, &[1.0, 2.0, 3.0], 1.0),
            vec![8.0, 10.0, 12.0]
        );
        assert_eq!(run(Normalise::ZScore { mean: 0.0, sd: 1.0 }, &[4.0, 4.0], 1.0), vec![0.0, 0.0]);
    }

    #[test]
    fn goalposts_truncate_and_flip() {
        let g = Normalise::Goalposts { min: 20.0, max: 85.0, lo: 0.0, hi: 1.0, truncate: true, log: false };
        // HDI life expectancy: (72.5 − 20)/65 = 0.8076923…; 90 is capped at 1; 10 at 0.
        let out = run(g.clone(), &[72.5, 90.0, 10.0], 1.0);
        assert!((out[0] - 52.5 / 65.0).abs() < 1e-15);
        assert_eq!(&out[1..], &[1.0, 0.0]);
        // Direction −1: (85 − 72.5)/65.
        assert!((run(g, &[72.5], -1.0)[0] - 12.5 / 65.0).abs() < 1e-15);
        // Log scale (the HDI income index): (ln 1000 − ln 100)/(ln 75000 − ln 100).
        let lg =
            Normalise::Goalposts { min: 100.0, max: 75000.0, lo: 0.0, hi: 1.0, truncate: true, log: true };
        let want = (1000f64.ln() - 100f64.ln()) / (75000f64.ln() - 100f64.ln());
        assert!((run(lg.clone(), &[1000.0], 1.0)[0] - want).abs() < 1e-15);
        assert_eq!(run(lg, &[80000.0], 1.0), vec![1.0]);
        let open =
            Normalise::Goalposts { min: 0.0, max: 10.0, lo: 0.0, hi: 100.0, truncate: false, log: false };
        assert_eq!(run(open, &[12.0], 1.0), vec![120.0]);
    }

    #[test]
    fn rank_percentile_borda_tie_min() {
        let xs = [3.0, 1.0, 3.0, 2.0];
        assert_eq!(run(Normalise::Rank, &xs, 1.0), vec![3.0, 1.0, 3.0, 2.0]);
        assert_eq!(run(Normalise::Borda, &xs, 1.0), vec![2.0, 0.0, 2.0, 1.0]);
        // (rank − 1)/(n − 1) with n = 4: 2/3, 0, 2/3, 1/3.
        let p = run(Normalise::Percentile { lo: 0.0, hi: 1.0 }, &xs, 1.0);
        assert_eq!(p, vec![2.0 / 3.0, 0.0, 2.0 / 3.0, 1.0 / 3.0]);
        // Direction −1 reverses the order: the lowest raw value ranks highest.
        assert_eq!(run(Normalise::Rank, &xs, -1.0), vec![1.0, 4.0, 1.0, 3.0]);
    }

    #[test]
    fn distance_to_target_and_fraction_of_max() {
        let d = Normalise::DistanceToTarget { target: 8.0, cap: true, lo: 0.0, hi: 1.0 };
        // min 2: (x − 2)/(8 − 2): 2 → 0, 5 → 0.5, 10 → 4/3 capped to 1.
        assert_eq!(run(d, &[2.0, 5.0, 10.0], 1.0), vec![0.0, 0.5, 1.0]);
        // Direction −1, target 3: (max − x)/(max − target) with max 10: 10 → 0, 5 → 5/7.
        let d = Normalise::DistanceToTarget { target: 3.0, cap: false, lo: 0.0, hi: 1.0 };
        let out = run(d, &[10.0, 5.0], -1.0);
        assert_eq!(out[0], 0.0);
        assert!((out[1] - 5.0 / 7.0).abs() < 1e-15);
        assert_eq!(run(Normalise::FractionOfMax { lo: 0.0, hi: 1.0 }, &[2.0, 8.0], 1.0), vec![0.25, 1.0]);
    }
}
