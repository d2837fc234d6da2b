//! The methods a methodology can name, as enums with their parameters. The formulas live in
//! the stage that applies each method (`crate::stages`) and in `docs/methods.md`.

use crate::codes::{Code, Year};
use serde::Serialize;

/// Transform before imputation: optional division by a denominator, then an optional log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transform {
    pub log: LogKind,
    /// Divide by this data series (e.g. population), then multiply by `scale`.
    pub denominator: Option<Code>,
    pub scale: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogKind {
    None,
    /// Natural log; the value must be > 0.
    Log,
    /// ln(1 + x); the value must be > -1.
    Log1p,
}

impl Transform {
    pub fn is_identity(&self) -> bool {
        self.log == LogKind::None && self.denominator.is_none()
    }
}

/// Imputation of missing values, per indicator and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Impute {
    None,
    /// Mean of the units present (COINr `i_mean`).
    Mean,
    /// Median of the units present (COINr `i_median`).
    Median,
    /// Mean of the units present in the same group (COINr `i_mean_grp`).
    GroupMean {
        group: String,
    },
    /// Median of the units present in the same group (COINr `i_median_grp`).
    GroupMedian {
        group: String,
    },
}

pub type ImputeSpec = Impute;

/// Outlier treatment. Only `none` in this version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Treat {
    None,
}

/// The sample a fitted normalisation learns its parameters from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bounds {
    /// Each year on its own.
    Year,
    /// All years pooled (COINr's default for panel data).
    Panel,
    /// Fitted on one reference year, applied to every year.
    Reference(Year),
}

/// A normalisation method. `lo`/`hi` is the output `range`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Normalise {
    None,
    MinMax { lo: f64, hi: f64 },
    ZScore { mean: f64, sd: f64 },
    Goalposts { min: f64, max: f64, lo: f64, hi: f64, truncate: bool },
    Rank,
    Percentile { lo: f64, hi: f64 },
    Borda,
    DistanceToTarget { target: f64, cap: bool, lo: f64, hi: f64 },
    FractionOfMax { lo: f64, hi: f64 },
}

impl Normalise {
    /// Whether the method learns from a sample (and so depends on `bounds`).
    pub fn is_fitted(&self) -> bool {
        !matches!(self, Normalise::None | Normalise::Goalposts { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormaliseSpec {
    pub method: Normalise,
    pub bounds: Bounds,
}

/// An aggregation method for a node.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Aggregate {
    Arithmetic,
    Geometric,
    Harmonic,
    Generalised { p: f64 },
    Median,
    Min,
    Sum,
}
