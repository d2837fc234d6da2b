//! Every CSV reader (long, wide, units, expert responses, recognised by the header) on any
//! bytes, then the whole pipeline on what was read: errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

const M: &str = "schema = 1\n[index]\ncode = \"I\"\nname = \"f\"\nversion = \"1\"\n[node.I]\n\
[indicator.a1]\nparent = \"I\"\n[indicator.e1]\nparent = \"I\"\nsource = \"expert\"\n\
impute = { method = \"mean\" }\n";

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    let mut raw = gti::ingest::RawData::default();
    let mut diags = Vec::new();
    let conventions = gti::ingest::Conventions::default();
    let src = gti::ingest::Source::csv(path, &conventions);
    let kind = gti::ingest::read_file(&src, data, 0, &mut raw, &mut diags);
    raw.files.push(gti::ingest::InputFile::csv(path, String::new(), kind.unwrap_or(gti::ingest::FileKind::Long)));
    if diags.is_empty() {
        let m = gti::methodology::Methodology::parse_str(Path::new("m.toml"), M, String::new(), &[]).unwrap();
        let _ = gti::stages::run(&m, &raw);
    }
});
