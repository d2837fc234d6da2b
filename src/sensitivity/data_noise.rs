//! Noise on the data values (`path = "data"`): measurement error as an uncertain input.
//!
//! Each replication perturbs the raw statistical values before the pipeline, then runs the
//! whole pipeline (imputation, treatment, normalisation, aggregation) on them, as the
//! respondent bootstrap does with the answers. With ε a standard draw:
//!
//! - additive: x' = x + s·ε; multiplicative: x' = x·max(0, 1 + s·ε) (relative error: a zero
//!   stays zero, a negative value keeps its sign);
//! - `normal`: ε ~ N(0, 1), so s is the standard deviation (a standard error);
//!   `uniform`: ε ~ U(−1, 1), so x' lies within x ± s (x(1 ± s));
//! - s is one number for the input, or each value's own cell of a column of the long data
//!   files (`scale = { column = "se" }`, a published standard error; additive only);
//! - with `bounds = [lo, hi]`, x' is clamped into them (a rate cannot fall below 0).
//!
//! Only statistical values are perturbed: an expert item's uncertainty is who answered, which
//! is the respondent bootstrap's job, so naming one is an error. Missing values stay missing
//! and imputed values get no noise of their own (they are imputed from the noisy values).
//! The draws come from the replication's own stream, one per perturbed value in the order
//! the data were read, so a replication's values do not depend on the thread that draws them.

use crate::error::{DataError, Diag, Location, MethodologyError};
use crate::ingest::{FileKind, Observation, RawData};
use crate::methodology::{Methodology, Source};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The standard draw ε.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// N(0, 1).
    Normal,
    /// U(−1, 1).
    Uniform,
}

/// How ε moves a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// x + s·ε.
    Additive,
    /// x·max(0, 1 + s·ε).
    Multiplicative,
}

/// s: one number, or each value's cell of a column of the long data files.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    Fixed(f64),
    Column(String),
}

/// A `path = "data"` input as the spec declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Noise {
    pub distribution: Distribution,
    pub kind: Kind,
    pub scale: Scale,
    /// The codes it perturbs, and where the list is; `None`: every statistical code that no
    /// other data input names.
    pub indicators: Option<(Vec<String>, Location)>,
    pub bounds: Option<(f64, f64)>,
}

impl Distribution {
    pub fn name(self) -> &'static str {
        match self {
            Distribution::Normal => "normal",
            Distribution::Uniform => "uniform",
        }
    }
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Additive => "additive",
            Kind::Multiplicative => "multiplicative",
        }
    }
}

/// The keys of a spec entry that only `path = "data"` takes.
#[derive(Debug, Default)]
pub struct Keys {
    pub distribution: Option<toml::Spanned<String>>,
    pub kind: Option<toml::Spanned<String>>,
    pub scale: Option<toml::Spanned<toml::Value>>,
    pub indicators: Option<toml::Spanned<Vec<String>>>,
    pub bounds: Option<toml::Spanned<Vec<f64>>>,
}

