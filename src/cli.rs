//! The command line (clap derive): every subcommand's arguments, help and examples, and the
//! checks clap can make (ranges, choices). A leaf: nothing below `commands/` imports it;
//! `commands` turns these raw options into the library's checked inputs before any work
//! starts. Library enums a flag chooses from get their `ValueEnum` here, so that the library
//! compiles without clap.

use crate::audit::Alpha;
use crate::import::columns::Encoding;
use crate::ingest::conventions::parse_delimiter;
use crate::methodology::Override;
use crate::output::Format;
use crate::stages::DatasetName;
use clap::builder::{PossibleValue, RangedU64ValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub mod shell;

/// Composite human-rights indices (the Global Torture Index first) from indicator data and a
/// versioned methodology file.
#[derive(Debug, Parser)]
#[command(name = "gti", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

pub const EXIT_CODES: &str = "Exit codes: 0 success; 1 data, methodology or verification failure \
(or an I/O error); 2 usage error.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a methodology and data without writing anything.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(InputArgs),
    /// Compute every unit's score at every level, with ranks, bands and trends.
    #[command(after_help = COMPUTE_EXAMPLES)]
    Compute(ComputeArgs),
    /// Audit the data and framework: indicator statistics, correlations, Cronbach's alpha, PCA.
    #[command(after_help = AUDIT_EXAMPLES)]
    Audit(AuditArgs),
    /// Compare a base methodology with a candidate (or --set what-ifs) on the same data.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Uncertainty (UA) and sensitivity (SA) analysis of the ranks over the spec's choices.
    #[command(after_help = SENSITIVITY_EXAMPLES)]
    Sensitivity(SensitivityArgs),
    /// A report to look at: HTML and Markdown, with charts, one profile page per unit.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// The index as one interactive HTML page: map, ranking, profiles, comparisons, regions, exact live what-ifs.
    #[command(after_help = EXPLORE_EXAMPLES)]
    Explore(ExploreArgs),
    /// Show a methodology (version, changelog, framework) or diff two of them.
    #[command(subcommand)]
    Methodology(MethodologyCommand),
    /// Recompute and compare with a published table; exit 1 on any mismatch.
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),
    /// A versioned, self-verifying public package of an edition (scores, data, dictionary, zip).
    #[command(after_help = RELEASE_EXAMPLES)]
    Release(ReleaseArgs),
    /// Convert another tool's data into gti's files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a starter methodology for your data: one indicator per code found, every choice
    /// spelled out.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Write the man pages: gti.1 and one page per subcommand (gti-import-coinr.1, …).
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

const VALIDATE_EXAMPLES: &str = "Examples:
  gti validate                                   # the embedded example (methodology/gti.toml + indicators/)
  gti validate -m methodology/gti.toml -d indicators/
  gti validate -m m.toml -d stats.csv -d units.csv --set defaults.normalise.method=zscore";

const COMPUTE_EXAMPLES: &str = "Examples:
  gti compute                                    # the embedded example, written to results/
  gti compute -m methodology/gti.toml -d indicators/ -o out/
  gti compute -m m.toml -d data/ --format json -o out/
  gti compute -m m.toml -d data/ --format xlsx -o out/    # results.xlsx + manifest.json
  gti compute -m m.toml -d data/ -o - > scores.csv
  gti compute -m m.toml -d partner.xlsx --na '..' -o out/   # a workbook; '..' read as missing
  gti compute --set indicator.P1_npm.weight=2 --set defaults.aggregate.method=geometric
  gti compute -m m.toml -d data/ --dataset Normalised --dataset Aggregated -o out/
  gti compute -m m.toml -d data/ --public -o public/   # for publication: respondents protected
  gti compute -m m.toml -d data/ --uncertainty ua.toml --runs 1000 --seed 1 -o out/   # + uncertainty.csv
  gti compute -m m.toml -d data/ --sensitivity ua/ -o out/   # intervals of an earlier gti sensitivity run

--public writes the outputs' public form (docs/respondent-safety.md): respondent counts below
[expert] disclosure.count_band as a band (<5), agreement only from disclosure.min_respondents
answers, no respondent id or per-respondent finding in the log, file names for paths, and no
expert item's value before normalisation in a --dataset; --set may not change how answers are
combined; uncertainty intervals only where every expert item beneath has
disclosure.min_respondents answers.

--uncertainty and --sensitivity add uncertainty.csv (unit,year,node,score_low,score_high,
rank_low,rank_high,band_probability: 5 % and 95 % quantiles over the replications, and the share
of them in the nominal band), equal to rank_stats.csv's q05/q95 of the same analysis;
docs/sensitivity.md.";

