//! Small building blocks of the report's pages: number formats, unit links and figures.
//! A leaf of the report: it knows the page model ([`super::doc`]) and nothing else.

use super::doc::{Block, Cell, Figure, Table, slug};

/// The link to a unit's profile page.
pub fn unit_link(u: &str) -> Cell {
    Cell::Link { text: u.to_string(), page: format!("units/{}", slug(u)) }
}

/// A share as a percentage to 2 decimals.
pub fn pct(x: f64) -> String {
    format!("{:.2} %", 100.0 * x)
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
