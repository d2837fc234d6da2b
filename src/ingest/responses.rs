//! Expert-response files: `unit,year,respondent,item,response` (+ optional `confidence`;
//! further columns are kept, not used), one row per respondent and questionnaire item.
//!
//! A `response` is kept as written: empty or `NA` is missing, a finite number is a number,
//! anything else is a code (`yes`, `don't know`, …) that the methodology maps when the
//! responses are combined (`crate::stages::expert`), where an undeclared code is an error
//! naming the code, the file and the line. `confidence` is a share in [0, 1].

use super::cell::{Source, cell, parse_value_with, year};
use super::conventions::Conventions;
use super::{MAX_ERRORS, RawData};
use crate::codes::{Code, UnitCode, Year};
use crate::error::Diag;

/// A response as written.
#[derive(Debug, Clone, PartialEq)]
pub enum RawAnswer {
    /// An empty cell or `NA`.
    Missing,
    Number(f64),
    /// Any other text, trimmed.
    Code(String),
}

/// One answer of one respondent to one item.
#[derive(Debug, Clone)]
pub struct Response {
    pub unit: UnitCode,
    pub year: Year,
    pub respondent: String,
    pub item: Code,
    pub answer: RawAnswer,
    pub confidence: Option<f64>,
    /// Index into [`RawData::files`], 1-based line (or sheet row) and the 1-based column (in
    /// the sheet) of `response`.
    pub file: u32,
    pub line: u64,
    pub column: u64,
}

/// Where the columns of a response file are (0-based).
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    unit: usize,
    year: usize,
    respondent: usize,
    item: usize,
    response: usize,
    confidence: Option<usize>,
}

/// The columns every response file needs, in the documented order.
pub const REQUIRED: [&str; 5] = ["unit", "year", "respondent", "item", "response"];

impl Columns {
    /// Finds the columns by name (any case, any order).
    ///
    /// # Errors
    /// A [`Diag`] on the header naming the required columns that are absent.
    pub fn find(src: &Source, line: u64, names: &[String]) -> Result<Columns, Diag> {
        let pos = |key: &str| names.iter().position(|n| n.eq_ignore_ascii_case(key));
        let absent: Vec<&str> = REQUIRED.iter().copied().filter(|k| pos(k).is_none()).collect();
        if !absent.is_empty() {
            let msg = format!("an expert-response file needs the column(s) {}", absent.join(", "));
            return Err(Diag::new(src.at(line, 0), msg)
                .hint("the header is unit,year,respondent,item,response (+ confidence)"));
        }
        let get = |k: &str| pos(k).expect("checked above");
        Ok(Columns {
            unit: get("unit"),
            year: get("year"),
            respondent: get("respondent"),
            item: get("item"),
            response: get("response"),
            confidence: pos("confidence"),
        })
    }

    /// The columns read as numbers (year, response, confidence), 0-based.
    pub fn numeric(&self) -> [Option<usize>; 3] {
        [Some(self.year), Some(self.response), self.confidence]
    }
}

/// Classifies a response cell. `inf` and `NaN` are refused, as in statistical files.
pub fn parse_answer(raw: &str, conv: &Conventions) -> Result<RawAnswer, String> {
    let s = raw.trim();
    match parse_value_with(s, conv) {
        Ok(None) => Ok(RawAnswer::Missing),
        Ok(Some(v)) => Ok(RawAnswer::Number(v)),
        Err((msg, _)) if s.parse::<f64>().is_ok() => Err(msg),
        Err(_) => Ok(RawAnswer::Code(s.to_string())),
    }
}

/// A confidence cell: empty or `NA` is none; otherwise a number in [0, 1].
pub fn parse_confidence(raw: &str, conv: &Conventions) -> Result<Option<f64>, (String, String)> {
    match parse_value_with(raw, conv)? {
        Some(c) if !(0.0..=1.0).contains(&c) => Err((
            format!("confidence {c} is outside [0, 1]"),
            "confidence is a share between 0 and 1 (divide a 0-100 scale by 100)".into(),
        )),
        c => Ok(c),
    }
}

/// A non-empty code cell, or a located error.
fn code(src: &Source, rec: &csv::StringRecord, col: usize, line: u64, what: &str) -> Result<String, Diag> {
    let s = cell(rec, col);
    if s.is_empty() {
        return Err(Diag::new(src.at(line, col), format!("the {what} is empty")));
    }
    Ok(s.to_string())
}

/// Reads one row into `data.responses`, pushing located problems into `diags`.
pub fn row(
    src: &Source,
    c: &Columns,
    rec: &csv::StringRecord,
    (line, file): (u64, u32),
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) {
    let conv = src.conventions;
    let unit = code(src, rec, c.unit, line, "unit code");
    let year = year(src, rec, c.year, line);
    let respondent = code(src, rec, c.respondent, line, "respondent");
    let item = code(src, rec, c.item, line, "item code");
    let answer = parse_answer(cell(rec, c.response), conv).map_err(|m| {
        Diag::new(src.at(line, c.response), m).hint("write a missing answer as an empty cell or NA")
    });
    let confidence = c.confidence.map_or(Ok(None), |col| {
        parse_confidence(cell(rec, col), conv).map_err(|(m, h)| Diag::new(src.at(line, col), m).hint(h))
    });
    match (unit, year, respondent, item, answer, confidence) {
        (Ok(unit), Ok(year), Ok(respondent), Ok(item), Ok(answer), Ok(confidence)) => {
            data.responses.push(Response {
                unit: UnitCode(unit.into()),
                year,
                respondent,
                item: Code(item.into()),
                answer,
                confidence,
                file,
                line,
                column: src.first_column + c.response as u64 + 1,
            });
        }
        (u, y, r, i, a, k) => {
            let errs = [u.err(), y.err(), r.err(), i.err(), a.err(), k.err()];
            diags.extend(errs.into_iter().flatten().take(MAX_ERRORS));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_numbers_codes_or_missing() {
        let c = &Conventions::default();
        assert_eq!(parse_answer(" 7 ", c), Ok(RawAnswer::Number(7.0)));
        assert_eq!(parse_answer("NA", c), Ok(RawAnswer::Missing));
        assert_eq!(parse_answer("", c), Ok(RawAnswer::Missing));
        assert_eq!(parse_answer(" don't know ", c), Ok(RawAnswer::Code("don't know".into())));
        assert_eq!(parse_answer("n/a", c), Ok(RawAnswer::Code("n/a".into())));
        assert!(parse_answer("inf", c).is_err());
        assert!(parse_answer("NaN", c).is_err());
        let mut declared = Conventions { decimal_comma: true, ..Conventions::default() };
        declared.add_na(["n/a"]);
        assert_eq!(parse_answer("n/a", &declared), Ok(RawAnswer::Missing));
        assert_eq!(parse_answer("2,5", &declared), Ok(RawAnswer::Number(2.5)));
    }

    #[test]
    fn confidence_is_a_share() {
        let c = &Conventions::default();
        assert_eq!(parse_confidence("0.8", c), Ok(Some(0.8)));
        assert_eq!(parse_confidence("", c), Ok(None));
        assert!(parse_confidence("80", c).is_err());
        assert!(parse_confidence("-0.1", c).is_err());
    }
}