/// Intervals published with the scores (`gti compute`, `gti report`): an uncertainty
/// analysis run here, or an earlier one's folder.
#[derive(Debug, Args, Clone, Default)]
pub struct IntervalArgs {
    /// Publish 5–95 % intervals with the scores: run an uncertainty analysis of this spec
    /// (as `gti sensitivity --mode ua`) in this run.
    #[arg(long, value_name = "SPEC", conflicts_with = "sensitivity")]
    pub uncertainty: Option<PathBuf>,
    /// With --uncertainty: replications.
    #[arg(long, default_value_t = 1000, value_name = "N", requires = "uncertainty",
          value_parser = RangedU64ValueParser::<usize>::new().range(2..))]
    pub runs: usize,
    /// With --uncertainty: seed of every random draw (recorded in the manifest).
    #[arg(long, default_value_t = 1, value_name = "S", requires = "uncertainty")]
    pub seed: u64,
    /// With --uncertainty: worker threads (0: one per core). The outputs do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "T", requires = "uncertainty")]
    pub threads: usize,
    /// The folder of an earlier `gti sensitivity` uncertainty analysis: its intervals, once its
    /// manifest shows it ran on this methodology, --set and data.
    #[arg(long, value_name = "DIR")]
    pub sensitivity: Option<PathBuf>,
}

impl IntervalArgs {
    /// Whether intervals are asked for.
    pub fn any(&self) -> bool {
        self.uncertainty.is_some() || self.sensitivity.is_some()
    }
}

/// Inputs shared by every command that reads a methodology and data.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Methodology file (TOML). With neither -m nor -d: methodology/gti.toml and indicators/.
    #[arg(short = 'm', long = "methodology", value_name = "FILE")]
    pub methodology: Option<PathBuf>,
    /// Data file (.csv, .xlsx, .xls, .ods) or folder of them (repeatable): indicators (long or
    /// wide), units, expert responses; in a workbook, each sheet with a `unit` column.
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Override a methodology value before validation: PATH=VALUE, VALUE in TOML
    /// (e.g. defaults.normalise.method=zscore, node.P1.weight=2). Recorded in the manifest.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How the data files are written, when not as gti writes them: the methodology's `[input]`
/// keys on the command line (recorded in the manifest as `--set input.…`).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Reading the data")]
pub struct ReadArgs {
    /// Also read this cell as missing (repeatable), e.g. --na '..' --na '#N/A' --na=-; empty
    /// cells and NA always are. Adds to the methodology's [input] na.
    #[arg(long = "na", value_name = "TOKEN", allow_hyphen_values = true)]
    pub na: Vec<String>,
    /// The CSV files' delimiter: ',' (the default), ';', '|' or tab.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Numbers are written with a decimal comma (1,5); a '.' in a number is then refused.
    #[arg(long)]
    pub decimal_comma: bool,
}

const AUDIT_EXAMPLES: &str = "Examples:
  gti audit                                      # the embedded example, written to audit/
  gti audit -m methodology/gti.toml -d indicators/ -o audit/
  gti audit -m asem/methodology.toml -d asem/ --set defaults.treat.method=winsorise -o asem-audit/
  gti audit -m m.toml -d data/ --format json -o audit/    # audit.json + audit.md
  gti audit -m m.toml -d data/ --format xlsx -o audit/    # audit.xlsx + audit.md + manifest.json
  gti audit -m m.toml -d data/ --dataset Treated -o -     # the Markdown summary on stdout
  gti audit -m m.toml -d data/ --imputation --mask 0.1 --seed 7 -o audit/   # + imputation.csv
  gti audit -m m.toml -d data/ --imputation mean,group_mean:region,knn -o audit/
  gti audit -m m.toml -d data/ --external gdp.csv -o audit/            # + external.csv

