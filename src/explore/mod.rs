//! `gti explore`: the index as one self-contained, interactive HTML page that recomputes
//! what-ifs (weights, aggregation methods, the transparency penalty) exactly as
//! `gti compute --set` does, and gives the command that reproduces them.
//!
//! Build the public model of a run ([`model::Model`], under the methodology's [`Disclosure`]
//! rules, `crate::disclosure`) →
//! lay out the page ([`page::html`]: the model as JSON beside the bundled script of
//! web/). The recomputation itself is the page's (web/src/recompute.js), mirrored on
//! `stages::aggregate`, `rank`, `band` and `transparency`; docs/explore.md has the contract.

pub mod model;
pub mod page;

pub use crate::disclosure::Disclosure;
pub use model::{CommandInfo, Model, Run};

use crate::methodology::Override;

/// Whether the page recomputes `--set PATH=…` itself (web/src/whatif.js lists the same
/// paths): weights, aggregation methods and their `p`, and the penalty `k`.
pub fn offered(path: &str) -> bool {
    let seg: Vec<&str> = path.split('.').map(str::trim).collect();
    matches!(
        seg.as_slice(),
        ["node" | "indicator", _, "weight"]
            | ["node", _, "aggregate", "method" | "p"]
            | ["defaults", "aggregate", "method" | "p"]
            | ["expert", "penalty", "k"]
    )
}

/// The first override the page cannot recompute, if any.
pub fn not_offered(sets: &[Override]) -> Option<&Override> {
    sets.iter().find(|o| !offered(&o.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offered_paths() {
        for p in [
            "node.P1.weight",
            "indicator.x.weight",
            "node.P1.aggregate.method",
            "node.P1.aggregate.p",
            "defaults.aggregate.method",
            "defaults.aggregate.p",
            "expert.penalty.k",
        ] {
            assert!(offered(p), "{p}");
        }
        for p in
            ["defaults.normalise.method", "indicator.x.direction", "node.P1.aggregate", "index.higher_is"]
        {
            assert!(!offered(p), "{p}");
        }
    }
}
