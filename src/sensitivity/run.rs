//! The replication loops: parallel over chunks of replications, one [`Scratch`] and one
//! [`Draw`] per worker, every replication writing only its own slots, so the results do not
//! depend on the number of threads.

use super::Prepared;
use super::fixed::Fixed;
use super::model::{Scratch, evaluate, outputs, rank_into};
use super::sample::{Draw, Matrix, Plan};
use super::sobol::{self, Design, Indices};
use super::summary::{
    PointSummary, rank_count_stats, run_order_sums, summarise, summarise_counted, summarise_scores,
};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Replications per work item (and per progress tick).
const CHUNK: usize = 256;

/// Options of a run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub seed: u64,
    /// UA: replications; SA: N, the rows of A and B (N(d + 2) runs in all).
    pub runs: usize,
    /// SA: bootstrap resamples and interval level.
    pub boot: usize,
    pub level: f64,
}

/// Uncertainty analysis: per point (year × node × unit) its summary.
#[derive(Debug, Clone)]
pub struct Uncertainty {
    pub points: Vec<PointSummary>,
    /// Node points left missing because a mean was undefined, over all replications.
    pub failed: usize,
}

/// Sensitivity indices per uncertain input.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    /// On the mean absolute shift of the index rank from the nominal rank.
    pub overall: Option<Vec<Indices>>,
    /// On each (year, unit)'s index rank, year-major; `None` where the rank does not vary or
    /// is missing in some run.
    pub per_unit: Vec<Option<Vec<Indices>>>,
    pub failed: usize,
}

/// The sample matrix and row of run `q` of a Saltelli design with N = `n`.
pub fn design_row(q: usize, n: usize) -> (Matrix, usize) {
    let m = match q / n {
        0 => Matrix::A,
        1 => Matrix::B,
        k => Matrix::Ab(k - 2),
    };
    (m, q % n)
}

/// Runs `opt.runs` replications drawn from matrix A, then summarises each point.
/// `tick(k)` is called after every k replications (for a progress bar).
///
/// Points that no replication of a variant can change ([`Fixed`]) are neither recomputed
/// nor stored: they are summarised from the number of runs of each variant. The summaries
/// are the same, to the bit, as those of every run stored.
pub fn uncertainty(p: &Prepared, opt: Options, tick: &(dyn Fn(usize) + Sync)) -> Uncertainty {
    let fixed = Fixed::of(p);
    match &fixed {
        Some(f) if opt.runs > 0 && !f.fixed_cols.is_empty() => counted(p, f, opt, tick),
        _ => {
            let all: Vec<usize> = (0..p.shape.nodes.len()).collect();
            run_rows(p, fixed.as_ref(), (opt.seed, 0..opt.runs), (&all, true), tick).reps.summarise(p)
        }
    }
}

