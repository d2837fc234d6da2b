//! Raw methodology → checked [`Methodology`]: the framework tree, resolved methods, bands.
//! All problems are collected (not only the first), each with the key's line.

use super::node_params::NodeTables;
use super::params::{self, Bag};
use super::raw::*;
use super::*;
use crate::codes::{Code, code_problem};
use crate::error::Diag;
use std::collections::HashMap;
use std::ops::Range;

struct Ctx<'a> {
    src: &'a SourceMap<'a>,
    errors: Vec<Diag>,
    notes: Vec<String>,
    /// Indicators named by an indicator's impute table (`predictors`): (indicator, named,
    /// where), checked once the framework is built.
    predictors: Vec<(String, String, Range<usize>)>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) -> &mut Diag {
        self.errors.push(Diag::new(self.src.loc(span.start), msg));
        self.errors.last_mut().expect("just pushed")
    }
}

/// A framework entry before the tree is built.
struct Entry<'r> {
    code: String,
    span: Range<usize>,
    parent: Option<&'r toml::Spanned<String>>,
    weight: Option<&'r toml::Spanned<f64>>,
    node: Option<&'r RawNode>,
    indicator: Option<&'r RawIndicator>,
}

pub(super) fn validate(
    path: &Path,
    text: &str,
    provenance: Provenance,
) -> Result<Methodology, MethodologyError> {
    let src = SourceMap { path, text };
    let raw: RawMethodology =
        toml::from_str(text).map_err(|e| MethodologyError(vec![super::syntax::diag(&src, &e)]))?;
    let mut cx = Ctx { src: &src, errors: vec![], notes: vec![], predictors: vec![] };
    if *raw.schema.get_ref() != 1 {
        cx.err(
            raw.schema.span(),
            format!("schema {} is not supported (this gti reads schema 1)", raw.schema.get_ref()),
        );
    }
    let index = index_meta(&mut cx, &raw.index);
    let mut framework = framework(&mut cx, &raw, &index.code);
    let bands = framework.as_ref().map(|f| bands(&mut cx, &raw.band, f)).unwrap_or_default();
    let screen = framework
        .as_ref()
        .map(|f| super::screen::check(cx.src, raw.screen.as_ref(), f, &mut cx.errors))
        .unwrap_or_default();
    let trend = trend(&mut cx, raw.trend.as_ref());
    let input = super::input::check(cx.src, raw.input.as_ref(), &mut cx.errors);
    let (expert, penalty, disclosure) =
        super::expert::resolve(cx.src, &raw, framework.as_mut(), &mut cx.errors, &mut cx.notes);
    if !cx.errors.is_empty() {
        return Err(MethodologyError(cx.errors));
    }
    let changelog = raw
        .changelog
        .iter()
        .map(|c| {
            let c = c.get_ref();
            ChangelogEntry { version: c.version.clone(), date: c.date.clone(), summary: c.summary.clone() }
        })
        .collect();
    Ok(Methodology {
        index,
        changelog,
        framework: framework.expect("no errors means a framework"),
        bands,
        trend,
        expert,
        penalty,
        disclosure,
        screen,
        input,
        provenance,
        notes: super::overrides::collapse_notes(cx.notes),
    })
}

fn index_meta(cx: &mut Ctx, raw: &toml::Spanned<RawIndex>) -> IndexMeta {
    let r = raw.get_ref();
    if let Some(p) = code_problem(r.code.get_ref()) {
        cx.err(r.code.span(), format!("index.code '{}': {p}", r.code.get_ref()));
    }
    let higher_is = match r.higher_is.as_ref().map(|h| (h.get_ref().as_str(), h.span())) {
        None | Some(("better", _)) => HigherIs::Better,
        Some(("worse", _)) => HigherIs::Worse,
        Some((other, span)) => {
            cx.err(span, format!("index.higher_is: '{other}' is neither \"better\" nor \"worse\""));
            HigherIs::Better
        }
    };
    IndexMeta {
        code: Code(r.code.get_ref().as_str().into()),
        name: r.name.clone(),
        version: r.version.get_ref().clone(),
        released: r.released.clone(),
        higher_is,
        description: r.description.clone(),
    }
}

