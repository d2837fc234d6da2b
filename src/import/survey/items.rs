//! The items of an XLSForm import: which questions (or select_multiple choices) become
//! items and under which codes — every select and number question, or those of a map — and
//! how the codebook describes each.

use super::form::{Form, Kind, Question, label_or};
use super::map::Entry;
use super::{Item, done};
use crate::error::{Diag, Result};
use crate::ingest::cell::clip;
use std::collections::HashMap;

/// One item to read: a question, or one choice of a select_multiple.
#[derive(Debug, Clone)]
pub struct Spec {
    pub code: String,
    pub q: usize,
    pub choice: Option<usize>,
}

/// Without a map: every select and number question except the fields, in form order; a
/// select_multiple gives one item per choice.
pub fn specs_of_form(form: &Form, fields: &[Option<usize>]) -> Vec<Spec> {
    let mut out = Vec::new();
    for (qi, q) in form.questions.iter().enumerate().filter(|(qi, _)| !fields.contains(&Some(*qi))) {
        match q.kind {
            Kind::SelectOne { .. } | Kind::Number => {
                out.push(Spec { code: q.name.clone(), q: qi, choice: None })
            }
            Kind::SelectMultiple { .. } => {
                for (ci, c) in form.choices(q).iter().enumerate() {
                    out.push(Spec { code: format!("{}_{}", q.name, c.name), q: qi, choice: Some(ci) });
                }
            }
            Kind::Other => {}
        }
    }
    out
}

pub fn specs_from_map(form: &Form, map: &[Entry]) -> Result<Vec<Spec>> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for e in map {
        let Some(qi) = form.question(&e.question) else {
            let names = form.questions.iter().map(|q| q.name.as_str());
            let near = crate::suggest::hint(&e.question, names);
            diags.push(Diag::new(
                e.loc.clone(),
                format!("'{}' is not a question of the form{near}", clip(&e.question)),
            ));
            continue;
        };
        let q = &form.questions[qi];
        if e.answer.is_some() || e.item.is_empty() {
            diags.push(
                Diag::new(e.loc.clone(), "with a form, a map row gives a question's item code only")
                    .hint("answers take their codes from the choices sheet (see --choice-value)"),
            );
            continue;
        }
        let choice = match (&q.kind, e.subquestion.is_empty()) {
            (Kind::SelectMultiple { .. }, false) => {
                match form.choices(q).iter().position(|c| c.name == e.subquestion) {
                    Some(c) => Some(c),
                    None => {
                        diags.push(Diag::new(
                            e.loc.clone(),
                            format!("'{}' is not a choice of {}", clip(&e.subquestion), q.name),
                        ));
                        continue;
                    }
                }
            }
            (Kind::SelectMultiple { .. }, true) => {
                diags.push(Diag::new(
                    e.loc.clone(),
                    format!("{} is a select_multiple: name one choice in subquestion", q.name),
                ));
                continue;
            }
            (_, true) => None,
            (_, false) => {
                diags.push(Diag::new(
                    e.loc.clone(),
                    format!("{} is not a select_multiple: leave subquestion empty", q.name),
                ));
                continue;
            }
        };
        out.push(Spec { code: e.item.clone(), q: qi, choice });
    }
    done(diags).map(|()| out)
}

/// Item codes gti accepts, each once, and a column for each item.
pub fn check_specs(form: &Form, cols: &super::xlsform::Columns, specs: &[Spec]) -> Result<()> {
    let mut diags = Vec::new();
    let mut seen = HashMap::new();
    for s in specs {
        let q = &form.questions[s.q];
        if let Some(p) = crate::codes::code_problem(&s.code) {
            diags.push(
                Diag::new(form.loc(q), format!("item '{}': {p}", clip(&s.code)))
                    .hint("give it an item code with --map"),
            );
        }
        if let Some(other) = seen.insert(s.code.clone(), q.name.clone()) {
            diags.push(
                Diag::new(
                    form.loc(q),
                    format!("item '{}' would come from both {other} and {}", clip(&s.code), q.name),
                )
                .hint("give one of them another item code with --map"),
            );
        }
        let has = cols.value[s.q].is_some() || s.choice.is_some_and(|c| cols.choice[s.q][c].is_some());
        if !has {
            diags.push(
                Diag::new(form.loc(q), format!("question {} has no column in the export", q.name))
                    .hint("export every question, or name the items to import with --map"),
            );
        }
    }
    done(diags)
}

pub fn item(form: &Form, s: &Spec, lang: usize) -> Item {
    let q = &form.questions[s.q];
    let group = q
        .groups
        .iter()
        .map(|&g| label_or(&form.groups[g].labels, lang, &form.groups[g].name))
        .collect::<Vec<_>>();
    let mut it = Item {
        code: s.code.clone(),
        question: q.name.clone(),
        label: form.label(q, lang).to_string(),
        group: group.join(" / "),
        type_text: q.type_text.clone(),
        ..Item::default()
    };
    if let Some(c) = s.choice {
        let choice = &form.choices(q)[c];
        it.question = format!("{} / {}", q.name, choice.name);
        it.label = format!("{}: {}", it.label, label_or(&choice.labels, lang, &choice.name));
        it.scale = "0-1".into();
        it.choices = vec![("1".into(), "chosen".into()), ("0".into(), "not chosen".into())];
        return it;
    }
    it.choices = form
        .choices(q)
        .iter()
        .map(|c| (c.value.clone(), label_or(&c.labels, lang, &c.name).to_string()))
        .collect();
    if let Kind::SelectOne { or_other: true, .. } = q.kind {
        it.choices.push(("other".into(), "Other".into()));
    }
    it.scale = scale(q, &it.choices);
    it
}

/// The numeric span of an item: a range's `start`/`end`, or its numeric choices' min–max.
fn scale(q: &Question, choices: &[(String, String)]) -> String {
    let param = |k: &str| {
        q.parameters
            .split_whitespace()
            .find_map(|p| p.strip_prefix(k)?.strip_prefix('=')?.parse::<f64>().ok())
    };
    if q.type_text.trim().eq_ignore_ascii_case("range") {
        let (lo, hi) = (param("start").unwrap_or(1.0), param("end").unwrap_or(10.0));
        return format!("{}-{}", crate::output::fmt_f64(lo), crate::output::fmt_f64(hi));
    }
    let nums: Vec<f64> =
        choices.iter().filter_map(|(v, _)| v.parse::<f64>().ok()).filter(|v| v.is_finite()).collect();
    match (nums.iter().copied().reduce(f64::min), nums.iter().copied().reduce(f64::max)) {
        (Some(lo), Some(hi)) => format!("{}-{}", crate::output::fmt_f64(lo), crate::output::fmt_f64(hi)),
        _ => String::new(),
    }
}

pub fn not_items(form: &Form, specs: &[Spec], fields: &[Option<usize>]) -> Vec<String> {
    form.questions
        .iter()
        .enumerate()
        .filter(|(qi, _)| !specs.iter().any(|s| s.q == *qi) && !fields.contains(&Some(*qi)))
        .map(|(_, q)| format!("{} ({})", q.name, q.type_text))
        .collect()
}
