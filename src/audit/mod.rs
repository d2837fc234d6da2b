//! The statistical audit of a run (the JRC's audit steps; COINr's `get_stats`, `get_corr`,
//! `get_cronbach`, `get_PCA`): pure tables built from a methodology and its results.
//!
//! - **Indicators**, per year, on a chosen data set (default `Raw`): count n of values,
//!   missing share, mean, sd (n − 1), min, max, skew and kurtosis ([`crate::stats`]), the share
//!   of distinct values and of the most frequent value; what treatment did (points, flags, and
//!   skew/kurtosis before and after, both on the data treatment saw: its input, the
//!   transformed and imputed values, and its output; never the raw values, which a log
//!   transform alone would make look "treated"). Flags: `low_coverage` (present share < 0.65, COINr's `t_avail`),
//!   `outliers` (|skew| ≥ 2 and kurtosis ≥ 3.5, the treatment rule), `near_constant` (one value
//!   held by ≥ 80 % of the units with data, which includes a constant indicator).
//! - **Nodes**, per year, on the normalised indicators and aggregated scores (direction
//!   applied, units screened out left out): Cronbach's α of the children over complete cases;
//!   Pearson and Spearman correlations (pairwise complete) of the children with each other, with
//!   the node and with the index; a PCA of the children's correlation matrix over complete
//!   cases ([`crate::stats::eigen`]). Flags: `redundant(a,b)` for two children with |r| > 0.9,
//!   `negative(a)` for a child whose r with the node is < 0, `few_cases` with fewer than 3
//!   complete cases (no α, no PCA).
//! - **Influence** of every element below the index ([`influence`]) and, with `--external`,
//!   correlations of every node with external indicators ([`external`]).

pub mod external;
pub mod imputation;
pub mod influence;

use crate::log::Finding;
use crate::methodology::Methodology;
use crate::stages::{DatasetName, Results};
use crate::stats::{self, eigen};
use serde::Serialize;
use std::collections::BTreeMap;

/// Present share below which an indicator is flagged `low_coverage` (COINr's `t_avail`).
pub const LOW_COVERAGE: f64 = 0.65;
/// Share of the most frequent value from which an indicator is flagged `near_constant`.
pub const NEAR_CONSTANT: f64 = 0.8;
/// |r| above which two children are flagged `redundant`.
pub const REDUNDANT: f64 = 0.9;
/// Fewest complete cases for α and the PCA.
pub const MIN_CASES: usize = 3;

/// One row of `indicators.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub year: i32,
    pub indicator: String,
    pub parent: String,
    pub n: usize,
    pub missing_share: f64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub skew: Option<f64>,
    pub kurtosis: Option<f64>,
    pub unique_share: Option<f64>,
    pub mode_share: Option<f64>,
    pub treated_points: usize,
    /// Treatment flags with their counts, e.g. `winsorised_high 2`.
    pub treatment: String,
    /// Skew and kurtosis of the treat stage's input (`Imputed`), where a point was treated.
    pub skew_before_treatment: Option<f64>,
    pub kurtosis_before_treatment: Option<f64>,
    /// Skew and kurtosis of its output (`Treated`), where a point was treated.
    pub skew_treated: Option<f64>,
    pub kurtosis_treated: Option<f64>,
    pub flags: String,
}

/// One row of `nodes.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeRow {
    pub year: i32,
    pub node: String,
    pub level: u32,
    pub children: usize,
    pub complete_cases: usize,
    /// Cronbach's α, computed as [`Alpha`] says.
    pub alpha: Option<f64>,
    /// The cases behind α: the complete cases, or (pairwise) the smallest pair count.
    pub alpha_n: Option<usize>,
    pub pc1_eigenvalue: Option<f64>,
    pub pc1_share: Option<f64>,
    pub flags: String,
}

/// One row of `correlations.csv`: `relation` is `children`, `with_node` or `with_index`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationRow {
    pub year: i32,
    pub node: String,
    pub relation: &'static str,
    pub a: String,
    pub b: String,
    pub n: usize,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub flag: String,
}

