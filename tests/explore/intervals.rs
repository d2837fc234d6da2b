//! Issue 19 in the explorer: `gti explore --uncertainty SPEC` embeds the intervals
//! `gti compute --public` publishes (the same numbers, the same points withheld), and the
//! ranking draws them as whiskers in a real browser.

use super::browser::{Session, chromium_or_skip};
use super::{embedded_model, explore};
use crate::util::{close, fixture, gti, read_csv};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const BOOT: &str = "[[input]]\npath = \"respondents\"\n";
/// Noise on every weight, indicators included: pillar bands become uncertain too (in public
/// the index's own intervals are mostly withheld, most units' items resting on few answers).
const WEIGHTS: &str = "[[input]]\npath = \"weights\"\nnoise = 0.5\n";

/// The embedded intervals keyed by (unit, year, node), from the model's point indices.
fn embedded_intervals(model: &Value) -> BTreeMap<(String, i64, String), Vec<Value>> {
    let codes = |k: &str| -> Vec<String> {
        model[k].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap().to_string()).collect()
    };
    let (units, elements) = (codes("units"), codes("elements"));
    let years: Vec<i64> = model["years"].as_array().unwrap().iter().map(|y| y.as_i64().unwrap()).collect();
    let (nu, ne) = (units.len(), elements.len());
    let mut out = BTreeMap::new();
    for p in model["intervals"]["points"].as_array().unwrap() {
        let p = p.as_array().unwrap();
        let i = p[0].as_u64().unwrap() as usize;
        let key = (units[i % nu].clone(), years[i / (ne * nu)], elements[i / nu % ne].clone());
        assert!(out.insert(key, p[1..].to_vec()).is_none(), "one entry per point");
    }
    out
}

/// The respondent bootstrap on the GTI example: XAV's and XAM's 2024 items rest on two and
/// three answers, so their intervals are withheld in `compute --public`'s uncertainty.csv, and
/// absent from the page; every other point carries exactly the public file's numbers.
#[test]
fn the_page_embeds_the_public_intervals_and_not_the_withheld_ones() {
    let dir = fixture(&[("boot.toml", BOOT)]);
    let spec = dir.path().join("boot.toml");
    let ua = ["--uncertainty", spec.to_str().unwrap(), "--runs", "30", "--seed", "2"];
    let csv = dir.path().join("csv");
    gti().args(["compute", "--public", "-q"]).args(ua).arg("-o").arg(&csv).assert().success();
    let (_out, page) = explore(&ua);
    let model = embedded_model(&page);
    let got = embedded_intervals(&model);

    let cells = ["score_low", "score_high", "rank_low", "rank_high", "band_probability"];
    let num = |s: &str| if s.is_empty() { Value::Null } else { json!(s.parse::<f64>().unwrap()) };
    let rows = read_csv(&csv.join("uncertainty.csv"));
    let mut withheld = 0;
    for r in &rows {
        let key = (r["unit"].clone(), r["year"].parse().unwrap(), r["node"].clone());
        let want: Vec<Value> = cells.iter().map(|c| num(&r[*c])).collect();
        if want.iter().all(Value::is_null) {
            withheld += 1;
            assert!(!got.contains_key(&key), "{key:?} is withheld in public, but on the page");
        } else {
            // serde_json (without float_roundtrip) may read the page's shortest decimals one
            // ulp off: compare to the tolerance of tests/util.rs.
            let have = got.get(&key).unwrap_or_else(|| panic!("{key:?} is public but not on the page"));
            for (c, (h, w)) in cells.iter().zip(have.iter().zip(&want)) {
                let same = match (h.as_f64(), w.as_f64()) {
                    (Some(a), Some(b)) => close(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                };
                assert!(same, "{key:?} {c}: {h} on the page, {w} in uncertainty.csv");
            }
        }
    }
    assert_eq!(got.len() + withheld, rows.len());
    for unit in ["XAV", "XAM"] {
        let key = (unit.to_string(), 2024, "GTI".to_string());
        assert!(!got.contains_key(&key), "{unit} 2024 rests on few answers");
    }
    assert!(got.contains_key(&("XAL".to_string(), 2024, "GTI".to_string())), "XAL's are published");
    let iv = &model["intervals"];
    assert_eq!((iv["runs"].as_u64(), iv["seed"].as_u64()), (Some(30), Some(2)));
    assert_eq!(iv["withheld"].as_u64(), Some(withheld as u64));
    assert_eq!(iv["spec"].as_str(), Some("boot.toml"), "a file name, not where it sits");
    assert_eq!(iv["uncertain_below"].as_f64(), Some(0.9), "the report's threshold");

    // Without the flags the model has no intervals at all.
    let (_plain, page) = explore(&[]);
    assert!(embedded_model(&page).get("intervals").is_none());
    // A spec that varies how answers are combined is refused, as for compute --public.
    let rule = dir.path().join("rule.toml");
    std::fs::write(&rule, "[[input]]\npath = \"expert.min_respondents\"\nvalues = [2, 3]\n").unwrap();
    let out = dir.path().join("refused");
    let args = ["explore", "-q", "--runs", "5", "--uncertainty", rule.to_str().unwrap(), "-o"];
    let e = gti().args(args).arg(&out).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&e).contains("expert.min_respondents"));
}

