//! A table of text cells read from a CSV file (csv crate) or a spreadsheet sheet (calamine),
//! with the location of every cell: `file:line:column` for CSV, `file.xlsx[Sheet]!C14` for a
//! sheet. The survey importer reads forms, exports and map files through it, so that one
//! rule decides what a cell says wherever it comes from.

use crate::error::{DataError, Diag, Error, Location, Result};
use crate::ingest::cell::clip;
use crate::ingest::sheet::{Format, bounded, guarded};
use crate::output::fmt_f64;
use calamine::{Data, Reader, Sheets};
use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Rows of trimmed text cells. Row 0 is the first row of the file or sheet.
#[derive(Debug, Clone)]
pub struct Grid {
    pub path: PathBuf,
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    pub rows: Vec<Vec<String>>,
    /// The 1-based line (CSV) or row (sheet) of each row.
    lines: Vec<u64>,
    /// Cells holding a spreadsheet error (`#N/A`, `#DIV/0!`), as (row, column).
    errors: BTreeSet<(usize, usize)>,
}

/// The largest sheet read, in cells: a workbook declaring more is refused before its cells
/// are copied (a "spreadsheet bomb" declares a huge dimension in a few bytes).
pub const MAX_CELLS: usize = 20_000_000;

impl Grid {
    /// A grid from rows already split (tests, the fuzz target); lines are 1, 2, 3….
    pub fn from_rows(path: &Path, sheet: Option<&str>, rows: Vec<Vec<String>>) -> Grid {
        let lines = (1..=rows.len() as u64).collect();
        Grid {
            path: path.to_path_buf(),
            sheet: sheet.map(str::to_string),
            rows,
            lines,
            errors: BTreeSet::new(),
        }
    }

    /// Where cell (row, col) is, both 0-based.
    pub fn loc(&self, row: usize, col: usize) -> Location {
        let line = self.lines.get(row).copied().unwrap_or(row as u64 + 1);
        match &self.sheet {
            Some(s) => Location::cell(&self.path, s, line, col as u64 + 1),
            None => Location::at(&self.path, line, Some(col as u64 + 1)),
        }
    }

    /// The whole file or sheet (`file.csv`, `file.xlsx[Sheet]`).
    pub fn whole(&self) -> Location {
        Location { sheet: self.sheet.clone(), ..Location::file(&self.path) }
    }

    /// Cell (row, col), empty when the row is shorter.
    pub fn get(&self, row: usize, col: usize) -> &str {
        self.rows.get(row).and_then(|r| r.get(col)).map_or("", String::as_str)
    }

    /// Cell (row, col), or an error when it holds a spreadsheet error value.
    pub fn value(&self, row: usize, col: usize) -> Result<&str, Diag> {
        if self.errors.contains(&(row, col)) {
            let msg = format!("the cell holds the spreadsheet error {}", self.get(row, col));
            return Err(Diag::new(self.loc(row, col), msg)
                .hint("fix the formula, or clear the cell for a missing answer"));
        }
        Ok(self.get(row, col))
    }

    /// Whether every cell of the row is empty.
    pub fn blank(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(|r| r.iter().all(String::is_empty))
    }

