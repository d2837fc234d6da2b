//! The public form of a run's outputs: what `gti compute --public`, `gti report --public` and
//! `gti release` write. [`publish`] turns a [`Bundle`] (rows, log, manifest) into it; the
//! pieces ([`log`], [`manifest`], [`file_name`]) are public for outputs built otherwise.

use super::{Disclosure, ONE_INSIDER, SPREAD_FLOOR, check_values, combines_answers, few_answers};
use crate::error::Result;
use crate::log::{Finding, RunLog};
use crate::methodology::{Methodology, Source};
use crate::output::{Bundle, DatasetRow, Manifest};
use crate::sensitivity::intervals::{IntervalRow, IntervalStamp};
use crate::stages::{DatasetName, Results};
use std::collections::{HashMap, HashSet};

/// The public form of a run's outputs, under the methodology's `[expert] disclosure`:
///
/// - scores: `respondents` as the band `<count_band` below it, `agreement` withheld below
///   `min_respondents` answers (the columns stay);
/// - the run log ([`log`]): no per-respondent finding, no unit's respondent count, file names
///   for paths, and a warning counting the item values that rest on fewer than three answers;
/// - the manifest ([`manifest`]): that log, file names for paths, the rules applied;
/// - data sets before normalisation (`Raw` … `Treated`): expert items' values withheld (flag
///   `withheld`); `Normalised` and `Aggregated` are the scores' own values.
///
/// Trends, transparency and regional means say nothing about respondents and are kept.
/// `m` and `r` are the methodology and the run the bundle was built from.
///
/// # Errors
/// [`check_values`]: an expert item valued from a single answer.
pub fn publish<'a>(mut b: Bundle<'a>, m: &Methodology, r: &Results) -> Result<Bundle<'a>> {
    check_values(m, r)?;
    let rules = m.disclosure;
    let withheld = intervals(&mut b, m, r)?;
    b.log = log(&b.log, few_answers(m, r));
    if withheld > 0 {
        b.log.push(Finding::IntervalsWithheld {
            points: withheld,
            below: rules.min_respondents.max(SPREAD_FLOOR),
        });
    }
    b.manifest = manifest(b.manifest, &b.log, rules);
    b.scores = b.scores.public(rules);
    let expert: HashSet<&str> = m
        .framework
        .indicators
        .iter()
        .map(|&id| m.element(id))
        .filter(|e| e.indicator().is_some_and(|s| s.source == Source::Expert))
        .map(|e| e.code.as_str())
        .collect();
    for (name, rows) in &mut b.datasets {
        if !matches!(name, DatasetName::Normalised | DatasetName::Aggregated) {
            rows.iter_mut().filter(|row| expert.contains(row.code.as_str())).for_each(withhold);
        }
    }
    Ok(b)
}

/// Refuses, for a public output, an uncertainty analysis whose spec varies how answers are
/// combined (an input under `[expert]`, see [`combines_answers`]; `inputs` are the spec's
/// input paths): its intervals compare two ways of combining the same answers, as a public
/// comparison may not. Cheap: `compute` and `report` call it as soon as the spec is parsed,
/// before an analysis that may take minutes.
///
/// # Errors
/// [`crate::Error::Usage`], naming the first input that combines answers.
pub fn uncertainty_is_public(inputs: &[String]) -> Result<()> {
    match inputs.iter().find(|p| combines_answers(p)) {
        Some(p) => Err(crate::Error::Usage(format!(
            "the uncertainty analysis varies '{p}', which changes how answers are combined: its intervals \
             cannot go into a public output (docs/respondent-safety.md); leave out --public, or analyse a \
             spec without that input"
        ))),
        None => Ok(()),
    }
}

/// The public form of the intervals published with the scores (`uncertainty.csv`), in
/// place; returns how many points' intervals were withheld.
///
/// - An analysis that varied how answers are combined is refused ([`uncertainty_is_public`]).
///   Commands check the spec before running the analysis; this check stays for intervals
///   given otherwise.
/// - Every other point keeps its intervals only where [`Disclosure::interval`] allows, from
///   the fewest answers of any expert item beneath it in that unit and year. This applies
///   whatever the spec varied: an interval of a point resting on two answers says how far the
///   score moves with them, and the run cannot tell which input moved it.
///
/// # Errors
/// [`crate::Error::Usage`], naming the input that combines answers.
fn intervals(b: &mut Bundle, m: &Methodology, r: &Results) -> Result<usize> {
    let (Some(rows), Some(stamp)) = (b.intervals.as_mut(), b.manifest.uncertainty.as_mut()) else {
        return Ok(0);
    };
    public_intervals(rows, stamp, m, r)
}

