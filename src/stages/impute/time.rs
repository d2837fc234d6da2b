//! Imputation over time, per unit and indicator (COINr's `impute_panel`):
//! - `latest` (COINr "latest"): the unit's latest earlier observed value, when it is at most
//!   `max_age` years older;
//! - `linear` (COINr "linear"): linear interpolation between the unit's nearest observed years
//!   before and after, x = x₀ + (x₁ − x₀)(t − t₀)/(t₁ − t₀); no extrapolation.
//!
//! Only observed values are donors (never another imputed one), and each filled point records
//! the year(s) it came from.

use crate::codes::Year;
use crate::table::Panel;
use std::fmt;

/// Where a time-imputed value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Carried forward from this year.
    Carried(Year),
    /// Interpolated between these years.
    Interpolated(Year, Year),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Carried(y) => write!(f, "from {y}"),
            Source::Interpolated(a, b) => write!(f, "between {a} and {b}"),
        }
    }
}

/// One filled point: its value (NaN when nothing could fill it) and its source.
pub type Filled = (f64, Option<Source>);

/// Fills one unit's series (`values[i]` is year `years[i]`, NaN missing): carry forward with
/// `Some(max_age)`, interpolate with `None`.
pub fn fill_series(values: &[f64], years: &[Year], max_age: Option<u32>) -> Vec<Filled> {
    let observed: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    (0..values.len())
        .map(|i| {
            if !values[i].is_nan() {
                return (values[i], None);
            }
            let before = observed.iter().rev().find(|&&j| j < i).copied();
            let after = observed.iter().find(|&&j| j > i).copied();
            match (max_age, before, after) {
                (Some(age), Some(j), _) if years[i] - years[j] <= age as Year => {
                    (values[j], Some(Source::Carried(years[j])))
                }
                (None, Some(j), Some(k)) => {
                    let t = f64::from(years[i] - years[j]) / f64::from(years[k] - years[j]);
                    (values[j] + (values[k] - values[j]) * t, Some(Source::Interpolated(years[j], years[k])))
                }
                _ => (f64::NAN, None),
            }
        })
        .collect()
}

/// Fills column `c` of `p` for every unit: `[year][unit]`.
pub fn fill_column(p: &Panel, c: usize, max_age: Option<u32>) -> Vec<Vec<Filled>> {
    let ny = p.years.len();
    let mut out = vec![Vec::with_capacity(p.units.len()); ny];
    for u in 0..p.units.len() {
        let series: Vec<f64> = (0..ny).map(|y| p.get(y, c, u)).collect();
        for (y, point) in fill_series(&series, &p.years, max_age).into_iter().enumerate() {
            out[y].push(point);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    const NA: f64 = f64::NAN;

    #[test]
    fn latest_carries_forward_within_max_age_only() {
        let years = [2018, 2019, 2020, 2021, 2022];
        let out = fill_series(&[NA, 5.0, NA, NA, 7.0], &years, Some(1));
        assert!(out[0].0.is_nan(), "nothing earlier");
        assert_eq!(out[2], (5.0, Some(Source::Carried(2019))));
        assert!(out[3].0.is_nan(), "2019 is two years older than 2021");
        assert_eq!(out[4], (7.0, None));
    }

    #[test]
    fn linear_interpolates_on_actual_years_without_extrapolating() {
        // Years 2018, 2019, 2022: 2019 lies a quarter of the way from 2018 to 2022.
        let out = fill_series(&[2.0, NA, 10.0, NA], &[2018, 2019, 2022, 2023], None);
        assert_eq!(out[1], (4.0, Some(Source::Interpolated(2018, 2022))));
        assert!(out[3].0.is_nan());
        assert_eq!(Source::Interpolated(2018, 2022).to_string(), "between 2018 and 2022");
    }
}
