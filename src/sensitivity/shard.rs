//! Shards of an uncertainty analysis: `--shard K/N` runs its share of the replications and
//! writes them raw; `merge` puts the shares back together and summarises them as one run
//! would (byte-identical files: a replication's draws depend on its row alone, see
//! [`super::sample`]).
//!
//! A shard folder holds `shard.json` ([`Header`]: what was run, and which share) and
//! `shard.bin`, the shard's raw outputs as little-endian numbers: the scores (f64) of every
//! point, point by point and each point's runs in order, then the ranks (u32) in the same
//! layout, then one byte per run (1: on the nominal scale).

use super::run::Replications;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::PathBuf;

/// Share K of N (1-based), as `--shard K/N` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not K/N with 1 ≤ K ≤ N (e.g. 2/3)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// The replications of this share of `runs`: ⌊(K − 1)·runs/N⌋ to ⌊K·runs/N⌋.
    pub fn rows(self, runs: usize) -> Range<usize> {
        (self.k - 1) * runs / self.n..self.k * runs / self.n
    }
}

/// What a shard ran: everything a merge needs to re-read the inputs and check them, and to
/// refuse shards of different runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    pub shard: Shard,
    pub rows: Range<usize>,
    pub points: usize,
    pub failed: usize,
    /// The run the shard belongs to; equal in every shard of one run.
    pub run: RunKey,
}

/// The identity of a sharded run: its inputs (paths as given and SHA-256 digests), spec,
/// overrides, seed, replications and number of shards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunKey {
    pub methodology: PathBuf,
    pub methodology_sha256: String,
    pub data: Vec<PathBuf>,
    /// Every data file read, with its digest.
    pub inputs: Vec<(String, String)>,
    pub spec: PathBuf,
    pub spec_sha256: String,
    pub set: Vec<String>,
    pub seed: u64,
    pub runs: usize,
    pub shards: usize,
}

/// Version of the shard files.
pub const FORMAT: u32 = 1;

/// `shard.bin` of `r`.
pub fn encode(r: &Replications) -> Vec<u8> {
    let mut out = Vec::with_capacity(r.scores.len() * 12 + r.on_scale.len());
    r.scores.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    r.ranks.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    out.extend(r.on_scale.iter().map(|&b| u8::from(b)));
    out
}

/// The replications in `bytes` (`shard.bin`), as `header` describes them; `None` when the
/// length does not match.
pub fn decode(header: &Header, bytes: &[u8]) -> Option<Replications> {
    let runs = header.rows.len();
    let values = header.points.checked_mul(runs)?;
    if bytes.len() != values * 12 + runs {
        return None;
    }
    let (sc, rest) = bytes.split_at(values * 8);
    let (rk, flags) = rest.split_at(values * 4);
    Some(Replications {
        rows: header.rows.clone(),
        scores: sc.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect(),
        ranks: rk.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect(),
        on_scale: flags.iter().map(|&b| b == 1).collect(),
        failed: header.failed,
    })
}

/// The shards in share order, after checking that they belong to one run and that each
/// share is there exactly once. The error names the folder at fault.
pub fn order(shards: Vec<(PathBuf, Header)>) -> Result<Vec<(PathBuf, Header)>, String> {
    let Some((first_dir, first)) = shards.first().cloned() else {
        return Err("no shard folder given".into());
    };
    if first.format != FORMAT {
        return Err(format!(
            "{}: shard format {}, this gti reads {FORMAT}",
            first_dir.display(),
            first.format
        ));
    }
    for (dir, h) in &shards[1..] {
        if h.run != first.run || h.format != first.format {
            let what = differs(&first.run, &h.run);
            return Err(format!(
                "{} and {} are shards of different runs ({what} differ)",
                first_dir.display(),
                dir.display()
            ));
        }
    }
    let n = first.run.shards;
    let mut slots: Vec<Option<(PathBuf, Header)>> = vec![None; n];
    for (dir, h) in shards {
        let k = h.shard.k;
        if k == 0 || k > n || h.shard.n != n {
            return Err(format!("{}: shard {k}/{} of a run in {n} shards", dir.display(), h.shard.n));
        }
        if let Some((prev, _)) = &slots[k - 1] {
            return Err(format!("shard {k}/{n} is given twice: {} and {}", prev.display(), dir.display()));
        }
        slots[k - 1] = Some((dir, h));
    }
    let missing: Vec<String> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| format!("{}/{n}", k + 1))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing shard(s) {} of {n}", missing.join(", ")));
    }
    Ok(slots.into_iter().flatten().collect())
}

/// Which parts of two run keys differ, for the refusal.
fn differs(a: &RunKey, b: &RunKey) -> String {
    let mut out = Vec::new();
    if a.methodology_sha256 != b.methodology_sha256 || a.methodology != b.methodology {
        out.push("methodology");
    }
    if a.inputs != b.inputs || a.data != b.data {
        out.push("data");
    }
    if a.spec_sha256 != b.spec_sha256 || a.spec != b.spec {
        out.push("spec");
    }
    if a.set != b.set {
        out.push("--set");
    }
    if a.seed != b.seed {
        out.push("seed");
    }
    if a.runs != b.runs {
        out.push("runs");
    }
    if a.shards != b.shards {
        out.push("number of shards");
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_the_runs_once_in_order() {
        for (runs, n) in [(10_000, 7), (10, 3), (2, 5), (5, 1)] {
            let mut next = 0;
            for k in 1..=n {
                let r = Shard { k, n }.rows(runs);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, runs);
        }
        assert!("0/3".parse::<Shard>().is_err() && "4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { k: 2, n: 3 }));
    }

    #[test]
    fn encoding_round_trips() {
        let r = Replications {
            rows: 3..5,
            scores: vec![1.5, f64::NAN, -0.0, 7.0],
            ranks: vec![1, 0, 2, 3],
            on_scale: vec![true, false],
            failed: 2,
        };
        let key = RunKey {
            methodology: "m.toml".into(),
            methodology_sha256: String::new(),
            data: vec![],
            inputs: vec![],
            spec: "s.toml".into(),
            spec_sha256: String::new(),
            set: vec![],
            seed: 1,
            runs: 9,
            shards: 3,
        };
        let h = Header {
            format: FORMAT,
            shard: Shard { k: 2, n: 3 },
            rows: 3..5,
            points: 2,
            failed: 2,
            run: key,
        };
        let back = decode(&h, &encode(&r)).unwrap();
        assert_eq!(encode(&back), encode(&r));
        assert!(decode(&h, &encode(&r)[1..]).is_none());
        assert_eq!((back.ranks, back.on_scale, back.failed), (r.ranks, r.on_scale, 2));
    }
}
