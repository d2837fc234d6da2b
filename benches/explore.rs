//! The explorer's speed in Debian's chromium, headless (docs/performance.md, "Explorer"):
//!
//! - on the GTI example, recompute + redraw after a slider move, on every view (target
//!   ≤ 16 ms): the slider's `input` event is dispatched and timed in the page, to the end of
//!   the synchronous recomputation and redrawing, plus a forced layout;
//! - on a synthetic 200 units × 100 indicators × 10 years (examples/synth_panel.rs), the
//!   recomputation alone (target ≤ 50 ms, `window.gti.timings()`) and the first render
//!   (target ≤ 1 s: from navigation start to the first view drawn);
//! - the file sizes of the pages.
//!
//! ```text
//! cargo bench --locked --bench explore            # MOVES=100 by default
//! ```
//!
//! Not a test: it asserts nothing about time, it reports. It needs chromium on the PATH.

#[allow(dead_code)]
#[path = "../examples/synth_panel.rs"]
mod synth_panel;

use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const VIEWS: [&str; 5] = ["map", "ranking", "profile", "compare", "regions"];

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list`: nothing to list for a harness-less bench
    }
    let moves: usize = std::env::var("MOVES").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let work = tempfile::tempdir().unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let gti_page = explore(&repo, &[], &work.path().join("gti"));
    let synth = work.path().join("synth");
    std::fs::create_dir_all(&synth).unwrap();
    std::fs::write(synth.join("methodology.toml"), synth_panel::methodology(100)).unwrap();
    synth_panel::data(&synth.join("indicators.csv"), 200, 100, 10, 1).unwrap();
    let synth_page = explore(
        &repo,
        &["-m", synth.join("methodology.toml").to_str().unwrap(), "-d", synth.to_str().unwrap()],
        &work.path().join("synth-page"),
    );
    let chromium = which("chromium").expect("chromium on the PATH (apt-get install chromium)");
    let (_browser, tab, _profile) = launch(&chromium);
    println!("## explorer, headless chromium ({})", version(&chromium));
    println!("{moves} slider moves per view; times in ms: median / 95th percentile / max\n");

    println!("### GTI example: recompute + redraw after a slider move (target <= 16 ms)\n");
    println!("| view | recompute | redraw | recompute + redraw + layout |\n|---|---|---|---|");
    for view in VIEWS {
        open(&tab, &gti_page, &format!("#view={view}&year=2024&node=GTI&units=XAB,XAI,XAN"));
        let (rec, draw, total) = slider_moves(&tab, "node.P3.weight", moves);
        println!("| {view} | {} | {} | {} |", stats(rec), stats(draw), stats(total));
    }

    println!("\n### Synthetic 200 units x 100 indicators x 10 years\n");
    let mut first = Vec::new();
    for load in 0..5 {
        open(&tab, &synth_page, &format!("#view=ranking&year=2024&node=SYN&load={load}"));
        first.push(num(&tab, "window.gti.timings().firstRender"));
    }
    println!("first render, ranking view, 5 loads (target <= 1000 ms): {}", stats(first));
    println!(
        "\n| view | recompute (target <= 50 ms) | redraw | recompute + redraw + layout |\n|---|---|---|---|"
    );
    for view in VIEWS {
        open(&tab, &synth_page, &format!("#view={view}&year=2024&node=SYN&units=U0001,U0002,U0003"));
        let (rec, draw, total) = slider_moves(&tab, "node.P3.weight", moves);
        println!("| {view} | {} | {} | {} |", stats(rec), stats(draw), stats(total));
    }

    println!("\n### Page sizes\n");
    for (what, page) in [("GTI example", &gti_page), ("synthetic 200 x 100 x 10", &synth_page)] {
        let bytes = std::fs::metadata(page).unwrap().len();
        println!("- {what}: {} bytes ({:.0} kB)", bytes, bytes as f64 / 1000.0);
    }
}

/// `gti explore ARGS -o DIR` (the release binary cargo built for this bench).
fn explore(repo: &Path, args: &[&str], dir: &Path) -> PathBuf {
    let status = Command::new(env!("CARGO_BIN_EXE_gti"))
        .current_dir(repo)
        .arg("explore")
        .args(args)
        .args(["-q", "-o"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success(), "gti explore {args:?}");
    dir.join("index.html")
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn version(chromium: &Path) -> String {
    let out = Command::new(chromium).arg("--version").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn launch(chromium: &Path) -> (Browser, Arc<Tab>, tempfile::TempDir) {
    let profile = tempfile::tempdir().unwrap();
    let flags =
        ["--disable-quic", "--disable-component-update", "--no-first-run", "--disable-gpu", "--disable-sync"];
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium.to_path_buf()),
        user_data_dir: Some(profile.path().to_path_buf()),
        window_size: Some((1280, 1000)),
        args: flags.iter().map(OsStr::new).collect(),
        idle_browser_timeout: Duration::from_secs(600),
        ..LaunchOptions::default()
    })
    .unwrap();
    let tab = browser.new_tab().unwrap();
    (browser, tab, profile)
}

/// Opens `page` with `fragment` as a new document and waits for `window.gti`.
fn open(tab: &Tab, page: &Path, fragment: &str) {
    static LOADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let load = LOADS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    tab.navigate_to(&format!("file://{}?load={load}{fragment}", page.display())).unwrap();
    let ready = format!(
        "location.search === '?load={load}' && document.readyState === 'complete' && typeof window.gti === 'object'"
    );
    let start = Instant::now();
    while !matches!(tab.evaluate(&ready, false).map(|r| r.value), Ok(Some(serde_json::Value::Bool(true)))) {
        assert!(start.elapsed() < Duration::from_secs(60), "{page:?} never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn num(tab: &Tab, expr: &str) -> f64 {
    tab.evaluate(expr, false).unwrap().value.and_then(|v| v.as_f64()).unwrap_or(f64::NAN)
}

/// `n` moves of the slider writing `path`, each timed in the page: (recompute, redraw, total).
fn slider_moves(tab: &Tab, path: &str, n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut rec, mut draw, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        // Values that change the ranking, never the published one (which drops the pair).
        let v = 1.5 + (i % 10) as f64 * 0.25;
        let js = format!(
            "(() => {{ const r = document.querySelector('input[type=range][data-path=\"{path}\"]'); \
               const t0 = performance.now(); r.value = '{v}'; r.dispatchEvent(new Event('input')); \
               void document.body.offsetHeight; const t = performance.now() - t0; \
               const g = window.gti.timings(); return [g.recompute, g.redraw, t].join(','); }})()"
        );
        let out = tab.evaluate(&js, false).unwrap().value.unwrap();
        let parts: Vec<f64> = out.as_str().unwrap().split(',').map(|s| s.parse().unwrap()).collect();
        rec.push(parts[0]);
        draw.push(parts[1]);
        total.push(parts[2]);
    }
    (rec, draw, total)
}

fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    format!("{:.1} / {:.1} / {:.1}", q(0.5), q(0.95), v[v.len() - 1])
}
