//! CSV export: `scores.csv`, `trends.csv`, `transparency.csv`, `<Dataset>.csv`, `manifest.json`.

use super::{Bundle, Exporter, OutFile, fmt_f64};
use crate::error::{Error, Result};

pub struct CsvExporter;

/// An optional float as a CSV cell: shortest round-trip form, empty when missing.
pub fn f(v: Option<f64>) -> String {
    v.map(fmt_f64).unwrap_or_default()
}

/// An optional number as a CSV cell: empty when missing.
pub fn n<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A CSV table from a header and rows of already formatted cells: the one writer of every
/// command's tables (scores.csv, streamed for size, excepted).
pub fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Usage(format!("cannot format CSV: {e}"));
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Usage(format!("cannot format CSV: {e}")))
}

type Sink = csv::Writer<Vec<u8>>;

fn int<T: std::fmt::Display>(w: &mut Sink, buf: &mut String, v: T) -> csv::Result<()> {
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{v}");
    w.write_field(buf.as_bytes())
}

fn opt_int<T: std::fmt::Display>(w: &mut Sink, buf: &mut String, v: Option<T>) -> csv::Result<()> {
    match v {
        Some(v) => int(w, buf, v),
        None => w.write_field(b""),
    }
}

fn float(w: &mut Sink, buf: &mut String, v: Option<f64>) -> csv::Result<()> {
    match v {
        Some(v) => {
            super::write_f64(buf, v);
            w.write_field(buf.as_bytes())
        }
        None => w.write_field(b""),
    }
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
    // Streamed field by field into one buffer: 10 million rows must not mean a hundred
    // million small Strings.
    let err = |e: csv::Error| Error::Usage(format!("cannot format CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::with_capacity(64 * b.scores.len()));
    w.write_record(header).map_err(err)?;
    let mut buf = String::new();
    for r in &b.scores {
        w.write_field(&r.unit).map_err(err)?;
        int(&mut w, &mut buf, r.year).map_err(err)?;
        w.write_field(&r.node).map_err(err)?;
        int(&mut w, &mut buf, r.level).map_err(err)?;
        float(&mut w, &mut buf, r.score).map_err(err)?;
        opt_int(&mut w, &mut buf, r.rank).map_err(err)?;
        w.write_field(&r.unit_name).map_err(err)?;
        w.write_field(&r.band).map_err(err)?;
        float(&mut w, &mut buf, Some(r.coverage)).map_err(err)?;
        int(&mut w, &mut buf, r.imputed).map_err(err)?;
        opt_int(&mut w, &mut buf, r.respondents).map_err(err)?;
        float(&mut w, &mut buf, r.agreement).map_err(err)?;
        w.write_record(None::<&[u8]>).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Usage(format!("cannot format CSV: {e}")))
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
