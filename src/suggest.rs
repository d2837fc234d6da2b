//! Near misses: "did you mean …?" for a code, key or method name that is not known.
//!
//! One rule for every suggestion gti makes, the one clap uses for subcommands: the candidate
//! with the highest Jaro similarity (strsim's `jaro`), if it is above [`THRESHOLD`]. Case
//! differences count as differences (codes are case-sensitive), but a candidate that differs
//! only by case is always suggested.

/// The similarity a candidate needs to be suggested (clap's value).
pub const THRESHOLD: f64 = 0.7;

/// The known word closest to `word`, when one is close enough; ties go to the first candidate.
pub fn near_miss<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let score = if c.eq_ignore_ascii_case(word) { 1.0 } else { strsim::jaro(word, c) };
        if score > THRESHOLD && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// " (did you mean `x`?)", or nothing, for appending to a message.
pub fn hint<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    near_miss(word, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_known_word() {
        let keys = ["weight", "parent", "name", "direction"];
        assert_eq!(near_miss("wieght", keys), Some("weight"));
        assert_eq!(near_miss("press_freedon", ["press_freedom", "prison_pop"]), Some("press_freedom"));
        assert_eq!(near_miss("minmaxx", ["minmax", "zscore", "goalposts"]), Some("minmax"));
    }

    #[test]
    fn nothing_when_nothing_is_close_or_the_word_is_known() {
        assert_eq!(near_miss("zzz", ["weight", "parent"]), None);
        assert_eq!(near_miss("weight", ["weight"]), None);
        assert_eq!(near_miss("x", std::iter::empty()), None);
        assert_eq!(hint("zzz", ["weight"]), "");
    }

    #[test]
    fn a_case_only_difference_is_always_suggested() {
        assert_eq!(near_miss("region", ["Region", "name"]), Some("Region"));
        assert_eq!(hint("A", ["a", "b"]), " (did you mean `a`?)");
    }

    #[test]
    fn the_value_of_jaro_on_a_hand_computed_case() {
        // "wieght" vs "weight": m = 6 matches, t = 1 transposition (ie/ei: 2 half-transpositions),
        // jaro = (6/6 + 6/6 + (6 − 1)/6) / 3 = 0.9444…
        assert!((strsim::jaro("wieght", "weight") - (1.0 + 1.0 + 5.0 / 6.0) / 3.0).abs() < 1e-12);
    }
}
