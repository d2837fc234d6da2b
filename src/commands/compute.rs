//! `gti compute`: the main job. Computes everything in memory, then writes each file
//! atomically; a failed run leaves an existing output folder untouched.

use super::{Progress, load};
use crate::cli::ComputeArgs;
use crate::error::{Error, Result};
use crate::ingest::RawData;
use crate::methodology::Methodology;
use crate::output::csv::CsvExporter;
use crate::output::json::JsonExporter;
use crate::output::{Bundle, DatasetRow, Exporter, Format, Manifest, write_all};
use crate::regions::{region_rows, region_trends};
use crate::rows::{Scores, transparency_rows, trend_rows};
use crate::stages::{self, DatasetName, Results};
use std::io::Write;
use std::path::Path;

pub fn run(args: &ComputeArgs) -> Result<()> {
    let to_stdout = args.output == Path::new("-");
    if to_stdout && args.dataset.len() > 1 {
        return Err(Error::Usage("-o - writes one table: give at most one --dataset".into()));
    }
    let progress = Progress::new(args.quiet || to_stdout);
    let (m, mut raw) = load(&args.input, &progress)?;
    progress.stage("computing");
    let results = stages::run_lean(&m, &mut raw, stages::Keep::Only(&args.dataset))?;
    let bundle = bundle(&m, &raw, &results, &args.dataset);
    let exporter: Box<dyn Exporter> = match args.format {
        Format::Csv => Box::new(CsvExporter),
        Format::Json => Box::new(JsonExporter),
    };
    progress.stage("writing");
    if to_stdout {
        let bytes = exporter.stdout(&bundle)?;
        progress.finish();
        let mut out = std::io::stdout().lock();
        return out.write_all(&bytes).and_then(|_| out.flush()).map_err(|e| Error::io(Path::new("-"), e));
    }
    let files = exporter.files(&bundle)?;
    let inputs: Vec<&Path> =
        raw.files.iter().map(|f| f.path.as_path()).chain([m.provenance.path.as_path()]).collect();
    spare_inputs(&args.output, &inputs)?;
    let written = write_all(&args.output, &files)?;
    remove_stale(&args.output, &files);
    progress.finish();
    if !args.quiet {
        report(&written, &bundle);
    }
    Ok(())
}

/// Every file `compute` can write. After a run, the ones this run did not write are removed
/// from the output folder, so that an old `trends.csv` or data set never sits beside new
/// results. Other files in the folder are left alone.
const COMPUTE_OUTPUTS: [&str; 13] = [
    "scores.csv",
    "trends.csv",
    "transparency.csv",
    "regions.csv",
    "region_trends.csv",
    "manifest.json",
    "results.json",
    "Raw.csv",
    "Transformed.csv",
    "Imputed.csv",
    "Treated.csv",
    "Normalised.csv",
    "Aggregated.csv",
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

fn remove_stale(dir: &Path, written: &[crate::output::OutFile]) {
    for name in COMPUTE_OUTPUTS.iter().filter(|n| !written.iter().any(|f| f.name == **n)) {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

fn report(written: &[std::path::PathBuf], b: &Bundle) {
    for w in written {
        eprintln!("wrote {}", w.display());
    }
    if !b.log.findings.is_empty() {
        eprintln!("{} warning(s) in the run log (manifest.json):", b.log.findings.len());
        for f in b.log.findings.iter().take(10) {
            eprintln!("  {f}");
        }
    }
}

/// Builds every output table from the results.
pub fn bundle<'a>(
    m: &'a Methodology,
    raw: &'a RawData,
    r: &'a Results,
    datasets: &[DatasetName],
) -> Bundle<'a> {
    let p = &r.datasets.aggregated;
    let manifest = Manifest::new("compute", m, &raw.files, p.units.len(), p.years.clone(), &r.log);
    let regions = region_rows(m, r, raw.units.as_ref());
    // Most runs screen nothing: then skip the per-row lookups (linear in the units).
    let screening = r.screened.contains(&true);
    let mut names = datasets.to_vec();
    names.sort();
    names.dedup();
    Bundle {
        manifest,
        log: r.log.clone(),
        scores: Scores::new(m, r, raw.units.as_ref()),
        trends: trend_rows(m, r)
            .into_iter()
            .filter(|t| !screening || (!dropped(r, &t.unit, t.from_year) && !dropped(r, &t.unit, t.to_year)))
            .collect(),
        transparency: transparency_rows(m, r)
            .into_iter()
            .filter(|t| !screening || !dropped(r, &t.unit, t.year))
            .collect(),
        regions: regions.clone(),
        region_trends: region_trends(m, &regions, &p.years),
        datasets: names.into_iter().map(|n| (n, dataset_rows(r, n))).collect(),
    }
}

/// Whether `[screen]` dropped `unit` from `year` (its rows are left out of the outputs).
fn dropped(r: &Results, unit: &str, year: i32) -> bool {
    let p = &r.datasets.aggregated;
    let y = p.years.iter().position(|&v| v == year);
    let u = p.units.iter().position(|c| c.as_str() == unit);
    matches!((y, u), (Some(y), Some(u)) if r.screened[y * p.units.len() + u])
}

/// The flags of point `i` (unit `u`, year `y`) of data set `name`, joined by `+`:
/// `screened` (after Raw), `imputed` (Imputed to Normalised), the treatment flag (Treated,
/// Normalised).
fn point_flag(r: &Results, name: DatasetName, y: usize, u: usize, i: usize) -> String {
    use DatasetName::*;
    let n_units = r.datasets.raw.units.len();
    let mut flags: Vec<String> = Vec::new();
    if name != Raw && r.screened[y * n_units + u] {
        flags.push("screened".into());
    }
    if matches!(name, Imputed | Treated | Normalised) && r.imputed_flags[i] {
        flags.push(match r.imputed_from(i) {
            Some(source) => format!("imputed {source}"),
            None => "imputed".into(),
        });
    }
    if matches!(name, Treated | Normalised)
        && let Some(t) = r.treat_flags[i]
    {
        flags.push(t.as_str().into());
    }
    flags.join("+")
}

/// A data set in long form, sorted by year, column (framework order), unit.
pub fn dataset_rows(r: &Results, name: DatasetName) -> Vec<DatasetRow> {
    let p = r.datasets.get(name);
    let mut rows = Vec::with_capacity(p.values.len());
    for (y, &year) in p.years.iter().enumerate() {
        for (c, code) in p.columns.iter().enumerate() {
            for (u, unit) in p.units.iter().enumerate() {
                let i = (y * p.columns.len() + c) * p.units.len() + u;
                let v = p.values[i];
                rows.push(DatasetRow {
                    unit: unit.to_string(),
                    year,
                    code: code.to_string(),
                    value: (!v.is_nan()).then_some(v),
                    flag: point_flag(r, name, y, u, i),
                });
            }
        }
    }
    rows
}
