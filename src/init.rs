//! `gti init`: a starter methodology for the data at hand.
//!
//! [`starter`] takes what [`crate::ingest::read_all`] found (every indicator code of the
//! statistical files, long or wide, and every item of the response files) and writes a
//! methodology that validates and computes as written: each indicator with weight 1 and
//! direction 1 in one pillar, every stage's method spelled out with its alternatives in a
//! comment, and the choices still to make listed twice, as `TODO` comments in the file and as
//! [`Starter::todo`] for the console. [`check`] then runs it on the same data, so that a file
//! that would not validate is never written.
//!
//! The TOML is built with `toml_edit`, which quotes and escapes codes and strings (a code such
//! as `é_rate` becomes `[indicator."é_rate"]`); comments are cleaned of control characters. A
//! code that the methodology format cannot hold (`SP.POP.TOTL`, `press freedom`) is refused
//! with its file, line and column, as is data with no indicator at all.

use crate::codes::code_problem;
use crate::error::{DataError, Diag, Location, Result};
use crate::ingest::{FileKind, RawAnswer, RawData};
use crate::methodology::Methodology;
use crate::methodology::expert::code_key;
use crate::stages;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// A written starter methodology.
#[derive(Debug, Clone)]
pub struct Starter {
    /// The methodology file's text.
    pub toml: String,
    /// The codes of the index (its root node) and of its one pillar.
    pub index: String,
    pub pillar: String,
    /// The indicators declared, in the order they were found.
    pub indicators: Vec<String>,
    /// What the user must still decide, one sentence each (also in the file's header).
    pub todo: Vec<String>,
}

/// One series of the data: a statistical indicator or a questionnaire item.
#[derive(Debug)]
struct Series<'a> {
    code: &'a str,
    expert: bool,
    /// Values present (numbers, or answers given).
    values: usize,
    units: BTreeSet<&'a str>,
    years: BTreeSet<i32>,
    /// Where the code is first written, and in which kind of file.
    first: (u32, u64, FileKind),
    /// Expert answers given as codes (`yes`, `don't know`), first spelling of each.
    codes: Vec<&'a str>,
}

impl Default for Series<'_> {
    fn default() -> Self {
        let first = (0, 0, FileKind::Long);
        Series {
            code: "",
            expert: false,
            values: 0,
            units: BTreeSet::new(),
            years: BTreeSet::new(),
            first,
            codes: vec![],
        }
    }
}

/// The starter methodology for `raw`.
///
/// # Errors
/// A [`DataError`] when no series has a value, or when a code cannot be a methodology code
/// (each located at the code's first appearance).
pub fn starter(raw: &RawData) -> Result<Starter> {
    let all = series(raw);
    let bad: Vec<Diag> = all
        .iter()
        .filter_map(|s| code_problem(s.code).map(|why| (s, why)))
        .map(|(s, why)| {
            Diag::new(locate(raw, s), format!("indicator code '{}': {why}", s.code)).hint(
                "rename it in the data (`gti import columns --indicators OLD=NEW` renames while \
                 importing) and run gti init again",
            )
        })
        .collect();
    if !bad.is_empty() {
        return Err(DataError(bad).into());
    }
    let (found, empty): (Vec<&Series>, Vec<&Series>) = all.iter().partition(|s| s.values > 0);
    if found.is_empty() {
        return Err(nothing_found(raw, &empty).into());
    }
    let taken: BTreeSet<&str> = all.iter().map(|s| s.code).collect();
    let index = fresh("INDEX", &taken);
    let pillar = fresh("P1", &taken);
    let plan = Plan { raw, found: &found, empty: &empty, index: &index, pillar: &pillar };
    let todo = plan.todo();
    let toml = plan.document(&todo).to_string();
    let indicators = found.iter().map(|s| s.code.to_string()).collect();
    Ok(Starter { toml, index, pillar, indicators, todo })
}

