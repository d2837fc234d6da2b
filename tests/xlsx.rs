//! `--format xlsx`: the workbooks of `compute`, `compare` and `audit`, read back by an
//! independent reader (openpyxl, through `tests/reference/xlsx_read.py`), hold the CSV
//! tables of the same run value for value, numbers as numbers at full precision; reruns are
//! byte-identical wherever the output goes; `-o -` is refused.
//!
//! CI (`.ci/run`) installs Debian's python3-openpyxl and sets GTI_REQUIRE_PYTHON=1: there a
//! missing reader fails; elsewhere the read-back tests skip, loudly. The interpreter is
//! `$GTI_PYTHON`, else the first of `python3` and `/usr/bin/python3` that imports openpyxl
//! (Debian's package is seen by Debian's python, not by a pyenv one earlier on the PATH).

use crate::util::{gti, read_csv, repo};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn python_or_skip() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> =
        std::env::var_os("GTI_PYTHON").map(PathBuf::from).into_iter().collect();
    candidates.extend(["python3", "/usr/bin/python3"].map(PathBuf::from));
    let found = candidates
        .into_iter()
        .find(|p| Command::new(p).args(["-c", "import openpyxl"]).output().is_ok_and(|o| o.status.success()));
    if found.is_none() {
        let required = std::env::var_os("GTI_REQUIRE_PYTHON").is_some() || std::env::var_os("CI").is_some();
        assert!(
            !required,
            "no python3 with openpyxl: .ci/run installs it (apt-get install python3-openpyxl)"
        );
        eprintln!(
            "\n*** SKIPPED: the xlsx read-back needs python3 with openpyxl (apt-get install python3-openpyxl) ***\n"
        );
    }
    found
}

/// One sheet as the reader saw it.
pub(crate) struct Sheet {
    name: String,
    freeze: Option<String>,
    filter: Option<String>,
    /// The table under the autofilter (header first), or every non-empty row.
    pub(crate) rows: Vec<Vec<Value>>,
    /// Filled cells: (row, column) in `rows` → RRGGBB.
    fills: HashMap<(usize, usize), String>,
    above: Vec<Value>,
}

impl Sheet {
    fn header(&self) -> Vec<&str> {
        self.rows[0]
            .iter()
            .map(|v| v.as_str().unwrap_or_else(|| panic!("{}: header {v}", self.name)))
            .collect()
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header().iter().position(|h| *h == name)
    }
}

pub(crate) struct Workbook {
    created: String,
    sheets: Vec<Sheet>,
}

impl Workbook {
    pub(crate) fn sheet(&self, name: &str) -> &Sheet {
        self.sheets.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no sheet {name}"))
    }

    fn names(&self) -> Vec<&str> {
        self.sheets.iter().map(|s| s.name.as_str()).collect()
    }
}

pub(crate) fn read(python: &Path, xlsx: &Path) -> Workbook {
    let out = Command::new(python)
        .arg(repo().join("tests/reference/xlsx_read.py"))
        .arg(xlsx)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "xlsx_read.py: {}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the reader's JSON");
    let text = |v: &Value| v.as_str().map(String::from);
    let sheets = doc["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Sheet {
            name: text(&s["name"]).unwrap(),
            freeze: text(&s["freeze"]),
            filter: text(&s["filter"]),
            rows: s["rows"].as_array().unwrap().iter().map(|r| r.as_array().unwrap().clone()).collect(),
            fills: s["fills"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let ix = |k: usize| f[k].as_u64().unwrap() as usize;
                    ((ix(0), ix(1)), text(&f[2]).unwrap())
                })
                .collect(),
            above: s["above"].as_array().unwrap().clone(),
        })
        .collect();
    Workbook { created: text(&doc["created"]).unwrap_or_default(), sheets }
}