Writes indicators.csv (per indicator and year: n, missing share, mean, sd, min, max, skew,
kurtosis, treatment; flags low_coverage, outliers, near_constant), nodes.csv (per node and year:
Cronbach's alpha, PCA first component; flags redundant, negative, few_cases), correlations.csv
(Pearson and Spearman: children with each other, with the node, with the index), pca.csv
(eigenvalues, shares, eigenvectors, loadings), influence.csv and influence_summary.csv (each
indicator and node removed in turn: the index's scores, ranks and rank changes), audit.md and
manifest.json.";

/// `gti audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder, or - for the Markdown summary on standard output.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "audit")]
    pub output: PathBuf,
    /// Output format: csv (the tables + manifest.json), json (audit.json) or xlsx (audit.xlsx
    /// + manifest.json; needs -o DIR); audit.md in each.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// The data set the indicator statistics describe.
    #[arg(long = "dataset", value_enum, value_name = "NAME", default_value = "Raw")]
    pub dataset: DatasetName,
    /// Cronbach's alpha over complete cases, or from pairwise-complete covariances as
    /// COINr's get_cronbach computes it.
    #[arg(long, value_enum, value_name = "HOW", default_value = "complete")]
    pub alpha: Alpha,
    /// Evaluate imputation methods on masked observed values: imputation.csv. Methods: mean,
    /// median, group_mean[:COLUMN], group_median[:COLUMN], em, knn, regression; without a
    /// list, mean, group_mean (where groups exist), em, knn and regression (where declared).
    #[arg(long, value_name = "METHOD,…", num_args = 0..=1, default_missing_value = "")]
    pub imputation: Option<String>,
    /// Share of each indicator-year's observed values that --imputation masks.
    #[arg(long, value_name = "SHARE", default_value_t = 0.1)]
    pub mask: f64,
    /// Seed of the --imputation mask (recorded in the manifest).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// The points to mask, as a CSV file `unit,year,indicator`, instead of a seeded draw.
    #[arg(long = "mask-file", value_name = "FILE", requires = "imputation")]
    pub mask_file: Option<PathBuf>,
    /// Correlate the index and every node with external indicators (e.g. GDP per capita):
    /// a data file or folder, long or wide like -d (repeatable). Writes external.csv.
    #[arg(long, value_name = "FILE")]
    pub external: Vec<PathBuf>,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ComputeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder, or - for one table on standard output.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "results")]
    pub output: PathBuf,
    /// Output format: csv (scores.csv, trends.csv, manifest.json), json (results.json) or
    /// xlsx (results.xlsx, one sheet per table, and manifest.json; needs -o DIR).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Also export an intermediate data set (repeatable); with -o -, the one table written.
    #[arg(long = "dataset", value_enum, value_name = "NAME")]
    pub dataset: Vec<DatasetName>,
    /// Write the outputs' public form: respondents protected under [expert] disclosure.
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub intervals: IntervalArgs,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

const EXPLORE_EXAMPLES: &str = "Examples:
  gti explore                                    # the embedded example, written to explorer/
  gti explore -m methodology/gti.toml -d indicators/ -o explorer/
  gti explore -m gti.toml -d indicators/ --set node.P4.weight=2   # opens with this what-if
  gti explore --lang fr -o explorateur/                            # the page in French
  gti explore --uncertainty ua.toml --runs 1000 --seed 1   # whiskers: the published 5–95 % intervals
  gti explore --sensitivity ua/   # the intervals of an earlier gti sensitivity run

Writes DIR/index.html: one self-contained page (no network request of any kind) with a map (a
world map when unit codes are ISO 3166-1 alpha-3, else tiles by region), a ranking, unit
profiles, comparisons, regional means, and a what-if panel that recomputes every score, rank and
band exactly as `gti compute --set` does, and copies the command that gives the same numbers.
The URL fragment holds the state, e.g. index.html#view=ranking&year=2024&node=GTI&set=node.P4.weight%3D2.
--set takes the paths the page recomputes: node.X.weight, indicator.X.weight,
node.X.aggregate.method (and .p), defaults.aggregate.method (and .p), expert.penalty.k.
--uncertainty and --sensitivity add the intervals `gti compute --public` publishes (withheld where
few answered) to the ranking and the profiles; a what-if hides them (docs/explore.md).";

/// `gti explore`.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// -m is the published methodology; --set pairs are the what-if the page opens with.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder (index.html).
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "explorer")]
    pub output: PathBuf,
    /// The language of the page.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
    /// The published intervals beside the ranking: --uncertainty SPEC, or --sensitivity DIR,
    /// as `gti compute --public` publishes them.
    #[command(flatten)]
    pub intervals: IntervalArgs,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The languages `gti explore` writes its page in (web/src/i18n/).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// The page's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// COINr's iData + iMeta → methodology.toml, indicators.csv and units.csv.
    #[command(after_help = IMPORT_EXAMPLES)]
    Coinr(ImportCoinrArgs),
    /// Wide, year-suffixed or year-as-column tables (UNDP, World Bank) → long unit,year,indicator,value.
    #[command(after_help = IMPORT_COLUMNS_EXAMPLES)]
    Columns(ImportColumnsArgs),
    /// KoboToolbox, ODK or SurveyMonkey exports → responses.csv, codebook.csv and codebook.md.
    #[command(after_help = IMPORT_SURVEY_EXAMPLES)]
    Survey(ImportSurveyArgs),
}

const IMPORT_SURVEY_EXAMPLES: &str = "Examples:
  gti import survey --form form.xlsx --submissions export.csv \\
      --unit-field country --year-field year -o survey/
  gti import survey --form form.xlsx --submissions export.xlsx --labels \\
      --unit-field country --year 2024 -o survey/
  gti import survey --form form.xlsx --submissions export.csv --unit-field country \\
      --year 2024 --choice-value gti_code --respondent-field expert_id -o survey/
  gti import survey --submissions monkey.csv --map map.csv \\
      --unit-field 'Custom Data 1' --year 2024 -o survey/
  gti compute -m methodology.toml -d statistical.csv -d survey/responses.csv

