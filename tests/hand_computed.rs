//! End-to-end checks against values computed by hand (worked in the comments), covering
//! direction, min-max, arithmetic means, rank ties, coverage, imputation, bands and trends.

use crate::util::{SMALL_DATA, SMALL_TOML, close, fixture, gti, read_csv, scores};

fn run(toml: &str, data: &str, extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture(&[("m.toml", toml), ("data/values.csv", data)]);
    let out = dir.path().join("out");
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (dir, out)
}

fn score(s: &crate::util::Scores, unit: &str, year: &str, node: &str, col: &str) -> String {
    s[&(unit.to_string(), year.to_string(), node.to_string())][col].clone()
}

fn num(s: &crate::util::Scores, unit: &str, year: &str, node: &str) -> f64 {
    score(s, unit, year, node, "score").parse().unwrap()
}

#[test]
fn small_index_by_hand() {
    let (_d, out) = run(SMALL_TOML, SMALL_DATA, &[]);
    let s = scores(&out.join("scores.csv"));
    // a1 = 1, 2, 3 → 0, 50, 100. a2 has direction −1: −10, −20, −40 → min −40, max −10:
    // XAA 100, XAB (−20 + 40)/30·100 = 66.67, XAC 0. b1 = 5, 5.5, 6 → 0, 50, 100.
    assert!(close(num(&s, "XAB", "2024", "a2"), 200.0 / 3.0));
    // A = mean(a1, a2): 50, 58.33, 50; B = b1; I = mean(A, B): 25, 54.17, 75.
    for (u, a, i) in [("XAA", 50.0, 25.0), ("XAB", 175.0 / 3.0, 325.0 / 6.0), ("XAC", 50.0, 75.0)] {
        assert!(close(num(&s, u, "2024", "A"), a), "{u} A");
        assert!(close(num(&s, u, "2024", "I"), i), "{u} I");
    }
    // Ranks of I: XAC, XAB, XAA. A ties XAA and XAC at 50: both rank 2 ("min").
    let r = |u, n| score(&s, u, "2024", n, "rank");
    assert_eq!([r("XAC", "I"), r("XAB", "I"), r("XAA", "I")], ["1", "2", "3"]);
    assert_eq!([r("XAB", "A"), r("XAA", "A"), r("XAC", "A")], ["1", "2", "2"]);
    // Levels: indicators 1, A and B 2, the index 3. Full coverage, nothing imputed.
    assert_eq!(score(&s, "XAA", "2024", "I", "level"), "3");
    assert_eq!(score(&s, "XAA", "2024", "I", "coverage"), "1");
    assert_eq!(score(&s, "XAA", "2024", "I", "imputed"), "0");
}

#[test]
fn rows_are_sorted_by_year_framework_order_rank_unit() {
    let (_d, out) = run(SMALL_TOML, SMALL_DATA, &[]);
    let rows = read_csv(&out.join("scores.csv"));
    let order: Vec<(String, String)> = rows.iter().map(|r| (r["node"].clone(), r["unit"].clone())).collect();
    let nodes: Vec<&str> = order.iter().step_by(3).map(|p| p.0.as_str()).collect();
    assert_eq!(nodes, ["I", "A", "a1", "a2", "B", "b1"]);
    // Within A: XAB (rank 1), then the tie XAA, XAC by unit code.
    assert_eq!(
        &order[3..6],
        &[("A".into(), "XAB".into()), ("A".into(), "XAA".into()), ("A".into(), "XAC".into())]
    );
}

const GAP: &str = "unit,year,indicator,value
XAA,2024,a1,1
XAB,2024,a1,2
XAC,2024,a1,3
XAA,2024,a2,NA
XAB,2024,a2,20
XAC,2024,a2,40
XAA,2024,b1,5
XAB,2024,b1,5.5
XAC,2024,b1,6
";

#[test]
fn coverage_below_the_threshold_leaves_nodes_missing() {
    let (_d, out) = run(SMALL_TOML, GAP, &["--set", "defaults.missing.min_coverage=0.6"]);
    let s = scores(&out.join("scores.csv"));
    // XAA has a1 only: half of A's weight < 0.6 → A missing; then I has B only → missing.
    assert_eq!(score(&s, "XAA", "2024", "A", "score"), "");
    assert_eq!(score(&s, "XAA", "2024", "I", "score"), "");
    assert_eq!(score(&s, "XAA", "2024", "I", "rank"), "");
    // Coverage of observed weight: A 1/2; I = (1/2 + 1)/2 = 3/4.
    assert_eq!(score(&s, "XAA", "2024", "A", "coverage"), "0.5");
    assert_eq!(score(&s, "XAA", "2024", "I", "coverage"), "0.75");
    // a2 over XAB, XAC only: −20 → 100, −40 → 0; A(XAB) = (50 + 100)/2 = 75.
    assert!(close(num(&s, "XAB", "2024", "A"), 75.0));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("defaults.missing.min_coverage"), "the override is recorded");
    assert!(manifest.contains("too little of its weight present"));
}

