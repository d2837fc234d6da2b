//! `compare.csv` and `decomposition.csv`, the tables of `gti compare` (its committee summary
//! is [`super::compare_md`]).

use super::csv::{CsvExporter, f, n, table};
use super::{Exporter, Manifest, OutFile, compare_md, fmt_f64, json::pretty};
use crate::compare::{Comparison, DecompositionRow};
use crate::error::Result;

/// What `gti compare` writes: the comparison and its provenance.
pub struct Compared {
    pub comparison: Comparison,
    pub manifest: Manifest,
}

/// `compare.csv`, `compare.md` and `manifest.json`; `-o -` writes `compare.csv`.
impl Exporter<Compared> for CsvExporter {
    fn files<'a>(&self, c: &'a Compared) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new("compare.csv", compare_csv(&c.comparison)?),
            OutFile::new("compare.md", compare_md::render(&c.comparison).into_bytes()),
            OutFile::new("manifest.json", pretty(&c.manifest)?),
        ])
    }

    fn stdout(&self, c: &Compared) -> Result<Vec<u8>> {
        compare_csv(&c.comparison)
    }
}

/// What `gti compare --edition` writes.
pub struct Decomposed {
    pub rows: Vec<DecompositionRow>,
    pub manifest: Manifest,
}

/// `decomposition.csv` and `manifest.json`; `-o -` writes `decomposition.csv`.
impl Exporter<Decomposed> for CsvExporter {
    fn files<'a>(&self, d: &'a Decomposed) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new("decomposition.csv", decomposition_csv(&d.rows)?),
            OutFile::new("manifest.json", pretty(&d.manifest)?),
        ])
    }

    fn stdout(&self, d: &Decomposed) -> Result<Vec<u8>> {
        decomposition_csv(&d.rows)
    }
}

/// The columns of `decomposition.csv`, also the *Decomposition* sheet's (one list, so the two
/// cannot drift apart).
pub const DECOMPOSITION_COLUMNS: [&str; 12] = [
    "unit",
    "node",
    "edition_year",
    "latest_year",
    "published",
    "edition_methodology_now",
    "backcast",
    "latest",
    "data_revision",
    "methodology_change",
    "real_change",
    "total",
];

/// `decomposition.csv` (`gti compare --edition`).
pub fn decomposition_csv(rows: &[DecompositionRow]) -> Result<Vec<u8>> {
    table(
        &DECOMPOSITION_COLUMNS,
        rows.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.node.clone(),
                r.edition_year.to_string(),
                r.latest_year.to_string(),
                fmt_f64(r.published),
                f(r.edition_methodology_now),
                f(r.backcast),
                f(r.latest),
                f(r.data_revision),
                f(r.methodology_change),
                f(r.real_change),
                f(r.total),
            ]
        }),
    )
}

/// `compare.csv`.
pub fn compare_csv(c: &Comparison) -> Result<Vec<u8>> {
    let header = [
        "unit",
        "year",
        "node",
        "score_base",
        "score_candidate",
        "delta",
        "rank_base",
        "rank_candidate",
        "rank_change",
        "band_base",
        "band_candidate",
    ];
    table(
        &header,
        c.rows.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.year.to_string(),
                r.node.clone(),
                f(r.score_base),
                f(r.score_candidate),
                f(r.delta),
                n(r.rank_base),
                n(r.rank_candidate),
                n(r.rank_change),
                r.band_base.clone(),
                r.band_candidate.clone(),
            ]
        }),
    )
}