/// [`uncertainty`] with fixed points: the varying points stored and summarised as usual,
/// the fixed ones from each variant's count of runs (and, for the mean, the run order).
fn counted(p: &Prepared, f: &Fixed, opt: Options, tick: &(dyn Fn(usize) + Sync)) -> Uncertainty {
    let rows = run_rows(p, Some(f), (opt.seed, 0..opt.runs), (&f.varying_cols, false), tick);
    let (reps, seq, hist) = (rows.reps, rows.variants, rows.rank_counts);
    let width = p.shape.units + 1;
    let mut counts = vec![0usize; p.variants.len()];
    seq.iter().for_each(|&v| counts[v as usize] += 1);
    let on_variant: Vec<bool> = p.variants.iter().map(|v| v.on_nominal_scale).collect();
    let on_scale = (!reps.on_scale.iter().all(|&on| on)).then_some(reps.on_scale.as_slice());
    let (nu, nn, ne, runs) = (p.shape.units, p.shape.nodes.len(), p.shape.elements(), opt.runs);
    let stored: Vec<Option<usize>> = (0..nn).map(|j| f.varying_cols.iter().position(|&c| c == j)).collect();
    // The fixed points, and each one's score in each variant.
    let fixed: Vec<usize> = (0..p.shape.points()).filter(|i| stored[i / nu % nn].is_none()).collect();
    let score =
        |v: usize, i: usize| f.values[v][(i / (nn * nu) * ne + p.shape.nodes[i / nu % nn]) * nu + i % nu];
    let per_variant: Vec<Vec<f64>> =
        (0..p.variants.len()).map(|v| fixed.iter().map(|&i| score(v, i)).collect()).collect();
    let sums = run_order_sums(&per_variant, &seq);
    let points = (0..p.shape.points()).into_par_iter().map(|i| {
        let (y, j, u) = (i / (nn * nu), i / nu % nn, i % nu);
        let (n_bands, band_of) = (p.shape.bands[j].len(), |x: f64| p.shape.band(j, x));
        match stored[j] {
            Some(jj) => {
                let k = (y * f.varying_cols.len() + jj) * nu + u;
                let rank = rank_count_stats(&hist[k * width..(k + 1) * width]);
                summarise_scores(&reps.scores[k * runs..(k + 1) * runs], rank, n_bands, band_of, on_scale)
            }
            None => {
                let k = fixed.partition_point(|&x| x < i);
                let xs: Vec<f64> = per_variant.iter().map(|v| v[k]).collect();
                let rk: Vec<u32> = f.ranks.iter().map(|r| r[i]).collect();
                summarise_counted((&xs, &rk, &on_variant), &counts, sums[k], n_bands, band_of)
            }
        }
    });
    Uncertainty { points: points.collect(), failed: reps.failed }
}

/// The raw outputs of a range of UA replications: what a shard writes, and what the
/// summaries read.
#[derive(Debug, Clone, PartialEq)]
pub struct Replications {
    /// The replications' rows of matrix A.
    pub rows: std::ops::Range<usize>,
    /// Point-major: each point's `rows.len()` scores, then the next point's.
    pub scores: Vec<f64>,
    pub ranks: Vec<u32>,
    /// Per run: whether its variant scores on the nominal scale (bands are read only there).
    pub on_scale: Vec<bool>,
    /// Node points left missing because a mean was undefined (or a resampled run failed).
    pub failed: usize,
}

impl Replications {
    /// The summary of every point over these runs.
    pub fn summarise(&self, p: &Prepared) -> Uncertainty {
        let on_scale = (!self.on_scale.iter().all(|&f| f)).then_some(self.on_scale.as_slice());
        let points = summarise_all(p, &self.scores, &self.ranks, self.rows.len(), on_scale);
        Uncertainty { points, failed: self.failed }
    }

    /// Consecutive ranges of runs (`parts[k].rows.end == parts[k + 1].rows.start`) as one.
    /// `None` when they do not follow on or differ in their number of points.
    pub fn concat(parts: &[Replications]) -> Option<Replications> {
        let first = parts.first()?;
        let runs: usize = parts.iter().map(|r| r.rows.len()).sum();
        let np = first.scores.len().checked_div(first.rows.len()).unwrap_or(0);
        let follows = parts.windows(2).all(|w| w[0].rows.end == w[1].rows.start);
        let sized =
            parts.iter().all(|r| r.scores.len() == np * r.rows.len() && r.ranks.len() == r.scores.len());
        if !follows || !sized {
            return None;
        }
        let (mut scores, mut ranks) = (Vec::with_capacity(np * runs), Vec::with_capacity(np * runs));
        for point in 0..np {
            for r in parts {
                let n = r.rows.len();
                scores.extend_from_slice(&r.scores[point * n..(point + 1) * n]);
                ranks.extend_from_slice(&r.ranks[point * n..(point + 1) * n]);
            }
        }
        Some(Replications {
            rows: first.rows.start..parts.last()?.rows.end,
            scores,
            ranks,
            on_scale: parts.iter().flat_map(|r| r.on_scale.iter().copied()).collect(),
            failed: parts.iter().map(|r| r.failed).sum(),
        })
    }
}

