//! `gti import columns` on small hand-made tables: UNDP-style `{indicator}_{year}` columns and a
//! World-Bank-style year-as-column layout, with CRLF, a BOM and empty cells.

use crate::util::{fixture, gti, read_csv};

#[test]
fn year_suffixed_columns_become_long_rows() {
    let table = "\u{feff}iso3,country,le_2020,le_2021,gnipc_2021,hdi_rank_2021\r\nXAA,Aldoria,70.5,,1200,3\r\nXAB,\"Brevania, Rep.\",68,69.25,950,4\r\n";
    let dir = fixture(&[("wide.csv", table)]);
    gti()
        .current_dir(dir.path())
        .args([
            "import",
            "columns",
            "--input",
            "wide.csv",
            "--unit",
            "iso3",
            "--pattern",
            "{indicator}_{year}",
        ])
        .args(["--indicators", "gnipc=income,le", "-o", "long.csv"])
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("long.csv"));
    let got: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {} {} {}", r["indicator"], r["year"], r["unit"], r["value"]))
        .collect();
    // Indicators in --indicators order (renamed), then year, then the file's row order.
    assert_eq!(
        got,
        [
            "income 2021 XAA 1200",
            "income 2021 XAB 950",
            "le 2020 XAA 70.5",
            "le 2020 XAB 68",
            "le 2021 XAA ",
            "le 2021 XAB 69.25"
        ]
    );
}

#[test]
fn year_as_column_with_an_indicator_column() {
    let table = "Country Code,Indicator Code,1999,2000\nXAA,POP,10,11\nXAA,GDP,5,\n";
    let dir = fixture(&[("wb.csv", table)]);
    let out = gti()
        .current_dir(dir.path())
        .args(["import", "columns", "--input", "wb.csv", "--unit", "Country Code", "--pattern", "{year}"])
        .args(["--indicator-column", "Indicator Code", "-o", "-"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        text,
        "unit,year,indicator,value\nXAA,1999,GDP,5\nXAA,2000,GDP,\nXAA,1999,POP,10\nXAA,2000,POP,11\n"
    );
}

#[test]
fn bad_cells_and_bad_patterns() {
    let dir = fixture(&[("w.csv", "iso3,le_2020\nXAA,seventy\n")]);
    let run = |pattern: &str| {
        gti()
            .current_dir(dir.path())
            .args([
                "import",
                "columns",
                "--input",
                "w.csv",
                "--unit",
                "iso3",
                "--pattern",
                pattern,
                "-o",
                "o.csv",
            ])
            .assert()
    };
    run("{indicator}_{year}")
        .code(1)
        .stderr(predicates::str::contains("w.csv:2:2: le_2020: 'seventy' is not a number"));
    run("{indicator}{year}").code(2).stderr(predicates::str::contains("separated by literal text"));
    run("{year}").code(2).stderr(predicates::str::contains("--indicator-column"));
    assert!(!dir.path().join("o.csv").exists());
}