/// The public form of intervals held outside a [`Bundle`] (`gti explore`), in place, by the
/// rules of [`publish`] (see `intervals` there): the same refusal, the same points withheld,
/// `stamp.withheld` set (its paths are left to the caller: [`file_name`]). Returns how many points'
/// intervals were withheld.
///
/// # Errors
/// [`crate::Error::Usage`], naming the input that combines answers.
pub fn public_intervals(
    rows: &mut [IntervalRow],
    stamp: &mut IntervalStamp,
    m: &Methodology,
    r: &Results,
) -> Result<usize> {
    uncertainty_is_public(&stamp.inputs)?;
    let agg = &r.datasets.aggregated;
    let (nu, ny) = (agg.units.len(), agg.years.len());
    let shape = crate::sensitivity::model::Shape::of(m, nu, ny);
    let fewest = crate::sensitivity::respondents::min_answers_of(&shape, &r.respondents);
    let nn = shape.nodes.len();
    let node: HashMap<&str, usize> =
        shape.nodes.iter().enumerate().map(|(k, &e)| (m.framework.elements[e].code.as_str(), k)).collect();
    let unit: HashMap<&str, usize> = agg.units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let year: HashMap<i32, usize> = agg.years.iter().enumerate().map(|(i, &y)| (y, i)).collect();
    let mut withheld = 0;
    for row in rows.iter_mut() {
        let at = (year.get(&row.year), node.get(row.node.as_str()), unit.get(row.unit.as_str()));
        // A point this run does not have: nothing says it is safe.
        let shown = match at {
            (Some(&y), Some(&k), Some(&u)) => m.disclosure.interval(fewest[(y * nn + k) * nu + u]),
            _ => false,
        };
        if !shown {
            row.withhold();
            withheld += 1;
        }
    }
    stamp.withheld = Some(withheld);
    Ok(withheld)
}

/// The combined values of the expert items whose value came from answers, as a data set in
/// long form (`unit`, `year`, `code`, `value`; `flag` empty), in year, framework and unit
/// order: what a release carries instead of the response files, a statistical file gti reads
/// back (`unit,year,indicator,value`) so that the release recomputes. Screened unit-years are
/// included (screening counts them). `r` must keep the `Raw` data set (`stages::run`).
///
/// # Errors
/// As [`check_values`], over every point: an item valued from a single answer.
pub fn combined_values(m: &Methodology, r: &Results) -> Result<Vec<DatasetRow>> {
    let (raw, agg) = (&r.datasets.raw, &r.datasets.aggregated);
    assert!(!raw.values.is_empty() || r.respondents.is_empty(), "combined_values needs the Raw data set");
    let (nu, ne) = (agg.units.len(), agg.columns.len());
    let mut rows = Vec::new();
    let mut lone = Vec::new();
    for (y, &year) in agg.years.iter().enumerate() {
        for (c, &id) in m.framework.indicators.iter().enumerate() {
            let el = m.element(id);
            let Some(rules) = el.indicator().and_then(|s| s.expert.as_deref()) else { continue };
            for (u, unit) in agg.units.iter().enumerate() {
                let Some(n) = r.respondents((y * ne + id) * nu + u) else { continue };
                let v = raw.get(y, c, u);
                if n < rules.min_respondents.max(1) || v.is_nan() {
                    continue;
                }
                if n < super::VALUE_FLOOR {
                    lone.push(format!("{unit} {year} {}", el.code));
                }
                let (unit, code) = (unit.to_string(), el.code.to_string());
                rows.push(DatasetRow { unit, year, code, value: Some(v), flag: String::new() });
            }
        }
    }
    match lone.first() {
        None => Ok(rows),
        Some(first) => Err(super::lone_answers(m, std::slice::from_ref(first), lone.len())),
    }
}

fn withhold(row: &mut DatasetRow) {
    row.value = None;
    row.flag = if row.flag.is_empty() { "withheld".into() } else { format!("{}+withheld", row.flag) };
}

/// The public run log: each finding in its public form ([`public_finding`]), respondent
/// checks counted in one finding where the first was, and, when `few` item values rest on
/// fewer than three answers, a warning saying so.
pub fn log(log: &RunLog, few: usize) -> RunLog {
    let mut out = RunLog::default();
    let (mut straight_lining, mut far_from_consensus, mut at) = (0, 0, None);
    for f in &log.findings {
        match public_finding(f) {
            Public::Same => out.push(f.clone()),
            Public::Reduced(g) => out.push(g),
            Public::Counted(check) => {
                at.get_or_insert(out.findings.len());
                match check {
                    Check::StraightLining => straight_lining += 1,
                    Check::FarFromConsensus => far_from_consensus += 1,
                }
            }
        }
    }
    if let Some(k) = at {
        out.findings.insert(k, Finding::RespondentChecks { straight_lining, far_from_consensus });
    }
    if few > 0 {
        out.push(Finding::FewAnswers { items: few, below: ONE_INSIDER });
    }
    out
}

