//! Expert questionnaires end to end: responses → combined values with `respondents` and
//! `agreement`, each combination rule, `min_respondents`, codes, the outlier rule, confidence
//! weighting, transparency and its penalty, the consistency checks, and located errors. Every
//! expected value is worked by hand in the comments (docs/expert-questionnaires.md walks
//! through the first one).

use crate::util::{Scores, close, fixture, gti, read_csv, scores};
use std::path::{Path, PathBuf};

/// Index I over node A: q1 (0–10 numbers), q2 (yes/partially/no on 0–1), s1 (statistical).
const TOML: &str = r#"schema = 1

[index]
code = "I"
name = "Questionnaire test index"
version = "1"

[expert]
combine = "mean"
min_respondents = 2
scale = [0, 10]
codes = { "don't know" = "missing" }

[node.I]

[node.A]
parent = "I"

[indicator.q1]
parent = "A"
source = "expert"
normalise = { method = "goalposts", min = 0, max = 10 }

[indicator.q2]
parent = "A"
source = "expert"
expert = { scale = [0, 1], codes = { yes = 1, partially = 0.5, no = 0, "don't know" = "missing" } }
normalise = { method = "goalposts", min = 0, max = 1 }

[indicator.s1]
parent = "A"
normalise = { method = "goalposts", min = 0, max = 100 }
"#;

/// XAA: q1 = 1, 6, 7, 9, 10 and a "don't know"; q2 = yes, partially, no, Yes, an empty cell
/// and a "don't know". XAB: q1 = 7 and a "don't know"; q2 = yes, yes.
const RESPONSES: &str = "unit,year,respondent,item,response,confidence
XAA,2024,r1,q1,1,0.5
XAA,2024,r2,q1,6,1
XAA,2024,r3,q1,7,1
XAA,2024,r4,q1,9,0.5
XAA,2024,r5,q1,10,0
XAA,2024,r6,q1,don't know,
XAA,2024,r1,q2,yes,0.5
XAA,2024,r2,q2,partially,1
XAA,2024,r3,q2,no,1
XAA,2024,r4,q2,Yes,0.5
XAA,2024,r5,q2,,
XAA,2024,r6,q2,don't know,
XAB,2024,r7,q1,7,0.8
XAB,2024,r8,q1,don't know,
XAB,2024,r7,q2,yes,0.8
XAB,2024,r8,q2,yes,
";

const VALUES: &str = "unit,year,indicator,value\nXAA,2024,s1,50\nXAB,2024,s1,80\n";

fn run_with(toml: &str, responses: &str, values: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = fixture(&[("m.toml", toml), ("data/responses.csv", responses), ("data/values.csv", values)]);
    let out = dir.path().join("out");
    gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (dir, out)
}

fn run(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    run_with(TOML, RESPONSES, VALUES, extra)
}

fn cell(s: &Scores, unit: &str, node: &str, col: &str) -> String {
    s[&(unit.to_string(), "2024".to_string(), node.to_string())][col].clone()
}

fn num(s: &Scores, unit: &str, node: &str) -> f64 {
    cell(s, unit, node, "score").parse().unwrap()
}

fn manifest(out: &Path) -> String {
    std::fs::read_to_string(out.join("manifest.json")).unwrap()
}

