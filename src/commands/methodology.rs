//! `gti methodology show|diff|freeze`: a methodology's version, changelog and framework tree;
//! the keys that differ between two files; fitted weights written back as numbers.

use crate::cli::{MethodologyDiffArgs, MethodologyFreezeArgs, MethodologyShowArgs};
use crate::error::{Diag, Error, Location, MethodologyError, Result};
use crate::methodology::diff::{diff, flat_file};
use crate::methodology::freeze::{Frozen, freeze};
use crate::methodology::{Methodology, describe};
use crate::output::Target;

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

/// Runs the pipeline, then writes the methodology with every fitted weight as a number.
pub fn freeze_cmd(args: &MethodologyFreezeArgs) -> Result<()> {
    let target = Target::file(&args.output);
    if let Target::File(path) = &target {
        if path.is_dir() {
            return Err(Error::Usage(format!(
                "-o {}: this path is a folder; name the file to write",
                path.display()
            )));
        }
        if path.exists() && !args.force {
            return Err(Error::Usage(format!(
                "{} exists; gti methodology freeze does not overwrite it (give --force to replace it)",
                path.display()
            )));
        }
    }
    let m = Methodology::load(&args.methodology, &[])?;
    let raw = crate::ingest::read_all(&args.data)?;
    let r = crate::stages::run(&m, &raw)?;
    let at =
        |msg: String| Error::from(MethodologyError(vec![Diag::new(Location::file(&args.methodology), msg)]));
    if r.fitted_weights.is_empty() {
        return Err(at(
            "no node fits its children's weights from the data (weights = { method = … }): nothing to freeze"
                .into(),
        ));
    }
    let stamps = crate::fitted::fitted_stamps(&m, &r);
    let frozen: Vec<Frozen> = stamps
        .iter()
        .map(|s| Frozen {
            node: &s.node,
            method: s.method,
            fit_year: s.fit_year,
            cases: s.fit_cases,
            weights: s
                .weights
                .iter()
                .filter(|w| w.declared > 0.0)
                .map(|w| (w.child.as_str(), w.weight))
                .collect(),
        })
        .collect();
    let text = std::fs::read_to_string(&args.methodology).map_err(|e| Error::io(&args.methodology, e))?;
    let out = freeze(&text, &frozen, args.version.as_deref()).map_err(at)?;
    // What is written must be a methodology gti reads.
    let sha = crate::hash::sha256_hex(out.as_bytes());
    Methodology::parse_str(&args.output, &out, sha, &[])?;
    target.write_one(out.as_bytes())?;
    let nodes: Vec<String> = stamps.iter().map(|s| format!("{} ({})", s.node, s.method)).collect();
    let shown = if target.is_stdout() { "the methodology".into() } else { args.output.display().to_string() };
    eprintln!("wrote {shown}: the fitted weights of {} frozen as declared weights", nodes.join(", "));
    Ok(())
}
