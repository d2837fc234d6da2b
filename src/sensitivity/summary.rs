//! Summaries of an uncertainty analysis, per unit, year and node: mean, median and the 5 %
//! and 95 % quantiles of the rank and of the score over the replications, and the share of
//! replications in each risk band.
//!
//! Quantiles are R's type 7 (COINr's `quantile` default): with the n sorted values x₀ … x₋₁
//! and h = (n − 1)p, Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). Replications in which a point
//! is missing (coverage, or an undefined mean) are left out of its statistics and counted.

/// Statistics of one variable over the replications where it is present.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub median: f64,
    pub q05: f64,
    pub q95: f64,
}

/// One point's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct PointSummary {
    /// Replications where the point has a score.
    pub present: usize,
    pub rank: Option<Stats>,
    pub score: Option<Stats>,
    /// Share of all replications in each band applicable to the node (ascending bands).
    pub band_share: Vec<f64>,
    /// The band holding both the 5 % and 95 % score quantiles; `None` when they differ
    /// ("uncertain") or no band applies.
    pub band_interval: Option<usize>,
}

pub use crate::stats::quantile_sorted;

/// Type-7 quantile of `xs` by selection (O(n)), equal to [`quantile_sorted`] of the sorted
/// values.
pub fn quantile_select(xs: &[f64], p: f64) -> f64 {
    let mut keys: Vec<i64> = xs.iter().map(|&x| key(x)).collect();
    within(&mut keys, (xs.len().max(1) - 1) as f64 * p).unwrap_or(f64::NAN)
}

/// An integer whose order is `f64::total_cmp`'s; [`unkey`] inverts it. Selecting on
/// integers needs no float comparator, which makes it several times faster.
fn key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

fn unkey(k: i64) -> f64 {
    f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64)
}