/// Validates the starter and runs every stage on `raw`, as `gti validate` would, so that a
/// file that would fail is never written.
///
/// # Errors
/// Whatever validation or the pipeline reports (a bug of [`starter`] if it happens).
pub fn check(starter: &Starter, path: &Path, raw: &mut RawData) -> Result<()> {
    let m = Methodology::parse_str(path, &starter.toml, String::new(), &[])?;
    stages::run_lean(&m, raw, stages::Keep::Only(&[])).map(|_| ())
}

/// Every series, in the order its code is first met: statistical files, then response files.
fn series(raw: &RawData) -> Vec<Series<'_>> {
    let mut out: Vec<Series> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    fn entry<'a>(
        out: &mut Vec<Series<'a>>,
        at: &mut HashMap<&'a str, usize>,
        code: &'a str,
        first: (u32, u64, FileKind),
    ) -> usize {
        *at.entry(code).or_insert_with(|| {
            out.push(Series { code, first, ..Series::default() });
            out.len() - 1
        })
    }
    for o in &raw.obs {
        let kind = raw.files[o.file as usize].kind;
        let i = entry(&mut out, &mut at, raw.code_of(o).as_str(), (o.file, o.line, kind));
        let s = &mut out[i];
        s.units.insert(raw.unit_of(o).as_str());
        s.years.insert(o.year);
        s.values += usize::from(!o.value.is_nan());
    }
    for r in &raw.responses {
        let i = entry(&mut out, &mut at, r.item.as_str(), (r.file, r.line, FileKind::Responses));
        let s = &mut out[i];
        // A statistical code that is also a questionnaire item is an expert indicator.
        s.expert = true;
        s.units.insert(r.unit.as_str());
        s.years.insert(r.year);
        s.values += usize::from(!matches!(r.answer, RawAnswer::Missing));
        // `na` cannot be declared (NA is missing, before codes): compute names its line.
        if let RawAnswer::Code(c) = &r.answer
            && code_key(c) != "na"
            && !s.codes.iter().any(|k| code_key(k) == code_key(c))
        {
            s.codes.push(c);
        }
    }
    out
}

/// `base`, or `base_2`, `base_3`… when the data already use it as an indicator code.
fn fresh(base: &str, taken: &BTreeSet<&str>) -> String {
    (1..)
        .map(|k| if k == 1 { base.to_string() } else { format!("{base}_{k}") })
        .find(|c| !taken.contains(c.as_str()))
        .expect("some suffix is free")
}

/// The file, line and column where a series' code is first written: the header for a wide
/// file, the row's indicator (or item) cell otherwise.
fn locate(raw: &RawData, s: &Series) -> Location {
    let (file, line, kind) = s.first;
    let f = &raw.files[file as usize];
    let column =
        |pick: &dyn Fn(&str) -> bool| raw.headers.get(&file).and_then(|h| h.iter().position(|n| pick(n)));
    match kind {
        FileKind::Wide => f.at(raw.header_line(file), column(&|h| h == s.code)),
        FileKind::Responses => f.at(line, column(&|h| h.eq_ignore_ascii_case("item"))),
        _ => f.at(line, column(&|h| h.eq_ignore_ascii_case("indicator"))),
    }
}

fn nothing_found(raw: &RawData, empty: &[&Series]) -> DataError {
    let files: Vec<String> = raw.files.iter().map(|f| f.name()).collect();
    let loc = raw.files.first().map_or(Location::file(Path::new("-d")), |f| Location::file(&f.path));
    let message = if empty.is_empty() {
        "no indicator found: the data hold no indicator values (only units?)".to_string()
    } else {
        let codes: Vec<&str> = empty.iter().map(|s| s.code).collect();
        format!("no indicator has a value: {} are all empty or NA", codes.join(", "))
    };
    DataError(vec![Diag::new(loc, message).hint(format!(
        "gti init needs a data file with indicators: unit,year,indicator,value (long) or \
         unit,year,<indicator>… (wide); read: {}",
        files.join(", ")
    ))])
}

/// What the document is made of.
struct Plan<'a> {
    raw: &'a RawData,
    found: &'a [&'a Series<'a>],
    empty: &'a [&'a Series<'a>],
    index: &'a str,
    pillar: &'a str,
}

