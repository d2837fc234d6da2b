//! Reference test: `benches/example_coin.toml`, COINr 1.1.14's `build_example_coin()` written
//! as a gti methodology (denominators, group-mean imputation by EurAsia_group, winsorisation
//! with winmax 5, min-max onto [0, 100], arithmetic means), reproduces COINr's steps as
//! re-computed independently by tests/reference/coinr_example_coin.py
//! (tests/data/coinr-asem/expected/example-coin; origin in SOURCE.md there). The sensitivity
//! benchmark (benches/run.sh) runs the vignette's four inputs on this methodology.

use crate::util::{close, gti, read_csv, scores, vendored};
use std::collections::BTreeMap;
use std::path::Path;

const METHODOLOGY: &str = "benches/example_coin.toml";
const SPEC: &str = "benches/asem_spec.toml";

/// `gti import coinr` writes the data (indicators, denominators, group columns) into `dir`.
fn import(dir: &Path) {
    crate::treat::import_asem(dir);
}

fn compute(dir: &Path) -> std::path::PathBuf {
    import(dir);
    let out = dir.join("results");
    gti()
        .args(["compute", "-m", METHODOLOGY, "-d"])
        .arg(dir)
        .args(["--dataset", "Treated", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    out
}

fn expected(name: &str) -> Vec<BTreeMap<String, String>> {
    read_csv(&vendored("coinr-asem").join("expected/example-coin").join(name))
}

/// Compares every cell of an expected table (one row per unit, one column per code) with
/// `ours(unit, code)`; returns the number of values compared.
fn compare(table: &[BTreeMap<String, String>], ours: impl Fn(&str, &str) -> String) -> usize {
    let mut n = 0;
    for row in table {
        for (code, want) in row.iter().filter(|(k, _)| *k != "uCode") {
            let unit = &row["uCode"];
            let got = ours(unit, code);
            let (a, b): (f64, f64) = (got.parse().unwrap(), want.parse().unwrap());
            assert!(close(a, b), "{unit} {code}: gti {a} vs reference {b}");
            n += 1;
        }
    }
    n
}

#[test]
fn example_coin_scores_match_coinrs_steps() {
    let dir = tempfile::tempdir().unwrap();
    let got = scores(&compute(dir.path()).join("scores.csv"));
    let n = compare(&expected("aggregated.csv"), |unit, code| {
        let key = (unit.to_string(), "2018".to_string(), code.to_string());
        got.get(&key).unwrap_or_else(|| panic!("no row for {key:?}"))["score"].clone()
    });
    // 51 units x (49 indicators + 8 pillars + 2 sub-indices + Index): nothing is missing.
    assert_eq!(n, 51 * 60);
}

#[test]
fn example_coin_treated_data_match_coinrs_steps() {
    let dir = tempfile::tempdir().unwrap();
    let treated: BTreeMap<(String, String), String> = read_csv(&compute(dir.path()).join("Treated.csv"))
        .into_iter()
        .map(|r| ((r["unit"].clone(), r["code"].clone()), r["value"].clone()))
        .collect();
    let n = compare(&expected("treated.csv"), |unit, code| {
        treated[&(unit.to_string(), code.to_string())].clone()
    });
    assert_eq!(n, 51 * 49);
}

/// The benchmark's analysis runs on the example coin, and its nominal is the example coin.
#[test]
fn vignette_analysis_runs_on_the_example_coin() {
    let dir = tempfile::tempdir().unwrap();
    import(dir.path());
    let out = dir.path().join("ua");
    gti()
        .args(["sensitivity", "-m", METHODOLOGY, "-d"])
        .arg(dir.path())
        .args(["--spec", SPEC, "--runs", "50", "--seed", "7", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let want: BTreeMap<String, String> =
        expected("aggregated.csv").into_iter().map(|r| (r["uCode"].clone(), r["Index"].clone())).collect();
    let rows = read_csv(&out.join("rank_stats.csv"));
    let index: Vec<_> = rows.iter().filter(|r| r["node"] == "Index").collect();
    assert_eq!(index.len(), 51);
    for r in index {
        let (a, b): (f64, f64) = (r["nominal_score"].parse().unwrap(), want[&r["unit"]].parse().unwrap());
        assert!(close(a, b), "{}: nominal {a} vs reference {b}", r["unit"]);
    }
}
