//! The page's JavaScript under node: its unit tests (web/test/, which need no npm package,
//! so they run in a plain clone), and its number formatting against `fmt_f64` on random
//! doubles and on doubles where two shortest forms tie.
//!
//! CI (`.ci/run`) sets GTI_REQUIRE_NODE=1: there a missing node fails; elsewhere the tests
//! print a loud SKIPPED notice.

use crate::util::repo;
use rand::{RngExt, SeedableRng};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn node_or_skip() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path).map(|d| d.join("node")).find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("GTI_REQUIRE_NODE").is_none(),
            "node is not installed: .ci/run installs it (apt-get install nodejs)"
        );
        eprintln!("\n*** SKIPPED: the explorer's JavaScript tests need node (apt-get install nodejs) ***\n");
    }
    found
}

#[test]
fn javascript_unit_tests_pass_under_node() {
    let Some(node) = node_or_skip() else { return };
    let tests: Vec<PathBuf> = std::fs::read_dir(repo().join("web/test"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.js"))
        .collect();
    assert!(tests.len() >= 3, "{tests:?}");
    let out = Command::new(node).arg("--test").args(&tests).current_dir(repo().join("web")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "node --test failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    let passed =
        text.lines().find_map(|l| l.strip_prefix("# pass ")).and_then(|n| n.trim().parse::<u32>().ok());
    assert!(passed.is_some_and(|n| n >= 20), "{text}");
    eprintln!("explore: {} JavaScript unit tests passed under node", passed.unwrap());
}

#[test]
fn numbers_are_formatted_as_scores_csv_formats_them() {
    let Some(node) = node_or_skip() else { return };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut values = Vec::new();
    for i in 0..40_000u32 {
        let bits: u64 = rng.random();
        let v = match i % 5 {
            0 => f64::from_bits(bits),
            // Every magnitude around the layout's switch points (1e-6, 1e15, 1e16).
            1 => (f64::from_bits(bits >> 12 | 0x3ff0_0000_0000_0000) - 1.0) * 10f64.powi((i % 26) as i32 - 8),
            // Few binary decimals: where two shortest forms can tie at 16-17 digits.
            2 => (bits >> 11) as f64 / 2f64.powi((i % 40) as i32),
            3 => (bits >> 20) as f64 + 0.25,
            // Scores as the pipeline makes them.
            _ => rng.random::<f64>() * 100.0,
        };
        if v.is_finite() {
            values.push(if i % 7 == 0 { -v } else { v });
        }
    }
    values.extend([
        0.0,
        -0.0,
        1e-6,
        9.99e-7,
        1e15,
        1e16,
        1067889150943919.0 + 0.25,
        f64::MIN_POSITIVE,
        5e-324,
        f64::MAX,
    ]);
    let input: String = values.iter().map(|v| format!("{:016x}\n", v.to_bits())).collect();
    let mut child = Command::new(node)
        .arg(repo().join("web/tools/fmt.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success());
    let got: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(got.len(), values.len());
    for (v, g) in values.iter().zip(got) {
        assert_eq!(g, gti::output::fmt_f64(*v), "{v:e} (bits {:016x})", v.to_bits());
    }
}
