//! `gti validate`: load the methodology, read the data, run every stage, write nothing.

use super::{Progress, load};
use crate::cli::InputArgs;
use crate::error::Result;
use crate::stages;

pub fn run(args: &InputArgs) -> Result<()> {
    let progress = Progress::new(false);
    let (m, mut raw) = load(args, &progress)?;
    progress.stage("running the pipeline");
    // As `compute` does: nothing is exported, so the observations and each intermediate data
    // set are freed as soon as they have been read (a 10-million-row panel otherwise held
    // all of them, 1.1 GB).
    let results = stages::prepare(&m, &raw).and_then(|prepared| {
        raw.obs = Vec::new();
        stages::finish(&m, prepared, raw.units.as_ref(), stages::Keep::Only(&[]))
    });
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
        p.units.len(),
        years(&p.years),
    );
    for f in &r.log.findings {
        text.push_str(&format!("warning: {f}\n"));
    }
    super::emit(&text)
}

fn years(y: &[i32]) -> String {
    match y {
        [] => "none".into(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}-{last} ({} years)", y.len()),
    }
}
