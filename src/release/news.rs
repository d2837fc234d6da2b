//! `WHATS-NEW.md`: a package against the previous edition's package (`--previous DIR`):
//! methodology keys changed, units added or dropped, the largest rank moves on the index.

use super::{META, Meta, PackageFile};
use crate::error::{Error, Result};
use crate::methodology::Methodology;
use crate::methodology::diff::{diff, flatten};
use crate::verify::{Published, parse_published};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How many rank moves the page lists.
pub const MOVES: usize = 10;

/// The page of a first edition.
pub fn first(m: &Methodology, edition: &str) -> String {
    format!(
        "# What's new in {} edition {edition}\n\nThis is the first edition released with gti: there is \
         no previous edition to compare with (give --previous DIR to compare with one).\n",
        m.index.name
    )
}

/// The page of `edition` against the package in `dir`; `files` are this package's files so far (its
/// methodology and `scores.csv`).
///
/// # Errors
/// A previous package without `release.json`, its methodology or its scores.
pub fn against(dir: &Path, m: &Methodology, edition: &str, files: &[PackageFile]) -> Result<String> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| Error::io(&dir.join(name), e));
    let meta: Meta = serde_json::from_slice(&read(META)?).map_err(|e| {
        Error::Usage(format!("--previous {}: {META} is not a gti release's ({e})", dir.display()))
    })?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let old_m = flatten(&text(&read(&meta.methodology)?))
        .map_err(|e| Error::Usage(format!("--previous: {}: {e}", meta.methodology)))?;
    let find = |name: &str| files.iter().find(|f| f.name.starts_with(name)).map(|f| f.bytes.as_slice());
    let new_m = flatten(&text(find("methodology/").unwrap_or_default()))
        .map_err(|e| Error::Usage(format!("the methodology: {e}")))?;
    let old = parse_published(&dir.join(&meta.scores), &read(&meta.scores)?)?;
    let new = parse_published(Path::new("scores.csv"), find("scores.csv").unwrap_or_default())?;
    let root = m.framework.elements[m.framework.root()].code.to_string();
    let mut s = format!(
        "# What's new in {} edition {}\n\nCompared with edition {} (methodology {}).\n\n",
        m.index.name, edition, meta.edition, meta.methodology_version
    );
    s.push_str("## Methodology keys changed\n\n");
    let changes = diff(&old_m, &new_m);
    if changes.is_empty() {
        s.push_str("None.\n");
    }
    for c in &changes {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
        s.push_str(&format!("- `{}`: {} → {}\n", c.path, show(&c.base), show(&c.candidate)));
    }
    let (old_u, new_u) = (units(&old, &root), units(&new, &root));
    s.push_str("\n## Units\n\n");
    let list = |v: Vec<&String>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    s.push_str(&format!("- added: {}\n", list(new_u.difference(&old_u).collect())));
    s.push_str(&format!("- dropped: {}\n", list(old_u.difference(&new_u).collect())));
    s.push_str(&moves(&old, &new, &root));
    Ok(s)
}

fn units(rows: &[Published], root: &str) -> BTreeSet<String> {
    rows.iter().filter(|r| r.node == root).map(|r| r.unit.clone()).collect()
}

/// The largest rank moves on the index between the latest year of each edition.
fn moves(old: &[Published], new: &[Published], root: &str) -> String {
    let latest = |rows: &[Published]| {
        let year = rows.iter().filter(|r| r.node == root).map(|r| r.year).max();
        let ranks: BTreeMap<String, u32> = rows
            .iter()
            .filter(|r| r.node == root && Some(r.year) == year)
            .filter_map(|r| r.rank.map(|k| (r.unit.clone(), k)))
            .collect();
        (year, ranks)
    };
    let ((oy, or), (ny, nr)) = (latest(old), latest(new));
    let mut s = String::from("\n## Largest rank moves\n\n");
    let (Some(oy), Some(ny)) = (oy, ny) else {
        s.push_str("No ranks to compare.\n");
        return s;
    };
    s.push_str(&format!(
        "On {root}, {oy} in the previous edition against {ny} in this one (positive: up).\n\n"
    ));
    let mut m: Vec<(i64, &String, u32, u32)> = nr
        .iter()
        .filter_map(|(u, &k)| or.get(u).map(|&o| (o as i64 - k as i64, u, o, k)))
        .filter(|m| m.0 != 0)
        .collect();
    m.sort_by(|a, b| b.0.abs().cmp(&a.0.abs()).then(a.1.cmp(b.1)));
    if m.is_empty() {
        s.push_str("No unit changed rank.\n");
    }
    s.push_str(
        &m.iter().take(MOVES).map(|(d, u, o, k)| format!("- {u}: {o} → {k} ({d:+})\n")).collect::<String>(),
    );
    s
}
