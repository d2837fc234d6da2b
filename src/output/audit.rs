//! Audit outputs: `indicators.csv`, `nodes.csv`, `correlations.csv`, `pca.csv`,
//! `influence.csv`, `influence_summary.csv` (with `--imputation`, `imputation.csv`; with
//! `--external`, `external.csv`) and `manifest.json` (CSV), or one `audit.json` (JSON);
//! `audit.md`, a Markdown summary, in both.
//! Exporters format the tables of [`crate::audit`]; they compute nothing.

use super::csv::{CsvExporter, f, n, table};
use super::json::{JsonExporter, pretty};
use super::{Exporter, Manifest, OutFile, fmt_f64};
use crate::audit::external::ExternalRow;
use crate::audit::imputation::ImputationRow;
use crate::audit::influence::{InfluenceRow, InfluenceSummaryRow, most_influential};
use crate::audit::{Audit, CorrelationRow, IndicatorRow, NodeRow, PcaRow};
use crate::error::Result;
use crate::log::RunLog;
use serde::Serialize;
use std::collections::BTreeMap;

/// An audit with its provenance and the lines of the run log it summarises.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub manifest: Manifest,
    pub log: RunLog,
    pub audit: Audit,
    /// Treatment and screening findings (already in `log`), for the summary.
    #[serde(skip)]
    pub treatment: Vec<String>,
}

pub(super) const INDICATOR_HEADER: [&str; 20] = [
    "year",
    "indicator",
    "parent",
    "n",
    "missing_share",
    "mean",
    "sd",
    "min",
    "max",
    "skew",
    "kurtosis",
    "unique_share",
    "mode_share",
    "treated_points",
    "treatment",
    "skew_before_treatment",
    "kurtosis_before_treatment",
    "skew_treated",
    "kurtosis_treated",
    "flags",
];

fn indicator_cells(r: &IndicatorRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.indicator.clone(), r.parent.clone(), r.n.to_string()];
    v.push(fmt_f64(r.missing_share));
    v.extend([r.mean, r.sd, r.min, r.max, r.skew, r.kurtosis, r.unique_share, r.mode_share].map(f));
    v.extend([r.treated_points.to_string(), r.treatment.clone()]);
    v.extend(
        [r.skew_before_treatment, r.kurtosis_before_treatment, r.skew_treated, r.kurtosis_treated].map(f),
    );
    v.push(r.flags.clone());
    v
}

pub(super) const NODE_HEADER: [&str; 10] = [
    "year",
    "node",
    "level",
    "children",
    "complete_cases",
    "alpha",
    "alpha_n",
    "pc1_eigenvalue",
    "pc1_share",
    "flags",
];

fn node_cells(r: &NodeRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.node.clone(), r.level.to_string(), r.children.to_string()];
    v.push(r.complete_cases.to_string());
    v.push(f(r.alpha));
    v.push(r.alpha_n.map_or(String::new(), |n| n.to_string()));
    v.extend([r.pc1_eigenvalue, r.pc1_share].map(f));
    v.push(r.flags.clone());
    v
}

pub(super) const CORRELATION_HEADER: [&str; 9] =
    ["year", "node", "relation", "a", "b", "n", "pearson", "spearman", "flag"];

fn correlation_cells(r: &CorrelationRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.node.clone(), r.relation.to_string(), r.a.clone(), r.b.clone()];
    v.extend([r.n.to_string(), f(r.pearson), f(r.spearman), r.flag.clone()]);
    v
}

pub(super) const PCA_HEADER: [&str; 8] =
    ["year", "node", "component", "eigenvalue", "variance_share", "child", "eigenvector", "loading"];

fn pca_cells(r: &PcaRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.node.clone(), r.component.to_string()];
    v.extend([fmt_f64(r.eigenvalue), fmt_f64(r.variance_share), r.child.clone()]);
    v.extend([fmt_f64(r.eigenvector), fmt_f64(r.loading)]);
    v
}

pub(super) const IMPUTATION_HEADER: [&str; 7] =
    ["year", "indicator", "method", "n_masked", "rmse", "mae", "r2"];

fn imputation_cells(r: &ImputationRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.indicator.clone(), r.method.clone(), r.n_masked.to_string()];
    v.extend([r.rmse, r.mae, r.r2].map(f));
    v
}

pub(super) const INFLUENCE_HEADER: [&str; 7] =
    ["year", "removed", "level", "unit", "score", "rank", "rank_change"];

fn influence_cells(r: &InfluenceRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.removed.clone(), r.level.to_string(), r.unit.clone()];
    v.extend([f(r.score), n(r.rank), n(r.rank_change)]);
    v
}

pub(super) const INFLUENCE_SUMMARY_HEADER: [&str; 6] =
    ["year", "removed", "level", "n", "mean_abs_rank_change", "max_abs_rank_change"];

fn influence_summary_cells(r: &InfluenceSummaryRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.removed.clone(), r.level.to_string(), r.n.to_string()];
    v.extend([f(r.mean_abs_rank_change), n(r.max_abs_rank_change)]);
    v
}

pub(super) const EXTERNAL_HEADER: [&str; 6] = ["year", "node", "external", "n", "pearson", "spearman"];

