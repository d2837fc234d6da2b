//! `data/responses.csv` of an internal archive (`gti release --include-responses`): every
//! questionnaire answer read, respondents under their pseudonyms ([`super::pseudonym`]).
//!
//! One file whatever the number of response files or sheets, with exactly the columns gti
//! reads: `unit,year,respondent,item,response,confidence`. A response file's further columns
//! (comments, names, e-mail addresses: whatever gti does not read) are never written, since
//! free text can name or describe the person who wrote it. Rows keep the order they were read
//! in, so that the answers re-combine to the very same doubles (`verify --release`).

use super::pseudonym::{Key, Pseudonyms};
use crate::error::{Error, Result};
use crate::ingest::{Conventions, RawAnswer, RawData};

/// The file in an internal archive that holds the answers.
pub const RESPONSES: &str = "data/responses.csv";

/// The columns of [`RESPONSES`].
pub const COLUMNS: [&str; 6] = ["unit", "year", "respondent", "item", "response", "confidence"];

/// `data/responses.csv` from the answers read, in the methodology's `[input]` conventions
/// (delimiter, decimal comma) so that gti reads it back as it read the originals.
///
/// # Errors
/// Two respondents with one pseudonym; a CSV writer failure.
pub fn responses_csv(raw: &RawData, key: &Key, input: &Conventions) -> Result<Vec<u8>> {
    let mut names = Pseudonyms::new(key);
    let mut w = csv::WriterBuilder::new().delimiter(input.delimiter).from_writer(Vec::new());
    let err = |e: csv::Error| Error::Format(format!("cannot format CSV: {e}"));
    w.write_record(COLUMNS).map_err(err)?;
    let number = |v: f64| {
        let s = crate::output::fmt_f64(v);
        if input.decimal_comma { s.replace('.', ",") } else { s }
    };
    for r in &raw.responses {
        let answer = match &r.answer {
            RawAnswer::Missing => String::new(),
            RawAnswer::Number(v) => number(*v),
            RawAnswer::Code(c) => c.clone(),
        };
        let confidence = r.confidence.map(number).unwrap_or_default();
        let who = names.of(&r.respondent)?;
        w.write_record([r.unit.as_str(), &r.year.to_string(), &who, r.item.as_str(), &answer, &confidence])
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Format(format!("cannot format CSV: {e}")))
}
