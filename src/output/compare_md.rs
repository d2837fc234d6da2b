//! The committee summary of `gti compare` as Markdown: how far the index ranking moves
//! (Spearman's ρ, the mean absolute rank shift), what changed in the methodology, the
//! effective weights before and after, the largest rank shifts and the band crossings, with
//! unit names from the units file.

use crate::compare::{CompareRow, Comparison};
use std::fmt::Write;

/// Text in a Markdown table cell: a `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn score(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.2}"))
}

fn rank(v: Option<u32>) -> String {
    v.map_or("–".into(), |x| x.to_string())
}

fn signed(v: Option<i64>) -> String {
    v.map_or("–".into(), |x| format!("{x:+}"))
}

/// A unit's name from the units file, or "–".
fn name<'a>(c: &'a Comparison, unit: &str) -> &'a str {
    c.names.get(unit).map_or("–", |n| n.as_str())
}

/// Renders the summary. Scores are shown to 2 decimals; the CSV holds full precision.
pub fn render(c: &Comparison) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Methodology comparison: {} → {}\n", c.base_version, c.candidate_version);
    agreement(&mut s, c);
    keys(&mut s, c);
    weights(&mut s, c);
    shifts(&mut s, c);
    crossings(&mut s, c);
    s
}

/// One line: how much the ranking of the index moves, in the latest year.
fn agreement(s: &mut String, c: &Comparison) {
    let Some(a) = c.agreement() else { return };
    let rho = if a.spearman.is_nan() {
        "undefined (a constant score, or fewer than 2 units)".to_string()
    } else {
        format!("{:.3}", a.spearman)
    };
    let _ = writeln!(
        s,
        "**{} in {}**, over the {} unit(s) scored under both: Spearman rank correlation {rho}; \
         mean absolute rank shift {:.2}; {} unit(s) change rank.\n",
        c.index, a.year, a.units, a.mean_abs_rank_shift, a.moved
    );
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

fn shift_row(s: &mut String, c: &Comparison, r: &CompareRow) {
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} | {} | {} |",
        r.unit,
        cell(name(c, &r.unit)),
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
        "| unit | name | score base | score candidate | rank base | rank candidate | rank change | score change |"
    );
    let _ = writeln!(s, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    rows.into_iter().for_each(|r| shift_row(s, c, r));
    let _ = writeln!(s, "\nRank change = base rank − candidate rank (positive: moves up).\n");
}

fn crossings(s: &mut String, c: &Comparison) {
    let rows = c.band_crossings();
    let _ = writeln!(s, "## Band crossings in {}\n", c.index);
    if rows.is_empty() {
        let _ = writeln!(s, "No unit changes band.\n");
        return;
    }
    let _ = writeln!(s, "| unit | name | year | band base | band candidate | score base | score candidate |");
    let _ = writeln!(s, "| --- | --- | --- | --- | --- | ---: | ---: |");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.unit,
            cell(name(c, &r.unit)),
            r.year,
            r.band_base,
            r.band_candidate,
            score(r.score_base),
            score(r.score_candidate)
        );
    }
    s.push('\n');
}