impl Plan<'_> {
    fn expert_codes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in self.found.iter().flat_map(|s| &s.codes) {
            let key = code_key(c);
            if !out.iter().any(|o| code_key(o) == key) {
                out.push(c);
            }
        }
        out
    }

    /// The choices the starter leaves to the user.
    fn todo(&self) -> Vec<String> {
        let mut t = vec![
            format!(
                "[index]: the index's code ('{}', also the code of its root node), name and version; \
                 higher_is = \"worse\" if high scores mean worse",
                self.index
            ),
            "each indicator's direction: 1 when a higher value is better (as written for all), -1 \
             when lower is better"
                .to_string(),
            format!(
                "the framework: every indicator is in the one pillar {}; declare pillars as \
                 [node.CODE] with parent = \"{}\" and move indicators with parent",
                self.pillar, self.index
            ),
            "weights: all 1, so siblings count equally".to_string(),
            "transform, imputation and outlier treatment: none (missing values stay missing; \
             `gti audit` flags skewed indicators)"
                .to_string(),
            "normalisation: min-max onto [0, 100] over all years pooled; aggregation: the \
             arithmetic mean"
                .to_string(),
            "the trend threshold (0: every change is improved or deteriorated) and bands (none: \
             scores carry no label)"
                .to_string(),
        ];
        let codes = self.expert_codes();
        if !codes.is_empty() {
            t.push(format!(
                "[expert] codes: the answers {} count as missing until you give each a number",
                codes.join(", ")
            ));
        }
        if self.raw.units.is_none() {
            t.push("no units file: give one (unit,name,region) with -d for names and regions".into());
        }
        if !self.empty.is_empty() {
            let codes: Vec<&str> = self.empty.iter().map(|s| s.code).collect();
            t.push(format!("not declared, no value in the data: {}", codes.join(", ")));
        }
        t
    }

    fn document(&self, todo: &[String]) -> DocumentMut {
        let mut doc = DocumentMut::new();
        doc.insert("schema", toml_edit::value(1));
        let mut top = comment(&format!(
            "A starter methodology written by `gti init` (gti {}) from {}.",
            env!("CARGO_PKG_VERSION"),
            self.sources()
        ));
        top.push_str(&comment(
            "It validates and computes as written, but every choice in it is a placeholder.",
        ));
        top.push_str(&comment("TODO, still to decide (each is marked TODO below):"));
        for t in todo {
            top.push_str(&comment(&format!("  - {t}")));
        }
        top.push_str(&comment("Every key: docs/methodology-format.md; the formulas: docs/methods.md."));
        top.push('\n');
        decorate_key(doc.as_table_mut(), "schema", &top);
        let mut pos = 0;
        let mut place = |t: &mut Table| {
            pos += 1;
            t.set_position(Some(pos));
        };
        let mut index = self.index_table();
        place(&mut index);
        doc.insert("index", Item::Table(index));
        let mut log = self.changelog();
        place(&mut log);
        let mut logs = ArrayOfTables::new();
        logs.push(log);
        doc.insert("changelog", Item::ArrayOfTables(logs));
        if let Some(mut input) = self.input_table() {
            place(&mut input);
            doc.insert("input", Item::Table(input));
        }
        for (key, mut t) in self.settings() {
            place(&mut t);
            doc.insert(key, Item::Table(t));
        }
        let mut nodes = implicit();
        for (code, mut t) in self.nodes() {
            place(&mut t);
            nodes.insert(&code, Item::Table(t));
        }
        doc.insert("node", Item::Table(nodes));
        let mut indicators = implicit();
        for s in self.found {
            let mut t = self.indicator(s);
            place(&mut t);
            indicators.insert(s.code, Item::Table(t));
        }
        doc.insert("indicator", Item::Table(indicators));
        doc.set_trailing(self.bands_comment());
        doc
    }

    fn sources(&self) -> String {
        let files: Vec<String> = self.raw.files.iter().map(|f| f.name()).collect();
        files.join(", ")
    }

    /// `[input]`: the conventions the data were read with (`--na`, `--delimiter`,
    /// `--decimal-comma`), so that every later run reads them alike; none when none declared.
    fn input_table(&self) -> Option<Table> {
        let c = &self.raw.conventions;
        if *c == crate::ingest::Conventions::default() {
            return None;
        }
        let mut t = Table::new();
        t.decor_mut()
            .set_prefix(format!("\n{}", comment("How the data files are written, as gti init read them.")));
        if !c.na.is_empty() {
            t.insert("na", toml_edit::value(c.na.iter().map(String::as_str).collect::<Array>()));
        }
        if c.delimiter != b',' {
            t.insert("delimiter", toml_edit::value(c.delimiter_name()));
        }
        if c.decimal_comma {
            t.insert("decimal_comma", toml_edit::value(true));
        }
        Some(t)
    }

    fn index_table(&self) -> Table {
        let mut t = Table::new();
        t.decor_mut().set_prefix("\n");
        let note =
            format!("TODO: your index's code (letters, digits, _ and -); rename [node.{}] too", self.index);
        put(&mut t, "code", self.index, &note);
        put(&mut t, "name", "TODO: the index's full name", "");
        put(&mut t, "version", "0.1", "TODO: this methodology's version, e.g. \"2026.1\"");
        put(
            &mut t,
            "higher_is",
            "better",
            "\"better\": rank 1 is the highest score; \"worse\" reverses ranks and trends",
        );
        t
    }

    fn changelog(&self) -> Table {
        let mut t = Table::new();
        t.decor_mut().set_prefix("\n");
        put(&mut t, "version", "0.1", "");
        let summary = format!("Starter methodology written by gti init from {}.", self.sources());
        put(&mut t, "summary", summary.as_str(), "");
        t
    }

    /// `[defaults]` and, with questionnaire items, `[expert]`.
    fn settings(&self) -> Vec<(&'static str, Table)> {
        let mut d = Table::new();
        d.decor_mut().set_prefix(comment_block(&[
            "",
            "Methods used by every indicator (transform … normalise) and node (aggregate, missing)",
            "that does not name its own. Each line names the alternatives.",
        ]));
        let method = |m: &str| inline(&[("method", Value::from(m))]);
        let stage = |t: &mut Table, key: &str, v: InlineTable, above: &[&str]| {
            t.insert(key, toml_edit::value(v));
            decorate_key(t, key, &comment_block(above));
        };
        stage(
            &mut d,
            "transform",
            method("none"),
            &["transform: none | log | log1p; with denominator = \"CODE\" (a per-capita rate) and scale"],
        );
        let groups = match self.raw.units.as_ref().map(|u| u.columns.join(", ")) {
            Some(c) if !c.is_empty() => format!("(group = a units column: {c})"),
            _ => "(group = a units column)".to_string(),
        };
        let impute = format!("impute: none | mean | median | group_mean, group_median {groups} |");
        stage(
            &mut d,
            "impute",
            method("none"),
            &[&impute, "latest (max_age) | linear. TODO: none leaves missing values missing"],
        );
        stage(
            &mut d,
            "treat",
            method("none"),
            &[
                "treat (outliers): none | winsorise (winmax, skew, kurtosis) | clip (percentiles) | caps (min, max)",
            ],
        );
        let range = Array::from_iter([0i64, 100]);
        let normalise = inline(&[
            ("method", Value::from("minmax")),
            ("range", Value::Array(range)),
            ("bounds", Value::from("panel")),
        ]);
        stage(
            &mut d,
            "normalise",
            normalise,
            &[
                "normalise: minmax | zscore (mean, sd) | goalposts (min, max) | rank | borda | percentile |",
                "distance_to_target (target) | fraction_of_max. bounds: \"panel\" pools every year (scores",
                "compare across years, so trends mean something); \"year\" refits each year;",
                "\"reference\" (with reference_year) fits one year and applies it to all",
            ],
        );
        stage(
            &mut d,
            "aggregate",
            method("arithmetic"),
            &["aggregate: arithmetic | geometric | harmonic | generalised (p) | median | min | sum"],
        );
        stage(
            &mut d,
            "missing",
            inline(&[("min_coverage", Value::from(0.5))]),
            &["a node is missing when its children present hold less than this share of its weight"],
        );
        let mut out = vec![("defaults", d)];
        if self.found.iter().any(|s| s.expert) {
            out.push(("expert", self.expert()));
        }
        out
    }

    fn expert(&self) -> Table {
        let mut t = Table::new();
        t.decor_mut().set_prefix(comment_block(&[
            "",
            "Questionnaire answers (response files): how each item's answers are combined.",
        ]));
        put(&mut t, "combine", "mean", "mean | median | trimmed_mean (trim)");
        put(&mut t, "min_respondents", 1, "TODO: with fewer answers an item is missing (and flagged)");
        let codes = self.expert_codes();
        if !codes.is_empty() {
            let pairs: Vec<(&str, Value)> = codes.iter().map(|c| (*c, Value::from("missing"))).collect();
            t.insert("codes", toml_edit::value(inline(&pairs)));
            decorate_key(
                &mut t,
                "codes",
                &comment_block(&[
                    "TODO: the answers given as words, read as missing until you give each a number",
                    "on the item's scale (e.g. yes = 1, no = 0) and declare that scale (scale = [0, 1])",
                ]),
            );
        }
        t
    }

    fn nodes(&self) -> Vec<(String, Table)> {
        let mut root = Table::new();
        root.decor_mut()
            .set_prefix(comment_block(&["", "The framework: the index, its pillars, then the indicators."]));
        put(&mut root, "name", "TODO: the index's full name", "");
        let mut p = Table::new();
        p.decor_mut().set_prefix("\n");
        p.decor_mut().set_suffix("  # TODO: one pillar holds every indicator; add more ([node.P2], ...)");
        put(&mut p, "name", "TODO: pillar 1", "");
        put(&mut p, "parent", self.index, "");
        put(&mut p, "weight", 1, "");
        vec![(self.index.to_string(), root), (self.pillar.to_string(), p)]
    }

    fn indicator(&self, s: &Series) -> Table {
        let mut t = Table::new();
        t.decor_mut().set_prefix("\n");
        t.decor_mut().set_suffix(format!("  # {}", clean(&describe(s))));
        put(&mut t, "name", s.code, "TODO: a readable name");
        put(&mut t, "parent", self.pillar, "TODO: its pillar");
        if s.expert {
            put(&mut t, "source", "expert", "answers from the response files");
        }
        put(&mut t, "direction", 1, "TODO: 1 if a higher value is better, -1 if lower is better");
        put(&mut t, "weight", 1, "");
        t
    }

    /// The trend threshold and the bands, which have no neutral value, as a commented example.
    fn bands_comment(&self) -> String {
        comment_block(&[
            "",
            "TODO: the trend threshold (without [trend], every change is improved or deteriorated)",
            "and bands (without [[band]], scores carry no label), e.g.:",
            "[trend]",
            "stable = 2.0          # a change of at most 2 points is \"stable\"",
            "[[band]]",
            "label = \"Low\"",
            "max = 40              # from -infinity to 40",
            "[[band]]",
            "label = \"High\"",
            "min = 40",
        ])
    }
}

