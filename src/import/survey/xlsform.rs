//! A KoboToolbox or ODK export read with its XLSForm.
//!
//! Headers are matched, not split: from the form, every header an export could carry is
//! built — the question's name or its label in each language, with or without its groups
//! joined by a separator (`/`, `.`, `-`, `:`, `::`), and for a select_multiple one more per
//! choice (`question/choice`) — and the naming and separator that match the most columns
//! are taken. Labels may hold any character, so nothing is split on a separator.
//! Metadata (`_uuid`, `_submission_time`, `_index`, ODK's `KEY`, `meta/instanceID`…) and
//! the `_other` texts of `or_other` selects are not items; any other column the form does
//! not know is an error.

use super::form::{Form, Kind, Question, label_or};
use super::grid::Grid;
use super::items::{Spec, check_specs, item, not_items, specs_from_map, specs_of_form};
use super::map::Entry;
use super::{Imported, Keys, MAX_DIAGS, Options, YearFrom, done, not_empty, parse_year, readable};
use crate::error::{DataError, Diag, Location, Result};
use crate::ingest::cell::clip;
use std::collections::HashMap;

/// Group separators tried, in order of preference on a tie.
pub const SEPARATORS: [&str; 5] = ["/", ".", "-", "::", ":"];

/// Metadata columns of ODK Central and Briefcase exports (Kobo's all start with `_`).
const ODK_META: [&str; 12] = [
    "SubmissionDate",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "instanceID",
];

/// How headers name questions.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Naming {
    Name,
    Label(usize),
}

/// What a header is: a question's column, or one choice's 0/1 column of a select_multiple.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Target {
    q: usize,
    choice: Option<usize>,
}

/// Every header of the form under one naming and separator; `None` marks a header two
/// questions would share.
fn headers(form: &Form, naming: Naming, sep: &str) -> HashMap<String, Option<Target>> {
    let text = |labels: &[String], name: &str| -> String {
        match naming {
            Naming::Name => name.to_string(),
            Naming::Label(l) => label_or(labels, l, name).to_string(),
        }
    };
    let mut map: HashMap<String, Option<Target>> = HashMap::new();
    let mut add = |h: String, t: Target| {
        map.entry(h)
            .and_modify(|e| {
                if *e != Some(t) {
                    *e = None
                }
            })
            .or_insert(Some(t));
    };
    for (qi, q) in form.questions.iter().enumerate() {
        let base = text(&q.labels, &q.name);
        let mut paths = vec![base.clone()];
        if !q.groups.is_empty() {
            let mut parts: Vec<String> =
                q.groups.iter().map(|&g| text(&form.groups[g].labels, &form.groups[g].name)).collect();
            parts.push(base);
            paths.push(parts.join(sep));
        }
        for p in paths {
            if let Kind::SelectMultiple { .. } = q.kind {
                for (ci, c) in form.choices(q).iter().enumerate() {
                    add(format!("{p}{sep}{}", text(&c.labels, &c.name)), Target { q: qi, choice: Some(ci) });
                }
            }
            add(p, Target { q: qi, choice: None });
        }
    }
    map
}

/// The naming and separator matching the most header cells.
fn best_headers(form: &Form, header: &[String], sep: Option<&str>) -> (Naming, String) {
    let mut namings = vec![Naming::Name];
    namings.extend((0..form.languages.len()).map(Naming::Label));
    let seps: Vec<&str> = sep.map_or(SEPARATORS.to_vec(), |s| vec![s]);
    let mut best = (0, Naming::Name, seps[0].to_string());
    for &n in &namings {
        for &s in &seps {
            let map = headers(form, n, s);
            let hits = header.iter().filter(|h| matches!(map.get(h.as_str()), Some(Some(_)))).count();
            if hits > best.0 {
                best = (hits, n, s.to_string());
            }
        }
    }
    (best.1, best.2)
}

/// The columns of each question: its own, and a select_multiple's per-choice columns.
pub(super) struct Columns {
    pub value: Vec<Option<usize>>,
    pub choice: Vec<Vec<Option<usize>>>,
}

