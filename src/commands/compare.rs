//! `gti compare`: a base methodology against a candidate (`--candidate FILE`, or the base
//! with `--set` what-ifs) on the same data. Writes `compare.csv`, the committee summary
//! `compare.md` and `manifest.json`.

use super::{Progress, resolve_inputs};
use crate::cli::CompareArgs;
use crate::compare::{Comparison, decompose, score_map};
use crate::error::{Error, Result};
use crate::ingest;
use crate::methodology::Methodology;
use crate::output::compare::{Compared, Decomposed};
use crate::output::csv::CsvExporter;
use crate::output::xlsx::XlsxExporter;
use crate::output::{Exporter, Format, Manifest};
use crate::rows::score_rows;
use crate::stages;
use crate::verify::read_published;
use std::path::Path;

pub fn run(args: &CompareArgs) -> Result<()> {
    if let (Some(edition), Some(old)) = (&args.edition, &args.edition_methodology) {
        return run_edition(args, edition, old);
    }
    if args.candidate.is_none() && args.input.set.is_empty() {
        return Err(Error::Usage(
            "give a candidate methodology with --candidate FILE, or what-ifs with --set".into(),
        ));
    }
    let target = args.format.target(&args.output)?;
    let quiet = args.quiet || target.is_stdout();
    let progress = Progress::new(quiet);
    let (base_path, data) = resolve_inputs(&args.input)?;
    let cand_path = args.candidate.clone().unwrap_or_else(|| base_path.clone());
    progress.stage("reading the methodologies");
    let rd = super::reading(&base_path, &[], &args.input.read)?;
    let base = Methodology::load(&base_path, &rd)?;
    let cand = Methodology::load(&cand_path, &[args.input.set.clone(), rd].concat())?;
    super::same_reading(&base, &cand)?;
    progress.stage("reading the data");
    let raw = ingest::read_all_with(&data, &base.input)?;
    progress.stage("computing both");
    let (rb, rc) = (stages::run(&base, &raw)?, stages::run(&cand, &raw)?);
    let comparison = Comparison::build((&base, &rb), (&cand, &rc), raw.units.as_ref())?;
    progress.finish();
    let p = &rc.datasets.aggregated;
    let mut manifest = Manifest::new("compare", &cand, &raw.files, rc.units_kept(), p.years.clone(), &rc.log);
    manifest.base_methodology = Some(Manifest::stamp(&base));
    target.write(exporter(args.format), &Compared { comparison, manifest })?.announce(quiet);
    Ok(())
}

/// `--edition`: back-casts the edition's years under today's methodology and decomposes
/// each published value's change (see `compare::decompose`).
fn run_edition(args: &CompareArgs, edition: &Path, old_path: &Path) -> Result<()> {
    let target = args.format.target(&args.output)?;
    let quiet = args.quiet || target.is_stdout();
    let progress = Progress::new(quiet);
    let (now_path, data) = resolve_inputs(&args.input)?;
    let rd = super::reading(&now_path, &args.input.set, &args.input.read)?;
    let now = Methodology::load(&now_path, &[args.input.set.clone(), rd].concat())?;
    let old = Methodology::load(old_path, &[])?;
    let raw = ingest::read_all_with(&data, &now.input)?;
    let published: Vec<(String, i32, String, f64)> = read_published(edition)?
        .into_iter()
        .filter_map(|p| Some((p.unit, p.year, p.node, p.score?)))
        .collect();
    progress.stage("computing under both methodologies");
    let (r_old, r_now) = (stages::run(&old, &raw)?, stages::run(&now, &raw)?);
    progress.finish();
    let latest = *r_now
        .datasets
        .aggregated
        .years
        .last()
        .ok_or_else(|| Error::Usage("the data hold no year".into()))?;
    let rows = decompose(
        &published,
        &score_map(&score_rows(&old, &r_old, raw.units.as_ref())),
        &score_map(&score_rows(&now, &r_now, raw.units.as_ref())),
        latest,
    );
    let p = &r_now.datasets.aggregated;
    let mut manifest =
        Manifest::new("compare --edition", &now, &raw.files, r_now.units_kept(), p.years.clone(), &r_now.log);
    manifest.base_methodology = Some(Manifest::stamp(&old));
    target.write(exporter(args.format), &Decomposed { rows, manifest })?.announce(quiet);
    Ok(())
}

/// compare's tables as CSV or as a workbook (`--format` offers no JSON here).
fn exporter<T>(format: Format) -> &'static dyn Exporter<T>
where
    CsvExporter: Exporter<T>,
    XlsxExporter: Exporter<T>,
{
    match format {
        Format::Xlsx => &XlsxExporter,
        Format::Csv | Format::Json => &CsvExporter,
    }
}
