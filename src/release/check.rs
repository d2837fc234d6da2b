//! `gti verify --release DIR`: a package checked from what it holds, wherever it sits.
//!
//! In order, each failure naming the file: every file listed in `SHA256SUMS` has its hash and
//! no other file is in the package (but the zip); `release.json` names files of the package;
//! the zip holds exactly the package's files (it is made again and compared byte for byte);
//! the files made from the methodology and the others (dictionary, changelog, citation,
//! README) are made again and compared; and the scores are recomputed from the package's
//! methodology and data and compared with `scores.csv` value by value (and rank by rank).
//! An internal archive (`release.json` names its `responses`) is also checked the other way:
//! its answers, with its other data files, combine to its `data/expert_combined.csv`, byte
//! for byte.

use super::{COMBINED, DERIVED, META, Meta, PackageFile, SUMS, derived, pack, zip_name};
use crate::error::{Error, Result};
use crate::methodology::Methodology;
use crate::verify::{compare, computed, parse_published};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a passing check covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Files whose hash matched.
    pub files: usize,
    /// Published scores recomputed.
    pub scores: usize,
    /// An internal archive: combined values re-combined from its answers.
    pub combined: Option<usize>,
}

fn fail(msg: String) -> Error {
    Error::Verification(msg)
}

/// Checks the package in `dir`.
///
/// # Errors
/// [`Error::Verification`] naming the first file that differs; [`Error::Io`] when `dir`
/// cannot be read.
pub fn verify(dir: &Path) -> Result<Checked> {
    let on_disk = read_tree(dir)?;
    let sums = on_disk.get(SUMS).ok_or_else(|| fail(format!("{SUMS}: not in {}", dir.display())))?;
    let listed =
        pack::parse_sums(&String::from_utf8_lossy(sums)).map_err(|e| fail(format!("{SUMS}: {e}")))?;
    let mut files = Vec::new();
    for (name, hex) in &listed {
        let bytes = on_disk.get(name).ok_or_else(|| fail(format!("{name}: listed in {SUMS} but missing")))?;
        if &crate::hash::sha256_hex(bytes) != hex {
            return Err(fail(format!("{name}: its SHA-256 differs from {SUMS}: the file was changed")));
        }
        files.push(PackageFile { name: name.clone(), bytes: bytes.clone() });
    }
    let meta_bytes = on_disk.get(META).ok_or_else(|| fail(format!("{META}: not in the package")))?;
    let meta: Meta = serde_json::from_slice(meta_bytes)
        .map_err(|e| fail(format!("{META}: not a release description ({e})")))?;
    let zip = zip_name(&meta.index, &meta.edition);
    if let Some(extra) =
        on_disk.keys().find(|n| *n != SUMS && **n != zip && !listed.iter().any(|(l, _)| l == *n))
    {
        return Err(fail(format!("{extra}: in the package but not in {SUMS}")));
    }
    let known = |n: &str| listed.iter().any(|(l, _)| l == n);
    let named = meta.data.iter().chain(&meta.responses).chain([&meta.methodology, &meta.scores]);
    for name in named.chain([&META.to_string()]) {
        if !known(name) {
            return Err(fail(format!("{META}: names {name}, which is not in {SUMS}")));
        }
    }
    // The zip: the listed files and SHA256SUMS, sorted by name.
    let mut all = files.clone();
    all.push(PackageFile { name: SUMS.into(), bytes: sums.clone() });
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let zipped = on_disk.get(&zip).ok_or_else(|| fail(format!("{zip}: not in the package")))?;
    if *zipped != pack::zip(&format!("{}-{}", meta.index, meta.edition), &all)? {
        return Err(fail(format!("{zip}: does not hold exactly the package's files")));
    }
    let m = Methodology::load(&dir.join(&meta.methodology), &[])?;
    let sources: Vec<PackageFile> =
        files.iter().filter(|f| !DERIVED.contains(&f.name.as_str())).cloned().collect();
    for made in derived(&m, &meta, &sources)? {
        match files.iter().find(|f| f.name == made.name) {
            Some(f) if f.bytes == made.bytes => {}
            Some(_) => {
                return Err(fail(format!(
                    "{}: differs from what the package's methodology and files give",
                    made.name
                )));
            }
            None => return Err(fail(format!("{}: not in {SUMS}", made.name))),
        }
    }
    let scores = recompute(dir, &m, &meta, &on_disk[&meta.scores])?;
    let combined = match &meta.responses {
        Some(answers) => Some(recombine(dir, &m, &meta, answers, &on_disk)?),
        None => None,
    };
    Ok(Checked { files: listed.len(), scores, combined })
}

