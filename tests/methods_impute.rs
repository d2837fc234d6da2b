//! Model-based imputation (`em`, `knn`, `regression`; docs/methods.md) against the
//! independent references (tests/reference/methods/impute.py, numpy; knn cross-checked with
//! scikit-learn's KNNImputer, regression with R's lm) on COINr's ASEM data and on the
//! hand-made case, with the degenerate cases' errors.

use crate::methods_support::*;
use crate::util::{close, read_csv};
use std::collections::BTreeMap;
use std::path::Path;

/// `--dataset Imputed`: (unit, year, code) → (value, imputed flag).
fn imputed(m: &Path, d: &Path, sets: &[&str], out: &Path) -> BTreeMap<(String, String, String), (f64, bool)> {
    let mut args: Vec<&str> = vec!["-q", "--dataset", "Imputed"];
    sets.iter().for_each(|s| args.extend(["--set", s]));
    try_compute(m, d, out, &args).unwrap_or_else(|e| panic!("{e}"));
    read_csv(&out.join("Imputed.csv"))
        .into_iter()
        .map(|r| {
            let v = if r["value"].is_empty() { f64::NAN } else { r["value"].parse().unwrap() };
            ((r["unit"].clone(), r["year"].clone(), r["code"].clone()), (v, r["flag"] == "imputed"))
        })
        .collect()
}

/// Every value the reference filled is filled alike, and nothing else is flagged.
fn compare(
    got: &BTreeMap<(String, String, String), (f64, bool)>,
    want: &[&BTreeMap<String, String>],
    what: &str,
) {
    let mut worst = Worst::default();
    for r in want {
        let key =
            (r["unit"].clone(), r.get("year").cloned().unwrap_or("2018".into()), r["indicator"].clone());
        let (g, flagged) = got[&key];
        let w = num(r, "value");
        assert!(flagged && close(g, w), "{what} {key:?}: {g} vs {w}");
        worst.see(g, w);
    }
    let flagged = got.values().filter(|v| v.1).count();
    assert_eq!(flagged, want.len(), "{what}: gti fills exactly what the reference fills");
    eprintln!("{what}: {} values, worst {:e}", worst.1, worst.0);
}

const REGRESSION: [&str; 6] = [
    "indicator.Flights.impute.method=regression",
    r#"indicator.Flights.impute.predictors=["LPI", "Ship"]"#,
    "indicator.ConSpeed.impute.method=regression",
    r#"indicator.ConSpeed.impute.predictors=["Cov4G", "LPI"]"#,
    "indicator.Renew.impute.method=regression",
    r#"indicator.Renew.impute.predictors=["PrimEner", "CO2"]"#,
];

#[test]
fn asem_em_knn_and_regression_match_the_references() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let want = expected("asem-impute.csv");
    let runs: [(&str, &[&str]); 3] = [
        ("em", &["defaults.impute.method=em", "defaults.impute.tolerance=1e-13"]),
        ("knn", &["defaults.impute.method=knn", "defaults.impute.k=5"]),
        ("regression", &REGRESSION),
    ];
    for (method, sets) in runs {
        let got = imputed(&m, dir.path(), sets, &dir.path().join(method));
        let rows: Vec<_> = want.iter().filter(|r| r["method"] == method).collect();
        assert_eq!(rows.len(), if method == "regression" { 8 } else { 63 });
        compare(&got, &rows, method);
    }
}

#[test]
fn asem_em_logs_the_iterations_of_each_pillar_model() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let out = dir.path().join("em");
    let sets = ["defaults.impute.method=em", "defaults.impute.tolerance=1e-13"];
    let mut args: Vec<&str> = vec![];
    sets.iter().for_each(|s| args.extend(["--set", s]));
    try_compute(&m, dir.path(), &out, &args).unwrap();
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    // The reference's iteration counts to 1e-13 (asem-impute-em-iterations.csv).
    for r in expected("asem-impute-em-iterations.csv") {
        let line = format!("impute: '{}' (2018): em: {} iterations", r["node"], r["iterations_to_1e-13"]);
        assert!(manifest.contains(&line), "{line}");
    }
}

const HAND: &str = "schema = 1\n\n[index]\ncode = \"I\"\nname = \"hand-made\"\nversion = \"1\"\n\n\
    [defaults]\nnormalise = { method = \"none\" }\nmissing = { min_coverage = 0 }\n\n[node.I]\n\n\
    [indicator.x1]\nparent = \"I\"\n\n[indicator.x2]\nparent = \"I\"\n\n[indicator.x3]\nparent = \"I\"\n";

