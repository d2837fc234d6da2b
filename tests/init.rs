//! `gti init`: the starter methodology validates and computes on the data it was written
//! from (UNDP's HDR indicators, the embedded example), quotes awkward codes and file names,
//! and refuses an existing file, data without indicators, an empty file and codes the
//! methodology format cannot hold, without writing anything.

use crate::util::{fixture, gti, read_csv, repo, vendored};
use std::collections::BTreeSet;
use std::path::Path;

/// The methodology as a TOML table (parsed by the toml crate, not by gti).
fn toml_of(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

fn indicator_codes(m: &toml::Table) -> Vec<String> {
    m["indicator"].as_table().unwrap().keys().cloned().collect()
}

/// validate and compute both succeed on `m` with `data`, run from `dir`.
fn validates_and_computes(dir: &Path, m: &str, data: &[&str]) {
    let d: Vec<&str> = data.iter().flat_map(|d| ["-d", *d]).collect();
    gti().current_dir(dir).args(["validate", "-m", m]).args(&d).assert().success();
    gti().current_dir(dir).args(["compute", "-q", "-m", m, "-o", "out"]).args(&d).assert().success();
    assert!(!read_csv(&dir.join("out/scores.csv")).is_empty());
}

#[test]
fn on_undp_hdr_indicators_the_starter_validates_and_computes() {
    let dir = tempfile::tempdir().unwrap();
    let hdr = vendored("undp-hdr").join("HDR23-24_hdi_components.csv");
    gti()
        .current_dir(dir.path())
        .args(["import", "columns", "--input"])
        .arg(&hdr)
        .args(["--unit", "iso3", "--pattern", "{indicator}_{year}", "--indicators", "le,eys,mys,gnipc"])
        .args(["--encoding", "latin1", "-o", "hdr.csv"])
        .assert()
        .success();
    let out = gti().current_dir(dir.path()).args(["init", "-d", "hdr.csv"]).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    // The default output, and the choices left to the user, printed.
    let m = toml_of(&dir.path().join("methodology.toml"));
    let mut codes = indicator_codes(&m);
    codes.sort();
    assert_eq!(codes, ["eys", "gnipc", "le", "mys"]);
    for (_, t) in m["indicator"].as_table().unwrap() {
        assert_eq!(t["weight"].as_integer(), Some(1));
        assert_eq!(t["direction"].as_integer(), Some(1));
        assert_eq!(t["parent"].as_str(), Some("P1"));
    }
    assert_eq!(m["node"]["P1"]["parent"].as_str(), Some("INDEX"));
    assert_eq!(m["index"]["code"].as_str(), Some("INDEX"));
    assert_eq!(m["changelog"].as_array().unwrap().len(), 1);
    for stage in ["transform", "impute", "treat", "normalise", "aggregate", "missing"] {
        assert!(m["defaults"].get(stage).is_some(), "[defaults] spells out {stage}");
    }
    for choice in ["direction", "pillar", "weights", "normalisation", "bands", "no units file"] {
        assert!(err.contains(choice), "the console names '{choice}':\n{err}");
    }
    let text = std::fs::read_to_string(dir.path().join("methodology.toml")).unwrap();
    assert!(text.matches("TODO").count() >= 4 * 3, "TODO comments in the file:\n{text}");
    validates_and_computes(dir.path(), "methodology.toml", &["hdr.csv"]);
}

#[test]
fn on_the_embedded_examples_statistical_file_the_starter_validates_and_computes() {
    let dir = tempfile::tempdir().unwrap();
    let stats = repo().join("indicators/statistical.csv");
    let units = repo().join("indicators/units.csv");
    let (s, u) = (stats.to_str().unwrap(), units.to_str().unwrap());
    gti().current_dir(dir.path()).args(["init", "-d", s, "-d", u, "-o", "gti.toml"]).assert().success();
    // One indicator per code of the file, in the order first met.
    let mut expected: Vec<String> = Vec::new();
    for r in read_csv(&stats) {
        if !expected.contains(&r["indicator"]) {
            expected.push(r["indicator"].clone());
        }
    }
    let m = toml_of(&dir.path().join("gti.toml"));
    let mut got = indicator_codes(&m);
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    validates_and_computes(dir.path(), "gti.toml", &[s, u]);
}

#[test]
fn expert_items_become_expert_indicators_and_their_codes_are_declared() {
    let dir = tempfile::tempdir().unwrap();
    let ex = repo().join("indicators");
    let ex = ex.to_str().unwrap();
    let out = gti().current_dir(dir.path()).args(["init", "-d", ex, "-o", "m.toml"]).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let m = toml_of(&dir.path().join("m.toml"));
    assert_eq!(m["indicator"]["P1_npm"]["source"].as_str(), Some("expert"));
    assert!(m["indicator"]["P1_ratification"].get("source").is_none());
    let codes = m["expert"]["codes"].as_table().unwrap();
    assert_eq!(codes["don't know"].as_str(), Some("missing"));
    assert!(err.contains("count as missing until you give each a number"), "{err}");
    validates_and_computes(dir.path(), "m.toml", &[ex]);
}

#[test]
fn awkward_codes_and_file_names_are_quoted_and_the_starter_still_validates() {
    // Codes the format allows but TOML must quote (é_taux), that look like other TOML values
    // (true, inf, 2020-rate), that differ only by case (a, A), and that take the names init
    // would give the index and the pillar; a file name with a quote, a hash and a newline.
    let data = "unit,year,indicator,value\n\
        XAA,2020,é_taux,1\nXAB,2020,é_taux,2\n\
        XAA,2020,true,3\nXAB,2020,true,1\n\
        XAA,2020,inf,3\nXAB,2020,inf,4\n\
        XAA,2020,2020-rate,5\nXAB,2020,2020-rate,6\n\
        XAA,2020,a,1\nXAB,2020,a,2\nXAA,2020,A,2\nXAB,2020,A,1\n\
        XAA,2020,INDEX,1\nXAB,2020,INDEX,3\nXAA,2020,P1,7\nXAB,2020,P1,8\n";
    let name = "we\"ird #1\n[index].csv";
    let units = "unit,name,region\nXAA,\"Aldoria, \"\"the\"\" Land\",North\nXAB,Brevania,South\n";
    let dir = fixture(&[(name, data), ("units.csv", units)]);
    gti().current_dir(dir.path()).args(["init", "-d", name, "-d", "units.csv"]).assert().success();
    let m = toml_of(&dir.path().join("methodology.toml"));
    let codes: BTreeSet<String> = indicator_codes(&m).into_iter().collect();
    let expected: BTreeSet<String> =
        ["é_taux", "true", "inf", "2020-rate", "a", "A", "INDEX", "P1"].map(String::from).into();
    assert_eq!(codes, expected);
    // The index and the pillar take fresh codes.
    assert_eq!(m["index"]["code"].as_str(), Some("INDEX_2"));
    assert_eq!(m["indicator"]["INDEX"]["parent"].as_str(), Some("P1_2"));
    assert_eq!(m["node"]["P1_2"]["parent"].as_str(), Some("INDEX_2"));
    let summary = m["changelog"][0]["summary"].as_str().unwrap();
    assert!(summary.contains(name), "{summary}");
    validates_and_computes(dir.path(), "methodology.toml", &[name, "units.csv"]);
}

/// `gti init` fails with `code`, stderr holding `message`, and writes no file.
fn refused(files: &[(&str, &str)], args: &[&str], code: i32, message: &str) {
    let dir = fixture(files);
    let before: BTreeSet<_> =
        std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    let out = gti().current_dir(dir.path()).arg("init").args(args).assert().code(code);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains(message), "expected '{message}' in:\n{err}");
    let after: BTreeSet<_> =
        std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(before, after, "nothing written");
}

