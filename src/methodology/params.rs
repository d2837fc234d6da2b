//! Method tables: merging an element's table over `[defaults]`, then reading the parameters
//! of the named method with type and range checks that name the key's line.
//!
//! Merge rule: keys given on the element override the same keys in `[defaults]`. When the
//! element names a different method, only the shared keys (`range`, `bounds`,
//! `reference_year`, and the treatment's `by`) carry over from the defaults.

use super::SourceMap;
use super::methods::*;
use super::raw::RawMethodTable;
use crate::codes::Code;
use crate::error::Diag;
use std::collections::BTreeMap;
use std::ops::Range;

/// Keys that carry over from `[defaults]` even when the element names another method.
const CARRY_OVER: [&str; 4] = ["range", "bounds", "reference_year", "by"];

#[derive(Debug, Clone)]
struct Item {
    value: toml::Value,
    span: Range<usize>,
    from_default: bool,
    /// Kept from `[defaults]` only because it is a shared key (the element names another
    /// method): unused by that method, it is dropped silently.
    carried: bool,
}

/// The readable name of a method (COINr aliases and case folded), to tell whether an
/// element's table names another method than `[defaults]`.
fn canonical(v: &toml::Value) -> String {
    let name = v.as_str().unwrap_or_default().to_ascii_lowercase();
    let readable = match name.as_str() {
        "n_minmax" => "minmax",
        "n_zscore" => "zscore",
        "n_goalposts" => "goalposts",
        "n_rank" => "rank",
        "n_borda" => "borda",
        "n_prank" => "percentile",
        "n_dist2targ" => "distance_to_target",
        "n_fracmax" => "fraction_of_max",
        "a_amean" | "mean" => "arithmetic",
        "a_gmean" => "geometric",
        "a_hmean" => "harmonic",
        "a_genmean" | "generalized" => "generalised",
        "ci_mpi" => "mpi",
        "ci_ampi" => "ampi",
        "ci_bod" => "bod",
        "a_copeland" => "copeland",
        "factor" => "pca",
        "optimized" => "optimised",
        "i_mean" => "mean",
        "i_median" => "median",
        "i_mean_grp" => "group_mean",
        "i_median_grp" => "group_median",
        "winsorize" => "winsorise",
        "ln" => "log",
        other => other,
    };
    readable.to_string()
}

/// A merged method table with the origin of each key.
pub(crate) struct Bag<'a> {
    method: Option<(String, Range<usize>)>,
    items: BTreeMap<String, Item>,
    /// Where to point when a required key is missing.
    anchor: Range<usize>,
    src: &'a SourceMap<'a>,
    pub errors: Vec<Diag>,
    pub notes: Vec<String>,
    /// `defaults.normalise`, `indicator.X.normalise`: for messages.
    pub what: String,
    /// Children named by the table (`targets`, `min_share`), with where: checked against the
    /// framework once it is built.
    pub named: Vec<(String, Range<usize>)>,
}

fn items_of(t: &RawMethodTable, from_default: bool) -> BTreeMap<String, Item> {
    t.get_ref()
        .iter()
        .map(|(k, v)| {
            let item = Item { value: v.get_ref().clone(), span: v.span(), from_default, carried: false };
            (k.clone(), item)
        })
        .collect()
}

