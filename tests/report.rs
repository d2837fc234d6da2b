//! `gti report`: the numbers shown equal compute's scores.csv and trends.csv, the comparison
//! and whiskers on hand-computed and hand-written inputs, escaping, the fictional notice, and
//! the embedded example's pages in a real browser (see `browser.rs`).

use crate::util::{SMALL_DATA, SMALL_TOML, fixture, gti, read_csv};
use std::collections::BTreeMap;

mod browser;

/// The rows of the Markdown table whose caption line is `**caption**`: cells by column name.
pub fn md_table(md: &str, caption: &str) -> Vec<BTreeMap<String, String>> {
    let start = md.find(&format!("**{caption}**\n")).unwrap_or_else(|| panic!("no table {caption:?}"));
    let mut lines = md[start..].lines().skip(2).take_while(|l| l.starts_with('|'));
    let split = |l: &str| -> Vec<String> {
        let l = l.trim().trim_start_matches('|').trim_end_matches('|');
        l.split(" | ").map(|c| c.trim().to_string()).collect()
    };
    let header = split(lines.next().expect("header"));
    lines.skip(1).map(|l| header.iter().cloned().zip(split(l)).collect()).collect()
}

fn two(v: &str) -> String {
    format!("{:.2}", v.parse::<f64>().unwrap())
}

fn signed(v: &str) -> String {
    format!("{:+.2}", v.parse::<f64>().unwrap())
}

/// `[XAA](units/XAA.md)` → `XAA`.
fn link_text(cell: &str) -> &str {
    cell.trim_start_matches('[').split(']').next().unwrap()
}

/// Runs compute and report on the embedded example into one temporary folder.
fn example(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    gti().args(["compute", "-q", "-o"]).arg(dir.path().join("out")).assert().success();
    gti().args(["report", "-q", "-o"]).arg(dir.path().join("rep")).args(extra).assert().success();
    dir
}

#[test]
fn ranking_heatmap_and_trends_show_the_numbers_of_scores_and_trends_csv() {
    let dir = example(&[]);
    let scores = crate::util::scores(&dir.path().join("out/scores.csv"));
    let trends = read_csv(&dir.path().join("out/trends.csv"));
    let md = std::fs::read_to_string(dir.path().join("rep/report.md")).unwrap();
    let ranking = md_table(&md, "GTI in 2024, by rank");
    assert_eq!(ranking.len(), 26);
    for r in &ranking {
        let s = &scores[&(link_text(&r["unit"]).to_string(), "2024".to_string(), "GTI".to_string())];
        assert_eq!((&r["rank"], &r["score"], &r["band"]), (&s["rank"], &two(&s["score"]), &s["band"]));
    }
    let heat = md_table(&md, "Pillar scores in 2024");
    assert_eq!(heat.len(), 26);
    for r in &heat {
        for p in ["P1", "P2", "P3", "P4", "P5", "P6", "P7"] {
            let s = &scores[&(link_text(&r["unit"]).to_string(), "2024".to_string(), p.to_string())];
            let want = if s["score"].is_empty() { "–".to_string() } else { two(&s["score"]) };
            assert_eq!(r[p], want, "{} {p}", r["unit"]);
        }
    }
    let mut shown = 0;
    for region in ["Central Plateau", "Eastern Shore", "Northern Reach", "Southern Marches", "Western Isles"]
    {
        for r in
            md_table(&md, &format!("GTI by year: {region}")).iter().filter(|r| r["unit"] != "region mean")
        {
            let unit = link_text(&r["unit"]);
            for y in ["2022", "2023", "2024"] {
                assert_eq!(
                    r[y],
                    two(&scores[&(unit.to_string(), y.to_string(), "GTI".to_string())]["score"])
                );
            }
            let t = trends
                .iter()
                .find(|t| {
                    t["unit"] == unit
                        && t["node"] == "GTI"
                        && t["from_year"] == "2022"
                        && t["to_year"] == "2024"
                })
                .unwrap();
            assert_eq!((&r["change"], &r["status"]), (&signed(&t["delta"]), &t["status"]), "{unit}");
            shown += 1;
        }
    }
    assert_eq!(shown, 26);
    // The HTML table holds the same cells as the Markdown.
    let html = std::fs::read_to_string(dir.path().join("rep/index.html")).unwrap();
    let xai = &scores[&("XAI".to_string(), "2024".to_string(), "GTI".to_string())];
    let row = format!(
        "<a href=\"units/XAI.html\">XAI</a></td><td>Istrelia</td><td class=\"num\">{}</td>",
        two(&xai["score"])
    );
    assert!(html.contains(&row), "{row}");
}

