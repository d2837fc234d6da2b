//! Shared helpers: running the binary, reading CSV outputs, and the one tolerance policy of
//! the reference tests.

#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The tolerance policy (as statrs' `prec`): two values agree when
/// |a − b| ≤ REL_TOL · max(|b|, 1). DESIGN asks for COINr agreement to relative 1e-9.
pub const REL_TOL: f64 = 1e-9;

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL_TOL * b.abs().max(1.0)
}

/// The one looser tolerance: `optimised` weights (docs/methods.md, "What the tests
/// compare"). Their optimum is found by an iterative optimiser, and two optimisers stop at
/// different points of a flat valley, so weights and correlation shares agree to 1e-6, and
/// the objective is compared as an outcome: f(gti) ≤ f* + max(1e-12, 1e-6·f*).
pub const OPT_TOL: f64 = 1e-6;

pub fn close_opt(a: f64, b: f64) -> bool {
    (a - b).abs() <= OPT_TOL * b.abs().max(1.0)
}

/// Whether objective `f` reaches the reference optimum `best` (see [`OPT_TOL`]).
pub fn reaches(f: f64, best: f64) -> bool {
    f <= best + (OPT_TOL * best).max(1e-12)
}

/// The `gti` binary, run from the repository root.
pub fn gti() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gti"));
    c.current_dir(repo()).env_remove("CI");
    c
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A vendored public reference data set, `tests/data/<set>` (origin, version and licence in its
/// `SOURCE.md`): the reference tests need nothing outside the repository.
pub fn vendored(set: &str) -> PathBuf {
    repo().join("tests").join("data").join(set)
}

/// A CSV file as a list of maps from column name to cell.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

/// scores.csv keyed by (unit, year, node).
pub type Scores = BTreeMap<(String, String, String), BTreeMap<String, String>>;

pub fn scores(path: &Path) -> Scores {
    read_csv(path)
        .into_iter()
        .map(|r| ((r["unit"].clone(), r["year"].clone(), r["node"].clone()), r))
        .collect()
}

/// Writes `files` (name, content) into a fresh temporary folder.
pub fn fixture(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

/// A small valid methodology: index I over nodes A (a1, a2) and B (b1).
pub const SMALL_TOML: &str = r#"schema = 1

[index]
code = "I"
name = "Small test index"
version = "1"

[node.I]
name = "Index"

[node.A]
parent = "I"

[indicator.a1]
parent = "A"

[indicator.a2]
parent = "A"
direction = -1

[node.B]
parent = "I"

[indicator.b1]
parent = "B"
"#;

/// Data for SMALL_TOML: three units, one year, long format.
pub const SMALL_DATA: &str = "unit,year,indicator,value
XAA,2024,a1,1
XAB,2024,a1,2
XAC,2024,a1,3
XAA,2024,a2,10
XAB,2024,a2,20
XAC,2024,a2,40
XAA,2024,b1,5
XAB,2024,b1,5.5
XAC,2024,b1,6
";
