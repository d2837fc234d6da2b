//! Failure behaviour: a run killed at any moment leaves each previous output file either as it
//! was or fully replaced, never half-written (temporary file + rename).

use crate::util::{fixture, gti, repo};
use std::process::Command;
use std::time::Duration;

#[test]
fn a_killed_run_never_leaves_a_half_written_file() {
    let dir = fixture(&[]);
    let (old, new, target) = (dir.path().join("old"), dir.path().join("new"), dir.path().join("target"));
    // Two complete results that differ: the example as is, and with P4 weighted double.
    gti().arg("compute").arg("-o").arg(&old).assert().success();
    gti().args(["compute", "--set", "node.P4.weight=2", "-o"]).arg(&new).assert().success();
    let names = ["scores.csv", "trends.csv", "manifest.json"];
    for delay_ms in [0u64, 20, 60, 120, 200, 300, 450] {
        gti().arg("compute").arg("-o").arg(&target).assert().success(); // start from "old"
        let mut child = Command::new(env!("CARGO_BIN_EXE_gti"))
            .current_dir(repo())
            .env_remove("CI")
            .args(["compute", "--set", "node.P4.weight=2", "-q", "-o"])
            .arg(&target)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for name in names {
            let got = std::fs::read(target.join(name)).unwrap();
            let (a, b) = (std::fs::read(old.join(name)).unwrap(), std::fs::read(new.join(name)).unwrap());
            assert!(
                got == a || got == b,
                "{name} after a kill at {delay_ms} ms is neither the old nor the new file"
            );
        }
    }
}

#[test]
fn an_input_folder_without_csv_and_an_output_path_through_a_file_are_errors() {
    let dir = fixture(&[("m.toml", crate::util::SMALL_TOML), ("empty/readme.txt", "no data"), ("file", "x")]);
    gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("empty"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("the folder holds no .csv file"));
    std::fs::write(dir.path().join("d.csv"), crate::util::SMALL_DATA).unwrap();
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("d.csv"))
        .arg("-o")
        .arg(dir.path().join("file/sub"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("file/sub"));
}

#[test]
fn a_header_of_100000_columns_and_a_1_mb_field_are_handled() {
    let cols: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let wide = format!("unit,year,{}\nXAA,2024,{}\n", cols.join(","), vec!["1"; 100_000].join(","));
    let big = format!("unit,year,indicator,value\nXAA,2024,a1,{}\n", "9".repeat(1_000_000));
    let one = "schema = 1\n[index]\ncode = \"I\"\nname = \"x\"\nversion = \"1\"\n[node.I]\n[indicator.a1]\nparent = \"I\"\n";
    let dir = fixture(&[("m.toml", one), ("wide.csv", &wide), ("big.csv", &big)]);
    let run = |data: &str| {
        gti()
            .arg("validate")
            .arg("-m")
            .arg(dir.path().join("m.toml"))
            .arg("-d")
            .arg(dir.path().join(data))
            .assert()
    };
    // Every column is data for a code the methodology does not use: reported, not fatal.
    run("wide.csv").success().stdout(predicates::str::contains("1 row(s) for 'c99999'"));
    // A million nines overflow to infinity: a located error, not a crash.
    let err = run("big.csv").code(1).stderr(
        predicates::str::contains("big.csv:2:4")
            .and(predicates::str::contains("(1000000 characters)' is not a finite number")),
    );
    assert!(err.get_output().stderr.len() < 1000, "the message quotes the cell, clipped");
}

use predicates::prelude::PredicateBooleanExt;
