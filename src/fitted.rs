//! What the data-driven methods of a run chose, as output rows: the fitted weights
//! (`weights.csv`, the manifest's `fitted_weights`) and BoD's per-unit weights (`bod.csv`).
//! Exporters only format these rows.

use crate::codes::Year;
use crate::methodology::{Aggregate, Methodology};
use crate::stages::Results;
use serde::Serialize;

/// One row of `weights.csv`: a child of a node whose weights were fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightRow {
    pub node: String,
    pub child: String,
    pub method: &'static str,
    pub declared: f64,
    pub weight: f64,
    pub fit_cases: usize,
}

/// One row of `bod.csv`: the weight BoD gave a child for a unit, and the child's share of
/// the unit's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodRow {
    pub year: Year,
    pub node: String,
    pub unit: String,
    pub child: String,
    pub weight: f64,
    pub share: f64,
}

/// A child's weight in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildWeight {
    pub child: String,
    pub declared: f64,
    pub weight: f64,
}

/// A node's fitted weights in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedStamp {
    pub node: String,
    pub method: &'static str,
    /// `null`: every year of the run pooled.
    pub fit_year: Option<Year>,
    pub fit_cases: usize,
    /// `optimised`: the objective at the weights found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<f64>,
    pub weights: Vec<ChildWeight>,
}

/// The draws of a robust BoD node, in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RobustStamp {
    pub node: String,
    pub m: usize,
    pub draws: usize,
    pub seed: u64,
}

pub fn weight_rows(m: &Methodology, r: &Results) -> Vec<WeightRow> {
    let code = |id: usize| m.framework.elements[id].code.to_string();
    r.fitted_weights
        .iter()
        .flat_map(|f| {
            f.children.iter().map(move |&(c, declared, weight)| WeightRow {
                node: code(f.node),
                child: code(c),
                method: f.method,
                declared,
                weight,
                fit_cases: f.cases,
            })
        })
        .collect()
}

pub fn bod_rows(m: &Methodology, r: &Results) -> Vec<BodRow> {
    let fw = &m.framework;
    let units = &r.datasets.aggregated.units;
    r.bod
        .iter()
        .flat_map(|b| {
            b.children.iter().map(move |&(c, weight, share)| BodRow {
                year: b.year,
                node: fw.elements[b.node].code.to_string(),
                unit: units[b.unit].to_string(),
                child: fw.elements[c].code.to_string(),
                weight,
                share,
            })
        })
        .collect()
}

pub fn fitted_stamps(m: &Methodology, r: &Results) -> Vec<FittedStamp> {
    let code = |id: usize| m.framework.elements[id].code.to_string();
    r.fitted_weights
        .iter()
        .map(|f| FittedStamp {
            node: code(f.node),
            method: f.method,
            fit_year: f.fit_year,
            fit_cases: f.cases,
            objective: f.objective,
            weights: f
                .children
                .iter()
                .map(|&(c, declared, weight)| ChildWeight { child: code(c), declared, weight })
                .collect(),
        })
        .collect()
}

pub fn robust_stamps(m: &Methodology) -> Vec<RobustStamp> {
    m.framework
        .elements
        .iter()
        .filter_map(|e| match &e.node()?.aggregate {
            Aggregate::Bod(b) => b.robust.map(|r| RobustStamp {
                node: e.code.to_string(),
                m: r.m,
                draws: r.draws,
                seed: b.seed,
            }),
            _ => None,
        })
        .collect()
}
