//! A test per refusal of a workbook's cell or sheet, each naming the file, the sheet and the
//! cell (`d.xlsx[Data]!D4`), with the hint that would read it where one would.

use super::book::{C, Sheet, ods, t, xlsx};
use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti, read_csv};
use std::path::Path;

/// SMALL_DATA as the sheet `Data`, with `cell` (0-based row, column of the table) replaced.
fn data_with(cell: (usize, usize), c: C) -> Vec<Sheet> {
    let mut s = Sheet::from_csv("Data", SMALL_DATA);
    s.rows[cell.0][cell.1] = c;
    vec![s]
}

/// Runs `gti compute` on the workbook; returns the exit code, stderr and the output folder.
fn compute(book: &[u8], name: &str, extra: &[&str]) -> (i32, String, tempfile::TempDir) {
    let dir = fixture(&[("m.toml", SMALL_TOML)]);
    std::fs::write(dir.path().join(name), book).unwrap();
    let out = gti()
        .current_dir(dir.path())
        .args(["compute", "-m", "m.toml", "-d", name, "-o", "out", "--dataset", "Raw"])
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().unwrap(), err, dir)
}

fn refused(book: &[u8], name: &str, extra: &[&str], expect: &[&str]) -> String {
    let (code, err, _dir) = compute(book, name, extra);
    assert_eq!(code, 1, "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    err
}

/// The raw value of unit XAB's a2 (row 5 of the table).
fn raw_value(dir: &Path) -> String {
    let raw = read_csv(&dir.join("out/Raw.csv"));
    raw.iter().find(|r| r["unit"] == "XAB" && r["code"] == "a2").map(|r| r["value"].clone()).unwrap()
}

#[test]
fn a_date_where_a_number_is_read() {
    let book = xlsx(&data_with((5, 3), C::Date(2024, 1, 5)));
    refused(
        &book,
        "d.xlsx",
        &[],
        &["d.xlsx[Data]!D6: a date (2024-01-05) where a number is read", "format the column as numbers"],
    );
    let book = ods(&data_with((2, 1), C::Date(2024, 1, 1)));
    refused(&book, "d.ods", &[], &["d.ods[Data]!B3: a date (2024-01-01", "a year is a whole number"]);
}

#[test]
fn an_error_value_unless_declared_missing() {
    let book = xlsx(&data_with((5, 3), C::Formula("=NA()", "#N/A".into())));
    refused(&book, "d.xlsx", &[], &["d.xlsx[Data]!D6: the cell holds the error #N/A", "pass --na '#N/A'"]);
    let (code, err, dir) = compute(&book, "d.xlsx", &["--na", "#N/A"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(raw_value(dir.path()), "", "declared missing");
    let book = xlsx(&data_with((5, 3), C::Formula("=1/0", "#DIV/0!".into())));
    refused(&book, "d.xlsx", &["--na", "#N/A"], &["d.xlsx[Data]!D6: the cell holds the error #DIV/0!"]);
}

#[test]
fn a_formula_gives_its_cached_value() {
    let book = xlsx(&data_with((5, 3), C::Formula("=10+10", "20".into())));
    let (code, err, dir) = compute(&book, "d.xlsx", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(raw_value(dir.path()), "20");
}

#[test]
fn text_that_looks_like_a_number() {
    let book = xlsx(&data_with((5, 3), t("1,5")));
    refused(&book, "d.xlsx", &[], &["d.xlsx[Data]!D6: '1,5' is not a number", "pass --decimal-comma"]);
    let (code, err, dir) = compute(&book, "d.xlsx", &["--decimal-comma"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(raw_value(dir.path()), "1.5");
    let book = xlsx(&data_with((5, 3), t("12 %")));
    refused(&book, "d.xlsx", &[], &["d.xlsx[Data]!D6: '12 %' is not a number", "without '%'"]);
    let book = ods(&data_with((5, 3), t("..")));
    refused(&book, "d.ods", &[], &["d.ods[Data]!D6: '..' is not a number", "pass --na .."]);
}

#[test]
fn a_true_false_cell_where_a_number_is_read() {
    let book = xlsx(&data_with((5, 3), C::Bool(true)));
    refused(&book, "d.xlsx", &[], &["d.xlsx[Data]!D6: a TRUE/FALSE cell (TRUE) where a number is read"]);
}

#[test]
fn a_value_outside_the_table() {
    let mut sheets = data_with((5, 3), C::Num(20.0));
    sheets[0].rows[5].push(t("revised"));
    refused(&xlsx(&sheets), "d.xlsx", &[], &["d.xlsx[Data]!E6: a value outside the table", "columns A to D"]);
}

#[test]
fn a_column_named_twice_in_a_sheets_header() {
    let book = xlsx(&data_with((0, 2), t("unit")));
    refused(
        &book,
        "d.xlsx",
        &[],
        &["d.xlsx[Data]!C1: column 'unit' appears twice in the header (first in column A)"],
    );
}

#[test]
fn a_workbook_without_a_data_sheet() {
    let notes = Sheet::new("Notes", vec![vec![t("Source"), t("World Bank")]]);
    let hidden = Sheet::from_csv("Data", SMALL_DATA).hidden();
    let book = xlsx(&[notes, hidden]);
    refused(
        &book,
        "d.xlsx",
        &[],
        &[
            "d.xlsx: no sheet of the workbook holds data gti reads",
            "d.xlsx[Notes]: no `unit` column in its first row (row 1: Source, World Bank)",
            "d.xlsx[Data]: a hidden sheet",
        ],
    );
}

#[test]
fn a_workbook_given_a_csv_name_or_not_a_workbook() {
    let book = xlsx(&data_with((5, 3), C::Num(20.0)));
    refused(&book, "d.csv", &[], &["d.csv: this is a workbook (xlsx, xls or ods), not a CSV file"]);
    refused(b"unit,year\n", "d.xlsx", &[], &["d.xlsx: the workbook is refused: not a valid zip file"]);
    refused(b"unit,year\n", "d.xls", &[], &["d.xls: the workbook is refused: not an .xls file"]);
}

#[test]
fn an_expert_answer_is_located_in_its_sheet() {
    let toml = format!(
        "{SMALL_TOML}\n[indicator.e1]\nparent = \"B\"\nsource = \"expert\"\n[indicator.e1.expert]\nscale = [0, 10]\n"
    );
    let answers =
        "unit,year,respondent,item,response\nXAA,2024,r1,e1,5\nXAB,2024,r1,e1,maybe\nXAC,2024,r1,e1,7\n";
    let book = xlsx(&[Sheet::from_csv("Data", SMALL_DATA), Sheet::from_csv("Answers", answers)]);
    let dir = fixture(&[("m.toml", &toml)]);
    std::fs::write(dir.path().join("d.xlsx"), book).unwrap();
    let out =
        gti().current_dir(dir.path()).args(["validate", "-m", "m.toml", "-d", "d.xlsx"]).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("d.xlsx[Answers]!E3"), "{err}");
    assert!(err.contains("maybe"), "{err}");
}
