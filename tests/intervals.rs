//! Issue 19: intervals published with the scores (`gti compute --uncertainty SPEC` or
//! `--sensitivity DIR`), on the fictional GTI example. The expected numbers are those of
//! `gti sensitivity`'s own files from the same seed (rank_stats.csv, band_probs.csv), which
//! tests/sensitivity.rs checks against independent computations.

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti, read_csv};
use std::collections::BTreeMap;
use std::path::Path;

const SPEC: &str = "[[input]]\npath = \"weights\"\nnoise = 0.3\nlevels = [2, 3]\n";

fn run(args: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    gti().args(args).arg("-q").arg("-o").arg(out).assert()
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// band_probs.csv keyed by (unit, year, node, band).
fn band_probs(path: &Path) -> BTreeMap<[String; 4], String> {
    read_csv(path)
        .into_iter()
        .map(|r| {
            let k = ["unit", "year", "node", "band"].map(|c| r[c].clone());
            (k, r["probability"].clone())
        })
        .collect()
}

/// `--uncertainty` against `gti sensitivity` with the same seed: each interval is the
/// analysis's q05/q95 (as text, so bit for bit), the band probability its nominal band's
/// share; `--sensitivity DIR` on that analysis's folder writes the same file byte for byte;
/// scores.csv keeps its columns and bytes; the manifest records the spec, runs and seed.
#[test]
fn uncertainty_csv_equals_rank_stats_of_the_same_seed() {
    let dir = fixture(&[("ua.toml", SPEC)]);
    let [ua, out, from_dir, plain] = ["ua", "out", "from-dir", "plain"].map(|n| dir.path().join(n));
    let spec = dir.path().join("ua.toml");
    let spec = spec.to_str().unwrap();
    run(&["sensitivity", "--spec", spec, "--runs", "200", "--seed", "7"], &ua).success();
    run(&["compute", "--uncertainty", spec, "--runs", "200", "--seed", "7", "--threads", "1"], &out)
        .success();

    let rows = read_csv(&out.join("uncertainty.csv"));
    let stats = read_csv(&ua.join("rank_stats.csv"));
    let probs = band_probs(&ua.join("band_probs.csv"));
    assert_eq!(rows.len(), stats.len());
    let (mut banded, mut uncertain) = (0, 0);
    for (r, s) in rows.iter().zip(&stats) {
        for (a, b) in [("unit", "unit"), ("year", "year"), ("node", "node")] {
            assert_eq!(r[a], s[b]);
        }
        for (a, b) in [
            ("score_low", "q05_score"),
            ("score_high", "q95_score"),
            ("rank_low", "q05_rank"),
            ("rank_high", "q95_rank"),
        ] {
            assert_eq!(r[a], s[b], "{} {} {}: {a}", r["unit"], r["year"], r["node"]);
        }
        let key = ["unit", "year", "node"].map(|c| s[c].clone());
        let want = probs.get(&[key[0].clone(), key[1].clone(), key[2].clone(), s["nominal_band"].clone()]);
        assert_eq!(Some(&r["band_probability"]).filter(|p| !p.is_empty()), want, "{key:?}");
        banded += usize::from(want.is_some());
        uncertain += usize::from(want.is_some_and(|p| p != "1"));
    }
    assert!(banded > 50 && uncertain > 5, "{banded} banded points, {uncertain} not always in their band");
    assert!(rows.iter().any(|r| r["score_low"] != r["score_high"]), "the weights moved the scores");

    run(&["compute", "--sensitivity", ua.to_str().unwrap()], &from_dir).success();
    assert!(text(&from_dir.join("uncertainty.csv")) == text(&out.join("uncertainty.csv")), "byte-identical");

    run(&["compute"], &plain).success();
    assert!(text(&plain.join("scores.csv")) == text(&out.join("scores.csv")), "scores.csv unchanged");
    let manifest: serde_json::Value = serde_json::from_str(&text(&out.join("manifest.json"))).unwrap();
    let u = &manifest["uncertainty"];
    assert_eq!(
        (u["from"].as_str(), u["runs"].as_u64(), u["seed"].as_u64()),
        (Some("run"), Some(200), Some(7))
    );
    assert_eq!(u["spec"].as_str(), Some(spec));
    assert_eq!(u["inputs"], serde_json::json!(["weights"]));
    assert_eq!(manifest["seed"].as_u64(), Some(7));
    let plain_manifest = text(&plain.join("manifest.json"));
    assert!(!plain_manifest.contains("uncertainty"), "{plain_manifest}");
    // A rerun without the flags removes the file the earlier run wrote.
    run(&["compute"], &out).success();
    assert!(!out.join("uncertainty.csv").exists());
}

/// Intervals of another methodology, `--set`, data, or of a sensitivity (SA) run are not
/// joined: exit 2, naming what differs, and nothing written.
#[test]
fn intervals_of_another_run_are_refused() {
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d/v.csv", SMALL_DATA), ("ua.toml", SPEC)]);
    let sens = |extra: &[&str], out: &str| {
        let args =
            ["sensitivity", "-m", "m.toml", "-d", "d", "--spec", "ua.toml", "--runs", "20", "-q", "-o", out];
        gti().current_dir(dir.path()).args(args).args(extra).assert().success();
    };
    sens(&[], "ua");
    sens(&["--set", "node.A.weight=2"], "ua-set");
    sens(&["--mode", "sa"], "sa");
    let compute = |from: &str, data: &str| {
        let args = ["compute", "-m", "m.toml", "-d", data, "--sensitivity", from, "-o", "out"];
        let out = gti().current_dir(dir.path()).args(args).assert().code(2).get_output().stderr.clone();
        String::from_utf8_lossy(&out).into_owned()
    };
    let e = compute("ua-set", "d");
    assert!(e.contains("another --set"), "{e}");
    let e = compute("sa", "d");
    assert!(e.contains("--mode ua"), "{e}");
    std::fs::create_dir(dir.path().join("d2")).unwrap();
    std::fs::write(dir.path().join("d2/v.csv"), SMALL_DATA.replace("XAC,2024,b1,6", "XAC,2024,b1,7"))
        .unwrap();
    let e = compute("ua", "d2");
    assert!(e.contains("another data"), "{e}");
    std::fs::write(dir.path().join("m.toml"), SMALL_TOML.replace("Small test index", "Small index")).unwrap();
    let e = compute("ua", "d");
    assert!(e.contains("another methodology"), "{e}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn interval_flags_are_checked_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let e = gti()
        .args(["compute", "--runs", "5", "-o"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&e).contains("--uncertainty"));
    let both = ["compute", "--uncertainty", "a.toml", "--sensitivity", "ua/", "-o"];
    gti().args(both).arg(dir.path()).assert().code(2);
    let e = gti()
        .args(["compute", "--sensitivity", "ua/", "-o", "-"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&e).contains("give -o DIR"));
}

/// The public path: XAV's 2024 items rest on two answers each, XAM's on three; under the
/// example's disclosure rules (intervals from five answers) their intervals are withheld in
/// every public file, whatever the spec varies; XAL's (13 respondents) are published. A spec
/// that varies how answers are combined is refused.
#[test]
fn public_intervals_are_withheld_where_few_answered() {
    let dir = fixture(&[
        ("boot.toml", "[[input]]\npath = \"respondents\"\n"),
        ("rule.toml", "[[input]]\npath = \"expert.min_respondents\"\nvalues = [2, 3]\n"),
    ]);
    let spec = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let (csv, json) = (dir.path().join("csv"), dir.path().join("json"));
    let args = ["compute", "--public", "--uncertainty", &spec("boot.toml"), "--runs", "30", "--seed", "2"];
    run(&args, &csv).success();
    run(&[&args[..], &["--format", "json"]].concat(), &json).success();

    let rows = read_csv(&csv.join("uncertainty.csv"));
    let cells = ["score_low", "score_high", "rank_low", "rank_high", "band_probability"];
    let at = |unit: &'static str, year: &'static str| {
        rows.iter().filter(move |r| r["unit"] == unit && r["year"] == year)
    };
    // The index and P1 rest on expert items in every unit-year.
    let expert = |r: &&BTreeMap<String, String>| r["node"] == "GTI" || r["node"] == "P1";
    let few: Vec<_> = at("XAV", "2024").chain(at("XAM", "2024")).filter(expert).collect();
    assert_eq!(few.len(), 4);
    for r in few {
        assert!(cells.iter().all(|c| r[*c].is_empty()), "{r:?}");
    }
    assert!(at("XAL", "2024").all(|r| !r["score_low"].is_empty()), "XAL's intervals are published");
    let withheld = rows.iter().filter(|r| r["score_low"].is_empty()).count();

    let doc: serde_json::Value = serde_json::from_str(&text(&json.join("results.json"))).unwrap();
    let json_rows = doc["uncertainty"].as_array().unwrap();
    assert_eq!(json_rows.len(), rows.len());
    let xav = |r: &&serde_json::Value| r["unit"] == "XAV" && r["year"] == 2024 && r["node"] == "GTI";
    assert_eq!(json_rows.iter().filter(xav).count(), 1);
    for r in json_rows.iter().filter(xav) {
        assert!(cells.iter().all(|c| r[*c].is_null()), "{r}");
    }
    let manifest: serde_json::Value = serde_json::from_str(&text(&csv.join("manifest.json"))).unwrap();
    assert_eq!(manifest["uncertainty"]["withheld"].as_u64(), Some(withheld as u64));
    assert_eq!(manifest["uncertainty"]["spec"].as_str(), Some("boot.toml"), "a file name in public");
    let note = format!("the uncertainty intervals of {withheld} point(s) are withheld");
    assert!(manifest["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains(&note)));

    // The public report draws no whisker for them either.
    let rep = dir.path().join("rep");
    run(&[&["report"][..], &args[1..]].concat(), &rep).success();
    let table = crate::report::md_table(&text(&rep.join("report.md")), "GTI in 2024, by rank");
    let row = |unit: &str| table.iter().find(|r| r["unit"].starts_with(&format!("[{unit}]"))).unwrap();
    assert_eq!((row("XAV")["rank 5 %"].as_str(), row("XAV")["rank 95 %"].as_str()), ("–", "–"));
    assert_ne!(row("XAL")["rank 5 %"], "–");
    let svg = text(&rep.join("charts/ranking.svg"));
    assert!(svg.contains("(XAL): rank") && !svg.contains("(XAV): rank"), "no whisker for XAV");

    let refused = ["compute", "--public", "--uncertainty", &spec("rule.toml"), "--runs", "5"];
    let e = run(&refused, &dir.path().join("no")).code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&e).contains("expert.min_respondents"));
}

/// A public output from a spec that varies how answers are combined is refused as soon as the
/// spec is read: with a million runs, an analysis run first would take many minutes. Nothing
/// is written, and the error is the one the intervals' check gives.
#[test]
fn a_public_spec_combining_answers_is_refused_before_the_analysis() {
    let dir = fixture(&[(
        "combine.toml",
        "[[input]]\npath = \"expert.combine\"\nvalues = [\"mean\", \"median\"]\n",
    )]);
    let spec = dir.path().join("combine.toml").to_string_lossy().into_owned();
    for command in ["compute", "report"] {
        let out = dir.path().join(command);
        let args = [command, "--public", "--uncertainty", &spec, "--runs", "1000000", "--seed", "1"];
        let e = run(&args, &out).code(2).get_output().stderr.clone();
        let e = String::from_utf8_lossy(&e);
        assert!(
            e.contains(
                "the uncertainty analysis varies 'expert.combine', which changes how answers are combined: its \
                 intervals cannot go into a public output"
            ),
            "{command}: {e}"
        );
        assert!(!out.exists(), "{command}: wrote {}", out.display());
    }
}

/// `gti report --uncertainty`: the ranking's whiskers, its "runs in band" column and its
/// uncertain-band marks are uncertainty.csv's numbers from `gti compute` with the same seed.
#[test]
fn report_whiskers_are_the_numbers_of_uncertainty_csv() {
    let dir = fixture(&[("ua.toml", SPEC)]);
    let spec = dir.path().join("ua.toml");
    let ua = ["--uncertainty", spec.to_str().unwrap(), "--runs", "100", "--seed", "4"];
    let (out, rep) = (dir.path().join("out"), dir.path().join("rep"));
    run(&[&["compute"][..], &ua].concat(), &out).success();
    run(&[&["report"][..], &ua].concat(), &rep).success();
    let rows = read_csv(&out.join("uncertainty.csv"));
    let latest = rows.iter().map(|r| r["year"].clone()).max().unwrap();
    let want: BTreeMap<&str, &BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| r["node"] == "GTI" && r["year"] == latest)
        .map(|r| (r["unit"].as_str(), r))
        .collect();
    let md = text(&rep.join("report.md"));
    let table = crate::report::md_table(&md, &format!("GTI in {latest}, by rank"));
    assert_eq!(table.len(), want.len());
    let mut marked = 0;
    for t in &table {
        let unit = t["unit"].trim_start_matches('[').split(']').next().unwrap();
        let w = want[unit];
        let num = |s: &str| s.parse::<f64>().unwrap();
        assert_eq!(num(&t["rank 5 %"]), num(&w["rank_low"]), "{unit}");
        assert_eq!(num(&t["rank 95 %"]), num(&w["rank_high"]), "{unit}");
        let p = num(&w["band_probability"]);
        let uncertain = p < 0.9;
        assert_eq!(
            t["runs in band"],
            format!("{:.0} %{}", 100.0 * p, if uncertain { " (uncertain band)" } else { "" })
        );
        marked += usize::from(uncertain);
    }
    assert!(marked > 0, "some band is uncertain under this spec");
    let svg = text(&rep.join("charts/ranking.svg"));
    assert_eq!(svg.matches("uncertain band, ").count(), marked, "one diamond per uncertain band");
    let manifest: serde_json::Value = serde_json::from_str(&text(&rep.join("manifest.json"))).unwrap();
    assert_eq!(manifest["uncertainty"]["seed"].as_u64(), Some(4));
}
