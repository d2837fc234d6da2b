//! Bad input never loses data: each malformed input gives exit 1 (2 for usage errors), a
//! message naming the file and line, no panic, and leaves an existing output folder as it was.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti};
use std::path::Path;

/// Runs compute over `data` (files written into data/) into an output folder that already
/// holds a previous result, and checks the failure and that the folder is untouched.
fn fails(data: &[(&str, &[u8])], code: i32, expect: &[&str]) -> String {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("out/scores.csv", "previous\n")]);
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    for (name, bytes) in data {
        std::fs::write(dir.path().join("data").join(name), bytes).unwrap();
    }
    let assert = gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(code);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expect {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    untouched(&dir.path().join("out"));
    stderr
}

fn untouched(out: &Path) {
    let names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["scores.csv"], "the output folder changed");
    assert_eq!(std::fs::read_to_string(out.join("scores.csv")).unwrap(), "previous\n");
}

fn with_line(bad: &str) -> String {
    // The bad row replaces the data's 4th line.
    let mut lines: Vec<&str> = SMALL_DATA.lines().collect();
    lines[3] = bad;
    lines.join("\n") + "\n"
}

#[test]
fn non_numeric_value() {
    let data = with_line("XAC,2024,a1,three");
    fails(&[("v.csv", data.as_bytes())], 1, &["v.csv:4:4", "'three' is not a number"]);
}

#[test]
fn decimal_comma_gets_a_hint() {
    let data = with_line("XAC,2024,a1,\"3,5\"");
    fails(&[("v.csv", data.as_bytes())], 1, &["v.csv:4:4", "decimal mark"]);
}

#[test]
fn infinity_and_nan_are_refused() {
    fails(&[("v.csv", with_line("XAC,2024,a1,inf").as_bytes())], 1, &["v.csv:4:4", "not a finite number"]);
    fails(
        &[("v.csv", with_line("XAC,2024,a1,NaN").as_bytes())],
        1,
        &["v.csv:4:4", "not a finite number", "NA"],
    );
}

#[test]
fn wrong_delimiter() {
    let data = SMALL_DATA.replace(',', ";");
    fails(&[("v.csv", data.as_bytes())], 1, &["v.csv:1:1", "semicolon"]);
}

#[test]
fn non_utf8_bytes() {
    let mut data = with_line("XAC,2024,a1,3").into_bytes();
    let at = data.windows(3).position(|w| w == b"XAC").unwrap();
    data[at + 1] = 0xE9; // Latin-1 é
    fails(&[("v.csv", &data)], 1, &["v.csv:4:1", "not valid UTF-8", "iconv"]);
}

#[test]
fn empty_file_and_header_only() {
    fails(&[("v.csv", b"")], 1, &["v.csv", "the file is empty"]);
    fails(&[("v.csv", b"unit,year,indicator,value\n")], 1, &["v.csv:1", "no rows"]);
}

#[test]
fn repeated_point_across_files_names_both_lines() {
    let second = "unit,year,indicator,value\nXAB,2024,a1,7\n";
    fails(
        &[("a.csv", SMALL_DATA.as_bytes()), ("b.csv", second.as_bytes())],
        1,
        &["b.csv:2", "a.csv:3", "repeated value"],
    );
}

#[test]
fn every_repeat_names_the_first_line_of_its_cell_even_a_missing_one() {
    let data = "unit,year,indicator,value\nXAA,2024,a1,NA\nXAB,2024,a1,1\nXAA,2024,a1,2\nXAB,2024,a1,3\nXAA,2024,a1,\n";
    let stderr = fails(&[("v.csv", data.as_bytes())], 1, &["repeated value"]);
    for (at, first) in [(4, 2), (5, 3), (6, 2)] {
        let line = stderr.lines().find(|l| l.contains(&format!("v.csv:{at}: repeated")));
        let line = line.unwrap_or_else(|| panic!("no message for line {at}:\n{stderr}"));
        assert!(line.ends_with(&format!("v.csv:{first})")), "{line}");
    }
}

#[test]
fn ragged_line() {
    fails(&[("v.csv", with_line("XAC,2024,a1").as_bytes())], 1, &["v.csv:4", "3 fields, the header has 4"]);
}

#[test]
fn bad_year_and_empty_codes() {
    fails(&[("v.csv", with_line("XAC,twenty,a1,3").as_bytes())], 1, &["v.csv:4:2", "year 'twenty'"]);
    fails(&[("v.csv", with_line(",2024,a1,3").as_bytes())], 1, &["v.csv:4:1", "unit code is empty"]);
}

#[test]
fn unrecognised_header_and_expert_responses() {
    fails(&[("v.csv", b"country,value\nXAA,1\n")], 1, &["v.csv:1:1", "unrecognised header"]);
    // Expert responses are read (tests/expert.rs); here a1 is a statistical indicator.
    let expert = b"unit,year,respondent,item,response\nXAA,2024,r1,a1,yes\n";
    fails(&[("v.csv", expert)], 1, &["v.csv:2:5", "item 'a1' is a statistical indicator"]);
    let no_item = b"unit,year,respondent,response\nXAA,2024,r1,yes\n";
    fails(&[("v.csv", no_item)], 1, &["v.csv:1:1", "needs the column(s) item"]);
}

