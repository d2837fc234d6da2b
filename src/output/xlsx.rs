//! Excel export (`--format xlsx`): one workbook per command beside its manifest —
//! `results.xlsx` ([`super::xlsx_results`]), `audit.xlsx`, `compare.xlsx` and
//! `decomposition.xlsx` ([`super::xlsx_tables`]). This file holds what they share: the
//! workbook, typed cells, table sheets and the *Read me* sheet.
//!
//! - Numbers are stored as numbers at full precision: rust_xlsxwriter writes an f64 in its
//!   shortest round-trip form, so a cell holds the same double as the CSV table; number
//!   formats only change how a cell *shows* it (`0.00`, `0.0%`).
//! - Every table sheet has its header frozen and an autofilter over the table; band cells are
//!   filled with the band's colour (the methodology's `color`, else the report's
//!   colour-blind-safe Okabe–Ito palette).
//! - The bytes depend on the run only: the document's creation time is fixed (the ZIP
//!   epoch; rust_xlsxwriter's ZIP entries carry the same fixed timestamp), and input files
//!   are named by file name and SHA-256, never by path (a workbook is sent around).

use super::Manifest;
use super::manifest::InputStamp;
use crate::error::{Error, Result};
use crate::methodology::Methodology;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format as Style, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::collections::HashMap;

/// Writes workbooks (`--format xlsx`).
pub struct XlsxExporter;

/// Rows of a worksheet (Excel's limit).
pub const MAX_ROWS: usize = 1_048_576;

/// The widest column, in characters: longer text is cut off on screen, not in the cell.
const MAX_WIDTH: usize = 60;

/// `-o -` with `--format xlsx`: a workbook is binary, and holds many tables.
pub fn refuse_stdout() -> Error {
    Error::Usage("--format xlsx writes a workbook, not a table: give -o DIR, not -o -".into())
}

fn err(e: XlsxError) -> Error {
    Error::Format(format!("cannot format xlsx: {e}"))
}

/// A workbook being built; [`Book::bytes`] writes it.
pub struct Book {
    wb: Workbook,
}

impl Book {
    /// An empty workbook whose document properties are fixed: the title, and a creation time
    /// that does not depend on when the run happened.
    ///
    /// # Errors
    /// None in practice (the fixed date is valid).
    pub fn new(title: &str) -> Result<Book> {
        let mut wb = Workbook::new();
        let created = ExcelDateTime::from_ymd(1980, 1, 1).map_err(err)?;
        let props = DocProperties::new().set_title(title).set_author("gti").set_creation_datetime(&created);
        wb.set_properties(&props);
        Ok(Book { wb })
    }

    /// The workbook's bytes.
    ///
    /// # Errors
    /// [`Error::Format`] when rust_xlsxwriter refuses the workbook (e.g. a duplicate sheet).
    pub fn bytes(mut self) -> Result<Vec<u8>> {
        self.wb.save_to_buffer().map_err(err)
    }

    fn push(&mut self, ws: Worksheet) {
        self.wb.push_worksheet(ws);
    }
}

/// How a column shows its numbers (the stored value is always the full double).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Show {
    /// Text cells.
    Text,
    /// Whole numbers (years, ranks, counts).
    Int,
    /// Decimals.
    Dec(u8),
    /// A share shown as a percentage with this many decimals.
    Pct(u8),
    /// Excel's General format (raw values of any magnitude).
    General,
}

impl Show {
    fn style(self) -> Style {
        match self {
            Show::Text | Show::General => Style::new(),
            Show::Int => Style::new().set_num_format("0"),
            Show::Dec(0) => Style::new().set_num_format("0"),
            Show::Dec(d) => Style::new().set_num_format(format!("0.{}", "0".repeat(d.into()))),
            Show::Pct(0) => Style::new().set_num_format("0%"),
            Show::Pct(d) => Style::new().set_num_format(format!("0.{}%", "0".repeat(d.into()))),
        }
    }

