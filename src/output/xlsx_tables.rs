//! The workbooks of `gti audit --format xlsx` (`audit.xlsx`: the audit tables) and
//! `gti compare --format xlsx` (`compare.xlsx`: the committee summary's tables and
//! compare.csv's; with `--edition`, `decomposition.xlsx`). Each has a *Read me* sheet with
//! its provenance and holds the same values as the CSV tables of the same names.

use super::audit::{
    CORRELATION_HEADER, EXTERNAL_HEADER, IMPUTATION_HEADER, INDICATOR_HEADER, INFLUENCE_HEADER,
    INFLUENCE_SUMMARY_HEADER, NODE_HEADER, PCA_HEADER, Report, markdown,
};
use super::compare::{Compared, Decomposed};
use super::xlsx::{Book, Cell, Col, PRECISION_NOTE, ReadMe, Show, Table, XlsxExporter, cols, refuse_stdout};
use super::{Exporter, Manifest, OutFile, compare_md, json::pretty};
use crate::audit::Audit;
use crate::compare::{CompareRow, Comparison};
use crate::error::Result;

/// Columns from the CSV header and how each shows its numbers.
fn named(header: &[&'static str], show: &[Show]) -> Vec<Col> {
    debug_assert_eq!(header.len(), show.len());
    header.iter().zip(show).map(|(&name, &show)| Col { name, show }).collect()
}

fn count<'a>(n: usize) -> Cell<'a> {
    Cell::num(n as f64)
}

/// The *Read me* of a workbook: title, provenance, the sheets, the precision note.
fn read_me(
    book: &mut Book,
    title: &str,
    man: &Manifest,
    sheets: &[(&str, &str)],
    notes: &[String],
) -> Result<()> {
    let mut s = ReadMe::new(title, &[])?;
    s.provenance(man, &[])?;
    s.sheets(sheets)?;
    s.heading("Note", &[])?;
    notes.iter().try_for_each(|n| s.text(n))?;
    s.text(PRECISION_NOTE)?;
    s.finish(book)
}

/// `audit.md`, `audit.xlsx` and `manifest.json`.
impl Exporter<Report> for XlsxExporter {
    fn files<'a>(&self, rep: &'a Report) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new("audit.md", markdown(rep).into_bytes()),
            OutFile::new("audit.xlsx", audit_workbook(rep)?),
            OutFile::new("manifest.json", pretty(&rep.manifest)?),
        ])
    }

    fn stdout(&self, _: &Report) -> Result<Vec<u8>> {
        Err(refuse_stdout())
    }
}

fn audit_workbook(rep: &Report) -> Result<Vec<u8>> {
    use Show::{Dec, Int, Pct, Text};
    let m = &rep.manifest.methodology;
    let title = format!("Statistical audit: {} ({} {})", m.name, m.code, m.version);
    let mut book = Book::new(&title)?;
    let a = &rep.audit;
    let mut sheets = vec![
        ("Indicators", "indicators.csv: each indicator's statistics and flags, per year"),
        ("Nodes", "nodes.csv: Cronbach's alpha and the first principal component of each node"),
        ("Correlations", "correlations.csv: Pearson and Spearman correlations"),
        ("PCA", "pca.csv: eigenvalues, eigenvectors and loadings"),
        ("Influence", "influence.csv: the index without each element, every unit"),
        ("Influence summary", "influence_summary.csv: each element's mean and largest rank change"),
    ];
    if !a.imputation.is_empty() {
        sheets.push(("Imputation", "imputation.csv: each method's errors on the masked values"));
    }
    if !a.external.is_empty() {
        sheets.push(("External", "external.csv: correlations with the external indicators"));
    }
    let mut notes = vec![format!("Indicator statistics describe the {:?} data set.", rep.audit.dataset)];
    notes.extend(rep.treatment.iter().cloned());
    notes.push("rank_change = nominal rank − rank without the element (positive: the unit moves up).".into());
    read_me(&mut book, &title, &rep.manifest, &sheets, &notes)?;
    let show = [Int, Text, Text, Int, Pct(0), Dec(3), Dec(3), Dec(3), Dec(3), Dec(3), Dec(3), Pct(0), Pct(0)];
    let show: Vec<Show> = show.into_iter().chain([Int, Text, Dec(3), Dec(3), Dec(3), Dec(3), Text]).collect();
    let mut t = Table::new("Indicators", None, named(&INDICATOR_HEADER, &show))?;
    for r in &a.indicators {
        let mut cells = vec![Cell::int(r.year), Cell::text(&r.indicator), Cell::text(&r.parent), count(r.n)];
        cells.push(Cell::num(r.missing_share));
        cells.extend(
            [r.mean, r.sd, r.min, r.max, r.skew, r.kurtosis, r.unique_share, r.mode_share].map(Cell::opt),
        );
        cells.extend([count(r.treated_points), Cell::text(&r.treatment)]);
        let after =
            [r.skew_before_treatment, r.kurtosis_before_treatment, r.skew_treated, r.kurtosis_treated];
        cells.extend(after.map(Cell::opt));
        cells.push(Cell::text(&r.flags));
        t.row(&cells)?;
    }
    t.finish(&mut book)?;
    let show = [Int, Text, Int, Int, Int, Dec(3), Int, Dec(3), Pct(1), Text];
    let mut t = Table::new("Nodes", None, named(&NODE_HEADER, &show))?;
    for r in &a.nodes {
        t.row(&[
            Cell::int(r.year),
            Cell::text(&r.node),
            Cell::int(r.level),
            count(r.children),
            count(r.complete_cases),
            Cell::opt(r.alpha),
            Cell::opt_int(r.alpha_n.map(|n| n as u32)),
            Cell::opt(r.pc1_eigenvalue),
            Cell::opt(r.pc1_share),
            Cell::text(&r.flags),
        ])?;
    }
    t.finish(&mut book)?;
    let show = [Int, Text, Text, Text, Text, Int, Dec(3), Dec(3), Text];
    let mut t = Table::new("Correlations", None, named(&CORRELATION_HEADER, &show))?;
    for r in &a.correlations {
        t.row(&[
            Cell::int(r.year),
            Cell::text(&r.node),
            Cell::text(r.relation),
            Cell::text(&r.a),
            Cell::text(&r.b),
            count(r.n),
            Cell::opt(r.pearson),
            Cell::opt(r.spearman),
            Cell::text(&r.flag),
        ])?;
    }
    t.finish(&mut book)?;
    let show = [Int, Text, Int, Dec(3), Pct(1), Text, Dec(3), Dec(3)];
    let mut t = Table::new("PCA", None, named(&PCA_HEADER, &show))?;
    for r in &a.pca {
        t.row(&[
            Cell::int(r.year),
            Cell::text(&r.node),
            count(r.component),
            Cell::num(r.eigenvalue),
            Cell::num(r.variance_share),
            Cell::text(&r.child),
            Cell::num(r.eigenvector),
            Cell::num(r.loading),
        ])?;
    }
    t.finish(&mut book)?;
    added_sheets(a, &mut book)?;
    book.bytes()
}

