//! Rank units within each year and column.
//!
//! Ranks are computed from unrounded scores; rank 1 is the highest score when the index's
//! `higher_is = "better"`, the lowest when "worse". Scores closer than [`TIE_EPS`] to the
//! first score of a tie group share its rank, and ties take the lowest rank ("min", as
//! COINr's `rank_df`), so 1, 2, 2, 4. Missing scores have no rank.

use crate::methodology::HigherIs;

pub use super::TIE_EPS;

/// Ranks of `scores` (NaN = missing → `None`).
pub fn rank(scores: &[f64], higher_is: HigherIs) -> Vec<Option<u32>> {
    let mut out = vec![None; scores.len()];
    rank_into(scores, higher_is, &mut out);
    out
}

/// [`rank`] into `out` (as long as `scores`).
pub fn rank_into(scores: &[f64], higher_is: HigherIs, out: &mut [Option<u32>]) {
    let mut order: Vec<(i64, u32)> = scores
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nan())
        .map(|(i, &v)| (order_key(v, higher_is), i as u32))
        .collect();
    order.sort_unstable();
    assign(scores, &order, |i, r| out[i] = r);
}

/// The ranks of a column from its (key, position) pairs sorted ascending (positions of
/// missing scores, if listed, last): `put(position, rank)` for each.
///
/// Sorting such pairs gives the order of a stable sort by `total_cmp` (the position breaks
/// ties as stability would) with integer comparisons and no indirection.
pub fn assign(scores: &[f64], sorted: &[(i64, u32)], mut put: impl FnMut(usize, Option<u32>)) {
    let (mut leader, mut leader_rank) = (f64::NAN, 0u32);
    for (pos, &(_, i)) in sorted.iter().enumerate() {
        let v = scores[i as usize];
        if v.is_nan() {
            put(i as usize, None);
            continue;
        }
        // NaN leader (the first score) never ties, so it opens the first group.
        let tied = (v - leader).abs() < TIE_EPS;
        if !tied {
            leader = v;
            leader_rank = pos as u32 + 1;
        }
        put(i as usize, Some(leader_rank));
    }
}

/// An integer in the order of `f64::total_cmp`, inverted when higher scores rank first;
/// a missing score (NaN) comes after every score.
pub fn order_key(v: f64, higher_is: HigherIs) -> i64 {
    if v.is_nan() {
        return i64::MAX;
    }
    match higher_is {
        HigherIs::Better => !total_key(v),
        HigherIs::Worse => total_key(v),
    }
}

/// An integer whose order is `f64::total_cmp`'s (the bits of a negative number, but the
/// sign, flipped); [`from_total_key`] inverts it. Sorting or selecting integers needs no
/// float comparator.
pub fn total_key(v: f64) -> i64 {
    flip(v.to_bits() as i64)
}

pub fn from_total_key(k: i64) -> f64 {
    f64::from_bits(flip(k) as u64)
}

/// Flips every bit but the sign of a negative number: its own inverse.
fn flip(b: i64) -> i64 {
    b ^ (((b >> 63) as u64) >> 1) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::Strategy as _;

    #[test]
    fn ties_share_the_lowest_rank_and_missing_has_none() {
        let r = rank(&[10.0, 20.0, 20.0 + 1e-12, f64::NAN, 5.0], HigherIs::Better);
        assert_eq!(r, vec![Some(3), Some(1), Some(1), None, Some(4)]);
        let r = rank(&[10.0, 20.0, 5.0], HigherIs::Worse);
        assert_eq!(r, vec![Some(2), Some(3), Some(1)]);
        assert_eq!(rank(&[], HigherIs::Better), vec![]);
    }

    /// The ranks of the stable sort by `total_cmp` that `rank` replaced (the definition).
    fn by_stable_sort(scores: &[f64], higher_is: HigherIs) -> Vec<Option<u32>> {
        let mut order: Vec<usize> = (0..scores.len()).filter(|&i| !scores[i].is_nan()).collect();
        order.sort_by(|&a, &b| match higher_is {
            HigherIs::Better => scores[b].total_cmp(&scores[a]),
            HigherIs::Worse => scores[a].total_cmp(&scores[b]),
        });
        let mut out = vec![None; scores.len()];
        let (mut leader, mut leader_rank) = (f64::NAN, 0u32);
        for (pos, &i) in order.iter().enumerate() {
            let tied = (scores[i] - leader).abs() < TIE_EPS;
            if !tied {
                leader = scores[i];
                leader_rank = pos as u32 + 1;
            }
            out[i] = Some(leader_rank);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn ranks_are_those_of_a_stable_sort(
            raw in proptest::collection::vec(
                proptest::prop_oneof![
                    (-3i32..3).prop_map(|k| k as f64 * 0.5),
                    (-3i32..3).prop_map(|k| k as f64 * 0.5 + 1e-12),
                    proptest::num::f64::ANY,
                    proptest::strategy::Just(-0.0),
                    proptest::strategy::Just(f64::INFINITY),
                ],
                0..40,
            )
        ) {
            for h in [HigherIs::Better, HigherIs::Worse] {
                proptest::prop_assert_eq!(rank(&raw, h), by_stable_sort(&raw, h));
            }
        }
    }

    #[test]
    fn near_ties_beyond_epsilon_are_distinct() {
        let r = rank(&[1.0, 1.0 + 2e-9], HigherIs::Better);
        assert_eq!(r, vec![Some(2), Some(1)]);
    }
}