impl<'a> Bag<'a> {
    pub fn merge(
        src: &'a SourceMap<'a>,
        what: String,
        default: Option<&RawMethodTable>,
        own: Option<&RawMethodTable>,
        fallback_anchor: Range<usize>,
    ) -> Bag<'a> {
        let mut items = default.map(|d| items_of(d, true)).unwrap_or_default();
        if let Some(own) = own {
            let own_items = items_of(own, false);
            let changes_method = match (own_items.get("method"), items.get("method")) {
                (Some(o), Some(d)) => canonical(&o.value) != canonical(&d.value),
                (Some(_), None) => true,
                _ => false,
            };
            if changes_method {
                items.retain(|k, _| CARRY_OVER.contains(&k.as_str()));
                items.values_mut().for_each(|i| i.carried = true);
            }
            items.extend(own_items);
        }
        let anchor = own.or(default).map_or(fallback_anchor, |t| t.span());
        let method = items.remove("method").map(|m| {
            let name = m.value.as_str().map(str::to_string).unwrap_or_default();
            (name, m.span)
        });
        Bag { method, items, anchor, src, errors: vec![], notes: vec![], what, named: vec![] }
    }

    pub(super) fn err(&mut self, span: Range<usize>, msg: String) {
        self.errors.push(Diag::new(self.src.loc(span.start), msg));
    }

    /// The method name, lower-cased, or `default` when none is given.
    pub fn method(&mut self, default: &str) -> String {
        match &self.method {
            Some((name, span)) if name.is_empty() => {
                let span = span.clone();
                self.err(span, format!("{}.method must be a string", self.what));
                default.to_string()
            }
            Some((name, _)) => name.to_ascii_lowercase(),
            None => default.to_string(),
        }
    }

    pub fn unknown_method(&mut self, name: &str, known: &str) {
        let span = self.method.as_ref().map_or(self.anchor.clone(), |m| m.1.clone());
        let stage = self.what.rsplit('.').next().and_then(super::keys::stage);
        let near = stage.map(|s| crate::suggest::hint(name, s.methods.iter().copied())).unwrap_or_default();
        let d = Diag::new(self.src.loc(span.start), format!("{}: unknown method '{name}'{near}", self.what))
            .hint(format!("known methods: {known}"));
        self.errors.push(d);
    }

    /// Checks that only `allowed` keys remain. Keys that only a default table gave are noted,
    /// not rejected: `--set defaults.normalise.method=zscore` must not fail on `range`.
    pub fn finish(&mut self, allowed: &[&str], all_known: &[&str]) {
        let leftover: Vec<(String, Item)> = self
            .items
            .iter()
            .filter(|(k, _)| !allowed.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, item) in leftover.into_iter().filter(|(_, i)| !i.carried) {
            let method = self.method.as_ref().map_or("the default method", |m| m.0.as_str());
            if item.from_default && all_known.contains(&k.as_str()) {
                self.notes.push(format!("{}: `{k}` from [defaults] is not used by {method}", self.what));
            } else {
                let hint = if allowed.is_empty() {
                    format!("{method} takes no parameters")
                } else {
                    format!("{method} takes: {}", allowed.join(", "))
                };
                let near = crate::suggest::hint(&k, allowed.iter().copied());
                let msg = format!("{}: unknown key `{k}`{near}", self.what);
                let d = Diag::new(self.src.loc(item.span.start), msg);
                self.errors.push(d.hint(hint));
            }
        }
    }

    fn take(&mut self, key: &str) -> Option<Item> {
        self.items.remove(key)
    }

    /// A key's value and where it is written, removed from the bag.
    pub(super) fn take_value(&mut self, key: &str) -> Option<(toml::Value, Range<usize>)> {
        self.take(key).map(|i| (i.value, i.span))
    }

    pub fn f64(&mut self, key: &str) -> Option<f64> {
        let item = self.take(key)?;
        let v = match &item.value {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        };
        match v {
            Some(f) if f.is_finite() => Some(f),
            _ => {
                self.err(item.span, format!("{}.{key} must be a finite number", self.what));
                None
            }
        }
    }

    pub fn required_f64(&mut self, key: &str) -> f64 {
        if self.items.contains_key(key) {
            return self.f64(key).unwrap_or(f64::NAN);
        }
        let anchor = self.anchor.clone();
        self.err(anchor, format!("{} needs `{key}`", self.what));
        f64::NAN
    }

    pub fn bool(&mut self, key: &str, default: bool) -> bool {
        match self.take(key) {
            None => default,
            Some(Item { value: toml::Value::Boolean(b), .. }) => b,
            Some(item) => {
                self.err(item.span, format!("{}.{key} must be true or false", self.what));
                default
            }
        }
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        let item = self.take(key)?;
        match item.value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(item.span, format!("{}.{key} must be a string", self.what));
                None
            }
        }
    }

    /// `range = [lo, hi]` with lo < hi; `[0, 100]` when absent.
    pub fn range(&mut self) -> (f64, f64) {
        let Some(item) = self.take("range") else { return (0.0, 100.0) };
        let pair = item.value.as_array().and_then(|a| match a.as_slice() {
            [a, b] => Some((num(a)?, num(b)?)),
            _ => None,
        });
        match pair {
            Some((lo, hi)) if lo < hi && lo.is_finite() && hi.is_finite() => (lo, hi),
            _ => {
                self.err(item.span, format!("{}.range must be [low, high] with low < high", self.what));
                (0.0, 100.0)
            }
        }
    }

    /// `bounds`; `"panel"` when absent: with several years, only pooled (or reference)
    /// bounds keep the levels comparable across years, which trends compare. With one year
    /// the two are the same.
    pub fn bounds(&mut self) -> Bounds {
        let name = self.string("bounds").unwrap_or_else(|| "panel".into());
        let year = self.take("reference_year");
        match (name.as_str(), year) {
            ("year", None) => Bounds::Year,
            ("panel", None) => Bounds::Panel,
            ("reference", Some(Item { value: toml::Value::Integer(y), span, .. })) => {
                match i32::try_from(y) {
                    Ok(y) => Bounds::Reference(y),
                    Err(_) => {
                        self.err(span, format!("{}.reference_year {y} is not a year", self.what));
                        Bounds::Year
                    }
                }
            }
            ("reference", None) => {
                let anchor = self.anchor.clone();
                self.err(anchor, format!("{}: bounds = \"reference\" needs `reference_year`", self.what));
                Bounds::Year
            }
            ("year" | "panel", Some(item)) => {
                self.err(
                    item.span,
                    format!("{}.reference_year is only used with bounds = \"reference\"", self.what),
                );
                Bounds::Year
            }
            (_, Some(item)) if matches!(name.as_str(), "reference") => {
                self.err(item.span, format!("{}.reference_year must be an integer year", self.what));
                Bounds::Year
            }
            (other, _) => {
                let anchor = self.anchor.clone();
                self.err(
                    anchor,
                    format!("{}.bounds: unknown value '{other}' (year, panel or reference)", self.what),
                );
                Bounds::Year
            }
        }
    }
}

