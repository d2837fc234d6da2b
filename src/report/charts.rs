//! The report's charts, drawn with [`super::svg`]. Each takes already computed values and
//! returns a complete, accessible `<svg>`; the caller supplies the text alternative and
//! puts the same values in a data table beside it.

use super::svg::{Anchor, GREY, OKABE_ITO, Stroke, Svg, VIRIDIS, ramp, text_on};

/// Line colours for series: Okabe–Ito without black and yellow (too light on white).
pub const SERIES: [&str; 6] =
    [OKABE_ITO[5], OKABE_ITO[6], OKABE_ITO[3], OKABE_ITO[7], OKABE_ITO[1], OKABE_ITO[2]];

/// Title, description and id of a chart: its text alternative.
pub struct Alt<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

const ROW: f64 = 18.0;
const LABEL_W: f64 = 190.0;
const INK: &str = "#222222";

/// The smallest of 1, 2, 5 × 10^k that is at least `v` (> 0).
fn nice_ceil(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|&c| c >= v * (1.0 - 1e-12)).unwrap_or(10.0 * p)
}

/// A nice axis range covering `values` and zero: 0 to 1, 2 or 5 × 10^k (0–100 for the
/// usual 0–100 scores, 0–1 for the HDI), extended the same way below zero.
pub fn nice_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let side = |v: f64| if v.abs() > 0.0 && v.is_finite() { nice_ceil(v.abs()) } else { 0.0 };
    let (lo, hi) = (-side(lo), side(hi));
    if hi > lo { (lo, hi) } else { (0.0, 1.0) }
}

/// Decimals for values on an axis spanning `lo`–`hi`: 1 for spans of 10 or more, else 3.
pub fn decimals(lo: f64, hi: f64) -> usize {
    if hi - lo >= 10.0 { 1 } else { 3 }
}

/// Five ticks from lo to hi.
fn ticks(lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    (0..=4).map(move |k| lo + (hi - lo) * f64::from(k) / 4.0)
}

fn tick_label(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One bar of the ranking: a unit's score, filled with its band colour; `interval` is
/// (nominal rank, q05, q95) when sensitivity results are given.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub fill: String,
    pub tip: String,
    pub interval: Option<(f64, f64, f64)>,
    /// The share of runs in the unit's band, when low enough to mark the band uncertain.
    pub uncertain_band: Option<f64>,
}

/// Horizontal bars in rank order, and beside them, when any bar has an interval, each unit's
/// 5–95 % rank interval (whisker) around its nominal rank (dot) on a rank axis 1..`n_ranks`.
pub fn ranking(alt: &Alt, bars: &[Bar], (lo, hi): (f64, f64), n_ranks: usize) -> String {
    let whiskers = bars.iter().any(|b| b.interval.is_some());
    let (bar_w, top) = (330.0, 34.0);
    let width = LABEL_W + bar_w + if whiskers { 300.0 } else { 50.0 };
    let mut s = Svg::new(width, top + ROW * bars.len() as f64 + 10.0);
    let x = |v: f64| LABEL_W + (v - lo) / (hi - lo) * bar_w;
    axis_x(&mut s, (lo, hi), top, bars.len(), &x, "score");
    for (i, b) in bars.iter().enumerate() {
        let y = top + ROW * i as f64;
        s.text((LABEL_W - 6.0, y + 13.0), &b.label, Anchor::End, 11.0, INK);
        let outline = Stroke::solid(GREY, 0.5);
        s.rect_outlined((x(lo), y + 2.0, x(b.value) - x(lo), ROW - 4.0), &b.fill, outline, Some(&b.tip));
        let text = format!("{:.*}", decimals(lo, hi), b.value);
        s.text((x(b.value) + 4.0, y + 13.0), &text, Anchor::Start, 10.0, INK);
    }
    if whiskers {
        rank_panel(&mut s, bars, LABEL_W + bar_w + 60.0, top, n_ranks);
    }
    s.finish(alt.id, alt.title, alt.desc)
}

fn axis_x(s: &mut Svg, (lo, hi): (f64, f64), top: f64, rows: usize, x: &dyn Fn(f64) -> f64, label: &str) {
    let bottom = top + ROW * rows as f64;
    for t in ticks(lo, hi) {
        s.line((x(t), top - 4.0), (x(t), bottom), Stroke::solid("#dddddd", 1.0));
        s.text((x(t), top - 8.0), &tick_label(t), Anchor::Middle, 10.0, GREY);
    }
    s.text((x(hi), 11.0), label, Anchor::End, 10.0, GREY);
}

