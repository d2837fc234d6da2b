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
    for format in ["csv", "json"] {
        run(dir.path(), "one", format);
        run(dir.path(), "two", format);
    }
    let mut compared = 0;
    for f in std::fs::read_dir(dir.path().join("one")).unwrap() {
        let name = f.unwrap().file_name();
        let a = std::fs::read(dir.path().join("one").join(&name)).unwrap();
        let b = std::fs::read(dir.path().join("two").join(&name)).unwrap();
        assert_eq!(a, b, "{name:?} differs between runs");
        compared += 1;
    }
    // scores.csv, Normalised.csv, manifest.json, results.json.
    assert_eq!(compared, 4);
    let manifest = std::fs::read_to_string(dir.path().join("one/manifest.json")).unwrap();
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
    assert!(text.starts_with("unit,year,node,level,score,rank,unit_name,band,coverage,imputed\n"));
    assert_eq!(text.lines().count(), 1 + 3 * 6);
    assert!(!dir.path().join("-").exists());
}