    /// The width of a number as shown, in characters.
    fn width(self, v: f64) -> usize {
        let int = format!("{:.0}", v.abs()).len() + usize::from(v < 0.0);
        match self {
            Show::Text | Show::General => super::fmt_f64(v).len().min(12),
            Show::Int => int,
            Show::Dec(d) => int + 1 + usize::from(d),
            Show::Pct(d) => format!("{:.0}", (100.0 * v).abs()).len() + 2 + usize::from(d),
        }
    }
}

/// A column of a table sheet: its header and how it shows numbers.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub name: &'static str,
    pub show: Show,
}

/// Columns from (header, how shown) pairs.
pub fn cols(spec: &[(&'static str, Show)]) -> Vec<Col> {
    spec.iter().map(|&(name, show)| Col { name, show }).collect()
}

/// One cell: text, a number (empty when missing), or a band label filled with its colour.
#[derive(Debug, Clone)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Num(Option<f64>),
    Band(&'a str, Option<&'a str>),
}

impl<'a> Cell<'a> {
    pub fn text(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }

    pub fn owned(s: String) -> Cell<'a> {
        Cell::Text(Cow::Owned(s))
    }

    pub fn num(v: f64) -> Cell<'a> {
        Cell::Num(Some(v))
    }

    pub fn opt(v: Option<f64>) -> Cell<'a> {
        Cell::Num(v)
    }

    /// A whole number (stored as a number: Excel has no other kind).
    pub fn int<T: Into<f64>>(v: T) -> Cell<'a> {
        Cell::Num(Some(v.into()))
    }

    pub fn opt_int<T: Into<f64>>(v: Option<T>) -> Cell<'a> {
        Cell::Num(v.map(Into::into))
    }

    /// An `i64` count or change (ranks move by far less than 2^53).
    pub fn i64(v: Option<i64>) -> Cell<'a> {
        Cell::Num(v.map(|x| x as f64))
    }
}

/// A sheet holding one table: an optional notice line, the header (bold, frozen), the rows,
/// an autofilter over them and column widths fitted to the content.
pub struct Table {
    ws: Worksheet,
    cols: Vec<Col>,
    styles: Vec<Style>,
    /// Fills of band cells, by colour.
    fills: HashMap<String, Style>,
    header: u32,
    row: u32,
    widths: Vec<usize>,
}

fn header_style() -> Style {
    Style::new().set_bold().set_border_bottom(FormatBorder::Thin)
}

fn notice_style() -> Style {
    Style::new().set_bold().set_font_color(Color::RGB(0x9a_1b1b))
}

impl Table {
    /// A new sheet `name` (unique, at most 31 characters), with `notice` above the header
    /// when given (the fictional-data notice).
    ///
    /// # Errors
    /// [`Error::Format`] for a name Excel refuses.
    pub fn new(name: &str, notice: Option<&str>, cols: Vec<Col>) -> Result<Table> {
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(err)?;
        let mut header = 0;
        if let Some(n) = notice {
            ws.write_string_with_format(0, 0, n, &notice_style()).map_err(err)?;
            header = 1;
        }
        let bold = header_style();
        for (c, col) in cols.iter().enumerate() {
            ws.write_string_with_format(header, c as u16, col.name, &bold).map_err(err)?;
        }
        // The filter's drop-down arrow takes about three characters of the header cell.
        let widths = cols.iter().map(|c| c.name.chars().count() + 3).collect();
        let styles = cols.iter().map(|c| c.show.style()).collect();
        Ok(Table { ws, cols, styles, fills: HashMap::new(), header, row: header + 1, widths })
    }

