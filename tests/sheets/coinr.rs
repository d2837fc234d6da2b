//! `gti import coinr --workbook`: COINr's ASEM example as one workbook with the sheets iMeta
//! and iData converts to the files its two CSV files give; a bad cell is named by its sheet.

use super::book::{C, Sheet, xlsx};
use crate::util::{fixture, gti, vendored};
use std::path::Path;

fn asem_book() -> Vec<Sheet> {
    let read = |f: &str| std::fs::read_to_string(vendored("coinr-asem").join(f)).unwrap();
    vec![Sheet::from_csv("iMeta", &read("ASEM_iMeta.csv")), Sheet::from_csv("iData", &read("ASEM_iData.csv"))]
}

fn toml(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

#[test]
fn the_asem_workbook_converts_as_its_csv_files_do() {
    let dir = tempfile::tempdir().unwrap();
    let asem = vendored("coinr-asem");
    gti()
        .args(["import", "coinr", "--idata"])
        .arg(asem.join("ASEM_iData.csv"))
        .arg("--imeta")
        .arg(asem.join("ASEM_iMeta.csv"))
        .arg("-o")
        .arg(dir.path().join("csv"))
        .assert()
        .success();
    std::fs::write(dir.path().join("asem.xlsx"), xlsx(&asem_book())).unwrap();
    gti()
        .args(["import", "coinr", "--workbook"])
        .arg(dir.path().join("asem.xlsx"))
        .arg("-o")
        .arg(dir.path().join("book"))
        .assert()
        .success();
    for f in ["indicators.csv", "units.csv"] {
        let (a, b) = (dir.path().join("csv").join(f), dir.path().join("book").join(f));
        assert!(std::fs::read(a).unwrap() == std::fs::read(b).unwrap(), "{f} differs");
    }
    // The same methodology; its comments name the sheet's rows instead of the file's lines.
    let (a, b) = (dir.path().join("csv/methodology.toml"), dir.path().join("book/methodology.toml"));
    assert_eq!(toml(&a), toml(&b));
    assert!(std::fs::read_to_string(&b).unwrap().contains("# iMeta row 2, Level 1"));
}

#[test]
fn a_workbook_without_the_sheets_or_with_a_bad_cell_is_refused_at_the_cell() {
    let dir = fixture(&[]);
    let mut book = asem_book();
    book[1].name = "Data".into();
    std::fs::write(dir.path().join("a.xlsx"), xlsx(&book)).unwrap();
    gti()
        .current_dir(dir.path())
        .args(["import", "coinr", "--workbook", "a.xlsx", "-o", "out"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("a.xlsx: the workbook has no sheet named iData"))
        .stderr(predicates::str::contains("its sheets: iMeta, Data"));
    let mut book = asem_book();
    book[0].rows[2][1] = C::Text("LPI".into());
    std::fs::write(dir.path().join("b.xlsx"), xlsx(&book)).unwrap();
    gti()
        .current_dir(dir.path())
        .args(["import", "coinr", "--workbook", "b.xlsx", "-o", "out"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("b.xlsx[iMeta] row 3: iCode 'LPI' is used twice (first at row 2)"));
    let mut book = asem_book();
    book[1].rows[3][8] = C::Formula("=1/0", "#DIV/0!".into());
    std::fs::write(dir.path().join("c.xlsx"), xlsx(&book)).unwrap();
    gti()
        .current_dir(dir.path())
        .args(["import", "coinr", "--workbook", "c.xlsx", "-o", "out"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("c.xlsx[iData]!I4: an error value (#DIV/0!)"));
}
