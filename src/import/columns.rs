//! Wide, year-suffixed tables as publishers release them (UNDP's HDR files: `hdi_1990 …
//! gnipc_2022`) or year-as-column layouts (the World Bank's `1960 … 2023` with an indicator
//! column) → gti's long `unit,year,indicator,value`, for `gti import columns`.
//!
//! Bytes are UTF-8 (a BOM is dropped) or, with `--encoding latin1`, ISO-8859-1; CRLF line ends
//! and empty cells are fine. Cells are parsed by gti's value parser under the declared
//! conventions (`--na`, `--delimiter`, `--decimal-comma`), so a bad cell is reported with its
//! line and column. Lines above the header (`--skip-rows`) and notes below the table
//! (`--footer`) are dropped only when declared; undeclared, each is an error naming the
//! option.

use crate::error::{DataError, Diag, Location, Result};
use crate::frame::Wide;
use crate::ingest::Conventions;
use crate::ingest::cell::{clip, parse_value_with};
use crate::ingest::conventions::delimiter_name;
use crate::output::csv::{f, table};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Text encodings the wide table may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte-order mark is dropped).
    Utf8,
    /// ISO-8859-1 (Latin-1), as UNDP's HDR 2023/24 file.
    Latin1,
}

/// What to reshape, and how: the checked form of `gti import columns`'s options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Names the table in messages.
    pub input: PathBuf,
    /// The column holding unit codes.
    pub unit: String,
    pub pattern: Pattern,
    /// Keep only these indicators, `(name in the table, code written)`, in this order.
    pub indicators: Option<Vec<(String, String)>>,
    /// The column naming the indicator, when the pattern has no `{indicator}`.
    pub indicator_column: Option<String>,
    pub encoding: Encoding,
    /// Lines above the header.
    pub skip_rows: usize,
    /// Drop the notes below the table.
    pub footer: bool,
    pub conventions: Conventions,
}

impl Options {
    /// A line of the table's text (after `skip_rows`) as a line of the file.
    fn at(&self, line: u64, col: Option<u64>) -> Location {
        Location::at(&self.input, line + self.skip_rows as u64, col)
    }
}

/// A column-name pattern with `{indicator}` (optional) and `{year}` (digits).
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    text: String,
    parts: Vec<Part>,
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Lit(String),
    Indicator,
    Year,
}

impl Pattern {
    /// Parses e.g. `{indicator}_{year}` or `{year}`.
    pub fn parse(p: &str) -> std::result::Result<Pattern, String> {
        let mut parts = Vec::new();
        let mut rest = p;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Lit(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or("an unclosed '{' in the pattern")? + open;
            parts.push(match &rest[open + 1..close] {
                "indicator" => Part::Indicator,
                "year" => Part::Year,
                other => {
                    return Err(format!("unknown placeholder {{{other}}}: use {{indicator}} and {{year}}"));
                }
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
        }
        let count = |k: &Part| parts.iter().filter(|p| *p == k).count();
        if count(&Part::Year) != 1 || count(&Part::Indicator) > 1 {
            return Err("the pattern needs one {year} and at most one {indicator}".into());
        }
        if parts.windows(2).any(|w| !matches!(w[0], Part::Lit(_)) && !matches!(w[1], Part::Lit(_))) {
            return Err("{indicator} and {year} must be separated by literal text".into());
        }
        Ok(Pattern { text: p.to_string(), parts })
    }

    pub fn has_indicator(&self) -> bool {
        self.parts.contains(&Part::Indicator)
    }

    /// Matches a column name: `Some((indicator, year))` (indicator empty when the pattern has
    /// none). Placeholders are separated by literals, so each match is unique.
    pub fn matches(&self, name: &str) -> Option<(String, i32)> {
        let (mut ind, mut year) = (String::new(), None);
        let mut rest = name;
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Lit(l) => rest = rest.strip_prefix(l.as_str())?,
                hole => {
                    let end = match self.parts.get(i + 1) {
                        Some(Part::Lit(l)) => rest.rfind(l.as_str())?,
                        _ => rest.len(),
                    };
                    let text = &rest[..end];
                    if text.is_empty() {
                        return None;
                    }
                    if *hole == Part::Year {
                        year = Some(
                            text.parse::<i32>().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit()))?,
                        );
                    } else {
                        ind = text.to_string();
                    }
                    rest = &rest[end..];
                }
            }
        }
        (rest.is_empty()).then_some((ind, year?))
    }
}

