//! `gti explore`: runs the pipeline as `gti compute` does on the methodology as written
//! (the published scores), adds the published intervals when asked (`--uncertainty`,
//! `--sensitivity`, in their public form), builds the public model, and writes the one-file
//! explorer.

use super::{Progress, resolve_inputs};
use crate::cli::ExploreArgs;
use crate::disclosure;
use crate::error::{Error, Result};
use crate::explore::model::IntervalInfo;
use crate::explore::{self, CommandInfo, Model, Run};
use crate::ingest;
use crate::methodology::Methodology;
use crate::output::{OutFile, Target};
use crate::stages;

pub fn run(args: &ExploreArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti explore writes a folder")?;
    if let Some(o) = explore::not_offered(&args.input.set) {
        return Err(Error::Usage(format!(
            "--set {}: the explorer recomputes weights, aggregation methods and the penalty k only; \
             for other changes, edit a copy of the methodology and give it with -m",
            o.path
        )));
    }
    let progress = Progress::new(args.quiet);
    let (mpath, data) = resolve_inputs(&args.input)?;
    progress.stage("reading the methodology");
    let rd = super::reading(&mpath, &[], &args.input.read)?;
    let m = Methodology::load(&mpath, &rd)?;
    let source = std::fs::read_to_string(&mpath).map_err(|e| Error::io(&mpath, e))?;
    progress.stage("reading the data");
    let raw = ingest::read_all_with(&data, &m.input)?;
    // The intervals of the published methodology (as written, without the what-if).
    // The page is public: a spec that combines answers is refused before the analysis runs.
    let intervals = super::intervals(&args.intervals, &m, &raw, true, (&progress, args.quiet))?;
    progress.stage("computing");
    let results = stages::run(&m, &raw)?;
    // The page is public: the disclosure rules apply (docs/respondent-safety.md).
    disclosure::check_values(&m, &results)?;
    if !args.input.set.is_empty() {
        // The what-if the page opens with must be one `gti compute` accepts.
        let candidate = Methodology::load(&mpath, &[args.input.set.clone(), rd].concat())?;
        super::same_reading(&m, &candidate)?;
        stages::run(&candidate, &raw)?;
        disclosure::same_combination(&m, &candidate, "the methodology and its --set")?;
    }
    let run = Run { m: &m, source: &source, raw: &raw, results: &results };
    let command = CommandInfo::new(&mpath, &data, &args.input.set);
    let mut model = Model::build(&run, command, m.disclosure)?;
    if let Some(mut i) = intervals {
        // Exactly the withholding of `gti compute --public`: the page is public.
        disclosure::public_intervals(&mut i.rows, &mut i.stamp, &m, &results)?;
        model.intervals = Some(IntervalInfo::of(&m, &results, &i));
    }
    let html = explore::page::html(&model, args.lang.code())?;
    progress.stage("writing");
    target.write_files(&[OutFile::new("index.html", html.into_bytes())])?;
    progress.finish();
    if !args.quiet {
        eprintln!("wrote {}; open it in a browser", args.output.join("index.html").display());
    }
    Ok(())
}