With --form (a KoboToolbox or ODK export and its XLSForm): one row per submission; headers as
names or labels, with or without groups (separators /, ., -, :, :: are detected); select_one as
choice names or, with --labels, labels; select_multiple as space-separated names or one 0/1
column per choice (each choice becomes an item NAME_CHOICE with response 1 or 0). Items are the
select and number questions, named by the question's name, or those of --map. Without --form:
SurveyMonkey's two-row-header export, whose items and answer codes come from --map
(question,item,subquestion,answer,code). Writes responses.csv (unit,year,respondent,item,
response; respondent ids are kept, so it is an internal file), codebook.csv and codebook.md.";

#[derive(Debug, Args)]
pub struct ImportSurveyArgs {
    /// The XLSForm (.xlsx, .xls, .ods) the export was made with; without it the export is
    /// read as SurveyMonkey's (then --map is needed).
    #[arg(long, value_name = "FILE")]
    pub form: Option<PathBuf>,
    /// The export: CSV (',' or ';', detected) or a workbook (its first sheet).
    #[arg(long, value_name = "FILE")]
    pub submissions: PathBuf,
    /// The question (or column) naming each submission's unit.
    #[arg(long, value_name = "NAME")]
    pub unit_field: String,
    /// The question (or column) holding each submission's year (or a date).
    #[arg(long, value_name = "NAME", required_unless_present = "year", conflicts_with = "year")]
    pub year_field: Option<String>,
    /// The year of every submission.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// The question (or column) identifying the respondent (default: _uuid, ODK's KEY,
    /// SurveyMonkey's Respondent ID).
    #[arg(long, value_name = "NAME")]
    pub respondent_field: Option<String>,
    /// Select answers (and headers) are exported as labels, not choice names (with --form).
    #[arg(long, requires = "form")]
    pub labels: bool,
    /// A choices-sheet column whose cell is a choice's response (default: the choice's name;
    /// an empty cell falls back to it).
    #[arg(long, value_name = "COLUMN", requires = "form")]
    pub choice_value: Option<String>,
    /// A map file (question,item[,subquestion,answer,code]): the items to import and their codes.
    #[arg(long, value_name = "FILE", required_unless_present = "form")]
    pub map: Option<PathBuf>,
    /// The CSV delimiter (default: detected, ',' or ';').
    #[arg(long, value_name = "C")]
    pub delimiter: Option<char>,
    /// The separator between group and question names in the headers (default: detected).
    #[arg(long, value_name = "SEP", requires = "form")]
    pub group_separator: Option<String>,
    /// Output folder for responses.csv, codebook.csv and codebook.md.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

const IMPORT_COLUMNS_EXAMPLES: &str = "Examples:
  gti import columns --input HDR23-24_Composite_indices_complete_time_series.csv --unit iso3 \\
      --pattern '{indicator}_{year}' --indicators le,eys,mys,gnipc --encoding latin1 -o indicators.csv
  gti import columns --input HDR.csv --unit iso3 --pattern '{indicator}_{year}' --indicators hdi=HDI \\
      --encoding latin1 -o published.csv
  gti import columns --input API_SP.POP.TOTL.csv --skip-rows 4 --unit 'Country Code' --pattern '{year}' \\
      --indicator-column 'Indicator Code' -o population.csv
  gti import columns --input table-with-notes.csv --footer --na '..' --unit iso3 \\
      --pattern '{indicator}_{year}' -o long.csv
  gti import columns --input eurostat.csv --delimiter ';' --decimal-comma --na ':' --unit geo \\
      --pattern '{year}' --indicator-column indic -o long.csv";

#[derive(Debug, Args)]
pub struct ImportColumnsArgs {
    /// The wide table (CSV with a header).
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// The column holding unit codes.
    #[arg(long, value_name = "COL")]
    pub unit: String,
    /// How value columns are named: {indicator} and {year} (digits), e.g. '{indicator}_{year}'.
    #[arg(long, value_name = "PATTERN")]
    pub pattern: String,
    /// Keep only these indicators (comma-separated); NAME=CODE renames (e.g. hdi=HDI).
    #[arg(long, value_name = "LIST")]
    pub indicators: Option<String>,
    /// The column naming the indicator, when the pattern has no {indicator} (World Bank layout).
    #[arg(long, value_name = "COL")]
    pub indicator_column: Option<String>,
    /// The file's text encoding.
    #[arg(long, value_enum, default_value = "utf8")]
    pub encoding: Encoding,
    /// Lines above the header to skip (a title, a source line, blank lines).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub skip_rows: usize,
    /// Drop the notes below the table: from the first blank line after the data on, every
    /// line that is blank or holds a single cell (each dropped line is reported).
    #[arg(long)]
    pub footer: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output CSV file, or - for standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

const COMPARE_EXAMPLES: &str = "Examples:
  gti compare --set node.P4.weight=2                       # the embedded example, P4 weighted double → compare/
  gti compare -m methodology/gti.toml --candidate gti-2026.toml -d indicators/ -o compare/
  gti compare -m m.toml -d data/ --set defaults.aggregate.method=geometric -o - > compare.csv
  gti compare --set node.P4.weight=2 --format xlsx -o what-if/   # compare.xlsx for the committee
  gti compare -m gti-2026.toml -d indicators/ --edition gti-2025-published.csv \\
      --edition-methodology gti-2025.toml -o since-2025/";

/// `gti compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// -m is the base methodology; --set what-ifs apply to the candidate.
    #[command(flatten)]
    pub input: InputArgs,
    /// The candidate methodology (default: the base, with the --set what-ifs).
    #[arg(long, value_name = "FILE", conflicts_with = "edition")]
    pub candidate: Option<PathBuf>,
    /// A published edition (unit,year,node,score): split each unit's change since it into data
    /// revision, methodology change and real change (needs --edition-methodology).
    #[arg(long, value_name = "FILE", requires = "edition_methodology")]
    pub edition: Option<PathBuf>,
    /// The methodology file the edition was published with.
    #[arg(long, value_name = "FILE", requires = "edition")]
    pub edition_methodology: Option<PathBuf>,
    /// Output folder (compare.csv, compare.md, manifest.json), or - for compare.csv on stdout.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "compare")]
    pub output: PathBuf,
    /// Output format of the table: csv (compare.csv, decomposition.csv) or xlsx (compare.xlsx,
    /// decomposition.xlsx: a workbook; needs -o DIR).
    #[arg(long, value_parser = csv_or_xlsx(), default_value = "csv")]
    pub format: Format,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum MethodologyCommand {
    /// Version, changelog and framework tree with weights and effective weights.
    #[command(
        after_help = "Examples:\n  gti methodology show -m methodology/gti.toml\n  gti methodology show -m methodology/gti.toml --set node.P4.weight=2"
    )]
    Show(MethodologyShowArgs),
    /// The keys that differ between two methodology files.
    #[command(after_help = "Examples:\n  gti methodology diff methodology/gti.toml gti-2026.toml")]
    Diff(MethodologyDiffArgs),
    /// Write the weights fitted from the data (`weights = { method = … }`) back as plain
    /// `weight` numbers, with a [[changelog]] entry, so that an edition can adopt them.
    #[command(after_help = FREEZE_EXAMPLES)]
    Freeze(MethodologyFreezeArgs),
}

