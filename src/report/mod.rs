//! `gti report`: a report people look at, from the same run as `gti compute`: a main page
//! (ranking, pillar heatmap, trends by region, band history, methodology and, with a
//! candidate, the proposed change) and one profile page per unit, each as self-contained
//! HTML with inline SVG charts and as Markdown with the charts beside it as SVG files.
//!
//! Build ([`model::ReportData`]: the run's output rows and lookups) → lay out ([`pages`],
//! [`method`], [`profile`]: pages of formatted blocks, [`doc`]) → render ([`html`],
//! [`markdown`]). Charts are drawn by a small SVG writer ([`svg`], [`charts`]).

pub mod charts;
pub mod doc;
pub mod html;
pub mod markdown;
pub mod method;
pub mod model;
pub mod pages;
pub mod profile;
pub mod rank_stats;
pub mod svg;

pub use model::ReportData;

use crate::output::OutFile;
use doc::{Block, Figure, Page, Table};

/// Every page: the main page, then one profile per unit in code order.
pub fn pages(d: &ReportData) -> Vec<Page> {
    let mut out = vec![pages::main_page(d)];
    out.extend(d.units.iter().map(|u| profile::page(d, u)));
    out
}

/// The files of the report: `index.html` and `report.md`, `units/CODE.html` and `.md`, and
/// `charts/ID.svg` (the Markdown's images).
pub fn files(pages: &[Page]) -> Vec<OutFile<'static>> {
    let mut out = Vec::new();
    for p in pages {
        let md = if p.stem == "index" { "report".to_string() } else { p.stem.clone() };
        out.push(OutFile::new(format!("{}.html", p.stem), html::render(p).into_bytes()));
        out.push(OutFile::new(format!("{md}.md"), markdown::render(p).into_bytes()));
        for b in &p.blocks {
            if let Block::Figure(f) = b {
                out.push(OutFile::new(format!("charts/{}.svg", f.id), f.svg.clone().into_bytes()));
            }
        }
    }
    out
}

/// A score to `decimals` decimals, "–" when missing.
pub fn fmt_num(v: Option<f64>, decimals: usize) -> String {
    v.map_or("–".into(), |x| format!("{x:.decimals$}"))
}

/// A change to `decimals` decimals with its sign, "–" when missing.
pub fn fmt_signed(v: Option<f64>, decimals: usize) -> String {
    v.map_or("–".into(), |x| format!("{x:+.decimals$}"))
}

/// A chart with its text alternative and data table, as a block.
pub fn figure(id: &str, title: String, desc: String, svg: String, table: Table) -> Block {
    Block::Figure(Box::new(Figure { id: id.to_string(), title, desc, svg, table }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_the_decimals_asked_and_signs() {
        assert_eq!(fmt_num(Some(79.96111572033891), 2), "79.96");
        assert_eq!(fmt_num(Some(0.9625), 3), "0.963");
        assert_eq!(fmt_num(None, 2), "–");
        assert_eq!(fmt_signed(Some(2.0), 2), "+2.00");
        assert_eq!(fmt_signed(Some(-0.004), 2), "-0.00");
    }
}
