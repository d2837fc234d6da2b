//! Limits checked on a workbook's bytes before calamine reads it. A "spreadsheet bomb" is a
//! few kilobytes that make a reader allocate gigabytes: a zip part that inflates to
//! gigabytes, a shared-strings table declaring billions of strings (calamine reserves room
//! for the declared count), an .ods cell repeated across a million rows, an .xls sheet with
//! two cells far apart (calamine lays an .xls or .ods sheet out densely, from its first
//! used cell to its last), XML nested a million levels deep. Each check reads only what
//! bounds the reader's allocations, streaming, and refuses with the limit it met; the
//! limits are documented in docs/input.md.
//!
//! `.xlsx` sheets are streamed cell by cell (see `super::Rows`), so their extent needs no
//! check here: a cell beyond Excel's last row or column is refused as it comes.

use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// The largest workbook file read (bytes).
pub const MAX_FILE: u64 = 1 << 30;
/// The largest part of an .xlsx or .ods (a zip member), uncompressed.
pub const MAX_PART: u64 = 512 << 20;
/// All parts of an .xlsx or .ods together, uncompressed.
pub const MAX_UNZIPPED: u64 = 1 << 30;
/// The cells an .ods or .xls sheet may span from its first used cell to its last (rows ×
/// columns), and all sheets of such a workbook together: calamine holds them densely.
pub const MAX_CELLS: u64 = 10_000_000;
/// The deepest nesting of an XML part (a worksheet's cell text is nested about 7 deep).
pub const MAX_DEPTH: usize = 100;
/// Excel's last row and column (1,048,576 × 16,384: XFD1048576).
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLUMNS: u32 = 16_384;

type Checked = Result<(), String>;

fn mib(b: u64) -> String {
    format!("{} MiB", b >> 20)
}

/// The sizes the zip declares for its members (`zip` refuses a member that inflates past
/// its declared size, so these bound what calamine reads).
pub fn zip(bytes: &[u8]) -> Checked {
    let archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a valid zip file: {e}"))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_data(i).map_err(|e| format!("not a valid zip file: {e}"))?;
        let size = entry.size();
        if size > MAX_PART {
            return Err(format!(
                "its part {} inflates to {} bytes, more than gti reads ({} a part)",
                entry.name().unwrap_or_default(),
                size,
                mib(MAX_PART)
            ));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_UNZIPPED {
        return Err(format!(
            "its parts inflate to {total} bytes together, more than gti reads ({})",
            mib(MAX_UNZIPPED)
        ));
    }
    Ok(())
}

/// Streams every XML part of a zip (`.xml` and `.rels` members), refusing one nested deeper
/// than [`MAX_DEPTH`], and hands each event to `visit` with the part's name and declared
/// size (bounded by [`zip`]). A malformed part is calamine's to report.
/// Reads every XML part of the zip, refusing nesting deeper than `MAX_DEPTH`, and hands each
/// event to `visit`. The part named `well_formed` (if any) must be well-formed XML: matching
/// end tags and nothing left open at its end (see [`ods`] for why).
fn xml_parts(
    bytes: &[u8],
    well_formed: Option<&str>,
    mut visit: impl FnMut(&str, u64, &Event) -> Checked,
) -> Checked {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a valid zip file: {e}"))?;
    for i in 0..archive.len() {
        let f = archive.by_index(i).map_err(|e| format!("cannot read the zip file: {e}"))?;
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        let size = f.size();
        let strict = well_formed.is_some_and(|w| name.eq_ignore_ascii_case(w));
        let mut x = quick_xml::Reader::from_reader(BufReader::new(f));
        x.config_mut().check_end_names = strict;
        let (mut buf, mut depth) = (Vec::new(), 0usize);
        loop {
            let ev = match x.read_event_into(&mut buf) {
                Ok(Event::Eof) if strict && depth > 0 => {
                    return Err(format!("its part {name} ends with {depth} XML element(s) still open"));
                }
                Err(e) if strict => return Err(format!("its part {name} is not well-formed XML: {e}")),
                Ok(Event::Eof) | Err(_) => break,
                Ok(ev) => ev,
            };
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_DEPTH {
                return Err(format!("its part {name} nests XML deeper than {MAX_DEPTH} levels"));
            }
            visit(&name, size, &ev)?;
            buf.clear();
        }
    }
    Ok(())
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.to_string())
}

