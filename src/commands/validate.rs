//! `gti validate`: load the methodology, read the data, run every stage, write nothing.

use super::{Progress, load};
use crate::cli::InputArgs;
use crate::error::Result;
use crate::stages;

pub fn run(args: &InputArgs) -> Result<()> {
    let progress = Progress::new(false);
    let (m, mut raw) = load(args, &progress)?;
    progress.stage("running the pipeline");
    // Nothing is exported: a 10-million-row panel would otherwise hold every data set, 1.1 GB.
    let results = stages::run_lean(&m, &mut raw, stages::Keep::Only(&[]));
    progress.finish();
    let r = results?;
    let p = &r.datasets.aggregated;
    let fw = &m.framework;
    let mut text = format!(
        "ok: {} {} ({} nodes, {} indicators); {} input file(s), {} unit(s), years {}\n",
        m.index.code,
        m.index.version,
        fw.elements.len() - fw.indicators.len(),
        fw.indicators.len(),
        raw.files.len(),
        r.units_kept(),
        years(&p.years),
    );
    // Every finding, warnings first: validate is where they are read.
    for f in r.log.by_severity() {
        text.push_str(&format!("{}: {f}\n", f.severity().label()));
    }
    crate::output::stdout(text.as_bytes())
}

fn years(y: &[i32]) -> String {
    match y {
        [] => "none".into(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}-{last} ({} years)", y.len()),
    }
}
