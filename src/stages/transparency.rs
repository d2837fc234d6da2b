//! Transparency: per unit, year and node, the share of its questionnaire (expert) items
//! answered, by count and by weight, and the optional penalty for missing information. The
//! GTI treats the absence of information as a finding in its own right, not only a gap.
//!
//! An expert item is *answered* for a unit and year when it has a value after combination
//! (enough answers, or a combined value given). Too few answers, only "don't know", or no
//! response at all is missing information, whatever imputation later fills in.
//!
//! For a node N, with each child's weight renormalised among its siblings, f꜀ = w꜀ / Σ w:
//! - `items`, `answered`: the expert indicators beneath N (any depth), and those answered;
//!   `share_count` = answered / items.
//! - `share_weight` = A(N) / T(N), where an expert item has T = 1 and A = 1 if answered (else
//!   0), a statistical indicator T = A = 0, and a node T = Σ f꜀ T(c), A = Σ f꜀ A(c): the
//!   answered items' share of the effective weight of N's expert items.
//!
//! **Penalty** (`[expert] penalty = { k = … }`, off by default): at every node with expert
//! indicators among its *direct* children, score − k · m, where m = Σ w꜀ over the direct expert
//! children missing / Σ w꜀ over all direct expert children. It is applied in aggregation, after
//! the node is combined and before its parent uses it, so the index inherits penalised scores
//! without being penalised again. For a node whose expert items are all direct children (the
//! GTI's pillars), m = 1 − `share_weight`. k is in score points per unit of share: the
//! "− 0.5 × (M/N) × 100" rule on a 0–100 scale is k = 50. Scores are not clamped.

use crate::methodology::{Methodology, Source};
use crate::table::Panel;

/// Transparency of every point, in the aggregated layout (year × element × unit). Only nodes
/// with `items > 0` are meaningful.
#[derive(Debug, Clone, Default)]
pub struct Transparency {
    /// Every vector is empty when the methodology has no expert indicator.
    pub items: Vec<u32>,
    pub answered: Vec<u32>,
    /// NaN where a node has no expert item of positive weight.
    pub share_weight: Vec<f64>,
    /// The points the penalty subtracts at penalised nodes; `None` elsewhere or when off.
    pub penalty: Vec<Option<f64>>,
}

/// (items, answered, T, A) of one element for one unit and year.
type Tally = (u32, u32, f64, f64);

fn is_expert(m: &Methodology, id: usize) -> bool {
    m.element(id).indicator().is_some_and(|s| s.source == Source::Expert)
}

/// Tallies every element for one (year, unit), indicators from `raw`, nodes bottom-up.
fn tally(raw: &Panel, m: &Methodology, y: usize, u: usize) -> Vec<Tally> {
    let fw = &m.framework;
    let mut t: Vec<Tally> = vec![(0, 0, 0.0, 0.0); fw.elements.len()];
    for (c, &id) in fw.indicators.iter().enumerate() {
        if is_expert(m, id) {
            let answered = !raw.get(y, c, u).is_nan();
            t[id] = (1, u32::from(answered), 1.0, if answered { 1.0 } else { 0.0 });
        }
    }
    for &n in &fw.bottom_up {
        let kids = &fw.elements[n].children;
        let total: f64 = kids.iter().map(|&k| fw.elements[k].weight).sum();
        t[n] = kids.iter().fold((0, 0, 0.0, 0.0), |acc, &k| {
            let f = fw.elements[k].weight / total;
            (acc.0 + t[k].0, acc.1 + t[k].1, acc.2 + f * t[k].2, acc.3 + f * t[k].3)
        });
    }
    t
}

/// m for node `n`: the weight share of its direct expert children that is missing (`None`
/// without direct expert children of positive weight).
fn missing_share(m: &Methodology, n: usize, t: &[Tally]) -> Option<f64> {
    let kids = m.element(n).children.iter().filter(|&&k| is_expert(m, k));
    let (all, answered) = kids.fold((0.0, 0.0), |acc, &k| {
        let w = m.element(k).weight;
        (acc.0 + w, acc.1 + w * t[k].3)
    });
    (all > 0.0).then(|| 1.0 - answered / all)
}

