//! The audit additions of issue 18 beside imputation: `gti audit --alpha pairwise|complete`
//! against the independent reference (tests/reference/methods/audit.py, cross-checked with R's
//! `cov(use = "pairwise.complete.obs")` and COINr's `get_cronbach` formula) on ASEM and on the
//! hand-made case whose pairwise α exceeds 1; influence (`influence.csv`,
//! `influence_summary.csv`) and `--external` (`external.csv`) against the same reference's
//! `asem-influence*.csv` and `asem-external.csv` (origin in tests/data/methods-expected/README.md),
//! plus hand-checked influence cases and the external file's errors.

use crate::methods_support::*;
use crate::util::{close, gti, read_csv};
use sha2::Digest;
use std::path::Path;

fn audit_nodes(m: &Path, d: &Path, out: &Path, alpha: &str) -> Rows {
    audit(m, d, out, &["--alpha", alpha]);
    read_csv(&out.join("nodes.csv"))
}

#[test]
fn asem_alpha_complete_and_pairwise_match_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let want = expected("asem-alpha.csv");
    for (how, col, n) in
        [("complete", "alpha_complete", "n_complete"), ("pairwise", "alpha_pairwise", "n_pairwise_min")]
    {
        let got = audit_nodes(&m, dir.path(), &dir.path().join(how), how);
        let mut worst = Worst::default();
        for w in &want {
            let g = got.iter().find(|r| r["node"] == w["node"]).unwrap();
            assert_eq!(g["alpha_n"], w[n], "{how} {}", w["node"]);
            let (a, b) = (num(g, "alpha"), num(w, col));
            assert!(close(a, b), "{how} {}: {a} vs {b}", w["node"]);
            worst.see(a, b);
        }
        assert_eq!(worst.1, 11);
        eprintln!("alpha {how}: worst {:e}", worst.0);
    }
}

#[test]
fn hand_made_pairwise_alpha_can_exceed_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand/alpha-input.csv"));
    let toml = hand_methodology(&[("a", 1.0), ("b", 1.0), ("c", 1.0)], "", "");
    let (m, d) = hand(dir.path(), &toml, &long_data(&input, "2024"));
    let want = &expected("hand/alpha.csv")[0];
    for (how, col, n) in
        [("complete", "alpha_complete", "n_complete"), ("pairwise", "alpha_pairwise", "n_pairwise_min")]
    {
        let got = audit_nodes(&m, &d, &dir.path().join(how), how);
        let g = got.iter().find(|r| r["node"] == "I").unwrap();
        assert_eq!(g["alpha_n"], want[n], "{how}");
        assert!(close(num(g, "alpha"), num(want, col)), "{how}: {} vs {}", g["alpha"], want[col]);
    }
    let pairwise = audit_nodes(&m, &d, &dir.path().join("p2"), "pairwise");
    assert!(num(&pairwise[0], "alpha") > 1.0);
}

/// `gti audit -q -m m -d d -o out` plus `args`.
fn audit_cmd(m: &Path, d: &Path, out: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = gti();
    cmd.args(["audit", "-q", "-m"]).arg(m).arg("-d").arg(d).arg("-o").arg(out).args(args);
    cmd
}

/// [`audit_cmd`], which must succeed; the output folder.
fn audit(m: &Path, d: &Path, out: &Path, args: &[&str]) -> std::path::PathBuf {
    audit_cmd(m, d, out, args).assert().success();
    out.to_path_buf()
}

