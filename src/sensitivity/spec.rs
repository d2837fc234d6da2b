//! The sensitivity spec: which inputs are uncertain, and how.
//!
//! ```toml
//! [[input]]
//! path = "defaults.normalise"            # any `--set` path
//! values = [{ method = "minmax", range = [1, 100] }, { method = "zscore", mean = 10, sd = 2 }]
//!
//! [[input]]
//! name = "weights"
//! path = "weights"                       # weights × U(1 − f, 1 + f)
//! noise = 0.25
//! levels = [2, 3]                        # optional: only these levels (1 = indicators)…
//! # nodes = ["P1", "P2"]                 # …or only these elements
//!
//! [[input]]
//! path = "respondents"                   # resample each item's respondents
//!
//! [[input]]
//! path = "data"                          # noise on the raw statistical values
//! kind = "additive"                      # or "multiplicative"
//! scale = { column = "se" }              # or a number
//! ```
//!
//! A discrete input takes each of its `values` with equal probability; the weights input
//! multiplies the declared weight of every element below the index (or of those at the given
//! levels, or of the given elements) by its own uniform draw; the respondents input
//! bootstraps the expert answers (see [`super::respondents`]); a data input perturbs the raw
//! statistical values (see [`super::data_noise`]).

use crate::error::{Diag, Location, MethodologyError};
use crate::methodology::Override;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// How one uncertain input varies.
#[derive(Debug, Clone, PartialEq)]
pub enum Uncertain {
    /// One of these `--set` overrides (same path), each with probability 1/k.
    Choice(Vec<Override>),
    /// Weights below the index times U(1 − noise, 1 + noise): every one, or those `only`
    /// names.
    Weights { noise: f64, only: Option<Only> },
    /// Each (unit, year, item)'s respondents resampled with replacement.
    Respondents,
    /// Noise on raw statistical values ([`super::data_noise`]).
    Data(super::data_noise::Noise),
}

/// Which weights a weights input perturbs (the others keep factor 1).
#[derive(Debug, Clone, PartialEq)]
pub enum Only {
    /// The elements at these levels (1 = indicators, a node one above its highest child).
    Levels(Vec<u32>, Location),
    /// These elements, by code.
    Nodes(Vec<String>, Location),
}

/// One uncertain input of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// `name`, or the path when the spec gives none.
    pub name: String,
    pub kind: Uncertain,
    /// Where the entry's `path` is, for messages.
    pub loc: Location,
}

/// A validated spec.
#[derive(Debug, Clone)]
pub struct Spec {
    pub path: PathBuf,
    pub sha256: String,
    pub inputs: Vec<Input>,
}

impl Spec {
    /// The discrete inputs, in spec order.
    pub fn choices(&self) -> impl Iterator<Item = (&Input, &[Override])> {
        self.inputs.iter().filter_map(|i| match &i.kind {
            Uncertain::Choice(v) => Some((i, v.as_slice())),
            _ => None,
        })
    }

    /// The weight noise factor, if the spec has a weights input.
    pub fn noise(&self) -> Option<f64> {
        self.inputs.iter().find_map(|i| match i.kind {
            Uncertain::Weights { noise, .. } => Some(noise),
            _ => None,
        })
    }

    /// Which weights the weights input perturbs (`None`: all of them, or no weights input).
    pub fn only(&self) -> Option<&Only> {
        self.inputs.iter().find_map(|i| match &i.kind {
            Uncertain::Weights { only, .. } => only.as_ref(),
            _ => None,
        })
    }

    /// Whether the spec resamples the respondents.
    pub fn respondents(&self) -> bool {
        self.inputs.iter().any(|i| i.kind == Uncertain::Respondents)
    }