/// The influence, imputation and external sheets (the last two only when computed).
fn added_sheets(a: &Audit, book: &mut Book) -> Result<()> {
    use Show::{Dec, Int, Text};
    let show = [Int, Text, Int, Text, Dec(3), Int, Int];
    let mut t = Table::new("Influence", None, named(&INFLUENCE_HEADER, &show))?;
    for r in &a.influence.rows {
        t.row(&[
            Cell::int(r.year),
            Cell::text(&r.removed),
            Cell::int(r.level),
            Cell::text(&r.unit),
            Cell::opt(r.score),
            Cell::opt_int(r.rank),
            Cell::i64(r.rank_change),
        ])?;
    }
    t.finish(book)?;
    let show = [Int, Text, Int, Int, Dec(3), Int];
    let mut t = Table::new("Influence summary", None, named(&INFLUENCE_SUMMARY_HEADER, &show))?;
    for r in &a.influence.summary {
        t.row(&[
            Cell::int(r.year),
            Cell::text(&r.removed),
            Cell::int(r.level),
            count(r.n),
            Cell::opt(r.mean_abs_rank_change),
            Cell::opt(r.max_abs_rank_change.map(|m| m as f64)),
        ])?;
    }
    t.finish(book)?;
    if !a.imputation.is_empty() {
        let show = [Int, Text, Text, Int, Dec(3), Dec(3), Dec(3)];
        let mut t = Table::new("Imputation", None, named(&IMPUTATION_HEADER, &show))?;
        for r in &a.imputation {
            t.row(&[
                Cell::int(r.year),
                Cell::text(&r.indicator),
                Cell::text(&r.method),
                count(r.n_masked),
                Cell::opt(r.rmse),
                Cell::opt(r.mae),
                Cell::opt(r.r2),
            ])?;
        }
        t.finish(book)?;
    }
    if !a.external.is_empty() {
        let show = [Int, Text, Text, Int, Dec(3), Dec(3)];
        let mut t = Table::new("External", None, named(&EXTERNAL_HEADER, &show))?;
        for r in &a.external {
            t.row(&[
                Cell::int(r.year),
                Cell::text(&r.node),
                Cell::text(&r.external),
                count(r.n),
                Cell::opt(r.pearson),
                Cell::opt(r.spearman),
            ])?;
        }
        t.finish(book)?;
    }
    Ok(())
}

/// `compare.xlsx`, `compare.md` and `manifest.json`.
impl Exporter<Compared> for XlsxExporter {
    fn files<'a>(&self, c: &'a Compared) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new("compare.xlsx", compare_workbook(c)?),
            OutFile::new("compare.md", compare_md::render(&c.comparison).into_bytes()),
            OutFile::new("manifest.json", pretty(&c.manifest)?),
        ])
    }

    fn stdout(&self, _: &Compared) -> Result<Vec<u8>> {
        Err(refuse_stdout())
    }
}

