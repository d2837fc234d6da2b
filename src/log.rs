//! The run log: non-fatal findings of every stage, carried by the outputs (manifest, JSON).
//! Stages never print; they push findings here.

use serde::{Serialize, Serializer};
use std::fmt;

/// One non-fatal finding.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Units with no value at all in a year: imputation would invent the whole unit-year.
    NothingToImpute { year: i32, units: Vec<String> },
    /// Input rows for a code the methodology does not use: where it is first written, and
    /// the declared indicator it nearly matches.
    UnusedData { code: String, rows: usize, at: String, near: Option<String> },
    /// An indicator of the methodology with no value in any input.
    NoData { code: String },
    /// A unit with data but no row in the units file.
    UnitNotInUnitsFile { unit: String },
    /// A units file with no `region` column but one nearly named so (`Region`): no regional
    /// means are computed.
    RegionColumn { file: String, found: String },
    /// A workbook's sheet that is not read (no `unit` column in its first row, empty, or
    /// hidden): `file.xlsx[Sheet]` and why.
    SheetIgnored { sheet: String, why: String },
    /// A note from validating the methodology.
    Methodology(String),
    /// An indicator whose fit sample has zero range (or zero sd): the documented policy applied.
    Degenerate { code: String, year: String, policy: &'static str },
    /// An indicator with no value at all in a year.
    AllMissing { code: String, year: i32 },
    /// Values filled in by imputation.
    Imputed { code: String, year: i32, count: usize, method: String },
    /// Missing values imputation could not fill (no donor).
    NotImputed { code: String, year: i32, count: usize, reason: String },
    /// A model-based imputation's fit (EM: iterations and final change; `capped`: stopped at
    /// `max_iterations`) or a policy it applied.
    ImputeModel { code: String, year: i32, note: String, capped: bool },
    /// Units whose node score is missing for lack of coverage.
    InsufficientCoverage { code: String, year: i32, units: Vec<String> },
    /// Zeros in a geometric or harmonic mean: the score is 0 by the documented policy.
    ZeroInMean { code: String, year: i32, units: Vec<String> },
    /// Scores that fall in no band.
    Unbanded { code: String, year: i32, units: Vec<String> },
    /// Units dropped by `[screen]` in a year (each unit with the rule it failed).
    Screened { year: i32, units: Vec<String> },
    /// Points changed by outlier treatment, one finding per indicator, sample and flag.
    Treated { code: String, year: String, flag: &'static str, units: Vec<String>, note: String },
    /// A sample outlier treatment could not check (too few or constant values): left alone.
    TreatSkipped { code: String, year: String, reason: String },
    /// Several years, and indicators normalised on each year's units alone (`bounds =
    /// "year"`): trends compare positions among units, not levels.
    YearBounds { codes: Vec<String>, of: usize },
    /// `gti sensitivity`: combinations of alternatives whose scores are on another scale than
    /// the nominal methodology's, where the bands are defined.
    BandsOffScale { off: usize, of: usize },
    /// The log fallback applied year by year while normalisation pools the years.
    TreatScales { code: String, years: usize },
    /// Expert items left missing: fewer answers used than `min_respondents`.
    ExpertTooFew { code: String, year: i32, required: u32, units: Vec<String> },
    /// Expert items with no valid answer at all (every answer missing or "don't know").
    ExpertNoAnswer { code: String, year: i32, units: Vec<String> },
    /// Answers dropped by the respondent outlier rule.
    ExpertOutliers { code: String, year: i32, answers: u32, units: Vec<String> },
    /// Answers without a confidence under confidence weighting (they weigh 1).
    ExpertNoConfidence { code: String, answers: usize },
    /// A respondent who gave the same answer (the same position on each item's scale) to
    /// every item answered.
    StraightLining { unit: String, year: i32, respondent: String, items: usize },
    /// A respondent whose answers lie far from the other respondents' on average.
    FarFromConsensus { unit: String, year: i32, respondent: String, distance: f64, threshold: f64 },
    /// Fitted weights: unit-years left out of the fit sample for a missing child.
    WeightsIncomplete { node: String, left_out: usize, cases: usize },
    /// Fitted weights: a child constant over the fit sample gets weight 0.
    WeightsConstant { node: String, child: String },
    /// Fitted weights replace declared weights other than the default 1.
    WeightsReplaced { node: String, method: &'static str, declared: Vec<(String, f64)> },
    /// `optimised` weights: a child negatively correlated, or targets not reached.
    Optimised { node: String, note: String },
    /// A non-compensatory aggregation's documented policy applied (a constant child, a
    /// unit without every child under BoD, a pair without a shared child under Copeland).
    CrossUnitNote { code: String, note: String },
    /// A unit with fewer respondents (with a valid answer) than the items require; public
    /// outputs leave the number out (`None`).
    FewRespondents { unit: String, year: i32, respondents: Option<usize>, required: u32 },
    /// Public outputs: the per-respondent findings (straight-lining, far from consensus),
    /// counted; who and where is in the internal run log only.
    RespondentChecks { straight_lining: usize, far_from_consensus: usize },
    /// Public outputs: expert item values that rest on fewer than `below` answers.
    FewAnswers { items: usize, below: u32 },
    /// Public outputs: points whose uncertainty intervals were withheld, resting on an expert
    /// item with fewer than `below` answers.
    IntervalsWithheld { points: usize, below: u32 },
    /// `gti audit --external`: rows naming a unit or year the run does not have (ignored).
    ExternalIgnored { rows: usize },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Finding::*;
        match self {
            UnusedData { code, rows, at, near } => {
                write!(f, "ingest: {rows} row(s) for '{code}' ({at}), which the methodology does not use")?;
                match near {
                    Some(n) => write!(f, ": did you mean '{n}'?"),
                    None => Ok(()),
                }
            }
            NoData { code } => write!(f, "ingest: indicator '{code}' has no value in any input"),
            UnitNotInUnitsFile { unit } => write!(f, "ingest: unit '{unit}' is not in the units file"),
            RegionColumn { file, found } => write!(
                f,
                "ingest: {file} has a column '{found}' but none named 'region' (column names are \
                 case-sensitive): no regional means are computed"
            ),
            SheetIgnored { sheet, why } => write!(f, "ingest: sheet {sheet} is not read: {why}"),
            Methodology(s) => write!(f, "methodology: {s}"),
            ExternalIgnored { rows } => write!(
                f,
                "audit: {rows} row(s) of the external file(s) name a unit or year not in the run: ignored"
            ),
            Degenerate { code, year, policy } => write!(f, "normalise: '{code}' ({year}) {policy}"),
            AllMissing { code, year } => write!(f, "normalise: '{code}' has no value in {year}"),
            Imputed { code, year, count, method } => {
                write!(f, "impute: {count} value(s) of '{code}' in {year} filled by {method}")
            }
            NotImputed { code, year, count, reason } => {
                write!(f, "impute: {count} value(s) of '{code}' in {year} left missing: {reason}")
            }
            ImputeModel { code, year, note, .. } => write!(f, "impute: '{code}' ({year}): {note}"),
            InsufficientCoverage { code, year, units } => {
                write!(
                    f,
                    "aggregate: '{code}' missing in {year} for {}: too little of its weight present",
                    list(units)
                )
            }
            ZeroInMean { code, year, units } => {
                write!(
                    f,
                    "aggregate: '{code}' is 0 in {year} for {}: a child is 0 in a geometric/harmonic mean",
                    list(units)
                )
            }
            NothingToImpute { year, units } => write!(
                f,
                "impute: {} have no value at all in {year}: not imputed (imputation fills gaps, it does not invent a unit-year)",
                list(units)
            ),
            Unbanded { code, year, units } => {
                write!(f, "band: the score of '{code}' in {year} falls in no band for {}", list(units))
            }
            Screened { year, units } => {
                write!(
                    f,
                    "screen: {} unit(s) dropped in {year} for lack of data: {}",
                    units.len(),
                    list(units)
                )
            }
            Treated { code, year, flag, units, note } => {
                write!(
                    f,
                    "treat: '{code}' ({year}): {} point(s) {flag} ({}); {note}",
                    units.len(),
                    list(units)
                )
            }
            TreatSkipped { code, year, reason } => {
                write!(f, "treat: '{code}' ({year}) left untreated: {reason}")
            }
            YearBounds { codes, of } => write!(
                f,
                "normalise: {} of {of} indicator(s) are fitted on each year's units alone (bounds = \"year\"): \
                 {}. Their levels are not comparable across years, so trends.csv's delta and status \
                 (improved, deteriorated) measure moves among units, not changes of level; for trends, \
                 use bounds = \"panel\" (the default) or \"reference\"",
                codes.len(),
                list(codes)
            ),
            BandsOffScale { off, of } => write!(
                f,
                "sensitivity: {off} of {of} combination(s) of alternatives score on another scale than the \
                 methodology's (another normalisation range or method, or noisy weights on a sum): bands \
                 are cut-offs on the methodology's scale, so band_interval and band_probs.csv count only \
                 the replications on it (rank_stats.csv's band_runs); ranks and score quantiles count \
                 every replication"
            ),
            TreatScales { code, years } => write!(
                f,
                "treat: '{code}' fell back to log in {years} year(s) on its own while normalise pools the \
                 years: its years are on different scales (set treat.by = \"panel\")"
            ),
            ExpertTooFew { code, year, required, units } => write!(
                f,
                "expert: '{code}' missing in {year} for {}: fewer than {required} answer(s) used",
                list(units)
            ),
            ExpertNoAnswer { code, year, units } => write!(
                f,
                "expert: nobody answered '{code}' in {year} in {} (every answer missing or \"don't know\")",
                list(units)
            ),
            ExpertOutliers { code, year, answers, units } => write!(
                f,
                "expert: {answers} answer(s) to '{code}' in {year} dropped as outliers ({})",
                list(units)
            ),
            ExpertNoConfidence { code, answers } => {
                write!(f, "expert: {answers} answer(s) to '{code}' have no confidence; each weighs 1")
            }
            StraightLining { unit, year, respondent, items } => write!(
                f,
                "expert check: respondent '{respondent}' ({unit}, {year}) gave the same answer to all {items} items"
            ),
            FarFromConsensus { unit, year, respondent, distance, threshold } => write!(
                f,
                "expert check: respondent '{respondent}' ({unit}, {year}) is far from the others: on average \
                 {:.1}% of the scale away (threshold {:.1}%)",
                distance * 100.0,
                threshold * 100.0
            ),
            FewRespondents { unit, year, respondents: Some(n), required } => write!(
                f,
                "expert check: {unit} has {n} respondent(s) in {year}, fewer than the {required} required"
            ),
            FewRespondents { unit, year, respondents: None, required } => {
                write!(f, "expert check: {unit} has fewer respondents in {year} than the {required} required")
            }
            RespondentChecks { straight_lining, far_from_consensus } => write!(
                f,
                "expert check: {straight_lining} respondent(s) gave the same answer to every item and \
                 {far_from_consensus} lay far from the others; which, and where, is in the internal run log \
                 only (a public output names no respondent)"
            ),
            FewAnswers { items, below } => write!(
                f,
                "disclosure: {items} expert item value(s) rest on fewer than {below} answers: a respondent \
                 who knows that they answered with one other can compute the other's answer from such a \
                 value; with [expert] min_respondents = {below} these items are left missing \
                 (docs/respondent-safety.md)"
            ),
            IntervalsWithheld { points, below } => write!(
                f,
                "disclosure: the uncertainty intervals of {points} point(s) are withheld (empty cells): \
                 each rests on an expert item with fewer than {below} answers, where an interval from \
                 resampled or recombined answers can tell what one respondent answered \
                 (docs/respondent-safety.md)"
            ),
            WeightsIncomplete { node, left_out, cases } => write!(
                f,
                "weights: node '{node}': {left_out} unit-year(s) with a child missing left out of the fit sample \
                 ({cases} complete case(s) used)"
            ),
            WeightsConstant { node, child } => {
                write!(f, "weights: '{child}' is constant over the fit sample of '{node}': weight 0")
            }
            WeightsReplaced { node, method, declared } => {
                let listed: Vec<String> = declared.iter().map(|(c, w)| format!("{c} ({w})")).collect();
                write!(
                    f,
                    "weights: node '{node}': {method} weights replace the declared weights of {}",
                    listed.join(", ")
                )
            }
            Optimised { node, note } => write!(f, "optimised: node '{node}': {note}"),
            CrossUnitNote { code, note } => write!(f, "aggregate: '{code}': {note}"),
        }
    }
}

/// How much a finding asks of the reader. The run log keeps both; the console shows
/// warnings first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something about the data or the result to look at (no data, a fallback policy
    /// applied, a unit missing for lack of coverage, …).
    Warning,
    /// What a declared rule did as asked, routinely: points imputed, treated or screened,
    /// answers dropped by the outlier rule.
    Note,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl Finding {
    /// About the inputs against the methodology (codes nobody uses, indicators without data,
    /// units and their file): the findings a run log lists first.
    pub fn is_ingest(&self) -> bool {
        use Finding::*;
        matches!(
            self,
            UnusedData { .. }
                | NoData { .. }
                | UnitNotInUnitsFile { .. }
                | RegionColumn { .. }
                | SheetIgnored { .. }
        )
    }

    pub fn severity(&self) -> Severity {
        use Finding::*;
        match self {
            Imputed { .. }
            | Treated { .. }
            | Screened { .. }
            | ExpertOutliers { .. }
            | SheetIgnored { .. }
            | ExternalIgnored { .. }
            | ImputeModel { capped: false, .. } => Severity::Note,
            _ => Severity::Warning,
        }
    }
}

/// Names up to ten units, then how many more.
fn list(units: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut s = units.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if units.len() > SHOWN {
        s.push_str(&format!(" and {} more", units.len() - SHOWN));
    }
    s
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Findings in the order the stages produced them (deterministic).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct RunLog {
    pub findings: Vec<Finding>,
}

impl RunLog {
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity() == s).count()
    }

    /// Every finding, warnings first, each in log order.
    pub fn by_severity(&self) -> impl Iterator<Item = &Finding> {
        let of = |s: Severity| self.findings.iter().filter(move |f| f.severity() == s);
        of(Severity::Warning).chain(of(Severity::Note))
    }

    /// The console's summary of the log: the counts, then up to `shown` findings (warnings
    /// first, each line labelled), then how many more are in `file`. Empty without findings.
    pub fn summary(&self, shown: usize, file: &str) -> String {
        use std::fmt::Write;
        let total = self.findings.len();
        if total == 0 {
            return String::new();
        }
        let (w, n) = (self.count(Severity::Warning), self.count(Severity::Note));
        let mut s = format!("{w} warning(s) and {n} note(s) in the run log ({file}):\n");
        for f in self.by_severity().take(shown) {
            let _ = writeln!(s, "  {}: {f}", f.severity().label());
        }
        if total > shown {
            let _ = writeln!(s, "  … and {} more (all in {file})", total - shown);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imputed(code: &str) -> Finding {
        Finding::Imputed { code: code.into(), year: 2024, count: 2, method: "mean".into() }
    }

    #[test]
    fn the_summary_shows_warnings_first_and_says_how_many_more() {
        let mut log = RunLog::default();
        log.push(imputed("a"));
        for i in 0..12 {
            log.push(Finding::NoData { code: format!("x{i}") });
        }
        let s = log.summary(10, "manifest.json");
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "12 warning(s) and 1 note(s) in the run log (manifest.json):");
        assert_eq!(lines[1], "  warning: ingest: indicator 'x0' has no value in any input");
        assert_eq!(lines.len(), 12, "{s}");
        assert_eq!(lines[11], "  … and 3 more (all in manifest.json)");
        assert!(!s.contains("note:"), "the note is among the 3 more");
        let mut short = RunLog::default();
        short.push(imputed("a"));
        short.push(Finding::NoData { code: "b".into() });
        assert_eq!(
            short.summary(10, "manifest.json"),
            "1 warning(s) and 1 note(s) in the run log (manifest.json):\n  warning: ingest: indicator 'b' has no value in any input\n  note: impute: 2 value(s) of 'a' in 2024 filled by mean\n"
        );
        assert_eq!(RunLog::default().summary(10, "manifest.json"), "");
    }
}
