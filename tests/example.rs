//! The embedded example: `gti compute` with no -m/-d, from the repository root.

use crate::util::{close, gti, read_csv, repo, scores};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn embedded_example_computes_with_no_arguments() {
    let dir = tempfile::tempdir().unwrap();
    gti().args(["compute", "-o"]).arg(dir.path()).assert().success();
    let s = scores(&dir.path().join("scores.csv"));
    let units: std::collections::BTreeSet<&String> = s.keys().map(|k| &k.0).collect();
    assert_eq!(units.len(), 26);
    assert!(units.iter().all(|u| u.starts_with('X')), "fictional ISO user-assigned codes only");
    let years: std::collections::BTreeSet<&String> = s.keys().map(|k| &k.1).collect();
    assert_eq!(years.len(), 3);
    let trends = read_csv(&dir.path().join("trends.csv"));
    for status in ["improved", "stable", "deteriorated"] {
        assert!(trends.iter().any(|r| r["node"] == "GTI" && r["status"] == status), "no {status} trend");
    }
    gti().arg("validate").assert().success();
}

/// The valid answers (neither empty nor "don't know") per unit, year and item, counted from
/// `indicators/expert_responses.csv` itself, and the respondents per unit and year.
type Answers = (BTreeMap<(String, String, String), usize>, BTreeMap<(String, String), BTreeSet<String>>);

fn raw_answers() -> Answers {
    let (mut valid, mut panels) = (BTreeMap::new(), BTreeMap::<_, BTreeSet<String>>::new());
    for r in read_csv(&repo().join("indicators/expert_responses.csv")) {
        let n = valid.entry((r["unit"].clone(), r["year"].clone(), r["item"].clone())).or_insert(0);
        if !r["response"].is_empty() && r["response"] != "don't know" {
            *n += 1;
        }
        panels.entry((r["unit"].clone(), r["year"].clone())).or_default().insert(r["respondent"].clone());
    }
    (valid, panels)
}

/// The panels built into the example for respondent-safety and respondent-uncertainty work
/// (indicators/README.md, "Respondent panels"), and `respondents` in scores.csv equal to the
/// valid answers counted here from the raw file, for every one of the 26 × 3 × 18 points.
#[test]
fn respondent_counts_match_the_raw_answers_and_the_deliberate_panels() {
    let (valid, panels) = raw_answers();
    assert_eq!(valid.len(), 26 * 3 * 18);
    let dir = tempfile::tempdir().unwrap();
    gti().args(["compute", "-q", "-o"]).arg(dir.path()).assert().success();
    let s = scores(&dir.path().join("scores.csv"));
    for (key, n) in &valid {
        assert_eq!(s[key]["respondents"], n.to_string(), "{key:?}");
    }
    let pair: Vec<_> = valid.iter().filter(|(k, _)| k.0 == "XAV" && k.1 == "2024").collect();
    assert_eq!(pair.len(), 18);
    assert!(pair.iter().all(|&(_, &n)| n == 2), "XAV 2024: every item from exactly two answers");
    assert_eq!(panels[&("XAV".to_string(), "2024".to_string())].len(), 2);
    for y in ["2022", "2023", "2024"] {
        assert!(panels[&("XAL".to_string(), y.to_string())].len() >= 13, "XAL {y}: a large panel");
        assert_eq!(panels[&("XAM".to_string(), y.to_string())].len(), 3, "XAM {y}: three respondents");
    }
}

/// Cronbach's alpha of the seven pillars of `year` over the units that have all seven
/// (n − 1 variances), computed here from scores.csv: k/(k − 1) · (1 − Σ var(cᵢ) / var(Σ cᵢ)).
fn pillar_alpha(s: &crate::util::Scores, year: &str) -> f64 {
    let pillars = ["P1", "P2", "P3", "P4", "P5", "P6", "P7"];
    let units: BTreeSet<&String> = s.keys().map(|k| &k.0).collect();
    let rows: Vec<Vec<f64>> = units
        .iter()
        .filter_map(|u| {
            pillars
                .iter()
                .map(|p| s[&((*u).clone(), year.to_string(), p.to_string())]["score"].parse().ok())
                .collect()
        })
        .collect();
    let var = |xs: &[f64]| {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
    };
    let items: f64 = (0..7).map(|j| var(&rows.iter().map(|r| r[j]).collect::<Vec<_>>())).sum();
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    7.0 / 6.0 * (1.0 - items / var(&totals))
}

/// The audit of the embedded example finds what the generator built in, and only that: no
/// redundant pillars (loadings 0.6–0.92 on the general level, pillar factors of their own),
/// the one pair of items that share their deviation, and the one indicator with an outlier
/// (XAR's killings, three times what its level implies). See indicators/README.md, "The
/// example's audit"; alpha is recomputed here from scores.csv.
#[test]
fn the_example_audit_flags_what_the_generator_built_in() {
    let dir = tempfile::tempdir().unwrap();
    gti().args(["compute", "-q", "-o"]).arg(dir.path().join("c")).assert().success();
    gti().args(["audit", "-q", "-o"]).arg(dir.path().join("a")).assert().success();
    let nodes = read_csv(&dir.path().join("a/nodes.csv"));
    let s = scores(&dir.path().join("c/scores.csv"));
    for n in &nodes {
        let want =
            if n["node"] == "P4" { "redundant(P4_investigations,P4_judicial_independence)" } else { "" };
        assert_eq!(n["flags"], want, "{} {}", n["year"], n["node"]);
        if n["node"] == "GTI" {
            let alpha: f64 = n["alpha"].parse().unwrap();
            assert!(close(alpha, pillar_alpha(&s, &n["year"])), "{}: {alpha}", n["year"]);
            assert!((0.75..0.95).contains(&alpha), "{}: alpha {alpha}", n["year"]);
        }
    }
    assert_eq!(nodes.len(), 3 * 8);
    let flagged: Vec<_> = read_csv(&dir.path().join("a/indicators.csv"))
        .into_iter()
        .filter(|r| !r["flags"].is_empty())
        .map(|r| (r["indicator"].clone(), r["flags"].clone()))
        .collect();
    assert_eq!(flagged, vec![("P2_police_killings".to_string(), "outliers".to_string()); 3]);
    for y in ["2022", "2023", "2024"] {
        let r: Vec<f64> = read_csv(&dir.path().join("a/correlations.csv"))
            .iter()
            .filter(|r| r["year"] == y && r["node"] == "GTI" && r["relation"] == "children")
            .map(|r| r["pearson"].parse().unwrap())
            .collect();
        assert_eq!(r.len(), 21);
        let (lo, hi) = r.iter().fold((1.0f64, -1.0f64), |a, &x| (a.0.min(x), a.1.max(x)));
        assert!(lo > 0.1 && hi < 0.9 && hi - lo > 0.4, "{y}: pillar correlations {lo}..{hi}");
    }
}
