//! Survey-platform exports → gti's long `responses.csv` (`unit,year,respondent,item,response`)
//! plus a codebook, for `gti import survey`.
//!
//! Two layouts: a KoboToolbox or ODK export read with its XLSForm ([`xlsform`]), and
//! SurveyMonkey's two-row-header "all responses" export read with a declared map
//! ([`monkey`]). Both end in [`Imported`]: the items in questionnaire order and one row per
//! submission and item, in the export's row order. Conversions take bytes and return bytes
//! (the command reads and writes the files), so the fuzz target can feed them anything.
//! The user's guide is `docs/survey-import.md`.

pub mod codebook;
pub mod form;
pub mod grid;
mod items;
pub mod map;
pub mod monkey;
pub mod xlsform;

use crate::error::{DataError, Diag, Location, Result};
use crate::ingest::cell::clip;
use crate::output::OutFile;
use grid::Grid;
use std::collections::HashMap;
use std::path::Path;

/// A file's name (for messages) and its bytes.
pub struct Input<'a> {
    pub path: &'a Path,
    pub bytes: Vec<u8>,
}

/// Where each submission's year comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum YearFrom {
    /// A question (or column) holding a year, or a date whose year is taken.
    Field(String),
    /// The same year for every submission (`--year`).
    Fixed(i32),
}

/// The checked options of `gti import survey`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The question (or column) naming the unit.
    pub unit_field: String,
    pub year: YearFrom,
    /// The question (or column) identifying the respondent; `None`: the platform's
    /// submission id (`_uuid`, ODK's `KEY`, SurveyMonkey's `Respondent ID`).
    pub respondent_field: Option<String>,
    /// Select answers (and headers) are the choices' labels, not their names.
    pub labels: bool,
    /// The CSV delimiter; `None`: detected (`,` or `;`).
    pub delimiter: Option<u8>,
    /// The group separator of the headers; `None`: detected.
    pub group_separator: Option<String>,
}

/// One item of the questionnaire, as the codebook describes it.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub code: String,
    /// The question's name (XLSForm) or header text (SurveyMonkey).
    pub question: String,
    pub label: String,
    pub group: String,
    pub type_text: String,
    pub scale: String,
    /// (response, label) of each choice, in the form's order.
    pub choices: Vec<(String, String)>,
}

/// What an import found.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub items: Vec<Item>,
    /// unit, year, respondent, item, response: one per submission and item.
    pub rows: Vec<[String; 5]>,
    pub submissions: usize,
    /// How the export was read (layout, headers, separator), for the summary and codebook.
    pub layout: String,
    /// Questions or columns that are not items, and why.
    pub not_items: Vec<String>,
    /// The unit and year fields, for the codebook.
    pub fields: Vec<String>,
}

/// Reads a submissions file: a workbook's first sheet, or a CSV file.
pub fn read_submissions(input: &Input, delimiter: Option<u8>) -> Result<Grid> {
    if grid::is_workbook(&input.bytes) {
        grid::Workbook::open(input.path, input.bytes.clone())?.first()
    } else {
        grid::read_csv(input.path, &input.bytes, delimiter)
    }
}

/// The output files: `responses.csv`, `codebook.csv`, `codebook.md`.
pub fn files(imported: &Imported, sources: &[&Path]) -> Result<Vec<OutFile<'static>>> {
    let header = ["unit", "year", "respondent", "item", "response"];
    let responses = crate::output::csv::table(&header, imported.rows.iter().map(|r| r.to_vec()))?;
    Ok(vec![
        OutFile::new("responses.csv", responses),
        OutFile::new("codebook.csv", codebook::csv(imported)?),
        OutFile::new("codebook.md", codebook::markdown(imported, sources).into_bytes()),
    ])
}

/// A year cell: a whole number, or a date (`2024-03-01…`, `03/01/2024…`) whose year is taken.
pub fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if let Ok(y) = s.parse::<i32>() {
        return Some(y);
    }
    let digits = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
    if let Some((y, _)) = s.split_once('-').filter(|(y, _)| digits(y)) {
        return y.parse().ok();
    }
    let date = s.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = date.split('/').collect();
    match parts.as_slice() {
        [_, _, y] if digits(y) => y.parse().ok(),
        _ => None,
    }
}