#[test]
fn hand_made_case_matches_the_references() {
    let dir = tempfile::tempdir().unwrap();
    let input = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand/impute-input.csv"));
    let (m, d) = hand(dir.path(), HAND, &long_data(&input, "2024"));
    let want: Vec<BTreeMap<String, String>> = expected("hand/impute.csv")
        .into_iter()
        .map(|mut r| {
            r.insert("year".into(), "2024".into());
            r
        })
        .collect();
    let runs: [(&str, &[&str]); 3] = [
        ("em", &["defaults.impute.method=em", "defaults.impute.tolerance=1e-13"]),
        ("knn k=2", &["defaults.impute.method=knn", "defaults.impute.k=2"]),
        (
            "regression x3~x1+x2",
            &["indicator.x3.impute.method=regression", r#"indicator.x3.impute.predictors=["x1", "x2"]"#],
        ),
    ];
    for (i, (method, sets)) in runs.into_iter().enumerate() {
        let got = imputed(&m, &d, sets, &dir.path().join(format!("o{i}")));
        let rows: Vec<_> = want.iter().filter(|r| r["method"] == method).collect();
        compare(&got, &rows, method);
    }
}

#[test]
fn model_imputation_refuses_what_it_cannot_fit() {
    let dir = tempfile::tempdir().unwrap();
    // Three units with a value for three variables: n ≤ p.
    let data = "unit,year,indicator,value\nXAA,2024,x1,1\nXAB,2024,x1,2\nXAC,2024,x1,4\n\
                XAA,2024,x2,1\nXAB,2024,x2,3\nXAC,2024,x2,2\nXAA,2024,x3,5\nXAB,2024,x3,6\n";
    let (m, d) = hand(dir.path(), HAND, data);
    let err =
        try_compute(&m, &d, &dir.path().join("a"), &["--set", "defaults.impute.method=em"]).unwrap_err();
    assert!(err.contains("em: 3 unit(s) for 3 variables in 2024 (I)"), "{err}");
    // x2 = 2·x1 + 1 exactly: collinear predictors.
    let collinear = "unit,year,indicator,value\nXAA,2024,x1,1\nXAB,2024,x1,2\nXAC,2024,x1,3\nXAD,2024,x1,4\nXAE,2024,x1,5\n\
                     XAA,2024,x2,3\nXAB,2024,x2,5\nXAC,2024,x2,7\nXAD,2024,x2,9\nXAE,2024,x2,11\n\
                     XAA,2024,x3,1\nXAB,2024,x3,4\nXAC,2024,x3,2\nXAD,2024,x3,8\n";
    let (m, d) = hand(dir.path(), HAND, collinear);
    let sets = [
        "--set",
        "indicator.x3.impute.method=regression",
        "--set",
        r#"indicator.x3.impute.predictors=["x1", "x2"]"#,
    ];
    let err = try_compute(&m, &d, &dir.path().join("b"), &sets).unwrap_err();
    assert!(err.contains("regression: the predictors of 'x3' are collinear in 2024"), "{err}");
    // A predictor that is not an indicator is a methodology error naming the line.
    let bad = HAND.replace(
        "[indicator.x3]\nparent = \"I\"\n",
        "[indicator.x3]\nparent = \"I\"\nimpute = { method = \"regression\", predictors = [\"x1\", \"x4\"] }\n",
    );
    let (m, d) = hand(dir.path(), &bad, collinear);
    let err = try_compute(&m, &d, &dir.path().join("c"), &[]).unwrap_err();
    assert!(err.contains("m.toml:22:") && err.contains("predictor 'x4' is not an indicator"), "{err}");
    // k must be a whole number.
    let (m, d) = hand(dir.path(), HAND, collinear);
    let err = try_compute(
        &m,
        &d,
        &dir.path().join("d"),
        &["--set", "defaults.impute.method=knn", "--set", "defaults.impute.k=0"],
    );
    assert!(err.unwrap_err().contains("k must be a whole number >= 1"));
}

/// `gti audit` on ASEM with the reference's imputation settings and `extra` arguments.
fn asem_audit(dir: &Path, out: &str, extra: &[&str]) -> std::path::PathBuf {
    let m = asem(dir, false);
    let o = dir.join(out);
    let mut cmd = crate::util::gti();
    cmd.args(["audit", "-q", "-m"]).arg(&m).arg("-d").arg(dir).arg("-o").arg(&o);
    let sets = ["defaults.impute.method=em", "defaults.impute.tolerance=1e-13"];
    sets.iter().chain(&REGRESSION).for_each(|s| _ = cmd.args(["--set", s]));
    cmd.args(extra).assert().success();
    o
}

#[test]
fn asem_imputation_evaluation_matches_the_reference_on_its_mask() {
    let dir = tempfile::tempdir().unwrap();
    let mask = crate::util::repo().join("tests/data/methods-expected/asem-imputation-mask.csv");
    let mask = mask.to_str().unwrap();
    let methods = "mean,group_mean:GDPpc_group,em,knn,regression";
    let out = asem_audit(dir.path(), "a", &["--imputation", methods, "--mask-file", mask]);
    let got: BTreeMap<(String, String), BTreeMap<String, String>> = read_csv(&out.join("imputation.csv"))
        .into_iter()
        .map(|r| ((r["indicator"].clone(), r["method"].clone()), r))
        .collect();
    let want = expected("asem-imputation-eval.csv");
    assert_eq!(got.len(), want.len(), "49 indicators × 4 methods + 3 regressions");
    let mut worst = Worst::default();
    for w in &want {
        let g = &got[&(w["indicator"].clone(), w["method"].clone())];
        assert_eq!(g["n_masked"], w["n_masked"]);
        for col in ["rmse", "mae", "r2"] {
            let (a, b) = (num(g, col), num(w, col));
            assert_eq!(a.is_nan(), b.is_nan(), "{} {} {col}", w["indicator"], w["method"]);
            if !b.is_nan() {
                assert!(close(a, b), "{} {} {col}: {a} vs {b}", w["indicator"], w["method"]);
                worst.see(a, b);
            }
        }
    }
    eprintln!("imputation.csv: {} values, worst {:e}", worst.1, worst.0);
    // The summary reproduces the docs' table (median r2, lowest rmse of 49).
    let md = std::fs::read_to_string(out.join("audit.md")).unwrap();
    for row in
        ["| `mean` | 49 | -0.153 | 2 |", "| `group_mean` | 49 | -0.016 | 8 |", "| `em` | 49 | 0.314 | 15 |"]
    {
        assert!(md.contains(row), "{row}\n{md}");
    }
    assert!(
        md.contains("| `knn` | 49 | 0.303 | 24 |") && md.contains("| `regression` | 3 | 0.389 | — |"),
        "{md}"
    );
}

#[test]
fn the_seeded_mask_is_reproducible_and_masks_the_documented_share() {
    let dir = tempfile::tempdir().unwrap();
    let a = asem_audit(dir.path(), "a", &["--imputation", "mean,knn", "--mask", "0.1", "--seed", "7"]);
    let b = asem_audit(dir.path(), "b", &["--imputation", "mean,knn", "--mask", "0.1", "--seed", "7"]);
    let read = |p: &Path| std::fs::read_to_string(p.join("imputation.csv")).unwrap();
    assert_eq!(read(&a), read(&b));
    // ⌊0.1 n + ½⌋ per indicator, as the reference's mask.
    let want: BTreeMap<String, String> = expected("asem-imputation-eval.csv")
        .into_iter()
        .filter(|r| r["method"] == "mean")
        .map(|r| (r["indicator"].clone(), r["n_masked"].clone()))
        .collect();
    for r in read_csv(&a.join("imputation.csv")) {
        assert_eq!(r["n_masked"], want[&r["indicator"]], "{}", r["indicator"]);
    }
    let manifest = std::fs::read_to_string(a.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"seed\": 7"), "{manifest}");
    let c = asem_audit(dir.path(), "c", &["--imputation", "mean", "--seed", "8"]);
    assert_ne!(read(&a).lines().nth(1), read(&c).lines().nth(1), "another seed, another mask");
}

