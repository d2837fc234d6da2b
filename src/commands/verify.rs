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
    let progress = Progress::new(false);
    let (m, raw) = load(&args.input, &progress)?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
    let computed = computed(&m, &results, raw.units.as_ref());
    let published = read_published(&args.published)?;
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
        Settings { published: &args.published, round: args.round, tolerance: args.tolerance, suggest };
    output::stdout(summary(&checks, skipped, settings).as_bytes())?;
    if checks.is_empty() {
        return Err(Error::Verification(format!(
            "{} holds no published score to compare",
            args.published.display()
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
