//! Workbooks as inputs: `.xlsx` (and `.xlsm`), `.xls` and `.ods`, read with calamine after
//! [`guard`]'s bounds. Every visible sheet whose first row has a `unit` column is read as a
//! CSV file is: the same header recognition and the same row conversion ([`Layout`]), with
//! each cell located as `file.xlsx[Sheet]!C14`. Other sheets are listed in the run log.
//!
//! A cell's type decides what it may be: a number is a number (a formula gives its cached
//! value); text is read as CSV text is (so `1,5` or `12 %` is refused with a hint); a date,
//! a TRUE/FALSE or an error value (`#N/A`, `#DIV/0!`) where a number is read is an error,
//! unless the error value is declared missing (`--na '#N/A'`).

pub mod guard;

use super::cell::Source;
use super::conventions::{Conventions, shell_quote};
use super::header::{FileKind, recognise};
use super::records::Layout;
use super::{InputFile, MAX_ERRORS, RawData, SheetRef};
use crate::error::{Diag, Location};
use calamine::{Data, Reader, SheetType, SheetVisible};
use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The workbook formats gti reads, told by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.xlsx` and `.xlsm` (Office Open XML; macros are not run, nor read).
    Xlsx,
    /// `.xls` (Excel 97–2003, BIFF8; BIFF5 too).
    Xls,
    /// `.ods` (OpenDocument).
    Ods,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }
}

/// Whether bytes begin as a workbook does (a zip for .xlsx and .ods, an OLE compound file
/// for .xls): a workbook given a `.csv` name is named so, not read as text.
pub fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

type Cursored = Cursor<Vec<u8>>;

enum Book {
    Xlsx(Box<calamine::Xlsx<Cursored>>),
    Xls(Box<calamine::Xls<Cursored>>),
    Ods(Box<calamine::Ods<Cursored>>),
}

/// An open workbook.
pub struct Workbook {
    path: PathBuf,
    book: Book,
}

/// A non-empty cell: its 0-based column and value.
pub type Cell = (u32, Data);

/// Runs a reader call, turning a panic in it into an error (a malformed file must not take
/// the run down; the panic is calamine's, and reported as its failure). The survey importer
/// reads its forms and exports through it too.
pub(crate) fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(format!("the reader failed on {what}")))
}

/// Checks a workbook's bytes against [`guard`]'s bounds for `format`, before calamine sees
/// them. The survey importer holds its forms and exports to the same bounds.
///
/// # Errors
/// A [`Diag`] on the file naming the bound exceeded and its limit.
pub(crate) fn bounded(path: &Path, bytes: &[u8], format: Format) -> Result<(), Diag> {
    let checked = match format {
        Format::Xlsx => guard::zip(bytes).and_then(|()| guard::xlsx(bytes)),
        Format::Ods => guard::zip(bytes).and_then(|()| guard::ods(bytes)),
        Format::Xls => guard::xls(bytes),
    };
    checked.map_err(|e| {
        Diag::new(Location::file(path), format!("the workbook is refused: {e}"))
            .hint("gti's limits on workbooks are in docs/input.md; a sheet saved as CSV is read without them")
    })
}

impl Workbook {
    /// Checks the workbook's bounds ([`bounded`]), then opens it.
    ///
    /// # Errors
    /// A [`Diag`] on the file: a bound exceeded (with the limit), or a file calamine cannot
    /// read.
    pub fn open(path: &Path, bytes: Vec<u8>, format: Format) -> Result<Workbook, Diag> {
        let cannot = |e: String| {
            Diag::new(Location::file(path), format!("cannot read the workbook: {e}")).hint(
                "save it again from a spreadsheet program as .xlsx or .ods (or export the sheet as CSV)",
            )
        };
        bounded(path, &bytes, format)?;
        let book = guarded("this workbook", || {
            let c = Cursor::new(bytes);
            let e = |e: &dyn std::fmt::Display| e.to_string();
            Ok(match format {
                Format::Xlsx => Book::Xlsx(Box::new(calamine::Xlsx::new(c).map_err(|x| e(&x))?)),
                Format::Xls => Book::Xls(Box::new(calamine::Xls::new(c).map_err(|x| e(&x))?)),
                Format::Ods => Book::Ods(Box::new(calamine::Ods::new(c).map_err(|x| e(&x))?)),
            })
        })
        .map_err(cannot)?;
        Ok(Workbook { path: path.to_path_buf(), book })
    }

    /// The worksheets in workbook order, each with whether it is visible (chart sheets and
    /// macro sheets are not listed).
    pub fn sheets(&self) -> Vec<(String, bool)> {
        let meta = match &self.book {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        };
        meta.iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    /// Calls `each` with every row of the sheet that holds a non-empty cell, in order: its
    /// 0-based row and its cells by column. `each` returns false to stop.
    ///
    /// # Errors
    /// A [`Diag`] on the sheet: calamine's error, or a cell beyond Excel's last row or
    /// column, out of order, or given twice.
    pub fn rows(&mut self, name: &str, mut each: impl FnMut(u32, &[Cell]) -> bool) -> Result<(), Diag> {
        let place = Location { sheet: Some(name.to_string()), ..Location::file(&self.path) };
        let fail = |e: String| Diag::new(place.clone(), format!("cannot read the sheet: {e}"));
        guarded("this sheet", || match &mut self.book {
            Book::Xlsx(b) => stream(b, name, &mut each),
            Book::Xls(b) => dense(b.worksheet_range(name).map_err(|e| e.to_string())?, &mut each),
            Book::Ods(b) => dense(b.worksheet_range(name).map_err(|e| e.to_string())?, &mut each),
        })
        .map_err(fail)
    }
}

/// An `.xlsx` sheet, streamed: cells come in the file's order, one row at a time, so that
/// nothing is held but the row being read (however far apart its cells declare they are).
fn stream(
    book: &mut calamine::Xlsx<Cursored>,
    name: &str,
    each: &mut impl FnMut(u32, &[Cell]) -> bool,
) -> Result<(), String> {
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
    let mut row: Option<u32> = None;
    let mut cells: Vec<Cell> = Vec::new();
    while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
        let (r, col) = c.get_position();
        if r >= guard::MAX_ROWS || col >= guard::MAX_COLUMNS {
            return Err(format!(
                "a cell lies beyond Excel's last row or column (row {}, column {})",
                u64::from(r) + 1,
                u64::from(col) + 1
            ));
        }
        let value = Data::from(c.get_value().clone());
        if value == Data::Empty {
            continue;
        }
        match row {
            Some(cur) if r < cur => {
                return Err(format!("row {} comes after row {}: its rows are out of order", r + 1, cur + 1));
            }
            Some(cur) if r > cur => {
                if !flush(cur, &mut cells, each)? {
                    return Ok(());
                }
                row = Some(r);
            }
            None => row = Some(r),
            _ => {}
        }
        if cells.len() >= guard::MAX_COLUMNS as usize {
            return Err(format!("row {} has more cells than Excel's {} columns", r + 1, guard::MAX_COLUMNS));
        }
        cells.push((col, value));
    }
    if let Some(cur) = row {
        flush(cur, &mut cells, each)?;
    }
    Ok(())
}

/// Hands a streamed row over in column order; a cell given twice is an error.
fn flush(
    row: u32,
    cells: &mut Vec<Cell>,
    each: &mut impl FnMut(u32, &[Cell]) -> bool,
) -> Result<bool, String> {
    cells.sort_by_key(|c| c.0);
    if let Some(w) = cells.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!("the cell in row {}, column {} is given twice", row + 1, w[0].0 + 1));
    }
    let go_on = each(row, cells);
    cells.clear();
    Ok(go_on)
}

/// An `.xls` or `.ods` sheet, which calamine has laid out already (within [`guard`]'s bounds).
fn dense(range: calamine::Range<Data>, each: &mut impl FnMut(u32, &[Cell]) -> bool) -> Result<(), String> {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (i, row) in range.rows().enumerate() {
        cells.clear();
        cells.extend(
            row.iter()
                .enumerate()
                .filter(|(_, v)| **v != Data::Empty)
                .map(|(j, v)| (left + j as u32, v.clone())),
        );
        if !cells.is_empty() && !each(top + i as u32, &cells) {
            break;
        }
    }
    Ok(())
}

/// A cell as text, as a CSV file would hold it: numbers in the shortest form that reads back
/// to the same double, dates in ISO 8601, TRUE/FALSE, an error value as Excel shows it.
pub fn text(v: &Data) -> Cow<'_, str> {
    match v {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cow::Borrowed(s),
        Data::Float(f) => Cow::Owned(f.to_string()),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => Cow::Owned(match d.as_datetime() {
            Some(t) if t.format("%H:%M:%S").to_string() == "00:00:00" => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        }),
        Data::Error(e) => Cow::Owned(e.to_string()),
    }
}

/// Why a cell cannot stand where a number is read: a date, a TRUE/FALSE.
fn not_numeric(v: &Data) -> Option<(&'static str, &'static str)> {
    match v {
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Some((
            "a date",
            "format the column as numbers (General or Number): a year is a whole number such as 2024",
        )),
        Data::Bool(_) => Some(("a TRUE/FALSE cell", "write the value as a number (1 or 0)")),
        _ => None,
    }
}

/// Reads every data sheet of a workbook into `data` (each one becomes an input, with the
/// workbook's digest); located problems go to `diags`, sheets not read to `data.ignored`.
pub fn read_workbook(
    path: &Path,
    bytes: Vec<u8>,
    sha256: &str,
    conv: &Conventions,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) {
    let Some(format) = Format::of(path) else { return };
    let mut book = match Workbook::open(path, bytes, format) {
        Ok(b) => b,
        Err(d) => return diags.push(d),
    };
    let mut skipped = Vec::new();
    let mut read = 0;
    for (name, visible) in book.sheets() {
        let place = format!("{}[{name}]", path.display());
        if !visible {
            skipped.push((place, "a hidden sheet".to_string()));
            continue;
        }
        match read_sheet(&mut book, path, &name, conv, data, diags) {
            Ok(Some((kind, first_column))) => {
                read += 1;
                let sheet = Some(SheetRef { name, first_column });
                data.files.push(InputFile {
                    path: path.to_path_buf(),
                    sha256: sha256.to_string(),
                    kind,
                    sheet,
                });
            }
            Ok(None) => {}
            Err(why) => skipped.push((place, why)),
        }
        if diags.len() >= MAX_ERRORS {
            return;
        }
    }
    if read == 0 && diags.is_empty() {
        let list = if skipped.is_empty() {
            "it has no worksheet".to_string()
        } else {
            skipped.iter().map(|(p, why)| format!("{p}: {why}")).collect::<Vec<_>>().join("; ")
        };
        diags.push(
            Diag::new(Location::file(path), format!("no sheet of the workbook holds data gti reads: {list}"))
                .hint("a data sheet's first row is its header, with a `unit` column: unit,year,indicator,value (long), unit,year,<indicator>… (wide), unit,name,… (units) or unit,year,respondent,item,response"),
        );
    }
    data.ignored.extend(skipped);
}

/// Where a sheet's reading is: before its header, within its table, or stopped.
enum State<'a> {
    Header,
    Body {
        layout: Box<Layout<'a>>,
        width: u32,
        rows: usize,
    },
    /// Not a data sheet (why), or its header failed (None).
    Done(Option<String>),
}

/// Reads one sheet: `Ok(Some((kind, first column)))` when it was read as data, `Ok(None)`
/// when its header was wrong (the error is in `diags`), `Err(why)` when it is not a data
/// sheet (no `unit` column in its first row, or empty).
fn read_sheet(
    book: &mut Workbook,
    path: &Path,
    name: &str,
    conv: &Conventions,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> Result<Option<(FileKind, u64)>, String> {
    let idx = data.files.len() as u32;
    let mut state = State::Header;
    let read = book.rows(name, |row, cells| match &mut state {
        State::Header => {
            state = header(path, name, conv, idx, row, cells, data, diags);
            matches!(state, State::Body { .. })
        }
        State::Body { layout, width, rows } => {
            *rows += 1;
            body(layout, *width, row, cells, data, diags);
            diags.len() < MAX_ERRORS
        }
        State::Done(_) => false,
    });
    if let Err(d) = read {
        diags.push(d);
        return Ok(None);
    }
    match state {
        State::Header => Err("empty".into()),
        State::Done(Some(why)) => Err(why),
        State::Done(None) => Ok(None),
        State::Body { layout, rows, .. } => {
            layout.finish(rows, data, diags);
            Ok(Some((layout.kind, layout.src.first_column)))
        }
    }
}

/// The sheet's first non-empty row, as its header.
#[allow(clippy::too_many_arguments)]
fn header<'a>(
    path: &'a Path,
    name: &'a str,
    conv: &'a Conventions,
    idx: u32,
    row: u32,
    cells: &[Cell],
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> State<'a> {
    let (first, last) = (cells[0].0, cells[cells.len() - 1].0);
    let mut names = vec![String::new(); (last - first + 1) as usize];
    for (c, v) in cells {
        names[(c - first) as usize] = text(v).trim().to_string();
    }
    if !names.iter().any(|n| n.eq_ignore_ascii_case("unit")) {
        let shown: Vec<&str> = names.iter().filter(|n| !n.is_empty()).take(4).map(String::as_str).collect();
        return State::Done(Some(format!(
            "no `unit` column in its first row (row {}: {})",
            row + 1,
            super::cell::clip(&shown.join(", "))
        )));
    }
    let src = Source { path, sheet: Some(name), first_column: u64::from(first), conventions: conv };
    let layout = recognise(&src, u64::from(row) + 1, names).and_then(|h| Layout::new(src, h, idx, data));
    match layout {
        Ok(layout) => State::Body { layout: Box::new(layout), width: last - first + 1, rows: 0 },
        Err(d) => {
            diags.push(d);
            State::Done(None)
        }
    }
}

/// One row of the table: its cells as a CSV record, checked by type, then converted as a CSV
/// record is.
fn body(layout: &Layout, width: u32, row: u32, cells: &[Cell], data: &mut RawData, diags: &mut Vec<Diag>) {
    let src = &layout.src;
    let line = u64::from(row) + 1;
    let first = src.first_column as u32;
    let mut fields: Vec<Cow<str>> = vec![Cow::Borrowed(""); width as usize];
    let mut ok = true;
    for (c, v) in cells {
        if *c < first || *c - first >= width {
            diags.push(
                Diag::new(src.located(line, Some(u64::from(*c) + 1)), "a value outside the table")
                    .hint(format!(
                        "the header spans columns {} to {}: give this column a header, or move the note off the sheet",
                        src.column_name(0),
                        src.column_name(width as usize - 1)
                    )),
            );
            ok = false;
            continue;
        }
        let col = (*c - first) as usize;
        match (v, not_numeric(v)) {
            (_, Some((what, hint))) if layout.numeric(col) => {
                let msg = format!("{what} ({}) where a number is read", text(v));
                diags.push(Diag::new(src.at(line, col), msg).hint(hint));
                ok = false;
            }
            (Data::Error(e), _) => {
                let token = e.to_string();
                if !src.conventions.is_na(&token) {
                    let hint = format!(
                        "fix the formula; if {token} means missing here, pass --na {} (or list it in na of the methodology's [input])",
                        shell_quote(&token)
                    );
                    diags.push(
                        Diag::new(src.at(line, col), format!("the cell holds the error {token}")).hint(hint),
                    );
                    ok = false;
                }
            }
            // A number under a declared decimal comma is written as such a CSV file holds it.
            (Data::Float(_), _) if src.conventions.decimal_comma => {
                fields[col] = Cow::Owned(text(v).replace('.', ","));
            }
            _ => fields[col] = text(v),
        }
    }
    if ok {
        let record = csv::StringRecord::from(fields.iter().map(|f| f.as_ref()).collect::<Vec<&str>>());
        layout.row(&record, line, data, diags);
    }
}

/// A sheet written out as CSV text, for the importers that read CSV (`gti import coinr
/// --workbook`): its table from the first non-empty row (the header), every row with a
/// value, the columns the header spans; and the sheet row of each CSV line, for messages.
pub struct SheetCsv {
    pub bytes: Vec<u8>,
    /// `rows[k]` is the 1-based sheet row of CSV line `k + 1`.
    pub rows: Vec<u64>,
}