fn is_metadata(h: &str, sep: &str) -> bool {
    h.starts_with('_')
        || ODK_META.contains(&h)
        || ["meta", "formhub"]
            .iter()
            .any(|g| h.strip_prefix(g).is_some_and(|r| r.starts_with(sep) || r.starts_with('/')))
}

/// Assigns every header cell, or reports the ones the form does not know.
fn columns(form: &Form, g: &Grid, map: &HashMap<String, Option<Target>>, sep: &str) -> Result<Columns> {
    let n = form.questions.len();
    let mut cols = Columns {
        value: vec![None; n],
        choice: form.questions.iter().map(|q| vec![None; form.choices(q).len()]).collect(),
    };
    let mut diags = Vec::new();
    let header = g.rows.first().cloned().unwrap_or_default();
    for (c, h) in header.iter().enumerate() {
        match map.get(h.as_str()) {
            Some(Some(t)) => match t.choice {
                None => cols.value[t.q] = Some(c),
                Some(ch) => cols.choice[t.q][ch] = Some(c),
            },
            Some(None) => diags.push(
                Diag::new(g.loc(0, c), format!("column '{}' could be more than one question", clip(h)))
                    .hint("two questions share this label: export with XML values and headers"),
            ),
            None if h.is_empty() => {
                if (1..g.rows.len()).any(|r| !g.get(r, c).is_empty()) {
                    diags.push(Diag::new(g.loc(0, c), "a column without a header holds answers"));
                }
            }
            None if is_metadata(h, sep) || is_other_text(form, map, h) => {}
            None => {
                let near = crate::suggest::hint(h, map.keys().map(String::as_str));
                diags.push(
                    Diag::new(g.loc(0, c), format!("column '{}' is not a question of the form{near}", clip(h))).hint(
                        "an export of another form or form version? give the XLSForm the export was made with",
                    ),
                );
            }
        }
    }
    done(diags).map(|()| cols)
}

/// `NAME_other`: the text of an `or_other` select (pyxform adds it; the form does not list it).
fn is_other_text(form: &Form, map: &HashMap<String, Option<Target>>, h: &str) -> bool {
    h.strip_suffix("_other").and_then(|p| map.get(p)).copied().flatten().is_some_and(|t| {
        matches!(
            form.questions[t.q].kind,
            Kind::SelectOne { or_other: true, .. } | Kind::SelectMultiple { or_other: true, .. }
        )
    })
}

