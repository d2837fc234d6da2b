//! An XLSForm (the form definition KoboToolbox and ODK read; spec at xlsform.org): the
//! `survey` sheet's questions and groups, the `choices` sheet's lists, labels in every
//! language (`label`, `label::English (en)`), and the `settings` sheet's
//! `default_language`.
//!
//! Only what the importer needs is kept: each question's name, type, labels and groups,
//! and each choice's name, labels and (with `--choice-value`) the value of a named column.

use super::grid::{Grid, Workbook};
use crate::error::{DataError, Diag, Location, Result};
use crate::ingest::cell::clip;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// What a question holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `select_one LIST` (`or_other` adds the choice `other` and a `NAME_other` text).
    SelectOne { list: String, or_other: bool },
    /// `select_multiple LIST`: several choices, exported space-separated or one 0/1 column each.
    SelectMultiple { list: String, or_other: bool },
    /// `integer`, `decimal`, `range`.
    Number,
    /// Anything else: text, dates, notes, calculations, metadata (`start`, `end`…).
    Other,
}

/// A `begin group` or `begin repeat` row.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub labels: Vec<String>,
    pub repeat: bool,
    /// The sheet row (1-based) of its `begin` row.
    pub row: usize,
}

/// One question row of the survey sheet.
#[derive(Debug, Clone)]
pub struct Question {
    pub name: String,
    /// The type as written (`select_one yn`), for the codebook.
    pub type_text: String,
    pub kind: Kind,
    /// One per language of [`Form::languages`]; empty when the row has none in it.
    pub labels: Vec<String>,
    /// The groups it is in, outermost first (indexes into [`Form::groups`]).
    pub groups: Vec<usize>,
    /// `parameters` (a `range`'s `start=0 end=10`).
    pub parameters: String,
    /// Row index in the survey grid (0-based), for locations.
    pub row: usize,
}

/// One row of the choices sheet.
#[derive(Debug, Clone)]
pub struct Choice {
    pub name: String,
    pub labels: Vec<String>,
    /// The response it gives: the `--choice-value` column's cell, or the name.
    pub value: String,
}

/// A checked XLSForm.
#[derive(Debug, Clone)]
pub struct Form {
    pub survey: Grid,
    /// Label languages in order of appearance; `""` is the column `label` without one.
    pub languages: Vec<String>,
    /// The language labels are shown in by default (`settings` sheet, else the first).
    pub default_language: usize,
    pub questions: Vec<Question>,
    pub groups: Vec<Group>,
    pub lists: BTreeMap<String, Vec<Choice>>,
}

/// `--choice-value`: the choices-sheet column whose cell is a choice's response.
pub type ChoiceValue<'a> = Option<&'a str>;

impl Form {
    /// Reads an XLSForm workbook (.xlsx, .xls or .ods).
    pub fn read(path: &Path, bytes: Vec<u8>, choice_value: ChoiceValue) -> Result<Form> {
        let mut wb = Workbook::open(path, bytes)?;
        let Some(survey) = wb.sheet("survey")? else {
            let names = wb.sheet_names().join(", ");
            let msg = format!("the form has no sheet named 'survey' (its sheets: {})", clip(&names));
            return Err(one(
                Location::file(path),
                msg,
                "give the XLSForm (survey, choices, settings sheets) with --form",
            ));
        };
        let choices = wb.sheet("choices")?;
        let settings = wb.sheet("settings")?;
        Form::from_sheets(survey, choices, settings, choice_value)
    }

