//! The page as a file and as a document: hostile names stay text, the embedded model obeys
//! the respondent-safety rules, and the command's own behaviour (one file, written
//! atomically and reproducibly; what-ifs it cannot recompute refused).

use super::browser::{Session, chromium_or_skip};
use super::{embedded_model, example, explore};
use crate::util::{SMALL_DATA, fixture, gti, read_csv, repo, scores};
use std::collections::BTreeSet;

const SCRIPT: &str = "</script><script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=\"window.pwned=1\">";
const COMMENT: &str = "<!-- <script>window.pwned=2</script>";

/// The small index with hostile text in every name a methodology and units.csv can carry.
fn hostile() -> tempfile::TempDir {
    let toml = format!(
        r#"schema = 1
[index]
code = "I"
name = '{SCRIPT}'
version = "1 {COMMENT}"
[[band]]
label = '{IMG}'
min = 0
max = 100
[node.I]
name = '{IMG}'
[node.A]
name = '{COMMENT}'
parent = "I"
[indicator.a1]
name = '{SCRIPT}'
parent = "A"
unit = '{IMG}'
[indicator.a2]
parent = "A"
direction = -1
[node.B]
parent = "I"
[indicator.b1]
parent = "B"
"#
    );
    let units = format!(
        "unit,name,region\nXAA,\"{}\",\"{}\"\nXAB,'{IMG}',plain\nXAC,\"{}\",x\n",
        SCRIPT,
        COMMENT,
        IMG.replace('"', "\"\"")
    );
    fixture(&[("m.toml", &toml), ("data/data.csv", SMALL_DATA), ("data/units.csv", &units)])
}

