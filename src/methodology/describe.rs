//! A methodology as text: version, changelog and the framework tree with weights, effective
//! weights and methods. `gti methodology show` prints it; the report shows it.

use super::methods::LogKind;
use super::{
    Aggregate, AmpiReference, Bounds, Element, Fallback, Impute, IndicatorSpec, Kind, Methodology, Normalise,
    Source, Spread, Transform, Treat, TreatBy, TreatSpec, WeightMethod,
};
use std::fmt::Write;

/// The text `gti methodology show` prints.
pub fn describe(m: &Methodology) -> String {
    let mut s = String::new();
    let i = &m.index;
    let _ = writeln!(s, "{} {} — {}", i.code, i.version, i.name);
    let released = i.released.as_deref().unwrap_or("not released");
    let _ = writeln!(s, "released: {released}; higher is {:?}; sha256 {}", i.higher_is, m.provenance.sha256);
    if !m.changelog.is_empty() {
        let _ = writeln!(s, "\nchangelog:");
        for c in &m.changelog {
            let _ =
                writeln!(s, "  {} ({}): {}", c.version, c.date.as_deref().unwrap_or("undated"), c.summary);
        }
    }
    let _ = writeln!(
        s,
        "\nframework (code: weight → effective weight in the index; each stage's method, in pipeline order):"
    );
    tree(&mut s, m);
    s
}

fn tree(s: &mut String, m: &Methodology) {
    let eff = m.framework.effective_weights();
    // Iterative pre-order with the prefix of each element: deep frameworks cannot overflow.
    let mut stack: Vec<(usize, String, bool)> = vec![(0, String::new(), true)];
    while let Some((id, prefix, last)) = stack.pop() {
        let e = m.element(id);
        let branch = if id == 0 {
            ""
        } else if last {
            "└─ "
        } else {
            "├─ "
        };
        let _ = writeln!(
            s,
            "{prefix}{branch}{}: {} → {:.2}%; {}  ({})",
            e.code,
            e.weight,
            100.0 * eff[id],
            method(e),
            e.name
        );
        let child_prefix =
            if id == 0 { String::new() } else { format!("{prefix}{}", if last { "   " } else { "│  " }) };
        let n = e.children.len();
        for (k, &c) in e.children.iter().enumerate().rev() {
            stack.push((c, child_prefix.clone(), k + 1 == n));
        }
    }
}

/// An element's methods in one line: a node's aggregation, an indicator's stages.
pub fn method(e: &Element) -> String {
    match &e.kind {
        Kind::Node(n) => {
            let w = match &n.weights.method {
                WeightMethod::Declared => String::new(),
                other => match n.weights.fit_year {
                    Some(y) => format!(", children's weights by {} fitted on {y}", other.name()),
                    None => format!(", children's weights by {} fitted on all years", other.name()),
                },
            };
            format!("aggregate {}{w}, min coverage {}", aggregate(&n.aggregate), n.min_coverage)
        }
        Kind::Indicator(i) => indicator(i),
    }
}

/// Every stage an indicator goes through: transform, impute, treat, normalise.
fn indicator(i: &IndicatorSpec) -> String {
    let source = match i.source {
        Source::Expert => "expert answers, ",
        Source::Statistical => "",
    };
    let dir = if i.direction.sign() < 0.0 { ", direction -1" } else { "" };
    format!(
        "{source}transform {}, impute {}, treat {}, normalise {}{dir}",
        transform(&i.transform),
        impute(&i.impute),
        treat(&i.treat),
        normalise(&i.normalise.method, i.normalise.bounds)
    )
}

fn transform(t: &Transform) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &t.denominator {
        parts.push(if t.scale == 1.0 { format!("÷ {d}") } else { format!("÷ {d} × {}", t.scale) });
    } else if t.scale != 1.0 {
        parts.push(format!("× {}", t.scale));
    }
    match t.log {
        LogKind::None => {}
        LogKind::Log => parts.push("log".into()),
        LogKind::Log1p => parts.push("log1p".into()),
    }
    if parts.is_empty() { "none".into() } else { parts.join(" then ") }
}

fn scope(s: crate::methodology::Scope) -> &'static str {
    match s {
        crate::methodology::Scope::Siblings => "siblings",
        crate::methodology::Scope::All => "all",
    }
}

