//! One module per subcommand. Each resolves its raw arguments into checked inputs, runs the
//! library, and reports.

pub mod audit;
pub mod compare;
pub mod completions;
pub mod compute;
pub mod explore;
pub mod import_coinr;
pub mod import_columns;
pub mod import_survey;
pub mod init;
pub mod man;
pub mod methodology;
pub mod release;
pub mod report;
pub mod sensitivity;
pub mod validate;
pub mod verify;

use crate::cli::{InputArgs, IntervalArgs, ReadArgs};
use crate::error::{Error, Result};
use crate::ingest::conventions::delimiter_name;
use crate::ingest::{self, Conventions, RawData};
use crate::methodology::{Methodology, Override};
use crate::sensitivity::{self as analysis, intervals::Intervals};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The embedded example, used when neither -m nor -d is given.
pub const EXAMPLE_METHODOLOGY: &str = "methodology/gti.toml";
pub const EXAMPLE_DATA: &str = "indicators";

/// Resolves -m/-d: both given, or neither (the embedded example in the current folder).
pub fn resolve_inputs(args: &InputArgs) -> Result<(PathBuf, Vec<PathBuf>)> {
    match (&args.methodology, args.data.is_empty()) {
        (Some(m), false) => Ok((m.clone(), args.data.clone())),
        (None, true) => {
            let (m, d) = (PathBuf::from(EXAMPLE_METHODOLOGY), PathBuf::from(EXAMPLE_DATA));
            if !m.is_file() || !d.is_dir() {
                return Err(Error::Usage(format!(
                    "no -m/-d given and no embedded example here ({EXAMPLE_METHODOLOGY}, {EXAMPLE_DATA}/): \
                     run from the gti repository root, or give -m METHODOLOGY -d DATA"
                )));
            }
            Ok((m, vec![d]))
        }
        (Some(_), true) => {
            Err(Error::Usage("-m given without -d: name the data files or folders with -d".into()))
        }
        (None, false) => Err(Error::Usage("-d given without -m: name the methodology file with -m".into())),
    }
}

/// Loads and validates the methodology, then reads the data as its `[input]` (and the
/// command line's reading options) declare.
pub fn load(args: &InputArgs, progress: &Progress) -> Result<(Methodology, RawData)> {
    let (mpath, data) = resolve_inputs(args)?;
    progress.stage("reading the methodology");
    let set = [args.set.clone(), reading(&mpath, &args.set, &args.read)?].concat();
    let m = Methodology::load(&mpath, &set)?;
    progress.stage("reading the data");
    let raw = ingest::read_all_with(&data, &m.input)?;
    Ok((m, raw))
}

/// `--na`, `--delimiter` and `--decimal-comma` as the `--set input.…` overrides that read the
/// data alike, so that the manifest records them with the other overrides and a rerun with
/// them reads the same: `--na` adds to the methodology's `[input] na` (after `set`).
pub fn reading(mpath: &Path, set: &[Override], read: &ReadArgs) -> Result<Vec<Override>> {
    let mut out = Vec::new();
    let mut push = |path: &str, value: String| {
        let o = format!("{path}={value}").parse::<Override>().map_err(Error::Usage)?;
        out.push(o);
        Ok::<(), Error>(())
    };
    if !read.na.is_empty() {
        let mut c = Methodology::load(mpath, set)?.input;
        c.add_na(&read.na);
        push("input.na", toml_edit::Value::from(c.na.iter().collect::<toml_edit::Array>()).to_string())?;
    }
    if let Some(d) = read.delimiter {
        push("input.delimiter", format!("\"{}\"", delimiter_name(d)))?;
    }
    if read.decimal_comma {
        push("input.decimal_comma", "true".into())?;
    }
    Ok(out)
}

/// The conventions of a command without a methodology (`gti init`).
pub fn conventions(read: &ReadArgs) -> Conventions {
    let mut c = Conventions::default();
    c.add_na(&read.na);
    c.delimiter = read.delimiter.unwrap_or(b',');
    c.decimal_comma = read.decimal_comma;
    c
}

