//! The combination of expert answers (see [`super`] for the rules): map, weight, drop
//! outliers, require a minimum, combine, report; then the combined points merged into the
//! data and laid out beside the results.

use crate::codes::{UnitCode, Year};
use crate::error::{DataError, Diag};
use crate::ingest::{RawAnswer, RawData, Response};
use crate::log::{Finding, RunLog};
use crate::methodology::{Combine, ExpertRules, Methodology, OutlierRule};
use crate::stats::{mean_sd, weighted_median};
use crate::table::Panel;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// What one item's answers in one unit and year give.
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// `None` when fewer answers were used than `min_respondents`.
    pub value: Option<f64>,
    /// Answers used (n).
    pub respondents: u32,
    /// Standard deviation (n − 1) of the answers used; `None` when n < 2.
    pub agreement: Option<f64>,
    /// Answers dropped by the outlier rule.
    pub dropped: u32,
}

fn weighted_mean(xs: &[(f64, f64)]) -> f64 {
    xs.iter().map(|(x, c)| c * x).sum::<f64>() / xs.iter().map(|p| p.1).sum::<f64>()
}

/// Step 3: drops answers beyond x̄ ± k·s when the rule applies; returns how many.
fn drop_outliers(xs: &mut Vec<(f64, f64)>, rule: Option<OutlierRule>) -> u32 {
    let Some(rule) = rule.filter(|r| xs.len() >= r.min_respondents as usize) else { return 0 };
    let values: Vec<f64> = xs.iter().map(|p| p.0).collect();
    let (mean, Some(sd)) = mean_sd(&values) else { return 0 };
    let before = xs.len();
    xs.retain(|(x, _)| (x - mean).abs() <= rule.sd * sd);
    (before - xs.len()) as u32
}

/// Step 5: the combination rule over (value, weight) pairs, none empty.
fn apply_rule(mut xs: Vec<(f64, f64)>, rule: Combine) -> f64 {
    match rule {
        Combine::Mean => weighted_mean(&xs),
        Combine::Median => weighted_median(&xs),
        Combine::TrimmedMean { trim } => {
            // Ties in value are ordered by weight, so that the result does not depend on the
            // order of the rows.
            xs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let cut = (trim * xs.len() as f64).floor() as usize;
            weighted_mean(&xs[cut..xs.len() - cut])
        }
    }
}

/// Steps 2–6 for one unit, year and item: `answers` are (value, confidence) of the valid
/// answers (codes already mapped, "missing" excluded).
pub fn combine_answers(answers: &[(f64, Option<f64>)], rules: &ExpertRules) -> Combined {
    let mut xs: Vec<(f64, f64)> = if rules.weight_by_confidence {
        answers.iter().map(|&(x, c)| (x, c.unwrap_or(1.0))).filter(|p| p.1 > 0.0).collect()
    } else {
        answers.iter().map(|&(x, _)| (x, 1.0)).collect()
    };
    let dropped = drop_outliers(&mut xs, rules.outliers);
    let n = xs.len() as u32;
    if xs.is_empty() || n < rules.min_respondents {
        return Combined { value: None, respondents: n, agreement: None, dropped };
    }
    let values: Vec<f64> = xs.iter().map(|p| p.0).collect();
    let agreement = mean_sd(&values).1;
    Combined { value: Some(apply_rule(xs, rules.combine)), respondents: n, agreement, dropped }
}

/// One combined point of the panel.
#[derive(Debug, Clone)]
pub struct Point {
    pub unit: UnitCode,
    pub year: Year,
    /// Column of the item: its position among the framework's indicators.
    pub column: usize,
    pub combined: Combined,
    /// Valid answers (after step 1).
    pub valid: u32,
    /// The point's first response (index into [`RawData::responses`]), to locate it.
    pub first: usize,
}

/// One response after step 1.
#[derive(Debug, Clone)]
pub struct Mapped {
    /// Index into [`RawData::responses`].
    pub response: usize,
    pub column: usize,
    /// `None`: missing or "don't know".
    pub value: Option<f64>,
}