/// What a finding becomes in a public log.
enum Public {
    Same,
    /// Without what identifies a respondent or a place on someone's disk.
    Reduced(Finding),
    /// A per-respondent finding: only counted.
    Counted(Check),
}

enum Check {
    StraightLining,
    FarFromConsensus,
}

/// Every finding's public form. The match names every variant, so that a new finding cannot
/// reach a public output before its author has said what it may show.
fn public_finding(f: &Finding) -> Public {
    use Finding::*;
    match f {
        StraightLining { .. } => Public::Counted(Check::StraightLining),
        FarFromConsensus { .. } => Public::Counted(Check::FarFromConsensus),
        FewRespondents { unit, year, required, .. } => Public::Reduced(FewRespondents {
            unit: unit.clone(),
            year: *year,
            respondents: None,
            required: *required,
        }),
        UnusedData { code, rows, at, near } => Public::Reduced(UnusedData {
            code: code.clone(),
            rows: *rows,
            at: file_name(at),
            near: near.clone(),
        }),
        RegionColumn { file, found } => {
            Public::Reduced(RegionColumn { file: file_name(file), found: found.clone() })
        }
        // `dir/data.xlsx[Sheet]`: the file's name and the sheet; the reason without the cells
        // it quotes (a sheet not read may hold anything).
        SheetIgnored { sheet, why } => {
            let at = sheet.rfind('[').unwrap_or(sheet.len());
            Public::Reduced(SheetIgnored {
                sheet: format!("{}{}", file_name(&sheet[..at]), &sheet[at..]),
                why: why.split(" (row ").next().unwrap_or(why).to_string(),
            })
        }
        NothingToImpute { .. }
        | NoData { .. }
        | UnitNotInUnitsFile { .. }
        | Methodology(_)
        | Degenerate { .. }
        | AllMissing { .. }
        | Imputed { .. }
        | NotImputed { .. }
        | ImputeModel { .. }
        | InsufficientCoverage { .. }
        | ZeroInMean { .. }
        | Unbanded { .. }
        | Screened { .. }
        | Treated { .. }
        | TreatSkipped { .. }
        | YearBounds { .. }
        | BandsOffScale { .. }
        | TreatScales { .. }
        | ExpertTooFew { .. }
        | ExpertNoAnswer { .. }
        | ExpertOutliers { .. }
        | ExpertNoConfidence { .. }
        | RespondentChecks { .. }
        | FewAnswers { .. }
        | IntervalsWithheld { .. }
        | WeightsIncomplete { .. }
        | WeightsConstant { .. }
        | WeightsReplaced { .. }
        | Optimised { .. }
        | CrossUnitNote { .. }
        | ExternalIgnored { .. } => Public::Same,
    }
}

/// The public manifest: the public `log` as its warnings, every path reduced to its file name
/// (a public output does not say where files sit on someone's disk), and the rules applied
/// under `disclosure` (which marks the manifest as public).
pub fn manifest(mut man: Manifest, log: &RunLog, rules: Disclosure) -> Manifest {
    man.methodology.path = file_name(&man.methodology.path);
    if let Some(b) = &mut man.base_methodology {
        b.path = file_name(&b.path);
    }
    for input in &mut man.inputs {
        input.path = file_name(&input.path);
    }
    if let Some(u) = &mut man.uncertainty {
        (u.from, u.spec) = (file_name(&u.from), file_name(&u.spec));
    }
    man.warnings = log.findings.iter().map(|f| f.to_string()).collect();
    man.disclosure = Some(rules);
    man
}

