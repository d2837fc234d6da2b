//! Cells of the CSV files gti reads: trimming, the value parse, the year parse, and the
//! location of a cell for messages. A leaf: every reader (statistical files, expert
//! responses, published tables, imports) uses these, so that a cell means the same wherever
//! it is read.

use crate::codes::Year;
use crate::error::{Diag, Location};
use std::path::Path;

/// `path:line:column` of the cell in 0-based column `col`.
pub fn at(path: &Path, line: u64, col: usize) -> Location {
    Location::at(path, line, Some(col as u64 + 1))
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
pub fn parse_value(raw: &str) -> Result<Option<f64>, (String, &'static str)> {
    let s = trim(raw);
    if s.is_empty() || s == "NA" {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err((
            format!("'{}' is not a finite number", clip(s)),
            "write a missing value as an empty cell or NA",
        )),
        Err(_) if s.contains(',') || s.matches('.').count() > 1 => Err((
            format!("'{}' is not a number", clip(s)),
            "use '.' as the decimal mark and no thousands separators",
        )),
        Err(_) => Err((
            format!("'{}' is not a number", clip(s)),
            "write numbers like 12.5 or -3e2; missing values as empty or NA",
        )),
    }
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
pub fn year(path: &Path, rec: &csv::StringRecord, col: usize, line: u64) -> Result<Year, Diag> {
    let s = cell(rec, col);
    s.parse::<Year>().map_err(|_| Diag::new(at(path, line, col), format!("year '{s}' is not a whole number")))
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
}