/// The stage's output: every point with responses, and every response mapped.
#[derive(Debug, Clone, Default)]
pub struct Expert {
    /// Sorted by unit, year, column.
    pub points: Vec<Point>,
    pub mapped: Vec<Mapped>,
}

/// Each indicator code → its column and, for expert items, its rules.
fn items(m: &Methodology) -> Items<'_> {
    let fw = &m.framework;
    let spec = |id: usize| fw.elements[id].indicator().and_then(|s| s.expert.as_deref());
    fw.indicators.iter().enumerate().map(|(c, &id)| (fw.elements[id].code.as_str(), (c, spec(id)))).collect()
}

/// Step 1 for one answer: its value, or the message and hint of an error.
fn map_answer(r: &Response, rules: &ExpertRules) -> Result<Option<f64>, (String, String)> {
    match &r.answer {
        RawAnswer::Missing => Ok(None),
        RawAnswer::Number(v) if rules.in_scale(*v) => Ok(Some(*v)),
        RawAnswer::Number(v) => {
            let (lo, hi) = rules.scale.expect("out of scale means a scale");
            let msg = format!("response {v} to item '{}' is outside its scale [{lo}, {hi}]", r.item);
            Err((msg, "answers are numbers on the item's scale, or declared codes".into()))
        }
        RawAnswer::Code(text) => rules.code(text).ok_or_else(|| undeclared(r, text, rules)),
    }
}

fn undeclared(r: &Response, text: &str, rules: &ExpertRules) -> (String, String) {
    let known: Vec<&str> = rules.codes.iter().map(|(k, _)| k.as_str()).collect();
    let declared = if known.is_empty() { "none".to_string() } else { known.join(", ") };
    (
        format!("undeclared response code '{text}' for item '{}'", r.item),
        format!(
            "declared codes: {declared}; declare it in [expert] codes or indicator.{}.expert.codes \
             (a value on the item's scale, or \"missing\")",
            r.item
        ),
    )
}

type Items<'a> = HashMap<&'a str, (usize, Option<&'a ExpertRules>)>;

/// The column and rules of a response's item: `Ok(None)` for an item the methodology does
/// not have, an error for a statistical indicator.
fn item_of<'a>(
    items: &Items<'a>,
    r: &Response,
) -> Result<Option<(usize, &'a ExpertRules)>, (String, String)> {
    match items.get(r.item.as_str()) {
        None => Ok(None),
        Some(&(_, None)) => Err((
            format!("item '{}' is a statistical indicator, not a questionnaire item", r.item),
            format!("set source = \"expert\" in [indicator.{}], or give values", r.item),
        )),
        Some(&(c, Some(rules))) => Ok(Some((c, rules))),
    }
}

fn repeated(data: &RawData, r: &Response, first: usize) -> (String, String) {
    let first = data.response_location(&data.responses[first]);
    let msg = format!(
        "respondent '{}' answers item '{}' twice for unit {}, year {} (first at {first})",
        r.respondent, r.item, r.unit, r.year
    );
    (msg, "keep one answer per respondent, item, unit and year".into())
}