    /// The form from its sheets already read.
    pub fn from_sheets(
        survey: Grid,
        choices: Option<Grid>,
        settings: Option<Grid>,
        choice_value: ChoiceValue,
    ) -> Result<Form> {
        let mut languages = Vec::new();
        let survey_labels = label_columns(&survey, &mut languages);
        let choice_labels = choices.as_ref().map(|c| label_columns(c, &mut languages)).unwrap_or_default();
        let mut diags = Vec::new();
        let lists = match &choices {
            Some(c) => read_choices(c, &choice_labels, languages.len(), choice_value, &mut diags),
            None => BTreeMap::new(),
        };
        if choice_value.is_some() && choices.is_none() {
            diags.push(Diag::new(
                Location::file(&survey.path),
                "--choice-value names a column, but the form has no choices sheet",
            ));
        }
        let mut form =
            Form { survey, languages, default_language: 0, questions: Vec::new(), groups: Vec::new(), lists };
        form.default_language = default_language(settings.as_ref(), &form.languages);
        form.read_survey(&survey_labels, &mut diags);
        form.check_lists(&mut diags);
        if diags.is_empty() { Ok(form) } else { Err(DataError(diags).into()) }
    }

    fn read_survey(&mut self, labels: &[(usize, usize)], diags: &mut Vec<Diag>) {
        let g = &self.survey;
        let (Some(tc), Some(nc)) = (g.column(0, "type"), g.column(0, "name")) else {
            diags.push(
                Diag::new(
                    g.loc(0, 0),
                    "the survey sheet needs the columns 'type' and 'name' in its first row",
                )
                .hint("the first row of an XLSForm's survey sheet is its header: type, name, label…"),
            );
            return;
        };
        let pc = g.column(0, "parameters");
        let mut open: Vec<usize> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut questions = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        for r in 1..g.rows.len() {
            let ty = g.get(r, tc).to_string();
            let name = g.get(r, nc).to_string();
            if ty.is_empty() {
                continue;
            }
            let row_labels = row_labels(g, r, labels, self.languages.len());
            let words: Vec<&str> = ty.split_whitespace().collect();
            let key = words.join(" ").to_ascii_lowercase().replace('_', " ");
            if key.starts_with("begin group") || key.starts_with("begin repeat") {
                open.push(groups.len());
                groups.push(Group {
                    name,
                    labels: row_labels,
                    repeat: key.starts_with("begin repeat"),
                    row: r,
                });
                continue;
            }
            if key.starts_with("end group") || key.starts_with("end repeat") {
                if open.pop().is_none() {
                    diags.push(Diag::new(g.loc(r, tc), format!("'{}' closes no open group", clip(&ty))));
                }
                continue;
            }
            if name.is_empty() {
                diags.push(Diag::new(g.loc(r, nc), format!("a '{}' question without a name", clip(&ty))));
                continue;
            }
            if let Some(first) = seen.insert(name.clone(), r) {
                let msg =
                    format!("question name '{}' is used twice (first in row {})", clip(&name), first + 1);
                diags.push(Diag::new(g.loc(r, nc), msg).hint("XLSForm question names are unique"));
                continue;
            }
            let kind = match kind(&words) {
                Ok(k) => k,
                Err(m) => {
                    diags.push(Diag::new(g.loc(r, tc), m));
                    continue;
                }
            };
            let parameters = pc.map(|c| g.get(r, c).to_string()).unwrap_or_default();
            questions.push(Question {
                name,
                type_text: ty,
                kind,
                labels: row_labels,
                groups: open.clone(),
                parameters,
                row: r,
            });
        }
        if let Some(&g0) = open.last() {
            let grp = &groups[g0];
            diags.push(Diag::new(g.loc(grp.row, tc), format!("group '{}' is never closed", clip(&grp.name))));
        }
        self.questions = questions;
        self.groups = groups;
    }

    /// Every select names a list of the choices sheet.
    fn check_lists(&self, diags: &mut Vec<Diag>) {
        let tc = self.survey.column(0, "type").unwrap_or(0);
        for q in &self.questions {
            if let Kind::SelectOne { list, .. } | Kind::SelectMultiple { list, .. } = &q.kind
                && !self.lists.contains_key(list)
            {
                let known = self.lists.keys().map(String::as_str);
                let msg = format!(
                    "question '{}' selects from list '{}', which the choices sheet does not have{}",
                    q.name,
                    clip(list),
                    crate::suggest::hint(list, known)
                );
                diags.push(Diag::new(self.survey.loc(q.row, tc), msg));
            }
        }
    }

