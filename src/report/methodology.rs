//! The methodology section: version, changelog, bands, framework tree, weights and effective
//! weights.

use super::blocks::pct;
use super::doc::{Block, Table};
use super::model::{ReportData, band_fill};

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
            d.band_cell(&b.label),
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
