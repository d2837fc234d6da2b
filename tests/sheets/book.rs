//! Workbooks for the tests, written here: `.xlsx` by rust_xlsxwriter (a writer independent of
//! the reader, calamine), `.ods` as the OpenDocument 1.2 specification lays out a spreadsheet
//! (`mimetype`, `META-INF/manifest.xml`, `content.xml`), and zip files crafted byte by byte
//! where a bomb must lie about its sizes.

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::io::Write;
use zip::write::SimpleFileOptions;

/// A fixture cell.
#[derive(Debug, Clone)]
pub enum C {
    Num(f64),
    Text(String),
    /// A date cell (year, month, day), formatted as a date.
    Date(u16, u8, u8),
    Bool(bool),
    /// A formula's cached result: a number, or an error value such as `#N/A`.
    Formula(&'static str, String),
    Empty,
}

pub fn t(s: &str) -> C {
    C::Text(s.to_string())
}

/// A CSV cell as a spreadsheet program would hold it after typing it: a number when it reads
/// as one, text otherwise.
pub fn typed(s: &str) -> C {
    match s.parse::<f64>() {
        _ if s.is_empty() => C::Empty,
        Ok(v) if v.is_finite() => C::Num(v),
        _ => C::Text(s.to_string()),
    }
}

/// A fixture sheet: its name, whether it is hidden, and its rows from cell (row, col), 0-based.
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub origin: (u32, u16),
    pub rows: Vec<Vec<C>>,
}

impl Sheet {
    pub fn new(name: &str, rows: Vec<Vec<C>>) -> Sheet {
        Sheet { name: name.to_string(), hidden: false, origin: (0, 0), rows }
    }

    /// A sheet holding a CSV file's cells, typed.
    pub fn from_csv(name: &str, text: &str) -> Sheet {
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let rows = r.records().map(|rec| rec.unwrap().iter().map(typed).collect()).collect();
        Sheet::new(name, rows)
    }

    pub fn at(mut self, row: u32, col: u16) -> Sheet {
        self.origin = (row, col);
        self
    }

    pub fn hidden(mut self) -> Sheet {
        self.hidden = true;
        self
    }
}

