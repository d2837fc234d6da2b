//! The rank intervals of the ranking's whiskers: those published with the scores
//! ([`from_rows`], `--uncertainty` or a gti sensitivity folder), or a `rank_stats.csv` read
//! alone ([`read`], a folder without a gti manifest, e.g. written by hand). Its columns are
//! found by name, so that added columns do not matter:
//!
//! - `unit`, `node`: required;
//! - `q05_rank` and `q95_rank` (or `q05` and `q95`): required, the 5 % and 95 % quantiles of
//!   the unit's rank over the runs;
//! - `median_rank`: optional, shown in the table;
//! - `year`: optional; when present only the rows of the report's latest year are used.
//!
//! Empty cells (a unit without a score in the runs) give no whisker.

use crate::error::{DataError, Diag, Error, Location, Result};
use crate::sensitivity::intervals::IntervalRow;
use std::path::Path;

/// One unit's 5–95 % rank interval at one node.
#[derive(Debug, Clone, PartialEq)]
pub struct RankInterval {
    pub unit: String,
    pub node: String,
    pub q05: f64,
    pub q95: f64,
    pub median: Option<f64>,
    /// The share of the runs in the unit's nominal band (`uncertainty.csv`'s
    /// `band_probability`); `None` from a `rank_stats.csv` read alone.
    pub band_probability: Option<f64>,
}

/// Below this share of the runs in its nominal band, a unit's band is marked "uncertain":
/// more than one run in ten puts it in another band.
pub const UNCERTAIN_BAND: f64 = 0.9;

impl RankInterval {
    /// The share of runs in the nominal band, when it is below [`UNCERTAIN_BAND`].
    pub fn uncertain_band(&self) -> Option<f64> {
        self.band_probability.filter(|&p| p < UNCERTAIN_BAND)
    }
}

/// The intervals of `node` in `year` from the rows of `uncertainty.csv` (those published
/// with the scores): rank interval and band probability; withheld rows give none.
pub fn from_rows(rows: &[IntervalRow], node: &str, year: Option<i32>) -> Vec<RankInterval> {
    rows.iter()
        .filter(|r| r.node == node && Some(r.year) == year)
        .filter_map(|r| {
            Some(RankInterval {
                unit: r.unit.clone(),
                node: r.node.clone(),
                q05: r.rank_low?,
                q95: r.rank_high?,
                median: None,
                band_probability: r.band_probability,
            })
        })
        .collect()
}

fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.trim()))
}

fn bad(path: &Path, line: u64, message: String) -> Error {
    DataError(vec![Diag::new(Location::at(path, line, None), message)]).into()
}

/// Reads `path`, keeping the rows of `node` (and of `year` when the file has years).
///
/// # Errors
/// I/O errors, a missing required column, and a non-number in a quantile column, each naming
/// the file (and line).
pub fn read(path: &Path, node: &str, year: Option<i32>) -> Result<Vec<RankInterval>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(path, 0, e.to_string()))?;
    let header = r.headers().map_err(|e| bad(path, 1, e.to_string()))?.clone();
    let need = |names: &[&str]| {
        column(&header, names)
            .ok_or_else(|| bad(path, 1, format!("rank_stats.csv needs a column {}", names.join(" or "))))
    };
    let (cu, cn) = (need(&["unit"])?, need(&["node"])?);
    let (c05, c95) = (need(&["q05_rank", "q05"])?, need(&["q95_rank", "q95"])?);
    let (cmed, cyear) = (column(&header, &["median_rank"]), column(&header, &["year"]));
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(path, line, e.to_string()))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        if get(cn) != node || cyear.is_some_and(|c| get(c).parse::<i32>().ok() != year) {
            continue;
        }
        let num = |c: usize| -> Result<Option<f64>> {
            let s = get(c);
            if s.is_empty() {
                return Ok(None);
            }
            s.parse().map(Some).map_err(|_| bad(path, line, format!("not a number: {s:?}")))
        };
        if let (Some(q05), Some(q95)) = (num(c05)?, num(c95)?) {
            let median = cmed.map(num).transpose()?.flatten();
            out.push(RankInterval {
                unit: get(cu).to_string(),
                node: node.to_string(),
                q05,
                q95,
                median,
                band_probability: None,
            });
        }
    }
    Ok(out)
}
