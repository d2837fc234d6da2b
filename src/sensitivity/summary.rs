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
    /// The replications on the nominal methodology's score scale: the only ones bands are
    /// read on (band cut-offs are points of that scale).
    pub band_runs: usize,
    /// Share of those replications in each band applicable to the node (ascending bands).
    pub band_share: Vec<f64>,
    /// The band holding both the 5 % and 95 % quantiles of the scores of those replications;
    /// `None` when they differ ("uncertain"), no band applies or no replication is on the
    /// nominal scale.
    pub band_interval: Option<usize>,
}

use crate::stages::rank::{from_total_key, total_key};
pub use crate::stats::quantile_sorted;

/// Type-7 quantile of `xs` by selection (O(n)), equal to [`quantile_sorted`] of the sorted
/// values.
pub fn quantile_select(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let keys: Vec<u64> = xs.iter().map(|&x| key(x)).collect();
    let [q] = quantiles(&keys, [p]);
    q
}

/// [`total_key`] as an unsigned integer of the same order (the bucket selection takes
/// differences of keys); [`unkey`] inverts it.
fn key(x: f64) -> u64 {
    total_key(x) as u64 ^ 1 << 63
}

fn unkey(k: u64) -> f64 {
    from_total_key((k ^ 1 << 63) as i64)
}

/// Mean, median, 5 % and 95 % quantiles of the values of `xs` that are not NaN; `None`
/// when there are none.
pub fn stats(xs: &[f64]) -> Option<Stats> {
    let keys: Vec<u64> = xs.iter().filter(|x| !x.is_nan()).map(|&x| key(x)).collect();
    if keys.is_empty() {
        return None;
    }
    let mean = xs.iter().filter(|x| !x.is_nan()).sum::<f64>() / keys.len() as f64;
    let [q05, median, q95] = quantiles(&keys, [0.05, 0.5, 0.95]);
    Some(Stats { mean, median, q05, q95 })
}

/// Type-7 quantiles of non-empty `keys` at each of `ps`: with h = (n − 1)p, the ⌊h⌋-th and
/// (⌊h⌋+1)-th smallest, interpolated.
fn quantiles<const P: usize>(keys: &[u64], ps: [f64; P]) -> [f64; P] {
    type7(keys.len(), ps, |at| nth_smallest(keys, at))
}

/// Type-7 quantiles at each of `ps` of `n` > 0 values whose `at[j]`-th smallest keys `kth`
/// finds (at most six positions).
fn type7<const P: usize>(n: usize, ps: [f64; P], kth: impl FnOnce(&[usize]) -> [u64; 6]) -> [f64; P] {
    const { assert!(P <= 3, "nth_smallest finds at most six positions") };
    let h = ps.map(|p| (n - 1) as f64 * p);
    let mut at = [0usize; 6];
    for (i, h) in h.iter().enumerate() {
        at[2 * i] = h.floor() as usize;
        at[2 * i + 1] = (h.floor() as usize + 1).min(n - 1);
    }
    let kth = kth(&at[..2 * P]);
    std::array::from_fn(|i| {
        let (lo, hi) = (unkey(kth[2 * i]), unkey(kth[2 * i + 1]));
        let frac = h[i] - h[i].floor();
        if frac == 0.0 { lo } else { lo + frac * (hi - lo) }
    })
}

/// Buckets of the bucket selection: fine enough that a bucket holds few values (fewer for
/// small samples, where clearing them would cost more than the values).
const MAX_BUCKETS_LOG2: u32 = 11;