const FREEZE_EXAMPLES: &str = "Examples:
  gti methodology freeze -m m.toml -d data/ -o m-2026.toml
  gti methodology freeze -m m.toml -d data/ -o m-2026.toml --version 2026
  gti methodology freeze -m m.toml -d data/ -o - | gti methodology diff m.toml /dev/stdin";

#[derive(Debug, Args)]
pub struct MethodologyFreezeArgs {
    /// The methodology whose nodes fit their weights.
    #[arg(short = 'm', long = "methodology", value_name = "FILE")]
    pub methodology: PathBuf,
    /// Data file or folder of .csv files (repeatable), as for compute.
    #[arg(short = 'd', long = "data", value_name = "PATH", required = true)]
    pub data: Vec<PathBuf>,
    /// The methodology file to write, or - for standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// The new `[index] version` (and the changelog entry's); default: kept as it is.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct MethodologyShowArgs {
    /// Methodology file (TOML).
    #[arg(short = 'm', long = "methodology", value_name = "FILE", default_value = "methodology/gti.toml")]
    pub methodology: PathBuf,
    /// Override a value before showing (PATH=VALUE, as for compute).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
}

#[derive(Debug, Args)]
pub struct MethodologyDiffArgs {
    /// The base methodology file.
    pub base: PathBuf,
    /// The candidate methodology file.
    pub candidate: PathBuf,
}

const VERIFY_EXAMPLES: &str = "Examples:
  gti verify -m methodology/hdi.toml -d hdi/indicators.csv --published hdi/published.csv --round 3
  gti verify -m m.toml -d data/ --published edition-2025.csv --tolerance 0.005 -o comparison.csv
  gti verify --release gti-2026/      # a release package: every hash, the zip, every score

With --release DIR, the package is checked from what it holds (-m, -d and --published are not
used): exit 1 naming the first file that differs.";