const DATA: &str = "unit,year,x\nXAA,2020,1\nXAB,2020,2\n";

#[test]
fn an_existing_file_is_kept_without_force_and_replaced_with_it() {
    let files = [("d.csv", DATA), ("methodology.toml", "# mine\n")];
    refused(&files, &["-d", "d.csv"], 2, "methodology.toml exists; gti init does not overwrite it");
    let dir = fixture(&files);
    gti().current_dir(dir.path()).args(["init", "-d", "d.csv"]).assert().code(2);
    assert_eq!(std::fs::read_to_string(dir.path().join("methodology.toml")).unwrap(), "# mine\n");
    gti().current_dir(dir.path()).args(["init", "-d", "d.csv", "--force"]).assert().success();
    assert!(toml_of(&dir.path().join("methodology.toml"))["indicator"].get("x").is_some());
}

#[test]
fn data_without_an_indicator_column_is_refused() {
    // A header with no indicator column is no data file gti knows.
    refused(&[("d.csv", "unit,year\nXAA,2020\n")], &["-d", "d.csv"], 1, "d.csv:1:1: unrecognised header");
    // A units file alone holds no indicator.
    let units = "unit,name,region\nXAA,Aldoria,North\n";
    refused(&[("u.csv", units)], &["-d", "u.csv"], 1, "no indicator found");
    // Indicator columns without a single value.
    refused(
        &[("d.csv", "unit,year,x,y\nXAA,2020,,NA\n")],
        &["-d", "d.csv"],
        1,
        "no indicator has a value: x, y",
    );
}

#[test]
fn an_empty_file_is_refused() {
    refused(&[("d.csv", "")], &["-d", "d.csv"], 1, "d.csv: the file is empty");
}

#[test]
fn codes_the_methodology_cannot_hold_are_refused_where_they_are_written() {
    let wide = "unit,year,ok,SP.POP.TOTL\nXAA,2020,1,2\n";
    refused(&[("w.csv", wide)], &["-d", "w.csv"], 1, "w.csv:1:4: indicator code 'SP.POP.TOTL'");
    let long = "unit,year,indicator,value\nXAA,2020,ok,1\nXAA,2020,press freedom,2\n";
    let msg = "l.csv:3:3: indicator code 'press freedom': codes may hold only letters";
    refused(&[("l.csv", long)], &["-d", "l.csv"], 1, msg);
}

#[test]
fn dash_o_dash_writes_the_methodology_on_stdout() {
    let dir = fixture(&[("d.csv", DATA)]);
    let out = gti().current_dir(dir.path()).args(["init", "-d", "d.csv", "-o", "-"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let m: toml::Table = text.parse().unwrap();
    assert_eq!(m["indicator"]["x"]["parent"].as_str(), Some("P1"));
    assert!(!dir.path().join("methodology.toml").exists());
}