/// The `at[j]`-th smallest of `keys` for each j: the key range, a histogram of equal key
/// ranges, then a selection within the few buckets that hold the wanted positions (gathered
/// in one more pass). Selecting each quantile in the whole sample took five passes or more.
fn nth_smallest(keys: &[u64], at: &[usize]) -> [u64; 6] {
    let buckets_log2 = (usize::BITS - keys.len().leading_zeros()).min(MAX_BUCKETS_LOG2);
    let buckets = 1usize << buckets_log2;
    let (min, max) = keys.iter().fold((u64::MAX, 0), |(lo, hi), &k| (lo.min(k), hi.max(k)));
    let shift = (64 - (max - min).leading_zeros()).saturating_sub(buckets_log2);
    let bucket = |k: u64| ((k - min) >> shift) as usize;
    let mut start = vec![0usize; buckets + 1];
    keys.iter().for_each(|&k| start[bucket(k) + 1] += 1);
    (1..=buckets).for_each(|b| start[b] += start[b - 1]);
    // The bucket of each wanted position, and the values of those buckets.
    let home = |k: usize| start.partition_point(|&s| s <= k) - 1;
    let mut wanted: Vec<usize> = at.iter().map(|&k| home(k)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut held: Vec<Vec<u64>> =
        wanted.iter().map(|&b| Vec::with_capacity(start[b + 1] - start[b])).collect();
    let mut slot = vec![u8::MAX; buckets];
    wanted.iter().enumerate().for_each(|(i, &b)| slot[b] = i as u8);
    for &k in keys {
        if let Some(part) = held.get_mut(slot[bucket(k)] as usize) {
            part.push(k);
        }
    }
    let mut out = [0u64; 6];
    for (o, &k) in out.iter_mut().zip(at) {
        let b = home(k);
        *o = *held[slot[b] as usize].select_nth_unstable(k - start[b]).1;
    }
    out
}

/// The same statistics of ranks (0 = missing) from their histogram: O(n + units).
pub fn rank_stats(ranks: &[u32]) -> Option<Stats> {
    let max = ranks.iter().copied().max().unwrap_or(0) as usize;
    let mut counts = vec![0usize; max + 1];
    ranks.iter().for_each(|&r| counts[r as usize] += 1);
    let sum: u64 = ranks.iter().map(|&r| u64::from(r)).sum();
    rank_histogram_stats(&counts, sum)
}

/// [`rank_stats`] from the histogram of the ranks (`counts[r]` runs of rank r, 0 missing;
/// trailing zeros change nothing) and their sum.
fn rank_histogram_stats(counts: &[usize], sum: u64) -> Option<Stats> {
    let max = counts.len() - 1;
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
    Some(Stats { mean: sum as f64 / n as f64, median: q(0.5), q05: q(0.05), q95: q(0.95) })
}

/// Summarises one point from its scores (NaN = missing) and ranks (0 = missing) in
/// replication order. `band_of` maps a score to the index of its band among `n_bands`;
/// bands are read only on the replications where `on_scale` is true (every one when it is
/// `None`): the others score on another scale, where the band cut-offs mean nothing.
pub fn summarise(
    scores: &[f64],
    ranks: &[u32],
    n_bands: usize,
    band_of: impl Fn(f64) -> Option<usize>,
    on_scale: Option<&[bool]>,
) -> PointSummary {
    summarise_scores(scores, rank_stats(ranks), n_bands, band_of, on_scale)
}

/// [`summarise`] with the rank statistics already taken (from the ranks, or from their
/// histogram: [`rank_count_stats`]). One pass over the scores gathers the keys, the sum,
/// the band counts and the keys on the nominal scale; the band interval needs only the
/// latter's 5 % and 95 % quantiles.
pub fn summarise_scores(
    scores: &[f64],
    rank: Option<Stats>,
    n_bands: usize,
    band_of: impl Fn(f64) -> Option<usize>,
    on_scale: Option<&[bool]>,
) -> PointSummary {
    let mut keys = Vec::with_capacity(scores.len());
    let mut banded = Vec::with_capacity(on_scale.map_or(0, <[bool]>::len));
    let mut counts = vec![0usize; n_bands];
    let (mut sum, mut band_runs): (f64, usize) = (std::iter::empty::<f64>().sum(), 0);
    for (i, &x) in scores.iter().enumerate() {
        let on = on_scale.is_none_or(|flags| flags[i]);
        if on {
            band_runs += 1;
            if let Some(b) = band_of(x) {
                counts[b] += 1;
            }
        }
        if !x.is_nan() {
            // The same additions, in the same order, as `Iterator::sum` of the present scores.
            sum += x;
            keys.push(key(x));
            if on && on_scale.is_some() {
                banded.push(key(x));
            }
        }
    }
    let score = (!keys.is_empty()).then(|| {
        let [q05, median, q95] = quantiles(&keys, [0.05, 0.5, 0.95]);
        Stats { mean: sum / keys.len() as f64, median, q05, q95 }
    });
    let band_q = match on_scale {
        None => score.map(|s| [s.q05, s.q95]),
        Some(_) => (!banded.is_empty()).then(|| quantiles(&banded, [0.05, 0.95])),
    };
    PointSummary {
        present: keys.len(),
        rank,
        score,
        band_runs,
        band_share: counts.iter().map(|&c| c as f64 / band_runs.max(1) as f64).collect(),
        band_interval: band_q.and_then(|[q05, q95]| band_of(q05).filter(|&b| band_of(q95) == Some(b))),
    }
}

/// [`rank_stats`] from the histogram of the ranks (`counts[r]` runs of rank r, 0 missing),
/// which a run can fill as it goes instead of keeping every rank.
pub fn rank_count_stats(counts: &[usize]) -> Option<Stats> {
    let sum = counts.iter().enumerate().map(|(r, &c)| r as u64 * c as u64).sum();
    rank_histogram_stats(counts, sum)
}

/// A point whose score and rank are the same in every run of a variant: variant v scores
/// `xs[v]` (NaN missing) and ranks `ranks[v]` (0 missing), is on the nominal scale when
/// `on_scale[v]`, and `counts[v]` runs took it; `sum` is its [`run_order_sums`]. Equal to
/// [`summarise`] of the runs laid out, without laying them out: the quantiles walk the
/// variants' sorted scores with their counts, the rank histogram adds the counts up, and
/// the mean is the same sum of the same scores in the same order as in [`stats`].
pub fn summarise_counted(
    (xs, ranks, on_scale): (&[f64], &[u32], &[bool]),
    counts: &[usize],
    sum: f64,
    n_bands: usize,
    band_of: impl Fn(f64) -> Option<usize>,
) -> PointSummary {
    let present: usize = (0..xs.len()).filter(|&v| !xs[v].is_nan()).map(|v| counts[v]).sum();
    let score = (present > 0).then(|| {
        let [q05, median, q95] = counted_quantiles(xs, counts, |_| true, [0.05, 0.5, 0.95]);
        Stats { mean: sum / present as f64, median, q05, q95 }
    });
    let max = (0..xs.len()).filter(|&v| counts[v] > 0).map(|v| ranks[v]).max().unwrap_or(0);
    let mut hist = vec![0usize; max as usize + 1];
    let mut sum = 0u64;
    for v in (0..xs.len()).filter(|&v| counts[v] > 0) {
        hist[ranks[v] as usize] += counts[v];
        sum += u64::from(ranks[v]) * counts[v] as u64;
    }
    let on = |v: usize| on_scale[v];
    let band_runs: usize = (0..xs.len()).filter(|&v| on(v)).map(|v| counts[v]).sum();
    let mut in_band = vec![0usize; n_bands];
    for v in (0..xs.len()).filter(|&v| on(v)) {
        if let Some(b) = band_of(xs[v]) {
            in_band[b] += counts[v];
        }
    }
    let banded = (0..xs.len()).any(|v| on(v) && counts[v] > 0 && !xs[v].is_nan());
    let band_interval = banded
        .then(|| counted_quantiles(xs, counts, on, [0.05, 0.95]))
        .and_then(|[q05, q95]| band_of(q05).filter(|&b| band_of(q95) == Some(b)));
    PointSummary {
        present,
        rank: rank_histogram_stats(&hist, sum),
        score,
        band_runs,
        band_share: in_band.iter().map(|&c| c as f64 / band_runs.max(1) as f64).collect(),
        band_interval,
    }
}

/// For points whose score depends on the variant only (`xs[v][k]`: point k's score in
/// variant v, NaN missing), the sum of each point's present scores over the runs in run
/// order (`seq`: each run's variant): what [`stats`] adds up for the mean, to the bit.
/// All points at once, a run at a time (each point's additions stay in run order; the
/// points' independent sums vectorise). A missing score adds -0.0, which leaves any sum as
/// it is (x + -0.0 is x, -0.0 included), as skipping it does; the sums start where
/// `Iterator::sum` starts.
pub fn run_order_sums(xs: &[Vec<f64>], seq: &[u32]) -> Vec<f64> {
    let start: f64 = std::iter::empty::<f64>().sum();
    let clean: Vec<Vec<f64>> =
        xs.iter().map(|v| v.iter().map(|&x| if x.is_nan() { -0.0 } else { x }).collect()).collect();
    let mut acc = vec![start; xs.first().map_or(0, Vec::len)];
    for &v in seq {
        acc.iter_mut().zip(&clean[v as usize]).for_each(|(a, x)| *a += x);
    }
    acc
}

/// Type-7 quantiles of the runs of the variants `v` with `keep(v)` whose score is present
/// (`counts[v]` runs scoring `xs[v]`; at least one run).
fn counted_quantiles<const P: usize>(
    xs: &[f64],
    counts: &[usize],
    keep: impl Fn(usize) -> bool,
    ps: [f64; P],
) -> [f64; P] {
    let mut runs: Vec<(u64, usize)> = (0..xs.len())
        .filter(|&v| keep(v) && counts[v] > 0 && !xs[v].is_nan())
        .map(|v| (key(xs[v]), counts[v]))
        .collect();
    runs.sort_unstable();
    let n = runs.iter().map(|r| r.1).sum();
    type7(n, ps, |at| {
        let mut out = [0u64; 6];
        for (o, &k) in out.iter_mut().zip(at) {
            let mut cum = 0;
            *o = runs
                .iter()
                .find(|r| {
                    cum += r.1;
                    cum > k
                })
                .map_or(0, |r| r.0);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::Strategy as _;

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

    proptest::proptest! {
        /// Any sample (one value repeated, a far outlier, negative zeros, a few distinct
        /// values, a wide spread): the bucket selection gives the sorted values' quantiles.
        #[test]
        fn bucket_selection_is_sorting(
            xs in proptest::collection::vec(
                proptest::prop_oneof![
                    (-3i32..3).prop_map(f64::from),
                    proptest::num::f64::NORMAL,
                    proptest::strategy::Just(-0.0),
                    (0.0f64..1.0),
                    proptest::strategy::Just(1e300),
                ],
                1..1500,
            )
        ) {
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let st = stats(&xs).unwrap();
            let want = [0.05, 0.5, 0.95].map(|p| quantile_sorted(&sorted, p));
            // Exact equality (`==`: a zero may come out signed either way).
            proptest::prop_assert_eq!([st.q05, st.median, st.q95], want);
            for p in [0.0, 0.01, 0.33, 1.0] {
                proptest::prop_assert_eq!(quantile_select(&xs, p), quantile_sorted(&sorted, p));
            }
        }
    }

    /// A run (or a variant) drawn for the proptests: its score as a small integer (`None`
    /// missing), its rank (0 missing) and whether it is on the nominal scale.
    type Drawn = (Option<i32>, u32, bool);

    fn drawn(
        scores: std::ops::Range<i32>,
        ranks: std::ops::Range<u32>,
        on: f64,
        len: std::ops::Range<usize>,
    ) -> impl proptest::strategy::Strategy<Value = Vec<Drawn>> {
        let one = (proptest::option::of(scores), ranks, proptest::bool::weighted(on));
        proptest::collection::vec(one, len)
    }

    /// The scores (`x · scale + shift`; NaN missing; every other zero as -0, beside +0
    /// elsewhere), ranks and on-scale flags of `d`.
    fn split(d: &[Drawn], scale: f64, shift: f64) -> (Vec<f64>, Vec<u32>, Vec<bool>) {
        let score = |(i, x): (usize, &Option<i32>)| match x {
            None => f64::NAN,
            Some(0) if i % 2 == 0 => -0.0,
            Some(v) => f64::from(*v) * scale + shift,
        };
        let scores = d.iter().map(|r| &r.0).enumerate().map(score).collect();
        (scores, d.iter().map(|r| r.1).collect(), d.iter().map(|r| r.2).collect())
    }

    proptest::proptest! {
        /// Runs laid out from a few variants (scores with missing ones, ties, -0 beside +0,
        /// some variants off the nominal scale or never drawn) summarise as their counts and
        /// run order do, to the bit.
        #[test]
        fn counted_summary_is_the_laid_out_one(
            variants in drawn(-3..3, 0..4, 0.8, 1..7),
            picked in proptest::collection::vec(0usize..7, 0..400),
        ) {
            let nv = variants.len();
            let seq: Vec<u32> = picked.iter().map(|&v| (v % nv) as u32).collect();
            let (xs, ranks, on) = split(&variants, 0.7, 0.1);
            let mut counts = vec![0usize; nv];
            seq.iter().for_each(|&v| counts[v as usize] += 1);
            let band = |x: f64| (!x.is_nan()).then_some(usize::from(x >= 0.5));
            let scores: Vec<f64> = seq.iter().map(|&v| xs[v as usize]).collect();
            let run_ranks: Vec<u32> = seq.iter().map(|&v| ranks[v as usize]).collect();
            let flags: Vec<bool> = seq.iter().map(|&v| on[v as usize]).collect();
            let on_scale = (!flags.iter().all(|&f| f)).then_some(flags.as_slice());
            let want = summarise(&scores, &run_ranks, 2, band, on_scale);
            // The sums of two points at once: this one, and its negation.
            let per_variant: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x, -x]).collect();
            let sums = run_order_sums(&per_variant, &seq);
            let got = summarise_counted((&xs, &ranks, &on), &counts, sums[0], 2, band);
            let negated = scores.iter().map(|x| -x).filter(|x| !x.is_nan()).sum::<f64>();
            proptest::prop_assert_eq!(sums[1].to_bits(), negated.to_bits());
            // Debug prints every bit that matters (-0.0 apart from 0.0).
            proptest::prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
    }

    /// The summary as it was written before the one-pass [`summarise_scores`]: the statistics
    /// of all scores, then those of the scores on the nominal scale gathered apart, then the
    /// bands counted in a pass of their own.
    fn laid_out(
        scores: &[f64],
        ranks: &[u32],
        n_bands: usize,
        band_of: impl Fn(f64) -> Option<usize>,
        on_scale: Option<&[bool]>,
    ) -> PointSummary {
        let score = stats(scores);
        let banded: Vec<f64>;
        let (band_scores, band_stats) = match on_scale {
            None => (scores, score),
            Some(flags) => {
                banded = scores.iter().zip(flags).filter(|(_, on)| **on).map(|(s, _)| *s).collect();
                (banded.as_slice(), stats(&banded))
            }
        };
        let mut counts = vec![0usize; n_bands];
        for b in band_scores.iter().filter_map(|&s| band_of(s)) {
            counts[b] += 1;
        }
        let band_runs = band_scores.len();
        PointSummary {
            present: scores.iter().filter(|s| !s.is_nan()).count(),
            rank: rank_stats(ranks),
            score,
            band_runs,
            band_share: counts.iter().map(|&c| c as f64 / band_runs.max(1) as f64).collect(),
            band_interval: band_stats.and_then(|s| band_of(s.q05).filter(|&b| band_of(s.q95) == Some(b))),
        }
    }

    proptest::proptest! {
        /// The one-pass summary is the laid-out one, to the bit, and the rank histogram
        /// gives the ranks' statistics: missing scores and ranks, -0 beside +0, runs off
        /// the nominal scale (or none on it), no band.
        #[test]
        fn one_pass_summary_is_the_laid_out_one(
            runs in drawn(-30..30, 0..9, 0.6, 0..300),
            flagged in proptest::bool::ANY,
            n_bands in 0usize..3,
        ) {
            let (scores, ranks, flags) = split(&runs, 0.37, 0.0);
            let on_scale = flagged.then_some(flags.as_slice());
            let band = |x: f64| (!x.is_nan() && n_bands > 0).then(|| usize::from(x >= 1.0).min(n_bands - 1));
            let want = laid_out(&scores, &ranks, n_bands, band, on_scale);
            let got = summarise(&scores, &ranks, n_bands, band, on_scale);
            proptest::prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
            let mut hist = vec![0usize; 12];
            ranks.iter().for_each(|&r| hist[r as usize] += 1);
            proptest::prop_assert_eq!(
                format!("{:?}", rank_count_stats(&hist)),
                format!("{:?}", rank_stats(&ranks))
            );
        }
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
        let scores = [10.0, f64::NAN, 30.0, 50.0];
        let ranks = [2, 0, 1, 1];
        let band = |x: f64| (!x.is_nan()).then_some(usize::from(x >= 40.0));
        let s = summarise(&scores, &ranks, 2, band, None);
        assert_eq!(s.present, 3);
        assert_eq!(s.rank.unwrap().mean, 4.0 / 3.0);
        assert_eq!(s.score.unwrap().median, 30.0);
        assert_eq!(s.band_share, vec![0.5, 0.25]);
        // 5 % quantile 12, 95 % quantile 48: different bands, so uncertain.
        assert_eq!(s.band_interval, None);
    }

    #[test]
    fn bands_are_read_only_on_runs_on_the_nominal_scale() {
        // Runs 1 and 3 score on the nominal scale (45, 60: the upper band); runs 2 and 4 on
        // another (a z-score around 10: 9, 11), where the cut-off at 40 means nothing.
        let scores = [45.0, 9.0, 60.0, 11.0];
        let band = |x: f64| (!x.is_nan()).then_some(usize::from(x >= 40.0));
        let on = [true, false, true, false];
        let s = summarise(&scores, &[1, 1, 1, 1], 2, band, Some(&on));
        assert_eq!((s.band_runs, s.band_interval), (2, Some(1)));
        assert_eq!(s.band_share, vec![0.0, 1.0]);
        // The score statistics still cover every run.
        assert_eq!((s.present, s.score.unwrap().q05), (4, 9.0 + 0.15 * 2.0));
        // Read on every run, the same point looked "uncertain".
        assert_eq!(summarise(&scores, &[1, 1, 1, 1], 2, band, None).band_interval, None);
        // No run on the nominal scale: no band statistics at all.
        let none = summarise(&scores, &[1, 1, 1, 1], 2, band, Some(&[false; 4]));
        assert_eq!((none.band_runs, none.band_interval), (0, None));
        assert_eq!(none.band_share, vec![0.0, 0.0]);
    }
}