/// "206 units, 1990-2022, 6411 values" (or "answers").
fn describe(s: &Series) -> String {
    let years = match (s.years.first(), s.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => "no year".into(),
    };
    let what = if s.expert { "answers" } else { "values" };
    format!("{} units, {years}, {} {what}", s.units.len(), s.values)
}

/// A table that is only a prefix of others (`[node.X]`), never written as `[node]`.
fn implicit() -> Table {
    let mut t = Table::new();
    t.set_implicit(true);
    t
}

fn inline(pairs: &[(&str, Value)]) -> InlineTable {
    let mut t = InlineTable::new();
    for (k, v) in pairs {
        t.insert(*k, v.clone());
    }
    t
}

/// `key = value`, with a comment after it when `note` is not empty.
fn put(t: &mut Table, key: &str, v: impl Into<Value>, note: &str) {
    let mut v: Value = v.into();
    if !note.is_empty() {
        v.decor_mut().set_suffix(format!("  # {}", clean(note)));
    }
    t.insert(key, Item::Value(v));
}

/// Comment lines written above `key`.
fn decorate_key(t: &mut Table, key: &str, prefix: &str) {
    if let Some(mut k) = t.key_mut(key) {
        k.leaf_decor_mut().set_prefix(prefix);
    }
}

/// One comment line per entry; an empty entry is a blank line.
fn comment_block(lines: &[&str]) -> String {
    lines.iter().map(|l| if l.is_empty() { "\n".to_string() } else { comment(l) }).collect()
}

