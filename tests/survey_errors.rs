//! `gti import survey` refuses what it cannot read faithfully, naming the file, the row (or
//! sheet and cell) and the column: a value not in the form's choices, a submission without a
//! unit, a respondent twice for one unit-year, a repeat group, a column the form does not
//! know, an answer the SurveyMonkey map does not list, an export without submissions, a form
//! or map without items. Nothing is written then.

use crate::survey::{data, form_xlsx, write_xlsx};
use crate::util::gti;
use std::path::Path;

const FIELDS: [&str; 6] = ["--unit-field", "country", "--year-field", "year", "--respondent-field", "expert"];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(data().join(name)).unwrap()
}

/// Runs the import in `dir` and returns its stderr, checking exit code 1 and that no output
/// folder was written.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = dir.join("out");
    let a = gti().current_dir(dir).args(["import", "survey"]).args(args).arg("-o").arg(&out).assert().code(1);
    assert!(!out.join("responses.csv").exists(), "nothing is written on an error");
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The Kobo `;` export with one line changed, imported with the fixture form.
fn kobo_with(dir: &Path, from: &str, to: &str) -> String {
    let text = fixture("kobo-values-slash.csv");
    assert!(text.contains(from), "{from}");
    std::fs::write(dir.join("kobo.csv"), text.replacen(from, to, 1)).unwrap();
    let form = form_xlsx(dir);
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    refused(dir, &args)
}

/// A SurveyMonkey export and map, imported with the unit question and `--year 2024`.
fn monkey_refused(dir: &Path, export: &str, map: &str) -> String {
    std::fs::write(dir.join("monkey.csv"), export).unwrap();
    std::fs::write(dir.join("map.csv"), map).unwrap();
    let args =
        ["--submissions", "monkey.csv", "--map", "map.csv", "--unit-field", "Which unit do you report on?"];
    refused(dir, &[&args[..], &["--year", "2024"]].concat())
}

#[test]
fn a_value_not_in_the_choices_is_located_in_a_csv_export() {
    let dir = tempfile::tempdir().unwrap();
    let err = kobo_with(dir.path(), "\"partially\"", "\"partly\"");
    assert!(err.contains("kobo.csv:5:6: 'partly' is not a choice of list 'ypn' (question crim)"), "{err}");
    assert!(err.contains("hint: the list's choices: 'yes', 'partially', 'no', 'dont_know'"), "{err}");
}

#[test]
fn a_value_not_in_the_choices_is_located_in_an_xlsx_export() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture("kobo-values-details.csv").replacen(",3,1,0,1,2,", ",7,1,0,1,2,", 1);
    write_xlsx(&dir.path().join("export.xlsx"), &[("Custody survey (fictional)", &text)], true);
    let form = form_xlsx(dir.path());
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "export.xlsx"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    let want = "export.xlsx[Custody survey (fictional)]!G2: '7' is not a choice of list 'score' (question npm_score)";
    assert!(err.contains(want), "{err}");
}

#[test]
fn a_label_read_as_a_name_says_to_use_labels() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture("kobo-values-slash.csv");
    std::fs::write(dir.path().join("kobo.csv"), text.replacen("\"yes\"", "\"Yes\"", 1)).unwrap();
    let form = form_xlsx(dir.path());
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    assert!(err.contains("kobo.csv:2:6: 'Yes' is not a choice of list 'ypn'"), "{err}");
    assert!(err.contains("hint: it is a choice's label: read labels with --labels"), "{err}");
}

#[test]
fn a_submission_without_a_unit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = kobo_with(dir.path(), "\"XAA\";\"2024\";\"E02\"", "\"\";\"2024\";\"E02\"");
    assert!(err.contains("kobo.csv:3:3: a submission without a unit"), "{err}");
}

#[test]
fn a_respondent_twice_for_one_unit_year_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = kobo_with(dir.path(), "\"XAA\";\"2024\";\"E02\"", "\"XAA\";\"2024\";\"E01\"");
    assert!(
        err.contains("kobo.csv:3:5: the same respondent answers twice for XAA 2024 (first at kobo.csv:2:5)"),
        "{err}"
    );
}

