//! `gti import coinr` on any iMeta and iData (the input split at its first NUL byte): errors,
//! never a panic; and when it succeeds, the methodology it writes is valid TOML.
#![no_main]

use gti::import::coinr::{Input, convert};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let at = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (imeta, idata) = (&data[..at], data.get(at + 1..).unwrap_or(&[]));
    let imeta = Input { path: Path::new("iMeta.csv"), bytes: imeta.to_vec(), sheet: None };
    let idata = Input { path: Path::new("iData.csv"), bytes: idata.to_vec(), sheet: None };
    if let Ok(files) = convert(imeta, idata, Some(2020)) {
        let bytes = files[0].bytes().expect("in memory");
        let toml = std::str::from_utf8(&bytes).expect("methodology.toml is UTF-8");
        if let Err(e) = toml.parse::<toml::Table>() {
            panic!("import coinr wrote invalid TOML: {e}\n{toml}");
        }
        let path = Path::new("methodology.toml");
        let _ = gti::methodology::Methodology::parse_str(path, toml, String::new(), &[]);
    }
});
