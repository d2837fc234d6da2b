//! The `[expert]` table and `[indicator.X].expert`: how the answers to one questionnaire item
//! become an indicator value (the stage is `crate::stages::expert`; the user's guide is
//! `docs/expert-questionnaires.md`).
//!
//! Resolution: each key of an indicator's own `expert` table overrides the same key of
//! `[expert]`; a key given in neither takes the built-in default (`mean`,
//! `min_respondents = 1`, no codes, no scale, no outlier rule, no confidence weighting).
//! `codes` and `outliers` are replaced as a whole, never merged: a code list is the
//! vocabulary of one item, and merging would let a yes/no vocabulary leak into a 0–10 item.
//! Problems in `[expert]` are reported once, at `[expert]`; an indicator's table is checked
//! for what it adds.

use super::raw::{RawExpert, RawMethodology};
use super::{Framework, Kind, Source, SourceMap};
use crate::disclosure::{self, Disclosure};
use crate::error::Diag;
use serde::Serialize;
use std::ops::Range;
use toml::Spanned;

/// How the answers used are combined into one value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Combine {
    /// Σ cᵢxᵢ / Σ cᵢ, with cᵢ the confidence weights (all 1 without weighting).
    Mean,
    /// The median; with weights, the weighted median of `stages::aggregate::weighted_median`.
    Median,
    /// The mean after dropping ⌊trim·n⌋ answers at each end of the sorted answers (R's
    /// `mean(x, trim)`); `trim` in [0, 0.5).
    TrimmedMean { trim: f64 },
}

/// Drop answers beyond mean ± `sd` standard deviations (n − 1) of the item's answers in the
/// unit and year, applied only when there are at least `min_respondents` answers (the WJP's
/// rule for its expert questionnaires).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OutlierRule {
    pub sd: f64,
    pub min_respondents: u32,
}

/// Transparency penalty: a node's score minus `k` × the weighted share of its expert items
/// missing (see `crate::stages::transparency`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Penalty {
    pub k: f64,
}

/// The resolved rules of one questionnaire item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpertRules {
    pub combine: Combine,
    /// Fewer answers used than this leaves the item missing (flagged in the run log).
    pub min_respondents: u32,
    /// Declared response codes, keyed by [`code_key`]: a value on the item's scale, or `None`
    /// for a code that means "missing" (e.g. "don't know").
    pub codes: Codes,
    /// `[low, high]`: numeric answers (and code values) must lie inside it.
    pub scale: Option<(f64, f64)>,
    pub outliers: Option<OutlierRule>,
    /// Weight each answer by its `confidence` (0–1; an answer without one weighs 1).
    pub weight_by_confidence: bool,
}

impl Default for ExpertRules {
    fn default() -> Self {
        ExpertRules {
            combine: Combine::Mean,
            min_respondents: 1,
            codes: Vec::new(),
            scale: None,
            outliers: None,
            weight_by_confidence: false,
        }
    }
}

impl ExpertRules {
    /// The meaning of a response code: `Some(Some(v))` a value, `Some(None)` "missing",
    /// `None` undeclared.
    pub fn code(&self, text: &str) -> Option<Option<f64>> {
        let key = code_key(text);
        self.codes.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Whether a value lies on the item's scale (always, when no scale is declared).
    pub fn in_scale(&self, v: f64) -> bool {
        self.scale.is_none_or(|(lo, hi)| (lo..=hi).contains(&v))
    }
}

/// The form in which response codes are compared: trimmed, lower-case, with typographic
/// apostrophes (’) read as `'`, so that `Don’t know` matches `"don't know"`.
pub fn code_key(s: &str) -> String {
    s.trim().replace('\u{2019}', "'").to_lowercase()
}

/// The smallest number of answers among which one can lie more than `k` standard deviations
/// (n − 1) from their mean: by Samuelson's inequality no answer is farther than
/// (n − 1)/√n standard deviations, so the rule can drop nothing below this n.
pub fn smallest_droppable(k: f64) -> u32 {
    (2..10_000u32).find(|&n| f64::from(n - 1) / f64::from(n).sqrt() > k).unwrap_or(10_000)
}

/// Response codes and their values (`None`: "missing").
pub type Codes = Vec<(String, Option<f64>)>;

/// Rules being resolved, with what validation still needs to know.
#[derive(Clone)]
struct Resolved {
    rules: ExpertRules,
    /// `trim` as given, even when the rule is not `trimmed_mean` (an indicator may switch).
    trim: Option<f64>,
    code_spans: Vec<Range<usize>>,
}

struct Cx<'a> {
    src: &'a SourceMap<'a>,
    errors: Vec<Diag>,
    notes: Vec<String>,
}