/// Decodes an export read with its form.
pub fn convert(form: &Form, g: &Grid, map: Option<&[Entry]>, opt: &Options) -> Result<Imported> {
    refuse_repeats(form)?;
    let header = g.rows.first().cloned().unwrap_or_default();
    let (naming, sep) = best_headers(form, &header, opt.group_separator.as_deref());
    let hmap = headers(form, naming, &sep);
    let cols = columns(form, g, &hmap, &sep)?;
    let lang = match naming {
        Naming::Label(l) => l,
        Naming::Name => form.default_language,
    };
    let r = Reader { form, g, cols: &cols, lang, labels: opt.labels };
    let unit = r.field(&opt.unit_field, "--unit-field")?;
    let year = match &opt.year {
        YearFrom::Field(f) => Some(r.field(f, "--year-field")?),
        YearFrom::Fixed(_) => None,
    };
    let respondent = match &opt.respondent_field {
        Some(f) => r.field(f, "--respondent-field")?,
        None => r.default_respondent(&sep)?,
    };
    let fields: Vec<Option<usize>> =
        [Some(unit), year, Some(respondent)].iter().map(|f| f.and_then(|f| f.q)).collect();
    let specs = match map {
        Some(m) => specs_from_map(form, m)?,
        None => specs_of_form(form, &fields),
    };
    check_specs(form, &cols, &specs)?;
    let mut out = Imported {
        layout: format!(
            "XLSForm export: headers as {}, group separator '{sep}', select answers as {}",
            match naming {
                Naming::Name => "names".to_string(),
                Naming::Label(l) => format!("labels ({})", lang_name(form, l)),
            },
            if opt.labels { "labels" } else { "names" }
        ),
        ..Imported::default()
    };
    out.items = specs.iter().map(|s| item(form, s, lang)).collect();
    out.not_items = not_items(form, &specs, &fields);
    out.fields = field_notes(form, opt, [Some(unit), year, Some(respondent)]);
    let mut keys = Keys::default();
    let mut diags = Vec::new();
    for row in 1..g.rows.len() {
        if g.blank(row) {
            continue;
        }
        out.submissions += 1;
        let cell = |f: Field| g.value(row, f.col).map(str::to_string);
        let unit_v = cell(unit).and_then(|v| r.select_name(row, unit, &v));
        let year_v = match (&opt.year, year) {
            (YearFrom::Fixed(y), _) => Ok(*y),
            (_, Some(f)) => cell(f).and_then(|v| r.select_name(row, f, &v)).and_then(|v| {
                parse_year(&v).ok_or_else(|| {
                    Diag::new(g.loc(row, f.col), format!("year '{}' is not a year or a date", clip(&v)))
                })
            }),
            _ => unreachable!("a year field or a fixed year"),
        };
        let resp_v = cell(respondent);
        let (unit_v, resp_v) = match (unit_v, resp_v) {
            (Ok(u), Ok(p)) => (u, p),
            (u, p) => {
                diags.extend(u.err().into_iter().chain(p.err()));
                continue;
            }
        };
        let at = [g.loc(row, unit.col), g.loc(row, unit.col), g.loc(row, respondent.col)];
        let Some((u, y, p)) = keys.check((&unit_v, year_v, &resp_v), at, &mut diags) else { continue };
        for s in &specs {
            let col = r.cols.value[s.q].or_else(|| s.choice.and_then(|c| r.cols.choice[s.q][c])).unwrap_or(0);
            match r.response(row, s).and_then(|v| readable(v, || g.loc(row, col))) {
                Ok(v) => out.rows.push([u.clone(), y.to_string(), p.clone(), s.code.clone(), v]),
                Err(d) => diags.push(d),
            }
        }
        if diags.len() >= MAX_DIAGS {
            break;
        }
    }
    done(diags)?;
    not_empty(out, g, || {
        let (at, hint) = match map.and_then(|m| m.first()) {
            Some(e) => (Location::file(&e.loc.path), "the map names no question of the form as an item"),
            None => (
                form.survey.whole(),
                "items are the select_one, select_multiple, integer, decimal and range questions that are not fields; name others with --map",
            ),
        };
        Diag::new(at, "no question of the form is an item").hint(hint)
    })
}

/// A repeat group gives several rows per submission, in other sheets or files of the export:
/// refused, naming the group and its questions, rather than read in part.
fn refuse_repeats(form: &Form) -> Result<()> {
    let tc = form.survey.column(0, "type").unwrap_or(0);
    let mut diags = Vec::new();
    for (gi, grp) in form.groups.iter().enumerate().filter(|(_, g)| g.repeat) {
        let inside: Vec<&str> = form
            .questions
            .iter()
            .filter(|q| q.groups.contains(&gi))
            .map(|q| q.name.as_str())
            .take(10)
            .collect();
        let msg = format!(
            "repeat group '{}' is not supported (its questions: {})",
            clip(&grp.name),
            if inside.is_empty() { "none".to_string() } else { inside.join(", ") }
        );
        diags.push(Diag::new(form.survey.loc(grp.row, tc), msg).hint(
            "gti reads one row per submission: ask the repeated questions once per submission (one submission per unit), or drop the repeat from the form and the export",
        ));
    }
    done(diags)
}

fn lang_name(form: &Form, l: usize) -> String {
    match form.languages.get(l).map(String::as_str) {
        None | Some("") => "the default language".to_string(),
        Some(s) => s.to_string(),
    }
}

/// A field's column, and its question when it is one.
#[derive(Debug, Clone, Copy)]
struct Field {
    col: usize,
    q: Option<usize>,
}

struct Reader<'a> {
    form: &'a Form,
    g: &'a Grid,
    cols: &'a Columns,
    lang: usize,
    labels: bool,
}

