//! Recomputed results against a published table, for `gti verify` (and the published
//! editions `gti compare --edition` reads).
//!
//! The published table is `unit,year,node,score[,rank]` (`indicator,value` are accepted for
//! `node,score`, so that `gti import columns` output can be used as is). Published values are
//! usually rounded: a comparison can round each computed value half-up to N decimals (on its
//! exact decimal expansion) before comparing. A value matches when |computed − published| ≤
//! tolerance. Rows with an empty published score are skipped and counted. A unit-year that
//! `[screen]` dropped has no computed value, as it has no row in `scores.csv`: a published
//! value for it is a mismatch, said to be screened out.

use crate::error::{DataError, Diag, Error, Location, Result};
use crate::ingest::{Units, cell::parse_value};
use crate::methodology::Methodology;
use crate::rows::score_rows;
use crate::stages::Results;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One published value.
#[derive(Debug, Clone)]
pub struct Published {
    pub unit: String,
    pub year: i32,
    pub node: String,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub line: u64,
    /// Decimals the score is written with (`12.50`: 2); `None` in exponent notation.
    pub decimals: Option<usize>,
}

/// One comparison.
#[derive(Debug, Clone)]
pub struct Check {
    pub published: Published,
    pub computed: Option<f64>,
    pub compared: Option<f64>,
    pub rank: Option<u32>,
    pub ok: bool,
    /// `[screen]` dropped the unit from that year in this run: it has no computed value.
    pub screened: bool,
}

impl Check {
    /// |compared − published|; infinite when either is missing.
    pub fn diff(&self) -> f64 {
        match (self.compared, self.published.score) {
            (Some(c), Some(p)) => (c - p).abs(),
            _ => f64::INFINITY,
        }
    }
}

/// Rounds half-up (towards +∞ at an exact half) to `n` decimals, deciding on the exact
/// decimal expansion of `x` rather than on `x · 10ⁿ`, which can itself round.
pub fn round_half_up(x: f64, n: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    // Rust prints the exact expansion to the requested precision; 30 more digits decide
    // every case but a run of 30 nines or zeros.
    let s = format!("{:.*}", n + 30, x.abs());
    let (int, frac) = s.split_once('.').expect("formatted with a fraction");
    let kept: f64 = format!("{int}.{}", &frac[..n]).parse().expect("digits");
    let digit = frac.as_bytes()[n] - b'0';
    let rest = frac[n + 1..].bytes().any(|b| b != b'0');
    // Half-up is towards +∞: away from zero for positives, towards zero at an exact half below 0.
    let up = if x >= 0.0 { digit >= 5 } else { digit > 5 || (digit == 5 && rest) };
    let step = 10f64.powi(-(n as i32));
    let v = if up { format!("{:.*}", n, kept + step).parse().expect("digits") } else { kept };
    if x < 0.0 { -v } else { v }
}

fn header_index(names: &[String], keys: &[&str]) -> Option<usize> {
    names.iter().position(|n| keys.iter().any(|k| n.eq_ignore_ascii_case(k)))
}

/// Reads a published table.
pub fn read_published(path: &Path) -> Result<Vec<Published>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_published(path, &bytes)
}

/// A published table's bytes (`path` names it in messages): unit,year,node,score[,rank], any
/// column order, a UTF-8 byte-order mark allowed.
pub fn parse_published(path: &Path, bytes: &[u8]) -> Result<Vec<Published>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Records end at `\n` only, so that lines of CRLF files are numbered right (see ingest).
    let mut rdr = csv::ReaderBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_reader(bytes);
    let fail = |line: u64, msg: String| -> Error {
        DataError(vec![Diag::new(Location::at(path, line, None), msg)]).into()
    };
    let names: Vec<String> =
        rdr.headers().map_err(|e| fail(1, e.to_string()))?.iter().map(|s| s.trim().to_string()).collect();
    let col = |keys: &[&str]| header_index(&names, keys);
    let (Some(u), Some(y), Some(n), Some(s)) =
        (col(&["unit"]), col(&["year"]), col(&["node", "indicator"]), col(&["score", "value"]))
    else {
        return Err(fail(
            1,
            format!("a published table needs unit,year,node,score[,rank]; the header is {}", names.join(",")),
        ));
    };
    let r = col(&["rank"]);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| fail(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        let year =
            cell(y).parse().map_err(|_| fail(line, format!("year '{}' is not a whole number", cell(y))))?;
        let score = parse_value(cell(s)).map_err(|(m, _)| fail(line, m))?;
        let rank = match r.map(cell).filter(|v| !v.is_empty() && *v != "NA") {
            Some(v) => Some(v.parse().map_err(|_| fail(line, format!("rank '{v}' is not a whole number")))?),
            None => None,
        };
        let decimals = written_decimals(cell(s));
        out.push(Published {
            unit: cell(u).to_string(),
            year,
            node: cell(n).to_string(),
            score,
            rank,
            line,
            decimals,
        });
    }
    Ok(out)
}

