//! A release's data dictionary: every column of every CSV file in the package, every other
//! file in one line, and every indicator's name, unit, source, direction, weight and pillar
//! from the methodology. Written as two CSV files and one Markdown page.

use super::PackageFile;
use super::responses::RESPONSES;
use crate::error::{Error, Result};
use crate::methodology::{Direction, Methodology, Source};
use crate::output::fmt_f64;

pub const COLUMNS: &str = "data-dictionary-columns.csv";
pub const INDICATORS: &str = "data-dictionary-indicators.csv";
pub const MARKDOWN: &str = "data-dictionary.md";

const COLUMN_HEADS: [&str; 3] = ["file", "column", "description"];
const INDICATOR_HEADS: [&str; 9] =
    ["code", "name", "unit", "source", "direction", "weight", "effective_weight", "pillar", "parent"];

/// What a column of a file means: the dictionary's own columns, then by name (a name means
/// the same in every other gti table).
fn column(file: &str, name: &str) -> Option<&'static str> {
    let own = match (file, name) {
        (COLUMNS, "file") => Some("a file of the package, by its path inside it"),
        (COLUMNS, "column") => Some("a column of that CSV file; empty on the line describing the file"),
        (COLUMNS, "description") => Some("what the file or the column holds"),
        (INDICATORS, "code") => Some("indicator code, as in the data files and scores.csv"),
        (INDICATORS, "name") => Some("the indicator's name, from the methodology"),
        (INDICATORS, "unit") => Some("the indicator's unit of measurement, from the methodology"),
        (INDICATORS, "source") => {
            Some("statistical (one value per unit and year) or expert (questionnaire answers, combined)")
        }
        (INDICATORS, "direction") => Some("whether higher or lower raw values are better"),
        (INDICATORS, "weight") => Some("the weight declared within its parent"),
        (INDICATORS, "effective_weight") => {
            Some("its share of the index: the product of the weight shares up the tree")
        }
        (INDICATORS, "pillar") => Some("the pillar (child of the index) it belongs to"),
        (INDICATORS, "parent") => Some("the node it is aggregated into"),
        (RESPONSES, "respondent") => Some(
            "the respondent's pseudonym: r_ and the first 16 hex digits of HMAC-SHA-256 of the original id \
             under the project's key (not in the package); never the original id",
        ),
        (RESPONSES, "item") => Some("the questionnaire item: an expert indicator's code"),
        (RESPONSES, "response") => Some("the answer as read: a number, a code of the item's scale, or empty"),
        (RESPONSES, "confidence") => {
            Some("the respondent's confidence in the answer, 0 to 1; empty when not given")
        }
        _ => None,
    };
    own.or_else(|| named(name))
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "unit" => "unit code (fictional codes XAA-XZZ in gti's example)",
        "year" => "data year",
        "node" => "framework element: the index, a pillar, a sub-pillar or an indicator code",
        "level" => "1 for indicators; a node is one above its highest child (the index is highest)",
        "score" => "the element's value on its published scale (normalised value for indicators)",
        "rank" => "rank among the units of that year for that element (1 = best)",
        "unit_name" => "the unit's name, from the units file",
        "band" => "risk band of the score, from the methodology's [[bands]]",
        "coverage" => "share of the element's weight with data (1 = complete)",
        "imputed" => "true when the value, or a value beneath it, was imputed",
        "respondents" => "expert items: answers used, as the band <N below the disclosure threshold",
        "agreement" => "expert items: standard deviation of the answers; empty below min_respondents",
        "from_year" | "to_year" => "the two years a trend compares",
        "score_from" | "score_to" => "the score in from_year and in to_year",
        "delta" => "score_to - score_from",
        "rank_from" | "rank_to" => "the rank in from_year and in to_year",
        "rank_change" => "rank_from - rank_to (positive: moved up)",
        "band_from" | "band_to" => "the band in from_year and in to_year",
        "status" => "improved, stable or worsened, by the methodology's [trend] rules",
        "items" => "expert items beneath the node",
        "answered" => "expert items beneath the node with a value",
        "share_count" => "answered / items",
        "share_weight" => "share of the expert items' weight with a value",
        "penalty" => "points subtracted for missing expert information ([expert] penalty); empty when off",
        "region" => "region, from the units file",
        "units" => "number of units in the mean",
        "indicator" => "indicator code (see data-dictionary-indicators.csv)",
        "value" => "the indicator's value on its own scale, as read (expert items: combined value)",
        "name" => "the unit's name",
        "child" => "a child of the node",
        "method" => "how the weights were set",
        "declared" => "the weight declared in the methodology",
        "weight" => "the weight used",
        "fit_cases" => "unit-years the weights were fitted on",
        "share" => "the child's share of the unit's score",
        _ => return None,
    })
}

