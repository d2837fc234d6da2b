//! Unit tests of the expert combination (`super`: `combine.rs`), each value worked by hand.

use super::*;
use crate::codes::Code;
use crate::methodology::{Combine, ExpertRules, OutlierRule};
use crate::stats::close;

fn rules(combine: Combine) -> ExpertRules {
    ExpertRules { combine, ..ExpertRules::default() }
}

fn plain(xs: &[f64]) -> Vec<(f64, Option<f64>)> {
    xs.iter().map(|&x| (x, None)).collect()
}

#[test]
fn mean_with_respondents_and_agreement() {
    // 4, 6, 8: mean 6; squared deviations 4 + 0 + 4 = 8; s = √(8/2) = 2.
    let c = combine_answers(&plain(&[4.0, 6.0, 8.0]), &rules(Combine::Mean));
    assert_eq!(c, Combined { value: Some(6.0), respondents: 3, agreement: Some(2.0), dropped: 0 });
}

#[test]
fn median_odd_and_even() {
    // Sorted 1, 3, 7 → 3; sorted 1, 2, 9, 10 → (2 + 9)/2 = 5.5.
    assert_eq!(combine_answers(&plain(&[3.0, 1.0, 7.0]), &rules(Combine::Median)).value, Some(3.0));
    assert_eq!(combine_answers(&plain(&[10.0, 1.0, 9.0, 2.0]), &rules(Combine::Median)).value, Some(5.5));
}

#[test]
fn trimmed_mean_drops_floor_trim_n_at_each_end() {
    let trimmed = rules(Combine::TrimmedMean { trim: 0.2 });
    // n = 5: ⌊0.2·5⌋ = 1 at each end of 0, 6, 7, 8, 10 → mean(6, 7, 8) = 7.
    let c = combine_answers(&plain(&[8.0, 0.0, 7.0, 10.0, 6.0]), &trimmed);
    assert_eq!(c.value, Some(7.0));
    // respondents and agreement cover all five answers used by the rule: mean 6.2,
    // squared deviations 38.44 + 0.04 + 0.64 + 3.24 + 14.44 = 56.8; s = √(56.8/4) = √14.2.
    assert_eq!(c.respondents, 5);
    assert!(close(c.agreement.unwrap(), 14.2f64.sqrt()));
    // n = 4: ⌊0.8⌋ = 0, nothing dropped: mean(0, 6, 7, 8) = 5.25.
    assert_eq!(combine_answers(&plain(&[0.0, 6.0, 7.0, 8.0]), &trimmed).value, Some(5.25));
}

#[test]
fn fewer_answers_than_min_respondents_leave_the_item_missing() {
    let r = ExpertRules { min_respondents: 3, ..ExpertRules::default() };
    let c = combine_answers(&plain(&[4.0, 6.0]), &r);
    assert_eq!(c, Combined { value: None, respondents: 2, agreement: None, dropped: 0 });
    assert_eq!(combine_answers(&plain(&[4.0, 6.0, 8.0]), &r).value, Some(6.0));
    // One answer: a value (min 1) but no standard deviation.
    let one = combine_answers(&plain(&[7.0]), &ExpertRules::default());
    assert_eq!((one.value, one.agreement), (Some(7.0), None));
}

#[test]
fn outlier_rule_drops_beyond_k_sd_only_with_enough_answers() {
    let r =
        ExpertRules { outliers: Some(OutlierRule { sd: 1.5, min_respondents: 5 }), ..ExpertRules::default() };
    // 5, 5, 5, 5, 10: mean 6, squared deviations 4·1 + 16 = 20, s = √(20/4) = √5 ≈ 2.236;
    // 1.5·s ≈ 3.354 < |10 − 6| = 4 → 10 is dropped; |5 − 6| = 1 stays. Mean of the rest 5,
    // agreement 0 (all equal), 4 respondents.
    let c = combine_answers(&plain(&[5.0, 5.0, 10.0, 5.0, 5.0]), &r);
    assert_eq!(c, Combined { value: Some(5.0), respondents: 4, agreement: Some(0.0), dropped: 1 });
    // Four answers < min_respondents 5: the rule does not apply; mean (15 + 10)/4 = 6.25.
    let c = combine_answers(&plain(&[5.0, 5.0, 10.0, 5.0]), &r);
    assert_eq!((c.value, c.dropped), (Some(6.25), 0));
}

#[test]
fn confidence_weighting() {
    let r = |combine| ExpertRules { combine, weight_by_confidence: true, ..ExpertRules::default() };
    // (2, 0.5), (8, 1), (5, none → 1), (10, 0 → not used): (1 + 8 + 5)/(0.5 + 1 + 1) = 14/2.5.
    let xs = [(2.0, Some(0.5)), (8.0, Some(1.0)), (5.0, None), (10.0, Some(0.0))];
    let c = combine_answers(&xs, &r(Combine::Mean));
    assert!(close(c.value.unwrap(), 5.6));
    assert_eq!(c.respondents, 3);
    // Unweighted, the same four answers: (2 + 8 + 5 + 10)/4 = 6.25.
    assert_eq!(combine_answers(&xs, &ExpertRules::default()).value, Some(6.25));
    // Weighted median: weights 0.2, 0.2, 0.9 on 1, 2, 10; half of 1.3 is 0.65, first reached
    // at 10.
    let xs = [(1.0, Some(0.2)), (2.0, Some(0.2)), (10.0, Some(0.9))];
    assert_eq!(combine_answers(&xs, &r(Combine::Median)).value, Some(10.0));
    // Weighted trimmed mean, trim 0.25 of 4 → one answer cut at each end of 0, 4, 6, 100;
    // (0.5·4 + 1·6)/(0.5 + 1) = 8/1.5 = 16/3.
    let xs = [(100.0, Some(1.0)), (4.0, Some(0.5)), (0.0, Some(1.0)), (6.0, Some(1.0))];
    let c = combine_answers(&xs, &r(Combine::TrimmedMean { trim: 0.25 }));
    assert!(close(c.value.unwrap(), 16.0 / 3.0));
}

fn response(answer: RawAnswer) -> Response {
    Response {
        unit: UnitCode("XAA".into()),
        year: 2024,
        respondent: "r1".into(),
        item: Code("q1".into()),
        answer,
        confidence: None,
        file: 0,
        line: 2,
        column: 5,
    }
}

#[test]
fn codes_and_scale_map_each_answer() {
    let r = ExpertRules {
        codes: vec![("yes".into(), Some(1.0)), ("partially".into(), Some(0.5)), ("don't know".into(), None)],
        scale: Some((0.0, 1.0)),
        ..ExpertRules::default()
    };
    assert_eq!(map_answer(&response(RawAnswer::Code("Partially".into())), &r), Ok(Some(0.5)));
    assert_eq!(map_answer(&response(RawAnswer::Code("don't know".into())), &r), Ok(None));
    assert_eq!(map_answer(&response(RawAnswer::Missing), &r), Ok(None));
    assert_eq!(map_answer(&response(RawAnswer::Number(0.25)), &r), Ok(Some(0.25)));
    let (msg, hint) = map_answer(&response(RawAnswer::Code("maybe".into())), &r).unwrap_err();
    assert_eq!(msg, "undeclared response code 'maybe' for item 'q1'");
    assert!(hint.contains("yes, partially, don't know"), "{hint}");
    let (msg, _) = map_answer(&response(RawAnswer::Number(7.0)), &r).unwrap_err();
    assert_eq!(msg, "response 7 to item 'q1' is outside its scale [0, 1]");
}
