//! `gti sensitivity`: nothing uncertain reproduces the nominal ranks, the files do not depend
//! on --threads, and spec errors are located.

use crate::util::{close, fixture, gti, read_csv, repo, scores};
use gti::sensitivity::{model, prepare, sample::Matrix, spec};
use std::path::Path;

const EXAMPLE_M: &str = "methodology/gti.toml";
const EXAMPLE_D: &str = "indicators";

/// A spec whose only alternatives are the example's own settings, and no weight noise.
const NOTHING_UNCERTAIN: &str = r#"
[[input]]
path = "defaults.aggregate.method"
values = ["arithmetic"]

[[input]]
path = "weights"
noise = 0.0
"#;

const UNCERTAIN: &str = r#"
[[input]]
name = "normalisation"
path = "defaults.normalise"
values = [{ method = "minmax", range = [0, 100], bounds = "panel" }, { method = "rank" }]

[[input]]
path = "weights"
noise = 0.3

[[input]]
path = "defaults.aggregate.method"
values = ["arithmetic", "geometric"]
"#;

fn run(spec: &Path, extra: &[&str], out: &Path) {
    let mut cmd = gti();
    cmd.args(["sensitivity", "-m", EXAMPLE_M, "-d", EXAMPLE_D, "--spec"]).arg(spec).args(extra);
    cmd.arg("-o").arg(out).assert().success();
}

#[test]
fn nothing_uncertain_reproduces_the_nominal_ranks_in_every_replication() {
    let dir = fixture(&[("spec.toml", NOTHING_UNCERTAIN)]);
    let spec = spec::load(&dir.path().join("spec.toml")).unwrap();
    let raw = gti::ingest::read_all(&[repo().join(EXAMPLE_D)]).unwrap();
    let p = prepare(&repo().join(EXAMPLE_M), &[], &raw, spec).unwrap();
    let plan = p.plan(99);
    let (mut s, mut d) = (model::Scratch::new(&p.shape), plan.new_draw());
    let (mut sc, mut rk) = (vec![0.0; p.shape.points()], vec![0; p.shape.points()]);
    for row in 0..50 {
        plan.fill(Matrix::A, row, &mut d);
        let v = p.variant(&d.choice);
        model::evaluate(&p.shape, v, &d.factors, &mut s);
        model::outputs(&p.shape, v, &mut s, &mut sc, &mut rk);
        assert_eq!(rk, p.nominal_ranks, "replication {row}");
        let same = sc.iter().zip(&p.nominal_scores).all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(same, "replication {row}: scores differ from the pipeline's");
    }
}

#[test]
fn nominal_columns_agree_with_compute_and_constant_runs_have_no_spread() {
    let dir = fixture(&[("spec.toml", NOTHING_UNCERTAIN)]);
    let (ua, computed) = (dir.path().join("ua"), dir.path().join("computed"));
    run(&dir.path().join("spec.toml"), &["--runs", "40", "-q"], &ua);
    gti().args(["compute", "-m", EXAMPLE_M, "-d", EXAMPLE_D, "-q", "-o"]).arg(&computed).assert().success();
    let computed = scores(&computed.join("scores.csv"));
    let rows = read_csv(&ua.join("rank_stats.csv"));
    assert!(!rows.is_empty());
    for r in &rows {
        let Some(c) = computed.get(&(r["unit"].clone(), r["year"].clone(), r["node"].clone())) else {
            continue; // units dropped by [screen] are not in scores.csv
        };
        assert_eq!(r["nominal_rank"], c["rank"], "{r:?}");
        assert_eq!(r["nominal_score"], c["score"], "{r:?}");
        assert_eq!(r["nominal_band"], c["band"], "{r:?}");
        if !c["rank"].is_empty() {
            for k in ["mean_rank", "median_rank", "q05_rank", "q95_rank"] {
                assert_eq!(r[k], c["rank"], "{k}: {r:?}");
            }
            assert_eq!(r["runs"], "40");
        }
    }
}