/// A CSV cell and a workbook cell hold the same value: both empty, the same text, or the
/// same double (the CSV's shortest round-trip text and the cell's stored value, each parsed
/// by Rust's correctly rounded parser). A number stored as text is not the same: no text
/// column of these tables holds a number.
fn same(csv: &str, cell: &Value) -> bool {
    match cell {
        Value::Null => csv.is_empty(),
        Value::String(s) => s == csv && csv.parse::<f64>().is_err(),
        Value::Object(o) => match (o.get("n").and_then(Value::as_str), csv.parse::<f64>()) {
            (Some(n), Ok(c)) => n.parse::<f64>().is_ok_and(|x| x == c),
            _ => false,
        },
        _ => false,
    }
}

fn number(cell: &Value) -> Option<f64> {
    cell.get("n")?.as_str()?.parse().ok()
}

/// A table sheet: header frozen, autofilter over the header and every row and column.
fn check_table(s: &Sheet) {
    let filter = s.filter.as_deref().unwrap_or_else(|| panic!("{}: no autofilter", s.name));
    let (first, last) = filter.split_once(':').unwrap();
    let row_of = |cell: &str| cell.trim_start_matches(char::is_alphabetic).parse::<usize>().unwrap();
    let col_of = |cell: &str| cell.chars().take_while(char::is_ascii_alphabetic).collect::<String>();
    assert_eq!(col_of(first), "A", "{}: {filter}", s.name);
    let width = s.rows[0].len();
    assert!(width <= 26, "{}: {width} columns", s.name);
    let letter = char::from(b'A' + (width - 1) as u8).to_string();
    assert_eq!(col_of(last), letter, "{}: {filter} covers every column", s.name);
    assert_eq!(row_of(last) - row_of(first) + 1, s.rows.len(), "{}: the filter covers every row", s.name);
    assert_eq!(
        s.freeze.as_deref(),
        Some(format!("A{}", row_of(first) + 1).as_str()),
        "{}: header frozen",
        s.name
    );
    assert!(s.rows[0].iter().all(Value::is_string), "{}: a header of names", s.name);
}

/// A sheet holding a CSV table: same header, same rows in the same order, value for value.
fn same_table(csv: &Path, s: &Sheet) -> usize {
    check_table(s);
    let rows = read_csv(csv);
    let header: Vec<String> =
        csv::Reader::from_path(csv).unwrap().headers().unwrap().iter().map(String::from).collect();
    assert_eq!(s.header(), header, "{}", s.name);
    assert_eq!(s.rows.len() - 1, rows.len(), "{}: rows", s.name);
    for (i, (r, cells)) in rows.iter().zip(&s.rows[1..]).enumerate() {
        for (h, cell) in header.iter().zip(cells) {
            assert!(
                same(&r[h], cell),
                "{} row {}: {h} = {:?} in the CSV, {cell} in the workbook",
                s.name,
                i + 2,
                r[h]
            );
        }
    }
    rows.len()
}

/// The embedded example's band colours (methodology/gti.toml), as RRGGBB.
fn band_colours() -> HashMap<String, String> {
    let text = std::fs::read_to_string(repo().join("methodology/gti.toml")).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    doc["band"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let colour = b["color"].as_str().unwrap().trim_start_matches('#').to_uppercase();
            (b["label"].as_str().unwrap().to_string(), colour)
        })
        .collect()
}

/// Every band cell is filled with its band's colour; no other cell of the sheet is filled.
fn bands_coloured(s: &Sheet, columns: &[&str]) -> usize {
    let colours = band_colours();
    let mut n = 0;
    for c in columns.iter().map(|c| s.col(c).unwrap()) {
        for (r, row) in s.rows.iter().enumerate().skip(1) {
            if let Some(label) = row[c].as_str() {
                assert_eq!(s.fills.get(&(r, c)), Some(&colours[label]), "{} row {r}: {label}", s.name);
                n += 1;
            }
        }
    }
    assert_eq!(s.fills.len(), n, "{}: only band cells are filled", s.name);
    n
}

const NOTICE: &str = "Illustrative: fictional units and invented data.";

