//! `gti compare` on a hand-computed weight and direction change, and `gti methodology
//! show|diff`.

use crate::util::{SMALL_DATA, SMALL_TOML, close, fixture, gti, read_csv};

const BANDS: &str = "\n[[band]]\nlabel = \"high risk\"\nmin = 0\nmax = 50\n\n[[band]]\nlabel = \"low risk\"\nmin = 50\nmax = 100\n";

#[test]
fn weight_and_direction_change_by_hand() {
    let dir = fixture(&[("m.toml", &format!("{SMALL_TOML}{BANDS}")), ("d.csv", SMALL_DATA)]);
    gti()
        .current_dir(dir.path())
        .args(["compare", "-m", "m.toml", "-d", "d.csv", "-o", "out"])
        .args(["--set", "indicator.a1.direction=-1", "--set", "indicator.a1.weight=3"])
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("out/compare.csv"));
    let i = |u: &str| rows.iter().find(|r| r["unit"] == u && r["node"] == "I").unwrap().clone();
    // Base (see hand_computed): I = 25, 54.17, 75 → ranks XAC 1, XAB 2, XAA 3.
    // Candidate: a1 flipped → 100, 50, 0; A = (3·a1 + a2)/4 = 100, 54.17, 0;
    // I = (A + B)/2 = 50, 52.08, 50 → XAB 1, XAA and XAC tie at 2.
    assert!(close(i("XAB")["score_candidate"].parse().unwrap(), (650.0 / 12.0 + 50.0) / 2.0));
    assert_eq!(
        (
            i("XAA")["rank_base"].as_str(),
            i("XAA")["rank_candidate"].as_str(),
            i("XAA")["rank_change"].as_str()
        ),
        ("3", "2", "1")
    );
    assert_eq!(i("XAC")["rank_change"], "-1");
    assert!(close(i("XAC")["delta"].parse().unwrap(), -25.0));
    assert_eq!(
        (i("XAA")["band_base"].as_str(), i("XAA")["band_candidate"].as_str()),
        ("high risk", "low risk")
    );
    let md = std::fs::read_to_string(dir.path().join("out/compare.md")).unwrap();
    // Effective weight of a1: 1/2 · 1/2 = 25% before, 1/2 · 3/4 = 37.5% after.
    assert!(md.contains("| a1 | 25.00% | 37.50% | +12.50 pp |"), "{md}");
    assert!(md.contains("| a2 | 25.00% | 12.50% | -12.50 pp |"), "{md}");
    assert!(md.contains("| `indicator.a1.weight` | (absent) | 3 |"), "{md}");
    assert!(md.contains("| `indicator.a1.direction` | (absent) | -1 |"), "{md}");
    assert!(md.contains("| XAA | – | 2024 | high risk | low risk | 25.00 | 50.00 |"), "band crossing: {md}");
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("\"base_methodology\""), "{manifest}");
}

