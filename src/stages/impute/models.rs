//! The model-based methods wired to the panel: which columns each model sees, the observed
//! values it learns from (never values imputed by another method, never a screened unit),
//! one EM fit per model and year shared by the indicators that declare it, and what goes to
//! the run log.

use super::model::{EmError, EmFit, Regression, conditional_fill, em_fit, knn_fill, regression_fill};
use crate::error::{PipelineError, Result};
use crate::log::{Finding, RunLog};
use crate::methodology::{Impute, Methodology, Scope};
use crate::table::Panel;
use std::collections::HashMap;

/// The observed panel and the EM fits made so far.
pub struct Models<'a> {
    m: &'a Methodology,
    /// The input with screened units masked: what every model learns from.
    observed: Panel,
    fits: HashMap<(Vec<usize>, usize, u64, u32), EmFit>,
}

/// A (columns, year) model's name in messages: the parent node of siblings, or "all".
fn model_name(m: &Methodology, c: usize, scope: Scope) -> String {
    match scope {
        Scope::All => "all indicators".into(),
        Scope::Siblings => {
            let e = m.element(m.framework.indicators[c]);
            e.parent.map_or("the index".into(), |p| m.element(p).code.to_string())
        }
    }
}

fn err(code: &str, year: i32, message: String) -> crate::error::Error {
    PipelineError { stage: "impute", unit: "(all units)".into(), year, code: code.into(), message }.into()
}

impl<'a> Models<'a> {
    pub fn new(input: &Panel, m: &'a Methodology, skip: &[bool]) -> Models<'a> {
        let mut observed = input.clone();
        let nu = input.units.len();
        for y in 0..input.years.len() {
            for u in (0..nu).filter(|&u| skip[y * nu + u]) {
                (0..input.columns.len()).for_each(|c| observed.set(y, c, u, f64::NAN));
            }
        }
        Models { m, observed, fits: HashMap::new() }
    }

    /// The columns a model of indicator `c` sees, `c` among them.
    fn scope(&self, c: usize, scope: Scope) -> Vec<usize> {
        let ids = &self.m.framework.indicators;
        let parent = self.m.element(ids[c]).parent;
        (0..ids.len()).filter(|&j| scope == Scope::All || self.m.element(ids[j]).parent == parent).collect()
    }

    /// Column `c` of year `y` filled by its model-based `method`, and why a value stays missing.
    pub fn fill(
        &mut self,
        c: usize,
        y: usize,
        method: &Impute,
        log: &mut RunLog,
    ) -> Result<(Vec<f64>, String)> {
        match method {
            Impute::Em { variables, tolerance, max_iterations } => {
                self.em(c, y, *variables, *tolerance, *max_iterations, log)
            }
            Impute::Knn { k, features } => {
                let cols = self.scope(c, *features);
                let t = cols.iter().position(|&j| j == c).expect("c is in its scope");
                let view: Vec<&[f64]> = cols.iter().map(|&j| self.observed.col(y, j)).collect();
                let codes: Vec<&str> = self.observed.units.iter().map(|u| u.as_str()).collect();
                let (values, _) = knn_fill(&view, t, *k as usize, &codes);
                Ok((values, "knn: no donor with a feature in common".into()))
            }
            Impute::Regression { predictors } => self.regression(c, y, predictors),
            _ => unreachable!("only model-based methods come here"),
        }
    }

    fn em(
        &mut self,
        c: usize,
        y: usize,
        scope: Scope,
        tol: f64,
        max_iter: u32,
        log: &mut RunLog,
    ) -> Result<(Vec<f64>, String)> {
        let year = self.observed.years[y];
        let own = self.observed.col(y, c).to_vec();
        let present = crate::stats::present(&own);
        if present.is_empty() {
            return Ok((own, "no unit has a value".into()));
        }
        if present.iter().all(|&v| v == present[0]) {
            let code = self.m.element(self.m.framework.indicators[c]).code.to_string();
            log.push(Finding::ImputeModel {
                code,
                year,
                note: "em: constant among its observed values, missing values get that constant".into(),
                capped: false,
            });
            return Ok((own.iter().map(|_| present[0]).collect(), String::new()));
        }
        // Constant variables carry nothing: left out of the model.
        let cols: Vec<usize> = self
            .scope(c, scope)
            .into_iter()
            .filter(|&j| {
                let v = crate::stats::present(self.observed.col(y, j));
                v.len() > 1 && v.iter().any(|&x| x != v[0])
            })
            .collect();
        let t = cols.iter().position(|&j| j == c).expect("c is not constant");
        let name = model_name(self.m, c, scope);
        let view: Vec<&[f64]> = cols.iter().map(|&j| self.observed.col(y, j)).collect();
        let key = (cols.clone(), y, tol.to_bits(), max_iter);
        let singular = || {
            err(
                &name,
                year,
                format!(
                    "em: Σ of the {} variables is singular in {year} ({name}): collinear indicators",
                    cols.len()
                ),
            )
        };
        if !self.fits.contains_key(&key) {
            let fit = em_fit(&view, tol, max_iter).map_err(|e| match e {
                EmError::TooFew { n, p } => err(
                    &name,
                    year,
                    format!("em: {n} unit(s) for {p} variables in {year} ({name}): use variables = \"siblings\" or another method"),
                ),
                EmError::Singular => singular(),
            })?;
            let capped = fit.change >= tol;
            let note = if capped {
                format!("em stopped after {} iterations, change {:.1e}", fit.iterations, fit.change)
            } else {
                format!(
                    "em: {} iterations, change {:.1e}, {} units, {} variables",
                    fit.iterations,
                    fit.change,
                    fit.rows,
                    cols.len()
                )
            };
            log.push(Finding::ImputeModel { code: name.clone(), year, note, capped });
            self.fits.insert(key.clone(), fit);
        }
        let fit = &self.fits[&key];
        let values = conditional_fill(&view, t, fit).map_err(|_| singular())?;
        Ok((values, "no unit has a value".into()))
    }

    fn regression(&self, c: usize, y: usize, predictors: &[String]) -> Result<(Vec<f64>, String)> {
        let ids = &self.m.framework.indicators;
        let column = |code: &str| {
            (0..ids.len())
                .find(|&j| self.m.element(ids[j]).code.as_str() == code)
                .expect("predictors are checked")
        };
        let target = self.m.element(ids[c]).code.to_string();
        let year = self.observed.years[y];
        let preds: Vec<&[f64]> = predictors.iter().map(|p| self.observed.col(y, column(p))).collect();
        let own = self.observed.col(y, c);
        match regression_fill(own, &preds) {
            Regression::Filled { values, .. } => Ok((values, "regression: a predictor is missing".into())),
            Regression::TooFew { fit } => Ok((
                own.to_vec(),
                format!("regression: {fit} unit(s) to fit, fewer than the {} needed", predictors.len() + 2),
            )),
            Regression::Collinear => Err(err(
                &target,
                year,
                format!("regression: the predictors of '{target}' are collinear in {year}"),
            )),
        }
    }
}
