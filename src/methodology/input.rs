//! `[input]`: how the data files are written, so that a run reads them alike wherever it is
//! repeated (the command line's `--na`, `--delimiter` and `--decimal-comma` add to it).
//!
//! ```toml
//! [input]
//! na = ["..", "n/a", "-"]     # read as missing, besides empty cells and NA
//! delimiter = ";"             # the CSV files' delimiter: ",", ";", "|" or "tab"
//! decimal_comma = true        # numbers are written 1,5
//! ```

use super::SourceMap;
use crate::error::Diag;
use crate::ingest::Conventions;
use crate::ingest::conventions::parse_delimiter;
use serde::Deserialize;
use toml::Spanned;

/// `[input]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    #[serde(default)]
    pub na: Vec<Spanned<String>>,
    pub delimiter: Option<Spanned<String>>,
    pub decimal_comma: Option<bool>,
}

/// Checks `[input]`; the conventions it declares (the defaults without one).
pub fn check(src: &SourceMap, raw: Option<&Spanned<RawInput>>, errors: &mut Vec<Diag>) -> Conventions {
    let mut c = Conventions::default();
    let Some(raw) = raw.map(Spanned::get_ref) else { return c };
    for t in &raw.na {
        if t.get_ref().trim().is_empty() || t.get_ref().trim() == "NA" {
            let msg =
                format!("input.na: '{}' is missing already (empty cells and NA always are)", t.get_ref());
            errors.push(Diag::new(src.loc(t.span().start), msg));
        }
    }
    c.add_na(raw.na.iter().map(|t| t.get_ref()));
    if let Some(d) = &raw.delimiter {
        match parse_delimiter(d.get_ref()) {
            Ok(b) => c.delimiter = b,
            Err(e) => errors.push(Diag::new(src.loc(d.span().start), format!("input.delimiter: {e}"))),
        }
    }
    c.decimal_comma = raw.decimal_comma.unwrap_or(false);
    c
}
