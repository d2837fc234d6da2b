//! `--set PATH=VALUE`: edits to the methodology document, applied before validation and
//! recorded in the manifest.
//!
//! The document is edited with `toml_edit`, which keeps the user's layout, so that errors
//! found afterwards still point at the lines of the user's own file.

use crate::error::{Diag, Error, Location, MethodologyError};
use serde::Serialize;
use std::path::Path;
use std::str::FromStr;
use toml_edit::{DocumentMut, Item};

/// One `--set` override: a dotted path and a TOML value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub path: String,
    /// The value as TOML text (`"zscore"`, `[1, 100]`, `0.5`).
    pub value: String,
}

impl FromStr for Override {
    type Err = String;

    /// Parses `PATH=VALUE`. VALUE is a TOML value; a bare word that is not one (`zscore`)
    /// is taken as a string, so that shell quoting is not needed for method names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (path, value) = s.split_once('=').ok_or_else(|| format!("'{s}' is not PATH=VALUE"))?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|seg| seg.trim().is_empty()) {
            return Err(format!("'{path}' is not a dotted path such as defaults.normalise.method"));
        }
        let value = value.trim();
        let parsed = match value.parse::<toml_edit::Value>() {
            Ok(v) => v,
            Err(_) if !value.is_empty() => toml_edit::Value::from(value),
            Err(_) => return Err(format!("--set {path}= has no value")),
        };
        let value = parsed.decorated("", "").to_string();
        Ok(Override { path: path.to_string(), value })
    }
}

fn fail(path: &Path, msg: String, hint: &str) -> Error {
    let d = Diag::new(Location::file(path), msg).hint(hint.to_string());
    Error::Methodology(MethodologyError(vec![d]))
}

/// Applies the overrides in order and returns the edited document text.
///
/// # Errors
/// A TOML syntax error in the file, a path that crosses a non-table value, or a path into a
/// `node`/`indicator` that the file does not declare.
pub fn apply(path: &Path, text: &str, overrides: &[Override]) -> crate::Result<String> {
    if overrides.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: DocumentMut = match text.parse() {
        Ok(d) => d,
        // Let validation report the syntax error with its line.
        Err(_) => return Ok(text.to_string()),
    };
    for o in overrides {
        set_one(path, &mut doc, o)?;
    }
    Ok(doc.to_string())
}

fn set_one(path: &Path, doc: &mut DocumentMut, o: &Override) -> crate::Result<()> {
    let segs: Vec<&str> = o.path.split('.').map(str::trim).collect();
    if let [kind @ ("node" | "indicator"), code, ..] = segs.as_slice()
        && doc.get(kind).and_then(|t| t.get(code)).is_none()
    {
        return Err(fail(
            path,
            format!("--set {}: there is no [{kind}.{code}]", o.path),
            "check the code's spelling",
        ));
    }
    let value: toml_edit::Value = o.value.parse().expect("Override holds a parsed TOML value");
    let mut item: &mut Item = doc.as_item_mut();
    for seg in &segs[..segs.len() - 1] {
        if !(item.is_table_like() || item.is_none()) {
            return Err(fail(
                path,
                format!("--set {}: `{seg}` is inside a value that is not a table", o.path),
                "set the whole value instead",
            ));
        }
        item = &mut item[*seg];
    }
    if !(item.is_table_like() || item.is_none()) {
        return Err(fail(
            path,
            format!("--set {}: the parent of the key is not a table", o.path),
            "set the whole value instead",
        ));
    }
    let last = segs[segs.len() - 1];
    // A key that holds a string keeps being one: `--set index.version=2025.2` must not turn
    // the version into a float.
    let was_string = item.get(last).is_some_and(|v| v.is_str());
    let value = if was_string && !value.is_str() { toml_edit::Value::from(o.value.as_str()) } else { value };
    item[last] = toml_edit::value(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, s: &str) -> String {
        apply(Path::new("m.toml"), text, &[s.parse().unwrap()]).unwrap()
    }

    #[test]
    fn bare_words_are_strings_and_toml_values_are_kept() {
        assert_eq!("a.b=zscore".parse::<Override>().unwrap().value, "\"zscore\"");
        assert_eq!("a.b=[1, 100]".parse::<Override>().unwrap().value, "[1, 100]");
        assert_eq!("a.b=0.5".parse::<Override>().unwrap().value, "0.5");
        assert!("a..b=1".parse::<Override>().is_err());
        assert!("ab".parse::<Override>().is_err());
    }

    #[test]
    fn edits_inline_tables_and_keeps_other_lines() {
        let text = "schema = 1\n[defaults]\nnormalise = { method = \"minmax\", range = [0, 100] }\n[node.A]\nweight = 1\n";
        let out = set(text, "defaults.normalise.method=zscore");
        assert!(out.contains("method = \"zscore\""), "{out}");
        assert!(out.starts_with("schema = 1\n[defaults]\n"));
        let out = set(text, "node.A.weight=2");
        assert!(out.contains("weight = 2"), "{out}");
    }

    #[test]
    fn string_keys_stay_strings() {
        let out = set("[index]\nversion = \"2025.1\"\n", "index.version=2025.2");
        assert!(out.contains("version = \"2025.2\""), "{out}");
    }

    #[test]
    fn creates_missing_default_tables_but_not_unknown_nodes() {
        let text = "schema = 1\n[node.A]\nweight = 1\n";
        let out = set(text, "defaults.impute.method=mean");
        let v: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(v["defaults"]["impute"]["method"].as_str(), Some("mean"));
        let err = apply(Path::new("m.toml"), text, &["node.B.weight=2".parse().unwrap()]);
        assert!(err.unwrap_err().to_string().contains("there is no [node.B]"));
    }
}