#[test]
fn profiles_show_the_units_trend_rows_and_pillars() {
    let dir = example(&[]);
    let trends = read_csv(&dir.path().join("out/trends.csv"));
    let scores = crate::util::scores(&dir.path().join("out/scores.csv"));
    for unit in ["XAC", "XAZ"] {
        let md = std::fs::read_to_string(dir.path().join(format!("rep/units/{unit}.md"))).unwrap();
        let shown = md_table(&md, "Changes between years (trends.csv)");
        let want: Vec<_> = trends.iter().filter(|t| t["unit"] == unit).collect();
        assert_eq!(shown.len(), want.len());
        for (s, t) in shown.iter().zip(want) {
            assert_eq!(
                (&s["node"], &s["from"], &s["to"], &s["status"]),
                (&t["node"], &t["from_year"], &t["to_year"], &t["status"])
            );
            let delta = if t["delta"].is_empty() { "–".to_string() } else { signed(&t["delta"]) };
            assert_eq!(s["delta"], delta, "{unit} {} {}", t["node"], t["from_year"]);
        }
        for p in md_table(&md, "Pillars in 2024") {
            let s = &scores[&(unit.to_string(), "2024".to_string(), p["pillar"].clone())];
            let want = if s["score"].is_empty() { "–".to_string() } else { two(&s["score"]) };
            assert_eq!(p["score"], want, "{unit} {}", p["pillar"]);
        }
    }
    // XAZ has no P5 in 2024 (too few questionnaire answers; indicators/README.md).
    let xaz = std::fs::read_to_string(dir.path().join("rep/units/XAZ.md")).unwrap();
    assert!(xaz.contains("| P5 | Victims' rights | – |"), "{xaz}");
    assert!(xaz.contains("**Expert items: answers used and their standard deviation**"), "{xaz}");
}

#[test]
fn every_page_says_its_units_are_fictional_and_every_chart_file_exists() {
    let dir = example(&[]);
    let mut pages = 0;
    for sub in ["rep", "rep/units"] {
        for f in std::fs::read_dir(dir.path().join(sub)).unwrap() {
            let p = f.unwrap().path();
            if matches!(p.extension().and_then(|e| e.to_str()), Some("html" | "md")) {
                let text = std::fs::read_to_string(&p).unwrap();
                assert!(text.contains("fictional units and invented data"), "{}", p.display());
                pages += 1;
            }
        }
    }
    assert_eq!(pages, 2 * 27);
    // Every chart the Markdown shows exists beside it.
    let md = std::fs::read_to_string(dir.path().join("rep/report.md")).unwrap();
    let images: Vec<&str> = md.split("](charts/").skip(1).map(|s| s.split(')').next().unwrap()).collect();
    assert!(images.len() >= 8, "{images:?}");
    for i in images {
        let svg = std::fs::read_to_string(dir.path().join("rep/charts").join(i)).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{i}");
    }
}

const BANDS: &str = "\n[[band]]\nlabel = \"high risk\"\nmin = 0\nmax = 50\ncolor = \"#b2182b\"\n\n[[band]]\nlabel = \"low risk\"\nmin = 50\nmax = 100\n";

