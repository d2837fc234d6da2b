//! Respondent safety (docs/respondent-safety.md): what gti publishes about the answers of the
//! GTI example's respondents, checked by trying to recover them.
//!
//! The answers are read from indicators/expert_responses.csv with the methodology's codes
//! (independently of gti's combination stage: the internal scores.csv must agree with them).
//! XAV 2024 has every item from exactly two answers; 124 unit-year-items have two answers and
//! 352 three. For each public output (compute --public in CSV and JSON, with data sets;
//! report --public; the explorer's embedded model) the tests
//!
//! - search every file for each respondent id, and for the exact standard deviation of each
//!   two- or three-answer item;
//! - check that no expert item's value is published beside an exact count below the band, nor
//!   with its standard deviation below `min_respondents`;
//! - solve for the answers from what is published ([`solutions`], the attack of uwedragon's
//!   `solutions`): every multiset of answers on the item's scale whose mean is the published
//!   value, for every number of answers the band allows. The same attack on the internal
//!   scores.csv (exact count and sd) recovers every pair, so it would catch a leak.

use crate::util::{fixture, gti, read_csv, repo, scores};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One unit-year-item of the example: its valid answers, the item's answer scale (the values
/// an answer can take) and its goalposts (normalised = (mean − lo)/(hi − lo) · 100).
struct Item {
    unit: String,
    year: String,
    code: String,
    answers: Vec<f64>,
    grid: Vec<f64>,
    goalposts: (f64, f64),
}

impl Item {
    fn n(&self) -> u32 {
        self.answers.len() as u32
    }

    fn mean(&self) -> f64 {
        self.answers.iter().sum::<f64>() / self.answers.len() as f64
    }

    /// The n − 1 standard deviation.
    fn sd(&self) -> f64 {
        let m = self.mean();
        let ss: f64 = self.answers.iter().map(|x| (x - m).powi(2)).sum();
        (ss / (self.answers.len() as f64 - 1.0)).sqrt()
    }

    fn sorted(&self) -> Vec<f64> {
        let mut a = self.answers.clone();
        a.sort_by(f64::total_cmp);
        a
    }

    /// The mean a reader reads back from a published normalised value.
    fn mean_from(&self, normalised: f64) -> f64 {
        let (lo, hi) = self.goalposts;
        lo + normalised / 100.0 * (hi - lo)
    }

    fn key(&self) -> (String, String, String) {
        (self.unit.clone(), self.year.clone(), self.code.clone())
    }
}

/// The example's items with at least `min_respondents` (2) valid answers, and every
/// respondent id.
fn example_items() -> (Vec<Item>, BTreeSet<String>) {
    let doc: toml::Table =
        std::fs::read_to_string(repo().join("methodology/gti.toml")).unwrap().parse().unwrap();
    let top = &doc["expert"];
    let mut by: BTreeMap<(String, String, String), Vec<f64>> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for r in read_csv(&repo().join("indicators/expert_responses.csv")) {
        ids.insert(r["respondent"].clone());
        let item = &doc["indicator"][r["item"].as_str()];
        let codes = item.get("expert").and_then(|e| e.get("codes")).unwrap_or(&top["codes"]);
        let text = r["response"].trim().to_lowercase();
        let value = match text.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) if text.is_empty() || text == "na" => None,
            Err(_) => codes[text.as_str()]
                .as_float()
                .or_else(|| codes[text.as_str()].as_integer().map(|i| i as f64)),
        };
        let key = (r["unit"].clone(), r["year"].clone(), r["item"].clone());
        let answers = by.entry(key).or_default();
        answers.extend(value);
    }
    let items = by
        .into_iter()
        .filter(|(_, a)| a.len() >= 2)
        .map(|((unit, year, code), answers)| {
            let spec = &doc["indicator"][code.as_str()];
            let num = |v: &toml::Value| v.as_float().unwrap_or_else(|| v.as_integer().unwrap() as f64);
            let codes = spec.get("expert").and_then(|e| e.get("codes"));
            // A coded item's answers are its codes' values; a numeric item's, the whole
            // numbers of its 0-10 scale (the example's answers are; asserted below).
            let grid: Vec<f64> = match codes {
                Some(c) => {
                    let mut g: Vec<f64> = c
                        .as_table()
                        .unwrap()
                        .values()
                        .filter(|v| v.is_float() || v.is_integer())
                        .map(num)
                        .collect();
                    g.sort_by(f64::total_cmp);
                    g
                }
                None => (0..=10).map(f64::from).collect(),
            };
            let norm = &spec["normalise"];
            assert_eq!(norm["method"].as_str(), Some("goalposts"), "{code}");
            let goalposts = (num(&norm["min"]), num(&norm["max"]));
            Item { unit, year, code, answers, grid, goalposts }
        })
        .collect::<Vec<_>>();
    for it in &items {
        assert!(
            it.answers.iter().all(|a| it.grid.contains(a)),
            "{:?}: {:?} off {:?}",
            it.key(),
            it.answers,
            it.grid
        );
    }
    (items, ids)
}

