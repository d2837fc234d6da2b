//! `--set PATH=VALUE`: edits to the methodology document, applied before validation and
//! recorded in the manifest.
//!
//! The document is edited with `toml_edit`, which keeps the user's layout, so that errors
//! found afterwards still point at the lines of the user's own file.

use super::keys;
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

impl Override {
    /// The override as it would be typed: `--set defaults.normalise.method=zscore` (a
    /// string that is one bare word is shown without its quotes).
    pub fn argument(&self) -> String {
        let bare = self
            .value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c)));
        format!("--set {}={}", self.path, bare.unwrap_or(&self.value))
    }
}

/// An error located at the `--set` itself.
fn at_set(o: &Override, msg: String, hint: &str) -> Error {
    let d = Diag::new(Location::argument(o.argument()), msg).hint(hint.to_string());
    Error::Methodology(MethodologyError(vec![d]))
}

/// Where a line of the edited document came from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    /// This line (1-based) of the user's file.
    File(u64),
    /// Written by the override with this index.
    Set(usize),
}

/// The methodology text after the overrides, with the origin of each of its lines: errors
/// found in it are reported at the user's own line, or at the `--set` that wrote it.
#[derive(Debug)]
pub struct Edited {
    pub text: String,
    origin: Vec<Origin>,
    /// `--set …` as typed, per override.
    arguments: Vec<String>,
}

impl Edited {
    /// Moves each error back to the user's file, or onto the `--set` that wrote its line, and
    /// says once what several elements share (a `[defaults]` key reaches every indicator).
    pub fn relocate(&self, path: &Path, e: MethodologyError) -> MethodologyError {
        let diags =
            e.0.into_iter()
                .map(|mut d| {
                    if d.loc.path == path && d.loc.line > 0 {
                        match self.origin.get(d.loc.line as usize - 1) {
                            Some(Origin::File(l)) => d.loc.line = *l,
                            Some(Origin::Set(i)) => d.loc = Location::argument(self.arguments[*i].clone()),
                            None => {}
                        }
                    }
                    d
                })
                .collect();
        MethodologyError(collapse(diags))
    }
}

/// The key of a message with its element left out: `indicator.a1.normalise: unknown method
/// 'x'` → (`normalise: unknown method 'x'`, `indicator`).
fn element_free(msg: &str) -> (&str, Option<&str>) {
    for kind in ["indicator", "node"] {
        if let Some(rest) = msg.strip_prefix(kind).and_then(|r| r.strip_prefix('.'))
            && let Some(dot) = rest.find('.')
            && !rest[..dot].contains([' ', ':'])
        {
            return (&rest[dot + 1..], Some(kind));
        }
    }
    (msg, None)
}

/// One message for the same problem at the same place: a bad key in `[defaults]` is found
/// once per element it reaches.
fn collapse(diags: Vec<Diag>) -> Vec<Diag> {
    let counted = group(diags, |a, b| a.loc == b.loc, |d| &d.message);
    counted
        .into_iter()
        .map(|(mut d, n)| {
            let extra = more(&d.message, n);
            d.message.push_str(&extra);
            d
        })
        .collect()
}

/// The same for notes (a `[defaults]` key that a method does not use is noted once per
/// element it reaches).
pub(crate) fn collapse_notes(notes: Vec<String>) -> Vec<String> {
    group(notes, |_, _| true, |s| s).into_iter().map(|(s, n)| format!("{s}{}", more(&s, n))).collect()
}

/// Items whose messages say the same of different elements (and that `same` puts
/// together), each with how many more there were; first appearance order.
fn group<T>(items: Vec<T>, same: impl Fn(&T, &T) -> bool, msg: impl Fn(&T) -> &str) -> Vec<(T, usize)> {
    let mut out: Vec<(T, usize)> = Vec::new();
    for d in items {
        let (key, kind) = element_free(msg(&d));
        let found = out.iter_mut().find(|(o, _)| {
            let (k, kd) = element_free(msg(o));
            same(o, &d) && kd.is_some() && kd == kind && k == key
        });
        match found {
            Some((_, n)) => *n += 1,
            None => out.push((d, 0)),
        }
    }
    out
}

/// " (and the same for N more indicators)", or nothing.
fn more(msg: &str, n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    let kind = element_free(msg).1.unwrap_or("element");
    format!(" (and the same for {n} more {kind}{})", if n == 1 { "" } else { "s" })
}

/// Lines of `new` that differ from `old`: the edit is one block, between the lines both
/// texts start with and the lines both end with.
fn changed_block(old: &str, new: &str) -> (usize, usize, usize) {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    (prefix, a.len() - suffix, b.len() - suffix)
}

