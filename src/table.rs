//! Dense typed arrays: one value per (year, column, unit), missing as NaN.
//!
//! Columns are indicators (or, after aggregation, every element of the framework). The
//! layout keeps one column of one year contiguous, which is what normalising, imputing and
//! ranking read; Monte Carlo replications later reuse these arrays without any DataFrame.

use crate::codes::{Code, UnitCode, Year};
use crate::declared::Unused;
use crate::error::{DataError, Diag};
use crate::ingest::{Observation, RawData};
use crate::log::RunLog;
use crate::methodology::{Impute, Methodology};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A (year × column × unit) array of values; NaN is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub units: Vec<UnitCode>,
    pub years: Vec<Year>,
    pub columns: Vec<Code>,
    pub values: Vec<f64>,
}

impl Panel {
    pub fn new(units: Vec<UnitCode>, years: Vec<Year>, columns: Vec<Code>) -> Panel {
        let n = units.len() * years.len() * columns.len();
        Panel { units, years, columns, values: vec![f64::NAN; n] }
    }

    /// Offset of the first unit of (year index, column index).
    fn offset(&self, y: usize, c: usize) -> usize {
        (y * self.columns.len() + c) * self.units.len()
    }

    /// The values of one column in one year, one per unit.
    pub fn col(&self, y: usize, c: usize) -> &[f64] {
        let o = self.offset(y, c);
        &self.values[o..o + self.units.len()]
    }

    /// Every column of year `y` (`size` = columns × units).
    pub fn col_block(&self, y: usize, size: usize) -> &[f64] {
        debug_assert_eq!(size, self.columns.len() * self.units.len());
        &self.values[y * size..(y + 1) * size]
    }

    pub fn col_mut(&mut self, y: usize, c: usize) -> &mut [f64] {
        let o = self.offset(y, c);
        let n = self.units.len();
        &mut self.values[o..o + n]
    }

    /// Position of (year, column, unit) in `values`.
    pub fn index(&self, y: usize, c: usize, u: usize) -> usize {
        self.offset(y, c) + u
    }

    pub fn get(&self, y: usize, c: usize, u: usize) -> f64 {
        self.values[self.offset(y, c) + u]
    }

    pub fn set(&mut self, y: usize, c: usize, u: usize, v: f64) {
        let o = self.offset(y, c) + u;
        self.values[o] = v;
    }
}

/// The raw data arranged for the pipeline: indicator columns in framework order, plus the
/// auxiliary series (denominators) that transforms read.
#[derive(Debug, Clone)]
pub struct Arranged {
    pub raw: Panel,
    pub aux: Panel,
}

/// Builds the dense raw panel from observations.
///
/// Units are those with data for a code the methodology uses, sorted by code; years are
/// every year present. Data for unused codes is reported in the log, not fatal.
///
/// # Errors
/// A repeated (unit, year, indicator), naming both lines.
pub fn arrange(data: &RawData, m: &Methodology, log: &mut RunLog) -> Result<Arranged, DataError> {
    check_references(data, m)?;
    let fw = &m.framework;
    let ind_codes: Vec<Code> = fw.indicators.iter().map(|&i| fw.elements[i].code.clone()).collect();
    let aux_codes: Vec<Code> = denominators(m).into_iter().filter(|c| !ind_codes.contains(c)).collect();
    // Each code id's column (aux or not), looked up by index for every observation.
    let mut slot: Vec<Option<(bool, usize)>> = vec![None; data.codes.all().len()];
    let mut place = |codes: &[Code], aux: bool| {
        for (i, c) in codes.iter().enumerate() {
            if let Some(id) = data.codes.get(c.as_str()) {
                slot[id as usize] = Some((aux, i));
            }
        }
    };
    place(&ind_codes, false);
    place(&aux_codes, true);
    let (units, unit_ix, years) = axes(data, &slot);
    let mut raw = Panel::new(units.clone(), years.clone(), ind_codes.clone());
    let mut aux = Panel::new(units.clone(), years.clone(), aux_codes.clone());
    // A cell not yet given holds UNSET, a NaN no observation carries (ingest stores missing
    // as the standard NaN): a second observation of a cell finds it taken, without a
    // separate 8-byte-a-cell index of first observations.
    raw.values.fill(UNSET);
    aux.values.fill(UNSET);
    // Rows of each code the methodology does not use, with the first one.
    let mut unused: BTreeMap<&str, Unused> = BTreeMap::new();
    // Rows of each indicator column, to tell "no data at all" from "only missing values".
    let mut rows = vec![0usize; ind_codes.len()];
    let mut repeats = Vec::new();
    for (k, o) in data.obs.iter().enumerate() {
        let Some((is_aux, c)) = slot[o.code as usize] else {
            unused.entry(data.code_of(o).as_str()).or_insert(Unused { rows: 0, first: k }).rows += 1;
            continue;
        };
        if !is_aux {
            rows[c] += 1;
        }
        let (Some(u), Ok(y)) = (unit_ix[o.unit as usize], years.binary_search(&o.year)) else { continue };
        let panel = if is_aux { &mut aux } else { &mut raw };
        let cell = panel.index(y, c, u);
        if panel.values[cell].to_bits() != UNSET.to_bits() {
            repeats.push(k);
            continue;
        }
        panel.values[cell] = o.value;
    }
    for v in raw.values.iter_mut().chain(aux.values.iter_mut()) {
        if v.to_bits() == UNSET.to_bits() {
            *v = f64::NAN;
        }
    }
    if !repeats.is_empty() {
        return Err(DataError(repeated(data, &repeats)));
    }
    crate::declared::check(data, m, &raw, &rows, &unused, log)?;
    Ok(Arranged { raw, aux })
}

