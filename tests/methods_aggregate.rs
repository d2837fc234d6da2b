//! Non-compensatory aggregation (`mpi`, `ampi`, `bod` and its robust variant, `copeland`;
//! docs/methods.md) against the independent references (tests/reference/methods/aggregate.py,
//! HiGHS for BoD, cross-checked with R's lpSolve and the LP dual) on COINr's ASEM data and on
//! hand-made cases, with the papers' penalty examples and BoD's LP optimality.

use crate::methods_support::*;
use crate::util::{close, read_csv};
use std::collections::BTreeMap;
use std::path::Path;

/// Sets `table` as the aggregation of every node of `level`.
fn on_level(level: &[&str], table: &str) -> Vec<String> {
    level.iter().map(|n| format!("node.{n}.aggregate={table}")).collect()
}

/// Compares one node's scores in `got` with the expected rows (`score`; empty = no score).
fn compare(got: &Values, want: &[&BTreeMap<String, String>], year: &str, what: &str, worst: &mut Worst) {
    for r in want {
        let y = r.get("year").map_or(year, String::as_str);
        let g = got[&(r["unit"].clone(), y.to_string(), r["node"].clone())];
        let w = num(r, "score");
        assert_eq!(g.is_nan(), w.is_nan(), "{what} {} {} {y}: {g} vs {w}", r["node"], r["unit"]);
        if !w.is_nan() {
            assert!(close(g, w), "{what} {} {} {y}: {g} vs {w}", r["node"], r["unit"]);
            worst.see(g, w);
        }
    }
}