fn rank_panel(s: &mut Svg, bars: &[Bar], left: f64, top: f64, n: usize) {
    let w = 220.0;
    let n = n.max(2) as f64;
    let x = |r: f64| left + (r - 1.0) / (n - 1.0) * w;
    let axis: Vec<f64> = ticks(1.0, n).map(|t| t.round()).collect();
    for t in axis {
        s.line((x(t), top - 4.0), (x(t), top + ROW * bars.len() as f64), Stroke::solid("#dddddd", 1.0));
        s.text((x(t), top - 8.0), &tick_label(t), Anchor::Middle, 10.0, GREY);
    }
    s.text((left, 11.0), "rank, 5–95 % interval (1 = best)", Anchor::Start, 10.0, GREY);
    for (i, b) in bars.iter().enumerate() {
        let Some((nominal, q05, q95)) = b.interval else { continue };
        let y = top + ROW * i as f64 + ROW / 2.0;
        let tip = format!("{}: rank {nominal}, 5–95 % {q05}–{q95}", b.label);
        s.line((x(q05), y), (x(q95), y), Stroke::solid(INK, 1.5));
        s.line((x(q05), y - 4.0), (x(q05), y + 4.0), Stroke::solid(INK, 1.5));
        s.line((x(q95), y - 4.0), (x(q95), y + 4.0), Stroke::solid(INK, 1.5));
        s.circle((x(nominal), y), 3.5, &b.fill, Stroke::solid(INK, 1.0), Some(&tip));
        if let Some(p) = b.uncertain_band {
            let tip = format!("{}: uncertain band, {:.0} % of the runs in it", b.label, 100.0 * p);
            s.diamond((left + w + 14.0, y), 5.0, INK, Some(&tip));
        }
    }
}

/// A units × columns grid coloured on the viridis scale over (lo, hi), each cell printed.
pub fn heatmap(
    alt: &Alt,
    rows: &[String],
    cols: &[String],
    cells: &[Vec<Option<f64>>],
    (lo, hi): (f64, f64),
) -> String {
    let (cw, top) = (58.0, 30.0);
    let mut s = Svg::new(LABEL_W + cw * cols.len() as f64 + 10.0, top + ROW * rows.len() as f64 + 10.0);
    for (j, c) in cols.iter().enumerate() {
        s.text((LABEL_W + cw * (j as f64 + 0.5), top - 8.0), c, Anchor::Middle, 11.0, INK);
    }
    for (i, (label, row)) in rows.iter().zip(cells).enumerate() {
        let y = top + ROW * i as f64;
        s.text((LABEL_W - 6.0, y + 13.0), label, Anchor::End, 11.0, INK);
        for (j, v) in row.iter().enumerate() {
            let x = LABEL_W + cw * j as f64;
            let tip = format!("{label}, {}: {}", cols[j], v.map_or("missing".into(), |v| format!("{v:.2}")));
            let fill = v.map_or("#eeeeee".to_string(), |v| ramp(&VIRIDIS, (v - lo) / (hi - lo)));
            s.rect((x + 1.0, y + 1.0, cw - 2.0, ROW - 2.0), &fill, Some(&tip));
            let text = v.map_or("–".into(), |v| format!("{v:.*}", decimals(lo, hi)));
            s.text((x + cw / 2.0, y + 13.0), &text, Anchor::Middle, 10.0, text_on(&fill));
        }
    }
    s.finish(alt.id, alt.title, alt.desc)
}

/// One line of a line chart: values by year (gaps allowed).
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
    pub color: String,
    pub width: f64,
    pub dashed: bool,
}

