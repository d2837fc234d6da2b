//! Failure behaviour: a run killed at any moment leaves each previous output file either as it
//! was or fully replaced, never half-written (temporary file + rename).

use crate::util::{fixture, gti, repo};
use assert_cmd::assert::OutputAssertExt;
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
        .stderr(predicates::str::contains("the folder holds no .csv, .xlsx, .xls or .ods file"));
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

/// The exit codes of `README.md`: an output that cannot be written is a failure of the run
/// (1), whichever command writes it; only a bad command line is a usage error (2).
#[test]
fn an_output_failure_exits_1_and_a_bad_flag_exits_2() {
    use crate::util::{SMALL_DATA, SMALL_TOML};
    let wide = "unit,a_2020\nXAA,1\n";
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA), ("w.csv", wide), ("file", "x")]);
    let run = |args: &[&str]| gti().current_dir(dir.path()).args(args).assert();
    let md = ["-m", "m.toml", "-d", "d.csv"];
    let what_if = ["--set", "node.A.weight=2"];
    // A folder that cannot be made: its parent is a file.
    for command in [&["compute"][..], &["audit"], &["compare", what_if[0], what_if[1]], &["report"]] {
        let out = run(&[command, &md, &["-o", "file/sub"]].concat());
        out.code(1).stderr(predicates::str::contains("file/sub"));
    }
    let columns =
        ["import", "columns", "--input", "w.csv", "--unit", "unit", "--pattern", "{indicator}_{year}"];
    run(&[&columns[..], &["-o", "file/x.csv"]].concat()).code(1);
    if std::path::Path::new("/dev/full").exists() {
        // Standard output that refuses the bytes (a full disk).
        for command in [&["compute"][..], &["audit"], &["compare", what_if[0], what_if[1]], &columns] {
            let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
            let args = if command[0] == "import" { command.to_vec() } else { [command, &md].concat() };
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_gti"));
            cmd.current_dir(dir.path()).env_remove("CI").args(&args).args(["-o", "-"]).stdout(full);
            let out = cmd.output().unwrap().assert();
            out.code(1).stderr(predicates::str::contains("<stdout>"));
        }
    }
    let spec = ["sensitivity", "-m", "m.toml", "-d", "d.csv", "--spec", "s.toml"];
    for bad in [
        [&spec[..], &["--runs", "1"]].concat(),
        [&spec[..], &["--level", "1"]].concat(),
        [&spec[..], &["-o", "-"]].concat(),
        [&["report"][..], &md, &["-o", "-"]].concat(),
        vec!["import", "coinr", "--idata", "a.csv", "--imeta", "b.csv", "-o", "-"],
        [&["compute"][..], &md, &["--dataset", "Normalized"]].concat(),
    ] {
        run(&bad).code(2);
    }
}

#[test]
fn a_header_of_100000_columns_and_a_1_mb_field_are_handled() {
    let cols: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let wide = format!("unit,year,{}\nXAA,2024,{}\n", cols.join(","), vec!["1"; 100_000].join(","));
    let big = format!("unit,year,indicator,value\nXAA,2024,a1,{}\n", "9".repeat(1_000_000));
    // a1 is in big.csv only: allowed to be empty when wide.csv is read alone.
    let one = "schema = 1\n[index]\ncode = \"I\"\nname = \"x\"\nversion = \"1\"\n[node.I]\n[indicator.a1]\nparent = \"I\"\nallow_empty = true\n";
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