/// One row of `pca.csv`: a component of a node's PCA and one child's coefficients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PcaRow {
    pub year: i32,
    pub node: String,
    pub component: usize,
    pub eigenvalue: f64,
    pub variance_share: f64,
    pub child: String,
    pub eigenvector: f64,
    pub loading: f64,
}

/// Every audit table.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The data set the indicator statistics describe.
    pub dataset: DatasetName,
    pub indicators: Vec<IndicatorRow>,
    pub nodes: Vec<NodeRow>,
    pub correlations: Vec<CorrelationRow>,
    pub pca: Vec<PcaRow>,
    /// `--imputation`: each method's errors on the masked values (empty without it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub imputation: Vec<imputation::ImputationRow>,
    /// Each element's influence on the index ([`influence::influence`]; empty until computed).
    pub influence: influence::Influence,
    /// `--external`: correlations with external indicators (empty without it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<external::ExternalRow>,
}

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// How Cronbach's α treats missing values (`gti audit --alpha`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alpha {
    /// Over the units with every child present (gti's default).
    #[default]
    Complete,
    /// From pairwise-complete covariances, as COINr 1.1.14's `get_cronbach` (R's
    /// `cov(use = "pairwise.complete.obs")`).
    Pairwise,
}

/// Cronbach's α from pairwise-complete covariances Cⱼₖ (each pair over the units with both
/// present, its own means, n − 1): α = k/(k − 1) · (1 − Σⱼ Cⱼⱼ / Σⱼₖ Cⱼₖ). Returns α and the
/// smallest pair count; α is `None` when a pair has fewer than 2 common units or ΣC is 0.
/// A pairwise C need not be positive semi-definite, so α can exceed 1.
pub fn pairwise_alpha(cols: &[&[f64]]) -> (Option<f64>, usize) {
    let k = cols.len();
    let (mut diag, mut total, mut fewest) = (0.0, 0.0, usize::MAX);
    for j in 0..k {
        for l in 0..k {
            let (x, y) = stats::complete_pairs(cols[j], cols[l]);
            fewest = fewest.min(x.len());
            if x.len() < 2 {
                return (None, fewest);
            }
            let (mx, my) = (stats::mean(&x), stats::mean(&y));
            let c = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / (x.len() - 1) as f64;
            total += c;
            if j == l {
                diag += c;
            }
        }
    }
    let kf = k as f64;
    let alpha = (k >= 2 && total != 0.0).then(|| kf / (kf - 1.0) * (1.0 - diag / total));
    (alpha, if k == 0 { 0 } else { fewest })
}

/// Audits a run.
pub fn audit(m: &Methodology, r: &Results, dataset: DatasetName) -> Audit {
    audit_with(m, r, dataset, Alpha::Complete)
}

/// [`audit`] with α computed as `alpha` says.
pub fn audit_with(m: &Methodology, r: &Results, dataset: DatasetName, alpha: Alpha) -> Audit {
    let mut a = Audit {
        dataset,
        indicators: vec![],
        nodes: vec![],
        correlations: vec![],
        pca: vec![],
        imputation: vec![],
        influence: influence::Influence::default(),
        external: vec![],
    };
    for (y, &year) in r.datasets.aggregated.years.iter().enumerate() {
        for (c, &id) in m.framework.indicators.iter().enumerate() {
            a.indicators.push(indicator_row(m, r, dataset, y, c, id));
        }
        for (id, e) in m.framework.elements.iter().enumerate().filter(|(_, e)| !e.is_indicator()) {
            let node = NodeAudit { m, r, y, id, code: e.code.to_string(), year, alpha };
            node.run(&mut a);
        }
    }
    a
}

/// (share of distinct values, share of the most frequent value) of present values.
fn shares(x: &[f64]) -> (f64, f64) {
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    x.iter().for_each(|v| *counts.entry((v + 0.0).to_bits()).or_default() += 1);
    let n = x.len() as f64;
    (counts.len() as f64 / n, counts.values().copied().max().unwrap_or(0) as f64 / n)
}

