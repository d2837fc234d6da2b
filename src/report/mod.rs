//! `gti report`: a report people look at, from the same run as `gti compute`: a main page
//! (ranking, pillar heatmap, trends by region, band history, methodology and, with a
//! candidate, the proposed change) and one profile page per unit, each as self-contained
//! HTML with inline SVG charts and as Markdown with the charts beside it as SVG files.
//!
//! Build ([`model::ReportData`]: the run's output rows and lookups) → lay out ([`pages`],
//! [`methodology`], [`comparison`], [`profile`]: pages of formatted blocks ([`doc`],
//! [`blocks`])) → render ([`html`], [`markdown`]). Charts are drawn by a small SVG writer
//! ([`svg`], [`charts`]).

pub mod blocks;
pub mod charts;
pub mod comparison;
pub mod doc;
pub mod html;
pub mod markdown;
pub mod methodology;
pub mod model;
pub mod pages;
pub mod profile;
pub mod rank_stats;
pub mod svg;

pub use model::ReportData;

use crate::output::OutFile;
use doc::{Block, Page};

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