fn comment(line: &str) -> String {
    format!("# {}\n", clean(line))
}

/// Text that may stand in a TOML comment: no control character but tab (a file name may hold
/// a newline).
fn clean(s: &str) -> String {
    s.chars()
        .flat_map(|c| if c.is_control() && c != '\t' { c.escape_default().collect() } else { vec![c] })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn raw_from(files: &[(&str, &str)]) -> (tempfile::TempDir, RawData) {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = files
            .iter()
            .map(|(name, text)| {
                let p = dir.path().join(name);
                std::fs::write(&p, text).unwrap();
                p
            })
            .collect();
        let raw = crate::ingest::read_all(&paths).unwrap();
        (dir, raw)
    }

    #[test]
    fn one_indicator_per_code_in_one_pillar_and_the_whole_file_validates() {
        let (dir, mut raw) = raw_from(&[("d.csv", "unit,year,b,a\nX1,2020,1,2\nX2,2020,3,\nX3,2020,5,7\n")]);
        let s = starter(&raw).unwrap();
        assert_eq!(s.indicators, ["b", "a"]);
        assert_eq!((s.index.as_str(), s.pillar.as_str()), ("INDEX", "P1"));
        let doc: toml::Table = s.toml.parse().unwrap();
        assert_eq!(doc["indicator"]["a"]["parent"].as_str(), Some("P1"));
        assert_eq!(doc["indicator"]["a"]["direction"].as_integer(), Some(1));
        assert_eq!(doc["indicator"]["b"]["weight"].as_integer(), Some(1));
        assert_eq!(doc["node"]["P1"]["parent"].as_str(), Some("INDEX"));
        assert_eq!(doc["changelog"].as_array().map(Vec::len), Some(1));
        check(&s, &dir.path().join("m.toml"), &mut raw).unwrap();
    }

    #[test]
    fn codes_already_in_the_data_are_not_reused() {
        let taken: BTreeSet<&str> = ["INDEX", "INDEX_2", "P1"].into_iter().collect();
        assert_eq!(fresh("INDEX", &taken), "INDEX_3");
        assert_eq!(fresh("P1", &taken), "P1_2");
        assert_eq!(fresh("Q", &taken), "Q");
    }

    #[test]
    fn series_without_a_value_are_listed_not_declared() {
        let (_d, raw) = raw_from(&[("d.csv", "unit,year,a,b\nX1,2020,1,NA\nX2,2020,2,\n")]);
        let s = starter(&raw).unwrap();
        assert_eq!(s.indicators, ["a"]);
        assert!(s.todo.iter().any(|t| t.contains("no value in the data: b")), "{:?}", s.todo);
        let (_d, raw) = raw_from(&[("d.csv", "unit,year,a\nX1,2020,NA\n")]);
        let e = starter(&raw).unwrap_err().to_string();
        assert!(e.contains("no indicator has a value: a"), "{e}");
    }

    #[test]
    fn comments_hold_no_line_break() {
        assert_eq!(clean("a\nb\tc"), "a\\nb\tc");
        assert_eq!(comment("x\r\n[index]"), "# x\\r\\n[index]\n");
    }
}
