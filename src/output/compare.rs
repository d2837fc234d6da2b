//! `compare.csv` and `decomposition.csv`, the tables of `gti compare` (its committee summary
//! is [`super::compare_md`]).

use super::csv::{f, n, table};
use super::fmt_f64;
use crate::compare::{Comparison, DecompositionRow};
use crate::error::Result;

/// `decomposition.csv` (`gti compare --edition`).
pub fn decomposition_csv(rows: &[DecompositionRow]) -> Result<Vec<u8>> {
    let header = [
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
    table(
        &header,
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
