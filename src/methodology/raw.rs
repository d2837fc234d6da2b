//! The methodology file as written: serde types that mirror the TOML, with spans so that
//! validation can name the line of every key. Nothing here is checked beyond its TOML type;
//! `validate` turns a [`RawMethodology`] into a [`super::Methodology`].

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A method table (`{ method = "minmax", range = [0, 100] }`): its keys depend on the method,
/// so they are kept as a spanned bag and checked per method in `params`.
pub type RawMethodTable = Spanned<BTreeMap<String, Spanned<toml::Value>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMethodology {
    pub schema: Spanned<i64>,
    pub index: Spanned<RawIndex>,
    #[serde(default)]
    pub changelog: Vec<Spanned<RawChange>>,
    #[serde(default)]
    pub defaults: Option<Spanned<RawDefaults>>,
    #[serde(default)]
    pub expert: Option<Spanned<RawExpert>>,
    #[serde(default)]
    pub trend: Option<Spanned<RawTrend>>,
    #[serde(default)]
    pub node: BTreeMap<String, Spanned<RawNode>>,
    #[serde(default)]
    pub indicator: BTreeMap<String, Spanned<RawIndicator>>,
    #[serde(default)]
    pub band: Vec<Spanned<RawBand>>,
    /// `[screen]`, checked in `super::screen`.
    pub screen: Option<Spanned<super::screen::RawScreen>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub code: Spanned<String>,
    pub name: String,
    pub version: Spanned<String>,
    pub released: Option<String>,
    pub higher_is: Option<Spanned<String>>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub version: String,
    pub date: Option<String>,
    pub summary: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    pub transform: Option<RawMethodTable>,
    pub impute: Option<RawMethodTable>,
    pub treat: Option<RawMethodTable>,
    pub normalise: Option<RawMethodTable>,
    pub aggregate: Option<RawMethodTable>,
    pub missing: Option<Spanned<RawMissing>>,
    /// Weights of the children fitted from the data (`{ method = "pca" }`).
    pub weights: Option<RawMethodTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMissing {
    pub min_coverage: Spanned<f64>,
}

/// `[expert]` (defaults for every expert indicator, and the transparency `penalty`) and
/// `[indicator.X].expert` (that item's own rules; `penalty` is refused there). Checked in
/// `super::expert`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpert {
    pub combine: Option<Spanned<String>>,
    pub trim: Option<Spanned<f64>>,
    pub min_respondents: Option<Spanned<i64>>,
    pub codes: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    /// `[low, high]`.
    pub scale: Option<Spanned<toml::Value>>,
    /// `{ sd = k, min_respondents = n }`, or `false`.
    pub outliers: Option<Spanned<toml::Value>>,
    pub weight_by_confidence: Option<Spanned<bool>>,
    pub penalty: Option<Spanned<RawPenalty>>,
    /// `[expert]` only: what public outputs may show (`crate::disclosure`).
    pub disclosure: Option<Spanned<RawDisclosure>>,
}

/// `disclosure = { count_band = …, min_respondents = … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisclosure {
    pub count_band: Option<Spanned<i64>>,
    pub min_respondents: Option<Spanned<i64>>,
}

/// `penalty = { k = … }`: points subtracted per unit of weighted share of items missing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPenalty {
    pub k: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrend {
    pub stable: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub name: Option<String>,
    pub parent: Option<Spanned<String>>,
    pub weight: Option<Spanned<f64>>,
    pub aggregate: Option<RawMethodTable>,
    pub missing: Option<Spanned<RawMissing>>,
    pub description: Option<String>,
    /// How its children are weighted (`{ method = "pca" }`); over `[defaults] weights`.
    pub weights: Option<RawMethodTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub name: Option<String>,
    pub parent: Option<Spanned<String>>,
    pub source: Option<Spanned<String>>,
    pub direction: Option<Spanned<i64>>,
    pub weight: Option<Spanned<f64>>,
    pub unit: Option<String>,
    pub description: Option<String>,
    pub transform: Option<RawMethodTable>,
    pub impute: Option<RawMethodTable>,
    pub treat: Option<RawMethodTable>,
    pub normalise: Option<RawMethodTable>,
    pub expert: Option<Spanned<RawExpert>>,
    pub allow_empty: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub label: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub color: Option<String>,
    pub nodes: Option<Vec<String>>,
}
