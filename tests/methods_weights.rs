//! Data-driven weights (`weights = { method = … }`, docs/methods.md "Data-driven weights")
//! against the independent references (tests/reference/methods/weights.py, cross-checked in
//! R): on COINr's ASEM data, on a hand-made case and on the OECD/JRC Handbook's TAI example;
//! the degenerate cases of the specification; `gti methodology freeze`.

use crate::methods_support::*;
use crate::util::{close, close_opt, gti, reaches, read_csv};
use std::collections::BTreeMap;
use std::path::Path;

/// weights.csv keyed by (node, child): (weight, fit_cases).
fn weights(out: &Path) -> BTreeMap<(String, String), (f64, String)> {
    read_csv(&out.join("weights.csv"))
        .into_iter()
        .map(|r| {
            ((r["node"].clone(), r["child"].clone()), (r["weight"].parse().unwrap(), r["fit_cases"].clone()))
        })
        .collect()
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

/// The objective of `optimised` (docs/methods.md): (1/m) Σ (tᵢ − ρᵢ/Σρ)², ρᵢ the correlation
/// of child column i with `y`; and the shares ρᵢ/Σρ.
fn objective(cols: &[Vec<f64>], y: &[f64], t: &[f64]) -> (f64, Vec<f64>) {
    let rho: Vec<f64> = cols.iter().map(|c| pearson(c, y)).collect();
    let total: f64 = rho.iter().sum();
    let shares: Vec<f64> = rho.iter().map(|r| r / total).collect();
    let f = shares.iter().zip(t).map(|(s, t)| (t - s).powi(2)).sum::<f64>() / t.len() as f64;
    (f, shares)
}

#[test]
fn asem_weights_match_the_references() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let kids = asem_children(&m);
    let want_w = expected("asem-weights.csv");
    let want_s = expected("asem-weights-scores.csv");
    for method in ["pca", "entropy", "critic", "optimised"] {
        let out =
            compute(&m, dir.path(), &[format!("defaults.weights.method={method}")], &dir.path().join(method));
        let (got_w, got_s) = (weights(&out), aggregated(&out));
        let near = |a, b| if method == "optimised" { close_opt(a, b) } else { close(a, b) };
        let (mut worst_w, mut worst_s) = (Worst::default(), Worst::default());
        for r in want_w.iter().filter(|r| r["method"] == method) {
            let (w, cases) = &got_w[&(r["node"].clone(), r["child"].clone())];
            assert!(
                near(*w, num(r, "weight")),
                "{method} {} {}: {w} vs {}",
                r["node"],
                r["child"],
                r["weight"]
            );
            assert_eq!(cases, &r["fit_cases"], "{method} {}: fit cases", r["node"]);
            worst_w.see(*w, num(r, "weight"));
        }
        for r in want_s.iter().filter(|r| r["method"] == method) {
            let got = got_s[&(r["unit"].clone(), "2018".into(), r["node"].clone())];
            let want = num(r, "score");
            assert_eq!(got.is_nan(), want.is_nan(), "{method} {} {}", r["node"], r["unit"]);
            if !want.is_nan() {
                assert!(near(got, want), "{method} {} {}: {got} vs {want}", r["node"], r["unit"]);
                worst_s.see(got, want);
            }
        }
        assert_eq!((worst_w.1, worst_s.1), (59, 561), "{method}: every weight and score compared");
        eprintln!("{method}: weights worst {:e}, scores worst {:e}", worst_w.0, worst_s.0);
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(
            manifest["fitted_weights"].as_array().unwrap().len(),
            11,
            "{method}: every node in the manifest"
        );
    }
    // optimised: the outcome, node by node (the objective reaches the reference optimum, the
    // correlation shares agree), from the children's and the node's scores gti wrote.
    let got = aggregated(&dir.path().join("optimised"));
    let opt = expected("asem-optimised.csv");
    for (node, children) in &kids {
        let units: Vec<&String> = got
            .keys()
            .filter(|k| {
                &k.2 == node && children.iter().all(|c| !got[&(k.0.clone(), k.1.clone(), c.clone())].is_nan())
            })
            .map(|k| &k.0)
            .collect();
        let col = |code: &str| -> Vec<f64> {
            units.iter().map(|u| got[&((*u).clone(), "2018".into(), code.into())]).collect()
        };
        let cols: Vec<Vec<f64>> = children.iter().map(|c| col(c)).collect();
        let t = vec![1.0 / children.len() as f64; children.len()];
        let (f, shares) = objective(&cols, &col(node), &t);
        let rows: Vec<_> = opt.iter().filter(|r| &r["node"] == node).collect();
        let best = num(rows[0], "objective");
        assert!(reaches(f, best), "{node}: f = {f:e}, the reference optimum {best:e}");
        for (c, s) in children.iter().zip(shares) {
            let r = rows.iter().find(|r| &r["child"] == c).unwrap();
            assert!(close_opt(s, num(r, "share")), "{node} {c}: share {s} vs {}", r["share"]);
        }
    }
}

