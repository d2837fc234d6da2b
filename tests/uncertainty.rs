//! Issue 19: uncertain inputs where the GTI's data come from (weight noise by level or node,
//! the respondent bootstrap), on the fictional GTI example.

use crate::util::{fixture, gti, read_csv, repo};
use std::path::Path;

const EXAMPLE_M: &str = "methodology/gti.toml";
const EXAMPLE_D: &str = "indicators";

fn sensitivity(spec: &Path, extra: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    let mut cmd = gti();
    cmd.args(["sensitivity", "-m", EXAMPLE_M, "-d", EXAMPLE_D, "-q", "--spec"]).arg(spec).args(extra);
    cmd.arg("-o").arg(out).assert()
}

fn methodology() -> gti::methodology::Methodology {
    gti::methodology::Methodology::load(&repo().join(EXAMPLE_M), &[]).unwrap()
}

#[test]
fn weight_noise_on_levels_2_and_3_leaves_the_indicator_weights_untouched() {
    let dir = fixture(&[("spec.toml", "[[input]]\npath = \"weights\"\nnoise = 0.25\nlevels = [2, 3]\n")]);
    let out = dir.path().join("o");
    sensitivity(&dir.path().join("spec.toml"), &["--runs", "50", "--seed", "3"], &out).success();
    let m = methodology();
    let runs = read_csv(&out.join("runs.csv"));
    assert_eq!(runs.len(), 50);
    let (mut moved, mut fixed) = (0, 0);
    for e in m.framework.elements.iter().skip(1) {
        let col = format!("weight_factor.{}", e.code);
        for r in &runs {
            let f: f64 = r[&col].parse().unwrap();
            if e.level == 1 {
                assert_eq!(f, 1.0, "{col}: an indicator's weight moved");
                fixed += 1;
            } else {
                assert!((0.75..1.25).contains(&f), "{col} = {f}");
                moved += usize::from(f != 1.0);
            }
        }
    }
    assert!(fixed > 0 && moved > 0, "fixed {fixed}, moved {moved}");
}

#[test]
fn weight_noise_on_named_nodes_moves_those_only() {
    let dir =
        fixture(&[("spec.toml", "[[input]]\npath = \"weights\"\nnoise = 0.25\nnodes = [\"P1\", \"P4\"]\n")]);
    let out = dir.path().join("o");
    sensitivity(&dir.path().join("spec.toml"), &["--runs", "20"], &out).success();
    for r in read_csv(&out.join("runs.csv")) {
        for (col, v) in r.iter().filter(|(c, _)| c.starts_with("weight_factor.")) {
            let named = col == "weight_factor.P1" || col == "weight_factor.P4";
            assert_eq!(v != "1", named, "{col} = {v}");
        }
    }
}

#[test]
fn bad_levels_and_nodes_are_located_in_the_spec() {
    let cases = [
        ("levels = [2, 9]", "level 9 is out of range", 4),
        ("levels = [0]", "level 0 is out of range", 4),
        ("levels = [3]", "select no weight below the index", 4),
        ("nodes = [\"P1\", \"P11\"]", "unknown node 'P11'", 4),
        ("nodes = [\"GTI\"]", "is the index", 4),
        ("levels = [2]\nnodes = [\"P1\"]", "not both", 4),
        ("levels = []", "empty", 4),
    ];
    for (extra, want, line) in cases {
        let text = format!("[[input]]\npath = \"weights\"\nnoise = 0.25\n{extra}\n");
        let dir = fixture(&[("spec.toml", &text)]);
        let out = dir.path().join("o");
        let err = sensitivity(&dir.path().join("spec.toml"), &["--runs", "5"], &out).code(1);
        let err = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
        assert!(err.contains(&format!("spec.toml:{line}")) && err.contains(want), "{extra}: {err}");
        assert!(!out.exists());
    }
    let dir = fixture(&[(
        "spec.toml",
        "[[input]]\npath = \"defaults.aggregate.method\"\nvalues = [\"arithmetic\"]\nlevels = [2]\n",
    )]);
    let err = sensitivity(&dir.path().join("spec.toml"), &["--runs", "5"], &dir.path().join("o")).code(1);
    let err = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
    assert!(err.contains("spec.toml:2") && err.contains("weights\" only"), "{err}");
}

