//! Declared ingest conventions (issue 17): a publisher's missing-value tokens, a delimiter
//! and a decimal comma, from the command line or the methodology's `[input]`; lines above a
//! table and notes below it on `import columns`. Undeclared, each stays a located error whose
//! hint names the option that would read the file.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti, read_csv};
use predicates::str::contains;
use std::path::Path;

/// SMALL_DATA with its 4th line (XAC's a1) replaced.
fn with_line(bad: &str) -> String {
    let mut lines: Vec<&str> = SMALL_DATA.lines().collect();
    lines[3] = bad;
    lines.join("\n") + "\n"
}

fn compute(dir: &Path, m: &str, data: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    gti()
        .current_dir(dir)
        .args(["compute", "-m", m, "-d", data, "-o", "out", "--dataset", "Raw"])
        .args(extra)
        .assert()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/manifest.json")).unwrap()).unwrap()
}

fn raw(dir: &Path, unit: &str, code: &str) -> String {
    let rows = read_csv(&dir.join("out/Raw.csv"));
    rows.iter().find(|r| r["unit"] == unit && r["code"] == code).map(|r| r["value"].clone()).unwrap()
}

#[test]
fn a_publishers_missing_token_is_an_error_until_declared() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("v.csv", &with_line("XAC,2024,a1,.."))]);
    compute(dir.path(), "m.toml", "v.csv", &[])
        .code(1)
        .stderr(contains("v.csv:4:4: '..' is not a number"))
        .stderr(contains(
            "if '..' means missing, pass --na .. (or list it in na of the methodology's [input])",
        ));
    compute(dir.path(), "m.toml", "v.csv", &["--na", ".."]).success();
    assert_eq!(raw(dir.path(), "XAC", "a1"), "");
    // Recorded as the override that reads the data alike.
    let o = &manifest(dir.path())["overrides"];
    assert_eq!(o[0]["path"], "input.na");
    assert_eq!(o[0]["value"], r#"[".."]"#);
    // Declared in the methodology instead.
    let declared = format!("{SMALL_TOML}\n[input]\nna = [\"..\"]\n");
    std::fs::write(dir.path().join("declared.toml"), declared).unwrap();
    compute(dir.path(), "declared.toml", "v.csv", &[]).success();
    assert_eq!(manifest(dir.path())["overrides"], serde_json::json!([]));
}

