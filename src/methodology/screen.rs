//! `[screen]`: drop units whose data are too sparse (COINr's `Screen(unit_screen = "byNA")`).
//!
//! ```toml
//! [screen]
//! min_availability = 0.65          # share of all indicators with a value
//! nodes = { P1 = 0.5, P2 = 0.5 }   # share of each node's indicators with a value
//! ```
//! Availability is counted per unit and year on the data as read (before imputation), each
//! indicator counting once (weights do not matter). A unit below any threshold in a year is
//! dropped from that year. The stage is `crate::stages::screen`.

use super::{Framework, SourceMap};
use crate::codes::Code;
use crate::error::Diag;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// `[screen]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScreen {
    pub min_availability: Option<Spanned<f64>>,
    #[serde(default)]
    pub nodes: BTreeMap<String, Spanned<f64>>,
}

/// A per-node availability threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeThreshold {
    /// Element id of the node.
    pub node: usize,
    pub code: Code,
    pub min: f64,
}

/// Checked screening rules; the default screens nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScreenRules {
    /// Minimum share of all the framework's indicators with a value.
    pub min_availability: Option<f64>,
    /// Minimum share of each listed node's indicators with a value, in framework order.
    pub nodes: Vec<NodeThreshold>,
}

impl ScreenRules {
    pub fn is_active(&self) -> bool {
        self.min_availability.is_some() || !self.nodes.is_empty()
    }
}

fn share(src: &SourceMap, v: &Spanned<f64>, what: &str, errors: &mut Vec<Diag>) -> f64 {
    let x = *v.get_ref();
    if !(0.0..=1.0).contains(&x) {
        errors.push(Diag::new(src.loc(v.span().start), format!("{what} must be between 0 and 1, not {x}")));
    }
    x
}

/// Checks `[screen]` against the framework.
pub(super) fn check(
    src: &SourceMap,
    raw: Option<&Spanned<RawScreen>>,
    fw: &Framework,
    errors: &mut Vec<Diag>,
) -> ScreenRules {
    let Some(raw) = raw.map(Spanned::get_ref) else { return ScreenRules::default() };
    let min_availability =
        raw.min_availability.as_ref().map(|v| share(src, v, "screen.min_availability", errors));
    let mut nodes = Vec::new();
    for (code, v) in &raw.nodes {
        let min = share(src, v, &format!("screen.nodes.{code}"), errors);
        match fw.find(code) {
            Some(id) if !fw.elements[id].is_indicator() => {
                nodes.push(NodeThreshold { node: id, code: Code(code.as_str().into()), min })
            }
            _ => errors.push(
                Diag::new(
                    src.loc(v.span().start),
                    format!("screen.nodes: '{code}' is not a node of the framework"),
                )
                .hint("name a [node.CODE] table; use min_availability for the whole framework"),
            ),
        }
    }
    nodes.sort_by_key(|n| n.node);
    ScreenRules { min_availability, nodes }
}
