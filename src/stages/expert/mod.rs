//! Combine expert responses, the pipeline's first stage (before transform): per unit, year and
//! questionnaire item, the respondents' answers become one indicator value, with
//! `respondents` (the number of answers used) and `agreement` (their standard deviation).
//!
//! For each (unit, year, item), under the item's resolved [`ExpertRules`]:
//! 1. **Map.** A number must lie on the item's `scale`; a code is looked up in `codes` (an
//!    undeclared code is an error naming the code, the file and the line). Empty cells, `NA`
//!    and codes declared `"missing"` ("don't know") are excluded.
//! 2. **Weight.** With `weight_by_confidence`, answer i weighs its confidence cᵢ ∈ [0, 1] (1
//!    when not given, logged); answers with cᵢ = 0 are not used. Otherwise every cᵢ = 1.
//! 3. **Outliers** (optional, `outliers = { sd = k, min_respondents = n }`, the WJP's expert
//!    cleaning): when at least n answers remain, drop those with |xᵢ − x̄| > k·s, where x̄ and s
//!    are the unweighted mean and standard deviation (n − 1) of those answers. One pass.
//! 4. **Minimum.** Fewer answers left than `min_respondents`: the item is missing for that unit
//!    and year, and the run log says so.
//! 5. **Combine.** `mean`: Σcᵢxᵢ / Σcᵢ. `median`: the weighted median (the ordinary median
//!    when all cᵢ = 1). `trimmed_mean`: sort by value, drop ⌊trim·n⌋ answers at each end (R's
//!    `mean(x, trim)`), then Σcᵢxᵢ / Σcᵢ over the rest.
//! 6. **Report.** `respondents` = n, the answers left after steps 1–3 (trimming and the median
//!    are part of the rule, not exclusions). `agreement` = √(Σ(xᵢ − x̄)² / (n − 1)) over the
//!    same answers, unweighted (it describes how far the experts agree, whatever weight each
//!    gets); empty when n < 2. The n − 1 form: the respondents are a sample of the experts who
//!    could have answered, and it matches the outlier rule and the z-score convention.
//!
//! A point given both as responses and as a combined value (`unit,year,indicator,value`) is an
//! error naming both places; an empty or `NA` combined cell gives way to the responses.
//!
//! The stage's consistency checks on the answers ([`checks`]: nobody answered, straight-lining,
//! far from consensus, few respondents) are findings, not errors; `stages::prepare` runs them
//! after combining.

mod checks;
mod combine;

pub use checks::{CONSENSUS_DISTANCE, CONSENSUS_ITEMS, STRAIGHT_LINE_ITEMS, check};
pub use combine::{Combined, Expert, Mapped, Point, combine, combine_answers, layout, merge};
