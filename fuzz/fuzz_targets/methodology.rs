//! Methodology parsing and validation: any text gives a methodology or located errors, never
//! a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gti::methodology::Methodology::parse_str(Path::new("fuzz.toml"), text, String::new(), &[]);
    }
});
