//! SurveyMonkey's "all responses" export (CSV or XLSX), read with a declared map.
//!
//! The layout: the first header row holds the metadata column names (`Respondent ID`,
//! `Collector ID`, `Start Date`, `End Date`, `IP Address`, `Email Address`, `First Name`,
//! `Last Name`, `Custom Data 1`) and then each question's text, once, above the first of its
//! columns (the cells to its right are empty while the question goes on); the second row
//! names each column within its question: `Response` for a one-column answer, `Open-Ended
//! Response` for a text, an option's text for a checkbox option (the cell then holds the
//! option's text when it was chosen), a row's text for a matrix. Answers start on the third
//! row. SurveyMonkey has no form, so the map (`--map`) says which columns are items and,
//! per item, which answer text gives which code.

use super::grid::Grid;
use super::map::Entry;
use super::{Imported, Item, Keys, MAX_DIAGS, Options, YearFrom, done, not_empty, parse_year, readable};
use crate::error::{DataError, Diag, Location, Result};
use crate::ingest::cell::clip;

/// Second-row texts of columns that are not checkbox options.
const PLAIN: [&str; 3] = ["Response", "Open-Ended Response", "Other (please specify)"];

/// The export's columns: each one's question (the first row, carried right) and sub-header.
struct Layout {
    question: Vec<String>,
    sub: Vec<String>,
    /// The first column of each column's question.
    block: Vec<usize>,
    /// Whether a column is a checkbox option (every answer in it is its own sub-header).
    checkbox: Vec<bool>,
}

fn layout(g: &Grid) -> Result<Layout> {
    if g.rows.len() < 2 {
        let msg = "a SurveyMonkey export has two header rows; this file has fewer";
        return Err(DataError(vec![
            Diag::new(g.loc(0, 0), msg).hint("give an XLSForm with --form for a Kobo or ODK export"),
        ])
        .into());
    }
    let width = g.rows[0].len();
    let (mut question, mut block) = (Vec::with_capacity(width), Vec::with_capacity(width));
    let (mut cur, mut start) = (String::new(), 0);
    for c in 0..width {
        if !g.get(0, c).is_empty() {
            cur = g.get(0, c).to_string();
            start = c;
        }
        question.push(cur.clone());
        block.push(start);
    }
    let sub: Vec<String> = (0..width).map(|c| g.get(1, c).to_string()).collect();
    let checkbox = (0..width)
        .map(|c| {
            let multi = block.iter().filter(|&&b| b == block[c]).count() > 1;
            let s = sub[c].as_str();
            multi
                && !s.is_empty()
                && !PLAIN.contains(&s)
                && (2..g.rows.len()).all(|r| g.get(r, c).is_empty() || g.get(r, c) == s)
        })
        .collect();
    Ok(Layout { question, sub, block, checkbox })
}

impl Layout {
    /// The column of (question, subquestion); `subquestion` may be left empty for a
    /// question of one column.
    fn find(&self, question: &str, sub: &str) -> Result<usize, String> {
        let cols: Vec<usize> = (0..self.question.len()).filter(|&c| self.question[c] == question).collect();
        if cols.is_empty() {
            let near = crate::suggest::hint(question, self.question.iter().map(String::as_str));
            return Err(format!("the export has no question '{}'{near}", clip(question)));
        }
        if sub.is_empty() {
            return match cols.as_slice() {
                [c] => Ok(*c),
                _ => Err(format!(
                    "question '{}' has {} columns: name one in subquestion ({})",
                    clip(question),
                    cols.len(),
                    cols.iter().map(|&c| format!("'{}'", clip(&self.sub[c]))).collect::<Vec<_>>().join(", ")
                )),
            };
        }
        cols.iter().copied().find(|&c| self.sub[c] == sub).ok_or_else(|| {
            let near = crate::suggest::hint(sub, cols.iter().map(|&c| self.sub[c].as_str()));
            format!("question '{}' has no column '{}'{near}", clip(question), clip(sub))
        })
    }
}

/// One item: its column and the answers the map translates.
struct Spec {
    code: String,
    col: usize,
    answers: Vec<(String, String)>,
}

/// A field's column and the answer translations the map gives for it.
struct Field {
    col: usize,
    answers: Vec<(String, String)>,
}

impl Field {
    fn value(&self, v: &str) -> String {
        self.answers.iter().find(|(a, _)| a == v).map_or_else(|| v.to_string(), |(_, c)| c.clone())
    }
}