#[test]
fn asem_influence_matches_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let out = audit(&m, dir.path(), &dir.path().join("audit"), &[]);
    let got = read_csv(&out.join("influence.csv"));
    let want = expected("asem-influence.csv");
    assert_eq!(got.len(), want.len(), "59 elements × 51 units");
    let mut worst = Worst::default();
    for w in &want {
        let g = got.iter().find(|r| r["removed"] == w["removed"] && r["unit"] == w["unit"]).unwrap();
        assert_eq!((g["year"].as_str(), g["rank"].as_str()), ("2018", w["index_rank"].as_str()), "{w:?}");
        assert_eq!(g["rank_change"], w["rank_change"], "{w:?}");
        let (a, b) = (num(g, "score"), num(w, "index_score"));
        assert!(close(a, b) || (a.is_nan() && b.is_nan()), "{w:?}: {a}");
        worst.see(a, b);
    }
    eprintln!("influence scores: worst {:e} over {}", worst.0, worst.1);
    let got = read_csv(&out.join("influence_summary.csv"));
    let want = expected("asem-influence-summary.csv");
    assert_eq!(got.len(), 59);
    for w in &want {
        let g = got.iter().find(|r| r["removed"] == w["removed"]).unwrap();
        for col in ["level", "n", "max_abs_rank_change"] {
            assert_eq!(g[col], w[col], "{} {col}", w["removed"]);
        }
        let (a, b) = (num(g, "mean_abs_rank_change"), num(w, "mean_abs_rank_change"));
        assert!(close(a, b), "{}: {a} vs {b}", w["removed"]);
    }
    let md = std::fs::read_to_string(out.join("audit.md")).unwrap();
    assert!(md.contains("## Most influential elements (2018)"), "{md}");
}

/// Index I over node P (its only child a), b and c (weight 2). By hand, nominal:
/// XAA (10 + 50 + 2·20)/4 = 25, XAB (40 + 20 + 60)/4 = 30, XAC (30 + 120)/3 = 50, XAD 70:
/// ranks 4, 3, 2, 1.
const ONLY_CHILD: &str = "schema = 1\n\n[index]\ncode = \"I\"\nname = \"hand-made\"\nversion = \"1\"\n\n\
    [defaults]\nnormalise = { method = \"none\" }\nmissing = { min_coverage = 0 }\n\n[node.I]\n\n\
    [node.P]\nparent = \"I\"\n\n[indicator.a]\nparent = \"P\"\n\n[indicator.b]\nparent = \"I\"\n\n\
    [indicator.c]\nparent = \"I\"\nweight = 2\n";

const ONLY_CHILD_DATA: &str = "unit,year,indicator,value\nXAA,2024,a,10\nXAB,2024,a,40\nXAC,2024,a,30\n\
    XAD,2024,a,70\nXAA,2024,b,50\nXAB,2024,b,20\nXAA,2024,c,20\nXAB,2024,c,30\nXAC,2024,c,60\n";

#[test]
fn hand_made_influence_an_only_child_and_a_unit_left_without_index() {
    let dir = tempfile::tempdir().unwrap();
    let (m, d) = hand(dir.path(), ONLY_CHILD, ONLY_CHILD_DATA);
    let out = audit(&m, &d, &dir.path().join("audit"), &[]);
    let rows = read_csv(&out.join("influence.csv"));
    let row = |removed: &str, unit: &str| {
        let r = rows.iter().find(|r| r["removed"] == removed && r["unit"] == unit).unwrap();
        (num(r, "score"), r["rank"].clone(), r["rank_change"].clone())
    };
    // Without a, P has no child left: P is missing and I renormalises over b and c:
    // XAA (50 + 40)/3 = 30, XAB (20 + 60)/3 = 80/3, XAC 120/2 = 60, XAD none.
    for removed in ["a", "P"] {
        let want = [("XAA", 30.0, "2", "2"), ("XAB", 80.0 / 3.0, "3", "0"), ("XAC", 60.0, "1", "1")];
        for (unit, score, rank, change) in want {
            let (s, r, c) = row(removed, unit);
            assert!(close(s, score), "{removed} {unit}: {s}");
            assert_eq!((r.as_str(), c.as_str()), (rank, change), "{removed} {unit}");
        }
        let (s, r, c) = row(removed, "XAD");
        assert!(s.is_nan() && r.is_empty() && c.is_empty(), "{removed}: XAD has no index without a");
    }
    // Without c: XAA (10 + 50)/2, XAB (40 + 20)/2 and XAC 30/1 all 30, a tie at rank 2.
    for (unit, change) in [("XAA", "2"), ("XAB", "1"), ("XAC", "0"), ("XAD", "0")] {
        let (s, r, c) = row("c", unit);
        let (score, rank) = if unit == "XAD" { (70.0, "1") } else { (30.0, "2") };
        assert!(close(s, score), "c {unit}: {s}");
        assert_eq!((r.as_str(), c.as_str()), (rank, change), "c {unit}");
    }
    let summary = read_csv(&out.join("influence_summary.csv"));
    let s = |removed: &str| {
        let r = summary.iter().find(|r| r["removed"] == removed).unwrap();
        (r["level"].clone(), r["n"].clone(), num(r, "mean_abs_rank_change"), r["max_abs_rank_change"].clone())
    };
    assert_eq!(s("a"), ("1".into(), "3".into(), 1.0, "2".into()));
    assert_eq!(s("P"), ("2".into(), "3".into(), 1.0, "2".into()));
    assert_eq!(s("b"), ("1".into(), "4".into(), 0.0, "0".into()));
    assert_eq!(s("c"), ("1".into(), "4".into(), 0.75, "2".into()));
}

