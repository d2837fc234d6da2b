//! The pipeline: pure stages over dense arrays, each producing a named data set.
//!
//! expert (combine responses) → screen → transform → impute → treat → normalise → aggregate
//! → rank → band. Stages do no I/O and print nothing; their findings go into the run log.

pub mod aggregate;
pub mod band;
pub mod expert;
pub mod expert_checks;
pub mod impute;
pub mod impute_time;
pub mod normalise;
pub mod rank;
pub mod screen;
pub mod transform;
pub mod transparency;
pub mod treat;

use crate::error::Result;
use crate::ingest::RawData;
use crate::log::{Finding, RunLog};
use crate::methodology::Methodology;
use crate::table::{Panel, arrange};

/// The named data sets a run produces (COINr's names), exportable with `--dataset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Serialize)]
#[clap(rename_all = "PascalCase")]
pub enum DatasetName {
    Raw,
    Transformed,
    Imputed,
    Treated,
    Normalised,
    Aggregated,
}

/// Every stage's output.
#[derive(Debug, Clone)]
pub struct Datasets {
    pub raw: Panel,
    pub transformed: Panel,
    pub imputed: Panel,
    pub treated: Panel,
    pub normalised: Panel,
    pub aggregated: Panel,
}

impl Datasets {
    pub fn get(&self, name: DatasetName) -> &Panel {
        match name {
            DatasetName::Raw => &self.raw,
            DatasetName::Transformed => &self.transformed,
            DatasetName::Imputed => &self.imputed,
            DatasetName::Treated => &self.treated,
            DatasetName::Normalised => &self.normalised,
            DatasetName::Aggregated => &self.aggregated,
        }
    }
}

/// A run's results: data sets plus, in the `aggregated` layout, ranks, bands, coverage and
/// imputed counts; and the log.
#[derive(Debug, Clone)]
pub struct Results {
    pub datasets: Datasets,
    /// Per indicator point (the `imputed` layout): true where imputation filled a value.
    pub imputed_flags: Vec<bool>,
    /// Per indicator point: for values imputed over time, the year(s) they came from.
    pub imputed_from: Vec<Option<impute_time::Source>>,
    /// Per indicator point (the same layout): how outlier treatment changed it.
    pub treat_flags: Vec<Option<treat::TreatFlag>>,
    /// Per (year, unit), year-major: dropped by `[screen]`.
    pub screened: Vec<bool>,
    pub coverage: Vec<f64>,
    pub imputed_count: Vec<u32>,
    pub ranks: Vec<Option<u32>>,
    /// Label of the band of each point (nodes only).
    pub bands: Vec<Option<String>>,
    /// Expert indicator points: the answers used (`None` where no responses gave the value).
    pub respondents: Vec<Option<u32>>,
    /// Expert indicator points: the standard deviation (n − 1) of the answers used.
    pub agreement: Vec<Option<f64>>,
    /// Share of expert items answered, per node, and the penalty where one applies.
    pub transparency: transparency::Transparency,
    pub log: RunLog,
}

/// Runs every stage on validated inputs.
///
/// # Errors
/// Repeated data points, and numeric steps with no defined result (see each stage).
pub fn run(m: &Methodology, data: &RawData) -> Result<Results> {
    let mut log = RunLog::default();
    m.notes.iter().for_each(|n| log.push(Finding::Methodology(n.clone())));
    let expert = expert::combine(data, m, &mut log)?;
    let merged = expert::merge(data, m, &expert)?;
    let arranged = arrange(&merged, m, &mut log)?;
    let tr = transparency::transparency(&arranged.raw, m);
    let screened = screen::screen(&arranged.raw, m, &mut log);
    let transformed = transform::transform(&screen::apply(&arranged, &screened), m)?;
    let skip = empty_unit_years(&transformed, &screened, &mut log);
    let imp = impute::impute(&transformed, m, data.units.as_ref(), &skip, &mut log);
    let treated = treat::treat(&imp.panel, m, &mut log);
    let normalised = normalise::normalise(&treated.panel, m, &mut log)?;
    let observed: Vec<bool> =
        transformed.values.iter().zip(&imp.flags).map(|(v, f)| !v.is_nan() && !f).collect();
    let before = log.findings.len();
    let agg = aggregate::aggregate_penalised(&normalised, &observed, &imp.flags, &tr.penalty, m, &mut log)?;
    let (respondents, agreement) = expert::layout(&expert, m, &agg.panel);
    screen::quiet_coverage(&mut log, before, &agg.panel, &screened);
    let ranks = rank_all(&agg.panel, m);
    let bands = band_all(&agg.panel, m, &mut log);
    let datasets = Datasets {
        raw: arranged.raw,
        transformed,
        imputed: imp.panel,
        treated: treated.panel,
        normalised,
        aggregated: agg.panel,
    };
    Ok(Results {
        datasets,
        imputed_flags: imp.flags,
        imputed_from: imp.sources,
        treat_flags: treated.flags,
        screened,
        coverage: agg.coverage,
        imputed_count: agg.imputed,
        ranks,
        bands,
        respondents,
        agreement,
        transparency: tr,
        log,
    })
}

/// Screened unit-years, plus those with no value at all (year-major, one flag per unit): a
/// unit-year with nothing observed is not imputed, so that no index is invented from donors.
fn empty_unit_years(p: &Panel, screened: &[bool], log: &mut RunLog) -> Vec<bool> {
    let nu = p.units.len();
    let mut skip = screened.to_vec();
    for y in 0..p.years.len() {
        let empty: Vec<usize> = (0..nu)
            .filter(|&u| (0..p.columns.len()).all(|c| p.get(y, c, u).is_nan()) && !screened[y * nu + u])
            .collect();
        empty.iter().for_each(|&u| skip[y * nu + u] = true);
        if !empty.is_empty() {
            let units = empty.iter().map(|&u| p.units[u].to_string()).collect();
            log.push(Finding::NothingToImpute { year: p.years[y], units });
        }
    }
    skip
}

fn rank_all(p: &Panel, m: &Methodology) -> Vec<Option<u32>> {
    let mut out = Vec::with_capacity(p.values.len());
    for y in 0..p.years.len() {
        for c in 0..p.columns.len() {
            out.extend(rank::rank(p.col(y, c), m.index.higher_is));
        }
    }
    out
}

fn band_all(p: &Panel, m: &Methodology, log: &mut RunLog) -> Vec<Option<String>> {
    let mut out = vec![None; p.values.len()];
    if m.bands.is_empty() {
        return out;
    }
    for y in 0..p.years.len() {
        for (c, e) in m.framework.elements.iter().enumerate() {
            if e.is_indicator() {
                continue;
            }
            let bands = band::applicable(&m.bands, &e.code);
            if bands.is_empty() {
                continue;
            }
            let base = (y * p.columns.len() + c) * p.units.len();
            let mut missed = Vec::new();
            for (u, &s) in p.col(y, c).iter().enumerate() {
                out[base + u] = band::band_of(&bands, s).map(|b| bands[b].label.clone());
                if !s.is_nan() && out[base + u].is_none() {
                    missed.push(p.units[u].to_string());
                }
            }
            if !missed.is_empty() {
                log.push(Finding::Unbanded { code: e.code.to_string(), year: p.years[y], units: missed });
            }
        }
    }
    out
}
