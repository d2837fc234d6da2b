//! The committee summary of `gti compare` as Markdown: what changed in the methodology, the
//! effective weights before and after, the largest rank shifts and the band crossings.

use crate::compare::{CompareRow, Comparison};
use std::fmt::Write;

fn score(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.2}"))
}

fn rank(v: Option<u32>) -> String {
    v.map_or("–".into(), |x| x.to_string())
}

fn signed(v: Option<i64>) -> String {
    v.map_or("–".into(), |x| format!("{x:+}"))
}

/// Renders the summary. Scores are shown to 2 decimals; the CSV holds full precision.
pub fn render(c: &Comparison) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Methodology comparison: {} → {}\n", c.base_version, c.candidate_version);
    keys(&mut s, c);
    weights(&mut s, c);
    shifts(&mut s, c);
    crossings(&mut s, c);
    s
}

fn keys(s: &mut String, c: &Comparison) {
    let _ = writeln!(s, "## Methodology keys that changed\n");
    if c.keys.is_empty() {
        let _ = writeln!(s, "None.\n");
        return;
    }
    let _ = writeln!(s, "| key | base | candidate |\n| --- | --- | --- |");
    for k in &c.keys {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into()).replace('|', "\\|");
        let _ = writeln!(s, "| `{}` | {} | {} |", k.path, show(&k.base), show(&k.candidate));
    }
    s.push('\n');
}

fn weights(s: &mut String, c: &Comparison) {
    let _ = writeln!(s, "## Effective weight of each indicator in the index\n");
    let _ = writeln!(s, "| indicator | base | candidate | change |\n| --- | ---: | ---: | ---: |");
    for w in &c.weights {
        let pct = |x: f64| format!("{:.2}%", 100.0 * x);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:+.2} pp |",
            w.indicator,
            pct(w.base),
            pct(w.candidate),
            100.0 * (w.candidate - w.base)
        );
    }
    s.push('\n');
}

fn shift_row(s: &mut String, r: &CompareRow) {
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} | {} |",
        r.unit,
        score(r.score_base),
        score(r.score_candidate),
        rank(r.rank_base),
        rank(r.rank_candidate),
        signed(r.rank_change),
        r.delta.map_or("–".into(), |d| format!("{d:+.2}"))
    );
}

fn shifts(s: &mut String, c: &Comparison) {
    let rows = c.largest_shifts(10);
    let year = rows.first().map_or(String::new(), |r| format!(" ({})", r.year));
    let _ = writeln!(s, "## Largest rank shifts in {}{year}\n", c.index);
    if rows.is_empty() {
        let _ = writeln!(s, "No rank changes.\n");
        return;
    }
    let _ = writeln!(
        s,
        "| unit | score base | score candidate | rank base | rank candidate | rank change | score change |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    rows.into_iter().for_each(|r| shift_row(s, r));
    let _ = writeln!(s, "\nRank change = base rank − candidate rank (positive: moves up).\n");
}

fn crossings(s: &mut String, c: &Comparison) {
    let rows = c.band_crossings();
    let _ = writeln!(s, "## Band crossings in {}\n", c.index);
    if rows.is_empty() {
        let _ = writeln!(s, "No unit changes band.\n");
        return;
    }
    let _ = writeln!(s, "| unit | year | band base | band candidate | score base | score candidate |");
    let _ = writeln!(s, "| --- | --- | --- | --- | ---: | ---: |");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            r.unit,
            r.year,
            r.band_base,
            r.band_candidate,
            score(r.score_base),
            score(r.score_candidate)
        );
    }
    s.push('\n');
}