/// In chromium: one whisker per ranked row with an interval, one "uncertain band" mark per
/// embedded point below 90 % of the runs in its band, all with their words for screen
/// readers; a what-if hides them with a note; and no console message at all.
#[test]
fn the_ranking_draws_a_whisker_per_unit_and_hides_them_in_a_what_if() {
    let Some(chromium) = chromium_or_skip() else { return };
    let dir = fixture(&[("ua.toml", WEIGHTS)]);
    let spec = dir.path().join("ua.toml");
    let (_out, page) = explore(&["--uncertainty", spec.to_str().unwrap(), "--runs", "100", "--seed", "4"]);
    let model = embedded_model(&page);
    let got = embedded_intervals(&model);
    let here = |k: &&(String, i64, String)| k.1 == 2024 && k.2 == "P2";
    let ranked: Vec<&String> =
        got.iter().filter(|(k, v)| here(k) && !v[2].is_null()).map(|(k, _)| &k.0).collect();
    let with_rank = ranked.len();
    let uncertain = got.iter().filter(|(k, v)| here(k) && v[4].as_f64().is_some_and(|p| p < 0.9)).count();
    assert!(with_rank > 5 && uncertain > 0, "{with_rank} whiskers, {uncertain} uncertain bands");

    let s = Session::new(&chromium);
    s.open(&page, "#view=ranking&year=2024&node=P2");
    let count = |sel: &str| s.eval(&format!("document.querySelectorAll('{sel}').length")).as_u64().unwrap();
    assert_eq!(count("table.ranking tbody tr svg.whisker") as usize, with_rank);
    assert_eq!(count("table.ranking tbody tr .uncertain") as usize, uncertain);
    let label = s.eval("document.querySelector('tr[data-unit] svg.whisker').getAttribute('aria-label')");
    assert!(label.as_str().unwrap().starts_with("rank "), "{label}");
    let mark = s.eval("document.querySelector('tr .uncertain').getAttribute('title')");
    assert!(mark.as_str().unwrap().starts_with("uncertain band: "), "{mark}");
    let note = s.eval("document.querySelector('.interval-note').textContent");
    assert!(note.as_str().unwrap().contains("100 uncertainty runs"), "{note}");

    s.open(&page, "#view=ranking&year=2024&node=P2&set=node.P4.weight%3D2");
    assert_eq!(count("svg.whisker") + count(".uncertain"), 0, "hidden in a what-if");
    let note = s.eval("document.querySelector('.interval-note').textContent");
    assert!(note.as_str().unwrap().contains("hidden while a what-if is on"), "{note}");

    s.open(&page, &format!("#view=profile&year=2024&node=P2&units={}", ranked[0]));
    let facts = s.eval("document.querySelector('dl.facts').textContent");
    assert!(facts.as_str().unwrap().contains("(90 % of runs)"), "{facts}");
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}