/// Runs the replications of rows `rows` of matrix A (row r draws from the same streams
/// whichever range it is run in, so ranges run apart give the runs of one range).
///
/// Results are stored point by point (each point's runs contiguous), so that the summaries
/// read each point in place: gathering them from run-major rows was half the summaries'
/// time. Each chunk of runs writes its own part of every point.
pub fn replicate(
    p: &Prepared,
    seed: u64,
    rows: std::ops::Range<usize>,
    tick: &(dyn Fn(usize) + Sync),
) -> Replications {
    let all: Vec<usize> = (0..p.shape.nodes.len()).collect();
    run_rows(p, Fixed::of(p).as_ref(), (seed, rows), (&all, true), tick).reps
}

/// What [`run_rows`] gives back.
struct Rows {
    /// Scores, and ranks when they are kept.
    reps: Replications,
    /// The variant of each run.
    variants: Vec<u32>,
    /// When the ranks are not kept: per point, how many runs gave it each rank (`units + 1`
    /// counts, rank 0 = missing), all that the rank statistics read. Counts add up the same
    /// in any order, so they are the same for any number of threads.
    rank_counts: Vec<usize>,
}

/// The replications of rows `rows`, with the points of output columns `cols` only (every
/// column unless `fixed` is given), and the variant of each run; each point's ranks are
/// kept run by run (`keep_ranks`, as a shard needs them) or counted.
fn run_rows(
    p: &Prepared,
    fixed: Option<&Fixed>,
    (seed, rows): (u64, std::ops::Range<usize>),
    (cols, keep_ranks): (&[usize], bool),
    tick: &(dyn Fn(usize) + Sync),
) -> Rows {
    let (np, runs, plan) = (p.shape.years * cols.len() * p.shape.units, rows.len(), p.plan(seed));
    let width = if keep_ranks { 0 } else { p.shape.units + 1 };
    let mut scores = vec![0.0; runs * np];
    let mut ranks = vec![0u32; if keep_ranks { runs * np } else { 0 }];
    let mut on_scale = vec![true; runs];
    let mut variants = vec![0u32; runs];
    let failed = AtomicUsize::new(0);
    let parts = chunk_parts(&mut scores, runs).into_par_iter().zip(chunk_parts(&mut ranks, runs));
    let parts = parts.zip(on_scale.par_chunks_mut(CHUNK).zip(variants.par_chunks_mut(CHUNK)));
    let init = || (Scratch::new(&p.shape), plan.new_draw(), Tile::new(np), vec![0usize; np * width]);
    let counted = parts.enumerate().fold(
        init,
        |(mut s, mut d, mut tile, mut hist), (ci, ((mut to_sc, mut to_rk), (flags, vis)))| {
            let n = flags.len();
            for (k, (flag, vi)) in flags.iter_mut().zip(vis.iter_mut()).enumerate() {
                let v = one(p, &plan, fixed, (Matrix::A, rows.start + ci * CHUNK + k), &mut s, &mut d);
                (*flag, *vi) = (p.variants[v].on_nominal_scale, v as u32);
                let r = k % tile.rows;
                let (sc, rk) = tile.row(r);
                match fixed {
                    Some(f) => f.outputs(&p.shape, (v, &p.variants[v]), &mut s, cols, (sc, rk)),
                    None => outputs(&p.shape, &p.variants[v], &mut s, sc, rk),
                }
                if !keep_ranks {
                    rk.iter().enumerate().for_each(|(i, &r)| hist[i * width + r as usize] += 1);
                }
                failed.fetch_add(s.failed, Ordering::Relaxed);
                if r + 1 == tile.rows || k + 1 == n {
                    tile.flush(k - r, r + 1, (&mut to_sc, &mut to_rk));
                }
            }
            tick(n);
            (s, d, tile, hist)
        },
    );
    let add = |mut a: Vec<usize>, b: Vec<usize>| {
        a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
        a
    };
    let rank_counts = counted.map(|state| state.3).reduce(|| vec![0usize; np * width], add);
    let reps = Replications { rows, scores, ranks, on_scale, failed: failed.into_inner() };
    Rows { reps, variants, rank_counts }
}

