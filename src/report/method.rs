//! The methodology section (version, changelog, bands, framework tree, weights and effective
//! weights) and, with a candidate, the comparison section (keys changed, rank shifts as a
//! slope chart, band crossings, effective weights before and after), from `compare.rs`.

use super::charts::{self, Alt, DotRow};
use super::doc::{Block, Cell, Table};
use super::figure;
use super::model::{ReportData, band_fill};
use super::pages::{band_cell, unit_link};
use crate::compare::{CompareRow, Comparison};

fn pct(x: f64) -> String {
    format!("{:.2} %", 100.0 * x)
}

/// The methodology section.
pub fn methodology(d: &ReportData) -> Vec<Block> {
    let m = d.m;
    let mut out = vec![
        Block::Heading(2, "Methodology".into()),
        Block::Para(format!(
            "{} version {}, {}; file {} (SHA-256 {}).",
            m.index.code,
            m.index.version,
            m.index.released.as_deref().map_or("not released".to_string(), |r| format!("released {r}")),
            m.provenance.path.display(),
            m.provenance.sha256
        )),
    ];
    if !m.changelog.is_empty() {
        let mut t = Table::new("Changelog", &["version", "date", "summary"], &[]);
        for c in &m.changelog {
            t.rows.push(vec![
                c.version.as_str().into(),
                c.date.as_deref().unwrap_or("").into(),
                c.summary.as_str().into(),
            ]);
        }
        out.push(Block::Heading(3, "Changelog".into()));
        out.push(Block::Table(t));
    }
    out.extend(bands(d));
    out.push(Block::Heading(3, "Framework".into()));
    out.push(Block::Pre(crate::methodology::describe(m)));
    out.push(Block::Table(weights(d)));
    out
}

fn bands(d: &ReportData) -> Vec<Block> {
    if d.m.bands.is_empty() {
        return vec![];
    }
    let mut t = Table::new(
        "Risk bands (min inclusive, max exclusive; the top edge closed)",
        &["band", "min", "max", "colour"],
        &["min", "max"],
    );
    for (i, b) in d.m.bands.iter().enumerate() {
        let fill = band_fill(b, i);
        t.rows.push(vec![
            band_cell(d, &b.label),
            format!("{}", b.min).into(),
            format!("{}", b.max).into(),
            fill.into(),
        ]);
    }
    vec![Block::Heading(3, "Risk bands".into()), Block::Table(t)]
}

fn weights(d: &ReportData) -> Table {
    let m = d.m;
    let eff = m.framework.effective_weights();
    let header = ["code", "name", "level", "parent", "weight", "effective weight in the index"];
    let mut t = Table::new(
        "Weights: declared, and effective in the index (nominal, before any renormalisation for missing data)",
        &header,
        &header[4..],
    );
    for (id, e) in m.framework.elements.iter().enumerate() {
        let parent = e.parent.map_or(String::new(), |p| m.element(p).code.to_string());
        t.rows.push(vec![
            e.code.as_str().into(),
            e.name.as_str().into(),
            e.level.to_string().into(),
            parent.into(),
            format!("{}", e.weight).into(),
            pct(eff[id]).into(),
        ]);
    }
    t
}

/// The comparison section, when a candidate or `--set` was given.
pub fn comparison(d: &ReportData) -> Vec<Block> {
    let Some(c) = &d.comparison else { return vec![] };
    let mut out = vec![
        Block::Heading(2, "Proposed change".into()),
        Block::Para(format!(
            "The base methodology {} against the candidate {}, on the same data. Every other section \
             of this report shows the base.",
            c.base_version, c.candidate_version
        )),
    ];
    out.push(Block::Table(keys(c)));
    out.extend(shifts(d, c));
    out.push(Block::Heading(3, "Band crossings".into()));
    out.push(Block::Table(crossings(d, c)));
    out.push(Block::Heading(3, "Effective weights before and after".into()));
    out.push(effective(c));
    out
}

