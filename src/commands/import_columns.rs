//! `gti import columns`: a wide, year-suffixed table → long `unit,year,indicator,value`
//! (see [`crate::import::columns`]).

use crate::cli::ImportColumnsArgs;
use crate::error::{Error, Result};
use crate::import::columns::{Options, Pattern, convert, selection};
use crate::output::Target;

pub fn run(args: &ImportColumnsArgs) -> Result<()> {
    let opt = options(args)?;
    let bytes = std::fs::read(&args.input).map_err(|e| Error::io(&args.input, e))?;
    let done = convert(&opt, bytes)?;
    if let Some(dropped) = &done.dropped {
        eprintln!("{}: {dropped}", args.input.display());
    }
    for path in Target::file(&args.output).write_one(&done.csv)?.0 {
        eprintln!("wrote {} ({} rows)", path.display(), done.rows);
    }
    Ok(())
}

/// The checked options: a pattern that parses, and a way to tell the indicator.
fn options(args: &ImportColumnsArgs) -> Result<Options> {
    let pattern = Pattern::parse(&args.pattern).map_err(|e| Error::Usage(format!("--pattern: {e}")))?;
    if !pattern.has_indicator() && args.indicator_column.is_none() {
        return Err(Error::Usage(
            "the pattern has no {indicator}: name the indicator column with --indicator-column".into(),
        ));
    }
    Ok(Options {
        input: args.input.clone(),
        unit: args.unit.clone(),
        pattern,
        indicators: selection(args.indicators.as_deref()),
        indicator_column: args.indicator_column.clone(),
        encoding: args.encoding,
        skip_rows: args.skip_rows,
        footer: args.footer,
        conventions: super::conventions(&args.read),
    })
}
