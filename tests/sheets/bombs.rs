//! Spreadsheet bombs: small crafted files that would make a reader allocate gigabytes. Each
//! is refused with a message naming the file (and the limit), and `gti` runs under a 1 GiB
//! address-space limit (`ulimit -v`) while it refuses them, so that an allocation of the
//! declared size would fail the test rather than pass unnoticed. The limits are in
//! docs/input.md.

use super::book::{C, Sheet, declare_size, ods_with, part, with_part, xlsx};
use crate::util::{SMALL_DATA, SMALL_TOML, fixture};
use std::io::Write;

/// `gti validate` on the workbook, under a 1 GiB address-space limit: exit code and stderr.
fn validate_limited(book: &[u8], name: &str) -> (i32, String) {
    limited(book, name, &[], &["validate", "-m", "m.toml", "-d", name])
}

/// `gti` with `args` in a folder holding the workbook as `name`, `m.toml` and `files`, under a
/// 1 GiB address-space limit (`ulimit -v`): exit code and stderr.
fn limited(book: &[u8], name: &str, files: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let dir = fixture(&[&[("m.toml", SMALL_TOML)], files].concat());
    std::fs::write(dir.path().join(name), book).unwrap();
    let out = std::process::Command::new("sh")
        .current_dir(dir.path())
        // `timeout`: a reader that loops forever fails the test (exit 124) instead of hanging it.
        .args(["-c", "ulimit -v 1048576 && exec timeout 120 \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_gti"))
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{err}");
    (out.status.code().unwrap_or(-1), err)
}