/// XAV's 2024 items are each combined from exactly two answers, the example's
/// `min_respondents` (indicators/README.md, *Respondent panels*). A draw of two from two with
/// replacement picks one respondent twice with probability 1/2, and the item is then missing:
/// over 18 items × 200 draws the count of missing items is Binomial(3600, 1/2), mean 1800 and
/// sd 30; the tolerance is 4 sd (a false alarm about once in 16,000 runs of a wrong seed).
#[test]
fn an_item_with_two_answers_is_missing_in_half_the_draws() {
    use gti::sensitivity::{respondents::Panels, sample::stream};
    let m = methodology();
    let raw = gti::ingest::read_all(&[repo().join(EXAMPLE_D)]).unwrap();
    let panels = Panels::of(&m, &raw).unwrap();
    let xav = |ex: &gti::stages::expert::Expert| -> Vec<Option<f64>> {
        let pts = ex.points.iter().filter(|p| p.unit.as_str() == "XAV" && p.year == 2024);
        pts.map(|p| p.combined.value).collect()
    };
    let mut log = gti::log::RunLog::default();
    let nominal = xav(&gti::stages::expert::combine(&raw, &m, &mut log).unwrap());
    assert_eq!(nominal.len(), 18);
    assert!(nominal.iter().all(Option::is_some), "{nominal:?}");
    let (draws, mut missing) = (200, 0);
    for row in 0..draws {
        let data = panels.resample(&raw, &mut stream(11, 0, row, 0));
        let items = xav(&gti::stages::expert::combine(&data, &m, &mut log).unwrap());
        assert_eq!(items.len(), 18);
        missing += items.iter().filter(|v| v.is_none()).count();
    }
    let (mean, sd) = (18.0 * draws as f64 * 0.5, (18.0 * draws as f64 * 0.25).sqrt());
    assert!((missing as f64 - mean).abs() <= 4.0 * sd, "{missing} missing, expected {mean} ± {}", 4.0 * sd);
}

/// XAL's 13 consistent respondents a year against XAM's three discordant ones (and XAV's two
/// in 2024): resampling them moves XAL's index score much less.
#[test]
fn many_consistent_respondents_give_a_narrower_interval_than_few_discordant_ones() {
    let dir = fixture(&[("spec.toml", "[[input]]\npath = \"respondents\"\n")]);
    let out = dir.path().join("o");
    sensitivity(&dir.path().join("spec.toml"), &["--runs", "60", "--seed", "5"], &out).success();
    let rows = read_csv(&out.join("rank_stats.csv"));
    let width = |unit: &str, year: &str| -> f64 {
        let r = rows.iter().find(|r| r["unit"] == unit && r["year"] == year && r["node"] == "GTI").unwrap();
        r["q95_score"].parse::<f64>().unwrap() - r["q05_score"].parse::<f64>().unwrap()
    };
    for year in ["2022", "2023", "2024"] {
        let (xal, xam) = (width("XAL", year), width("XAM", year));
        assert!(xal > 0.0 && xal < xam, "{year}: XAL {xal}, XAM {xam}");
    }
    assert!(width("XAL", "2024") < width("XAV", "2024"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"respondents\""), "{manifest}");
}

const SHARD_SPEC: &str = r#"
[[input]]
path = "defaults.aggregate.method"
values = ["arithmetic", "geometric"]

[[input]]
path = "weights"
noise = 0.4
"#;

/// One UA run of 10,000 replications on the small index, against the same run in 1, 3 and 7
/// shards merged: every file byte for byte, the manifest included.
#[test]
fn shards_merged_equal_one_run_byte_for_byte() {
    use crate::util::{SMALL_DATA, SMALL_TOML};
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d/v.csv", SMALL_DATA), ("spec.toml", SHARD_SPEC)]);
    let base =
        ["sensitivity", "-m", "m.toml", "-d", "d", "--spec", "spec.toml", "--runs", "10000", "--seed", "9"];
    let run = |extra: &[&str], out: &str| {
        gti().current_dir(dir.path()).args(base).args(extra).args(["-q", "-o", out]).assert().success();
    };
    run(&[], "one");
    let files = ["rank_stats.csv", "band_probs.csv", "runs.csv", "manifest.json"];
    for n in [1, 3, 7] {
        let parts: Vec<String> = (1..=n).map(|k| format!("s{n}-{k}")).collect();
        for (k, part) in parts.iter().enumerate() {
            run(&["--shard", &format!("{}/{n}", k + 1), "--threads", "1"], part);
        }
        let merged = format!("merged{n}");
        // Shards given out of order are put back in order.
        let mut cmd = gti();
        cmd.current_dir(dir.path()).args(["sensitivity", "merge", "-q"]).args(parts.iter().rev());
        cmd.args(["-o", &merged]).assert().success();
        for f in files {
            let (a, b) = (dir.path().join("one").join(f), dir.path().join(&merged).join(f));
            assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(), "{n} shards: {f} differs");
        }
    }
}

