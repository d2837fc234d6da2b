//! The TOML reader's errors in the methodology's words: "expected a number", not "expected
//! f64"; the table a misspelt key is in, with the near miss; both places of a table or key
//! declared twice.
//!
//! The toml crate reports serde's type names (`f64`, `i64`, `a sequence`) and a bare
//! "duplicate key". We keep its location and rephrase the message from the key's own line;
//! nothing here parses TOML.

use super::SourceMap;
use crate::error::Diag;

/// The located, rephrased error for a methodology file that does not read.
pub(crate) fn diag(src: &SourceMap, e: &toml::de::Error) -> Diag {
    let start = e.span().map(|s| s.start);
    let loc = start.map_or_else(|| crate::error::Location::file(src.path), |s| src.loc(s));
    let raw = e.message().trim();
    let line = start.map(|s| line_at(src.text, s)).unwrap_or_default();
    let (message, hint) = rephrase(src.text, start.unwrap_or(0), raw, line);
    Diag::new(loc, message)
        .hint(hint.unwrap_or_else(|| "see docs/methodology-format.md for every key".into()))
}

/// The whole line holding byte `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// The key of a `key = value` line (`weight` of `weight = "0.4"`), if the line is one.
fn key_of(line: &str) -> Option<&str> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim();
    (!k.is_empty() && !k.starts_with('[')).then_some(k)
}

/// The key whose value starts at byte `offset`, inside an inline table too (`count_band` of
/// `disclosure = { count_band = "5" }`); `None` when the text before it on its line does not
/// end in `key =`.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    let last = before.rsplit(['{', ',']).next()?;
    let k = last.trim_end().strip_suffix('=')?.trim();
    (!k.is_empty() && !k.contains(['[', '"'])).then_some(k)
}

/// The table a header line opens (`node.P4` of `[node.P4]`, `band` of `[[band]]`),
/// without quotes or spaces around the dots.
fn header_of(line: &str) -> Option<String> {
    let l = line.split('#').next()?.trim();
    let inner = l.strip_prefix("[[").and_then(|r| r.strip_suffix("]]"));
    let inner = inner.or_else(|| l.strip_prefix('[').and_then(|r| r.strip_suffix(']')))?;
    let parts: Vec<&str> = inner.split('.').map(|p| p.trim().trim_matches('"').trim_matches('\'')).collect();
    Some(parts.join("."))
}

/// The header of the table that byte `offset` is in, and its line (1-based); `None` at the top.
fn table_at(text: &str, offset: usize) -> Option<(String, usize)> {
    let before = &text[..offset.min(text.len())];
    let n = before.matches('\n').count();
    before.lines().enumerate().take(n).filter_map(|(i, l)| header_of(l).map(|h| (h, i + 1))).last()
}

fn rephrase(text: &str, offset: usize, raw: &str, line: &str) -> (String, Option<String>) {
    if raw.starts_with("duplicate key") {
        return duplicate(text, offset, line);
    }
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        return unknown_field(text, offset, rest);
    }
    if let Some(rest) = raw.strip_prefix("missing field ") {
        let key = rest.trim_matches('`');
        let table = table_at(text, offset + 1)
            .map_or_else(|| "at the top of the file".into(), |(t, _)| format!("in [{t}]"));
        return (format!("`{key}` is required {table}"), None);
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        return invalid_type(rest, key_before(text, offset).or_else(|| key_of(line)));
    }
    if raw.starts_with("string values must be quoted") {
        let key = key_of(line).unwrap_or("the key");
        let value = line.split_once('=').map_or("", |(_, v)| v.split('#').next().unwrap_or("").trim());
        let msg = format!("`{key} = {value}`: `{value}` is not a value TOML knows");
        let hint = "numbers are written bare, without a unit or % (weight = 0.4, or 40: weights are \
                    relative); text goes in quotes (\"minmax\")";
        return (msg, Some(hint.into()));
    }
    if raw.starts_with("invalid value: integer") && key_of(line) == Some("direction") {
        return ("`direction` must be 1 or -1".into(), None);
    }
    (raw.to_string(), None)
}

/// serde's "string \"0.4\", expected f64" → "`weight` must be a number, not the string "0.4"".
fn invalid_type(rest: &str, key: Option<&str>) -> (String, Option<String>) {
    let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
    let key = key.unwrap_or("this value");
    let wanted = match (expected, key) {
        (_, "direction") => "1 or -1",
        ("f64" | "f32", _) => "a number",
        ("i64" | "i32" | "u64" | "u32" | "usize", _) => "a whole number",
        ("a boolean" | "bool", _) => "true or false",
        ("a string" | "string" | "a borrowed string", _) => "text in quotes",
        ("a sequence", _) => "an array, [ … ]",
        (e, _) if e.starts_with("struct") || e.contains("map") => "a table",
        (e, _) => e,
    };
    let found = describe_found(found);
    // "0.4" in quotes: the number was meant.
    let quoted = found.strip_prefix("the string ").map(|s| s.trim_matches('"'));
    let hint = quoted
        .filter(|q| q.parse::<f64>().is_ok() && wanted != "text in quotes")
        .map(|q| format!("remove the quotes: {key} = {q}"));
    (format!("`{key}` must be {wanted}, not {found}"), hint)
}

/// serde's description of the value found, in plain words.
fn describe_found(found: &str) -> String {
    let tick = |s: &str| s.trim().trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        format!("the string {}", s.trim())
    } else if let Some(s) = found.strip_prefix("integer ") {
        format!("the whole number {}", tick(s))
    } else if let Some(s) = found.strip_prefix("floating point ") {
        format!("the number {}", tick(s))
    } else if let Some(s) = found.strip_prefix("boolean ") {
        tick(s)
    } else if found == "sequence" {
        "an array".into()
    } else if found == "map" {
        "a table".into()
    } else {
        found.to_string()
    }
}