#[test]
fn an_index_with_an_only_child_has_no_rank_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let toml = hand_methodology(&[("a", 1.0)], "", "");
    let (m, d) = hand(dir.path(), &toml, "unit,year,indicator,value\nXAA,2024,a,1\nXAB,2024,a,2\n");
    let out = audit(&m, &d, &dir.path().join("audit"), &[]);
    let summary = read_csv(&out.join("influence_summary.csv"));
    assert_eq!(summary.len(), 1);
    let r = &summary[0];
    assert_eq!(
        (r["n"].as_str(), r["mean_abs_rank_change"].as_str(), r["max_abs_rank_change"].as_str()),
        ("0", "", "")
    );
    let rows = read_csv(&out.join("influence.csv"));
    assert!(
        rows.iter().all(|r| r["score"].is_empty() && r["rank"].is_empty() && r["rank_change"].is_empty())
    );
}

#[test]
fn asem_external_correlations_match_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let m = asem(dir.path(), false);
    let ext = crate::util::repo().join("tests/data/methods-expected/asem-external-input.csv");
    let ext = ext.to_str().unwrap();
    let out = audit(&m, dir.path(), &dir.path().join("audit"), &["--external", ext]);
    let got = read_csv(&out.join("external.csv"));
    let want = expected("asem-external.csv");
    assert_eq!(got.len(), want.len());
    let mut worst = Worst::default();
    for w in &want {
        let g = got.iter().find(|r| r["node"] == w["node"] && r["external"] == w["external"]).unwrap();
        assert_eq!((&g["year"], &g["n"]), (&w["year"], &w["n"]), "{w:?}");
        for col in ["pearson", "spearman"] {
            let (a, b) = (num(g, col), num(w, col));
            assert!(close(a, b), "{} {} {col}: {a} vs {b}", w["node"], w["external"]);
            worst.see(a, b);
        }
    }
    eprintln!("external: worst {:e} over {}", worst.0, worst.1);
}

/// `gti audit` of the small test index with `--external ext` (written into the folder).
fn small_external(ext_name: &str, ext: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = crate::util::fixture(&[
        ("m.toml", crate::util::SMALL_TOML),
        ("d.csv", crate::util::SMALL_DATA),
        (ext_name, ext),
        ("out/previous.txt", "previous\n"),
    ]);
    let p = dir.path();
    let ext = p.join(ext_name);
    let args = ["--external", ext.to_str().unwrap()];
    let o = audit_cmd(&p.join("m.toml"), &p.join("d.csv"), &p.join("out"), &args).output().unwrap();
    (dir, o)
}

#[test]
fn an_external_code_of_the_methodology_is_a_located_error() {
    let long = "unit,year,indicator,value\nXAA,2024,gdp,1\nXAB,2024,a2,2\n";
    let wide = "unit,year,gdp,b1\nXAA,2024,1,2\n";
    for (name, ext, at, code) in
        [("long.csv", long, "long.csv:3:3", "a2"), ("wide.csv", wide, "wide.csv:1:4", "b1")]
    {
        let (dir, o) = small_external(name, ext);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains(at), "expected {at} in:\n{stderr}");
        assert!(stderr.contains(&format!("'{code}' is a code of the methodology")), "{stderr}");
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["previous.txt"], "the output folder changed");
    }
}