/// Decodes a SurveyMonkey export with its map.
pub fn convert(g: &Grid, map: &[Entry], opt: &Options) -> Result<Imported> {
    let lay = layout(g)?;
    let mut diags = Vec::new();
    let field = |name: &str, option: &str, diags: &mut Vec<Diag>| -> Option<Field> {
        let col = lay.find(name, "").or_else(|e| g.rows[0].iter().position(|h| h == name).ok_or(e));
        match col {
            Ok(col) => Some(Field { col, answers: Vec::new() }),
            Err(e) => {
                diags.push(Diag::new(g.loc(0, 0), format!("{option} {}: {e}", clip(name))));
                None
            }
        }
    };
    let unit = field(&opt.unit_field, "--unit-field", &mut diags);
    let year = match &opt.year {
        YearFrom::Field(f) => field(f, "--year-field", &mut diags),
        YearFrom::Fixed(_) => None,
    };
    let respondent =
        field(opt.respondent_field.as_deref().unwrap_or("Respondent ID"), "--respondent-field", &mut diags);
    let (Some(mut unit), Some(respondent)) = (unit, respondent) else {
        return done(diags).map(|()| Imported::default());
    };
    let mut year = year;
    if matches!(opt.year, YearFrom::Field(_)) && year.is_none() {
        return done(diags).map(|()| Imported::default());
    }
    let mut specs: Vec<Spec> = Vec::new();
    for e in map {
        let col = match lay.find(&e.question, &e.subquestion) {
            Ok(c) => c,
            Err(m) => {
                diags.push(Diag::new(e.loc.clone(), m));
                continue;
            }
        };
        if e.item.is_empty() {
            let target =
                if col == unit.col { Some(&mut unit) } else { year.as_mut().filter(|y| y.col == col) };
            match (target, &e.answer) {
                (Some(f), Some(a)) => f.answers.push(a.clone()),
                _ => diags.push(
                    Diag::new(
                        e.loc.clone(),
                        "a map row without an item translates an answer of the unit or year field",
                    )
                    .hint("give the item code, or the answer and code of the unit (year) question"),
                ),
            }
            continue;
        }
        match specs.iter_mut().find(|s| s.code == e.item) {
            Some(s) if s.col != col => {
                diags.push(Diag::new(e.loc.clone(), format!("item '{}' is mapped from two columns", e.item)))
            }
            Some(s) => s.answers.extend(e.answer.clone()),
            None => specs.push(Spec {
                code: e.item.clone(),
                col,
                answers: e.answer.clone().into_iter().collect(),
            }),
        }
    }
    done(std::mem::take(&mut diags))?;
    let mut out = Imported {
        layout: "SurveyMonkey export (two header rows), read with the map".into(),
        items: specs.iter().map(|s| item(&lay, s)).collect(),
        not_items: not_items(&lay, &specs, [Some(&unit), year.as_ref(), Some(&respondent)]),
        fields: vec![
            format!("unit: {}", opt.unit_field),
            match &opt.year {
                YearFrom::Fixed(y) => format!("year: {y} (--year)"),
                YearFrom::Field(f) => format!("year: {f}"),
            },
            format!("respondent: {}", opt.respondent_field.as_deref().unwrap_or("Respondent ID")),
        ],
        ..Imported::default()
    };
    let mut keys = Keys::default();
    for row in 2..g.rows.len() {
        if g.blank(row) {
            continue;
        }
        out.submissions += 1;
        let (u, p) = match (g.value(row, unit.col), g.value(row, respondent.col)) {
            (Ok(u), Ok(p)) => (unit.value(u), p.to_string()),
            (u, p) => {
                diags.extend(u.err().into_iter().chain(p.err()));
                continue;
            }
        };
        let y = match (&opt.year, &year) {
            (YearFrom::Fixed(y), _) => Ok(*y),
            (_, Some(f)) => g.value(row, f.col).and_then(|v| {
                let v = f.value(v);
                parse_year(&v).ok_or_else(|| {
                    Diag::new(g.loc(row, f.col), format!("year '{}' is not a year or a date", clip(&v)))
                })
            }),
            _ => unreachable!("a year field or a fixed year"),
        };
        let at = [g.loc(row, unit.col), g.loc(row, unit.col), g.loc(row, respondent.col)];
        let Some((u, y, p)) = keys.check((&u, y, &p), at, &mut diags) else { continue };
        for s in &specs {
            match response(g, &lay, row, s).and_then(|v| readable(v, || g.loc(row, s.col))) {
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
        let at = map.first().map_or_else(|| g.whole(), |e| Location::file(&e.loc.path));
        Diag::new(at, "the map names no item")
            .hint("a row with an item code for each question to import: question,subquestion,item")
    })
}

fn response(g: &Grid, lay: &Layout, row: usize, s: &Spec) -> Result<String, Diag> {
    let v = g.value(row, s.col)?;
    if v.is_empty() {
        // An option left unticked in a question that was answered is "not chosen".
        let answered = lay.checkbox[s.col]
            && (0..lay.block.len())
                .any(|c| lay.block[c] == lay.block[s.col] && lay.checkbox[c] && !g.get(row, c).is_empty());
        return Ok(if answered { "0".into() } else { String::new() });
    }
    if s.answers.is_empty() {
        return Ok(if lay.checkbox[s.col] { "1".into() } else { v.to_string() });
    }
    s.answers.iter().find(|(a, _)| a == v).map(|(_, c)| c.clone()).ok_or_else(|| {
        let listed: Vec<String> = s.answers.iter().take(12).map(|(a, _)| format!("'{}'", clip(a))).collect();
        Diag::new(
            g.loc(row, s.col),
            format!("'{}' is not an answer the map gives for item {}", clip(v), s.code),
        )
        .hint(format!("the map's answers for it: {}; add a row for this one", listed.join(", ")))
    })
}

fn item(lay: &Layout, s: &Spec) -> Item {
    let sub = &lay.sub[s.col];
    let checkbox = lay.checkbox[s.col];
    let mut choices = s.answers.iter().map(|(a, c)| (c.clone(), a.clone())).collect::<Vec<_>>();
    if checkbox && choices.is_empty() {
        choices = vec![("1".into(), "chosen".into()), ("0".into(), "not chosen".into())];
    }
    let nums: Vec<f64> = choices.iter().filter_map(|(c, _)| c.parse::<f64>().ok()).collect();
    let scale = match (nums.iter().copied().reduce(f64::min), nums.iter().copied().reduce(f64::max)) {
        (Some(lo), Some(hi)) => format!("{}-{}", crate::output::fmt_f64(lo), crate::output::fmt_f64(hi)),
        _ => String::new(),
    };
    Item {
        code: s.code.clone(),
        question: lay.question[s.col].clone(),
        label: if PLAIN.contains(&sub.as_str()) || sub.is_empty() {
            lay.question[s.col].clone()
        } else {
            sub.clone()
        },
        group: String::new(),
        type_text: if checkbox { "checkbox option" } else { "answer" }.into(),
        scale,
        choices,
    }
}

fn not_items(lay: &Layout, specs: &[Spec], fields: [Option<&Field>; 3]) -> Vec<String> {
    let used = |c: usize| specs.iter().any(|s| s.col == c) || fields.iter().flatten().any(|f| f.col == c);
    let mut out: Vec<String> = Vec::new();
    for c in (0..lay.question.len()).filter(|&c| !used(c)) {
        let name = if lay.sub[c].is_empty() || lay.block.iter().filter(|&&b| b == lay.block[c]).count() == 1 {
            lay.question[c].clone()
        } else {
            format!("{} / {}", lay.question[c], lay.sub[c])
        };
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn checkbox_columns_are_those_holding_their_own_subheader() {
        let rows: Vec<Vec<String>> = [
            ["Respondent ID", "Q1", "Q2", "", ""],
            ["", "Response", "Lawyer", "Doctor", "Other (please specify)"],
            ["1", "Yes", "Lawyer", "", "a friend"],
            ["2", "No", "", "", ""],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let g = Grid::from_rows(Path::new("m.csv"), None, rows);
        let lay = layout(&g).unwrap();
        assert_eq!(lay.checkbox, [false, false, true, true, false]);
        assert_eq!(lay.question[3], "Q2");
        assert_eq!(lay.find("Q2", "Doctor"), Ok(3));
        assert!(lay.find("Q2", "").unwrap_err().contains("has 3 columns"));
        let spec = |col| Spec { code: "x".into(), col, answers: Vec::new() };
        // Row 3 ticked Lawyer: Doctor is "not chosen"; row 4 ticked nothing: both are empty.
        assert_eq!(response(&g, &lay, 2, &spec(3)), Ok("0".to_string()));
        assert_eq!(response(&g, &lay, 2, &spec(2)), Ok("1".to_string()));
        assert_eq!(response(&g, &lay, 3, &spec(3)), Ok(String::new()));
    }
}