const RELEASE_EXAMPLES: &str = "Examples:
  gti release -m methodology/gti.toml -d indicators/ --edition 2026 -o gti-2026/
  gti release -m methodology/gti.toml -d indicators/ --edition 2027 --previous gti-2026/ -o gti-2027/
  gti verify --release gti-2026/
  gti release -m m.toml -d data/ --edition 2026 --include-responses --key-file ~/keys/gti.key -o archive/

Writes a public package (docs/release.md): scores.csv and the other public tables, results.xlsx,
manifest.json, the methodology and its changelog, the statistical data as given and the expert
items' combined values (never the answers), a data dictionary, WHATS-NEW.md, CITATION.cff,
README.md, release.json, SHA256SUMS and <CODE>-<edition>.zip. Two runs give the same bytes.

--include-responses writes an INTERNAL archive instead, never to publish: the same files and
data/responses.csv, every answer with each respondent under a pseudonym (HMAC-SHA-256 of the id
under the key in --key-file, at least 32 bytes, kept outside the package and the repository).";

/// `gti release`.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Methodology file (TOML), released as written.
    #[arg(short = 'm', long = "methodology", value_name = "FILE")]
    pub methodology: PathBuf,
    /// Data file or folder (repeatable), as for compute; response files are released combined.
    #[arg(short = 'd', long = "data", value_name = "PATH", required = true)]
    pub data: Vec<PathBuf>,
    /// The edition's name (letters, digits, '.', '-', '_'), e.g. 2026.
    #[arg(long, value_name = "NAME")]
    pub edition: String,
    /// The previous edition's package, for WHATS-NEW.md.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// Output folder (new, empty, or an earlier run of the same release).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// An internal archive, not for publication: also the answers, respondents under pseudonyms.
    #[arg(long, requires = "key_file")]
    pub include_responses: bool,
    /// The pseudonym key for --include-responses (at least 32 bytes), outside the package.
    #[arg(long, value_name = "FILE", requires = "include_responses")]
    pub key_file: Option<PathBuf>,
    /// Do not print the files written.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// `gti verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The published table: unit,year,node,score[,rank] (or unit,year,indicator,value).
    #[arg(long, value_name = "FILE", required_unless_present = "release")]
    pub published: Option<PathBuf>,
    /// Check a release package (gti release) from what it holds, instead.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["published", "output", "round"])]
    pub release: Option<PathBuf>,
    /// Largest accepted |computed − published|, after rounding (a number >= 0).
    #[arg(long, default_value_t = 1e-9, value_name = "X", value_parser = tolerance)]
    pub tolerance: f64,
    /// Round computed values half-up to N decimals (0 to 17) before comparing (as published).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=17))]
    pub round: Option<u8>,
    /// Write the full comparison (one row per published value) to this CSV file.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn tolerance(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("'{s}' is not a number >= 0")),
    }
}

const IMPORT_EXAMPLES: &str = "Examples:
  gti import coinr --idata ASEM_iData.csv --imeta ASEM_iMeta.csv -o asem/
  gti import coinr --workbook ASEM.xlsx -o asem/          # its iData and iMeta sheets
  gti compute -m asem/methodology.toml -d asem/ -o asem/results/";

#[derive(Debug, Args)]
pub struct ImportCoinrArgs {
    /// COINr iData (wide: uCode, uName, Time?, group and indicator columns).
    #[arg(long, value_name = "FILE", required_unless_present = "workbook", conflicts_with = "workbook")]
    pub idata: Option<PathBuf>,
    /// COINr iMeta (Level, iCode, iName, Direction, Weight, Parent, Type, ...).
    #[arg(long, value_name = "FILE", required_unless_present = "workbook", conflicts_with = "workbook")]
    pub imeta: Option<PathBuf>,
    /// A workbook (.xlsx, .xls, .ods) with the sheets iData and iMeta, instead of the two files.
    #[arg(long, value_name = "FILE")]
    pub workbook: Option<PathBuf>,
    /// Output folder for methodology.toml, indicators.csv and units.csv.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// The year of every row when iData has no Time column.
    #[arg(long)]
    pub year: Option<i32>,
}

pub const SENSITIVITY_EXAMPLES: &str = "Examples:
  gti sensitivity -m asem/methodology.toml -d asem/ --spec ua.toml --runs 1000 --seed 42 -o asem-ua/
  gti sensitivity -m m.toml -d data/ --spec ua.toml --mode sa --runs 500 --seed 1 -o sa/
  gti sensitivity -m m.toml -d data/ --spec ua.toml --runs 100000 --seed 7 --threads 2 -q -o ua/
  gti sensitivity -m m.toml -d data/ --spec ua.toml --runs 10000 --shard 2/3 -o part2/
  gti sensitivity merge part1/ part2/ part3/ -o ua/    # the files of one run, byte for byte