fn external_cells(r: &ExternalRow) -> Vec<String> {
    let mut v = vec![r.year.to_string(), r.node.clone(), r.external.clone(), r.n.to_string()];
    v.extend([f(r.pearson), f(r.spearman)]);
    v
}

/// The five elements whose removal moves the index's ranks most (latest year).
fn influence_section(a: &Audit, s: &mut String) {
    let top = most_influential(&a.influence.summary, 5);
    let Some(first) = top.first() else {
        return;
    };
    s.push_str(&format!(
        "\n## Most influential elements ({})\n\nEach indicator and node below the index removed in turn \
         (weight 0, its parent renormalised): the index's rank changes (`influence.csv`, \
         `influence_summary.csv`).\n\n",
        first.year
    ));
    s.push_str("| element | level | units ranked | mean abs rank change | largest abs rank change |\n");
    s.push_str("| --- | --- | --- | --- | --- |\n");
    for r in top {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            r.removed,
            r.level,
            r.n,
            n3(r.mean_abs_rank_change),
            r.max_abs_rank_change.map_or("–".into(), |m| m.to_string())
        ));
    }
}

/// The index's correlations with each external indicator in the latest year (every node and
/// year is in `external.csv`).
fn external_section(rep: &Report, s: &mut String) {
    let index = &rep.manifest.methodology.code;
    let Some(year) = rep.audit.external.iter().map(|r| r.year).max() else {
        return;
    };
    s.push_str(&format!(
        "\n## External indicators ({year})\n\nThe index `{index}` correlated with each external indicator \
         over the units with both values (every node and year in `external.csv`):\n\n"
    ));
    s.push_str("| external | n | Pearson r | Spearman ρ |\n");
    s.push_str("| --- | --- | --- | --- |\n");
    for r in rep.audit.external.iter().filter(|r| r.year == year && &r.node == index) {
        s.push_str(&format!("| {} | {} | {} | {} |\n", r.external, r.n, n3(r.pearson), n3(r.spearman)));
    }
}

/// Per method: the median r2 over the indicator-years and how often it has the lowest rmse.
fn imputation_section(a: &Audit, s: &mut String) {
    if a.imputation.is_empty() {
        return;
    }
    let mut methods: Vec<&str> = Vec::new();
    a.imputation.iter().for_each(|r| {
        if !methods.contains(&r.method.as_str()) {
            methods.push(&r.method)
        }
    });
    let mut best: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_point: BTreeMap<(i32, &str), Vec<&ImputationRow>> = BTreeMap::new();
    a.imputation.iter().for_each(|r| by_point.entry((r.year, &r.indicator)).or_default().push(r));
    // Only methods scored on every indicator-year compete for the lowest rmse.
    let everywhere = |m: &str| a.imputation.iter().filter(|r| r.method == m).count() == by_point.len();
    for rows in by_point.values() {
        let rows: Vec<&&ImputationRow> = rows.iter().filter(|r| everywhere(&r.method)).collect();
        let low = rows.iter().filter_map(|r| r.rmse).fold(f64::INFINITY, f64::min);
        rows.iter().filter(|r| r.rmse == Some(low)).for_each(|r| *best.entry(&r.method).or_default() += 1);
    }
    s.push_str("\n## Imputation methods on masked values\n\n");
    s.push_str(&format!(
        "{} masked value(s) over {} indicator-year(s), imputed by each method and compared with the truth (`imputation.csv`).\n\n",
        by_point.values().map(|r| r[0].n_masked).sum::<usize>(),
        by_point.len()
    ));
    s.push_str("| Method | Indicator-years scored | Median r2 | Lowest rmse (indicator-years) |\n|---|---|---|---|\n");
    for m in methods {
        let rows: Vec<&ImputationRow> = a.imputation.iter().filter(|r| r.method == m).collect();
        let mut r2: Vec<f64> = rows.iter().filter_map(|r| r.r2).collect();
        r2.sort_by(f64::total_cmp);
        let median = (!r2.is_empty()).then(|| crate::stats::median(&r2));
        let lowest = if everywhere(m) { best.get(m).copied().unwrap_or(0).to_string() } else { "—".into() };
        s.push_str(&format!("| `{m}` | {} | {} | {lowest} |\n", rows.len(), n3(median)));
    }
}