impl Reader<'_> {
    /// `name` as a question of the form, or as a column header (metadata such as `_submitted_by`).
    fn field(&self, name: &str, option: &str) -> Result<Field> {
        if let Some(q) = self.form.question(name) {
            if let Some(col) = self.cols.value[q] {
                return Ok(Field { col, q: Some(q) });
            }
            let msg = format!("{option} {name}: the export has no column for this question");
            return Err(DataError(vec![Diag::new(self.g.loc(0, 0), msg)]).into());
        }
        if let Some(col) = self.g.rows.first().and_then(|h| h.iter().position(|h| h == name)) {
            return Ok(Field { col, q: None });
        }
        let names = self.form.questions.iter().map(|q| q.name.as_str());
        let msg = format!(
            "{option} {}: no question or column of that name{}",
            clip(name),
            crate::suggest::hint(name, names)
        );
        Err(DataError(vec![Diag::new(self.form.survey.loc(0, 0), msg)]).into())
    }

    fn default_respondent(&self, sep: &str) -> Result<Field> {
        let header = self.g.rows.first().cloned().unwrap_or_default();
        let meta = format!("meta{sep}instanceID");
        for name in ["_uuid", "KEY", meta.as_str(), "meta/instanceID", "instanceID"] {
            if let Some(col) = header.iter().position(|h| h == name) {
                return Ok(Field { col, q: None });
            }
        }
        let msg =
            "the export has no _uuid column (nor ODK's KEY or meta/instanceID) to tell respondents apart";
        Err(DataError(vec![
            Diag::new(self.g.loc(0, 0), msg)
                .hint("name the question identifying respondents with --respondent-field"),
        ])
        .into())
    }

    /// A field's value: for a select_one, the chosen choice's name (not its --choice-value).
    fn select_name(&self, row: usize, f: Field, v: &str) -> Result<String, Diag> {
        match f.q.map(|q| &self.form.questions[q]) {
            Some(q) if matches!(q.kind, Kind::SelectOne { .. }) && !v.is_empty() => self
                .choice(row, f.col, q, v)
                .map(|c| self.form.choices(q).get(c).map_or_else(|| v.to_string(), |c| c.name.clone())),
            _ => Ok(v.to_string()),
        }
    }

    /// The choice a select cell names (by name, or label with --labels); the index past the
    /// list's end is `or_other`'s `other`.
    fn choice(&self, row: usize, col: usize, q: &Question, v: &str) -> Result<usize, Diag> {
        let choices = self.form.choices(q);
        let or_other = matches!(
            q.kind,
            Kind::SelectOne { or_other: true, .. } | Kind::SelectMultiple { or_other: true, .. }
        );
        let by_name = |v: &str| {
            choices.iter().position(|c| c.name == v).or((or_other && v == "other").then_some(choices.len()))
        };
        let label = |c: &super::form::Choice| label_or(&c.labels, self.lang, &c.name).to_string();
        if !self.labels {
            return by_name(v).ok_or_else(|| {
                let hint = if choices.iter().any(|c| label(c) == v) {
                    "it is a choice's label: read labels with --labels".to_string()
                } else {
                    list_hint(choices.iter().map(|c| c.name.as_str()))
                };
                self.not_a_choice(row, col, q, v).hint(hint)
            });
        }
        let hits: Vec<usize> = (0..choices.len()).filter(|&i| label(&choices[i]) == v).collect();
        match hits.as_slice() {
            [i] => Ok(*i),
            [] if or_other && v == "other" => Ok(choices.len()),
            [] => Err(self.not_a_choice(row, col, q, v).hint(if by_name(v).is_some() {
                "it is a choice's name: drop --labels".to_string()
            } else {
                list_hint(choices.iter().map(|c| label_or(&c.labels, self.lang, &c.name)))
            })),
            _ => Err(Diag::new(
                self.g.loc(row, col),
                format!("'{}' is the label of several choices of '{}'", clip(v), q.name),
            )
            .hint("export XML values (names) and read them without --labels")),
        }
    }

    fn not_a_choice(&self, row: usize, col: usize, q: &Question, v: &str) -> Diag {
        let list = match &q.kind {
            Kind::SelectOne { list, .. } | Kind::SelectMultiple { list, .. } => list.as_str(),
            _ => "",
        };
        let what = if self.labels { "a label" } else { "a choice" };
        Diag::new(
            self.g.loc(row, col),
            format!("'{}' is not {what} of list '{list}' (question {})", clip(v), q.name),
        )
    }

    /// One item's response in a row.
    fn response(&self, row: usize, s: &Spec) -> Result<String, Diag> {
        let q = &self.form.questions[s.q];
        if let Some(ch) = s.choice {
            return self.selected(row, q, s.q, ch);
        }
        let col = self.cols.value[s.q].expect("checked: the item has its column");
        let v = self.g.value(row, col)?;
        match &q.kind {
            _ if v.is_empty() => Ok(String::new()),
            Kind::SelectOne { .. } => {
                let i = self.choice(row, col, q, v)?;
                Ok(self.form.choices(q).get(i).map_or_else(|| "other".to_string(), |c| c.value.clone()))
            }
            Kind::Number if v == "NA" => Ok(String::new()),
            Kind::Number => match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(v.to_string()),
                _ => Err(Diag::new(
                    self.g.loc(row, col),
                    format!("'{}' is not a number (question {})", clip(v), q.name),
                )),
            },
            _ => Ok(v.to_string()),
        }
    }

    /// A select_multiple choice: `1` chosen, `0` not, empty when the question is unanswered.
    fn selected(&self, row: usize, q: &Question, qi: usize, ch: usize) -> Result<String, Diag> {
        if let Some(col) = self.cols.choice[qi].get(ch).copied().flatten() {
            let v = self.g.value(row, col)?;
            return match v.to_ascii_lowercase().as_str() {
                "" => Ok(String::new()),
                "1" | "true" => Ok("1".into()),
                "0" | "false" => Ok("0".into()),
                _ => Err(Diag::new(
                    self.g.loc(row, col),
                    format!("'{}' is neither 1 nor 0 (a choice column of {})", clip(v), q.name),
                )),
            };
        }
        let col = self.cols.value[qi].expect("checked: the item has its column");
        let v = self.g.value(row, col)?;
        if v.is_empty() {
            return Ok(String::new());
        }
        let chosen = if self.labels {
            self.split_labels(row, col, q, v)?
        } else {
            v.split_whitespace().map(|n| self.choice(row, col, q, n)).collect::<Result<Vec<_>, _>>()?
        };
        Ok(if chosen.contains(&ch) { "1" } else { "0" }.to_string())
    }

    /// The choices whose labels, joined by spaces, make `v` (labels may hold spaces, so the
    /// split must be unique).
    fn split_labels(&self, row: usize, col: usize, q: &Question, v: &str) -> Result<Vec<usize>, Diag> {
        let labels: Vec<String> = self
            .form
            .choices(q)
            .iter()
            .map(|c| label_or(&c.labels, self.lang, &c.name).to_string())
            .collect();
        // ways[i]: the splits of v[i..] (0, 1 or "more than one", with one of them).
        let n = v.len();
        let mut ways: Vec<(u8, Vec<usize>)> = vec![(0, Vec::new()); n + 1];
        ways[n] = (1, Vec::new());
        for i in (0..n).rev().filter(|&i| v.is_char_boundary(i)) {
            for (ci, l) in labels.iter().enumerate() {
                let rest = &v[i..];
                let Some(after) = rest.strip_prefix(l.as_str()) else { continue };
                let j = if after.is_empty() {
                    n
                } else if let Some(a) = after.strip_prefix(' ') {
                    n - a.len()
                } else {
                    continue;
                };
                if l.is_empty() || ways[j].0 == 0 {
                    continue;
                }
                let mut split = vec![ci];
                split.extend(&ways[j].1);
                let count = ways[i].0.saturating_add(ways[j].0).min(2);
                ways[i] = (count, if ways[i].0 == 0 { split } else { ways[i].1.clone() });
            }
        }
        match ways[0].0 {
            1 => Ok(ways[0].1.clone()),
            0 => Err(self
                .not_a_choice(row, col, q, v)
                .hint("the choices' labels, space-separated, do not make this answer")),
            _ => Err(Diag::new(
                self.g.loc(row, col),
                format!("'{}' splits into choices of {} in more than one way", clip(v), q.name),
            )
            .hint("export select_multiple answers as separate columns, or as XML values")),
        }
    }
}