/// compare.csv's columns.
const COMPARE_COLS: [(&str, Show); 11] = [
    ("unit", Show::Text),
    ("year", Show::Int),
    ("node", Show::Text),
    ("score_base", Show::Dec(2)),
    ("score_candidate", Show::Dec(2)),
    ("delta", Show::Dec(2)),
    ("rank_base", Show::Int),
    ("rank_candidate", Show::Int),
    ("rank_change", Show::Int),
    ("band_base", Show::Text),
    ("band_candidate", Show::Text),
];

fn compare_row<'a>(r: &'a CompareRow) -> [Cell<'a>; 11] {
    [
        Cell::text(&r.unit),
        Cell::int(r.year),
        Cell::text(&r.node),
        Cell::opt(r.score_base),
        Cell::opt(r.score_candidate),
        Cell::opt(r.delta),
        Cell::opt_int(r.rank_base),
        Cell::opt_int(r.rank_candidate),
        Cell::i64(r.rank_change),
        Cell::text(&r.band_base),
        Cell::text(&r.band_candidate),
    ]
}

fn compare_workbook(c: &Compared) -> Result<Vec<u8>> {
    let cmp: &Comparison = &c.comparison;
    let title = format!("Methodology comparison: {} → {}", cmp.base_version, cmp.candidate_version);
    let mut book = Book::new(&title)?;
    let sheets = [
        ("Keys changed", "the methodology keys that differ, base and candidate"),
        ("Effective weights", "each indicator's effective weight in the index, before and after"),
        ("Rank shifts", "the largest rank shifts in the index, latest year (as compare.md)"),
        ("Band crossings", "the units changing band in the index"),
        ("Compare", "compare.csv: every unit, year and node under both methodologies"),
    ];
    let notes = ["rank_change = rank_base − rank_candidate (positive: the unit moves up).".to_string()];
    read_me(&mut book, &title, &c.manifest, &sheets, &notes)?;
    let spec = [("key", Show::Text), ("base", Show::Text), ("candidate", Show::Text)];
    let mut t = Table::new("Keys changed", None, cols(&spec))?;
    let absent = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
    for k in &cmp.keys {
        t.row(&[Cell::text(&k.path), Cell::owned(absent(&k.base)), Cell::owned(absent(&k.candidate))])?;
    }
    t.finish(&mut book)?;
    let spec = [
        ("indicator", Show::Text),
        ("base", Show::Pct(2)),
        ("candidate", Show::Pct(2)),
        ("change", Show::Pct(2)),
    ];
    let mut t = Table::new("Effective weights", None, cols(&spec))?;
    for w in &cmp.weights {
        t.row(&[
            Cell::text(&w.indicator),
            Cell::num(w.base),
            Cell::num(w.candidate),
            Cell::num(w.candidate - w.base),
        ])?;
    }
    t.finish(&mut book)?;
    for (name, rows) in [
        ("Rank shifts", cmp.largest_shifts(10)),
        ("Band crossings", cmp.band_crossings()),
        ("Compare", cmp.rows.iter().collect()),
    ] {
        let mut t = Table::new(name, None, cols(&COMPARE_COLS))?;
        rows.into_iter().try_for_each(|r| t.row(&compare_row(r)))?;
        t.finish(&mut book)?;
    }
    book.bytes()
}

/// `decomposition.xlsx` and `manifest.json`.
impl Exporter<Decomposed> for XlsxExporter {
    fn files<'a>(&self, d: &'a Decomposed) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new("decomposition.xlsx", decomposition_workbook(d)?),
            OutFile::new("manifest.json", pretty(&d.manifest)?),
        ])
    }

    fn stdout(&self, _: &Decomposed) -> Result<Vec<u8>> {
        Err(refuse_stdout())
    }
}

fn decomposition_workbook(d: &Decomposed) -> Result<Vec<u8>> {
    use Show::{Dec, Int, Text};
    let title = format!("Change since a published edition: {}", d.manifest.methodology.name);
    let mut book = Book::new(&title)?;
    let sheets = [("Decomposition", "decomposition.csv: each published value's change, split")];
    let notes =
        ["total = data_revision + methodology_change + real_change (see docs/time-and-change.md)."
            .to_string()];
    read_me(&mut book, &title, &d.manifest, &sheets, &notes)?;
    let names = crate::output::compare::DECOMPOSITION_COLUMNS;
    let show = [Text, Text, Int, Int, Dec(2), Dec(2), Dec(2), Dec(2), Dec(2), Dec(2), Dec(2), Dec(2)];
    let mut t = Table::new("Decomposition", None, named(&names, &show))?;
    for r in &d.rows {
        t.row(&[
            Cell::text(&r.unit),
            Cell::text(&r.node),
            Cell::int(r.edition_year),
            Cell::int(r.latest_year),
            Cell::num(r.published),
            Cell::opt(r.edition_methodology_now),
            Cell::opt(r.backcast),
            Cell::opt(r.latest),
            Cell::opt(r.data_revision),
            Cell::opt(r.methodology_change),
            Cell::opt(r.real_change),
            Cell::opt(r.total),
        ])?;
    }
    t.finish(&mut book)?;
    book.bytes()
}
