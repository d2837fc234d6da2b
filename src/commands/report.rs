//! `gti report`: runs the pipeline as `gti compute` does (optionally a candidate too, as
//! `gti compare` does), reads a sensitivity run's rank intervals when given, and writes the
//! report (HTML, Markdown, chart SVGs) and its manifest.

use super::{Progress, resolve_inputs};
use crate::cli::ReportArgs;
use crate::compare::{Comparison, effective_weights, pair_rows};
use crate::error::{Error, Result};
use crate::ingest::{self, RawData};
use crate::methodology::diff::{KeyChange, diff, flatten};
use crate::methodology::{Methodology, Override, overrides};
use crate::output::{Manifest, OutFile, json, prepare_dir, write_all};
use crate::report::{self, ReportData, rank_stats};
use crate::stages::{self, DatasetName};
use std::path::Path;

pub fn run(args: &ReportArgs) -> Result<()> {
    if args.output == Path::new("-") {
        return Err(Error::Usage("gti report writes a folder of pages: give -o DIR, not -o -".into()));
    }
    let progress = Progress::new(args.quiet);
    let (base_path, data) = resolve_inputs(&args.input)?;
    progress.stage("reading the methodology");
    let m = Methodology::load(&base_path, &[])?;
    progress.stage("reading the data");
    let raw = ingest::read_all(&data)?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
    let bundle = super::compute::bundle(&m, &raw, &results, &[DatasetName::Normalised]);
    let mut d = ReportData::new(&m, &bundle, raw.units.as_ref());
    if args.candidate.is_some() || !args.input.set.is_empty() {
        progress.stage("computing the candidate");
        d.comparison = Some(comparison(args, &base_path, &m, &raw, &bundle)?);
    }
    if let Some(dir) = &args.sensitivity {
        d.intervals = Some(rank_stats::read(&dir.join("rank_stats.csv"), d.index(), d.latest())?);
    }
    progress.stage("writing");
    let mut files = report::files(&report::pages(&d));
    let p = &results.datasets.aggregated;
    let manifest = Manifest::new("report", &m, &raw.files, p.units.len(), p.years.clone(), &results.log);
    files.push(OutFile::new("manifest.json", json::pretty(&manifest)?));
    for sub in ["units", "charts"] {
        prepare_dir(&args.output.join(sub))?;
    }
    let written = write_all(&args.output, &files)?;
    remove_stale(&args.output, &files);
    progress.finish();
    if !args.quiet {
        eprintln!("wrote {} files; open {}", written.len(), args.output.join("index.html").display());
    }
    Ok(())
}

/// Removes pages and charts of an earlier report in the same folder that this run did not
/// write (a unit no longer in the data, a chart no longer drawn): only `.html`, `.md` and
/// `.svg` files inside `units/` and `charts/`, which the report owns.
fn remove_stale(dir: &Path, files: &[OutFile]) {
    for sub in ["units", "charts"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        for e in entries.flatten() {
            let name = format!("{sub}/{}", e.file_name().to_string_lossy());
            let ours = matches!(e.path().extension().and_then(|x| x.to_str()), Some("html" | "md" | "svg"));
            if ours && !files.iter().any(|f| f.name == name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

fn comparison(
    args: &ReportArgs,
    base_path: &Path,
    base: &Methodology,
    raw: &RawData,
    bundle: &crate::output::Bundle,
) -> Result<Comparison> {
    let cand_path = args.candidate.clone().unwrap_or_else(|| base_path.to_path_buf());
    let cand = Methodology::load(&cand_path, &args.input.set)?;
    let rc = stages::run(&cand, raw)?;
    let with_set = if args.input.set.is_empty() { "" } else { " with --set" };
    Ok(Comparison {
        base_version: format!("{} {}", base.index.code, base.index.version),
        candidate_version: format!("{} {}{with_set}", cand.index.code, cand.index.version),
        index: base.index.code.to_string(),
        // The candidate's rows as compute writes them (units dropped by [screen] left out),
        // like the base's.
        rows: pair_rows(&bundle.scores.rows(), &super::compute::bundle(&cand, raw, &rc, &[]).scores.rows()),
        weights: effective_weights(base, &cand),
        keys: keys(base_path, &cand_path, &args.input.set)?,
    })
}

/// The methodology keys that differ (as `gti compare` lists them).
fn keys(base: &Path, cand: &Path, sets: &[Override]) -> Result<Vec<KeyChange>> {
    let flat = |path: &Path, sets: &[Override]| {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let edited = overrides::apply(path, &text, sets)?;
        flatten(&edited).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
    };
    Ok(diff(&flat(base, &[])?, &flat(cand, sets)?))
}
