//! The embedded example written as `.xlsx` (by gti's own writer, `output::xlsx`, and by
//! rust_xlsxwriter directly) and as `.ods` reads back to the scores of its CSV files, byte for
//! byte; so do the small fixtures LibreOffice wrote as `.xls`, `.xlsx` and `.ods`
//! (tests/data/sheets/README.md).

use super::book::{C, Sheet, ods, t, xlsx};
use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti, repo, vendored};
use gti::output::xlsx::{Book, Cell, Col, Show, Table};
use sha2::{Digest, Sha256};
use std::path::Path;

const OUTPUTS: [&str; 5] =
    ["scores.csv", "trends.csv", "transparency.csv", "regions.csv", "region_trends.csv"];

fn compute(m: &Path, data: &Path, out: &Path, extra: &[&str]) {
    gti()
        .arg("compute")
        .arg("-m")
        .arg(m)
        .arg("-d")
        .arg(data)
        .arg("-o")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// The example's three CSV files as sheets, after a notes sheet that is not data.
fn example_sheets() -> Vec<Sheet> {
    let mut sheets =
        vec![Sheet::new("Read me", vec![vec![t("Fictional units (XAA–XAZ)")], vec![t("See README")]])];
    for name in ["statistical", "units", "expert_responses"] {
        let text = std::fs::read_to_string(repo().join("indicators").join(format!("{name}.csv"))).unwrap();
        sheets.push(Sheet::from_csv(name, &text));
    }
    sheets
}

/// The sheets written by gti's own workbook writer (`--format xlsx`'s): each sheet's first row
/// is its header, and every other cell a number or text, as gti writes its tables.
fn gti_xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut book = Book::new("example").unwrap();
    for s in sheets {
        let name = |c: &C| match c {
            C::Text(h) => &*h.clone().leak(),
            other => panic!("a header cell is text, not {other:?}"),
        };
        let cols = s.rows[0].iter().map(|c| Col { name: name(c), show: Show::General }).collect();
        let mut table = Table::new(&s.name, None, cols).unwrap();
        for row in &s.rows[1..] {
            let mut cells: Vec<Cell> = row
                .iter()
                .map(|c| match c {
                    C::Num(v) => Cell::num(*v),
                    C::Text(v) => Cell::text(v),
                    C::Empty => Cell::text(""),
                    other => panic!("the example's cells are numbers or text, not {other:?}"),
                })
                .collect();
            cells.resize(s.rows[0].len(), Cell::text(""));
            table.row(&cells).unwrap();
        }
        table.finish(&mut book).unwrap();
    }
    book.bytes().unwrap()
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn the_example_as_xlsx_by_gtis_writer_and_as_ods_gives_the_scores_of_its_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let m = repo().join("methodology/gti.toml");
    let csv_out = dir.path().join("csv");
    compute(&m, &repo().join("indicators"), &csv_out, &[]);
    let sheets = example_sheets();
    let books = [
        ("example.xlsx", gti_xlsx(&sheets)),
        ("rust_xlsxwriter.xlsx", xlsx(&sheets)),
        ("example.ods", ods(&sheets)),
    ];
    for (name, bytes) in books {
        let book = dir.path().join(name);
        std::fs::write(&book, &bytes).unwrap();
        let out = dir.path().join(format!("{name}-out"));
        compute(&m, &book, &out, &[]);
        for file in OUTPUTS {
            let (a, b) = (std::fs::read(csv_out.join(file)).unwrap(), std::fs::read(out.join(file)).unwrap());
            assert!(a == b, "{name}: {file} differs from the CSV run's");
        }
        // Each data sheet is an input, with the workbook's own digest.
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let inputs = manifest(&out)["inputs"].as_array().unwrap().clone();
        let sheets: Vec<&str> = inputs.iter().map(|i| i["sheet"].as_str().unwrap()).collect();
        assert_eq!(sheets, ["statistical", "units", "expert_responses"], "{name}");
        assert!(inputs.iter().all(|i| i["sha256"] == digest.as_str()), "{name}: {inputs:?}");
        let log = manifest(&out)["warnings"].to_string();
        assert!(
            log.contains(&format!("sheet {}[Read me] is not read: no `unit` column", book.display())),
            "{log}"
        );
    }
}

#[test]
fn a_folder_reads_its_workbooks_with_its_csv_files_and_skips_lock_files() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("data/units.csv", "unit,name\nXAA,Aa\nXAB,Ab\nXAC,Ac\n")]);
    let data = dir.path().join("data");
    std::fs::write(data.join("values.xlsx"), xlsx(&[Sheet::from_csv("values", SMALL_DATA)])).unwrap();
    // Excel's lock file beside an open workbook: not a workbook, and not read.
    std::fs::write(data.join("~$values.xlsx"), b"\x0bowner").unwrap();
    let out = dir.path().join("out");
    compute(&dir.path().join("m.toml"), &data, &out, &[]);
    let kinds: Vec<String> =
        manifest(&out)["inputs"].as_array().unwrap().iter().map(|i| i["kind"].to_string()).collect();
    assert_eq!(kinds, ["\"units\"", "\"long\""]);
}

/// The small data of `util::SMALL_DATA`, as LibreOffice saved it in each format.
#[test]
fn libreoffice_workbooks_give_the_scores_of_the_csv_file() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("small.csv", SMALL_DATA)]);
    let m = dir.path().join("m.toml");
    compute(&m, &dir.path().join("small.csv"), &dir.path().join("csv"), &[]);
    let expected = std::fs::read(dir.path().join("csv/scores.csv")).unwrap();
    for name in ["small.xls", "small.xlsx", "small.ods"] {
        let out = dir.path().join(name.replace('.', "-"));
        compute(&m, &vendored("sheets").join(name), &out, &[]);
        assert!(std::fs::read(out.join("scores.csv")).unwrap() == expected, "{name}");
    }
}

#[test]
fn a_table_below_a_title_and_right_of_column_a_is_located_by_its_own_cells() {
    // The header in row 3 from column B; a bad value in the table's 4th column, row 7.
    let mut rows: Vec<Vec<super::book::C>> = Sheet::from_csv("x", SMALL_DATA).rows;
    rows[4][3] = t("three");
    let book = xlsx(&[Sheet::new("Data", rows).at(2, 1)]);
    let dir = fixture(&[("m.toml", SMALL_TOML)]);
    std::fs::write(dir.path().join("d.xlsx"), book).unwrap();
    let out =
        gti().current_dir(dir.path()).args(["validate", "-m", "m.toml", "-d", "d.xlsx"]).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("d.xlsx[Data]!E7: 'three' is not a number"), "{err}");
}
