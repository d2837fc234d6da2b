//! The views in a real browser: each opens from a URL and restores the same state, follows the
//! live what-if, reaches every control from the keyboard, and sends and logs nothing; the
//! search filters the ranking; the copied command, run, gives the page's numbers; the HDI's
//! ISO-coded units make a world map with every country that has a value coloured, the GTI
//! example's fictional units a tile grid; the page speaks French with `--lang fr`.

use super::browser::{Session, chromium_or_skip};
use super::{example, explore};
use crate::util::{REL_TOL, gti, repo, vendored};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const VIEWS: [&str; 5] = ["map", "ranking", "profile", "compare", "regions"];

fn strings(v: Value) -> Vec<String> {
    serde_json::from_value(v).unwrap()
}

/// The page's scores of (year, node) by unit, from `window.gti.scores()`.
fn page_scores(s: &Session, year: i64, node: &str) -> BTreeMap<String, String> {
    let rows = s.eval(&format!(
        "window.gti.scores().filter(r => r.year === '{year}' && r.node === '{node}').map(r => [r.unit, r.score])"
    ));
    serde_json::from_value::<Vec<(String, String)>>(rows).unwrap().into_iter().collect()
}

#[test]
fn every_view_opens_from_its_url_follows_the_what_if_and_restores_the_same_state() {
    let Some(chromium) = chromium_or_skip() else { return };
    let (_out, page) = explore(&[]);
    let s = Session::new(&chromium);
    let set = "node.P4.weight%3D2";
    for view in VIEWS {
        let fragment = format!("#view={view}&year=2023&node=P2&units=XAB,XAI&set={set}");
        s.open(&page, &fragment);
        // The state the URL holds, and the fragment written back unchanged.
        let state = s.eval("window.gti.state()");
        assert_eq!(
            (&state["view"], &state["year"], &state["node"], &state["units"], &state["sets"]),
            (&json!(view), &json!(2023), &json!("P2"), &json!(["XAB", "XAI"]), &json!(["node.P4.weight=2"])),
            "{view}"
        );
        let hash: String = serde_json::from_value(s.eval("location.hash")).unwrap();
        assert_eq!(hash, fragment, "{view}: the page rewrote its fragment");
        assert_eq!(
            s.eval("document.querySelector('nav button[aria-current=page]').dataset.view"),
            json!(view)
        );
        assert_eq!(
            s.eval(&format!("!!document.getElementById('{view}-title')")),
            json!(true),
            "{view} is shown"
        );
        // Fictional units labelled on the view itself, not only in the page's notice.
        assert_eq!(
            s.eval("document.querySelector('main .badge') !== null"),
            json!(true),
            "{view}: no fictional badge"
        );
        let text: String =
            serde_json::from_value(s.eval("document.querySelector('main').innerText")).unwrap();
        let scores = page_scores(&s, 2023, "P2");
        // Each view shows the what-if's numbers (P4's weight does not touch P2: they are the
        // published ones, so check the index too, which it does change).
        match view {
            "map" => {
                let tiles = strings(s.eval("[...document.querySelectorAll('.tile')].map(b => b.dataset.unit + '=' + b.dataset.value)"));
                let want: Vec<String> = scores.iter().map(|(u, v)| format!("{u}={v}")).collect();
                assert_eq!(
                    tiles.iter().cloned().collect::<BTreeSet<_>>(),
                    want.into_iter().collect(),
                    "tiles"
                );
                assert_eq!(s.eval("document.querySelector('svg.world') === null"), json!(true));
            }
            "ranking" => {
                assert_eq!(s.eval("document.querySelectorAll('tr[data-unit]').length"), json!(26));
                assert!(text.contains("Rank shift"), "the what-if's columns");
            }
            "profile" => {
                assert!(text.contains("Brevania"), "{text}");
                // The drill-down: P2's indicators, each a row of the breakdown.
                let rows = strings(s.eval("[...document.querySelectorAll('table.breakdown tbody th .code')].map(c => c.textContent.trim())"));
                assert_eq!(rows.len(), 4, "{rows:?}");
                assert!(rows.iter().all(|r| r.starts_with("P2_")), "{rows:?}");
            }
            "compare" => {
                let heads = strings(s.eval(
                    "[...document.querySelectorAll('table.side-by-side thead th')].map(th => th.textContent)",
                ));
                assert_eq!(heads[1..], ["Brevania", "Istrelia"]);
                assert_eq!(s.eval("document.querySelectorAll('figure.chart svg .series').length"), json!(2));
            }
            "regions" => {
                assert_eq!(s.eval("document.querySelectorAll('tr[data-region]').length"), json!(5));
            }
            _ => unreachable!(),
        }
        // Every chart has its data table.
        assert_eq!(
            s.eval("[...document.querySelectorAll('main figure.chart')].every(f => f.querySelector('details.data table'))"),
            json!(true),
            "{view}"
        );
    }
    // The index of the profile follows the what-if: XAB's GTI 2023 as compute gives it.
    s.open(&page, &format!("#view=profile&year=2023&node=GTI&units=XAB&set={set}"));
    let (m, d) = example();
    let cli = super::compute_wait(super::compute_spawn(&m, &d, &["node.P4.weight=2".into()]), &[]).unwrap();
    let want = cli.iter().find(|r| r["unit"] == "XAB" && r["year"] == "2023" && r["node"] == "GTI").unwrap();
    let shown: String =
        serde_json::from_value(s.eval("document.querySelector('.facts dd').textContent")).unwrap();
    assert_eq!(shown, format!("{:.2}", want["score"].parse::<f64>().unwrap()));
    // The regions' means are regions.csv's, under the what-if.
    s.open(&page, &format!("#view=regions&year=2023&node=GTI&set={set}"));
    let out = tempfile::tempdir().unwrap();
    gti().args(["compute", "-q", "--set", "node.P4.weight=2", "-o"]).arg(out.path()).assert().success();
    let regions = crate::util::read_csv(&out.path().join("regions.csv"));
    let shown: Vec<(String, String)> = serde_json::from_value(s.eval(
        "[...document.querySelectorAll('tr[data-region]')].map(tr => [tr.dataset.region, tr.children[2].textContent])",
    ))
    .unwrap();
    assert_eq!(shown.len(), 5);
    for (region, mean) in shown {
        let row = regions
            .iter()
            .find(|r| r["region"] == region && r["year"] == "2023" && r["node"] == "GTI")
            .unwrap();
        assert_eq!(mean, format!("{:.2}", row["score"].parse::<f64>().unwrap()), "{region}");
    }
    // A state reached by clicking restores exactly from its URL.
    s.open(&page, "");
    s.run("document.querySelector('nav button[data-view=compare]').click();");
    s.run("const sel = document.querySelector('.compare, main select'); sel.value = 'XAC'; sel.dispatchEvent(new Event('change'));");
    s.run("const sel = document.querySelector('main select'); sel.value = 'XAD'; sel.dispatchEvent(new Event('change'));");
    s.run("const n = document.getElementById('node'); n.value = 'P3'; n.dispatchEvent(new Event('change'));");
    let hash: String = serde_json::from_value(s.eval("location.hash")).unwrap();
    assert!(
        hash.contains("view=compare") && hash.contains("units=XAC,XAD") && hash.contains("node=P3"),
        "{hash}"
    );
    let before = s.eval("[window.gti.state(), document.querySelector('main').innerText]");
    s.open(&page, &hash);
    assert_eq!(s.eval("[window.gti.state(), document.querySelector('main').innerText]"), before);
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}