/// Every key some method of the stage reads (`super::keys::STAGES`).
pub(super) fn stage_keys(stage: &str) -> &'static [&'static str] {
    super::keys::stage(stage).expect("the six stages are listed").keys
}

fn num(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

pub(crate) fn normalise(bag: &mut Bag) -> NormaliseSpec {
    let name = bag.method("minmax");
    // Only fitted methods read `bounds`: on goalposts or none, an explicit `bounds` is an
    // unknown key (and one from [defaults] a note), not silently ignored.
    let fitted = !matches!(name.as_str(), "none" | "goalposts" | "n_goalposts");
    let bounds = if fitted { bag.bounds() } else { Bounds::Year };
    let (method, keys): (Normalise, &[&str]) = match name.as_str() {
        "none" => (Normalise::None, &[]),
        "minmax" | "n_minmax" => {
            let (lo, hi) = bag.range();
            (Normalise::MinMax { lo, hi }, &["range"])
        }
        "zscore" | "n_zscore" => {
            let mean = bag.f64("mean").unwrap_or(0.0);
            let sd = bag.f64("sd").unwrap_or(1.0);
            if sd <= 0.0 {
                let anchor = bag.anchor.clone();
                bag.err(anchor, format!("{}.sd must be > 0", bag.what));
            }
            (Normalise::ZScore { mean, sd }, &["mean", "sd"])
        }
        "goalposts" | "n_goalposts" => {
            let (min, max) = (bag.required_f64("min"), bag.required_f64("max"));
            if min >= max {
                let anchor = bag.anchor.clone();
                bag.err(anchor, format!("{}: goalposts need min < max", bag.what));
            }
            let (lo, hi) = bag.range();
            let truncate = bag.bool("truncate", true);
            let log = bag.bool("log", false);
            if log && min <= 0.0 {
                let anchor = bag.anchor.clone();
                bag.err(anchor, format!("{}: log goalposts need min > 0", bag.what));
            }
            let method = Normalise::Goalposts { min, max, lo, hi, truncate, log };
            (method, &["min", "max", "range", "truncate", "log"])
        }
        "rank" | "n_rank" => (Normalise::Rank, &[]),
        "borda" | "n_borda" => (Normalise::Borda, &[]),
        "percentile" | "n_prank" => {
            let (lo, hi) = bag.range();
            (Normalise::Percentile { lo, hi }, &["range"])
        }
        "distance_to_target" | "n_dist2targ" => {
            let target = bag.required_f64("target");
            let cap = bag.bool("cap", false);
            let (lo, hi) = bag.range();
            (Normalise::DistanceToTarget { target, cap, lo, hi }, &["target", "cap", "range"])
        }
        "fraction_of_max" | "n_fracmax" => {
            let (lo, hi) = bag.range();
            (Normalise::FractionOfMax { lo, hi }, &["range"])
        }
        other => {
            let other = other.to_string();
            bag.unknown_method(&other, "none, minmax, zscore, goalposts, rank, percentile, borda, distance_to_target, fraction_of_max (and COINr's n_* names)");
            (Normalise::None, &[])
        }
    };
    let mut allowed: Vec<&str> = keys.to_vec();
    if fitted {
        allowed.extend(["bounds", "reference_year"]);
    }
    bag.finish(&allowed, stage_keys("normalise"));
    let bounds = if method.is_fitted() { bounds } else { Bounds::Year };
    NormaliseSpec { method, bounds }
}

pub(crate) fn aggregate(bag: &mut Bag) -> Aggregate {
    let name = bag.method("arithmetic");
    let (method, keys): (Aggregate, &[&str]) = match name.as_str() {
        "arithmetic" | "a_amean" | "mean" => (Aggregate::Arithmetic, &[]),
        "geometric" | "a_gmean" => (Aggregate::Geometric, &[]),
        "harmonic" | "a_hmean" => (Aggregate::Harmonic, &[]),
        "generalised" | "generalized" | "a_genmean" => {
            let p = bag.required_f64("p");
            (Aggregate::Generalised { p }, &["p"])
        }
        "median" => (Aggregate::Median, &[]),
        "min" | "minimum" => (Aggregate::Min, &[]),
        "sum" => (Aggregate::Sum, &[]),
        other => match super::node_params::aggregate(other, bag) {
            Some(found) => found,
            None => {
                let other = other.to_string();
                bag.unknown_method(&other, "arithmetic, geometric, harmonic, generalised (with p), median, min, sum, mpi, ampi, bod, copeland (and COINr's a_amean, a_gmean, a_hmean, a_genmean, a_copeland; Compind's ci_mpi, ci_ampi, ci_bod)");
                (Aggregate::Arithmetic, &[])
            }
        },
    };
    bag.finish(keys, stage_keys("aggregate"));
    method
}

/// `max_age`: a whole number of years ≥ 1 (default 1).
fn max_age(bag: &mut Bag) -> u32 {
    match bag.f64("max_age") {
        None => 1,
        Some(v) if v >= 1.0 && v.fract() == 0.0 && v <= 1000.0 => v as u32,
        Some(v) => {
            let anchor = bag.anchor.clone();
            bag.err(anchor, format!("{}.max_age must be a whole number of years >= 1, not {v}", bag.what));
            1
        }
    }
}

pub(crate) fn impute(bag: &mut Bag) -> Impute {
    let name = bag.method("none");
    let method = match name.as_str() {
        "none" => Impute::None,
        "mean" | "i_mean" => Impute::Mean,
        "median" | "i_median" => Impute::Median,
        "group_mean" | "i_mean_grp" | "group_median" | "i_median_grp" => {
            let group = bag.string("group").unwrap_or_else(|| {
                let anchor = bag.anchor.clone();
                bag.err(anchor, format!("{} needs `group`, a column of the units file", bag.what));
                String::new()
            });
            if name.contains("mean") { Impute::GroupMean { group } } else { Impute::GroupMedian { group } }
        }
        "latest" => Impute::Latest { max_age: max_age(bag) },
        "linear" => Impute::Linear,
        "em" => Impute::Em {
            variables: scope(bag, "variables", Scope::Siblings),
            tolerance: positive(bag, "tolerance", 1e-8),
            max_iterations: whole(bag, "max_iterations", 1000),
        },
        "knn" => Impute::Knn { k: whole(bag, "k", 5), features: scope(bag, "features", Scope::All) },
        "regression" => Impute::Regression { predictors: predictors(bag) },
        other => {
            let other = other.to_string();
            bag.unknown_method(&other, "none, mean, median, group_mean, group_median, latest (with max_age), linear, em, knn (with k), regression (with predictors) (and COINr's i_mean, i_median, i_mean_grp, i_median_grp)");
            Impute::None
        }
    };
    let allowed: &[&str] = match method {
        Impute::GroupMean { .. } | Impute::GroupMedian { .. } => &["group"],
        Impute::Latest { .. } => &["max_age"],
        Impute::Em { .. } => &["variables", "tolerance", "max_iterations"],
        Impute::Knn { .. } => &["k", "features"],
        Impute::Regression { .. } => &["predictors"],
        _ => &[],
    };
    bag.finish(allowed, stage_keys("impute"));
    method
}

/// `variables` / `features`: `"siblings"` or `"all"`.
fn scope(bag: &mut Bag, key: &str, default: Scope) -> Scope {
    let Some((value, span)) = bag.take_value(key) else { return default };
    match value.as_str() {
        Some("siblings") => Scope::Siblings,
        Some("all") => Scope::All,
        _ => {
            bag.err(span, format!("{}.{key} must be \"siblings\" or \"all\", not {value}", bag.what));
            default
        }
    }
}

/// A number > 0 (`tolerance`).
fn positive(bag: &mut Bag, key: &str, default: f64) -> f64 {
    match bag.f64(key) {
        None => default,
        Some(v) if v > 0.0 => v,
        Some(v) => {
            let anchor = bag.anchor.clone();
            bag.err(anchor, format!("{}.{key} must be > 0, not {v}", bag.what));
            default
        }
    }
}

/// A whole number ≥ 1 (`k`, `max_iterations`).
fn whole(bag: &mut Bag, key: &str, default: u32) -> u32 {
    match bag.f64(key) {
        None => default,
        Some(v) if v >= 1.0 && v.fract() == 0.0 && v <= 1e9 => v as u32,
        Some(v) => {
            let anchor = bag.anchor.clone();
            bag.err(anchor, format!("{}.{key} must be a whole number >= 1, not {v}", bag.what));
            default
        }
    }
}

/// `predictors = ["a", "b"]`: required, no repeats; checked against the indicators once the
/// framework is built.
fn predictors(bag: &mut Bag) -> Vec<String> {
    let Some((value, span)) = bag.take_value("predictors") else {
        let anchor = bag.anchor.clone();
        bag.err(anchor, format!("{} needs `predictors`, a list of indicator codes", bag.what));
        return Vec::new();
    };
    let list: Option<Vec<String>> =
        value.as_array().and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect());
    match list {
        Some(l) if !l.is_empty() => {
            let mut seen = std::collections::BTreeSet::new();
            if let Some(dup) = l.iter().find(|c| !seen.insert(c.as_str())) {
                bag.err(span.clone(), format!("{}.predictors names '{dup}' twice", bag.what));
            }
            l.iter().for_each(|c| bag.named.push((c.clone(), span.clone())));
            l
        }
        _ => {
            bag.err(span, format!("{}.predictors must be a non-empty list of indicator codes", bag.what));
            Vec::new()
        }
    }
}

