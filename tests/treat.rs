//! Outlier treatment and screening, end to end.
//!
//! The ASEM expectations are independent of gti: a python3 re-implementation of COINr
//! 1.1.14's `Treat` defaults (`check_SkewKurt`, `winsorise(winmax = 5, skew 2, kurt 3.5)`,
//! `log_CT` on the original values), transcribed from COINr's `R/treat.R` and run once on
//! `ASEM_iData.csv` (`tests/reference/coinr_treat.py`); its output is pasted below. The
//! other cases are worked by hand in the comments.

use crate::util::{close, fixture, gti, read_csv, scores, vendored};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `gti import coinr` of the ASEM data into `out`.
pub fn import_asem(out: &Path) {
    let asem = vendored("coinr-asem");
    gti()
        .args(["import", "coinr", "--idata"])
        .arg(asem.join("ASEM_iData.csv"))
        .arg("--imeta")
        .arg(asem.join("ASEM_iMeta.csv"))
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

/// `gti compute` on the imported ASEM data with `--set` overrides, exporting `Treated`.
fn compute_asem(dir: &Path, sets: &[&str]) -> PathBuf {
    import_asem(dir);
    let out = dir.join("results");
    let mut cmd = gti();
    cmd.arg("compute").arg("-m").arg(dir.join("methodology.toml")).arg("-d").arg(dir).arg("-o").arg(&out);
    sets.iter().for_each(|s| _ = cmd.args(["--set", s]));
    cmd.args(["--dataset", "Treated"]).assert().success();
    out
}

/// Treated.csv: indicator → flag → sorted units.
fn flagged(out: &Path) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut m: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for r in read_csv(&out.join("Treated.csv")).into_iter().filter(|r| !r["flag"].is_empty()) {
        m.entry(r["code"].clone()).or_default().entry(r["flag"].clone()).or_default().push(r["unit"].clone());
    }
    m.values_mut().flat_map(|f| f.values_mut()).for_each(|u| u.sort());
    m
}

fn treated_value(out: &Path, unit: &str, code: &str) -> f64 {
    let rows = read_csv(&out.join("Treated.csv"));
    let r = rows.iter().find(|r| r["unit"] == unit && r["code"] == code).expect("a Treated row");
    r["value"].parse().unwrap()
}

/// COINr's rule on ASEM 2018, from the python re-implementation (units sorted):
/// 18 indicators winsorised, 30 points, no log fallback.
const ASEM_WINSORISED: [(&str, &str, &[&str]); 18] = [
    ("Flights", "winsorised_high", &["GBR"]),
    ("Bord", "winsorised_high", &["RUS"]),
    ("Elec", "winsorised_high", &["DEU"]),
    ("Gas", "winsorised_high", &["NOR"]),
    ("Goods", "winsorised_high", &["CHN", "DEU"]),
    ("FDI", "winsorised_high", &["CHN"]),
    ("CostImpEx", "winsorised_high", &["PAK"]),
    ("Tariff", "winsorised_high", &["BGD", "KHM", "PAK"]),
    ("StMob", "winsorised_high", &["CHN", "GBR"]),
    ("Research", "winsorised_high", &["CHN", "GBR"]),
    ("Pat", "winsorised_high", &["DEU"]),
    ("CultServ", "winsorised_high", &["FRA", "GBR", "LUX"]),
    ("CultGood", "winsorised_high", &["CHN"]),
    ("Tourist", "winsorised_high", &["ESP", "FRA"]),
    ("Forest", "winsorised_high", &["KHM", "PRT"]),
    ("Poverty", "winsorised_high", &["BGD", "IND", "LAO"]),
    ("NGOs", "winsorised_high", &["BEL", "GBR"]),
    ("FemLab", "winsorised_low", &["PAK"]),
];

