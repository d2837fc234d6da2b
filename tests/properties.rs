//! Properties of the whole pipeline over generated inputs (proptest, bounded so CI stays
//! fast): invariance to row order, to affine rescaling and to weight scaling; monotonicity;
//! weight-0 indicators; rank and band rules; one year at a time equals all years at once.
//! These run the library directly (no process per case).

use crate::util::close;
use gti::ingest::read_all;
use gti::methodology::Methodology;
use gti::rows::{ScoreRow, score_rows};
use gti::stages::{self, rank::rank};
use proptest::prelude::*;
use std::path::Path;

/// Index I over A (two indicators) and B (one), with a per-method normalise line.
fn toml(normalise: &str, aggregate: &str, weights: [f64; 3], extra: &str) -> String {
    format!(
        "schema = 1\n[index]\ncode = \"I\"\nname = \"p\"\nversion = \"1\"\n[defaults]\nnormalise = {normalise}\n\
         aggregate = {{ method = \"{aggregate}\" }}\n[node.I]\n[node.A]\nparent = \"I\"\n\
         [indicator.a1]\nparent = \"A\"\nweight = {}\n[indicator.a2]\nparent = \"A\"\nweight = {}\n\
         [node.B]\nparent = \"I\"\n[indicator.b1]\nparent = \"B\"\nweight = {}\n{extra}",
        weights[0], weights[1], weights[2]
    )
}

/// Long rows `unit,year,indicator,value` for values[unit][indicator] in `year`.
fn rows(values: &[[f64; 3]], year: i32) -> Vec<String> {
    let codes = ["a1", "a2", "b1"];
    let mut out = Vec::new();
    for (u, vs) in values.iter().enumerate() {
        for (i, v) in vs.iter().enumerate() {
            out.push(format!("X{:02},{year},{},{v}", u, codes[i]));
        }
    }
    out
}

fn run(methodology: &str, data: &[String]) -> Vec<ScoreRow> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.csv");
    std::fs::write(&path, format!("unit,year,indicator,value\n{}\n", data.join("\n"))).unwrap();
    let m = Methodology::parse_str(Path::new("m.toml"), methodology, String::new(), &[]).unwrap();
    let raw = read_all(&[path]).unwrap();
    let r = stages::run(&m, &raw).unwrap();
    score_rows(&m, &r, raw.units.as_ref())
}

fn score(rows: &[ScoreRow], unit: &str, year: i32, node: &str) -> Option<f64> {
    rows.iter().find(|r| r.unit == unit && r.year == year && r.node == node).and_then(|r| r.score)
}

fn same_scores(a: &[ScoreRow], b: &[ScoreRow]) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        prop_assert_eq!((&x.unit, x.year, &x.node), (&y.unit, y.year, &y.node));
        match (x.score, y.score) {
            (Some(p), Some(q)) => prop_assert!(close(p, q), "{} {}: {} vs {}", x.unit, x.node, p, q),
            (p, q) => prop_assert_eq!(p, q),
        }
    }
    Ok(())
}

/// 3 to 7 units with three indicator values each, on a 0.01 grid in [0, 100].
fn values() -> impl Strategy<Value = Vec<[f64; 3]>> {
    let v = (0u32..=10_000).prop_map(|k| f64::from(k) / 100.0);
    prop::collection::vec([v.clone(), v.clone(), v], 3..8)
}