#[test]
fn one_and_two_threads_give_byte_identical_files() {
    let dir = fixture(&[("spec.toml", UNCERTAIN)]);
    let spec = dir.path().join("spec.toml");
    let ua = ["band_probs.csv", "manifest.json", "rank_stats.csv", "runs.csv"];
    let sa = ["manifest.json", "runs.csv", "sensitivity.csv"];
    for (mode, runs, files) in [("ua", "600", &ua[..]), ("sa", "300", &sa[..])] {
        let outs: Vec<_> = ["1", "2"].iter().map(|t| dir.path().join(format!("{mode}-{t}"))).collect();
        for (t, out) in ["1", "2"].iter().zip(&outs) {
            let args = ["--mode", mode, "--runs", runs, "--seed", "5", "--threads", t, "--boot", "50", "-q"];
            run(&spec, &args, out);
        }
        for out in &outs {
            // Exactly these: runs.csv, written ahead under a temporary name, was renamed.
            let mut names: Vec<String> = std::fs::read_dir(out)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            assert_eq!(names, files, "{}", out.display());
        }
        for n in files {
            let (a, b) = (std::fs::read(outs[0].join(n)).unwrap(), std::fs::read(outs[1].join(n)).unwrap());
            assert!(a == b, "{mode}: {n:?} differs between --threads 1 and 2");
        }
    }
}

#[test]
fn uncertain_inputs_spread_the_ranks_and_band_shares_sum_to_one() {
    let dir = fixture(&[("spec.toml", UNCERTAIN)]);
    let out = dir.path().join("ua");
    run(&dir.path().join("spec.toml"), &["--runs", "300", "--seed", "1", "-q"], &out);
    let rows = read_csv(&out.join("rank_stats.csv"));
    let spread = rows.iter().filter(|r| !r["q05_rank"].is_empty() && r["q05_rank"] != r["q95_rank"]).count();
    assert!(spread > 0, "no unit's rank moved");
    let runs = read_csv(&out.join("runs.csv"));
    assert_eq!(runs.len(), 300);
    assert!(runs.iter().any(|r| r["normalisation"].contains("rank")));
    let mut sums: std::collections::BTreeMap<(String, String, String), f64> = Default::default();
    for r in read_csv(&out.join("band_probs.csv")) {
        *sums.entry((r["unit"].clone(), r["year"].clone(), r["node"].clone())).or_default() +=
            r["probability"].parse::<f64>().unwrap();
    }
    let stats: std::collections::BTreeMap<_, _> =
        rows.iter().map(|r| ((r["unit"].clone(), r["year"].clone(), r["node"].clone()), r)).collect();
    for (k, s) in sums {
        // Bands cover [0, 100], and are read on the runs on that scale (the `rank` runs are
        // not): every such run with a score is in exactly one band.
        let band_runs: f64 = stats[&k]["band_runs"].parse().unwrap();
        assert!(band_runs > 0.0 && band_runs < 300.0, "{k:?}: {band_runs}");
        if stats[&k]["runs"] == "300" {
            assert!((s - 1.0).abs() < 1e-9, "{k:?}: {s}");
        } else {
            assert!(s <= 1.0 + 1e-9, "{k:?}: {s}");
        }
    }
}

#[test]
fn spec_errors_name_the_spec_and_the_alternative() {
    let dir = fixture(&[
        ("bad.toml", "[[input]]\npath = \"weights\"\nnoise = 1.5\n"),
        (
            "unknown.toml",
            "[[input]]\npath = \"defaults.aggregate.method\"\nvalues = [\"arithmetic\", \"avg\"]\n",
        ),
    ]);
    let out = dir.path().join("o");
    let mut cmd = gti();
    cmd.args(["sensitivity", "-m", EXAMPLE_M, "-d", EXAMPLE_D, "--spec"]).arg(dir.path().join("bad.toml"));
    let err = cmd.arg("-o").arg(&out).assert().code(1).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("bad.toml:2") && err.contains("outside [0, 1]"), "{err}");
    let mut cmd = gti();
    cmd.args(["sensitivity", "-m", EXAMPLE_M, "-d", EXAMPLE_D, "--spec"])
        .arg(dir.path().join("unknown.toml"));
    let err = cmd.arg("-o").arg(&out).assert().code(1).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("unknown.toml") && err.contains("defaults.aggregate.method = \"avg\""), "{err}");
    assert!(!out.exists(), "a failed run wrote {}", out.display());
}