/// `.xlsx`: every XML part's nesting, and the shared strings: calamine reserves room for the
/// `uniqueCount` the table declares, and a table cannot hold more strings than it has bytes
/// / 5 (`<si/>`).
pub fn xlsx(bytes: &[u8]) -> Checked {
    xml_parts(bytes, None, |name, size, ev| match ev {
        Event::Start(e) | Event::Empty(e)
            if e.local_name().as_ref() == "sst"
                && name.to_ascii_lowercase().ends_with("sharedstrings.xml") =>
        {
            // `count` counts the cells that refer to the table; `uniqueCount` its strings.
            let declared = attr(e, "uniqueCount").and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0);
            if declared > size / 5 {
                return Err(format!("its part {name} declares {declared} strings in {size} bytes"));
            }
            Ok(())
        }
        _ => Ok(()),
    })
}

/// `.ods`: every XML part's nesting, and the cells of `content.xml`: calamine repeats a cell
/// `number-columns-repeated` times and a row `number-rows-repeated` times, then lays each
/// table out densely; both are counted as it will (rows beyond Excel's last are dropped by
/// calamine, and here).
///
/// `content.xml` must also be well-formed. calamine 0.38's table reader loops until it sees
/// `</table:table>` (and its annotation reader until `</office:annotation>`) without stopping
/// at the end of the file, so a part that ends inside an open table, or whose end tag a cell
/// has swallowed, would hang the read (found by the `sheet` fuzz target). In well-formed XML
/// each of its loops meets its own element's end first.
pub fn ods(bytes: &[u8]) -> Checked {
    let mut extent = Extent::default();
    let mut t = Table::default();
    xml_parts(bytes, Some("content.xml"), |name, _, ev| {
        if !name.eq_ignore_ascii_case("content.xml") {
            return Ok(());
        }
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => t.end(&mut extent)?,
                    "table:table-row" => {
                        t.row(count(e, "table:number-rows-repeated"));
                        if empty {
                            t.end_row(&mut extent)?;
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let filled = !empty
                            || e.attributes().flatten().any(|a| {
                                a.key.as_ref().starts_with("office:") || a.key.as_ref() == "table:formula"
                            });
                        t.cell(count(e, "table:number-columns-repeated"), filled);
                    }
                    _ => {}
                }
                Ok(())
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => t.end_row(&mut extent),
                "table:table" => t.end(&mut extent),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    })?;
    t.end(&mut extent)
}

fn count(e: &BytesStart, name: &str) -> u64 {
    attr(e, name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1)
}

/// The cells a workbook's sheets hold once laid out, summed over its sheets.
#[derive(Default)]
struct Extent {
    /// Cells stored while rows are read (each row up to its last filled cell).
    stored: u64,
    /// Cells of the dense layouts.
    dense: u64,
}

impl Extent {
    fn check(&self) -> Checked {
        let most = self.stored.max(self.dense);
        if most > MAX_CELLS {
            return Err(format!("its sheets span more than {MAX_CELLS} cells, more than gti reads"));
        }
        Ok(())
    }
}

/// One `.ods` table as it is read: rows so far, the current row, the filled extent.
#[derive(Default)]
struct Table {
    rows: u64,
    repeat: u64,
    col: u64,
    /// The current row's width up to its last filled cell.
    filled_to: u64,
    first_filled_row: Option<u64>,
    last_filled_row: u64,
    width: u64,
    open: bool,
}

impl Table {
    fn row(&mut self, repeat: u64) {
        self.repeat = repeat.min(u64::from(MAX_ROWS).saturating_sub(self.rows));
        self.col = 0;
        self.filled_to = 0;
        self.open = true;
    }