/// CSV: the tables, `audit.md` and `manifest.json`; `-o -` writes the summary.
impl Exporter<Report> for CsvExporter {
    fn files<'a>(&self, rep: &'a Report) -> Result<Vec<OutFile<'a>>> {
        let a = &rep.audit;
        let mut files = vec![
            OutFile::new(
                "indicators.csv",
                table(&INDICATOR_HEADER, a.indicators.iter().map(indicator_cells))?,
            ),
            OutFile::new("nodes.csv", table(&NODE_HEADER, a.nodes.iter().map(node_cells))?),
            OutFile::new(
                "correlations.csv",
                table(&CORRELATION_HEADER, a.correlations.iter().map(correlation_cells))?,
            ),
            OutFile::new("pca.csv", table(&PCA_HEADER, a.pca.iter().map(pca_cells))?),
        ];
        if !a.imputation.is_empty() {
            files.push(OutFile::new(
                "imputation.csv",
                table(&IMPUTATION_HEADER, a.imputation.iter().map(imputation_cells))?,
            ));
        }
        files.push(OutFile::new(
            "influence.csv",
            table(&INFLUENCE_HEADER, a.influence.rows.iter().map(influence_cells))?,
        ));
        files.push(OutFile::new(
            "influence_summary.csv",
            table(&INFLUENCE_SUMMARY_HEADER, a.influence.summary.iter().map(influence_summary_cells))?,
        ));
        if !a.external.is_empty() {
            files.push(OutFile::new(
                "external.csv",
                table(&EXTERNAL_HEADER, a.external.iter().map(external_cells))?,
            ));
        }
        files.push(OutFile::new("audit.md", markdown(rep).into_bytes()));
        files.push(OutFile::new("manifest.json", pretty(&rep.manifest)?));
        Ok(files)
    }

    fn stdout(&self, rep: &Report) -> Result<Vec<u8>> {
        Ok(markdown(rep).into_bytes())
    }
}

/// JSON: `audit.md` and one `audit.json`; `-o -` writes the summary.
impl Exporter<Report> for JsonExporter {
    fn files<'a>(&self, rep: &'a Report) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new("audit.md", markdown(rep).into_bytes()),
            OutFile::new("audit.json", pretty(rep)?),
        ])
    }

    fn stdout(&self, rep: &Report) -> Result<Vec<u8>> {
        Ok(markdown(rep).into_bytes())
    }
}

/// A number to 3 decimals for the summary, `–` when undefined.
fn n3(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.3}"))
}

fn indicator_section(a: &Audit, s: &mut String) {
    let shown: Vec<&IndicatorRow> =
        a.indicators.iter().filter(|r| !r.flags.is_empty() || r.treated_points > 0).collect();
    s.push_str(&format!(
        "\n## Indicators\n\nStatistics of the `{:?}` data set ({} indicator-years); {} flagged or treated:\n\n",
        a.dataset,
        a.indicators.len(),
        shown.len()
    ));
    if shown.is_empty() {
        return;
    }
    s.push_str(
        "| year | indicator | n | missing | skew | kurtosis | treatment | skew, kurtosis before → after \
         treatment | flags |\n",
    );
    s.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for r in shown {
        let change = if r.treated_points > 0 {
            format!(
                "{}, {} → {}, {}",
                n3(r.skew_before_treatment),
                n3(r.kurtosis_before_treatment),
                n3(r.skew_treated),
                n3(r.kurtosis_treated)
            )
        } else {
            String::new()
        };
        s.push_str(&format!(
            "| {} | {} | {} | {:.0}% | {} | {} | {} | {change} | {} |\n",
            r.year,
            r.indicator,
            r.n,
            r.missing_share * 100.0,
            n3(r.skew),
            n3(r.kurtosis),
            r.treatment,
            r.flags
        ));
    }
    s.push_str(
        "\nBefore and after treatment are both on the data treatment saw: the transformed and imputed \
         values, and the treated ones.\n",
    );
}

fn node_section(a: &Audit, s: &mut String) {
    s.push_str("\n## Nodes\n\nCronbach's alpha and PCA of each node's children (complete cases; normalised ");
    s.push_str("indicators and aggregated scores):\n\n");
    s.push_str("| year | node | children | complete cases | alpha | PC1 share | flags |\n");
    s.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for r in &a.nodes {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            r.year,
            r.node,
            r.children,
            r.complete_cases,
            n3(r.alpha),
            n3(r.pc1_share),
            r.flags
        ));
    }
}

/// The Markdown summary.
pub fn markdown(rep: &Report) -> String {
    let m = &rep.manifest.methodology;
    let mut s = format!("# Statistical audit: {} ({} {})\n\n", m.name, m.code, m.version);
    s.push_str(&format!(
        "Methodology `{}` (SHA-256 `{}`), {} input file(s), {} unit(s), years {:?}.\n",
        m.path,
        m.sha256,
        rep.manifest.inputs.len(),
        rep.manifest.units,
        rep.manifest.years
    ));
    indicator_section(&rep.audit, &mut s);
    node_section(&rep.audit, &mut s);
    influence_section(&rep.audit, &mut s);
    external_section(rep, &mut s);
    imputation_section(&rep.audit, &mut s);
    s.push_str("\n## Outlier treatment and screening\n\n");
    if rep.treatment.is_empty() {
        s.push_str("No point was treated and no unit was screened out.\n");
    }
    rep.treatment.iter().for_each(|t| s.push_str(&format!("- {t}\n")));
    let mut extra = String::from(", `influence.csv`, `influence_summary.csv`");
    if !rep.audit.imputation.is_empty() {
        extra.push_str(", `imputation.csv`");
    }
    if !rep.audit.external.is_empty() {
        extra.push_str(", `external.csv`");
    }
    s.push_str(&format!(
        "\nTables: `indicators.csv`, `nodes.csv`, `correlations.csv`, `pca.csv`{extra} (or `audit.json`).\n"
    ));
    s
}