fn compute(out: &Path, format: &str, extra: &[&str]) {
    gti()
        .arg("compute")
        .arg("-q")
        .arg("-o")
        .arg(out)
        .args(["--format", format])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn results_xlsx_read_back_by_openpyxl_equals_the_csv_tables() {
    let Some(python) = python_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (csv, xlsx) = (dir.path().join("csv"), dir.path().join("xlsx"));
    compute(&csv, "csv", &["--dataset", "Raw", "--dataset", "Normalised"]);
    compute(&xlsx, "xlsx", &["--dataset", "Normalised"]);
    let names: Vec<_> = std::fs::read_dir(&xlsx).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "results.xlsx and manifest.json: {names:?}");
    let wb = read(&python, &xlsx.join("results.xlsx"));
    let expected = [
        "Read me",
        "Index",
        "Pillars",
        "Indicators",
        "Trends",
        "Regions",
        "Region trends",
        "Transparency",
        "Methodology",
        "Bands",
        "Changelog",
        "Normalised",
    ];
    assert_eq!(wb.names(), expected);
    assert!(wb.names().iter().all(|n| n.chars().count() <= 31));
    assert_eq!(wb.created, "1980-01-01T00:00:00", "a fixed creation time");

    // Every row of scores.csv is on one of Index, Pillars, Indicators, value for value.
    let (index, pillars, indicators) = (wb.sheet("Index"), wb.sheet("Pillars"), wb.sheet("Indicators"));
    let mut at: HashMap<(String, String, String), (&Sheet, usize)> = HashMap::new();
    for s in [index, pillars, indicators] {
        check_table(s);
        let (u, y) = (s.col("unit").unwrap(), s.col("year").unwrap());
        let node = s.col("node").or(s.col("indicator"));
        for (i, row) in s.rows.iter().enumerate().skip(1) {
            let year = number(&row[y]).unwrap().to_string();
            let node = node.map_or("GTI".to_string(), |c| row[c].as_str().unwrap().to_string());
            let unit = row[u].as_str().unwrap().to_string();
            assert!(at.insert((unit, year, node), (s, i)).is_none(), "{}: a row twice", s.name);
        }
    }
    let scores = read_csv(&csv.join("scores.csv"));
    assert_eq!(at.len(), scores.len(), "every score row once");
    let mut compared = 0;
    for r in &scores {
        let (s, i) = at[&(r["unit"].clone(), r["year"].clone(), r["node"].clone())];
        for (h, v) in r {
            let name = match (s.name.as_str(), h.as_str()) {
                ("Indicators", "node") => "indicator",
                ("Indicators", "score") => "normalised",
                _ => h,
            };
            match s.col(name) {
                Some(c) => {
                    assert!(
                        same(v, &s.rows[i][c]),
                        "{} row {i}: {h} = {v:?} in scores.csv, {}",
                        s.name,
                        s.rows[i][c]
                    );
                    compared += 1;
                }
                // What a sheet leaves out, it implies: the node and level of the Index sheet, the
                // level and (empty) band of indicators, the (empty) expert columns of nodes.
                None => assert!(
                    match (s.name.as_str(), h.as_str()) {
                        ("Index", "node") => v == "GTI",
                        ("Index", "level") => v == "3",
                        ("Indicators", "level") => v == "1",
                        _ => v.is_empty(),
                    },
                    "{}: scores.csv's {h} = {v:?} is not on the sheet",
                    s.name
                ),
            }
        }
    }
    assert!(compared > 20_000, "{compared} values compared");

    // The raw values beside the normalised ones are the Raw data set's.
    let raw: HashMap<(String, String, String), String> = read_csv(&csv.join("Raw.csv"))
        .into_iter()
        .map(|r| ((r["unit"].clone(), r["year"].clone(), r["code"].clone()), r["value"].clone()))
        .collect();
    let c = |n| indicators.col(n).unwrap();
    for row in &indicators.rows[1..] {
        let year = number(&row[c("year")]).unwrap().to_string();
        let key =
            (row[c("unit")].as_str().unwrap().into(), year, row[c("indicator")].as_str().unwrap().into());
        assert!(
            same(&raw[&key], &row[c("raw")]),
            "{key:?}: raw {} in the workbook, {:?} in Raw.csv",
            row[c("raw")],
            raw[&key]
        );
    }

    // The other tables, as the CSV files of the same run.
    for (file, sheet) in [
        ("trends.csv", "Trends"),
        ("regions.csv", "Regions"),
        ("region_trends.csv", "Region trends"),
        ("transparency.csv", "Transparency"),
        ("Normalised.csv", "Normalised"),
    ] {
        assert!(same_table(&csv.join(file), wb.sheet(sheet)) > 100, "{file}");
    }

    // Band cells in their band's colour, as declared in the methodology.
    assert_eq!(bands_coloured(index, &["band"]), 78);
    assert!(bands_coloured(pillars, &["band"]) > 500);
    assert!(bands_coloured(wb.sheet("Trends"), &["band_from", "band_to"]) > 1000);

    // The fictional-data notice, on the Read me and above the Index table.
    let readme = wb.sheet("Read me");
    let has_notice =
        |cells: &[Value]| cells.iter().any(|v| v.as_str().is_some_and(|t| t.starts_with(NOTICE)));
    assert!(readme.rows.iter().any(|r| has_notice(r)), "Read me");
    assert!(has_notice(&index.above), "Index");

    // The Read me names every input by file name and SHA-256, as the manifest does.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(xlsx.join("manifest.json")).unwrap()).unwrap();
    let lines: Vec<Vec<&str>> =
        readme.rows.iter().map(|r| r.iter().map(|v| v.as_str().unwrap_or("")).collect()).collect();
    let inputs = manifest["inputs"].as_array().unwrap();
    for i in inputs {
        let path = i["path"].as_str().unwrap();
        let name = path.rsplit('/').next().unwrap();
        assert!(path.contains('/') && !name.contains('/'));
        assert!(lines.iter().any(|l| l[0] == name && l[2] == i["sha256"].as_str().unwrap()), "{path}");
    }
    assert!(lines.iter().any(|l| l[0] == "Methodology" && l[2] == "gti.toml"));
    let sha = manifest["methodology"]["sha256"].as_str().unwrap();
    assert!(lines.iter().any(|l| l[0] == "Methodology SHA-256" && l[1] == sha));
    assert!(!lines.iter().flatten().any(|t| t.contains("indicators/")), "no input folder named");

    // The framework with its weights and effective weights (checked by hand: the seven pillars
    // weigh the same, P4 has four indicators of weight 1, so each weighs 1/7 · 1/4).
    let m = wb.sheet("Methodology");
    check_table(m);
    let row = m.rows.iter().find(|r| r[0].as_str() == Some("P4_investigations")).unwrap();
    let eff = number(&row[m.col("effective_weight").unwrap()]).unwrap();
    assert!(crate::util::close(eff, 1.0 / 28.0), "{eff}");
    let total: f64 = m.rows[1..]
        .iter()
        .filter(|r| r[m.col("kind").unwrap()].as_str() == Some("indicator"))
        .map(|r| number(&r[m.col("effective_weight").unwrap()]).unwrap())
        .sum();
    assert!(crate::util::close(total, 1.0), "{total}");
    check_table(wb.sheet("Changelog"));
    let bands = wb.sheet("Bands");
    assert_eq!(bands_coloured(bands, &["label"]), 5);
}

