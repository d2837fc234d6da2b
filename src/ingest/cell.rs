//! Cells of the files gti reads: trimming, the value parse, the year parse, and the
//! location of a cell for messages. A leaf: every reader (statistical files, expert
//! responses, published tables, imports) uses these, so that a cell means the same wherever
//! it is read; a CSV file and a workbook's sheet differ only in their [`Source`].

use super::conventions::{Conventions, shell_quote};
use crate::codes::Year;
use crate::error::{Diag, Location, column_letters};
use std::path::Path;

/// `path:line:column` of the cell in 0-based column `col`.
pub fn at(path: &Path, line: u64, col: usize) -> Location {
    Location::at(path, line, Some(col as u64 + 1))
}

/// Where the rows being read come from, and how they are read: a CSV file, or one sheet of
/// a workbook whose table starts in column `first_column`.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<&'a str>,
    /// The 0-based sheet column of a record's first field (0 in a CSV file).
    pub first_column: u64,
    pub conventions: &'a Conventions,
}

impl<'a> Source<'a> {
    pub fn csv(path: &'a Path, conventions: &'a Conventions) -> Source<'a> {
        Source { path, sheet: None, first_column: 0, conventions }
    }

    /// The cell in 0-based record column `col` on `line` (a CSV line, a sheet row):
    /// `file.csv:14:3` or `file.xlsx[Sheet]!C14`.
    pub fn at(&self, line: u64, col: usize) -> Location {
        self.located(line, Some(self.first_column + col as u64 + 1))
    }

    /// A whole line (or row): `file.csv:14`, `file.xlsx[Sheet] row 14`.
    pub fn line(&self, line: u64) -> Location {
        self.located(line, None)
    }

    /// The file, or the sheet: `file.csv`, `file.xlsx[Sheet]`.
    pub fn whole(&self) -> Location {
        self.located(0, None)
    }

    /// How a message names 0-based record column `col`: `3` in a CSV file, `C` in a sheet.
    pub fn column_name(&self, col: usize) -> String {
        match self.sheet {
            Some(_) => column_letters(self.first_column + col as u64 + 1),
            None => (col + 1).to_string(),
        }
    }

    /// A cell given by its 1-based sheet column (a response's `column`).
    pub fn located(&self, line: u64, column: Option<u64>) -> Location {
        let mut loc = Location::at(self.path, line, column);
        loc.sheet = self.sheet.map(str::to_string);
        loc
    }
}

/// A cell as quoted in a message: at most 40 characters, so that a 1 MB field does not
/// become a 1 MB error message.
pub fn clip(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((at, _)) => format!("{}… ({} characters)", &s[..at], s.chars().count()),
        None => s.to_string(),
    }
}

/// Parses a value cell: empty or `NA` is missing; anything else must be a finite number.
pub fn parse_value(raw: &str) -> Result<Option<f64>, (String, String)> {
    parse_value_with(raw, &DEFAULT)
}

static DEFAULT: Conventions = Conventions { na: Vec::new(), delimiter: b',', decimal_comma: false };

/// Parses a value cell under declared conventions: empty, `NA` or a declared token is
/// missing; anything else must be a finite number (with a decimal comma when declared).
/// The error's hint names the option that would read the cell, when one would.
pub fn parse_value_with(raw: &str, conv: &Conventions) -> Result<Option<f64>, (String, String)> {
    let s = trim(raw);
    if s.is_empty() || s == "NA" || conv.is_na(s) {
        return Ok(None);
    }
    // Under a decimal comma a '.' is refused (1.234 may mean 1234), and so is a second comma.
    // (Scanned only under a decimal comma: the default is the 10-million-row path.)
    let parsed = if !conv.decimal_comma {
        s.parse::<f64>().ok()
    } else {
        match (s.contains('.'), s.matches(',').count()) {
            (false, 0) => s.parse::<f64>().ok(),
            (false, 1) => s.replacen(',', ".", 1).parse::<f64>().ok(),
            _ => None,
        }
    };
    match parsed {
        Some(v) if v.is_finite() => Ok(Some(v)),
        Some(_) => Err((
            format!("'{}' is not a finite number", clip(s)),
            "write a missing value as an empty cell or NA".into(),
        )),
        None => Err(not_a_number(s, conv)),
    }
}

