//! `gti methodology freeze`: a methodology whose fitted weights are written back as plain
//! `weight` numbers, so that an edition adopts them and stays stable when the data change.
//!
//! The document is edited with `toml_edit`, which keeps the file's comments, layout and
//! order: each child of a fitted node gets `weight = w` in its own table, the `weights`
//! tables that fitted them are removed (the node's own, and `[defaults] weights`), and a
//! `[[changelog]]` entry names each node's method and fit sample.

use toml_edit::{DocumentMut, Item, Table, value};

/// One node's fitted weights, as a run chose them.
#[derive(Debug, Clone, PartialEq)]
pub struct Frozen<'a> {
    pub node: &'a str,
    pub method: &'a str,
    /// `None`: every year of the run pooled.
    pub fit_year: Option<i32>,
    pub cases: usize,
    /// (child code, fitted weight); children declared with weight 0 are left as they are.
    pub weights: Vec<(&'a str, f64)>,
}

/// The methodology `text` with `fitted` written in; `version` (when given) becomes
/// `[index] version` and the changelog entry's version.
///
/// # Errors
/// The text is not TOML, or a child's table is missing (the text is not the methodology the
/// weights were fitted on).
pub fn freeze(text: &str, fitted: &[Frozen], version: Option<&str>) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    for f in fitted {
        for &(child, w) in &f.weights {
            let kind = ["node", "indicator"]
                .into_iter()
                .find(|kind| doc.get(kind).and_then(|k| k.get(child)).is_some_and(Item::is_table_like))
                .ok_or_else(|| {
                    format!("'{child}' (a child of '{}') has no table in the methodology", f.node)
                })?;
            doc[kind][child]["weight"] = value(w);
        }
        if let Some(node) =
            doc.get_mut("node").and_then(|n| n.get_mut(f.node)).and_then(Item::as_table_like_mut)
        {
            node.remove("weights");
        }
    }
    if !fitted.is_empty()
        && let Some(d) = doc.get_mut("defaults").and_then(Item::as_table_like_mut)
    {
        d.remove("weights");
    }
    let current = doc.get("index").and_then(|i| i.get("version")).and_then(Item::as_str).map(str::to_string);
    if let Some(v) = version {
        doc["index"]["version"] = value(v);
    }
    let entry_version = version.map(str::to_string).or(current).unwrap_or_default();
    push_changelog(&mut doc, &entry_version, &summary(fitted))?;
    Ok(doc.to_string())
}

/// "Weights fitted from the data frozen as declared weights: P1 by pca on 2018 (51 cases); …"
fn summary(fitted: &[Frozen]) -> String {
    let parts: Vec<String> = fitted
        .iter()
        .map(|f| {
            let sample = f.fit_year.map_or("all years pooled".to_string(), |y| y.to_string());
            format!("{} by {} on {sample} ({} complete cases)", f.node, f.method, f.cases)
        })
        .collect();
    format!("weights fitted from the data frozen as declared weights: {}", parts.join("; "))
}

/// Appends `[[changelog]]` right after the last existing entry (at the end when none).
fn push_changelog(doc: &mut DocumentMut, version: &str, summary: &str) -> Result<(), String> {
    let mut entry = Table::new();
    entry["version"] = value(version);
    entry["summary"] = value(summary);
    match doc.get_mut("changelog") {
        None => {
            let mut a = toml_edit::ArrayOfTables::new();
            a.push(entry);
            doc["changelog"] = Item::ArrayOfTables(a);
        }
        Some(Item::ArrayOfTables(a)) => {
            let last = a.iter().filter_map(Table::position).max();
            if let Some(p) = last {
                entry.set_position(Some(p));
            }
            a.push(entry);
        }
        Some(_) => return Err("`changelog` is not an array of tables ([[changelog]])".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"schema = 1

[index]
code = "I"  # the index
name = "x"
version = "1"

[defaults]
weights = { method = "pca" }

[[changelog]]
version = "1"
summary = "first"

[node.I]

[node.P1]
parent = "I"
weights = { method = "entropy", fit_year = 2024 }

# a comment that must stay
[indicator.a]
parent = "P1"
weight = 2

[indicator.b]
parent = "P1"
"#;

    #[test]
    fn weights_become_numbers_and_comments_stay() {
        let f = [
            Frozen {
                node: "P1",
                method: "entropy",
                fit_year: Some(2024),
                cases: 8,
                weights: vec![("a", 0.25), ("b", 0.75)],
            },
            Frozen { node: "I", method: "pca", fit_year: None, cases: 16, weights: vec![("P1", 1.0)] },
        ];
        let out = freeze(TEXT, &f, Some("2")).unwrap();
        assert!(out.contains("# a comment that must stay"), "{out}");
        assert!(out.contains("code = \"I\"  # the index"), "{out}");
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["indicator"]["a"]["weight"].as_float(), Some(0.25));
        assert_eq!(doc["indicator"]["b"]["weight"].as_float(), Some(0.75));
        assert!(doc["node"]["P1"].get("weights").is_none() && doc["defaults"].get("weights").is_none());
        assert_eq!(doc["index"]["version"].as_str(), Some("2"));
        let log = doc["changelog"].as_array().unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[1]["version"].as_str(), Some("2"));
        let summary = log[1]["summary"].as_str().unwrap();
        assert!(
            summary.contains("P1 by entropy on 2024 (8 complete cases); I by pca on all years pooled"),
            "{summary}"
        );
        // The new entry follows the old one, before the framework.
        assert!(out.find("summary = \"first\"").unwrap() < out.find("frozen").unwrap());
        assert!(out.find("frozen").unwrap() < out.find("[node.I]").unwrap(), "{out}");
    }

    #[test]
    fn a_child_without_a_table_is_an_error() {
        let f = [Frozen { node: "P1", method: "pca", fit_year: None, cases: 3, weights: vec![("zz", 1.0)] }];
        assert!(freeze(TEXT, &f, None).unwrap_err().contains("'zz'"));
    }
}
