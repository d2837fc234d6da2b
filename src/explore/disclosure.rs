//! What a public output may say about expert items (issue "Respondent safety"; the
//! explorer is public). One place for the rules, so that the methodology's future
//! `[expert] disclosure` table sets these fields and nothing else changes:
//!
//! - no respondent id and no raw answer, ever (the model has no field for either);
//! - an expert indicator's value only as its *normalised* value, never the raw combined
//!   per-item mean ([`Disclosure::raw_value`]);
//! - the respondent count exact only from `count_below` answers up, below it as the band
//!   "fewer than `count_below`" ([`Disclosure::respondents`]): with two respondents, the
//!   mean and the sd give both answers;
//! - agreement (the sd of the answers) only when at least `agreement_min` answered
//!   ([`Disclosure::agreement`]).

use crate::methodology::Source;
use serde::Serialize;

/// The disclosure rules for expert items in public outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Counts below this are shown as the band "fewer than `count_below`".
    pub count_below: u32,
    /// Agreement is withheld when fewer than this many answered.
    pub agreement_min: u32,
}

impl Default for Disclosure {
    fn default() -> Disclosure {
        Disclosure { count_below: 5, agreement_min: 3 }
    }
}

/// A respondent count as published: exact, or the band below the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Respondents {
    Count(u32),
    /// "fewer than N": written as the text `<N`.
    FewerThan(u32),
}

impl Serialize for Respondents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Respondents::Count(n) => s.serialize_u32(*n),
            Respondents::FewerThan(n) => s.serialize_str(&format!("<{n}")),
        }
    }
}

impl Disclosure {
    pub fn respondents(&self, n: u32) -> Respondents {
        if n < self.count_below { Respondents::FewerThan(self.count_below) } else { Respondents::Count(n) }
    }

    /// The agreement (sd of `n` answers) that may be published.
    pub fn agreement(&self, n: u32, sd: Option<f64>) -> Option<f64> {
        sd.filter(|v| n >= self.agreement_min && v.is_finite())
    }

    /// The raw (as read) value of an indicator that may be published: statistical only.
    pub fn raw_value(&self, source: Source, v: f64) -> Option<f64> {
        (source == Source::Statistical && !v.is_nan()).then_some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_five_are_a_band_and_agreement_needs_three() {
        let d = Disclosure::default();
        assert_eq!(d.respondents(2), Respondents::FewerThan(5));
        assert_eq!(d.respondents(4), Respondents::FewerThan(5));
        assert_eq!(d.respondents(5), Respondents::Count(5));
        assert_eq!(serde_json::to_string(&d.respondents(3)).unwrap(), "\"<5\"");
        assert_eq!(serde_json::to_string(&d.respondents(7)).unwrap(), "7");
        assert_eq!(d.agreement(2, Some(0.5)), None);
        assert_eq!(d.agreement(3, Some(0.5)), Some(0.5));
        assert_eq!(d.agreement(9, None), None);
    }

    #[test]
    fn raw_values_only_for_statistical_indicators() {
        let d = Disclosure::default();
        assert_eq!(d.raw_value(Source::Statistical, 2.5), Some(2.5));
        assert_eq!(d.raw_value(Source::Expert, 2.5), None);
        assert_eq!(d.raw_value(Source::Statistical, f64::NAN), None);
    }
}