/// `--uncertainty` with `--format xlsx`: an *Uncertainty* sheet after *Transparency*, holding
/// uncertainty.csv of the same analysis value for value, at full precision.
#[test]
fn results_xlsx_uncertainty_sheet_equals_uncertainty_csv() {
    let Some(python) = python_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("ua.toml");
    std::fs::write(&spec, "[[input]]\npath = \"weights\"\nnoise = 0.3\nlevels = [2, 3]\n").unwrap();
    let ua = ["--uncertainty", spec.to_str().unwrap(), "--runs", "50", "--seed", "3"];
    let (csv, xlsx) = (dir.path().join("csv"), dir.path().join("xlsx"));
    compute(&csv, "csv", &ua);
    compute(&xlsx, "xlsx", &ua);
    let wb = read(&python, &xlsx.join("results.xlsx"));
    let names = wb.names();
    let at = |n: &str| names.iter().position(|s| *s == n).unwrap();
    assert_eq!(at("Uncertainty"), at("Transparency") + 1, "{names:?}");
    let rows = same_table(&csv.join("uncertainty.csv"), wb.sheet("Uncertainty"));
    assert!(rows > 500, "{rows} rows");
    let readme = wb.sheet("Read me");
    assert!(readme.rows.iter().flatten().any(|v| v.as_str() == Some("Uncertainty")), "listed on the Read me");
}