#[test]
fn external_rows_of_other_units_or_years_are_ignored_and_counted() {
    // Five rows, two of them outside the run (unit XZZ, year 2019).
    let ext = "unit,year,indicator,value\nXAA,2024,gdp,1\nXAB,2024,gdp,4\nXAC,2024,gdp,2\n\
               XZZ,2024,gdp,9\nXAA,2019,gdp,9\n";
    let (dir, o) = small_external("gdp.csv", ext);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path().join("out");
    let rows = read_csv(&out.join("external.csv"));
    assert_eq!(rows.len(), 3, "I, A and B");
    assert!(rows.iter().all(|r| r["n"] == "3" && r["external"] == "gdp" && r["year"] == "2024"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("2 row(s) of the external file(s) name a unit or year not in the run"),
        "{manifest}"
    );
}

#[test]
fn external_correlations_are_empty_below_three_units_or_for_a_constant() {
    let two = "unit,year,indicator,value\nXAA,2024,gdp,1\nXAB,2024,gdp,4\n";
    let constant = "unit,year,indicator,value\nXAA,2024,gdp,7\nXAB,2024,gdp,7\nXAC,2024,gdp,7\n";
    for (ext, n) in [(two, "2"), (constant, "3")] {
        let (dir, o) = small_external("gdp.csv", ext);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rows = read_csv(&dir.path().join("out/external.csv"));
        assert!(
            rows.iter().all(|r| r["n"] == n && r["pearson"].is_empty() && r["spearman"].is_empty()),
            "{rows:?}"
        );
    }
}

#[test]
fn external_files_are_named_in_the_manifest_apart_from_the_inputs() {
    let ext = "unit,year,indicator,value\nXAA,2024,gdp,1\nXAB,2024,gdp,4\nXAC,2024,gdp,2\n";
    let (dir, o) = small_external("gdp.csv", ext);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = dir.path();
    audit(&p.join("m.toml"), &p.join("d.csv"), &p.join("plain"), &[]);
    let manifest = |out: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p.join(out).join("manifest.json")).unwrap()).unwrap()
    };
    let (with, without) = (manifest("out"), manifest("plain"));
    // The digest computed here, independently of gti's hashing.
    let digest: String = sha2::Sha256::digest(ext.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let external = with["external"].as_array().expect("an `external` key");
    assert_eq!(external.len(), 1, "{external:?}");
    assert!(external[0]["path"].as_str().unwrap().ends_with("gdp.csv"), "{external:?}");
    assert_eq!(external[0]["sha256"], digest.as_str());
    assert_eq!(with["inputs"], without["inputs"], "the external file is not an input");
    assert_eq!(with["inputs"].as_array().unwrap().len(), 1);
    assert!(without.get("external").is_none(), "no key without --external: {without}");
}

#[test]
fn audit_md_summarises_the_index_external_correlations() {
    // By hand (min-max to [0, 100], arithmetic means): I = 25, 54.17, 75 for XAA, XAB, XAC.
    // With gdp = 1, 4, 2: Pearson r = 0.4163 (Python's statistics.correlation), ranks
    // (1, 2, 3) against (1, 3, 2): Spearman ρ = 1 − 6·2/(3·8) = 0.5.
    let ext = "unit,year,indicator,value\nXAA,2024,gdp,1\nXAB,2024,gdp,4\nXAC,2024,gdp,2\n";
    let (dir, o) = small_external("gdp.csv", ext);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(dir.path().join("out/audit.md")).unwrap();
    assert!(md.contains("## External indicators (2024)"), "{md}");
    assert!(md.contains("| gdp | 3 | 0.416 | 0.500 |"), "{md}");
}

