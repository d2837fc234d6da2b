//! The embedded example: `gti compute` with no -m/-d, from the repository root.

use crate::util::{gti, read_csv, scores};

#[test]
fn embedded_example_computes_with_no_arguments() {
    let dir = tempfile::tempdir().unwrap();
    gti().args(["compute", "-o"]).arg(dir.path()).assert().success();
    let s = scores(&dir.path().join("scores.csv"));
    let units: std::collections::BTreeSet<&String> = s.keys().map(|k| &k.0).collect();
    assert_eq!(units.len(), 26);
    assert!(units.iter().all(|u| u.starts_with('X')), "fictional ISO user-assigned codes only");
    let years: std::collections::BTreeSet<&String> = s.keys().map(|k| &k.1).collect();
    assert_eq!(years.len(), 3);
    let trends = read_csv(&dir.path().join("trends.csv"));
    for status in ["improved", "stable", "deteriorated"] {
        assert!(trends.iter().any(|r| r["node"] == "GTI" && r["status"] == status), "no {status} trend");
    }
    gti().arg("validate").assert().success();
}
