//! Presentation facts shared by everything gti renders for people (the report's pages and
//! charts, the explorer, the workbooks): how a unit is labelled, when data are announced as
//! fictional, the colour-blind-safe palette, band colours, text contrast and HTML escaping.
//! A leaf: it names no other module but the methodology's types.

use crate::methodology::{Band, Methodology};

/// Okabe & Ito (2008), "Color Universal Design": black first, then the seven colours.
pub const OKABE_ITO: [&str; 8] =
    ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"];

/// Grey for axes, grid lines and neutral marks (contrast 4.6:1 on white).
pub const GREY: &str = "#767676";

/// Escapes text for HTML and XML, in element content and in quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Parses `#rrggbb` (or `#rgb`) into 0–255 channels.
pub fn rgb(hex: &str) -> Option<[u8; 3]> {
    let h = hex.strip_prefix('#')?;
    let expanded: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let ch = |i: usize| u8::from_str_radix(expanded.get(i..i + 2)?, 16).ok();
    Some([ch(0)?, ch(2)?, ch(4)?])
}

/// WCAG 2 relative luminance of a `#rrggbb` colour.
pub fn luminance(hex: &str) -> Option<f64> {
    let lin = |c: u8| {
        let s = f64::from(c) / 255.0;
        if s <= 0.03928 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    let [r, g, b] = rgb(hex)?;
    Some(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b))
}

/// WCAG 2 contrast ratio of two colours (1 to 21); 1 when either is not a hex colour.
pub fn contrast(a: &str, b: &str) -> f64 {
    match (luminance(a), luminance(b)) {
        (Some(x), Some(y)) => (x.max(y) + 0.05) / (x.min(y) + 0.05),
        _ => 1.0,
    }
}

/// Black or white, whichever contrasts more with `fill`.
pub fn text_on(fill: &str) -> &'static str {
    if contrast(fill, "#000000") >= contrast(fill, "#ffffff") { "#000000" } else { "#ffffff" }
}

/// A unit as the report names it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitLabel {
    pub code: String,
    pub name: String,
    pub region: Option<String>,
}

impl UnitLabel {
    /// "Aldoria (XAA)", or the code alone when there is no name.
    pub fn label(&self) -> String {
        if self.name.is_empty() { self.code.clone() } else { format!("{} ({})", self.name, self.code) }
    }
}

/// A band's fill: its `color` when it is a hex colour, else an Okabe–Ito colour.
pub fn band_fill(b: &Band, i: usize) -> String {
    match &b.color {
        Some(c) if rgb(c).is_some() => c.clone(),
        _ => OKABE_ITO[1 + i % 7].to_string(),
    }
}

/// The rule for labelling a report as fictional: the methodology's index name or description
/// says "illustrative" or "fictional", or every unit code is in the ISO 3166-1 user-assigned
/// range XAA–XZZ that gti's examples use for fictional units.
pub fn fictional_notice(m: &Methodology, units: &[UnitLabel]) -> Option<String> {
    let text = format!("{} {}", m.index.name, m.index.description.as_deref().unwrap_or("")).to_lowercase();
    let said = text.contains("illustrative") || text.contains("fictional");
    let user_assigned =
        |c: &str| c.len() == 3 && c.starts_with('X') && c.chars().all(|c| c.is_ascii_uppercase());
    let codes = !units.is_empty() && units.iter().all(|u| user_assigned(&u.code));
    (said || codes).then(|| {
        "Illustrative: fictional units and invented data. These units are not real countries \
         (codes in the ISO 3166-1 user-assigned range), and nothing here describes the real \
         situation anywhere."
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        assert_eq!(esc(r#"<b>"A&B's"</b>"#), "&lt;b&gt;&quot;A&amp;B&#39;s&quot;&lt;/b&gt;");
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        // WCAG: black on white is 21:1; #767676 on white is the classic 4.54:1.
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast(GREY, "#ffffff") - 4.54).abs() < 0.01);
        assert_eq!(text_on("#b2182b"), "#ffffff");
        assert_eq!(text_on("#fddbc7"), "#000000");
        assert_eq!(contrast("red", "#fff"), 1.0);
    }

    #[test]
    fn a_band_without_a_hex_colour_takes_a_palette_colour() {
        let band = |color: Option<&str>| Band {
            label: "b".into(),
            min: 0.0,
            max: 1.0,
            color: color.map(String::from),
            nodes: None,
        };
        assert_eq!(band_fill(&band(Some("#112233")), 0), "#112233");
        assert_eq!(band_fill(&band(Some("red")), 0), OKABE_ITO[1]);
        assert_eq!(band_fill(&band(None), 7), OKABE_ITO[1]);
    }
}