/// The last component of a path (`/` or `\` separated), with whatever follows it (a location
/// `:3:5` stays).
pub fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of a small index (q1 from answers, s1 statistical) on files written to a
    /// temporary folder: XAA answers 2 and 4, XAB 1, 2 and 6, XAC 7 alone.
    fn small_run(min_respondents: u32, files: &[(&str, &str)]) -> (Methodology, Results) {
        let dir = tempfile::tempdir().unwrap();
        let toml = format!(
            "schema = 1\n[index]\ncode = \"I\"\nname = \"t\"\nversion = \"1\"\n[expert]\n\
             min_respondents = {min_respondents}\n[node.I]\n[indicator.q1]\nparent = \"I\"\nsource = \"expert\"\n\
             normalise = {{ method = \"goalposts\", min = 0, max = 10 }}\n[indicator.s1]\nparent = \"I\"\n"
        );
        std::fs::write(dir.path().join("m.toml"), toml).unwrap();
        let mut data = Vec::new();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
            data.push(dir.path().join(name));
        }
        let m = Methodology::load(&dir.path().join("m.toml"), &[]).unwrap();
        let raw = crate::ingest::read_all(&data).unwrap();
        let r = crate::stages::run(&m, &raw).unwrap();
        (m, r)
    }

    const RESPONSES: &str = "unit,year,respondent,item,response\nXAA,2024,a1,q1,2\nXAA,2024,a2,q1,4\n\
        XAB,2024,b1,q1,1\nXAB,2024,b2,q1,2\nXAB,2024,b3,q1,6\nXAC,2024,c1,q1,7\n";
    const STATS: &str = "unit,year,indicator,value\nXAA,2024,s1,10\nXAB,2024,s1,20\nXAC,2024,s1,30\n";

    #[test]
    fn combined_values_recompute_what_the_answers_give() {
        let (m, r) = small_run(2, &[("r.csv", RESPONSES), ("s.csv", STATS)]);
        let rows = combined_values(&m, &r).unwrap();
        let got: Vec<(&str, i32, &str, Option<f64>)> =
            rows.iter().map(|d| (d.unit.as_str(), d.year, d.code.as_str(), d.value)).collect();
        // XAC's lone answer is left missing by min_respondents = 2, and not carried.
        assert_eq!(got, [("XAA", 2024, "q1", Some(3.0)), ("XAB", 2024, "q1", Some(3.0))]);
        // As a statistical file beside the statistical data, they give the same scores.
        let mut text = String::from("unit,year,indicator,value\n");
        for d in &rows {
            text.push_str(&format!("{},{},{},{}\n", d.unit, d.year, d.code, d.value.unwrap()));
        }
        let (_, again) = small_run(2, &[("combined.csv", &text), ("s.csv", STATS)]);
        let (a, b) = (&r.datasets.aggregated.values, &again.datasets.aggregated.values);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(b).all(|(x, y)| x == y || (x.is_nan() && y.is_nan())), "{a:?} vs {b:?}");
        // With min_respondents = 1, XAC's value would be its respondent's answer: refused.
        let (m, r) = small_run(1, &[("r.csv", RESPONSES), ("s.csv", STATS)]);
        let e = combined_values(&m, &r).unwrap_err().to_string();
        assert!(e.contains("from a single answer") && e.contains("XAC 2024 q1"), "{e}");
    }

    #[test]
    fn paths_become_file_names() {
        assert_eq!(file_name("/home/ana/gti/indicators/expert_responses.csv"), "expert_responses.csv");
        assert_eq!(file_name("indicators/data.csv:12:3"), "data.csv:12:3");
        assert_eq!(file_name("C:\\Users\\ana\\data.csv"), "data.csv");
        assert_eq!(file_name("data.csv"), "data.csv");
    }

    #[test]
    fn respondents_leave_the_log_and_are_counted() {
        let mut internal = RunLog::default();
        internal.push(Finding::NoData { code: "x".into() });
        internal.push(Finding::StraightLining {
            unit: "XAC".into(),
            year: 2023,
            respondent: "XAC-E02".into(),
            items: 18,
        });
        internal.push(Finding::FewRespondents {
            unit: "XAV".into(),
            year: 2024,
            respondents: Some(1),
            required: 2,
        });
        internal.push(Finding::FarFromConsensus {
            unit: "XAD".into(),
            year: 2024,
            respondent: "XAD-E10".into(),
            distance: 0.48,
            threshold: 0.3,
        });
        internal.push(Finding::UnusedData {
            code: "y".into(),
            rows: 2,
            at: "/home/ana/data/stats.csv:4:2".into(),
            near: None,
        });
        let public = log(&internal, 124);
        let text: Vec<String> = public.findings.iter().map(|f| f.to_string()).collect();
        let all = text.join("\n");
        for secret in ["XAC-E02", "XAD-E10", "XAC", "XAD", "/home/ana", "has 1 respondent"] {
            assert!(!all.contains(secret), "{secret} in\n{all}");
        }
        assert_eq!(text[0], "ingest: indicator 'x' has no value in any input");
        assert!(text[1].starts_with("expert check: 1 respondent(s) gave the same answer"), "{}", text[1]);
        assert!(text[1].contains("1 lay far from the others"), "{}", text[1]);
        assert!(text[2].contains("XAV has fewer respondents in 2024 than the 2 required"), "{}", text[2]);
        assert!(text[3].contains("(stats.csv:4:2)"), "{}", text[3]);
        assert!(
            text[4].starts_with("disclosure: 124 expert item value(s) rest on fewer than 3 answers"),
            "{}",
            text[4]
        );
        assert_eq!(text.len(), 5);
        // Without respondent checks or few answers, nothing is added.
        let plain = log(&RunLog { findings: vec![Finding::NoData { code: "x".into() }] }, 0);
        assert_eq!(plain.findings, vec![Finding::NoData { code: "x".into() }]);
    }
}
