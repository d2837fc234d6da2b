//! `gti import columns` on any bytes as a published wide table (UNDP layout
//! `{indicator}_{year}`, or World Bank layout with an indicator column, chosen by the first
//! byte; UTF-8 or Latin-1 by the second): located errors or a long CSV, never a panic.
#![no_main]

use gti::import::columns::{Encoding, Options, Pattern, convert, selection};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let [layout, encoding, rest @ ..] = data else { return };
    let wb = layout & 1 == 1;
    let pattern = if wb { "{year}" } else { "{indicator}_{year}" };
    let opt = Options {
        input: PathBuf::from("table.csv"),
        unit: if wb { "Country Code".into() } else { "iso3".into() },
        pattern: Pattern::parse(pattern).expect("a valid pattern"),
        indicators: selection((layout & 2 == 2).then_some("hdi=HDI,le")),
        indicator_column: wb.then(|| "Indicator Code".into()),
        encoding: if encoding & 1 == 1 { Encoding::Latin1 } else { Encoding::Utf8 },
    };
    let _ = convert(&opt, rest.to_vec());
});
