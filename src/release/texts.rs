//! A release's texts made from the methodology: the changelog, `CITATION.cff` and the README.

use super::Meta;
use crate::methodology::Methodology;
use crate::output::manifest::{Audience, INTERNAL_MARK};

/// `methodology/CHANGELOG.md`: the methodology's `[[changelog]]`, as written.
pub fn changelog(m: &Methodology) -> String {
    let mut s = format!("# Methodology changelog: {}\n\n", m.index.name);
    if m.changelog.is_empty() {
        s.push_str("The methodology declares no [[changelog]] entry.\n");
    }
    for c in &m.changelog {
        let date = c.date.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
        s.push_str(&format!("## {}{date}\n\n{}\n\n", c.version, c.summary.trim()));
    }
    s
}

/// A YAML double-quoted scalar (JSON's string escapes are YAML's).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// `CITATION.cff` (Citation File Format 1.2.0) from `[index]`: the index's name as the
/// author (an entity: the methodology has no author list), the edition as the version,
/// `released` as the release date when it is a date.
pub fn citation(m: &Methodology, edition: &str) -> String {
    let i = &m.index;
    let mut s = String::from("cff-version: 1.2.0\n");
    s.push_str("message: \"If you use these data, please cite them as below.\"\n");
    s.push_str("type: dataset\n");
    s.push_str(&format!("title: {}\n", q(&format!("{} ({}), edition {edition}", i.name, i.code))));
    s.push_str(&format!("authors:\n  - name: {}\n", q(&i.name)));
    s.push_str(&format!("version: {}\n", q(edition)));
    if let Some(d) = i.released.as_deref().filter(|d| is_date(d)) {
        s.push_str(&format!("date-released: {d}\n"));
    }
    let about = i.description.clone().unwrap_or_else(|| i.name.clone());
    s.push_str(&format!(
        "abstract: {}\n",
        q(&format!("{about} Methodology version {}; computed with gti.", i.version))
    ));
    s.push_str(&format!("keywords:\n  - {}\n  - composite index\n", q(i.code.as_str())));
    s
}

/// YYYY-MM-DD.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit())
}

/// `README.md`: what the package holds and how to check it. An internal archive's says so
/// first, and what it holds beyond the public package.
pub fn readme(m: &Methodology, meta: &Meta, names: &[String]) -> String {
    let internal = meta.audience == Audience::Internal;
    let mut s = String::new();
    if internal {
        s.push_str(&format!("# {INTERNAL_MARK}\n\n"));
    }
    s.push_str(&format!("# {} — edition {}\n\n", m.index.name, meta.edition));
    match &meta.responses {
        Some(answers) if internal => s.push_str(&format!(
            "Methodology {} (`{}`), released with gti. This package is an **internal archive**: \
             besides the public tables, it holds every questionnaire answer (`{answers}`), each \
             respondent under a pseudonym (`r_` and the first 16 hex digits of HMAC-SHA-256 of the \
             original id under the project's key, which is not in the package). Keep it with the \
             response files: do not publish it, upload it or send it outside the team. The \
             package to publish is the one made without `--include-responses`. Expert items are \
             also given as their combined value per unit and year (`{}`), which the methodology \
             reads as those items' values.\n\n",
            m.index.version,
            meta.methodology,
            super::COMBINED
        )),
        _ => s.push_str(&format!(
            "Methodology {} (`{}`), released with gti. This package is a **public output**: it holds \
             no respondent identifier and no questionnaire answer. Expert items are given as their \
             combined value per unit and year (`{}`), which the methodology reads as those items' \
             values.\n\n",
            m.index.version,
            meta.methodology,
            super::COMBINED
        )),
    }
    s.push_str(
        "Check it: `sha256sum -c SHA256SUMS` checks every file; `gti verify --release .` also \
         recomputes every score from the methodology and data inside the package",
    );
    if let Some(answers) = &meta.responses {
        s.push_str(&format!(", and checks that the answers in `{answers}` combine to `{}`", super::COMBINED));
    }
    s.push_str(
        ".\n\n\
         The columns of every file are described in `data-dictionary.md`.\n\n## Files\n\n",
    );
    for n in names {
        s.push_str(&format!("- `{n}`\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2025-06-25"));
        assert!(!is_date("2025-6-25"));
        assert!(!is_date("June 2025"));
    }

    #[test]
    fn quoted_scalars_escape() {
        assert_eq!(q("a \"b\": c"), "\"a \\\"b\\\": c\"");
    }
}
