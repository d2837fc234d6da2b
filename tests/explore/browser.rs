//! Debian's chromium, headless, driven through the DevTools protocol (the `headless_chrome`
//! crate, pointed at the installed browser: nothing is downloaded).
//!
//! A [`Session`] records every console message (Runtime.consoleAPICalled,
//! Runtime.exceptionThrown, Log.entryAdded: errors, warnings, CSP reports), every JavaScript
//! dialog, and every network request but the page's own file:// document, so that tests can
//! assert there were none. CI (`.ci/run`) installs chromium and sets GTI_REQUIRE_BROWSER=1:
//! there a missing browser fails the tests; elsewhere they print a loud SKIPPED notice, as
//! tests/report/browser.rs does.

use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn chromium_or_skip() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file());
    if found.is_none() {
        let required = std::env::var_os("GTI_REQUIRE_BROWSER").is_some() || std::env::var_os("CI").is_some();
        assert!(!required, "chromium is not installed: .ci/run installs it (apt-get install chromium)");
        eprintln!(
            "\n*** SKIPPED: the explorer's browser tests need chromium (apt-get install chromium) ***\n"
        );
    }
    found
}

/// One browser with one tab, and what it saw.
pub struct Session {
    _browser: Browser,
    tab: Arc<Tab>,
    _profile: tempfile::TempDir,
    /// Console messages, uncaught exceptions, log entries and dialogs.
    pub console: Arc<Mutex<Vec<String>>>,
    /// Requests other than a file:// document or about:blank.
    pub requests: Arc<Mutex<Vec<String>>>,
    loads: std::sync::atomic::AtomicUsize,
}

impl Session {
    pub fn new(chromium: &Path) -> Session {
        let profile = tempfile::tempdir().unwrap();
        let flags = ["--disable-quic", "--disable-component-update", "--no-first-run", "--disable-gpu"];
        let options = LaunchOptions {
            headless: true,
            sandbox: false,
            path: Some(chromium.to_path_buf()),
            user_data_dir: Some(profile.path().to_path_buf()),
            window_size: Some((1280, 1000)),
            args: flags.iter().map(OsStr::new).collect(),
            idle_browser_timeout: Duration::from_secs(600),
            ..LaunchOptions::default()
        };
        let browser = Browser::new(options).expect("start chromium");
        let tab = browser.new_tab().expect("a tab");
        tab.enable_runtime().unwrap();
        tab.enable_log().unwrap();
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
        let (console, requests) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
        let (c, r) = (console.clone(), requests.clone());
        tab.add_event_listener(Arc::new(move |event: &Event| match event {
            Event::RuntimeConsoleAPICalled(e) => c.lock().unwrap().push(format!("console: {:?}", e.params)),
            Event::RuntimeExceptionThrown(e) => c.lock().unwrap().push(format!("exception: {:?}", e.params)),
            Event::LogEntryAdded(e) => c.lock().unwrap().push(format!("log: {}", e.params.entry.text)),
            Event::PageJavascriptDialogOpening(e) => {
                c.lock().unwrap().push(format!("dialog: {:?}", e.params))
            }
            Event::NetworkRequestWillBeSent(e) => {
                let (url, kind) = (&e.params.request.url, &e.params.Type);
                let document = url.starts_with("file://") && format!("{kind:?}").contains("Document");
                if !document && url != "about:blank" {
                    r.lock().unwrap().push(url.clone());
                }
            }
            _ => {}
        }))
        .unwrap();
        Session { _browser: browser, tab, _profile: profile, console, requests, loads: Default::default() }
    }

    /// Opens `page` with `fragment` as a fresh load, and waits until the page has set up
    /// `window.gti`. A query string that changes with every load (file:// ignores it) makes
    /// each a new document, never a same-document fragment change.
    pub fn open(&self, page: &Path, fragment: &str) {
        let load = self.loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let url = format!("file://{}?load={load}{fragment}", page.display());
        self.tab.navigate_to(&url).unwrap();
        let ready = format!(
            "location.search === '?load={load}' && document.readyState === 'complete' && typeof window.gti === 'object'"
        );
        let start = Instant::now();
        // Evaluating while the old document goes away can fail: try again.
        while !matches!(
            self.tab.evaluate(&ready, false).map(|r| r.value),
            Ok(Some(serde_json::Value::Bool(true)))
        ) {
            assert!(start.elapsed() < Duration::from_secs(30), "{url}: window.gti never appeared");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The value of `expr` in the page, through JSON.
    pub fn eval(&self, expr: &str) -> serde_json::Value {
        let r = self.tab.evaluate(&format!("JSON.stringify({expr})"), false).unwrap();
        match r.value {
            Some(serde_json::Value::String(s)) => serde_json::from_str(&s).unwrap(),
            other => panic!("{expr}: no JSON value ({other:?}, {:?})", r.description),
        }
    }

    /// Runs `script` (statements) in the page.
    pub fn run(&self, script: &str) {
        self.tab.evaluate(&format!("(() => {{ {script} }})()"), false).unwrap();
    }

    /// Presses `key` (e.g. "Tab", "Enter") as a keyboard would.
    pub fn press(&self, key: &str) {
        self.tab.press_key(key).unwrap();
    }

    /// Types `text` into the focused element, key by key.
    pub fn tab_type(&self, text: &str) {
        self.tab.type_str(text).unwrap();
    }

    pub fn console(&self) -> Vec<String> {
        self.console.lock().unwrap().clone()
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}
