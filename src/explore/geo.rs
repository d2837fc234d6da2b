//! The world geometry the page draws its map with, embedded only into pages that need it:
//! those whose units are (mostly) coded in ISO 3166-1 alpha-3. Built by web/build.mjs into
//! web/dist/world.json (Natural Earth 1:110m countries via world-atlas, small states as points
//! from 1:50m, ISO codes from i18n-iso-countries; credits inside) and committed, as the
//! bundle is.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// web/dist/world.json as built.
pub const WORLD: &str = include_str!("../../web/dist/world.json");

/// The share of units that must carry an ISO 3166-1 alpha-3 code for the page to draw a
/// world map (UNDP's tables add regional aggregates such as `ZZK.WORLD`: listed beside it).
pub const ISO_SHARE: f64 = 2.0 / 3.0;

#[derive(Deserialize)]
struct Codes {
    iso: Vec<String>,
}

/// Every ISO 3166-1 alpha-3 code the geometry knows (the user-assigned XAA–XZZ are none).
pub fn iso_codes() -> &'static BTreeSet<String> {
    static CODES: OnceLock<BTreeSet<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        serde_json::from_str::<Codes>(WORLD)
            .map(|c| c.iso.into_iter().collect())
            .expect("web/dist/world.json is the file build.mjs writes")
    })
}

/// Whether units with these codes are drawn on a world map (else as a tile grid).
pub fn is_world<'a>(codes: impl IntoIterator<Item = &'a str>) -> bool {
    let iso = iso_codes();
    let (mut all, mut known) = (0usize, 0usize);
    for c in codes {
        all += 1;
        known += usize::from(iso.contains(c));
    }
    known > 0 && known as f64 >= ISO_SHARE * all as f64
}

/// The geometry as JSON that can sit inside a `<script>` element (as the model is written).
pub fn script_json() -> String {
    WORLD.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_make_a_world_map_and_fictional_ones_do_not() {
        assert!(iso_codes().len() >= 249, "{}", iso_codes().len());
        assert!(is_world(["NOR", "FRA", "BRA"]));
        // UNDP's table: 195 countries and 11 aggregates.
        let mut undp: Vec<String> = iso_codes().iter().take(195).cloned().collect();
        undp.extend((0..11).map(|i| format!("ZZ{i}.AGG")));
        assert!(is_world(undp.iter().map(String::as_str)));
        assert!(!is_world(["XAA", "XAB", "XAC"]));
        assert!(!is_world(["NOR", "XAA", "XAB"]));
        assert!(!is_world(Vec::<&str>::new()));
    }
}
