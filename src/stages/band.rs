//! Bands: each node score gets the label of the band it falls in. A band holds
//! min ≤ score < max; the top band (highest `max` among those that apply to a node) also
//! holds score = max. Indicators are never banded.

use crate::codes::Code;
use crate::methodology::Band;

/// The bands that apply to `node`, in ascending order.
pub fn applicable<'b>(bands: &'b [Band], node: &Code) -> Vec<&'b Band> {
    bands.iter().filter(|b| b.nodes.as_ref().is_none_or(|ns| ns.contains(node))).collect()
}

/// The index into `bands` of the band holding `score`, or `None`.
pub fn band_of(bands: &[&Band], score: f64) -> Option<usize> {
    if score.is_nan() {
        return None;
    }
    let top = bands.iter().map(|b| b.max).fold(f64::NEG_INFINITY, f64::max);
    bands.iter().position(|b| b.min <= score && (score < b.max || (score == b.max && b.max == top)))
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
}
