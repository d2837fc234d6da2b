//! Reading a node's `weights` table and the parameters of the non-compensatory aggregation
//! methods (issue 18), and the checks that need the framework built (children named in
//! `targets` and `min_share`, share bounds that leave a feasible LP, fitted weights on a node
//! whose method ignores weights).

use super::methods::Aggregate;
use super::node_methods::*;
use super::params::{Bag, stage_keys};
use super::{Element, SourceMap};
use crate::codes::{Code, Year};
use crate::error::Diag;
use std::ops::Range;

/// `[node.X] weights = { method = … }` merged over `[defaults] weights`.
pub(crate) fn weights(bag: &mut Bag) -> WeightsSpec {
    let name = bag.method("declared");
    let fit_year = if name == "declared" { None } else { year(bag, "fit_year") };
    let (method, keys): (WeightMethod, &[&str]) = match name.as_str() {
        "declared" => (WeightMethod::Declared, &[]),
        "pca" | "factor" => {
            let factors = whole(bag, "factors", 1);
            let min_eigenvalue = bag.f64("min_eigenvalue").unwrap_or(1.0);
            if min_eigenvalue < 0.0 {
                bag.complain(format!(".min_eigenvalue must be >= 0, not {min_eigenvalue}"));
            }
            let min_cumulative = bag.f64("min_cumulative").unwrap_or(0.6);
            if !(0.0..=1.0).contains(&min_cumulative) {
                bag.complain(format!(".min_cumulative must be between 0 and 1, not {min_cumulative}"));
            }
            let method = WeightMethod::Pca { factors, min_eigenvalue, min_cumulative };
            (method, &["fit_year", "factors", "min_eigenvalue", "min_cumulative"])
        }
        "entropy" => (WeightMethod::Entropy, &["fit_year"]),
        "critic" => (WeightMethod::Critic, &["fit_year"]),
        "optimised" | "optimized" => {
            let targets = child_table(bag, "targets").map(|t| t.1).unwrap_or_default();
            (WeightMethod::Optimised { targets }, &["fit_year", "targets"])
        }
        other => {
            let other = other.to_string();
            bag.unknown_method(
                &other,
                "declared, pca (alias factor), entropy, critic, optimised (alias optimized)",
            );
            (WeightMethod::Declared, &[])
        }
    };
    bag.finish(keys, stage_keys("weights"));
    WeightsSpec { method, fit_year }
}

/// The non-compensatory methods of `aggregate`; `None` for a name that is none of them.
pub(crate) fn aggregate(name: &str, bag: &mut Bag) -> Option<(Aggregate, &'static [&'static str])> {
    Some(match name {
        "mpi" | "ci_mpi" => {
            let standardise = bag.bool("standardise", true);
            (Aggregate::Mpi(Mpi { standardise, sd: spread(bag) }), &["standardise", "sd"])
        }
        "ampi" | "ci_ampi" => {
            let reference = match bag.take_value("reference") {
                None => AmpiReference::Mean,
                Some((toml::Value::String(s), _)) if s == "mean" => AmpiReference::Mean,
                Some((toml::Value::Float(v), _)) if v.is_finite() => AmpiReference::Value(v),
                Some((toml::Value::Integer(v), _)) => AmpiReference::Value(v as f64),
                Some((_, span)) => {
                    let msg = format!("{}.reference must be \"mean\" or a number", bag.what);
                    bag.err(span, msg);
                    AmpiReference::Mean
                }
            };
            let reference_year = year(bag, "reference_year");
            if reference_year.is_some() && reference != AmpiReference::Mean {
                bag.complain(".reference_year is only used with reference = \"mean\"".into());
            }
            let a = Ampi { reference, reference_year, sd: spread(bag) };
            (Aggregate::Ampi(a), &["reference", "reference_year", "sd"])
        }
        "bod" | "ci_bod" => bod(bag),
        "copeland" | "a_copeland" => (Aggregate::Copeland { range: range(bag) }, &["range"]),
        _ => return None,
    })
}