/// Every sensitivity variant runs the full pipeline up front, so a model-based imputation in
/// a variant is computed as `gti compute` computes it.
#[test]
fn sensitivity_runs_a_variant_with_knn_imputation_as_compute_does() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let spec = dir.path().join("spec.toml");
    let text = "[[input]]\npath = \"defaults.impute\"\nvalues = [{ method = \"knn\", k = 5 }]\n\n\
                [[input]]\npath = \"weights\"\nnoise = 0.0\n";
    std::fs::write(&spec, text).unwrap();
    let ua = dir.path().join("ua");
    let mut cmd = crate::util::gti();
    cmd.args(["sensitivity", "-q", "--runs", "10", "-m"]).arg(&m).arg("-d").arg(dir.path());
    cmd.arg("--spec").arg(&spec).arg("-o").arg(&ua).assert().success();
    let out = dir.path().join("knn");
    try_compute(&m, dir.path(), &out, &["-q", "--set", "defaults.impute.method=knn"]).unwrap();
    let computed = crate::util::scores(&out.join("scores.csv"));
    let rows = read_csv(&ua.join("rank_stats.csv"));
    assert!(!rows.is_empty());
    for r in &rows {
        let c = &computed[&(r["unit"].clone(), r["year"].clone(), r["node"].clone())];
        assert_eq!((&r["q05_rank"], &r["q95_rank"]), (&c["rank"], &c["rank"]), "{r:?}");
    }
}
