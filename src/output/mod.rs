//! Writing results: one exporter per format behind a small trait (as hyperfine's
//! `export/`), number formatting, and atomic file writes.

pub mod audit;
mod bundle;
pub mod compare;
pub mod compare_md;
pub mod csv;
pub mod json;
pub mod manifest;
pub mod sensitivity;
mod target;
pub mod verify;
pub mod xlsx;
mod xlsx_results;
mod xlsx_tables;

pub use crate::rows::DatasetRow;
pub use bundle::Bundle;
pub use manifest::Manifest;
pub use target::{Staged, Target, Written, prepare_dir, stdout, write_all, write_atomic, write_atomic_with};

use crate::error::{Error, Result};
use std::io::Write;

/// The formats of `--format`: which exporter writes a command's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV tables and `manifest.json`.
    Csv,
    /// One JSON document holding the manifest and every table.
    Json,
    /// One Excel workbook holding every table, and `manifest.json`.
    Xlsx,
}

/// One output file: its name in the output folder and its bytes.
pub struct OutFile<'a> {
    pub name: String,
    pub body: Body<'a>,
}

/// What an output file holds: bytes, or a writer that streams them (`scores.csv` at scale
/// is hundreds of megabytes, written to its temporary file without a copy in memory).
pub enum Body<'a> {
    Bytes(Vec<u8>),
    Stream(Box<Streamer<'a>>),
    /// Already written under a temporary name, to be renamed into place.
    Staged(&'a target::Staged),
}

/// Writes a streamed file's bytes into the given writer.
pub type Streamer<'a> = dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a;

impl<'a> OutFile<'a> {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> OutFile<'a> {
        OutFile { name: name.into(), body: Body::Bytes(bytes) }
    }

    /// The whole file in memory (for `-o -` and tests).
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match &self.body {
            Body::Bytes(b) => Ok(b.clone()),
            Body::Stream(f) => {
                let mut out = Vec::new();
                f(&mut out).map_err(|e| Error::Format(format!("cannot format: {e}")))?;
                Ok(out)
            }
            Body::Staged(s) => s.read().map_err(|e| Error::Format(format!("cannot read {}: {e}", self.name))),
        }
    }
}

/// A format of a command's output: turns what the command computed (`T`: a [`Bundle`], an
/// audit, a comparison, …) into files. Exporters format; they never compute. A new format
/// is a new exporter (one file of its own) and a [`Format`] value.
pub trait Exporter<T: ?Sized> {
    /// Every file of `-o DIR`, the manifest (or the one document holding it) last.
    fn files<'a>(&self, data: &'a T) -> Result<Vec<OutFile<'a>>>;

    /// The one table written for `-o -`. By default there is none: such outputs are folders
    /// (the command refuses `-o -` up front, with [`Target::folder`]).
    fn stdout(&self, _data: &T) -> Result<Vec<u8>> {
        Err(Error::Usage("this output is a folder of files: give -o DIR, not -o -".into()))
    }
}

impl Format {
    /// The exporter of this format for `T`.
    pub fn exporter<'a, T: ?Sized + 'a>(self) -> &'a dyn Exporter<T>
    where
        csv::CsvExporter: Exporter<T>,
        json::JsonExporter: Exporter<T>,
        xlsx::XlsxExporter: Exporter<T>,
    {
        match self {
            Format::Csv => &csv::CsvExporter,
            Format::Json => &json::JsonExporter,
            Format::Xlsx => &xlsx::XlsxExporter,
        }
    }

    /// Where `-o` writes in this format. A workbook is binary and never goes to standard
    /// output: `-o -` is refused before any work starts.
    ///
    /// # Errors
    /// A usage error for `--format xlsx -o -`.
    pub fn target(self, arg: &std::path::Path) -> Result<Target> {
        match (self, Target::dir(arg)) {
            (Format::Xlsx, Target::Stdout) => Err(xlsx::refuse_stdout()),
            (_, t) => Ok(t),
        }
    }
}

