//! `results.xlsx`, the workbook of `gti compute --format xlsx`: *Read me*, *Index*,
//! *Pillars*, *Indicators*, *Trends*, *Regions*, *Region trends*, *Transparency*,
//! *Uncertainty* (with `--uncertainty` or `--sensitivity`), *Methodology*, *Bands*, *Changelog*, and a sheet per `--dataset`.
//!
//! *Index*, *Pillars* and *Indicators* split the rows `scores.csv` is written from
//! ([`crate::rows::Scores`]) by level, so that a filtered (public) variant only has to filter
//! those rows; the other sheets hold the tables of the CSV files of the same names.

use super::xlsx::{Book, Cell, Col, ReadMe, Show, Table, XlsxExporter, band_colours, cols, refuse_stdout};
use super::{Bundle, Exporter, OutFile, json::pretty};
use crate::disclosure::Respondents;
use crate::error::Result;
use crate::methodology::{Element, HigherIs, Methodology, Source, describe_method};
use crate::regions::REGION_COLUMN;
use crate::table::Panel;
use std::collections::HashMap;

/// The workbook's file name.
pub const RESULTS_XLSX: &str = "results.xlsx";

impl<'b> Exporter<Bundle<'b>> for XlsxExporter {
    fn files<'a>(&self, b: &'a Bundle<'b>) -> Result<Vec<OutFile<'a>>> {
        Ok(vec![
            OutFile::new(RESULTS_XLSX, workbook(b)?),
            OutFile::new("manifest.json", pretty(&b.manifest)?),
        ])
    }

    fn stdout(&self, _: &Bundle<'b>) -> Result<Vec<u8>> {
        Err(refuse_stdout())
    }
}

/// The fictional-data notice of a run, when it applies (the report's rule).
fn notice(b: &Bundle) -> Option<String> {
    let p = &b.scores.results().datasets.aggregated;
    let labels: Vec<crate::present::UnitLabel> = p
        .units
        .iter()
        .map(|u| crate::present::UnitLabel { code: u.to_string(), name: String::new(), region: None })
        .collect();
    crate::present::fictional_notice(b.scores.methodology(), &labels)
}

/// Decimals shown for scores: 3 on a 0–1 scale, else 2 (as the report).
fn decimals(b: &Bundle) -> u8 {
    let p = &b.scores.results().datasets.aggregated;
    let max = p.values.iter().filter(|v| v.is_finite()).fold(0.0f64, |m, v| m.max(v.abs()));
    if max > 0.0 && max <= 1.5 { 3 } else { 2 }
}

/// The whole workbook.
pub fn workbook(b: &Bundle) -> Result<Vec<u8>> {
    let m = b.scores.methodology();
    let notice = notice(b);
    let mut book = Book::new(&format!("{} {}: results", m.index.name, m.index.version))?;
    let mut sheets = vec![
        ("Index", "the index: score, rank and band of every unit and year"),
        ("Pillars", "every node below the index: score, rank, band, coverage"),
        ("Indicators", "every indicator: raw value, normalised value (scores.csv's score)"),
    ];
    let optional = [
        (!b.trends.is_empty(), "Trends", "trends.csv: changes between years"),
        (!b.regions.is_empty(), "Regions", "regions.csv: mean scores of each region's units"),
        (!b.region_trends.is_empty(), "Region trends", "region_trends.csv"),
        (!b.transparency.is_empty(), "Transparency", "transparency.csv: questionnaire items answered"),
        (b.intervals.is_some(), "Uncertainty", "uncertainty.csv: 5–95 % intervals of scores and ranks"),
    ];
    sheets.extend(optional.iter().filter(|o| o.0).map(|o| (o.1, o.2)));
    sheets.extend([
        ("Methodology", "the framework: weights, effective weights, methods"),
        ("Bands", "the bands and their colours"),
        ("Changelog", "the methodology's versions"),
    ]);
    let names: Vec<String> = b.datasets.iter().map(|(n, _)| format!("{n:?}")).collect();
    sheets.extend(names.iter().map(|n| (n.as_str(), "an intermediate data set (--dataset)")));
    read_me(&mut book, b, notice.as_deref(), &sheets)?;
    scores(&mut book, b, notice.as_deref())?;
    let colours = band_colours(m);
    let dec = decimals(b);
    if !b.trends.is_empty() {
        trends(&mut book, b, &colours, dec)?;
    }
    if !b.regions.is_empty() {
        regions(&mut book, b, dec)?;
    }
    if !b.transparency.is_empty() {
        transparency(&mut book, b, dec)?;
    }
    if let Some(rows) = &b.intervals {
        uncertainty(&mut book, rows, dec)?;
    }
    methodology(&mut book, m)?;
    bands(&mut book, m)?;
    changelog(&mut book, m)?;
    for (name, rows) in &b.datasets {
        let spec = [
            ("unit", Show::Text),
            ("year", Show::Int),
            ("code", Show::Text),
            ("value", Show::General),
            ("flag", Show::Text),
        ];
        let mut t = Table::new(&format!("{name:?}"), None, cols(&spec))?;
        for r in rows {
            t.row(&[
                Cell::text(&r.unit),
                Cell::int(r.year),
                Cell::text(&r.code),
                Cell::opt(r.value),
                Cell::text(&r.flag),
            ])?;
        }
        t.finish(&mut book)?;
    }
    book.bytes()
}

