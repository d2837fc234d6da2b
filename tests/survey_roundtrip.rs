//! The GTI example's questionnaire round-trips through a survey platform: the answers in
//! `indicators/expert_responses.csv` are written as a KoboToolbox export (`;`, quoted, groups
//! in headers, XML values) of an XLSForm built from `methodology/gti.toml` (one select_one per
//! expert item: its scale's whole numbers and its codes as choices, codes that are no XLSForm
//! name — `don't know` — named `dont_know` with the code in a `gti` column); `gti import
//! survey` reads it back, and `gti compute` on what it wrote gives the same `scores.csv` and
//! `transparency.csv`, byte for byte, as on the original responses.
//!
//! The original's `confidence` column is not carried (a form could ask it per item; the
//! example's methodology does not weight by it), and respondent ids come back through the
//! form's `expert` question, so the imported responses equal the original's first five
//! columns.

use crate::survey::write_xlsx;
use crate::util::{gti, repo};
use std::collections::BTreeMap;
use std::fmt::Write;

/// An expert item of the methodology: its pillar, name, scale and codes (code → value).
struct Item {
    code: String,
    parent: String,
    name: String,
    scale: (i64, i64),
    codes: Vec<String>,
}

fn items() -> (Vec<Item>, BTreeMap<String, String>) {
    let text = std::fs::read_to_string(repo().join("methodology/gti.toml")).unwrap();
    let m: toml::Table = text.parse().unwrap();
    let expert = m["expert"].as_table().unwrap();
    let scale = |t: &toml::Table| {
        t.get("scale")
            .and_then(|s| s.as_array())
            .map(|a| (a[0].as_integer().unwrap(), a[1].as_integer().unwrap()))
    };
    let codes = |t: &toml::Table| {
        t.get("codes").and_then(|c| c.as_table()).map(|c| c.keys().cloned().collect::<Vec<_>>())
    };
    let nodes: BTreeMap<String, String> = m["node"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["name"].as_str().unwrap().to_string()))
        .collect();
    // The items in the responses' order (the methodology's TOML table is read unordered).
    let order = responses_order();
    let ind = m["indicator"].as_table().unwrap();
    let items = order
        .iter()
        .map(|code| {
            let t = ind[code].as_table().unwrap();
            let own = t.get("expert").and_then(|e| e.as_table());
            Item {
                code: code.clone(),
                parent: t["parent"].as_str().unwrap().to_string(),
                name: t["name"].as_str().unwrap().to_string(),
                scale: own.and_then(scale).or_else(|| scale(expert)).unwrap(),
                codes: own.and_then(codes).or_else(|| codes(expert)).unwrap_or_default(),
            }
        })
        .collect();
    (items, nodes)
}

fn original() -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(repo().join("indicators/expert_responses.csv")).unwrap();
    r.records().map(|r| r.unwrap()).collect()
}

fn responses_order() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in original() {
        if !out.contains(&r[3].to_string()) {
            out.push(r[3].to_string());
        }
    }
    out
}

/// An XLSForm choice name for a code: letters, digits and `_` (`don't know` → `dont_know`).
fn choice_name(code: &str) -> String {
    code.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c)
            } else if c == ' ' {
                Some('_')
            } else {
                None
            }
        })
        .collect()
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// (unit, year, respondent).
type Submission = (String, String, String);