pub(crate) fn treat(bag: &mut Bag) -> TreatSpec {
    let name = bag.method("none");
    let (method, keys): (Treat, &[&str]) = match name.as_str() {
        "none" => (Treat::None, &[]),
        "winsorise" | "winsorize" => (winsorise(bag), &["winmax", "skew", "kurtosis", "fallback", "by"]),
        "clip" => (clip(bag), &["percentiles", "by"]),
        "caps" => (caps(bag), &["min", "max"]),
        other => {
            let other = other.to_string();
            bag.unknown_method(&other, "none, winsorise (COINr's default), clip, caps");
            (Treat::None, &[])
        }
    };
    let by = if keys.contains(&"by") { treat_by(bag) } else { TreatBy::Year };
    bag.finish(keys, stage_keys("treat"));
    TreatSpec { method, by }
}

impl Bag<'_> {
    pub(super) fn complain(&mut self, msg: String) {
        let anchor = self.anchor.clone();
        self.err(anchor, format!("{}{msg}", self.what));
    }

    /// `key = [a, b]`, two numbers.
    fn pair(&mut self, key: &str) -> Option<(f64, f64)> {
        let item = self.take(key)?;
        let pair = item.value.as_array().and_then(|a| match a.as_slice() {
            [a, b] => Some((num(a)?, num(b)?)),
            _ => None,
        });
        if pair.is_none() {
            self.err(item.span, format!("{}.{key} must be [low, high], two numbers", self.what));
        }
        pair
    }
}

