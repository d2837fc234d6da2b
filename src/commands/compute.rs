//! `gti compute`: the main job. Computes everything in memory, then writes each file
//! atomically; a failed run leaves an existing output folder untouched.

use super::{Progress, load};
use crate::cli::{ComputeArgs, Format};
use crate::error::{Error, Result};
use crate::ingest::RawData;
use crate::methodology::Methodology;
use crate::output::csv::CsvExporter;
use crate::output::json::JsonExporter;
use crate::output::{Bundle, DatasetRow, Exporter, Manifest, write_all};
use crate::results::{score_rows, trend_rows};
use crate::stages::{self, DatasetName, Results};
use std::io::Write;
use std::path::Path;

pub fn run(args: &ComputeArgs) -> Result<()> {
    let to_stdout = args.output == Path::new("-");
    if to_stdout && args.dataset.len() > 1 {
        return Err(Error::Usage("-o - writes one table: give at most one --dataset".into()));
    }
    let progress = Progress::new(args.quiet || to_stdout);
    let (m, raw) = load(&args.input, &progress)?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
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
    let written = write_all(&args.output, &files)?;
    progress.finish();
    if !args.quiet {
        report(&written, &bundle);
    }
    Ok(())
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
pub fn bundle(m: &Methodology, raw: &RawData, r: &Results, datasets: &[DatasetName]) -> Bundle {
    let p = &r.datasets.aggregated;
    let manifest = Manifest::new("compute", m, &raw.files, p.units.len(), p.years.clone(), &r.log);
    let mut names = datasets.to_vec();
    names.sort();
    names.dedup();
    Bundle {
        manifest,
        log: r.log.clone(),
        scores: score_rows(m, r, raw.units.as_ref()),
        trends: trend_rows(m, r),
        datasets: names.into_iter().map(|n| (n, dataset_rows(r, n))).collect(),
    }
}

/// A data set in long form, sorted by year, column (framework order), unit.
pub fn dataset_rows(r: &Results, name: DatasetName) -> Vec<DatasetRow> {
    let p = r.datasets.get(name);
    let flagged = matches!(name, DatasetName::Imputed | DatasetName::Treated | DatasetName::Normalised);
    let mut rows = Vec::with_capacity(p.values.len());
    for (y, &year) in p.years.iter().enumerate() {
        for (c, code) in p.columns.iter().enumerate() {
            for (u, unit) in p.units.iter().enumerate() {
                let i = (y * p.columns.len() + c) * p.units.len() + u;
                let v = p.values[i];
                let imputed = flagged && r.imputed_flags[i];
                rows.push(DatasetRow {
                    unit: unit.to_string(),
                    year,
                    code: code.to_string(),
                    value: (!v.is_nan()).then_some(v),
                    flag: if imputed { "imputed".into() } else { String::new() },
                });
            }
        }
    }
    rows
}
