//! COINr's iData (wide) + iMeta → `methodology.toml`, `indicators.csv` (long) and
//! `units.csv` (names and group columns), for `gti import coinr`.
//!
//! iMeta rows: `Indicator` → `[indicator.X]`; `Aggregate` → `[node.X]` (the one without a
//! parent is the index); `Group` → a column of units.csv; `Denominator` and `Other` → kept as
//! data in indicators.csv (a transform can name them). Levels, parents, names, weights,
//! directions and units are kept; a Direction of -1 on an Aggregate is folded into the
//! directions of the indicators below it (see [`element_toml`]). Defaults are COINr's:
//! min-max onto [0, 100], arithmetic mean, aggregates over whatever children are present
//! (`min_coverage = 0`); panel data (several `Time` values) is normalised over all years
//! pooled, as a COINr purse is.

use crate::error::{DataError, Diag, Error, Location, Result};
use crate::frame::Wide;
use crate::ingest::cell::parse_value;
use crate::output::csv::{f, table};
use crate::output::{OutFile, fmt_f64};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// One iMeta row.
#[derive(Debug, Clone)]
struct Meta {
    code: String,
    name: String,
    kind: String,
    parent: Option<String>,
    direction: Option<f64>,
    weight: Option<f64>,
    unit: Option<String>,
    level: Option<String>,
    /// The iMeta line (or sheet row), and which of the two it is.
    line: u64,
    word: &'static str,
}

/// A file's name (for messages) and its bytes: a CSV file, or a workbook's sheet written as
/// CSV (`gti import coinr --workbook`).
pub struct Input<'a> {
    pub path: &'a Path,
    pub bytes: Vec<u8>,
    /// For a sheet: its name and the sheet row of each CSV line.
    pub sheet: Option<SheetLines>,
}

/// A sheet's name, and `rows[k]`: the 1-based sheet row of CSV line `k + 1`.
pub struct SheetLines {
    pub name: String,
    pub rows: Vec<u64>,
}

/// Where an input's lines are, for messages: a CSV file's own lines, or a sheet's rows
/// (`file.xlsx[iMeta] row 5`).
#[derive(Clone, Copy)]
struct Place<'a> {
    path: &'a Path,
    sheet: Option<&'a SheetLines>,
}

impl<'a> Place<'a> {
    fn of(input: &'a Input) -> Place<'a> {
        Place { path: input.path, sheet: input.sheet.as_ref() }
    }

    /// The sheet row of a CSV line (the line itself in a CSV file).
    fn row(&self, line: u64) -> u64 {
        let mapped = self.sheet.and_then(|s| s.rows.get((line as usize).checked_sub(1)?).copied());
        mapped.unwrap_or(line)
    }

    /// What a place's lines are called: `line` or `row`.
    fn word(&self) -> &'static str {
        if self.sheet.is_some() { "row" } else { "line" }
    }

    /// An input's line (already mapped to its row by [`Place::row`]), or the whole input.
    fn at(&self, row: u64) -> Location {
        let mut loc = Location::at(self.path, row, None);
        loc.sheet = self.sheet.map(|s| s.name.clone());
        loc
    }
}

/// iMeta and iData as read → `methodology.toml`, `indicators.csv`, `units.csv`; no I/O, so the
/// fuzz target can feed it any bytes.
pub fn convert(imeta: Input, idata: Input, year: Option<i32>) -> Result<Vec<OutFile<'static>>> {
    let (mp, dp) = (Place::of(&imeta), Place { path: idata.path, sheet: idata.sheet.as_ref() });
    let meta = read_imeta(mp, &imeta.bytes)?;
    let wide = Wide::read(idata.path, idata.bytes)?;
    if !wide.columns().iter().any(|c| c == "uCode") {
        return Err(data(dp, dp.row(1), "iData has no `uCode` column".into()));
    }
    // Units first: a repeated uCode is named at its iData line, not later in indicators.csv.
    let units = units_csv(dp, &wide, &meta)?;
    let (indicators, years) = indicators_csv(dp, &wide, &meta, year)?;
    let toml = methodology_toml(mp, &meta, years.len() > 1)?;
    Ok(vec![
        OutFile::new("methodology.toml", toml.into_bytes()),
        OutFile::new("indicators.csv", indicators),
        OutFile::new("units.csv", units),
    ])
}

fn na(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "NA").then(|| s.to_string())
}

