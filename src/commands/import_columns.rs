//! `gti import columns`: a wide, year-suffixed table → long `unit,year,indicator,value`
//! (see [`crate::import::columns`]).

use crate::cli::ImportColumnsArgs;
use crate::error::{Error, Result};
use crate::import::columns::{Options, Pattern, convert, selection};
use crate::output::write_atomic;
use std::io::Write;
use std::path::Path;

pub fn run(args: &ImportColumnsArgs) -> Result<()> {
    let opt = options(args)?;
    let bytes = std::fs::read(&args.input).map_err(|e| Error::io(&args.input, e))?;
    let (csv, n) = convert(&opt, bytes)?;
    if args.output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out.write_all(&csv).map_err(|e| Error::io(Path::new("-"), e));
    }
    write_atomic(&args.output, &csv)?;
    eprintln!("wrote {} ({n} rows)", args.output.display());
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
    })
}
