//! `gti audit`: run the pipeline, then audit the data and the framework (see
//! [`crate::audit`]). Computes everything in memory, then writes each file atomically.

use super::{Progress, load};
use crate::audit::{audit, treatment_and_screening};
use crate::cli::AuditArgs;
use crate::error::{Error, Result};
use crate::output::audit::{Report, files, markdown};
use crate::output::{Manifest, write_all};
use crate::stages;
use std::io::Write;
use std::path::Path;

pub fn run(args: &AuditArgs) -> Result<()> {
    let to_stdout = args.output == Path::new("-");
    let progress = Progress::new(args.quiet || to_stdout);
    let (m, raw) = load(&args.input, &progress)?;
    progress.stage("computing");
    let r = stages::run(&m, &raw)?;
    progress.stage("auditing");
    let p = &r.datasets.aggregated;
    let manifest = Manifest::new("audit", &m, &raw.files, p.units.len(), p.years.clone(), &r.log);
    let report = Report {
        manifest,
        log: r.log.clone(),
        audit: audit(&m, &r, args.dataset),
        treatment: treatment_and_screening(&r),
    };
    if to_stdout {
        progress.finish();
        let mut out = std::io::stdout().lock();
        let md = markdown(&report);
        return out
            .write_all(md.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::io(Path::new("-"), e));
    }
    let written = write_all(&args.output, &files(&report, args.format)?)?;
    progress.finish();
    if !args.quiet {
        written.iter().for_each(|w| eprintln!("wrote {}", w.display()));
    }
    Ok(())
}