#[test]
fn asem_treatment_follows_coinrs_published_rule() {
    let dir = tempfile::tempdir().unwrap();
    let out = compute_asem(dir.path(), &["defaults.treat.method=winsorise"]);
    let got = flagged(&out);
    let want: BTreeMap<String, BTreeMap<String, Vec<String>>> = ASEM_WINSORISED
        .iter()
        .map(|(c, f, u)| {
            (c.to_string(), BTreeMap::from([(f.to_string(), u.iter().map(|s| s.to_string()).collect())]))
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(got.values().flat_map(|f| f.values()).map(Vec::len).sum::<usize>(), 30);
    // Winsorised points take the next value in (python: GBR 210.8244 → 174.3588; the tied
    // pair DEU 1919.194, CHN 1713.619 → 849.3303; the low side PAK 0.29700855… → 0.34557640…).
    for (unit, code, v) in [
        ("GBR", "Flights", 174.3588),
        ("DEU", "Goods", 849.3303),
        ("CHN", "Goods", 849.3303),
        ("PAK", "FemLab", 0.3455764058587483),
    ] {
        assert!(close(treated_value(&out, unit, code), v), "{unit} {code}");
    }
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("treat: 'Goods' (2018): 2 point(s) winsorised_high (CHN, DEU)"), "{manifest}");
}

#[test]
fn asem_log_fallback_with_winmax_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = compute_asem(dir.path(), &["defaults.treat.method=winsorise", "defaults.treat.winmax=1"]);
    let got = flagged(&out);
    // python, winmax = 1: these nine fail after one winsorised point and fall back to log of
    // every present value (counts = values present); the other nine pass after one point.
    let logs = [
        ("Goods", 51),
        ("Tariff", 48),
        ("StMob", 51),
        ("Research", 51),
        ("CultServ", 47),
        ("Tourist", 51),
        ("Forest", 51),
        ("Poverty", 44),
        ("NGOs", 51),
    ];
    for (code, n) in logs {
        assert_eq!(got[code].keys().collect::<Vec<_>>(), ["log"], "{code}");
        assert_eq!(got[code]["log"].len(), n, "{code}");
    }
    let single = ["Flights", "Bord", "Elec", "Gas", "FDI", "CostImpEx", "Pat", "CultGood", "FemLab"];
    for code in single {
        assert_eq!(got[code].values().map(Vec::len).sum::<usize>(), 1, "{code}");
    }
    assert_eq!(got.len(), 18);
    // log(x − min + 0.01 (max − min)) of the ORIGINAL values (python):
    for (unit, code, v) in [
        ("DEU", "Goods", 7.5658345508156994),
        ("AUT", "Goods", 5.670956519836013),
        ("DEU", "Poverty", -1.4828052615007343),
        ("BGD", "Poverty", 2.9870446451564256),
    ] {
        assert!(close(treated_value(&out, unit, code), v), "{unit} {code}");
    }
}

const SCREEN_TOML: &str = r#"schema = 1

[index]
code = "I"
name = "Screen fixture"
version = "1"

[screen]
min_availability = 0.5

[node.I]

[node.A]
parent = "I"

[indicator.a1]
parent = "A"

[indicator.a2]
parent = "A"

[node.B]
parent = "I"

[indicator.b1]
parent = "B"
"#;

// XAD has only b1 (1 of 3 indicators): below 0.5, dropped. Its b1 = 100 would be the max.
const SCREEN_DATA: &str = "unit,year,a1,a2,b1
XAA,2024,1,10,5
XAB,2024,2,20,5.5
XAC,2024,3,40,6
XAD,2024,NA,NA,100
";

