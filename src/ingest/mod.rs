//! Reading input data: statistical indicator files (long or wide), expert-response files
//! ([`responses`]) and the units file, each a CSV file or a workbook's sheet ([`sheet`]),
//! read under the declared [`Conventions`].
//!
//! Files and sheets are recognised by their header. Every problem is reported with file,
//! line and column (`file.xlsx[Sheet]!C14` in a workbook) and a hint; reading goes on after
//! an error so that one run lists many of them.

pub mod cell;
pub mod conventions;
mod header;
pub mod records;
pub mod responses;
pub mod sheet;
mod statistical;

pub use cell::Source;
pub use conventions::Conventions;
pub use header::FileKind;
pub use records::read_file;
pub use responses::{RawAnswer, Response};

use crate::codes::{Code, Interner, UnitCode, Year};
use crate::error::{DataError, Diag, Error, Location};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One input as read, with its digest for the manifest: a CSV file, or one sheet of a
/// workbook (each data sheet is an input of its own, with the workbook's digest).
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub sha256: String,
    pub kind: FileKind,
    /// The sheet, for a workbook's.
    pub sheet: Option<SheetRef>,
}

/// A workbook's sheet read as an input: its name, and the column its table starts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRef {
    pub name: String,
    /// The 0-based column of the table's first column (A = 0).
    pub first_column: u64,
}

impl InputFile {
    /// A CSV file.
    pub fn csv(path: &Path, sha256: String, kind: FileKind) -> InputFile {
        InputFile { path: path.to_path_buf(), sha256, kind, sheet: None }
    }

    fn source<'a>(&'a self, conventions: &'a Conventions) -> Source<'a> {
        match &self.sheet {
            Some(s) => {
                Source { path: &self.path, sheet: Some(&s.name), first_column: s.first_column, conventions }
            }
            None => Source::csv(&self.path, conventions),
        }
    }

    /// The cell in 0-based column `col` of the file's table on `line` (the whole line
    /// without one): `file.csv:14:3`, `file.xlsx[Sheet]!C14`.
    pub fn at(&self, line: u64, col: Option<usize>) -> Location {
        let none = Conventions::default();
        let src = self.source(&none);
        col.map_or_else(|| src.line(line), |c| src.at(line, c))
    }

    /// The file, or `file.xlsx[Sheet]`, as messages name it.
    pub fn name(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}[{}]", self.path.display(), s.name),
            None => self.path.display().to_string(),
        }
    }
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
    /// The header of each statistical or response file, by index into [`RawData::files`]:
    /// where a code is, for messages about codes the methodology does not declare.
    pub headers: BTreeMap<u32, Vec<String>>,
    /// The line of each of those headers, when not 1 (a sheet's header row).
    pub header_lines: BTreeMap<u32, u64>,
    /// The conventions the data were read with.
    pub conventions: Conventions,
    /// Workbook sheets not read: `file.xlsx[Sheet]` and why (for the run log).
    pub ignored: Vec<(String, String)>,
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
        self.files[o.file as usize].at(o.line, None)
    }

    /// Where an observation's code is written, given the 0-based column that holds it
    /// ([`RawData::code_column`]): its `indicator` cell in a long file, its header cell in a
    /// wide one; the observation's own location when the column is not known.
    pub fn code_location(&self, o: &Observation, column: Option<usize>) -> Location {
        let file = &self.files[o.file as usize];
        let line = if file.kind == FileKind::Long { o.line } else { self.header_line(o.file) };
        column.map_or_else(|| self.location(o), |c| file.at(line, Some(c)))
    }

    /// The line (or sheet row) of a file's header: 1 in a CSV file.
    pub fn header_line(&self, file: u32) -> u64 {
        self.header_lines.get(&file).copied().unwrap_or(1)
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

    /// `file:line:column` (or `file.xlsx[Sheet]!E5`) of a response's `response` cell.
    pub fn response_location(&self, r: &Response) -> Location {
        let none = Conventions::default();
        self.files[r.file as usize].source(&none).located(r.line, Some(r.column))
    }
}

/// Whether a folder's file is an input: a `.csv` file or a workbook, not a spreadsheet
/// program's lock file (`~$data.xlsx`) nor a hidden file.
fn is_input(f: &Path) -> bool {
    let name = f.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let csv = f.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"));
    f.is_file()
        && !name.starts_with("~$")
        && !name.starts_with('.')
        && (csv || sheet::Format::of(f).is_some())
}

/// Expands `-d` arguments: files as given, folders to their `*.csv`, `*.xlsx`, `*.xlsm`,
/// `*.xls` and `*.ods` files in name order.
///
/// # Errors
/// A path that does not exist, or a folder with no such file.
pub fn expand(paths: &[PathBuf]) -> crate::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| is_input(f))
                .collect();
            found.sort();
            if found.is_empty() {
                let d = Diag::new(Location::file(p), "the folder holds no .csv, .xlsx, .xls or .ods file");
                return Err(DataError(vec![d]).into());
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Reads every input (files or folders) as gti writes them (no declared conventions).
///
/// # Errors
/// As [`read_all_with`].
pub fn read_all(paths: &[PathBuf]) -> crate::Result<RawData> {
    read_all_with(paths, &Conventions::default())
}

/// Reads every input (files or folders) under the declared conventions.
///
/// # Errors
/// I/O errors, and a [`DataError`] listing every malformed cell, line or header found.
pub fn read_all_with(paths: &[PathBuf], conventions: &Conventions) -> crate::Result<RawData> {
    let files = expand(paths)?;
    let mut data = RawData { conventions: conventions.clone(), ..RawData::default() };
    let mut diags = Vec::new();
    for path in &files {
        if sheet::Format::of(path).is_some() {
            read_workbook(path, &mut data, &mut diags)?;
        } else {
            read_csv(path, &mut data, &mut diags)?;
        }
        if diags.len() >= MAX_ERRORS {
            break;
        }
    }
    if diags.is_empty() { Ok(data) } else { Err(DataError(diags).into()) }
}

fn read_csv(path: &Path, data: &mut RawData, diags: &mut Vec<Diag>) -> crate::Result<()> {
    let idx = data.files.len() as u32;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hashing = crate::hash::HashingReader::new(file);
    let conventions = data.conventions.clone();
    let kind = read_file(&Source::csv(path, &conventions), &mut hashing, idx, data, diags);
    // Reading stops early only on errors, and then the run fails: no digest needed.
    if diags.is_empty() {
        std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(path, e))?;
    }
    data.files.push(InputFile::csv(path, hashing.hex(), kind.unwrap_or(FileKind::Long)));
    Ok(())
}

/// A workbook is read whole (calamine needs to seek in it), after a check of its size.
fn read_workbook(path: &Path, data: &mut RawData, diags: &mut Vec<Diag>) -> crate::Result<()> {
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if size > sheet::guard::MAX_FILE {
        let msg = format!(
            "the workbook is refused: {size} bytes, more than gti reads ({} MiB)",
            sheet::guard::MAX_FILE >> 20
        );
        diags.push(Diag::new(Location::file(path), msg).hint("export its data sheets as CSV files"));
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha256 = crate::hash::sha256_hex(&bytes);
    let conventions = data.conventions.clone();
    sheet::read_workbook(path, bytes, &sha256, &conventions, data, diags);
    Ok(())
}

/// Reading stops after this many located errors.
pub const MAX_ERRORS: usize = 100;

/// True when `path` exists and is a file (used for friendly usage errors).
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}