#[test]
fn search_filters_and_the_copied_command_gives_the_pages_numbers() {
    let Some(chromium) = chromium_or_skip() else { return };
    let (_out, page) = explore(&[]);
    let s = Session::new(&chromium);
    s.open(&page, "#view=ranking&year=2024&node=GTI");
    let visible = || {
        strings(s.eval("[...document.querySelectorAll('tr[data-unit]')].filter(tr => !tr.hidden).map(tr => tr.dataset.unit)"))
    };
    // Typing in the search (as keys, one by one): by region, then by name.
    s.run("document.querySelector('input[type=search]').focus();");
    s.tab_type("Western");
    let mut west = visible();
    west.sort();
    assert_eq!(west, ["XAG", "XAH", "XAI", "XAJ", "XAK"]);
    s.run("const i = document.querySelector('input[type=search]'); i.value = 'brev'; i.dispatchEvent(new Event('input'));");
    assert_eq!(visible(), ["XAB"]);
    assert_eq!(
        s.eval("document.querySelectorAll('tr[data-unit]').length"),
        json!(26),
        "search hides rows, never removes them"
    );
    // Moving sliders and a menu: the ranking re-orders and the command changes.
    let order =
        || strings(s.eval("[...document.querySelectorAll('tr[data-unit]')].map(tr => tr.dataset.unit)"));
    let command = || -> String {
        serde_json::from_value(s.eval("document.querySelector('.whatif textarea').value")).unwrap()
    };
    let (published, plain) = (order(), command());
    s.run(
        "for (const [p, v] of [['node.P3.weight', '3.5'], ['indicator.P1_npm.weight', '0']]) { \
           const r = document.querySelector(`input[type=range][data-path=\"${p}\"]`); r.value = v; r.dispatchEvent(new Event('input')); } \
         const m = document.querySelector('select[data-path=\"node.P5.aggregate.method\"]'); m.value = 'harmonic'; m.dispatchEvent(new Event('change'));",
    );
    assert_ne!(order(), published, "the ranking did not re-order");
    let cmd = command();
    assert_ne!(cmd, plain);
    assert_eq!(
        cmd,
        "gti compute -m methodology/gti.toml -d indicators --set node.P3.weight=3.5 --set indicator.P1_npm.weight=0 \
         --set node.P5.aggregate.method=harmonic"
    );
    // The copy button puts it on the clipboard, or says to copy it by hand: either way, a message.
    s.run("[...document.querySelectorAll('.whatif button')].find(b => b.textContent === 'Copy as command').click();");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let said: String =
        serde_json::from_value(s.eval("document.querySelector('.copied').textContent")).unwrap();
    assert!(["Copied.", "Select the command and copy it."].contains(&said.as_str()), "{said:?}");
    // The command, run as written (from the repository root, as its relative paths say).
    let words: Vec<&str> = cmd.split(' ').collect();
    assert!(!cmd.contains('\''), "no quoting to undo: {cmd}");
    assert_eq!(words[..2], ["gti", "compute"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gti"))
        .current_dir(repo())
        .args(&words[1..])
        .args(["-q", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &out.stdout).unwrap();
    let cli = crate::util::read_csv(file.path());
    let page_rows: Vec<BTreeMap<String, String>> =
        serde_json::from_value(s.eval("window.gti.scores()")).unwrap();
    assert_eq!(cli.len(), page_rows.len());
    for (c, p) in cli.iter().zip(&page_rows) {
        for col in ["unit", "year", "node", "rank", "band", "imputed"] {
            assert_eq!(c[col], p[col], "{col} of {c:?}");
        }
        assert_eq!(c["score"].is_empty(), p["score"].is_empty());
        if !c["score"].is_empty() {
            let (a, b): (f64, f64) = (c["score"].parse().unwrap(), p["score"].parse().unwrap());
            assert!((a - b).abs() <= REL_TOL * a.abs().max(1.0), "{c:?} vs {p:?}");
        }
    }
    // ... and the page's ranking rows are those numbers.
    let shown: Vec<(String, String)> = serde_json::from_value(s.eval(
        "[...document.querySelectorAll('tr[data-unit]')].map(tr => [tr.dataset.unit, tr.dataset.rank])",
    ))
    .unwrap();
    for (unit, rank) in shown {
        let row =
            cli.iter().find(|r| r["unit"] == unit && r["year"] == "2024" && r["node"] == "GTI").unwrap();
        assert_eq!(row["rank"], rank, "{unit}");
    }
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}

/// Marks every element a keyboard user must reach on the current view (enabled, shown, in
/// the tab order; inside a closed <details> only its summary), presses Tab until focus
/// comes round again, and returns the marks never focused.
fn unreached_by_tab(s: &Session) -> (usize, Vec<String>) {
    let n: usize = serde_json::from_value(s.eval(
        "(() => { let k = 0; for (const e of document.querySelectorAll('a[href],button,input,select,textarea,summary,[tabindex]')) { \
           e.removeAttribute('data-k'); \
           if (e.tabIndex < 0 || e.disabled || e.getClientRects().length === 0) continue; \
           e.dataset.k = String(k++); } \
           window.__seen = new Set(); \
           document.addEventListener('focusin', ev => ev.target.dataset && ev.target.dataset.k !== undefined && window.__seen.add(ev.target.dataset.k)); \
           document.activeElement && document.activeElement.blur(); return k; })()",
    ))
    .unwrap();
    for _ in 0..n + 5 {
        s.press("Tab");
    }
    let missed = strings(s.eval(
        "[...document.querySelectorAll('[data-k]')].filter(e => !window.__seen.has(e.dataset.k)).map(e => e.outerHTML.slice(0, 120))",
    ));
    (n, missed)
}

#[test]
fn the_keyboard_reaches_every_control_of_every_view() {
    let Some(chromium) = chromium_or_skip() else { return };
    let (_out, page) = explore(&[]);
    let s = Session::new(&chromium);
    for view in VIEWS {
        s.open(&page, &format!("#view={view}&year=2024&node=GTI&units=XAB,XAC&set=node.P4.weight%3D2"));
        // Open every <details>, so that the controls inside count too.
        s.run("document.querySelectorAll('details').forEach(d => d.open = true);");
        let (n, missed) = unreached_by_tab(&s);
        assert!(n > 60, "{view}: {n} controls");
        assert!(missed.is_empty(), "{view}: never focused with Tab: {missed:#?}");
    }
    // A tile opens the profile with Enter.
    s.open(&page, "#view=map&year=2024&node=GTI");
    s.run("document.querySelector('.tile[data-unit=XAK]').focus();");
    s.press("Enter");
    assert_eq!(s.eval("[window.gti.state().view, window.gti.state().units]"), json!(["profile", ["XAK"]]));
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}

/// UNDP's HDR 2023/24 components (`gti import columns`) and a units.csv of its names and
/// regions, in `dir`.
fn hdi_data(dir: &Path) -> PathBuf {
    let hdr = vendored("undp-hdr").join("HDR23-24_hdi_components.csv");
    gti()
        .args(["import", "columns", "--unit", "iso3", "--pattern", "{indicator}_{year}"])
        .args(["--indicators", "le,eys,mys,gnipc", "--encoding", "latin1", "--input"])
        .arg(&hdr)
        .arg("-o")
        .arg(dir.join("indicators.csv"))
        .assert()
        .success();
    let bytes = std::fs::read(&hdr).unwrap();
    let text: String = bytes.iter().map(|&b| b as char).collect(); // Latin-1
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut w = csv::Writer::from_path(dir.join("units.csv")).unwrap();
    w.write_record(["unit", "name", "region"]).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record([&rec[0], &rec[1], &rec[3]]).unwrap();
    }
    w.flush().unwrap();
    dir.to_path_buf()
}

#[test]
fn the_hdi_makes_a_world_map_with_every_country_that_has_a_value_coloured() {
    let data = tempfile::tempdir().unwrap();
    hdi_data(data.path());
    let (_out, page) = explore(&["-m", "methodology/hdi.toml", "-d", data.path().to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"gti-geo\""), "the page carries the world geometry");
    // The GTI example's fictional units: no geometry, a tile grid.
    let (_o2, gti_page) = explore(&[]);
    let gti_html = std::fs::read_to_string(&gti_page).unwrap();
    assert!(!gti_html.contains("id=\"gti-geo\""));
    assert!(gti_html.len() * 3 < html.len() / 2, "the GTI page stays small: {} bytes", gti_html.len());
    let Some(chromium) = chromium_or_skip() else { return };
    let s = Session::new(&chromium);
    for year in [2022, 1990] {
        s.open(&page, &format!("#view=map&year={year}&node=HDI"));
        let with_value: BTreeSet<String> =
            page_scores(&s, year, "HDI").into_iter().filter(|(_, v)| !v.is_empty()).map(|(u, _)| u).collect();
        // Country shapes and small-state dots with a value, and the units listed off the map.
        let coloured: Vec<(String, String, String)> = serde_json::from_value(s.eval(
            "[...document.querySelectorAll('svg.world [data-unit]')].filter(e => e.dataset.value !== '') \
               .map(e => [e.dataset.unit, e.tagName, e.getAttribute('fill')])",
        ))
        .unwrap();
        let off: BTreeSet<String> = strings(s.eval(
            "[...document.querySelectorAll('.off-list li[data-unit]')].filter(e => e.dataset.value !== '').map(e => e.dataset.unit)",
        ))
        .into_iter()
        .collect();
        let on: BTreeSet<String> = coloured.iter().map(|(u, _, _)| u.clone()).collect();
        assert_eq!(on.len(), coloured.len(), "a unit drawn twice");
        assert!(on.is_disjoint(&off));
        assert_eq!(
            &on | &off,
            with_value,
            "{year}: every unit with a value is coloured on the map or listed beside it"
        );
        // Every country on the map with a value has a colour other than the no-value grey,
        // and nothing without a value is coloured.
        for (u, _, fill) in &coloured {
            assert!(!fill.is_empty() && fill != "#e4e4e4", "{u}: {fill}");
        }
        let grey: Vec<String> = strings(s.eval(
            "[...document.querySelectorAll('svg.world [data-unit]')].filter(e => e.dataset.value === '' && e.getAttribute('fill') !== '#e4e4e4').map(e => e.dataset.unit)",
        ));
        assert!(grey.is_empty(), "{grey:?}");
        // Only UNDP's aggregates and Tuvalu (not in Natural Earth's 1:50m) are off the map.
        assert!(off.iter().all(|u| u.starts_with("ZZ") || u == "TUV"), "{off:?}");
        if year == 2022 {
            assert!(on.len() >= 190, "{} countries coloured", on.len());
            assert!(coloured.iter().any(|(_, tag, _)| tag == "circle"), "small states as dots");
        }
    }
    // Hover shows the value; a click opens the profile.
    s.run("document.querySelector('svg.world [data-unit=NOR]').dispatchEvent(new MouseEvent('mouseenter'));");
    let readout: String =
        serde_json::from_value(s.eval("document.querySelector('.readout').textContent")).unwrap();
    let norway: f64 = page_scores(&s, 1990, "HDI")["NOR"].parse().unwrap();
    assert!(readout.starts_with(&format!("Norway (NOR) · {norway:.3} · rank ")), "{readout}");
    s.run("document.querySelector('svg.world [data-unit=NOR]').dispatchEvent(new MouseEvent('click'));");
    assert_eq!(s.eval("[window.gti.state().view, window.gti.state().units]"), json!(["profile", ["NOR"]]));
    // The map is one stop in the tab order; arrow keys move between countries.
    s.open(&page, "#view=map&year=2022&node=HDI");
    assert_eq!(s.eval("document.querySelectorAll('svg.world [tabindex=\"0\"]').length"), json!(1));
    s.run("document.querySelector('svg.world [tabindex=\"0\"]').focus();");
    let first: String = serde_json::from_value(s.eval("document.activeElement.dataset.unit")).unwrap();
    s.press("ArrowRight");
    let second: String = serde_json::from_value(s.eval("document.activeElement.dataset.unit")).unwrap();
    assert_ne!(first, second);
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}

#[test]
fn the_page_speaks_french_with_lang_fr() {
    let (_out, page) = explore(&["--lang", "fr"]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    let Some(chromium) = chromium_or_skip() else { return };
    let s = Session::new(&chromium);
    for view in VIEWS {
        s.open(&page, &format!("#view={view}&year=2024&node=GTI&units=XAB,XAC"));
        let text: String = serde_json::from_value(s.eval("document.body.innerText")).unwrap();
        for word in ["Carte", "Classement", "Profil", "Comparer", "Régions", "Et si…", "Unités fictives"]
        {
            assert!(text.contains(word), "{view}: {word} missing");
        }
        for english in ["Ranking", "What if", "Search units", "Mean of", "Data table", "Colour by"] {
            assert!(!text.contains(english), "{view}: English left: {english}");
        }
    }
    assert_eq!(s.console(), Vec::<String>::new());
    assert_eq!(s.requests(), Vec::<String>::new());
}
