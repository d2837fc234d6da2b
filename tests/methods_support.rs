//! Shared by the tests of issue 18's weights and aggregations: the expected values of
//! `tests/data/methods-expected` (written by the independent references in
//! `tests/reference/methods/`, origin of each file in its README), ASEM imported with
//! `gti import coinr`, and small hand-made indices.

use crate::util::{gti, read_csv, vendored};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub type Rows = Vec<BTreeMap<String, String>>;

/// A file of `tests/data/methods-expected`.
pub fn expected(name: &str) -> Rows {
    read_csv(&crate::util::repo().join("tests/data/methods-expected").join(name))
}

/// A number of an expected file (empty: NaN).
pub fn num(r: &BTreeMap<String, String>, col: &str) -> f64 {
    match r[col].as_str() {
        "" => f64::NAN,
        v => v.parse().unwrap_or_else(|e| panic!("{col} = {v}: {e}")),
    }
}

/// COINr's ASEM example imported into `dir` (`ASEM_iData.csv`, or the 2018-2022 panel).
pub fn asem(dir: &Path, panel: bool) -> PathBuf {
    let data = vendored("coinr-asem");
    let idata = if panel { "ASEM_iData_p.csv" } else { "ASEM_iData.csv" };
    gti()
        .args(["import", "coinr", "--idata"])
        .arg(data.join(idata))
        .arg("--imeta")
        .arg(data.join("ASEM_iMeta.csv"))
        .arg("-o")
        .arg(dir)
        .assert()
        .success();
    dir.join("methodology.toml")
}

/// `gti compute -m m -d data --set … --dataset Aggregated -o out`; the output folder.
pub fn compute(m: &Path, data: &Path, sets: &[String], out: &Path) -> PathBuf {
    let mut cmd = gti();
    cmd.arg("compute").arg("-q").arg("-m").arg(m).arg("-d").arg(data).arg("-o").arg(out);
    sets.iter().for_each(|s| _ = cmd.args(["--set", s]));
    cmd.args(["--dataset", "Aggregated"]).assert().success();
    out.to_path_buf()
}

/// Aggregated.csv: (unit, year, code) → value (NaN when empty).
pub type Values = BTreeMap<(String, String, String), f64>;

pub fn aggregated(out: &Path) -> Values {
    read_csv(&out.join("Aggregated.csv"))
        .into_iter()
        .map(|r| {
            let v = if r["value"].is_empty() { f64::NAN } else { r["value"].parse().unwrap() };
            ((r["unit"].clone(), r["year"].clone(), r["code"].clone()), v)
        })
        .collect()
}

/// ASEM's nodes by level (pillars, Conn/Sust, Index): a method set on every node of one level
/// at once leaves each node's children as arithmetic aggregates, as the reference's
/// one-node-at-a-time runs have them.
pub const ASEM_LEVELS: [&[&str]; 3] = [
    &["Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social", "SusEcFin"],
    &["Conn", "Sust"],
    &["Index"],
];

/// The children of each ASEM node, from the imported methodology.
pub fn asem_children(m: &Path) -> BTreeMap<String, Vec<String>> {
    let doc: toml::Table = toml::from_str(&std::fs::read_to_string(m).unwrap()).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for kind in ["node", "indicator"] {
        for (code, t) in doc[kind].as_table().unwrap() {
            if let Some(p) = t.get("parent").and_then(|p| p.as_str()) {
                out.entry(p.to_string()).or_default().push(code.clone());
            }
        }
    }
    out
}

/// A hand-made index `I` over `children` (each `(code, weight)`), normalise none, every
/// coverage accepted, and `node` the extra keys of `[node.I]`; `head` goes into `[index]`.
pub fn hand_methodology(children: &[(&str, f64)], node: &str, head: &str) -> String {
    let mut s = format!(
        "schema = 1\n\n[index]\ncode = \"I\"\nname = \"hand-made\"\nversion = \"1\"\n{head}\n\n\
         [defaults]\nnormalise = {{ method = \"none\" }}\nmissing = {{ min_coverage = 0 }}\n\n[node.I]\n{node}\n"
    );
    for (c, w) in children {
        s.push_str(&format!("\n[indicator.{c}]\nparent = \"I\"\nweight = {w}\n"));
    }
    s
}

/// A wide input file (`unit,a,b,…` or `year,unit,a,b,…`) as long data for year `year` (or its
/// own year column): `unit,year,indicator,value`, empty cells left out.
pub fn long_data(rows: &Rows, year: &str) -> String {
    let mut s = String::from("unit,year,indicator,value\n");
    for r in rows {
        let y = r.get("year").map_or(year, String::as_str);
        for (k, v) in r {
            if k != "unit" && k != "year" && !v.is_empty() {
                s.push_str(&format!("{},{y},{k},{v}\n", r["unit"]));
            }
        }
    }
    s
}

/// Writes a hand-made index and its data into `dir`: (methodology, data file).
pub fn hand(dir: &Path, toml: &str, data: &str) -> (PathBuf, PathBuf) {
    let (m, d) = (dir.join("m.toml"), dir.join("data.csv"));
    std::fs::write(&m, toml).unwrap();
    std::fs::write(&d, data).unwrap();
    (m, d)
}

/// The largest relative difference |a − b| / max(|b|, 1) seen, for the messages.
#[derive(Debug, Default)]
pub struct Worst(pub f64, pub usize);

impl Worst {
    pub fn see(&mut self, a: f64, b: f64) {
        self.0 = self.0.max((a - b).abs() / b.abs().max(1.0));
        self.1 += 1;
    }
}

/// `gti compute -m m -d d -o out` plus `args`: Ok(stderr) on exit 0, Err(stderr) on exit 1
/// (any other exit fails the test).
pub fn try_compute(m: &Path, d: &Path, out: &Path, args: &[&str]) -> Result<String, String> {
    let o = gti()
        .arg("compute")
        .arg("-m")
        .arg(m)
        .arg("-d")
        .arg(d)
        .arg("-o")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    match o.status.code() {
        Some(0) => Ok(stderr),
        Some(1) => Err(stderr),
        c => panic!("exit {c:?}: {stderr}"),
    }
}
