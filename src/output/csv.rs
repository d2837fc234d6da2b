//! CSV export: `scores.csv`, `trends.csv`, `transparency.csv`, `<Dataset>.csv`,
//! `uncertainty.csv`, `manifest.json`.

use super::{Body, Bundle, Exporter, OutFile, fmt_f64};
use crate::disclosure::Respondents;
use crate::error::{Error, Result};
use rayon::prelude::*;

pub struct CsvExporter;

/// An optional float as a CSV cell: shortest round-trip form, empty when missing.
pub fn f(v: Option<f64>) -> String {
    v.map(fmt_f64).unwrap_or_default()
}

/// An optional number as a CSV cell: empty when missing.
pub fn n<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A float whose NaN means missing (the sensitivity arrays), as a CSV cell.
pub fn f_nan(v: f64) -> String {
    f((!v.is_nan()).then_some(v))
}

/// A CSV table from a header and rows of already formatted cells: the one writer of every
/// command's tables (scores.csv, streamed for size, excepted).
///
/// # Errors
/// [`Error::Format`] (a row with another number of cells than the header).
pub fn table<H: AsRef<[u8]>>(header: &[H], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Format(format!("cannot format CSV: {e}"));
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Format(format!("cannot format CSV: {e}")))
}

/// Where a row's cells go: csv's writer (which quotes as needed), or [`Plain`] bytes when
/// no cell of the row needs quoting. Numbers never do, so `scores.csv` rows of plain codes
/// skip csv's per-byte quoting checks.
trait Cells {
    fn cell(&mut self, bytes: &[u8]) -> csv::Result<()>;
    fn end(&mut self) -> csv::Result<()>;
}

impl Cells for csv::Writer<Vec<u8>> {
    fn cell(&mut self, bytes: &[u8]) -> csv::Result<()> {
        self.write_field(bytes)
    }

    fn end(&mut self) -> csv::Result<()> {
        self.write_record(None::<&[u8]>)
    }
}

/// Cells written as they are, comma-separated, `\n`-terminated.
struct Plain<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Cells for Plain<'_> {
    fn cell(&mut self, bytes: &[u8]) -> csv::Result<()> {
        if !self.first {
            self.out.push(b',');
        }
        self.out.extend_from_slice(bytes);
        self.first = false;
        Ok(())
    }

    fn end(&mut self) -> csv::Result<()> {
        self.out.push(b'\n');
        self.first = true;
        Ok(())
    }
}

/// Whether csv (quote style `Necessary`) would quote `s`.
fn needs_quotes(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

fn int<T: itoa::Integer>(w: &mut impl Cells, v: T) -> csv::Result<()> {
    w.cell(itoa::Buffer::new().format(v).as_bytes())
}

fn opt_int<T: itoa::Integer>(w: &mut impl Cells, v: Option<T>) -> csv::Result<()> {
    match v {
        Some(v) => int(w, v),
        None => w.cell(b""),
    }
}

fn float(w: &mut impl Cells, buf: &mut String, v: Option<f64>) -> csv::Result<()> {
    match v {
        Some(v) => {
            super::write_f64(buf, v);
            w.cell(buf.as_bytes())
        }
        None => w.cell(b""),
    }
}

pub fn scores(b: &Bundle) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(48 * b.scores.capacity());
    write_scores(b, &mut out).map_err(|e| Error::Format(format!("cannot format CSV: {e}")))?;
    Ok(out)
}