/// Runs buffered before they are written point by point: a point's runs are far apart (a
/// page or more), so writing each run's points one by one missed the TLB on every value.
/// Up to 32 runs, and at most about 1 MiB a worker (one run when a run alone is larger).
const TILE_RUNS: usize = 32;
const TILE_BYTES: usize = 1 << 20;

/// The last `rows` runs' outputs, run-major (as `outputs` writes them).
struct Tile {
    np: usize,
    rows: usize,
    scores: Vec<f64>,
    ranks: Vec<u32>,
}

impl Tile {
    fn new(np: usize) -> Tile {
        let rows = (TILE_BYTES / (12 * np.max(1))).clamp(1, TILE_RUNS);
        Tile { np, rows, scores: vec![0.0; rows * np], ranks: vec![0; rows * np] }
    }

    fn row(&mut self, r: usize) -> (&mut [f64], &mut [u32]) {
        let at = r * self.np..(r + 1) * self.np;
        (&mut self.scores[at.clone()], &mut self.ranks[at])
    }

    /// Writes the first `rows` runs to runs `from..from + rows` of every point's part
    /// (of the ranks, when they are kept: `rk` is empty otherwise).
    fn flush(&self, from: usize, rows: usize, (sc, rk): (&mut [&mut [f64]], &mut [&mut [u32]])) {
        for (point, sc) in sc.iter_mut().enumerate() {
            for r in 0..rows {
                sc[from + r] = self.scores[r * self.np + point];
            }
        }
        for (point, rk) in rk.iter_mut().enumerate() {
            for r in 0..rows {
                rk[from + r] = self.ranks[r * self.np + point];
            }
        }
    }
}

/// A point-major buffer (`runs` values per point) cut into chunks of [`CHUNK`] runs: for
/// each chunk, its part of every point.
fn chunk_parts<T>(buf: &mut [T], runs: usize) -> Vec<Vec<&mut [T]>> {
    if runs == 0 {
        return Vec::new();
    }
    let mut out: Vec<Vec<&mut [T]>> = (0..runs.div_ceil(CHUNK)).map(|_| Vec::new()).collect();
    for point in buf.chunks_mut(runs) {
        point.chunks_mut(CHUNK).zip(out.iter_mut()).for_each(|(part, chunk)| chunk.push(part));
    }
    out
}

/// Draws row `row` of matrix `m` into `d`, evaluates it into `s` (re-aggregating only the
/// varying nodes when `fixed` is given) and returns the index of its variant. With the
/// respondent bootstrap or data noise, the chosen variant's methodology is first run on the
/// replication's resampled answers and noisy values; a run that fails leaves every score
/// missing, counted in `s.failed`.
fn one(
    p: &Prepared,
    plan: &Plan,
    fixed: Option<&Fixed>,
    (m, row): (Matrix, usize),
    s: &mut Scratch,
    d: &mut Draw,
) -> usize {
    plan.fill(m, row, d);
    let vi = p.variant_index(&d.choice);
    if !d.reruns() {
        match fixed {
            Some(f) => f.evaluate(&p.shape, (vi, &p.variants[vi]), &d.factors, s),
            None => evaluate(&p.shape, &p.variants[vi], &d.factors, s),
        }
        return vi;
    }
    match p.resampled(&d.choice, d) {
        Some(v) => evaluate(&p.shape, &v, &d.factors, s),
        None => {
            s.values.fill(f64::NAN);
            s.failed = p.shape.points();
        }
    }
    vi
}

