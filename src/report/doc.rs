//! The report as a document: pages of headings, paragraphs, figures and tables, all text
//! already formatted. [`super::html`] and [`super::markdown`] render the same document, so
//! the two formats cannot drift apart.

/// A table cell: text, or text linking to another page of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// `page` is a page stem from the report root (`index`, `units/XAA`).
    Link {
        text: String,
        page: String,
    },
    /// A band label on its colour (`#rrggbb`), with a text colour chosen for contrast.
    Swatch {
        text: String,
        fill: String,
        ink: String,
    },
}

impl Cell {
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Link { text: t, .. } | Cell::Swatch { text: t, .. } => t,
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// A data table: `numeric[i]` right-aligns column i.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table whose columns are numeric when their name is in `numeric`.
    pub fn new(caption: impl Into<String>, header: &[&str], numeric: &[&str]) -> Table {
        Table {
            caption: caption.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            numeric: header.iter().map(|h| numeric.contains(h)).collect(),
            rows: Vec::new(),
        }
    }
}

/// A chart: its SVG, its text alternative (also inside the SVG) and its data table.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Unique in the whole report: also the name of its SVG file beside the Markdown.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub svg: String,
    pub table: Table,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2 or 3 (the page title is level 1).
    Heading(u8, String),
    Para(String),
    /// Links to other pages, as a list.
    Links(Vec<(String, String)>),
    Figure(Box<Figure>),
    Table(Table),
    /// Preformatted text (the framework tree).
    Pre(String),
}

/// One page: `stem` is its path from the report root without extension.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub stem: String,
    pub title: String,
    /// Shown at the top of the page in a box (the fictional-data notice), when present.
    pub notice: Option<String>,
    pub blocks: Vec<Block>,
}

/// The relative link from page `from` to page `to` (stems), with extension `ext`; the main
/// page's file is `main` (`index` for HTML, `report` for Markdown).
pub fn href(from: &str, to: &str, ext: &str, main: &str) -> String {
    let up = "../".repeat(from.matches('/').count());
    let target = if to == "index" { main } else { to };
    format!("{up}{target}.{ext}")
}

/// A file-name-safe form of a code: letters, digits, `-` and `_` kept, anything else `_`.
pub fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(href("index", "units/XAA", "html", "index"), "units/XAA.html");
        assert_eq!(href("units/XAA", "index", "md", "report"), "../report.md");
        assert_eq!(href("units/XAA", "units/XAB", "html", "index"), "../units/XAB.html");
    }

    #[test]
    fn slugs_keep_safe_characters_only() {
        assert_eq!(slug("XAA"), "XAA");
        assert_eq!(slug("Northern Reach/../x"), "Northern_Reach____x");
    }
}