/// The shortest decimal that reads back to the same f64 (Rust's float formatting is
/// shortest-round-trip); exponent form only for very large or small magnitudes.
pub fn fmt_f64(v: f64) -> String {
    let mut s = String::new();
    write_f64(&mut s, v);
    s
}

/// [`fmt_f64`] into a reused buffer (cleared first), for writers of millions of rows.
///
/// Whole numbers below 1e15 are written as integers (`{}` writes them so too). Between 1e-5
/// and 1e16 Ryū writes the same shortest digits as `{}` in the same positional form, but
/// 3–4 times faster. (Both tested against `{}` over random doubles.)
pub fn write_f64(buf: &mut String, v: f64) {
    use std::fmt::Write;
    buf.clear();
    let v = if v == 0.0 { 0.0 } else { v };
    let a = v.abs();
    if a < 1e15 && v == (v as i64) as f64 {
        // Whole numbers (coverage 0 and 1, most of a panel's) print as integers.
        buf.push_str(itoa::Buffer::new().format(v as i64));
        return;
    }
    if (1e-5..1e16).contains(&a) {
        let mut r = ryu::Buffer::new();
        let s = r.format_finite(v);
        // At 16–17 significant digits two shortest forms can tie; Ryū and `{}` break the
        // tie differently, so those few go the slow way.
        if !can_tie(v) || significant_digits(s) < 16 {
            buf.push_str(s.strip_suffix(".0").unwrap_or(s));
            return;
        }
    }
    let _ = if a == 0.0 || (1e-6..1e16).contains(&a) { write!(buf, "{v}") } else { write!(buf, "{v:e}") };
}

/// Whether `v` (1e-5 ≤ |v| < 1e16) can lie exactly halfway between two 16- or 17-digit
/// decimals. v = m·2^-k with m odd has exactly k decimals, the last a 5; below 1e-5 at most
/// 5 of them are leading zeros, so with k ≥ 24 it has more than 18 significant digits and
/// cannot be such a tie; with k ≤ 0 it is an integer, printed exactly. (Most computed scores
/// have k near 50.)
fn can_tie(v: f64) -> bool {
    let bits = v.to_bits();
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let exponent = ((bits >> 52) & 0x7ff) as i32 - 1075;
    let k = -(exponent + mantissa.trailing_zeros() as i32);
    (1..24).contains(&k)
}

/// Significant digits of a positional decimal: no sign, point, or leading zeros (trailing
/// zeros count, which only sends more numbers the slow way).
fn significant_digits(s: &str) -> usize {
    let digits = s.bytes().filter(u8::is_ascii_digit);
    digits.skip_while(|&b| b == b'0').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference layout: `{}` between 1e-6 and 1e16, `{:e}` outside.
    fn display(v: f64) -> String {
        let v = if v == 0.0 { 0.0 } else { v };
        let a = v.abs();
        if a == 0.0 || (1e-6..1e16).contains(&a) { format!("{v}") } else { format!("{v:e}") }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("GTI_FMT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
        ))]
        #[test]
        fn ryu_path_writes_what_display_writes(bits in proptest::num::u64::ANY, k in -8i32..18, j in 0i32..40) {
            // Random doubles, doubles of every magnitude around the switch points, and
            // doubles with few binary decimals (where the 16–17-digit ties are).
            let x = f64::from_bits(bits);
            let y = (f64::from_bits(bits >> 12 | 0x3ff0_0000_0000_0000) - 1.0) * 10f64.powi(k);
            let z = (bits >> 11) as f64 / 2f64.powi(j);
            for v in [x, y, -y, y.round(), 10f64.powi(k), z, z / 1e3] {
                if v.is_finite() {
                    proptest::prop_assert_eq!(fmt_f64(v), display(v));
                }
            }
        }
    }

    #[test]
    fn a_shortest_form_tie_is_broken_as_display_breaks_it() {
        // Exactly halfway between …919.2 and …919.3, both round-trip: Ryū says .2, `{}` .3.
        let v = 1067889150943919.0 + 0.25;
        assert_eq!(fmt_f64(v), format!("{v}"));
    }

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
}