fn refused(book: &[u8], name: &str, expect: &[&str]) {
    let (code, err) = validate_limited(book, name);
    assert_eq!(code, 1, "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
}

fn small() -> Vec<u8> {
    xlsx(&[Sheet::from_csv("Data", SMALL_DATA)])
}

#[test]
fn the_limit_leaves_room_for_an_ordinary_workbook() {
    let (code, err) = validate_limited(&small(), "d.xlsx");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_huge_declared_dimension_is_streamed_not_allocated() {
    // Excel's last cell, XFD1048576, beside the table: the sheet declares A1:XFD1048576.
    let mut s = Sheet::from_csv("Data", SMALL_DATA);
    s.rows.resize(1_048_576, vec![]);
    s.rows[1_048_575] = vec![C::Empty; 16_383];
    s.rows[1_048_575].push(C::Num(1.0));
    let book = xlsx(&[s]);
    assert!(part(&book, "xl/worksheets/sheet1.xml").contains(r#"<dimension ref="A1:XFD1048576"/>"#));
    refused(&book, "d.xlsx", &["d.xlsx[Data]!XFD1048576: a value outside the table"]);
    // A cell beyond Excel's last column, written by hand.
    let sheet = part(&book, "xl/worksheets/sheet1.xml").replace(r#"r="XFD1048576""#, r#"r="XFE1048576""#);
    let book = with_part(&book, "xl/worksheets/sheet1.xml", sheet.as_bytes());
    refused(
        &book,
        "d.xlsx",
        &["d.xlsx[Data]: cannot read the sheet: a cell lies beyond Excel's last row or column"],
    );
}

#[test]
fn a_shared_strings_table_declaring_billions_of_strings() {
    let book = small();
    let sst = part(&book, "xl/sharedStrings.xml");
    let at = sst.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
    let end = at + sst[at..].find('"').unwrap();
    let bomb = format!("{}4000000000{}", &sst[..at], &sst[end..]);
    let book = with_part(&book, "xl/sharedStrings.xml", bomb.as_bytes());
    refused(
        &book,
        "d.xlsx",
        &["d.xlsx: the workbook is refused: its part xl/sharedStrings.xml declares 4000000000 strings"],
    );
}

#[test]
fn a_zip_part_declaring_more_than_the_limit_and_one_that_lies_about_its_size() {
    let book = declare_size(&small(), "xl/worksheets/sheet1.xml", 600 << 20);
    refused(
        &book,
        "d.xlsx",
        &[
            "d.xlsx: the workbook is refused: its part xl/worksheets/sheet1.xml inflates to 629145600 bytes",
            "512 MiB",
        ],
    );
    // Declared smaller than it inflates to: `zip` stops at the declared size.
    let book = declare_size(&small(), "xl/worksheets/sheet1.xml", 100);
    refused(&book, "d.xlsx", &["d.xlsx", "larger than its declared uncompressed size"]);
}

#[test]
fn an_ods_cell_repeated_across_a_million_rows() {
    let row = r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    let content = super::book::ods_content(&[Sheet::new("Data", vec![])])
        .replace("</table:table>", &format!("{row}</table:table>"));
    refused(
        &ods_with(&content),
        "d.ods",
        &["d.ods: the workbook is refused: its sheets span more than 10000000 cells"],
    );
    // Repeated rows of one cell each, 10,000 wide through an empty repeated run.
    let wide = r#"<table:table-row table:number-rows-repeated="2000"><table:table-cell table:number-columns-repeated="9999"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let content = super::book::ods_content(&[Sheet::new("Data", vec![])])
        .replace("</table:table>", &format!("{wide}</table:table>"));
    refused(&ods_with(&content), "d.ods", &["more than 10000000 cells"]);
}

/// Found by the `sheet` fuzz target: calamine reads an `.ods` table until its end tag, past
/// the end of the file, so each of these hung `gti validate` before `content.xml` had to be
/// well-formed.
#[test]
fn an_ods_content_that_ends_inside_a_table_or_loses_its_end_tag() {
    let content = super::book::ods_content(&[Sheet::new("Data", vec![])]);
    let cut = &content[..content.find("</table:table>").expect("a table")];
    refused(&ods_with(cut), "d.ods", &["d.ods: the workbook is refused: its part content.xml ends with"]);
    // The table's end tag inside a string cell, which calamine's cell reader swallows.
    let swallowed = content.replace(
        "</table:table>",
        r#"<table:table-row><table:table-cell office:value-type="string"></table:table></table:table-cell></table:table-row>"#,
    );
    refused(&ods_with(&swallowed), "d.ods", &["its part content.xml is not well-formed XML"]);
    // A comment (annotation) left open in a string cell at the end of the file.
    let row = r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation>"#;
    let open = format!("{}{row}", cut);
    refused(&ods_with(&open), "d.ods", &["its part content.xml ends with"]);
}

/// A BIFF8 record.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// A NUMBER record (MS-XLS 2.4.180): row, column, format index, the value.
fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&15u16.to_le_bytes());
    d.extend_from_slice(&v.to_le_bytes());
    record(0x0203, &d)
}

/// An `.xls` file: a compound file whose Workbook stream has one sheet holding `cells`
/// (MS-XLS: BOF, BOUNDSHEET with the sheet's offset, EOF; then the sheet's BOF … EOF).
fn xls(cells: &[Vec<u8>]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        record(0x0809, &d)
    };
    let sheet_name = b"\x04\x00Data";
    let globals_len = bof(0x0005).len() + 4 + 6 + sheet_name.len() + 4;
    let mut bound = (globals_len as u32).to_le_bytes().to_vec();
    bound.extend_from_slice(&[0, 0]);
    bound.extend_from_slice(sheet_name);
    let mut stream = bof(0x0005);
    stream.extend(record(0x0085, &bound));
    stream.extend(record(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    stream.extend(bof(0x0010));
    cells.iter().for_each(|c| stream.extend_from_slice(c));
    stream.extend(record(0x000A, &[]));
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook").unwrap().write_all(&stream).unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// An `.xls` file whose `BoundSheet8` record is shorter than its 4-byte stream position.
fn xls_short_boundsheet() -> Vec<u8> {
    let mut stream = record(0x0809, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    stream.extend(record(0x0085, &[]));
    stream.extend(record(0x000A, &[]));
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook").unwrap().write_all(&stream).unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// Found by the `sheet` fuzz target: a `BoundSheet8` record shorter than its 4-byte stream
/// position makes calamine 0.38 index out of bounds (a panic). gti reports it as the reader's
/// failure on the file, exit 1, and does not crash.
#[test]
fn an_xls_sheet_record_too_short_is_the_readers_failure_not_a_crash() {
    let (code, err) = validate_limited(&xls_short_boundsheet(), "d.xls");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("d.xls") && err.contains("the reader failed"), "{err}");
}

#[test]
fn an_xls_sheet_with_two_cells_far_apart_or_a_huge_dimensions_record() {
    refused(
        &xls(&[number(0, 0, 1.0), number(65_535, 255, 2.0)]),
        "d.xls",
        &["d.xls: the workbook is refused: a sheet spans 16777216 cells"],
    );
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend_from_slice(&u32::MAX.to_le_bytes());
    dims.extend_from_slice(&[0, 0, 0, 1, 0, 0]);
    refused(
        &xls(&[record(0x0200, &dims), number(0, 0, 1.0)]),
        "d.xls",
        &["d.xls: the workbook is refused: a sheet spans"],
    );
    // The hand-made file is one calamine reads: its cell is found (no `unit` header).
    refused(
        &xls(&[number(0, 0, 1.0)]),
        "d.xls",
        &["d.xls[Data]: no `unit` column in its first row (row 1: 1)"],
    );
}

#[test]
fn deeply_nested_xml_in_a_sheet() {
    let book = small();
    let sheet = part(&book, "xl/worksheets/sheet1.xml");
    let depth = 1_000_000;
    let nest = format!(r#"<row r="20"><c r="A20">{}{}</c></row>"#, "<x>".repeat(depth), "</x>".repeat(depth));
    let bomb = sheet.replace("</sheetData>", &format!("{nest}</sheetData>"));
    let book = with_part(&book, "xl/worksheets/sheet1.xml", bomb.as_bytes());
    refused(
        &book,
        "d.xlsx",
        &[
            "d.xlsx: the workbook is refused: its part xl/worksheets/sheet1.xml nests XML deeper than 100 levels",
        ],
    );
}

/// `gti import survey` reads forms and exports through the same bounds and the same catching
/// of a reader's panic as data files: each workbook below is refused, exit 1, as the export
/// (`--submissions`, read first) and as the XLSForm (`--form`, with a good export).
mod survey {
    use super::{limited, small, xls_short_boundsheet};
    use crate::sheets::book::{Sheet, declare_size, ods_with, part, with_part};

    /// `form.xlsx` is not written: the export is read first, so the refusal comes before it.
    fn survey_refused(book: &[u8], name: &str, expect: &[&str]) {
        let kobo = std::fs::read_to_string(crate::survey::data().join("kobo-values-slash.csv")).unwrap();
        let fields = ["--unit-field", "country", "--year-field", "year", "-o", "out"];
        let as_export =
            [&["import", "survey", "--form", "form.xlsx", "--submissions", name][..], &fields].concat();
        let as_form =
            [&["import", "survey", "--form", name, "--submissions", "kobo.csv"][..], &fields].concat();
        for args in [as_export, as_form] {
            let (code, err) = limited(book, name, &[("kobo.csv", &kobo)], &args);
            assert_eq!(code, 1, "{args:?}:\n{err}");
            for e in expect {
                assert!(err.contains(e), "expected {e:?} with {args:?} in:\n{err}");
            }
        }
    }

    #[test]
    fn a_survey_workbook_with_a_zip_bomb_or_a_strings_bomb_is_refused() {
        let book = declare_size(&small(), "xl/worksheets/sheet1.xml", 600 << 20);
        survey_refused(
            &book,
            "d.xlsx",
            &[
                "d.xlsx: the workbook is refused: its part xl/worksheets/sheet1.xml inflates to 629145600 bytes",
            ],
        );
        let sst = part(&small(), "xl/sharedStrings.xml");
        let at = sst.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + sst[at..].find('"').unwrap();
        let bomb = format!("{}4000000000{}", &sst[..at], &sst[end..]);
        survey_refused(
            &with_part(&small(), "xl/sharedStrings.xml", bomb.as_bytes()),
            "d.xlsx",
            &["d.xlsx: the workbook is refused: its part xl/sharedStrings.xml declares 4000000000 strings"],
        );
    }

    /// The `.ods` that hung calamine 0.38's table reader (#17): refused, not read forever.
    #[test]
    fn a_survey_ods_whose_content_ends_inside_a_table_is_refused() {
        let content = crate::sheets::book::ods_content(&[Sheet::new("survey", vec![])]);
        let cut = &content[..content.find("</table:table>").expect("a table")];
        survey_refused(
            &ods_with(cut),
            "d.ods",
            &["d.ods: the workbook is refused: its part content.xml ends with"],
        );
    }

    #[test]
    fn a_survey_xls_that_makes_the_reader_panic_is_a_located_error_not_a_crash() {
        survey_refused(&xls_short_boundsheet(), "d.xls", &["d.xls: ", "the reader failed"]);
    }
}
