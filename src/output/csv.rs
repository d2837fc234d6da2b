//! CSV export: `scores.csv`, `trends.csv`, `<Dataset>.csv`, `manifest.json`.

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
    let header =
        ["unit", "year", "node", "level", "score", "rank", "unit_name", "band", "coverage", "imputed"];
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
