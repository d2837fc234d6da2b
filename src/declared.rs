//! The codes of the data against the indicators the methodology declares, checked as the
//! data are arranged, before anything is computed. A misspelt code (`press_freedon` in the
//! header for the declared `press_freedom`) used to drop the indicator silently: the
//! aggregates renormalised over its siblings and ranks changed.
//!
//! - A declared indicator with no row in any input (no column of a wide file, no row of a
//!   long file, no questionnaire answer) is an error at its declaration, naming the data's
//!   undeclared code it nearly matches, unless it says `allow_empty = true`.
//! - A declared indicator whose rows are all missing values, or one allowed to be empty
//!   that is: a warning (`NoData`).
//! - A code of the data the methodology does not use: a warning naming where it is first
//!   written and the declared indicator it nearly matches (`UnusedData`).
//! - A unit with data but no row in the units file: a warning.

use crate::error::{DataError, Diag, Location};
use crate::ingest::{FileKind, Observation, REGION_COLUMN, RawData};
use crate::log::{Finding, RunLog};
use crate::methodology::{Element, Methodology};
use crate::suggest;
use crate::table::Panel;
use std::collections::{BTreeMap, HashMap};

/// The rows of a code the methodology does not use: how many, and the first (an index into
/// [`RawData::obs`]).
#[derive(Debug, Clone, Copy)]
pub struct Unused {
    pub rows: usize,
    pub first: usize,
}

/// Checks the arranged indicators (`raw`, with `rows[c]` input rows for column `c`) and
/// logs the codes of the data nobody uses.
///
/// # Errors
/// Every declared indicator with no row in any input that does not allow it.
pub fn check(
    data: &RawData,
    m: &Methodology,
    raw: &Panel,
    rows: &[usize],
    unused: &BTreeMap<&str, Unused>,
    log: &mut RunLog,
) -> Result<(), DataError> {
    let fw = &m.framework;
    let mut diags = Vec::new();
    let mut empty = Vec::new();
    for (c, code) in raw.columns.iter().enumerate() {
        let e = &fw.elements[fw.indicators[c]];
        let spec = e.indicator().expect("an indicator column");
        if rows[c] == 0 && !spec.allow_empty {
            diags.push(no_rows(data, m, e, unused));
        } else if !(0..raw.years.len()).any(|y| raw.col(y, c).iter().any(|v| !v.is_nan())) {
            empty.push(Finding::NoData { code: code.to_string() });
        }
    }
    if !diags.is_empty() {
        return Err(DataError(diags));
    }
    let declared: Vec<&str> = raw.columns.iter().map(|c| c.as_str()).collect();
    let at = if unused.is_empty() { None } else { Some(locator(data)) };
    for (code, u) in unused {
        let at = at.as_ref().expect("built when a code is unused");
        log.push(Finding::UnusedData {
            code: code.to_string(),
            rows: u.rows,
            at: at(&data.obs[u.first]).to_string(),
            near: suggest::near_miss(code, declared.iter().copied()).map(str::to_string),
        });
    }
    empty.into_iter().for_each(|f| log.push(f));
    for (sheet, why) in &data.ignored {
        log.push(Finding::SheetIgnored { sheet: sheet.clone(), why: why.clone() });
    }
    if let Some(units) = &data.units {
        for u in raw.units.iter().filter(|u| !units.rows.contains_key(*u)) {
            log.push(Finding::UnitNotInUnitsFile { unit: u.to_string() });
        }
        region_column(data, &units.columns, log);
    }
    Ok(())
}

/// A units file without a `region` column is common; one with a column nearly named so
/// (`Region`) most likely meant it, and would silently get no regional means.
fn region_column(data: &RawData, columns: &[String], log: &mut RunLog) {
    if columns.iter().any(|c| c == REGION_COLUMN) {
        return;
    }
    let file = data.files.iter().find(|f| f.kind == FileKind::Units);
    if let (Some(found), Some(f)) =
        (suggest::near_miss(REGION_COLUMN, columns.iter().map(String::as_str)), file)
    {
        log.push(Finding::RegionColumn { file: f.name(), found: found.to_string() });
    }
}

/// The error for a declared indicator no input has, at its declaration.
fn no_rows(data: &RawData, m: &Methodology, e: &Element, unused: &BTreeMap<&str, Unused>) -> Diag {
    let code = e.code.as_str();
    let spec = e.indicator().expect("an indicator");
    let what = if spec.expert.is_some() { "no questionnaire answer" } else { "no column or row" };
    let msg =
        format!("indicator '{code}' has no data: the {} input file(s) hold {what} for it", data.files.len());
    let allow = format!("or, to compute without it, set `allow_empty = true` in [indicator.{code}]");
    // The codes of the data nobody declares, where each is first written: statistical codes,
    // then questionnaire items (those are few; this runs only on the way to an error).
    let at = locator(data);
    let mut undeclared: Vec<(&str, Location)> =
        unused.iter().map(|(c, u)| (*c, at(&data.obs[u.first]))).collect();
    for r in &data.responses {
        let known = |c: &str| fw_has(m, c) || undeclared.iter().any(|(u, _)| *u == c);
        if !known(r.item.as_str()) {
            let at = data.files[r.file as usize].at(r.line, None);
            undeclared.push((r.item.as_str(), at));
        }
    }
    let hint = match suggest::near_miss(code, undeclared.iter().map(|(c, _)| *c)) {
        Some(near) => format!(
            "the data have '{near}' ({}), which the methodology does not declare: \
             did you mean `{code}`? Correct the spelling in the data or the methodology, {allow}",
            undeclared.iter().find(|(c, _)| *c == near).expect("a candidate").1
        ),
        None => format!("give its data with -d, {allow}"),
    };
    Diag::new(e.declared.clone(), msg).hint(hint)
}

/// Where observations' codes are written ([`RawData::code_location`]), each wide header
/// indexed once: a header of 100,000 undeclared codes must not be searched 100,000 times.
fn locator(data: &RawData) -> impl Fn(&Observation) -> Location + '_ {
    let index: HashMap<u32, HashMap<&str, usize>> = data
        .headers
        .iter()
        .map(|(&f, names)| (f, names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect()))
        .collect();
    move |o: &Observation| {
        let column = match data.files[o.file as usize].kind {
            FileKind::Long => data.code_column(o),
            _ => index.get(&o.file).and_then(|m| m.get(data.code_of(o).as_str())).copied(),
        };
        data.code_location(o, column)
    }
}

fn fw_has(m: &Methodology, code: &str) -> bool {
    m.framework.find(code).is_some()
}