fn keys(c: &Comparison) -> Table {
    let mut t = Table::new("Methodology keys that changed", &["key", "base", "candidate"], &[]);
    for k in &c.keys {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
        t.rows.push(vec![k.path.as_str().into(), show(&k.base).into(), show(&k.candidate).into()]);
    }
    t
}

fn latest_index_rows(c: &Comparison) -> Vec<&CompareRow> {
    let latest = c.rows.iter().filter(|r| r.node == c.index).map(|r| r.year).max();
    let mut rows: Vec<&CompareRow> =
        c.rows.iter().filter(|r| r.node == c.index && Some(r.year) == latest).collect();
    rows.sort_by_key(|r| (r.rank_base.is_none(), r.rank_base, r.unit.clone()));
    rows
}

fn shifts(d: &ReportData, c: &Comparison) -> Vec<Block> {
    let rows = latest_index_rows(c);
    let Some(year) = rows.first().map(|r| r.year) else { return vec![] };
    let header =
        ["unit", "base rank", "candidate rank", "rank change", "base score", "candidate score", "delta"];
    let mut t = Table::new(format!("{} ranks in {year}, base and candidate", c.index), &header, &header[1..]);
    let mut lines = Vec::new();
    for r in &rows {
        let rank = |v: Option<u32>| v.map_or("–".to_string(), |v| v.to_string());
        t.rows.push(vec![
            unit_link(&r.unit),
            rank(r.rank_base).into(),
            rank(r.rank_candidate).into(),
            r.rank_change.map_or("–".to_string(), |v| format!("{v:+}")).into(),
            d.num(r.score_base).into(),
            d.num(r.score_candidate).into(),
            Cell::Text(d.signed(r.delta)),
        ]);
        if let (Some(b), Some(k)) = (r.rank_base, r.rank_candidate) {
            lines.push((d.unit(&r.unit).map_or(r.unit.clone(), |u| u.label()), b, k));
        }
    }
    let title = format!("Rank shifts in {year}");
    let desc = format!(
        "A slope chart: each unit's {} rank under the base (left) joined to its rank under the \
         candidate (right); blue lines move up, vermillion lines move down, grey lines stay.",
        c.index
    );
    let svg = charts::slope(&Alt { id: "slope", title: &title, desc: &desc }, &lines, rows.len());
    vec![Block::Heading(3, title.clone()), figure("slope", title, desc, svg, t)]
}

fn crossings(d: &ReportData, c: &Comparison) -> Table {
    let header = ["unit", "year", "base band", "candidate band", "base score", "candidate score"];
    let mut t = Table::new(format!("Units whose {} band differs", c.index), &header, &header[4..]);
    for r in c.band_crossings() {
        t.rows.push(vec![
            unit_link(&r.unit),
            r.year.to_string().into(),
            band_cell(d, &r.band_base),
            band_cell(d, &r.band_candidate),
            d.num(r.score_base).into(),
            d.num(r.score_candidate).into(),
        ]);
    }
    t
}

fn effective(c: &Comparison) -> Block {
    let header = ["indicator", "base", "candidate", "change (pp)"];
    let mut t = Table::new("Effective weight of each indicator in the index", &header, &header[1..]);
    for w in &c.weights {
        let change = format!("{:+.2}", 100.0 * (w.candidate - w.base));
        t.rows.push(vec![
            w.indicator.as_str().into(),
            pct(w.base).into(),
            pct(w.candidate).into(),
            change.into(),
        ]);
    }
    let rows: Vec<DotRow> = c
        .weights
        .iter()
        .map(|w| DotRow {
            label: w.indicator.clone(),
            unit: Some(100.0 * w.candidate),
            region: None,
            overall: Some(100.0 * w.base),
        })
        .collect();
    let title = "Effective weights before and after".to_string();
    let desc = "Each indicator's effective weight in the index, in percent: under the base (grey \
                ring) and under the candidate (blue circle)."
        .to_string();
    let alt = Alt { id: "weights", title: &title, desc: &desc };
    let svg = charts::dots(&alt, &rows, ["candidate", "", "base"], "%");
    figure("weights", title, desc, svg, t)
}