fn entries<'r>(cx: &mut Ctx, raw: &'r RawMethodology) -> Vec<Entry<'r>> {
    let mut out: Vec<Entry> = Vec::new();
    for (code, n) in &raw.node {
        let r = n.get_ref();
        out.push(Entry {
            code: code.clone(),
            span: n.span(),
            parent: r.parent.as_ref(),
            weight: r.weight.as_ref(),
            node: Some(r),
            indicator: None,
        });
    }
    for (code, i) in &raw.indicator {
        let r = i.get_ref();
        if raw.node.contains_key(code) {
            cx.err(i.span(), format!("duplicate code '{code}': declared both as a node and as an indicator"));
        }
        out.push(Entry {
            code: code.clone(),
            span: i.span(),
            parent: r.parent.as_ref(),
            weight: r.weight.as_ref(),
            node: None,
            indicator: Some(r),
        });
    }
    // File order: the order users wrote the framework in is the order of every output.
    out.sort_by_key(|e| e.span.start);
    for e in &out {
        if let Some(p) = code_problem(&e.code) {
            cx.err(e.span.clone(), format!("code '{}': {p}", e.code));
        }
    }
    out
}

fn framework(cx: &mut Ctx, raw: &RawMethodology, index_code: &Code) -> Option<Framework> {
    let entries = entries(cx, raw);
    let by_code: HashMap<&str, usize> =
        entries.iter().enumerate().map(|(i, e)| (e.code.as_str(), i)).collect();
    let mut parent_of: Vec<Option<usize>> = vec![None; entries.len()];
    let mut roots = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match e.parent {
            None if e.indicator.is_some() => {
                cx.err(e.span.clone(), format!("indicator '{}' has no `parent`", e.code));
            }
            None => roots.push(i),
            Some(p) => match by_code.get(p.get_ref().as_str()) {
                Some(&pi) if entries[pi].node.is_some() => parent_of[i] = Some(pi),
                Some(_) => {
                    cx.err(
                        p.span(),
                        format!(
                            "parent '{}' of '{}' is an indicator; parents must be nodes",
                            p.get_ref(),
                            e.code
                        ),
                    );
                }
                None => {
                    let nodes = entries.iter().filter(|n| n.node.is_some()).map(|n| n.code.as_str());
                    let near = crate::suggest::hint(p.get_ref(), nodes);
                    let msg = format!("parent '{}' of '{}' is not declared{near}", p.get_ref(), e.code);
                    cx.err(p.span(), msg).hint =
                        Some(format!("declare it as [node.{}], or fix the spelling", p.get_ref()));
                }
            },
        }
    }
    let root = check_root(cx, &entries, &roots, index_code)?;
    let children = children_lists(&parent_of);
    let order = preorder(root, &children);
    report_unreached(cx, &entries, &order, &parent_of);
    if !cx.errors.is_empty() {
        return None;
    }
    Some(build(cx, raw, &entries, &order, &parent_of, &children))
}

fn check_root(cx: &mut Ctx, entries: &[Entry], roots: &[usize], index_code: &Code) -> Option<usize> {
    if entries.iter().all(|e| e.indicator.is_none()) {
        cx.err(0..0, "the methodology declares no indicators").hint =
            Some("add [indicator.CODE] tables with a `parent`".into());
        return None;
    }
    match roots {
        [] => {
            cx.err(0..0, "no root node: every node has a parent (a cycle?)").hint =
                Some(format!("the index node [node.{index_code}] must have no `parent`"));
            None
        }
        [r] if *entries[*r].code == *index_code.0 => Some(*r),
        [r] => {
            let span = entries[*r].span.clone();
            cx.err(span, format!("the root node '{}' is not the index '{}'", entries[*r].code, index_code))
                .hint = Some("the node without a parent must have the code given in index.code".into());
            None
        }
        many => {
            for &r in &many[1..] {
                let span = entries[r].span.clone();
                cx.err(
                    span,
                    format!(
                        "node '{}' has no `parent`, but '{}' is already the root",
                        entries[r].code, entries[many[0]].code
                    ),
                );
            }
            None
        }
    }
}

fn children_lists(parent_of: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); parent_of.len()];
    for (i, p) in parent_of.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    children
}

/// Pre-order without recursion: a framework 10,000 levels deep must not overflow the stack.
fn preorder(root: usize, children: &[Vec<usize>]) -> Vec<usize> {
    let mut order = Vec::with_capacity(children.len());
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        order.push(n);
        stack.extend(children[n].iter().rev());
    }
    order
}

fn report_unreached(cx: &mut Ctx, entries: &[Entry], order: &[usize], parent_of: &[Option<usize>]) {
    let mut reached = vec![false; entries.len()];
    order.iter().for_each(|&i| reached[i] = true);
    for (i, e) in entries.iter().enumerate() {
        // Entries below an undeclared parent were already reported; only cycles remain.
        if !reached[i] && in_cycle(i, parent_of) {
            let span = e.parent.map_or(e.span.clone(), |p| p.span());
            cx.err(span, format!("'{}' is not under the index: its parents form a cycle", e.code));
        }
    }
}

