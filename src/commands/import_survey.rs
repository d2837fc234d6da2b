//! `gti import survey`: a KoboToolbox or ODK export and its XLSForm, or a SurveyMonkey export
//! and a map → responses.csv, codebook.csv, codebook.md (see [`crate::import::survey`]).

use crate::cli::ImportSurveyArgs;
use crate::error::{Error, Result};
use crate::import::survey::{self, Input, Options, YearFrom, form::Form, map, monkey, xlsform};
use crate::output::Target;
use std::path::Path;

pub fn run(args: &ImportSurveyArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti import survey writes a folder of three files")?;
    let opt = options(args)?;
    let read = |p: &Path| std::fs::read(p).map_err(|e| Error::io(p, e));
    let submissions = Input { path: &args.submissions, bytes: read(&args.submissions)? };
    let entries = match &args.map {
        Some(p) => Some(map::read(p, &read(p)?)?),
        None => None,
    };
    let grid = survey::read_submissions(&submissions, opt.delimiter)?;
    let mut sources = vec![args.submissions.as_path()];
    let imported = match &args.form {
        Some(f) => {
            let form = Form::read(f, read(f)?, args.choice_value.as_deref())?;
            sources.insert(0, f.as_path());
            xlsform::convert(&form, &grid, entries.as_deref(), &opt)?
        }
        None => monkey::convert(&grid, entries.as_deref().unwrap_or_default(), &opt)?,
    };
    if let Some(m) = &args.map {
        sources.push(m.as_path());
    }
    let files = survey::files(&imported, &sources)?;
    let written = target.write_files(&files)?;
    if !args.quiet {
        // Counts and names of questions only: never a respondent id or an answer.
        eprintln!("{}", imported.layout);
        eprintln!(
            "{} submissions, {} items, {} responses",
            imported.submissions,
            imported.items.len(),
            imported.rows.len()
        );
        if !imported.not_items.is_empty() {
            eprintln!("not items ({}): see codebook.md", imported.not_items.len());
        }
    }
    written.announce(args.quiet);
    Ok(())
}

/// The checked options.
fn options(args: &ImportSurveyArgs) -> Result<Options> {
    let delimiter = match args.delimiter {
        None => None,
        Some(c) if c.is_ascii() && !c.is_ascii_alphanumeric() && c != '"' => Some(c as u8),
        Some(c) => {
            return Err(Error::Usage(format!(
                "--delimiter '{c}': give one ASCII punctuation character, such as , or ;"
            )));
        }
    };
    let year = match (&args.year_field, args.year) {
        (Some(f), None) => YearFrom::Field(f.clone()),
        (None, Some(y)) => YearFrom::Fixed(y),
        _ => return Err(Error::Usage("give the year with --year-field NAME or --year YYYY".into())),
    };
    Ok(Options {
        unit_field: args.unit_field.clone(),
        year,
        respondent_field: args.respondent_field.clone(),
        labels: args.labels,
        delimiter,
        group_separator: args.group_separator.clone(),
    })
}
