//! Renders a report page as Markdown: the same headings, text and tables as the HTML, each
//! chart as an image link to its SVG file (`charts/ID.svg`) followed by its description.
//! Text from the data is escaped so that it cannot become markup.

use super::doc::{Block, Cell, Page, Table, href};
use std::fmt::Write;

/// Escapes Markdown and inline-HTML syntax; `|` too, so that text is safe in table cells.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The Markdown file of `page`.
pub fn render(page: &Page) -> String {
    let mut s = format!("# {}\n\n", esc(&page.title));
    if let Some(n) = &page.notice {
        let _ = writeln!(s, "> **{}**\n", esc(n));
    }
    for b in &page.blocks {
        block(&mut s, b, &page.stem);
    }
    s
}

fn block(s: &mut String, b: &Block, stem: &str) {
    match b {
        Block::Heading(level, text) => {
            let _ = writeln!(s, "{} {}\n", "#".repeat(usize::from(*level)), esc(text));
        }
        Block::Para(text) => {
            let _ = writeln!(s, "{}\n", esc(text));
        }
        Block::Links(links) => {
            for (text, page) in links {
                let _ = writeln!(s, "- [{}]({})", esc(text), href(stem, page, "md", "report"));
            }
            s.push('\n');
        }
        Block::Figure(f) => {
            let up = "../".repeat(stem.matches('/').count());
            let _ = writeln!(s, "![{}]({up}charts/{}.svg)\n", esc(&f.title), f.id);
            let _ = writeln!(s, "*{}*\n", esc(&f.desc));
            table(s, &f.table, stem);
        }
        Block::Table(t) => table(s, t, stem),
        Block::Pre(text) => {
            let _ = writeln!(s, "```text\n{}\n```\n", text.replace("```", "'''").trim_end());
        }
    }
}

fn table(s: &mut String, t: &Table, stem: &str) {
    let _ = writeln!(s, "**{}**\n", esc(&t.caption));
    let head: Vec<String> = t.header.iter().map(|h| esc(h)).collect();
    let _ = writeln!(s, "| {} |", head.join(" | "));
    let rule: Vec<&str> = t.numeric.iter().map(|&n| if n { "---:" } else { "---" }).collect();
    let _ = writeln!(s, "| {} |", rule.join(" | "));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c, stem)).collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    if t.rows.is_empty() {
        let _ = writeln!(s, "| {} |", vec!["–"; t.header.len()].join(" | "));
    }
    s.push('\n');
}

fn cell(c: &Cell, stem: &str) -> String {
    match c {
        Cell::Link { text, page } => format!("[{}]({})", esc(text), href(stem, page, "md", "report")),
        other => esc(other.text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_pipes_and_markup_and_link_to_markdown_pages() {
        let mut t = Table::new("c", &["unit", "score"], &["score"]);
        t.rows.push(vec![Cell::Link { text: "XAA".into(), page: "units/XAA".into() }, "a|b<i>*".into()]);
        let page = Page {
            stem: "index".into(),
            title: "T".into(),
            notice: Some("n".into()),
            blocks: vec![Block::Table(t)],
        };
        let out = render(&page);
        assert!(out.starts_with("# T\n\n> **n**\n\n**c**\n\n| unit | score |\n| --- | ---: |\n"), "{out}");
        assert!(out.contains("| [XAA](units/XAA.md) | a\\|b&lt;i&gt;\\* |"), "{out}");
    }
}
