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
    /// The unit's latest earlier value, at most `max_age` years old (COINr `impute_panel`
    /// "latest").
    Latest {
        max_age: u32,
    },
    /// Linear interpolation between the unit's observed years (COINr `impute_panel` "linear").
    Linear,
    /// Conditional means under a multivariate normal fitted by EM, per year, on the indicator
    /// and its siblings (or every indicator).
    Em {
        variables: Scope,
        tolerance: f64,
        max_iterations: u32,
    },
    /// The mean of the k nearest donors (distance on the standardised observed indicators).
    Knn {
        k: u32,
        features: Scope,
    },
    /// Ordinary least squares with an intercept on declared predictors, per year.
    Regression {
        predictors: Vec<String>,
    },
}

/// The indicators a model-based imputation looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The indicators with the same parent node.
    Siblings,
    /// Every indicator of the methodology.
    All,
}

impl Impute {
    /// `em`, `knn` or `regression`: methods that look at other indicators.
    pub fn is_model(&self) -> bool {
        matches!(self, Impute::Em { .. } | Impute::Knn { .. } | Impute::Regression { .. })
    }
}

pub type ImputeSpec = Impute;

/// Outlier treatment of an indicator (formulas in `crate::stages::treat`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Treat {
    None,
    /// COINr's default: treated only when |skew| ≥ `skew` and kurtosis ≥ `kurtosis`;
    /// winsorise up to `winmax` points, else `fallback` on the original values.
    Winsorise {
        winmax: u32,
        skew: f64,
        kurtosis: f64,
        fallback: Fallback,
    },
    /// Clip at the `lower` and `upper` percentiles (0–100) of the sample.
    Clip {
        lower: f64,
        upper: f64,
    },
    /// Cap at fixed values in the indicator's own units.
    Caps {
        min: Option<f64>,
        max: Option<f64>,
    },
}

/// What `winsorise` does when winsorising `winmax` points does not pass the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    /// log(x − min + 0.01·(max − min)) of the original values (COINr `log_CT`).
    Log,
    /// Keep the winsorised values.
    None,
}

/// The sample a treatment checks and treats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TreatBy {
    /// Each year on its own (COINr treats each coin of a purse separately).
    Year,
    /// All years pooled: one check, one set of thresholds for the whole panel.
    Panel,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TreatSpec {
    pub method: Treat,
    pub by: TreatBy,
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
    MinMax {
        lo: f64,
        hi: f64,
    },
    ZScore {
        mean: f64,
        sd: f64,
    },
    /// `log`: goalposts on a log scale, (ln x − ln min)/(ln max − ln min), as the HDI's income
    /// index.
    Goalposts {
        min: f64,
        max: f64,
        lo: f64,
        hi: f64,
        truncate: bool,
        log: bool,
    },
    Rank,
    Percentile {
        lo: f64,
        hi: f64,
    },
    Borda,
    DistanceToTarget {
        target: f64,
        cap: bool,
        lo: f64,
        hi: f64,
    },
    FractionOfMax {
        lo: f64,
        hi: f64,
    },
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

/// An aggregation method for a node. The first seven combine one unit's children; the
/// others (issue 18, `super::node_methods`) look at every unit of the year at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Aggregate {
    Arithmetic,
    Geometric,
    Harmonic,
    Generalised { p: f64 },
    Median,
    Min,
    Sum,
    Mpi(super::node_methods::Mpi),
    Ampi(super::node_methods::Ampi),
    Bod(super::node_methods::Bod),
    Copeland { range: Option<(f64, f64)> },
}

impl Aggregate {
    /// Whether a unit's score depends on the other units' children (non-compensatory
    /// methods): such a node is computed over the year's units together.
    pub fn is_cross_unit(&self) -> bool {
        matches!(
            self,
            Aggregate::Mpi(_) | Aggregate::Ampi(_) | Aggregate::Bod(_) | Aggregate::Copeland { .. }
        )
    }

    /// Whether the children's weights change the score (`min` and `bod` ignore them).
    pub fn uses_weights(&self) -> bool {
        !matches!(self, Aggregate::Min | Aggregate::Bod(_))
    }

    /// The method's name as the methodology file spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Aggregate::Arithmetic => "arithmetic",
            Aggregate::Geometric => "geometric",
            Aggregate::Harmonic => "harmonic",
            Aggregate::Generalised { .. } => "generalised",
            Aggregate::Median => "median",
            Aggregate::Min => "min",
            Aggregate::Sum => "sum",
            Aggregate::Mpi(_) => "mpi",
            Aggregate::Ampi(_) => "ampi",
            Aggregate::Bod(_) => "bod",
            Aggregate::Copeland { .. } => "copeland",
        }
    }
}