fn read_imeta(place: Place, bytes: &[u8]) -> Result<Vec<Meta>> {
    // Records end at `\n` only, so that lines of CRLF files are numbered right (see ingest).
    let mut rdr = csv::ReaderBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_reader(bytes);
    let head = place.row(1);
    let header =
        rdr.headers().map_err(|e| data(place, head, format!("cannot read the header: {e}")))?.clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let need =
        |name: &str| col(name).ok_or_else(|| data(place, head, format!("iMeta has no `{name}` column")));
    let (ic, tc) = (need("iCode")?, need("Type")?);
    let (nc, pc, dc, wc, uc) = (col("iName"), col("Parent"), col("Direction"), col("Weight"), col("Unit"));
    let lc = col("Level");
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| data(place, place.row(e.position().map_or(0, |p| p.line())), format!("{e}")))?;
        let line = place.row(rec.position().map_or(0, |p| p.line()));
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).and_then(na);
        let num = |c: Option<usize>, what: &str| -> Result<Option<f64>> {
            match get(c) {
                None => Ok(None),
                Some(s) => s
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| data(place, line, format!("{what} '{s}' is not a number"))),
            }
        };
        let code = get(Some(ic)).ok_or_else(|| data(place, line, "empty iCode".into()))?;
        out.push(Meta {
            name: get(nc).unwrap_or_else(|| code.clone()),
            kind: get(Some(tc)).unwrap_or_default(),
            parent: get(pc),
            direction: num(dc, "Direction")?,
            weight: num(wc, "Weight")?,
            unit: get(uc),
            level: get(lc),
            code,
            line,
            word: place.word(),
        });
    }
    check_meta(place, &out)?;
    Ok(out)
}

/// iMeta rows that would make an invalid methodology: codes that are not gti codes, a code
/// used twice, a direction other than ±1 (on an indicator or an aggregate). (Cycles are found by validating the result.)
fn check_meta(place: Place, meta: &[Meta]) -> Result<()> {
    let mut diags = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for m in meta.iter().filter(|m| matches!(m.kind.as_str(), "Indicator" | "Aggregate")) {
        let at = place.at(m.line);
        if let Some(p) = crate::codes::code_problem(&m.code) {
            diags.push(Diag::new(at.clone(), format!("iCode '{}': {p}", m.code)));
        }
        if let Some(first) = seen.insert(m.code.clone(), m.line) {
            diags.push(Diag::new(
                at.clone(),
                format!("iCode '{}' is used twice (first at {} {first})", m.code, m.word),
            ));
        }
        if !matches!(m.direction, None | Some(1.0) | Some(-1.0)) {
            let d = m.direction.unwrap_or_default();
            diags.push(Diag::new(at, format!("Direction of '{}' is {d}; it must be 1 or -1", m.code)));
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(DataError(diags).into()) }
}

fn data(place: Place, row: u64, msg: String) -> Error {
    DataError(vec![Diag::new(place.at(row), msg)]).into()
}

fn of_kind<'a>(meta: &'a [Meta], kinds: &'a [&str]) -> impl Iterator<Item = &'a Meta> + 'a {
    meta.iter().filter(move |m| kinds.contains(&m.kind.as_str()))
}

fn indicators_csv(
    place: Place,
    wide: &Wide,
    meta: &[Meta],
    year: Option<i32>,
) -> Result<(Vec<u8>, BTreeSet<i32>)> {
    let cols = wide.columns();
    let has = |c: &str| cols.iter().any(|x| x == c);
    if !has("uCode") {
        return Err(data(place, place.row(1), "iData has no `uCode` column".into()));
    }
    let time = has("Time");
    if !time && year.is_none() {
        return Err(Error::Usage(format!(
            "{}: iData has no Time column; give the year with --year",
            place.at(0)
        )));
    }
    let on: Vec<String> = of_kind(meta, &["Indicator", "Denominator", "Other"])
        .map(|m| m.code.clone())
        .filter(|c| has(c))
        .collect();
    if !of_kind(meta, &["Indicator"]).any(|m| has(&m.code)) {
        return Err(data(place, place.row(1), "no iMeta Indicator is a column of iData".into()));
    }
    let mut ids = vec!["uCode".to_string()];
    if time {
        ids.push("Time".into());
    }
    let cells = wide.unpivot(place.path, &ids, &on)?;
    let mut rows = Vec::with_capacity(cells.len());
    let mut years = BTreeSet::new();
    let mut diags = Vec::new();
    for c in cells {
        let unit = c.ids[0].clone().unwrap_or_default();
        let y = match (time, &c.ids.get(1)) {
            (true, Some(Some(t))) => {
                t.trim().parse::<i32>().map_err(|_| format!("Time '{t}' is not a whole number"))
            }
            (true, _) => Err("Time is empty".to_string()),
            (false, _) => Ok(year.expect("checked above")),
        };
        let value = parse_value(c.value.as_deref().unwrap_or(""));
        match (y, value) {
            (Ok(y), Ok(v)) => {
                years.insert(y);
                rows.push((y, unit, c.column, v));
            }
            (Err(m), _) => diags.push(Diag::new(place.at(place.row(c.line)), m)),
            (_, Err((m, hint))) => {
                diags.push(Diag::new(place.at(place.row(c.line)), format!("{}: {m}", c.column)).hint(hint))
            }
        }
    }
    if !diags.is_empty() {
        return Err(DataError(diags).into());
    }
    let cells = rows.into_iter().map(|(y, unit, code, v)| vec![unit, y.to_string(), code, f(v)]);
    Ok((table(&["unit", "year", "indicator", "value"], cells)?, years))
}