    /// Appends a row (as many cells as columns).
    ///
    /// # Errors
    /// A sheet past Excel's row limit: a usage error naming `--format csv`.
    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        debug_assert_eq!(cells.len(), self.cols.len());
        if self.row as usize >= MAX_ROWS {
            return Err(Error::Usage(format!(
                "the {} sheet would have more than {MAX_ROWS} rows, Excel's limit: use --format csv",
                self.ws.name()
            )));
        }
        for (c, cell) in cells.iter().enumerate() {
            let (r, col) = (self.row, c as u16);
            let w = match cell {
                Cell::Text(s) => {
                    if !s.is_empty() {
                        self.ws.write_string(r, col, s.as_ref()).map_err(err)?;
                    }
                    s.chars().count()
                }
                Cell::Num(Some(v)) if v.is_finite() => {
                    self.ws.write_number_with_format(r, col, *v, &self.styles[c]).map_err(err)?;
                    self.cols[c].show.width(*v)
                }
                // Missing (or, never in practice, infinite) numbers are empty cells.
                Cell::Num(_) => 0,
                Cell::Band(label, colour) => {
                    if let Some(fill) = colour.filter(|_| !label.is_empty()) {
                        let style = self.fills.entry(fill.to_string()).or_insert_with(|| band_style(fill));
                        self.ws.write_string_with_format(r, col, *label, style).map_err(err)?;
                    } else if !label.is_empty() {
                        self.ws.write_string(r, col, *label).map_err(err)?;
                    }
                    label.chars().count()
                }
            };
            self.widths[c] = self.widths[c].max(w);
        }
        self.row += 1;
        Ok(())
    }

    /// Freezes the header, sets the autofilter and the widths, and adds the sheet.
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn finish(mut self, book: &mut Book) -> Result<()> {
        let last_col = (self.cols.len().max(1) - 1) as u16;
        self.ws.set_freeze_panes(self.header + 1, 0).map_err(err)?;
        self.ws.autofilter(self.header, 0, (self.row - 1).max(self.header), last_col).map_err(err)?;
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64 + 1.0).map_err(err)?;
        }
        book.push(self.ws);
        Ok(())
    }
}

/// A band cell: its colour as fill, black or white text, whichever reads better on it.
fn band_style(fill: &str) -> Style {
    let rgb =
        |hex: &str| crate::present::rgb(hex).map_or(0xffffff, |[r, g, b]| u32::from_be_bytes([0, r, g, b]));
    Style::new()
        .set_background_color(Color::RGB(rgb(fill)))
        .set_font_color(Color::RGB(rgb(crate::present::text_on(fill))))
}

/// The fill of `label` on `node`: the colour of the band of that label applying to the node
/// (as the report colours it: the methodology's `color`, else the Okabe–Ito palette).
pub fn band_colours(m: &Methodology) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    for e in m.framework.elements.iter().filter(|e| !e.is_indicator()) {
        for (i, b) in m.bands.iter().enumerate() {
            if b.nodes.as_ref().is_none_or(|n| n.iter().any(|c| c == &e.code)) {
                let fill = crate::present::band_fill(b, i);
                out.entry((e.code.to_string(), b.label.clone())).or_insert(fill);
            }
        }
    }
    out
}

/// A file's name without its folder: what a workbook says of an input.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A *Read me* sheet: a title, the notices, then labelled lines and small tables.
pub struct ReadMe {
    ws: Worksheet,
    row: u32,
    label: Style,
    widths: [usize; 3],
}

impl ReadMe {
    /// # Errors
    /// As [`Table::new`].
    pub fn new(title: &str, notices: &[&str]) -> Result<ReadMe> {
        let mut ws = Worksheet::new();
        ws.set_name("Read me").map_err(err)?;
        ws.write_string_with_format(0, 0, title, &Style::new().set_bold().set_font_size(14)).map_err(err)?;
        // Each notice on its own line under the title, then a blank line.
        for (row, n) in (1..).zip(notices) {
            ws.write_string_with_format(row, 0, *n, &notice_style()).map_err(err)?;
        }
        let row = notices.len() as u32 + 2;
        Ok(ReadMe { ws, row, label: Style::new().set_bold(), widths: [12, 12, 12] })
    }