    fn cell(&mut self, repeat: u64, filled: bool) {
        self.col = self.col.saturating_add(repeat).min(u64::from(MAX_COLUMNS));
        if filled {
            self.filled_to = self.col;
        }
    }

    fn end_row(&mut self, extent: &mut Extent) -> Checked {
        if !self.open {
            return Ok(());
        }
        self.open = false;
        if self.filled_to > 0 {
            extent.stored = extent.stored.saturating_add(self.filled_to);
            self.first_filled_row.get_or_insert(self.rows);
            self.last_filled_row = self.rows + self.repeat;
            self.width = self.width.max(self.filled_to);
        }
        self.rows += self.repeat;
        extent.check()
    }

    /// The dense layout: every row from the first filled to the last, as wide as the widest.
    fn end(&mut self, extent: &mut Extent) -> Checked {
        if let Some(first) = self.first_filled_row.take() {
            let dense = (self.last_filled_row - first).saturating_mul(self.width);
            extent.dense = extent.dense.saturating_add(dense);
        }
        *self = Table::default();
        extent.check()
    }
}

/// `.xls`: calamine reserves room for the extent a sheet's DIMENSIONS record declares and
/// lays each sheet out densely from its first cell to its last. The records are read as
/// calamine reads them: the workbook stream's BOUNDSHEET records give each sheet's offset,
/// and a sheet runs to its EOF record (embedded substreams, such as charts, nested).
pub fn xls(bytes: &[u8]) -> Checked {
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| format!("not an .xls file: {e}"))?;
    let mut stream = Vec::new();
    let mut found = false;
    for name in ["/Workbook", "/Book"] {
        if let Ok(mut s) = file.open_stream(name) {
            s.read_to_end(&mut stream).map_err(|e| format!("cannot read its {name} stream: {e}"))?;
            found = true;
            break;
        }
    }
    if !found {
        return Err("it has no Workbook stream".into());
    }
    let mut extent = Extent::default();
    let sheets: Vec<usize> = records(&stream, 0)
        .take_while(|r| r.0 != EOF)
        .filter(|r| r.0 == BOUNDSHEET && r.1.len() >= 4)
        .map(|r| u32::from_le_bytes([r.1[0], r.1[1], r.1[2], r.1[3]]) as usize)
        .collect();
    for pos in sheets {
        if pos > stream.len() {
            return Err(format!("a sheet starts at byte {pos}, past the end of the workbook stream"));
        }
        extent.dense = extent.dense.saturating_add(xls_sheet(&stream, pos)?);
        extent.check()?;
    }
    Ok(())
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MULRK: u16 = 0x00BD;
/// Records that hold one cell, with its row and column first (NUMBER, LABEL, RSTRING,
/// BOOLERR, RK, LABELSST, FORMULA).
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

/// The records of a BIFF stream from `pos`, as calamine splits them (CONTINUE records
/// folded into the one before).
fn records(stream: &[u8], pos: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = &stream[pos.min(stream.len())..];
    std::iter::from_fn(move || {
        let u16_at = |s: &[u8], i: usize| u16::from_le_bytes([s[i], s[i + 1]]);
        if rest.len() < 4 {
            return None;
        }
        let (typ, len) = (u16_at(rest, 0), u16_at(rest, 2) as usize);
        if rest.len() < len + 4 {
            return None;
        }
        let data = &rest[4..len + 4];
        rest = &rest[len + 4..];
        while rest.len() > 4 && u16_at(rest, 0) == 0x003C {
            let l = u16_at(rest, 2) as usize;
            if rest.len() < l + 4 {
                return None;
            }
            rest = &rest[l + 4..];
        }
        Some((typ, data))
    })
}

