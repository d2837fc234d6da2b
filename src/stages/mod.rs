//! The pipeline: pure stages over dense arrays, each producing a named data set.
//!
//! expert (combine responses) → screen → transform → impute → treat → normalise → aggregate
//! → rank → band. Stages do no I/O and print nothing; their findings go into the run log.

pub mod aggregate;
pub mod band;
pub mod expert;
pub mod impute;
pub mod normalise;
pub mod rank;
pub mod screen;
pub mod transform;
pub mod transparency;
pub mod treat;

use crate::error::Result;
use crate::ingest::{RawData, Units};
use crate::log::{Finding, RunLog};
use crate::methodology::Methodology;
use crate::table::{self, Panel, arrange};
use std::sync::Arc;

/// Scores that differ by less than this are ties (DESIGN); ranks and band edges share it.
pub const TIE_EPS: f64 = 1e-9;

/// The named data sets a run produces (COINr's names), exportable with `--dataset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum DatasetName {
    Raw,
    Transformed,
    Imputed,
    Treated,
    Normalised,
    Aggregated,
}

impl DatasetName {
    /// Every data set, in pipeline order.
    pub const ALL: [DatasetName; 6] = {
        use DatasetName::*;
        [Raw, Transformed, Imputed, Treated, Normalised, Aggregated]
    };

    /// COINr's name (`Normalised`): what `--dataset` takes and the exported file is called.
    pub fn name(self) -> &'static str {
        match self {
            DatasetName::Raw => "Raw",
            DatasetName::Transformed => "Transformed",
            DatasetName::Imputed => "Imputed",
            DatasetName::Treated => "Treated",
            DatasetName::Normalised => "Normalised",
            DatasetName::Aggregated => "Aggregated",
        }
    }
}

impl std::str::FromStr for DatasetName {
    type Err = String;

    /// The exact name (`Normalised`); the error lists the names.
    fn from_str(s: &str) -> std::result::Result<DatasetName, String> {
        DatasetName::ALL.into_iter().find(|d| d.name() == s).ok_or_else(|| {
            let names: Vec<&str> = DatasetName::ALL.iter().map(|d| d.name()).collect();
            format!("no data set '{s}': one of {}", names.join(", "))
        })
    }
}

/// Every stage's output. A data set that [`Keep`] did not keep has its axes and no values.
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
    /// Per indicator point: for values imputed over time, the year(s) they came from; empty
    /// when nothing was. Read with [`Results::imputed_from`].
    pub imputed_from: Vec<Option<impute::time::Source>>,
    /// Per indicator point (the same layout): how outlier treatment changed it.
    pub treat_flags: Vec<Option<treat::TreatFlag>>,
    /// Per (year, unit), year-major: dropped by `[screen]`.
    pub screened: Vec<bool>,
    pub coverage: Vec<f64>,
    pub imputed_count: Vec<u32>,
    pub ranks: Vec<Option<u32>>,
    /// Label of the band of each point (nodes only); empty without bands. Read with
    /// [`Results::band`].
    pub bands: Vec<Option<Arc<str>>>,
    /// Expert indicator points: the answers used (`None` where no responses gave the value);
    /// empty without responses. Read with [`Results::respondents`].
    pub respondents: Vec<Option<u32>>,
    /// Expert indicator points: the standard deviation (n − 1) of the answers used; empty
    /// without responses.
    pub agreement: Vec<Option<f64>>,
    /// Share of expert items answered, per node, and the penalty where one applies.
    pub transparency: transparency::Transparency,
    /// The nodes whose children's weights were fitted from the data (empty when none).
    pub fitted_weights: Vec<aggregate::weights::Fitted>,
    /// BoD's per-unit weights (empty without a `bod` node).
    pub bod: Vec<aggregate::BodWeights>,
    pub log: RunLog,
}

/// The per-point vectors that are empty when nothing uses them (most runs have no bands,
/// responses or imputation over time; at ten million points each would cost 100–250 MB).
impl Results {
    /// The band label of point `i` (the `aggregated` layout).
    pub fn band(&self, i: usize) -> Option<&str> {
        self.bands.get(i)?.as_deref()
    }

    pub fn respondents(&self, i: usize) -> Option<u32> {
        self.respondents.get(i).copied().flatten()
    }

    pub fn agreement(&self, i: usize) -> Option<f64> {
        self.agreement.get(i).copied().flatten()
    }

    /// The units the outputs hold: those `[screen]` kept in at least one year (the manifest's
    /// and `gti validate`'s count, so that every command counts as `scores.csv` has rows).
    pub fn units_kept(&self) -> usize {
        let p = &self.datasets.aggregated;
        let nu = p.units.len();
        if !self.screened.contains(&true) {
            return nu;
        }
        (0..nu).filter(|&u| (0..p.years.len()).any(|y| !self.screened[y * nu + u])).count()
    }

    /// For an indicator point imputed over time, the year(s) it came from.
    pub fn imputed_from(&self, i: usize) -> Option<impute::time::Source> {
        self.imputed_from.get(i).copied().flatten()
    }
}

/// Runs every stage on validated inputs.
///
/// # Errors
/// Repeated data points, and numeric steps with no defined result (see each stage).
pub fn run(m: &Methodology, data: &RawData) -> Result<Results> {
    finish(m, prepare(m, data)?, data.units.as_ref(), Keep::All)
}