/// Summaries per point, each from its contiguous runs.
fn summarise_all(
    p: &Prepared,
    scores: &[f64],
    ranks: &[u32],
    runs: usize,
    on_scale: Option<&[bool]>,
) -> Vec<PointSummary> {
    let np = p.shape.points();
    if runs == 0 {
        let per_year = p.shape.nodes.len() * p.shape.units;
        let node = |i: usize| i % per_year / p.shape.units;
        return (0..np).map(|i| summarise(&[], &[], p.shape.bands[node(i)].len(), |_| None, None)).collect();
    }
    let per_year = p.shape.nodes.len() * p.shape.units;
    let points = scores.par_chunks(runs).zip(ranks.par_chunks(runs)).enumerate();
    points
        .map(|(i, (sc, rk))| {
            let node = i % per_year / p.shape.units;
            summarise(sc, rk, p.shape.bands[node].len(), |x| p.shape.band(node, x), on_scale)
        })
        .collect()
}

/// Sensitivity analysis: the Saltelli design with N = `opt.runs`, first-order and total
/// indices of each uncertain input on the mean absolute rank shift of the index and on
/// each unit's index rank.
pub fn sensitivity(p: &Prepared, opt: Options, tick: &(dyn Fn(usize) + Sync)) -> Sensitivity {
    let (n, d) = (opt.runs, p.spec.inputs.len());
    let total = n * (d + 2);
    let width = p.shape.years * p.shape.units;
    let (plan, fixed) = (p.plan(opt.seed), Fixed::of(p));
    let mut per = vec![f64::NAN; total * width];
    let mut overall = vec![0.0; total];
    let failed = AtomicUsize::new(0);
    let chunks = per.par_chunks_mut(CHUNK * width.max(1)).zip(overall.par_chunks_mut(CHUNK));
    chunks.enumerate().for_each_init(
        || (Scratch::new(&p.shape), plan.new_draw(), vec![0u32; p.shape.units]),
        |(s, dr, rk), (ci, (pu, ov))| {
            for (k, y) in ov.iter_mut().enumerate() {
                one(p, &plan, fixed.as_ref(), design_row(ci * CHUNK + k, n), s, dr);
                *y = index_ranks(p, s, dr, rk, &mut pu[k * width..(k + 1) * width]);
                failed.fetch_add(s.failed, Ordering::Relaxed);
            }
            tick(ov.len());
        },
    );
    let per_unit = (0..width)
        .into_par_iter()
        .map(|c| {
            let y: Vec<f64> = (0..total).map(|q| per[q * width + c]).collect();
            if y.iter().any(|v| v.is_nan()) {
                return None;
            }
            sobol::indices(Design { y: &y, n, d }, opt.boot, opt.level, opt.seed)
        })
        .collect();
    let overall = sobol::indices(Design { y: &overall, n, d }, opt.boot, opt.level, opt.seed);
    Sensitivity { overall, per_unit, failed: failed.into_inner() }
}

/// Writes each (year, unit)'s index rank (NaN missing) and returns the mean absolute shift
/// from the nominal rank over the points ranked in both.
fn index_ranks(p: &Prepared, s: &mut Scratch, d: &Draw, rk: &mut [u32], out: &mut [f64]) -> f64 {
    let (nu, ne, nn) = (p.shape.units, p.shape.elements(), p.shape.nodes.len());
    let higher_is = p.variant(&d.choice).higher_is;
    let (mut sum, mut count) = (0.0, 0usize);
    for y in 0..p.shape.years {
        let root = &s.values[y * ne * nu..(y * ne + 1) * nu];
        rank_into(root, higher_is, &mut s.orders[y * ne], rk);
        for (u, &r) in rk.iter().enumerate() {
            let nominal = p.nominal_ranks[y * nn * nu + u];
            out[y * nu + u] = if r == 0 { f64::NAN } else { f64::from(r) };
            if r > 0 && nominal > 0 {
                sum += (f64::from(r) - f64::from(nominal)).abs();
                count += 1;
            }
        }
    }
    if count == 0 { f64::NAN } else { sum / count as f64 }
}