/// Every multiset of `n` answers on `grid`, for each `n` in `ns`, whose mean is `mean` and,
/// when given, whose n − 1 standard deviation is `sd`: all that a reader can tell about an
/// item's answers from those published numbers.
fn solutions(grid: &[f64], ns: std::ops::RangeInclusive<u32>, mean: f64, sd: Option<f64>) -> Vec<Vec<f64>> {
    fn walk(grid: &[f64], from: usize, left: u32, acc: &mut Vec<f64>, out: &mut Vec<Vec<f64>>) {
        if left == 0 {
            out.push(acc.clone());
            return;
        }
        for k in from..grid.len() {
            acc.push(grid[k]);
            walk(grid, k, left - 1, acc, out);
            acc.pop();
        }
    }
    let mut out = Vec::new();
    for n in ns {
        let mut all = Vec::new();
        walk(grid, 0, n, &mut Vec::new(), &mut all);
        out.extend(all.into_iter().filter(|c| {
            let m = c.iter().sum::<f64>() / f64::from(n);
            let s = (c.iter().map(|x| (x - m).powi(2)).sum::<f64>() / f64::from(n - 1)).sqrt();
            (m - mean).abs() < 1e-9 && sd.is_none_or(|sd| (s - sd).abs() < 1e-9)
        }));
    }
    out
}

/// What the solutions tell about the answers.
#[derive(Debug, PartialEq)]
enum Deduced {
    /// More than one set of answers fits, and not all of them unanimous on one value.
    Nothing,
    /// One set of answers fits.
    Answers(Vec<f64>),
    /// Every set that fits is the same value given by everyone: each answer is that value.
    Everyone(f64),
}

fn deduce(solutions: &[Vec<f64>]) -> Deduced {
    assert!(!solutions.is_empty(), "the true answers always fit");
    let v = solutions[0][0];
    if solutions.iter().all(|c| c.iter().all(|&x| x == v)) {
        Deduced::Everyone(v)
    } else if solutions.len() == 1 {
        Deduced::Answers(solutions[0].clone())
    } else {
        Deduced::Nothing
    }
}

