//! Hostile inputs found in review: each gives a clear error (or a documented policy), never a
//! NaN or infinity written as a score, a hang, or a lost input file.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn compute(dir: &std::path::Path, toml: &str, data: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    std::fs::write(dir.join("m.toml"), toml).unwrap();
    std::fs::write(dir.join("d.csv"), data).unwrap();
    gti().current_dir(dir).args(["compute", "-m", "m.toml", "-d", "d.csv", "-o", "out"]).args(extra).assert()
}

#[test]
fn values_at_the_f64_limits_are_an_error_not_a_nan_score() {
    let dir = fixture(&[]);
    let data = SMALL_DATA
        .replace("XAA,2024,a1,1", "XAA,2024,a1,-1e308")
        .replace("XAC,2024,a1,3", "XAC,2024,a1,1e308");
    compute(dir.path(), SMALL_TOML, &data, &[])
        .code(1)
        .stderr(contains("too large for f64").and(contains("a1")));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn weights_that_overflow_are_a_methodology_error() {
    let dir = fixture(&[]);
    compute(
        dir.path(),
        SMALL_TOML,
        SMALL_DATA,
        &["--set", "indicator.a1.weight=1e308", "--set", "indicator.a2.weight=1e308"],
    )
    .code(1)
    .stderr(contains("add up to more than f64 holds"));
}

#[test]
fn an_extreme_power_mean_stays_finite() {
    let dir = fixture(&[]);
    compute(
        dir.path(),
        SMALL_TOML,
        SMALL_DATA,
        &["--set", "node.A.aggregate={ method = \"generalised\", p = 400 }"],
    )
    .success();
    let scores = std::fs::read_to_string(dir.path().join("out/scores.csv")).unwrap();
    assert!(!scores.contains("inf") && !scores.contains("NaN"), "{scores}");
}

#[test]
fn an_input_inside_the_output_folder_is_never_overwritten_or_removed() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("out/Raw.csv", SMALL_DATA)]);
    gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", "out/Raw.csv", "-o", "out"])
        .assert()
        .code(2)
        .stderr(contains("is one of the inputs"));
    assert_eq!(std::fs::read_to_string(dir.path().join("out/Raw.csv")).unwrap(), SMALL_DATA);
}

#[test]
fn a_unit_year_with_no_data_is_not_invented_by_imputation() {
    let dir = fixture(&[]);
    let data =
        format!("{SMALL_DATA}XAA,2023,a1,1\nXAB,2023,a1,2\nXAB,2023,a2,3\nXAB,2023,b1,4\nXAC,2023,b1,5\n");
    compute(dir.path(), SMALL_TOML, &data, &["--set", "defaults.impute.method=mean"]).success();
    let rows = crate::util::read_csv(&dir.path().join("out/scores.csv"));
    // XAC has only b1 in 2023: a1 and a2 are imputed and its index exists; every unit has
    // some 2023 data, so the log reports no empty unit-year.
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(!manifest.contains("have no value at all"));
    // and then drop XAC's last 2023 value: its 2023 index must stay missing.
    let data = data.replace("XAC,2023,b1,5\n", "");
    compute(dir.path(), SMALL_TOML, &data, &["--set", "defaults.impute.method=mean"]).success();
    let rows2 = crate::util::read_csv(&dir.path().join("out/scores.csv"));
    let xac = |rows: &[std::collections::BTreeMap<String, String>]| {
        rows.iter()
            .find(|r| r["unit"] == "XAC" && r["year"] == "2023" && r["node"] == "I")
            .map(|r| r["score"].clone())
    };
    assert!(xac(&rows).is_some_and(|s| !s.is_empty()));
    assert_eq!(xac(&rows2), Some(String::new()), "XAC has no 2023 data: its 2023 index stays missing");
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("XAC have no value at all in 2023"), "{manifest}");
}

