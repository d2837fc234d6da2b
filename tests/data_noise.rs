//! Issue 19: noise on the data values (`path = "data"`) as an uncertain input of
//! `gti sensitivity`, on the fictional GTI example (docs/sensitivity.md, *Noise on the data*).

use crate::util::{fixture, gti, read_csv, repo};
use gti::ingest::RawData;
use gti::sensitivity::{data_noise::Targets, prepare, sample::stream, spec};
use std::path::Path;

const EXAMPLE_M: &str = "methodology/gti.toml";
const EXAMPLE_D: &str = "indicators";

/// The targets of the spec's data inputs, resolved on `data` (as `gti sensitivity` does).
fn targets(spec_text: &str, data: &RawData) -> gti::Result<Vec<Targets>> {
    let dir = fixture(&[("spec.toml", spec_text)]);
    let s = spec::load(&dir.path().join("spec.toml"))?;
    let p = prepare(&repo().join(EXAMPLE_M), &[], data, s)?;
    Ok(p.boot.expect("data noise re-runs the pipeline").noise)
}

fn example() -> RawData {
    gti::ingest::read_all(&[repo().join(EXAMPLE_D)]).unwrap()
}

/// `draws` replications of one target's value: (its values, how many other values moved).
fn replicate(t: &Targets, data: &RawData, k: usize, draws: u64) -> (Vec<f64>, usize) {
    let (mut values, mut others) = (Vec::new(), 0);
    for row in 0..draws {
        let mut obs = data.obs.clone();
        t.apply(&mut obs, &mut stream(3, 0, row, 0));
        values.push(obs[t.obs[k]].value);
        let moved = |i: usize| obs[i].value.to_bits() != data.obs[i].value.to_bits();
        others += (0..obs.len()).filter(|&i| !t.obs.contains(&i) && moved(i)).count();
    }
    (values, others)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (mean, (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

/// Normal additive noise of sd s = 2.5 on one indicator: over n = 4000 replications the
/// noisy value's sample mean is within 4 standard errors (4s/√n) of the raw value, and its
/// sample sd within 4 of its own standard errors (≈ s/√(2(n − 1)), the normal theory value)
/// of s. A false alarm about once in 16,000 seeds. No other value moves.
#[test]
fn normal_additive_noise_has_the_declared_sd() {
    let data = example();
    let spec =
        "[[input]]\npath = \"data\"\nkind = \"additive\"\nscale = 2.5\nindicators = [\"P3_occupancy\"]\n";
    let t = &targets(spec, &data).unwrap()[0];
    // 78 rows in indicators/statistical.csv, 8 of them empty or NA: missing values stay missing.
    assert_eq!(t.obs.len(), 70, "every present P3_occupancy value");
    let (s, n) = (2.5, 4000u64);
    for k in [0, 41] {
        let (values, others) = replicate(t, &data, k, n);
        let (mean, sd) = mean_sd(&values);
        let raw = data.obs[t.obs[k]].value;
        let (se_mean, se_sd) = (s / (n as f64).sqrt(), s / (2.0 * (n as f64 - 1.0)).sqrt());
        assert!((mean - raw).abs() <= 4.0 * se_mean, "mean {mean}, raw {raw}");
        assert!((sd - s).abs() <= 4.0 * se_sd, "sd {sd}, declared {s}");
        assert_eq!(others, 0, "values of other indicators moved");
    }
}

/// Multiplicative noise is relative: P1_cat_overdue's zeros (12 in the example) stay zero in
/// every draw, and its positive values stay ≥ 0 even at the largest scale.
#[test]
fn multiplicative_noise_keeps_zeros_at_zero() {
    let data = example();
    let spec = "[[input]]\npath = \"data\"\nkind = \"multiplicative\"\nscale = 1\nindicators = [\"P1_cat_overdue\"]\n";
    let t = &targets(spec, &data).unwrap()[0];
    let zeros: Vec<usize> = (0..t.obs.len()).filter(|&k| data.obs[t.obs[k]].value == 0.0).collect();
    assert_eq!(zeros.len(), 12);
    for row in 0..300 {
        let mut obs = data.obs.clone();
        t.apply(&mut obs, &mut stream(4, 0, row, 0));
        assert!(zeros.iter().all(|&k| obs[t.obs[k]].value == 0.0));
        assert!(t.obs.iter().all(|&i| obs[i].value >= 0.0));
    }
}

/// Uniform noise of half-width 0.5 keeps each value within ±0.5 of its raw value, and
/// `bounds` clamp it into them.
#[test]
fn uniform_noise_stays_within_its_width_and_bounds() {
    let data = example();
    let spec = "[[input]]\npath = \"data\"\nkind = \"additive\"\ndistribution = \"uniform\"\nscale = 0.5\n\
                indicators = [\"P1_cat_overdue\"]\nbounds = [0, 3]\n";
    let t = &targets(spec, &data).unwrap()[0];
    for row in 0..300 {
        let mut obs = data.obs.clone();
        t.apply(&mut obs, &mut stream(5, 0, row, 0));
        for &i in &t.obs {
            let (raw, x) = (data.obs[i].value, obs[i].value);
            assert!((x - raw.clamp(0.0, 3.0)).abs() <= 0.5 && (0.0..=3.0).contains(&x), "{raw} -> {x}");
        }
    }
}

/// The example's data with a `se` column: `se(line)` gives each statistical row's cell.
fn with_se(se: impl Fn(usize, &str) -> String) -> tempfile::TempDir {
    let text = std::fs::read_to_string(repo().join(EXAMPLE_D).join("statistical.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cell = if i == 0 { "se".to_string() } else { se(i + 1, line) };
        out.push_str(&format!("{line},{cell}\n"));
    }
    let copy = |f: &str| std::fs::read_to_string(repo().join(EXAMPLE_D).join(f)).unwrap();
    let (units, answers) = (copy("units.csv"), copy("expert_responses.csv"));
    fixture(&[
        ("d/statistical.csv", out.as_str()),
        ("d/units.csv", units.as_str()),
        ("d/expert_responses.csv", answers.as_str()),
    ])
}

const SE_SPEC: &str = "[[input]]\npath = \"data\"\nkind = \"additive\"\nscale = { column = \"se\" }\n";

/// A published standard error per value: each value's noise has its own cell's sd (3 for
/// XAA's P3_occupancy, 0.5 for the others' values), and a cell of 0 leaves its value alone.
#[test]
fn a_standard_error_column_gives_each_value_its_own_sd() {
    let dir = with_se(|_, line| {
        if line.starts_with("XAA,") && line.contains(",P3_occupancy,") {
            "3".into()
        } else if line.contains(",P3_occupancy,") {
            "0.5".into()
        } else {
            "0".into()
        }
    });
    let data = gti::ingest::read_all(&[dir.path().join("d")]).unwrap();
    let t = &targets(SE_SPEC, &data).unwrap()[0];
    let code = |i: usize| data.codes.code(data.obs[i].code).as_str().to_string();
    let unit = |i: usize| data.unit_codes.code(data.obs[i].unit).as_str().to_string();
    let xaa =
        (0..t.obs.len()).find(|&k| unit(t.obs[k]) == "XAA" && code(t.obs[k]) == "P3_occupancy").unwrap();
    let other =
        (0..t.obs.len()).find(|&k| unit(t.obs[k]) == "XAB" && code(t.obs[k]) == "P3_occupancy").unwrap();
    let zero = (0..t.obs.len()).find(|&k| code(t.obs[k]) == "P3_pretrial").unwrap();
    assert_eq!((t.scale[xaa], t.scale[other], t.scale[zero]), (3.0, 0.5, 0.0));
    let n = 4000u64;
    for (k, s) in [(xaa, 3.0), (other, 0.5)] {
        let (sd, se_sd) = (mean_sd(&replicate(t, &data, k, n).0).1, s / (2.0 * (n as f64 - 1.0)).sqrt());
        assert!((sd - s).abs() <= 4.0 * se_sd, "sd {sd}, cell {s}");
    }
    let (values, _) = replicate(t, &data, zero, 50);
    assert!(values.iter().all(|&x| x == data.obs[t.obs[zero]].value));
}

/// With every standard error 0 the noisy runs are the nominal one: no interval at all.
#[test]
fn zero_standard_errors_give_the_nominal_scores() {
    let dir = with_se(|_, _| "0".into());
    std::fs::write(dir.path().join("spec.toml"), SE_SPEC).unwrap();
    let m = repo().join(EXAMPLE_M);
    let mut cmd = gti();
    cmd.args(["sensitivity", "-q", "--runs", "6", "-m"]).arg(&m).arg("-d").arg(dir.path().join("d"));
    cmd.arg("--spec")
        .arg(dir.path().join("spec.toml"))
        .arg("-o")
        .arg(dir.path().join("o"))
        .assert()
        .success();
    for r in read_csv(&dir.path().join("o/rank_stats.csv")) {
        if r["runs"] != "0" {
            assert_eq!(r["q05_score"], r["nominal_score"], "{r:?}");
            assert_eq!(r["q95_score"], r["nominal_score"], "{r:?}");
        }
    }
}

/// A value whose standard-error cell is empty is refused at that cell, not run without noise.
#[test]
fn a_missing_standard_error_cell_is_located() {
    let dir = with_se(|line, _| if line == 7 { String::new() } else { "0.1".into() });
    let data = gti::ingest::read_all(&[dir.path().join("d")]).unwrap();
    let e = targets(SE_SPEC, &data).unwrap_err().to_string();
    assert!(e.contains("statistical.csv:7:6") && e.contains("no 'se' cell"), "{e}");
    let dir = with_se(|line, _| if line == 9 { "-1".into() } else { "0.1".into() });
    let data = gti::ingest::read_all(&[dir.path().join("d")]).unwrap();
    let e = targets(SE_SPEC, &data).unwrap_err().to_string();
    assert!(e.contains("statistical.csv:9:6") && e.contains("≥ 0"), "{e}");
    let e = targets(SE_SPEC.replace("\"se\"", "\"stderr\"").as_str(), &example()).unwrap_err().to_string();
    assert!(e.contains("statistical.csv:1") && e.contains("no column 'stderr'"), "{e}");
}

fn sensitivity(dir: &Path, spec_text: &str, extra: &[&str], out: &str) -> assert_cmd::assert::Assert {
    std::fs::write(dir.join("spec.toml"), spec_text).unwrap();
    let mut cmd = gti();
    cmd.args(["sensitivity", "-m", EXAMPLE_M, "-d", EXAMPLE_D, "-q", "--spec"]).arg(dir.join("spec.toml"));
    cmd.args(extra).arg("-o").arg(dir.join(out)).assert()
}

/// Spec entries naming what noise cannot apply to are refused at the spec's line.
#[test]
fn data_noise_errors_are_located_in_the_spec() {
    let head = "[[input]]\npath = \"data\"\nkind = \"additive\"\nscale = 0.1\n";
    let cases = [
        ("indicators = [\"P2_excessive_force\"]", "spec.toml:5", "expert item"),
        ("indicators = [\"P3_ocupancy\"]", "spec.toml:5", "did you mean 'P3_occupancy'?"),
        ("indicators = []", "spec.toml:5", "empty"),
        ("bounds = [5, 1]", "spec.toml:5", "lo ≤ hi"),
        ("values = [1]", "spec.toml:2", "no `values`"),
    ];
    for (extra, at, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let err = sensitivity(dir.path(), &format!("{head}{extra}\n"), &["--runs", "3"], "o").code(1);
        let err = String::from_utf8_lossy(&err.get_output().stderr).into_owned();
        assert!(err.contains(at) && err.contains(want), "{extra}: {err}");
        assert!(!dir.path().join("o").exists());
    }
}

/// Noise on every statistical value, with a discrete alternative and weight noise beside it:
/// the files are byte-identical for one thread and two; `runs.csv` has no data column; the
/// manifest records the input.
#[test]
fn data_noise_runs_are_byte_identical_for_any_thread_count() {
    let spec = "[[input]]\npath = \"defaults.aggregate.method\"\nvalues = [\"arithmetic\", \"geometric\"]\n\
                [[input]]\nname = \"measurement\"\npath = \"data\"\nkind = \"multiplicative\"\nscale = 0.1\n\
                [[input]]\npath = \"weights\"\nnoise = 0.2\n";
    let dir = tempfile::tempdir().unwrap();
    sensitivity(dir.path(), spec, &["--runs", "40", "--seed", "8", "--threads", "1"], "t1").success();
    sensitivity(dir.path(), spec, &["--runs", "40", "--seed", "8", "--threads", "2"], "t2").success();
    for f in ["rank_stats.csv", "band_probs.csv", "runs.csv", "manifest.json"] {
        let (a, b) = (dir.path().join("t1").join(f), dir.path().join("t2").join(f));
        assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(), "{f} differs");
    }
    let runs = read_csv(&dir.path().join("t1/runs.csv"));
    assert!(!runs[0].keys().any(|k| k.contains("measurement")), "{:?}", runs[0].keys());
    let manifest = std::fs::read_to_string(dir.path().join("t1/manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"data\"") && manifest.contains("\"kind\": \"multiplicative\""));
    // The noise moves the scores: some interval has width.
    let rows = read_csv(&dir.path().join("t1/rank_stats.csv"));
    assert!(rows.iter().any(|r| r["q05_score"] != r["q95_score"]));
}

/// A value pushed outside its transform's domain fails that replication (P2_police_killings
/// takes log1p, so a value ≤ −1 cannot be transformed): counted in `failed_points`. With
/// `bounds = [0, inf]` no replication fails.
#[test]
fn values_outside_a_transform_fail_their_run_unless_bounded() {
    let spec =
        "[[input]]\npath = \"data\"\nkind = \"additive\"\nscale = 5\nindicators = [\"P2_police_killings\"]\n";
    let failed = |dir: &Path, out: &str| -> u64 {
        let m = std::fs::read_to_string(dir.join(out).join("manifest.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&m).unwrap();
        v["sensitivity"]["failed_points"].as_u64().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    sensitivity(dir.path(), spec, &["--runs", "10"], "free").success();
    assert!(failed(dir.path(), "free") > 0);
    sensitivity(dir.path(), &format!("{spec}bounds = [0, inf]\n"), &["--runs", "10"], "bounded").success();
    assert_eq!(failed(dir.path(), "bounded"), 0);
}
