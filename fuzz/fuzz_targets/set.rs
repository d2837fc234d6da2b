//! `--set PATH=VALUE` parsing and application to a valid methodology, then validation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

const BASE: &str = "schema = 1\n[index]\ncode = \"I\"\nname = \"f\"\nversion = \"1\"\n[defaults]\n\
normalise = { method = \"minmax\", range = [0, 100] }\n[node.I]\n[node.A]\nparent = \"I\"\n\
[indicator.a1]\nparent = \"A\"\n[[band]]\nlabel = \"x\"\nmin = 0\nmax = 100\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sets: Vec<gti::methodology::Override> = text.lines().filter_map(|l| l.parse().ok()).collect();
    let _ = gti::methodology::Methodology::parse_str(Path::new("m.toml"), BASE, String::new(), &sets);
});