    /// The data-noise inputs, in spec order.
    pub fn data(&self) -> impl Iterator<Item = (&Input, &super::data_noise::Noise)> {
        self.inputs.iter().filter_map(|i| match &i.kind {
            Uncertain::Data(n) => Some((i, n)),
            _ => None,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    input: Vec<RawInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    path: toml::Spanned<String>,
    name: Option<String>,
    values: Option<Vec<toml::Value>>,
    noise: Option<f64>,
    levels: Option<toml::Spanned<Vec<u32>>>,
    nodes: Option<toml::Spanned<Vec<String>>>,
    distribution: Option<toml::Spanned<String>>,
    kind: Option<toml::Spanned<String>>,
    scale: Option<toml::Spanned<toml::Value>>,
    indicators: Option<toml::Spanned<Vec<String>>>,
    bounds: Option<toml::Spanned<Vec<f64>>>,
}

fn diag(path: &Path, text: &str, offset: usize, msg: String, hint: &str) -> MethodologyError {
    let loc = crate::methodology::SourceMap { path, text }.loc(offset);
    MethodologyError(vec![Diag::new(loc, msg).hint(hint.to_string())])
}

/// Reads and checks a spec file.
///
/// # Errors
/// I/O errors; TOML syntax errors and unknown keys; an entry with neither or both of
/// `values` and `noise`, an empty `values`, a noise outside [0, 1], two weights or
/// respondents inputs, `levels` or `nodes` outside a weights input, both or an empty list, or
/// a value that is not a valid `--set` value. Each names the file and line. (Whether the
/// levels and nodes exist is checked against the methodology, in [`super::prepare`].)
pub fn load(path: &Path) -> crate::Result<Spec> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    let sha256 = crate::hash::sha256_hex(&bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(parse(path, &text, sha256)?)
}

/// Parses spec text (`path` is used in messages).
///
/// # Errors
/// As [`load`], I/O aside.
pub fn parse(path: &Path, text: &str, sha256: String) -> Result<Spec, MethodologyError> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        diag(path, text, at, e.message().to_string(), "see docs/sensitivity.md for the spec format")
    })?;
    let mut inputs = Vec::with_capacity(raw.input.len());
    for r in raw.input {
        let input = check(path, text, r)?;
        let same = |i: &Input| std::mem::discriminant(&i.kind) == std::mem::discriminant(&input.kind);
        let many = matches!(input.kind, Uncertain::Choice(_) | Uncertain::Data(_));
        if !many && inputs.iter().any(same) {
            let what = if input.kind == Uncertain::Respondents { "respondents" } else { "weights" };
            return Err(MethodologyError(vec![
                Diag::new(input.loc, format!("a second {what} input"))
                    .hint(format!("give one [[input]] with path = \"{what}\"")),
            ]));
        }
        inputs.push(input);
    }
    super::data_noise::check_all(inputs.iter().filter_map(|i| match &i.kind {
        Uncertain::Data(n) => Some((&i.loc, n)),
        _ => None,
    }))?;
    Ok(Spec { path: path.to_path_buf(), sha256, inputs })
}

/// `levels` or `nodes` of a weights input, checked for form (not yet against a methodology).
fn only(path: &Path, text: &str, r: &mut RawInput) -> Result<Option<Only>, MethodologyError> {
    let loc = |at: usize| crate::methodology::SourceMap { path, text }.loc(at);
    let hint = "levels = [2, 3] (1 = indicators) or nodes = [\"P1\", \"P2\"], not both";
    match (r.levels.take(), r.nodes.take()) {
        (None, None) => Ok(None),
        (Some(l), Some(_)) => {
            Err(diag(path, text, l.span().start, "give `levels` or `nodes`, not both".into(), hint))
        }
        (Some(l), None) if l.get_ref().is_empty() => {
            Err(diag(path, text, l.span().start, "`levels` is empty".into(), hint))
        }
        (None, Some(n)) if n.get_ref().is_empty() => {
            Err(diag(path, text, n.span().start, "`nodes` is empty".into(), hint))
        }
        (Some(l), None) => Ok(Some(Only::Levels(l.get_ref().clone(), loc(l.span().start)))),
        (None, Some(n)) => Ok(Some(Only::Nodes(n.get_ref().clone(), loc(n.span().start)))),
    }
}