/// [`run`] keeping only the data sets of `keep`: the observations are freed once arranged
/// into panels (ten million of them outweigh every panel), and each data set not kept as soon
/// as the next stage has read it.
///
/// # Errors
/// As [`run`].
pub fn run_lean(m: &Methodology, data: &mut RawData, keep: Keep) -> Result<Results> {
    let prepared = prepare(m, data)?;
    data.obs = Vec::new();
    finish(m, prepared, data.units.as_ref(), keep)
}

/// The observations arranged into panels, with the combined expert answers: everything
/// the later stages need from [`RawData::obs`], so that a caller can free them (ten
/// million observations outweigh every panel).
pub struct Prepared {
    arranged: table::Arranged,
    expert: expert::Expert,
    log: RunLog,
}

/// The stages that read observations: expert combination, merge, arrangement.
///
/// # Errors
/// As [`run`].
pub fn prepare(m: &Methodology, data: &RawData) -> Result<Prepared> {
    let mut log = RunLog::default();
    m.notes.iter().for_each(|n| log.push(Finding::Methodology(n.clone())));
    let expert = expert::combine(data, m, &mut log)?;
    expert::check(data, m, &expert, &mut log);
    let merged = expert::merge(data, m, &expert)?;
    let arranged = arrange(&merged, m, &mut log)?;
    // What the inputs hold against the methodology comes first, however late it is found
    // (after the answers are combined): a misspelt code must not hide among later findings.
    log.findings.sort_by_key(|f| !f.is_ingest());
    Ok(Prepared { arranged, expert, log })
}

/// Which intermediate data sets a run keeps in [`Results::datasets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep<'a> {
    /// Every one (audit, compare, report and sensitivity read them).
    All,
    /// Only these, and `Aggregated`; the others keep their axes and no values, and each is
    /// freed as soon as the next stage has read it (`compute` at ten million points).
    Only(&'a [DatasetName]),
}

impl Keep<'_> {
    fn keep(&self, p: Panel, name: DatasetName) -> Panel {
        match self {
            Keep::Only(names) if !names.contains(&name) => Panel { values: Vec::new(), ..p },
            _ => p,
        }
    }
}

/// Every stage after [`prepare`].
///
/// # Errors
/// As [`run`].
pub fn finish(m: &Methodology, prepared: Prepared, units: Option<&Units>, keep: Keep) -> Result<Results> {
    let Prepared { arranged, expert, mut log } = prepared;
    let tr = transparency::transparency(&arranged.raw, m);
    let screened = screen::screen(&arranged.raw, m, &mut log);
    // Masking copies the panels: only when a unit-year is dropped.
    let masked = screened.contains(&true).then(|| screen::apply(&arranged, &screened));
    let transformed = transform::transform(masked.as_ref().unwrap_or(&arranged), m)?;
    drop(masked);
    let raw = keep.keep(arranged.raw, DatasetName::Raw);
    let skip = empty_unit_years(&transformed, &screened, &mut log);
    let imp = impute::impute(&transformed, m, units, &skip, &mut log)?;
    let observed: Vec<bool> =
        transformed.values.iter().zip(&imp.flags).map(|(v, f)| !v.is_nan() && !f).collect();
    let transformed = keep.keep(transformed, DatasetName::Transformed);
    let treated = treat::treat(&imp.panel, m, &mut log);
    let imputed = keep.keep(imp.panel, DatasetName::Imputed);
    let normalised = normalise::normalise(&treated.panel, m, &mut log)?;
    let treated_panel = keep.keep(treated.panel, DatasetName::Treated);
    let before = log.findings.len();
    let agg = aggregate::aggregate_penalised(&normalised, &observed, &imp.flags, &tr.penalty, m, &mut log)?;
    drop(observed);
    let normalised = keep.keep(normalised, DatasetName::Normalised);
    let (respondents, agreement) = expert::layout(&expert, m, &agg.panel);
    screen::quiet_coverage(&mut log, before, &agg.panel, &screened);
    let ranks = rank_all(&agg.panel, m);
    let bands = band_all(&agg.panel, m, &mut log);
    let datasets =
        Datasets { raw, transformed, imputed, treated: treated_panel, normalised, aggregated: agg.panel };
    Ok(Results {
        datasets,
        imputed_flags: imp.flags,
        imputed_from: if imp.sources.iter().any(Option::is_some) { imp.sources } else { Vec::new() },
        treat_flags: treated.flags,
        screened,
        coverage: agg.coverage,
        imputed_count: agg.imputed,
        ranks,
        bands,
        respondents,
        agreement,
        transparency: tr,
        fitted_weights: agg.fitted,
        bod: agg.bod,
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

/// Ranks of every (year, column), in the panel's layout; columns on all cores, each
/// into its own part of the result (no copy).
fn rank_all(p: &Panel, m: &Methodology) -> Vec<Option<u32>> {
    use rayon::prelude::*;
    let mut out = vec![None; p.values.len()];
    let (nu, nc) = (p.units.len(), p.columns.len());
    if nu == 0 {
        return out;
    }
    out.par_chunks_mut(nu).enumerate().for_each(|(k, col)| {
        rank::rank_into(p.col(k / nc, k % nc), m.index.higher_is, col);
    });
    out
}

fn band_all(p: &Panel, m: &Methodology, log: &mut RunLog) -> Vec<Option<Arc<str>>> {
    if m.bands.is_empty() {
        return Vec::new();
    }
    let mut out = vec![None; p.values.len()];
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
            let labels: Vec<Arc<str>> = bands.iter().map(|b| Arc::from(b.label.as_str())).collect();
            let mut missed = Vec::new();
            for (u, &s) in p.col(y, c).iter().enumerate() {
                out[base + u] = band::band_of(&bands, s).map(|b| labels[b].clone());
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