/// The unit, year and respondent of each submission, checked: a unit and a respondent on
/// every row, a unit code gti accepts, and no respondent twice for one unit-year.
#[derive(Default)]
pub struct Keys {
    seen: HashMap<(String, i32, String), Location>,
}

impl Keys {
    /// Checks one submission's keys; `at` locates (unit, year, respondent) cells.
    pub fn check(
        &mut self,
        (unit, year, respondent): (&str, Result<i32, Diag>, &str),
        at: [Location; 3],
        diags: &mut Vec<Diag>,
    ) -> Option<(String, i32, String)> {
        let [ul, _, rl] = at;
        let mut ok = true;
        if unit.is_empty() {
            diags.push(Diag::new(ul.clone(), "a submission without a unit").hint(
                "every submission must name its unit: fill the cell, or remove the submission from the export",
            ));
            ok = false;
        } else if let Some(p) = crate::codes::code_problem(unit) {
            diags.push(
                Diag::new(ul.clone(), format!("unit '{}': {p}", clip(unit))).hint(
                    "the unit field's choices (or their --choice-value) must be unit codes such as XAA",
                ),
            );
            ok = false;
        }
        if respondent.is_empty() {
            diags.push(Diag::new(rl.clone(), "a submission without a respondent id"));
            ok = false;
        }
        let year = match year {
            Ok(y) => y,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        if !ok {
            return None;
        }
        let key = (unit.to_string(), year, respondent.to_string());
        if let Some(first) = self.seen.get(&key) {
            diags.push(
                Diag::new(
                    rl,
                    format!("the same respondent answers twice for {unit} {year} (first at {first})"),
                )
                .hint("a submission sent twice? keep one, or name another --respondent-field"),
            );
            return None;
        }
        self.seen.insert(key.clone(), rl);
        Some(key)
    }
}

/// A response gti's reader of expert responses takes: `inf` and `NaN` (a choice may be
/// named so) are refused there, so they are refused here, where the cell is known. The
/// `responses.csv` written is read with the default conventions (gti writes it so).
pub fn readable(v: String, at: impl FnOnce() -> Location) -> Result<String, Diag> {
    let conv = crate::ingest::conventions::Conventions::default();
    match crate::ingest::responses::parse_answer(&v, &conv) {
        Ok(_) => Ok(v),
        Err(m) => Err(Diag::new(at(), format!("the response {m}"))
            .hint("gti reads numbers, codes or empty cells as responses")),
    }
}

/// Located problems → the error, or `Ok` when there are none.
pub fn done(diags: Vec<Diag>) -> Result<()> {
    if diags.is_empty() { Ok(()) } else { Err(DataError(diags).into()) }
}

/// An import that would write a `responses.csv` without rows is refused: gti refuses to read
/// such a file ("a header but no rows"), and an empty import is a wrong file or option rather
/// than a result. No item: `no_items` says where they come from (the form, the map).
pub fn not_empty(out: Imported, g: &Grid, no_items: impl FnOnce() -> Diag) -> Result<Imported> {
    if out.items.is_empty() {
        return Err(DataError(vec![no_items()]).into());
    }
    if out.submissions == 0 {
        let d = Diag::new(g.whole(), "the export holds no submission, only its header").hint(
            "export the submissions again (no filter, the whole date range); from a workbook, its first sheet is read",
        );
        return Err(DataError(vec![d]).into());
    }
    Ok(out)
}

/// At most this many located problems are collected before reading stops.
pub const MAX_DIAGS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_numbers_and_dates() {
        assert_eq!(parse_year("2024"), Some(2024));
        assert_eq!(parse_year("2024-03-01T10:00:00.000+01:00"), Some(2024));
        assert_eq!(parse_year("03/01/2023 10:00:00 AM"), Some(2023));
        assert_eq!(parse_year("twenty"), None);
        assert_eq!(parse_year("24-03-01"), None);
    }
}