/// The workbook's bytes depend on the run only: not on when it ran (a fixed creation time),
/// where the output goes, or how the inputs were named (relative or absolute paths).
#[test]
fn workbook_reruns_are_byte_identical_wherever_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("a much/longer/folder name"));
    compute(&a, "xlsx", &[]);
    let m = repo().join("methodology/gti.toml");
    let d = repo().join("indicators");
    gti()
        .current_dir(dir.path())
        .arg("compute")
        .arg("-q")
        .args(["--format", "xlsx", "-m"])
        .arg(&m)
        .arg("-d")
        .arg(&d)
        .arg("-o")
        .arg(&b)
        .assert()
        .success();
    let (x, y) =
        (std::fs::read(a.join("results.xlsx")).unwrap(), std::fs::read(b.join("results.xlsx")).unwrap());
    assert_eq!(&x[..4], b"PK\x03\x04", "a ZIP package");
    assert!(x == y, "results.xlsx differs between the runs");
    // The manifests do differ (they keep the paths as given): the workbook reads none.
    assert_ne!(
        std::fs::read(a.join("manifest.json")).unwrap(),
        std::fs::read(b.join("manifest.json")).unwrap()
    );
}

#[test]
fn a_workbook_on_standard_output_is_refused_before_any_work() {
    for args in [
        &["compute", "--format", "xlsx", "-o", "-"][..],
        &["audit", "--format", "xlsx", "-o", "-"],
        &["compare", "--set", "node.P4.weight=2", "--format", "xlsx", "-o", "-"],
        // Refused even where the inputs would fail: nothing is read.
        &["compute", "-m", "missing.toml", "-d", "missing/", "--format", "xlsx", "-o", "-"],
    ] {
        let out = gti().args(args).assert().code(2);
        let o = out.get_output();
        assert!(o.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--format xlsx") && err.contains("-o DIR"), "{args:?}: {err}");
    }
    // compare offers csv and xlsx only.
    gti().args(["compare", "--set", "node.P4.weight=2", "--format", "json"]).assert().code(2);
}

#[test]
fn a_csv_rerun_removes_the_workbook_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    compute(&out, "xlsx", &[]);
    assert!(out.join("results.xlsx").exists() && !out.join("scores.csv").exists());
    compute(&out, "csv", &[]);
    assert!(!out.join("results.xlsx").exists(), "a stale workbook would sit beside new results");
    compute(&out, "xlsx", &["--dataset", "Normalised"]);
    assert!(!out.join("scores.csv").exists() && !out.join("Normalised.csv").exists());
}