fn bod(bag: &mut Bag) -> (Aggregate, &'static [&'static str]) {
    let min_share = shares(bag, "min_share", 0.0);
    let max_share = shares(bag, "max_share", 1.0);
    let range = range(bag);
    let robust = match bag.take_value("robust") {
        None => None,
        Some((toml::Value::Table(t), span)) => {
            let get = |k: &str| t.get(k).and_then(toml::Value::as_integer);
            let unknown: Vec<&String> = t.keys().filter(|k| !["m", "draws"].contains(&k.as_str())).collect();
            match (get("m"), get("draws")) {
                (Some(m), Some(draws)) if m >= 1 && draws >= 1 && unknown.is_empty() => {
                    Some(Robust { m: m as usize, draws: draws as usize })
                }
                _ => {
                    let msg =
                        format!("{}.robust must be {{ m = M, draws = B }}, two whole numbers >= 1", bag.what);
                    bag.err(span, msg);
                    None
                }
            }
        }
        Some((_, span)) => {
            let msg = format!("{}.robust must be a table {{ m = M, draws = B }}", bag.what);
            bag.err(span, msg);
            None
        }
    };
    let seed = match bag.take_value("seed") {
        None => 1,
        Some((toml::Value::Integer(s), _)) if s >= 0 => s as u64,
        Some((_, span)) => {
            let msg = format!("{}.seed must be a whole number >= 0", bag.what);
            bag.err(span, msg);
            1
        }
    };
    let keys: &[&str] = &["min_share", "max_share", "range", "robust", "seed"];
    (Aggregate::Bod(Bod { min_share, max_share, range, robust, seed }), keys)
}

/// `sd = "population" | "sample"` (default population, the paper's).
fn spread(bag: &mut Bag) -> Spread {
    match bag.string("sd").as_deref() {
        None | Some("population") => Spread::Population,
        Some("sample") => Spread::Sample,
        Some(other) => {
            bag.complain(format!(".sd: unknown value '{other}' (population or sample)"));
            Spread::Population
        }
    }
}