fn check(path: &Path, text: &str, mut r: RawInput) -> Result<Input, MethodologyError> {
    let at = r.path.span().start;
    let p = r.path.get_ref().clone();
    let fail = |msg: String, hint: &str| diag(path, text, at, msg, hint);
    let only = only(path, text, &mut r)?;
    let keys = super::data_noise::Keys {
        distribution: r.distribution.take(),
        kind: r.kind.take(),
        scale: r.scale.take(),
        indicators: r.indicators.take(),
        bounds: r.bounds.take(),
    };
    if p == "data" {
        if r.values.is_some() || r.noise.is_some() {
            return Err(fail("path = \"data\" takes no `values` or `noise`".into(), "use kind and scale"));
        }
        let kind = Uncertain::Data(super::data_noise::check(path, text, at, keys)?);
        let loc = crate::methodology::SourceMap { path, text }.loc(at);
        return Ok(Input { name: r.name.unwrap_or(p), kind, loc });
    }
    if let Some(k) = keys.any() {
        return Err(diag(
            path,
            text,
            k,
            format!("{p}: this key applies to path = \"data\" only"),
            "remove it",
        ));
    }
    if only.is_some() && p != "weights" {
        return Err(fail(
            format!("{p}: `levels` and `nodes` apply to path = \"weights\" only"),
            "remove them",
        ));
    }
    let kind = match (p.as_str(), r.values, r.noise) {
        ("respondents", None, None) => Uncertain::Respondents,
        ("respondents", _, _) => {
            return Err(fail("path = \"respondents\" takes no `values` or `noise`".into(), "remove them"));
        }
        ("weights", None, Some(f)) if (0.0..=1.0).contains(&f) => Uncertain::Weights { noise: f, only },
        ("weights", None, Some(f)) => {
            return Err(fail(format!("noise = {f} is outside [0, 1]"), "e.g. 0.25"));
        }
        ("weights", _, _) => return Err(fail("path = \"weights\" takes `noise`".into(), "noise = 0.25")),
        (p, _, _) if p == "input" || p.starts_with("input.") => {
            return Err(fail(
                format!("{p}: [input] says how the data are written, which is not uncertain"),
                "the data are read once; declare [input] in the methodology (or --na, --delimiter, --decimal-comma)",
            ));
        }
        (_, Some(v), None) if v.is_empty() => return Err(fail(format!("{p}: `values` is empty"), "list 2+")),
        (_, Some(v), None) => Uncertain::Choice(overrides(&p, &v).map_err(|m| fail(m, "a TOML value"))?),
        _ => return Err(fail(format!("{p}: give `values`"), "noise applies to path = \"weights\" only")),
    };
    let loc = crate::methodology::SourceMap { path, text }.loc(at);
    Ok(Input { name: r.name.unwrap_or_else(|| p.clone()), kind, loc })
}

fn overrides(path: &str, values: &[toml::Value]) -> Result<Vec<Override>, String> {
    values.iter().map(|v| format!("{path}={v}").parse::<Override>()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Result<Spec, MethodologyError> {
        parse(Path::new("s.toml"), text, String::new())
    }

    #[test]
    fn reads_choices_and_weights() {
        let s = spec(
            "[[input]]\npath = \"defaults.normalise\"\nvalues = [{ method = \"minmax\", range = [1, 100] }, \
             { method = \"zscore\" }]\n[[input]]\npath = \"weights\"\nnoise = 0.25\n",
        )
        .unwrap();
        let (input, values) = s.choices().next().unwrap();
        assert_eq!(input.name, "defaults.normalise");
        assert_eq!(values.len(), 2);
        assert_eq!(values[0].path, "defaults.normalise");
        assert!(
            values[0].value.contains("minmax") && values[0].value.contains("[1, 100]"),
            "{:?}",
            values[0]
        );
        assert_eq!(s.noise(), Some(0.25));
    }

    #[test]
    fn bad_entries_name_their_line() {
        let e = spec("[[input]]\npath = \"weights\"\nnoise = 2\n").unwrap_err().to_string();
        assert!(e.contains("s.toml:2") && e.contains("outside [0, 1]"), "{e}");
        let e =
            spec("[[input]]\npath = \"defaults.aggregate.method\"\nvalues = []\n").unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = spec("[[input]]\npath = \"x\"\nvaluez = [1]\n").unwrap_err().to_string();
        assert!(e.contains("s.toml:3") && e.contains("valuez"), "{e}");
        let two = "[[input]]\npath = \"weights\"\nnoise = 0.1\n[[input]]\npath = \"weights\"\nnoise = 0.2\n";
        assert!(spec(two).unwrap_err().to_string().contains("second weights"));
    }
}