fn impute(i: &Impute) -> String {
    match i {
        Impute::None => "none".into(),
        Impute::Mean => "mean".into(),
        Impute::Median => "median".into(),
        Impute::GroupMean { group } => format!("group mean by {group}"),
        Impute::GroupMedian { group } => format!("group median by {group}"),
        Impute::Latest { max_age } => format!("latest (at most {max_age} year(s) old)"),
        Impute::Linear => "linear".into(),
        Impute::Em { variables, tolerance, max_iterations } => {
            format!(
                "em ({} variables, tolerance {tolerance}, at most {max_iterations} iterations)",
                scope(*variables)
            )
        }
        Impute::Knn { k, features } => format!("knn (k = {k}, features: {})", scope(*features)),
        Impute::Regression { predictors } => format!("regression on {}", predictors.join(", ")),
    }
}

fn treat(t: &TreatSpec) -> String {
    let by = if t.by == TreatBy::Panel { " pooled years" } else { "" };
    match t.method {
        Treat::None => "none".into(),
        Treat::Winsorise { winmax, skew, kurtosis, fallback } => {
            let fb = if fallback == Fallback::Log { ", else log" } else { "" };
            format!("winsorise (|skew| ≥ {skew} and kurtosis ≥ {kurtosis}, up to {winmax} points{fb}){by}")
        }
        Treat::Clip { lower, upper } => format!("clip at percentiles {lower}–{upper}{by}"),
        Treat::Caps { min, max } => {
            let show = |v: Option<f64>| v.map_or("none".to_string(), |x| x.to_string());
            format!("caps (min {}, max {})", show(min), show(max))
        }
    }
}

fn aggregate(a: &Aggregate) -> String {
    let range = |r: &Option<(f64, f64)>| r.map_or(String::new(), |(lo, hi)| format!(" onto [{lo}, {hi}]"));
    let sd = |s: Spread| if s == Spread::Sample { ", sample sd" } else { "" };
    match a {
        Aggregate::Generalised { p } => format!("generalised mean p = {p}"),
        Aggregate::Mpi(m) => {
            format!("mpi{}{}", if m.standardise { "" } else { " (not standardised)" }, sd(m.sd))
        }
        Aggregate::Ampi(m) => match (m.reference, m.reference_year) {
            (AmpiReference::Value(v), _) => format!("ampi (reference {v}){}", sd(m.sd)),
            (AmpiReference::Mean, Some(y)) => format!("ampi (reference: the means of {y}){}", sd(m.sd)),
            (AmpiReference::Mean, None) => format!("ampi (reference: the first year's means){}", sd(m.sd)),
        },
        Aggregate::Bod(b) => {
            let robust =
                b.robust.map_or(String::new(), |r| format!(", robust m = {} × {} draws", r.m, r.draws));
            format!("bod{robust}{}", range(&b.range))
        }
        Aggregate::Copeland { range: r } => format!("copeland{}", range(r)),
        other => other.name().to_string(),
    }
}

fn normalise(n: &Normalise, b: Bounds) -> String {
    let bounds = match b {
        Bounds::Year => "per year".to_string(),
        Bounds::Panel => "pooled years".to_string(),
        Bounds::Reference(y) => format!("fitted on {y}"),
    };
    match n {
        Normalise::None => "not normalised".into(),
        Normalise::MinMax { lo, hi } => format!("minmax [{lo}, {hi}] {bounds}"),
        Normalise::ZScore { mean, sd } => format!("zscore mean {mean} sd {sd} {bounds}"),
        Normalise::Goalposts { min, max, lo, hi, log, .. } => {
            format!("goalposts {min}..{max}{} → [{lo}, {hi}]", if *log { " (log)" } else { "" })
        }
        Normalise::Rank => format!("rank {bounds}"),
        Normalise::Borda => format!("borda {bounds}"),
        Normalise::Percentile { .. } => format!("percentile {bounds}"),
        Normalise::DistanceToTarget { target, .. } => format!("distance to target {target} {bounds}"),
        Normalise::FractionOfMax { .. } => format!("fraction of max {bounds}"),
    }
}