/// The data are read once, with the base methodology's `[input]`: a candidate that would
/// read them otherwise is refused rather than computed on data it does not describe.
pub fn same_reading(base: &Methodology, cand: &Methodology) -> Result<()> {
    if base.input != cand.input {
        return Err(Error::Usage(format!(
            "{} declares another [input] than {}: the data are read once, as -m's [input] (and \
             --na, --delimiter, --decimal-comma) say",
            cand.provenance.path.display(),
            base.provenance.path.display()
        )));
    }
    Ok(())
}

/// The intervals asked for: an uncertainty analysis of `--uncertainty`'s spec on `m` and
/// `raw`, run here with the library entry `gti sensitivity` runs, or those of
/// `--sensitivity`'s folder; `None` without either flag. `quiet` hides the progress bar.
/// With `public`, a spec that varies how answers are combined is refused before the analysis.
pub fn intervals(
    args: &IntervalArgs,
    m: &Methodology,
    raw: &RawData,
    public: bool,
    (progress, quiet): (&Progress, bool),
) -> Result<Option<Intervals>> {
    if let Some(dir) = &args.sensitivity {
        return read_intervals(dir, m, raw).map(Some);
    }
    let Some(spec_path) = &args.uncertainty else { return Ok(None) };
    progress.stage("uncertainty analysis");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads {}: {e}", args.threads)))?;
    let spec = analysis::spec::load(spec_path)?;
    if public {
        // Refused now, not after an analysis that may take minutes.
        crate::disclosure::public::uncertainty_is_public(&analysis::intervals::input_paths(&spec))?;
    }
    // The analysis of the methodology as this run reads it (its --set and reading options).
    let opt = analysis::run::Options { seed: args.seed, runs: args.runs, boot: 0, level: 0.95 };
    pool.install(|| {
        let p = analysis::prepare(&m.provenance.path, &m.provenance.overrides, raw, spec)?;
        let bar = Progress::bar(quiet, args.runs as u64);
        let ua = analysis::run::uncertainty(&p, opt, &|k| bar.inc(k as u64));
        bar.finish();
        let stamp = analysis::intervals::stamp_of_run(&p, args.runs, args.seed);
        Ok(Some(Intervals { rows: analysis::intervals::from_run(&p, &ua), stamp }))
    })
}

/// The intervals of an earlier uncertainty analysis, from its folder's `rank_stats.csv` and
/// `band_probs.csv`, once its manifest shows it ran on this methodology, `--set` and data.
pub fn read_intervals(dir: &Path, m: &Methodology, raw: &RawData) -> Result<Intervals> {
    let file = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map(|b| (path.clone(), b)).map_err(|e| Error::io(&path, e))
    };
    let (path, bytes) = file("manifest.json")?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Usage(format!("{}:{}:{}: not a gti manifest: {e}", path.display(), e.line(), e.column()))
    })?;
    let stamp = analysis::intervals::check_manifest(&doc, &path, m, raw)?;
    let (rank_stats, band_probs) = (file("rank_stats.csv")?, file("band_probs.csv")?);
    let rows =
        analysis::intervals::from_files((&rank_stats.0, &rank_stats.1), (&band_probs.0, &band_probs.1))?;
    Ok(Intervals { rows, stamp })
}

/// A spinner (or a bar) on a terminal's stderr; nothing when stderr is not a terminal (CI,
/// pipes) or with --quiet.
pub struct Progress(ProgressBar);

impl Progress {
    /// A spinner showing the stage.
    pub fn new(quiet: bool) -> Progress {
        if !visible(quiet) {
            return Progress(ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()));
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("static template"));
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress(bar)
    }

    /// A bar of `total` steps (`gti sensitivity`'s replications).
    pub fn bar(quiet: bool, total: u64) -> Progress {
        if !visible(quiet) {
            return Progress(ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden()));
        }
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} runs ({per_sec}, {eta})");
        bar.set_style(style.expect("static template"));
        Progress(bar)
    }

    pub fn stage(&self, msg: &str) {
        self.0.set_message(msg.to_string());
    }

    /// Advances a bar by `k` steps.
    pub fn inc(&self, k: u64) {
        self.0.inc(k);
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Progress is drawn only for a person watching: not with --quiet, nor in CI or a pipe.
fn visible(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