#[test]
fn compare_xlsx_holds_compare_csv_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, xlsx) = (dir.path().join("csv"), dir.path().join("xlsx"));
    for (out, format) in [(&csv, "csv"), (&xlsx, "xlsx")] {
        gti()
            .args(["compare", "-q", "--set", "node.P4.weight=2", "--format", format])
            .arg("-o")
            .arg(out)
            .assert()
            .success();
    }
    let names = |d: &Path| {
        let mut v: Vec<String> =
            std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    };
    assert_eq!(names(&xlsx), ["compare.md", "compare.xlsx", "manifest.json"]);
    let md = |d: &Path| std::fs::read(d.join("compare.md")).unwrap();
    assert_eq!(md(&csv), md(&xlsx), "the same summary in both formats");
    let Some(python) = python_or_skip() else { return };
    let wb = read(&python, &xlsx.join("compare.xlsx"));
    assert_eq!(
        wb.names(),
        ["Read me", "Keys changed", "Effective weights", "Rank shifts", "Band crossings", "Compare"]
    );
    assert!(same_table(&csv.join("compare.csv"), wb.sheet("Compare")) > 2000);
    let keys = wb.sheet("Keys changed");
    check_table(keys);
    assert_eq!(keys.rows[1..], [vec![Value::from("node.P4.weight"), Value::from("1"), Value::from("2")]]);
    // The seven crossings of the README, in its order.
    let crossings = wb.sheet("Band crossings");
    check_table(crossings);
    let units: Vec<&str> = crossings.rows[1..].iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(units, ["XAH", "XAN", "XAJ", "XAN", "XAZ", "XAG", "XAJ"]);
    let weights = wb.sheet("Effective weights");
    let p4 = weights.rows.iter().find(|r| r[0].as_str() == Some("P4_investigations")).unwrap();
    // 1/28 → (2/8)·(1/4) = 1/16 (README: 3.57 % → 6.25 %).
    assert!(crate::util::close(number(&p4[1]).unwrap(), 1.0 / 28.0));
    assert!(crate::util::close(number(&p4[2]).unwrap(), 1.0 / 16.0));
    let readme: Vec<&str> = wb.sheet("Read me").rows.iter().flatten().filter_map(Value::as_str).collect();
    assert!(readme.contains(&"Base methodology") && readme.contains(&"node.P4.weight"), "{readme:?}");
}

/// An external indicator for the embedded example: a made-up value per unit and year.
fn example_external(path: &Path) {
    let mut s = String::from("unit,year,indicator,value\n");
    for (i, u) in read_csv(&repo().join("indicators/units.csv")).iter().enumerate() {
        for year in 2022..=2024 {
            s.push_str(&format!("{},{year},ext,{}\n", u["unit"], (i * 7 % 11) as i32 + year - 2022));
        }
    }
    std::fs::write(path, s).unwrap();
}

#[test]
fn audit_xlsx_holds_the_audit_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, xlsx) = (dir.path().join("csv"), dir.path().join("xlsx"));
    let ext = dir.path().join("ext.csv");
    example_external(&ext);
    for (out, format) in [(&csv, "csv"), (&xlsx, "xlsx")] {
        let mut cmd = gti();
        cmd.args(["audit", "-q", "--imputation", "mean", "--format", format, "--external"]).arg(&ext);
        cmd.arg("-o").arg(out).assert().success();
    }
    assert!(xlsx.join("audit.md").exists() && xlsx.join("manifest.json").exists());
    assert_eq!(std::fs::read(csv.join("audit.md")).unwrap(), std::fs::read(xlsx.join("audit.md")).unwrap());
    let Some(python) = python_or_skip() else { return };
    let wb = read(&python, &xlsx.join("audit.xlsx"));
    let sheets = [
        ("indicators.csv", "Indicators"),
        ("nodes.csv", "Nodes"),
        ("correlations.csv", "Correlations"),
        ("pca.csv", "PCA"),
        ("influence.csv", "Influence"),
        ("influence_summary.csv", "Influence summary"),
        ("imputation.csv", "Imputation"),
        ("external.csv", "External"),
    ];
    let names: Vec<&str> = std::iter::once("Read me").chain(sheets.iter().map(|s| s.1)).collect();
    assert_eq!(wb.names(), names);
    let mut rows = BTreeMap::new();
    for (file, sheet) in sheets {
        rows.insert(sheet, same_table(&csv.join(file), wb.sheet(sheet)));
    }
    assert!(rows.values().all(|&n| n > 10), "{rows:?}");
}

