//! `gti verify` against a table published to fewer decimals than gti computes: the summary
//! says so and gives the `--round N` that makes the comparison fair, with how many values
//! would then match.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

/// SMALL_TOML on SMALL_DATA by hand: a2 (direction −1) = 100, 66.67, 0; A = mean(a1, a2) =
/// 50, 58.33, 50; I = mean(A, B) = 25, 54.17, 75 (B = b1 = 0, 50, 100), to 2 decimals.
const PUBLISHED: &str = "unit,year,node,score
XAA,2024,I,25.00
XAB,2024,I,54.17
XAC,2024,I,75.00
XAA,2024,A,50.00
XAB,2024,A,58.33
XAC,2024,A,50.00
XAA,2024,a2,100.00
XAB,2024,a2,66.67
XAC,2024,a2,0.00
";

fn verify(published: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA), ("p.csv", published)]);
    gti()
        .current_dir(dir.path())
        .args(["verify", "-m", "m.toml", "-d", "d.csv", "--published", "p.csv"])
        .args(extra)
        .assert()
}

#[test]
fn values_published_to_two_decimals_get_a_hint_to_round() {
    verify(PUBLISHED, &[]).code(1).stdout(
        contains("6 match, 3 mismatch").and(contains(
            "hint: the published values are written with at most 2 decimal(s) and the computed ones with more: with --round 2, 9 of 9 match",
        )),
    );
    verify(PUBLISHED, &["--round", "2"])
        .success()
        .stdout(contains("9 match, 0 mismatch").and(contains("hint").not()));
    // A value that is simply wrong stays a mismatch under rounding, and the hint says so.
    let wrong = PUBLISHED.replace("XAA,2024,I,25.00", "XAA,2024,I,26.00");
    verify(&wrong, &[]).code(1).stdout(contains("with --round 2, 8 of 9 match"));
    // No hint when rounding would not help: full precision, or exponent notation.
    let exact = "unit,year,node,score\nXAA,2024,I,25\nXAB,2024,I,54.16666666666667\nXAC,2024,I,74\n";
    verify(exact, &[]).code(1).stdout(contains("2 match, 1 mismatch").and(contains("hint").not()));
    let exponent = PUBLISHED.replace("XAA,2024,I,25.00", "XAA,2024,I,2.5e1");
    verify(&exponent, &[]).code(1).stdout(contains("hint").not());
}