fn list_hint<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = names.collect();
    let shown: Vec<String> = all.iter().take(12).map(|s| format!("'{}'", clip(s))).collect();
    let more = if all.len() > 12 { format!(" and {} more", all.len() - 12) } else { String::new() };
    format!("the list's choices: {}{more}", shown.join(", "))
}

fn field_notes(form: &Form, opt: &Options, f: [Option<Field>; 3]) -> Vec<String> {
    let name = |f: Option<Field>, given: &str| {
        f.and_then(|f| f.q).map_or(given.to_string(), |q| form.questions[q].name.clone())
    };
    let mut out = vec![format!("unit: {}", name(f[0], &opt.unit_field))];
    out.push(match &opt.year {
        YearFrom::Fixed(y) => format!("year: {y} (--year)"),
        YearFrom::Field(y) => format!("year: {}", name(f[1], y)),
    });
    out.push(format!("respondent: {}", name(f[2], opt.respondent_field.as_deref().unwrap_or("_uuid"))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn grid(rows: &[&[&str]], sheet: Option<&str>) -> Grid {
        let rows = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        Grid::from_rows(Path::new(if sheet.is_some() { "form.xlsx" } else { "e.csv" }), sheet, rows)
    }

    fn form(choices: &[&[&str]]) -> Form {
        let survey = grid(
            &[&["type", "name", "label"], &["text", "unit", "Unit"], &["select_multiple s", "q", "Q"]],
            Some("survey"),
        );
        let mut rows: Vec<&[&str]> = vec![&["list_name", "name", "label"]];
        rows.extend(choices);
        Form::from_sheets(survey, Some(grid(&rows, Some("choices"))), None, None).unwrap()
    }

    fn opt() -> Options {
        Options {
            unit_field: "unit".into(),
            year: YearFrom::Fixed(2024),
            respondent_field: Some("unit".into()),
            labels: true,
            delimiter: None,
            group_separator: None,
        }
    }

    #[test]
    fn labels_with_spaces_split_one_way_only() {
        let f = form(&[&["s", "a", "big red"], &["s", "b", "big"], &["s", "c", "red"]]);
        let e = grid(&[&["Unit", "Q"], &["XAA", "big red"]], None);
        let err = convert(&f, &e, None, &opt()).unwrap_err().to_string();
        assert!(err.contains("e.csv:2:2: 'big red' splits into choices of q in more than one way"), "{err}");
        let e = grid(&[&["Unit", "Q"], &["XAA", "red big"]], None);
        let got = convert(&f, &e, None, &opt()).unwrap();
        let responses: Vec<&str> = got.rows.iter().map(|r| r[4].as_str()).collect();
        assert_eq!(responses, ["0", "1", "1"]);
    }

    #[test]
    fn the_naming_and_separator_matching_most_headers_win() {
        let survey = grid(
            &[
                &["type", "name", "label::fr"],
                &["text", "u", "Unité"],
                &["begin_group", "g", "Groupe"],
                &["integer", "n", "Nombre"],
                &["end_group", "", ""],
            ],
            Some("survey"),
        );
        let f = Form::from_sheets(survey, None, None, None).unwrap();
        let header: Vec<String> = ["Unité", "Groupe::Nombre", "_uuid"].map(String::from).to_vec();
        assert_eq!(best_headers(&f, &header, None), (Naming::Label(0), "::".to_string()));
        let header: Vec<String> = ["u", "g.n"].map(String::from).to_vec();
        assert_eq!(best_headers(&f, &header, None), (Naming::Name, ".".to_string()));
    }
}