    /// A line: a bold label, then values in the next columns.
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn line(&mut self, label: &str, values: &[&str]) -> Result<()> {
        self.ws.write_string_with_format(self.row, 0, label, &self.label).map_err(err)?;
        self.widths[0] = self.widths[0].max(label.chars().count());
        for (c, v) in values.iter().enumerate().take(2) {
            self.ws.write_string(self.row, c as u16 + 1, *v).map_err(err)?;
            self.widths[c + 1] = self.widths[c + 1].max(v.chars().count());
        }
        self.row += 1;
        Ok(())
    }

    /// A line of free text in the first column, running over the next ones on screen (it
    /// does not widen the column of labels).
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn text(&mut self, text: &str) -> Result<()> {
        self.ws.write_string(self.row, 0, text).map_err(err)?;
        self.row += 1;
        Ok(())
    }

    /// A line whose value is a number, stored as one.
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn number(&mut self, label: &str, v: f64) -> Result<()> {
        self.ws.write_string_with_format(self.row, 0, label, &self.label).map_err(err)?;
        self.ws.write_number(self.row, 1, v).map_err(err)?;
        self.row += 1;
        Ok(())
    }

    /// A heading (bold, after a blank line) of the next lines.
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn heading(&mut self, text: &str, columns: &[&str]) -> Result<()> {
        self.row += 1;
        let bold = header_style();
        self.ws.write_string_with_format(self.row, 0, text, &bold).map_err(err)?;
        for (c, h) in columns.iter().enumerate() {
            self.ws.write_string_with_format(self.row, c as u16 + 1, *h, &bold).map_err(err)?;
        }
        self.row += 1;
        Ok(())
    }

    /// The provenance every workbook states: tool, command, methodology (file name, version,
    /// SHA-256), the base methodology of a comparison, `about` lines, units, years, overrides
    /// and inputs (file names and SHA-256), then any `--external` files.
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn provenance(&mut self, man: &Manifest, about: &[(&str, &str)]) -> Result<()> {
        let m = &man.methodology;
        self.line("Index", &[&format!("{} ({})", m.name, m.code)])?;
        if let Some(b) = &man.base_methodology {
            self.line("Base methodology", &[&format!("{} {}", b.code, b.version), file_name(&b.path)])?;
            self.line("Base SHA-256", &[&b.sha256])?;
        }
        let which = if man.base_methodology.is_some() { "Candidate methodology" } else { "Methodology" };
        self.line(which, &[&format!("{} {}", m.code, m.version), file_name(&m.path)])?;
        self.line("Methodology SHA-256", &[&m.sha256])?;
        about.iter().try_for_each(|(label, value)| self.line(label, &[value]))?;
        self.line("Written by", &[&format!("{} {} {}", man.tool.name, man.tool.version, man.command)])?;
        self.number("Units", man.units as f64)?;
        let years: Vec<String> = man.years.iter().map(i32::to_string).collect();
        self.line("Years", &[&years.join(", ")])?;
        self.number("Run-log warnings", man.warnings.len() as f64)?;
        self.heading("Overrides (--set)", &["value"])?;
        if man.overrides.is_empty() {
            self.line("none", &[])?;
        }
        for o in &man.overrides {
            self.line(&o.path, &[&o.value])?;
        }
        self.files("Input file", &man.inputs)?;
        if !man.external.is_empty() {
            self.files("External file (--external)", &man.external)?;
        }
        Ok(())
    }

    /// A heading and one line per file: its name, kind and SHA-256.
    fn files(&mut self, heading: &str, files: &[InputStamp]) -> Result<()> {
        self.heading(heading, &["kind", "SHA-256"])?;
        for i in files {
            let kind = serde_json::to_value(i.kind).ok().and_then(|v| v.as_str().map(String::from));
            self.line(file_name(&i.path), &[kind.as_deref().unwrap_or(""), &i.sha256])?;
        }
        Ok(())
    }

