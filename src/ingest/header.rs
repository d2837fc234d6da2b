//! A data file's header: which kind of file it is ([`FileKind`]) and where its columns are
//! ([`Header`]), recognised from the column names; and csv's errors as located messages.

use super::cell::Source;
use super::conventions::delimiter_name;
use super::responses::Columns;
use crate::error::{Diag, Location};
use std::io::Read;
use std::path::Path;

/// What a file holds, recognised from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// `unit,year,indicator,value` (+ extra columns, kept but unused).
    Long,
    /// `unit,year,<indicator>…`.
    Wide,
    /// `unit[,name][,region][,<group>…]`.
    Units,
    /// Expert responses: `unit,year,respondent,item,response[,confidence]`.
    Responses,
}

/// The columns of a statistical or units file (0-based).
pub struct Header {
    pub names: Vec<String>,
    /// The header's line (a sheet's header row may be below blank rows).
    pub line: u64,
    pub unit: usize,
    pub year: Option<usize>,
    pub indicator: Option<usize>,
    pub value: Option<usize>,
    pub name: Option<usize>,
}

pub fn find(names: &[String], key: &str) -> Option<usize> {
    names.iter().position(|n| n.eq_ignore_ascii_case(key))
}

/// Reads and recognises a CSV file's header.
///
/// # Errors
/// A [`Diag`] on line 1: one column holding another delimiter, or no `unit` column.
pub fn header<R: Read>(src: &Source, rdr: &mut csv::Reader<R>) -> Result<Header, Diag> {
    let rec = rdr.headers().map_err(|e| csv_error(src.path, &e, &[]))?.clone();
    let names: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
    if names.len() == 1 {
        for (sep, what) in [(b',', "comma"), (b';', "semicolon"), (b'\t', "tab"), (b'|', "pipe")] {
            if sep != src.conventions.delimiter && names[0].contains(sep as char) {
                let read_as = delimiter_name(src.conventions.delimiter);
                let hint = if sep == b'\t' {
                    "pass --delimiter tab (or delimiter = \"tab\" in the methodology's [input])".to_string()
                } else {
                    format!(
                        "pass --delimiter '{}' (or delimiter = \"{}\" in the methodology's [input])",
                        sep as char, sep as char
                    )
                };
                return Err(Diag::new(
                    src.at(1, 0),
                    format!(
                        "the header is one column holding {what}s (read with '{read_as}'): '{}'",
                        names[0]
                    ),
                )
                .hint(hint));
            }
        }
    }
    recognise(src, 1, names)
}

/// Finds the columns of a header already split into trimmed names (a CSV line, a sheet row).
///
/// # Errors
/// A [`Diag`] on the header: no `unit` column.
pub fn recognise(src: &Source, line: u64, names: Vec<String>) -> Result<Header, Diag> {
    let Some(unit) = find(&names, "unit") else {
        return Err(unrecognised(src, line, &names));
    };
    Ok(Header {
        line,
        unit,
        year: find(&names, "year"),
        indicator: find(&names, "indicator"),
        value: find(&names, "value"),
        name: find(&names, "name"),
        names,
    })
}

fn unrecognised(src: &Source, line: u64, names: &[String]) -> Diag {
    Diag::new(src.at(line, 0), format!("unrecognised header: {}", names.join(",")))
        .hint("expected unit,year,indicator,value (long), unit,year,<indicator>… (wide), unit,name,region,… (units) or unit,year,respondent,item,response (expert responses)")
}

/// The column names gti looks for, in any case ([`find`]); every other column (an indicator
/// code in a wide file, a group in a units file) is matched exactly, as codes are everywhere.
const KEYWORDS: [&str; 9] =
    ["unit", "year", "indicator", "value", "name", "respondent", "item", "response", "confidence"];

/// What two columns must not share: a keyword in any case, any other name exactly.
fn column_key(name: &str) -> &str {
    KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(name)).copied().unwrap_or(name)
}

/// The kind of file the header makes.
///
/// # Errors
/// A [`Diag`] on the header: an empty or repeated column, or no known layout.
pub fn kind_of(src: &Source, h: &Header) -> Result<FileKind, Diag> {
    let line = h.line;
    // A map, not a scan of the columns before: a header may have 100,000 columns.
    let mut seen = std::collections::HashMap::with_capacity(h.names.len());
    for (i, n) in h.names.iter().enumerate() {
        if n.is_empty() {
            let msg = format!("column {} of the header is empty", src.column_name(i));
            return Err(Diag::new(src.at(line, i), msg));
        }
        if let Some(first) = seen.insert(column_key(n), i) {
            let as_ = if h.names[first] == *n { String::new() } else { format!(" as '{}'", h.names[first]) };
            return Err(Diag::new(
                src.at(line, i),
                format!(
                    "column '{n}' appears twice in the header (first{as_} in column {})",
                    src.column_name(first)
                ),
            )
            .hint("each column may appear once; column names other than unit, year, indicator, value, name, respondent, item, response and confidence are codes, and case-sensitive"));
        }
    }
    // `respondent` marks a questionnaire file; a long file may well have a `response` note.
    let long = h.indicator.is_some() && h.value.is_some();
    if find(&h.names, "respondent").is_some() || (find(&h.names, "response").is_some() && !long) {
        return Columns::find(src, line, &h.names).map(|_| FileKind::Responses);
    }
    match (h.year, h.indicator, h.value) {
        (Some(_), Some(_), Some(_)) => Ok(FileKind::Long),
        (Some(_), None, None) if h.names.len() > 2 => Ok(FileKind::Wide),
        (None, None, None) => Ok(FileKind::Units),
        _ => Err(unrecognised(src, line, &h.names)),
    }
}

/// A csv error as a located message with a hint.
pub fn csv_error(path: &Path, e: &csv::Error, names: &[String]) -> Diag {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            let col = err.field() as u64 + 1;
            let what = names.get(err.field()).map_or(String::new(), |n| format!(" ({n})"));
            Diag::new(Location::at(path, line, Some(col)), format!("column {col}{what} is not valid UTF-8"))
                .hint("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)")
        }
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            Diag::new(
                Location::at(path, line, None),
                format!("this line has {len} fields, the header has {expected_len}"),
            )
            .hint("check for a stray or missing comma, or an unquoted comma inside a value")
        }
        _ => Diag::new(Location::file(path), format!("cannot read the file: {e}")),
    }
}
