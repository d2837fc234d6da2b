//! Screen: drop units whose data are too sparse (COINr's `Screen`, `unit_screen = "byNA"`).
//!
//! For unit u in year y and a set S of indicators, the data availability is
//! a(u, y, S) = #{i ∈ S : x(i, u, y) is present} / |S|, counted on the data as read (before
//! transforms and imputation), each indicator once. A unit is dropped from year y when
//! a(u, y, all indicators) < `min_availability`, or a(u, y, indicators under node N) is below
//! N's threshold in `[screen.nodes]`. Dropped units are missing in every later data set, are
//! neither imputed nor donors, leave the fit samples of normalisation, and are left out of
//! `scores.csv` and `trends.csv`; the run log lists them with the rule each failed.

use crate::log::{Finding, RunLog};
use crate::methodology::{Framework, Methodology};
use crate::table::{Arranged, Panel};

/// The columns (positions among the indicators) of the indicators under element `node`.
fn columns_under(fw: &Framework, node: usize) -> Vec<usize> {
    let under = |mut id: usize| loop {
        if id == node {
            return true;
        }
        match fw.elements[id].parent {
            Some(p) => id = p,
            None => return false,
        }
    };
    fw.indicators.iter().enumerate().filter(|(_, id)| under(**id)).map(|(c, _)| c).collect()
}

/// The share of `cols` with a value for unit `u` in year `y`.
pub fn availability(p: &Panel, y: usize, u: usize, cols: &[usize]) -> f64 {
    cols.iter().filter(|&&c| !p.get(y, c, u).is_nan()).count() as f64 / cols.len() as f64
}

/// The rules unit `u` fails in year `y`, as text.
fn failures(p: &Panel, y: usize, u: usize, sets: &[(String, Vec<usize>, f64)]) -> Vec<String> {
    sets.iter()
        .filter_map(|(what, cols, min)| {
            let a = availability(p, y, u, cols);
            (a < *min).then(|| format!("{what} {:.0}% < {:.0}%", a * 100.0, min * 100.0))
        })
        .collect()
}

/// Which (year, unit) points are dropped: year-major, one flag per unit. All false without
/// `[screen]`.
pub fn screen(raw: &Panel, m: &Methodology, log: &mut RunLog) -> Vec<bool> {
    let mut dropped = vec![false; raw.years.len() * raw.units.len()];
    let rules = &m.screen;
    if !rules.is_active() {
        return dropped;
    }
    let fw = &m.framework;
    let mut sets: Vec<(String, Vec<usize>, f64)> = Vec::new();
    if let Some(min) = rules.min_availability {
        sets.push(("all indicators".into(), (0..fw.indicators.len()).collect(), min));
    }
    sets.extend(rules.nodes.iter().map(|n| (n.code.to_string(), columns_under(fw, n.node), n.min)));
    for y in 0..raw.years.len() {
        let mut units = Vec::new();
        for u in 0..raw.units.len() {
            let failed = failures(raw, y, u, &sets);
            if !failed.is_empty() {
                dropped[y * raw.units.len() + u] = true;
                units.push(format!("{} ({})", raw.units[u], failed.join(", ")));
            }
        }
        if !units.is_empty() {
            log.push(Finding::Screened { year: raw.years[y], units });
        }
    }
    dropped
}

/// `p` with every value of a dropped (year, unit) set missing.
pub fn mask(p: &Panel, dropped: &[bool]) -> Panel {
    let mut out = p.clone();
    for y in 0..p.years.len() {
        for c in 0..p.columns.len() {
            let col = out.col_mut(y, c);
            col.iter_mut()
                .zip(&dropped[y * p.units.len()..])
                .filter(|(_, d)| **d)
                .for_each(|(v, _)| *v = f64::NAN);
        }
    }
    out
}

/// The arranged data with the dropped points masked (auxiliary series too).
pub fn apply(a: &Arranged, dropped: &[bool]) -> Arranged {
    Arranged { raw: mask(&a.raw, dropped), aux: mask(&a.aux, dropped) }
}

/// Removes dropped units from the coverage findings pushed since `from`: a screened unit has
/// no data by design, and saying so node by node would only repeat the screening finding.
pub fn quiet_coverage(log: &mut RunLog, from: usize, p: &Panel, dropped: &[bool]) {
    let gone = |year: i32, unit: &str| {
        let y = p.years.iter().position(|&v| v == year);
        let u = p.units.iter().position(|c| c.as_str() == unit);
        matches!((y, u), (Some(y), Some(u)) if dropped[y * p.units.len() + u])
    };
    for f in &mut log.findings[from..] {
        if let Finding::InsufficientCoverage { year, units, .. } = f {
            units.retain(|u| !gone(*year, u));
        }
    }
    let mut i = 0;
    log.findings.retain(|f| {
        i += 1;
        i <= from || !matches!(f, Finding::InsufficientCoverage { units, .. } if units.is_empty())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Code, UnitCode};

    #[test]
    fn availability_and_mask() {
        let mut p = Panel::new(
            vec![UnitCode("XAA".into()), UnitCode("XAB".into())],
            vec![2024],
            vec![Code("a".into()), Code("b".into()), Code("c".into())],
        );
        // XAA has a and b; XAB only c.
        p.set(0, 0, 0, 1.0);
        p.set(0, 1, 0, 2.0);
        p.set(0, 2, 1, 3.0);
        assert_eq!(availability(&p, 0, 0, &[0, 1, 2]), 2.0 / 3.0);
        assert_eq!(availability(&p, 0, 1, &[0, 1]), 0.0);
        let m = mask(&p, &[true, false]);
        assert!(m.col(0, 0)[0].is_nan() && m.col(0, 1)[0].is_nan());
        assert_eq!(m.get(0, 2, 1), 3.0);
    }
}
