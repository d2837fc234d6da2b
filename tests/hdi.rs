//! UNDP's Human Development Index, reproduced from UNDP's own published tables
//! (tests/data/undp-hdr: the HDI and component columns, cut from UNDP's files as they are):
//! `gti import columns` turns the wide HDR file into components and a published table,
//! `gti verify` recomputes with methodology/hdi.toml and compares after rounding half-up to
//! 3 decimals. Every country-year with a published HDI must match.

use crate::util::{gti, read_csv, vendored};
use std::path::Path;

fn import(hdr: &Path, dir: &Path, latin1: bool) {
    for (list, out) in [("le,eys,mys,gnipc", "indicators.csv"), ("hdi=HDI", "published.csv")] {
        let mut cmd = gti();
        cmd.args([
            "import",
            "columns",
            "--unit",
            "iso3",
            "--pattern",
            "{indicator}_{year}",
            "--indicators",
            list,
        ])
        .arg("--input")
        .arg(hdr)
        .arg("-o")
        .arg(dir.join(out));
        if latin1 {
            cmd.args(["--encoding", "latin1"]);
        }
        cmd.assert().success();
    }
}

/// Counts the non-empty `hdi_YYYY` cells straight from UNDP's file (independently of gti).
fn published_count(hdr: &Path) -> usize {
    let bytes: Vec<u8> = std::fs::read(hdr).unwrap();
    let text: String = bytes.iter().map(|&b| b as char).collect(); // Latin-1 is a superset of ASCII
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let cols: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.strip_prefix("hdi_").is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|(i, _)| i)
        .collect();
    r.records()
        .map(|rec| rec.unwrap())
        .map(|rec| cols.iter().filter(|&&c| !rec[c].trim().is_empty()).count())
        .sum()
}

fn verify(dir: &Path, published: &str) -> assert_cmd::assert::Assert {
    gti()
        .args(["verify", "-m", "methodology/hdi.toml", "--round", "3"])
        .arg("-d")
        .arg(dir.join("indicators.csv"))
        .arg("--published")
        .arg(dir.join(published))
        .arg("-o")
        .arg(dir.join("comparison.csv"))
        .assert()
}

fn reproduces_every_published_hdi(file: &str, latin1: bool, at_least: usize) {
    let hdr = vendored("undp-hdr").join(file);
    let dir = tempfile::tempdir().unwrap();
    import(&hdr, dir.path(), latin1);
    verify(dir.path(), "published.csv").success();
    let rows = read_csv(&dir.path().join("comparison.csv"));
    assert_eq!(rows.len(), published_count(&hdr), "every published HDI is compared");
    let bad: Vec<_> = rows.iter().filter(|r| r["status"] != "match").take(5).collect();
    assert!(bad.is_empty(), "mismatches: {bad:?}");
    assert!(rows.len() >= at_least, "{} values", rows.len());
}

#[test]
fn hdr_2023_24_reproduces_exactly() {
    // 6,171 country-years (195 countries and 11 aggregates, 1990-2022).
    reproduces_every_published_hdi("HDR23-24_hdi_components.csv", true, 6171);
}

#[test]
fn hdr_2021_22_reproduces_exactly() {
    // 5,923 country-years (1990-2021).
    reproduces_every_published_hdi("HDR21-22_hdi_components.csv", false, 5923);
}

#[test]
fn a_perturbed_published_value_fails_and_is_named() {
    let hdr = vendored("undp-hdr").join("HDR23-24_hdi_components.csv");
    let dir = tempfile::tempdir().unwrap();
    import(&hdr, dir.path(), true);
    let text = std::fs::read_to_string(dir.path().join("published.csv")).unwrap();
    assert!(text.contains("\nNOR,2022,HDI,0.966\n"), "UNDP's published value for Norway 2022");
    std::fs::write(
        dir.path().join("perturbed.csv"),
        text.replace("\nNOR,2022,HDI,0.966\n", "\nNOR,2022,HDI,0.967\n"),
    )
    .unwrap();
    verify(dir.path(), "perturbed.csv")
        .code(1)
        .stdout(predicates::str::contains("1 mismatch"))
        .stdout(predicates::str::contains("NOR, 2022, HDI: 0.967, 0.966"))
        .stderr(predicates::str::contains("verification failed"));
}

#[test]
fn latin1_file_without_encoding_gets_a_located_hint() {
    let hdr = vendored("undp-hdr").join("HDR23-24_hdi_components.csv");
    let dir = tempfile::tempdir().unwrap();
    gti()
        .args(["import", "columns", "--unit", "iso3", "--pattern", "{indicator}_{year}"])
        .arg("--input")
        .arg(&hdr)
        .arg("-o")
        .arg(dir.path().join("x.csv"))
        .assert()
        .code(1)
        .stderr(
            // Line 43, byte 6: the Latin-1 'ô' of "Côte d'Ivoire".
            predicates::str::contains("HDR23-24_hdi_components.csv:43:6: the file is not valid UTF-8")
                .and(predicates::str::contains("--encoding latin1")),
        );
    assert!(!dir.path().join("x.csv").exists());
}

use predicates::prelude::PredicateBooleanExt;