/// Whether following parents from `i` comes back to a visited entry (bounded walk).
fn in_cycle(i: usize, parent_of: &[Option<usize>]) -> bool {
    let mut seen = vec![false; parent_of.len()];
    let mut at = i;
    while let Some(p) = parent_of[at] {
        if seen[p] {
            return true;
        }
        seen[p] = true;
        at = p;
    }
    false
}

fn build(
    cx: &mut Ctx,
    raw: &RawMethodology,
    entries: &[Entry],
    order: &[usize],
    parent_of: &[Option<usize>],
    children: &[Vec<usize>],
) -> Framework {
    let mut new_id = vec![0usize; entries.len()];
    order.iter().enumerate().for_each(|(new, &old)| new_id[old] = new);
    let defaults = raw.defaults.as_ref().map(|d| d.get_ref());
    let mut tables = Vec::new();
    let mut elements: Vec<Element> = order
        .iter()
        .enumerate()
        .map(|(new, &old)| {
            let e = &entries[old];
            let weight = weight(cx, e);
            let kind = match (e.node, e.indicator) {
                (Some(n), _) => {
                    let (spec, named) = node_spec(cx, &e.code, n, defaults, e.span.clone());
                    tables.push(NodeTables { node: new, span: e.span.clone(), named });
                    Kind::Node(spec)
                }
                (_, Some(i)) => Kind::Indicator(indicator_spec(cx, &e.code, i, defaults, e.span.clone())),
                _ => unreachable!("an entry is a node or an indicator"),
            };
            let name =
                e.node.and_then(|n| n.name.clone()).or_else(|| e.indicator.and_then(|i| i.name.clone()));
            Element {
                code: Code(e.code.as_str().into()),
                name: name.unwrap_or_else(|| e.code.clone()),
                kind,
                parent: parent_of[old].map(|p| new_id[p]),
                children: children[old].iter().map(|&c| new_id[c]).collect(),
                weight,
                level: 1,
                declared: cx.src.loc(e.span.start),
            }
        })
        .collect();
    check_nodes(cx, entries, order, &elements);
    check_predictors(cx, &elements);
    implicit_weights(cx, entries, order, &elements);
    super::node_params::check(cx.src, &elements, &tables, &mut cx.errors, &mut cx.notes);
    let bottom_up: Vec<usize> = (0..elements.len()).rev().filter(|&i| !elements[i].is_indicator()).collect();
    for &n in &bottom_up {
        let lvl = elements[n].children.iter().map(|&c| elements[c].level).max().unwrap_or(1) + 1;
        elements[n].level = lvl;
    }
    let indicators = (0..elements.len()).filter(|&i| elements[i].is_indicator()).collect();
    Framework { elements, indicators, bottom_up }
}

/// `regression`'s predictors are other indicators of the methodology.
fn check_predictors(cx: &mut Ctx, elements: &[Element]) {
    let indicators: Vec<&str> =
        elements.iter().filter(|e| e.is_indicator()).map(|e| e.code.as_str()).collect();
    for (code, name, span) in std::mem::take(&mut cx.predictors) {
        if name == code {
            cx.err(span, format!("indicator.{code}.impute: '{code}' cannot predict itself"));
        } else if !indicators.contains(&name.as_str()) {
            let near = crate::suggest::hint(&name, indicators.iter().copied());
            cx.err(span, format!("indicator.{code}.impute: predictor '{name}' is not an indicator{near}"));
        }
    }
}

fn weight(cx: &mut Ctx, e: &Entry) -> f64 {
    let Some(w) = e.weight else { return 1.0 };
    let v = *w.get_ref();
    if !v.is_finite() || v < 0.0 {
        cx.err(w.span(), format!("weight of '{}' is {v}; weights must be finite and >= 0", e.code));
        // Not 0: that would add a spurious "every child has weight 0" (the error is reported).
        return 1.0;
    }
    v
}

fn check_nodes(cx: &mut Ctx, entries: &[Entry], order: &[usize], elements: &[Element]) {
    for (new, e) in elements.iter().enumerate() {
        if e.is_indicator() {
            continue;
        }
        let span = entries[order[new]].span.clone();
        if e.children.is_empty() {
            cx.err(span, format!("node '{}' has no children", e.code)).hint =
                Some("give it indicators or sub-nodes with `parent`, or remove it".into());
        } else if e.children.iter().all(|&c| elements[c].weight == 0.0) {
            cx.err(span, format!("every child of node '{}' has weight 0", e.code));
        } else if !e.children.iter().map(|&c| elements[c].weight).sum::<f64>().is_finite() {
            cx.err(
                span,
                format!("the weights of the children of node '{}' add up to more than f64 holds", e.code),
            )
            .hint = Some("weights are relative: scale them down".into());
        }
    }
}

