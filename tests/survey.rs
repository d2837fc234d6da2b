//! `gti import survey` on the fixtures of `tests/data/survey/` (see its README): one fictional
//! questionnaire exported in every layout gives the same `responses.csv`, hand-written in
//! `expected/responses.csv`.

use crate::util::{gti, read_csv, repo};
use std::path::{Path, PathBuf};

pub fn data() -> PathBuf {
    repo().join("tests/data/survey")
}

/// Writes a workbook whose sheets are the given CSV texts. With `numbers`, cells that read
/// as numbers are stored as numbers (as Kobo's xlsx export does unless told otherwise).
pub fn write_xlsx(path: &Path, sheets: &[(&str, &str)], numbers: bool) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, text) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        let mut rdr =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        for (r, rec) in rdr.records().enumerate() {
            for (c, cell) in rec.unwrap().iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.parse::<f64>() {
                    _ if cell.is_empty() => {}
                    Ok(v) if numbers => {
                        ws.write_number(r, c, v).unwrap();
                    }
                    _ => {
                        ws.write_string(r, c, cell).unwrap();
                    }
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// The fixture form, as an .xlsx in `dir` (choice names 0–4 stored as numbers).
pub fn form_xlsx(dir: &Path) -> PathBuf {
    let read = |f: &str| std::fs::read_to_string(data().join("form").join(f)).unwrap();
    let (survey, choices, settings) = (read("survey.csv"), read("choices.csv"), read("settings.csv"));
    let path = dir.join("form.xlsx");
    write_xlsx(&path, &[("survey", &survey), ("choices", &choices), ("settings", &settings)], true);
    path
}

fn expected() -> String {
    std::fs::read_to_string(data().join("expected/responses.csv")).unwrap()
}

/// Runs `gti import survey` with `args` (relative to the fixture folder) into `out`.
fn import(out: &Path, args: &[&str]) -> String {
    gti().current_dir(data()).args(["import", "survey"]).args(args).arg("-o").arg(out).assert().success();
    std::fs::read_to_string(out.join("responses.csv")).unwrap()
}

const FIELDS: [&str; 6] = ["--unit-field", "country", "--year-field", "year", "--respondent-field", "expert"];

/// The SurveyMonkey fixture with its map, the unit from its question.
const MONKEY: [&str; 6] = [
    "--submissions",
    "monkey.csv",
    "--map",
    "monkey-map.csv",
    "--unit-field",
    "Which unit do you report on?",
];

#[test]
fn every_layout_gives_the_same_responses() {
    let dir = tempfile::tempdir().unwrap();
    let form = form_xlsx(dir.path());
    let form = form.to_str().unwrap();
    let details = dir.path().join("kobo-values-details.xlsx");
    let text = std::fs::read_to_string(data().join("kobo-values-details.csv")).unwrap();
    write_xlsx(&details, &[("Custody survey (fictional)", &text)], true);
    let with_form = |export: &str, extra: &[&str]| {
        let mut a = vec!["--form", form, "--submissions", export];
        a.extend(FIELDS);
        a.extend(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let layouts: Vec<(&str, Vec<String>)> = vec![
        // Kobo CSV, `;`, XML values and headers, groups joined by `/`, select_multiple both ways.
        ("kobo-values-slash", with_form("kobo-values-slash.csv", &[])),
        // Kobo CSV, French labels as headers and answers, groups joined by `.`.
        ("kobo-labels-fr-dot", with_form("kobo-labels-fr-dot.csv", &["--labels"])),
        // Kobo xlsx, no groups in headers, select_multiple as 0/1 columns only, numbers as numbers.
        ("kobo-values-details", with_form(details.to_str().unwrap(), &[])),
        // ODK Central CSV: `,`, groups joined by `-`, its own metadata columns.
        ("odk-central", with_form("odk-central.csv", &[])),
        // SurveyMonkey's two header rows, read with a map.
        (
            "monkey",
            MONKEY
                .iter()
                .chain(&[
                    "--year-field",
                    "Which year do your answers describe?",
                    "--respondent-field",
                    "Custom Data 1",
                ])
                .map(|s| s.to_string())
                .collect(),
        ),
    ];
    for (name, args) in layouts {
        let out = dir.path().join(name);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(import(&out, &args), expected(), "{name}");
    }
}

#[test]
fn the_submission_id_is_the_default_respondent() {
    let dir = tempfile::tempdir().unwrap();
    let form = form_xlsx(dir.path());
    let form = form.to_str().unwrap();
    let cases = [
        ("kobo-values-slash.csv", "0f1e5a3c-0001-4c6e-9a51-0000000000a1"),
        ("odk-central.csv", "uuid:0f1e5a3c-0001-4c6e-9a51-0000000000a1"),
    ];
    for (export, first) in cases {
        let out = dir.path().join(export);
        let args =
            ["--form", form, "--submissions", export, "--unit-field", "country", "--year-field", "year"];
        import(&out, &args);
        let rows = read_csv(&out.join("responses.csv"));
        assert_eq!(rows[0]["respondent"], first, "{export}");
        assert_eq!(rows.len(), 24);
    }
    let out = dir.path().join("monkey");
    import(&out, &[&MONKEY[..], &["--year", "2024"]].concat());
    let rows = read_csv(&out.join("responses.csv"));
    assert_eq!(rows[0]["respondent"], "114000000001");
    assert!(rows.iter().all(|r| r["year"] == "2024"), "--year gives every submission's year");
}

#[test]
fn a_choice_value_column_gives_the_response_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let form = form_xlsx(dir.path());
    let out = dir.path().join("out");
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "kobo-values-slash.csv"];
    args.extend(FIELDS);
    args.extend(["--choice-value", "gti"]);
    let got = import(&out, &args);
    // The `gti` column gives dont_know the methodology's code "don't know", space and
    // apostrophe kept; choices with an empty cell there keep their names.
    assert_eq!(got, expected().replace(",dont_know\n", ",don't know\n"));
    assert!(got.contains("XAA,2024,E02,crim,don't know\n"));
}

#[test]
fn the_codebook_describes_every_item() {
    let dir = tempfile::tempdir().unwrap();
    let form = form_xlsx(dir.path());
    let out = dir.path().join("out");
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "kobo-values-slash.csv"];
    args.extend(FIELDS);
    import(&out, &args);
    let book = read_csv(&out.join("codebook.csv"));
    let items: Vec<&str> = book.iter().map(|r| r["item"].as_str()).collect();
    assert_eq!(
        items,
        ["crim", "npm_score", "safeguards_lawyer", "safeguards_doctor", "safeguards_family", "force"]
    );
    let crim = &book[0];
    assert_eq!(crim["label"], "Is torture a crime under the penal code?");
    assert_eq!(crim["group"], "Political commitment");
    assert_eq!(crim["type"], "select_one ypn");
    assert_eq!(crim["choices"], "yes = Yes | partially = Partially | no = No | dont_know = Don't know");
    assert_eq!(book[1]["scale"], "0-4", "numeric choices 0–4");
    assert_eq!(book[2]["label"], "Which safeguards apply in custody?: Access to a lawyer");
    assert_eq!(book[2]["choices"], "1 = chosen | 0 = not chosen");
    assert_eq!(book[5]["scale"], "0-4", "the range's start and end");
    let md = std::fs::read_to_string(out.join("codebook.md")).unwrap();
    for needle in
        ["| `crim` |", "- `dont_know`", "- `yes`", "comment (text)", "4 submissions, 6 items, 24 rows"]
    {
        assert!(md.contains(needle), "{needle} in\n{md}");
    }
    assert!(!md.contains("0f1e5a3c"), "no respondent id in the codebook");
}

#[test]
fn the_delimiter_and_group_separator_can_be_given() {
    let dir = tempfile::tempdir().unwrap();
    let form = form_xlsx(dir.path());
    let out = dir.path().join("out");
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "kobo-values-slash.csv"];
    args.extend(FIELDS);
    args.extend(["--delimiter", ";", "--group-separator", "/"]);
    assert_eq!(import(&out, &args), expected());
    // The wrong delimiter reads one column per line: its header is no question of the form.
    let bad = gti()
        .current_dir(data())
        .args([
            "import",
            "survey",
            "--form",
            form.to_str().unwrap(),
            "--submissions",
            "kobo-values-slash.csv",
        ])
        .args(FIELDS)
        .args(["--delimiter", ",", "-o"])
        .arg(dir.path().join("bad"))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&bad.get_output().stderr).to_string();
    assert!(err.contains("kobo-values-slash.csv:"), "{err}");
}