/// The hand-made case's index over a, b, c, d with `weights`, computed; weights.csv.
fn hand_weights(dir: &Path, table: &str) -> BTreeMap<String, f64> {
    let rows = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand/weights-input.csv"));
    let kids = [("a", 1.0), ("b", 1.0), ("c", 1.0), ("d", 1.0)];
    let (m, d) =
        hand(dir, &hand_methodology(&kids, &format!("weights = {table}"), ""), &long_data(&rows, "2024"));
    let out = compute(&m, &d, &[], &dir.join("out"));
    weights(&out).into_iter().map(|((_, c), (w, _))| (c, w)).collect()
}

#[test]
fn hand_made_weights_match_the_references() {
    let want = expected("hand/weights.csv");
    let input = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand/weights-input.csv"));
    for (label, table) in [
        ("pca", r#"{ method = "pca" }"#),
        ("pca factors=2", r#"{ method = "factor", factors = 2 }"#),
        ("entropy", r#"{ method = "entropy" }"#),
        ("critic", r#"{ method = "critic" }"#),
        ("optimised", r#"{ method = "optimised" }"#),
        ("optimised targets=2,1,1,1", r#"{ method = "optimized", targets = { a = 2 } }"#),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let got = hand_weights(dir.path(), table);
        let rows: Vec<_> = want.iter().filter(|r| r["method"] == label).collect();
        let mut worst = Worst::default();
        for r in &rows {
            let (g, w) = (got[&r["child"]], num(r, "weight"));
            let ok = if label.starts_with("optimised") { close_opt(g, w) } else { close(g, w) };
            assert!(ok, "{label} {}: {g} vs {w}", r["child"]);
            worst.see(g, w);
        }
        assert_eq!(worst.1, 4, "{label}: every weight compared");
        eprintln!("hand {label}: worst {:e}", worst.0);
        if label.starts_with("optimised") {
            let cols: Vec<Vec<f64>> = ["a", "b", "c", "d"]
                .iter()
                .map(|c| input.iter().map(|r| r[*c].parse().unwrap()).collect())
                .collect();
            let w: Vec<f64> = ["a", "b", "c", "d"].iter().map(|c| got[*c]).collect();
            let y: Vec<f64> =
                (0..input.len()).map(|i| cols.iter().zip(&w).map(|(c, w)| c[i] * w).sum()).collect();
            let t: Vec<f64> =
                if label.ends_with("2,1,1,1") { vec![0.4, 0.2, 0.2, 0.2] } else { vec![0.25; 4] };
            let (f, _) = objective(&cols, &y, &t);
            assert!(reaches(f, num(rows[0], "objective")), "{label}: f = {f:e} vs {}", rows[0]["objective"]);
        }
    }
}

#[test]
fn handbook_tai_example_with_four_factors() {
    // The Handbook's 23 countries (codes made from their names) × 8 TAI indicators.
    let text =
        std::fs::read_to_string(crate::util::repo().join("tests/data/methods-expected/hand/tai-input.csv"))
            .unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let heads: Vec<String> = r.headers().unwrap().iter().skip(1).map(String::from).collect();
    let mut data = String::from("unit,year,indicator,value\n");
    for rec in r.records() {
        let rec = rec.unwrap();
        let unit: String = rec[0].chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        for (h, v) in heads.iter().zip(rec.iter().skip(1)) {
            data.push_str(&format!("{unit},2000,{h},{v}\n"));
        }
    }
    let kids: Vec<(&str, f64)> = heads.iter().map(|h| (h.as_str(), 1.0)).collect();
    let dir = tempfile::tempdir().unwrap();
    let toml = hand_methodology(&kids, r#"weights = { method = "pca", factors = 4 }"#, "");
    let (m, d) = hand(dir.path(), &toml, &data);
    let got = weights(&compute(&m, &d, &[], &dir.path().join("out")));
    let mut worst = Worst::default();
    for r in expected("hand/tai-weights.csv") {
        let g = got[&("I".to_string(), r["child"].clone())].0;
        assert!(close(g, num(&r, "weight")), "{}: {g} vs {}", r["child"], r["weight"]);
        worst.see(g, num(&r, "weight"));
    }
    assert_eq!(worst.1, 8, "the eight TAI indicators");
    eprintln!("TAI pca: worst {:e}", worst.0);
}

/// Runs a hand-made index over three units' children; the output folder, or the error text.
fn degenerate(
    children: &[(&str, f64)],
    node: &str,
    data: &str,
) -> Result<(tempfile::TempDir, String), String> {
    let dir = tempfile::tempdir().unwrap();
    let (m, d) = hand(dir.path(), &hand_methodology(children, node, ""), data);
    try_compute(&m, &d, &dir.path().join("out"), &[])?;
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    Ok((dir, manifest))
}

const FOUR: &str = "unit,year,indicator,value
XAA,2024,a,1\nXAB,2024,a,2\nXAC,2024,a,4\nXAD,2024,a,3
XAA,2024,b,2\nXAB,2024,b,1\nXAC,2024,b,5\nXAD,2024,b,7
XAA,2024,c,5\nXAB,2024,c,5\nXAC,2024,c,5\nXAD,2024,c,5
";

#[test]
fn weights_degenerate_cases_follow_the_policy() {
    let abc = [("a", 1.0), ("b", 2.0), ("c", 1.0)];
    // A constant child gets 0 (logged); a declared weight other than 1 replaced (logged).
    let (dir, manifest) = degenerate(&abc, r#"weights = { method = "critic" }"#, FOUR).unwrap();
    assert!(manifest.contains("weights: 'c' is constant over the fit sample of 'I': weight 0"), "{manifest}");
    assert!(
        manifest.contains("weights: node 'I': critic weights replace the declared weights of b (2)"),
        "{manifest}"
    );
    let w = weights(&dir.path().join("out"));
    assert_eq!(w[&("I".into(), "c".into())].0, 0.0);
    // Two varying children: Σₖ(1 − rⱼₖ) = 1 − r for both, so the weights are in the ratio of
    // the sds of a = (1, 2, 4, 3) and b = (2, 1, 5, 7) scaled to [0, 1]: (0, 1, 3, 2)/3 and
    // (1, 0, 4, 6)/6.
    let sd = |z: [f64; 4]| {
        let m = z.iter().sum::<f64>() / 4.0;
        (z.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 3.0).sqrt()
    };
    let ratio = sd([0.0, 1.0 / 3.0, 1.0, 2.0 / 3.0]) / sd([1.0 / 6.0, 0.0, 4.0 / 6.0, 1.0]);
    assert!(close(w[&("I".into(), "a".into())].0 / w[&("I".into(), "b".into())].0, ratio), "{w:?}");
    // One child with weight > 0: weight 1, nothing fitted.
    let (dir, _) = degenerate(&[("a", 1.0), ("b", 0.0)], r#"weights = { method = "pca" }"#, FOUR).unwrap();
    let w = weights(&dir.path().join("out"));
    assert_eq!((w[&("I".into(), "a".into())].0, w[&("I".into(), "b".into())].0), (1.0, 0.0));
    // Every weighted child constant: no weights can be fitted.
    let flat = "unit,year,indicator,value\nXAA,2024,c,5\nXAB,2024,c,5\nXAC,2024,c,5\nXAA,2024,d,1\nXAB,2024,d,1\nXAC,2024,d,1\n";
    let e = degenerate(&[("c", 1.0), ("d", 1.0)], r#"weights = { method = "pca" }"#, flat).unwrap_err();
    assert!(e.contains("every child is constant over the fit sample"), "{e}");
    // Missing values: listwise deletion, logged; fewer than 3 complete cases: an error.
    let sparse = FOUR.replace("XAC,2024,b,5\n", "").replace("XAD,2024,b,7\n", "");
    let e = degenerate(&abc, r#"weights = { method = "entropy" }"#, &sparse).unwrap_err();
    assert!(e.contains("weights: 2 complete case(s) in the fit sample; entropy needs at least 3 (unit (all units), year 2024, I)"), "{e}");
    let (_, manifest) =
        degenerate(&abc, r#"weights = { method = "entropy" }"#, &FOUR.replace("XAC,2024,b,5\n", "")).unwrap();
    assert!(manifest.contains("weights: node 'I': 1 unit-year(s) with a child missing left out of the fit sample (3 complete case(s) used)"), "{manifest}");
    // A fit year without data; a negative value under entropy; children identical up to scale under critic.
    let e = degenerate(&abc, r#"weights = { method = "pca", fit_year = 2030 }"#, FOUR).unwrap_err();
    assert!(e.contains("the fit year 2030 has no data"), "{e}");
    let e = degenerate(
        &abc,
        r#"weights = { method = "entropy" }"#,
        &FOUR.replace("XAB,2024,a,2", "XAB,2024,a,-2"),
    )
    .unwrap_err();
    assert!(
        e.contains("entropy weights need values >= 0 (child a: -2)") && e.contains("unit XAB, year 2024"),
        "{e}"
    );
    let twice = "unit,year,indicator,value\nXAA,2024,a,1\nXAB,2024,a,2\nXAC,2024,a,4\nXAA,2024,b,2\nXAB,2024,b,4\nXAC,2024,b,8\n";
    let e = degenerate(&[("a", 1.0), ("b", 1.0)], r#"weights = { method = "critic" }"#, twice).unwrap_err();
    assert!(e.contains("identical up to scale"), "{e}");
}

#[test]
fn fit_year_fixes_the_weights_for_every_year() {
    // Two years; weights fitted on 2023 alone are applied to 2024 too.
    let data = format!(
        "{}{}",
        FOUR,
        FOUR.lines().skip(1).map(|l| l.replace("2024", "2023") + "\n").collect::<String>()
    );
    let data = data.replace("XAD,2024,b,7", "XAD,2024,b,1");
    let abc = [("a", 1.0), ("b", 1.0), ("c", 1.0)];
    let (dir, manifest) =
        degenerate(&abc, r#"weights = { method = "entropy", fit_year = 2023 }"#, &data).unwrap();
    let w = weights(&dir.path().join("out"));
    assert_eq!(w[&("I".into(), "a".into())].1, "4", "the four units of 2023");
    assert!(manifest.contains("\"fit_year\": 2023"), "{manifest}");
    let pooled = degenerate(&abc, r#"weights = { method = "entropy" }"#, &data).unwrap().0;
    assert_eq!(
        weights(&pooled.path().join("out"))[&("I".into(), "a".into())].1,
        "8",
        "every unit-year pooled"
    );
}

#[test]
fn freeze_writes_the_weights_back_and_reproduces_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let text = std::fs::read_to_string(&m).unwrap().replace(
        "missing = { min_coverage = 0 }",
        "missing = { min_coverage = 0 }\nweights = { method = \"pca\", fit_year = 2018 }",
    );
    let fitted = dir.path().join("fitted.toml");
    std::fs::write(&fitted, &text).unwrap();
    let frozen = dir.path().join("frozen.toml");
    let freeze = || {
        let mut c = gti();
        c.args(["methodology", "freeze", "-m"]).arg(&fitted).arg("-d").arg(dir.path()).arg("-o").arg(&frozen);
        c
    };
    freeze().args(["--version", "2026"]).assert().success();
    // An existing output is kept without --force (exit 2).
    freeze().assert().code(2);
    let out = std::fs::read_to_string(&frozen).unwrap();
    assert!(!out.contains("weights = "), "every fitted weights table removed");
    assert!(out.contains("# iMeta line 2, Level 1"), "comments kept");
    let doc: toml::Table = toml::from_str(&out).unwrap();
    assert_eq!(doc["index"]["version"].as_str(), Some("2026"));
    let log = doc["changelog"].as_array().unwrap();
    assert!(
        log.last().unwrap()["summary"].as_str().unwrap().contains("Index by pca on 2018 (51 complete cases)")
    );
    // The frozen methodology computes the same scores, byte for byte.
    let a = compute(&fitted, dir.path(), &[], &dir.path().join("a"));
    let b = compute(&frozen, dir.path(), &[], &dir.path().join("b"));
    assert_eq!(std::fs::read(a.join("scores.csv")).unwrap(), std::fs::read(b.join("scores.csv")).unwrap());
    assert!(!b.join("weights.csv").exists(), "nothing is fitted any more");
    // Nothing to freeze: an error (exit 1).
    let e = gti()
        .args(["methodology", "freeze", "-m"])
        .arg(&m)
        .arg("-d")
        .arg(dir.path())
        .args(["-o", "-"])
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&e.get_output().stderr).contains("nothing to freeze"));
}