/// The cells calamine lays out for the sheet at `pos` (or reserves for its DIMENSIONS).
fn xls_sheet(stream: &[u8], pos: usize) -> Result<u64, String> {
    let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
    let mut cells = 0u64;
    let mut depth = 0usize;
    let mut seen_bof = false;
    let too_many = |n: u64| {
        (n > MAX_CELLS).then(|| format!("a sheet spans {n} cells, more than gti reads ({MAX_CELLS})"))
    };
    for (typ, d) in records(stream, pos) {
        match typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF if depth == 0 => break,
            EOF => depth -= 1,
            DIMENSIONS => {
                if let Some(e) = too_many(dimensions(d)?) {
                    return Err(e);
                }
            }
            t if (CELLS.contains(&t) && d.len() >= 4) || (t == MULRK && d.len() >= 6) => {
                let row = u32::from(u16::from_le_bytes([d[0], d[1]]));
                let first = u32::from(u16::from_le_bytes([d[2], d[3]]));
                let last = if t == MULRK {
                    u32::from(u16::from_le_bytes([d[d.len() - 2], d[d.len() - 1]]))
                } else {
                    first
                };
                if last < first {
                    return Err(format!("a MULRK record runs from column {first} back to {last}"));
                }
                rows = (rows.0.min(row), rows.1.max(row));
                cols = (cols.0.min(first), cols.1.max(last));
                cells = u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1);
                if let Some(e) = too_many(cells) {
                    return Err(e);
                }
            }
            _ => {}
        }
    }
    Ok(cells)
}

/// The cells calamine reserves for a DIMENSIONS record (as its `parse_dimensions` reads it).
fn dimensions(d: &[u8]) -> Result<u64, String> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([d[i], d[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses the record.
        _ => return Ok(0),
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Ok(1);
    }
    if rl - 1 < rf {
        return Err(format!("its DIMENSIONS record runs from row {rf} back to row {}", rl - 1));
    }
    Ok(u64::from(rl - rf) * u64::from(cl - cf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        record(typ, &d)
    }

    #[test]
    fn an_xls_sheet_is_measured_from_its_first_cell_to_its_last() {
        let mut s = record(BOF, &[0; 16]);
        s.extend(cell(0x0203, 0, 0));
        s.extend(cell(0x0203, 9, 3));
        s.extend(record(EOF, &[]));
        assert_eq!(xls_sheet(&s, 0), Ok(40));
        // Two cells far apart: 65,536 rows × 256 columns is more than the limit.
        let mut far = record(BOF, &[0; 16]);
        far.extend(cell(0x027E, 0, 0));
        far.extend(cell(0x027E, 65_535, 255));
        assert!(xls_sheet(&far, 0).unwrap_err().contains("more than gti reads"));
        // A chart's cells, nested in the sheet, count too (conservatively).
        let mut nested = record(BOF, &[0; 16]);
        nested.extend(record(BOF, &[0; 16]));
        nested.extend(record(EOF, &[]));
        nested.extend(cell(0x0203, 2, 2));
        assert_eq!(xls_sheet(&nested, 0), Ok(1));
    }

    #[test]
    fn a_declared_xls_dimension_is_bounded_before_calamine_reserves_it() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend_from_slice(&u32::MAX.to_le_bytes());
        d.extend_from_slice(&[0, 0, 0, 1, 0, 0]);
        assert_eq!(dimensions(&d), Ok(u64::from(u32::MAX) * 256));
        let mut back = 10u32.to_le_bytes().to_vec();
        back.extend_from_slice(&5u32.to_le_bytes());
        back.extend_from_slice(&[0, 0, 4, 0, 0, 0]);
        assert!(dimensions(&back).is_err());
        assert_eq!(dimensions(&[0; 10]), Ok(1));
    }

    #[test]
    fn continue_records_are_folded_as_calamine_folds_them() {
        let mut s = record(0x00FC, &[1, 2]);
        s.extend(record(0x003C, &[3]));
        s.extend(record(0x003C, &[4]));
        s.extend(record(EOF, &[]));
        let types: Vec<u16> = records(&s, 0).map(|r| r.0).collect();
        assert_eq!(types, vec![0x00FC, EOF]);
    }
}
