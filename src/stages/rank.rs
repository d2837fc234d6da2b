//! Rank units within each year and column.
//!
//! Ranks are computed from unrounded scores; rank 1 is the highest score when the index's
//! `higher_is = "better"`, the lowest when "worse". Scores closer than [`TIE_EPS`] to the
//! first score of a tie group share its rank, and ties take the lowest rank ("min", as
//! COINr's `rank_df`), so 1, 2, 2, 4. Missing scores have no rank.

use crate::methodology::HigherIs;

/// Scores that differ by less than this are ties (DESIGN).
pub const TIE_EPS: f64 = 1e-9;

/// Ranks of `scores` (NaN = missing → `None`).
pub fn rank(scores: &[f64], higher_is: HigherIs) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| !scores[i].is_nan()).collect();
    order.sort_by(|&a, &b| match higher_is {
        HigherIs::Better => scores[b].total_cmp(&scores[a]),
        HigherIs::Worse => scores[a].total_cmp(&scores[b]),
    });
    let mut out = vec![None; scores.len()];
    let (mut leader, mut leader_rank) = (f64::NAN, 0u32);
    for (pos, &i) in order.iter().enumerate() {
        // NaN leader (the first score) never ties, so it opens the first group.
        let tied = (scores[i] - leader).abs() < TIE_EPS;
        if !tied {
            leader = scores[i];
            leader_rank = pos as u32 + 1;
        }
        out[i] = Some(leader_rank);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_lowest_rank_and_missing_has_none() {
        let r = rank(&[10.0, 20.0, 20.0 + 1e-12, f64::NAN, 5.0], HigherIs::Better);
        assert_eq!(r, vec![Some(3), Some(1), Some(1), None, Some(4)]);
        let r = rank(&[10.0, 20.0, 5.0], HigherIs::Worse);
        assert_eq!(r, vec![Some(2), Some(3), Some(1)]);
        assert_eq!(rank(&[], HigherIs::Better), vec![]);
    }

    #[test]
    fn near_ties_beyond_epsilon_are_distinct() {
        let r = rank(&[1.0, 1.0 + 2e-9], HigherIs::Better);
        assert_eq!(r, vec![Some(2), Some(1)]);
    }
}
