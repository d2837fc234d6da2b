//! The comparison section, with a candidate (`gti report --candidate` or `--set`): keys
//! changed, rank shifts as a slope chart, band crossings, effective weights before and after,
//! from [`crate::compare::Comparison`].

use super::blocks::{figure, pct, unit_link};
use super::charts::{self, Alt, DotRow};
use super::doc::{Block, Cell, Table};
use super::model::ReportData;
use crate::compare::{CompareRow, Comparison};

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
            d.band_cell(&r.band_base),
            d.band_cell(&r.band_candidate),
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