/// The message and hint for a cell that is not a number: a decimal comma, a percent sign,
/// or a publisher's missing-value token, each with the option that would read it.
fn not_a_number(s: &str, conv: &Conventions) -> (String, String) {
    let msg = format!("'{}' is not a number", clip(s));
    let looks_numeric = |t: &str| t.bytes().any(|b| b.is_ascii_digit());
    let hint = if conv.decimal_comma && (s.contains('.') || s.matches(',').count() > 1) && looks_numeric(s) {
        "with the declared decimal comma, a number has one ',' and no '.': write 1234,5, without \
         thousands separators"
            .to_string()
    } else if !conv.decimal_comma && s.contains(',') && looks_numeric(s) {
        "if the file uses a decimal comma (1,5), pass --decimal-comma (or decimal_comma = true in \
         the methodology's [input]); otherwise use '.' as the decimal mark and no thousands separators"
            .to_string()
    } else if s.matches('.').count() > 1 && looks_numeric(s) {
        "use '.' as the decimal mark and no thousands separators".to_string()
    } else if s.ends_with('%') && looks_numeric(s) {
        "write the number without '%' (12 or 0.12, as the methodology expects the scale)".to_string()
    } else {
        format!(
            "if '{}' means missing, pass --na {} (or list it in na of the methodology's [input]); \
             numbers are written like 12.5 or -3e2",
            clip(s),
            shell_quote(s)
        )
    };
    (msg, hint)
}

/// `str::trim`, with a shortcut for the common cell that starts and ends with a printable
/// ASCII character (Unicode white space is either ASCII at or below a space, or not ASCII).
pub fn trim(s: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if printable(s.as_bytes().first()) && printable(s.as_bytes().last()) { s } else { s.trim() }
}

/// Cell `i` of a record, trimmed (empty when the record is shorter).
pub fn cell(rec: &csv::StringRecord, i: usize) -> &str {
    trim(rec.get(i).unwrap_or(""))
}

/// The year in cell `col`: a whole number, or an error at the cell.
///
/// # Errors
/// A [`Diag`] naming the cell.
pub fn year(src: &Source, rec: &csv::StringRecord, col: usize, line: u64) -> Result<Year, Diag> {
    let s = cell(rec, col);
    s.parse::<Year>()
        .map_err(|_| Diag::new(src.at(line, col), format!("year '{}' is not a whole number", clip(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn trim_is_str_trim(s in "[ \\t\\x0b\\r\u{85}\u{a0}\u{2028}a-z0-9.é]{0,6}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn values_missing_numbers_and_rejections() {
        assert_eq!(parse_value(" 1.5 "), Ok(Some(1.5)));
        assert_eq!(parse_value("-3e2"), Ok(Some(-300.0)));
        assert_eq!(parse_value(""), Ok(None));
        assert_eq!(parse_value("NA"), Ok(None));
        assert_eq!(parse_value("\u{a0}2\u{3000}"), Ok(Some(2.0)), "Unicode spaces are trimmed");
        assert_eq!(parse_value("\u{b}\t NA\r"), Ok(None));
        for bad in ["inf", "NaN", "-infinity", "abc", "1,5", "1.2.3"] {
            assert!(parse_value(bad).is_err(), "{bad} must be rejected");
        }
    }

    #[test]
    fn each_refusal_names_the_option_that_would_read_the_cell() {
        let hint = |s: &str| parse_value(s).unwrap_err().1;
        assert!(hint("..").contains("--na .."), "{}", hint(".."));
        assert!(hint("#N/A").contains("--na '#N/A'"), "{}", hint("#N/A"));
        assert!(hint("1,5").contains("--decimal-comma"));
        assert!(hint("12 %").contains("without '%'"));
        assert!(hint("1.234.5").contains("thousands"));
    }

    #[test]
    fn declared_tokens_and_the_decimal_comma() {
        let mut c = Conventions { decimal_comma: true, ..Conventions::default() };
        c.add_na(["..", "-"]);
        assert_eq!(parse_value_with(" .. ", &c), Ok(None));
        assert_eq!(parse_value_with("-", &c), Ok(None));
        assert_eq!(parse_value_with("-1", &c), Ok(Some(-1.0)));
        assert_eq!(parse_value_with("1,5", &c), Ok(Some(1.5)));
        assert_eq!(parse_value_with("-2,5e1", &c), Ok(Some(-25.0)));
        assert_eq!(parse_value_with("3", &c), Ok(Some(3.0)));
        for bad in ["1.234,5", "1,2,3", "1.5", "1 234,5"] {
            assert!(parse_value_with(bad, &c).is_err(), "{bad} must be refused under a decimal comma");
        }
        assert!(parse_value_with("1.5", &c).unwrap_err().1.contains("decimal comma"));
        assert!(parse_value_with("1,2,3", &c).unwrap_err().1.contains("decimal comma"));
    }
}