#[test]
fn perturbed_replications_equal_the_full_pipeline_with_the_same_settings() {
    use gti::methodology::{Methodology, Override};
    let dir = fixture(&[("spec.toml", UNCERTAIN)]);
    let spec = spec::load(&dir.path().join("spec.toml")).unwrap();
    let (mpath, raw) = (repo().join(EXAMPLE_M), gti::ingest::read_all(&[repo().join(EXAMPLE_D)]).unwrap());
    let p = prepare(&mpath, &[], &raw, spec).unwrap();
    let text = std::fs::read_to_string(&mpath).unwrap();
    let plan = p.plan(3);
    let (mut s, mut d) = (model::Scratch::new(&p.shape), plan.new_draw());
    let (mut sc, mut rk) = (vec![0.0; p.shape.points()], vec![0; p.shape.points()]);
    for row in 0..6 {
        plan.fill(Matrix::A, row, &mut d);
        // The same replication written as --set overrides, validated and run in full.
        let mut sets: Vec<Override> =
            p.spec.choices().zip(&d.choice).map(|((_, v), &c)| v[c].clone()).collect();
        for (e, f) in p.base.framework.elements.iter().zip(&d.factors).skip(1) {
            let kind = if e.is_indicator() { "indicator" } else { "node" };
            sets.push(format!("{kind}.{}.weight={:?}", e.code, e.weight * f).parse().unwrap());
        }
        let r = gti::stages::run(&Methodology::parse_str(&mpath, &text, String::new(), &sets).unwrap(), &raw)
            .unwrap();
        let v = p.variant(&d.choice);
        model::evaluate(&p.shape, v, &d.factors, &mut s);
        model::outputs(&p.shape, v, &mut s, &mut sc, &mut rk);
        let agg = &r.datasets.aggregated;
        let (nu, nn) = (p.shape.units, p.shape.nodes.len());
        for y in 0..p.shape.years {
            for (j, &node) in p.shape.nodes.iter().enumerate() {
                let full = agg.col(y, node);
                let at = (y * nn + j) * nu;
                // Arithmetic means agree bit for bit; geometric means are summed in logs by
                // the fast path, so they agree to rounding (the tolerance policy of util).
                let same = full
                    .iter()
                    .zip(&sc[at..at + nu])
                    .all(|(a, b)| a.to_bits() == b.to_bits() || close(*b, *a));
                assert!(
                    same,
                    "replication {row}, year {y}, node {}: {full:?} vs {:?}",
                    p.nodes[j],
                    &sc[at..at + nu]
                );
                assert!(
                    same,
                    "replication {row}, year {y}, node {}: {full:?} vs {:?}",
                    p.nodes[j],
                    &sc[at..at + nu]
                );
                let ranks: Vec<u32> =
                    (0..nu).map(|u| r.ranks[(y * p.shape.elements() + node) * nu + u].unwrap_or(0)).collect();
                assert_eq!(ranks, rk[at..at + nu], "replication {row}, node {}", p.nodes[j]);
            }
        }
    }
}

