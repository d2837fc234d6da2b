//! Generates a large synthetic panel for benchmarks: `methodology.toml` and a long
//! `indicators.csv` (`unit,year,indicator,value`) of U units × I indicators × Y years.
//!
//! The framework is an index over 10 pillars, indicators assigned round-robin; min-max over
//! each year, arithmetic means. Values are uniform in [0, 1000) with 4 decimals; about 1 % are
//! `NA`. The output is deterministic for a seed (ChaCha8). The default size is the issue's
//! 2,000 units × 500 indicators × 10 years = 10 million rows (about 290 MB):
//!
//! ```text
//! cargo run --locked --release --example synth_panel -- /tmp/synth 2000 500 10 [SEED]
//! ```

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const PILLARS: usize = 10;

fn main() -> Result<()> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = a.first() else {
        return Err("usage: synth_panel DIR [UNITS INDICATORS YEARS [SEED]]".into());
    };
    let num = |i: usize, d: u64| a.get(i).map_or(Ok(d), |s| s.parse::<u64>());
    let (units, inds, years, seed) =
        (num(1, 2000)? as usize, num(2, 500)? as usize, num(3, 10)? as usize, num(4, 1)?);
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("methodology.toml"), methodology(inds))?;
    data(&dir.join("indicators.csv"), units, inds, years, seed)?;
    eprintln!("wrote {} rows to {}", units * inds * years, dir.join("indicators.csv").display());
    Ok(())
}

pub fn methodology(inds: usize) -> String {
    let mut s = String::from(
        "schema = 1\n\n[index]\ncode = \"SYN\"\nname = \"Synthetic benchmark index\"\nversion = \"1\"\n\n\
         [defaults]\nnormalise = { method = \"minmax\", range = [0, 100], bounds = \"year\" }\n\
         aggregate = { method = \"arithmetic\" }\nmissing = { min_coverage = 0.5 }\n\n[node.SYN]\nname = \"Index\"\n",
    );
    for p in 0..PILLARS {
        let _ = write!(s, "\n[node.P{p}]\nparent = \"SYN\"\n");
        for i in (p..inds).step_by(PILLARS) {
            let _ = write!(s, "\n[indicator.i{i:04}]\nparent = \"P{p}\"\n");
        }
    }
    s
}

pub fn data(path: &Path, units: usize, inds: usize, years: usize, seed: u64) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = BufWriter::with_capacity(1 << 22, std::fs::File::create(path)?);
    w.write_all(b"unit,year,indicator,value\n")?;
    let mut line = String::with_capacity(64);
    for u in 0..units {
        for y in 0..years {
            for i in 0..inds {
                line.clear();
                let _ = write!(line, "U{u:04},{},i{i:04},", 2015 + y);
                if rng.random_bool(0.01) {
                    line.push_str("NA");
                } else {
                    let _ = write!(line, "{:.4}", rng.random::<f64>() * 1000.0);
                }
                line.push('\n');
                w.write_all(line.as_bytes())?;
            }
        }
    }
    w.flush()?;
    Ok(())
}
