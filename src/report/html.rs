//! Renders a report page as one self-contained HTML file: inline CSS and SVG, no script, no
//! font or other external resource (a Content-Security-Policy forbids loading any), every
//! text from the data escaped, and print rules (no page breaks inside a chart or a table row).

use super::doc::{Block, Cell, Figure, Page, Table, href};
use super::svg::esc;
use std::fmt::Write;

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;margin:0;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0 1rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
h3{font-size:1.1rem;margin-top:1.6rem}
.notice{border:2px solid #b35806;background:#fff4e5;padding:.6rem .9rem;margin:.8rem 0;font-weight:600}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#444}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.6rem 0 1.4rem;font-size:.85rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #ccc;padding:.15rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
.band{display:inline-block;padding:0 .35rem;border-radius:3px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
pre{background:#f6f6f6;padding:.7rem;overflow-x:auto;font-size:.8rem}
ul.links{columns:3;padding-left:1.2rem}
a{color:#0b5394}
footer{margin-top:3rem;font-size:.8rem;color:#555}
@media print{body{font-size:10pt}main{max-width:none;padding:0}a{color:inherit;text-decoration:none}
figure,tr,.notice{break-inside:avoid}h2,h3{break-after:avoid}.table-wrap{overflow:visible}
ul.links{columns:4}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
";

/// The HTML file of `page`.
pub fn render(page: &Page) -> String {
    let mut s = String::new();
    head(&mut s, &page.title);
    if let Some(n) = &page.notice {
        let _ = writeln!(s, "<p class=\"notice\" role=\"note\">{}</p>", esc(n));
    }
    let _ = writeln!(s, "<h1>{}</h1>", esc(&page.title));
    for b in &page.blocks {
        block(&mut s, b, &page.stem);
    }
    let _ = writeln!(s, "<footer>Written by gti {}.</footer>", env!("CARGO_PKG_VERSION"));
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

fn head(s: &mut String, title: &str) {
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(title)
    );
}

fn block(s: &mut String, b: &Block, stem: &str) {
    match b {
        Block::Heading(level, text) => {
            let _ = writeln!(s, "<h{level}>{}</h{level}>", esc(text));
        }
        Block::Para(text) => {
            let _ = writeln!(s, "<p>{}</p>", esc(text));
        }
        Block::Links(links) => {
            s.push_str("<ul class=\"links\">\n");
            for (text, page) in links {
                let _ = writeln!(
                    s,
                    "<li><a href=\"{}\">{}</a></li>",
                    esc(&href(stem, page, "html", "index")),
                    esc(text)
                );
            }
            s.push_str("</ul>\n");
        }
        Block::Figure(f) => figure(s, f, stem),
        Block::Table(t) => table(s, t, stem),
        Block::Pre(text) => {
            let _ = writeln!(s, "<pre>{}</pre>", esc(text));
        }
    }
}

fn figure(s: &mut String, f: &Figure, stem: &str) {
    let _ = writeln!(s, "<figure id=\"fig-{}\">", esc(&f.id));
    s.push_str(&f.svg);
    let _ = writeln!(
        s,
        "<figcaption><strong>{}.</strong> {}</figcaption>\n</figure>",
        esc(&f.title),
        esc(&f.desc)
    );
    table(s, &f.table, stem);
}

fn table(s: &mut String, t: &Table, stem: &str) {
    let _ =
        writeln!(s, "<div class=\"table-wrap\"><table>\n<caption>{}</caption>\n<thead><tr>", esc(&t.caption));
    for h in &t.header {
        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let class = if t.numeric.get(i).copied().unwrap_or(false) { " class=\"num\"" } else { "" };
            let _ = write!(s, "<td{class}>{}</td>", cell(c, stem));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table></div>\n");
}

fn cell(c: &Cell, stem: &str) -> String {
    match c {
        Cell::Text(t) => esc(t),
        Cell::Link { text, page } => {
            format!("<a href=\"{}\">{}</a>", esc(&href(stem, page, "html", "index")), esc(text))
        }
        Cell::Swatch { text, fill, ink } => {
            format!(
                "<span class=\"band\" style=\"background:{};color:{}\">{}</span>",
                esc(fill),
                esc(ink),
                esc(text)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_all_text_and_links_relative_to_the_page() {
        let mut t = Table::new("<cap>", &["a", "n"], &["n"]);
        t.rows.push(vec![Cell::Link { text: "X<1>".into(), page: "index".into() }, "1&2".into()]);
        let page = Page {
            stem: "units/X".into(),
            title: "T<script>".into(),
            notice: Some("fictional & invented".into()),
            blocks: vec![Block::Para("a\"b".into()), Block::Table(t)],
        };
        let out = render(&page);
        assert!(!out.contains("<script>") && out.contains("<title>T&lt;script&gt;</title>"), "{out}");
        assert!(out.contains("<p class=\"notice\" role=\"note\">fictional &amp; invented</p>"), "{out}");
        assert!(
            out.contains("<td><a href=\"../index.html\">X&lt;1&gt;</a></td><td class=\"num\">1&amp;2</td>"),
            "{out}"
        );
        assert!(out.contains("<caption>&lt;cap&gt;</caption>") && out.contains("<p>a&quot;b</p>"), "{out}");
        assert!(out.contains("Content-Security-Policy") && !out.contains("<script"), "{out}");
    }
}