A spec (TOML) lists the uncertain inputs: any --set path with discrete values, the weights
with a noise factor (each weight × U(1 − f, 1 + f); all below the index, or `levels` or
`nodes`), or the expert respondents (resampled with replacement per unit, year and item):
  [[input]]
  path = \"defaults.normalise\"
  values = [{ method = \"minmax\", range = [1, 100] }, { method = \"zscore\", mean = 10, sd = 2 }]
  [[input]]
  path = \"weights\"
  noise = 0.25
  levels = [2, 3]           # or nodes = [\"P1\", \"P2\"]; 1 = indicators
  [[input]]
  path = \"respondents\"

UA writes rank_stats.csv (per unit, year and node: nominal, mean, median, 5% and 95% of rank
and score; band_interval is the band or \"uncertain\", read only on the band_runs runs whose
scores are on the methodology's own scale), band_probs.csv, runs.csv and manifest.json. SA (Saltelli design, N(d + 2) runs for --runs N) writes sensitivity.csv (first
order and total indices with bootstrap intervals, on the mean absolute rank shift and per
unit), runs.csv and manifest.json. Files are byte-identical for any --threads.";

/// What `gti sensitivity` estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Uncertainty analysis: rank and score distributions, band probabilities.
    Ua,
    /// Sensitivity analysis: first-order and total Sobol indices per input.
    Sa,
}

/// `gti sensitivity`.
#[derive(Debug, Args)]
#[command(subcommand_negates_reqs = true, args_conflicts_with_subcommands = true)]
pub struct SensitivityArgs {
    #[command(subcommand)]
    pub command: Option<SensitivityCommand>,
    #[command(flatten)]
    pub input: InputArgs,
    /// The spec file (TOML) listing the uncertain inputs.
    #[arg(long, value_name = "FILE", required = true)]
    pub spec: Option<PathBuf>,
    /// UA only: run share K of N of the replications (1-based) and write them raw to the
    /// output folder, for `gti sensitivity merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::sensitivity::shard::Shard>,
    /// UA: replications. SA: N, the rows of each sample matrix (N(d + 2) runs).
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(2..))]
    pub runs: usize,
    /// Seed of every random draw (recorded in the manifest).
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Worker threads (0: one per core). The files do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "T")]
    pub threads: usize,
    #[arg(long, value_enum, default_value = "ua")]
    pub mode: Mode,
    /// SA: bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 1000, value_name = "B")]
    pub boot: usize,
    /// SA: confidence level of the bootstrap intervals.
    #[arg(long, default_value_t = 0.95, value_name = "P", value_parser = level)]
    pub level: f64,
    /// Output folder.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "sensitivity")]
    pub output: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `gti sensitivity merge`.
#[derive(Debug, Subcommand)]
pub enum SensitivityCommand {
    /// Merge the shards of one UA run (`--shard K/N`) into the files of the whole run.
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
}