    /// The choices of a select question (empty for other kinds).
    pub fn choices(&self, q: &Question) -> &[Choice] {
        match &q.kind {
            Kind::SelectOne { list, .. } | Kind::SelectMultiple { list, .. } => {
                self.lists.get(list).map_or(&[][..], Vec::as_slice)
            }
            _ => &[],
        }
    }

    /// The question named `name`.
    pub fn question(&self, name: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.name == name)
    }

    /// A question's label in language `lang`, or its name when it has none there (as Kobo
    /// writes headers).
    pub fn label<'a>(&self, q: &'a Question, lang: usize) -> &'a str {
        q.labels.get(lang).filter(|l| !l.is_empty()).unwrap_or(&q.name)
    }

    /// Where a question's name is, for messages.
    pub fn loc(&self, q: &Question) -> Location {
        let nc = self.survey.column(0, "name").unwrap_or(0);
        self.survey.loc(q.row, nc)
    }
}

/// A label in a language, or the fallback (a name) when it has none there.
pub fn label_or<'a>(labels: &'a [String], lang: usize, name: &'a str) -> &'a str {
    labels.get(lang).filter(|l| !l.is_empty()).map_or(name, String::as_str)
}

fn one(loc: Location, msg: impl Into<String>, hint: &str) -> crate::error::Error {
    DataError(vec![Diag::new(loc, msg).hint(hint)]).into()
}

/// The type words of a question → its kind.
fn kind(words: &[&str]) -> Result<Kind, String> {
    let first = words.first().map(|w| w.to_ascii_lowercase()).unwrap_or_default();
    let (multiple, rest) = match (first.as_str(), words.get(1).map(|w| w.to_ascii_lowercase())) {
        ("select_one", _) => (false, &words[1..]),
        ("select_multiple", _) => (true, &words[1..]),
        ("select", Some(w)) if w == "one" => (false, &words[2..]),
        ("select", Some(w)) if w == "multiple" => (true, &words[2..]),
        ("integer" | "int" | "decimal" | "range", _) => return Ok(Kind::Number),
        _ => return Ok(Kind::Other),
    };
    let Some(list) = rest.first() else {
        return Err(format!("'{}' names no choice list", words.join(" ")));
    };
    let or_other = rest.get(1).is_some_and(|w| w.eq_ignore_ascii_case("or_other"));
    let list = list.to_string();
    Ok(if multiple { Kind::SelectMultiple { list, or_other } } else { Kind::SelectOne { list, or_other } })
}

/// The label columns of a sheet's header: (column, language index), adding new languages.
fn label_columns(g: &Grid, languages: &mut Vec<String>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (c, h) in g.rows.first().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let lower = h.to_ascii_lowercase();
        let lang = if lower == "label" {
            String::new()
        } else if let Some(rest) = lower.strip_prefix("label::").or_else(|| lower.strip_prefix("label:")) {
            // The language as written (case kept): `label::English (en)` → `English (en)`.
            h[h.len() - rest.len()..].trim().to_string()
        } else {
            continue;
        };
        let i = languages.iter().position(|l| *l == lang).unwrap_or_else(|| {
            languages.push(lang);
            languages.len() - 1
        });
        out.push((c, i));
    }
    out
}

fn row_labels(g: &Grid, r: usize, cols: &[(usize, usize)], n: usize) -> Vec<String> {
    let mut labels = vec![String::new(); n];
    for &(c, lang) in cols {
        labels[lang] = g.get(r, c).to_string();
    }
    labels
}

fn default_language(settings: Option<&Grid>, languages: &[String]) -> usize {
    let lang = settings.and_then(|s| s.column(0, "default_language").map(|c| s.get(1, c).to_string()));
    lang.and_then(|l| languages.iter().position(|x| *x == l)).unwrap_or(0)
}