    /// The sheets of the workbook and what each holds.
    ///
    /// # Errors
    /// As [`Table::row`].
    pub fn sheets(&mut self, sheets: &[(&str, &str)]) -> Result<()> {
        self.heading("Sheet", &["holds"])?;
        sheets.iter().try_for_each(|(name, what)| self.line(name, &[what]))
    }

    /// Adds the sheet, first of the workbook.
    pub fn finish(mut self, book: &mut Book) -> Result<()> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64 + 1.0).map_err(err)?;
        }
        book.push(self.ws);
        Ok(())
    }
}

/// The note every *Read me* ends with.
pub const PRECISION_NOTE: &str = "Numbers are stored at full precision (the same values as the CSV \
     tables); cells show them rounded. Empty cells are missing values.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_drop_every_folder() {
        assert_eq!(file_name("indicators/a.csv"), "a.csv");
        assert_eq!(file_name("/home/me/data/b.csv"), "b.csv");
        assert_eq!(file_name(r"C:\data\c.csv"), "c.csv");
        assert_eq!(file_name("d.csv"), "d.csv");
    }

    #[test]
    fn a_sheet_name_excel_refuses_is_a_format_error() {
        let e = Table::new("a name longer than thirty-one characters", None, vec![]).err().unwrap();
        assert!(matches!(e, Error::Format(_)), "{e}");
        assert!(Table::new("In[valid]", None, vec![]).is_err());
    }

    #[test]
    fn shown_widths_follow_the_number_format() {
        assert_eq!(Show::Dec(2).width(55.123456), 5);
        assert_eq!(Show::Int.width(2024.0), 4);
        assert_eq!(Show::Pct(1).width(0.5), 5);
        assert_eq!(Show::Dec(2).width(-3.5), 5);
    }

    #[test]
    fn a_sheet_past_excels_last_row_is_refused_naming_csv() {
        let mut t = Table::new("Big", None, cols(&[("x", Show::Int)])).unwrap();
        t.row = (MAX_ROWS - 1) as u32; // as if 1,048,574 rows had been written
        t.row(&[Cell::int(1)]).unwrap(); // row 1,048,576, Excel's last
        let e = t.row(&[Cell::int(2)]).unwrap_err();
        assert!(matches!(e, Error::Usage(_)) && e.to_string().contains("--format csv"), "{e}");
        assert!(e.to_string().contains("Big sheet"), "{e}");
    }

    #[test]
    fn bands_take_their_declared_colour_else_the_reports_palette() {
        let toml = r##"schema = 1
[index]
code = "I"
name = "Test"
version = "1"
[node.I]
name = "Index"
[node.A]
parent = "I"
[indicator.a1]
parent = "A"
[[band]]
label = "low"
min = 0
max = 50
color = "#123456"
[[band]]
label = "high"
min = 50
max = 100
nodes = ["I"]
"##;
        let m = Methodology::parse_str(std::path::Path::new("t.toml"), toml, String::new(), &[]).unwrap();
        let c = band_colours(&m);
        let get = |node: &str, label: &str| c.get(&(node.to_string(), label.to_string())).map(String::as_str);
        assert_eq!(get("I", "low"), Some("#123456"));
        assert_eq!(get("A", "low"), Some("#123456"));
        // The second band (index 1) has no colour: Okabe–Ito's third, as in the report.
        assert_eq!(get("I", "high"), Some("#56B4E9"));
        assert_eq!(get("A", "high"), None, "the band applies to I only");
        assert_eq!(get("a1", "low"), None, "indicators have no band");
    }

    #[test]
    fn two_builds_of_a_workbook_are_the_same_bytes() {
        let build = || {
            let mut b = Book::new("t").unwrap();
            let mut t =
                Table::new("T", Some("notice"), cols(&[("a", Show::Text), ("x", Show::Dec(2))])).unwrap();
            t.row(&[Cell::text("u"), Cell::num(1.0 / 3.0)]).unwrap();
            t.finish(&mut b).unwrap();
            b.bytes().unwrap()
        };
        assert_eq!(build(), build());
    }
}