#[test]
fn an_or_other_select_gives_other_and_its_text_column_is_not_read() {
    // `select_one ypn or_other`: Kobo (pyxform) adds the choice `other` and a text question
    // `crim_other`, exported as `p1/crim_other` beside `p1/crim`; the form does not list it.
    let dir = tempfile::tempdir().unwrap();
    let read = |f: &str| std::fs::read_to_string(data().join(f)).unwrap();
    let survey = read("form/survey.csv").replace("select_one ypn,crim,", "select_one ypn or_other,crim,");
    let form = dir.path().join("form.xlsx");
    write_xlsx(&form, &[("survey", &survey), ("choices", &read("form/choices.csv"))], true);
    let secret = "Only under military law";
    let export = read("kobo-values-slash.csv")
        .replacen("\"p1/crim\";", "\"p1/crim\";\"p1/crim_other\";", 1)
        .replacen("\"E01\";\"yes\";", &format!("\"E01\";\"other\";\"{secret}\";"), 1)
        .replace("\"E02\";\"dont_know\";", "\"E02\";\"dont_know\";\"\";")
        .replace("\"E03\";\"no\";", "\"E03\";\"no\";\"\";")
        .replace("\"E01\";\"partially\";", "\"E01\";\"partially\";\"\";");
    std::fs::write(dir.path().join("kobo.csv"), export).unwrap();
    let out = dir.path().join("out");
    gti()
        .current_dir(dir.path())
        .args(["import", "survey", "--form", "form.xlsx", "--submissions", "kobo.csv"])
        .args(FIELDS)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let got = std::fs::read_to_string(out.join("responses.csv")).unwrap();
    assert_eq!(got, expected().replacen("XAA,2024,E01,crim,yes\n", "XAA,2024,E01,crim,other\n", 1));
    let book = read_csv(&out.join("codebook.csv"));
    assert_eq!(
        book[0]["choices"],
        "yes = Yes | partially = Partially | no = No | dont_know = Don't know | other = Other"
    );
    let md = std::fs::read_to_string(out.join("codebook.md")).unwrap();
    assert!(md.contains("- `other`"), "`other` is a code to declare:\n{md}");
    for f in ["responses.csv", "codebook.csv", "codebook.md"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains(secret), "the other-text answer is not in {f}");
    }
}