/// Mean, median, 5 % and 95 % quantiles of `xs`; `None` when empty.
pub fn stats(xs: &[f64]) -> Option<Stats> {
    if xs.is_empty() {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let mut keys: Vec<i64> = xs.iter().map(|&x| key(x)).collect();
    let pos = |p: f64| (xs.len() - 1) as f64 * p;
    let median = within(&mut keys, pos(0.5))?;
    // The median's selection splits the values; the 5 % quantile lies at or below the median's
    // position, the 95 % at or above it, so each is selected within its part.
    let mid = pos(0.5).floor() as usize;
    let q05 = if (pos(0.05).floor() as usize) < mid {
        within(&mut keys[..=mid], pos(0.05))?
    } else {
        within(&mut keys, pos(0.05))? // so few values that the parts do not help
    };
    let q95 = within(&mut keys[mid..], pos(0.95) - mid as f64).unwrap_or(median);
    Some(Stats { mean, median, q05, q95 })
}

/// The type-7 interpolation at fractional position `h` of `part` (keys) by selection, when
/// `h` lies inside `part` (and its successor too, when `h` is not whole).
fn within(part: &mut [i64], h: f64) -> Option<f64> {
    let lo = h.floor() as usize;
    if lo >= part.len() {
        return None;
    }
    let (_, x_lo, above) = part.select_nth_unstable(lo);
    let x_lo = unkey(*x_lo);
    let frac = h - lo as f64;
    if frac == 0.0 {
        return Some(x_lo);
    }
    let x_hi = unkey(*above.iter().min()?);
    Some(x_lo + frac * (x_hi - x_lo))
}

/// The same statistics of ranks (0 = missing) from their histogram: O(n + units).
pub fn rank_stats(ranks: &[u32]) -> Option<Stats> {
    let max = ranks.iter().copied().max().unwrap_or(0) as usize;
    let mut counts = vec![0usize; max + 1];
    ranks.iter().for_each(|&r| counts[r as usize] += 1);
    let n: usize = counts[1..].iter().sum();
    if n == 0 {
        return None;
    }
    // The k-th smallest rank (0-based).
    let nth = |k: usize| {
        let mut cum = 0;
        (1..=max).find(|&r| {
            cum += counts[r];
            cum > k
        })
    };
    let q = |p: f64| {
        let h = (n - 1) as f64 * p;
        let lo = h.floor() as usize;
        let (a, b) = (nth(lo).unwrap_or(0) as f64, nth((lo + 1).min(n - 1)).unwrap_or(0) as f64);
        a + (h - lo as f64) * (b - a)
    };
    let sum: u64 = ranks.iter().map(|&r| u64::from(r)).sum();
    Some(Stats { mean: sum as f64 / n as f64, median: q(0.5), q05: q(0.05), q95: q(0.95) })
}

/// Summarises one point from its scores and ranks (0 = missing) in replication order.
/// `band_of` maps a score to the index of its band among `n_bands`.
pub fn summarise(
    scores: &mut Vec<f64>,
    ranks: &[u32],
    n_bands: usize,
    band_of: impl Fn(f64) -> Option<usize>,
) -> PointSummary {
    let runs = scores.len();
    let mut counts = vec![0usize; n_bands];
    for b in scores.iter().filter_map(|&s| band_of(s)) {
        counts[b] += 1;
    }
    scores.retain(|s| !s.is_nan());
    let score = stats(scores);
    let band_interval = score.and_then(|s| band_of(s.q05).filter(|&b| band_of(s.q95) == Some(b)));
    PointSummary {
        present: scores.len(),
        rank: rank_stats(ranks),
        score,
        band_share: counts.iter().map(|&c| c as f64 / runs.max(1) as f64).collect(),
        band_interval,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_7_quantiles_by_hand() {
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&xs, 0.5), 3.0);
        // h = 4 · 0.05 = 0.2: 1 + 0.2 · 1 = 1.2; h = 3.8: 4 + 0.8 · 6 = 8.8.
        assert!((quantile_sorted(&xs, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile_sorted(&xs, 0.95) - 8.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[5.0], 0.95), 5.0);
    }

    #[test]
    fn selection_and_histogram_agree_with_sorting() {
        // A deterministic scramble of 0..1000 with repeats.
        let xs: Vec<f64> = (0..1001u64).map(|i| ((i * 7919) % 613) as f64).collect();
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let ranks: Vec<u32> = xs.iter().map(|&x| x as u32 + 1).chain([0, 0]).collect();
        let (sel, h) = (xs.clone(), rank_stats(&ranks).unwrap());
        let st = stats(&xs).unwrap();
        assert_eq!(
            (st.q05, st.median, st.q95),
            (quantile_sorted(&sorted, 0.05), quantile_sorted(&sorted, 0.5), quantile_sorted(&sorted, 0.95))
        );
        for (p, from_hist) in [(0.05, h.q05), (0.5, h.median), (0.95, h.q95)] {
            let want = quantile_sorted(&sorted, p);
            assert_eq!(quantile_select(&sel, p), want, "p = {p}");
            assert_eq!(from_hist, want + 1.0, "p = {p}");
        }
        assert_eq!(h.mean, xs.iter().sum::<f64>() / 1001.0 + 1.0);
    }

    #[test]
    fn stats_of_tiny_samples_match_sorting() {
        for xs in [vec![3.0], vec![5.0, 1.0], vec![2.0, 9.0, 4.0], vec![1.0, 1.0, 7.0, -2.0]] {
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let st = stats(&xs).unwrap();
            let want = [0.05, 0.5, 0.95].map(|p| quantile_sorted(&sorted, p));
            assert_eq!([st.q05, st.median, st.q95], want, "{xs:?}");
        }
    }

    #[test]
    fn missing_points_are_left_out_and_bands_counted() {
        let mut scores = vec![10.0, f64::NAN, 30.0, 50.0];
        let ranks = [2, 0, 1, 1];
        let s = summarise(&mut scores, &ranks, 2, |x| (!x.is_nan()).then_some(usize::from(x >= 40.0)));
        assert_eq!(s.present, 3);
        assert_eq!(s.rank.unwrap().mean, 4.0 / 3.0);
        assert_eq!(s.score.unwrap().median, 30.0);
        assert_eq!(s.band_share, vec![0.5, 0.25]);
        // 5 % quantile 12, 95 % quantile 48: different bands, so uncertain.
        assert_eq!(s.band_interval, None);
    }
}
