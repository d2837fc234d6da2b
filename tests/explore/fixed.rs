//! Nodes the page does not recompute (issue 18's non-compensatory methods, weights fitted
//! from the data), in the real page: it shows their published scores, recomputes what-ifs
//! beside them exactly as `gti compute --set` does, and refuses what-ifs that would change
//! them, saying why and giving the command (docs/explore.md).

use super::browser::{Session, chromium_or_skip};
use super::{compute_spawn, compute_wait};
use crate::util::{REL_TOL, SMALL_DATA, SMALL_TOML, fixture, gti};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Row = BTreeMap<String, String>;

/// The page's scores (window.gti.scores()) equal `gti compute`'s with the same pairs.
fn same_scores(s: &Session, m: &Path, d: &Path, sets: &[&str]) {
    let sets: Vec<String> = sets.iter().map(|p| p.to_string()).collect();
    let cli = compute_wait(compute_spawn(m, d, &sets), &sets).expect("gti compute");
    let page: Vec<Row> = serde_json::from_value(s.eval("window.gti.scores()")).unwrap();
    assert_eq!(cli.len(), page.len(), "{sets:?}: row count");
    for (c, p) in cli.iter().zip(&page) {
        for (col, want) in c {
            let got = &p[col];
            let near = || match (got.parse::<f64>(), want.parse::<f64>()) {
                (Ok(a), Ok(b)) => (a - b).abs() <= REL_TOL * b.abs().max(1.0),
                _ => false,
            };
            assert!(got == want || near(), "{sets:?} {col} of {c:?}: page {got:?}");
        }
    }
}

/// `gti explore` of methodology `toml` on SMALL_DATA: the folder, methodology, data and page.
fn explored(toml: &str) -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = fixture(&[("m.toml", toml), ("d.csv", SMALL_DATA)]);
    let (m, d) = (dir.path().join("m.toml"), dir.path().join("d.csv"));
    let page = dir.path().join("page");
    gti()
        .arg("explore")
        .arg("-q")
        .arg("-m")
        .arg(&m)
        .arg("-d")
        .arg(&d)
        .arg("-o")
        .arg(&page)
        .assert()
        .success();
    (dir, m, d, page.join("index.html"))
}

/// The fragment that opens the page on `pairs`.
fn fragment(pairs: &str) -> String {
    format!("#view=ranking&year=2024&node=I&set={}", pairs.replace('=', "%3D"))
}

#[test]
fn the_page_keeps_what_it_does_not_recompute_and_refuses_changes_to_it() {
    let Some(chromium) = chromium_or_skip() else { return };
    let s = Session::new(&chromium);
    for (keys, why) in [
        ("aggregate = { method = \"mpi\" }", "non-compensatory"),
        ("weights = { method = \"entropy\" }", "fitted from the data"),
    ] {
        let text =
            SMALL_TOML.replace("[node.A]\nparent = \"I\"\n", &format!("[node.A]\nparent = \"I\"\n{keys}\n"));
        let (_dir, m, d, page) = explored(&text);
        // The published scores, and a what-if beside node A: as gti compute gives them.
        s.open(&page, "");
        same_scores(&s, &m, &d, &[]);
        s.open(&page, &fragment("node.B.weight=3"));
        same_scores(&s, &m, &d, &["node.B.weight=3"]);
        // The control of A says why, and gives the command.
        let note: String =
            serde_json::from_value(s.eval("document.querySelector('.fixed[data-code=\"A\"]').textContent"))
                .unwrap();
        assert!(note.contains(why) && note.contains("gti compute -m"), "{note}");
        // A change beneath A: no numbers, the reason, the command with the pair.
        s.open(&page, &fragment("indicator.a1.weight=2"));
        assert_eq!(s.eval("window.gti.scores()"), serde_json::Value::Null);
        assert_eq!(s.eval("window.gti.state().refused"), serde_json::json!(["A"]));
        let problem: String =
            serde_json::from_value(s.eval("document.querySelector('.problems .refused').textContent"))
                .unwrap();
        assert!(problem.contains("does not recompute node A") && problem.contains("a1"), "{problem}");
        let command: String =
            serde_json::from_value(s.eval("document.querySelector('textarea').value")).unwrap();
        assert!(command.ends_with("--set indicator.a1.weight=2"), "{command}");
        assert_eq!(s.console(), Vec::<String>::new());
    }
    // A method the page does not offer, given as a pair: refused the same way.
    let (_dir, _, _, page) = explored(SMALL_TOML);
    s.open(&page, &fragment("node.B.aggregate.method=copeland"));
    assert_eq!(s.eval("window.gti.state().refused"), serde_json::json!(["B"]));
    let menus = s.eval(
        "[...document.querySelectorAll('select[data-path$=\".aggregate.method\"] option')].map(o => o.value)",
    );
    assert!(!menus.to_string().contains("copeland") && !menus.to_string().contains("mpi"), "{menus}");
}