pub const MERGE_EXAMPLES: &str = "Examples:
  gti sensitivity merge part1/ part2/ part3/ -o ua/
  gti sensitivity merge shards/*/                     # written to sensitivity/

Every shard of the run must be given once; the methodology, data and spec the shards name are
read again and must have the digests the shards recorded. The output is byte-identical to the
same run made at once.";

/// `gti sensitivity merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' folders.
    #[arg(required = true, value_name = "DIR")]
    pub shards: Vec<PathBuf>,
    /// Output folder.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "sensitivity")]
    pub output: PathBuf,
    /// Worker threads (0: one per core). The files do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "T")]
    pub threads: usize,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// A confidence level: a number strictly between 0 and 1.
fn level(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!("'{s}' is not a number in (0, 1)")),
    }
}

pub const REPORT_EXAMPLES: &str = "Examples:
  gti report                                     # the embedded example, written to report/
  gti report -m methodology/gti.toml -d indicators/ -o report/
  gti report -m gti.toml -d indicators/ --candidate gti-2026.toml -o committee/
  gti report -m gti.toml -d indicators/ --set node.P4.weight=2 -o what-if-report/
  gti sensitivity -m gti.toml -d indicators/ --spec ua.toml --runs 1000 --seed 1 -o ua/
  gti report -m gti.toml -d indicators/ --sensitivity ua/ -o report/
  gti report -m gti.toml -d indicators/ --uncertainty ua.toml --runs 1000 --seed 1 -o report/
  gti report -m gti.toml -d indicators/ --public -o site/   # for publication

Writes index.html (self-contained: inline SVG charts, no script, no network) and report.md,
units/CODE.html and units/CODE.md (one profile per unit), charts/*.svg (the Markdown's images)
and manifest.json. With --candidate or --set the report adds the proposed change (rank shifts,
band crossings, effective weights); every other section shows the base (-m without --set).
--uncertainty SPEC (--runs, --seed, --threads) runs an uncertainty analysis as gti compute does;
--sensitivity DIR joins a gti sensitivity run's intervals when its manifest shows the report's
methodology and data (else exit 2), or reads a DIR/rank_stats.csv without a gti manifest
(unit, node, q05_rank, q95_rank; optional year, median_rank). Either draws each unit's 5-95 %
rank interval beside the ranking; gti's own intervals add the share of runs in the unit's band,
marked \"uncertain band\" below 90 %.
--public applies [expert] disclosure to every page (respondent counts below the band as <5,
agreement and intervals withheld below min_respondents answers) and the manifest, and refuses a candidate, --set or sensitivity run that
changes how answers are combined (docs/respondent-safety.md).";

/// `gti report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// -m is the methodology reported on; --set what-ifs make a candidate to compare with it.
    #[command(flatten)]
    pub input: InputArgs,
    /// A candidate methodology to compare with (the --set what-ifs apply to it).
    #[arg(long, value_name = "FILE")]
    pub candidate: Option<PathBuf>,
    /// Whiskers beside the ranking: --uncertainty SPEC, or --sensitivity DIR (a `gti
    /// sensitivity` run's folder, or any folder with a rank_stats.csv).
    #[command(flatten)]
    pub intervals: IntervalArgs,
    /// Write the public form: respondents protected under [expert] disclosure.
    #[arg(long)]
    pub public: bool,
    /// Output folder.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "report")]
    pub output: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

const INIT_EXAMPLES: &str = "Examples:
  gti init -d data.csv -o methodology.toml
  gti init -d data.csv -d units.csv -o methodology.toml --force
  gti init -d data/ -o - | less                 # every .csv of data/; the file on stdout
  gti init -d hdr.csv -o hdr.toml && gti validate -m hdr.toml -d hdr.csv

Reads the data as compute does (long or wide files, units.csv, expert response files) and writes
a methodology that validates and computes on them as written: [index] to fill in, [defaults]
with the alternatives named in comments, one [indicator.CODE] per code found (weight 1,
direction 1) in a single pillar, and a [[changelog]] entry. What you must still decide
(directions, pillars, weights, normalisation, bands, ...) is marked TODO in the file and
printed. An existing file is kept unless --force is given.";

/// `gti init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Data file (.csv, .xlsx, .xls, .ods) or folder of them (repeatable): indicators (long or
    /// wide), units, expert responses.
    #[arg(short = 'd', long = "data", value_name = "PATH", required = true)]
    pub data: Vec<PathBuf>,
    /// Written into the methodology's [input], so that later runs read the data alike.
    #[command(flatten)]
    pub read: ReadArgs,
    /// The methodology file to write, or - for standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "methodology.toml")]
    pub output: PathBuf,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

const COMPLETIONS_EXAMPLES: &str = "Examples:
  gti completions bash > ~/.local/share/bash-completion/completions/gti
  gti completions zsh > ~/.zfunc/_gti          # with fpath+=~/.zfunc before compinit in ~/.zshrc
  gti completions fish > ~/.config/fish/completions/gti.fish
  gti completions powershell >> $PROFILE";

/// `gti completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const MAN_EXAMPLES: &str = "Examples:
  gti man -o ~/.local/share/man/man1          # then: man gti-compute
  gti man -o man/ && man -l man/gti-import-coinr.1";

/// `gti man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write the pages into (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
}

// The library's enums, chosen on the command line. Their names are the library's; the help
// of each value is here.

impl ValueEnum for DatasetName {
    fn value_variants<'a>() -> &'a [Self] {
        &DatasetName::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

impl ValueEnum for Alpha {
    fn value_variants<'a>() -> &'a [Self] {
        &[Alpha::Complete, Alpha::Pairwise]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Alpha::Complete => "complete",
            Alpha::Pairwise => "pairwise",
        }))
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Csv, Format::Json, Format::Xlsx]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }))
    }
}

/// `gti compare --format`: its tables in CSV or a workbook (it has no JSON form).
fn csv_or_xlsx() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["csv", "xlsx"])
        .map(|s| if s == "xlsx" { Format::Xlsx } else { Format::Csv })
}

impl ValueEnum for Encoding {
    fn value_variants<'a>() -> &'a [Self] {
        &[Encoding::Utf8, Encoding::Latin1]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Encoding::Utf8 => PossibleValue::new("utf8").help("UTF-8 (a byte-order mark is dropped)"),
            Encoding::Latin1 => {
                PossibleValue::new("latin1").help("ISO-8859-1 (Latin-1), as UNDP's HDR 2023/24 file")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
