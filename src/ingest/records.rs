//! One CSV file: the header recognised ([`super::header`]), then every record converted on
//! this thread while the next are parsed on another, with located errors. [`Layout`] turns
//! a record into data, for a CSV file and a workbook's sheet alike.

use super::cell::Source;
use super::header::{FileKind, Header, csv_error, header, kind_of};
use super::responses::{self, Columns};
use super::statistical::{long_row, units_columns, units_row, wide_row};
use super::{MAX_ERRORS, RawData, Units};
use crate::error::Diag;
use std::io::Read;
use std::sync::mpsc;

/// Reads one CSV file into `data`, pushing located problems into `diags`. Returns the kind
/// of file when its header was recognised.
///
/// The file is streamed, not held in memory: a 250 MB panel costs only the observations.
pub fn read_file<R: Read + Send>(
    src: &Source,
    mut reader: R,
    idx: u32,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> Option<FileKind> {
    // The first buffer, read to its end or the file's (a pipe may deliver it in pieces).
    let mut head = Vec::with_capacity(BUFFER);
    if let Err(e) = (&mut reader).take(BUFFER as u64).read_to_end(&mut head) {
        diags.push(Diag::new(src.whole(), format!("cannot read the file: {e}")));
        return None;
    }
    let bom = usize::from(head.starts_with(b"\xEF\xBB\xBF")) * 3;
    if head[bom..].iter().all(|b| b.is_ascii_whitespace()) {
        // Blank so far: the rest decides whether the file is empty (rarely more than a buffer).
        if let Err(e) = reader.read_to_end(&mut head) {
            diags.push(Diag::new(src.whole(), format!("cannot read the file: {e}")));
            return None;
        }
        if head[bom..].iter().all(|b| b.is_ascii_whitespace()) {
            diags.push(
                Diag::new(src.whole(), "the file is empty")
                    .hint("a data file needs a header line and at least one row"),
            );
            return None;
        }
    }
    if head.contains(&b'\r') && !head.contains(&b'\n') {
        let d = Diag::new(src.whole(), "the lines of this file end with a carriage return only")
            .hint("save it with LF or CRLF line ends (e.g. `tr '\\r' '\\n'`)");
        diags.push(d);
        return None;
    }
    if super::sheet::is_workbook(&head) {
        let d = Diag::new(src.whole(), "this is a workbook (xlsx, xls or ods), not a CSV file")
            .hint("give it a .xlsx, .xls or .ods name: gti reads workbooks by their extension");
        diags.push(d);
        return None;
    }
    read_records(src, (&head[bom..]).chain(reader), idx, data, diags)
}

/// The read buffer of a data file.
const BUFFER: usize = 1 << 16;

fn read_records<R: Read + Send>(
    src: &Source,
    reader: R,
    idx: u32,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> Option<FileKind> {
    let mut rdr = csv_reader(src.conventions.delimiter, reader);
    let layout = match header(src, &mut rdr).and_then(|h| Layout::new(*src, h, idx, data)) {
        Ok(l) => l,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let rows = convert(&layout, rdr, data, diags);
    layout.finish(rows, data, diags);
    Some(layout.kind)
}

/// The CSV reader of a data file (with its header), as every reader of data files numbers
/// its lines.
///
/// Records end at `\n` only: with csv's default (any of `\r`, `\n`, `\r\n`), the record
/// after a `\r\n` is numbered one line early, so every message about a CRLF file (as
/// Excel writes them) pointed at the line above. A `\r` before the `\n` ends the last
/// cell, which is trimmed like every cell.
pub fn csv_reader<R: Read>(delimiter: u8, reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader)
}

/// A file or sheet being read: where it is, its index in [`RawData::files`], its kind and
/// columns. Every record of either becomes data through [`Layout::row`].
pub(super) struct Layout<'a> {
    pub src: Source<'a>,
    pub header: Header,
    pub kind: FileKind,
    /// The columns of a response file.
    rcols: Option<Columns>,
    idx: u32,
}

impl<'a> Layout<'a> {
    /// Recognises the kind of file the header makes, and keeps the header of a statistical
    /// or response file (where codes are, for messages).
    ///
    /// # Errors
    /// The header's problem ([`kind_of`]).
    pub fn new(src: Source<'a>, header: Header, idx: u32, data: &mut RawData) -> Result<Layout<'a>, Diag> {
        let kind = kind_of(&src, &header)?;
        let rcols = match kind {
            FileKind::Responses => Some(Columns::find(&src, header.line, &header.names)?),
            _ => None,
        };
        if kind != FileKind::Units {
            data.headers.insert(idx, header.names.clone());
            if header.line != 1 {
                data.header_lines.insert(idx, header.line);
            }
        }
        Ok(Layout { src, header, kind, rcols, idx })
    }

    /// The record columns read as numbers: a wide file's indicators, a long file's value,
    /// a response file's response and confidence, and every year.
    pub fn numeric(&self, col: usize) -> bool {
        let h = &self.header;
        match (self.kind, &self.rcols) {
            (FileKind::Wide, _) => col != h.unit,
            (FileKind::Long, _) => Some(col) == h.year || Some(col) == h.value,
            (FileKind::Responses, Some(c)) => c.numeric().contains(&Some(col)),
            _ => false,
        }
    }

    /// One record (on `line`, a CSV line or a sheet row), by the kind of file.
    pub fn row(&self, record: &csv::StringRecord, line: u64, data: &mut RawData, diags: &mut Vec<Diag>) {
        let (src, h, idx) = (&self.src, &self.header, self.idx);
        match self.kind {
            FileKind::Long => long_row(src, h, record, line, idx, data, diags),
            FileKind::Wide => wide_row(src, h, record, line, idx, data, diags),
            FileKind::Units => units_row(src, h, record, line, data, diags),
            FileKind::Responses => {
                let c = self.rcols.as_ref().expect("found by Layout::new");
                responses::row(src, c, record, (line, idx), data, diags);
            }
        }
    }

    /// After the last record: a header without rows is an error; a units file's columns.
    pub fn finish(&self, rows: usize, data: &mut RawData, diags: &mut Vec<Diag>) {
        if rows == 0 {
            let what = if self.src.sheet.is_some() { "sheet" } else { "file" };
            diags.push(Diag::new(
                self.src.line(self.header.line),
                format!("the {what} has a header but no rows"),
            ));
        }
        if self.kind == FileKind::Units && data.units.is_none() {
            data.units = Some(Units { columns: units_columns(&self.header), ..Units::default() });
        }
    }
}

/// Converts every record into `data`, stopping at [`MAX_ERRORS`]; returns the rows seen.
///
/// Parsing (the read, the digest, csv's parser and the UTF-8 check: about half of the work)
/// runs on its own thread, a batch ahead of the conversion of records into observations
/// here. One reader in file order on one thread, so lines are numbered as before.
fn convert<R: Read + Send>(
    layout: &Layout,
    rdr: csv::Reader<R>,
    data: &mut RawData,
    diags: &mut Vec<Diag>,
) -> usize {
    let mut rows = 0usize;
    std::thread::scope(|scope| {
        let (full, batches) = mpsc::sync_channel::<Batch>(2);
        let (spent, empty) = mpsc::channel::<Batch>();
        let parser = scope.spawn(move || parse(rdr, &full, &empty));
        'convert: for mut batch in batches {
            for record in &batch.records[..batch.len] {
                rows += 1;
                let line = record.position().map_or(0, |p| p.line());
                layout.row(record, line, data, diags);
                if diags.len() >= MAX_ERRORS {
                    break 'convert;
                }
            }
            if let Some(e) = batch.error.take() {
                diags.push(csv_error(layout.src.path, &e, &layout.header.names));
                if diags.len() >= MAX_ERRORS {
                    break 'convert;
                }
            }
            batch.len = 0;
            let _ = spent.send(batch);
        }
        // Leaving the loop dropped `batches`, so a parser still sending stops. Joined by
        // hand: the scope's own join returns when the parser's closure has, before the
        // thread has freed its thread-local state (which LeakSanitizer then reported).
        if let Err(panic) = parser.join() {
            std::panic::resume_unwind(panic);
        }
    });
    rows
}

/// Records parsed ahead of their conversion; `error` comes after them in the file.
struct Batch {
    records: Vec<csv::StringRecord>,
    len: usize,
    error: Option<csv::Error>,
}

/// Records per batch: large enough that the channel costs nothing, small enough to stay in
/// cache. A batch also ends past `BATCH_BYTES` (text, and 8 bytes a field for its bounds),
/// so that the four batches at most in flight stay small even for a wide file of 100,000
/// columns.
const BATCH: usize = 2048;
const BATCH_BYTES: usize = 1 << 20;

/// Fills batches (reused from `empty` when the reader has handed them back) and sends them,
/// in file order, until the file ends, an error ends the reading, or nobody listens.
fn parse<R: Read>(mut rdr: csv::Reader<R>, full: &mpsc::SyncSender<Batch>, empty: &mpsc::Receiver<Batch>) {
    loop {
        let mut batch = empty.try_recv().unwrap_or_else(|_| Batch {
            records: (0..BATCH).map(|_| csv::StringRecord::new()).collect(),
            len: 0,
            error: None,
        });
        let (mut more, mut bytes) = (true, 0);
        while batch.len < BATCH && bytes < BATCH_BYTES && batch.error.is_none() {
            let record = &mut batch.records[batch.len];
            match rdr.read_record(record) {
                Ok(true) => {
                    bytes += record.as_byte_record().as_slice().len() + 8 * record.len();
                    batch.len += 1;
                }
                Ok(false) => {
                    more = false;
                    break;
                }
                Err(e) => {
                    // Past a bad byte or a short line the reader goes on; other errors end it.
                    let kind = e.kind();
                    more =
                        matches!(kind, csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. });
                    batch.error = Some(e);
                }
            }
        }
        if full.send(batch).is_err() || !more {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::Conventions;
    use std::path::Path;

    fn read(text: impl Read + Send, data: &mut RawData, diags: &mut Vec<Diag>) -> Option<FileKind> {
        let conv = Conventions::default();
        read_file(&Source::csv(Path::new("t.csv"), &conv), text, 0, data, diags)
    }

    fn lines_read(text: &[u8]) -> (Vec<u64>, Vec<String>) {
        let (mut data, mut diags) = (RawData::default(), Vec::new());
        read(text, &mut data, &mut diags);
        (data.obs.iter().map(|o| o.line).collect(), diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn blank_lines_before_the_header_keep_line_numbers_past_the_first_buffer() {
        for blank in [3, 70_000] {
            let mut text = "\n".repeat(blank).into_bytes();
            text.extend_from_slice(b"unit,year,indicator,value\nXAA,2020,a,1\n");
            assert_eq!(lines_read(&text), (vec![blank as u64 + 2], vec![]), "{blank} blank lines");
        }
        let (_, diags) = lines_read(" \n".repeat(50_000).as_bytes());
        assert!(diags.len() == 1 && diags[0].contains("the file is empty"), "{diags:?}");
        let (lines, diags) = lines_read(b"\xEF\xBB\xBFunit,year,a\nXAA,2020,1\n");
        assert_eq!((lines, diags.len()), (vec![2], 0), "a byte-order mark is dropped");
    }

    /// A pipe that delivers one byte per read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_byte_order_mark_split_across_reads_is_still_dropped() {
        let text = b"\xEF\xBB\xBFunit,year,indicator,value\nXAA,2020,a,1\nXAB,2020,a,2\n";
        let (mut data, mut diags) = (RawData::default(), Vec::new());
        let kind = read(Trickle(text), &mut data, &mut diags);
        assert_eq!((kind, diags.len()), (Some(FileKind::Long), 0), "{diags:?}");
        assert_eq!((data.obs.len(), data.obs[1].line), (2, 3));
    }

    /// A long file: 5,000 rows, so several batches go through the parsing thread.
    fn long_file(bad: &[(usize, &[u8])]) -> Vec<u8> {
        let mut text = b"unit,year,indicator,value\n".to_vec();
        for line in 2..5002 {
            match bad.iter().find(|b| b.0 == line) {
                Some((_, row)) => text.extend_from_slice(row),
                None => text.extend_from_slice(format!("U{line},2020,a,{line}").as_bytes()),
            }
            text.push(b'\n');
        }
        text
    }

    #[test]
    fn errors_across_batches_come_in_file_order_with_their_lines() {
        // Around the first batch's end (2,048 records: lines 2–2049) and later.
        let bad: &[(usize, &[u8])] =
            &[(2049, b"X,2020,a,x"), (2050, b"X,2020,a"), (2051, b"X,2020,a,y"), (4100, b"\xff,2020,a,1")];
        let (lines, diags) = lines_read(&long_file(bad));
        assert_eq!(lines.len(), 5000 - bad.len());
        assert!(
            lines.windows(2).all(|w| w[0] < w[1])
                && !lines.iter().any(|l| [2049, 2050, 2051, 4100].contains(l))
        );
        let at: Vec<&str> = diags.iter().map(|d| d.split(' ').next().unwrap()).collect();
        assert_eq!(at, ["t.csv:2049:4:", "t.csv:2050:", "t.csv:2051:4:", "t.csv:4100:1:"], "{diags:?}");
    }

    #[test]
    fn a_wide_file_of_long_records_is_read_whole_and_in_order() {
        // Records of about 120 KB (with their field bounds): a batch ends after a few.
        let columns = 12_000;
        let mut text = b"unit,year".to_vec();
        (0..columns).for_each(|c| text.extend_from_slice(format!(",i{c}").as_bytes()));
        for row in 0..25 {
            text.extend_from_slice(format!("\nU{row:02},2020").as_bytes());
            (0..columns).for_each(|c| text.extend_from_slice(if c == row { b",x" } else { b",1" }));
        }
        text.push(b'\n');
        let (mut data, mut diags) = (RawData::default(), Vec::new());
        read(text.as_slice(), &mut data, &mut diags);
        assert_eq!(data.obs.len(), 25 * (columns - 1));
        assert!(data.obs.windows(2).all(|w| w[0].line <= w[1].line));
        let at: Vec<String> = (0..25).map(|r| format!("t.csv:{}:{}:", r + 2, r + 3)).collect();
        let got: Vec<String> =
            diags.iter().map(|d| d.to_string().split(' ').next().unwrap().to_string()).collect();
        assert_eq!(got, at);
    }

    #[test]
    fn reading_stops_after_the_error_limit_in_a_long_file() {
        let rows: Vec<(usize, Vec<u8>)> = (2..5002).map(|l| (l, b"X,2020,a,bad".to_vec())).collect();
        let bad: Vec<(usize, &[u8])> = rows.iter().map(|(l, r)| (*l, r.as_slice())).collect();
        let (lines, diags) = lines_read(&long_file(&bad));
        assert_eq!((lines.len(), diags.len()), (0, MAX_ERRORS));
        assert!(diags[MAX_ERRORS - 1].starts_with(&format!("t.csv:{}:4:", MAX_ERRORS + 1)), "{diags:?}");
    }

    #[test]
    fn crlf_files_are_numbered_by_their_real_lines() {
        let text = b"unit,year,indicator,value\r\nXAA,2020,a,1\r\nXAB,2020,a,x\r\nXAC,2020,a , 2 \r\n";
        let (lines, diags) = lines_read(text);
        assert_eq!(lines, vec![2, 4]);
        assert!(diags.len() == 1 && diags[0].starts_with("t.csv:3:4: 'x' is not a number"), "{diags:?}");
        let (_, diags) = lines_read(b"unit,year,indicator,value\rXAA,2020,a,1\r");
        assert!(diags.len() == 1 && diags[0].contains("carriage return only"), "{diags:?}");
    }
}