    /// The column whose header (row `header`) is `name`, compared trimmed and without case.
    pub fn column(&self, header: usize, name: &str) -> Option<usize> {
        self.rows.get(header)?.iter().position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// Whether the bytes are a workbook (xlsx and ods are ZIP files; xls is an OLE file).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The delimiter of a CSV file: `given`, or whichever of `,` and `;` splits the first
/// record into more fields (`,` on a tie).
pub fn delimiter(bytes: &[u8], given: Option<u8>) -> u8 {
    if let Some(d) = given {
        return d;
    }
    let fields = |d: u8| {
        let mut r =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(d).from_reader(bytes);
        r.byte_records().next().and_then(|r| r.ok()).map_or(0, |r| r.len())
    };
    if fields(b';') > fields(b',') { b';' } else { b',' }
}

/// Reads a CSV file (UTF-8, a byte-order mark dropped) into a grid. Every record must have
/// as many fields as the first.
pub fn read_csv(path: &Path, bytes: &[u8], delim: Option<u8>) -> Result<Grid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let d = delimiter(bytes, delim);
    // Records end at `\n` only, so that lines of CRLF files are numbered right (see ingest).
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(d)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(bytes);
    let (mut rows, mut lines) = (Vec::new(), Vec::new());
    let mut width = None;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let width = *width.get_or_insert(rec.len());
        if rec.len() != width {
            let msg = format!("this line has {} fields, the first line {width}", rec.len());
            let hint = format!(
                "a quote left open or a stray delimiter; the file was read with '{}' as the delimiter (--delimiter sets it)",
                d as char
            );
            return Err(data(Diag::new(Location::at(path, line, None), msg).hint(hint)));
        }
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
        lines.push(line);
    }
    Ok(Grid { path: path.to_path_buf(), sheet: None, rows, lines, errors: BTreeSet::new() })
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let diag = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            Diag::new(Location::at(path, line, Some(err.field() as u64 + 1)), "the text is not UTF-8")
                .hint("save the file as UTF-8 (CSV UTF-8 in Excel)")
        }
        _ => Diag::new(Location::at(path, line, None), format!("cannot read the CSV file: {e}")),
    };
    data(diag)
}

fn data(d: Diag) -> Error {
    DataError(vec![d]).into()
}

/// An open workbook (xlsx, xls, xlsb or ods, told by its content).
pub struct Workbook {
    path: PathBuf,
    sheets: Sheets<Cursor<Vec<u8>>>,
}

type Cells = Vec<((u32, u32), Data)>;

impl Workbook {
    /// Opens a workbook after the bounds data workbooks are held to ([`bounded`]; a panic in
    /// calamine is an error on the file, [`guarded`]). calamine tells the format by trying
    /// its readers in turn, so a zip is held to the bounds of both `.xlsx` and `.ods`.
    pub fn open(path: &Path, bytes: Vec<u8>) -> Result<Workbook> {
        let formats: &[Format] = if bytes.starts_with(b"PK\x03\x04") {
            &[Format::Xlsx, Format::Ods]
        } else if crate::ingest::sheet::is_workbook(&bytes) {
            &[Format::Xls]
        } else {
            &[]
        };
        for &format in formats {
            bounded(path, &bytes, format).map_err(data)?;
        }
        let open = || calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string());
        let sheets = guarded("this workbook", open).map_err(|e| {
            data(
                Diag::new(Location::file(path), format!("cannot read the workbook: {e}"))
                    .hint("save it as .xlsx (or .xls, .ods) from a spreadsheet program"),
            )
        })?;
        Ok(Workbook { path: path.to_path_buf(), sheets })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// The sheet named `name` (any case), or `None` when there is none.
    pub fn sheet(&mut self, name: &str) -> Result<Option<Grid>> {
        let Some(real) = self.sheet_names().into_iter().find(|s| s.trim().eq_ignore_ascii_case(name)) else {
            return Ok(None);
        };
        self.read(&real).map(Some)
    }

    /// The first sheet.
    pub fn first(&mut self) -> Result<Grid> {
        let names = self.sheet_names();
        let Some(first) = names.first() else {
            return Err(data(Diag::new(Location::file(&self.path), "the workbook has no sheet")));
        };
        self.read(first)
    }

    fn read(&mut self, name: &str) -> Result<Grid> {
        let fail = |e: String| {
            data(Diag::new(Location::file(&self.path), format!("cannot read sheet '{}': {e}", clip(name))))
        };
        let cells = guarded("this sheet", || cells(&mut self.sheets, name)).map_err(fail)?;
        let top = cells.iter().map(|(p, _)| p.0).min().unwrap_or(0) as usize;
        let height = cells.iter().map(|(p, _)| p.0 as usize + 1).max().unwrap_or(0).saturating_sub(top);
        let width = cells.iter().map(|(p, _)| p.1 as usize + 1).max().unwrap_or(0);
        let mut grid = Grid {
            path: self.path.clone(),
            sheet: Some(name.to_string()),
            rows: vec![vec![String::new(); width]; height],
            lines: (top + 1..=top + height).map(|r| r as u64).collect(),
            errors: BTreeSet::new(),
        };
        for ((r, c), v) in cells {
            let (r, c) = (r as usize - top, c as usize);
            if matches!(v, Data::Error(_)) {
                grid.errors.insert((r, c));
            }
            grid.rows[r][c] = text(&v);
        }
        Ok(grid)
    }
}

