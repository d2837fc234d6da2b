//! Times one replication of `gti sensitivity` against the naive path, in the same run.
//!
//! - fast: `gti::sensitivity::run::uncertainty` (draw, re-aggregate, re-rank, plus the
//!   summaries), with 1 and with 2 threads; per replication = wall time / N.
//! - naive (the baseline): the same draws, but each replication writes its choices and every
//!   perturbed weight as `--set` overrides, re-validates the methodology from its text and runs
//!   the whole pipeline (`stages::run`), single-threaded.
//!
//! The naive ranks of the first replications are checked against the fast ones (identical
//! bits expected). Run from the crate root (see benches/run.sh):
//!
//! ```text
//! cargo run --locked --release --example bench_sensitivity -- M.toml DATA SPEC.toml N NAIVE_N
//! ```

use gti::methodology::{Methodology, Override};
use gti::sensitivity::fixed::Fixed;
use gti::sensitivity::run::{Options, uncertainty};
use gti::sensitivity::sample::{Draw, Matrix};
use gti::sensitivity::{Prepared, model, prepare, spec};
use std::path::{Path, PathBuf};
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let [m, data, spec_path, n, naive_n] = a.as_slice() else {
        return Err("usage: bench_sensitivity M.toml DATA SPEC.toml N NAIVE_N".into());
    };
    let (m, n, naive_n) = (PathBuf::from(m), n.parse::<usize>()?, naive_n.parse::<usize>()?);
    let raw = gti::ingest::read_all(&[PathBuf::from(data)])?;
    let t = Instant::now();
    let p = prepare(&m, &[], &raw, spec::load(Path::new(spec_path))?)?;
    let setup = t.elapsed().as_secs_f64();
    println!("setup (validate + run {} variants): {:.3} s", p.variants.len(), setup);
    let mut fast = Vec::new();
    for threads in [1, 2] {
        let per = time_fast(&p, n, threads)?;
        println!("fast, {threads} thread(s), N = {n}: {:.2} us per replication", per * 1e6);
        fast.push(per);
    }
    let kernel = time_kernel(&p, n, false);
    println!("  of which the replication loop alone (1 thread): {:.2} us", kernel * 1e6);
    let full = time_kernel(&p, n, true);
    println!("  the same loop re-aggregating every node (the path before issue 19): {:.2} us", full * 1e6);
    let naive = time_naive(&m, &raw, &p, naive_n)?;
    println!("naive, 1 thread, N = {naive_n}: {:.1} us per replication", naive * 1e6);
    println!("ratio naive / fast (1 thread): {:.0}x", naive / fast[0]);
    println!("ratio naive (1 thread) / fast (2 threads): {:.0}x", naive / fast[1]);
    // COINr 1.1.14's vignette analysis on this machine class, unloaded (issue 19); time it
    // in the same session with benches/coinr_sensitivity.R.
    println!("ratio COINr 0.090 s / fast (2 threads): {:.0}x", 0.090 / fast[1]);
    Ok(())
}

fn time_fast(p: &Prepared, n: usize, threads: usize) -> Result<f64> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let opt = Options { seed: 1, runs: n, boot: 0, level: 0.95 };
    pool.install(|| uncertainty(p, opt, &|_| {})); // warm-up
    let t = Instant::now();
    let ua = pool.install(|| uncertainty(p, opt, &|_| {}));
    let per = t.elapsed().as_secs_f64() / n as f64;
    assert_eq!(ua.points.len(), p.shape.points());
    Ok(per)
}

/// The overrides that make the base methodology into replication `d`'s.
fn overrides(p: &Prepared, d: &Draw) -> Vec<Override> {
    let mut out: Vec<Override> = p.spec.choices().zip(&d.choice).map(|((_, v), &c)| v[c].clone()).collect();
    if p.spec.noise().is_some() {
        for (e, f) in p.base.framework.elements.iter().zip(&d.factors).skip(1) {
            let kind = if e.is_indicator() { "indicator" } else { "node" };
            let value = format!("{:?}", e.weight * f);
            out.push(Override { path: format!("{kind}.{}.weight", e.code), value });
        }
    }
    out
}

fn time_naive(m: &Path, raw: &gti::ingest::RawData, p: &Prepared, n: usize) -> Result<f64> {
    let text = std::fs::read_to_string(m)?;
    let plan = p.plan(1);
    let (mut d, mut s) = (plan.new_draw(), model::Scratch::new(&p.shape));
    let (mut sc, mut rk) = (vec![0.0; p.shape.points()], vec![0; p.shape.points()]);
    let t = Instant::now();
    for row in 0..n {
        plan.fill(Matrix::A, row, &mut d);
        let meth = Methodology::parse_str(m, &text, String::new(), &overrides(p, &d))?;
        let r = gti::stages::run(&meth, raw)?;
        if row < 20 {
            let v = p.variant(&d.choice);
            model::evaluate(&p.shape, v, &d.factors, &mut s);
            model::outputs(&p.shape, v, &mut s, &mut sc, &mut rk);
            let ne = p.shape.elements();
            let root: Vec<u32> = r.ranks[..p.shape.units].iter().map(|x| x.unwrap_or(0)).collect();
            assert_eq!(root, rk[..p.shape.units], "replication {row}: fast and naive ranks differ ({ne})");
        }
    }
    Ok(t.elapsed().as_secs_f64() / n as f64)
}

/// The replication loop alone (draw, aggregate, rank), without the summaries, 1 thread:
/// as the command runs it (the varying nodes re-aggregated, and their points written), or
/// with `full`, every node re-aggregated and every point written.
fn time_kernel(p: &Prepared, n: usize, full: bool) -> f64 {
    let plan = p.plan(1);
    let fixed = if full { None } else { Fixed::of(p) };
    let (mut d, mut s) = (plan.new_draw(), model::Scratch::new(&p.shape));
    let (mut sc, mut rk) = (vec![0.0; p.shape.points()], vec![0; p.shape.points()]);
    let t = Instant::now();
    for row in 0..n {
        plan.fill(Matrix::A, row, &mut d);
        let (vi, v) = (p.variant_index(&d.choice), p.variant(&d.choice));
        match &fixed {
            Some(f) => {
                f.evaluate(&p.shape, (vi, v), &d.factors, &mut s);
                f.outputs(&p.shape, (vi, v), &mut s, &f.varying_cols, (&mut sc[..], &mut rk[..]));
            }
            None => {
                model::evaluate(&p.shape, v, &d.factors, &mut s);
                model::outputs(&p.shape, v, &mut s, &mut sc, &mut rk);
            }
        }
    }
    std::hint::black_box(&rk);
    t.elapsed().as_secs_f64() / n as f64
}
