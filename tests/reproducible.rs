//! Two runs on the same inputs give byte-identical files, in both formats.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti};

fn run(dir: &std::path::Path, out: &str, format: &str) {
    gti()
        .current_dir(dir)
        .args([
            "compute",
            "-m",
            "m.toml",
            "-d",
            "data",
            "-o",
            out,
            "--format",
            format,
            "--dataset",
            "Normalised",
        ])
        .args(["--set", "indicator.a1.weight=2"])
        .assert()
        .success();
}

#[test]
fn reruns_are_byte_identical() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("data/v.csv", SMALL_DATA)]);
    let mut compared = 0;
    for format in ["csv", "json"] {
        let (one, two) = (format!("one-{format}"), format!("two-{format}"));
        run(dir.path(), &one, format);
        run(dir.path(), &two, format);
        for f in std::fs::read_dir(dir.path().join(&one)).unwrap() {
            let name = f.unwrap().file_name();
            let a = std::fs::read(dir.path().join(&one).join(&name)).unwrap();
            let b = std::fs::read(dir.path().join(&two).join(&name)).unwrap();
            assert_eq!(a, b, "{name:?} differs between runs");
            compared += 1;
        }
    }
    // scores.csv, Normalised.csv, manifest.json; results.json.
    assert_eq!(compared, 4);
    let manifest = std::fs::read_to_string(dir.path().join("one-csv/manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"data/v.csv\""), "{manifest}");
    assert!(manifest.contains("\"value\": \"2\""), "the override is recorded: {manifest}");
}

#[test]
fn stdout_output_is_the_scores_table() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("data/v.csv", SMALL_DATA)]);
    let out = gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", "data", "-o", "-"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // The first ten columns are the contract; respondents and agreement follow.
    let header = "unit,year,node,level,score,rank,unit_name,band,coverage,imputed,respondents,agreement\n";
    assert!(text.starts_with(header), "{text}");
    assert_eq!(text.lines().count(), 1 + 3 * 6);
    assert!(!dir.path().join("-").exists());
}

#[test]
fn embedded_example_reruns_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let all = ["Raw", "Transformed", "Imputed", "Treated", "Normalised", "Aggregated"];
    for out in ["a", "b"] {
        let mut cmd = gti();
        cmd.arg("compute").arg("-o").arg(dir.path().join(out));
        all.iter().for_each(|d| _ = cmd.args(["--dataset", d]));
        cmd.assert().success();
    }
    let names: Vec<_> =
        std::fs::read_dir(dir.path().join("a")).unwrap().map(|e| e.unwrap().file_name()).collect();
    // scores, trends, transparency, regions, region_trends, manifest and the six data sets.
    assert_eq!(names.len(), 12, "{names:?}");
    for name in names {
        let a = std::fs::read(dir.path().join("a").join(&name)).unwrap();
        assert_eq!(a, std::fs::read(dir.path().join("b").join(&name)).unwrap(), "{name:?} differs");
    }
}

#[test]
fn a_rerun_removes_outputs_it_no_longer_writes() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("data/v.csv", SMALL_DATA), ("out/notes.txt", "mine")]);
    let run = |extra: &[&str]| {
        gti()
            .current_dir(dir.path())
            .args(["compute", "-m", "m.toml", "-d", "data", "-o", "out"])
            .args(extra)
            .assert()
            .success();
    };
    run(&["--dataset", "Raw"]);
    assert!(dir.path().join("out/Raw.csv").exists());
    run(&["--format", "json"]);
    assert!(!dir.path().join("out/Raw.csv").exists(), "a stale data set would sit beside new results");
    assert!(!dir.path().join("out/scores.csv").exists());
    assert!(dir.path().join("out/results.json").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/notes.txt")).unwrap(),
        "mine",
        "other files are kept"
    );
}

/// `compute` frees the data sets it does not export as soon as the next stage has read
/// them; the results must not depend on which ones are kept.
#[test]
fn results_do_not_depend_on_the_data_sets_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (none, all) = (dir.path().join("none"), dir.path().join("all"));
    gti()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("compute")
        .arg("-q")
        .arg("-o")
        .arg(&none)
        .assert()
        .success();
    gti()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["compute", "-q", "--dataset", "Raw", "--dataset", "Transformed", "--dataset", "Imputed"])
        .args(["--dataset", "Treated", "--dataset", "Normalised", "--dataset", "Aggregated", "-o"])
        .arg(&all)
        .assert()
        .success();
    for name in ["scores.csv", "trends.csv", "transparency.csv", "regions.csv"] {
        let (a, b) = (std::fs::read(none.join(name)).unwrap(), std::fs::read(all.join(name)).unwrap());
        assert!(!a.is_empty() && a == b, "{name} differs with every data set kept");
    }
    assert!(std::fs::read_to_string(all.join("Raw.csv")).unwrap().lines().count() > 1000);
}
