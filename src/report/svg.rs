//! A small SVG writer for the report's charts: shapes, text, escaping, and an accessible
//! wrapper (`role="img"`, `<title>`, `<desc>`, `aria-labelledby`). Colours: the Okabe–Ito
//! palette (distinguishable under the common colour-vision deficiencies) and a text colour
//! chosen for WCAG contrast on any fill.

pub use crate::present::{GREY, OKABE_ITO, contrast, esc, luminance, rgb, text_on};
use std::fmt::Write;

/// A coordinate with at most one decimal, without a trailing `.0`.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() { format!("{}", r as i64) } else { format!("{r:.1}") }
}

/// Linear interpolation through colour stops, `t` in [0, 1] (clamped).
pub fn ramp(stops: &[&str], t: f64) -> String {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let seg = t * (stops.len() - 1) as f64;
    let i = (seg.floor() as usize).min(stops.len() - 2);
    let f = seg - i as f64;
    let (a, b) = (rgb(stops[i]).unwrap_or([0; 3]), rgb(stops[i + 1]).unwrap_or([0; 3]));
    let mix = |k: usize| (f64::from(a[k]) + (f64::from(b[k]) - f64::from(a[k])) * f).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Viridis (perceptually uniform, colour-blind safe), five stops.
pub const VIRIDIS: [&str; 5] = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

/// Horizontal text alignment.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A stroke: colour, width and whether dashed.
#[derive(Debug, Clone, Copy)]
pub struct Stroke<'a> {
    pub color: &'a str,
    pub width: f64,
    pub dashed: bool,
}

impl<'a> Stroke<'a> {
    pub fn solid(color: &'a str, width: f64) -> Self {
        Stroke { color, width, dashed: false }
    }
    fn attrs(&self) -> String {
        let dash = if self.dashed { " stroke-dasharray=\"5 3\"" } else { "" };
        format!("stroke=\"{}\" stroke-width=\"{}\"{dash}", esc(self.color), n(self.width))
    }
}

/// An SVG drawing in user units; [`Svg::finish`] wraps it with its text alternative.
#[derive(Debug, Clone)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    pub fn new(width: f64, height: f64) -> Svg {
        Svg { width, height, body: String::new() }
    }

    /// A filled rectangle, with a tooltip when `tip` is given.
    pub fn rect(&mut self, (x, y, w, h): (f64, f64, f64, f64), fill: &str, tip: Option<&str>) {
        let _ = write!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            esc(fill)
        );
        self.close(tip, "rect");
    }

    /// A filled rectangle with an outline, so that light fills stand out from the page.
    pub fn rect_outlined(
        &mut self,
        (x, y, w, h): (f64, f64, f64, f64),
        fill: &str,
        s: Stroke,
        tip: Option<&str>,
    ) {
        let _ = write!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" {}",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            esc(fill),
            s.attrs()
        );
        self.close(tip, "rect");
    }

    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), s: Stroke) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            s.attrs()
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], s: Stroke) {
        let pts: Vec<String> = points.iter().map(|&(x, y)| format!("{},{}", n(x), n(y))).collect();
        let _ = writeln!(self.body, "<polyline points=\"{}\" fill=\"none\" {}/>", pts.join(" "), s.attrs());
    }

    /// A circle; `fill` "none" draws a ring in the stroke colour.
    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, s: Stroke, tip: Option<&str>) {
        let _ = write!(
            self.body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" {}",
            n(cx),
            n(cy),
            n(r),
            esc(fill),
            s.attrs()
        );
        self.close(tip, "circle");
    }

    /// A diamond (a square turned 45°) centred on (cx, cy).
    pub fn diamond(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, tip: Option<&str>) {
        let pts = format!(
            "{},{} {},{} {},{} {},{}",
            n(cx),
            n(cy - r),
            n(cx + r),
            n(cy),
            n(cx),
            n(cy + r),
            n(cx - r),
            n(cy)
        );
        let _ = write!(self.body, "<polygon points=\"{pts}\" fill=\"{}\"", esc(fill));
        self.close(tip, "polygon");
    }

    /// Text at (x, y) (the baseline), escaped.
    pub fn text(&mut self, (x, y): (f64, f64), s: &str, anchor: Anchor, size: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>",
            n(x),
            n(y),
            anchor.as_str(),
            n(size),
            esc(fill),
            esc(s)
        );
    }

    fn close(&mut self, tip: Option<&str>, tag: &str) {
        match tip {
            Some(t) => {
                let _ = writeln!(self.body, "><title>{}</title></{tag}>", esc(t));
            }
            None => self.body.push_str("/>\n"),
        }
    }

    /// The complete `<svg>` element: `id` must be unique in the page; `title` and `desc` are
    /// its text alternative (read by screen readers, shown as a tooltip).
    pub fn finish(self, id: &str, title: &str, desc: &str) -> String {
        let id = esc(id);
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\">\n\
             <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n{}</svg>\n",
            esc(title),
            esc(desc),
            self.body,
            w = n(self.width),
            h = n(self.height),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        let mut s = Svg::new(10.0, 10.0);
        s.text((1.0, 2.0), "<script>", Anchor::Start, 10.0, "#000");
        s.rect((0.0, 0.0, 1.0, 1.0), "\"red", Some("a<b"));
        let out = s.finish("x\"y", "T<", "D&");
        assert!(!out.contains("<script>") && out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("fill=\"&quot;red\"") && out.contains("<title>a&lt;b</title>"), "{out}");
        assert!(out.contains("<title id=\"x&quot;y-title\">T&lt;</title>"), "{out}");
        assert!(out.contains("<desc id=\"x&quot;y-desc\">D&amp;</desc>"), "{out}");
    }

    #[test]
    fn writes_shapes_with_rounded_coordinates() {
        let mut s = Svg::new(100.0, 50.0);
        s.rect((1.04, 2.0, 3.25, -1.0), "#fff", None);
        s.line((0.0, 0.0), (10.0, 5.55), Stroke { color: "#000", width: 1.0, dashed: true });
        s.polyline(&[(0.0, 1.0), (2.0, 3.0)], Stroke::solid("#111", 2.0));
        let out = s.finish("c", "t", "d");
        assert!(out.contains("<rect x=\"1\" y=\"2\" width=\"3.3\" height=\"0\" fill=\"#fff\"/>"), "{out}");
        assert!(
            out.contains("x2=\"10\" y2=\"5.6\" stroke=\"#000\" stroke-width=\"1\" stroke-dasharray"),
            "{out}"
        );
        assert!(out.contains("points=\"0,1 2,3\""), "{out}");
        assert!(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\""));
        assert!(out.contains("role=\"img\" aria-labelledby=\"c-title c-desc\""));
    }

    #[test]
    fn text_chosen_on_any_palette_colour_reads_at_aa() {
        // WCAG AA for normal text is 4.5:1; black or white reaches it on every palette fill.
        for c in OKABE_ITO.iter().chain(VIRIDIS.iter()) {
            assert!(contrast(c, text_on(c)) >= 4.5, "{c}");
        }
    }

    #[test]
    fn ramp_interpolates_between_stops() {
        assert_eq!(ramp(&["#000000", "#ffffff"], 0.5), "#808080");
        assert_eq!(ramp(&VIRIDIS, 0.0), "#440154");
        assert_eq!(ramp(&VIRIDIS, 1.0), "#fde725");
        assert_eq!(ramp(&VIRIDIS, 7.0), "#fde725");
        assert_eq!(rgb("#abc"), Some([0xaa, 0xbb, 0xcc]));
    }
}