/// Every file under `dir`, as text.
fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(texts(&p));
        } else {
            out.push((p.clone(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    out
}

/// No file holds a respondent id or the exact sd of a two- or three-answer item.
fn assert_no_ids_or_spreads(files: &[(PathBuf, String)], items: &[Item], ids: &BTreeSet<String>) {
    assert!(!files.is_empty());
    // The sds that may be published: those of items with five answers or more. Another
    // item's equal sd ({4, 5, 5, 5, 6} has the sd of {5, 6}) cannot be told apart in a text.
    let published: BTreeSet<String> =
        items.iter().filter(|it| it.n() >= 5).map(|it| format!("{}", it.sd())).collect();
    let mut searched = 0;
    for (path, text) in files {
        for id in ids {
            assert!(!text.contains(id.as_str()), "{} holds respondent id {id}", path.display());
        }
        for it in items.iter().filter(|it| it.n() <= 3) {
            let sd = format!("{}", it.sd());
            // 0, 0.5, 1 … would match any number; the exact sds of discordant answers
            // (1.5275252316519468, …) are what a leak would show.
            if sd.len() >= 8 && !published.contains(&sd) {
                assert!(!text.contains(&sd), "{} holds the sd {sd} of {:?}", path.display(), it.key());
                searched += 1;
            }
        }
    }
    assert!(searched >= files.len() * 50, "{searched} searches");
}

/// What one output publishes of an item: its normalised value, the count as written, the sd.
struct Published {
    value: Option<f64>,
    count: String,
    sd: Option<f64>,
}

/// The public rules on one output's items, and the attack on them. Returns the number of
/// pairs whose answers the published value gives away because both respondents gave the same
/// answer at an end of the scale (group disclosure, docs/respondent-safety.md).
fn assert_public(items: &[Item], published: &BTreeMap<(String, String, String), Published>) -> usize {
    let mut unanimous = 0;
    for it in items {
        let p = &published[&it.key()];
        // Counts below 5 as the band; sd only from 5 answers.
        if it.n() < 5 {
            assert_eq!(p.count, "<5", "{:?}", it.key());
            assert_eq!(p.sd, None, "{:?}", it.key());
        } else {
            assert_eq!(p.count, it.n().to_string(), "{:?}", it.key());
        }
        if it.n() != 2 {
            continue;
        }
        // The pair: the reader knows the value and that 2 to 4 answered ([expert]
        // min_respondents = 2, the band <5).
        let value = p.value.expect("an item of two answers has a value");
        let found = solutions(&it.grid, 2..=4, it.mean_from(value), p.sd);
        let (a, b) = (it.answers[0], it.answers[1]);
        let (lo, hi) = (it.grid[0], *it.grid.last().unwrap());
        match deduce(&found) {
            Deduced::Nothing => {}
            Deduced::Everyone(v) if a == b && v == a && (a == lo || a == hi) => unanimous += 1,
            other => panic!("{:?} ({a}, {b}): the public outputs give away {other:?}", it.key()),
        }
    }
    unanimous
}

/// The example's 124 two-answer and 352 three-answer items, as indicators/README.md says.
fn counts(items: &[Item]) {
    let two = items.iter().filter(|it| it.n() == 2).count();
    let three = items.iter().filter(|it| it.n() == 3).count();
    assert_eq!((two, three), (124, 352));
    let xav: Vec<&Item> = items.iter().filter(|it| it.unit == "XAV" && it.year == "2024").collect();
    assert_eq!(xav.len(), 18);
    assert!(xav.iter().all(|it| it.n() == 2));
}

fn compute(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    gti().arg("compute").args(args).args(["-q", "-o"]).arg(dir.path()).assert().success();
    dir
}

fn from_scores(rows: &crate::util::Scores) -> BTreeMap<(String, String, String), Published> {
    rows.iter()
        .map(|(k, r)| {
            let f = |c: &str| r[c].parse::<f64>().ok();
            (k.clone(), Published { value: f("score"), count: r["respondents"].clone(), sd: f("agreement") })
        })
        .collect()
}

#[test]
fn the_attack_recovers_every_pair_from_the_internal_outputs() {
    let (items, ids) = example_items();
    counts(&items);
    let dir = compute(&[]);
    let all = scores(&dir.path().join("scores.csv"));
    for it in &items {
        // gti's combination agrees with this reading of the answers.
        let r = &all[&it.key()];
        assert_eq!(r["respondents"], it.n().to_string(), "{:?}", it.key());
        let sd: f64 = r["agreement"].parse().unwrap();
        assert!((sd - it.sd()).abs() < 1e-12, "{:?}: {sd} vs {}", it.key(), it.sd());
        if it.n() == 2 {
            let value: f64 = r["score"].parse().unwrap();
            let found = solutions(&it.grid, 2..=2, it.mean_from(value), Some(sd));
            assert_eq!(deduce(&found), Deduced::Answers(it.sorted()).min_everyone(), "{:?}", it.key());
        }
    }
    // The searches would find a leak: the internal outputs hold the ids and the sds.
    let internal = texts(dir.path());
    let holds = |s: &str| internal.iter().any(|(_, t)| t.contains(s));
    assert!(holds("XAC-E02") && holds("XAD-E10"), "per-respondent findings in the internal manifest");
    let pair = items
        .iter()
        .find(|it| it.unit == "XAV" && it.year == "2024" && it.code == "P2_custody_safeguards")
        .unwrap();
    assert!(holds(&format!("{}", pair.sd())), "the sd of XAV's (1, 0)");
    assert!(!ids.is_empty());
}

impl Deduced {
    /// An `Answers` whose answers are all one value is `Everyone`.
    fn min_everyone(self) -> Deduced {
        match self {
            Deduced::Answers(a) if a.iter().all(|&x| x == a[0]) => Deduced::Everyone(a[0]),
            d => d,
        }
    }
}

#[test]
fn compute_public_gives_no_answer_away() {
    let (items, ids) = example_items();
    let dir = compute(&["--public", "--dataset", "Raw", "--dataset", "Normalised"]);
    let json = compute(&["--public", "--format", "json"]);
    let mut files = texts(dir.path());
    files.extend(texts(json.path()));
    assert_no_ids_or_spreads(&files, &items, &ids);
    let unanimous = assert_public(&items, &from_scores(&scores(&dir.path().join("scores.csv"))));
    // 18 pairs (five of them XAV's in 2024) are "no"/0 or "yes"/10 twice: the published 0 or
    // 100 says what both answered (docs/respondent-safety.md, "What the rules cannot hide").
    assert_eq!(unanimous, 18);
    // results.json holds the same public rows.
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json.path().join("results.json")).unwrap()).unwrap();
    let rows = doc["scores"].as_array().unwrap();
    let xav: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["unit"] == "XAV" && r["year"] == 2024 && r["level"] == 1).collect();
    assert!(xav.iter().filter(|r| r["respondents"] == "<5").count() == 18, "{xav:?}");
    assert!(xav.iter().all(|r| r["agreement"].is_null()));
    assert_eq!(doc["manifest"]["disclosure"], serde_json::json!({"count_band": 5, "min_respondents": 5}));
}