#[test]
fn imputed_points_are_flagged_up_to_the_index() {
    let (_d, out) = run(SMALL_TOML, GAP, &["--set", "defaults.impute.method=mean", "--dataset", "Imputed"]);
    let s = scores(&out.join("scores.csv"));
    // a2(XAA) = mean(20, 40) = 30 → negated −30 between −40 and −20 → 50. A = (0 + 50)/2.
    assert!(close(num(&s, "XAA", "2024", "a2"), 50.0));
    assert!(close(num(&s, "XAA", "2024", "A"), 25.0));
    assert_eq!(score(&s, "XAA", "2024", "a2", "imputed"), "1");
    assert_eq!(score(&s, "XAA", "2024", "I", "imputed"), "1");
    assert_eq!(score(&s, "XAA", "2024", "a2", "coverage"), "0");
    assert_eq!(score(&s, "XAB", "2024", "I", "imputed"), "0");
    let imputed = read_csv(&out.join("Imputed.csv"));
    let row = imputed.iter().find(|r| r["unit"] == "XAA" && r["code"] == "a2").unwrap();
    assert_eq!((row["value"].as_str(), row["flag"].as_str()), ("30", "imputed"));
}

const TWO_YEARS: &str = "unit,year,a1,a2,b1
XAA,2023,1,10,5
XAB,2023,2,20,5.5
XAC,2023,3,40,6
XAA,2024,1,10,5
XAB,2024,2,20,6
XAC,2024,3,40,5.5
";

const BANDS: &str = r#"
[trend]
stable = 5

[[band]]
label = "high risk"
min = 0
max = 50

[[band]]
label = "low risk"
min = 50
max = 100
"#;

#[test]
fn trends_bands_and_wide_input() {
    let toml = format!("{SMALL_TOML}{BANDS}");
    let (_d, out) = run(&toml, TWO_YEARS, &[]);
    let s = scores(&out.join("scores.csv"));
    // 2023 as in small_index_by_hand: I = 25, 54.17, 75. In 2024 b1 swaps XAB and XAC:
    // B = 0, 100, 50 → I(XAB) = (58.33 + 100)/2 = 79.17, I(XAC) = (50 + 50)/2 = 50.
    assert!(close(num(&s, "XAB", "2024", "I"), (175.0 / 3.0 + 100.0) / 2.0));
    assert_eq!(score(&s, "XAA", "2023", "I", "band"), "high risk");
    assert_eq!(score(&s, "XAC", "2024", "I", "band"), "low risk", "50 is in [50, 100)");
    assert_eq!(score(&s, "XAC", "2024", "a1", "band"), "", "indicators are not banded");
    let trends = read_csv(&out.join("trends.csv"));
    let t = |u: &str| trends.iter().find(|r| r["unit"] == u && r["node"] == "I").unwrap().clone();
    // XAA: 25 → 25, stable. XAB: 54.17 → 79.17 (+25), improved, rank 2 → 1 (+1).
    // XAC: 75 → 50 (−25), deteriorated, rank 1 → 2 (−1).
    assert_eq!((t("XAA")["status"].as_str(), t("XAA")["delta"].as_str()), ("stable", "0"));
    assert_eq!((t("XAB")["status"].as_str(), t("XAB")["rank_change"].as_str()), ("improved", "1"));
    assert_eq!((t("XAC")["status"].as_str(), t("XAC")["rank_change"].as_str()), ("deteriorated", "-1"));
    assert!(close(t("XAC")["delta"].parse().unwrap(), -25.0));
    assert_eq!((t("XAC")["band_from"].as_str(), t("XAC")["band_to"].as_str()), ("low risk", "low risk"));
    assert!(trends.iter().all(|r| r["node"] != "a1"), "trends cover nodes, not indicators");
}

const SPREAD: &str = "unit,year,a1,a2,b1
XAA,2023,0,1,1
XAB,2023,10,2,2
XAC,2023,20,3,3
XAA,2024,10,1,1
XAB,2024,20,2,2
XAC,2024,40,3,3
";

#[test]
fn normalisation_bounds_year_panel_reference() {
    let a1 = |extra: &[&str], unit: &str, year: &str| {
        let (_d, out) = run(SMALL_TOML, SPREAD, extra);
        num(&scores(&out.join("scores.csv")), unit, year, "a1")
    };
    // Per year: 2024 spans 10..40, so XAA (10) → 0 and XAB (20) → 33.33.
    let year = ["--set", "defaults.normalise.bounds=year"];
    assert!(close(a1(&year, "XAB", "2024"), 100.0 / 3.0));
    // Pooled over both years: 0..40, so XAA 2024 (10) → 25 and XAC 2023 (20) → 50. Pooled is
    // the default (issue 14): the levels trends compare stay comparable.
    let panel = ["--set", "defaults.normalise.bounds=panel"];
    assert!(close(a1(&panel, "XAA", "2024"), 25.0));
    assert!(close(a1(&panel, "XAC", "2023"), 50.0));
    assert!(close(a1(&[], "XAA", "2024"), 25.0));
    // Fitted on 2023 (0..20) and applied to 2024: 10 → 50, 40 → 200 (no clipping).
    let reference =
        ["--set", "defaults.normalise.bounds=reference", "--set", "defaults.normalise.reference_year=2023"];
    assert!(close(a1(&reference, "XAA", "2024"), 50.0));
    assert!(close(a1(&reference, "XAC", "2024"), 200.0));
}