/// A methodology with no expert indicator has no transparency tallies (they are not
/// allocated); the replications then subtract no penalty and reproduce compute's ranks.
#[test]
fn a_statistical_only_index_reproduces_its_nominal_ranks() {
    use crate::util::{SMALL_DATA, SMALL_TOML};
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d/v.csv", SMALL_DATA), ("spec.toml", NOTHING_UNCERTAIN)]);
    let out = dir.path().join("ua");
    gti()
        .current_dir(dir.path())
        .args(["sensitivity", "-m", "m.toml", "-d", "d", "--spec", "spec.toml", "--runs", "20", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("rank_stats.csv"));
    assert!(!rows.is_empty());
    for r in rows.iter().filter(|r| !r["nominal_rank"].is_empty()) {
        assert_eq!(r["q05_rank"], r["nominal_rank"], "{r:?}");
        assert_eq!(r["q95_rank"], r["nominal_rank"], "{r:?}");
    }
}

/// Issue 14: bands are cut-offs on the methodology's own scale. A spec that varies min-max
/// against a z-score (10, 2) (docs/sensitivity.md's pattern) put half the runs on another
/// scale, so a unit ranked 1st in every run came out `uncertain`. Bands are now read only on
/// the runs on the nominal scale, and the manifest says so.
#[test]
fn bands_are_read_only_on_runs_on_the_nominal_scale() {
    let toml = format!(
        "{}\n[defaults]\nnormalise = {{ method = \"minmax\", range = [0, 100] }}\n\
         [[band]]\nlabel = \"low\"\nmin = 0\nmax = 50\n[[band]]\nlabel = \"high\"\nmin = 50\nmax = 100\n",
        crate::util::SMALL_TOML
    );
    let spec = |minmax: &str| {
        format!(
            "[[input]]\nname = \"normalisation\"\npath = \"defaults.normalise\"\n\
             values = [{{ method = \"minmax\", range = {minmax} }}, {{ method = \"zscore\", mean = 10, sd = 2 }}]\n"
        )
    };
    let dir = fixture(&[
        ("m.toml", &toml),
        ("d.csv", crate::util::SMALL_DATA),
        ("half.toml", &spec("[0, 100]")),
        ("none.toml", &spec("[1, 100]")),
    ]);
    let ua = |spec: &str| {
        let out = dir.path().join(spec.replace(".toml", ""));
        gti()
            .current_dir(dir.path())
            .args(["sensitivity", "-m", "m.toml", "-d", "d.csv", "--spec", spec, "--runs", "200", "-q", "-o"])
            .arg(&out)
            .assert()
            .success();
        let stats = read_csv(&out.join("rank_stats.csv"));
        let xac = stats.iter().find(|r| r["unit"] == "XAC" && r["node"] == "I").unwrap().clone();
        let runs = read_csv(&out.join("runs.csv"));
        let on_scale = runs.iter().filter(|r| r["normalisation"].contains("minmax")).count();
        let probs = read_csv(&out.join("band_probs.csv"));
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        (xac, on_scale, probs, manifest)
    };
    // Half the runs on the nominal scale: XAC (75, ranked 1st in every run) is "high" in all
    // of them; the z-score runs (scores near 10) no longer make it "uncertain".
    let (xac, on_scale, probs, manifest) = ua("half.toml");
    assert_eq!((xac["q05_rank"].as_str(), xac["q95_rank"].as_str()), ("1", "1"));
    assert_eq!(xac["band_interval"], "high", "{xac:?}");
    assert_eq!(xac["band_runs"], on_scale.to_string());
    assert!(on_scale > 50 && on_scale < 150, "{on_scale}");
    let p = |band: &str| {
        probs.iter().find(|r| r["unit"] == "XAC" && r["node"] == "I" && r["band"] == band).unwrap()["probability"]
            .clone()
    };
    assert_eq!((p("low").as_str(), p("high").as_str()), ("0", "1"));
    assert!(manifest.contains("1 of 2 combination(s) of alternatives score on another scale"), "{manifest}");
    // Neither alternative on the nominal scale ([1, 100] is not [0, 100]): no band statistics.
    let (xac, _, probs, manifest) = ua("none.toml");
    assert_eq!((xac["band_interval"].as_str(), xac["band_runs"].as_str()), ("", "0"));
    assert!(probs.is_empty(), "{probs:?}");
    assert!(manifest.contains("2 of 2 combination(s)"), "{manifest}");
}