/// Step 1 for every response. Unknown items are counted (logged, not fatal); answers to a
/// statistical indicator, out-of-scale numbers, undeclared codes and repeated answers are
/// errors.
fn map_all(data: &RawData, m: &Methodology, log: &mut RunLog) -> Result<Vec<Mapped>, DataError> {
    let items = items(m);
    let (mut out, mut diags) = (Vec::new(), Vec::new());
    // Rows of each item no indicator declares, with the first one.
    let mut unused: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut seen: HashMap<(&UnitCode, Year, &str, usize), usize> = HashMap::new();
    for (i, r) in data.responses.iter().enumerate() {
        let mapped = item_of(&items, r).and_then(|item| {
            let Some((column, rules)) = item else { return Ok(None) };
            if let Some(first) = seen.insert((&r.unit, r.year, r.respondent.as_str(), column), i) {
                return Err(repeated(data, r, first));
            }
            Ok(Some(Mapped { response: i, column, value: map_answer(r, rules)? }))
        });
        match mapped {
            Ok(Some(a)) => out.push(a),
            Ok(None) => unused.entry(r.item.as_str()).or_insert((0, i)).0 += 1,
            Err((msg, hint)) => diags.push(Diag::new(data.response_location(r), msg).hint(hint)),
        }
    }
    if !diags.is_empty() {
        return Err(DataError(diags));
    }
    // Candidates in framework order, so that a tie is settled the same way every run.
    let fw = &m.framework;
    let expert = fw
        .indicators
        .iter()
        .map(|&id| &fw.elements[id])
        .filter(|e| e.indicator().is_some_and(|s| s.expert.is_some()));
    let declared: Vec<&str> = expert.map(|e| e.code.as_str()).collect();
    for (code, (rows, first)) in unused {
        let r = &data.responses[first];
        log.push(Finding::UnusedData {
            code: code.to_string(),
            rows,
            at: data.files[r.file as usize].at(r.line, None).to_string(),
            near: crate::suggest::near_miss(code, declared.iter().copied()).map(str::to_string),
        });
    }
    Ok(out)
}

/// Steps 2–6 for the answers of one (unit, year, column), in input order.
fn point(data: &RawData, key: (&UnitCode, Year, usize), answers: &[&Mapped], rules: &ExpertRules) -> Point {
    let valid: Vec<(f64, Option<f64>)> =
        answers.iter().filter_map(|a| Some((a.value?, data.responses[a.response].confidence))).collect();
    Point {
        unit: key.0.clone(),
        year: key.1,
        column: key.2,
        combined: combine_answers(&valid, rules),
        valid: valid.len() as u32,
        first: answers[0].response,
    }
}

/// Runs the stage: maps every response, combines every (unit, year, item), and logs the
/// items left missing or cleaned. (The consistency checks are [`super::checks`].)
///
/// # Errors
/// A [`DataError`] listing every answer to a statistical indicator, out-of-scale number,
/// undeclared code and repeated answer, each with file, line and column.
pub fn combine(data: &RawData, m: &Methodology, log: &mut RunLog) -> Result<Expert, DataError> {
    if data.responses.is_empty() {
        return Ok(Expert::default());
    }
    let mapped = map_all(data, m, log)?;
    let rules = m.expert_rules_by_column();
    let mut groups: BTreeMap<(&UnitCode, Year, usize), Vec<&Mapped>> = BTreeMap::new();
    for a in &mapped {
        let r = &data.responses[a.response];
        groups.entry((&r.unit, r.year, a.column)).or_default().push(a);
    }
    let points: Vec<Point> = groups
        .into_iter()
        .map(|(key, answers)| {
            point(data, key, &answers, rules[key.2].expect("mapped items are expert items"))
        })
        .collect();
    report(m, &points, log);
    report_no_confidence(data, m, &mapped, log);
    Ok(Expert { points, mapped })
}

/// Logs, per item and year: points with some valid answers but short of `min_respondents`,
/// and answers dropped as outliers. (Items nobody answered are a consistency check.)
fn report(m: &Methodology, points: &[Point], log: &mut RunLog) {
    // Per (column, year): units short of answers, units with outliers, answers dropped.
    type Tally = (Vec<String>, Vec<String>, u32);
    let mut by: BTreeMap<(usize, Year), Tally> = BTreeMap::new();
    for p in points {
        let e = by.entry((p.column, p.year)).or_default();
        if p.valid > 0 && p.combined.value.is_none() {
            e.0.push(p.unit.to_string());
        }
        if p.combined.dropped > 0 {
            e.1.push(p.unit.to_string());
            e.2 += p.combined.dropped;
        }
    }
    let rules = m.expert_rules_by_column();
    for ((c, year), (few, outliers, answers)) in by {
        let code = m.indicator_code(c).to_string();
        if !few.is_empty() {
            let required = rules[c].map_or(1, |r| r.min_respondents);
            log.push(Finding::ExpertTooFew { code: code.clone(), year, required, units: few });
        }
        if answers > 0 {
            log.push(Finding::ExpertOutliers { code, year, answers, units: outliers });
        }
    }
}

