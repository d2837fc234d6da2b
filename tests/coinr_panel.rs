//! COINr's ASEM panel (tests/data/coinr-asem/ASEM_iData_p.csv, 51 units × 2018-2022)
//! through `gti import coinr` + `gti compute`, with pooled bounds (the import's default for
//! panels, as a COINr purse) and per-year bounds.
//!
//! Expected values: (1) the panel's 2018 rows are identical to ASEM_iData.csv, so with
//! per-year bounds 2018 must equal COINr's own results (expected/minmax-amean); (2) the other
//! values come from tests/independent/asem_panel.py, a plain-Python re-implementation of
//! min-max [0, 100] and the weighted mean over present children written from COINr's
//! documented conventions (not from gti's code), run once; its output is pasted below.

use crate::util::{close, gti, read_csv, scores, vendored};
use std::path::Path;

fn run(dir: &Path, out: &str, extra: &[&str]) -> crate::util::Scores {
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.join("methodology.toml"))
        .arg("-d")
        .arg(dir)
        .arg("-o")
        .arg(dir.join(out))
        .args(extra)
        .assert()
        .success();
    scores(&dir.join(out).join("scores.csv"))
}

fn import(dir: &Path) {
    let asem = vendored("coinr-asem");
    gti()
        .args(["import", "coinr", "--idata"])
        .arg(asem.join("ASEM_iData_p.csv"))
        .arg("--imeta")
        .arg(asem.join("ASEM_iMeta.csv"))
        .arg("-o")
        .arg(dir)
        .assert()
        .success();
    let toml = std::fs::read_to_string(dir.join("methodology.toml")).unwrap();
    assert!(toml.contains("bounds = \"panel\""), "a panel imports with pooled bounds");
}

fn get(s: &crate::util::Scores, unit: &str, year: i32, node: &str) -> f64 {
    s[&(unit.to_string(), year.to_string(), node.to_string())]["score"].parse().unwrap()
}

/// (unit, year, Index, Conn, LPI) from tests/independent/asem_panel.py.
const PER_YEAR: [(&str, i32, f64, f64, f64); 6] = [
    ("AUT", 2020, 56.717223636007574, 46.78038476380814, 87.77808000337691),
    ("AUT", 2022, 55.47770693875508, 46.98372476079162, 75.29644273454585),
    ("BGD", 2020, 41.31049514062885, 20.145508757273504, 29.434050773185046),
    ("BGD", 2022, 42.21632475260417, 23.139813631528746, 17.801850272346293),
    ("JPN", 2020, 55.469522228383155, 51.68358361065365, 89.10520849598093),
    ("JPN", 2022, 57.02950059988753, 55.172095326348824, 87.68457248113619),
];

const POOLED: [(&str, i32, f64, f64, f64); 6] = [
    ("AUT", 2018, 54.2056639296101, 41.02512226690985, 79.00973062339591),
    ("AUT", 2022, 55.34634517791493, 48.023311346727596, 79.10514343329584),
    ("BGD", 2018, 40.572753093825284, 17.212686467052354, 23.213807125113036),
    ("BGD", 2020, 41.54494152541669, 20.621396422067164, 29.456160839861532),
    ("JPN", 2018, 52.41735337229839, 45.676540508313785, 74.0482660774634),
    ("JPN", 2022, 56.64647750552922, 55.799873508661776, 89.58331835374356),
];

fn check(s: &crate::util::Scores, expected: &[(&str, i32, f64, f64, f64)]) {
    for &(u, y, index, conn, lpi) in expected {
        for (node, want) in [("Index", index), ("Conn", conn), ("LPI", lpi)] {
            let got = get(s, u, y, node);
            assert!(close(got, want), "{u} {y} {node}: gti {got}, independent {want}");
        }
    }
}

#[test]
fn asem_panel_pooled_and_per_year_bounds() {
    let dir = tempfile::tempdir().unwrap();
    import(dir.path());
    let pooled = run(dir.path(), "pooled", &[]);
    check(&pooled, &POOLED);
    let per_year = run(dir.path(), "per-year", &["--set", "defaults.normalise.bounds=year"]);
    check(&per_year, &PER_YEAR);
    // Per-year 2018 is COINr's single-year result, for every unit and column.
    let expected = read_csv(&vendored("coinr-asem").join("expected/minmax-amean/aggregated.csv"));
    let mut compared = 0;
    for row in &expected {
        for (code, v) in row.iter().filter(|(k, v)| *k != "uCode" && *k != "uName" && *v != "NA") {
            let got = get(&per_year, &row["uCode"], 2018, code);
            assert!(close(got, v.parse().unwrap()), "{} {code}: {got} vs COINr {v}", row["uCode"]);
            compared += 1;
        }
    }
    assert!(compared > 2900);
    // Pooled bounds differ from per-year ones (else the test would prove nothing).
    assert!((get(&pooled, "AUT", 2018, "Index") - get(&per_year, "AUT", 2018, "Index")).abs() > 1.0);
}