/// The XLSForm's survey and choices sheets (CSV text) and the Kobo export.
fn generate() -> (String, String, String) {
    let (items, nodes) = items();
    let mut survey = String::from("type,name,label::English (en)\n");
    survey.push_str("select_one unit,country,Unit\ninteger,year,Year\ntext,expert,Expert code\n");
    let mut choices = String::from("list_name,name,label::English (en),gti\n");
    let units = std::fs::read_to_string(repo().join("indicators/units.csv")).unwrap();
    for line in units.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        writeln!(choices, "unit,{},{} (fictional),", f[0], f[1]).unwrap();
    }
    let mut group = String::new();
    let mut header = vec!["country".to_string(), "year".into(), "expert".into()];
    for it in &items {
        if it.parent != group {
            if !group.is_empty() {
                survey.push_str("end_group,,\n");
            }
            writeln!(survey, "begin_group,{},{}", it.parent, q(&nodes[&it.parent])).unwrap();
            group = it.parent.clone();
        }
        writeln!(survey, "select_one {0},{0},{1}", it.code, q(&it.name)).unwrap();
        header.push(format!("{}/{}", it.parent, it.code));
        for v in it.scale.0..=it.scale.1 {
            writeln!(choices, "{},{v},{v},", it.code).unwrap();
        }
        for c in &it.codes {
            let name = choice_name(c);
            let value = if name == *c { String::new() } else { q(c) };
            writeln!(choices, "{},{name},{},{value}", it.code, q(c)).unwrap();
        }
    }
    survey.push_str("end_group,,\n");
    header.extend(["_id", "_uuid", "_submission_time", "_index"].map(String::from));
    // One submission per (unit, year, respondent), in the original's order.
    let mut subs: Vec<(Submission, BTreeMap<String, String>)> = Vec::new();
    for r in original() {
        let key = (r[0].to_string(), r[1].to_string(), r[2].to_string());
        if subs.last().is_none_or(|(k, _)| *k != key) {
            subs.push((key, BTreeMap::new()));
        }
        subs.last_mut().unwrap().1.insert(r[3].to_string(), choice_name(&r[4]));
    }
    let mut export = header.iter().map(|h| q(h)).collect::<Vec<_>>().join(";");
    export.push('\n');
    for (i, ((unit, year, resp), answers)) in subs.iter().enumerate() {
        let mut cells = vec![unit.clone(), year.clone(), resp.clone()];
        cells.extend(items.iter().map(|it| answers[&it.code].clone()));
        let n = i + 1;
        cells.extend([
            n.to_string(),
            format!("00000000-0000-4000-8000-{n:012}"),
            "2025-01-15T10:00:00".into(),
            n.to_string(),
        ]);
        export.push_str(&cells.iter().map(|c| q(c)).collect::<Vec<_>>().join(";"));
        export.push('\n');
    }
    (survey, choices, export)
}

#[test]
fn the_gti_questionnaire_round_trips_to_the_same_scores() {
    let dir = tempfile::tempdir().unwrap();
    let (survey, choices, export) = generate();
    let form = dir.path().join("gti-form.xlsx");
    write_xlsx(&form, &[("survey", &survey), ("choices", &choices)], false);
    std::fs::write(dir.path().join("export.csv"), &export).unwrap();
    let imported = dir.path().join("imported");
    gti()
        .current_dir(dir.path())
        .args(["import", "survey", "--form", "gti-form.xlsx", "--submissions", "export.csv"])
        .args(["--unit-field", "country", "--year-field", "year", "--respondent-field", "expert"])
        .args(["--choice-value", "gti", "-o"])
        .arg(&imported)
        .assert()
        .success();
    // The imported responses are the original's, without the confidence column.
    let got = std::fs::read_to_string(imported.join("responses.csv")).unwrap();
    let mut want = String::from("unit,year,respondent,item,response\n");
    for r in original() {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(r.iter().take(5)).unwrap();
        want.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    }
    assert_eq!(got, want);
    let ind = repo().join("indicators");
    let compute = |out: &str, responses: &std::path::Path| {
        gti()
            .current_dir(repo())
            .args(["compute", "-m", "methodology/gti.toml"])
            .arg("-d")
            .arg(ind.join("statistical.csv"))
            .arg("-d")
            .arg(ind.join("units.csv"))
            .arg("-d")
            .arg(responses)
            .arg("-o")
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    compute("original", &ind.join("expert_responses.csv"));
    compute("roundtrip", &imported.join("responses.csv"));
    for file in ["scores.csv", "transparency.csv"] {
        let a = std::fs::read(dir.path().join("original").join(file)).unwrap();
        let b = std::fs::read(dir.path().join("roundtrip").join(file)).unwrap();
        assert!(a == b, "{file} differs after the round trip");
    }
}