fn indicator_flags(missing: f64, skew: f64, kurt: f64, mode: f64) -> String {
    let mut f = Vec::new();
    if 1.0 - missing < LOW_COVERAGE {
        f.push("low_coverage");
    }
    if skew.abs() >= 2.0 && kurt >= 3.5 {
        f.push("outliers");
    }
    if mode >= NEAR_CONSTANT {
        f.push("near_constant");
    }
    f.join(";")
}

/// Treatment flags of one indicator-year with their counts, e.g. `winsorised_high 2`.
fn treatment(r: &Results, y: usize, c: usize) -> (usize, String) {
    let p = &r.datasets.treated;
    let base = (y * p.columns.len() + c) * p.units.len();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    r.treat_flags[base..base + p.units.len()]
        .iter()
        .flatten()
        .for_each(|f| *counts.entry(f.as_str()).or_default() += 1);
    let text = counts.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(";");
    (counts.values().sum(), text)
}

fn indicator_row(
    m: &Methodology,
    r: &Results,
    dataset: DatasetName,
    y: usize,
    c: usize,
    id: usize,
) -> IndicatorRow {
    let e = m.element(id);
    // `Aggregated` holds every element, its columns are element ids; the others, indicators.
    let col = if dataset == DatasetName::Aggregated {
        r.datasets.aggregated.col(y, id)
    } else {
        r.datasets.get(dataset).col(y, c)
    };
    let x = stats::present(col);
    let (skew, kurt) = (stats::skewness(&x), stats::kurtosis(&x));
    let (unique, mode) = if x.is_empty() { (f64::NAN, f64::NAN) } else { shares(&x) };
    let missing = 1.0 - x.len() as f64 / col.len().max(1) as f64;
    let (treated_points, treatment) = treatment(r, y, c);
    let before = stats::present(r.datasets.imputed.col(y, c));
    let after = stats::present(r.datasets.treated.col(y, c));
    let when_treated = |v: f64| opt(v).filter(|_| treated_points > 0);
    IndicatorRow {
        year: r.datasets.aggregated.years[y],
        indicator: e.code.to_string(),
        parent: e.parent.map(|p| m.element(p).code.to_string()).unwrap_or_default(),
        n: x.len(),
        missing_share: missing,
        mean: opt(stats::mean(&x)),
        sd: opt(stats::sd(&x)),
        min: x.iter().copied().reduce(f64::min),
        max: x.iter().copied().reduce(f64::max),
        skew: opt(skew),
        kurtosis: opt(kurt),
        unique_share: opt(unique),
        mode_share: opt(mode),
        treated_points,
        treatment,
        skew_before_treatment: when_treated(stats::skewness(&before)),
        kurtosis_before_treatment: when_treated(stats::kurtosis(&before)),
        skew_treated: when_treated(stats::skewness(&after)),
        kurtosis_treated: when_treated(stats::kurtosis(&after)),
        flags: indicator_flags(missing, skew, kurt, mode),
    }
}

/// One node in one year.
struct NodeAudit<'a> {
    m: &'a Methodology,
    r: &'a Results,
    y: usize,
    id: usize,
    code: String,
    year: i32,
    alpha: Alpha,
}

