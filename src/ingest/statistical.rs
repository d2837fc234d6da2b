//! Rows of statistical files (long `unit,year,indicator,value` and wide `unit,year,<indicator>…`)
//! and of the units file, into [`RawData`], with located problems.

use super::cell::{Source, cell, parse_value_with, year};
use super::header::Header;
use super::{RawData, UnitInfo, Units};
use crate::codes::{UnitCode, Year};
use crate::error::Diag;

fn key<'r>(
    src: &Source,
    h: &Header,
    rec: &'r csv::StringRecord,
    line: u64,
    diags: &mut Vec<Diag>,
) -> Option<(&'r str, Year)> {
    let unit = cell(rec, h.unit);
    let year_col = h.year.expect("data files have a year column");
    if unit.is_empty() {
        diags.push(Diag::new(src.at(line, h.unit), "the unit code is empty"));
        return None;
    }
    year(src, rec, year_col, line).map(|y| (unit, y)).map_err(|d| diags.push(d)).ok()
}

fn push_value(
    src: &Source,
    raw: &str,
    col: usize,
    line: u64,
    diags: &mut Vec<Diag>,
) -> Result<Option<f64>, ()> {
    parse_value_with(raw, src.conventions)
        .map_err(|(msg, hint)| diags.push(Diag::new(src.at(line, col), msg).hint(hint)))
}

/// A long row: one observation.
pub fn long_row(
    src: &Source,
    h: &Header,
    rec: &csv::StringRecord,
    line: u64,
    idx: u32,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) {
    let (Some(ic), Some(vc)) = (h.indicator, h.value) else { return };
    let key = key(src, h, rec, line, diags);
    let code = cell(rec, ic);
    if code.is_empty() {
        diags.push(Diag::new(src.at(line, ic), "the indicator code is empty"));
        return;
    }
    let Ok(value) = push_value(src, cell(rec, vc), vc, line, diags) else { return };
    if let Some((unit, year)) = key {
        data.push(unit, code, year, value, (idx, line));
    }
}

/// A wide row: one observation per indicator column.
pub fn wide_row(
    src: &Source,
    h: &Header,
    rec: &csv::StringRecord,
    line: u64,
    idx: u32,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) {
    let Some((unit, year)) = key(src, h, rec, line, diags) else { return };
    let year_col = h.year.expect("wide files have a year column");
    for (col, name) in h.names.iter().enumerate() {
        if col == h.unit || col == year_col {
            continue;
        }
        if let Ok(value) = push_value(src, cell(rec, col), col, line, diags) {
            data.push(unit, name, year, value, (idx, line));
        }
    }
}

/// The group columns of a units file (all but `unit` and `name`).
pub fn units_columns(h: &Header) -> Vec<String> {
    h.names
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != h.unit && Some(*i) != h.name)
        .map(|(_, n)| n.clone())
        .collect()
}

/// A units row: a unit's name and groups.
pub fn units_row(
    src: &Source,
    h: &Header,
    rec: &csv::StringRecord,
    line: u64,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) {
    let columns = units_columns(h);
    let units = data.units.get_or_insert_with(|| Units { columns: columns.clone(), ..Units::default() });
    if units.columns != columns {
        diags.push(
            Diag::new(src.line(h.line), "a second units file has different columns")
                .hint("give one units.csv"),
        );
        return;
    }
    let code = cell(rec, h.unit);
    if code.is_empty() {
        diags.push(Diag::new(src.at(line, h.unit), "the unit code is empty"));
        return;
    }
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let info = UnitInfo {
        name: h.name.and_then(|c| nonempty(cell(rec, c))),
        groups: h
            .names
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != h.unit && Some(*i) != h.name)
            .map(|(i, _)| nonempty(cell(rec, i)))
            .collect(),
    };
    if units.rows.insert(UnitCode(code.into()), info).is_some() {
        diags.push(Diag::new(
            src.at(line, h.unit),
            format!("unit '{code}' is listed twice in the units file"),
        ));
    }
}