impl Cx<'_> {
    fn err(&mut self, span: Range<usize>, msg: String) -> &mut Diag {
        self.errors.push(Diag::new(self.src.loc(span.start), msg));
        self.errors.last_mut().expect("just pushed")
    }
}

/// Checks `[expert]` and every indicator's `expert` table, sets each expert indicator's
/// resolved rules, and returns `[expert]`'s own rules, the penalty and the disclosure rules.
pub(super) fn resolve(
    src: &SourceMap,
    raw: &RawMethodology,
    fw: Option<&mut Framework>,
    errors: &mut Vec<Diag>,
    notes: &mut Vec<String>,
) -> (ExpertRules, Option<Penalty>, Disclosure) {
    let mut cx = Cx { src, errors: vec![], notes: vec![] };
    let builtin = Resolved { rules: ExpertRules::default(), trim: None, code_spans: vec![] };
    let top = raw.expert.as_ref().map(Spanned::get_ref);
    let defaults = top.map_or(builtin.clone(), |e| layer(&mut cx, &builtin, e, "expert"));
    let penalty = top.and_then(|e| penalty(&mut cx, e));
    let disclosure = top.map_or_else(Disclosure::default, |e| disclosure_rules(&mut cx, e));
    if let Some(fw) = fw {
        for id in fw.indicators.clone() {
            let code = fw.elements[id].code.0.to_string();
            let own = raw.indicator.get(&code).and_then(|i| i.get_ref().expert.as_ref());
            let Kind::Indicator(spec) = &mut fw.elements[id].kind else { continue };
            spec.expert = item(&mut cx, &defaults, &code, spec.source, own).map(Box::new);
        }
    }
    errors.extend(cx.errors);
    notes.extend(cx.notes);
    (defaults.rules, penalty, disclosure)
}

fn item(
    cx: &mut Cx,
    defaults: &Resolved,
    code: &str,
    source: Source,
    own: Option<&Spanned<RawExpert>>,
) -> Option<ExpertRules> {
    match (source, own) {
        (Source::Statistical, None) => None,
        (Source::Statistical, Some(o)) => {
            cx.err(o.span(), format!("indicator.{code}.expert is used only with source = \"expert\"")).hint =
                Some("set source = \"expert\", or remove the expert table".into());
            None
        }
        (Source::Expert, None) => Some(defaults.rules.clone()),
        (Source::Expert, Some(o)) => {
            if let Some(p) = &o.get_ref().penalty {
                let msg = format!("indicator.{code}.expert.penalty: the penalty applies to nodes");
                cx.err(p.span(), msg).hint = Some("set it once, in [expert]".into());
            }
            if let Some(d) = &o.get_ref().disclosure {
                let msg =
                    format!("indicator.{code}.expert.disclosure: the disclosure rules apply to every item");
                cx.err(d.span(), msg).hint = Some("set them once, in [expert]".into());
            }
            Some(layer(cx, defaults, o.get_ref(), &format!("indicator.{code}.expert")).rules)
        }
    }
}

/// `raw` over `base`: each key given in `raw` replaces the base's.
fn layer(cx: &mut Cx, base: &Resolved, raw: &RawExpert, what: &str) -> Resolved {
    let mut out = base.clone();
    if let Some(t) = &raw.trim {
        out.trim = Some(trim(cx, t, what));
    }
    if let Some(c) = &raw.combine {
        out.rules.combine = combine(cx, c, out.trim, what);
    } else if let (Combine::TrimmedMean { .. }, Some(t)) = (out.rules.combine, out.trim) {
        out.rules.combine = Combine::TrimmedMean { trim: t };
    }
    if let Some(m) = &raw.min_respondents {
        out.rules.min_respondents = at_least(cx, m, 1, &format!("{what}.min_respondents"));
    }
    if let Some(s) = &raw.scale {
        out.rules.scale = scale(cx, s, what);
    }
    if let Some(c) = &raw.codes {
        (out.rules.codes, out.code_spans) = codes(cx, c, what);
    }
    if let Some(o) = &raw.outliers {
        out.rules.outliers = outliers(cx, o, what);
    }
    if let Some(w) = &raw.weight_by_confidence {
        out.rules.weight_by_confidence = *w.get_ref();
    }
    if raw.codes.is_some() || raw.scale.is_some() {
        codes_in_scale(cx, &out, what);
    }
    out
}

fn trim(cx: &mut Cx, t: &Spanned<f64>, what: &str) -> f64 {
    let v = *t.get_ref();
    if !(0.0..0.5).contains(&v) {
        cx.err(t.span(), format!("{what}.trim is {v}; it must be in [0, 0.5)")).hint =
            Some("trim is the share of answers dropped at each end, e.g. 0.2".into());
        return 0.0;
    }
    v
}

