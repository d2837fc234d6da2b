//! `gti init`: read the data, write a starter methodology (see [`crate::init`]), and say what
//! is still to decide.

use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::ingest;
use crate::init::{check, starter};
use crate::output::Target;
use std::path::Path;

pub fn run(args: &InitArgs) -> Result<()> {
    let target = Target::file(&args.output);
    if let Target::File(path) = &target {
        refuse_to_overwrite(path, args.force)?;
    }
    let mut raw = ingest::read_all_with(&args.data, &super::conventions(&args.read))?;
    let s = starter(&raw)?;
    check(&s, &args.output, &mut raw)?;
    target.write_one(s.toml.as_bytes())?;
    let shown = if target.is_stdout() { "the methodology".into() } else { args.output.display().to_string() };
    eprintln!(
        "wrote {shown}: {} indicator(s) in one pillar ({}) under the index {}",
        s.indicators.len(),
        s.pillar,
        s.index
    );
    eprintln!("It validates and computes as written. Still to decide (marked TODO in the file):");
    for t in &s.todo {
        eprintln!("  - {t}");
    }
    if !target.is_stdout() {
        let data: Vec<String> = args.data.iter().map(|d| format!("-d {}", d.display())).collect();
        eprintln!("Next: gti validate -m {} {}", args.output.display(), data.join(" "));
    }
    Ok(())
}

/// An existing file is kept unless --force; a folder is never replaced.
fn refuse_to_overwrite(path: &Path, force: bool) -> Result<()> {
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "-o {}: this path is a folder; name the file to write",
            path.display()
        )));
    }
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} exists; gti init does not overwrite it (give --force to replace it)",
            path.display()
        )));
    }
    Ok(())
}