/// An internal archive: the answers in `answers`, read with the package's data files but the
/// combined values, give `data/expert_combined.csv` byte for byte. Returns its rows.
fn recombine(
    dir: &Path,
    m: &Methodology,
    meta: &Meta,
    answers: &str,
    on_disk: &BTreeMap<String, Vec<u8>>,
) -> Result<usize> {
    let mut paths: Vec<PathBuf> = meta.data.iter().filter(|d| *d != COMBINED).map(|d| dir.join(d)).collect();
    paths.push(dir.join(answers));
    let raw = crate::ingest::read_all_with(&paths, &m.input)?;
    let r = crate::stages::run(m, &raw)?;
    let again = super::combined_csv(&crate::disclosure::combined_values(m, &r)?, &m.input)?;
    let published = on_disk
        .get(COMBINED)
        .ok_or_else(|| fail(format!("{COMBINED}: not in the package, which holds answers ({answers})")))?;
    if again == *published {
        return Ok(again.iter().filter(|&&b| b == b'\n').count().saturating_sub(1));
    }
    let (ours, theirs) = (String::from_utf8_lossy(&again), String::from_utf8_lossy(published));
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let k = (0..a.len().max(b.len())).find(|&k| a.get(k) != b.get(k)).unwrap_or(0);
    let show = |l: Option<&&str>| l.map_or("the end of the file".to_string(), |s| format!("'{s}'"));
    Err(fail(format!(
        "{COMBINED}: line {} is {}, but the answers in {answers} combine to {}",
        k + 1,
        show(b.get(k)),
        show(a.get(k))
    )))
}

/// Recomputes the scores from the package's data and compares them with `scores.csv`.
fn recompute(dir: &Path, m: &Methodology, meta: &Meta, published: &[u8]) -> Result<usize> {
    let paths: Vec<PathBuf> = meta.data.iter().map(|d| dir.join(d)).collect();
    let raw = crate::ingest::read_all_with(&paths, &m.input)?;
    let r = crate::stages::run(m, &raw)?;
    let ours = computed(m, &r, raw.units.as_ref());
    let name = &meta.scores;
    let rows = parse_published(&dir.join(name), published)?;
    if rows.len() != ours.scores.len() {
        return Err(fail(format!(
            "{name}: holds {} rows, the package's data give {}",
            rows.len(),
            ours.scores.len()
        )));
    }
    let checks = compare(rows, &ours, None, meta.tolerance);
    let bad: Vec<_> = checks.iter().filter(|c| !c.ok).collect();
    if let Some(c) = bad.first() {
        let p = &c.published;
        let show = |v: Option<f64>| v.map_or("none".to_string(), crate::output::fmt_f64);
        return Err(fail(format!(
            "{name}: {} of {} values do not reproduce; first at line {}: {} {} {}: published {} (rank {}), \
             recomputed {} (rank {})",
            bad.len(),
            checks.len(),
            p.line,
            p.unit,
            p.year,
            p.node,
            show(p.score),
            p.rank.map_or("none".into(), |k| k.to_string()),
            show(c.computed),
            c.rank.map_or("none".into(), |k| k.to_string()),
        )));
    }
    Ok(checks.len())
}

/// Every file under `dir` by its `/`-separated path inside it.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
            let path = e.map_err(|e| Error::io(&d, e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                let name =
                    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                out.insert(name, std::fs::read(&path).map_err(|e| Error::io(&path, e))?);
            }
        }
    }
    Ok(out)
}

/// The package's files already in `dir` that `files` would not replace: `gti release`
/// refuses such a folder, since `verify --release` would find them.
pub fn strangers(dir: &Path, files: &[PackageFile]) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let tree = read_tree(dir)?;
    Ok(tree.into_keys().filter(|n| !files.iter().any(|f| &f.name == n)).collect())
}
