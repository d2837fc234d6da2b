//! Newtypes for the codes and years that key every table.
//!
//! Codes are compared exactly (after trimming at ingest); a newtype per kind keeps a unit code
//! from being passed where an indicator code is expected.

use serde::Serialize;
use std::fmt;

/// A unit (country, region, province) code, e.g. `XAA` or `AUT`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitCode(pub String);

/// The code of an indicator or a node of the framework (`P1`, `P1_ratification`, `GTI`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(pub String);

/// A data year.
pub type Year = i32;

/// A score or normalised value. Missing is `f64::NAN` inside the dense arrays (inputs never
/// carry NaN: ingest rejects it), and `None` at the boundaries.
pub type Score = f64;

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl UnitCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a string is not a valid framework code, or `None` when it is one.
///
/// Codes are letters, digits, `_` and `-`, so that every value has an unambiguous dotted
/// path (`indicator.P1_ratification.weight`) in the methodology file.
pub fn code_problem(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some("a code cannot be empty");
    }
    if !s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return Some("codes may hold only letters, digits, '_' and '-'");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_letters_digits_underscore_dash() {
        assert_eq!(code_problem("P1_ratification-2"), None);
        assert!(code_problem("P1.x").is_some());
        assert!(code_problem("").is_some());
        assert!(code_problem("a b").is_some());
    }
}