#[test]
fn asem_mpi_and_copeland_match_the_references() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let mpi = expected("asem-mpi.csv");
    for (variant, table) in [
        ("paper", r#"{ method = "mpi" }"#),
        ("sample", r#"{ method = "ci_mpi", sd = "sample" }"#),
        ("unstandardised", r#"{ method = "mpi", standardise = false }"#),
    ] {
        let mut worst = Worst::default();
        for (i, level) in ASEM_LEVELS.iter().enumerate() {
            let got = aggregated(&compute(
                &m,
                dir.path(),
                &on_level(level, table),
                &dir.path().join(format!("{variant}{i}")),
            ));
            let rows: Vec<_> = mpi
                .iter()
                .filter(|r| r["variant"] == variant && level.contains(&r["node"].as_str()))
                .collect();
            compare(&got, &rows, "2018", variant, &mut worst);
        }
        assert_eq!(worst.1, 561, "{variant}: 11 nodes × 51 units");
        eprintln!("mpi {variant}: worst {:e}", worst.0);
    }
    let cop = expected("asem-copeland.csv");
    let mut worst = Worst::default();
    for (i, level) in ASEM_LEVELS.iter().enumerate() {
        let got = aggregated(&compute(
            &m,
            dir.path(),
            &on_level(level, r#"{ method = "a_copeland" }"#),
            &dir.path().join(format!("c{i}")),
        ));
        let rows: Vec<_> = cop.iter().filter(|r| level.contains(&r["node"].as_str())).collect();
        compare(&got, &rows, "2018", "copeland", &mut worst);
        // COINr's a_copeland is 2·score − (n − 1) where the node's children are complete.
        for r in rows.iter().filter(|r| !r["coinr"].is_empty()) {
            let g = got[&(r["unit"].clone(), "2018".into(), r["node"].clone())];
            assert_eq!(2.0 * g - 50.0, num(r, "coinr"), "{} {}", r["node"], r["unit"]);
        }
    }
    assert_eq!((worst.0, worst.1), (0.0, 561), "copeland scores are counts: exact");
}

#[test]
fn asem_panel_ampi_matches_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), true);
    let want = expected("asem-ampi.csv");
    let mut worst = Worst::default();
    for (i, level) in ASEM_LEVELS.iter().enumerate() {
        let got = aggregated(&compute(
            &m,
            dir.path(),
            &on_level(level, r#"{ method = "ampi" }"#),
            &dir.path().join(format!("a{i}")),
        ));
        let rows: Vec<_> = want.iter().filter(|r| level.contains(&r["node"].as_str())).collect();
        compare(&got, &rows, "", "ampi", &mut worst);
    }
    assert_eq!(worst.1, 2805, "11 nodes × 51 units × 5 years");
    eprintln!("ampi: worst {:e}", worst.0);
}

/// BoD's weights in bod.csv: (year, node, unit) → child → (weight, share).
type BodWeights = BTreeMap<(String, String, String), BTreeMap<String, (f64, f64)>>;

fn bod_weights(out: &Path) -> BodWeights {
    let mut w = BodWeights::new();
    for r in read_csv(&out.join("bod.csv")) {
        let key = (r["year"].clone(), r["node"].clone(), r["unit"].clone());
        w.entry(key)
            .or_default()
            .insert(r["child"].clone(), (r["weight"].parse().unwrap(), r["share"].parse().unwrap()));
    }
    w
}

/// Every unit's weights are feasible (w ≥ 0, w·yⱼ ≤ 1 for every unit j with all children,
/// shares within [lo, hi]) and optimal (w·yᵢ = the unit's score), within 1e-9.
fn check_lp(got: &Values, weights: &BodWeights, node: &str, kids: &[String], (lo, hi): (f64, f64)) -> usize {
    let y = |u: &str, c: &str| got[&(u.to_string(), "2018".into(), c.to_string())];
    let units: Vec<String> = got
        .keys()
        .filter(|k| k.2 == node && kids.iter().all(|c| !y(&k.0, c).is_nan()))
        .map(|k| k.0.clone())
        .collect();
    for u in &units {
        let w = &weights[&("2018".into(), node.into(), u.clone())];
        assert!(w.values().all(|(wk, _)| *wk >= 0.0), "{node} {u}: a negative weight");
        for j in &units {
            let dot: f64 = kids.iter().map(|c| w[c].0 * y(j, c)).sum();
            assert!(dot <= 1.0 + 1e-9, "{node} {u}: w·y({j}) = {dot} > 1");
        }
        let own: f64 = kids.iter().map(|c| w[c].0 * y(u, c)).sum();
        let score = y(u, node);
        assert!((own - score).abs() <= 1e-9, "{node} {u}: w·y = {own}, score {score}");
        for c in kids {
            let share = w[c].0 * y(u, c) / own.max(f64::MIN_POSITIVE);
            assert!(own == 0.0 || (lo - 1e-9..=hi + 1e-9).contains(&share), "{node} {u} {c}: share {share}");
            assert!(own == 0.0 || (share - w[c].1).abs() <= 1e-9, "{node} {u} {c}: bod.csv share {}", w[c].1);
        }
    }
    units.len()
}

#[test]
fn asem_bod_scores_are_the_lp_optima() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let kids = asem_children(&m);
    let want = expected("asem-bod.csv");
    for (restriction, table, bounds) in [
        ("none", r#"{ method = "bod" }"#, (0.0, 1.0)),
        ("shares", r#"{ method = "ci_bod", min_share = 0.05, max_share = 0.5 }"#, (0.05, 0.5)),
    ] {
        let (mut worst, mut units) = (Worst::default(), 0);
        for (i, level) in ASEM_LEVELS.iter().enumerate() {
            let out = compute(
                &m,
                dir.path(),
                &on_level(level, table),
                &dir.path().join(format!("{restriction}{i}")),
            );
            let got = aggregated(&out);
            let rows: Vec<_> = want
                .iter()
                .filter(|r| r["restriction"] == restriction && level.contains(&r["node"].as_str()))
                .collect();
            compare(&got, &rows, "2018", restriction, &mut worst);
            // The unrestricted score is also the optimum of the dual LP (reference's HiGHS).
            for r in rows.iter().filter(|r| !r["dual"].is_empty()) {
                let g = got[&(r["unit"].clone(), "2018".into(), r["node"].clone())];
                assert!(
                    close(g, num(r, "dual")),
                    "{} {}: {g} vs the dual {}",
                    r["node"],
                    r["unit"],
                    r["dual"]
                );
            }
            let weights = bod_weights(&out);
            for node in level.iter() {
                units += check_lp(&got, &weights, node, &kids[*node], bounds);
            }
        }
        assert_eq!(units, worst.1, "{restriction}: every scored unit's weights checked");
        eprintln!("bod {restriction}: {} scores, worst {:e}", worst.1, worst.0);
    }
}

/// Index `I` over the hand-made input's children, with `node` keys and `head` in [index].
fn hand_run(input: &str, node: &str, head: &str, weights: &[f64]) -> (tempfile::TempDir, Values) {
    let rows = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand").join(input));
    let kids: Vec<&str> =
        rows[0].keys().filter(|k| *k != "unit" && *k != "year").map(String::as_str).collect();
    let children: Vec<(&str, f64)> =
        kids.iter().enumerate().map(|(i, k)| (*k, weights.get(i).copied().unwrap_or(1.0))).collect();
    let dir = tempfile::tempdir().unwrap();
    let (m, d) = hand(dir.path(), &hand_methodology(&children, node, head), &long_data(&rows, "2024"));
    let got = aggregated(&compute(&m, &d, &[], &dir.path().join("out")));
    (dir, got)
}

#[test]
fn mpi_penalises_an_unbalanced_unit_as_the_paper_does() {
    let want = expected("hand/mpi.csv");
    for (variant, node, head) in [
        ("paper", r#"aggregate = { method = "mpi" }"#, ""),
        ("sample", r#"aggregate = { method = "mpi", sd = "sample" }"#, ""),
        ("unstandardised", r#"aggregate = { method = "mpi", standardise = false }"#, ""),
        ("paper higher_is=worse", r#"aggregate = { method = "mpi" }"#, "higher_is = \"worse\""),
    ] {
        let (_dir, got) = hand_run("mpi-input.csv", node, head, &[]);
        for r in want.iter().filter(|r| r["variant"] == variant) {
            let g = got[&(r["unit"].clone(), "2024".into(), "I".into())];
            assert!(close(g, num(r, "score")), "{variant} {}: {g} vs {}", r["unit"], r["score"]);
            // The penalty: below the mean of its children when higher is better, above when worse.
            let penalty = num(r, "mean") - g;
            assert!(close(penalty, num(r, "penalty")), "{variant} {}", r["unit"]);
            assert!(if head.is_empty() { penalty >= 0.0 } else { penalty <= 0.0 });
        }
    }
    // XAE (78, 80, 76, 5): its one very low child costs it 1.62 points on the standardised
    // scale, and 16.76 below its arithmetic mean 59.75 unstandardised (docs/methods.md).
    let (_dir, got) =
        hand_run("mpi-input.csv", r#"aggregate = { method = "mpi", standardise = false }"#, "", &[]);
    let xae = got[&("XAE".into(), "2024".into(), "I".into())];
    assert!((59.75 - xae - 16.756276150627613).abs() < 1e-9, "{xae}");
    let (_dir, mean) = hand_run("mpi-input.csv", "", "", &[]);
    assert_eq!(
        mean[&("XAE".into(), "2024".into(), "I".into())],
        59.75,
        "the arithmetic mean of the same children"
    );
    // A balanced unit (XAC: 75, 70, 80, 72) loses far less than XAE.
    let xac = got[&("XAC".into(), "2024".into(), "I".into())];
    assert!(74.25 - xac < 0.2 && 59.75 - xae > 16.0);
}

#[test]
fn ampi_penalises_over_time_on_pooled_goalposts() {
    let (_dir, got) = hand_run("ampi-input.csv", r#"aggregate = { method = "ampi" }"#, "", &[]);
    for r in expected("hand/ampi.csv") {
        let g = got[&(r["unit"].clone(), r["year"].clone(), "I".into())];
        assert!(close(g, num(&r, "score")), "{} {}: {g} vs {}", r["unit"], r["year"], r["score"]);
        assert!(num(&r, "mean") - g > 0.0, "below the mean: the penalty");
    }
    // XAD (80, 10, 70) is the unbalanced one: the largest penalty in both years.
    let p = |u: &str, y: &str| {
        let r = expected("hand/ampi.csv").into_iter().find(|r| r["unit"] == u && r["year"] == y).unwrap();
        num(&r, "penalty")
    };
    assert!(["XAA", "XAB", "XAC"].iter().all(|u| p(u, "2023") < p("XAD", "2023")));
}

#[test]
fn bod_worked_example_and_share_restrictions() {
    let want = expected("hand/bod.csv");
    for (restriction, node) in [
        ("none", r#"aggregate = { method = "bod" }"#),
        (
            "shares 0.3-0.7",
            r#"aggregate = { method = "bod", min_share = 0.3, max_share = { a = 0.7, b = 0.7 } }"#,
        ),
    ] {
        let (dir, got) = hand_run("bod-input.csv", node, "", &[]);
        for r in want.iter().filter(|r| r["restriction"] == restriction) {
            let g = got[&(r["unit"].clone(), "2024".into(), "I".into())];
            assert!(close(g, num(r, "analytic")), "{restriction} {}: {g} vs {}", r["unit"], r["analytic"]);
        }
        let w = bod_weights(&dir.path().join("out"));
        for (k, shares) in &w {
            for (c, (_, s)) in shares {
                let ok = restriction == "none" || (0.3 - 1e-9..=0.7 + 1e-9).contains(s);
                assert!(ok, "{k:?} {c}: share {s}");
            }
        }
    }
    // With range = [0, 100] the frontier scores 100.
    let (_dir, got) =
        hand_run("bod-input.csv", r#"aggregate = { method = "bod", range = [0, 100] }"#, "", &[]);
    assert!(close(got[&("XAD".into(), "2024".into(), "I".into())], 200.0 / 3.0));
}

#[test]
fn robust_bod_draws_exactly_and_in_expectation() {
    use gti::stages::aggregate::bod;
    let input = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand/bod-input.csv"));
    let y: BTreeMap<String, Vec<f64>> = input
        .iter()
        .map(|r| (r["unit"].clone(), vec![r["a"].parse().unwrap(), r["b"].parse().unwrap()]))
        .collect();
    // (1) The draws given: each λ_b exact, and the score 1/mean(λ).
    let mut lambdas: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in expected("hand/robust-bod-draws.csv") {
        let drawn: Vec<&[f64]> = r["drawn_units"].split(' ').map(|u| y[u].as_slice()).collect();
        let l = bod::lambda(&y[&r["unit"]], &drawn, &[0.0; 2], &[1.0; 2]).unwrap();
        assert!(close(l, num(&r, "lambda")), "{} draw {}: {l} vs {}", r["unit"], r["draw"], r["lambda"]);
        lambdas.entry(r["unit"].clone()).or_default().push(l);
    }
    let robust = expected("hand/robust-bod.csv");
    for r in &robust {
        let s = bod::robust_score(&lambdas[&r["unit"]]).unwrap();
        assert!(close(s, num(r, "score_given_draws")), "{}: {s}", r["unit"]);
    }
    // (2) gti's own draws: the mean λ within 4 sd/√B of its exact expectation over all 125
    // ordered draws of 3 units.
    const B: f64 = 2000.0;
    let node = r#"aggregate = { method = "bod", robust = { m = 3, draws = 2000 }, seed = 7 }"#;
    let (dir, got) = hand_run("bod-input.csv", node, "", &[]);
    for r in &robust {
        let mean_lambda = 1.0 / got[&(r["unit"].clone(), "2024".into(), "I".into())];
        let (e, sd) = (num(r, "mean_lambda_exact"), num(r, "sd_lambda_exact"));
        assert!(
            (mean_lambda - e).abs() <= 4.0 * sd / B.sqrt(),
            "{}: mean λ {mean_lambda} vs E {e}",
            r["unit"]
        );
    }
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("\"robust_bod\"") && manifest.contains("\"seed\": 7"), "{manifest}");
    // The same seed, the same scores; another seed, other draws.
    let (_d2, again) = hand_run("bod-input.csv", node, "", &[]);
    assert_eq!(format!("{got:?}"), format!("{again:?}"));
    let (_d3, other) = hand_run("bod-input.csv", &node.replace("seed = 7", "seed = 8"), "", &[]);
    assert_ne!(format!("{got:?}"), format!("{other:?}"));
}

#[test]
fn copeland_ties_and_weights() {
    let want = expected("hand/copeland.csv");
    for (label, weights) in [("equal", vec![1.0, 1.0, 1.0]), ("weights=2,1,1", vec![2.0, 1.0, 1.0])] {
        let (_dir, got) =
            hand_run("copeland-input.csv", r#"aggregate = { method = "copeland" }"#, "", &weights);
        for r in want.iter().filter(|r| r["weights"] == label) {
            let g = got[&(r["unit"].clone(), "2024".into(), "I".into())];
            assert_eq!(g, num(r, "score"), "{label} {}", r["unit"]);
        }
    }
    // Onto [0, 100]: 4 points of 4 is 100, 2.5 is 62.5.
    let (_dir, got) =
        hand_run("copeland-input.csv", r#"aggregate = { method = "copeland", range = [0, 100] }"#, "", &[]);
    assert_eq!(got[&("XAE".into(), "2024".into(), "I".into())], 100.0);
    assert_eq!(got[&("XAB".into(), "2024".into(), "I".into())], 62.5);
}