#[test]
fn the_codebooks_carry_no_answer_and_no_respondent() {
    // Every layout: the codebook describes the questionnaire, never what a respondent wrote
    // or who they are (responses.csv, the internal file, carries the ids).
    let dir = tempfile::tempdir().unwrap();
    let form = form_xlsx(dir.path());
    let form = form.to_str().unwrap();
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("kobo", [&["--form", form, "--submissions", "kobo-values-slash.csv"][..], &FIELDS].concat()),
        (
            "kobo-uuid",
            vec![
                "--form",
                form,
                "--submissions",
                "kobo-values-slash.csv",
                "--unit-field",
                "country",
                "--year",
                "2024",
            ],
        ),
        ("monkey", [&MONKEY[..], &["--year", "2024"]].concat()),
    ];
    let answers = [
        "Lawyers are often refused",
        "nothing",
        "E01",
        "E02",
        "E03",
        "0f1e5a3c",
        "114000000001",
        "432000001",
    ];
    for (name, args) in runs {
        let out = dir.path().join(name);
        import(&out, &args);
        for f in ["codebook.csv", "codebook.md"] {
            let text = std::fs::read_to_string(out.join(f)).unwrap();
            for a in answers {
                assert!(!text.contains(a), "{name}: '{a}' in {f}:\n{text}");
            }
        }
    }
    // The columns that are not items are named in full (SurveyMonkey's texts are long).
    let md = std::fs::read_to_string(dir.path().join("monkey/codebook.md")).unwrap();
    assert!(md.contains("\n- Which safeguards apply in custody? / Other (please specify)\n"), "{md}");
}