#[test]
fn log_of_a_negative_value_names_unit_year_indicator() {
    let dir = fixture(&[
        (
            "m.toml",
            &SMALL_TOML.replace("[indicator.b1]\n", "[indicator.b1]\ntransform = { method = \"log\" }\n"),
        ),
        ("d.csv", &SMALL_DATA.replace("XAB,2024,b1,5.5", "XAB,2024,b1,-5.5")),
    ]);
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(1)
        .stderr(
            predicates::str::contains("unit XAB, year 2024, b1")
                .and(predicates::str::contains("log of -5.5")),
        );
    assert!(!dir.path().join("out").exists(), "nothing is written on failure");
}

#[test]
fn unused_codes_are_reported_not_fatal() {
    let data = format!("{SMALL_DATA}XAA,2024,zz_unknown,1\n");
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", &data)]);
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("1 row(s) for 'zz_unknown' ("), "{manifest}");
    assert!(manifest.contains("d.csv:11:3), which the methodology does not use\""), "{manifest}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA), ("file", "x")]);
    let m = dir.path().join("m.toml");
    gti()
        .arg("compute")
        .arg("-m")
        .arg(&m)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("-m given without -d"));
    gti().args(["compute", "--set", "novalue"]).assert().code(2);
    gti().args(["compute", "--format", "xml"]).assert().code(2);
    gti()
        .arg("compute")
        .arg("-m")
        .arg(&m)
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .arg("-o")
        .arg(dir.path().join("file"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a file, not a folder"));
}

#[test]
fn missing_input_names_the_path() {
    let dir = fixture(&[("m.toml", SMALL_TOML)]);
    gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("nope.csv"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("nope.csv"));
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn misspelt_denominator_and_group_column_are_errors() {
    let check = |replacement: &str, expect: &str| {
        let toml = SMALL_TOML.replace("[indicator.b1]\n", &format!("[indicator.b1]\n{replacement}\n"));
        let dir = fixture(&[("m.toml", &toml), ("d.csv", SMALL_DATA)]);
        gti()
            .arg("validate")
            .arg("-m")
            .arg(dir.path().join("m.toml"))
            .arg("-d")
            .arg(dir.path().join("d.csv"))
            .assert()
            .code(1)
            .stderr(predicates::str::contains(expect));
    };
    check("transform = { denominator = \"popultion\" }", "denominator 'popultion' is in no input file");
    check(
        "impute = { method = \"group_mean\", group = \"regoin\" }",
        "group column 'regoin' is not in a units file",
    );
}

#[test]
fn units_with_only_denominator_data_get_no_rows() {
    let toml =
        SMALL_TOML.replace("[indicator.b1]\n", "[indicator.b1]\ntransform = { denominator = \"pop\" }\n");
    let data = format!("{SMALL_DATA}XAA,2024,pop,1\nXAB,2024,pop,2\nXAC,2024,pop,4\nXZZ,2024,pop,8\n");
    let dir = fixture(&[("m.toml", &toml), ("d.csv", &data)]);
    let out = gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .args(["-o", "-"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(!text.contains("XZZ"), "{text}");
    // b1 / pop: 5, 2.75, 1.5 → min-max: XAA 100, XAC 0.
    assert!(text.contains("XAA,2024,b1,1,100,1"), "{text}");
}

/// Indicator codes are case-sensitive: a wide header with `a` and `A` (both declared) reads
/// as two indicators, as the same data in long form do. Only gti's own column names (`unit`,
/// `year`, …) are matched in any case, so `Unit` beside `unit` is still a repeated column.
#[test]
fn wide_columns_that_differ_only_by_case_are_two_indicators() {
    let toml = "schema = 1\n[index]\ncode = \"I\"\nname = \"I\"\nversion = \"1\"\n[node.I]\n\
                [indicator.a]\nparent = \"I\"\n[indicator.A]\nparent = \"I\"\n";
    let wide = "unit,year,a,A\nXAA,2024,1,30\nXAB,2024,2,20\nXAC,2024,3,10\n";
    let long = "unit,year,indicator,value\nXAA,2024,a,1\nXAB,2024,a,2\nXAC,2024,a,3\n\
                XAA,2024,A,30\nXAB,2024,A,20\nXAC,2024,A,10\n";
    let dir = fixture(&[("m.toml", toml), ("wide/d.csv", wide), ("long/d.csv", long)]);
    for form in ["wide", "long"] {
        gti()
            .current_dir(dir.path())
            .args(["compute", "-m", "m.toml", "-d", form, "-o", &format!("out-{form}")])
            .assert()
            .success();
    }
    let read =
        |form: &str| std::fs::read_to_string(dir.path().join(format!("out-{form}/scores.csv"))).unwrap();
    assert_eq!(read("wide"), read("long"));
    let rows = crate::util::scores(&dir.path().join("out-wide/scores.csv"));
    let score = |code: &str| rows[&("XAA".into(), "2024".into(), code.into())]["score"].clone();
    assert_eq!((score("a"), score("A")), ("0".to_string(), "100".to_string()));
    let repeated = "unit,year,Unit,a\nXAA,2024,XAA,1\n";
    fails(
        &[("d.csv", repeated.as_bytes())],
        1,
        &["d.csv:1:3: column 'Unit' appears twice in the header (first as 'unit' in column 1)"],
    );
    fails(
        &[("d.csv", b"unit,year,a1,a1\nXAA,2024,1,2\n")],
        1,
        &["d.csv:1:4: column 'a1' appears twice in the header (first in column 3)"],
    );
}

/// A misspelt code in the data (`press_freedon` for the declared `press_freedom`) used to
/// pass `validate`; compute then dropped the indicator and renormalised, and ranks changed.
/// Now a declared indicator with no data is an error at its declaration, naming the near
/// miss and where it is written.
#[test]
fn a_misspelt_indicator_code_in_the_data_is_an_error_with_the_near_miss() {
    let toml = SMALL_TOML.replace("b1", "press_freedom");
    let wide = "unit,year,a1,a2,press_freedon\nXAA,2024,1,10,5\nXAB,2024,2,20,5.5\nXAC,2024,3,40,6\n";
    let long = SMALL_DATA.replace(",b1,", ",B1,");
    let dir =
        fixture(&[("m.toml", &toml), ("small.toml", SMALL_TOML), ("wide.csv", wide), ("long.csv", &long)]);
    let validate = |data: &str, m: &str| {
        gti().current_dir(dir.path()).args(["validate", "-m", m, "-d", data]).assert().code(1)
    };
    let out = validate("wide.csv", "m.toml");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    for expect in [
        "m.toml:24:1: indicator 'press_freedom' has no data: the 1 input file(s) hold no column or row for it",
        "the data have 'press_freedon' (wide.csv:1:5), which the methodology does not declare: did you mean `press_freedom`?",
        "set `allow_empty = true` in [indicator.press_freedom]",
    ] {
        assert!(stderr.contains(expect), "expected {expect:?} in:\n{stderr}");
    }
    assert_eq!(stderr.matches("error:").count(), 1, "one error, no knock-on ones:\n{stderr}");
    // Long form: the code's own cell; a case-only difference is always a near miss.
    validate("long.csv", "small.toml").stderr(predicates::str::contains(
        "the data have 'B1' (long.csv:8:3), which the methodology does not declare: did you mean `b1`?",
    ));
    // compute refuses too, and leaves the output folder as it was; without a near miss, the
    // hint says how to give the data.
    let no_b = "unit,year,a1,a2\nXAA,2024,1,10\nXAB,2024,2,20\nXAC,2024,3,40\n";
    fails(
        &[("v.csv", no_b.as_bytes())],
        1,
        &["m.toml:24:1: indicator 'b1' has no data", "give its data with -d"],
    );
}

/// The opt-out: `allow_empty = true` (in the file or with --set) computes without the
/// indicator and says so in the run log; a column whose values are all missing is data, and
/// only a warning.
#[test]
fn an_indicator_allowed_to_be_empty_is_a_warning_and_undeclared_codes_name_their_near_miss() {
    let no_b = "unit,year,a1,a2,A2\nXAA,2024,1,10,1\nXAB,2024,2,20,2\nXAC,2024,3,40,3\n";
    let allowed = SMALL_TOML
        .replace("[indicator.b1]\nparent = \"B\"", "[indicator.b1]\nparent = \"B\"\nallow_empty = true");
    let dir = fixture(&[("m.toml", SMALL_TOML), ("allowed.toml", &allowed), ("d.csv", no_b)]);
    let validate = |m: &str, set: &[&str]| {
        gti().current_dir(dir.path()).args(["validate", "-m", m, "-d", "d.csv"]).args(set).assert()
    };
    let out = validate("allowed.toml", &[]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("indicator 'b1' has no value in any input"), "{stdout}");
    // A2 is data for nothing: reported where it is written, with the declared code it nearly is.
    assert!(
        stdout.contains(
            "3 row(s) for 'A2' (d.csv:1:5), which the methodology does not use: did you mean 'a2'?"
        ),
        "{stdout}"
    );
    validate("m.toml", &["--set", "indicator.b1.allow_empty=true"]).success();
    let all_na = "unit,year,a1,a2,b1\nXAA,2024,1,10,NA\nXAB,2024,2,20,\nXAC,2024,3,40,NA\n";
    std::fs::write(dir.path().join("d.csv"), all_na).unwrap();
    validate("m.toml", &[])
        .success()
        .stdout(predicates::str::contains("indicator 'b1' has no value in any input"));
}