/// Computes transparency (and the penalty, when the methodology sets one) from the raw panel.
pub fn transparency(raw: &Panel, m: &Methodology) -> Transparency {
    let fw = &m.framework;
    if !fw.indicators.iter().any(|&i| is_expert(m, i)) {
        // Nothing to tally, and at ten million points the tallies would weigh 320 MB.
        return Transparency::default();
    }
    let (nu, ne) = (raw.units.len(), fw.elements.len());
    let n = raw.years.len() * ne * nu;
    let mut out = Transparency {
        items: vec![0; n],
        answered: vec![0; n],
        share_weight: vec![f64::NAN; n],
        penalty: vec![None; n],
    };
    for y in 0..raw.years.len() {
        for u in 0..nu {
            let t = tally(raw, m, y, u);
            for (e, &(items, answered, total, got)) in t.iter().enumerate() {
                let i = (y * ne + e) * nu + u;
                (out.items[i], out.answered[i]) = (items, answered);
                out.share_weight[i] = if total > 0.0 { got / total } else { f64::NAN };
                if let (Some(p), false) = (m.penalty, fw.elements[e].is_indicator()) {
                    out.penalty[i] = missing_share(m, e, &t).map(|share| p.k * share);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Code, UnitCode};
    use crate::methodology::Methodology;
    use std::path::Path;

    /// I over P (e1 weight 1, e2 weight 3, s statistical) and Q (e3).
    const TOML: &str = r#"schema = 1
[index]
code = "I"
name = "I"
version = "1"
[expert]
penalty = { k = 50 }
[node.I]
[node.P]
parent = "I"
[indicator.e1]
parent = "P"
source = "expert"
[indicator.e2]
parent = "P"
source = "expert"
weight = 3
[indicator.s]
parent = "P"
[node.Q]
parent = "I"
[indicator.e3]
parent = "Q"
source = "expert"
"#;

    fn setup(values: [f64; 4]) -> (Methodology, Panel) {
        let m = Methodology::parse_str(Path::new("t.toml"), TOML, String::new(), &[]).unwrap();
        let cols = ["e1", "e2", "s", "e3"].map(|c| Code(c.into())).to_vec();
        let mut p = Panel::new(vec![UnitCode("XAA".into())], vec![2024], cols);
        (0..4).for_each(|c| p.set(0, c, 0, values[c]));
        (m, p)
    }

    #[test]
    fn shares_by_count_and_by_weight_and_the_penalty() {
        // e1 missing, e2 and e3 answered, s (statistical) missing and not counted.
        let (m, raw) = setup([f64::NAN, 4.0, f64::NAN, 1.0]);
        let t = transparency(&raw, &m);
        let at = |code: &str| m.framework.find(code).unwrap();
        // P's children weigh 1, 3, 1 of 5: f = 0.2 (e1), 0.6 (e2), 0.2 (s).
        // T(P) = 0.2 + 0.6 = 0.8; A(P) = 0.6 (e2 only) → 0.6/0.8 = 0.75. Counts: 2 items, 1.
        assert_eq!((t.items[at("P")], t.answered[at("P")]), (2, 1));
        assert!((t.share_weight[at("P")] - 0.75).abs() < 1e-12);
        // I: P and Q weigh ½ each; Q: T = A = 1. T(I) = 0.4 + 0.5 = 0.9, A(I) = 0.3 + 0.5 =
        // 0.8 → 8/9. Counts: 3 items, 2 answered.
        assert_eq!((t.items[at("I")], t.answered[at("I")]), (3, 2));
        assert!((t.share_weight[at("I")] - 8.0 / 9.0).abs() < 1e-12);
        // Penalty at P (direct expert children): 50 × 1/4 = 12.5; Q: 0; I has none.
        assert_eq!(t.penalty[at("P")], Some(12.5));
        assert_eq!(t.penalty[at("Q")], Some(0.0));
        assert_eq!(t.penalty[at("I")], None);
    }

    #[test]
    fn no_penalty_when_off_and_all_answered_is_one() {
        let (mut m, raw) = setup([1.0, 2.0, 3.0, 4.0]);
        m.penalty = None;
        let t = transparency(&raw, &m);
        let p = m.framework.find("P").unwrap();
        assert_eq!(t.share_weight[p], 1.0);
        assert!(t.penalty.iter().all(Option::is_none));
    }
}