/// A child without `weight` weighs 1. Among siblings whose explicit weights look like shares
/// (each below 1, together at most 1), that 1 is almost surely not what was meant: with
/// 0.4, 0.3 and one left out, the one left out counts 1/1.7 = 59 % of the node. Noted, not
/// refused: the file is valid as written.
fn implicit_weights(cx: &mut Ctx, entries: &[Entry], order: &[usize], elements: &[Element]) {
    for e in elements.iter().filter(|e| !e.is_indicator()) {
        let declared = |c: &usize| entries[order[*c]].weight.is_some();
        let (given, left): (Vec<usize>, Vec<usize>) = e.children.iter().copied().partition(declared);
        let sum: f64 = given.iter().map(|&c| elements[c].weight).sum();
        let shares = given.iter().all(|&c| elements[c].weight < 1.0) && sum <= 1.0 + 1e-9;
        if given.is_empty() || left.is_empty() || !shares {
            continue;
        }
        let listed: Vec<String> =
            given.iter().map(|&c| format!("{} {}", elements[c].code, elements[c].weight)).collect();
        let names: Vec<String> = left.iter().map(|&c| format!("'{}'", elements[c].code)).collect();
        let share = 100.0 / (sum + left.len() as f64);
        let fill = if sum < 1.0 - 1e-9 {
            format!(
                "; if shares were meant, give {} weight = {}",
                names.join(", "),
                round4((1.0 - sum) / left.len() as f64)
            )
        } else {
            String::new()
        };
        cx.notes.push(format!(
            "node '{}': {} {} no `weight` and so weigh{} 1, while the weights of {} look like shares \
             (sum {}); each of {} counts {share:.1} % of '{}'{fill}",
            e.code,
            names.join(", "),
            if left.len() == 1 { "has" } else { "have" },
            if left.len() == 1 { "s" } else { "" },
            listed.join(", "),
            round4(sum),
            names.join(", "),
            e.code,
        ));
    }
}

/// For messages: four decimals at most, without trailing zeros.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// A node's methods, and the children its tables name (checked once the tree is built).
fn node_spec(
    cx: &mut Ctx,
    code: &str,
    n: &RawNode,
    d: Option<&RawDefaults>,
    span: Range<usize>,
) -> (NodeSpec, Vec<(String, Range<usize>)>) {
    let mut bag = Bag::merge(
        cx.src,
        format!("node.{code}.aggregate"),
        d.and_then(|d| d.aggregate.as_ref()),
        n.aggregate.as_ref(),
        span.clone(),
    );
    let aggregate = params::aggregate(&mut bag);
    let mut named = std::mem::take(&mut bag.named);
    absorb(cx, bag);
    let mut bag = Bag::merge(
        cx.src,
        format!("node.{code}.weights"),
        d.and_then(|d| d.weights.as_ref()),
        n.weights.as_ref(),
        span,
    );
    let weights = super::node_params::weights(&mut bag);
    named.append(&mut bag.named);
    absorb(cx, bag);
    let missing = n.missing.as_ref().or(d.and_then(|d| d.missing.as_ref()));
    let min_coverage = missing.map_or(DEFAULT_MIN_COVERAGE, |m| {
        let v = &m.get_ref().min_coverage;
        if !(0.0..=1.0).contains(v.get_ref()) {
            cx.err(v.span(), format!("min_coverage must be between 0 and 1, not {}", v.get_ref()));
        }
        *v.get_ref()
    });
    (NodeSpec { aggregate, weights, min_coverage }, named)
}

/// Used when neither the node nor `[defaults]` says: a node needs half its weight present.
pub const DEFAULT_MIN_COVERAGE: f64 = 0.5;

fn absorb(cx: &mut Ctx, bag: Bag) {
    cx.errors.extend(bag.errors);
    cx.notes.extend(bag.notes);
}

