//! The differential test: random what-ifs opened as URLs in headless chromium, the page's
//! `window.gti.scores()` and ranking rows against `gti compute --set` on the same inputs.
//!
//! Weights (zero, whole and arbitrary doubles), every aggregation method (COINr aliases
//! too, the generalised mean with negative, fractional and whole p), the default method and
//! the penalty k, on the embedded GTI example and on COINr's ASEM data; the first what-ifs
//! touch each node in turn. Scores and coverage must agree to 1e-9 relative (tests/util.rs),
//! ranks, bands and imputed counts exactly; where compute stops with an error the page must
//! show an error and no numbers. The page loads afresh for each what-if, and the whole run
//! has no console message and no network request.

use super::browser::{Session, chromium_or_skip};
use super::{asem, compute_spawn, compute_wait, example, explore};
use crate::util::REL_TOL;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

type Row = BTreeMap<String, String>;

/// The framework as the embedded model gives it.
struct Shape {
    root: String,
    /// Nodes but the root (they have weights).
    nodes: Vec<String>,
    indicators: Vec<String>,
    expert: bool,
    years: Vec<i64>,
}

impl Shape {
    fn of(model: &Value) -> Shape {
        let els = model["elements"].as_array().unwrap();
        let code = |e: &Value| e["code"].as_str().unwrap().to_string();
        let nodes = els.iter().filter(|e| e["kind"] == "node");
        Shape {
            root: code(&els[0]),
            nodes: nodes.clone().skip(1).map(code).collect(),
            indicators: els.iter().filter(|e| e["kind"] == "indicator").map(code).collect(),
            expert: els.iter().any(|e| e["source"] == "expert"),
            years: model["years"].as_array().unwrap().iter().map(|y| y.as_i64().unwrap()).collect(),
        }
    }

    fn all_nodes(&self) -> Vec<&String> {
        std::iter::once(&self.root).chain(&self.nodes).collect()
    }
}

const METHODS: [&str; 10] = [
    "arithmetic",
    "geometric",
    "harmonic",
    "generalised",
    "median",
    "min",
    "sum",
    "a_gmean",
    "mean",
    "Geometric",
];

fn weight(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..10) {
        0 => "0".into(),
        1..=3 => rng.random_range(1..5).to_string(),
        // Any double, written as Rust writes it (shortest round trip): the page must read it
        // as TOML exactly as the CLI does.
        _ => format!("{}", rng.random::<f64>() * 5.0),
    }
}

fn method(rng: &mut ChaCha8Rng, prefix: &str) -> Vec<String> {
    let m = METHODS[rng.random_range(0..METHODS.len())];
    let mut out = vec![format!("{prefix}.method={m}")];
    if m == "generalised" {
        let p = ["-3", "-1", "-0.5", "0.5", "2", "3", "0"][rng.random_range(0..7)];
        out.push(format!("{prefix}.p={p}"));
    }
    out
}

fn change(rng: &mut ChaCha8Rng, s: &Shape) -> Vec<String> {
    let pick = |rng: &mut ChaCha8Rng, v: &[String]| v[rng.random_range(0..v.len())].clone();
    match rng.random_range(0..10) {
        0..=2 => vec![format!("node.{}.weight={}", pick(rng, &s.nodes), weight(rng))],
        3..=4 => vec![format!("indicator.{}.weight={}", pick(rng, &s.indicators), weight(rng))],
        5..=7 => {
            let nodes: Vec<String> = s.all_nodes().into_iter().cloned().collect();
            let node = pick(rng, &nodes);
            method(rng, &format!("node.{node}.aggregate"))
        }
        8 => method(rng, "defaults.aggregate"),
        _ if s.expert => {
            vec![format!("expert.penalty.k={}", ["0", "10", "50", "12.5"][rng.random_range(0..4)])]
        }
        _ => vec![format!("node.{}.weight={}", pick(rng, &s.nodes), weight(rng))],
    }
}

/// What-if `i`: the first ones change each node in turn (its method, or its weight).
fn whatif(rng: &mut ChaCha8Rng, s: &Shape, i: usize) -> Vec<String> {
    let mut sets = Vec::new();
    let nodes = s.all_nodes();
    if let Some(node) = nodes.get(i) {
        if i.is_multiple_of(2) || *node == &s.root {
            sets.extend(method(rng, &format!("node.{node}.aggregate")));
        } else {
            sets.push(format!("node.{node}.weight={}", weight(rng)));
        }
    }
    for _ in 0..rng.random_range(usize::from(sets.is_empty())..4) {
        sets.extend(change(rng, s));
    }
    sets
}

fn fragment(year: i64, node: &str, sets: &[String]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let pairs: Vec<String> = sets.iter().map(|s| enc(s)).collect();
    format!("#view=ranking&year={year}&node={}&set={}", enc(node), pairs.join(","))
}

/// What-ifs that `gti compute` stops on: in validation (p missing, or left beside a method
/// that takes none; a negative weight; every child at weight 0) and, with the example's
/// expert items, in aggregation (a penalty that makes pillars negative, under a geometric
/// index).
fn failing(s: &Shape) -> Vec<Vec<String>> {
    let node = &s.nodes[0];
    let mut out = vec![
        vec!["defaults.aggregate.method=generalised".to_string()],
        vec![format!("node.{node}.aggregate.p=2")],
        vec![format!("indicator.{}.weight=-1", s.indicators[0])],
        s.nodes.iter().map(|n| format!("node.{n}.weight=0")).collect(),
    ];
    if s.expert {
        out.push(vec!["expert.penalty.k=1000".into(), format!("node.{}.aggregate.method=geometric", s.root)]);
    }
    out
}

