//! `gti sensitivity`: uncertainty (UA) and variance-based sensitivity (SA) analysis of the
//! ranks over the choices a spec file declares uncertain. See docs/sensitivity.md.

use crate::cli::InputArgs;
use crate::error::{Error, Result};
use crate::ingest;
use crate::output::sensitivity::{self as out, RunInfo};
use crate::output::{Manifest, write_all};
use crate::sensitivity::run::{self, Options};
use crate::sensitivity::{prepare, spec};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

pub const SENSITIVITY_EXAMPLES: &str = "Examples:
  gti sensitivity -m asem/methodology.toml -d asem/ --spec ua.toml --runs 1000 --seed 42 -o asem-ua/
  gti sensitivity -m m.toml -d data/ --spec ua.toml --mode sa --runs 500 --seed 1 -o sa/
  gti sensitivity -m m.toml -d data/ --spec ua.toml --runs 100000 --seed 7 --threads 2 -q -o ua/

A spec (TOML) lists the uncertain inputs: any --set path with discrete values, or the weights
with a noise factor (each weight × U(1 − f, 1 + f)):
  [[input]]
  path = \"defaults.normalise\"
  values = [{ method = \"minmax\", range = [1, 100] }, { method = \"zscore\", mean = 10, sd = 2 }]
  [[input]]
  path = \"weights\"
  noise = 0.25

UA writes rank_stats.csv (per unit, year and node: nominal, mean, median, 5% and 95% of rank
and score; band_interval is the band or \"uncertain\"), band_probs.csv, runs.csv and
manifest.json. SA (Saltelli design, N(d + 2) runs for --runs N) writes sensitivity.csv (first
order and total indices with bootstrap intervals, on the mean absolute rank shift and per
unit), runs.csv and manifest.json. Files are byte-identical for any --threads.";

/// What to estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Uncertainty analysis: rank and score distributions, band probabilities.
    Ua,
    /// Sensitivity analysis: first-order and total Sobol indices per input.
    Sa,
}

/// `gti sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The spec file (TOML) listing the uncertain inputs.
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// UA: replications. SA: N, the rows of each sample matrix (N(d + 2) runs).
    #[arg(long, default_value_t = 1000, value_name = "N")]
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
    #[arg(long, default_value_t = 0.95, value_name = "P")]
    pub level: f64,
    /// Output folder.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "sensitivity")]
    pub output: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: &SensitivityArgs) -> Result<()> {
    if args.runs < 2 || !(0.0..1.0).contains(&args.level) || args.level <= 0.0 {
        return Err(Error::Usage("--runs must be at least 2 and --level in (0, 1)".into()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads {}: {e}", args.threads)))?;
    pool.install(|| execute(args))
}

fn execute(args: &SensitivityArgs) -> Result<()> {
    let (mpath, data) = super::resolve_inputs(&args.input)?;
    let spec = spec::load(&args.spec)?;
    let raw = ingest::read_all(&data)?;
    let p = prepare(&mpath, &args.input.set, &raw, spec)?;
    let opt = Options { seed: args.seed, runs: args.runs, boot: args.boot, level: args.level };
    let d = p.spec.inputs.len();
    let total = if args.mode == Mode::Sa { args.runs * (d + 2) } else { args.runs };
    if args.mode == Mode::Sa && d == 0 {
        return Err(Error::Usage("--mode sa needs at least one [[input]] in the spec".into()));
    }
    let bar = progress(args.quiet, total as u64);
    let tick = |k: usize| bar.inc(k as u64);
    let mut base = Manifest::new(
        "sensitivity",
        &p.base,
        &raw.files,
        p.units.len(),
        p.years.clone(),
        &p.base_results.log,
    );
    base.seed = Some(args.seed);
    let files = match args.mode {
        Mode::Ua => {
            let ua = run::uncertainty(&p, opt, &tick);
            let info = RunInfo {
                mode: "ua",
                runs: args.runs,
                total_runs: total,
                failed: ua.failed,
                bootstrap: None,
            };
            out::ua_files(&p, &ua, args.seed, out::manifest(base, &p, info)?, args.runs)?
        }
        Mode::Sa => {
            let sa = run::sensitivity(&p, opt, &tick);
            let boot = Some((args.boot, args.level));
            let info = RunInfo {
                mode: "sa",
                runs: args.runs,
                total_runs: total,
                failed: sa.failed,
                bootstrap: boot,
            };
            out::sa_files(&p, &sa, args.seed, out::manifest(base, &p, info)?, args.runs)?
        }
    };
    bar.finish_and_clear();
    let written = write_all(&args.output, &files)?;
    if !args.quiet {
        written.iter().for_each(|w| eprintln!("wrote {}", w.display()));
    }
    Ok(())
}

/// A bar of replications on a terminal's stderr; hidden in CI and pipes.
fn progress(quiet: bool, total: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} runs ({per_sec}, {eta})").expect("static");
    bar.set_style(style);
    bar
}