#[test]
fn a_column_the_form_does_not_know_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = kobo_with(dir.path(), "\"p2/force\"", "\"p2/forces\"");
    assert!(
        err.contains(
            "kobo.csv:1:12: column 'p2/forces' is not a question of the form (did you mean `p2/force`?)"
        ),
        "{err}"
    );
}

#[test]
fn a_repeat_group_is_not_supported() {
    let dir = tempfile::tempdir().unwrap();
    let survey = std::fs::read_to_string(data().join("form/survey.csv")).unwrap().replace(
        "end_group,,,,\nbegin_group,p2",
        "end_group,,,,\nbegin_repeat,visits,Visits,Visites,\ndate,visit_date,Date,Date,\nend_repeat,,,,\nbegin_group,p2",
    );
    let choices = std::fs::read_to_string(data().join("form/choices.csv")).unwrap();
    let form = dir.path().join("form.xlsx");
    write_xlsx(&form, &[("survey", &survey), ("choices", &choices)], false);
    std::fs::write(dir.path().join("kobo.csv"), fixture("kobo-values-slash.csv")).unwrap();
    let mut args = vec!["--form", "form.xlsx", "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    assert!(
        err.contains(
            "form.xlsx[survey]!A11: repeat group 'visits' is not supported (its questions: visit_date)"
        ),
        "{err}"
    );
}

#[test]
fn an_answer_the_map_does_not_list_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture("monkey.csv").replacen(",Partially,", ",Maybe,", 1);
    let err = monkey_refused(dir.path(), &text, &fixture("monkey-map.csv"));
    assert!(err.contains("monkey.csv:6:12: 'Maybe' is not an answer the map gives for item crim"), "{err}");
    assert!(err.contains("hint: the map's answers for it: 'Yes', 'Partially', 'No', 'Don't know'"), "{err}");
}

#[test]
fn a_map_naming_no_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let map = fixture("monkey-map.csv")
        .replace("Access to a doctor,safeguards_doctor", "Access to a nurse,safeguards_doctor");
    let err = monkey_refused(dir.path(), &fixture("monkey.csv"), &map);
    assert!(
        err.contains(
            "map.csv:14:1: question 'Which safeguards apply in custody?' has no column 'Access to a nurse'"
        ),
        "{err}"
    );
}

