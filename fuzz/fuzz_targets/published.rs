//! `gti verify`'s (and `compare --edition`'s) published-table reader on any bytes, then the
//! comparison with half-up rounding: errors, never a panic.
#![no_main]

use gti::verify::{Computed, compare, parse_published, suggest_round};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(published) = parse_published(Path::new("published.csv"), data) else { return };
    let mut computed = Computed::default();
    for p in &published {
        computed.scores.insert((p.unit.clone(), p.year, p.node.clone()), (p.score, p.rank));
    }
    let round = data.first().map(|&b| usize::from(b % 20));
    let _ = suggest_round(&published, &computed, round, 0.0);
    let _ = compare(published, &computed, round, 0.0);
});
