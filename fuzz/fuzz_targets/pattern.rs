//! `gti import columns --pattern` parsing and matching on any column name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, name) = text.split_once('\n').unwrap_or((text, "hdi_2020"));
    if let Ok(p) = gti::import::columns::Pattern::parse(pattern) {
        let _ = p.matches(name);
    }
});