#[test]
fn compute_public_keeps_every_other_cell_and_the_internal_outputs_keep_everything() {
    let internal = compute(&[]);
    let public = compute(&["--public"]);
    let read = |d: &tempfile::TempDir, f: &str| std::fs::read_to_string(d.path().join(f)).unwrap();
    // Same rows, same order, same cells but respondents and agreement.
    let (a, b) = (read_csv(&internal.path().join("scores.csv")), read_csv(&public.path().join("scores.csv")));
    assert_eq!(a.len(), b.len());
    let mut banded = 0;
    for (x, y) in a.iter().zip(&b) {
        for (k, v) in x {
            if k != "respondents" && k != "agreement" {
                assert_eq!(&y[k], v, "{k} of {x:?}");
            }
        }
        banded += usize::from(y["respondents"] == "<5");
    }
    assert!(banded > 400, "{banded}");
    for f in ["trends.csv", "transparency.csv", "regions.csv", "region_trends.csv"] {
        assert_eq!(read(&internal, f), read(&public, f), "{f}");
    }
    // The internal manifest is as it was: paths as given, respondents named, no disclosure.
    let m = read(&internal, "manifest.json");
    assert!(m.contains("\"path\": \"indicators/expert_responses.csv\""), "{m}");
    assert!(m.contains("respondent 'XAC-E02' (XAC, 2023) gave the same answer to all 18 items"));
    assert!(!m.contains("disclosure"));
    // The public one: file names, respondent checks counted, the rules applied.
    let p = read(&public, "manifest.json");
    assert!(p.contains("\"path\": \"expert_responses.csv\"") && p.contains("\"path\": \"gti.toml\""), "{p}");
    assert!(!p.contains("indicators/") && !p.contains("methodology/"), "{p}");
    assert!(p.contains(
        "expert check: 1 respondent(s) gave the same answer to every item and 1 lay far from the others"
    ));
    assert!(p.contains("disclosure: 124 expert item value(s) rest on fewer than 3 answers"));
    assert!(p.contains("\"disclosure\": {\n    \"count_band\": 5,\n    \"min_respondents\": 5\n  }"), "{p}");
}

#[test]
fn public_data_sets_hold_no_expert_value_before_normalisation() {
    let dir = compute(&["--public", "--dataset", "Raw", "--dataset", "Normalised"]);
    let raw = read_csv(&dir.path().join("Raw.csv"));
    let expert = |c: &str| c.starts_with("P1_criminalisation") || c == "P2_excessive_force";
    let xav = |r: &&BTreeMap<String, String>| r["unit"] == "XAV" && r["year"] == "2024";
    for r in raw.iter().filter(xav) {
        if expert(&r["code"]) {
            assert_eq!((r["value"].as_str(), r["flag"].as_str()), ("", "withheld"), "{r:?}");
        } else if r["code"] == "P1_ratification" {
            assert_eq!(r["value"], "2", "statistical values stay: {r:?}");
        }
    }
    // Normalised holds the values scores.csv publishes.
    let norm = read_csv(&dir.path().join("Normalised.csv"));
    let v = norm.iter().find(|r| xav(r) && r["code"] == "P2_excessive_force").unwrap();
    assert_eq!(v["value"], "25");
}

