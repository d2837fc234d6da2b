//! Units dropped by `[screen]` are out of the run for that year in every command, as in
//! `compute`'s `scores.csv`: `verify`, `compare`, regional means and their coverage,
//! `sensitivity`'s tables, and the unit counts of the manifests and of `validate`.

use crate::util::{SMALL_TOML, fixture, gti, read_csv};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::collections::BTreeSet;
use std::path::Path;

/// XAD has one indicator of three in 2024 (33% < 60%: dropped) and two in 2025 (kept); XAE
/// has one in both years (dropped in both, so in no output at all).
const DATA: &str = "unit,year,indicator,value
XAA,2024,a1,1
XAB,2024,a1,2
XAC,2024,a1,3
XAD,2024,a1,3
XAE,2024,a1,2
XAA,2024,a2,10
XAB,2024,a2,20
XAC,2024,a2,40
XAA,2024,b1,5
XAB,2024,b1,5.5
XAC,2024,b1,6
XAA,2025,a1,1
XAB,2025,a1,2
XAC,2025,a1,3
XAD,2025,a1,3
XAE,2025,a1,2
XAA,2025,a2,10
XAB,2025,a2,20
XAC,2025,a2,40
XAD,2025,a2,40
XAA,2025,b1,5
XAB,2025,b1,5.5
XAC,2025,b1,6
";

const UNITS: &str = "unit,name,region
XAA,Aa,North
XAB,Ab,North
XAC,Ac,South
XAD,Ad,South
XAE,Ae,South
";

fn methodology() -> String {
    SMALL_TOML.replace("[node.I]", "[screen]\nmin_availability = 0.6\n\n[node.I]")
}

fn setup() -> tempfile::TempDir {
    let dir = fixture(&[("m.toml", &methodology()), ("data/d.csv", DATA), ("data/units.csv", UNITS)]);
    gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", "data", "-o", "out"])
        .assert()
        .success();
    dir
}

/// The (unit, year) pairs of a table's rows.
fn unit_years(path: &Path) -> BTreeSet<(String, String)> {
    read_csv(path).into_iter().map(|r| (r["unit"].clone(), r["year"].clone())).collect()
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter().map(|(u, y)| (u.to_string(), y.to_string())).collect()
}

#[test]
fn screened_units_are_out_of_compare_and_sensitivity_as_of_scores() {
    let dir = setup();
    let d = dir.path();
    let scored = unit_years(&d.join("out/scores.csv"));
    let kept = [("XAA", "2024"), ("XAB", "2024"), ("XAC", "2024")];
    let later = [("XAA", "2025"), ("XAB", "2025"), ("XAC", "2025"), ("XAD", "2025")];
    assert_eq!(scored, pairs(&[&kept[..], &later[..]].concat()));
    gti()
        .current_dir(d)
        .args(["compare", "-m", "m.toml", "-d", "data", "--set", "node.A.weight=2", "-o", "cmp"])
        .assert()
        .success();
    assert_eq!(unit_years(&d.join("cmp/compare.csv")), scored);
    std::fs::write(d.join("spec.toml"), "[[input]]\npath = \"node.A.weight\"\nvalues = [1, 2]\n").unwrap();
    for (mode, table) in [("ua", "rank_stats.csv"), ("sa", "sensitivity.csv")] {
        gti()
            .current_dir(d)
            .args(["sensitivity", "-m", "m.toml", "-d", "data", "--spec", "spec.toml", "--runs", "8"])
            .args(["--seed", "1", "--mode", mode, "-o", mode])
            .assert()
            .success();
        let rows: BTreeSet<(String, String)> = unit_years(&d.join(mode).join(table))
            .into_iter()
            .filter(|(u, _)| !u.is_empty()) // sensitivity.csv's overall row
            .collect();
        assert_eq!(rows, scored, "{mode}: {table}");
    }
    // Every manifest and validate count the 4 units with rows (XAE is dropped in both years).
    for manifest in ["out", "cmp", "ua"] {
        let text = std::fs::read_to_string(d.join(manifest).join("manifest.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["units"], 4, "{manifest}/manifest.json");
    }
    gti()
        .current_dir(d)
        .args(["validate", "-m", "m.toml", "-d", "data"])
        .assert()
        .success()
        .stdout(contains("4 unit(s)"));
}

#[test]
fn regional_coverage_counts_only_the_units_in_the_run_that_year() {
    let dir = setup();
    let rows = read_csv(&dir.path().join("out/regions.csv"));
    let get = |year: &str, node: &str| {
        let r =
            rows.iter().find(|r| r["region"] == "South" && r["year"] == year && r["node"] == node).unwrap();
        (r["score"].clone(), r["units"].clone(), r["coverage"].clone())
    };
    // South in 2024 is XAC alone (XAD and XAE dropped): its score, 1 unit, full coverage
    // (was 1/3). By hand, XAC: a1 = 100, a2 = 0 (direction -1), b1 = 100; A = 50, I = 75.
    assert_eq!(get("2024", "I"), ("75".into(), "1".into(), "1".into()));
    // In 2025 XAC and XAD (XAE dropped); XAD has no b1, so B rests on XAC alone: 1 of 2.
    assert_eq!(get("2025", "B"), ("100".into(), "1".into(), "0.5".into()));
}

#[test]
fn verify_says_a_published_value_for_a_screened_unit_was_dropped() {
    let dir = setup();
    let d = dir.path();
    // compute's own scores reproduce (the published blank is XAD's missing B in 2025).
    gti()
        .current_dir(d)
        .args(["verify", "-m", "m.toml", "-d", "data", "--published", "out/scores.csv"])
        .assert()
        .success()
        .stdout(contains("match, 0 mismatch"));
    std::fs::write(d.join("pub.csv"), "unit,year,node,score\nXAA,2024,I,25\nXAD,2024,I,50\n").unwrap();
    gti()
        .current_dir(d)
        .args(["verify", "-m", "m.toml", "-d", "data", "--published", "pub.csv"])
        .assert()
        .code(1)
        .stdout(
            contains("1 match, 1 mismatch")
                .and(contains("XAD, 2024, I: 50, not computed (dropped by [screen])  (pub.csv:3)")),
        );
}
