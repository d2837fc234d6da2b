//! A node's methods beyond the per-unit means (issue 18): weights fitted from the data for
//! its children, and the non-compensatory aggregations, which look at every unit of a year
//! at once. The formulas live in `crate::stages::aggregate` and in docs/methods.md.

use crate::codes::{Code, Year};
use serde::Serialize;

/// How a node's children are weighted: as declared, or fitted on a sample and then held
/// fixed, as `bounds = "reference"` holds normalisation bounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightsSpec {
    pub method: WeightMethod,
    /// The year whose units form the fit sample; `None`: every unit-year of the run.
    pub fit_year: Option<Year>,
}

impl WeightsSpec {
    pub const DECLARED: WeightsSpec = WeightsSpec { method: WeightMethod::Declared, fit_year: None };

    pub fn is_fitted(&self) -> bool {
        self.method != WeightMethod::Declared
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum WeightMethod {
    /// The children's `weight` keys.
    Declared,
    /// Nicoletti, Scarpetta & Boylaud (2000), OECD/JRC Handbook §6.1.
    Pca {
        /// Retained factors; `None`: by eigenvalue and cumulative share.
        factors: Option<usize>,
        min_eigenvalue: f64,
        min_cumulative: f64,
    },
    /// Shannon-entropy weights.
    Entropy,
    /// Diakoulaki, Mavrotas & Papayannakis (1995).
    Critic,
    /// Becker et al. (2017): correlations with the node matching target shares.
    Optimised {
        /// Relative target importances of the children named; the others get 1.
        targets: Vec<(Code, f64)>,
    },
}

impl WeightMethod {
    pub fn name(&self) -> &'static str {
        match self {
            WeightMethod::Declared => "declared",
            WeightMethod::Pca { .. } => "pca",
            WeightMethod::Entropy => "entropy",
            WeightMethod::Critic => "critic",
            WeightMethod::Optimised { .. } => "optimised",
        }
    }
}

/// The standard deviation of `mpi` and `ampi`: the paper's population sd, or Compind's
/// sample sd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spread {
    Population,
    Sample,
}

/// Mazziotta–Pareto Index (Mazziotta & Pareto 2016).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mpi {
    /// z = 100 + 10 (x − μ)/σ per child across the year's units first.
    pub standardise: bool,
    pub sd: Spread,
}

/// The reference value of each child in `ampi`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AmpiReference {
    /// The child's mean over the units of `reference_year`.
    Mean,
    /// This value, in the children's units, for every child.
    Value(f64),
}

/// Adjusted MPI (Mazziotta & Pareto 2016): goalposts pooled over every year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ampi {
    pub reference: AmpiReference,
    /// `None`: the first year of the run.
    pub reference_year: Option<Year>,
    pub sd: Spread,
}

/// Bounds on each child's share of a unit's own aggregate: one number for every child, with
/// the children named in a table taking their own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shares {
    pub all: f64,
    pub by_child: Vec<(Code, f64)>,
}

impl Shares {
    pub fn of(&self, child: &Code) -> f64 {
        self.by_child.iter().find(|(c, _)| c == child).map_or(self.all, |(_, v)| *v)
    }
}

/// The order-m variant of BoD (Daraio & Simar 2005; Vidoli & Mazziotta 2013).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Robust {
    /// Units drawn (with replacement) per replicate.
    pub m: usize,
    /// Replicates per unit.
    pub draws: usize,
}

/// Benefit of the doubt (Cherchye et al. 2007).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bod {
    pub min_share: Shares,
    pub max_share: Shares,
    /// Scores mapped from [0, 1] onto this range; `None`: left in [0, 1].
    pub range: Option<(f64, f64)>,
    pub robust: Option<Robust>,
    /// The seed of the robust variant's draws.
    pub seed: u64,
}