fn combine(cx: &mut Cx, c: &Spanned<String>, trim: Option<f64>, what: &str) -> Combine {
    match (c.get_ref().as_str(), trim) {
        ("mean", _) => Combine::Mean,
        ("median", _) => Combine::Median,
        ("trimmed_mean", Some(trim)) => Combine::TrimmedMean { trim },
        ("trimmed_mean", None) => {
            cx.err(c.span(), format!("{what}.combine = \"trimmed_mean\" needs `trim`")).hint =
                Some("add e.g. trim = 0.2 (the share of answers dropped at each end)".into());
            Combine::Mean
        }
        (other, _) => {
            let msg = format!("{what}.combine: unknown rule '{other}' (mean, median, trimmed_mean)");
            cx.err(c.span(), msg);
            Combine::Mean
        }
    }
}

fn at_least(cx: &mut Cx, v: &Spanned<i64>, min: i64, what: &str) -> u32 {
    let n = *v.get_ref();
    if n < min || n > i64::from(u32::MAX) {
        cx.err(v.span(), format!("{what} is {n}; it must be a whole number >= {min}"));
        return min as u32;
    }
    n as u32
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

fn scale(cx: &mut Cx, s: &Spanned<toml::Value>, what: &str) -> Option<(f64, f64)> {
    let pair = s.get_ref().as_array().and_then(|a| match a.as_slice() {
        [lo, hi] => Some((number(lo)?, number(hi)?)),
        _ => None,
    });
    match pair {
        Some((lo, hi)) if lo < hi => Some((lo, hi)),
        _ => {
            cx.err(s.span(), format!("{what}.scale must be [low, high] with low < high")).hint =
                Some("e.g. scale = [0, 10]".into());
            None
        }
    }
}

type RawCodes = Spanned<std::collections::BTreeMap<String, Spanned<toml::Value>>>;

fn codes(cx: &mut Cx, raw: &RawCodes, what: &str) -> (Codes, Vec<Range<usize>>) {
    let (mut out, mut spans): (Codes, Vec<Range<usize>>) = (vec![], vec![]);
    for (k, v) in raw.get_ref() {
        let key = code_key(k);
        let value = match v.get_ref() {
            toml::Value::String(s) if s == "missing" => None,
            other => match number(other) {
                Some(x) => Some(x),
                None => {
                    cx.err(v.span(), format!("{what}.codes.\"{k}\" must be a number or \"missing\""));
                    continue;
                }
            },
        };
        if key.is_empty() || key.parse::<f64>().is_ok() || key == "na" {
            let msg = format!("{what}.codes: \"{k}\" cannot be a code");
            cx.err(v.span(), msg).hint =
                Some("numbers are read as numbers, and empty cells and NA as missing, before codes".into());
            continue;
        }
        if out.iter().any(|(o, _)| *o == key) {
            cx.err(v.span(), format!("{what}.codes: \"{k}\" is declared twice (codes ignore case)"));
            continue;
        }
        out.push((key, value));
        spans.push(v.span());
    }
    (out, spans)
}

fn codes_in_scale(cx: &mut Cx, r: &Resolved, what: &str) {
    let Some((lo, hi)) = r.rules.scale else { return };
    for ((code, v), span) in r.rules.codes.iter().zip(&r.code_spans) {
        if let Some(x) = v.filter(|x| !(lo..=hi).contains(x)) {
            let msg = format!("{what}: code \"{code}\" = {x} is outside the item's scale [{lo}, {hi}]");
            cx.err(span.clone(), msg).hint =
                Some("codes map to values on the item's scale; fix the value or the scale".into());
        }
    }
}

fn outliers(cx: &mut Cx, o: &Spanned<toml::Value>, what: &str) -> Option<OutlierRule> {
    let table = match o.get_ref() {
        toml::Value::Boolean(false) => return None,
        toml::Value::Table(t) => t,
        _ => {
            cx.err(o.span(), format!("{what}.outliers must be {{ sd = …, min_respondents = … }} or false"));
            return None;
        }
    };
    let mut problem = |msg: String| cx.err(o.span(), msg).hint = Some(OUTLIER_HINT.into());
    if let Some(k) = table.keys().find(|k| !["sd", "min_respondents"].contains(&k.as_str())) {
        problem(format!("{what}.outliers: unknown key `{k}`"));
        return None;
    }
    let sd = table.get("sd").and_then(number).filter(|k| *k > 0.0);
    let n =
        table.get("min_respondents").and_then(toml::Value::as_integer).filter(|n| (2..=100_000).contains(n));
    let (Some(sd), Some(n)) = (sd, n) else {
        problem(format!("{what}.outliers needs sd > 0 and a whole min_respondents >= 2"));
        return None;
    };
    let reach = smallest_droppable(sd);
    if reach > n as u32 {
        cx.notes.push(format!(
            "{what}.outliers: with sd = {sd}, no answer can lie beyond the mean ± {sd} sd among fewer than \
             {reach} answers (Samuelson's inequality), so the rule drops nothing below {reach}"
        ));
    }
    Some(OutlierRule { sd, min_respondents: n as u32 })
}

const OUTLIER_HINT: &str = "e.g. outliers = { sd = 2.5, min_respondents = 10 }: drop answers beyond the \
mean ± 2.5 sd when an item has at least 10 answers";

fn penalty(cx: &mut Cx, e: &RawExpert) -> Option<Penalty> {
    let p = e.penalty.as_ref()?;
    let k = &p.get_ref().k;
    let v = *k.get_ref();
    if !(v.is_finite() && v >= 0.0) {
        cx.err(k.span(), format!("expert.penalty.k is {v}; it must be a number >= 0"));
        return None;
    }
    (v > 0.0).then_some(Penalty { k: v })
}

/// `[expert] disclosure`: checked against the floors below which a public output would give
/// answers away; values below the safe defaults are allowed, with a note saying what they
/// expose.
fn disclosure_rules(cx: &mut Cx, e: &RawExpert) -> Disclosure {
    let mut d = Disclosure::default();
    let Some(raw) = e.disclosure.as_ref().map(Spanned::get_ref) else { return d };
    if let Some(v) = &raw.count_band {
        d.count_band = at_least(cx, v, 1, "expert.disclosure.count_band");
        if d.count_band < disclosure::COUNT_BAND {
            let (c, k) = (d.count_band, d.count_band.max(2) - 1);
            cx.notes.push(format!(
                "expert.disclosure.count_band = {c}: public outputs show exact counts from {c} answer(s); with \
                 an item's value and an exact count of n answers, n − 1 respondents who pool their answers \
                 compute the last one's, so {k} suffice here ({}, the default, takes {})",
                disclosure::COUNT_BAND,
                disclosure::COUNT_BAND - 1
            ));
        }
    }
    if let Some(v) = &raw.min_respondents {
        let n = *v.get_ref();
        if n < i64::from(disclosure::SPREAD_FLOOR) {
            cx.err(
                v.span(),
                format!("expert.disclosure.min_respondents is {n}; it must be a whole number >= 3"),
            )
            .hint = Some(
                "the mean m and standard deviation s of two answers are the answers themselves (m ± s/√2); \
                 5, the default, keeps any two respondents' answers from the other three"
                    .into(),
            );
        } else {
            d.min_respondents = at_least(cx, v, 3, "expert.disclosure.min_respondents");
        }
        if (disclosure::SPREAD_FLOOR..disclosure::MIN_RESPONDENTS).contains(&d.min_respondents) {
            let (n, k) = (d.min_respondents, d.min_respondents - 2);
            cx.notes.push(format!(
                "expert.disclosure.min_respondents = {n}: public outputs show agreement from {n} answers; with \
                 an item's value and the sd of n answers, n − 2 respondents who pool their answers compute \
                 the other two, so {k} suffice{} ({}, the default, takes {})",
                if k == 1 { " (one respondent alone)" } else { "" },
                disclosure::MIN_RESPONDENTS,
                disclosure::MIN_RESPONDENTS - 2
            ));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_whatever_the_case_and_apostrophe() {
        let r = ExpertRules {
            codes: vec![("yes".into(), Some(1.0)), ("don't know".into(), None)],
            ..ExpertRules::default()
        };
        assert_eq!(r.code(" Yes "), Some(Some(1.0)));
        assert_eq!(r.code("Don\u{2019}t know"), Some(None));
        assert_eq!(r.code("maybe"), None);
    }

    #[test]
    fn samuelson_bound() {
        // (n − 1)/√n: n = 8 → 7/√8 ≈ 2.47 ≤ 2.5; n = 9 → 8/3 ≈ 2.67 > 2.5.
        assert_eq!(smallest_droppable(2.5), 9);
        // n = 3 → 2/√3 ≈ 1.155 > 1; n = 2 → 1/√2 ≈ 0.707.
        assert_eq!(smallest_droppable(1.0), 3);
        // n = 5 → 4/√5 ≈ 1.789 > 1.5; n = 4 → 3/2 = 1.5, not beyond.
        assert_eq!(smallest_droppable(1.5), 5);
    }
}