#[test]
fn mean_by_default_with_respondents_and_agreement() {
    let (_d, out) = run(&[]);
    let s = scores(&out.join("scores.csv"));
    // q1, XAA: "don't know" excluded; mean(1, 6, 7, 9, 10) = 33/5 = 6.6 → goalposts 0–10 → 66.
    // Deviations −5.6, −0.6, 0.4, 2.4, 3.4; squares sum to 49.2; s = √(49.2/4) = √12.3.
    assert!(close(num(&s, "XAA", "q1"), 66.0));
    assert_eq!(cell(&s, "XAA", "q1", "respondents"), "5");
    assert!(close(cell(&s, "XAA", "q1", "agreement").parse().unwrap(), 12.3f64.sqrt()));
    // q2, XAA: yes 1, partially 0.5, no 0, Yes 1 (codes ignore case); empty and "don't know"
    // excluded: mean 2.5/4 = 0.625 → 62.5. Squares of deviations 0.140625 + 0.015625 +
    // 0.390625 + 0.140625 = 0.6875; s = √(0.6875/3).
    assert!(close(num(&s, "XAA", "q2"), 62.5));
    assert_eq!(cell(&s, "XAA", "q2", "respondents"), "4");
    assert!(close(cell(&s, "XAA", "q2", "agreement").parse().unwrap(), (0.6875f64 / 3.0).sqrt()));
    // q1, XAB: one valid answer < min_respondents 2 → missing, flagged; one answer, no sd.
    assert_eq!(cell(&s, "XAB", "q1", "score"), "");
    assert_eq!(cell(&s, "XAB", "q1", "respondents"), "1");
    assert_eq!(cell(&s, "XAB", "q1", "agreement"), "");
    assert!(manifest(&out).contains("expert: 'q1' missing in 2024 for XAB: fewer than 2 answer(s) used"));
    // Statistical and node rows carry no respondents or agreement.
    assert_eq!(cell(&s, "XAA", "s1", "respondents"), "");
    assert_eq!(cell(&s, "XAA", "A", "agreement"), "");
    // A(XAA) = (66 + 62.5 + 50)/3 = 59.5; A(XAB) = (100 + 80)/2 = 90 (q2 = 1 → 100).
    assert!(close(num(&s, "XAA", "A"), 59.5));
    assert!(close(num(&s, "XAB", "A"), 90.0));
}

#[test]
fn respondents_and_agreement_come_after_the_contract_columns() {
    let (_d, out) = run(&[]);
    let text = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "unit,year,node,level,score,rank,unit_name,band,coverage,imputed,respondents,agreement"
    );
}

#[test]
fn median_and_trimmed_mean() {
    let (_d, out) = run(&["--set", "expert.combine=median"]);
    let s = scores(&out.join("scores.csv"));
    // q1 XAA: sorted 1, 6, 7, 9, 10 → 7 → 70. q2 XAA: 0, 0.5, 1, 1 → (0.5 + 1)/2 = 0.75 → 75.
    assert!(close(num(&s, "XAA", "q1"), 70.0));
    assert!(close(num(&s, "XAA", "q2"), 75.0));
    let (_d, out) = run(&["--set", "expert.combine=trimmed_mean", "--set", "expert.trim=0.2"]);
    let s = scores(&out.join("scores.csv"));
    // q1: ⌊0.2·5⌋ = 1 cut at each end → mean(6, 7, 9) = 22/3 → 73.33; all 5 answers count.
    assert!(close(num(&s, "XAA", "q1"), 220.0 / 3.0));
    assert_eq!(cell(&s, "XAA", "q1", "respondents"), "5");
    // q2: ⌊0.2·4⌋ = 0: the plain mean 0.625 → 62.5.
    assert!(close(num(&s, "XAA", "q2"), 62.5));
}

#[test]
fn min_respondents_decides_what_is_missing() {
    let (_d, out) = run(&["--set", "expert.min_respondents=1"]);
    let s = scores(&out.join("scores.csv"));
    // XAB q1: the one answer (7) is now enough → 70; no standard deviation of one answer.
    assert!(close(num(&s, "XAB", "q1"), 70.0));
    assert_eq!(cell(&s, "XAB", "q1", "agreement"), "");
    let (_d, out) = run(&["--set", "expert.min_respondents=5"]);
    let s = scores(&out.join("scores.csv"));
    // XAA q1 has 5 valid answers (kept, 66); q2 has 4 (missing).
    assert!(close(num(&s, "XAA", "q1"), 66.0));
    assert_eq!(
        (cell(&s, "XAA", "q2", "score"), cell(&s, "XAA", "q2", "respondents")),
        ("".into(), "4".into())
    );
}