/// `--indicators a,b=B`: which indicators to keep, and optional new codes.
pub fn selection(list: Option<&str>) -> Option<Vec<(String, String)>> {
    let list = list?;
    let pairs = list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| match s.split_once('=') {
        Some((from, to)) => (from.trim().to_string(), to.trim().to_string()),
        None => (s.to_string(), s.to_string()),
    });
    Some(pairs.collect())
}

/// Decodes the file to UTF-8 bytes; non-UTF-8 bytes without `--encoding` are an error with
/// their line and column.
pub fn decode(path: &Path, bytes: Vec<u8>, encoding: Encoding) -> std::result::Result<Vec<u8>, DataError> {
    match encoding {
        Encoding::Latin1 => Ok(bytes.iter().map(|&b| b as char).collect::<String>().into_bytes()),
        Encoding::Utf8 => {
            let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => rest.to_vec(),
                None => bytes,
            };
            match std::str::from_utf8(&bytes) {
                Ok(_) => Ok(bytes),
                Err(e) => {
                    let before = &bytes[..e.valid_up_to()];
                    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() as u64 + 1;
                    let d = Diag::new(Location::at(path, line, Some(col)), "the file is not valid UTF-8")
                        .hint(
                            "if it is Latin-1 or cp1252 (as UNDP's HDR 2023/24 file), add --encoding latin1",
                        );
                    Err(DataError(vec![d]))
                }
            }
        }
    }
}

struct Row {
    indicator: String,
    year: i32,
    line: u64,
    unit: String,
    value: Option<f64>,
}

/// What [`convert`] made: the long CSV, its number of rows, and the lines dropped as the
/// table's footer (`--footer`), described.
pub struct Converted {
    pub csv: Vec<u8>,
    pub rows: usize,
    pub dropped: Option<String>,
}

/// The wide table's bytes → the long CSV; no I/O (the fuzz target feeds it any bytes).
/// `opt.input` names the file in messages.
pub fn convert(opt: &Options, bytes: Vec<u8>) -> Result<Converted> {
    let text = decode(&opt.input, bytes, opt.encoding)?;
    let text = skip_rows(opt, text)?;
    let (text, dropped) = footer(opt, text)?;
    check_header(opt, &text)?;
    let wide = Wide::read_with(&opt.input, text, opt.conventions.delimiter)?;
    let rows = long_rows(opt, &wide)?;
    if rows.is_empty() {
        let d = Diag::new(Location::file(&opt.input), "the table has no data rows for the selected columns");
        return Err(DataError(vec![d]).into());
    }
    Ok(Converted { csv: to_csv(&rows)?, rows: rows.len(), dropped })
}

/// The text after the first `opt.skip_rows` lines.
fn skip_rows(opt: &Options, text: Vec<u8>) -> Result<Vec<u8>> {
    if opt.skip_rows == 0 {
        return Ok(text);
    }
    let mut ends = text.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1);
    match ends.nth(opt.skip_rows - 1) {
        Some(at) if at < text.len() => Ok(text[at..].to_vec()),
        _ => {
            let msg = format!("--skip-rows {} skips every line of the file", opt.skip_rows);
            Err(DataError(vec![Diag::new(Location::file(&opt.input), msg)]).into())
        }
    }
}

