//! Hand-computed treatment cases. Skew and kurtosis quoted below were computed independently
//! with the G₁/G₂ formulas written out in python3 (a transcription of COINr's `R/treat.R`);
//! each decision (fail, pass) also follows from them by hand.

use super::*;
use crate::methodology::Fallback;
use crate::stats::close;

const NA: f64 = f64::NAN;

fn default_winsorise(x: &[f64]) -> Sample {
    winsorise(x, 5, 2.0, 3.5, Fallback::Log)
}

#[test]
fn one_winsorised_point_coinr_documented_example() {
    // COINr's `winsorise` reference page: x = 1..10, 30, 100 gives 1..10, 30, 30 with nwin 1
    // and "winhi" on the 12th point. Before: skew 3.063, kurtosis 9.741 (fails);
    // after: skew 1.712 < 2 (passes).
    let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
    x.extend([30.0, 100.0]);
    let s = default_winsorise(&x);
    let mut want = x.clone();
    want[11] = 30.0;
    assert_eq!(s.values, want);
    assert_eq!(s.flags.iter().flatten().count(), 1);
    assert_eq!(s.flags[11], Some(TreatFlag::WinsorisedHigh));
    assert_eq!(s.outcome, Outcome::Winsorised { passes: true });
}

#[test]
fn ties_at_the_extreme_move_together_and_count_toward_winmax() {
    // x = 1..12, 100, 100: skew 2.249 >= 2 and kurtosis 3.662 >= 3.5, so it fails. Both 100s
    // are the maximum: one step sets both to 12 (the next value); skew is then −0.206.
    let mut x: Vec<f64> = (1..=12).map(f64::from).collect();
    x.extend([100.0, 100.0]);
    let s = default_winsorise(&x);
    assert_eq!(&s.values[12..], &[12.0, 12.0]);
    assert_eq!(&s.values[..12], &x[..12]);
    assert_eq!(s.flags.iter().flatten().count(), 2);
    // With winmax = 1 the tied pair still moves as one: 2 points, overshooting winmax as
    // COINr's `nwin` does, and the check then passes.
    let one = winsorise(&x, 1, 2.0, 3.5, Fallback::Log);
    assert_eq!(one.values, s.values);
    assert_eq!(one.outcome, Outcome::Winsorised { passes: true });
}

#[test]
fn log_fallback_applies_to_the_original_values() {
    // x = twelve 0s, 1, 99; winmax = 1. Winsorising 99 → 1 gives twelve 0s, 1, 1:
    // n = 14, mean 1/7, m2 = 12/7, m4 = 2604/2401, r = n·m4/m2² = 31/6,
    // G2 = (15·(31/6 − 3) + 6)·13/(12·11) = 3.7917 >= 3.5, and G1 = 2.295 >= 2: still fails.
    // So the winsorised values are dropped and the ORIGINAL values become
    // ln(x − 0 + 0.01·(99 − 0)) = ln(x + 0.99).
    let mut x = vec![0.0; 12];
    x.extend([1.0, 99.0]);
    let s = winsorise(&x, 1, 2.0, 3.5, Fallback::Log);
    assert_eq!(s.outcome, Outcome::Log { tried: 1 });
    assert!(close(s.values[0], 0.99f64.ln()));
    assert!(close(s.values[12], 1.99f64.ln()));
    assert!(close(s.values[13], 99.99f64.ln()), "not ln(1 + 0.99): the 99 was not kept winsorised");
    assert!(s.flags.iter().all(|f| *f == Some(TreatFlag::Log)));
    // fallback = "none" keeps the winsorised values instead.
    let kept = winsorise(&x, 1, 2.0, 3.5, Fallback::None);
    assert_eq!(kept.values[13], 1.0);
    assert_eq!(kept.outcome, Outcome::Winsorised { passes: false });
}

#[test]
fn negative_skew_winsorises_the_low_end() {
    // The mirror of COINr's example: −1..−10, −30, −100 has skew −3.063 (kurtosis 9.741):
    // the minimum −100 takes the next value up, −30.
    let mut x: Vec<f64> = (1..=10).map(|v| -f64::from(v)).collect();
    x.extend([-30.0, -100.0]);
    let s = default_winsorise(&x);
    assert_eq!(s.values[11], -30.0);
    assert_eq!(s.flags[11], Some(TreatFlag::WinsorisedLow));
    assert_eq!(s.flags.iter().flatten().count(), 1);
}

#[test]
fn missing_values_are_ignored_and_stay_missing() {
    let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
    x.extend([30.0, NA, 100.0]);
    let s = default_winsorise(&x);
    assert!(s.values[11].is_nan() && s.flags[11].is_none());
    assert_eq!(s.values[12], 30.0);
}

#[test]
fn passing_few_or_constant_samples_are_left_alone() {
    // 1..10: skew 0, passes.
    let x: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(default_winsorise(&x).outcome, Outcome::Untouched);
    assert!(matches!(default_winsorise(&[1.0, 2.0, 300.0]).outcome, Outcome::Unchecked(_)));
    assert!(matches!(default_winsorise(&[4.0; 6]).outcome, Outcome::Unchecked(_)));
}

#[test]
fn clip_and_caps() {
    // 1..10, 100: type-7 percentiles 10 and 90 over n = 11: h = 1 → 2; h = 9 → 10.
    let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
    x.push(100.0);
    let s = clip(&x, 10.0, 90.0);
    assert_eq!(s.values[0], 2.0);
    assert_eq!(s.values[10], 10.0);
    assert_eq!((s.flags[0], s.flags[10]), (Some(TreatFlag::ClippedLow), Some(TreatFlag::ClippedHigh)));
    assert_eq!(s.flags.iter().flatten().count(), 2);
    let c = caps(&[-5.0, 50.0, 120.0, NA], Some(0.0), Some(100.0));
    assert_eq!(&c.values[..3], &[0.0, 50.0, 100.0]);
    assert_eq!(c.flags[..3], [Some(TreatFlag::CappedLow), None, Some(TreatFlag::CappedHigh)]);
    assert!(c.values[3].is_nan());
    assert_eq!(caps(&[1.0, 2.0], None, Some(5.0)).outcome, Outcome::Untouched);
}
