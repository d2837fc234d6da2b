//! `gti import coinr`: COINr's iData + iMeta → methodology.toml, indicators.csv, units.csv
//! (see [`crate::import::coinr`]).

use crate::cli::ImportCoinrArgs;
use crate::error::{Error, Result};
use crate::import::coinr::{Input, convert};
use crate::output::Target;

pub fn run(args: &ImportCoinrArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti import coinr writes a folder of three files")?;
    let imeta = std::fs::read(&args.imeta).map_err(|e| Error::io(&args.imeta, e))?;
    let idata = std::fs::read(&args.idata).map_err(|e| Error::io(&args.idata, e))?;
    let files = convert(
        Input { path: &args.imeta, bytes: imeta },
        Input { path: &args.idata, bytes: idata },
        args.year,
    )?;
    target.write_files(&files)?.announce(false);
    Ok(())
}