#[test]
fn a_public_workbook_gives_no_answer_away() {
    // results.xlsx read back by openpyxl (tests/reference/xlsx_read.py) as JSON text: every
    // number as its shortest round-trip text, so the searches see what the workbook stores.
    let Some(python) = crate::xlsx::python_or_skip() else { return };
    let (items, ids) = example_items();
    let dir = compute(&["--public", "--format", "xlsx", "--dataset", "Raw"]);
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/reference/xlsx_read.py"))
        .arg(dir.path().join("results.xlsx"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let manifest = dir.path().join("manifest.json");
    let files = [
        (manifest.clone(), std::fs::read_to_string(&manifest).unwrap()),
        (dir.path().join("results.xlsx"), text.clone()),
    ];
    assert_no_ids_or_spreads(&files, &items, &ids);
    // The Indicators sheet: an expert item's raw (combined) value withheld, its count banded.
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sheet = doc["sheets"].as_array().unwrap().iter().find(|s| s["name"] == "Indicators").unwrap();
    let rows = sheet["rows"].as_array().unwrap();
    let col = |name: &str| rows[0].as_array().unwrap().iter().position(|h| h == name).unwrap();
    let (unit, year, code) = (col("unit"), col("year"), col("indicator"));
    let (raw, respondents, agreement) = (col("raw"), col("respondents"), col("agreement"));
    let by: BTreeMap<(String, String, String), &serde_json::Value> = rows[1..]
        .iter()
        .map(|r| {
            let y = r[year]["n"].as_str().unwrap().trim_end_matches(".0").to_string();
            ((r[unit].as_str().unwrap().to_string(), y, r[code].as_str().unwrap().to_string()), r)
        })
        .collect();
    let mut seen = 0;
    for it in items.iter().filter(|it| it.n() < 5) {
        let r = by[&it.key()];
        assert!(r[raw].is_null() && r[agreement].is_null(), "{:?}: {r}", it.key());
        assert_eq!(r[respondents], "<5", "{:?}", it.key());
        seen += 1;
    }
    assert_eq!(seen, items.iter().filter(|it| it.n() < 5).count());
    // Statistical indicators keep their raw value.
    let stat = by[&("XAV".to_string(), "2024".to_string(), "P1_ratification".to_string())];
    assert!(stat[raw]["n"].is_string(), "{stat}");
}

#[test]
fn report_public_gives_no_answer_away() {
    let (items, ids) = example_items();
    let dir = tempfile::tempdir().unwrap();
    gti().args(["report", "--public", "-q", "-o"]).arg(dir.path()).assert().success();
    let files = texts(dir.path());
    assert_no_ids_or_spreads(&files, &items, &ids);
    // The profiles' respondents tables: per item and year, "<5" or "n (sd)" with n ≥ 5.
    let mut cells = 0;
    for it in items.iter().filter(|it| it.n() < 5) {
        let md = std::fs::read_to_string(dir.path().join("units").join(format!("{}.md", it.unit))).unwrap();
        let years: Vec<&str> = md.lines().find(|l| l.starts_with("| item |")).unwrap().split('|').collect();
        let col = years.iter().position(|c| c.trim().starts_with(&format!("{}:", it.year))).unwrap();
        let row =
            md.lines().find(|l| l.starts_with(&format!("| {} |", it.code.replace('_', "\\_")))).unwrap();
        assert_eq!(row.split('|').nth(col).unwrap().trim(), "&lt;5", "{:?}: {row}", it.key());
        cells += 1;
    }
    assert_eq!(cells, items.iter().filter(|it| it.n() < 5).count());
    let md = std::fs::read_to_string(dir.path().join("units/XAV.md")).unwrap();
    assert!(md.contains(
        "counts below 5 are shown as &lt;5 and the standard deviation only for items with at least 5 answers"
    ));
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"disclosure\""));
    // The internal report keeps the exact counts.
    let internal = tempfile::tempdir().unwrap();
    gti().args(["report", "-q", "-o"]).arg(internal.path()).assert().success();
    let md = std::fs::read_to_string(internal.path().join("units/XAV.md")).unwrap();
    assert!(md.contains("| P1\\_npm | 8 (0.27) | 6 (0.00) | 2 (0.00) |"), "{md}");
}

