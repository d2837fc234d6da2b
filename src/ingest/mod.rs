//! Reading input data: statistical indicator CSVs (long or wide), expert-response CSVs
//! ([`responses`]) and the units file.
//!
//! Files are recognised by their header. Every problem is reported with file, line and
//! column and a hint; reading goes on after an error so that one run lists many of them.

pub mod cell;
mod header;
pub mod records;
pub mod responses;
mod statistical;

pub use header::FileKind;
pub use records::read_file;
pub use responses::{RawAnswer, Response};

use crate::codes::{Code, Interner, UnitCode, Year};
use crate::error::{DataError, Diag, Error, Location};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One input file as read, with its digest for the manifest.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub sha256: String,
    pub kind: FileKind,
}

/// One data point from a statistical file: 32 bytes, since a panel may have ten million.
/// `unit` and `code` index [`RawData::unit_codes`] and [`RawData::codes`]; `value` is NaN
/// for an empty cell or `NA` (ingest rejects NaN written as a value, so NaN is unambiguous).
#[derive(Debug, Clone, Copy)]
pub struct Observation {
    pub unit: u32,
    pub code: u32,
    pub year: Year,
    /// Index into [`RawData::files`] and 1-based line, to name duplicates.
    pub file: u32,
    pub line: u64,
    pub value: f64,
}

/// The column of units.csv that names regions (regional means, `gti report`).
pub const REGION_COLUMN: &str = "region";

/// Names and group columns of units, from `units.csv`.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// Group columns after `unit` and `name` (e.g. `region`).
    pub columns: Vec<String>,
    pub rows: BTreeMap<UnitCode, UnitInfo>,
}

#[derive(Debug, Clone, Default)]
pub struct UnitInfo {
    pub name: Option<String>,
    /// Values of [`Units::columns`], in that order (`None` when empty).
    pub groups: Vec<Option<String>>,
}

impl Units {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// Everything read from `-d`.
#[derive(Debug, Clone, Default)]
pub struct RawData {
    pub files: Vec<InputFile>,
    pub obs: Vec<Observation>,
    /// Expert questionnaire answers, in input order.
    pub responses: Vec<Response>,
    pub units: Option<Units>,
    /// Every unit code and indicator code observations refer to, by id.
    pub unit_codes: Interner<UnitCode>,
    pub codes: Interner<Code>,
    /// The header of each statistical file (long or wide), by index into [`RawData::files`]:
    /// where a code is, for messages about codes the methodology does not declare.
    pub headers: BTreeMap<u32, Vec<String>>,
}

impl RawData {
    pub fn unit_of(&self, o: &Observation) -> &UnitCode {
        self.unit_codes.code(o.unit)
    }

    pub fn code_of(&self, o: &Observation) -> &Code {
        self.codes.code(o.code)
    }

    /// Appends an observation, interning its codes.
    pub fn push(&mut self, unit: &str, code: &str, year: Year, value: Option<f64>, at: (u32, u64)) {
        let (unit, code) = (self.unit_codes.id(unit), self.codes.id(code));
        let value = value.unwrap_or(f64::NAN);
        self.obs.push(Observation { unit, code, year, file: at.0, line: at.1, value });
    }

    pub fn location(&self, o: &Observation) -> Location {
        Location::at(&self.files[o.file as usize].path, o.line, None)
    }

    /// Where an observation's code is written, given the 0-based column that holds it
    /// ([`RawData::code_column`]): its `indicator` cell in a long file, its header cell in a
    /// wide one; the observation's own location when the column is not known.
    pub fn code_location(&self, o: &Observation, column: Option<usize>) -> Location {
        let path = &self.files[o.file as usize].path;
        let line = if self.files[o.file as usize].kind == FileKind::Long { o.line } else { 1 };
        column.map_or_else(|| self.location(o), |c| Location::at(path, line, Some(c as u64 + 1)))
    }

    /// The column that holds an observation's code: `indicator` in a long file, the code's
    /// own in a wide one (a linear search: a caller locating many codes indexes the headers).
    pub fn code_column(&self, o: &Observation) -> Option<usize> {
        let names = self.headers.get(&o.file)?;
        match self.files[o.file as usize].kind {
            FileKind::Long => header::find(names, "indicator"),
            _ => names.iter().position(|n| n == self.code_of(o).as_str()),
        }
    }

    /// `file:line:column` of a response's `response` cell.
    pub fn response_location(&self, r: &Response) -> Location {
        Location::at(&self.files[r.file as usize].path, r.line, Some(r.column))
    }
}

/// Expands `-d` arguments: files as given, folders to their `*.csv` files in name order.
///
/// # Errors
/// A path that does not exist, or a folder with no CSV file.
pub fn expand(paths: &[PathBuf]) -> crate::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                .collect();
            found.sort();
            if found.is_empty() {
                let d = Diag::new(Location::file(p), "the folder holds no .csv file");
                return Err(DataError(vec![d]).into());
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Reads every input (files or folders).
///
/// # Errors
/// I/O errors, and a [`DataError`] listing every malformed cell, line or header found.
pub fn read_all(paths: &[PathBuf]) -> crate::Result<RawData> {
    let files = expand(paths)?;
    let mut data = RawData::default();
    let mut diags = Vec::new();
    for path in &files {
        let idx = data.files.len() as u32;
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut hashing = crate::hash::HashingReader::new(file);
        let kind = read_file(path, &mut hashing, idx, &mut data, &mut diags);
        // Reading stops early only on errors, and then the run fails: no digest needed.
        if diags.is_empty() {
            std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(path, e))?;
        }
        let sha256 = hashing.hex();
        match kind {
            Some(kind) => data.files.push(InputFile { path: path.clone(), sha256, kind }),
            None => data.files.push(InputFile { path: path.clone(), sha256, kind: FileKind::Long }),
        }
        if diags.len() >= MAX_ERRORS {
            break;
        }
    }
    if diags.is_empty() { Ok(data) } else { Err(DataError(diags).into()) }
}

/// Reading stops after this many located errors.
pub const MAX_ERRORS: usize = 100;

/// True when `path` exists and is a file (used for friendly usage errors).
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}