#[test]
fn verify_refuses_bad_rounding_and_tolerance_and_an_empty_table() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA), ("p.csv", "unit,year,node,score\n")]);
    let verify = |extra: &[&str]| {
        gti()
            .current_dir(dir.path())
            .args(["verify", "-m", "m.toml", "-d", "d.csv", "--published", "p.csv"])
            .args(extra)
            .assert()
    };
    verify(&["--round", "100000000000"]).code(2);
    verify(&["--tolerance=-1"]).code(2);
    verify(&["--tolerance", "NaN"]).code(2);
    verify(&[]).code(1).stderr(contains("holds no published score"));
}

#[test]
fn import_coinr_refuses_duplicate_and_invalid_codes() {
    let idata = "uCode,uName,Time,a\nXAA,A,2024,1\n";
    let dup = "Level,iCode,iName,Direction,Weight,Parent,Type\n2,Idx,Index,1,1,NA,Aggregate\n1,X,x,1,1,Idx,Aggregate\n1,X,x,1,1,X,Indicator\n";
    let bad = "Level,iCode,iName,Direction,Weight,Parent,Type\n2,Idx,Index,1,1,NA,Aggregate\n1,a.b,x,0,1,Idx,Indicator\n";
    let dir = fixture(&[("i.csv", idata), ("dup.csv", dup), ("bad.csv", bad)]);
    let import = |meta: &str| {
        gti()
            .current_dir(dir.path())
            .args(["import", "coinr", "--idata", "i.csv", "--imeta", meta, "-o", "o"])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
    };
    import("dup.csv").code(1).stderr(contains("dup.csv:4").and(contains("iCode 'X' is used twice")));
    import("bad.csv").code(1).stderr(contains("iCode 'a.b'").and(contains("Direction of 'a.b' is 0")));
}

#[test]
fn import_columns_refuses_duplicate_columns_and_points() {
    let dir = fixture(&[
        ("dup.csv", "iso3,hdi_2020,hdi_2020\nAAA,1,2\n"),
        ("zero.csv", "iso3,hdi_2020,hdi_02020\nAAA,1,2\n"),
    ]);
    let import = |input: &str| {
        gti()
            .current_dir(dir.path())
            .args([
                "import",
                "columns",
                "--input",
                input,
                "--unit",
                "iso3",
                "--pattern",
                "{indicator}_{year}",
                "-o",
                "o.csv",
            ])
            .assert()
    };
    import("dup.csv").code(1).stderr(contains("dup.csv:1:3: column 'hdi_2020' appears twice"));
    import("zero.csv").code(1).stderr(contains("comes from two columns"));
    assert!(!dir.path().join("o.csv").exists());
}

#[test]
fn a_reference_year_beyond_i32_is_an_error() {
    let dir = fixture(&[]);
    compute(
        dir.path(),
        SMALL_TOML,
        SMALL_DATA,
        &[
            "--set",
            "defaults.normalise.bounds=reference",
            "--set",
            "defaults.normalise.reference_year=4294969316",
        ],
    )
    .code(1)
    .stderr(contains("reference_year 4294969316 is not a year"));
}

/// Found by the `coinr` fuzz target: a control character in iMeta's Level went into a TOML
/// comment, and the methodology written was invalid TOML. Now the written file validates.
#[test]
fn import_coinr_writes_valid_toml_whatever_the_level_and_path_hold() {
    let idata = "uCode,uName,Time,a1\nXAA,A,2024,1\nXAB,B,2024,2\n";
    let imeta = "iCode,iName,Level,Parent,Direction,Weight,Type\n\
                 a1,First,1\u{1c}\u{7f}\"x,I,1,1,Indicator\nI,Index,2,,,1,Aggregate\n";
    let dir = fixture(&[("i.csv", idata), ("m\u{1b}.csv", imeta)]);
    gti()
        .current_dir(dir.path())
        .args(["import", "coinr", "--idata", "i.csv", "--imeta", "m\u{1b}.csv", "-o", "o"])
        .assert()
        .success();
    gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "o/methodology.toml", "-d", "o"])
        .assert()
        .success();
}
