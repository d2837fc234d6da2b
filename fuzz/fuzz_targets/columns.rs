//! `gti import columns` on any bytes as a published wide table (UNDP layout
//! `{indicator}_{year}`, or World Bank layout with an indicator column, chosen by the first
//! byte; UTF-8 or Latin-1 by the second): located errors or a long CSV, never a panic.
#![no_main]

use gti::cli::{Encoding, ImportColumnsArgs};
use gti::commands::import_columns::{Pattern, convert};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let [layout, encoding, rest @ ..] = data else { return };
    let wb = layout & 1 == 1;
    let args = ImportColumnsArgs {
        input: PathBuf::from("table.csv"),
        unit: if wb { "Country Code".into() } else { "iso3".into() },
        pattern: if wb { "{year}".into() } else { "{indicator}_{year}".into() },
        indicators: (layout & 2 == 2).then(|| "hdi=HDI,le".into()),
        indicator_column: wb.then(|| "Indicator Code".into()),
        encoding: if encoding & 1 == 1 { Encoding::Latin1 } else { Encoding::Utf8 },
        output: PathBuf::from("-"),
    };
    let pattern = Pattern::parse(&args.pattern).expect("a valid pattern");
    let _ = convert(&args, &pattern, rest.to_vec());
});
