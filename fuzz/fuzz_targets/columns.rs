//! `gti import columns` on any bytes as a published wide table (UNDP layout
//! `{indicator}_{year}`, or World Bank layout with an indicator column, chosen by the first
//! byte's low bits; UTF-8 or Latin-1 by the second byte's; the second byte's other bits
//! declare `;` as the delimiter, a decimal comma, `..` as missing, one line to skip and a
//! footer): located errors or a long CSV, never a panic.
#![no_main]

use gti::import::columns::{Encoding, Options, Pattern, convert, selection};
use gti::ingest::Conventions;
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
        skip_rows: usize::from(encoding & 8 == 8),
        footer: encoding & 16 == 16,
        conventions: Conventions {
            na: if encoding & 32 == 32 { vec!["..".into()] } else { vec![] },
            delimiter: if encoding & 2 == 2 { b';' } else { b',' },
            decimal_comma: encoding & 4 == 4,
        },
    };
    let _ = convert(&opt, rest.to_vec());
});