impl NodeAudit<'_> {
    /// The aggregated column of element `id` in this year (columns are element ids).
    fn col(&self, id: usize) -> &[f64] {
        self.r.datasets.aggregated.col(self.y, id)
    }

    fn name(&self, id: usize) -> String {
        self.m.element(id).code.to_string()
    }

    fn run(&self, a: &mut Audit) {
        let kids = &self.m.element(self.id).children;
        let mut flags = Vec::new();
        self.correlations(kids, a, &mut flags);
        let complete = self.complete_cases(kids);
        let enough = complete.first().map_or(0, Vec::len) >= MIN_CASES && kids.len() >= 2;
        if !enough {
            flags.push("few_cases".to_string());
        }
        let n_complete = complete.first().map_or(0, Vec::len);
        let (alpha, alpha_n) = match self.alpha {
            Alpha::Complete if enough => (opt(stats::cronbach_alpha(&complete)), Some(n_complete)),
            Alpha::Complete => (None, Some(n_complete)),
            Alpha::Pairwise => {
                let cols: Vec<&[f64]> = kids.iter().map(|&k| self.col(k)).collect();
                let (a, n) = pairwise_alpha(&cols);
                if a.is_none() && enough {
                    flags.push("few_cases".to_string());
                }
                (a, Some(n))
            }
        };
        let pca = if enough { eigen::pca(&stats::correlation_matrix(&complete)) } else { None };
        if let Some(p) = &pca {
            self.pca_rows(kids, p, a);
        }
        a.nodes.push(NodeRow {
            year: self.year,
            node: self.code.clone(),
            level: self.m.element(self.id).level,
            children: kids.len(),
            complete_cases: complete.first().map_or(0, Vec::len),
            alpha,
            alpha_n,
            pc1_eigenvalue: pca.as_ref().map(|p| p.eigenvalues[0]),
            pc1_share: pca.as_ref().map(|p| p.shares[0]),
            flags: flags.join(";"),
        });
    }

    /// The children's columns restricted to units where every child has a value.
    fn complete_cases(&self, kids: &[usize]) -> Vec<Vec<f64>> {
        let n = self.r.datasets.aggregated.units.len();
        let rows: Vec<usize> = (0..n).filter(|&u| kids.iter().all(|&k| !self.col(k)[u].is_nan())).collect();
        kids.iter().map(|&k| rows.iter().map(|&u| self.col(k)[u]).collect()).collect()
    }

    fn pair(&self, relation: &'static str, a: usize, b: usize) -> CorrelationRow {
        let (x, y) = stats::complete_pairs(self.col(a), self.col(b));
        let (pearson, spearman) = (opt(stats::pearson(&x, &y)), opt(stats::spearman(&x, &y)));
        let flag = match (relation, pearson) {
            ("children", Some(r)) if r.abs() > REDUNDANT => "redundant",
            ("with_node", Some(r)) if r < 0.0 => "negative",
            _ => "",
        };
        let (year, node, a, b) = (self.year, self.code.clone(), self.name(a), self.name(b));
        CorrelationRow { year, node, relation, a, b, n: x.len(), pearson, spearman, flag: flag.into() }
    }

    fn correlations(&self, kids: &[usize], a: &mut Audit, flags: &mut Vec<String>) {
        let root = self.m.framework.root();
        let mut rows = Vec::new();
        for (i, &k) in kids.iter().enumerate() {
            rows.extend(kids[i + 1..].iter().map(|&l| self.pair("children", k, l)));
        }
        rows.extend(kids.iter().map(|&k| self.pair("with_node", k, self.id)));
        if self.id != root {
            rows.extend(kids.iter().map(|&k| self.pair("with_index", k, root)));
        }
        for r in rows.iter().filter(|r| !r.flag.is_empty()) {
            flags.push(if r.flag == "redundant" {
                format!("redundant({},{})", r.a, r.b)
            } else {
                format!("negative({})", r.a)
            });
        }
        a.correlations.extend(rows);
    }

    fn pca_rows(&self, kids: &[usize], p: &eigen::Pca, a: &mut Audit) {
        for (j, (&value, &share)) in p.eigenvalues.iter().zip(&p.shares).enumerate() {
            for (i, &k) in kids.iter().enumerate() {
                a.pca.push(PcaRow {
                    year: self.year,
                    node: self.code.clone(),
                    component: j + 1,
                    eigenvalue: value,
                    variance_share: share,
                    child: self.name(k),
                    eigenvector: p.vectors[j][i],
                    loading: p.loadings[j][i],
                });
            }
        }
    }
}

/// The run log's treatment and screening findings, for the summary.
pub fn treatment_and_screening(r: &Results) -> Vec<String> {
    let keep = |f: &&Finding| {
        matches!(
            f,
            Finding::Treated { .. }
                | Finding::TreatSkipped { .. }
                | Finding::TreatScales { .. }
                | Finding::Screened { .. }
        )
    };
    r.log.findings.iter().filter(keep).map(|f| f.to_string()).collect()
}
