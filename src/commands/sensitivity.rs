//! `gti sensitivity`: uncertainty (UA) and variance-based sensitivity (SA) analysis of the
//! ranks over the choices a spec file declares uncertain; `--shard K/N` and `merge` split a
//! UA run over machines. See docs/sensitivity.md.

use super::Progress;
use crate::cli::{InputArgs, MergeArgs, Mode, SensitivityArgs, SensitivityCommand};
use crate::error::{Error, Result};
use crate::ingest::{self, RawData};
use crate::methodology::Methodology;
use crate::output::csv::CsvExporter;
use crate::output::sensitivity::{self as out, Analysed, Run, RunInfo};
use crate::output::{Manifest, OutFile, Staged, Target};
use crate::sensitivity::run::{self, Options, Replications};
use crate::sensitivity::shard::{self, Header, RunKey, Shard};
use crate::sensitivity::{Prepared, prepare, spec};
use std::path::{Path, PathBuf};

pub fn run(args: &SensitivityArgs) -> Result<()> {
    let threads = match &args.command {
        Some(SensitivityCommand::Merge(m)) => m.threads,
        None => args.threads,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("--threads {threads}: {e}")))?;
    pool.install(|| match &args.command {
        Some(SensitivityCommand::Merge(m)) => merge(m),
        None => execute(args),
    })
}

/// The inputs read and the analysis prepared.
fn load(input: &InputArgs, spec_path: &Path) -> Result<(PathBuf, Vec<PathBuf>, RawData, Prepared)> {
    let (mpath, data) = super::resolve_inputs(input)?;
    let spec = spec::load(spec_path)?;
    let set = all_set(&mpath, input)?;
    let conventions = Methodology::load(&mpath, &set)?.input;
    let raw = ingest::read_all_with(&data, &conventions)?;
    let p = prepare(&mpath, &set, &raw, spec)?;
    Ok((mpath, data, raw, p))
}

/// The `--set` pairs with the reading flags (`--na`, `--delimiter`, `--decimal-comma`) written
/// as the `input.…` pairs they stand for, so that a shard records them and `merge` reads the
/// data the same way.
fn all_set(mpath: &Path, input: &InputArgs) -> Result<Vec<crate::methodology::Override>> {
    Ok([input.set.clone(), super::reading(mpath, &input.set, &input.read)?].concat())
}

fn execute(args: &SensitivityArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti sensitivity writes a folder of tables")?;
    let spec_path = args.spec.as_ref().ok_or_else(|| Error::Usage("give --spec FILE".into()))?;
    let (mpath, data, raw, p) = load(&args.input, spec_path)?;
    let opt = Options { seed: args.seed, runs: args.runs, boot: args.boot, level: args.level };
    let d = p.spec.inputs.len();
    let total = if args.mode == Mode::Sa { args.runs * (d + 2) } else { args.runs };
    if args.mode == Mode::Sa && d == 0 {
        return Err(Error::Usage("--mode sa needs at least one [[input]] in the spec".into()));
    }
    if let Some(s) = args.shard {
        if args.mode == Mode::Sa {
            return Err(Error::Usage("--shard splits an uncertainty analysis (--mode ua) only".into()));
        }
        let key = run_key((&mpath, &data, spec_path), &raw, &p, (args.seed, args.runs, s.n));
        let bar = Progress::bar(args.quiet, s.rows(args.runs).len() as u64);
        let reps = run::replicate(&p, args.seed, s.rows(args.runs), &|k| bar.inc(k as u64));
        bar.finish();
        return write_shard(&target, s, key, &reps, args.quiet);
    }
    // `runs.csv` needs no result: formatted first, it goes to disk on a thread of its own
    // while the runs compute (writing and syncing 40 MB took a tenth of the command).
    // The blocks move to that thread, which frees them once written.
    let blocks = out::runs(&p, args.seed, args.runs, args.mode == Mode::Sa)?;
    let target = &target;
    std::thread::scope(|scope| {
        let staging = scope.spawn(move || target.stage("runs.csv", &blocks));
        let bar = Progress::bar(args.quiet, total as u64);
        let tick = |k: usize| bar.inc(k as u64);
        let (run, bootstrap) = match args.mode {
            Mode::Ua => (Run::Ua(run::uncertainty(&p, opt, &tick)), None),
            Mode::Sa => (Run::Sa(run::sensitivity(&p, opt, &tick)), Some((args.boot, args.level))),
        };
        bar.finish();
        let staged = staging.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?;
        let mode = if args.mode == Mode::Sa { "sa" } else { "ua" };
        let settings = (mode, args.seed, args.runs, total, bootstrap);
        write(target, (&p, &raw), run, settings, Some(staged), args.quiet)
    })
}