fn read_choices(
    g: &Grid,
    labels: &[(usize, usize)],
    n: usize,
    choice_value: ChoiceValue,
    diags: &mut Vec<Diag>,
) -> BTreeMap<String, Vec<Choice>> {
    let mut lists: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    let list_col = g.column(0, "list_name").or_else(|| g.column(0, "list name"));
    let name_col = g.column(0, "name").or_else(|| g.column(0, "value"));
    let (Some(lc), Some(nc)) = (list_col, name_col) else {
        diags.push(Diag::new(
            g.loc(0, 0),
            "the choices sheet needs the columns 'list_name' and 'name' in its first row",
        ));
        return lists;
    };
    let vc = match choice_value {
        None => None,
        Some(v) => match g.column(0, v) {
            Some(c) => Some(c),
            None => {
                let cols = g.rows[0].iter().map(String::as_str);
                let msg = format!(
                    "--choice-value: the choices sheet has no column '{}'{}",
                    clip(v),
                    crate::suggest::hint(v, cols)
                );
                diags.push(Diag::new(g.loc(0, 0), msg));
                None
            }
        },
    };
    for r in 1..g.rows.len() {
        let (list, name) = (g.get(r, lc), g.get(r, nc));
        if list.is_empty() && name.is_empty() {
            continue;
        }
        if name.is_empty() {
            diags.push(Diag::new(g.loc(r, nc), format!("a choice of list '{}' without a name", clip(list))));
            continue;
        }
        let choices = lists.entry(list.to_string()).or_default();
        if choices.iter().any(|c| c.name == name) {
            let msg = format!("choice '{}' is twice in list '{}'", clip(name), clip(list));
            diags.push(Diag::new(g.loc(r, nc), msg));
            continue;
        }
        let value = vc.map(|c| g.get(r, c)).filter(|v| !v.is_empty()).unwrap_or(name).to_string();
        choices.push(Choice { name: name.to_string(), labels: row_labels(g, r, labels, n), value });
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]], sheet: &str) -> Grid {
        let rows = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        Grid::from_rows(Path::new("form.xlsx"), Some(sheet), rows)
    }

    #[test]
    fn questions_groups_languages_and_choices() {
        let survey = grid(
            &[
                &["type", "name", "label::English (en)", "label::Français (fr)"],
                &["begin_group", "p1", "Pillar 1", "Pilier 1"],
                &["select_one yn", "crim", "Criminalised?", "Criminalisée ?"],
                &["select_multiple safe or_other", "safeguards", "Safeguards", ""],
                &["end_group", "", "", ""],
                &["integer", "n", "Number", "Nombre"],
                &["text", "note_x", "", ""],
            ],
            "survey",
        );
        let choices = grid(
            &[
                &["list_name", "name", "label::English (en)", "gti"],
                &["yn", "yes", "Yes", ""],
                &["yn", "dont_know", "Don't know", "don't know"],
                &["safe", "lawyer", "Lawyer", ""],
            ],
            "choices",
        );
        let f = Form::from_sheets(survey, Some(choices), None, Some("gti")).unwrap();
        assert_eq!(f.languages, vec!["English (en)", "Français (fr)"]);
        assert_eq!(f.questions.len(), 4);
        assert_eq!(f.questions[0].groups, vec![0]);
        assert_eq!(f.questions[2].groups, Vec::<usize>::new());
        assert_eq!(f.questions[1].kind, Kind::SelectMultiple { list: "safe".into(), or_other: true });
        assert_eq!(f.label(&f.questions[1], 1), "safeguards");
        let yn = &f.lists["yn"];
        assert_eq!((yn[0].value.as_str(), yn[1].value.as_str()), ("yes", "don't know"));
    }

    #[test]
    fn a_missing_list_and_a_repeated_name_are_located() {
        let survey = grid(&[&["type", "name"], &["select_one nope", "a"], &["integer", "a"]], "survey");
        let e = Form::from_sheets(survey, None, None, None).unwrap_err().to_string();
        assert!(e.contains("form.xlsx[survey]!B3: question name 'a' is used twice"), "{e}");
        assert!(e.contains("form.xlsx[survey]!A2: question 'a' selects from list 'nope'"), "{e}");
    }
}