#[test]
fn screening_drops_sparse_units_everywhere() {
    let dir = fixture(&[("m.toml", SCREEN_TOML), ("data/values.csv", SCREEN_DATA)]);
    let out = dir.path().join("out");
    let (m, d) = (dir.path().join("m.toml"), dir.path().join("data"));
    gti()
        .arg("compute")
        .arg("-m")
        .arg(&m)
        .arg("-d")
        .arg(&d)
        .arg("-o")
        .arg(&out)
        .args(["--dataset", "Normalised"])
        .assert()
        .success();
    let s = scores(&out.join("scores.csv"));
    assert!(s.keys().all(|k| k.0 != "XAD"), "XAD is left out of scores.csv");
    // b1 is normalised over XAA..XAC only: 5 → 0, 5.5 → 50, 6 → 100 (XAD's 100 is not the max).
    let b1 = |u: &str| s[&(u.to_string(), "2024".to_string(), "b1".to_string())]["score"].clone();
    assert_eq!([b1("XAA"), b1("XAB"), b1("XAC")], ["0", "50", "100"]);
    let norm = read_csv(&out.join("Normalised.csv"));
    assert!(
        norm.iter().filter(|r| r["unit"] == "XAD").all(|r| r["flag"] == "screened" && r["value"].is_empty())
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest
            .contains("screen: 1 unit(s) dropped in 2024 for lack of data: XAD (all indicators 33% < 50%)")
    );
    assert!(!manifest.contains("'A' missing in 2024 for XAD"), "no coverage noise for a screened unit");
    // Per node: A needs both a1 and a2; XAB misses a2.
    let toml = SCREEN_TOML.replace("min_availability = 0.5", "nodes = { A = 1.0 }");
    let data = SCREEN_DATA.replace("XAB,2024,2,20,5.5", "XAB,2024,2,NA,5.5");
    let dir = fixture(&[("m.toml", &toml), ("data/values.csv", &data)]);
    let out = dir.path().join("out");
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let units: std::collections::BTreeSet<String> =
        scores(&out.join("scores.csv")).keys().map(|k| k.0.clone()).collect();
    assert_eq!(units.into_iter().collect::<Vec<_>>(), ["XAA", "XAC"]);
}