#[test]
fn an_export_without_submissions_is_refused() {
    // Found by the fuzz target: only the header row read, responses.csv was written without
    // rows, and gti then refused to read it ("the file has a header but no rows").
    let dir = tempfile::tempdir().unwrap();
    let header = fixture("kobo-values-slash.csv").lines().next().unwrap().to_string() + "\n";
    std::fs::write(dir.path().join("kobo.csv"), header).unwrap();
    let form = form_xlsx(dir.path());
    let mut args = vec!["--form", form.to_str().unwrap(), "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    assert!(err.contains("kobo.csv: the export holds no submission, only its header"), "{err}");
}

#[test]
fn a_form_without_items_is_refused() {
    // Only the fields and a text question: nothing to import.
    let dir = tempfile::tempdir().unwrap();
    let survey = "type,name,label\nselect_one unit,country,Unit\ninteger,year,Year\ntext,expert,Expert\ntext,comment,Comments\n";
    let choices = "list_name,name,label\nunit,XAA,Atlantis (fictional)\n";
    write_xlsx(&dir.path().join("form.xlsx"), &[("survey", survey), ("choices", choices)], false);
    std::fs::write(dir.path().join("kobo.csv"), "country,year,expert,comment,_uuid\nXAA,2024,E01,None,u1\n")
        .unwrap();
    let mut args = vec!["--form", "form.xlsx", "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    assert!(err.contains("form.xlsx[survey]: no question of the form is an item"), "{err}");
    assert!(err.contains("name others with --map"), "{err}");
}

#[test]
fn a_map_without_items_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The map's header and its rows translating the unit question's answers: no item.
    let map: String = fixture("monkey-map.csv").lines().take(3).map(|l| format!("{l}\n")).collect();
    let err = monkey_refused(dir.path(), &fixture("monkey.csv"), &map);
    assert!(err.contains("map.csv: the map names no item"), "{err}");
}

#[test]
fn a_workbook_without_a_survey_sheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(&dir.path().join("form.xlsx"), &[("Sheet1", "type,name\ninteger,n\n")], false);
    std::fs::write(dir.path().join("kobo.csv"), fixture("kobo-values-slash.csv")).unwrap();
    let mut args = vec!["--form", "form.xlsx", "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    assert!(err.contains("form.xlsx: the form has no sheet named 'survey' (its sheets: Sheet1)"), "{err}");
}

#[test]
fn a_sheet_spanning_billions_of_cells_is_refused_before_it_is_allocated() {
    // Two cells, A1 and XFD1048576: a few bytes declaring 17 billion cells.
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("survey").unwrap();
    ws.write_string(0, 0, "type").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(dir.path().join("form.xlsx")).unwrap();
    std::fs::write(dir.path().join("kobo.csv"), fixture("kobo-values-slash.csv")).unwrap();
    let mut args = vec!["--form", "form.xlsx", "--submissions", "kobo.csv"];
    args.extend(FIELDS);
    let err = refused(dir.path(), &args);
    assert!(err.contains("form.xlsx: cannot read sheet 'survey': it spans"), "{err}");
    assert!(err.contains("more than gti reads"), "{err}");
}

mod mutations {
    //! Any edit of a fixture export (a delimiter, quote, line break, code or number put
    //! anywhere) is read or refused with located errors, never a panic; and what is read
    //! reads back through gti's own reader of expert responses.
    use super::{data, fixture};
    use gti::import::survey::{self, Input, Options, YearFrom, form::Form, grid::Grid, map, monkey, xlsform};
    use proptest::prelude::*;
    use std::path::Path;

    fn form() -> Form {
        let sheet = |f: &str, name: &str| {
            let mut g = survey::grid::read_csv(
                Path::new("form.xlsx"),
                fixture(&format!("form/{f}")).as_bytes(),
                None,
            )
            .unwrap();
            g.sheet = Some(name.to_string());
            g
        };
        Form::from_sheets(sheet("survey.csv", "survey"), Some(sheet("choices.csv", "choices")), None, None)
            .unwrap()
    }

    fn reads_back(imported: &survey::Imported) {
        let files = survey::files(imported, &[Path::new("e.csv")]).unwrap();
        let bytes = files[0].bytes().unwrap();
        let mut raw = gti::ingest::RawData::default();
        let mut diags = Vec::new();
        let conventions = gti::ingest::Conventions::default();
        let src = gti::ingest::Source::csv(Path::new("responses.csv"), &conventions);
        let _ = gti::ingest::read_file(&src, bytes.as_slice(), 0, &mut raw, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
    }

    const PIECES: [&str; 14] =
        [";", ",", "\"", "\n", "", "x", "inf", "1", "0", "2024", "XAA", "yes", "Oui", "/"];

    fn edit(text: &str, at: usize, cut: usize, piece: usize) -> Vec<u8> {
        let b = text.as_bytes();
        let at = at % (b.len() + 1);
        let end = (at + cut).min(b.len());
        [&b[..at], PIECES[piece % PIECES.len()].as_bytes(), &b[end..]].concat()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
        #[test]
        fn an_edited_export_is_read_or_refused(
            file in 0usize..4, at in 0usize..4000, cut in 0usize..4, piece in 0usize..14, labels: bool,
        ) {
            let _ = data();
            let name = ["kobo-values-slash.csv", "kobo-labels-fr-dot.csv", "odk-central.csv", "monkey.csv"][file];
            let bytes = edit(&fixture(name), at, cut, piece);
            let opt = Options {
                unit_field: "country".into(),
                year: YearFrom::Field("year".into()),
                respondent_field: Some("expert".into()),
                labels: labels || file == 1,
                delimiter: None,
                group_separator: None,
            };
            let Ok(g): Result<Grid, _> = survey::read_submissions(&Input { path: Path::new("e.csv"), bytes }, None) else {
                return Ok(());
            };
            let got = if file == 3 {
                let m = map::read(Path::new("m.csv"), fixture("monkey-map.csv").as_bytes()).unwrap();
                let opt = Options {
                    unit_field: "Which unit do you report on?".into(),
                    year: YearFrom::Field("Which year do your answers describe?".into()),
                    respondent_field: Some("Custom Data 1".into()),
                    ..opt
                };
                monkey::convert(&g, &m, &opt)
            } else {
                xlsform::convert(&form(), &g, None, &opt)
            };
            if let Ok(imported) = got {
                reads_back(&imported);
            }
        }
    }
}
