//! `gti man -o DIR`: one man page per command, written atomically into DIR.

use crate::cli::{ManArgs, shell};
use crate::error::{Error, Result};
use crate::output::{OutFile, Target};

pub fn run(args: &ManArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti man writes a folder of pages")?;
    let pages = shell::man_pages().map_err(|e| Error::Format(format!("cannot format a man page: {e}")))?;
    let files: Vec<OutFile> = pages.into_iter().map(|(name, text)| OutFile::new(name, text)).collect();
    let written = target.write_files(&files)?;
    eprintln!("wrote {} man pages into {}", written.len(), args.output.display());
    Ok(())
}
