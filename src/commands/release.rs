//! `gti release`: computes the edition, builds the package (see [`crate::release`]), writes
//! it, and checks the written package as `gti verify --release` would.

use super::Progress;
use crate::cli::ReleaseArgs;
use crate::error::{Error, Result};
use crate::methodology::Methodology;
use crate::release::pseudonym::Key;
use crate::release::{self, Options, check};
use crate::stages;

pub fn run(args: &ReleaseArgs) -> Result<()> {
    release::check_edition(&args.edition)?;
    // The key first: a bad key costs no computation. Clap has checked the options go together.
    let key = match (&args.key_file, args.include_responses) {
        (Some(path), true) => Some(Key::from_file(path)?),
        _ => None,
    };
    let progress = Progress::new(args.quiet);
    progress.stage("reading the methodology");
    let m = Methodology::load(&args.methodology, &[])?;
    progress.stage("reading the data");
    let raw = crate::ingest::read_all_with(&args.data, &m.input)?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
    progress.stage("building the package");
    let opts =
        Options { edition: &args.edition, previous: args.previous.as_deref(), responses: key.as_ref() };
    let files = release::build(&m, &raw, &results, &opts)?;
    if let Some(first) = check::strangers(&args.output, &files)?.first() {
        return Err(Error::Usage(format!(
            "-o {}: the folder holds {first}, which is not part of this package (verify --release \
             would refuse it); give a new or empty folder",
            args.output.display()
        )));
    }
    progress.stage("writing");
    let written = release::write(&args.output, &files)?;
    progress.stage("verifying");
    let checked = check::verify(&args.output)?;
    progress.finish();
    if !args.quiet {
        written.iter().for_each(|w| eprintln!("wrote {}", w.display()));
        eprintln!(
            "verified: {} files, {} scores recomputed from the package's own data",
            checked.files, checked.scores
        );
        if let Some(n) = checked.combined {
            eprintln!(
                "INTERNAL archive: {n} combined values re-combined from its answers; do not publish it"
            );
        }
    }
    Ok(())
}