#[test]
fn screening_and_treatment_keys_are_checked() {
    let bad = [
        ("[screen]\nmin_availability = 1.5\n", "screen.min_availability must be between 0 and 1"),
        ("[screen]\nnodes = { a1 = 0.5 }\n", "screen.nodes: 'a1' is not a node"),
        ("[defaults]\ntreat = { method = \"clip\" }\n", "needs `percentiles = [low, high]`"),
        ("[defaults]\ntreat = { method = \"clip\", percentiles = [95, 5] }\n", "0 <= low < high <= 100"),
        ("[defaults]\ntreat = { method = \"winsorise\", winmx = 3 }\n", "unknown key `winmx`"),
        ("[defaults]\ntreat = { method = \"winsorise\", winmax = 2.5 }\n", "winmax must be a whole number"),
        (
            "[defaults]\ntreat = { method = \"winsorise\", fallback = \"boxcox\" }\n",
            "fallback: unknown value",
        ),
        ("[defaults]\ntreat = { method = \"boxcox\" }\n", "unknown method 'boxcox'"),
        ("[defaults]\ntreat = { method = \"caps\" }\n", "needs `min`, `max` or both"),
    ];
    for (extra, msg) in bad {
        let toml = SCREEN_TOML.replace("[screen]\nmin_availability = 0.5\n", extra);
        let dir = fixture(&[("m.toml", &toml), ("data/values.csv", SCREEN_DATA)]);
        let o = gti()
            .arg("validate")
            .arg("-m")
            .arg(dir.path().join("m.toml"))
            .arg("-d")
            .arg(dir.path().join("data"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{extra}");
        assert!(err.contains(msg) && err.contains("m.toml:"), "{extra}: {err}");
    }
}

#[test]
fn clip_and_caps_per_indicator() {
    // a1: caps at 2.5 → XAC 3 capped; b1: clip at the 0th/50th percentiles → values above the
    // type-7 median of 5, 5.5, 6, 100 (h = 3·0.5 = 1.5: 5.5 + 0.5·(6 − 5.5) = 5.75) become 5.75.
    let toml = SCREEN_TOML
        .replace("[screen]\nmin_availability = 0.5\n", "")
        .replace(
            "[indicator.a1]\nparent = \"A\"",
            "[indicator.a1]\nparent = \"A\"\ntreat = { method = \"caps\", max = 2.5 }",
        )
        .replace(
            "[indicator.b1]\nparent = \"B\"",
            "[indicator.b1]\nparent = \"B\"\ntreat = { method = \"clip\", percentiles = [0, 50] }",
        );
    let dir = fixture(&[("m.toml", &toml), ("data/values.csv", SCREEN_DATA)]);
    let out = dir.path().join("out");
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(&out)
        .args(["--dataset", "Treated"])
        .assert()
        .success();
    let rows = read_csv(&out.join("Treated.csv"));
    let get = |u: &str, c: &str| {
        let r = rows.iter().find(|r| r["unit"] == u && r["code"] == c).unwrap();
        (r["value"].clone(), r["flag"].clone())
    };
    assert_eq!(get("XAC", "a1"), ("2.5".into(), "capped_high".into()));
    assert_eq!(get("XAB", "a1"), ("2".into(), "".into()));
    assert_eq!(get("XAC", "b1"), ("5.75".into(), "clipped_high".into()));
    assert_eq!(get("XAD", "b1"), ("5.75".into(), "clipped_high".into()));
    assert_eq!(get("XAB", "b1"), ("5.5".into(), "".into()));
    assert_eq!(get("XAA", "b1"), ("5".into(), "".into()));
    assert_eq!(get("XAA", "a2"), ("10".into(), "".into()));
}

const PANEL_TOML: &str = r#"schema = 1

[index]
code = "I"
name = "Panel fixture"
version = "1"

[defaults]
normalise = { method = "minmax", range = [0, 100], bounds = "panel" }
treat = { method = "winsorise", winmax = 1 }

[node.I]

[indicator.x]
parent = "I"
"#;

/// 14 units. 2023: twelve 0s, 1, 99 (the log-fallback case of the unit tests); 2024: 1..14.
fn panel_data() -> String {
    let mut s = String::from("unit,year,x\n");
    for (i, u) in (b'A'..=b'N').enumerate() {
        let y23 = match i {
            12 => 1,
            13 => 99,
            _ => 0,
        };
        s.push_str(&format!("XA{},2023,{y23}\nXA{},2024,{}\n", u as char, u as char, i + 1));
    }
    s
}

fn panel_run(toml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = fixture(&[("m.toml", toml), ("data/values.csv", &panel_data())]);
    let out = dir.path().join("out");
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(&out)
        .args(["--dataset", "Treated"])
        .assert()
        .success();
    (dir, out)
}

#[test]
fn per_year_log_fallback_under_pooled_bounds_is_reported_and_by_panel_avoids_it() {
    let (_d, out) = panel_run(PANEL_TOML);
    let rows = read_csv(&out.join("Treated.csv"));
    let flags = |y: &str| rows.iter().filter(|r| r["year"] == y && !r["flag"].is_empty()).count();
    // 2023 falls back to ln(x + 0.99) on all 14 points; 2024 (1..14, skew 0) passes.
    assert_eq!((flags("2023"), flags("2024")), (14, 0));
    let xan = rows.iter().find(|r| r["unit"] == "XAN" && r["year"] == "2023").unwrap();
    assert!(close(xan["value"].parse().unwrap(), 99.99f64.ln()));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("treat: 'x' fell back to log in 1 year(s) on its own while normalise pools"));
    // by = "panel": one pooled sample of 28 values (skew 4.77, kurtosis 24.1 by python);
    // winsorising the 99 to the next value, 14 (XAN 2024), passes: one point, no log.
    let (_d, out) = panel_run(&PANEL_TOML.replace("winmax = 1 }", "winmax = 1, by = \"panel\" }"));
    let rows = read_csv(&out.join("Treated.csv"));
    let flagged: Vec<_> = rows.iter().filter(|r| !r["flag"].is_empty()).collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!((flagged[0]["unit"].as_str(), flagged[0]["year"].as_str()), ("XAN", "2023"));
    assert_eq!((flagged[0]["value"].as_str(), flagged[0]["flag"].as_str()), ("14", "winsorised_high"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("fell back to log"));
    assert!(manifest.contains("treat: 'x' (all years): 1 point(s) winsorised_high (XAN/2023)"), "{manifest}");
}

#[test]
fn compare_leaves_screened_units_out_as_compute_does() {
    let dir = fixture(&[("m.toml", SCREEN_TOML), ("data/values.csv", SCREEN_DATA)]);
    let out = dir.path().join("cmp");
    gti()
        .arg("compare")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .args(["--set", "node.B.weight=2", "-o"])
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("compare.csv"));
    assert!(rows.iter().any(|r| r["unit"] == "XAA"), "the other units are compared");
    assert!(rows.iter().all(|r| r["unit"] != "XAD"), "XAD is screened out of both runs");
}