#[test]
fn a_what_if_shows_rank_shifts_band_crossings_and_effective_weights() {
    let dir = fixture(&[("m.toml", &format!("{SMALL_TOML}{BANDS}")), ("d.csv", SMALL_DATA)]);
    gti()
        .current_dir(dir.path())
        .args(["report", "-q", "-m", "m.toml", "-d", "d.csv", "-o", "rep"])
        .args(["--set", "indicator.a1.direction=-1", "--set", "indicator.a1.weight=3"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("rep/report.md")).unwrap();
    // By hand (tests/compare.rs): base I = 25, 54.17, 75 → XAC 1, XAB 2, XAA 3; candidate
    // I = 50, 52.08, 50 → XAB 1, XAA and XAC 2.
    let shifts = md_table(&md, "I ranks in 2024, base and candidate");
    let got: Vec<(&str, &str, &str, &str)> = shifts
        .iter()
        .map(|r| {
            (
                link_text(&r["unit"]),
                r["base rank"].as_str(),
                r["candidate rank"].as_str(),
                r["rank change"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("XAC", "1", "2", "-1"), ("XAB", "2", "1", "+1"), ("XAA", "3", "2", "+1")]);
    let crossings = md_table(&md, "Units whose I band differs");
    assert_eq!(crossings.len(), 1);
    assert_eq!((link_text(&crossings[0]["unit"]), crossings[0]["base band"].as_str()), ("XAA", "high risk"));
    assert_eq!(
        (crossings[0]["candidate band"].as_str(), crossings[0]["candidate score"].as_str()),
        ("low risk", "50.00")
    );
    // a1: 1/2 · 1/2 = 25 % before, 1/2 · 3/4 = 37.5 % after.
    let w = md_table(&md, "Effective weight of each indicator in the index");
    assert_eq!(
        (w[0]["indicator"].as_str(), w[0]["base"].as_str(), w[0]["candidate"].as_str()),
        ("a1", "25.00 %", "37.50 %")
    );
    assert_eq!(w[0]["change (pp)"], "+12.50");
    let html = std::fs::read_to_string(dir.path().join("rep/index.html")).unwrap();
    assert!(
        html.contains("<svg") && html.contains("aria-labelledby=\"slope-title slope-desc\""),
        "slope chart"
    );
    assert!(dir.path().join("rep/charts/slope.svg").is_file());
    // The weights chart: a1 at 25 % (base ring) and 37.5 % (candidate circle).
    let w = std::fs::read_to_string(dir.path().join("rep/charts/weights.svg")).unwrap();
    assert!(
        w.contains("<title>a1, base: 25.00</title>") && w.contains("<title>a1, candidate: 37.50</title>"),
        "{w}"
    );
}

#[test]
fn whiskers_come_from_a_hand_written_rank_stats_file() {
    // The columns gti sensitivity writes; one other year and one other node to be skipped.
    let stats = "unit,year,node,nominal_rank,mean_rank,median_rank,q05_rank,q95_rank,runs\n\
                 XAC,2024,I,1,1.2,1,1,2,100\nXAB,2024,I,2,2.1,2,1,3,100\nXAA,2024,I,3,2.7,3,2,3,100\n\
                 XAA,2023,I,3,3,3,3,3,100\nXAA,2024,A,1,1,1,1,1,100\n";
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA), ("ua/rank_stats.csv", stats)]);
    gti()
        .current_dir(dir.path())
        .args(["report", "-q", "-m", "m.toml", "-d", "d.csv", "--sensitivity", "ua", "-o", "rep"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("rep/report.md")).unwrap();
    let rows = md_table(&md, "I in 2024, by rank");
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| {
            [
                link_text(&r["unit"]),
                r["rank 5 %"].as_str(),
                r["median rank"].as_str(),
                r["rank 95 %"].as_str(),
            ]
        })
        .collect();
    assert_eq!(got, [["XAC", "1", "1", "2"], ["XAB", "1", "2", "3"], ["XAA", "2", "3", "3"]]);
    let svg = std::fs::read_to_string(dir.path().join("rep/charts/ranking.svg")).unwrap();
    assert!(svg.contains("<title>XAB: rank 2, 5–95 % 1–3</title>"), "{svg}");
    // The brief's spelling of the quantile columns is accepted; a file without them is an error.
    let short = "unit,node,q05,q95\nXAC,I,1,3\n";
    std::fs::write(dir.path().join("ua/rank_stats.csv"), short).unwrap();
    gti()
        .current_dir(dir.path())
        .args(["report", "-q", "-m", "m.toml", "-d", "d.csv", "--sensitivity", "ua", "-o", "rep"])
        .assert()
        .success();
    std::fs::write(dir.path().join("ua/rank_stats.csv"), "unit,node,q05\nXAC,I,1\n").unwrap();
    let out = gti()
        .current_dir(dir.path())
        .args(["report", "-m", "m.toml", "-d", "d.csv", "--sensitivity", "ua", "-o", "rep"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("rank_stats.csv:1") && err.contains("q95_rank or q95"), "{err}");
}

#[test]
fn text_from_the_data_is_escaped_and_real_codes_get_no_fictional_notice() {
    let units = "unit,name,region\nFRA,<script>alert(1)</script>,A & B\nDEU,D\"e,A & B\nITA,It,C\n";
    let data = SMALL_DATA.replace("XAA", "FRA").replace("XAB", "DEU").replace("XAC", "ITA");
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", &data), ("units.csv", units)]);
    gti()
        .current_dir(dir.path())
        .args(["report", "-q", "-m", "m.toml", "-d", "d.csv", "-d", "units.csv", "-o", "rep"])
        .assert()
        .success();
    for page in ["rep/index.html", "rep/units/FRA.html"] {
        let html = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(!html.contains("<script"), "{page}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
        assert!(!html.contains("fictional"), "{page}");
    }
    let fra = std::fs::read_to_string(dir.path().join("rep/units/FRA.html")).unwrap();
    assert!(fra.contains("; region A &amp; B."), "{fra}");
    let index = std::fs::read_to_string(dir.path().join("rep/index.html")).unwrap();
    assert!(index.contains("<td>D&quot;e</td>"), "{index}");
    let md = std::fs::read_to_string(dir.path().join("rep/report.md")).unwrap();
    assert!(!md.contains("<script") && md.contains("&lt;script&gt;"), "{md}");
}

#[test]
fn a_rerun_removes_pages_of_units_no_longer_in_the_data() {
    let two: String =
        SMALL_DATA.lines().filter(|l| !l.starts_with("XAC")).map(|l| format!("{l}\n")).collect();
    let dir = fixture(&[("m.toml", SMALL_TOML), ("d.csv", SMALL_DATA), ("two.csv", &two)]);
    let run = |data: &str| {
        gti()
            .current_dir(dir.path())
            .args(["report", "-q", "-m", "m.toml", "-d", data, "-o", "rep"])
            .assert()
            .success();
    };
    run("d.csv");
    std::fs::write(dir.path().join("rep/units/notes.txt"), "mine").unwrap();
    assert!(
        dir.path().join("rep/units/XAC.html").is_file()
            && dir.path().join("rep/charts/XAC-pillars.svg").is_file()
    );
    run("two.csv");
    assert!(!dir.path().join("rep/units/XAC.html").exists() && !dir.path().join("rep/units/XAC.md").exists());
    assert!(!dir.path().join("rep/charts/XAC-pillars.svg").exists());
    assert!(
        dir.path().join("rep/units/XAB.html").is_file() && dir.path().join("rep/units/notes.txt").is_file()
    );
    gti().current_dir(dir.path()).args(["report", "-m", "m.toml", "-d", "d.csv", "-o", "-"]).assert().code(2);
}

#[test]
fn help_has_examples() {
    let out = gti().args(["report", "--help"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Examples:\n  gti report "), "{text}");
}

/// Issue 14: trends drawn from year-by-year bounds carry a caution; the example (pooled
/// bounds) has none.
#[test]
fn trends_under_year_bounds_carry_a_caution() {
    let caution = "Caution: 8 of 28 indicators are normalised on each year's units alone";
    let example = std::fs::read_to_string("methodology/gti.toml").unwrap();
    let per_year =
        example.replace("range = [0, 100], bounds = \"panel\" }", "range = [0, 100], bounds = \"year\" }");
    assert_ne!(per_year, example);
    let dir = fixture(&[("year.toml", &per_year)]);
    let report = |m: &std::path::Path, out: &str| {
        let out = dir.path().join(out);
        gti().args(["report", "-q", "-d", "indicators", "-m"]).arg(m).arg("-o").arg(&out).assert().success();
        std::fs::read_to_string(out.join("report.md")).unwrap()
    };
    assert!(report(&dir.path().join("year.toml"), "year").contains(caution));
    assert!(!report(std::path::Path::new("methodology/gti.toml"), "pooled").contains("Caution:"));
}