fn indicator_spec(
    cx: &mut Ctx,
    code: &str,
    i: &RawIndicator,
    d: Option<&RawDefaults>,
    span: Range<usize>,
) -> IndicatorSpec {
    let direction = match i.direction.as_ref().map(|d| (*d.get_ref(), d.span())) {
        None | Some((1, _)) => Direction::Positive,
        Some((-1, _)) => Direction::Negative,
        Some((v, s)) => {
            cx.err(s, format!("direction of '{code}' is {v}; it must be 1 or -1"));
            Direction::Positive
        }
    };
    let source = match i.source.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
        None | Some(("statistical", _)) => Source::Statistical,
        Some(("expert", _)) => Source::Expert,
        Some((other, s)) => {
            cx.err(s, format!("source of '{code}' is '{other}'; it must be \"statistical\" or \"expert\""));
            Source::Statistical
        }
    };
    let pick = |f: fn(&RawDefaults) -> Option<&RawMethodTable>| d.and_then(f);
    let mut bag = Bag::merge(
        cx.src,
        format!("indicator.{code}.transform"),
        pick(|d| d.transform.as_ref()),
        i.transform.as_ref(),
        span.clone(),
    );
    let transform = params::transform(&mut bag);
    absorb(cx, bag);
    let mut bag = Bag::merge(
        cx.src,
        format!("indicator.{code}.impute"),
        pick(|d| d.impute.as_ref()),
        i.impute.as_ref(),
        span.clone(),
    );
    let impute = params::impute(&mut bag);
    let named = std::mem::take(&mut bag.named);
    cx.predictors.extend(named.into_iter().map(|(name, at)| (code.to_string(), name, at)));
    absorb(cx, bag);
    let mut bag = Bag::merge(
        cx.src,
        format!("indicator.{code}.treat"),
        pick(|d| d.treat.as_ref()),
        i.treat.as_ref(),
        span.clone(),
    );
    let treat = params::treat(&mut bag);
    absorb(cx, bag);
    let mut bag = Bag::merge(
        cx.src,
        format!("indicator.{code}.normalise"),
        pick(|d| d.normalise.as_ref()),
        i.normalise.as_ref(),
        span.clone(),
    );
    let normalise = params::normalise(&mut bag);
    absorb(cx, bag);
    if direction == Direction::Negative && matches!(normalise.method, Normalise::FractionOfMax { .. }) {
        cx.err(span, format!("indicator '{code}': fraction_of_max is undefined for direction -1")).hint =
            Some(
                "a ratio of negated values is meaningless (a known COINr defect); use minmax or goalposts"
                    .into(),
            );
    }
    IndicatorSpec {
        source,
        direction,
        unit: i.unit.clone(),
        transform,
        impute,
        treat,
        normalise,
        expert: None,
        allow_empty: i.allow_empty.unwrap_or(false),
    }
}

fn bands(cx: &mut Ctx, raw: &[toml::Spanned<RawBand>], fw: &Framework) -> Vec<Band> {
    let mut out: Vec<(Band, Range<usize>)> = Vec::new();
    for b in raw {
        let r = b.get_ref();
        let (min, max) = (r.min.unwrap_or(f64::NEG_INFINITY), r.max.unwrap_or(f64::INFINITY));
        if min.is_nan() || max.is_nan() || min >= max {
            cx.err(b.span(), format!("band '{}': min must be below max", r.label));
        }
        let nodes = r.nodes.as_ref().map(|ns| ns.iter().map(|n| Code(n.as_str().into())).collect::<Vec<_>>());
        for n in nodes.iter().flatten() {
            match fw.find(n.as_str()) {
                Some(id) if !fw.elements[id].is_indicator() => {}
                _ => {
                    cx.err(b.span(), format!("band '{}' names '{}', which is not a node", r.label, n));
                }
            }
        }
        out.push((Band { label: r.label.clone(), min, max, color: r.color.clone(), nodes }, b.span()));
    }
    out.sort_by(|a, b| a.0.min.total_cmp(&b.0.min));
    // Every pair, not only neighbours: bands for other nodes may sit between two that overlap.
    for (i, a) in out.iter().enumerate() {
        for b in &out[i + 1..] {
            let shared = match (&a.0.nodes, &b.0.nodes) {
                (Some(x), Some(y)) => x.iter().any(|n| y.contains(n)),
                _ => true,
            };
            if shared && b.0.min < a.0.max {
                cx.err(b.1.clone(), format!("bands '{}' and '{}' overlap", a.0.label, b.0.label));
            }
        }
    }
    out.into_iter().map(|(b, _)| b).collect()
}

fn trend(cx: &mut Ctx, raw: Option<&toml::Spanned<RawTrend>>) -> TrendRules {
    let stable = raw.map_or(0.0, |t| {
        let s = &t.get_ref().stable;
        if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) {
            cx.err(s.span(), "trend.stable must be a number >= 0");
        }
        *s.get_ref()
    });
    TrendRules { stable }
}