/// COINr's defaults: `winmax = 5`, `skew = 2`, `kurtosis = 3.5`, `fallback = "log"`.
fn winsorise(bag: &mut Bag) -> Treat {
    let winmax = bag.f64("winmax").unwrap_or(5.0);
    if winmax < 0.0 || winmax.fract() != 0.0 || winmax > f64::from(u32::MAX) {
        bag.complain(format!(".winmax must be a whole number >= 0, not {winmax}"));
    }
    let skew = bag.f64("skew").unwrap_or(2.0);
    if skew <= 0.0 {
        bag.complain(format!(".skew must be > 0 (a threshold on |skew|), not {skew}"));
    }
    let kurtosis = bag.f64("kurtosis").unwrap_or(3.5);
    let fallback = match bag.string("fallback").map(|s| s.to_ascii_lowercase()).as_deref() {
        None | Some("log" | "log_ct") => Fallback::Log,
        Some("none") => Fallback::None,
        Some(other) => {
            bag.complain(format!(".fallback: unknown value '{other}' (log or none)"));
            Fallback::Log
        }
    };
    Treat::Winsorise { winmax: winmax.clamp(0.0, f64::from(u32::MAX)) as u32, skew, kurtosis, fallback }
}

fn clip(bag: &mut Bag) -> Treat {
    let Some((lower, upper)) = bag.pair("percentiles") else {
        if !bag.errors.iter().any(|e| e.message.contains("percentiles")) {
            bag.complain(" needs `percentiles = [low, high]` (0-100), e.g. [5, 95]".into());
        }
        return Treat::None;
    };
    if !(0.0 <= lower && lower < upper && upper <= 100.0) {
        bag.complain(format!(".percentiles must satisfy 0 <= low < high <= 100, not [{lower}, {upper}]"));
    }
    Treat::Clip { lower, upper }
}