/// The marker of a cell no observation has filled yet (a NaN with a payload of its own).
const UNSET: f64 = f64::from_bits(0x7ff8_0000_0bad_cafe);

/// One message per repeated observation (by their positions in `data.obs`), naming the
/// first observation of the same cell.
fn repeated(data: &RawData, repeats: &[usize]) -> Vec<Diag> {
    let key = |o: &Observation| (o.unit, o.code, o.year);
    let mut first: HashMap<_, usize> = repeats.iter().map(|&k| (key(&data.obs[k]), usize::MAX)).collect();
    for (k, o) in data.obs.iter().enumerate() {
        if let Some(f) = first.get_mut(&key(o)).filter(|f| **f == usize::MAX) {
            *f = k;
        }
    }
    repeats.iter().map(|&k| repeat(data, &data.obs[k], &data.obs[first[&key(&data.obs[k])]])).collect()
}

fn repeat(data: &RawData, o: &Observation, first: &Observation) -> Diag {
    let msg = format!(
        "repeated value for unit {}, year {}, indicator {} (first given at {})",
        data.unit_of(o),
        o.year,
        data.code_of(o),
        data.location(first)
    );
    Diag::new(data.location(o), msg).hint("each (unit, year, indicator) may appear once across all inputs")
}

/// Names in the methodology that must exist in the data: denominators and imputation group
/// columns. A misspelt one would otherwise silently empty an indicator.
fn check_references(data: &RawData, m: &Methodology) -> Result<(), DataError> {
    let fw = &m.framework;
    // Code ids with at least one observation (an id may outlive its rows: expert merge).
    let mut present = vec![false; data.codes.all().len()];
    data.obs.iter().for_each(|o| present[o.code as usize] = true);
    let has = |c: &str| data.codes.get(c).is_some_and(|id| present[id as usize]);
    let mut diags = Vec::new();
    for e in fw.indicators.iter().map(|&i| &fw.elements[i]) {
        let spec = e.indicator().expect("indicator");
        if let Some(d) = spec.transform.denominator.as_ref().filter(|d| !has(d.as_str())) {
            let msg = format!("indicator.{}.transform: denominator '{d}' is in no input file", e.code);
            let near = crate::suggest::hint(d.as_str(), data.codes.all().iter().map(|c| c.as_str()));
            let hint = format!("check the code's spelling{near}, or add its data with -d");
            diags.push(Diag::new(e.declared.clone(), msg).hint(hint));
        }
        if let Impute::GroupMean { group } | Impute::GroupMedian { group } = &spec.impute
            && data.units.as_ref().and_then(|u| u.column(group)).is_none()
        {
            let msg = format!("indicator.{}.impute: group column '{group}' is not in a units file", e.code);
            diags.push(Diag::new(e.declared.clone(), msg).hint(group_hint(data, group)));
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(DataError(diags)) }
}

/// What the units file has instead of a group column: its columns and the near miss.
fn group_hint(data: &RawData, group: &str) -> String {
    let file = data.files.iter().find(|f| f.kind == crate::ingest::FileKind::Units);
    match (&data.units, file) {
        (Some(u), Some(f)) if !u.columns.is_empty() => format!(
            "{} has the group column(s) {}{}; column names are case-sensitive",
            f.path.display(),
            u.columns.join(", "),
            crate::suggest::hint(group, u.columns.iter().map(String::as_str))
        ),
        (Some(_), Some(f)) => format!("{} has no group column: add '{group}'", f.path.display()),
        _ => format!("give a units file (unit,name,{group},…) with -d"),
    }
}

fn denominators(m: &Methodology) -> BTreeSet<Code> {
    let fw = &m.framework;
    fw.indicators.iter().filter_map(|&i| fw.elements[i].indicator()?.transform.denominator.clone()).collect()
}

/// The panel's units (sorted by code) with each unit id's position among them, and years.
fn axes(data: &RawData, slot: &[Option<(bool, usize)>]) -> (Vec<UnitCode>, Vec<Option<usize>>, Vec<Year>) {
    let mut used = vec![false; data.unit_codes.all().len()];
    let mut years = BTreeSet::new();
    // Units and years come from indicator data only: a unit with only denominator data
    // would otherwise get rows of nothing.
    let mut last = None;
    for o in data.obs.iter().filter(|o| matches!(slot[o.code as usize], Some((false, _)))) {
        used[o.unit as usize] = true;
        // Rows come in runs of one year: a set insertion per run, not per row.
        if last != Some(o.year) {
            years.insert(o.year);
            last = Some(o.year);
        }
    }
    let all = data.unit_codes.all();
    let mut ids: Vec<usize> = (0..all.len()).filter(|&i| used[i]).collect();
    ids.sort_by(|&a, &b| all[a].cmp(&all[b]));
    let mut unit_ix = vec![None; all.len()];
    ids.iter().enumerate().for_each(|(pos, &id)| unit_ix[id] = Some(pos));
    (ids.iter().map(|&i| all[i].clone()).collect(), unit_ix, years.into_iter().collect())
}
