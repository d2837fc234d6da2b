//! `gti methodology show|diff`: a methodology's version, changelog and framework tree; the keys
//! that differ between two files.

use crate::cli::{MethodologyDiffArgs, MethodologyShowArgs};
use crate::error::Result;
use crate::methodology::diff::{diff, flat_file};
use crate::methodology::{Methodology, describe};

pub fn show(args: &MethodologyShowArgs) -> Result<()> {
    let m = Methodology::load(&args.methodology, &args.set)?;
    crate::output::stdout(describe(&m).as_bytes())
}

pub fn diff_cmd(args: &MethodologyDiffArgs) -> Result<()> {
    let changes = diff(&flat_file(&args.base, &[])?, &flat_file(&args.candidate, &[])?);
    let mut text = if changes.is_empty() { "no differences\n".to_string() } else { String::new() };
    for c in changes {
        let show = |v: Option<String>| v.unwrap_or_else(|| "(absent)".into());
        text.push_str(&format!("{}: {} → {}\n", c.path, show(c.base), show(c.candidate)));
    }
    crate::output::stdout(text.as_bytes())
}
