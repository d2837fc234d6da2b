//! `gti compute`: the main job. Computes everything in memory, then writes each file
//! atomically; a failed run leaves an existing output folder untouched.

use super::{Progress, load, resolve_inputs};
use crate::cli::ComputeArgs;
use crate::disclosure;
use crate::error::{Error, Result};
use crate::methodology::Methodology;
use crate::output::{Bundle, Format, Target, Written};
use crate::stages::{self, DatasetName};
use std::path::Path;

pub fn run(args: &ComputeArgs) -> Result<()> {
    let target = args.format.target(&args.output)?;
    if target.is_stdout() && args.dataset.len() > 1 {
        return Err(Error::Usage("-o - writes one table: give at most one --dataset".into()));
    }
    if target.is_stdout() && args.intervals.any() {
        return Err(Error::Usage(
            "--uncertainty and --sensitivity write uncertainty.csv beside scores.csv: give -o DIR, not -o -"
                .into(),
        ));
    }
    let quiet = args.quiet || target.is_stdout();
    let progress = Progress::new(quiet);
    let (m, mut raw) = load(&args.input, &progress)?;
    if args.public && !args.input.set.is_empty() {
        // What is published is the methodology as written: a --set may reweight, not recombine.
        let base = Methodology::load(&resolve_inputs(&args.input)?.0, &[])?;
        disclosure::same_combination(&base, &m, "the methodology and its --set")?;
    }
    // Before the run, which may free the data it no longer needs.
    let intervals = super::intervals(&args.intervals, &m, &raw, args.public, (&progress, args.quiet))?;
    progress.stage("computing");
    // The workbook's Indicators sheet shows each indicator's raw value beside its normalised one.
    let mut keep = args.dataset.clone();
    if args.format == Format::Xlsx {
        keep.push(DatasetName::Raw);
    }
    let results = stages::run_lean(&m, &mut raw, stages::Keep::Only(&keep))?;
    let mut bundle = Bundle::new("compute", &m, &raw, &results, &args.dataset);
    if let Some(i) = intervals {
        bundle = bundle.with_intervals(i);
    }
    if args.public {
        bundle = disclosure::publish(bundle, &m, &results)?;
    }
    progress.stage("writing");
    if let Target::Dir(dir) = &target {
        let inputs: Vec<&Path> =
            raw.files.iter().map(|f| f.path.as_path()).chain([m.provenance.path.as_path()]).collect();
        spare_inputs(dir, &inputs)?;
    }
    let written = target.write(args.format.exporter(), &bundle)?;
    if let Target::Dir(dir) = &target {
        remove_stale(dir, &written);
    }
    progress.finish();
    written.announce(quiet);
    if !quiet {
        warnings(&bundle, args.format == crate::output::Format::Json);
    }
    Ok(())
}

/// Every file `compute` can write. After a run, the ones this run did not write are removed
/// from the output folder, so that an old `trends.csv` or data set never sits beside new
/// results. Other files in the folder are left alone.
const COMPUTE_OUTPUTS: [&str; 17] = [
    "scores.csv",
    "uncertainty.csv",
    "trends.csv",
    "transparency.csv",
    "regions.csv",
    "region_trends.csv",
    "manifest.json",
    "results.json",
    "results.xlsx",
    "Raw.csv",
    "Transformed.csv",
    "Imputed.csv",
    "Treated.csv",
    "Normalised.csv",
    "Aggregated.csv",
    "weights.csv",
    "bod.csv",
];

/// Refuses an output folder where an output (written or removed as stale) is an input file:
/// `gti compute -d out/Raw.csv -o out/` must not delete or overwrite its own data.
fn spare_inputs(dir: &Path, inputs: &[&Path]) -> Result<()> {
    let canon: Vec<std::path::PathBuf> =
        inputs.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    for name in COMPUTE_OUTPUTS {
        let target = dir.join(name);
        if std::fs::canonicalize(&target).is_ok_and(|t| canon.contains(&t)) {
            return Err(Error::Usage(format!(
                "-o {}: {} is one of the inputs, and compute writes or removes that name; choose another output folder",
                dir.display(),
                target.display()
            )));
        }
    }
    Ok(())
}

fn remove_stale(dir: &Path, written: &Written) {
    let wrote = |name: &str| written.0.iter().any(|p| p.file_name().is_some_and(|f| f == name));
    for name in COMPUTE_OUTPUTS.iter().filter(|n| !wrote(n)) {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

/// The run log's first findings (warnings first), after the files written.
fn warnings(b: &Bundle, json: bool) {
    let file = if json { "results.json" } else { "manifest.json" };
    eprint!("{}", b.log.summary(10, file));
}
