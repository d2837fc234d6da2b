//! Intervals published with the scores (`gti compute --uncertainty SPEC` or `--sensitivity
//! DIR`, issue 19): per unit, year and node, the 5 % and 95 % quantiles of the score and of
//! the rank over an uncertainty analysis's replications, and the share of those replications
//! whose score falls in the point's nominal band.
//!
//! They are `rank_stats.csv`'s `q05_score`, `q95_score`, `q05_rank`, `q95_rank` and
//! `band_probs.csv`'s probability of the row's `nominal_band`, taken from a run's summaries
//! ([`from_run`]) or read back from those two files ([`from_files`]). Both files write
//! shortest round-trip decimals, so the two give the same numbers, bit for bit.
//! [`check_manifest`] refuses the files of a run on another methodology, data or `--set`:
//! intervals of another methodology must not be joined to these scores.

use super::Prepared;
use super::run::Uncertainty;
use crate::error::{DataError, Diag, Error, Location, Result};
use crate::ingest::RawData;
use crate::methodology::Methodology;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One row of `uncertainty.csv`: the intervals of one unit, year and node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalRow {
    pub unit: String,
    pub year: i32,
    pub node: String,
    pub score_low: Option<f64>,
    pub score_high: Option<f64>,
    pub rank_low: Option<f64>,
    pub rank_high: Option<f64>,
    /// The share of the replications on the nominal scale whose score is in the nominal band;
    /// `None` when no band applies, the point has no nominal band, or no replication is on
    /// the nominal scale.
    pub band_probability: Option<f64>,
}

impl IntervalRow {
    /// Withholds every interval of the row (a public output, too few answers beneath).
    pub fn withhold(&mut self) {
        (self.score_low, self.score_high, self.rank_low, self.rank_high) = (None, None, None, None);
        self.band_probability = None;
    }
}

/// The columns of `uncertainty.csv` (and of the workbook's *Uncertainty* sheet).
pub const COLUMNS: [&str; 8] =
    ["unit", "year", "node", "score_low", "score_high", "rank_low", "rank_high", "band_probability"];

/// What the intervals came from, recorded in the manifest under `uncertainty`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalStamp {
    /// `"run"` (computed in this run, `--uncertainty`), or the folder read (`--sensitivity`).
    pub from: String,
    pub spec: String,
    pub spec_sha256: String,
    /// The `path` of every uncertain input of the spec.
    pub inputs: Vec<String>,
    pub runs: usize,
    pub seed: u64,
    /// Public outputs: the points whose intervals were withheld.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<usize>,
}

/// Intervals and where they came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intervals {
    pub rows: Vec<IntervalRow>,
    #[serde(skip)]
    pub stamp: IntervalStamp,
}

/// The stamp of an analysis of `p` run here.
pub fn stamp_of_run(p: &Prepared, runs: usize, seed: u64) -> IntervalStamp {
    IntervalStamp {
        from: "run".into(),
        spec: p.spec.path.to_string_lossy().replace('\\', "/"),
        spec_sha256: p.spec.sha256.clone(),
        inputs: input_paths(&p.spec),
        runs,
        seed,
        withheld: None,
    }
}

/// The spec's uncertain inputs' paths, in spec order, as the sensitivity manifest writes them.
pub fn input_paths(spec: &super::spec::Spec) -> Vec<String> {
    spec.inputs.iter().map(|i| input_path(&i.kind)).collect()
}

/// An uncertain input's `path`, as the sensitivity manifest writes it.
fn input_path(kind: &super::spec::Uncertain) -> String {
    use super::spec::Uncertain;
    match kind {
        Uncertain::Choice(v) => v.first().map(|o| o.path.clone()).unwrap_or_default(),
        Uncertain::Weights { .. } => "weights".into(),
        Uncertain::Respondents => "respondents".into(),
        Uncertain::Data(_) => "data".into(),
    }
}