/// "`wieght`, expected one of `name`, `parent`, …" → the key, its table and the near miss.
fn unknown_field(text: &str, offset: usize, rest: &str) -> (String, Option<String>) {
    let (key, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let key = key.trim_matches('`');
    let known = listed(expected);
    let table =
        table_at(text, offset).map_or_else(|| "at the top of the file".into(), |(t, _)| format!("in [{t}]"));
    let msg = format!("unknown key `{key}` {table}{}", crate::suggest::hint(key, known.iter().copied()));
    let hint = if known.is_empty() {
        "see docs/methodology-format.md for every key".into()
    } else {
        format!("the keys here are: {}", known.join(", "))
    };
    (msg, Some(hint))
}

/// serde's list of expected fields: "one of `a`, `b`", "`a` or `b`", "`a`".
pub(crate) fn listed(expected: &str) -> Vec<&str> {
    expected
        .trim_start_matches("one of ")
        .split([','])
        .flat_map(|p| p.split(" or "))
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .collect()
}

/// A table or key declared twice: name it and both lines.
fn duplicate(text: &str, offset: usize, line: &str) -> (String, Option<String>) {
    let here = text[..offset.min(text.len())].matches('\n').count() + 1;
    if let Some(table) = header_of(line) {
        let first = text.lines().take(here - 1).position(|l| header_of(l).as_deref() == Some(table.as_str()));
        let msg = match first {
            Some(i) => format!("table [{table}] is declared twice, at lines {} and {here}", i + 1),
            None => format!("table [{table}] is declared twice (again at line {here})"),
        };
        return (msg, Some("merge the two tables into one, or rename one of them".into()));
    }
    let Some(key) = key_of(line) else { return ("a key is declared twice".into(), None) };
    // The first occurrence: the same key earlier in the same table.
    let (table, from) =
        table_at(text, offset).map_or(("the top of the file".to_string(), 0), |(t, l)| (format!("[{t}]"), l));
    let first = text
        .lines()
        .enumerate()
        .take(here - 1)
        .skip(from)
        .find(|(_, l)| key_of(l) == Some(key))
        .map(|(i, _)| i + 1);
    let msg = match first {
        Some(f) => format!("`{key}` is given twice in {table}, at lines {f} and {here}"),
        None => format!("`{key}` is given twice in {table} (again at line {here})"),
    };
    (msg, Some("keep one of them".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methodology::raw::RawMethodology;
    use std::path::Path;

    const HEAD: &str = "schema = 1\n[index]\ncode = \"X\"\nname = \"x\"\nversion = \"1\"\n[node.X]\n";

    fn err(body: &str) -> String {
        let text = format!("{HEAD}{body}");
        let e = toml::from_str::<RawMethodology>(&text).unwrap_err();
        diag(&SourceMap { path: Path::new("m.toml"), text: &text }, &e).to_string()
    }

    #[test]
    fn a_type_error_inside_an_inline_table_names_its_own_key() {
        let e = err("[expert]\ndisclosure = { count_band = \"5\" }\n");
        assert!(e.contains("`count_band` must be a whole number, not the string \"5\""), "{e}");
        assert!(e.contains("remove the quotes: count_band = 5"), "{e}");
    }

    #[test]
    fn type_errors_say_what_is_expected_in_words() {
        let e = err("[indicator.a]\nparent = \"X\"\nweight = \"0.4\"\n");
        assert!(e.starts_with("m.toml:9:10: `weight` must be a number, not the string \"0.4\""), "{e}");
        assert!(e.contains("hint: remove the quotes: weight = 0.4"), "{e}");
        let e = err("[indicator.a]\nparent = \"X\"\ndirection = \"lower\"\n");
        assert!(e.contains("`direction` must be 1 or -1, not the string \"lower\""), "{e}");
        let e = err("[indicator.a]\nparent = \"X\"\ndirection = 1.5\n");
        assert!(e.contains("`direction` must be 1 or -1, not the number 1.5"), "{e}");
        let e = err("[expert]\nmin_respondents = 2.5\n");
        assert!(e.contains("`min_respondents` must be a whole number, not the number 2.5"), "{e}");
        assert!(!e.contains("f64") && !e.contains("i64"));
    }

    #[test]
    fn an_unquoted_percentage_is_explained() {
        let e = err("[indicator.a]\nparent = \"X\"\nweight = 40%\n");
        assert!(e.contains("`weight = 40%`: `40%` is not a value TOML knows"), "{e}");
        assert!(e.contains("without a unit or %"), "{e}");
    }

    #[test]
    fn a_table_declared_twice_names_both_lines() {
        let e = err("[indicator.a]\nparent = \"X\"\n\n[indicator.a]\nparent = \"X\"\n");
        assert!(e.contains("table [indicator.a] is declared twice, at lines 7 and 10"), "{e}");
        let e = err("[indicator.a]\nparent = \"X\"\nweight = 1\nweight = 2\n");
        assert!(e.contains("`weight` is given twice in [indicator.a], at lines 9 and 10"), "{e}");
    }

    #[test]
    fn an_unknown_key_names_its_table_and_the_near_miss() {
        let e = err("[indicator.a]\nparent = \"X\"\nwieght = 1\n");
        assert!(e.contains("unknown key `wieght` in [indicator.a] (did you mean `weight`?)"), "{e}");
        assert!(e.contains("the keys here are: name, parent"), "{e}");
    }
}
