//! The codebook of an import: one row per item (`codebook.csv`) and the same as a page
//! (`codebook.md`), with the codes a methodology must declare in `[expert] codes`.

use super::Imported;
use crate::error::Result;
use std::collections::BTreeSet;
use std::path::Path;

/// `item,question,label,group,type,scale,choices`; `choices` lists `code = label` pairs
/// joined by ` | `.
pub fn csv(imp: &Imported) -> Result<Vec<u8>> {
    let header = ["item", "question", "label", "group", "type", "scale", "choices"];
    let rows = imp.items.iter().map(|it| {
        vec![
            it.code.clone(),
            it.question.clone(),
            it.label.clone(),
            it.group.clone(),
            it.type_text.clone(),
            it.scale.clone(),
            choices(it),
        ]
    });
    crate::output::csv::table(&header, rows)
}

fn choices(it: &super::Item) -> String {
    it.choices.iter().map(|(c, l)| format!("{c} = {l}")).collect::<Vec<_>>().join(" | ")
}

/// Text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The responses that are not numbers: codes for the methodology's `[expert] codes`.
pub fn codes(imp: &Imported) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for it in &imp.items {
        for (c, _) in &it.choices {
            if c.parse::<f64>().is_err() {
                out.insert(c.clone());
            }
        }
    }
    out
}

pub fn markdown(imp: &Imported, sources: &[&Path]) -> String {
    let mut s = String::from("# Codebook\n\n");
    s.push_str("Written by `gti import survey` from ");
    let names: Vec<String> = sources
        .iter()
        .map(|p| {
            format!(
                "`{}`",
                cell(
                    &p.file_name()
                        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
                )
            )
        })
        .collect();
    s.push_str(&names.join(", "));
    s.push_str(&format!(
        ".\n\n{}. {} submissions, {} items, {} rows in `responses.csv`.\n\n",
        imp.layout,
        imp.submissions,
        imp.items.len(),
        imp.rows.len()
    ));
    for f in &imp.fields {
        s.push_str(&format!("- {}\n", cell(f)));
    }
    s.push_str("\n| item | question | label | group | type | scale | choices (response = label) |\n");
    s.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for it in &imp.items {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            it.code,
            cell(&it.question),
            cell(&it.label),
            cell(&it.group),
            cell(&it.type_text),
            cell(&it.scale),
            cell(&choices(it))
        ));
    }
    let codes = codes(imp);
    if !codes.is_empty() {
        s.push_str(
            "\nResponses that are codes, not numbers: the methodology's `[expert] codes` (or an item's\n",
        );
        s.push_str("own `expert.codes`) must give each a value or `\"missing\"`:\n\n");
        for c in &codes {
            s.push_str(&format!("- `{}`\n", cell(c)));
        }
    }
    if !imp.not_items.is_empty() {
        s.push_str("\nNot items (free text, metadata, other types, or not in the map):\n\n");
        for n in &imp.not_items {
            s.push_str(&format!("- {}\n", cell(n)));
        }
    }
    s
}
