//! CSV export: `scores.csv`, `trends.csv`, `transparency.csv`, `<Dataset>.csv`, `manifest.json`.

use super::{Bundle, Exporter, OutFile, fmt_f64};
use crate::error::{Error, Result};

pub struct CsvExporter;

fn f(v: Option<f64>) -> String {
    v.map(fmt_f64).unwrap_or_default()
}

fn n<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Usage(format!("cannot format CSV: {e}"));
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Usage(format!("cannot format CSV: {e}")))
}

pub fn scores(b: &Bundle) -> Result<Vec<u8>> {
    // The first ten columns are a contract; `respondents` and `agreement` (expert indicators
    // only) come after them.
    let header = [
        "unit",
        "year",
        "node",
        "level",
        "score",
        "rank",
        "unit_name",
        "band",
        "coverage",
        "imputed",
        "respondents",
        "agreement",
    ];
    table(
        &header,
        b.scores.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.year.to_string(),
                r.node.clone(),
                r.level.to_string(),
                f(r.score),
                n(r.rank),
                r.unit_name.clone(),
                r.band.clone(),
                fmt_f64(r.coverage),
                r.imputed.to_string(),
                n(r.respondents),
                f(r.agreement),
            ]
        }),
    )
}

pub fn trends(b: &Bundle) -> Result<Vec<u8>> {
    let header = [
        "unit",
        "node",
        "from_year",
        "to_year",
        "score_from",
        "score_to",
        "delta",
        "rank_from",
        "rank_to",
        "rank_change",
        "band_from",
        "band_to",
        "status",
    ];
    table(
        &header,
        b.trends.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.node.clone(),
                r.from_year.to_string(),
                r.to_year.to_string(),
                f(r.score_from),
                f(r.score_to),
                f(r.delta),
                n(r.rank_from),
                n(r.rank_to),
                n(r.rank_change),
                r.band_from.clone(),
                r.band_to.clone(),
                r.status.clone(),
            ]
        }),
    )
}

/// `transparency.csv`: per unit, year and node, the questionnaire items answered.
pub fn transparency(b: &Bundle) -> Result<Vec<u8>> {
    let header =
        ["unit", "year", "node", "level", "items", "answered", "share_count", "share_weight", "penalty"];
    table(
        &header,
        b.transparency.iter().map(|r| {
            vec![
                r.unit.clone(),
                r.year.to_string(),
                r.node.clone(),
                r.level.to_string(),
                r.items.to_string(),
                r.answered.to_string(),
                fmt_f64(r.share_count),
                f(r.share_weight),
                f(r.penalty),
            ]
        }),
    )
}

/// `regions.csv`: the mean score of each region's units.
pub fn regions(b: &Bundle) -> Result<Vec<u8>> {
    table(
        &["region", "year", "node", "score", "units", "coverage"],
        b.regions.iter().map(|r| {
            vec![
                r.region.clone(),
                r.year.to_string(),
                r.node.clone(),
                f(r.score),
                r.units.to_string(),
                fmt_f64(r.coverage),
            ]
        }),
    )
}

/// `region_trends.csv`: changes of the regional means.
pub fn region_trends(b: &Bundle) -> Result<Vec<u8>> {
    let header = ["region", "node", "from_year", "to_year", "score_from", "score_to", "delta", "status"];
    table(
        &header,
        b.region_trends.iter().map(|r| {
            vec![
                r.region.clone(),
                r.node.clone(),
                r.from_year.to_string(),
                r.to_year.to_string(),
                f(r.score_from),
                f(r.score_to),
                f(r.delta),
                r.status.clone(),
            ]
        }),
    )
}

fn dataset(rows: &[super::DatasetRow]) -> Result<Vec<u8>> {
    table(
        &["unit", "year", "code", "value", "flag"],
        rows.iter()
            .map(|r| vec![r.unit.clone(), r.year.to_string(), r.code.clone(), f(r.value), r.flag.clone()]),
    )
}

impl Exporter for CsvExporter {
    fn files(&self, b: &Bundle) -> Result<Vec<OutFile>> {
        let mut out = vec![OutFile { name: "scores.csv".into(), bytes: scores(b)? }];
        if !b.trends.is_empty() {
            out.push(OutFile { name: "trends.csv".into(), bytes: trends(b)? });
        }
        if !b.transparency.is_empty() {
            out.push(OutFile { name: "transparency.csv".into(), bytes: transparency(b)? });
        }
        if !b.regions.is_empty() {
            out.push(OutFile { name: "regions.csv".into(), bytes: regions(b)? });
        }
        if !b.region_trends.is_empty() {
            out.push(OutFile { name: "region_trends.csv".into(), bytes: region_trends(b)? });
        }
        for (name, rows) in &b.datasets {
            out.push(OutFile { name: format!("{name:?}.csv"), bytes: dataset(rows)? });
        }
        out.push(OutFile { name: "manifest.json".into(), bytes: super::json::pretty(&b.manifest)? });
        Ok(out)
    }

    fn stdout(&self, b: &Bundle) -> Result<Vec<u8>> {
        match b.datasets.first() {
            Some((_, rows)) => dataset(rows),
            None => scores(b),
        }
    }
}