/// The run's files: its tables and manifest.
fn write(
    target: &Target,
    (p, raw): (&Prepared, &RawData),
    run: Run,
    (mode, seed, runs, total_runs, bootstrap): (&'static str, u64, usize, usize, Option<(usize, f64)>),
    runs_csv: Option<Staged>,
    quiet: bool,
) -> Result<()> {
    let mut base = Manifest::new(
        "sensitivity",
        &p.base,
        &raw.files,
        p.base_results.units_kept(),
        p.years.clone(),
        &p.base_results.log,
    );
    base.seed = Some(seed);
    let failed = match &run {
        Run::Ua(ua) => ua.failed,
        Run::Sa(sa) => sa.failed,
    };
    let info = RunInfo { mode, runs, total_runs, failed, bootstrap };
    let manifest = out::manifest(base, p, info)?;
    let analysed = Analysed { prepared: p, run, seed, runs, manifest, runs_csv };
    target.write(&CsvExporter, &analysed)?.announce(quiet);
    Ok(())
}

/// What identifies a sharded run.
fn run_key(
    (mpath, data, spec): (&Path, &[PathBuf], &Path),
    raw: &RawData,
    p: &Prepared,
    (seed, runs, shards): (u64, usize, usize),
) -> RunKey {
    RunKey {
        methodology: mpath.to_path_buf(),
        methodology_sha256: p.base.provenance.sha256.clone(),
        data: data.to_vec(),
        inputs: raw.files.iter().map(|f| (f.path.to_string_lossy().into_owned(), f.sha256.clone())).collect(),
        spec: spec.to_path_buf(),
        spec_sha256: p.spec.sha256.clone(),
        // With the reading flags as their `input.…` pairs (see `all_set`).
        set: p.base.provenance.overrides.iter().map(|o| format!("{}={}", o.path, o.value)).collect(),
        seed,
        runs,
        shards,
    }
}

fn write_shard(target: &Target, shard: Shard, run: RunKey, reps: &Replications, quiet: bool) -> Result<()> {
    let header = Header {
        format: shard::FORMAT,
        shard,
        rows: reps.rows.clone(),
        points: reps.scores.len().checked_div(reps.rows.len()).unwrap_or(0),
        failed: reps.failed,
        run,
    };
    let json = serde_json::to_vec_pretty(&header).map_err(|e| Error::Usage(format!("shard.json: {e}")))?;
    let files = [OutFile::new("shard.bin", shard::encode(reps)), OutFile::new("shard.json", json)];
    target.write_files(&files)?.announce(quiet);
    Ok(())
}

fn read_header(dir: &Path) -> Result<Header> {
    let path = dir.join("shard.json");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::Usage(format!("{}:{}:{}: not a gti shard header: {e}", path.display(), e.line(), e.column()))
    })
}

/// `gti sensitivity merge`: the shards checked, put back in order and summarised.
fn merge(args: &MergeArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti sensitivity merge writes a folder of tables")?;
    let headers = args.shards.iter().map(|d| Ok((d.clone(), read_header(d)?))).collect::<Result<Vec<_>>>()?;
    let shards = shard::order(headers).map_err(Error::Usage)?;
    let key = shards[0].1.run.clone();
    let set = key.set.iter().map(|s| s.parse()).collect::<std::result::Result<Vec<_>, String>>();
    let input = InputArgs {
        methodology: Some(key.methodology.clone()),
        data: key.data.clone(),
        set: set.map_err(|e| Error::Usage(format!("{}: --set {e}", shards[0].0.display())))?,
        read: Default::default(),
    };
    let (mpath, data, raw, p) = load(&input, &key.spec)?;
    let now = run_key((&mpath, &data, &key.spec), &raw, &p, (key.seed, key.runs, key.shards));
    if now != key {
        return Err(Error::Usage(format!(
            "the inputs the shards name have changed since they ran (methodology, data or spec: \
             their SHA-256 digests differ from {}'s)",
            shards[0].0.join("shard.json").display()
        )));
    }
    let mut parts = Vec::with_capacity(shards.len());
    for (dir, h) in &shards {
        let path = dir.join("shard.bin");
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let ok = h.rows == h.shard.rows(key.runs) && h.points == p.shape.points();
        let reps = shard::decode(h, &bytes).filter(|_| ok).ok_or_else(|| {
            Error::Usage(format!("{}: truncated or not the share shard.json describes", path.display()))
        })?;
        parts.push(reps);
    }
    let all =
        Replications::concat(&parts).ok_or_else(|| Error::Usage("the shards do not follow on".into()))?;
    let ua = all.summarise(&p);
    write(&target, (&p, &raw), Run::Ua(ua), ("ua", key.seed, key.runs, key.runs, None), None, args.quiet)
}
