//! A screenshot of one element of an explorer page after opening its disclosures, for
//! docs/explore.md (`web/tools/screenshots.sh` uses it where chromium's `--screenshot` cannot
//! reach: a `<details>` must be opened first). Debian's chromium, headless, through the
//! DevTools protocol (the `headless_chrome` crate, pointed at the installed browser).
//!
//! ```text
//! cargo run --locked --example explore_screenshot -- PAGE FRAGMENT SELECTOR OUT.png [WIDTH HEIGHT]
//! cargo run --locked --example explore_screenshot -- explorer/index.html \
//!     '#view=ranking&set=node.P4.weight%3D3' '.whatif' whatif.png 1440 2600
//! ```
//!
//! Every `<details>` matching `details.effective` is opened; the image is the element's border
//! box with an 8-pixel margin.

use headless_chrome::protocol::cdp::Page;
use headless_chrome::{Browser, LaunchOptions};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 4 && args.len() != 6 {
        eprintln!("usage: explore_screenshot PAGE FRAGMENT SELECTOR OUT.png [WIDTH HEIGHT]");
        std::process::exit(2);
    }
    let page = std::fs::canonicalize(&args[0]).expect("the page");
    let (width, height) = match args.get(4..6) {
        Some([w, h]) => (w.parse().expect("WIDTH"), h.parse().expect("HEIGHT")),
        _ => (1440, 2600),
    };
    let chromium = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
        .expect("chromium on the PATH (apt-get install chromium)");
    let profile = tempfile::tempdir().unwrap();
    let flags = [
        "--disable-quic",
        "--disable-component-update",
        "--no-first-run",
        "--disable-gpu",
        "--hide-scrollbars",
    ];
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium),
        user_data_dir: Some(profile.path().to_path_buf()),
        window_size: Some((width, height)),
        args: flags.iter().map(OsStr::new).collect(),
        ..LaunchOptions::default()
    })
    .expect("start chromium");
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("file://{}{}", page.display(), args[1])).unwrap();
    let start = Instant::now();
    while !matches!(
        tab.evaluate("document.readyState === 'complete' && typeof window.gti === 'object'", false)
            .map(|r| r.value),
        Ok(Some(serde_json::Value::Bool(true)))
    ) {
        assert!(start.elapsed() < Duration::from_secs(30), "window.gti never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Open the disclosures; their `toggle` handlers draw the rows, after this script.
    tab.evaluate("document.querySelectorAll('details.effective').forEach(d => { d.open = true; })", false)
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let selector = serde_json::to_string(&args[2]).unwrap();
    let rect = tab
        .evaluate(
            &format!(
                "(() => {{ const r = document.querySelector({selector}).getBoundingClientRect(); \
                   return [r.left + scrollX, r.top + scrollY, r.width, r.height].join(','); }})()"
            ),
            false,
        )
        .unwrap()
        .value
        .unwrap_or_else(|| panic!("no element {selector}"));
    let r: Vec<f64> = rect.as_str().unwrap().split(',').map(|v| v.parse().unwrap()).collect();
    let clip = Page::Viewport {
        x: (r[0] - 8.0).max(0.0),
        y: (r[1] - 8.0).max(0.0),
        width: r[2] + 16.0,
        height: r[3] + 16.0,
        scale: 1.0,
    };
    let png =
        tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, Some(clip), true).unwrap();
    std::fs::write(PathBuf::from(&args[3]), png).unwrap();
}
