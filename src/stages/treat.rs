//! Treat outliers. This version offers `none` only (COINr's `winsorise` comes with the
//! audit work); the stage exists so that the `Treated` data set and the `treat` keys of the
//! methodology are in place.

use crate::methodology::{Methodology, Treat};
use crate::table::Panel;

/// Applies each indicator's treatment (`none`: a copy).
pub fn treat(input: &Panel, m: &Methodology) -> Panel {
    for &id in &m.framework.indicators {
        match m.element(id).indicator().expect("indicator").treat {
            Treat::None => {}
        }
    }
    input.clone()
}
