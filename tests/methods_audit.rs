//! The audit additions of issue 18 beside imputation: `gti audit --alpha pairwise|complete`
//! against the independent reference (tests/reference/methods/audit.py, cross-checked with R's
//! `cov(use = "pairwise.complete.obs")` and COINr's `get_cronbach` formula) on ASEM and on the
//! hand-made case whose pairwise α exceeds 1.

use crate::methods_support::*;
use crate::util::{close, gti, read_csv};
use std::path::Path;

fn audit_nodes(m: &Path, d: &Path, out: &Path, alpha: &str) -> Rows {
    gti()
        .args(["audit", "-q", "--alpha", alpha, "-m"])
        .arg(m)
        .arg("-d")
        .arg(d)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
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
