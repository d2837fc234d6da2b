//! Long files on every core: the rows after the header are cut at line ends into chunks,
//! parsed in parallel, each with its own code tables, and merged in file order. The result
//! is the one the sequential reader gives (the same observations, messages and lines).
//!
//! Only unquoted text is cut: a quoted field may hold a line end, so from the first chunk
//! with a `"` on, the rest of the file is read sequentially.

use super::records::{FileKind, Header, Push, csv_error, header, kind_of, long_row, unequal};
use super::{MAX_ERRORS, Observation, RawData};
use crate::codes::{Code, Interner, UnitCode, Year};
use crate::error::{Diag, Location};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Bytes per chunk, and chunks parsed at once.
const CHUNK: usize = 1 << 20;
const BATCH: usize = 4;

/// A chunk's rows, with unit and code ids into its own tables.
#[derive(Default)]
struct Part {
    units: Interner<UnitCode>,
    codes: Interner<Code>,
    obs: Vec<Observation>,
    diags: Vec<Diag>,
    rows: usize,
}

impl Push for Part {
    fn push(&mut self, unit: &str, code: &str, year: Year, value: Option<f64>, at: (u32, u64)) {
        let (unit, code) = (self.units.id(unit), self.codes.id(code));
        let value = value.unwrap_or(f64::NAN);
        self.obs.push(Observation { unit, code, year, file: at.0, line: at.1, value });
    }
}