/// The intervals of every output point of `p` from its summaries, in `rank_stats.csv`'s
/// order ([`Prepared::output_points`]).
pub fn from_run(p: &Prepared, ua: &Uncertainty) -> Vec<IntervalRow> {
    p.output_points()
        .map(|(i, unit, year, n)| {
            let s = &ua.points[i];
            let nominal = p.shape.band(n, p.nominal_scores[i]);
            IntervalRow {
                unit: unit.to_string(),
                year,
                node: p.nodes[n].to_string(),
                score_low: s.score.map(|x| x.q05),
                score_high: s.score.map(|x| x.q95),
                rank_low: s.rank.map(|x| x.q05),
                rank_high: s.rank.map(|x| x.q95),
                band_probability: nominal.filter(|_| s.band_runs > 0).map(|b| s.band_share[b]),
            }
        })
        .collect()
}

fn bad(path: &Path, line: u64, message: String) -> Error {
    DataError(vec![Diag::new(Location::at(path, line, None), message)]).into()
}

/// A CSV file's rows as maps from column name to cell, with their line numbers; `need`
/// columns must be present.
fn rows<'n>((path, bytes): (&Path, &[u8]), need: &[&'n str]) -> Result<Vec<(u64, HashMap<&'n str, String>)>> {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().map_err(|e| bad(path, 1, e.to_string()))?.clone();
    let mut at = Vec::with_capacity(need.len());
    for &name in need {
        let c = header.iter().position(|h| h == name);
        at.push((name, c.ok_or_else(|| bad(path, 1, format!("no column '{name}'")))?));
    }
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(path, line, e.to_string()))?;
        out.push((line, at.iter().map(|&(n, c)| (n, rec.get(c).unwrap_or("").to_string())).collect()));
    }
    Ok(out)
}

/// An empty cell as `None`, else the number it holds.
fn number(path: &Path, line: u64, column: &str, cell: &str) -> Result<Option<f64>> {
    if cell.is_empty() {
        return Ok(None);
    }
    let v: f64 = cell.parse().map_err(|_| bad(path, line, format!("{column}: not a number: {cell:?}")))?;
    Ok(Some(v))
}

/// The intervals read back from an uncertainty analysis's `rank_stats.csv` and
/// `band_probs.csv` (each given as its path, for messages, and its bytes), in the order of
/// `rank_stats.csv`.
///
/// # Errors
/// A missing column, a cell that is not a number or a year, located by file and line.
pub fn from_files(rank_stats: (&Path, &[u8]), band_probs: (&Path, &[u8])) -> Result<Vec<IntervalRow>> {
    let key = |r: &HashMap<&str, String>| (r["unit"].clone(), r["year"].clone(), r["node"].clone());
    let mut probability = HashMap::new();
    for (line, r) in rows(band_probs, &["unit", "year", "node", "band", "probability"])? {
        let p = number(band_probs.0, line, "probability", &r["probability"])?;
        probability.insert((key(&r), r["band"].clone()), p);
    }
    let need = ["unit", "year", "node", "q05_score", "q95_score", "q05_rank", "q95_rank", "nominal_band"];
    let (path, mut out) = (rank_stats.0, Vec::new());
    for (line, r) in rows(rank_stats, &need)? {
        let year =
            r["year"].parse().map_err(|_| bad(path, line, format!("year: not a year: {:?}", r["year"])))?;
        let num = |c: &str| number(path, line, c, &r[c]);
        let band = (!r["nominal_band"].is_empty()).then(|| (key(&r), r["nominal_band"].clone()));
        out.push(IntervalRow {
            year,
            score_low: num("q05_score")?,
            score_high: num("q95_score")?,
            rank_low: num("q05_rank")?,
            rank_high: num("q95_rank")?,
            band_probability: band.and_then(|k| probability.get(&k).copied().flatten()),
            unit: r["unit"].clone(),
            node: r["node"].clone(),
        });
    }
    Ok(out)
}

