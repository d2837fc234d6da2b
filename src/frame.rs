//! The one place gti calls polars: reading third-party wide tables and reshaping them to
//! long form on import. Every polars call sits here, so that an upgrade (each 0.x minor is
//! breaking) touches one file.
//!
//! Cells are read as strings and parsed by gti's own value parser, so that a bad cell is
//! reported with its line and column like everywhere else.

use crate::error::{DataError, Diag, Location};
use polars::prelude::*;
use std::io::Cursor;
use std::path::Path;

/// A wide table read as strings.
pub struct Wide {
    df: DataFrame,
}

/// One cell of a reshaped table: the row's 1-based line in the file, the id columns' values,
/// the wide column's name and the cell (`None` when empty).
pub struct LongCell {
    pub line: u64,
    pub ids: Vec<Option<String>>,
    pub column: String,
    pub value: Option<String>,
}

fn fail(path: &Path, e: PolarsError) -> DataError {
    DataError(vec![Diag::new(Location::file(path), format!("cannot read the table: {e}"))])
}

impl Wide {
    /// Reads CSV bytes with a header; every column as a string.
    pub fn read(path: &Path, bytes: Vec<u8>) -> Result<Wide, DataError> {
        Self::read_with(path, bytes, b',')
    }

    /// Reads CSV bytes with a header and this delimiter; every column as a string.
    pub fn read_with(path: &Path, bytes: Vec<u8>, delimiter: u8) -> Result<Wide, DataError> {
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .map_parse_options(|p| p.with_separator(delimiter))
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish()
            .map_err(|e| fail(path, e))?;
        Ok(Wide { df })
    }

    pub fn columns(&self) -> Vec<String> {
        self.df.get_column_names().iter().map(|s| s.to_string()).collect()
    }

    pub fn height(&self) -> usize {
        self.df.height()
    }

    /// The values of one column (`None` for an empty cell).
    pub fn column(&self, path: &Path, name: &str) -> Result<Vec<Option<String>>, DataError> {
        let col = self.df.column(name).map_err(|e| fail(path, e))?;
        let s = col.str().map_err(|e| fail(path, e))?;
        Ok(s.iter().map(|v| v.map(str::to_string)).collect())
    }

    /// Unpivots `on` columns to long form, keeping `ids`; cells come back ordered by the
    /// position of their column in `on`, then by row.
    pub fn unpivot(&self, path: &Path, ids: &[String], on: &[String]) -> Result<Vec<LongCell>, DataError> {
        let df = self.df.clone().with_row_index("__gti_row".into(), None).map_err(|e| fail(path, e))?;
        let mut index: Vec<PlSmallStr> = vec!["__gti_row".into()];
        index.extend(ids.iter().map(|s| PlSmallStr::from(s.as_str())));
        let on_cols: Vec<PlSmallStr> = on.iter().map(|s| PlSmallStr::from(s.as_str())).collect();
        let long = df.unpivot(Some(on_cols), index).map_err(|e| fail(path, e))?;
        let rows =
            long.column("__gti_row").and_then(|c| c.cast(&DataType::UInt64)).map_err(|e| fail(path, e))?;
        let rows: Vec<u64> = rows.u64().map_err(|e| fail(path, e))?.into_no_null_iter().collect();
        let strings = |name: &str| -> Result<Vec<Option<String>>, DataError> {
            let c = long.column(name).and_then(|c| c.cast(&DataType::String)).map_err(|e| fail(path, e))?;
            Ok(c.str().map_err(|e| fail(path, e))?.iter().map(|v| v.map(str::to_string)).collect())
        };
        let id_vals: Vec<Vec<Option<String>>> = ids.iter().map(|i| strings(i)).collect::<Result<_, _>>()?;
        let vars = strings("variable")?;
        let vals = strings("value")?;
        let mut cells: Vec<LongCell> = (0..long.height())
            .map(|k| LongCell {
                // Header is line 1; assumes no line breaks inside quoted cells.
                line: rows[k] + 2,
                ids: id_vals.iter().map(|v| v[k].clone()).collect(),
                column: vars[k].clone().unwrap_or_default(),
                value: vals[k].clone(),
            })
            .collect();
        // polars leaves the order of unpivoted rows unspecified: fix it.
        let pos = |c: &str| on.iter().position(|o| o == c).unwrap_or(usize::MAX);
        cells.sort_by_key(|c| (pos(&c.column), c.line));
        Ok(cells)
    }
}