/// Units that are not fictional and a band without a colour: no notice (the Index table
/// starts at A1), the undeclared band in the report's palette; one year: no Trends sheet.
#[test]
fn a_workbook_without_the_notice_or_declared_colours() {
    let toml = format!(
        "{}{}",
        crate::util::SMALL_TOML.replace("Small test index", "Small index"),
        "\n[[band]]\nlabel = \"low\"\nmin = 0\nmax = 50\ncolor = \"#123456\"\n\n\
         [[band]]\nlabel = \"high\"\nmin = 50\nmax = 100\n"
    );
    let data = crate::util::SMALL_DATA.replace("XAA", "U1").replace("XAB", "U2").replace("XAC", "U3");
    let dir = crate::util::fixture(&[("m.toml", &toml), ("data/v.csv", &data)]);
    for (out, format) in [("csv", "csv"), ("xlsx", "xlsx")] {
        gti()
            .current_dir(dir.path())
            .args(["compute", "-q", "-m", "m.toml", "-d", "data", "-o", out, "--format", format])
            .assert()
            .success();
    }
    let Some(python) = python_or_skip() else { return };
    let wb = read(&python, &dir.path().join("xlsx/results.xlsx"));
    let expected = ["Read me", "Index", "Pillars", "Indicators", "Methodology", "Bands", "Changelog"];
    assert_eq!(wb.names(), expected);
    let index = wb.sheet("Index");
    check_table(index);
    assert_eq!(index.filter.as_deref(), Some("A1:I4"));
    assert!(index.above.is_empty());
    let texts: Vec<&str> = wb.sheet("Read me").rows.iter().flatten().filter_map(Value::as_str).collect();
    assert!(!texts.iter().any(|t| t.contains("fictional")), "{texts:?}");
    let scores = read_csv(&dir.path().join("csv/scores.csv"));
    let band = index.col("band").unwrap();
    let mut seen = BTreeMap::new();
    for (i, row) in index.rows.iter().enumerate().skip(1) {
        let unit = row[index.col("unit").unwrap()].as_str().unwrap();
        let csv = scores.iter().find(|r| r["unit"] == unit && r["node"] == "I").unwrap();
        assert!(same(&csv["score"], &row[index.col("score").unwrap()]), "{unit}");
        assert!(same(&csv["band"], &row[band]), "{unit}");
        let label = row[band].as_str().unwrap();
        seen.insert(label.to_string(), index.fills[&(i, band)].clone());
    }
    // "#56B4E9" is the Okabe–Ito colour the report gives the second band.
    let both = BTreeMap::from([
        ("high".to_string(), "56B4E9".to_string()),
        ("low".to_string(), "123456".to_string()),
    ]);
    assert_eq!(seen, both, "each band in its colour");
}

#[test]
fn compare_edition_xlsx_holds_decomposition_csv() {
    let old =
        crate::util::SMALL_TOML.replace("[node.B]\nparent = \"I\"", "[node.B]\nparent = \"I\"\nweight = 3");
    let edition = "unit,year,node,score\nXAC,2024,I,80\nXAA,2024,I,20\nXAB,2024,A,50.5\n";
    let dir = crate::util::fixture(&[
        ("now.toml", crate::util::SMALL_TOML),
        ("old.toml", &old),
        ("d.csv", crate::util::SMALL_DATA),
        ("ed.csv", edition),
    ]);
    for format in ["csv", "xlsx"] {
        gti()
            .current_dir(dir.path())
            .args(["compare", "-q", "-m", "now.toml", "-d", "d.csv", "--edition", "ed.csv"])
            .args(["--edition-methodology", "old.toml", "--format", format, "-o", format])
            .assert()
            .success();
    }
    assert!(
        dir.path().join("xlsx/manifest.json").exists() && !dir.path().join("xlsx/decomposition.csv").exists()
    );
    let Some(python) = python_or_skip() else { return };
    let wb = read(&python, &dir.path().join("xlsx/decomposition.xlsx"));
    assert_eq!(wb.names(), ["Read me", "Decomposition"]);
    assert_eq!(same_table(&dir.path().join("csv/decomposition.csv"), wb.sheet("Decomposition")), 3);
}