#[test]
fn the_command_lines_tokens_add_to_the_methodologys() {
    let data = with_line("XAC,2024,a1,..").replace("XAA,2024,b1,5", "XAA,2024,b1,n/a");
    let toml = format!("{SMALL_TOML}\n[input]\nna = [\"n/a\"]\n");
    let dir = fixture(&[("m.toml", &toml), ("v.csv", &data)]);
    compute(dir.path(), "m.toml", "v.csv", &[]).code(1).stderr(contains("v.csv:4:4: '..' is not a number"));
    compute(dir.path(), "m.toml", "v.csv", &["--na", "..", "--na=-"]).success();
    assert_eq!(manifest(dir.path())["overrides"][0]["value"], r#"["n/a", "..", "-"]"#);
    assert_eq!((raw(dir.path(), "XAC", "a1"), raw(dir.path(), "XAA", "b1")), (String::new(), String::new()));
}

#[test]
fn semicolons_and_a_decimal_comma_read_as_declared() {
    let semi = SMALL_DATA.replace(',', ";").replace("5.5", "5,5");
    let dir = fixture(&[("m.toml", SMALL_TOML), ("v.csv", &semi), ("c.csv", SMALL_DATA)]);
    compute(dir.path(), "m.toml", "v.csv", &[])
        .code(1)
        .stderr(contains("v.csv:1:1: the header is one column holding semicolons (read with ',')"))
        .stderr(contains("pass --delimiter ';' (or delimiter = \";\" in the methodology's [input])"));
    compute(dir.path(), "m.toml", "v.csv", &["--delimiter", ";"])
        .code(1)
        .stderr(contains("v.csv:9:4: '5,5' is not a number"))
        .stderr(contains("pass --decimal-comma"));
    compute(dir.path(), "m.toml", "c.csv", &[]).success();
    let expected = std::fs::read(dir.path().join("out/scores.csv")).unwrap();
    compute(dir.path(), "m.toml", "v.csv", &["--delimiter", ";", "--decimal-comma"]).success();
    assert!(std::fs::read(dir.path().join("out/scores.csv")).unwrap() == expected);
    let o = &manifest(dir.path())["overrides"];
    assert_eq!(
        (o[0]["path"].as_str(), o[1]["path"].as_str()),
        (Some("input.delimiter"), Some("input.decimal_comma"))
    );
    // The same from [input]; a '.' in a number under a decimal comma is refused.
    let toml = format!("{SMALL_TOML}\n[input]\ndelimiter = \";\"\ndecimal_comma = true\n");
    std::fs::write(dir.path().join("semi.toml"), toml).unwrap();
    compute(dir.path(), "semi.toml", "v.csv", &[]).success();
    assert!(std::fs::read(dir.path().join("out/scores.csv")).unwrap() == expected);
    std::fs::write(dir.path().join("dot.csv"), SMALL_DATA.replace(',', ";")).unwrap();
    compute(dir.path(), "semi.toml", "dot.csv", &[])
        .code(1)
        .stderr(contains("dot.csv:9:4: '5.5' is not a number"))
        .stderr(contains("with the declared decimal comma, a number has one ',' and no '.'"));
}

#[test]
fn a_bad_input_table_is_located() {
    let bad = format!("{SMALL_TOML}\n[input]\ndelimiter = \"ab\"\nna = [\"NA\"]\n");
    let dir = fixture(&[("m.toml", &bad), ("v.csv", SMALL_DATA)]);
    // The lines of `delimiter` and `na`, after SMALL_TOML, a blank line and `[input]`.
    let line = SMALL_TOML.lines().count() + 3;
    gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "m.toml", "-d", "v.csv"])
        .assert()
        .code(1)
        .stderr(contains(format!("m.toml:{line}:13: input.delimiter: 'ab' is not a delimiter gti reads")))
        .stderr(contains(format!("m.toml:{}:7: input.na: 'NA' is missing already", line + 1)));
    std::fs::write(dir.path().join("m.toml"), SMALL_TOML).unwrap();
    gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "m.toml", "-d", "v.csv", "--set", "input.delimeter=;"])
        .assert()
        .code(1)
        .stderr(contains("unknown key `delimeter` in [input] (did you mean `delimiter`?)"));
    gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "m.toml", "-d", "v.csv", "--delimiter", "ab"])
        .assert()
        .code(2)
        .stderr(contains("'ab' is not a delimiter gti reads"));
}

#[test]
fn init_writes_the_declared_conventions_into_input() {
    let semi = with_line("XAC;2024;a1;..").replace(',', ";");
    let dir = fixture(&[("v.csv", &semi)]);
    gti()
        .current_dir(dir.path())
        .args(["init", "-d", "v.csv", "--na", "..", "--delimiter", ";", "-o", "m.toml"])
        .assert()
        .success();
    let m: toml::Table = std::fs::read_to_string(dir.path().join("m.toml")).unwrap().parse().unwrap();
    assert_eq!(m["input"]["na"].as_array().unwrap()[0].as_str(), Some(".."));
    assert_eq!(m["input"]["delimiter"].as_str(), Some(";"));
    gti().current_dir(dir.path()).args(["validate", "-m", "m.toml", "-d", "v.csv"]).assert().success();
}

#[test]
fn a_candidate_that_reads_the_data_otherwise_is_refused() {
    let cand = format!("{SMALL_TOML}\n[input]\nna = [\"..\"]\n");
    let dir = fixture(&[("m.toml", SMALL_TOML), ("c.toml", &cand), ("v.csv", SMALL_DATA)]);
    gti()
        .current_dir(dir.path())
        .args(["compare", "-m", "m.toml", "--candidate", "c.toml", "-d", "v.csv", "-o", "cmp"])
        .assert()
        .code(2)
        .stderr(contains("c.toml declares another [input] than m.toml"));
}