#[test]
fn merge_refuses_missing_repeated_and_foreign_shards() {
    use crate::util::{SMALL_DATA, SMALL_TOML};
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d/v.csv", SMALL_DATA), ("spec.toml", SHARD_SPEC)]);
    let shard = |k: &str, seed: &str, out: &str| {
        let args = ["sensitivity", "-m", "m.toml", "-d", "d", "--spec", "spec.toml", "--runs", "30"];
        gti()
            .current_dir(dir.path())
            .args(args)
            .args(["--seed", seed, "--shard", k, "-q", "-o", out])
            .assert()
            .success();
    };
    shard("1/3", "1", "a");
    shard("2/3", "1", "b");
    shard("3/3", "2", "c");
    let merge = |dirs: &[&str]| {
        let mut cmd = gti();
        cmd.current_dir(dir.path()).args(["sensitivity", "merge"]).args(dirs).args(["-o", "out"]);
        let err = cmd.assert().code(2).get_output().stderr.clone();
        String::from_utf8_lossy(&err).into_owned()
    };
    let e = merge(&["a", "b"]);
    assert!(e.contains("missing shard(s) 3/3"), "{e}");
    let e = merge(&["a", "b", "b"]);
    assert!(e.contains("shard 2/3 is given twice") && e.contains('b'), "{e}");
    let e = merge(&["a", "b", "c"]);
    assert!(e.contains("different runs") && e.contains("seed"), "{e}");
    assert!(!dir.path().join("out").exists());
}

/// What the public path needs to withhold respondent-resampled intervals (issue 20): per
/// point, the fewest answers among the items below the node. XAV's 2024 items all have two;
/// XAL's at least five (indicators/README.md, *Respondent panels*).
#[test]
fn the_fewest_answers_below_each_node_are_kept_for_the_public_path() {
    use gti::sensitivity::{prepare, respondents::min_answers, spec};
    let dir = fixture(&[("spec.toml", "[[input]]\npath = \"respondents\"\n")]);
    let raw = gti::ingest::read_all(&[repo().join(EXAMPLE_D)]).unwrap();
    let s = spec::load(&dir.path().join("spec.toml")).unwrap();
    let p = prepare(&repo().join(EXAMPLE_M), &[], &raw, s).unwrap();
    let fewest = min_answers(&p);
    assert_eq!(fewest.len(), p.shape.points());
    let at = |unit: &str, year: i32, node: &str| {
        let (u, y) = (
            p.units.iter().position(|c| c.as_str() == unit).unwrap(),
            p.years.iter().position(|&v| v == year).unwrap(),
        );
        let n = p.nodes.iter().position(|c| c.as_str() == node).unwrap();
        fewest[(y * p.nodes.len() + n) * p.units.len() + u]
    };
    assert_eq!(at("XAV", 2024, "GTI"), Some(2));
    assert_eq!(at("XAV", 2024, "P1"), Some(2));
    assert!(at("XAL", 2024, "GTI").is_some_and(|n| n >= 5), "{:?}", at("XAL", 2024, "GTI"));
}

/// Weight noise on levels 2 and 3 (COINr's vignette) leaves every node whose children are
/// indicators with the same scores in all runs of a variant: one run summarises those points
/// from each variant's count of runs, without storing them. A run in one shard stores every
/// point of every run, and `merge` summarises them as before. Alternatives that change the
/// scale (a z-score) and the mean, and bands: the files are the same, byte for byte.
#[test]
fn points_fixed_per_variant_summarise_as_if_every_run_were_stored() {
    let spec = r#"
[[input]]
path = "weights"
noise = 0.25
levels = [2, 3]

[[input]]
path = "defaults.normalise"
values = [{ method = "minmax", range = [0, 100], bounds = "panel" }, { method = "zscore", mean = 10, sd = 2 }]

[[input]]
path = "defaults.aggregate.method"
values = ["geometric", "arithmetic"]
"#;
    let dir = fixture(&[("spec.toml", spec)]);
    let spec = dir.path().join("spec.toml");
    let out = |name: &str| dir.path().join(name);
    let runs = ["--runs", "1500", "--seed", "11"];
    sensitivity(&spec, &runs, &out("one")).success();
    sensitivity(&spec, &[&runs[..], &["--shard", "1/1"]].concat(), &out("shard")).success();
    let mut cmd = gti();
    cmd.current_dir(repo())
        .args(["sensitivity", "merge", "-q"])
        .arg(out("shard"))
        .arg("-o")
        .arg(out("merged"));
    cmd.assert().success();
    for f in ["rank_stats.csv", "band_probs.csv", "runs.csv", "manifest.json"] {
        let (a, b) =
            (std::fs::read(out("one").join(f)).unwrap(), std::fs::read(out("merged").join(f)).unwrap());
        assert!(a == b, "{f} differs between one run and its single shard merged");
    }
    // The run did spread the ranks and read bands (the comparison is not of empty files).
    let rows = read_csv(&out("one").join("rank_stats.csv"));
    assert!(rows.iter().any(|r| r["q05_rank"] != r["q95_rank"]));
    assert!(rows.iter().any(|r| r["band_interval"] == "uncertain"));
}
