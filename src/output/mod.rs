//! Writing results: one exporter per format behind a small trait (as hyperfine's
//! `export/`), number formatting, and atomic file writes.

pub mod audit;
pub mod compare_md;
pub mod csv;
pub mod json;
pub mod manifest;
pub mod sensitivity;

pub use manifest::Manifest;

use crate::error::{Error, Result};
use crate::log::RunLog;
use crate::results::{ScoreRow, TransparencyRow, TrendRow};
use crate::stages::DatasetName;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One row of an exported data set (long form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetRow {
    pub unit: String,
    pub year: i32,
    pub code: String,
    pub value: Option<f64>,
    /// `imputed` where imputation filled the point (data sets from `Imputed` on).
    pub flag: String,
}

/// Everything a run exports, already computed.
#[derive(Debug, Clone, Serialize)]
pub struct Bundle {
    pub manifest: Manifest,
    pub log: RunLog,
    pub scores: Vec<ScoreRow>,
    pub trends: Vec<TrendRow>,
    /// Empty when the methodology has no expert indicator.
    pub transparency: Vec<TransparencyRow>,
    /// Regional means (units.csv has a `region` column); empty otherwise.
    pub regions: Vec<crate::regions::RegionRow>,
    pub region_trends: Vec<crate::regions::RegionTrendRow>,
    pub datasets: Vec<(DatasetName, Vec<DatasetRow>)>,
}

/// One output file: its name in the output folder and its bytes.
pub struct OutFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A format: turns a bundle into files. Exporters format; they never compute.
pub trait Exporter {
    /// All files for `-o DIR`.
    fn files(&self, b: &Bundle) -> Result<Vec<OutFile>>;
    /// The single table written for `-o -`.
    fn stdout(&self, b: &Bundle) -> Result<Vec<u8>>;
}

/// The shortest decimal that reads back to the same f64 (Rust's float formatting is
/// shortest-round-trip); exponent form only for very large or small magnitudes.
pub fn fmt_f64(v: f64) -> String {
    let mut s = String::new();
    write_f64(&mut s, v);
    s
}

/// [`fmt_f64`] into a reused buffer (cleared first), for writers of millions of rows.
pub fn write_f64(buf: &mut String, v: f64) {
    use std::fmt::Write;
    buf.clear();
    let v = if v == 0.0 { 0.0 } else { v };
    let a = v.abs();
    let _ = if a == 0.0 || (1e-6..1e16).contains(&a) { write!(buf, "{v}") } else { write!(buf, "{v:e}") };
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target. A failed or killed run leaves the previous file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Prepares the output folder: creates it if needed; refuses a path that is a file.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!("-o {}: this path is a file, not a folder", dir.display())));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Writes all files into `dir`; the manifest (or results.json) last, so that a folder whose
/// manifest is current is complete.
pub fn write_all(dir: &Path, files: &[OutFile]) -> Result<Vec<PathBuf>> {
    prepare_dir(dir)?;
    let mut written = Vec::new();
    for f in files {
        let path = dir.join(&f.name);
        write_atomic(&path, &f.bytes)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_trip_in_shortest_form() {
        for v in [0.1, 1.0 / 3.0, 100.0, 79.96111572033891, -2.5e-300, 1e300, 123456.789, 5e-7] {
            let s = fmt_f64(v);
            assert_eq!(s.parse::<f64>().unwrap(), v, "{s}");
        }
        assert_eq!(fmt_f64(100.0), "100");
        assert_eq!(fmt_f64(-0.0), "0");
        assert_eq!(fmt_f64(0.1), "0.1");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
