//! `gti audit`: run the pipeline, then audit the data and the framework (see
//! [`crate::audit`]). Computes everything in memory, then writes each file atomically.

use super::{Progress, load};
use crate::audit::imputation::{Point, candidates, draw_mask, evaluate};
use crate::audit::{audit_with, treatment_and_screening};
use crate::audit::{external, influence};
use crate::cli::AuditArgs;
use crate::error::{DataError, Diag, Error, Location, Result};
use crate::output::Manifest;
use crate::output::audit::Report;
use crate::stages;
use crate::table::Panel;
use std::path::Path;

pub fn run(args: &AuditArgs) -> Result<()> {
    let target = args.format.target(&args.output)?;
    let quiet = args.quiet || target.is_stdout();
    let progress = Progress::new(quiet);
    let (m, raw) = load(&args.input, &progress)?;
    // The external files are read and checked before the run: a wrong file fails fast.
    let ext = if args.external.is_empty() {
        None
    } else {
        progress.stage("reading the external indicators");
        let ext = crate::ingest::read_all_with(&args.external, &m.input)?;
        external::check(&m, &ext)?;
        Some(ext)
    };
    progress.stage("computing");
    let r = stages::run(&m, &raw)?;
    progress.stage("auditing");
    let p = &r.datasets.aggregated;
    let mut manifest = Manifest::new("audit", &m, &raw.files, r.units_kept(), p.years.clone(), &r.log);
    if let Some(ext) = &ext {
        manifest.external = Manifest::input_stamps(&ext.files);
    }
    let mut log = r.log.clone();
    let mut a = audit_with(&m, &r, args.dataset, args.alpha);
    if let Some(list) = &args.imputation {
        let names: Vec<String> =
            list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        let methods = candidates(&m, &names).map_err(|e| Error::Usage(format!("--imputation: {e}")))?;
        let observed = &r.datasets.transformed;
        let mask = match &args.mask_file {
            Some(path) => read_mask(path, observed)?,
            None => {
                if !(0.0..1.0).contains(&args.mask) || args.mask == 0.0 {
                    return Err(Error::Usage(format!("--mask must be in (0, 1), not {}", args.mask)));
                }
                manifest.seed = Some(args.seed);
                draw_mask(observed, args.mask, args.seed)
            }
        };
        progress.stage("evaluating imputation");
        let skip = unimputable(observed, &r.screened);
        a.imputation = evaluate(&m, observed, raw.units.as_ref(), &skip, &mask, &methods, &mut log)?;
    }
    progress.stage("removing each element (influence)");
    a.influence = influence::influence(&m, &r)?;
    if let Some(ext) = &ext {
        let placed = external::place(&r, ext)?;
        log.findings.extend(external::note(&placed));
        a.external = external::correlate(&m, &r, &placed);
    }
    // The findings of the audit itself (imputation models, ignored external rows) too.
    manifest.warnings = log.findings.iter().map(|f| f.to_string()).collect();
    let report = Report { manifest, log, audit: a, treatment: treatment_and_screening(&r) };
    let written = target.write(args.format.exporter(), &report)?;
    progress.finish();
    written.announce(quiet);
    Ok(())
}

/// Screened unit-years and those with no value at all (year-major): not imputed, as in the
/// pipeline.
fn unimputable(p: &Panel, screened: &[bool]) -> Vec<bool> {
    let nu = p.units.len();
    (0..p.years.len())
        .flat_map(|y| (0..nu).map(move |u| (y, u)))
        .map(|(y, u)| screened[y * nu + u] || (0..p.columns.len()).all(|c| p.get(y, c, u).is_nan()))
        .collect()
}

/// `--mask-file`: `unit,year,indicator` rows naming observed values of the run.
fn read_mask(path: &Path, p: &Panel) -> Result<Vec<Point>> {
    let mut rdr = csv::Reader::from_path(path)
        .map_err(|e| Error::Data(DataError(vec![Diag::new(Location::file(path), e.to_string())])))?;
    let bad =
        |line: u64, msg: String| Error::Data(DataError(vec![Diag::new(Location::at(path, line, None), msg)]));
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let field = |k: usize| rec.get(k).unwrap_or("").trim();
        let u = p.units.iter().position(|x| x.as_str() == field(0));
        let y = field(1).parse::<i32>().ok().and_then(|y| p.years.iter().position(|&x| x == y));
        let c = p.columns.iter().position(|x| x.as_str() == field(2));
        let (Some(u), Some(y), Some(c)) = (u, y, c) else {
            return Err(bad(
                line,
                format!(
                    "'{},{},{}' is not a unit, year and indicator of the run",
                    field(0),
                    field(1),
                    field(2)
                ),
            ));
        };
        if p.get(y, c, u).is_nan() {
            return Err(bad(
                line,
                format!("'{},{},{}' is not an observed value", field(0), field(1), field(2)),
            ));
        }
        out.push((y, c, u));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