/// The decimals a number is written with: `12.50` → 2, `92` → 0; `None` for exponent
/// notation (`1e-3`), whose precision is not in its digits.
fn written_decimals(cell: &str) -> Option<usize> {
    if cell.contains(['e', 'E']) {
        return None;
    }
    Some(cell.split_once('.').map_or(0, |(_, frac)| frac.len()))
}

/// When the published values look rounded and the comparison did not round them so: the
/// decimals N they are written with (the most of any) and how many of them would match
/// with `--round N`, when that is more than match now. "Look rounded": every published
/// score is written in plain decimals, at most N of them, and some computed value has more.
pub fn suggest_round(
    published: &[Published],
    computed: &Computed,
    round: Option<usize>,
    tol: f64,
) -> Option<(usize, usize)> {
    let scored: Vec<&Published> = published.iter().filter(|p| p.score.is_some()).collect();
    let n = scored.iter().map(|p| p.decimals).collect::<Option<Vec<usize>>>()?.into_iter().max()?;
    // Beyond 15 decimals a double holds no more: nothing was rounded.
    if round == Some(n) || n > 15 {
        return None;
    }
    let finer = scored.iter().any(|p| {
        let key = (p.unit.clone(), p.year, p.node.clone());
        computed.scores.get(&key).and_then(|c| c.0).is_some_and(|c| round_half_up(c, n) != c)
    });
    if !finer {
        return None;
    }
    let ok = |r: Option<usize>| compare(published.to_vec(), computed, r, tol).iter().filter(|c| c.ok).count();
    let (now, then) = (ok(round), ok(Some(n)));
    (then > now).then_some((n, then))
}

/// (unit, year, node).
type Key = (String, i32, String);

/// A run's results as `scores.csv` holds them, for comparison.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    /// (score, rank) by (unit, year, node).
    pub scores: HashMap<Key, (Option<f64>, Option<u32>)>,
    /// The (unit, year)s `[screen]` dropped: not in `scores`, as not in `scores.csv`.
    pub screened: HashSet<(String, i32)>,
}

/// A run's scores and ranks by (unit, year, node), as `scores.csv` holds them.
pub fn computed(m: &Methodology, r: &Results, units: Option<&Units>) -> Computed {
    let rows = score_rows(m, r, units);
    let p = &r.datasets.aggregated;
    let screened = (0..p.years.len())
        .flat_map(|y| (0..p.units.len()).map(move |u| (y, u)))
        .filter(|&(y, u)| r.screened[y * p.units.len() + u])
        .map(|(y, u)| (p.units[u].to_string(), p.years[y]))
        .collect();
    Computed {
        scores: rows.into_iter().map(|r| ((r.unit, r.year, r.node), (r.score, r.rank))).collect(),
        screened,
    }
}

/// Compares published values with computed ones.
pub fn compare(published: Vec<Published>, computed: &Computed, round: Option<usize>, tol: f64) -> Vec<Check> {
    published
        .into_iter()
        .filter(|p| p.score.is_some())
        .map(|p| {
            let key = (p.unit.clone(), p.year, p.node.clone());
            let (value, rank) = computed.scores.get(&key).copied().unwrap_or((None, None));
            let compared = value.map(|c| round.map_or(c, |n| round_half_up(c, n)));
            let value_ok = matches!((compared, p.score), (Some(c), Some(s)) if (c - s).abs() <= tol);
            let rank_ok = p.rank.is_none() || p.rank == rank;
            let screened = computed.screened.contains(&(key.0, key.1));
            Check { published: p, computed: value, compared, rank, ok: value_ok && rank_ok, screened }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_as_written() {
        assert_eq!(written_decimals("12.50"), Some(2));
        assert_eq!(written_decimals("92"), Some(0));
        assert_eq!(written_decimals("-0.125"), Some(3));
        assert_eq!(written_decimals("1.5e-3"), None);
    }

    #[test]
    fn half_up_on_the_exact_expansion() {
        // 1/16 is exact in binary: a true half, rounded up (half-even would give 0.062).
        assert_eq!(round_half_up(0.0625, 3), 0.063);
        assert_eq!(round_half_up(-0.0625, 3), -0.062);
        // The doubles nearest 2.675 and 1.0005 lie just below the half: they round down,
        // where x · 10ⁿ rounding would wrongly go up for 1.0005 · 1000 = 1000.5.
        assert_eq!(round_half_up(2.675, 2), 2.67);
        assert_eq!(round_half_up(1.0005, 3), 1.0);
        assert_eq!(round_half_up(0.9996, 3), 1.0);
        assert_eq!(round_half_up(12.0, 2), 12.0);
        assert_eq!(round_half_up(-1.2351, 2), -1.24);
    }
}