/// Applies the overrides in order and returns the edited document with its line origins.
///
/// # Errors
/// A path that names no key a methodology holds (with the near miss), a method name no stage
/// knows, a `node`/`indicator` that the file does not declare, or a path that crosses a
/// non-table value; each located at the `--set`.
pub fn apply(text: &str, overrides: &[Override]) -> crate::Result<Edited> {
    let lines = text.lines().count();
    let mut edited = Edited {
        text: text.to_string(),
        origin: (1..=lines as u64).map(Origin::File).collect(),
        arguments: overrides.iter().map(Override::argument).collect(),
    };
    if overrides.is_empty() {
        return Ok(edited);
    }
    let mut doc: DocumentMut = match text.parse() {
        Ok(d) => d,
        // Let validation report the syntax error with its line.
        Err(_) => return Ok(edited),
    };
    for (i, o) in overrides.iter().enumerate() {
        set_one(&mut doc, o)?;
        let new = doc.to_string();
        let (start, old_end, new_end) = changed_block(&edited.text, &new);
        let mut origin = edited.origin[..start].to_vec();
        origin.extend(std::iter::repeat_n(Origin::Set(i), new_end - start));
        origin.extend_from_slice(&edited.origin[old_end..]);
        edited.origin = origin;
        edited.text = new;
    }
    Ok(edited)
}

fn declared(doc: &DocumentMut) -> keys::Declared<'_> {
    let codes = |kind: &str| -> Vec<&str> {
        doc.get(kind)
            .and_then(Item::as_table_like)
            .map(|t| t.iter().map(|(k, _)| k).collect())
            .unwrap_or_default()
    };
    keys::Declared { nodes: codes("node"), indicators: codes("indicator") }
}

fn set_one(doc: &mut DocumentMut, o: &Override) -> crate::Result<()> {
    let segs: Vec<&str> = o.path.split('.').map(str::trim).collect();
    let value: toml_edit::Value = o.value.parse().expect("Override holds a parsed TOML value");
    if let Err(miss) = keys::check_path(&segs, &value, &declared(doc)) {
        return Err(at_set(o, miss.message, &miss.hint));
    }
    let mut item: &mut Item = doc.as_item_mut();
    for seg in &segs[..segs.len() - 1] {
        if !(item.is_table_like() || item.is_none()) {
            return Err(at_set(
                o,
                format!("`{seg}` is inside a value that is not a table"),
                "set the whole value instead",
            ));
        }
        item = &mut item[*seg];
    }
    if !(item.is_table_like() || item.is_none()) {
        return Err(at_set(o, "the parent of the key is not a table".into(), "set the whole value instead"));
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
        apply(text, &[s.parse().unwrap()]).unwrap().text
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
        let err = apply(text, &["node.B.weight=2".parse().unwrap()]);
        assert_eq!(
            err.unwrap_err().to_string().lines().next(),
            Some("--set node.B.weight=2: there is no [node.B]")
        );
    }

    #[test]
    fn lines_keep_their_origin_and_errors_move_to_the_set() {
        let text = "schema = 1\n[node.A]\nweight = 1\n\n[node.B]\nparent = \"A\"\n";
        let sets: Vec<Override> =
            vec!["node.A.name=alpha".parse().unwrap(), "node.B.weight=x".parse().unwrap()];
        let e = apply(text, &sets).unwrap();
        // `name` is inserted after line 3, `weight` after line 6: the user's line 6 is the
        // edited text's line 7.
        let lines: Vec<&str> = e.text.lines().collect();
        assert_eq!(lines[3], "name = \"alpha\"", "{}", e.text);
        assert_eq!(e.origin[6], Origin::File(6));
        assert_eq!(e.origin[7], Origin::Set(1));
        let loc = |line| Location::at(Path::new("m.toml"), line, Some(1));
        let errs = MethodologyError(vec![
            Diag::new(loc(7), "bad parent"),
            Diag::new(loc(8), "node.B.weight must be a number"),
        ]);
        let moved = e.relocate(Path::new("m.toml"), errs).to_string();
        assert_eq!(moved, "m.toml:6:1: bad parent\n--set node.B.weight=x: node.B.weight must be a number");
    }

    #[test]
    fn the_same_problem_from_defaults_is_said_once() {
        let loc = Location::at(Path::new("m.toml"), 3, Some(24));
        let diags = ["a1", "a2", "a3"]
            .map(|c| Diag::new(loc.clone(), format!("indicator.{c}.normalise: unknown method 'x'")))
            .to_vec();
        let out = collapse(diags);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].message,
            "indicator.a1.normalise: unknown method 'x' (and the same for 2 more indicators)"
        );
        let other = Diag::new(
            Location::at(Path::new("m.toml"), 4, None),
            "indicator.a1.normalise: unknown method 'x'",
        );
        assert_eq!(collapse(vec![out[0].clone(), other]).len(), 2);
        let notes = ["a1", "a2"]
            .map(|c| format!("indicator.{c}.normalise: `range` from [defaults] is not used by zscore"));
        assert_eq!(
            collapse_notes(notes.to_vec()),
            [
                "indicator.a1.normalise: `range` from [defaults] is not used by zscore (and the same for 1 more indicator)"
            ]
        );
    }

    #[test]
    fn an_override_is_shown_as_typed() {
        assert_eq!("a.b=zscore".parse::<Override>().unwrap().argument(), "--set a.b=zscore");
        assert_eq!("a.b=[1, 100]".parse::<Override>().unwrap().argument(), "--set a.b=[1, 100]");
        assert_eq!("a.b=two words".parse::<Override>().unwrap().argument(), "--set a.b=\"two words\"");
    }
}
