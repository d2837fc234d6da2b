//! `gti import coinr`: COINr's iData + iMeta → methodology.toml, indicators.csv, units.csv
//! (see [`crate::import::coinr`]), from two CSV files or a workbook's two sheets.

use crate::cli::ImportCoinrArgs;
use crate::error::{DataError, Diag, Error, Location, Result};
use crate::import::coinr::{Input, SheetLines, convert};
use crate::ingest::sheet::{Format, Workbook, guard};
use crate::output::Target;
use std::path::Path;

pub fn run(args: &ImportCoinrArgs) -> Result<()> {
    let target = Target::folder(&args.output, "gti import coinr writes a folder of three files")?;
    let files = match (&args.workbook, &args.imeta, &args.idata) {
        (Some(book), _, _) => {
            let [imeta, idata] = sheets(book)?;
            convert(imeta, idata, args.year)?
        }
        (None, Some(imeta_path), Some(idata_path)) => {
            let imeta = std::fs::read(imeta_path).map_err(|e| Error::io(imeta_path, e))?;
            let idata = std::fs::read(idata_path).map_err(|e| Error::io(idata_path, e))?;
            convert(
                Input { path: imeta_path, bytes: imeta, sheet: None },
                Input { path: idata_path, bytes: idata, sheet: None },
                args.year,
            )?
        }
        _ => return Err(Error::Usage("give --idata and --imeta, or --workbook".into())),
    };
    target.write_files(&files)?.announce(false);
    Ok(())
}

/// The workbook's iMeta and iData sheets (any case), each written out as CSV.
fn sheets(path: &Path) -> Result<[Input<'_>; 2]> {
    let fail = |d: Diag| Error::from(DataError(vec![d]));
    let format = Format::of(path).ok_or_else(|| {
        Error::Usage(format!("--workbook {}: give a .xlsx, .xlsm, .xls or .ods file", path.display()))
    })?;
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if size > guard::MAX_FILE {
        let msg = format!("the workbook is refused: {size} bytes, more than gti reads");
        return Err(fail(Diag::new(Location::file(path), msg)));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut book = Workbook::open(path, bytes, format).map_err(fail)?;
    let names: Vec<String> = book.sheets().into_iter().map(|s| s.0).collect();
    let mut read = |want: &str| -> Result<Input<'_>> {
        let Some(name) = book.find(want) else {
            let d = Diag::new(Location::file(path), format!("the workbook has no sheet named {want}"))
                .hint(format!("its sheets: {}", names.join(", ")));
            return Err(fail(d));
        };
        let csv = book.csv(&name).map_err(|d| Error::from(DataError(d)))?;
        Ok(Input { path, bytes: csv.bytes, sheet: Some(SheetLines { name, rows: csv.rows }) })
    };
    Ok([read("iMeta")?, read("iData")?])
}