/// A hand-made index I over a, b, c and d (the columns of `hand/<input>`, year 2024) with
/// `node` in `[node.I]`, audited: (the input rows, `influence.csv`'s rows).
fn hand_influence(input: &str, node: &str) -> (Rows, Rows) {
    let dir = tempfile::tempdir().unwrap();
    let input = read_csv(&crate::util::repo().join("tests/data/methods-expected/hand").join(input));
    let kids = [("a", 1.0), ("b", 1.0), ("c", 1.0), ("d", 1.0)];
    let (m, d) = hand(dir.path(), &hand_methodology(&kids, node, ""), &long_data(&input, "2024"));
    let out = audit(&m, &d, &dir.path().join("audit"), &[]);
    (input, read_csv(&out.join("influence.csv")))
}

/// Fitted weights are kept as fitted: without child k, the index is the reference's CRITIC
/// weights (hand/weights.csv) renormalised over the other children, not a refit on them
/// (CRITIC's weights depend on the children's correlations with each other, so a refit
/// without k would differ; entropy's would not).
#[test]
fn influence_keeps_fitted_weights_as_fitted() {
    let (input, rows) = hand_influence("weights-input.csv", r#"weights = { method = "critic" }"#);
    let w: Vec<(String, f64)> = expected("hand/weights.csv")
        .iter()
        .filter(|r| r["method"] == "critic")
        .map(|r| (r["child"].clone(), num(r, "weight")))
        .collect();
    assert_eq!(w.len(), 4);
    let mut compared = 0;
    for removed in ["a", "b", "c", "d"] {
        for unit in &input {
            let kept = w.iter().filter(|(c, _)| c != removed);
            let (sum, total) =
                kept.fold((0.0, 0.0), |(s, t), (c, wc)| (s + wc * unit[c].parse::<f64>().unwrap(), t + wc));
            let g = rows.iter().find(|r| r["removed"] == removed && r["unit"] == unit["unit"]).unwrap();
            assert!(
                close(num(g, "score"), sum / total),
                "{removed} {}: {} vs {}",
                unit["unit"],
                g["score"],
                sum / total
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 32);
}

/// The Mazziotta–Pareto Index of the paper (population sd in both steps), written here from
/// the formula in docs/methods.md: z = 100 + 10 (x − mean)/sd per child, M − S²/M per unit.
fn mpi_by_formula(cols: &[Vec<f64>]) -> Vec<f64> {
    let sd_pop = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
    };
    let z: Vec<Vec<f64>> = cols
        .iter()
        .map(|x| {
            let (m, s) = (x.iter().sum::<f64>() / x.len() as f64, sd_pop(x));
            x.iter().map(|v| 100.0 + 10.0 * (v - m) / s).collect()
        })
        .collect();
    (0..cols[0].len())
        .map(|u| {
            let zu: Vec<f64> = z.iter().map(|c| c[u]).collect();
            let m = zu.iter().sum::<f64>() / zu.len() as f64;
            m - sd_pop(&zu).powi(2) / m
        })
        .collect()
}

/// A non-compensatory parent is recomputed without the child: an `mpi` index without d (the
/// child where XAE is very low) is the MPI of a, b and c, standardised anew.
#[test]
fn influence_recomputes_an_mpi_parent_without_the_child() {
    let (input, rows) = hand_influence("mpi-input.csv", r#"aggregate = { method = "mpi" }"#);
    let cols: Vec<Vec<f64>> =
        ["a", "b", "c"].iter().map(|c| input.iter().map(|r| r[*c].parse().unwrap()).collect()).collect();
    let want = mpi_by_formula(&cols);
    for (unit, w) in input.iter().zip(want) {
        let g = rows.iter().find(|r| r["removed"] == "d" && r["unit"] == unit["unit"]).unwrap();
        assert!(close(num(g, "score"), w), "{}: {} vs {w}", unit["unit"], g["score"]);
    }
    // XAE (78, 80, 76, 5) tops the index once its one very low child is gone.
    let xae = rows.iter().find(|r| r["removed"] == "d" && r["unit"] == "XAE").unwrap();
    assert_eq!(xae["rank"], "1");
}