/// One line on what a non-CSV file (or a CSV file's purpose) is.
fn file(name: &str) -> &'static str {
    match name {
        "scores.csv" => "every element's score, rank and band per unit and year (public form)",
        "trends.csv" => "change between years per unit and element",
        "transparency.csv" => "share of expert items answered per unit, year and node",
        "regions.csv" => "regional means per year and element",
        "region_trends.csv" => "change of the regional means between years",
        "weights.csv" => "weights fitted from the data",
        "bod.csv" => "benefit-of-the-doubt weights per unit",
        "results.xlsx" => {
            "the public results as an Excel workbook (Read me, Index, Pillars, Indicators, ...)"
        }
        "manifest.json" => {
            "what produced the results: gti version, methodology and data SHA-256, disclosure rules"
        }
        "release.json" => {
            "the package: edition, methodology and data files that gti verify --release recomputes from"
        }
        "README.md" => "what the package holds and how to check it",
        "WHATS-NEW.md" => "what changed since the previous edition",
        "CITATION.cff" => "how to cite this edition (Citation File Format 1.2.0)",
        "SHA256SUMS" => "SHA-256 of every file but itself and the zip (sha256sum -c SHA256SUMS)",
        RESPONSES => {
            "INTERNAL: every questionnaire answer as read, respondents under pseudonyms (never their ids)"
        }
        super::COMBINED => {
            "expert items: the combined value of the answers per unit and year (never the answers)"
        }
        COLUMNS => "this dictionary: every column of every CSV file",
        INDICATORS => "this dictionary: every indicator of the methodology",
        MARKDOWN => "this dictionary, as a page",
        "methodology/CHANGELOG.md" => "the methodology's changelog",
        n if n.starts_with("methodology/") => "the methodology file, as written",
        n if n.ends_with(".zip") => "every file above in one archive",
        n if n.starts_with("data/") && n.ends_with("units.csv") => {
            "units file as given: codes, names, regions"
        }
        n if n.starts_with("data/") => "statistical data file as given",
        _ => "",
    }
}

/// The dictionary's two CSV files and its page. `files` are the package's files so far
/// (the CSV headers are read from them); `names` every file the package will hold.
///
/// # Errors
/// A CSV file whose header cannot be read.
pub fn dictionary(
    m: &Methodology,
    files: &[PackageFile],
    names: &[String],
) -> Result<(Vec<u8>, Vec<u8>, String)> {
    let mut rows: Vec<[String; 3]> = Vec::new();
    for name in names {
        rows.push([name.clone(), String::new(), file(name).to_string()]);
        // The dictionary's own files are being made: their headers are these.
        let cols: Vec<String> = match name.as_str() {
            COLUMNS => COLUMN_HEADS.iter().map(|s| s.to_string()).collect(),
            INDICATORS => INDICATOR_HEADS.iter().map(|s| s.to_string()).collect(),
            _ => match files.iter().find(|f| &f.name == name && name.ends_with(".csv")) {
                Some(f) => header(f)?,
                None => continue,
            },
        };
        for col in cols {
            let text =
                column(name, &col).map(str::to_string).unwrap_or_else(|| match name.starts_with("data/") {
                    true => "a column of the file as given; gti does not use it".into(),
                    false => String::new(),
                });
            rows.push([name.clone(), col, text]);
        }
    }
    let columns = table(&COLUMN_HEADS, rows.iter().map(|r| r.to_vec()))?;
    let ind = indicators(m);
    let indicators = table(&INDICATOR_HEADS, ind.iter().cloned())?;
    Ok((columns, indicators, markdown(m, &rows, &INDICATOR_HEADS, &ind)))
}

fn header(f: &PackageFile) -> Result<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(f.bytes.as_slice());
    let bad = |e: csv::Error| Error::Format(format!("{}: cannot read the header: {e}", f.name));
    match r.records().next() {
        Some(rec) => {
            Ok(rec.map_err(bad)?.iter().map(|s| s.trim_start_matches('\u{feff}').to_string()).collect())
        }
        None => Ok(Vec::new()),
    }
}

/// One row per indicator, in framework order.
fn indicators(m: &Methodology) -> Vec<Vec<String>> {
    let fw = &m.framework;
    let eff = fw.effective_weights();
    fw.indicators
        .iter()
        .map(|&id| {
            let e = &fw.elements[id];
            let s = e.indicator().expect("indicators");
            // The pillar: the ancestor whose parent is the root.
            let mut pillar = id;
            while let Some(p) = fw.elements[pillar].parent.filter(|&p| p != fw.root()) {
                pillar = p;
            }
            let parent = e.parent.map(|p| fw.elements[p].code.to_string()).unwrap_or_default();
            vec![
                e.code.to_string(),
                e.name.clone(),
                s.unit.clone().unwrap_or_default(),
                match s.source {
                    Source::Statistical => "statistical",
                    Source::Expert => "expert",
                }
                .into(),
                match s.direction {
                    Direction::Positive => "higher is better",
                    Direction::Negative => "lower is better",
                }
                .into(),
                fmt_f64(e.weight),
                fmt_f64(eff[id]),
                fw.elements[pillar].code.to_string(),
                parent,
            ]
        })
        .collect()
}

fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::Format(format!("cannot format CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Format(format!("cannot format CSV: {e}")))
}

/// Markdown table cells: `|` escaped, line breaks as spaces.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn markdown(m: &Methodology, rows: &[[String; 3]], heads: &[&str], ind: &[Vec<String>]) -> String {
    let mut s = format!("# Data dictionary: {} {}\n\n", cell(&m.index.name), cell(&m.index.version));
    s.push_str("## Files and columns\n\n| file | column | description |\n|---|---|---|\n");
    for [f, c, d] in rows {
        s.push_str(&format!("| {} | {} | {} |\n", cell(f), cell(c), cell(d)));
    }
    s.push_str("\n## Indicators\n\n");
    s.push_str(&format!("| {} |\n|{}\n", heads.join(" | "), "---|".repeat(heads.len())));
    for r in ind {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s
}
