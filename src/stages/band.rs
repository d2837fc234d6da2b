//! Bands: each node score gets the label of the band it falls in. A band holds
//! min ≤ score < max; the top band (highest `max` among those that apply to a node) also
//! holds score = max. A score within [`EDGE_EPS`] of an edge is taken to be on it: a weighted
//! mean of children all at 100 can come out at 100.00000000000001, which is still the top
//! edge. Indicators are never banded.

use crate::codes::Code;
use crate::methodology::Band;

/// The bands that apply to `node`, in ascending order.
pub fn applicable<'b>(bands: &'b [Band], node: &Code) -> Vec<&'b Band> {
    bands.iter().filter(|b| b.nodes.as_ref().is_none_or(|ns| ns.contains(node))).collect()
}

/// How close to a band edge a score counts as on the edge (the tie tolerance of ranks).
pub const EDGE_EPS: f64 = super::TIE_EPS;

/// The index into `bands` of the band holding `score`, or `None`.
pub fn band_of(bands: &[&Band], score: f64) -> Option<usize> {
    let top = bands.iter().map(|b| b.max).fold(f64::NEG_INFINITY, f64::max);
    bands.iter().position(|b| holds(b.min, b.max, top, score))
}

/// Whether the band [`min`, `max`) holds `score` (`max` too when it is the `top` edge), with
/// scores within [`EDGE_EPS`] of an edge on it. NaN is in no band.
pub fn holds(min: f64, max: f64, top: f64, score: f64) -> bool {
    let on = |edge: f64| (score - edge).abs() <= EDGE_EPS;
    let above_min = min <= score || on(min);
    let below_max = (score < max && !on(max)) || (max == top && (score <= max || on(max)));
    above_min && below_max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(label: &str, min: f64, max: f64) -> Band {
        Band { label: label.into(), min, max, color: None, nodes: None }
    }

    #[test]
    fn min_inclusive_max_exclusive_top_closed() {
        let all = [b("high", 0.0, 40.0), b("low", 40.0, 100.0)];
        let refs: Vec<&Band> = all.iter().collect();
        assert_eq!(band_of(&refs, 0.0), Some(0));
        assert_eq!(band_of(&refs, 39.999), Some(0));
        assert_eq!(band_of(&refs, 40.0), Some(1));
        assert_eq!(band_of(&refs, 100.0), Some(1));
        assert_eq!(band_of(&refs, 100.5), None);
        assert_eq!(band_of(&refs, -1.0), None);
        assert_eq!(band_of(&refs, f64::NAN), None);
    }

    #[test]
    fn a_score_an_ulp_off_an_edge_is_on_it() {
        let all = [b("high", 0.0, 40.0), b("low", 40.0, 100.0)];
        let refs: Vec<&Band> = all.iter().collect();
        // (0.8·100 + 1.5·100 + 100 + 0.8·100) / 4.1 in doubles: a mean of four 100s.
        let mean = (0.8 * 100.0 + 1.5 * 100.0 + 100.0 + 0.8 * 100.0) / 4.1;
        assert!(mean > 100.0, "the rounding this test is about: {mean}");
        assert_eq!(band_of(&refs, mean), Some(1));
        assert_eq!(band_of(&refs, 40.0 - 1e-12), Some(1), "on the inner edge: the upper band");
        assert_eq!(band_of(&refs, -1e-12), Some(0));
        assert_eq!(band_of(&refs, 39.9999), Some(0), "further than the tolerance: below the edge");
        assert_eq!(band_of(&refs, 100.0001), None);
    }
}