fn caps(bag: &mut Bag) -> Treat {
    let (min, max) = (bag.f64("min"), bag.f64("max"));
    match (min, max) {
        (None, None) => bag.complain(" needs `min`, `max` or both".into()),
        (Some(a), Some(b)) if a >= b => bag.complain(format!(": caps need min < max, not {a} >= {b}")),
        _ => {}
    }
    Treat::Caps { min, max }
}

fn treat_by(bag: &mut Bag) -> TreatBy {
    match bag.string("by").as_deref() {
        None | Some("year") => TreatBy::Year,
        Some("panel") => TreatBy::Panel,
        Some(other) => {
            bag.complain(format!(".by: unknown value '{other}' (year or panel)"));
            TreatBy::Year
        }
    }
}

pub(crate) fn transform(bag: &mut Bag) -> Transform {
    let name = bag.method("none");
    let log = match name.as_str() {
        "none" => LogKind::None,
        "log" | "ln" => LogKind::Log,
        "log1p" => LogKind::Log1p,
        other => {
            let other = other.to_string();
            bag.unknown_method(&other, "none, log, log1p");
            LogKind::None
        }
    };
    let denominator = bag.string("denominator").map(|d| Code(d.into()));
    let scale = bag.f64("scale").unwrap_or(1.0);
    bag.finish(&["denominator", "scale"], stage_keys("transform"));
    Transform { log, denominator, scale }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[derive(serde::Deserialize)]
    struct One {
        t: RawMethodTable,
    }

    /// Every method name `--set` accepts (`keys::STAGES`) is one that `params` reads.
    #[test]
    fn every_listed_method_name_is_read() {
        for stage in &super::super::keys::STAGES {
            for name in stage.methods {
                let text = format!("t = {{ method = \"{name}\" }}\n");
                let one: One = toml::from_str(&text).unwrap();
                let src = SourceMap { path: Path::new("m.toml"), text: &text };
                let mut bag = Bag::merge(&src, format!("defaults.{}", stage.name), None, Some(&one.t), 0..0);
                match stage.name {
                    "transform" => _ = transform(&mut bag),
                    "impute" => _ = impute(&mut bag),
                    "treat" => _ = treat(&mut bag),
                    "normalise" => _ = normalise(&mut bag),
                    "weights" => _ = super::super::node_params::weights(&mut bag),
                    _ => _ = aggregate(&mut bag),
                }
                assert!(
                    !bag.errors.iter().any(|e| e.message.contains("unknown method")),
                    "{name}: {:?}",
                    bag.errors
                );
            }
        }
    }

    #[test]
    fn unknown_names_and_keys_get_the_near_miss() {
        let text = "t = { method = \"minmaxx\" }\nu = { method = \"zscore\", sdd = 2 }\n";
        #[derive(serde::Deserialize)]
        struct Two {
            t: RawMethodTable,
            u: RawMethodTable,
        }
        let two: Two = toml::from_str(text).unwrap();
        let src = SourceMap { path: Path::new("m.toml"), text };
        let mut bag = Bag::merge(&src, "defaults.normalise".into(), None, Some(&two.t), 0..0);
        normalise(&mut bag);
        assert!(
            bag.errors[0].message.ends_with("unknown method 'minmaxx' (did you mean `minmax`?)"),
            "{:?}",
            bag.errors
        );
        let mut bag = Bag::merge(&src, "defaults.normalise".into(), None, Some(&two.u), 0..0);
        normalise(&mut bag);
        assert!(
            bag.errors[0].message.ends_with("unknown key `sdd` (did you mean `sd`?)"),
            "{:?}",
            bag.errors
        );
    }
}