fn read_me(book: &mut Book, b: &Bundle, notice: Option<&str>, sheets: &[(&str, &str)]) -> Result<()> {
    let m = b.scores.methodology();
    // An internal archive's mark comes first: the workbook lists the responses as an input.
    let notices: Vec<&str> = b.manifest.audience.mark().into_iter().chain(notice).collect();
    let mut s = ReadMe::new(&format!("{} {}: results", m.index.name, m.index.version), &notices)?;
    let higher = if m.index.higher_is == HigherIs::Better { "better" } else { "worse" };
    let mut about =
        vec![("Released", m.index.released.as_deref().unwrap_or("not released")), ("Higher is", higher)];
    about.extend(m.index.description.as_deref().map(|d| ("Description", d)));
    s.provenance(&b.manifest, &about)?;
    s.sheets(sheets)?;
    s.heading("Note", &[])?;
    s.text(super::xlsx::PRECISION_NOTE)?;
    s.finish(book)
}

/// Each unit's region (units.csv's `region` column).
fn regions_of<'a>(b: &Bundle<'a>) -> HashMap<&'a str, &'a str> {
    let Some(units) = b.scores.units() else { return HashMap::new() };
    let Some(col) = units.column(REGION_COLUMN) else { return HashMap::new() };
    units
        .rows
        .iter()
        .filter_map(|(code, info)| Some((code.as_str(), info.groups.get(col)?.as_deref()?)))
        .collect()
}

/// Raw values by (unit, year, code), from the run's `Raw` data set (kept for this
/// workbook; empty when the run freed it).
struct Raw<'a> {
    p: &'a Panel,
    units: HashMap<&'a str, usize>,
    years: HashMap<i32, usize>,
    columns: HashMap<&'a str, usize>,
}