#[test]
fn respondent_outlier_rule() {
    let (_d, out) = run(&["--set", "expert.outliers={ sd = 1.5, min_respondents = 5 }"]);
    let s = scores(&out.join("scores.csv"));
    // q1 XAA: mean 6.6, s = √12.3 ≈ 3.507, 1.5·s ≈ 5.261 < |1 − 6.6| = 5.6 → 1 dropped;
    // |10 − 6.6| = 3.4 stays. mean(6, 7, 9, 10) = 8 → 80; 4 respondents; deviations −2, −1,
    // 1, 2 → s = √(10/3).
    assert!(close(num(&s, "XAA", "q1"), 80.0));
    assert_eq!(cell(&s, "XAA", "q1", "respondents"), "4");
    assert!(close(cell(&s, "XAA", "q1", "agreement").parse().unwrap(), (10.0f64 / 3.0).sqrt()));
    // q2 XAA has 4 answers < 5: the rule does not apply (62.5 as before).
    assert!(close(num(&s, "XAA", "q2"), 62.5));
    assert!(manifest(&out).contains("expert: 1 answer(s) to 'q1' in 2024 dropped as outliers (XAA)"));
}

#[test]
fn confidence_weighting() {
    let (_d, out) = run(&["--set", "expert.weight_by_confidence=true"]);
    let s = scores(&out.join("scores.csv"));
    // q1 XAA: r5 has confidence 0 and is not used; (0.5·1 + 1·6 + 1·7 + 0.5·9)/(0.5 + 1 + 1 +
    // 0.5) = 18/3 = 6 → 60, 4 respondents.
    assert!(close(num(&s, "XAA", "q1"), 60.0));
    assert_eq!(cell(&s, "XAA", "q1", "respondents"), "4");
    // q2 XAA: (0.5·1 + 1·0.5 + 1·0 + 0.5·1)/3 = 1.5/3 = 0.5 → 50.
    assert!(close(num(&s, "XAA", "q2"), 50.0));
    // q2 XAB: r8's "yes" has no confidence: it weighs 1, and the log says so.
    assert!(close(num(&s, "XAB", "q2"), 100.0));
    assert!(manifest(&out).contains("expert: 1 answer(s) to 'q2' have no confidence; each weighs 1"));
}