#[test]
fn candidate_file_and_usage_errors() {
    let cand = SMALL_TOML
        .replace("version = \"1\"", "version = \"2\"")
        .replace("[node.B]\nparent = \"I\"", "[node.B]\nparent = \"I\"\nweight = 3");
    let dir = fixture(&[("m.toml", SMALL_TOML), ("c.toml", &cand), ("d.csv", SMALL_DATA)]);
    let out = gti()
        .current_dir(dir.path())
        .args(["compare", "-m", "m.toml", "--candidate", "c.toml", "-d", "d.csv", "-o", "-"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("unit,year,node,score_base,score_candidate,delta,rank_base,rank_candidate,rank_change,band_base,band_candidate\n"));
    // B weighted 3: I(XAC) = (50 + 3·100)/4 = 87.5.
    assert!(text.contains("\nXAC,2024,I,75,87.5,12.5,1,1,0,,\n"), "{text}");
    gti().current_dir(dir.path()).args(["compare", "-m", "m.toml", "-d", "d.csv"]).assert().code(2);
    let diff =
        gti().current_dir(dir.path()).args(["methodology", "diff", "m.toml", "c.toml"]).assert().success();
    let text = String::from_utf8(diff.get_output().stdout.clone()).unwrap();
    assert_eq!(text, "index.version: \"1\" → \"2\"\nnode.B.weight: (absent) → 3\n");
}

#[test]
fn show_prints_version_changelog_and_effective_weights() {
    let out = gti().args(["methodology", "show", "-m", "methodology/gti.toml"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("GTI 2025.1-demo — Global Torture Index (illustrative)\n"), "{text}");
    assert!(text.contains("changelog:\n  2025.1-demo (2025-05-01):"), "{text}");
    // Seven equal pillars: 1/7 = 14.29% each; P1_ratification has 1 of P1's weight 4: 1/28 = 3.57%.
    assert!(text.contains("├─ P1: 1 → 14.29%; aggregate arithmetic, min coverage 0.5"), "{text}");
    // Every stage's method, in pipeline order (issue 14: only normalisation was shown).
    assert!(
        text.contains(
            "│  ├─ P1_ratification: 1 → 3.57%; transform none, impute none, treat none, \
             normalise goalposts 0..3 → [0, 100]  ("
        ),
        "{text}"
    );
    let sets = [
        "indicator.P1_ratification.transform={ method = \"log1p\" }",
        "indicator.P1_ratification.impute={ method = \"latest\", max_age = 2 }",
        "indicator.P1_ratification.treat={ method = \"winsorise\", by = \"panel\" }",
    ];
    let mut show = gti();
    show.args(["methodology", "show", "-m", "methodology/gti.toml"]);
    sets.iter().for_each(|s| _ = show.args(["--set", s]));
    let out = show.assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains(
            "P1_ratification: 1 → 3.57%; transform log1p, impute latest (at most 2 year(s) old), treat \
             winsorise (|skew| ≥ 2 and kurtosis ≥ 3.5, up to 5 points, else log) pooled years, \
             normalise goalposts 0..3 → [0, 100]  ("
        ),
        "{text}"
    );
}

const TWO_YEARS: &str = "unit,year,a1,a2,b1
XAA,2023,1,10,5
XAB,2023,2,20,5.5
XAC,2023,3,40,6
XAA,2024,1,10,5
XAB,2024,2,20,6
XAC,2024,3,40,5.5
";

#[test]
fn edition_decomposition_adds_up() {
    // The 2025 edition used B weighted 3; it published I(XAC, 2023) = 80 from older data.
    let old = SMALL_TOML.replace("[node.B]\nparent = \"I\"", "[node.B]\nparent = \"I\"\nweight = 3");
    let edition = "unit,year,node,score\nXAC,2023,I,80\nXAA,2023,I,20\n";
    let dir =
        fixture(&[("now.toml", SMALL_TOML), ("old.toml", &old), ("d.csv", TWO_YEARS), ("ed.csv", edition)]);
    gti()
        .current_dir(dir.path())
        .args([
            "compare",
            "-m",
            "now.toml",
            "-d",
            "d.csv",
            "--edition",
            "ed.csv",
            "--edition-methodology",
            "old.toml",
            "-o",
            "out",
        ])
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("out/decomposition.csv"));
    let xac = rows.iter().find(|r| r["unit"] == "XAC").unwrap();
    // Today's data, 2023: A = 50, B = 100 (see hand_computed). Old methodology: (50 + 3·100)/4
    // = 87.5; today's: (50 + 100)/2 = 75; today's 2024: (50 + 50)/2 = 50.
    // data revision 87.5 − 80 = 7.5; methodology 75 − 87.5 = −12.5; real 50 − 75 = −25;
    // total 50 − 80 = −30.
    let v = |k: &str| xac[k].parse::<f64>().unwrap();
    assert_eq!((v("edition_methodology_now"), v("backcast"), v("latest")), (87.5, 75.0, 50.0));
    assert_eq!(
        (v("data_revision"), v("methodology_change"), v("real_change"), v("total")),
        (7.5, -12.5, -25.0, -30.0)
    );
    for r in &rows {
        let f = |k: &str| r[k].parse::<f64>().unwrap();
        assert!(close(f("data_revision") + f("methodology_change") + f("real_change"), f("total")), "{r:?}");
    }
    gti()
        .current_dir(dir.path())
        .args(["compare", "-m", "now.toml", "-d", "d.csv", "--edition", "ed.csv"])
        .assert()
        .code(2);
}

