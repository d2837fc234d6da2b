//! The outputs of `gti verify`: the summary it prints and the comparison table of `-o FILE`.

use super::csv::{f, n, table};
use super::fmt_f64;
use crate::error::Result;
use crate::verify::Check;
use std::path::Path;

/// How a comparison was made, for the summary's first line and its locations.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub published: &'a Path,
    pub round: Option<u8>,
    pub tolerance: f64,
    /// [`crate::verify::suggest_round`]: the published values' decimals N and the matches
    /// `--round N` would give.
    pub suggest: Option<(usize, usize)>,
}

/// The summary: counts, then the worst mismatches with their lines in the published table.
pub fn summary(checks: &[Check], skipped: usize, how: Settings) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let bad: Vec<&Check> = checks.iter().filter(|c| !c.ok).collect();
    let rounding = how.round.map_or("unrounded".to_string(), |n| format!("rounded half-up to {n} decimals"));
    let _ = writeln!(
        s,
        "verify: {} published values compared ({rounding}, tolerance {}): {} match, {} mismatch; {skipped} published blank",
        checks.len(),
        fmt_f64(how.tolerance),
        checks.len() - bad.len(),
        bad.len()
    );
    if let Some((n, then)) = how.suggest {
        let _ = writeln!(
            s,
            "hint: the published values are written with at most {n} decimal(s) and the computed ones \
             with more: with --round {n}, {then} of {} match",
            checks.len()
        );
    }
    let mut worst = bad;
    worst.sort_by(|a, b| b.diff().total_cmp(&a.diff()).then(a.published.line.cmp(&b.published.line)));
    if !worst.is_empty() {
        let _ = writeln!(s, "worst mismatches (unit, year, node: published, computed):");
    }
    for c in worst.iter().take(10) {
        let p = &c.published;
        let shown = match c.compared {
            Some(v) => fmt_f64(v),
            None if c.screened => "not computed (dropped by [screen])".into(),
            None => "not computed".into(),
        };
        let rank = match (p.rank, c.rank) {
            (Some(a), b) if Some(a) != b => {
                format!("; rank published {a}, computed {}", b.map_or("none".into(), |r| r.to_string()))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "  {}, {}, {}: {}, {shown}{rank}  ({}:{})",
            p.unit,
            p.year,
            p.node,
            fmt_f64(p.score.unwrap_or(f64::NAN)),
            how.published.display(),
            p.line
        );
    }
    s
}

/// The comparison table: one row per published value.
pub fn table_csv(checks: &[Check]) -> Result<Vec<u8>> {
    let header = [
        "unit",
        "year",
        "node",
        "published",
        "computed",
        "compared",
        "diff",
        "rank_published",
        "rank_computed",
        "status",
    ];
    table(
        &header,
        checks.iter().map(|c| {
            let p = &c.published;
            let diff = if c.diff().is_finite() { fmt_f64(c.diff()) } else { String::new() };
            let status = if c.ok { "match" } else { "mismatch" };
            vec![
                p.unit.clone(),
                p.year.to_string(),
                p.node.clone(),
                f(p.score),
                f(c.computed),
                f(c.compared),
                diff,
                n(p.rank),
                n(c.rank),
                status.into(),
            ]
        }),
    )
}