/// The cells of sheet `name` with their (row, column), checked against [`MAX_CELLS`].
fn cells(sheets: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Result<Cells, String> {
    // xlsx and xlsb cells are streamed, so that a sheet with two cells far apart (a few
    // bytes declaring billions of cells) is refused before anything is allocated for it.
    macro_rules! stream {
        ($reader:expr) => {{
            let mut reader = $reader.map_err(|e| e.to_string())?;
            let mut cells = Vec::new();
            let mut bounds = Bounds::default();
            while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                bounds.add(c.get_position())?;
                cells.push((c.get_position(), Data::from(c.get_value().clone())));
            }
            cells
        }};
    }
    Ok(match sheets {
        Sheets::Xlsx(x) => stream!(x.worksheet_cells_reader(name)),
        Sheets::Xlsb(x) => stream!(x.worksheet_cells_reader(name)),
        // xls and ods sheets are bounded before calamine lays them out ([`bounded`]).
        other => {
            let range = other.worksheet_range(name).map_err(|e| e.to_string())?;
            let mut bounds = Bounds::default();
            let mut cells = Vec::new();
            for (r, c, v) in range.used_cells() {
                let pos = (
                    range.start().map_or(0, |s| s.0) + r as u32,
                    range.start().map_or(0, |s| s.1) + c as u32,
                );
                bounds.add(pos)?;
                cells.push((pos, v.clone()));
            }
            cells
        }
    })
}

/// The rows and columns a sheet spans from A1, checked against [`MAX_CELLS`] as cells come.
#[derive(Default)]
struct Bounds {
    rows: u64,
    cols: u64,
}

impl Bounds {
    fn add(&mut self, (r, c): (u32, u32)) -> Result<(), String> {
        self.rows = self.rows.max(u64::from(r) + 1);
        self.cols = self.cols.max(u64::from(c) + 1);
        if self.rows.saturating_mul(self.cols) > MAX_CELLS as u64 {
            return Err(format!("it spans {} rows × {} columns, more than gti reads", self.rows, self.cols));
        }
        Ok(())
    }
}

/// A cell as text: whole numbers without a decimal point (a choice named `1` is stored as
/// the number 1), other numbers in their shortest form, dates in ISO 8601.
fn text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => fmt_f64(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.format("%H:%M:%S").to_string() == "00:00:00" => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            None => fmt_f64(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_splits_the_header() {
        assert_eq!(delimiter(b"\"a\";\"b\";\"c\"\n1;2;3\n", None), b';');
        assert_eq!(delimiter(b"a,b;c,d\n", None), b',');
        assert_eq!(delimiter(b"a\n", None), b',');
        assert_eq!(delimiter(b"a,b\n", Some(b';')), b';');
    }

    #[test]
    fn csv_cells_are_trimmed_and_located() {
        let g = read_csv(Path::new("e.csv"), b"\xEF\xBB\xBFa;b\r\n 1 ;x y\r\n", None).unwrap();
        assert_eq!(g.rows, vec![vec!["a", "b"], vec!["1", "x y"]]);
        assert_eq!(g.loc(1, 1).to_string(), "e.csv:2:2");
        let e = read_csv(Path::new("e.csv"), b"a,b\n1,2,3\n", None).unwrap_err().to_string();
        assert!(e.starts_with("e.csv:2: this line has 3 fields, the first line 2"), "{e}");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(text(&Data::Float(3.0)), "3");
        assert_eq!(text(&Data::Float(0.5)), "0.5");
        assert_eq!(text(&Data::Int(-2)), "-2");
    }
}