#[test]
fn hostile_names_show_as_text_and_run_nothing() {
    let dir = hostile();
    let (m, d) = (dir.path().join("m.toml"), dir.path().join("data"));
    let (_out, page) = explore(&["-m", m.to_str().unwrap(), "-d", d.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    // In the file: exactly two script elements (the model and the bundle), no hostile markup.
    assert_eq!(html.matches("<script").count(), 2, "{html:.2000}");
    for bad in [SCRIPT, IMG, COMMENT, "<img", "<!--"] {
        assert!(!html.contains(bad), "the page holds {bad:?} as markup");
    }
    assert!(html.contains("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    // The model reads back with the names intact.
    let model = embedded_model(&page);
    assert_eq!(model["index"]["name"], SCRIPT);
    assert_eq!(model["units"][0]["name"], SCRIPT);
    let Some(chromium) = chromium_or_skip() else { return };
    let s = Session::new(&chromium);
    // A what-if, so that the published-rank and band-change columns show too.
    s.open(&page, "#view=ranking&year=2024&node=I&set=node.A.weight%3D3");
    assert_eq!(s.eval("window.pwned === undefined"), true);
    assert_eq!(s.eval("document.querySelectorAll('img').length"), 0);
    assert_eq!(s.eval("document.querySelectorAll('script').length"), 2);
    assert_eq!(s.eval("document.title"), SCRIPT);
    let text: String = serde_json::from_value(s.eval("document.body.innerText")).unwrap();
    for name in [SCRIPT, IMG, COMMENT] {
        assert!(text.contains(name), "{name:?} is not shown as text:\n{text}");
    }
    let units: Vec<String> = serde_json::from_value(
        s.eval("[...document.querySelectorAll('tr[data-unit]')].map(tr => tr.dataset.unit)"),
    )
    .unwrap();
    assert_eq!(units.len(), 3);
    let bands: BTreeSet<String> = serde_json::from_value(
        s.eval("[...document.querySelectorAll('tr[data-band]')].map(tr => tr.dataset.band)"),
    )
    .unwrap();
    assert_eq!(bands, BTreeSet::from([IMG.to_string()]));
    // Typing in the search filters the rows by name.
    s.run("const i = document.querySelector('input[type=search]'); i.value = 'plain'; i.dispatchEvent(new Event('input'));");
    assert_eq!(s.eval("[...document.querySelectorAll('tr[data-unit]')].filter(tr => !tr.hidden).map(tr => tr.dataset.unit)"), serde_json::json!(["XAB"]));
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}

#[test]
fn the_embedded_model_keeps_respondents_safe() {
    let (_out, page) = explore(&[]);
    let html = std::fs::read_to_string(&page).unwrap();
    let responses = read_csv(&repo().join("indicators/expert_responses.csv"));
    let ids: BTreeSet<&str> = responses.iter().map(|r| r["respondent"].as_str()).collect();
    assert!(ids.len() > 20, "{ids:?}");
    for id in &ids {
        assert!(!html.contains(id), "the page holds respondent id {id}");
    }
    let model = embedded_model(&page);
    // Expert indicators: no raw (combined per-item) value; counts below 5 as a band;
    // agreement only where at least 5 answered (the methodology's `[expert] disclosure`, here
    // its defaults; tests/safety.rs tries to recover answers from the page). Checked against
    // compute's internal scores.csv.
    let internal = tempfile::tempdir().unwrap();
    gti().args(["compute", "-q", "-o"]).arg(internal.path()).assert().success();
    let all = scores(&internal.path().join("scores.csv"));
    let els = model["elements"].as_array().unwrap();
    let indicators: Vec<&serde_json::Value> = els.iter().filter(|e| e["kind"] == "indicator").collect();
    let (units, years) = (model["units"].as_array().unwrap(), model["years"].as_array().unwrap());
    let (nu, ni) = (units.len(), indicators.len());
    let raw = model["indicators"]["raw"].as_array().unwrap();
    let mut disclosed = std::collections::BTreeMap::new();
    for r in model["indicators"]["respondents"].as_array().unwrap() {
        disclosed.insert(r[0].as_u64().unwrap() as usize, (r[1].clone(), r[2].clone()));
    }
    let (mut banded, mut exact, mut withheld) = (0, 0, 0);
    for (y, year) in years.iter().enumerate() {
        for (c, ind) in indicators.iter().enumerate() {
            for (u, unit) in units.iter().enumerate() {
                let i = (y * ni + c) * nu + u;
                let row = &all[&(
                    unit["code"].as_str().unwrap().into(),
                    year.to_string(),
                    ind["code"].as_str().unwrap().into(),
                )];
                if ind["source"] != "expert" {
                    continue;
                }
                assert!(raw[i].is_null(), "a raw expert value at {i}");
                let Ok(n) = row["respondents"].parse::<u32>() else {
                    assert!(!disclosed.contains_key(&i));
                    continue;
                };
                let (count, agreement) = &disclosed[&i];
                if n < 5 {
                    assert_eq!(count, "<5");
                    banded += 1;
                } else {
                    assert_eq!(count, n);
                    exact += 1;
                }
                if n < 5 {
                    assert!(agreement.is_null(), "agreement of {n} answers at {i}");
                    withheld += 1;
                } else if !row["agreement"].is_empty() {
                    // serde_json's default parser may miss the last bit (the page's JSON.parse
                    // does not): equal to 1e-15.
                    let (a, b) = (agreement.as_f64().unwrap(), row["agreement"].parse::<f64>().unwrap());
                    assert!((a - b).abs() <= 1e-15 * b.abs(), "agreement at {i}: {a} vs {b}");
                }
            }
        }
    }
    // The example has items with 2 to 8 respondents: every rule is exercised.
    assert!(banded > 0 && exact > 0 && withheld > 0, "{banded} {exact} {withheld}");
}

#[test]
fn explore_writes_one_page_reproducibly_and_refuses_what_it_cannot_recompute() {
    let (dir, page) = explore(&[]);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(names, ["index.html"]);
    let (_dir2, again) = explore(&[]);
    assert_eq!(std::fs::read(&page).unwrap(), std::fs::read(&again).unwrap(), "two runs differ");
    let model = embedded_model(&page);
    assert_eq!(model["schema"], 1);
    assert_eq!(model["command"]["methodology"], "methodology/gti.toml");
    assert_eq!(model["command"]["data"], serde_json::json!(["indicators"]));
    assert!(model["fictional"].as_str().unwrap().contains("fictional units"));
    // A what-if the page recomputes becomes the one it opens with.
    let (_d3, with) = explore(&["--set", "node.P4.weight=2"]);
    assert_eq!(embedded_model(&with)["command"]["sets"], serde_json::json!(["node.P4.weight=2"]));
    // Others are refused (usage, exit 2), as are what-ifs compute would stop on (exit 1).
    let out = tempfile::tempdir().unwrap();
    gti()
        .args(["explore", "--set", "defaults.normalise.method=zscore", "-o"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the explorer recomputes weights"));
    gti()
        .args(["explore", "--set", "node.P4.weight=-1", "-o"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("weights must be finite"));
    gti().args(["explore", "-o", "-"]).assert().code(2);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "a failed run wrote something");
    let (m, _) = example();
    assert!(m.is_file());
}

#[test]
fn controls_write_set_pairs_into_the_url_and_the_command() {
    let Some(chromium) = chromium_or_skip() else { return };
    let (_out, page) = explore(&[]);
    let s = Session::new(&chromium);
    s.open(&page, "");
    let order = || s.eval("[...document.querySelectorAll('tr[data-unit]')].map(tr => tr.dataset.unit)");
    let published = order();
    // Moving a slider: a --set pair in the state, the URL and the command; the ranking re-orders.
    s.run(
        "const r = document.querySelector('input[type=range][data-path=\"node.P4.weight\"]'); \
         r.value = '3'; r.dispatchEvent(new Event('input'));",
    );
    assert_eq!(s.eval("window.gti.state().sets"), serde_json::json!(["node.P4.weight=3"]));
    let hash: String = serde_json::from_value(s.eval("location.hash")).unwrap();
    assert!(hash.ends_with("&set=node.P4.weight%3D3"), "{hash}");
    let command: String = serde_json::from_value(s.eval("document.querySelector('textarea').value")).unwrap();
    assert_eq!(command, "gti compute -m methodology/gti.toml -d indicators --set node.P4.weight=3");
    let (m, d) = example();
    let cli = super::compute_wait(super::compute_spawn(&m, &d, &["node.P4.weight=3".into()]), &[]).unwrap();
    let want: Vec<&str> = cli
        .iter()
        .filter(|r| r["year"] == "2024" && r["node"] == "GTI")
        .map(|r| r["unit"].as_str())
        .collect();
    assert_eq!(order(), serde_json::json!(want));
    assert_ne!(order(), published, "the ranking did not re-order");
    // A method menu; then back to the published methodology.
    s.run(
        "const m = document.querySelector('select[data-path=\"node.P2.aggregate.method\"]'); \
         m.value = 'geometric'; m.dispatchEvent(new Event('change'));",
    );
    assert_eq!(
        s.eval("window.gti.state().sets"),
        serde_json::json!(["node.P4.weight=3", "node.P2.aggregate.method=geometric"])
    );
    s.run("[...document.querySelectorAll('button')].find(b => b.textContent.startsWith('Back to the published')).click();");
    assert_eq!(s.eval("window.gti.state().sets"), serde_json::json!([]));
    assert_eq!(order(), published);
    // Every control is reachable with the keyboard (native, enabled, not taken out of the tab order).
    assert_eq!(
        s.eval("[...document.querySelectorAll('input,select,button,textarea,summary')].every(e => e.tabIndex >= 0 && !e.disabled)"),
        true
    );
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}