impl Keys {
    /// The first of these keys given, for "applies to path = \"data\" only".
    pub fn any(&self) -> Option<usize> {
        [
            self.distribution.as_ref().map(|s| s.span().start),
            self.kind.as_ref().map(|s| s.span().start),
            self.scale.as_ref().map(|s| s.span().start),
            self.indicators.as_ref().map(|s| s.span().start),
            self.bounds.as_ref().map(|s| s.span().start),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

const HINT: &str = "path = \"data\", kind = \"additive\" or \"multiplicative\", scale = 0.05 or \
                    { column = \"se\" }, optional distribution = \"normal\" or \"uniform\", \
                    indicators = [...], bounds = [lo, hi]";

/// Checks a data entry's keys for form (the codes are checked against the data in
/// [`resolve`]). `at` is the entry's `path`, for errors about a key that is missing.
///
/// # Errors
/// A missing `kind` or `scale`; an unknown distribution or kind; a scale that is negative,
/// over 1 for multiplicative noise, or a column with multiplicative noise; an empty
/// `indicators`; `bounds` that are not two numbers lo ≤ hi. Each at its key.
pub fn check(path: &Path, text: &str, at: usize, k: Keys) -> Result<Noise, MethodologyError> {
    let loc = |at: usize| crate::methodology::SourceMap { path, text }.loc(at);
    let fail = |at: usize, msg: String| MethodologyError(vec![Diag::new(loc(at), msg).hint(HINT)]);
    let distribution = match k.distribution.as_ref().map(|d| (d.span().start, d.get_ref().as_str())) {
        None | Some((_, "normal")) => Distribution::Normal,
        Some((_, "uniform")) => Distribution::Uniform,
        Some((s, d)) => return Err(fail(s, format!("distribution '{d}': give \"normal\" or \"uniform\""))),
    };
    let kind = match k.kind.as_ref().map(|d| (d.span().start, d.get_ref().as_str())) {
        None => return Err(fail(at, "path = \"data\" needs `kind`".into())),
        Some((_, "additive")) => Kind::Additive,
        Some((_, "multiplicative")) => Kind::Multiplicative,
        Some((s, d)) => return Err(fail(s, format!("kind '{d}': give \"additive\" or \"multiplicative\""))),
    };
    let Some(raw) = k.scale else { return Err(fail(at, "path = \"data\" needs `scale`".into())) };
    let s_at = raw.span().start;
    let scale = match raw.get_ref() {
        toml::Value::Float(f) => Scale::Fixed(*f),
        toml::Value::Integer(i) => Scale::Fixed(*i as f64),
        toml::Value::Table(t) if t.len() == 1 && t.get("column").is_some_and(toml::Value::is_str) => {
            Scale::Column(t["column"].as_str().unwrap_or_default().to_string())
        }
        _ => return Err(fail(s_at, "`scale` is a number or { column = \"NAME\" }".into())),
    };
    match (&scale, kind) {
        (Scale::Fixed(f), _) if !(f.is_finite() && *f >= 0.0) => {
            return Err(fail(s_at, format!("scale = {f} must be a number ≥ 0")));
        }
        (Scale::Fixed(f), Kind::Multiplicative) if *f > 1.0 => {
            return Err(fail(
                s_at,
                format!("scale = {f}: multiplicative noise takes a relative scale in [0, 1]"),
            ));
        }
        (Scale::Column(_), Kind::Multiplicative) => {
            return Err(fail(
                s_at,
                "a standard-error column is in the data's units: use kind = \"additive\"".into(),
            ));
        }
        _ => {}
    }
    let indicators = match k.indicators {
        Some(l) if l.get_ref().is_empty() => {
            return Err(fail(l.span().start, "`indicators` is empty".into()));
        }
        Some(l) => Some((l.get_ref().clone(), loc(l.span().start))),
        None => None,
    };
    let bounds = match k.bounds {
        None => None,
        Some(b) => match b.get_ref().as_slice() {
            &[lo, hi] if lo <= hi => Some((lo, hi)),
            _ => return Err(fail(b.span().start, "`bounds` is [lo, hi] with lo ≤ hi (inf allowed)".into())),
        },
    };
    Ok(Noise { distribution, kind, scale, indicators, bounds })
}

/// Spec-level checks across the data inputs: at most one without `indicators` (the default
/// for the rest), and no code named by two.
///
/// # Errors
/// The second default, or the second naming of a code, at its entry.
pub fn check_all<'a>(
    inputs: impl Iterator<Item = (&'a Location, &'a Noise)>,
) -> Result<(), MethodologyError> {
    let (mut default, mut named) = (false, BTreeSet::new());
    for (at, n) in inputs {
        let fail =
            |loc: &Location, msg: String| MethodologyError(vec![Diag::new(loc.clone(), msg).hint(HINT)]);
        match &n.indicators {
            None if default => {
                return Err(fail(
                    at,
                    "a second data input without `indicators`: only one may be the default".into(),
                ));
            }
            None => default = true,
            Some((codes, loc)) => {
                if let Some(c) = codes.iter().find(|c| !named.insert(c.as_str())) {
                    return Err(fail(loc, format!("'{c}' is named by two data inputs (or twice)")));
                }
            }
        }
    }
    Ok(())
}

/// One data input resolved against the data: which observations it perturbs, and how.
#[derive(Debug, Clone)]
pub struct Targets {
    pub distribution: Distribution,
    pub kind: Kind,
    pub bounds: Option<(f64, f64)>,
    /// Indices into [`RawData::obs`] of the values it perturbs (present values only), in
    /// reading order.
    pub obs: Vec<usize>,
    /// s of each of them (all the same for a fixed scale).
    pub scale: Vec<f64>,
}

impl Targets {
    /// Perturbs `obs` (a copy of the data's observations) with draws from `rng`, one per
    /// target in order.
    pub fn apply(&self, obs: &mut [Observation], rng: &mut ChaCha8Rng) {
        for (&i, &s) in self.obs.iter().zip(&self.scale) {
            let e = match self.distribution {
                Distribution::Normal => rng.sample::<f64, _>(StandardNormal),
                Distribution::Uniform => 2.0 * rng.random::<f64>() - 1.0,
            };
            let x = obs[i].value;
            let y = match self.kind {
                Kind::Additive => x + s * e,
                Kind::Multiplicative => x * (1.0 + s * e).max(0.0),
            };
            obs[i].value = self.bounds.map_or(y, |(lo, hi)| y.clamp(lo, hi));
        }
    }
}

/// Resolves the spec's data inputs (in spec order) against `m` and `data`.
///
/// # Errors
/// At the spec's `indicators`: an expert item, a code with no statistical value (with a
/// near miss), a default input left with nothing to perturb. In the data: the scale column
/// missing from a long file that holds targets, a target in a wide file or a workbook sheet
/// (the column is read from long CSV files), a missing, negative or malformed scale cell,
/// each at its cell.
pub fn resolve(
    m: &Methodology,
    data: &RawData,
    inputs: &[(&Location, &Noise)],
) -> crate::Result<Vec<Targets>> {
    let expert: BTreeSet<&str> = m
        .framework
        .elements
        .iter()
        .filter(|e| e.indicator().is_some_and(|i| i.source == Source::Expert))
        .map(|e| e.code.as_str())
        .collect();
    let present: BTreeSet<u32> = data.obs.iter().map(|o| o.code).collect();
    let named: BTreeSet<u32> = inputs
        .iter()
        .filter_map(|(_, n)| n.indicators.as_ref())
        .flat_map(|(codes, _)| codes.iter().filter_map(|c| data.codes.get(c)))
        .collect();
    let mut out = Vec::with_capacity(inputs.len());
    for &(at, n) in inputs {
        let codes = codes_of(n, at, data, &expert, &present, &named)?;
        let obs: Vec<usize> = (0..data.obs.len())
            .filter(|&i| codes.contains(&data.obs[i].code) && !data.obs[i].value.is_nan())
            .collect();
        let scale = match &n.scale {
            Scale::Fixed(f) => vec![*f; obs.len()],
            Scale::Column(name) => column(data, name, &obs)?,
        };
        out.push(Targets { distribution: n.distribution, kind: n.kind, bounds: n.bounds, obs, scale });
    }
    Ok(out)
}

/// The code ids an input perturbs.
fn codes_of(
    n: &Noise,
    at: &Location,
    data: &RawData,
    expert: &BTreeSet<&str>,
    present: &BTreeSet<u32>,
    named: &BTreeSet<u32>,
) -> Result<BTreeSet<u32>, MethodologyError> {
    let fail = |loc: &Location, msg: String, hint: String| {
        MethodologyError(vec![Diag::new(loc.clone(), msg).hint(hint)])
    };
    let Some((codes, loc)) = &n.indicators else {
        let statistical =
            |id: &&u32| !named.contains(*id) && !expert.contains(data.codes.code(**id).as_str());
        let rest: BTreeSet<u32> = present.iter().filter(statistical).copied().collect();
        if rest.is_empty() {
            let msg = "the default data input has no statistical value left to perturb".to_string();
            return Err(fail(at, msg, "remove it, or name its indicators".into()));
        }
        return Ok(rest);
    };
    let mut out = BTreeSet::new();
    for c in codes {
        if expert.contains(c.as_str()) {
            let msg = format!("'{c}' is an expert item: data noise applies to statistical values");
            return Err(fail(
                loc,
                msg,
                "its uncertainty is who answered: add [[input]] path = \"respondents\"".into(),
            ));
        }
        match data.codes.get(c).filter(|id| present.contains(id)) {
            Some(id) => out.insert(id),
            None => {
                let all = present.iter().map(|&id| data.codes.code(id).as_str());
                let hint = crate::suggest::near_miss(c, all)
                    .map_or("name codes of the statistical data files".into(), |n| {
                        format!("did you mean '{n}'?")
                    });
                return Err(fail(loc, format!("no statistical value has the code '{c}'"), hint));
            }
        };
    }
    Ok(out)
}

/// Each target's cell of column `name`, read again from the long CSV files that hold them
/// (ingest keeps extra columns out of the observations, which are kept small).
fn column(data: &RawData, name: &str, obs: &[usize]) -> crate::Result<Vec<f64>> {
    let files: BTreeSet<u32> = obs.iter().map(|&i| data.obs[i].file).collect();
    let mut cells: HashMap<(u32, u64), Result<Option<f64>, Diag>> = HashMap::new();
    for f in files {
        let file = &data.files[f as usize];
        let where_ = Location::file(&file.path);
        if file.kind != FileKind::Long || file.sheet.is_some() {
            let msg =
                format!("scale = {{ column = \"{name}\" }} reads long CSV files; {} is not one", file.name());
            let d = Diag::new(where_, msg).hint("write these values in a long CSV file with the column");
            return Err(DataError(vec![d]).into());
        }
        let names = data.headers.get(&f).map(Vec::as_slice).unwrap_or_default();
        let Some(col) = names.iter().position(|n| n.trim().eq_ignore_ascii_case(name)) else {
            let msg = format!("no column '{name}' (the spec's scale column) in this file");
            return Err(DataError(vec![
                Diag::new(file.at(1, None), msg).hint("add it, or give scale a number"),
            ])
            .into());
        };
        read_column(&file.path, col, f, data, &mut cells)?;
    }
    obs.iter()
        .map(|&i| {
            let o = &data.obs[i];
            let at = || data.files[o.file as usize].at(o.line, Some(cells_col(data, o.file, name)));
            match cells.remove(&(o.file, o.line)) {
                Some(Ok(Some(s))) if s >= 0.0 => Ok(s),
                Some(Ok(Some(s))) => Err(located(at(), format!("the scale cell is {s}: it must be ≥ 0"))),
                Some(Ok(None)) | None => {
                    Err(located(at(), format!("the value has no '{name}' cell: noise needs its scale")))
                }
                Some(Err(d)) => Err(DataError(vec![d]).into()),
            }
        })
        .collect()
}

fn cells_col(data: &RawData, file: u32, name: &str) -> usize {
    data.headers[&file].iter().position(|n| n.trim().eq_ignore_ascii_case(name)).unwrap_or(0)
}

fn located(at: Location, msg: String) -> crate::Error {
    DataError(vec![Diag::new(at, msg).hint("fill it (0 for no noise on this value)")]).into()
}

/// Reads column `col` of a long CSV file as ingest reads it (same delimiter, `\n` records,
/// BOM skipped, cells trimmed and parsed under the data's conventions), by line.
fn read_column(
    path: &Path,
    col: usize,
    f: u32,
    data: &RawData,
    cells: &mut HashMap<(u32, u64), Result<Option<f64>, Diag>>,
) -> crate::Result<()> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = crate::ingest::records::csv_reader(data.conventions.delimiter, body);
    let src = crate::ingest::Source::csv(path, &data.conventions);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| DataError(vec![Diag::new(Location::file(path), e.to_string())]))?;
        let line = rec.position().map_or(0, |p| p.line());
        let raw = crate::ingest::cell::cell(&rec, col);
        let v = crate::ingest::cell::parse_value_with(raw, &data.conventions)
            .map_err(|(msg, hint)| Diag::new(src.at(line, col), msg).hint(hint));
        cells.insert((f, line), v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::sample::stream;

    fn targets(distribution: Distribution, kind: Kind, s: f64, bounds: Option<(f64, f64)>) -> Targets {
        Targets { distribution, kind, bounds, obs: vec![0, 1, 2], scale: vec![s; 3] }
    }

    fn obs(values: [f64; 3]) -> Vec<Observation> {
        values.map(|value| Observation { unit: 0, code: 0, year: 2024, file: 0, line: 1, value }).to_vec()
    }

    #[test]
    fn multiplicative_noise_keeps_zeros_and_signs() {
        let t = targets(Distribution::Normal, Kind::Multiplicative, 0.5, None);
        for row in 0..500 {
            let mut o = obs([0.0, -3.0, 2.0]);
            t.apply(&mut o, &mut stream(1, 0, row, 0));
            assert_eq!(o[0].value, 0.0);
            assert!(o[1].value <= 0.0 && o[2].value >= 0.0, "{:?}", (o[1].value, o[2].value));
        }
    }

    #[test]
    fn uniform_noise_stays_within_its_bounds_and_clamps() {
        let t = targets(Distribution::Uniform, Kind::Additive, 0.5, None);
        let b = targets(Distribution::Uniform, Kind::Additive, 0.5, Some((0.0, 10.0)));
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for row in 0..2000 {
            let mut o = obs([0.0, 5.0, 10.0]);
            t.apply(&mut o, &mut stream(2, 0, row, 0));
            assert!((4.5..5.5).contains(&o[1].value), "{}", o[1].value);
            lo = lo.min(o[1].value);
            hi = hi.max(o[1].value);
            let mut c = obs([0.0, 5.0, 10.0]);
            b.apply(&mut c, &mut stream(2, 0, row, 0));
            assert!(c.iter().all(|o| (0.0..=10.0).contains(&o.value)));
        }
        // 2000 draws of U(4.5, 5.5) come within 0.01 of both ends (miss probability e^-40).
        assert!(lo < 4.51 && hi > 5.49, "{lo} {hi}");
    }

    #[test]
    fn spec_keys_are_checked_at_their_line() {
        let parse = |t: &str| crate::sensitivity::spec::parse(Path::new("s.toml"), t, String::new());
        let e = |t: &str| parse(t).unwrap_err().to_string();
        let head = "[[input]]\npath = \"data\"\n";
        assert!(e(&format!("{head}scale = 0.1\n")).contains("needs `kind`"));
        let bad = e(&format!("{head}kind = \"additive\"\nscale = -1\n"));
        assert!(bad.contains("s.toml:4") && bad.contains("≥ 0"), "{bad}");
        let bad = e(&format!("{head}kind = \"multiplicative\"\nscale = {{ column = \"se\" }}\n"));
        assert!(bad.contains("s.toml:4") && bad.contains("additive"), "{bad}");
        let bad = e(&format!("{head}kind = \"additive\"\nscale = 1\ndistribution = \"cauchy\"\n"));
        assert!(bad.contains("s.toml:5") && bad.contains("cauchy"), "{bad}");
        let bad = e("[[input]]\npath = \"weights\"\nnoise = 0.1\nscale = 1\n");
        assert!(bad.contains("s.toml:4") && bad.contains("data\" only"), "{bad}");
        let two = format!("{head}kind = \"additive\"\nscale = 1\n{head}kind = \"additive\"\nscale = 2\n");
        assert!(e(&two).contains("s.toml:6") && e(&two).contains("second data input"), "{}", e(&two));
        let ok =
            parse(&format!("{head}kind = \"additive\"\nscale = {{ column = \"se\" }}\nbounds = [0, inf]\n"));
        let ok = ok.unwrap();
        assert_eq!(ok.data().count(), 1);
    }
}