#[derive(Default)]
struct Tally {
    whatifs: usize,
    failing: usize,
    scores: usize,
    identical: usize,
    worst: f64,
}

fn rel(a: &str, b: &str) -> f64 {
    let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
    (a - b).abs() / b.abs().max(1.0)
}

fn compare(cli: &[Row], page: &[Row], what: &str, t: &mut Tally) {
    assert_eq!(cli.len(), page.len(), "{what}: row count");
    for (c, p) in cli.iter().zip(page) {
        let key = |r: &Row| ["unit", "year", "node", "level"].map(|k| r[k].clone());
        assert_eq!(key(c), key(p), "{what}: row order");
        for col in ["rank", "band", "imputed", "unit_name"] {
            assert_eq!(c[col], p[col], "{what}: {col} of {:?}", key(c));
        }
        for col in ["score", "coverage"] {
            let (a, b) = (&p[col], &c[col]);
            assert_eq!(
                a.is_empty(),
                b.is_empty(),
                "{what}: {col} of {:?}: page {a:?}, compute {b:?}",
                key(c)
            );
            if b.is_empty() {
                continue;
            }
            let d = rel(a, b);
            assert!(d <= REL_TOL, "{what}: {col} of {:?}: page {a}, compute {b}", key(c));
            if col == "score" {
                t.scores += 1;
                t.identical += usize::from(a == b);
                t.worst = t.worst.max(d);
            }
        }
    }
}

/// The ranking rows in the document: (unit, year, node, score, rank, band) by unit.
fn dom_rows(s: &Session) -> Vec<Vec<String>> {
    let v = s.eval(
        "[...document.querySelectorAll('tr[data-unit]')].map(tr => ['unit','year','node','score','rank','band'].map(k => tr.dataset[k]))",
    );
    serde_json::from_value(v).unwrap()
}

fn run(
    session: &Session,
    page: &Path,
    methodology: &Path,
    data: &Path,
    whatifs: usize,
    seed: u64,
    t: &mut Tally,
) {
    let shape = Shape::of(&super::embedded_model(page));
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let fixed = failing(&shape);
    for i in 0..whatifs + fixed.len() {
        // What-if 0 is the published methodology itself; then what-ifs that compute stops on.
        let sets = match i {
            0 => Vec::new(),
            i if i <= fixed.len() => fixed[i - 1].clone(),
            i => whatif(&mut rng, &shape, i - 1 - fixed.len()),
        };
        let year = shape.years[rng.random_range(0..shape.years.len())];
        let nodes = shape.all_nodes();
        let node = nodes[rng.random_range(0..nodes.len())].clone();
        let what = format!("{} what-if {i} {sets:?}", methodology.display());
        // compute runs while the page loads.
        let cli = compute_spawn(methodology, data, &sets);
        session.open(page, &fragment(year, &node, &sets));
        let state = session.eval("window.gti.state()");
        assert_eq!(state["sets"], serde_json::json!(sets), "{what}: the page's pairs");
        assert_eq!(state["unsupported"], serde_json::json!([]), "{what}");
        t.whatifs += 1;
        match compute_wait(cli, &sets) {
            None => {
                t.failing += 1;
                assert_eq!(
                    session.eval("window.gti.scores()"),
                    Value::Null,
                    "{what}: compute fails, the page shows numbers"
                );
                assert!(!state["errors"].as_array().unwrap().is_empty(), "{what}: no error shown");
            }
            Some(cli) => {
                let rows: Vec<Row> = serde_json::from_value(session.eval("window.gti.scores()")).unwrap();
                compare(&cli, &rows, &what, t);
                let want: Vec<Vec<String>> = rows
                    .iter()
                    .filter(|r| r["year"] == year.to_string() && r["node"] == node)
                    .map(|r| ["unit", "year", "node", "score", "rank", "band"].map(|k| r[k].clone()).to_vec())
                    .collect();
                let mut got = dom_rows(session);
                let mut want_sorted = want.clone();
                got.sort();
                want_sorted.sort();
                assert_eq!(got, want_sorted, "{what}: the ranking rows' data attributes");
            }
        }
    }
}

#[test]
fn what_ifs_in_the_page_equal_gti_compute() {
    let Some(chromium) = chromium_or_skip() else { return };
    let session = Session::new(&chromium);
    let mut t = Tally::default();
    let (_keep, page) = explore(&[]);
    let (m, d) = example();
    run(&session, &page, &m, &d, 120, 1, &mut t);
    let dir = tempfile::tempdir().unwrap();
    let (am, ad) = asem(&dir.path().join("asem"));
    let (_keep2, apage) = explore(&["-m", am.to_str().unwrap(), "-d", ad.to_str().unwrap()]);
    run(&session, &apage, &am, &ad, 100, 2, &mut t);
    eprintln!(
        "explore differential: {} what-ifs ({} where compute stops with an error, the page too); \
         {} scores, {} identical to the last digit; worst relative difference {:e}",
        t.whatifs, t.failing, t.scores, t.identical, t.worst
    );
    assert!(t.whatifs >= 200 + 9);
    assert!(t.failing < t.whatifs / 4, "too few what-ifs give numbers: {}", t.failing);
    assert_eq!(session.console(), Vec::<String>::new(), "console messages");
    assert_eq!(session.requests(), Vec::<String>::new(), "network requests");
}
