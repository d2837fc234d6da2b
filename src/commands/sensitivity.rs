//! `gti sensitivity`: uncertainty (UA) and variance-based sensitivity (SA) analysis of the
//! ranks over the choices a spec file declares uncertain. See docs/sensitivity.md.

use crate::cli::{Mode, SensitivityArgs};
use crate::error::{Error, Result};
use crate::ingest;
use crate::output::sensitivity::{self as out, RunInfo};
use crate::output::{Manifest, write_all};
use crate::sensitivity::run::{self, Options};
use crate::sensitivity::{prepare, spec};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub fn run(args: &SensitivityArgs) -> Result<()> {
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