impl Workbook {
    /// The worksheet named `name`, in any case.
    pub fn find(&self, name: &str) -> Option<String> {
        self.sheets().into_iter().map(|(n, _)| n).find(|n| n.trim().eq_ignore_ascii_case(name))
    }

    /// The sheet `name` as CSV ([`SheetCsv`]). A date or an error value in a cell is an
    /// error (the importers read numbers and codes), and so is a value outside the header's
    /// columns.
    ///
    /// # Errors
    /// Every such cell (up to [`MAX_ERRORS`]), located as `file.xlsx[Sheet]!C14`.
    pub fn csv(&mut self, name: &str) -> Result<SheetCsv, Vec<Diag>> {
        let path = self.path.clone();
        let none = Conventions::default();
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        let (mut rows, mut diags) = (Vec::new(), Vec::new());
        let mut span: Option<(u32, u32)> = None;
        let read = self.rows(name, |row, cells| {
            let (first, last) = *span.get_or_insert((cells[0].0, cells[cells.len() - 1].0));
            let src =
                Source { path: &path, sheet: Some(name), first_column: u64::from(first), conventions: &none };
            let mut fields = vec![Cow::Borrowed(""); (last - first + 1) as usize];
            let line = u64::from(row) + 1;
            for (c, v) in cells {
                let problem = match v {
                    _ if *c < first || *c > last => {
                        Some(("a value outside the table", "give this column a header"))
                    }
                    Data::Error(_) => {
                        Some(("an error value", "fix the formula, or clear the cell for a missing value"))
                    }
                    Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
                        Some(("a date", "format the cell as a number or as text"))
                    }
                    _ => None,
                };
                match problem {
                    Some((what, hint)) => {
                        let msg = format!("{what} ({})", text(v));
                        diags.push(Diag::new(src.located(line, Some(u64::from(*c) + 1)), msg).hint(hint));
                    }
                    // One CSV line per row, so that lines map to rows: a line break in a
                    // cell (a long name typed with Alt+Enter) becomes a space.
                    None => fields[(c - first) as usize] = Cow::Owned(text(v).replace(['\r', '\n'], " ")),
                }
            }
            rows.push(line);
            let _ = w.write_record(fields.iter().map(|f| f.as_bytes()));
            diags.len() < MAX_ERRORS
        });
        read.map_err(|d| vec![d])?;
        if !diags.is_empty() {
            return Err(diags);
        }
        let bytes = w.into_inner().map_err(|e| vec![Diag::new(Location::file(&path), e.to_string())])?;
        Ok(SheetCsv { bytes, rows })
    }
}