/// Lines over the years, each labelled at its last point (labels pushed apart when close)
/// behind a short key in the line's colour; series with an empty label have neither label nor
/// point markers (background lines).
/// The y axis spans `range`, so that charts of different groups compare at a glance.
pub fn lines(alt: &Alt, years: &[i32], series: &[Series], (lo, hi): (f64, f64)) -> String {
    let (left, top, pw, ph) = (44.0, 20.0, 420.0, 220.0);
    let mut s = Svg::new(left + pw + 200.0, top + ph + 34.0);
    let step = pw / (years.len().max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| top + ph - (v - lo) / (hi - lo) * ph;
    for t in ticks(lo, hi) {
        s.line((left, y(t)), (left + pw, y(t)), Stroke::solid("#dddddd", 1.0));
        s.text((left - 6.0, y(t) + 4.0), &tick_label(t), Anchor::End, 10.0, GREY);
    }
    // Every k-th year, so that labels are at least 40 units apart.
    let every = (40.0 / step).ceil().max(1.0) as usize;
    for (i, yr) in years.iter().enumerate().filter(|(i, _)| i % every == 0) {
        s.text((x(i), top + ph + 18.0), &yr.to_string(), Anchor::Middle, 11.0, INK);
    }
    let mut ends = Vec::new();
    for se in series {
        let pts: Vec<(usize, f64)> =
            se.values.iter().enumerate().filter_map(|(i, v)| Some((i, (*v)?))).collect();
        let stroke = Stroke { color: &se.color, width: se.width, dashed: se.dashed };
        s.polyline(&pts.iter().map(|&(i, v)| (x(i), y(v))).collect::<Vec<_>>(), stroke);
        for &(i, v) in pts.iter().filter(|_| !se.label.is_empty()) {
            let tip = format!("{}, {}: {v:.2}", se.label, years[i]);
            s.circle((x(i), y(v)), 2.5, &se.color, Stroke::solid(&se.color, 1.0), Some(&tip));
        }
        if let Some(&(i, v)) = pts.last() {
            ends.push((y(v), x(i), se));
        }
    }
    end_labels(&mut s, ends);
    s.finish(alt.id, alt.title, alt.desc)
}

fn end_labels(s: &mut Svg, mut ends: Vec<(f64, f64, &Series)>) {
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last = f64::NEG_INFINITY;
    for (y, x, se) in ends.into_iter().filter(|e| !e.2.label.is_empty()) {
        let ly = y.max(last + 12.0);
        last = ly;
        // A key in the line's colour and dash, then the label in dark ink (readable on white
        // whatever the line's colour).
        let key = Stroke { color: &se.color, width: se.width.min(2.5), dashed: se.dashed };
        s.line((x + 6.0, ly), (x + 20.0, ly), key);
        s.text((x + 24.0, ly + 4.0), &se.label, Anchor::Start, 11.0, INK);
    }
}

/// A coloured cell of the band grid: its text, fill and tooltip.
pub struct GridCell {
    pub text: String,
    pub fill: String,
    pub tip: String,
}

/// Units (rows) × years (columns) cells, each on its band's colour, text chosen for contrast.
pub fn band_grid(alt: &Alt, years: &[i32], rows: &[(String, Vec<Option<GridCell>>)]) -> String {
    let (cw, top) = (120.0, 30.0);
    let mut s = Svg::new(LABEL_W + cw * years.len() as f64 + 10.0, top + ROW * rows.len() as f64 + 10.0);
    for (j, yr) in years.iter().enumerate() {
        s.text((LABEL_W + cw * (j as f64 + 0.5), top - 8.0), &yr.to_string(), Anchor::Middle, 11.0, INK);
    }
    for (i, (label, cells)) in rows.iter().enumerate() {
        let y = top + ROW * i as f64;
        s.text((LABEL_W - 6.0, y + 13.0), label, Anchor::End, 11.0, INK);
        for (j, c) in cells.iter().enumerate() {
            let x = LABEL_W + cw * j as f64;
            let (text, fill, tip) = match c {
                Some(c) => (c.text.as_str(), c.fill.as_str(), Some(c.tip.as_str())),
                None => ("–", "#eeeeee", None),
            };
            s.rect((x + 1.0, y + 1.0, cw - 2.0, ROW - 2.0), fill, tip);
            s.text((x + cw / 2.0, y + 13.0), text, Anchor::Middle, 10.0, text_on(fill));
        }
    }
    s.finish(alt.id, alt.title, alt.desc)
}

/// Rank under the base (left) and the candidate (right), one line per unit: blue when it
/// moves up, vermillion when it moves down, grey when unchanged.
pub fn slope(alt: &Alt, rows: &[(String, u32, u32)], n: usize) -> String {
    let (left, right, top) = (150.0, 450.0, 40.0);
    let y = |r: u32| top + ROW * f64::from(r.max(1) - 1);
    let mut s = Svg::new(right + 150.0, top + ROW * n.max(1) as f64 + 10.0);
    s.text((left, 20.0), "base rank", Anchor::End, 11.0, INK);
    s.text((right, 20.0), "candidate rank", Anchor::Start, 11.0, INK);
    for (label, b, c) in rows {
        let color = match c.cmp(b) {
            std::cmp::Ordering::Less => OKABE_ITO[5],
            std::cmp::Ordering::Greater => OKABE_ITO[6],
            std::cmp::Ordering::Equal => GREY,
        };
        let width = if b == c { 1.0 } else { 2.0 };
        s.line((left + 6.0, y(*b) + 9.0), (right - 6.0, y(*c) + 9.0), Stroke::solid(color, width));
        s.text((left, y(*b) + 13.0), &format!("{label} {b}"), Anchor::End, 10.0, INK);
        s.text((right, y(*c) + 13.0), &format!("{c} {label}"), Anchor::Start, 10.0, INK);
    }
    s.finish(alt.id, alt.title, alt.desc)
}

/// One row of the profile chart: a pillar with the unit's score and the two means.
pub struct DotRow {
    pub label: String,
    pub unit: Option<f64>,
    pub region: Option<f64>,
    pub overall: Option<f64>,
}

/// Each pillar on a 0–100 (or data) scale: the unit (filled circle), its region's mean
/// (diamond) and the overall mean (ring): three shapes, so colour is not needed to read it.
/// An empty name leaves its entry out of the legend (e.g. weights before and after).
pub fn dots(alt: &Alt, rows: &[DotRow], names: [&str; 3], axis: &str) -> String {
    let (top, w) = (44.0, 380.0);
    let vals = rows.iter().flat_map(|r| [r.unit, r.region, r.overall]).flatten();
    let (lo, hi) = nice_range(vals);
    let mut s = Svg::new(LABEL_W + w + 30.0, top + ROW * rows.len() as f64 + 10.0);
    let x = |v: f64| LABEL_W + (v - lo) / (hi - lo) * w;
    axis_x(&mut s, (lo, hi), top, rows.len(), &x, axis);
    legend(&mut s, names);
    for (i, r) in rows.iter().enumerate() {
        let y = top + ROW * i as f64 + ROW / 2.0;
        s.text((LABEL_W - 6.0, y + 4.0), &r.label, Anchor::End, 11.0, INK);
        let tip = |n: &str, v: f64| format!("{}, {n}: {v:.2}", r.label);
        if let Some(v) = r.overall {
            s.circle((x(v), y), 5.0, "none", Stroke::solid(GREY, 2.0), Some(&tip(names[2], v)));
        }
        if let Some(v) = r.region {
            s.diamond((x(v), y), 5.5, OKABE_ITO[6], Some(&tip(names[1], v)));
        }
        if let Some(v) = r.unit {
            s.circle((x(v), y), 4.5, OKABE_ITO[5], Stroke::solid(OKABE_ITO[5], 1.0), Some(&tip(names[0], v)));
        }
    }
    s.finish(alt.id, alt.title, alt.desc)
}

/// The legend of [`dots`]: one entry per non-empty name.
fn legend(s: &mut Svg, names: [&str; 3]) {
    let y = 12.0;
    let mut x = LABEL_W + 5.0;
    for (k, name) in names.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        match k {
            0 => s.circle((x, y), 4.5, OKABE_ITO[5], Stroke::solid(OKABE_ITO[5], 1.0), None),
            1 => s.diamond((x, y), 5.5, OKABE_ITO[6], None),
            _ => s.circle((x, y), 5.0, "none", Stroke::solid(GREY, 2.0), None),
        }
        s.text((x + 9.0, y + 4.0), name, Anchor::Start, 10.0, INK);
        x += 130.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt() -> Alt<'static> {
        Alt { id: "c", title: "T", desc: "D" }
    }

    #[test]
    fn nice_ranges_start_at_zero_and_end_on_1_2_5() {
        assert_eq!(nice_range([12.0, 87.0].into_iter()), (0.0, 100.0));
        assert_eq!(nice_range([0.394, 0.962].into_iter()), (0.0, 1.0));
        assert_eq!(nice_range([-12.0, 3.0].into_iter()), (-20.0, 5.0));
        assert_eq!(nice_range([150.0, 150.0].into_iter()), (0.0, 200.0));
        assert_eq!(nice_range([100.0].into_iter()), (0.0, 100.0));
        assert_eq!(nice_range(std::iter::empty()), (0.0, 1.0));
        assert_eq!((decimals(0.0, 100.0), decimals(0.0, 1.0)), (1, 3));
        assert_eq!(
            (tick_label(25.0), tick_label(0.25), tick_label(0.5)),
            ("25".into(), "0.25".into(), "0.5".into())
        );
    }

    #[test]
    fn ranking_bars_scale_to_the_axis_and_whiskers_span_the_interval() {
        let bar = |v: f64, interval| Bar {
            label: "A".into(),
            value: v,
            fill: "#67a9cf".into(),
            tip: "t".into(),
            interval,
            uncertain_band: None,
        };
        let out = ranking(&alt(), &[bar(50.0, Some((1.0, 1.0, 3.0))), bar(100.0, None)], (0.0, 100.0), 3);
        // Bars start at LABEL_W = 190 and are 330 wide for the full range: 50 → 165.
        assert!(
            out.contains("<rect x=\"190\" y=\"36\" width=\"165\" height=\"14\" fill=\"#67a9cf\" stroke=\"#767676\" stroke-width=\"0.5\">"),
            "{out}"
        );
        assert!(out.contains("width=\"330\""), "{out}");
        // Rank panel from 190 + 330 + 60 = 580, 220 wide over ranks 1..3: rank 3 at 800.
        assert!(out.contains("<line x1=\"580\" y1=\"43\" x2=\"800\" y2=\"43\""), "{out}");
        let plain = ranking(&alt(), &[bar(50.0, None)], (0.0, 100.0), 1);
        assert!(!plain.contains("5–95"), "{plain}");
        // An uncertain band: a diamond right of the rank panel (800 + 14), on the row's middle.
        assert!(!out.contains("<polygon"), "{out}");
        let marked = Bar { uncertain_band: Some(0.625), ..bar(50.0, Some((1.0, 1.0, 3.0))) };
        let out = ranking(&alt(), &[marked], (0.0, 100.0), 3);
        assert!(out.contains("<polygon points=\"814,38 819,43 814,48 809,43\""), "{out}");
        assert!(out.contains("uncertain band, 62 % of the runs in it"), "{out}");
    }

    #[test]
    fn heatmap_prints_every_value_and_marks_missing_cells() {
        let out = heatmap(
            &alt(),
            &["A".into()],
            &["P1".into(), "P2".into()],
            &[vec![Some(100.0), None]],
            (0.0, 100.0),
        );
        assert!(out.contains(">100.0</text>") && out.contains(">–</text>"), "{out}");
        assert!(out.contains("fill=\"#fde725\"") && out.contains("<title>A, P2: missing</title>"), "{out}");
    }

    #[test]
    fn slope_colours_moves_up_down_and_unchanged() {
        let rows = [("A".to_string(), 2, 1), ("B".to_string(), 1, 2), ("C".to_string(), 3, 3)];
        let out = slope(&alt(), &rows, 3);
        assert!(out.contains(&format!("stroke=\"{}\" stroke-width=\"2\"", OKABE_ITO[5])), "{out}");
        assert!(out.contains(&format!("stroke=\"{}\" stroke-width=\"2\"", OKABE_ITO[6])), "{out}");
        assert!(out.contains(&format!("stroke=\"{GREY}\" stroke-width=\"1\"")), "{out}");
        assert!(out.contains(">A 2</text>") && out.contains(">1 A</text>"), "{out}");
    }

    #[test]
    fn line_labels_are_pushed_apart() {
        let se = |l: &str, first: f64| Series {
            label: l.into(),
            values: vec![Some(first), Some(50.0)],
            color: "#000".into(),
            width: 1.0,
            dashed: false,
        };
        let unlabelled = Series { label: String::new(), ..se("", 10.0) };
        let out = lines(&alt(), &[2023, 2024], &[se("A", 100.0), se("B", 0.0), unlabelled], (0.0, 100.0));
        // Axis 0–100; both end at y = 20 + 220 − 0.5·220 = 130; the second label moves 12 down.
        assert!(
            out.contains("y=\"134\" text-anchor=\"start\" font-size=\"11\" fill=\"#222222\">A<"),
            "{out}"
        );
        assert!(
            out.contains("y=\"146\" text-anchor=\"start\" font-size=\"11\" fill=\"#222222\">B<"),
            "{out}"
        );
        assert_eq!(out.matches("<text").count(), 5 + 2 + 2, "ticks, years, two labels: {out}");
        assert_eq!(out.matches("<circle").count(), 4, "points of the labelled lines only: {out}");
        let many: Vec<i32> = (1990..=2022).collect();
        let long = lines(&alt(), &many, &[se("A", 1.0)], (0.0, 100.0));
        // 33 years over 420 units: 13.1 apart, so every 4th year is labelled (1990, 1994, …).
        assert!(long.contains(">1994</text>") && !long.contains(">1991</text>"), "{long}");
    }
}
