//! The declared map file (`--map map.csv`): which questions become which items, and, for
//! exports without a form (SurveyMonkey), which answer text gives which code.
//!
//! Columns: `question,item` and optionally `subquestion,answer,code`. One row per item (per
//! answer, when answers are listed). With a map, only the questions it names are items.

use super::grid::Grid;
use crate::error::{DataError, Diag, Location, Result};
use crate::ingest::cell::clip;
use std::path::Path;

/// One row of the map.
#[derive(Debug, Clone)]
pub struct Entry {
    /// A question's name (XLSForm) or its text in the export's first header row (SurveyMonkey).
    pub question: String,
    /// A select_multiple's choice name (XLSForm), or the second header row's text
    /// (SurveyMonkey: a checkbox option, a matrix row).
    pub subquestion: String,
    /// The item code; empty on a row that translates answers of the unit or year field.
    pub item: String,
    /// An answer text and the response it gives (SurveyMonkey).
    pub answer: Option<(String, String)>,
    /// Where the row is.
    pub loc: Location,
}

/// Reads a map file (CSV, `,` or `;`).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>> {
    let g = super::grid::read_csv(path, bytes, None)?;
    from_grid(&g)
}

pub fn from_grid(g: &Grid) -> Result<Vec<Entry>> {
    let col = |n: &str| g.column(0, n);
    let (Some(qc), Some(ic)) = (col("question"), col("item")) else {
        return Err(DataError(vec![
            Diag::new(Location::at(&g.path, 1, Some(1)), "a map file needs the columns question and item")
                .hint("header: question,item (+ subquestion, answer, code)"),
        ])
        .into());
    };
    let known = ["question", "item", "subquestion", "answer", "code"];
    let mut diags = Vec::new();
    for (c, h) in g.rows.first().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        if !known.iter().any(|k| h.eq_ignore_ascii_case(k)) {
            let msg = format!("unknown map column '{}'{}", clip(h), crate::suggest::hint(h, known));
            diags.push(
                Diag::new(g.loc(0, c), msg)
                    .hint("a map's columns: question, item, subquestion, answer, code"),
            );
        }
    }
    let (sc, ac, cc) = (col("subquestion"), col("answer"), col("code"));
    let mut out = Vec::new();
    for r in 1..g.rows.len() {
        if g.blank(r) {
            continue;
        }
        let get = |c: Option<usize>| c.map(|c| g.get(r, c).to_string()).unwrap_or_default();
        let (question, item) = (get(Some(qc)), get(Some(ic)));
        if question.is_empty() {
            diags.push(Diag::new(g.loc(r, qc), "the question is empty"));
            continue;
        }
        if let Some(p) = (!item.is_empty()).then(|| crate::codes::code_problem(&item)).flatten() {
            diags.push(Diag::new(g.loc(r, ic), format!("item '{}': {p}", clip(&item))));
            continue;
        }
        let (answer, code) = (get(ac), get(cc));
        let answer = match (answer.is_empty(), code.is_empty()) {
            (true, true) => None,
            (false, false) => Some((answer, code)),
            _ => {
                let at = g.loc(r, ac.or(cc).unwrap_or(ic));
                diags.push(Diag::new(at, "answer and code go together: give both or neither"));
                continue;
            }
        };
        out.push(Entry { question, subquestion: get(sc), item, answer, loc: g.loc(r, qc) });
    }
    if diags.is_empty() { Ok(out) } else { Err(DataError(diags).into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_their_problems() {
        let ok =
            read(Path::new("m.csv"), b"question,item,answer,code\nq1,P1_a,,\nq2,P1_b,Yes,yes\n").unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].answer, Some(("Yes".into(), "yes".into())));
        let e =
            read(Path::new("m.csv"), b"question,item,answer\nq1,P1.a,\nq2,b,Yes\n").unwrap_err().to_string();
        assert!(e.contains("m.csv:2:2: item 'P1.a'"), "{e}");
        assert!(e.contains("m.csv:3:3: answer and code go together"), "{e}");
    }
}