#[test]
fn transparency_by_count_and_weight_in_csv_and_json() {
    let (_d, out) = run(&[]);
    let rows = read_csv(&out.join("transparency.csv"));
    let row = |u: &str, n: &str| rows.iter().find(|r| r["unit"] == u && r["node"] == n).unwrap().clone();
    // XAA answered both questionnaire items of A (and so of I); XAB only q2 (q1 has too few
    // answers): 1 of 2 items, and half of A's expert weight (q1 and q2 weigh 1 each).
    assert_eq!((row("XAA", "A")["answered"].as_str(), row("XAA", "A")["share_weight"].as_str()), ("2", "1"));
    let xab = row("XAB", "I");
    assert_eq!(
        [&xab["items"], &xab["answered"], &xab["share_count"], &xab["share_weight"]],
        ["2", "1", "0.5", "0.5"]
    );
    assert_eq!(xab["penalty"], "", "the penalty is off by default");
    assert_eq!(rows.len(), 4, "two units × two nodes; indicators have no row");
    let (_d, out) = run(&["--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let t = v["transparency"].as_array().unwrap();
    let xab = t.iter().find(|r| r["unit"] == "XAB" && r["node"] == "A").unwrap();
    assert_eq!((xab["share_count"].as_f64(), xab["share_weight"].as_f64()), (Some(0.5), Some(0.5)));
    let q1 =
        v["scores"].as_array().unwrap().iter().find(|r| r["unit"] == "XAA" && r["node"] == "q1").unwrap();
    assert_eq!(q1["respondents"].as_u64(), Some(5));
}

#[test]
fn transparency_penalty() {
    let (_d, out) = run(&["--set", "expert.penalty={ k = 20 }"]);
    let s = scores(&out.join("scores.csv"));
    // A is the node above q1 and q2. XAB misses q1: m = 1/(1 + 1) = 0.5, penalty 20·0.5 = 10,
    // A = 90 − 10 = 80, and I (= A) inherits 80 without a second penalty. XAA misses nothing.
    assert!(close(num(&s, "XAB", "A"), 80.0));
    assert!(close(num(&s, "XAB", "I"), 80.0));
    assert!(close(num(&s, "XAA", "A"), 59.5));
    let rows = read_csv(&out.join("transparency.csv"));
    let pen =
        |u: &str, n: &str| rows.iter().find(|r| r["unit"] == u && r["node"] == n).unwrap()["penalty"].clone();
    assert_eq!([pen("XAB", "A"), pen("XAA", "A"), pen("XAB", "I")], ["10", "0", ""]);
}

/// Computes into an output folder holding a previous result; expects exit 1, every `expect`
/// in stderr, and the folder untouched.
fn fails(responses: &str, values: &str, expect: &[&str]) {
    let dir = fixture(&[
        ("m.toml", TOML),
        ("data/responses.csv", responses),
        ("data/values.csv", values),
        ("out/scores.csv", "previous\n"),
    ]);
    let assert = gti()
        .arg("compute")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expect {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    let names: Vec<_> =
        std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["scores.csv"], "the output folder changed");
    assert_eq!(std::fs::read_to_string(dir.path().join("out/scores.csv")).unwrap(), "previous\n");
}

#[test]
fn undeclared_code_names_the_code_file_and_line() {
    // Line 9 is r2's answer to q2; "maybe" is not among q2's codes.
    let bad = RESPONSES.replace("XAA,2024,r2,q2,partially,1", "XAA,2024,r2,q2,maybe,1");
    fails(
        &bad,
        VALUES,
        &["responses.csv:9:5", "undeclared response code 'maybe' for item 'q2'", "no, partially, yes"],
    );
    // q1 declares only "don't know": "yes" there is undeclared too (codes are per item).
    let bad = RESPONSES.replace("XAA,2024,r2,q1,6,1", "XAA,2024,r2,q1,yes,1");
    fails(&bad, VALUES, &["responses.csv:3:5", "undeclared response code 'yes' for item 'q1'"]);
}

#[test]
fn out_of_scale_repeated_and_bad_confidence_are_located() {
    let bad = RESPONSES.replace("XAA,2024,r2,q1,6,1", "XAA,2024,r2,q1,11,1");
    fails(&bad, VALUES, &["responses.csv:3:5", "response 11 to item 'q1' is outside its scale [0, 10]"]);
    let bad = format!("{RESPONSES}XAA,2024,r1,q1,2,1\n");
    fails(
        &bad,
        VALUES,
        &["responses.csv:18:5", "respondent 'r1' answers item 'q1' twice", "responses.csv:2:5"],
    );
    let bad = RESPONSES.replace("XAA,2024,r2,q1,6,1", "XAA,2024,r2,q1,6,80");
    fails(&bad, VALUES, &["responses.csv:3:6", "confidence 80 is outside [0, 1]", "divide"]);
}

#[test]
fn responses_and_a_combined_value_for_one_point_name_both_places() {
    let values = format!("{VALUES}XAA,2024,q1,6.5\n");
    fails(
        RESPONSES,
        &values,
        &[
            "values.csv:4",
            "item 'q1': a combined value is given here and questionnaire responses at",
            "responses.csv:2:5",
        ],
    );
    // An empty (or NA) combined cell gives way to the responses.
    let values = format!("{VALUES}XAA,2024,q1,NA\n");
    let (_d, out) = run_with(TOML, RESPONSES, &values, &[]);
    assert!(close(num(&scores(&out.join("scores.csv")), "XAA", "q1"), 66.0));
}

/// Three 0–10 items for the consistency checks.
const CHECKS_TOML: &str = r#"schema = 1
[index]
code = "I"
name = "Checks"
version = "1"
[expert]
min_respondents = 2
scale = [0, 10]
codes = { "don't know" = "missing" }
[node.I]
[indicator.q1]
parent = "I"
source = "expert"
[indicator.q2]
parent = "I"
source = "expert"
[indicator.q3]
parent = "I"
source = "expert"
"#;

/// XAA: r1 answers 6 to everything; r4 answers far below the others. XAB: nobody answers q3.
/// XAC: a single respondent.
const CHECKS: &str = "unit,year,respondent,item,response
XAA,2024,r1,q1,6
XAA,2024,r1,q2,6
XAA,2024,r1,q3,6
XAA,2024,r2,q1,8
XAA,2024,r2,q2,9
XAA,2024,r2,q3,8
XAA,2024,r3,q1,9
XAA,2024,r3,q2,8
XAA,2024,r3,q3,9
XAA,2024,r5,q1,8
XAA,2024,r5,q2,8
XAA,2024,r5,q3,9
XAA,2024,r6,q1,9
XAA,2024,r6,q2,9
XAA,2024,r6,q3,8
XAA,2024,r4,q1,1
XAA,2024,r4,q2,0
XAA,2024,r4,q3,2
XAB,2024,r7,q1,4
XAB,2024,r7,q2,5
XAB,2024,r7,q3,don't know
XAB,2024,r8,q1,6
XAB,2024,r8,q2,don't know
XAB,2024,r8,q3,don't know
XAC,2024,r9,q1,3
XAC,2024,r9,q2,4
XAC,2024,r9,q3,5
";

#[test]
fn validate_reports_consistency_findings() {
    let dir = fixture(&[("m.toml", CHECKS_TOML), ("r.csv", CHECKS)]);
    let out = gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("r.csv"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // r4's distance from the median of the five others, as a share of the 10-point scale:
    // q1 |1 − med(6, 8, 9, 8, 9) = 8| = 7, q2 |0 − 8| = 8, q3 |2 − 8| = 6 → 7/10 = 70% > 30%.
    // The others: r1 |6 − 8| on each item → 20%; r2 0, 1, 0 → 3.3%; r3 1, 0, 1 → 6.7%;
    // r5 0, 0, 1 → 3.3%; r6 1, 1, 0 → 6.7%.
    for finding in [
        "expert check: respondent 'r1' (XAA, 2024) gave the same answer to all 3 items",
        "expert check: respondent 'r4' (XAA, 2024) is far from the others: on average 70.0% of the scale away",
        "expert: nobody answered 'q3' in 2024 in XAB",
        "expert: 'q2' missing in 2024 for XAB, XAC: fewer than 2 answer(s) used",
        "expert check: XAC has 1 respondent(s) in 2024, fewer than the 2 required",
    ] {
        assert!(stdout.contains(finding), "expected {finding:?} in:\n{stdout}");
    }
    assert_eq!(stdout.matches("far from the others").count(), 1, "{stdout}");
    assert_eq!(stdout.matches("same answer").count(), 1, "{stdout}");
}

fn invalid(toml: &str, expect: &[&str]) {
    let dir = fixture(&[("m.toml", toml), ("r.csv", RESPONSES), ("v.csv", VALUES)]);
    let out = gti()
        .arg("validate")
        .arg("-m")
        .arg(dir.path().join("m.toml"))
        .arg("-d")
        .arg(dir.path().join("r.csv"))
        .arg("-d")
        .arg(dir.path().join("v.csv"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    for e in expect {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
}

#[test]
fn expert_methodology_errors_name_the_line() {
    // Line 27 holds q2's expert table.
    let typo = TOML.replace("expert = { scale = [0, 1],", "expert = { scael = [0, 1],");
    invalid(&typo, &["m.toml:27:", "unknown key `scael`", "(did you mean `scale`?)"]);
    invalid(
        &TOML.replace("combine = \"mean\"", "combine = \"trimmed_mean\""),
        &["m.toml:9:", "needs `trim`"],
    );
    let outside = TOML.replace("yes = 1, partially", "yes = 2, partially");
    invalid(&outside, &["m.toml:27:", "code \"yes\" = 2 is outside the item's scale [0, 1]"]);
    let on_stat = TOML.replace("[indicator.s1]\n", "[indicator.s1]\nexpert = { min_respondents = 3 }\n");
    invalid(&on_stat, &["indicator.s1.expert is used only with source = \"expert\""]);
    let penalty =
        TOML.replace("expert = { scale = [0, 1],", "expert = { penalty = { k = 1 }, scale = [0, 1],");
    invalid(&penalty, &["indicator.q2.expert.penalty: the penalty applies to nodes"]);
}

#[test]
fn embedded_example_has_questionnaire_answers() {
    let dir = tempfile::tempdir().unwrap();
    gti().args(["compute", "-o"]).arg(dir.path()).assert().success();
    let rows = read_csv(&dir.path().join("scores.csv"));
    let expert: Vec<_> = rows.iter().filter(|r| r["node"] == "P1_npm" && !r["score"].is_empty()).collect();
    assert!(!expert.is_empty());
    for r in expert {
        // Panels of 2 (XAV in 2024) to 15 (XAL's largest, 13 in this draw): the generator's
        // PAIR and CONSISTENT panels (indicators/README.md); usual panels are 3 to 8.
        let n: u32 = r["respondents"].parse().unwrap();
        assert!((2..=15).contains(&n), "{r:?}");
    }
    assert!(rows.iter().filter(|r| r["node"] == "P1_ratification").all(|r| r["respondents"].is_empty()));
    let t = read_csv(&dir.path().join("transparency.csv"));
    // 26 units × 3 years × 8 nodes (the index and seven pillars), each with expert items.
    assert_eq!(t.len(), 26 * 3 * 8);
}

/// An expert indicator nobody was asked about (no response to its item in any file) is an
/// error at its declaration, as a statistical one with no data; an undeclared item names the
/// declared one it nearly is.
#[test]
fn an_item_with_no_response_at_all_is_an_error_naming_the_near_miss() {
    use predicates::prelude::PredicateBooleanExt;
    let responses = RESPONSES.replace(",q2,", ",Q2,");
    let dir = fixture(&[("m.toml", TOML), ("r.csv", &responses), ("s.csv", VALUES)]);
    gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "m.toml", "-d", "r.csv", "-d", "s.csv"])
        .assert()
        .code(1)
        .stderr(
            predicates::str::contains("m.toml:24:1: indicator 'q2' has no data: the 2 input file(s) hold no questionnaire answer for it")
                .and(predicates::str::contains("the data have 'Q2' (r.csv:8), which the methodology does not declare: did you mean `q2`?")),
        );
}

/// The inputs against the methodology come first in the run log, though an undeclared code
/// of a statistical file is found after the consistency checks have run: a misspelt code is
/// not buried.
#[test]
fn an_undeclared_code_is_listed_before_the_consistency_findings() {
    let stats = "unit,year,indicator,value\nXAA,2024,Q3,5\n";
    let dir = fixture(&[("m.toml", CHECKS_TOML), ("r.csv", CHECKS), ("s.csv", stats)]);
    let out = gti()
        .current_dir(dir.path())
        .args(["validate", "-m", "m.toml", "-d", "r.csv", "-d", "s.csv"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[1],
        "warning: ingest: 1 row(s) for 'Q3' (s.csv:2:3), which the methodology does not use: did you mean 'q3'?",
        "{stdout}"
    );
    assert!(lines[2..].iter().any(|l| l.starts_with("warning: expert check: ")), "{stdout}");
}