fn import(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    gti()
        .current_dir(dir)
        .args(["import", "columns", "--input", "t.csv", "--unit", "iso3", "--pattern", "{indicator}_{year}"])
        .args(["-o", "long.csv"])
        .args(extra)
        .assert()
}

const TABLE: &str = "iso3,hdi_2021,hdi_2022\nXAA,0.5,0.6\nXAB,..,0.7\n";

#[test]
fn import_columns_skips_the_declared_lines_above_the_header() {
    let preamble = "\"Data Source\",\"Example\"\n\n\"Last Updated\",\"2026-01-01\"\n\n";
    let dir = fixture(&[("t.csv", &format!("{preamble}{}", TABLE.replace("..", "x")))]);
    import(dir.path(), &[])
        .code(1)
        .stderr(contains("t.csv:1: no column 'iso3' on line 1 of the table"))
        .stderr(contains("the header seems to be on line 5: pass --skip-rows 4"));
    // Lines keep their numbers in the file.
    import(dir.path(), &["--skip-rows", "4"])
        .code(1)
        .stderr(contains("t.csv:7:2: hdi_2021: 'x' is not a number"));
    std::fs::write(dir.path().join("t.csv"), format!("{preamble}{TABLE}")).unwrap();
    import(dir.path(), &["--skip-rows", "4", "--na", ".."]).success();
    let long = std::fs::read_to_string(dir.path().join("long.csv")).unwrap();
    assert_eq!(
        long,
        "unit,year,indicator,value\nXAA,2021,hdi,0.5\nXAB,2021,hdi,\nXAA,2022,hdi,0.6\nXAB,2022,hdi,0.7\n"
    );
    import(dir.path(), &["--skip-rows", "9"])
        .code(1)
        .stderr(contains("--skip-rows 9 skips every line of the file"));
}

#[test]
fn import_columns_drops_the_notes_below_the_table_only_when_declared() {
    let notes = format!("{TABLE}\n\"Source: Example, 2026\"\n\"a. Estimate\"\n,,\n");
    let dir = fixture(&[("t.csv", &notes)]);
    import(dir.path(), &["--na", ".."])
        .code(1)
        .stderr(contains("t.csv:5: lines 5–7 below the table look like notes (blank, or one cell each): 'Source: Example, 2026'"))
        .stderr(contains("pass --footer to drop them"));
    import(dir.path(), &["--na", "..", "--footer"])
        .success()
        .stderr(contains("t.csv: lines 5–7 dropped as the table's footer"));
    let long = std::fs::read_to_string(dir.path().join("long.csv")).unwrap();
    assert_eq!(long.lines().count(), 5);
    // A unit without values at the end of the table is data, not a footer.
    let dir = fixture(&[("t.csv", &format!("{TABLE}XAC,,\n"))]);
    import(dir.path(), &["--na", ".."]).success();
}

#[test]
fn import_columns_reads_a_declared_delimiter_and_decimal_comma() {
    let semi = "iso3;hdi_2021;hdi_2022\nXAA;0,5;0,6\nXAB;:;0,7\n";
    let dir = fixture(&[("t.csv", semi)]);
    import(dir.path(), &[])
        .code(1)
        .stderr(contains("t.csv:1:1: the header is one column"))
        .stderr(contains("--delimiter ';'"));
    import(dir.path(), &["--delimiter", ";"])
        .code(1)
        .stderr(contains("'0,5' is not a number"))
        .stderr(contains("--decimal-comma"));
    import(dir.path(), &["--delimiter", ";", "--decimal-comma"]).code(1).stderr(contains("pass --na :"));
    import(dir.path(), &["--delimiter", ";", "--decimal-comma", "--na", ":"]).success();
    let long = std::fs::read_to_string(dir.path().join("long.csv")).unwrap();
    assert!(long.contains("XAA,2021,hdi,0.5\n") && long.contains("XAB,2021,hdi,\n"), "{long}");
}