/// The sheets as an `.xlsx` file.
pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name).unwrap();
        if s.hidden {
            ws.set_hidden(true);
        }
        for (i, row) in s.rows.iter().enumerate() {
            for (j, c) in row.iter().enumerate() {
                let (r, k) = (s.origin.0 + i as u32, s.origin.1 + j as u16);
                match c {
                    C::Num(v) => drop(ws.write_number(r, k, *v).unwrap()),
                    C::Text(v) => drop(ws.write_string(r, k, v).unwrap()),
                    C::Date(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        ws.write_datetime_with_format(r, k, &dt, &date).unwrap();
                    }
                    C::Bool(b) => drop(ws.write_boolean(r, k, *b).unwrap()),
                    C::Formula(f, v) => drop(ws.write_formula(r, k, Formula::new(*f).set_result(v)).unwrap()),
                    C::Empty => {}
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One `<table:table-cell>` (ODF 1.2, part 1, 19.385–19.387: `office:value-type` with
/// `office:value`, `office:date-value` or `office:boolean-value`, the text in `text:p`).
fn ods_cell(c: &C) -> String {
    let p = |s: &str| format!("<text:p>{}</text:p>", escape(s));
    match c {
        C::Num(v) => format!(
            r#"<table:table-cell office:value-type="float" office:value="{v}">{}</table:table-cell>"#,
            p(&v.to_string())
        ),
        C::Text(s) => format!(r#"<table:table-cell office:value-type="string">{}</table:table-cell>"#, p(s)),
        C::Date(y, m, d) => {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            format!(
                r#"<table:table-cell office:value-type="date" office:date-value="{iso}">{}</table:table-cell>"#,
                p(&iso)
            )
        }
        C::Bool(b) => {
            let v = if *b { "true" } else { "false" };
            format!(
                r#"<table:table-cell office:value-type="boolean" office:boolean-value="{v}">{}</table:table-cell>"#,
                p(v)
            )
        }
        C::Formula(f, v) => match v.parse::<f64>() {
            Ok(n) => format!(
                r#"<table:table-cell table:formula="of:{}" office:value-type="float" office:value="{n}">{}</table:table-cell>"#,
                escape(f),
                p(v)
            ),
            Err(_) => format!(
                r#"<table:table-cell table:formula="of:{}" office:value-type="string" office:string-value="{}">{}</table:table-cell>"#,
                escape(f),
                escape(v),
                p(v)
            ),
        },
        C::Empty => "<table:table-cell/>".to_string(),
    }
}

/// `content.xml` of an OpenDocument spreadsheet holding the sheets.
pub fn ods_content(sheets: &[Sheet]) -> String {
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        "<office:body><office:spreadsheet>"
    ));
    for s in sheets {
        x.push_str(&format!(r#"<table:table table:name="{}">"#, escape(&s.name)));
        if s.origin.0 > 0 {
            x.push_str(&format!(
                r#"<table:table-row table:number-rows-repeated="{}"><table:table-cell/></table:table-row>"#,
                s.origin.0
            ));
        }
        for row in &s.rows {
            x.push_str("<table:table-row>");
            if s.origin.1 > 0 {
                x.push_str(&format!(r#"<table:table-cell table:number-columns-repeated="{}"/>"#, s.origin.1));
            }
            row.iter().for_each(|c| x.push_str(&ods_cell(c)));
            x.push_str("</table:table-row>");
        }
        x.push_str("</table:table>");
    }
    x.push_str("</office:spreadsheet></office:body></office:document-content>");
    x
}

/// An `.ods` file with this `content.xml`.
pub fn ods_with(content: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    // The mimetype comes first, stored (ODF 1.2, part 3, 3.3).
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        "</manifest:manifest>"
    ).as_bytes())
    .unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

pub fn ods(sheets: &[Sheet]) -> Vec<u8> {
    ods_with(&ods_content(sheets))
}

/// Replaces a zip member's content (an `.xlsx` written by rust_xlsxwriter, with a part
/// rewritten by hand: a declared dimension, a shared-strings count).
pub fn with_part(zip_bytes: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut found = false;
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let fname = f.name().unwrap().to_string();
        out.start_file(&fname, opts).unwrap();
        if fname == name {
            out.write_all(content).unwrap();
            found = true;
        } else {
            std::io::copy(&mut f, &mut out).unwrap();
        }
    }
    if !found {
        out.start_file(name, opts).unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A part of a zip, inflated.
pub fn part(zip_bytes: &[u8], name: &str) -> String {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    std::io::read_to_string(src.by_name(name).unwrap()).unwrap()
}

/// Sets the uncompressed size a zip declares for its member `name` (in its local header and
/// in the central directory), leaving the data as they are: a zip that lies about its sizes.
pub fn declare_size(zip_bytes: &[u8], name: &str, size: u32) -> Vec<u8> {
    let mut b = zip_bytes.to_vec();
    let find = |b: &[u8], sig: &[u8; 4], from: usize| (from..b.len() - 4).find(|&i| &b[i..i + 4] == sig);
    let le16 = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    // Local file headers: PK\x03\x04, the uncompressed size at offset 22, the name at 30.
    let mut at = 0;
    while let Some(i) = find(&b, b"PK\x03\x04", at) {
        if b.get(i + 30..i + 30 + le16(&b, i + 26)) == Some(name.as_bytes()) {
            b[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        }
        at = i + 4;
    }
    // Central directory headers: PK\x01\x02, the uncompressed size at 24, the name at 46.
    let mut at = 0;
    while let Some(i) = find(&b, b"PK\x01\x02", at) {
        if b.get(i + 46..i + 46 + le16(&b, i + 28)) == Some(name.as_bytes()) {
            b[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        at = i + 4;
    }
    b
}