/// Issue 14: with several years, trends under year-by-year bounds compare positions, not
/// levels; the run log (manifest, `validate`) and the report say so, and only then.
#[test]
fn trends_under_year_bounds_are_flagged() {
    let warned = |extra: &[&str]| {
        let (_d, out) = run(SMALL_TOML, SPREAD, extra);
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        let warnings = manifest["warnings"].as_array().unwrap().clone();
        warnings
            .into_iter()
            .find(|w| w.as_str().unwrap().starts_with("normalise: 3 of 3 indicator(s) are fitted"))
    };
    let w = warned(&["--set", "defaults.normalise.bounds=year"]).expect("a warning with year bounds");
    assert!(w.as_str().unwrap().contains("trends.csv's delta and status"), "{w}");
    assert!(warned(&[]).is_none(), "the default pools the years");
    let reference =
        ["--set", "defaults.normalise.bounds=reference", "--set", "defaults.normalise.reference_year=2023"];
    assert!(warned(&reference).is_none());
    // One year: no trends, nothing to say.
    let (_d, out) = run(SMALL_TOML, SMALL_DATA, &["--set", "defaults.normalise.bounds=year"]);
    assert!(!std::fs::read_to_string(out.join("manifest.json")).unwrap().contains("fitted on each year"));
}

#[test]
fn json_results_hold_the_same_scores() {
    let (_d, out) = run(SMALL_TOML, SMALL_DATA, &["--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let rows = v["scores"].as_array().unwrap();
    assert_eq!(rows.len(), 18);
    let i_xac = rows.iter().find(|r| r["unit"] == "XAC" && r["node"] == "I").unwrap();
    assert_eq!(i_xac["score"].as_f64(), Some(75.0));
    assert_eq!(i_xac["rank"].as_u64(), Some(1));
    assert_eq!(v["manifest"]["methodology"]["code"], "I");
}

#[test]
fn regional_means_and_their_trends() {
    let units = "unit,name,region\nXAA,Aldoria,North\nXAB,Brevania,North\nXAC,Calmora,South\n";
    let dir = fixture(&[("m.toml", SMALL_TOML), ("data/values.csv", TWO_YEARS), ("data/units.csv", units)]);
    gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", "data", "-o", "out"])
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("out/regions.csv"));
    let get = |region: &str, year: &str| {
        rows.iter().find(|r| r["region"] == region && r["year"] == year && r["node"] == "I").unwrap().clone()
    };
    // North = mean(XAA, XAB): 2023 (25 + 54.17)/2 = 39.58; 2024 (25 + 79.17)/2 = 52.08.
    assert!(close(get("North", "2023")["score"].parse().unwrap(), (25.0 + 325.0 / 6.0) / 2.0));
    assert!(close(get("North", "2024")["score"].parse().unwrap(), (25.0 + 475.0 / 6.0) / 2.0));
    assert_eq!((get("South", "2024")["score"].as_str(), get("South", "2024")["units"].as_str()), ("50", "1"));
    let trends = read_csv(&dir.path().join("out/region_trends.csv"));
    let north = trends.iter().find(|r| r["region"] == "North" && r["node"] == "I").unwrap();
    assert!(close(north["delta"].parse().unwrap(), 12.5));
    assert_eq!(north["status"], "improved");
    let scores = read_csv(&dir.path().join("out/scores.csv"));
    assert!(scores.iter().any(|r| r["unit_name"] == "Calmora"), "names come from units.csv");
}

const THREE_YEARS: &str = "unit,year,a1,a2,b1
XAA,2022,1,10,5
XAB,2022,2,20,5.5
XAC,2022,3,40,6
XAA,2023,,10,5
XAB,2023,2,20,5.5
XAC,2023,3,40,6
XAA,2024,2,10,5
XAB,2024,2,20,5.5
XAC,2024,3,40,6
";

#[test]
fn imputation_over_time_records_its_source_years() {
    let imputed = |method: &str| {
        let (_d, out) = run(SMALL_TOML, THREE_YEARS, &["--set", method, "--dataset", "Imputed"]);
        let rows = read_csv(&out.join("Imputed.csv"));
        rows.into_iter().find(|r| r["unit"] == "XAA" && r["year"] == "2023" && r["code"] == "a1").unwrap()
    };
    // a1(XAA) is 1 in 2022 and 2 in 2024: halfway → 1.5.
    let linear = imputed("defaults.impute.method=linear");
    assert_eq!((linear["value"].as_str(), linear["flag"].as_str()), ("1.5", "imputed between 2022 and 2024"));
    let latest = imputed("defaults.impute.method=latest");
    assert_eq!((latest["value"].as_str(), latest["flag"].as_str()), ("1", "imputed from 2022"));
}
