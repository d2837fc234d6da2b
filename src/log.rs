//! The run log: non-fatal findings of every stage, carried by the outputs (manifest, JSON).
//! Stages never print; they push findings here.

use serde::{Serialize, Serializer};
use std::fmt;

/// One non-fatal finding.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Input rows for a code the methodology does not use.
    UnusedData { code: String, rows: usize },
    /// An indicator of the methodology with no value in any input.
    NoData { code: String },
    /// A unit with data but no row in the units file.
    UnitNotInUnitsFile { unit: String },
    /// A note from validating the methodology.
    Methodology(String),
    /// An indicator whose fit sample has zero range (or zero sd): the documented policy applied.
    Degenerate { code: String, year: String, policy: &'static str },
    /// An indicator with no value at all in a year.
    AllMissing { code: String, year: i32 },
    /// Values filled in by imputation.
    Imputed { code: String, year: i32, count: usize, method: String },
    /// Missing values imputation could not fill (no donor).
    NotImputed { code: String, year: i32, count: usize, reason: String },
    /// Units whose node score is missing for lack of coverage.
    InsufficientCoverage { code: String, year: i32, units: Vec<String> },
    /// Zeros in a geometric or harmonic mean: the score is 0 by the documented policy.
    ZeroInMean { code: String, year: i32, units: Vec<String> },
    /// Scores that fall in no band.
    Unbanded { code: String, year: i32, units: Vec<String> },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Finding::*;
        match self {
            UnusedData { code, rows } => {
                write!(f, "ingest: {rows} row(s) for '{code}', which the methodology does not use")
            }
            NoData { code } => write!(f, "ingest: indicator '{code}' has no value in any input"),
            UnitNotInUnitsFile { unit } => write!(f, "ingest: unit '{unit}' is not in the units file"),
            Methodology(s) => write!(f, "methodology: {s}"),
            Degenerate { code, year, policy } => write!(f, "normalise: '{code}' ({year}) {policy}"),
            AllMissing { code, year } => write!(f, "normalise: '{code}' has no value in {year}"),
            Imputed { code, year, count, method } => {
                write!(f, "impute: {count} value(s) of '{code}' in {year} filled by {method}")
            }
            NotImputed { code, year, count, reason } => {
                write!(f, "impute: {count} value(s) of '{code}' in {year} left missing: {reason}")
            }
            InsufficientCoverage { code, year, units } => {
                write!(
                    f,
                    "aggregate: '{code}' missing in {year} for {}: too little of its weight present",
                    list(units)
                )
            }
            ZeroInMean { code, year, units } => {
                write!(
                    f,
                    "aggregate: '{code}' is 0 in {year} for {}: a child is 0 in a geometric/harmonic mean",
                    list(units)
                )
            }
            Unbanded { code, year, units } => {
                write!(f, "band: the score of '{code}' in {year} falls in no band for {}", list(units))
            }
        }
    }
}

/// Names up to ten units, then how many more.
fn list(units: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut s = units.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if units.len() > SHOWN {
        s.push_str(&format!(" and {} more", units.len() - SHOWN));
    }
    s
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Findings in the order the stages produced them (deterministic).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct RunLog {
    pub findings: Vec<Finding>,
}

impl RunLog {
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }
}
