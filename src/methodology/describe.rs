//! A methodology as text: version, changelog and the framework tree with weights, effective
//! weights and methods. `gti methodology show` prints it; the report shows it.

use super::{Aggregate, Bounds, Element, Kind, Methodology, Normalise};
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
    let _ = writeln!(s, "\nframework (code: weight → effective weight in the index; method):");
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

fn method(e: &Element) -> String {
    match &e.kind {
        Kind::Node(n) => format!("{}, min coverage {}", aggregate(n.aggregate), n.min_coverage),
        Kind::Indicator(i) => {
            let dir = if i.direction.sign() < 0.0 { ", direction -1" } else { "" };
            format!("{}{dir}", normalise(&i.normalise.method, i.normalise.bounds))
        }
    }
}

fn aggregate(a: Aggregate) -> String {
    match a {
        Aggregate::Generalised { p } => format!("generalised mean p = {p}"),
        other => format!("{other:?}").to_lowercase(),
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
