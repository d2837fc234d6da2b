//! `gti audit`: run the pipeline, then audit the data and the framework (see
//! [`crate::audit`]). Computes everything in memory, then writes each file atomically.

use super::{Progress, load};
use crate::audit::{audit, treatment_and_screening};
use crate::cli::AuditArgs;
use crate::error::Result;
use crate::output::Manifest;
use crate::output::audit::Report;
use crate::stages;

pub fn run(args: &AuditArgs) -> Result<()> {
    let target = args.format.target(&args.output)?;
    let quiet = args.quiet || target.is_stdout();
    let progress = Progress::new(quiet);
    let (m, raw) = load(&args.input, &progress)?;
    progress.stage("computing");
    let r = stages::run(&m, &raw)?;
    progress.stage("auditing");
    let p = &r.datasets.aggregated;
    let manifest = Manifest::new("audit", &m, &raw.files, r.units_kept(), p.years.clone(), &r.log);
    let report = Report {
        manifest,
        log: r.log.clone(),
        audit: audit(&m, &r, args.dataset),
        treatment: treatment_and_screening(&r),
    };
    let written = target.write(args.format.exporter(), &report)?;
    progress.finish();
    written.announce(quiet);
    Ok(())
}