/// Where records start in a text and on which 1-based line, from the byte offsets the csv
/// reader gives: the reader places a record that follows blank lines at the first of them
/// (and reports that line too: BurntSushi/rust-csv#208), so the line breaks are skipped and
/// the lines counted here, onwards from the previous record (records come in order).
#[derive(Default)]
struct Lines {
    at: usize,
    line: u64,
}

impl Lines {
    fn start(&mut self, text: &[u8], byte: u64) -> (usize, u64) {
        let mut at = (byte as usize).clamp(self.at, text.len());
        while at < text.len() && matches!(text[at], b'\n' | b'\r') {
            at += 1;
        }
        self.line += text[self.at..at].iter().filter(|&&b| b == b'\n').count() as u64;
        self.at = at;
        (at, self.line + 1)
    }
}

/// One record of the table's text: where it starts, its line, its non-empty cells.
struct Rec {
    start: usize,
    line: u64,
    filled: usize,
    first: String,
}

/// Notes below the table: from a blank line (or a record of empty cells) after the data on,
/// lines that are blank or hold a single cell. Dropped with `--footer`, an error without.
fn footer(opt: &Options, text: Vec<u8>) -> Result<(Vec<u8>, Option<String>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(opt.conventions.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(text.as_slice());
    let (mut recs, mut lines) = (Vec::new(), Lines::default());
    for rec in rdr.records() {
        // A malformed file is reported by the reader proper.
        let Ok(rec) = rec else { return Ok((text, None)) };
        let Some(p) = rec.position() else { continue };
        let filled: Vec<&str> = rec.iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        let first = filled.first().map_or(String::new(), |c| clip(c));
        let (start, line) = lines.start(&text, p.byte());
        recs.push(Rec { start, line, filled: filled.len(), first });
    }
    // The trailing run of blank or one-cell records (never the header), from its first blank.
    let mut run = recs.len();
    while run > 1 && recs[run - 1].filled <= 1 {
        run -= 1;
    }
    let blank_before = |i: usize| {
        let between = &text[recs[i - 1].start..recs[i].start];
        between.ends_with(b"\n\n") || between.ends_with(b"\n\r\n")
    };
    let Some(start) = (run.max(1)..recs.len()).find(|&i| recs[i].filled == 0 || blank_before(i)) else {
        return Ok((text, None));
    };
    let (from, to) = (recs[start].line, recs[recs.len() - 1].line);
    let note = recs[start..].iter().map(|r| r.first.as_str()).find(|f| !f.is_empty()).unwrap_or("");
    let what = if note.is_empty() { String::new() } else { format!(": '{note}'") };
    let skip = opt.skip_rows as u64;
    if !opt.footer {
        let msg = format!(
            "lines {}–{} below the table look like notes (blank, or one cell each){what}",
            from + skip,
            to + skip
        );
        let d = Diag::new(opt.at(from, None), msg)
            .hint("pass --footer to drop them, or remove them from the file");
        return Err(DataError(vec![d]).into());
    }
    let dropped = format!("lines {}–{} dropped as the table's footer{what}", from + skip, to + skip);
    // Cut before the blank lines above the footer too (a blank line would be a row).
    let mut cut = recs[start].start;
    while cut > 0 && matches!(text[cut - 1], b'\n' | b'\r') {
        cut -= 1;
    }
    let mut text = text;
    text.truncate(cut);
    text.push(b'\n');
    Ok((text, Some(dropped)))
}

fn long_rows(opt: &Options, wide: &Wide) -> Result<Vec<Row>> {
    let cols = wide.columns();
    let path = opt.input.as_path();
    let pattern = &opt.pattern;
    let mut ids = vec![opt.unit.clone()];
    ids.extend(opt.indicator_column.iter().cloned());
    for id in &ids {
        if !cols.contains(id) {
            let hint =
                format!("the header has: {}", cols.iter().take(8).cloned().collect::<Vec<_>>().join(", "));
            return Err(
                DataError(vec![Diag::new(opt.at(1, None), format!("no column '{id}'")).hint(hint)]).into()
            );
        }
    }
    let select = &opt.indicators;
    // Only the selected indicators are reshaped (when the name is in the column).
    let wanted = |ind: &str| {
        !pattern.has_indicator() || select.as_ref().is_none_or(|s| s.iter().any(|(f, _)| f == ind))
    };
    let matched: HashMap<String, (String, i32)> = cols
        .iter()
        .filter(|c| !ids.contains(c))
        .filter_map(|c| pattern.matches(c).filter(|(i, _)| wanted(i)).map(|m| (c.clone(), m)))
        .collect();
    if matched.is_empty() {
        let d = Diag::new(opt.at(1, None), format!("no column matches the pattern '{pattern}'"));
        return Err(DataError(vec![d]).into());
    }
    let on: Vec<String> = cols.iter().filter(|c| matched.contains_key(*c)).cloned().collect();
    let cells = wide.unpivot(path, &ids, &on)?;
    let col_index = |name: &str| cols.iter().position(|c| c == name).map_or(0, |i| i as u64 + 1);
    let mut rows = Vec::with_capacity(cells.len());
    let mut diags = Vec::new();
    for cell in cells {
        let (from_name, year) = &matched[&cell.column];
        let name =
            if pattern.has_indicator() { from_name.clone() } else { cell.ids[1].clone().unwrap_or_default() };
        let code = match &select {
            None => name,
            Some(sel) => match sel.iter().find(|(from, _)| *from == name) {
                Some((_, to)) => to.clone(),
                None => continue,
            },
        };
        let unit = cell.ids[0].clone().unwrap_or_default().trim().to_string();
        if unit.is_empty() {
            let loc = opt.at(cell.line, Some(col_index(&opt.unit)));
            diags.push(Diag::new(loc, format!("the unit ({}) is empty", opt.unit)));
            continue;
        }
        match parse_value_with(cell.value.as_deref().unwrap_or(""), &opt.conventions) {
            Ok(value) => rows.push(Row { indicator: code, year: *year, line: cell.line, unit, value }),
            Err((msg, hint)) => {
                let loc = opt.at(cell.line, Some(col_index(&cell.column)));
                diags.push(Diag::new(loc, format!("{}: {msg}", cell.column)).hint(hint));
            }
        }
    }
    duplicates(opt, &rows, &mut diags);
    if !diags.is_empty() {
        return Err(DataError(diags).into());
    }
    let order =
        |code: &str| select.as_ref().and_then(|s| s.iter().position(|(_, to)| to == code)).unwrap_or(0);
    rows.sort_by(|a, b| {
        (order(&a.indicator), &a.indicator, a.year, a.line).cmp(&(
            order(&b.indicator),
            &b.indicator,
            b.year,
            b.line,
        ))
    });
    Ok(rows)
}

/// Two columns giving the same (unit, year, indicator) (e.g. `hdi_2020` and `hdi_02020`, or a
/// renamed duplicate) would be a repeated point: an error naming both lines.
fn duplicates(opt: &Options, rows: &[Row], diags: &mut Vec<Diag>) {
    let mut seen = HashMap::new();
    for r in rows {
        if let Some(first) = seen.insert((&r.unit, r.year, &r.indicator), r.line) {
            let msg = format!(
                "unit {}, year {}, indicator {} comes from two columns (also line {})",
                r.unit,
                r.year,
                r.indicator,
                first + opt.skip_rows as u64
            );
            diags.push(Diag::new(opt.at(r.line, None), msg));
        }
    }
}

/// The header: one column holding another delimiter, a column named twice (a reader would
/// rename one and invent data), or the unit column only on a later line (a title above the
/// table) are errors naming the option that would read the file.
fn check_header(opt: &Options, text: &[u8]) -> Result<()> {
    let fail = |d: Diag| -> Result<()> { Err(DataError(vec![d]).into()) };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(opt.conventions.delimiter)
        .from_reader(text);
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return fail(Diag::new(opt.at(1, None), e.to_string())),
        None => return fail(Diag::new(Location::file(&opt.input), "the file is empty")),
    };
    if header.len() == 1 {
        for sep in [b',', b';', b'\t', b'|'] {
            if sep != opt.conventions.delimiter && header[0].contains(sep as char) {
                let msg = format!(
                    "the header is one column (read with '{}' as the delimiter)",
                    delimiter_name(opt.conventions.delimiter)
                );
                let hint = format!("pass --delimiter '{}'", delimiter_name(sep));
                return fail(Diag::new(opt.at(1, Some(1)), msg).hint(hint));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (i, name) in header.iter().enumerate() {
        if !seen.insert(name.trim()) {
            let loc = opt.at(1, Some(i as u64 + 1));
            return fail(Diag::new(loc, format!("column '{}' appears twice in the header", name.trim())));
        }
    }
    let has_unit = |r: &csv::StringRecord| r.iter().any(|c| c.trim() == opt.unit);
    if !has_unit(&header) {
        let later = records.take(30).flatten().find(|r| has_unit(r));
        let mut lines = Lines::default();
        if let Some((_, line)) = later.and_then(|r| r.position().map(|p| lines.start(text, p.byte()))) {
            let at = line + opt.skip_rows as u64;
            let d = Diag::new(opt.at(1, None), format!("no column '{}' on line 1 of the table", opt.unit))
                .hint(format!("the header seems to be on line {at}: pass --skip-rows {}", at - 1));
            return fail(d);
        }
    }
    Ok(())
}

fn to_csv(rows: &[Row]) -> Result<Vec<u8>> {
    let cells =
        rows.iter().map(|r| vec![r.unit.clone(), r.year.to_string(), r.indicator.clone(), f(r.value)]);
    table(&["unit", "year", "indicator", "value"], cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_split_indicator_and_year() {
        let p = Pattern::parse("{indicator}_{year}").unwrap();
        assert_eq!(p.matches("hdi_2022"), Some(("hdi".into(), 2022)));
        assert_eq!(p.matches("hdi_f_1990"), Some(("hdi_f".into(), 1990)));
        assert_eq!(p.matches("hdi_rank_2022"), Some(("hdi_rank".into(), 2022)));
        assert_eq!(p.matches("iso3"), None);
        assert_eq!(p.matches("gdi_group_x"), None);
        let y = Pattern::parse("{year}").unwrap();
        assert_eq!(y.matches("1960"), Some((String::new(), 1960)));
        assert_eq!(y.matches("Country Code"), None);
        let q = Pattern::parse("YR{year} [{indicator}]").unwrap();
        assert_eq!(q.matches("YR2015 [SP.POP]"), Some(("SP.POP".into(), 2015)));
        assert!(Pattern::parse("{indicator}{year}").is_err());
        assert!(Pattern::parse("{indicator}_{yr}").is_err());
        assert!(Pattern::parse("{indicator}").is_err());
    }

    #[test]
    fn latin1_decodes_and_bad_utf8_is_located() {
        let p = Path::new("f.csv");
        assert_eq!(decode(p, b"C\xf4te".to_vec(), Encoding::Latin1).unwrap(), "Côte".as_bytes());
        let err = decode(p, b"a,b\nC\xf4te,1\n".to_vec(), Encoding::Utf8).unwrap_err();
        assert!(err.to_string().contains("f.csv:2:2"), "{err}");
        assert!(err.to_string().contains("--encoding latin1"));
        assert_eq!(decode(p, b"\xEF\xBB\xBFa".to_vec(), Encoding::Utf8).unwrap(), b"a");
    }

    #[test]
    fn selection_keeps_and_renames() {
        assert_eq!(
            selection(Some("le, hdi=HDI")),
            Some(vec![("le".into(), "le".into()), ("hdi".into(), "HDI".into())])
        );
        assert_eq!(selection(None), None);
    }
}