/// The 1-based line of iData row `r` (the header is line 1; no line breaks inside cells, as
/// [`Wide::unpivot`] assumes).
fn idata_line(r: usize) -> u64 {
    r as u64 + 2
}

fn units_csv(place: Place, wide: &Wide, meta: &[Meta]) -> Result<Vec<u8>> {
    let path = place.path;
    let (row, word) = (|r: usize| place.row(idata_line(r)), place.word());
    let cols = wide.columns();
    let groups: Vec<String> =
        of_kind(meta, &["Group"]).map(|m| m.code.clone()).filter(|g| cols.contains(g)).collect();
    let codes = wide.column(path, "uCode")?;
    let names = if cols.iter().any(|c| c == "uName") {
        wide.column(path, "uName")?
    } else {
        vec![None; wide.height()]
    };
    let times = if cols.iter().any(|c| c == "Time") { Some(wide.column(path, "Time")?) } else { None };
    let group_vals: Vec<Vec<Option<String>>> =
        groups.iter().map(|g| wide.column(path, g)).collect::<std::result::Result<_, _>>()?;
    let mut header = vec!["unit".to_string(), "name".to_string()];
    header.extend(groups.iter().cloned());
    // Each unit's first row, and each (unit, Time)'s.
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut first_time: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut diags = Vec::new();
    for (r, code) in codes.iter().enumerate() {
        let Some(code) = code else { continue };
        let at = place.at(row(r));
        let time = times.as_ref().and_then(|t| t[r].as_deref()).map(str::trim);
        if let Some(f) = first_time.insert((code.as_str(), time), r) {
            let when = time.map_or(String::new(), |t| format!(" for Time {t}"));
            diags.push(
                Diag::new(at, format!("uCode '{code}' is given twice{when} (first at {word} {})", row(f)))
                    .hint("iData holds one row per unit (and Time): remove or recode the repeated row"),
            );
            continue;
        }
        // A panel repeats each unit once per year: its name and groups must agree, since
        // units.csv holds one of each.
        if let Some(&f) = first.get(code.as_str()) {
            let mut what = vec![("uName", &names)];
            what.extend(groups.iter().map(|g| g.as_str()).zip(&group_vals));
            for (col, vals) in what.into_iter().filter(|(_, v)| v[r] != v[f]) {
                let show = |v: &Option<String>| v.clone().unwrap_or_default();
                diags.push(
                    Diag::new(
                        at.clone(),
                        format!(
                            "uCode '{code}' has {col} '{}' here and '{}' at {word} {}",
                            show(&vals[r]),
                            show(&vals[f]),
                            row(f)
                        ),
                    )
                    .hint(
                        "units.csv holds one name and one value of each group per unit: make the rows agree",
                    ),
                );
            }
            continue;
        }
        first.insert(code.as_str(), r);
        let mut rec = vec![code.clone(), names[r].clone().unwrap_or_default()];
        rec.extend(group_vals.iter().map(|g| g[r].clone().unwrap_or_default()));
        rows.push(rec);
    }
    if !diags.is_empty() {
        return Err(DataError(diags).into());
    }
    table(&header, rows)
}

