//! The methodology: a versioned TOML file declaring the framework, every method and
//! parameter, weights, bands and trend rules.
//!
//! Parse ([`raw`]) → apply `--set` overrides ([`overrides`]) → validate ([`validate`]) into the
//! checked types below, which are the only types the pipeline stages accept.

mod describe;
pub mod diff;
pub mod expert;
pub mod freeze;
mod input;
mod keys;
pub mod methods;
pub mod node_methods;
mod node_params;
pub mod overrides;
mod params;
pub mod raw;
pub mod screen;
mod syntax;
mod validate;

pub use describe::{describe, method as describe_method};
pub use expert::{Combine, ExpertRules, OutlierRule, Penalty};
pub use methods::{
    Aggregate, Bounds, Fallback, Impute, ImputeSpec, Normalise, NormaliseSpec, Scope, Transform, Treat,
    TreatBy, TreatSpec,
};
pub use node_methods::{Ampi, AmpiReference, Bod, Mpi, Robust, Shares, Spread, WeightMethod, WeightsSpec};
pub use overrides::Override;

use crate::codes::Code;
use crate::error::{Location, MethodologyError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Which way the index points: with `Better`, rank 1 is the highest score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HigherIs {
    Better,
    Worse,
}

/// `1`: higher raw values are better; `-1`: lower raw values are better (the value is
/// negated before normalising, as COINr does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    Positive,
    Negative,
}

impl Direction {
    pub fn sign(self) -> f64 {
        match self {
            Direction::Positive => 1.0,
            Direction::Negative => -1.0,
        }
    }
}

/// Where an indicator's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Statistical,
    Expert,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexMeta {
    pub code: Code,
    pub name: String,
    pub version: String,
    pub released: Option<String>,
    pub higher_is: HigherIs,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangelogEntry {
    pub version: String,
    pub date: Option<String>,
    pub summary: String,
}

/// How an indicator is processed, resolved from its own tables over `[defaults]`.
#[derive(Debug, Clone)]
pub struct IndicatorSpec {
    pub source: Source,
    pub direction: Direction,
    pub unit: Option<String>,
    pub transform: Transform,
    pub impute: ImputeSpec,
    pub treat: TreatSpec,
    pub normalise: NormaliseSpec,
    /// For `source = "expert"`: how its questionnaire answers are combined (boxed: most
    /// indicators have none).
    pub expert: Option<Box<ExpertRules>>,
    /// `allow_empty = true`: the indicator may have no data at all (otherwise an error, as a
    /// misspelt code in the data would silently drop it).
    pub allow_empty: bool,
}

/// How a node combines its children.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub aggregate: Aggregate,
    /// How its children are weighted: declared, or fitted from the data.
    pub weights: WeightsSpec,
    /// The node is missing when less than this share of its children's weight is present.
    pub min_coverage: f64,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Indicator(IndicatorSpec),
    Node(NodeSpec),
}

/// One indicator or node of the framework tree.
#[derive(Debug, Clone)]
pub struct Element {
    pub code: Code,
    pub name: String,
    pub kind: Kind,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The weight as declared (0 allowed).
    pub weight: f64,
    /// 1 for indicators; a node is one above its highest child.
    pub level: u32,
    /// Where its table (`[indicator.CODE]`, `[node.CODE]`) is declared, for messages about
    /// the element found after validation (e.g. an indicator with no data).
    pub declared: Location,
}

impl Element {
    pub fn is_indicator(&self) -> bool {
        matches!(self.kind, Kind::Indicator(_))
    }
    pub fn indicator(&self) -> Option<&IndicatorSpec> {
        match &self.kind {
            Kind::Indicator(s) => Some(s),
            Kind::Node(_) => None,
        }
    }
    pub fn node(&self) -> Option<&NodeSpec> {
        match &self.kind {
            Kind::Node(s) => Some(s),
            Kind::Indicator(_) => None,
        }
    }
}

/// The framework tree, its elements in pre-order (each parent before its children, siblings
/// in file order): the "framework order" of every output.
#[derive(Debug, Clone)]
pub struct Framework {
    pub elements: Vec<Element>,
    /// Element ids of the indicators, in framework order.
    pub indicators: Vec<usize>,
    /// Element ids of the nodes in bottom-up order (children before parents).
    pub bottom_up: Vec<usize>,
}