/// An optional `range = [lo, hi]`: absent means the method's own scale.
fn range(bag: &mut Bag) -> Option<(f64, f64)> {
    let (value, span) = bag.take_value("range")?;
    let pair = value.as_array().and_then(|a| match a.as_slice() {
        [a, b] => Some((number(a)?, number(b)?)),
        _ => None,
    });
    match pair {
        Some((lo, hi)) if lo < hi && lo.is_finite() && hi.is_finite() => Some((lo, hi)),
        _ => {
            let msg = format!("{}.range must be [low, high] with low < high", bag.what);
            bag.err(span, msg);
            None
        }
    }
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

fn year(bag: &mut Bag, key: &str) -> Option<Year> {
    match bag.take_value(key)? {
        (toml::Value::Integer(y), span) => match i32::try_from(y) {
            Ok(y) => Some(y),
            Err(_) => {
                let msg = format!("{}.{key} {y} is not a year", bag.what);
                bag.err(span, msg);
                None
            }
        },
        (_, span) => {
            let msg = format!("{}.{key} must be an integer year", bag.what);
            bag.err(span, msg);
            None
        }
    }
}

fn whole(bag: &mut Bag, key: &str, min: usize) -> Option<usize> {
    let v = bag.f64(key)?;
    if v >= min as f64 && v.fract() == 0.0 && v <= 1e6 {
        Some(v as usize)
    } else {
        bag.complain(format!(".{key} must be a whole number >= {min}, not {v}"));
        None
    }
}

/// Values given to children by name.
type Named = Vec<(Code, f64)>;

/// `key = { child = number ≥ 0, … }`: the children named are checked once the framework is
/// built.
fn child_table(bag: &mut Bag, key: &str) -> Option<(Range<usize>, Named)> {
    let (value, span) = bag.take_value(key)?;
    let pairs = child_pairs(bag, key, &value, &span)?;
    Some((span, pairs))
}

fn child_pairs(
    bag: &mut Bag,
    key: &str,
    value: &toml::Value,
    span: &Range<usize>,
) -> Option<Vec<(Code, f64)>> {
    let Some(table) = value.as_table() else {
        let msg = format!("{}.{key} must be a table {{ child = number, … }}", bag.what);
        bag.err(span.clone(), msg);
        return None;
    };
    let mut out = Vec::new();
    for (child, v) in table {
        match number(v) {
            Some(x) if x.is_finite() && x >= 0.0 => out.push((Code(child.as_str().into()), x)),
            _ => {
                let msg = format!("{}.{key}.{child} must be a number >= 0", bag.what);
                bag.err(span.clone(), msg);
            }
        }
        bag.named.push((child.clone(), span.clone()));
    }
    Some(out)
}

/// `min_share` / `max_share`: a number for every child, or a table `{ child = number }`
/// (children left out get `default`). Each share lies in [0, 1].
fn shares(bag: &mut Bag, key: &str, default: f64) -> Shares {
    let mut out = Shares { all: default, by_child: Vec::new() };
    let Some((value, span)) = bag.take_value(key) else { return out };
    if value.is_table() {
        for (c, v) in child_pairs(bag, key, &value, &span).unwrap_or_default() {
            if v > 1.0 {
                let msg = format!("{}.{key}.{c} is {v}: a share lies between 0 and 1", bag.what);
                bag.err(span.clone(), msg);
            }
            out.by_child.push((c, v));
        }
        return out;
    }
    match number(&value) {
        Some(v) if (0.0..=1.0).contains(&v) => out.all = v,
        _ => {
            let msg =
                format!("{}.{key} must be a share between 0 and 1, or a table {{ child = share }}", bag.what);
            bag.err(span, msg);
        }
    }
    out
}

/// What a node's `weights` and `aggregate` tables named, for [`check`].
pub(crate) struct NodeTables {
    /// Element id of the node.
    pub node: usize,
    /// Where the node is declared: for errors about the node as a whole.
    pub span: Range<usize>,
    /// Children named in `targets`, `min_share`, `max_share`, and where.
    pub named: Vec<(String, Range<usize>)>,
}

/// The checks that need the framework: children named that are not children, bounds on BoD
/// shares that leave only w·y = 0 feasible, fitted weights on a node whose aggregation
/// ignores weights, `factors` above the children, `optimised` on a method that is not a mean.
pub(crate) fn check(
    src: &SourceMap,
    elements: &[Element],
    tables: &[NodeTables],
    errors: &mut Vec<Diag>,
    notes: &mut Vec<String>,
) {
    for t in tables {
        let e = &elements[t.node];
        let Some(spec) = e.node() else { continue };
        let at = |span: &Range<usize>| src.loc(span.start);
        let kids: Vec<&Element> = e.children.iter().map(|&c| &elements[c]).collect();
        for (name, span) in &t.named {
            if !kids.iter().any(|k| k.code.as_str() == name) {
                let listed: Vec<&str> = kids.iter().map(|k| k.code.as_str()).collect();
                let near = crate::suggest::hint(name, listed.iter().copied());
                errors.push(
                    Diag::new(
                        at(span),
                        format!("node '{}': '{name}' is not one of its children{near}", e.code),
                    )
                    .hint(format!("its children are: {}", listed.join(", "))),
                );
            }
        }
        let weighted: Vec<&&Element> = kids.iter().filter(|k| k.weight > 0.0).collect();
        if let Aggregate::Bod(b) = &spec.aggregate {
            let lo: f64 = weighted.iter().map(|k| b.min_share.of(&k.code)).sum();
            let hi: f64 = weighted.iter().map(|k| b.max_share.of(&k.code)).sum();
            let crossed = weighted.iter().find(|k| b.min_share.of(&k.code) > b.max_share.of(&k.code));
            if let Some(k) = crossed {
                errors.push(Diag::new(
                    at(&t.span),
                    format!("node.{}.aggregate: min_share of '{}' is above its max_share", e.code, k.code),
                ));
            } else if lo > 1.0 + 1e-12 || hi < 1.0 - 1e-12 {
                errors.push(
                    Diag::new(
                        at(&t.span),
                        format!(
                            "node.{}.aggregate: the min_share of its children add up to {lo} and their max_share to {hi}; \
                             BoD needs Σ min_share ≤ 1 ≤ Σ max_share (otherwise only a score of 0 is feasible)",
                            e.code
                        ),
                    )
                    .hint("loosen the share restrictions"),
                );
            }
            if weighted.iter().any(|k| k.weight != 1.0) {
                notes.push(format!(
                    "node '{}': bod chooses each unit's own weights; the declared weights of its children only \
                     decide which count (weight > 0)",
                    e.code
                ));
            }
        }
        check_weights(e, spec, weighted.len(), &t.span, src, errors);
    }
}

fn check_weights(
    e: &Element,
    spec: &super::NodeSpec,
    weighted: usize,
    span: &Range<usize>,
    src: &SourceMap,
    errors: &mut Vec<Diag>,
) {
    let w = &spec.weights;
    if !w.is_fitted() {
        return;
    }
    let at = src.loc(span.start);
    let method = w.method.name();
    if !spec.aggregate.uses_weights() {
        errors.push(
            Diag::new(
                at,
                format!(
                    "node '{}' aggregates by {}, which does not use its children's weights: {method} weights would change nothing",
                    e.code,
                    spec.aggregate.name()
                ),
            )
            .hint(format!("remove node.{}.weights, or choose another aggregation", e.code)),
        );
        return;
    }
    match &w.method {
        WeightMethod::Optimised { .. } if spec.aggregate.is_cross_unit() => errors.push(Diag::new(
            at,
            format!(
                "node '{}': optimised weights need a mean of each unit's children, not {}",
                e.code,
                spec.aggregate.name()
            ),
        )),
        WeightMethod::Pca { factors: Some(k), .. } if *k > weighted.max(1) => errors.push(Diag::new(
            at,
            format!("node '{}': pca with factors = {k}, but it has {weighted} weighted child(ren)", e.code),
        )),
        _ => {}
    }
}