const MINMAX: &str = "{ method = \"minmax\", range = [0, 100] }";
const GOALPOSTS: &str = "{ method = \"goalposts\", min = 0, max = 100, range = [1, 100] }";

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn row_order_does_not_matter(vals in values(), seed in any::<u64>()) {
        let data = rows(&vals, 2024);
        let mut shuffled = data.clone();
        // A deterministic permutation from the seed (rotation and reversal).
        let k = (seed as usize) % shuffled.len();
        shuffled.rotate_left(k);
        if seed % 2 == 0 { shuffled.reverse(); }
        let m = toml(MINMAX, "arithmetic", [1.0, 1.0, 1.0], "");
        prop_assert_eq!(run(&m, &data), run(&m, &shuffled));
    }

    #[test]
    fn sibling_order_in_the_file_does_not_change_scores(vals in values()) {
        let m = toml(MINMAX, "geometric", [1.0, 2.0, 1.0], "");
        let swapped = m.replace(
            "[indicator.a1]\nparent = \"A\"\nweight = 1\n[indicator.a2]\nparent = \"A\"\nweight = 2\n",
            "[indicator.a2]\nparent = \"A\"\nweight = 2\n[indicator.a1]\nparent = \"A\"\nweight = 1\n",
        );
        prop_assert_ne!(&m, &swapped);
        let (a, b) = (run(&m, &rows(&vals, 2024)), run(&swapped, &rows(&vals, 2024)));
        for r in &a {
            let other = score(&b, &r.unit, r.year, &r.node);
            prop_assert!(matches!((r.score, other), (Some(p), Some(q)) if close(p, q)), "{} {}", r.unit, r.node);
        }
    }

    #[test]
    fn splitting_the_data_over_files_in_any_order_changes_nothing(vals in values(), at in 0usize..9, flip in any::<bool>()) {
        let data = rows(&vals, 2024);
        let (first, second) = data.split_at(at.min(data.len()));
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, part: &[String]| {
            let p = dir.path().join(name);
            std::fs::write(&p, format!("unit,year,indicator,value\n{}\n", part.join("\n"))).unwrap();
            p
        };
        let (p1, p2) = (write("one.csv", first), write("two.csv", second));
        let files = if flip { vec![p2, p1] } else { vec![p1, p2] };
        let m = toml(MINMAX, "arithmetic", [1.0, 1.0, 1.0], "");
        let meth = Methodology::parse_str(Path::new("m.toml"), &m, String::new(), &[]).unwrap();
        let raw = read_all(&files);
        // An empty part is an "empty file" error: only compare when both parts hold rows.
        if let (Ok(raw), false, false) = (raw, first.is_empty(), second.is_empty()) {
            let r = stages::run(&meth, &raw).unwrap();
            prop_assert_eq!(score_rows(&meth, &r, None), run(&m, &data));
        }
    }

    #[test]
    fn raising_a_value_never_lowers_an_ancestor(vals in values(), unit in 0usize..3, bump in 0.01f64..50.0,
                                                method in prop::sample::select(vec!["arithmetic", "geometric", "harmonic"])) {
        let m = toml(GOALPOSTS, method, [1.0, 2.0, 1.0], "");
        let before = run(&m, &rows(&vals, 2024));
        let mut up = vals.clone();
        up[unit][0] = (up[unit][0] + bump).min(100.0);
        let after = run(&m, &rows(&up, 2024));
        let u = format!("X{unit:02}");
        for node in ["a1", "A", "I"] {
            let (b, a) = (score(&before, &u, 2024, node).unwrap(), score(&after, &u, 2024, node).unwrap());
            prop_assert!(a >= b - 1e-12 * b.abs().max(1.0), "{node}: {b} → {a}");
        }
    }

    #[test]
    fn direction_minus_one_lowers_instead(vals in values(), bump in 0.01f64..50.0) {
        let m = toml(GOALPOSTS, "arithmetic", [1.0, 1.0, 1.0], "").replace("[indicator.a1]\n", "[indicator.a1]\ndirection = -1\n");
        let before = run(&m, &rows(&vals, 2024));
        let mut up = vals.clone();
        up[0][0] = (up[0][0] + bump).min(100.0);
        let after = run(&m, &rows(&up, 2024));
        for node in ["a1", "A", "I"] {
            prop_assert!(score(&after, "X00", 2024, node).unwrap() <= score(&before, "X00", 2024, node).unwrap() + 1e-12);
        }
    }

    #[test]
    fn minmax_and_zscore_ignore_increasing_affine_rescaling(vals in values(), a in 0.1f64..20.0, b in -50.0f64..50.0,
                                                            z in any::<bool>()) {
        let normalise = if z { "{ method = \"zscore\", mean = 50, sd = 10 }" } else { MINMAX };
        let m = toml(normalise, "arithmetic", [1.0, 1.0, 1.0], "");
        let scaled: Vec<[f64; 3]> = vals.iter().map(|v| [a * v[0] + b, v[1], v[2]]).collect();
        same_scores(&run(&m, &rows(&vals, 2024)), &run(&m, &rows(&scaled, 2024)))?;
    }

    #[test]
    fn scaling_sibling_weights_changes_nothing(vals in values(), c in 0.1f64..10.0) {
        let base = run(&toml(MINMAX, "geometric", [1.0, 3.0, 1.0], ""), &rows(&vals, 2024));
        let scaled = run(&toml(MINMAX, "geometric", [c, 3.0 * c, 1.0], ""), &rows(&vals, 2024));
        same_scores(&base, &scaled)?;
    }

    #[test]
    fn a_weight_zero_indicator_can_be_removed(vals in values()) {
        let with = run(&toml(MINMAX, "arithmetic", [1.0, 0.0, 1.0], ""), &rows(&vals, 2024));
        let without_toml = toml(MINMAX, "arithmetic", [1.0, 1.0, 1.0], "").replace("[indicator.a2]\nparent = \"A\"\nweight = 1\n", "");
        let data: Vec<String> = rows(&vals, 2024).into_iter().filter(|r| !r.contains(",a2,")).collect();
        let without = run(&without_toml, &data);
        let keep: Vec<ScoreRow> = with.into_iter().filter(|r| r.node != "a2").collect();
        same_scores(&keep, &without)?;
    }

    #[test]
    fn one_year_at_a_time_equals_all_years(v1 in values(), v2 in values()) {
        let n = v1.len().min(v2.len());
        let (v1, v2) = (&v1[..n], &v2[..n]);
        // Only year-by-year bounds fit each year on its own (the default pools the years).
        let per_year = "{ method = \"minmax\", range = [0, 100], bounds = \"year\" }";
        let m = toml(per_year, "arithmetic", [1.0, 1.0, 1.0], "");
        let both = run(&m, &[rows(v1, 2023), rows(v2, 2024)].concat());
        let mut apart = run(&m, &rows(v1, 2023));
        apart.extend(run(&m, &rows(v2, 2024)));
        same_scores(&both, &apart)?;
    }

    #[test]
    fn ranks_run_from_1_with_ties_sharing_the_lowest(scores in prop::collection::vec(0u8..20, 1..30)) {
        let s: Vec<f64> = scores.iter().map(|&x| f64::from(x)).collect();
        let r = rank(&s, gti::methodology::HigherIs::Better);
        for (i, ri) in r.iter().enumerate() {
            let better = s.iter().filter(|&&x| x > s[i]).count() as u32;
            prop_assert_eq!(*ri, Some(better + 1));
        }
        prop_assert!(r.contains(&Some(1)));
    }

    #[test]
    fn bands_never_decrease_as_scores_rise(a in 0.0f64..100.0, b in 0.0f64..100.0) {
        let extra = "[[band]]\nlabel = \"0\"\nmin = 0\nmax = 30\n[[band]]\nlabel = \"1\"\nmin = 30\nmax = 70\n[[band]]\nlabel = \"2\"\nmin = 70\nmax = 100\n";
        let m = Methodology::parse_str(Path::new("m.toml"), &toml(MINMAX, "arithmetic", [1.0; 3], extra), String::new(), &[]).unwrap();
        let bands = gti::stages::band::applicable(&m.bands, &m.framework.elements[0].code);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (bl, bh) = (gti::stages::band::band_of(&bands, lo).unwrap(), gti::stages::band::band_of(&bands, hi).unwrap());
        prop_assert!(bands[bl].min <= bands[bh].min);
    }
}