/// Checks that an uncertainty analysis's `manifest.json` (`doc`, read from `path`) ran on
/// this methodology (same SHA-256 and `--set`) and these data (the same SHA-256 digests),
/// and returns what it recorded.
///
/// # Errors
/// [`Error::Usage`]: not a gti sensitivity manifest, a sensitivity analysis (no intervals),
/// or another methodology, `--set` or data, naming what differs.
pub fn check_manifest(
    doc: &serde_json::Value,
    path: &Path,
    m: &Methodology,
    raw: &RawData,
) -> Result<IntervalStamp> {
    let usage = |why: String| Error::Usage(format!("{}: {why}", path.display()));
    let str_at = |p: &str| doc.pointer(p).and_then(|v| v.as_str());
    if str_at("/command") != Some("sensitivity") || doc.get("sensitivity").is_none() {
        return Err(usage("not the manifest of a gti sensitivity run".into()));
    }
    if str_at("/sensitivity/mode") != Some("ua") {
        return Err(usage(
            "a sensitivity analysis (--mode sa) has no intervals: give the folder of an uncertainty analysis (--mode ua)"
                .into(),
        ));
    }
    let differs = |what: &str| {
        usage(format!(
            "the analysis ran on another {what} than this run: its intervals belong to other scores and are \
             not joined to these; rerun gti sensitivity on this methodology and data, or use --uncertainty SPEC"
        ))
    };
    if str_at("/methodology/sha256") != Some(m.provenance.sha256.as_str()) {
        return Err(differs("methodology (its SHA-256 differs)"));
    }
    let overrides = serde_json::to_value(&m.provenance.overrides).unwrap_or_default();
    if doc.get("overrides") != Some(&overrides) {
        return Err(differs("--set (or reading options)"));
    }
    let mut theirs: Vec<&str> = doc
        .get("inputs")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|i| i.get("sha256").and_then(|s| s.as_str())).collect())
        .unwrap_or_default();
    let mut ours: Vec<&str> = raw.files.iter().map(|f| f.sha256.as_str()).collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    if theirs != ours {
        return Err(differs("data (the input files' SHA-256 digests differ)"));
    }
    let inputs = doc.pointer("/sensitivity/inputs").and_then(|v| v.as_array());
    let number = |p: &str| doc.pointer(p).and_then(|v| v.as_u64());
    Ok(IntervalStamp {
        from: path.parent().unwrap_or(path).to_string_lossy().replace('\\', "/"),
        spec: str_at("/sensitivity/spec").unwrap_or_default().to_string(),
        spec_sha256: str_at("/sensitivity/spec_sha256").unwrap_or_default().to_string(),
        inputs: inputs
            .map(|a| a.iter().filter_map(|i| i.get("path")?.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
        runs: number("/sensitivity/runs").unwrap_or(0) as usize,
        seed: number("/seed").unwrap_or(0),
        withheld: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_by_column_name_with_the_nominal_bands_probability() {
        let rank_stats = "unit,year,node,q05_rank,q95_rank,q05_score,q95_score,nominal_band,extra\n\
                          XAA,2024,GTI,1,2.5,70.25,81,high,x\n\
                          XAB,2024,GTI,2,3,,,,x\n";
        let band_probs = "unit,year,node,band,probability\n\
                          XAA,2024,GTI,low,0.125\nXAA,2024,GTI,high,0.875\n";
        let p = (Path::new("r.csv"), rank_stats.as_bytes());
        let rows = from_files(p, (Path::new("b.csv"), band_probs.as_bytes())).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].score_low, rows[0].score_high, rows[0].rank_low, rows[0].rank_high),
            (Some(70.25), Some(81.0), Some(1.0), Some(2.5))
        );
        assert_eq!(rows[0].band_probability, Some(0.875));
        assert_eq!((rows[1].score_low, rows[1].band_probability), (None, None));
    }

    #[test]
    fn a_bad_cell_is_located() {
        let rank_stats =
            "unit,year,node,q05_rank,q95_rank,q05_score,q95_score,nominal_band\nXAA,2024,GTI,1,x,2,3,\n";
        let band_probs = "unit,year,node,band,probability\n";
        let e = from_files(
            (Path::new("r.csv"), rank_stats.as_bytes()),
            (Path::new("b.csv"), band_probs.as_bytes()),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("r.csv:2") && e.contains("q95_rank"), "{e}");
        let e = from_files((Path::new("r.csv"), b"unit,year\n"), (Path::new("b.csv"), band_probs.as_bytes()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.csv:1") && e.contains("'node'"), "{e}");
    }
}
