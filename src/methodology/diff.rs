//! Key-by-key differences between two methodology documents, for `gti methodology diff` and
//! the committee summary of `gti compare`.
//!
//! Each document is flattened to dotted paths (`node.P1.weight`, `band[2].min`,
//! `defaults.normalise.method`) with their values written as TOML; the diff lists the paths
//! whose value differs, is added or is removed, in path order.

use super::{Override, overrides};
use crate::error::{Diag, Location, MethodologyError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One differing key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyChange {
    pub path: String,
    pub base: Option<String>,
    pub candidate: Option<String>,
}

/// Flattens a TOML document into `path → value` (values as TOML text).
///
/// # Errors
/// The TOML syntax error's message.
pub fn flatten(text: &str) -> Result<BTreeMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut out = BTreeMap::new();
    walk("", &toml::Value::Table(table), &mut out);
    Ok(out)
}

/// A methodology file with `--set` overrides applied, flattened: what `gti compare`, the
/// report and `gti methodology diff` compare.
///
/// # Errors
/// The file cannot be read, an override does not apply, or the TOML does not parse.
pub fn flat_file(path: &Path, sets: &[Override]) -> crate::Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, e))?;
    let edited = overrides::apply(&text, sets)?.text;
    let bad_toml = |e| MethodologyError(vec![Diag::new(Location::file(path), e)]);
    Ok(flatten(&edited).map_err(bad_toml)?)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

fn walk(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => t.iter().for_each(|(k, v)| walk(&join(prefix, k), v, out)),
        // Arrays of tables ([[band]], [[changelog]]) by index; plain arrays as one value.
        toml::Value::Array(a) if a.iter().all(|x| x.is_table()) && !a.is_empty() => {
            a.iter().enumerate().for_each(|(i, x)| walk(&format!("{prefix}[{i}]"), x, out))
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The keys whose values differ between two flattened documents.
pub fn diff(base: &BTreeMap<String, String>, candidate: &BTreeMap<String, String>) -> Vec<KeyChange> {
    let keys: std::collections::BTreeSet<&String> = base.keys().chain(candidate.keys()).collect();
    keys.into_iter()
        .filter(|k| base.get(*k) != candidate.get(*k))
        .map(|k| KeyChange {
            path: k.clone(),
            base: base.get(k).cloned(),
            candidate: candidate.get(k).cloned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_tables_and_arrays_of_tables_flatten_to_paths() {
        let a = "[defaults]\nnormalise = { method = \"minmax\", range = [0, 100] }\n[node.P1]\nweight = 1\n[[band]]\nmin = 0\n";
        let b = "[defaults]\nnormalise = { method = \"zscore\", range = [0, 100] }\n[node.P1]\nweight = 2\nname = \"x\"\n[[band]]\nmin = 0\n";
        let (fa, fb) = (flatten(a).unwrap(), flatten(b).unwrap());
        assert_eq!(fa["defaults.normalise.range"], "[0, 100]");
        assert_eq!(fa["band[0].min"], "0");
        let d = diff(&fa, &fb);
        let paths: Vec<&str> = d.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["defaults.normalise.method", "node.P1.name", "node.P1.weight"]);
        assert_eq!(d[1].base, None);
        assert_eq!(d[2].candidate.as_deref(), Some("2"));
    }
}