impl Framework {
    pub fn root(&self) -> usize {
        0
    }
    pub fn find(&self, code: &str) -> Option<usize> {
        self.elements.iter().position(|e| e.code.as_str() == code)
    }
    /// Each indicator's effective weight in the index: the product of its and its ancestors'
    /// weights, each renormalised among its siblings. Indexed by element id (nodes included).
    pub fn effective_weights(&self) -> Vec<f64> {
        let mut eff = vec![0.0; self.elements.len()];
        eff[0] = 1.0;
        for (id, e) in self.elements.iter().enumerate().skip(1) {
            let p = e.parent.expect("non-root elements have a parent");
            let total: f64 = self.elements[p].children.iter().map(|&c| self.elements[c].weight).sum();
            eff[id] = eff[p] * e.weight / total;
        }
        eff
    }
}

/// A risk band: `min` inclusive, `max` exclusive, except that the top band's `max` is closed.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub color: Option<String>,
    /// Node codes this band applies to; `None`: every node (never indicators).
    pub nodes: Option<Vec<Code>>,
}

/// Rules for `trends.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct TrendRules {
    /// A change of at most this many points (absolute) is `stable`.
    pub stable: f64,
}

/// Where the methodology came from, for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub path: PathBuf,
    pub sha256: String,
    pub overrides: Vec<Override>,
}

/// A validated methodology: the only form the pipeline accepts.
#[derive(Debug, Clone)]
pub struct Methodology {
    pub index: IndexMeta,
    pub changelog: Vec<ChangelogEntry>,
    pub framework: Framework,
    pub bands: Vec<Band>,
    pub trend: TrendRules,
    /// `[expert]` as declared (each expert indicator's resolved rules are in its spec).
    pub expert: ExpertRules,
    /// The transparency penalty (`[expert] penalty`); `None`: off.
    pub penalty: Option<Penalty>,
    /// What public outputs may show of expert items (`[expert] disclosure`, defaults when
    /// absent): applied by `crate::disclosure`.
    pub disclosure: crate::disclosure::Disclosure,
    /// `[screen]`: which units are dropped for lack of data.
    pub screen: screen::ScreenRules,
    /// `[input]`: how the data files are written (the defaults without one).
    pub input: crate::ingest::Conventions,
    pub provenance: Provenance,
    /// Non-fatal findings of validation (e.g. defaults keys a method does not use).
    pub notes: Vec<String>,
}

impl Methodology {
    /// Reads, overrides and validates a methodology file.
    ///
    /// # Errors
    /// I/O errors, TOML syntax errors, unknown keys and every inconsistency, each naming the
    /// key and its line.
    pub fn load(path: &Path, overrides: &[Override]) -> crate::Result<Methodology> {
        let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
        let sha256 = crate::hash::sha256_hex(&bytes);
        let text = String::from_utf8(bytes).map_err(|e| {
            let line =
                1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count()
                    as u64;
            MethodologyError(vec![crate::error::Diag::new(
                Location::at(path, line, None),
                "the methodology file is not valid UTF-8",
            )])
        })?;
        Self::parse_str(path, &text, sha256, overrides)
    }

    /// Validates methodology text (`path` is used in messages only).
    pub fn parse_str(
        path: &Path,
        text: &str,
        sha256: String,
        overrides: &[Override],
    ) -> crate::Result<Methodology> {
        let edited = overrides::apply(text, overrides)?;
        let provenance = Provenance { path: path.to_path_buf(), sha256, overrides: overrides.to_vec() };
        Ok(validate::validate(path, &edited.text, provenance).map_err(|e| edited.relocate(path, e))?)
    }

    pub fn element(&self, id: usize) -> &Element {
        &self.framework.elements[id]
    }

    /// The code of indicator column `column` (its position among the framework's indicators).
    pub fn indicator_code(&self, column: usize) -> &Code {
        &self.element(self.framework.indicators[column]).code
    }

    /// The indicators whose normalisation is fitted on each year's units on their own
    /// (`bounds = "year"`): their levels are not comparable across years.
    pub fn fitted_per_year(&self) -> Vec<&Code> {
        let fw = &self.framework;
        fw.indicators
            .iter()
            .filter(|&&id| {
                fw.elements[id]
                    .indicator()
                    .is_some_and(|s| s.normalise.method.is_fitted() && s.normalise.bounds == Bounds::Year)
            })
            .map(|&id| &fw.elements[id].code)
            .collect()
    }

    /// The expert rules of each indicator column: `None` for a statistical indicator.
    pub fn expert_rules_by_column(&self) -> Vec<Option<&ExpertRules>> {
        let fw = &self.framework;
        fw.indicators
            .iter()
            .map(|&id| fw.elements[id].indicator().and_then(|s| s.expert.as_deref()))
            .collect()
    }
}

/// Converts byte offsets of a source text into line and column.
pub(crate) struct SourceMap<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl SourceMap<'_> {
    pub fn loc(&self, offset: usize) -> Location {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() as u64 + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        Location::at(self.path, line, Some(col))
    }
}