impl<'a> Raw<'a> {
    fn new(p: &'a Panel) -> Raw<'a> {
        Raw {
            p,
            units: p.units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect(),
            years: p.years.iter().enumerate().map(|(i, &y)| (y, i)).collect(),
            columns: p.columns.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect(),
        }
    }

    fn get(&self, unit: &str, year: i32, code: &str) -> Option<f64> {
        if self.p.values.is_empty() {
            return None;
        }
        let (u, y, c) = (self.units.get(unit)?, self.years.get(&year)?, self.columns.get(code)?);
        Some(self.p.col(*y, *c)[*u]).filter(|v| !v.is_nan())
    }
}

const INDEX_COLS: [(&str, Show); 9] = [
    ("year", Show::Int),
    ("unit", Show::Text),
    ("unit_name", Show::Text),
    ("region", Show::Text),
    ("score", Show::Dec(2)),
    ("rank", Show::Int),
    ("band", Show::Text),
    ("coverage", Show::Pct(0)),
    ("imputed", Show::Int),
];

const PILLAR_COLS: [(&str, Show); 11] = [
    ("year", Show::Int),
    ("node", Show::Text),
    ("node_name", Show::Text),
    ("level", Show::Int),
    ("unit", Show::Text),
    ("unit_name", Show::Text),
    ("score", Show::Dec(2)),
    ("rank", Show::Int),
    ("band", Show::Text),
    ("coverage", Show::Pct(0)),
    ("imputed", Show::Int),
];

const INDICATOR_COLS: [(&str, Show); 13] = [
    ("year", Show::Int),
    ("indicator", Show::Text),
    ("indicator_name", Show::Text),
    ("parent", Show::Text),
    ("unit", Show::Text),
    ("unit_name", Show::Text),
    ("raw", Show::General),
    ("normalised", Show::Dec(2)),
    ("rank", Show::Int),
    ("coverage", Show::Pct(0)),
    ("imputed", Show::Int),
    ("respondents", Show::Int),
    ("agreement", Show::Dec(2)),
];

/// Scores' columns with the run's decimals.
fn with_decimals(spec: &[(&'static str, Show)], dec: u8) -> Vec<Col> {
    let spec: Vec<(&'static str, Show)> =
        spec.iter().map(|&(n, s)| (n, if s == Show::Dec(2) { Show::Dec(dec) } else { s })).collect();
    cols(&spec)
}

/// *Index*, *Pillars* and *Indicators*, in one pass over the rows of `scores.csv`.
fn scores(book: &mut Book, b: &Bundle, notice: Option<&str>) -> Result<()> {
    let m = b.scores.methodology();
    let dec = decimals(b);
    let mut index = Table::new("Index", notice, with_decimals(&INDEX_COLS, dec))?;
    let mut pillars = Table::new("Pillars", None, with_decimals(&PILLAR_COLS, dec))?;
    let mut indicators = Table::new("Indicators", None, with_decimals(&INDICATOR_COLS, dec))?;
    let ids: HashMap<&str, usize> =
        m.framework.elements.iter().enumerate().map(|(i, e)| (e.code.as_str(), i)).collect();
    let colours = band_colours(m);
    let regions = regions_of(b);
    let raw = Raw::new(&b.scores.results().datasets.raw);
    // A public workbook gives an expert item's value only as its normalised value.
    let raw_value = |unit: &str, year: i32, code: &str, e: &Element| {
        let v = raw.get(unit, year, code)?;
        match (b.scores.disclosure(), e.indicator()) {
            (Some(rules), Some(spec)) => rules.raw_value(spec.source, v),
            _ => Some(v),
        }
    };
    let root = m.element(m.framework.root()).code.as_str();
    for r in b.scores.iter() {
        let e = m.element(ids[r.node]);
        let band = || {
            let fill = colours.get(&(r.node.to_string(), r.band.to_string()));
            Cell::Band(r.band, fill.map(String::as_str))
        };
        if r.node == root {
            index.row(&[
                Cell::int(r.year),
                Cell::text(r.unit),
                Cell::text(r.unit_name),
                Cell::text(regions.get(r.unit).copied().unwrap_or("")),
                Cell::opt(r.score),
                Cell::opt_int(r.rank),
                band(),
                Cell::num(r.coverage),
                Cell::int(r.imputed),
            ])?;
        } else if !e.is_indicator() {
            pillars.row(&[
                Cell::int(r.year),
                Cell::text(r.node),
                Cell::text(&e.name),
                Cell::int(r.level),
                Cell::text(r.unit),
                Cell::text(r.unit_name),
                Cell::opt(r.score),
                Cell::opt_int(r.rank),
                band(),
                Cell::num(r.coverage),
                Cell::int(r.imputed),
            ])?;
        } else {
            let parent = e.parent.map_or("", |p| m.element(p).code.as_str());
            indicators.row(&[
                Cell::int(r.year),
                Cell::text(r.node),
                Cell::text(&e.name),
                Cell::text(parent),
                Cell::text(r.unit),
                Cell::text(r.unit_name),
                Cell::opt(raw_value(r.unit, r.year, r.node, e)),
                Cell::opt(r.score),
                Cell::opt_int(r.rank),
                Cell::num(r.coverage),
                Cell::int(r.imputed),
                respondents(r.respondents),
                Cell::opt(r.agreement),
            ])?;
        }
    }
    index.finish(book)?;
    pillars.finish(book)?;
    indicators.finish(book)
}

/// A number of answers: a number, or in a public workbook the band as text (`<5`).
fn respondents<'a>(n: Option<Respondents>) -> Cell<'a> {
    match n {
        Some(Respondents::Count(n)) => Cell::int(n),
        Some(band) => Cell::owned(band.to_string()),
        None => Cell::opt(None),
    }
}

type Colours = HashMap<(String, String), String>;

fn band_cell<'a>(colours: &'a Colours, node: &str, label: &'a str) -> Cell<'a> {
    Cell::Band(label, colours.get(&(node.to_string(), label.to_string())).map(String::as_str))
}

fn trends(book: &mut Book, b: &Bundle, colours: &Colours, dec: u8) -> Result<()> {
    let spec = [
        ("unit", Show::Text),
        ("node", Show::Text),
        ("from_year", Show::Int),
        ("to_year", Show::Int),
        ("score_from", Show::Dec(dec)),
        ("score_to", Show::Dec(dec)),
        ("delta", Show::Dec(dec)),
        ("rank_from", Show::Int),
        ("rank_to", Show::Int),
        ("rank_change", Show::Int),
        ("band_from", Show::Text),
        ("band_to", Show::Text),
        ("status", Show::Text),
    ];
    let mut t = Table::new("Trends", None, cols(&spec))?;
    for r in &b.trends {
        t.row(&[
            Cell::text(&r.unit),
            Cell::text(&r.node),
            Cell::int(r.from_year),
            Cell::int(r.to_year),
            Cell::opt(r.score_from),
            Cell::opt(r.score_to),
            Cell::opt(r.delta),
            Cell::opt_int(r.rank_from),
            Cell::opt_int(r.rank_to),
            Cell::i64(r.rank_change),
            band_cell(colours, &r.node, &r.band_from),
            band_cell(colours, &r.node, &r.band_to),
            Cell::text(&r.status),
        ])?;
    }
    t.finish(book)
}

fn regions(book: &mut Book, b: &Bundle, dec: u8) -> Result<()> {
    let spec = [
        ("region", Show::Text),
        ("year", Show::Int),
        ("node", Show::Text),
        ("score", Show::Dec(dec)),
        ("units", Show::Int),
        ("coverage", Show::Pct(0)),
    ];
    let mut t = Table::new("Regions", None, cols(&spec))?;
    for r in &b.regions {
        t.row(&[
            Cell::text(&r.region),
            Cell::int(r.year),
            Cell::text(&r.node),
            Cell::opt(r.score),
            Cell::num(r.units as f64),
            Cell::num(r.coverage),
        ])?;
    }
    t.finish(book)?;
    if b.region_trends.is_empty() {
        return Ok(());
    }
    let spec = [
        ("region", Show::Text),
        ("node", Show::Text),
        ("from_year", Show::Int),
        ("to_year", Show::Int),
        ("score_from", Show::Dec(dec)),
        ("score_to", Show::Dec(dec)),
        ("delta", Show::Dec(dec)),
        ("status", Show::Text),
    ];
    let mut t = Table::new("Region trends", None, cols(&spec))?;
    for r in &b.region_trends {
        t.row(&[
            Cell::text(&r.region),
            Cell::text(&r.node),
            Cell::int(r.from_year),
            Cell::int(r.to_year),
            Cell::opt(r.score_from),
            Cell::opt(r.score_to),
            Cell::opt(r.delta),
            Cell::text(&r.status),
        ])?;
    }
    t.finish(book)
}

fn transparency(book: &mut Book, b: &Bundle, dec: u8) -> Result<()> {
    let spec = [
        ("unit", Show::Text),
        ("year", Show::Int),
        ("node", Show::Text),
        ("level", Show::Int),
        ("items", Show::Int),
        ("answered", Show::Int),
        ("share_count", Show::Pct(0)),
        ("share_weight", Show::Pct(0)),
        ("penalty", Show::Dec(dec)),
    ];
    let mut t = Table::new("Transparency", None, cols(&spec))?;
    for r in &b.transparency {
        t.row(&[
            Cell::text(&r.unit),
            Cell::int(r.year),
            Cell::text(&r.node),
            Cell::int(r.level),
            Cell::int(r.items),
            Cell::int(r.answered),
            Cell::num(r.share_count),
            Cell::opt(r.share_weight),
            Cell::opt(r.penalty),
        ])?;
    }
    t.finish(book)
}

/// `uncertainty.csv`'s rows, numbers at full precision (shown rounded).
fn uncertainty(book: &mut Book, rows: &[crate::sensitivity::intervals::IntervalRow], dec: u8) -> Result<()> {
    let spec = [
        ("unit", Show::Text),
        ("year", Show::Int),
        ("node", Show::Text),
        ("score_low", Show::Dec(dec)),
        ("score_high", Show::Dec(dec)),
        ("rank_low", Show::Dec(1)),
        ("rank_high", Show::Dec(1)),
        ("band_probability", Show::Pct(0)),
    ];
    let mut t = Table::new("Uncertainty", None, cols(&spec))?;
    for r in rows {
        t.row(&[
            Cell::text(&r.unit),
            Cell::int(r.year),
            Cell::text(&r.node),
            Cell::opt(r.score_low),
            Cell::opt(r.score_high),
            Cell::opt(r.rank_low),
            Cell::opt(r.rank_high),
            Cell::opt(r.band_probability),
        ])?;
    }
    t.finish(book)
}

/// The framework in framework order: weights as declared, effective weights in the index.
fn methodology(book: &mut Book, m: &Methodology) -> Result<()> {
    let spec = [
        ("code", Show::Text),
        ("name", Show::Text),
        ("kind", Show::Text),
        ("parent", Show::Text),
        ("level", Show::Int),
        ("weight", Show::General),
        ("effective_weight", Show::Pct(2)),
        ("source", Show::Text),
        ("direction", Show::Int),
        ("unit", Show::Text),
        ("method", Show::Text),
    ];
    let mut t = Table::new("Methodology", None, cols(&spec))?;
    let eff = m.framework.effective_weights();
    for (id, e) in m.framework.elements.iter().enumerate() {
        let spec = e.indicator();
        let source = spec.map(|s| if s.source == Source::Expert { "expert" } else { "statistical" });
        t.row(&[
            Cell::text(e.code.as_str()),
            Cell::text(&e.name),
            Cell::text(if e.is_indicator() { "indicator" } else { "node" }),
            Cell::text(e.parent.map_or("", |p| m.element(p).code.as_str())),
            Cell::int(e.level),
            Cell::num(e.weight),
            Cell::num(eff[id]),
            Cell::text(source.unwrap_or("")),
            Cell::opt(spec.map(|s| s.direction.sign())),
            Cell::text(spec.and_then(|s| s.unit.as_deref()).unwrap_or("")),
            Cell::owned(describe_method(e)),
        ])?;
    }
    t.finish(book)
}

fn bands(book: &mut Book, m: &Methodology) -> Result<()> {
    let spec = [
        ("label", Show::Text),
        ("min", Show::General),
        ("max", Show::General),
        ("nodes", Show::Text),
        ("color", Show::Text),
    ];
    let mut t = Table::new("Bands", None, cols(&spec))?;
    for (i, b) in m.bands.iter().enumerate() {
        let fill = crate::present::band_fill(b, i);
        let nodes = b
            .nodes
            .as_ref()
            .map_or("all nodes".to_string(), |n| n.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "));
        t.row(&[
            Cell::Band(&b.label, Some(&fill)),
            Cell::num(b.min),
            Cell::num(b.max),
            Cell::owned(nodes),
            Cell::text(&fill),
        ])?;
    }
    t.finish(book)
}

fn changelog(book: &mut Book, m: &Methodology) -> Result<()> {
    let spec = [("version", Show::Text), ("date", Show::Text), ("summary", Show::Text)];
    let mut t = Table::new("Changelog", None, cols(&spec))?;
    for c in &m.changelog {
        t.row(&[
            Cell::text(&c.version),
            Cell::text(c.date.as_deref().unwrap_or("")),
            Cell::text(&c.summary),
        ])?;
    }
    t.finish(book)
}