/// `scores.csv` streamed into `out`. Errors are I/O errors (a formatting error is wrapped as
/// one), so that the writer names the file it was writing.
pub fn write_scores(b: &Bundle, out: &mut dyn std::io::Write) -> std::io::Result<()> {
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
    let err = |e: csv::Error| std::io::Error::other(format!("cannot format CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    out.write_all(&w.into_inner().map_err(|e| err(e.into_error().into()))?)?;
    // Blocks (one year, one element) are formatted in parallel, a window at a time, and
    // written in order: the same bytes as one thread, memory bounded by the window.
    // (Writing one window while formatting the next measured no faster, and held two.)
    let names = b.scores.names();
    let blocks = b.scores.blocks();
    for start in (0..blocks).step_by(WINDOW) {
        let window: Vec<Vec<u8>> = (start..(start + WINDOW).min(blocks))
            .into_par_iter()
            .map(|k| score_block(b, k, names.clone()))
            .collect::<Result<_>>()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        window.iter().try_for_each(|bytes| out.write_all(bytes))?;
    }
    out.flush()
}

/// Blocks formatted at once by `write_scores`.
const WINDOW: usize = 64;

/// One block of `scores.csv` rows, field by field into one buffer: 10 million rows must not
/// mean a hundred million small Strings.
fn score_block(b: &Bundle, k: usize, names: std::sync::Arc<[&str]>) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::Format(format!("cannot format CSV: {e}"));
    let mut out = Vec::with_capacity(64 * names.len());
    let mut buf = String::new();
    for r in b.scores.iter_blocks(k..k + 1, names) {
        if [r.unit, r.node, r.unit_name, r.band].iter().any(|s| needs_quotes(s)) {
            let mut w = csv::Writer::from_writer(Vec::new());
            score_row(&mut w, &mut buf, &r).map_err(err)?;
            out.extend(w.into_inner().map_err(|e| err(e.into_error().into()))?);
        } else {
            score_row(&mut Plain { out: &mut out, first: true }, &mut buf, &r).map_err(err)?;
        }
    }
    Ok(out)
}

fn score_row(w: &mut impl Cells, buf: &mut String, r: &crate::rows::ScoreRef) -> csv::Result<()> {
    w.cell(r.unit.as_bytes())?;
    int(w, r.year)?;
    w.cell(r.node.as_bytes())?;
    int(w, r.level)?;
    float(w, buf, r.score)?;
    opt_int(w, r.rank)?;
    w.cell(r.unit_name.as_bytes())?;
    w.cell(r.band.as_bytes())?;
    float(w, buf, Some(r.coverage))?;
    int(w, r.imputed)?;
    match r.respondents {
        Some(Respondents::Count(n)) => int(w, n)?,
        // A band, in public outputs: `<5`.
        Some(band) => w.cell(band.to_string().as_bytes())?,
        None => w.cell(b"")?,
    }
    float(w, buf, r.agreement)?;
    w.end()
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

/// `weights.csv`: `node,child,method,declared,weight,fit_cases`.
pub fn weights(rows: &[crate::fitted::WeightRow]) -> Result<Vec<u8>> {
    let header = ["node", "child", "method", "declared", "weight", "fit_cases"];
    table(
        &header,
        rows.iter().map(|r| {
            let cells = [&r.node, &r.child, r.method];
            let mut v: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
            v.extend([fmt_f64(r.declared), fmt_f64(r.weight), r.fit_cases.to_string()]);
            v
        }),
    )
}

/// `bod.csv`: `year,node,unit,child,weight,share`.
pub fn bod(rows: &[crate::fitted::BodRow]) -> Result<Vec<u8>> {
    let header = ["year", "node", "unit", "child", "weight", "share"];
    table(
        &header,
        rows.iter().map(|r| {
            vec![
                r.year.to_string(),
                r.node.clone(),
                r.unit.clone(),
                r.child.clone(),
                fmt_f64(r.weight),
                fmt_f64(r.share),
            ]
        }),
    )
}

/// `uncertainty.csv`: the intervals published with the scores, joined to `scores.csv` on
/// `unit,year,node` (see [`crate::sensitivity::intervals`]).
pub fn uncertainty(rows: &[crate::sensitivity::intervals::IntervalRow]) -> Result<Vec<u8>> {
    table(
        &crate::sensitivity::intervals::COLUMNS,
        rows.iter().map(|r| {
            let mut row = vec![r.unit.clone(), r.year.to_string(), r.node.clone()];
            row.extend([r.score_low, r.score_high, r.rank_low, r.rank_high, r.band_probability].map(f));
            row
        }),
    )
}

impl<'b> Exporter<Bundle<'b>> for CsvExporter {
    fn files<'a>(&self, b: &'a Bundle<'b>) -> Result<Vec<OutFile<'a>>> {
        let stream = move |w: &mut dyn std::io::Write| write_scores(b, w);
        let mut out = vec![OutFile { name: "scores.csv".into(), body: Body::Stream(Box::new(stream)) }];
        if !b.trends.is_empty() {
            out.push(OutFile::new("trends.csv", trends(b)?));
        }
        if !b.transparency.is_empty() {
            out.push(OutFile::new("transparency.csv", transparency(b)?));
        }
        if !b.regions.is_empty() {
            out.push(OutFile::new("regions.csv", regions(b)?));
        }
        if !b.region_trends.is_empty() {
            out.push(OutFile::new("region_trends.csv", region_trends(b)?));
        }
        for (name, rows) in &b.datasets {
            out.push(OutFile::new(format!("{name:?}.csv"), dataset(rows)?));
        }
        if !b.weights.is_empty() {
            out.push(OutFile::new("weights.csv", weights(&b.weights)?));
        }
        if !b.bod.is_empty() {
            out.push(OutFile::new("bod.csv", bod(&b.bod)?));
        }
        if let Some(rows) = &b.intervals {
            out.push(OutFile::new("uncertainty.csv", uncertainty(rows)?));
        }
        out.push(OutFile::new("manifest.json", super::json::pretty(&b.manifest)?));
        Ok(out)
    }

    fn stdout(&self, b: &Bundle<'b>) -> Result<Vec<u8>> {
        match b.datasets.first() {
            Some((_, rows)) => dataset(rows),
            None => scores(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::ScoreRef;

    #[test]
    fn a_table_that_cannot_be_formatted_is_an_output_failure_not_a_usage_error() {
        // csv refuses a row with another number of cells than the header.
        let e = table(&["unit", "value"], [vec!["XAA".to_string()]]).unwrap_err();
        assert!(matches!(e, Error::Format(_)) && e.to_string().contains("cannot format CSV"), "{e}");
        assert_eq!(e.exit_code(), 1);
    }

    fn via(plain: bool, r: &ScoreRef) -> Vec<u8> {
        let mut buf = String::new();
        if plain {
            let mut out = Vec::new();
            score_row(&mut Plain { out: &mut out, first: true }, &mut buf, r).unwrap();
            out
        } else {
            let mut w = csv::Writer::from_writer(Vec::new());
            score_row(&mut w, &mut buf, r).unwrap();
            w.into_inner().unwrap()
        }
    }

    proptest::proptest! {
        /// Any row csv would not quote comes out of the plain path byte for byte as csv
        /// writes it; and `needs_quotes` sends every row csv would quote to csv.
        #[test]
        fn plain_rows_are_the_bytes_csv_writes(
            unit in "[ -~é\n\r\t]{0,6}", name in "[ -~é\n\r]{0,8}", band in "[ -~]{0,4}",
            score in proptest::option::of(-1e3f64..1e3), rank in proptest::option::of(1u32..5000),
            coverage in 0f64..=1.0, imputed in 0u32..9, agreement in proptest::option::of(0f64..9.0),
        ) {
            let r = ScoreRef {
                unit: &unit, year: 2024, node: "P1_x", level: 2, score, rank, unit_name: &name,
                band: &band, coverage, imputed, agreement,
                respondents: rank.map(|n| if n % 2 == 0 { Respondents::Count(n) } else { Respondents::FewerThan(5) }),
            };
            let csv = via(false, &r);
            if ![r.unit, r.node, r.unit_name, r.band].iter().any(|s| needs_quotes(s)) {
                proptest::prop_assert_eq!(via(true, &r), csv);
            } else {
                proptest::prop_assert!(csv.contains(&b'"'), "csv quotes this row");
            }
        }
    }
}