fn report_no_confidence(data: &RawData, m: &Methodology, mapped: &[Mapped], log: &mut RunLog) {
    let rules = m.expert_rules_by_column();
    let mut by: BTreeMap<usize, usize> = BTreeMap::new();
    for a in mapped.iter().filter(|a| a.value.is_some()) {
        let weighted = rules[a.column].is_some_and(|r| r.weight_by_confidence);
        if weighted && data.responses[a.response].confidence.is_none() {
            *by.entry(a.column).or_default() += 1;
        }
    }
    for (c, answers) in by {
        log.push(Finding::ExpertNoConfidence { code: m.indicator_code(c).to_string(), answers });
    }
}

/// The data with every combined point added as an observation (located at its first
/// response), for `crate::table::arrange`.
///
/// # Errors
/// A point given both as responses and as a combined value, naming both places.
pub fn merge<'a>(data: &'a RawData, m: &Methodology, ex: &Expert) -> Result<Cow<'a, RawData>, DataError> {
    if ex.points.is_empty() {
        return Ok(Cow::Borrowed(data));
    }
    let codes: Vec<String> =
        (0..m.framework.indicators.len()).map(|c| m.indicator_code(c).to_string()).collect();
    let at: HashMap<(&UnitCode, Year, &str), &Point> =
        ex.points.iter().map(|p| ((&p.unit, p.year, codes[p.column].as_str()), p)).collect();
    let mut merged = data.clone();
    let mut diags = Vec::new();
    merged.obs.retain(|o| {
        let (unit, code) = (data.unit_of(o), data.code_of(o));
        match at.get(&(unit, o.year, code.as_str())) {
            None => true,
            Some(_) if o.value.is_nan() => false,
            Some(p) => {
                let first = data.response_location(&data.responses[p.first]);
                let msg = format!(
                    "unit {unit}, year {}, item '{code}': a combined value is given here and questionnaire \
                     responses at {first}",
                    o.year
                );
                let hint = "give each expert point once: remove the combined value or the responses";
                diags.push(Diag::new(data.location(o), msg).hint(hint));
                false
            }
        }
    });
    if !diags.is_empty() {
        return Err(DataError(diags));
    }
    for p in &ex.points {
        let r = &data.responses[p.first];
        merged.push(p.unit.as_str(), &codes[p.column], p.year, p.combined.value, (r.file, r.line));
    }
    Ok(Cow::Owned(merged))
}

/// `respondents` and `agreement` of every point, in the layout of `aggregated` (year ×
/// element × unit); `None` where there were no responses. Both empty when no point came
/// from responses (a statistical index of ten million points needs no 250 MB of `None`).
pub fn layout(ex: &Expert, m: &Methodology, aggregated: &Panel) -> (Vec<Option<u32>>, Vec<Option<f64>>) {
    if ex.points.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let n = aggregated.values.len();
    let (mut respondents, mut agreement) = (vec![None; n], vec![None; n]);
    let (nu, ncol) = (aggregated.units.len(), aggregated.columns.len());
    for p in &ex.points {
        let (Ok(u), Some(y)) =
            (aggregated.units.binary_search(&p.unit), aggregated.years.iter().position(|&y| y == p.year))
        else {
            continue;
        };
        let i = (y * ncol + m.framework.indicators[p.column]) * nu + u;
        respondents[i] = Some(p.combined.respondents);
        agreement[i] = p.combined.agreement;
    }
    (respondents, agreement)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
