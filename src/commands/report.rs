//! `gti report`: runs the pipeline as `gti compute` does (optionally a candidate too, as
//! `gti compare` does), adds the uncertainty intervals when asked (`--uncertainty`, or a
//! sensitivity run's folder), and writes the report (HTML, Markdown, chart SVGs) and its
//! manifest.

use super::{Progress, resolve_inputs};
use crate::cli::ReportArgs;
use crate::compare::Comparison;
use crate::disclosure;
use crate::error::{Error, Result};
use crate::ingest;
use crate::methodology::Methodology;
use crate::output::{Bundle, OutFile, Target, json, prepare_dir};
use crate::report::{self, ReportData, rank_stats};
use crate::stages::{self, DatasetName};
use std::path::Path;

pub fn run(args: &ReportArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti report writes a folder of pages")?;
    let progress = Progress::new(args.quiet);
    let (base_path, data) = resolve_inputs(&args.input)?;
    progress.stage("reading the methodology");
    let rd = super::reading(&base_path, &[], &args.input.read)?;
    let m = Methodology::load(&base_path, &rd)?;
    progress.stage("reading the data");
    let raw = ingest::read_all_with(&data, &m.input)?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
    let mut bundle = Bundle::new("report", &m, &raw, &results, &[DatasetName::Normalised]);
    let sensitivity = args.intervals.sensitivity.as_deref();
    if args.public
        && let Some(dir) = sensitivity
    {
        sensitivity_is_public(dir)?;
    }
    // A gti sensitivity folder is joined as compute joins it (checked against this run); a
    // folder without a gti manifest (a rank_stats.csv written by hand) is read alone below.
    let joined = args.intervals.uncertainty.is_some()
        || sensitivity.is_some_and(|d| d.join("manifest.json").is_file());
    if joined
        && let Some(i) = super::intervals(&args.intervals, &m, &raw, args.public, (&progress, args.quiet))?
    {
        bundle = bundle.with_intervals(i);
    }
    if args.public {
        bundle = disclosure::publish(bundle, &m, &results)?;
    }
    let mut d = ReportData::new(&m, &bundle, raw.units.as_ref());
    if args.candidate.is_some() || !args.input.set.is_empty() {
        progress.stage("computing the candidate");
        let cand_path = args.candidate.as_deref().unwrap_or(&base_path);
        let cand = Methodology::load(cand_path, &[args.input.set.clone(), rd].concat())?;
        super::same_reading(&m, &cand)?;
        if args.public {
            disclosure::same_combination(&m, &cand, "the methodology and the candidate")?;
        }
        let rc = stages::run(&cand, &raw)?;
        d.comparison = Some(Comparison::build((&m, &results), (&cand, &rc), raw.units.as_ref())?);
    }
    d.intervals = match (&bundle.intervals, sensitivity) {
        (Some(rows), _) => Some(rank_stats::from_rows(rows, d.index(), d.latest())),
        (None, Some(dir)) => Some(rank_stats::read(&dir.join("rank_stats.csv"), d.index(), d.latest())?),
        (None, None) => None,
    };
    progress.stage("writing");
    let mut files = report::files(&report::pages(&d));
    files.push(OutFile::new("manifest.json", json::pretty(&bundle.manifest)?));
    for sub in ["units", "charts"] {
        prepare_dir(&args.output.join(sub))?;
    }
    let written = target.write_files(&files)?;
    remove_stale(&args.output, &files);
    progress.finish();
    if !args.quiet {
        eprintln!("wrote {} files; open {}", written.len(), args.output.join("index.html").display());
    }
    Ok(())
}

/// Refuses, for a public report, rank intervals from a sensitivity run that varied how answers
/// are combined (read from the run's manifest.json): the intervals would mix two ways of
/// combining the same answers.
fn sensitivity_is_public(dir: &Path) -> Result<()> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let Some(inputs) = doc.pointer("/sensitivity/inputs").and_then(|v| v.as_array()) else {
        return Err(Error::Usage(format!(
            "{}: not a gti sensitivity manifest (no sensitivity.inputs): a public report must know what the run varied",
            path.display()
        )));
    };
    let paths = inputs.iter().filter_map(|i| i.get("path").and_then(|p| p.as_str()));
    if let Some(p) = paths.into_iter().find(|p| disclosure::combines_answers(p)) {
        return Err(Error::Usage(format!(
            "--sensitivity {}: the run varies '{p}', which changes how answers are combined; its \
             intervals cannot go into a public report (docs/respondent-safety.md). Leave out --public, \
             or rerun the analysis without that input",
            dir.display()
        )));
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