/// Five units with no ties (worked by hand): a1 = 1, 2, 4, 3, 5 → 0, 25, 75, 50, 100;
/// a2 (direction −1) = 10, 30, 20, 50, 40 → 100, 50, 75, 0, 25; A = 50, 37.5, 75, 25, 62.5;
/// b1 = 9, 5, 6, 1, 4 → B = 100, 50, 62.5, 0, 37.5. Base I = (A + B)/2 = 75, 43.75, 68.75,
/// 12.5, 50; candidate (B weight 3) I = (A + 3B)/4 = 87.5, 46.875, 65.625, 6.25, 43.75.
const FIVE: &str = "unit,year,a1,a2,b1
XAA,2024,1,10,9
XAB,2024,2,30,5
XAC,2024,4,20,6
XAD,2024,3,50,1
XAE,2024,5,40,4
";

/// Spearman's ρ by the no-ties formula 1 − 6 Σd² / (n (n² − 1)), on ranks computed here:
/// an implementation independent of gti's (Pearson's r of average ranks).
fn spearman_no_ties(x: &[f64], y: &[f64]) -> f64 {
    let rank = |v: &[f64]| -> Vec<f64> {
        v.iter().map(|a| 1.0 + v.iter().filter(|b| *b < a).count() as f64).collect()
    };
    let (rx, ry) = (rank(x), rank(y));
    let n = x.len() as f64;
    let d2: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - b) * (a - b)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

#[test]
fn the_summary_has_unit_names_spearman_and_the_mean_rank_shift() {
    let units = "unit,name\nXAA,Aldoria\nXAB,Brevania | North\nXAC,Calmora\nXAD,Dunmar\nXAE,Estival\n";
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", FIVE), ("units.csv", units)]);
    gti()
        .current_dir(dir.path())
        .args(["compare", "-m", "m.toml", "-d", "d.csv", "-d", "units.csv", "-o", "out"])
        .args(["--set", "node.B.weight=3"])
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("out/compare.csv"));
    let index: Vec<_> = rows.iter().filter(|r| r["node"] == "I").collect();
    let col = |c: &str| -> Vec<f64> { index.iter().map(|r| r[c].parse().unwrap()).collect() };
    let (base, cand) = (col("score_base"), col("score_candidate"));
    // Base ranks XAA 1, XAC 2, XAE 3, XAB 4, XAD 5; candidate XAA 1, XAC 2, XAB 3, XAE 4,
    // XAD 5: d = ±1 for XAB and XAE, Σd² = 2, ρ = 1 − 12/120 = 0.9 (scipy.stats.spearmanr
    // on the same scores: 0.8999999999999998). Mean |rank shift| = 2/5 = 0.4.
    assert!(close(spearman_no_ties(&base, &cand), 0.9));
    let shift: f64 = col("rank_change").iter().map(|d| d.abs()).sum::<f64>() / index.len() as f64;
    assert!(close(shift, 0.4));
    let md = std::fs::read_to_string(dir.path().join("out/compare.md")).unwrap();
    assert!(
        md.contains(
            "**I in 2024**, over the 5 unit(s) scored under both: Spearman rank correlation 0.900; \
             mean absolute rank shift 0.40; 2 unit(s) change rank."
        ),
        "{md}"
    );
    // Names beside codes, a `|` in a name escaped so the table holds.
    assert!(md.contains("| XAB | Brevania \\| North | 43.75 | 46.88 | 4 | 3 | +1 | +3.12 |"), "{md}");
    assert!(md.contains("| XAE | Estival | 50.00 | 43.75 | 3 | 4 | -1 | -6.25 |"), "{md}");
}