/// Text for a TOML comment, which may hold no control character (a Level or a file name
/// with one made the written methodology invalid: found by the `coinr` fuzz target).
fn comment(s: &str) -> String {
    s.chars()
        .flat_map(|c| if c.is_control() && c != '\t' { c.escape_default().collect() } else { vec![c] })
        .collect()
}

fn q(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

fn methodology_toml(place: Place, meta: &[Meta], panel: bool) -> Result<String> {
    let framework: Vec<&Meta> = of_kind(meta, &["Indicator", "Aggregate"]).collect();
    let roots: Vec<&&Meta> = framework.iter().filter(|m| m.parent.is_none()).collect();
    let [root] = roots.as_slice() else {
        return Err(data(
            place,
            0,
            format!(
                "iMeta must have exactly one Aggregate without a Parent (the index); found {}",
                roots.len()
            ),
        ));
    };
    let mut s = String::new();
    s.push_str("# Imported from COINr iData/iMeta by `gti import coinr`.\n");
    s.push_str(&format!("# Source: {}\n\nschema = 1\n\n[index]\n", comment(&place.at(0).to_string())));
    s.push_str(&format!(
        "code = {}\nname = {}\nversion = \"imported\"\nhigher_is = \"better\"\n\n",
        q(&root.code),
        q(&root.name)
    ));
    let bounds = if panel { "panel" } else { "year" };
    s.push_str("[defaults]\n");
    s.push_str(&format!("normalise = {{ method = \"minmax\", range = [0, 100], bounds = \"{bounds}\" }}\n"));
    s.push_str("aggregate = { method = \"arithmetic\" }\nmissing = { min_coverage = 0 }\n");
    // Each element with the aggregates above it whose Direction is -1 (their flips).
    let mut stack: Vec<(&Meta, Vec<&Meta>)> = vec![(**root, Vec::new())];
    let mut visited = std::collections::HashSet::new();
    while let Some((m, flips)) = stack.pop() {
        // A Parent loop must not make this walk endless (codes are unique: checked on read).
        if !visited.insert(m.code.as_str()) {
            continue;
        }
        s.push('\n');
        s.push_str(&element_toml(m, &flips));
        let mut below = flips;
        if m.kind == "Aggregate" && m.direction == Some(-1.0) {
            below.push(m);
        }
        let kids: Vec<&Meta> =
            framework.iter().copied().filter(|k| k.parent.as_deref() == Some(m.code.as_str())).collect();
        stack.extend(kids.into_iter().rev().map(|k| (k, below.clone())));
    }
    Ok(s)
}

/// An element's table. gti has no direction on nodes, so an Aggregate's Direction of -1 is
/// folded into the indicators below it: each indicator's direction is its own times those
/// of the aggregates above it (`flips`). Under the defaults written here (min-max onto
/// [0, 100], arithmetic means) the flipped aggregate is exactly 100 minus its unflipped
/// score, and enters its parent so. COINr itself ignores a Direction on an aggregate.
fn element_toml(m: &Meta, flips: &[&Meta]) -> String {
    let table = if m.kind == "Indicator" { "indicator" } else { "node" };
    let level = comment(m.level.as_deref().unwrap_or("NA"));
    let mut s = format!(
        "[{table}.{}]  # iMeta {} {}, Level {level}\nname = {}\n",
        m.code,
        m.word,
        m.line,
        q(&m.name)
    );
    if let Some(p) = &m.parent {
        s.push_str(&format!("parent = {}\n", q(p)));
    }
    if let Some(w) = m.weight {
        s.push_str(&format!("weight = {}\n", fmt_f64(w)));
    }
    if m.kind == "Aggregate" && m.direction == Some(-1.0) {
        s.push_str("# iMeta Direction -1: folded into the direction of every indicator below (gti has\n");
        s.push_str("# no node direction); with min-max and arithmetic means this node is 100 minus its\n");
        s.push_str("# score under Direction 1\n");
    }
    if m.kind == "Indicator" {
        let own = if m.direction == Some(-1.0) { -1 } else { 1 };
        let sign = if flips.len() % 2 == 1 { -own } else { own };
        s.push_str(&format!("direction = {sign}"));
        if !flips.is_empty() {
            let by: Vec<String> =
                flips.iter().map(|f| format!("{} ({} {})", f.code, f.word, f.line)).collect();
            s.push_str(&format!("  # iMeta: {own}, times -1 for {}", comment(&by.join(", "))));
        }
        s.push('\n');
        if let Some(u) = &m.unit {
            s.push_str(&format!("unit = {}\n", q(u)));
        }
    }
    s
}
