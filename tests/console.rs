//! What the console says about the run log: counts of warnings and notes, warnings first,
//! at most ten lines and how many more are in the manifest; routine counts (points imputed,
//! screened) as notes; and a units file whose `Region` is not `region`.

use crate::util::{SMALL_TOML, fixture, gti};
use predicates::str::contains;

/// Twenty units over 2 years: a1 missing for XA0…XA9 (imputed by the mean: a note per
/// year), b1 missing for XB0…XB9 and not imputed (B, of b1 alone, is missing for them: a
/// warning per year), and five undeclared codes (a warning each).
fn data() -> String {
    let mut s = String::from("unit,year,a1,a2,b1,x1,x2,x3,x4,x5\n");
    for year in [2023, 2024] {
        for i in 0..10 {
            s.push_str(&format!("XA{i},{year},,{},{},1,1,1,1,1\n", 10 + i, 5 + i));
            s.push_str(&format!("XB{i},{year},{},{},,1,1,1,1,1\n", i, 20 + i));
        }
    }
    s
}

#[test]
fn compute_lists_warnings_first_then_notes() {
    let toml = SMALL_TOML.replace("[indicator.a1]\n", "[indicator.a1]\nimpute = { method = \"mean\" }\n");
    let dir = fixture(&[("m.toml", &toml), ("d.csv", &data())]);
    let out = gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", "d.csv", "-o", "out"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let log: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("wrote ")).collect();
    let b_missing = |y: i32| {
        format!(
            "  warning: aggregate: 'B' missing in {y} for XB0, XB1, XB2, XB3, XB4, XB5, XB6, XB7, XB8, XB9: too little of its weight present"
        )
    };
    let mut expected = vec!["7 warning(s) and 2 note(s) in the run log (manifest.json):".to_string()];
    for (i, col) in (1..=5).zip(6..) {
        expected.push(format!(
            "  warning: ingest: 40 row(s) for 'x{i}' (d.csv:1:{col}), which the methodology does not use"
        ));
    }
    expected.extend([b_missing(2023), b_missing(2024)]);
    expected.push("  note: impute: 10 value(s) of 'a1' in 2023 filled by mean".into());
    expected.push("  note: impute: 10 value(s) of 'a1' in 2024 filled by mean".into());
    assert_eq!(log, expected, "{stderr}");
    // The manifest keeps every finding, in log order (the notes before the aggregate's).
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap())
            .unwrap();
    let all: Vec<&str> =
        manifest["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(all.len(), 9);
    assert!(all[5].starts_with("impute: 10 value(s) of 'a1' in 2023"), "{all:?}");
    // validate prints them all, labelled the same way.
    gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "m.toml", "-d", "d.csv"])
        .assert()
        .success()
        .stdout(
            contains("\nnote: impute: 10 value(s) of 'a1' in 2024").and(contains("warning: impute").not()),
        );
}

#[test]
fn more_than_ten_findings_end_with_how_many_more() {
    // Fifteen undeclared codes: fifteen warnings.
    let mut data = crate::util::SMALL_DATA.to_string();
    for i in 0..15 {
        data.push_str(&format!("XAA,2024,extra{i:02},1\n"));
    }
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", &data)]);
    gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", "d.csv", "-o", "out", "--format", "json"])
        .assert()
        .success()
        .stderr(
            contains("15 warning(s) and 0 note(s) in the run log (results.json):")
                .and(contains("  warning: ingest: 1 row(s) for 'extra09'"))
                .and(contains("extra10").not())
                .and(contains("  … and 5 more (all in results.json)")),
        );
}

#[test]
fn a_units_file_with_region_in_another_case_is_named_with_its_columns() {
    let units = "unit,name,Region\nXAA,Aa,North\nXAB,Ab,North\nXAC,Ac,South\n";
    let grouped = SMALL_TOML.replace(
        "[indicator.b1]\n",
        "[indicator.b1]\nimpute = { method = \"group_mean\", group = \"region\" }\n",
    );
    let dir = fixture(&[
        ("m.toml", SMALL_TOML),
        ("g.toml", &grouped),
        ("d.csv", crate::util::SMALL_DATA),
        ("units.csv", units),
    ]);
    let run = |cmd: &str, m: &str| {
        gti().current_dir(dir.path()).args([cmd, "-m", m, "-d", "d.csv", "-d", "units.csv"]).assert()
    };
    // Group imputation refuses, listing the columns found and the near miss.
    run("validate", "g.toml").code(1).stderr(
        contains("g.toml:24:1: indicator.b1.impute: group column 'region' is not in a units file")
            .and(contains("hint: units.csv has the group column(s) Region (did you mean `Region`?)")),
    );
    // Regional means are not silently skipped.
    run("validate", "m.toml").success().stdout(contains(
        "warning: ingest: units.csv has a column 'Region' but none named 'region' (column names are case-sensitive): no regional means are computed",
    ));
}

use predicates::prelude::PredicateBooleanExt;