#[test]
fn the_explorers_embedded_model_gives_no_answer_away() {
    let (items, ids) = example_items();
    let (_dir, page) = crate::explore::explore(&[]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert_no_ids_or_spreads(&[(page.clone(), html)], &items, &ids);
    let model = crate::explore::embedded_model(&page);
    let code = |v: &serde_json::Value| v["code"].as_str().unwrap().to_string();
    let units: Vec<String> = model["units"].as_array().unwrap().iter().map(code).collect();
    let years: Vec<String> = model["years"].as_array().unwrap().iter().map(|y| y.to_string()).collect();
    let inds: Vec<String> =
        model["elements"].as_array().unwrap().iter().filter(|e| e["kind"] == "indicator").map(code).collect();
    let normalised = model["indicators"]["normalised"].as_array().unwrap();
    let mut published = BTreeMap::new();
    for r in model["indicators"]["respondents"].as_array().unwrap() {
        let i = r[0].as_u64().unwrap() as usize;
        let (u, c, y) = (i % units.len(), (i / units.len()) % inds.len(), i / (units.len() * inds.len()));
        let count = r[1].as_str().map_or_else(|| r[1].to_string(), String::from);
        let key = (units[u].clone(), years[y].clone(), inds[c].clone());
        published.insert(key, Published { value: normalised[i].as_f64(), count, sd: r[2].as_f64() });
    }
    assert_eq!(assert_public(&items, &published), 18);
    assert_eq!(model["disclosure"], serde_json::json!({"count_band": 5, "min_respondents": 5}));
}

#[test]
fn what_the_value_of_three_answers_tells_on_a_three_point_scale() {
    // With the count banded and the sd withheld, a reader has the value and 2 to 4 answers.
    // Near the ends of a scale some values are reached by three answers only, one way: 29/3 by
    // {9, 10, 10}, 5/6 by {partially, yes, yes}. The set of answers (not who gave which)
    // follows from the value: the documented residual, counted here.
    let (items, _) = example_items();
    let dir = compute(&["--public"]);
    let published = from_scores(&scores(&dir.path().join("scores.csv")));
    let (mut everyone, mut sets) = (0, 0);
    for it in items.iter().filter(|it| it.n() == 3) {
        let p = &published[&it.key()];
        assert_eq!((p.count.as_str(), p.sd), ("<5", None));
        let found = solutions(&it.grid, 2..=4, it.mean_from(p.value.unwrap()), None);
        let (lo, hi) = (it.grid[0], *it.grid.last().unwrap());
        match deduce(&found) {
            Deduced::Nothing => {}
            Deduced::Everyone(v) => {
                assert!(v == lo || v == hi, "{:?}", it.key());
                everyone += 1;
            }
            Deduced::Answers(a) => {
                assert_eq!(a, it.sorted());
                sets += 1;
            }
        }
    }
    assert_eq!((everyone, sets), (30, 25));
}

/// Index I over node A: q1 (0-10) and s1 (statistical); `min_respondents` as given.
fn small(min_respondents: u32, disclosure: &str) -> String {
    format!(
        "schema = 1\n[index]\ncode = \"I\"\nname = \"t\"\nversion = \"1\"\n[expert]\nmin_respondents = {min_respondents}\n\
         scale = [0, 10]\n{disclosure}\n[node.I]\n[node.A]\nparent = \"I\"\n[indicator.q1]\nparent = \"A\"\n\
         source = \"expert\"\nnormalise = {{ method = \"goalposts\", min = 0, max = 10 }}\n[indicator.s1]\nparent = \"A\"\n\
         normalise = {{ method = \"goalposts\", min = 0, max = 100 }}\n"
    )
}

/// XAA: q1 from five answers (2, 4, 6, 8, 10); XAB: from three (1, 2, 6); XAC: from one (7).
const RESPONSES: &str = "unit,year,respondent,item,response
XAA,2024,a1,q1,2
XAA,2024,a2,q1,4
XAA,2024,a3,q1,6
XAA,2024,a4,q1,8
XAA,2024,a5,q1,10
XAB,2024,b1,q1,1
XAB,2024,b2,q1,2
XAB,2024,b3,q1,6
XAC,2024,c1,q1,7
";
const STATS: &str = "unit,year,indicator,value\nXAA,2024,s1,50\nXAB,2024,s1,60\nXAC,2024,s1,70\n";

/// `gti ARGS -m m.toml -d r.csv -d s.csv` on the small fixture, writing to `out/`.
fn run_small(m: &str, args: &[&str]) -> (tempfile::TempDir, assert_cmd::assert::Assert) {
    let dir = fixture(&[("m.toml", m), ("r.csv", RESPONSES), ("s.csv", STATS)]);
    let mut cmd = gti();
    cmd.current_dir(dir.path()).args(args).args(["-m", "m.toml", "-d", "r.csv", "-d", "s.csv"]);
    if args[0] != "validate" {
        cmd.args(["-q", "-o", "out"]);
    }
    let a = cmd.assert();
    (dir, a)
}

#[test]
fn an_item_valued_from_one_answer_is_never_published() {
    // Internal: XAC's q1 is its one respondent's 7, shown with respondents = 1.
    let (dir, a) = run_small(&small(1, ""), &["compute"]);
    a.success();
    let s = scores(&dir.path().join("out/scores.csv"));
    let r = &s[&("XAC".into(), "2024".into(), "q1".into())];
    assert_eq!((r["score"].as_str(), r["respondents"].as_str()), ("70", "1"));
    // Public: refused, naming the point and the fix, whatever the output.
    for cmd in [&["compute", "--public"][..], &["report", "--public"], &["explore"]] {
        let (_d, a) = run_small(&small(1, ""), cmd);
        let err = String::from_utf8(a.failure().code(1).get_output().stderr.clone()).unwrap();
        assert!(
            err.contains("m.toml: a public output cannot hold an expert item's value from a single answer"),
            "{cmd:?}: {err}"
        );
        assert!(err.contains("XAC 2024 q1") && err.contains("set [expert] min_respondents = 2"), "{err}");
    }
    // With min_respondents = 2 the item is missing, and the public output is written.
    let (dir, a) = run_small(&small(2, ""), &["compute", "--public"]);
    a.success();
    let s = scores(&dir.path().join("out/scores.csv"));
    let r = &s[&("XAC".into(), "2024".into(), "q1".into())];
    assert_eq!((r["score"].as_str(), r["respondents"].as_str(), r["agreement"].as_str()), ("", "<5", ""));
}

#[test]
fn the_declared_rules_set_the_band_and_the_spread() {
    let key = |s: &crate::util::Scores, u: &str| {
        let r = &s[&(u.to_string(), "2024".to_string(), "q1".to_string())];
        (r["respondents"].clone(), r["agreement"].clone())
    };
    // Defaults: XAA's five answers exact, with their sd (√10); XAB's three banded, no sd.
    let (dir, a) = run_small(&small(2, ""), &["compute", "--public"]);
    a.success();
    let s = scores(&dir.path().join("out/scores.csv"));
    assert_eq!(key(&s, "XAA"), ("5".into(), format!("{}", 10f64.sqrt())));
    assert_eq!(key(&s, "XAB"), ("<5".into(), String::new()));
    // Declared: exact counts from 3, agreement from 3 (each with its note in the log).
    let rules = "disclosure = { count_band = 3, min_respondents = 3 }";
    let (dir, a) = run_small(&small(2, rules), &["compute", "--public"]);
    a.success();
    let s = scores(&dir.path().join("out/scores.csv"));
    assert_eq!(key(&s, "XAB"), ("3".into(), format!("{}", (7f64).sqrt())));
    let m = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(
        m.contains("expert.disclosure.count_band = 3: public outputs show exact counts from 3 answer(s)"),
        "{m}"
    );
    assert!(
        m.contains("expert.disclosure.min_respondents = 3: public outputs show agreement from 3 answers"),
        "{m}"
    );
    assert!(m.contains("so 1 suffice (one respondent alone)"), "{m}");
    assert!(m.contains("\"count_band\": 3"), "{m}");
    // A band above every count: XAA's five banded too; and --set reaches the rules.
    let (dir, a) =
        run_small(&small(2, ""), &["compute", "--public", "--set", "expert.disclosure.count_band=6"]);
    a.success();
    let s = scores(&dir.path().join("out/scores.csv"));
    assert_eq!(key(&s, "XAA"), ("<6".into(), format!("{}", 10f64.sqrt())));
}

#[test]
fn disclosure_rules_that_give_answers_away_are_errors_at_their_line() {
    let cases = [
        (
            "disclosure = { min_respondents = 2 }",
            "m.toml:9:34: expert.disclosure.min_respondents is 2; it must be a whole number >= 3",
            "m ± s/√2",
        ),
        (
            "disclosure = { count_band = 0 }",
            "m.toml:9:29: expert.disclosure.count_band is 0; it must be a whole number >= 1",
            "",
        ),
        ("disclosure = { count_bands = 5 }", "m.toml:9", "count_band"),
        (
            "disclosure = { count_band = \"5\" }",
            "m.toml:9:29: `count_band` must be a whole number, not the string \"5\"",
            "count_band = 5",
        ),
    ];
    for (rules, at, hint) in cases {
        let (_d, a) = run_small(&small(2, rules), &["validate"]);
        let err = String::from_utf8(a.failure().code(1).get_output().stderr.clone()).unwrap();
        assert!(err.contains(at) && err.contains(hint), "{rules}: {err}");
    }
    // In an indicator's own expert table.
    let m = small(2, "").replace(
        "source = \"expert\"\n",
        "source = \"expert\"\nexpert = { disclosure = { count_band = 5 } }\n",
    );
    let (_d, a) = run_small(&m, &["validate"]);
    let err = String::from_utf8(a.failure().code(1).get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("indicator.q1.expert.disclosure: the disclosure rules apply to every item"),
        "{err}"
    );
    // A --set typo, with the near miss.
    let (_d, a) =
        run_small(&small(2, ""), &["compute", "--public", "--set", "expert.disclosure.min_respondent=5"]);
    let err = String::from_utf8(a.failure().code(1).get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("unknown key `min_respondent` in [expert].disclosure (did you mean `min_respondents`?)"),
        "{err}"
    );
}

#[test]
fn a_public_output_never_shows_two_ways_of_combining_the_same_answers() {
    let refused = |args: &[&str]| {
        let out =
            gti().args(args).args(["-q", "-o"]).arg(tempfile::tempdir().unwrap().path()).assert().failure();
        let err = String::from_utf8(out.code(2).get_output().stderr.clone()).unwrap();
        assert!(
            err.contains("a public output cannot show two ways of combining the same answers"),
            "{args:?}: {err}"
        );
        err
    };
    let err = refused(&["compute", "--public", "--set", "expert.combine=median"]);
    assert!(
        err.contains(
            "the methodology and its --set combine the answers to 'P1_criminalisation' differently (combine)"
        ),
        "{err}"
    );
    let err =
        refused(&["report", "--public", "--set", "indicator.P4_investigations.expert.min_respondents=3"]);
    assert!(err.contains("'P4_investigations' differently (min_respondents)"), "{err}");
    // A candidate file that trims.
    let text = std::fs::read_to_string(repo().join("methodology/gti.toml")).unwrap();
    let cand =
        fixture(&[("c.toml", &text.replace("combine = \"mean\"", "combine = \"trimmed_mean\"\ntrim = 0.2"))]);
    let c = cand.path().join("c.toml");
    refused(&["report", "--public", "--candidate", c.to_str().unwrap()]);
    // Weights are not a way of combining answers; internal outputs compare anything.
    for args in [
        &["compute", "--public", "--set", "node.P4.weight=2"][..],
        &["report", "--public", "--set", "node.P4.weight=2"],
        &["compute", "--set", "expert.combine=median"],
        &["report", "--set", "expert.combine=median"],
    ] {
        gti().args(args).args(["-q", "-o"]).arg(tempfile::tempdir().unwrap().path()).assert().success();
    }
    // A sensitivity run that varied the combination: no public report from it.
    let ua = tempfile::tempdir().unwrap();
    let spec =
        fixture(&[("spec.toml", "[[input]]\npath = \"expert.combine\"\nvalues = [\"mean\", \"median\"]\n")]);
    gti()
        .args(["sensitivity", "--runs", "4", "--seed", "1", "-q", "--spec"])
        .arg(spec.path().join("spec.toml"))
        .arg("-o")
        .arg(ua.path())
        .assert()
        .success();
    let out = gti()
        .args(["report", "--public", "-q", "--sensitivity"])
        .arg(ua.path())
        .arg("-o")
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .failure()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("the run varies 'expert.combine', which changes how answers are combined"), "{err}");
    gti()
        .args(["report", "-q", "--sensitivity"])
        .arg(ua.path())
        .arg("-o")
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .success();
}
