//! `gti sensitivity`: uncertainty (UA) and variance-based sensitivity (SA) analysis of the
//! ranks over the choices a spec file declares uncertain. See docs/sensitivity.md.

use super::Progress;
use crate::cli::{Mode, SensitivityArgs};
use crate::error::{Error, Result};
use crate::ingest;
use crate::methodology::Methodology;
use crate::output::csv::CsvExporter;
use crate::output::sensitivity::{self as out, Analysed, Run, RunInfo};
use crate::output::{Manifest, Target};
use crate::sensitivity::run::{self, Options};
use crate::sensitivity::{prepare, spec};

pub fn run(args: &SensitivityArgs) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads {}: {e}", args.threads)))?;
    pool.install(|| execute(args))
}

fn execute(args: &SensitivityArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti sensitivity writes a folder of tables")?;
    let (mpath, data) = super::resolve_inputs(&args.input)?;
    let spec = spec::load(&args.spec)?;
    let set = [args.input.set.clone(), super::reading(&mpath, &args.input.set, &args.input.read)?].concat();
    let conventions = Methodology::load(&mpath, &set)?.input;
    let raw = ingest::read_all_with(&data, &conventions)?;
    let p = prepare(&mpath, &set, &raw, spec)?;
    let opt = Options { seed: args.seed, runs: args.runs, boot: args.boot, level: args.level };
    let d = p.spec.inputs.len();
    let total = if args.mode == Mode::Sa { args.runs * (d + 2) } else { args.runs };
    if args.mode == Mode::Sa && d == 0 {
        return Err(Error::Usage("--mode sa needs at least one [[input]] in the spec".into()));
    }
    let bar = Progress::bar(args.quiet, total as u64);
    let tick = |k: usize| bar.inc(k as u64);
    let mut base = Manifest::new(
        "sensitivity",
        &p.base,
        &raw.files,
        p.base_results.units_kept(),
        p.years.clone(),
        &p.base_results.log,
    );
    base.seed = Some(args.seed);
    let (run, bootstrap) = match args.mode {
        Mode::Ua => (Run::Ua(run::uncertainty(&p, opt, &tick)), None),
        Mode::Sa => (Run::Sa(run::sensitivity(&p, opt, &tick)), Some((args.boot, args.level))),
    };
    bar.finish();
    let failed = match &run {
        Run::Ua(ua) => ua.failed,
        Run::Sa(sa) => sa.failed,
    };
    let mode = if args.mode == Mode::Sa { "sa" } else { "ua" };
    let info = RunInfo { mode, runs: args.runs, total_runs: total, failed, bootstrap };
    let manifest = out::manifest(base, &p, info)?;
    let analysed = Analysed { prepared: &p, run, seed: args.seed, runs: args.runs, manifest };
    target.write(&CsvExporter, &analysed)?.announce(args.quiet);
    Ok(())
}
