//! The embedded example's report in a real browser: Debian's chromium, headless.
//!
//! Each page is loaded from a file:// URL with console logging on stderr
//! (`--enable-logging=stderr --v=0`); every console message (an uncaught exception, a
//! `console.error`, a resource blocked by the page's Content-Security-Policy, …) appears as a
//! line containing `:CONSOLE`, and any such line fails the test. A control page that throws
//! proves that the detection works with the installed chromium, so the check cannot pass
//! silently. A screenshot of each page is taken and checked to be a PNG of the window's width,
//! and the main page is printed to a PDF (several pages, no console message).
//!
//! CI (`.ci/run`) installs chromium and sets GTI_REQUIRE_BROWSER=1: there a missing browser
//! fails the test. Elsewhere, without chromium, the test prints a loud SKIPPED notice.

use crate::util::gti;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WIDTH: u32 = 1280;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Loads `page` headless and screenshots it into `png`; returns the console lines.
fn load(browser: &Path, page: &Path, png: &Path) -> Vec<String> {
    run(browser, page, &[format!("--window-size={WIDTH},1600"), format!("--screenshot={}", png.display())])
}

/// Prints `page` to `pdf` as the browser's print does; returns the console lines.
fn print(browser: &Path, page: &Path, pdf: &Path) -> Vec<String> {
    run(browser, page, &["--no-pdf-header-footer".into(), format!("--print-to-pdf={}", pdf.display())])
}

/// The number of pages of a PDF written by chromium: the largest `/Count` of its page tree
/// (the root's; inner nodes count their own pages).
fn pdf_pages(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no PDF {}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF-"), "{} is not a PDF", path.display());
    let text = String::from_utf8_lossy(&bytes);
    let counts = text.split("/Count ").skip(1);
    counts
        .filter_map(|c| c.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .max()
        .expect("a page tree")
}

fn run(browser: &Path, page: &Path, output: &[String]) -> Vec<String> {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .args(["--enable-logging=stderr", "--v=0", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(output)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium did not finish within 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = reader.join().unwrap();
    log.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught")).map(String::from).collect()
}

/// The width of a PNG file, from its IHDR chunk.
fn png_width(path: &Path) -> u32 {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no screenshot {}: {e}", path.display()));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{} is not a PNG", path.display());
    u32::from_be_bytes(bytes[16..20].try_into().unwrap())
}

fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        let required = std::env::var_os("GTI_REQUIRE_BROWSER").is_some() || std::env::var_os("CI").is_some();
        assert!(!required, "chromium is not installed: .ci/run installs it (apt-get install chromium)");
        eprintln!("\n*** SKIPPED: the browser test needs chromium (apt-get install chromium) ***\n");
    }
    found
}

#[test]
fn example_report_loads_in_chromium_without_console_errors() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Control: a page that logs an error and throws must be caught.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><p>x</p><script>console.error('e1'); throw new Error('e2')</script>",
    )
    .unwrap();
    let caught = load(&browser, &bad, &dir.path().join("bad.png"));
    assert!(caught.iter().any(|l| l.contains("Uncaught Error: e2")), "detection is broken: {caught:?}");
    gti().args(["report", "-q", "-o"]).arg(dir.path().join("plain")).assert().success();
    gti()
        .args(["report", "-q", "--set", "node.P4.weight=2", "-o"])
        .arg(dir.path().join("whatif"))
        .assert()
        .success();
    for (page, shot) in
        [("plain/index.html", "index"), ("plain/units/XAC.html", "profile"), ("whatif/index.html", "whatif")]
    {
        let png = dir.path().join(format!("{shot}.png"));
        let console = load(&browser, &dir.path().join(page), &png);
        assert!(console.is_empty(), "{page}: console messages: {console:#?}");
        assert_eq!(png_width(&png), WIDTH, "{page}");
    }
    // Printing (the print CSS) works too: a multi-page PDF, still without console messages.
    let pdf = dir.path().join("index.pdf");
    let console = print(&browser, &dir.path().join("plain/index.html"), &pdf);
    assert!(console.is_empty(), "printing: console messages: {console:#?}");
    assert!(pdf_pages(&pdf) >= 5, "{} pages", pdf_pages(&pdf));
}