/// Reads a long file from `body` (the first buffer after any byte-order mark, header
/// included) and `rest`. `None`, having read nothing from `rest`, when the file is not a
/// long file with a one-line unquoted header: the caller then reads it sequentially.
pub(super) fn long<R: Read>(
    path: &Path,
    body: &[u8],
    rest: &mut R,
    idx: u32,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> Option<FileKind> {
    long_in(path, body, rest, (idx, CHUNK), data, diags)
}

fn long_in<R: Read>(
    path: &Path,
    body: &[u8],
    rest: &mut R,
    (idx, size): (u32, usize),
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> Option<FileKind> {
    let end = body.iter().position(|&b| b == b'\n')?;
    if body[..end].contains(&b'"') || body[..end].ends_with(b"\r") {
        return None; // a quoted header, or CRLF line ends (see `next_chunk`)
    }
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(&body[..=end]);
    let h = header(path, &mut rdr).ok()?;
    if kind_of(path, &h).ok()? != FileKind::Long {
        return None;
    }
    let rows = chunked(path, &h, (&body[end + 1..]).chain(rest), (idx, size), data, diags);
    if rows == 0 {
        diags.push(Diag::new(Location::at(path, 1, None), "the file has a header but no rows"));
    }
    Some(FileKind::Long)
}

/// Cuts `input` into chunks of about `size` bytes and reads them; returns the number of rows.
fn chunked(
    path: &Path,
    h: &Header,
    mut input: impl Read,
    (idx, size): (u32, usize),
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> usize {
    let (mut rows, mut line, mut carry) = (0, 2u64, Vec::new());
    loop {
        let mut batch: Vec<(Vec<u8>, u64)> = Vec::new();
        let mut quoted = None;
        while batch.len() < BATCH {
            let Some(chunk) = next_chunk(&mut input, &mut carry, size, path, diags) else { break };
            if sequential(&chunk, size) {
                quoted = Some((chunk, line));
                break;
            }
            let first = line;
            line += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            batch.push((chunk, first));
        }
        let done = batch.is_empty() || quoted.is_some();
        let parts: Vec<Part> =
            batch.par_iter().map(|(c, first)| parse(path, h, c.as_slice(), *first, idx)).collect();
        for part in parts {
            rows += part.rows;
            if !merge(part, data, diags) {
                return rows;
            }
        }
        if let Some((chunk, first)) = quoted {
            let remaining = chunk.as_slice().chain(carry.as_slice()).chain(input);
            return rows + read_rows(path, h, remaining, (first, idx), data, diags);
        }
        if done {
            return rows;
        }
    }
}

/// The next chunk: about `size` bytes ending at a line end (or at the end of the input),
/// leaving what follows in `carry`. `None` at the end.
///
/// A chunk is cut only after a plain `\n` that ends a non-blank line, never after `\r\n`
/// or a blank line: csv numbers the record after those one line early, and cutting there
/// would number it right, unlike the sequential reader. A file with no such line end (CRLF
/// throughout) grows one chunk past `4 × size`, which the caller reads sequentially.
fn next_chunk(
    input: &mut impl Read,
    carry: &mut Vec<u8>,
    size: usize,
    path: &Path,
    diags: &mut Vec<Diag>,
) -> Option<Vec<u8>> {
    let mut buf = std::mem::take(carry);
    loop {
        let before = buf.len();
        if let Err(e) = input.by_ref().take(size as u64).read_to_end(&mut buf) {
            diags.push(Diag::new(Location::file(path), format!("cannot read the file: {e}")));
            return None;
        }
        if buf.len() - before < size {
            return (!buf.is_empty()).then_some(buf);
        }
        let clean = (1..buf.len()).rev().find(|&i| buf[i] == b'\n' && !matches!(buf[i - 1], b'\r' | b'\n'));
        match clean {
            Some(cut) => {
                *carry = buf.split_off(cut + 1);
                return Some(buf);
            }
            None if buf.len() > 4 * size => return Some(buf),
            None => {} // a line longer than a chunk: read on
        }
    }
}

/// Whether a chunk must be read with the rest of the file, sequentially: it may hold a
/// quoted line end, or it found no plain line end to be cut at.
fn sequential(chunk: &[u8], size: usize) -> bool {
    chunk.contains(&b'"') || chunk.len() > 4 * size
}

fn parse(path: &Path, h: &Header, chunk: &[u8], first: u64, idx: u32) -> Part {
    let (mut part, mut diags) = (Part::default(), Vec::new());
    part.rows = read_rows(path, h, chunk, (first, idx), &mut part, &mut diags);
    part.diags = diags;
    part
}

/// Reads rows (no header) whose first line is `first` into `sink`, until `diags` holds
/// `MAX_ERRORS` messages; returns the number of rows of the right length.
fn read_rows(
    path: &Path,
    h: &Header,
    input: impl Read,
    (first, idx): (u64, u32),
    sink: &mut impl Push,
    diags: &mut Vec<Diag>,
) -> usize {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut rec = csv::StringRecord::new();
    let (offset, mut rows) = (first - 1, 0);
    while diags.len() < MAX_ERRORS {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line() + offset);
                if rec.len() == h.names.len() {
                    rows += 1;
                    long_row(path, h, &rec, line, idx, sink, diags);
                } else {
                    // csv's own check (`flexible(false)`), which does not count the row
                    diags.push(unequal(path, line, rec.len() as u64, h.names.len() as u64));
                }
            }
            Err(e) => {
                diags.push(csv_error(path, &e, &h.names, offset));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    rows
}

/// Appends a part in file order, its ids mapped onto the run's tables. False once the run
/// has `MAX_ERRORS` messages (reading stops there, as in the sequential reader).
fn merge(part: Part, data: &mut RawData, diags: &mut Vec<Diag>) -> bool {
    let units: Vec<u32> = part.units.all().iter().map(|u| data.unit_codes.id(u.as_str())).collect();
    let codes: Vec<u32> = part.codes.all().iter().map(|c| data.codes.id(c.as_str())).collect();
    data.obs.extend(part.obs.into_iter().map(|o| Observation {
        unit: units[o.unit as usize],
        code: codes[o.code as usize],
        ..o
    }));
    let room = MAX_ERRORS.saturating_sub(diags.len());
    diags.extend(part.diags.into_iter().take(room));
    diags.len() < MAX_ERRORS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Observations as (unit, code, year, line, value bits), and messages, of a reading.
    type Read = (Vec<(String, String, i32, u64, u64)>, Vec<String>);

    fn summary(data: &RawData, diags: &[Diag]) -> Read {
        let obs = data.obs.iter().map(|o| {
            (data.unit_of(o).to_string(), data.code_of(o).to_string(), o.year, o.line, o.value.to_bits())
        });
        (obs.collect(), diags.iter().map(|d| d.to_string()).collect())
    }

    fn sequential(text: &[u8]) -> Read {
        let (mut data, mut diags) = (RawData::default(), Vec::new());
        super::super::records::read_records(Path::new("t.csv"), text, 0, &mut data, &mut diags);
        summary(&data, &diags)
    }

    fn chunked_by(text: &[u8], size: usize) -> Read {
        let (mut data, mut diags) = (RawData::default(), Vec::new());
        let kind = long_in(Path::new("t.csv"), text, &mut std::io::empty(), (0, size), &mut data, &mut diags);
        assert_eq!(kind, Some(FileKind::Long));
        summary(&data, &diags)
    }

    /// Rows of a long file: good ones, bad numbers and years, wrong field counts, blank
    /// lines, CRLF, non-UTF-8 bytes, and (sometimes) quoted fields.
    fn row() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            6 => ("X[A-C]{2}", 2019i32..2022, "[a-c][1-3]", -1e3f64..1e3)
                .prop_map(|(u, y, c, v)| format!("{u},{y},{c},{v}\n").into_bytes()),
            1 => Just(b"XAA,2020,a1,NA\n".to_vec()),
            1 => Just(b"XAB,20x0,a1,1\n".to_vec()),
            1 => Just(b"XAC,2020,a2,1,5\n".to_vec()),
            1 => Just(b"XAC,2020,b2,abc\r\n".to_vec()),
            1 => Just(b"\n".to_vec()),
            1 => Just(b"X\xffA,2020,a1,1\n".to_vec()),
            1 => Just(b"\"XAD\",2021,\"c\nd\",2\n".to_vec()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Cut into chunks of any size, a long file reads as the sequential reader reads it.
        #[test]
        fn chunks_of_any_size_read_as_one_pass(rows in proptest::collection::vec(row(), 0..60), size in 1usize..200) {
            let mut text = b"unit,year,indicator,value\n".to_vec();
            rows.iter().for_each(|r| text.extend_from_slice(r));
            prop_assert_eq!(chunked_by(&text, size), sequential(&text));
        }
    }
}
