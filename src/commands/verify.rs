//! `gti verify`: recompute, compare with a published table (see [`crate::verify`]), exit 1
//! on any mismatch.

use super::{Progress, load};
use crate::cli::VerifyArgs;
use crate::error::{Error, Result};
use crate::output::verify::{Settings, summary, table_csv};
use crate::output::{self, Target};
use crate::stages;
use crate::verify::{compare, computed, read_published, suggest_round};

pub fn run(args: &VerifyArgs) -> Result<()> {
    if let Some(dir) = &args.release {
        return release(dir);
    }
    let published_path = args.published.as_ref().expect("clap requires --published without --release");
    let progress = Progress::new(false);
    let (m, raw) = load(&args.input, &progress)?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
    let computed = computed(&m, &results, raw.units.as_ref());
    let published = read_published(published_path)?;
    let skipped = published.iter().filter(|p| p.score.is_none()).count();
    let round = args.round.map(usize::from);
    let checks = compare(published.clone(), &computed, round, args.tolerance);
    let suggest = if checks.iter().all(|c| c.ok) {
        None
    } else {
        suggest_round(&published, &computed, round, args.tolerance)
    };
    progress.finish();
    if let Some(out) = &args.output {
        // Beside the summary on stdout, never instead of it: `-o -` is a file named `-`.
        Target::File(out.clone()).write_one(&table_csv(&checks)?)?;
    }
    let settings =
        Settings { published: published_path, round: args.round, tolerance: args.tolerance, suggest };
    output::stdout(summary(&checks, skipped, settings).as_bytes())?;
    if checks.is_empty() {
        return Err(Error::Verification(format!(
            "{} holds no published score to compare",
            published_path.display()
        )));
    }
    let bad = checks.iter().filter(|c| !c.ok).count();
    if bad > 0 {
        return Err(Error::Verification(format!(
            "{bad} of {} published values do not reproduce",
            checks.len()
        )));
    }
    Ok(())
}

/// `gti verify --release DIR`.
fn release(dir: &std::path::Path) -> Result<()> {
    let c = crate::release::check::verify(dir)?;
    let answers = c
        .combined
        .map(|n| format!("; internal archive: {n} combined values re-combined from its answers"))
        .unwrap_or_default();
    output::stdout(
        format!(
            "{}: {} files match SHA256SUMS, the zip and the files made from the methodology match, \
             {} scores recomputed from the package's data{answers}\n",
            dir.display(),
            c.files,
            c.scores
        )
        .as_bytes(),
    )
}
