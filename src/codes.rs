//! Newtypes for the codes and years that key every table.
//!
//! Codes are compared exactly (after trimming at ingest); a newtype per kind keeps a unit code
//! from being passed where an indicator code is expected.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A unit (country, region, province) code, e.g. `XAA` or `AUT`. Shared (`Arc<str>`): ingest
/// interns each code once, so ten million observations hold pointers, not ten million
/// copies, and cloning one costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitCode(pub Arc<str>);

/// The code of an indicator or a node of the framework (`P1`, `P1_ratification`, `GTI`);
/// shared like [`UnitCode`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(pub Arc<str>);

/// Codes by id: ingest asks it for every cell, so a code seen a million times is stored
/// once and each observation holds a 4-byte id.
///
/// Ids are given in order of first appearance, so they do not depend on how a code is found.
#[derive(Debug, Clone)]
pub struct Interner<C> {
    ids: std::collections::HashMap<Arc<str>, u32>,
    codes: Vec<C>,
    /// For each id, the id asked for right after it last time (`NONE` if none yet).
    next: Vec<u32>,
    last: u32,
}

const NONE: u32 = u32::MAX;

impl<C> Default for Interner<C> {
    fn default() -> Self {
        Interner { ids: Default::default(), codes: Vec::new(), next: Vec::new(), last: NONE }
    }
}

impl<C: From<Arc<str>> + AsRef<str>> Interner<C> {
    /// The id of `s`, added if new.
    ///
    /// A long file repeats one sequence: a unit for hundreds of rows, the indicators of each
    /// unit-year in the same order. So the code that followed the previous one last time is
    /// tried first, with one string comparison; hashing (a fifth of reading a 10-million-row
    /// file) is left for when that guess fails.
    pub fn id(&mut self, s: &str) -> u32 {
        let guess = self.next.get(self.last as usize).copied().unwrap_or(NONE);
        if guess != NONE && self.codes[guess as usize].as_ref() == s {
            self.last = guess;
            return guess;
        }
        let id = self.lookup(s);
        if let Some(n) = self.next.get_mut(self.last as usize) {
            *n = id;
        }
        self.last = id;
        id
    }

    fn lookup(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.codes.len()).expect("fewer than 4 billion distinct codes");
        let a: Arc<str> = s.into();
        self.codes.push(C::from(a.clone()));
        self.next.push(NONE);
        self.ids.insert(a, id);
        id
    }

    pub fn code(&self, id: u32) -> &C {
        &self.codes[id as usize]
    }

    /// Every code, by id.
    pub fn all(&self) -> &[C] {
        &self.codes
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
}

impl AsRef<str> for UnitCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Arc<str>> for UnitCode {
    fn from(s: Arc<str>) -> Self {
        UnitCode(s)
    }
}

impl From<Arc<str>> for Code {
    fn from(s: Arc<str>) -> Self {
        Code(s)
    }
}

impl From<&str> for UnitCode {
    fn from(s: &str) -> Self {
        UnitCode(s.into())
    }
}

impl From<&str> for Code {
    fn from(s: &str) -> Self {
        Code(s.into())
    }
}

/// A data year.
pub type Year = i32;

/// A score or normalised value. Missing is `f64::NAN` inside the dense arrays (inputs never
/// carry NaN: ingest rejects it), and `None` at the boundaries.
pub type Score = f64;

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl UnitCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a string is not a valid framework code, or `None` when it is one.
///
/// Codes are letters, digits, `_` and `-`, so that every value has an unambiguous dotted
/// path (`indicator.P1_ratification.weight`) in the methodology file.
pub fn code_problem(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some("a code cannot be empty");
    }
    if !s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return Some("codes may hold only letters, digits, '_' and '-'");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_letters_digits_underscore_dash() {
        assert_eq!(code_problem("P1_ratification-2"), None);
        assert!(code_problem("P1.x").is_some());
        assert!(code_problem("").is_some());
        assert!(code_problem("a b").is_some());
    }

    proptest::proptest! {
        /// Whatever the order (repeated runs, cycles, random), an id is the code's rank of
        /// first appearance, found again for every later appearance: the guess changes no id.
        #[test]
        fn ids_are_ranks_of_first_appearance(seq in proptest::collection::vec(0u8..6, 0..200)) {
            let mut interner: Interner<Code> = Interner::default();
            let mut first: Vec<u8> = Vec::new();
            for k in seq {
                let s = format!("c{k}");
                let id = interner.id(&s);
                if !first.contains(&k) {
                    first.push(k);
                }
                let rank = first.iter().position(|&f| f == k).unwrap();
                proptest::prop_assert_eq!(id as usize, rank);
                proptest::prop_assert_eq!(interner.code(id).as_str(), s.as_str());
                proptest::prop_assert_eq!(interner.get(&s), Some(id));
            }
        }
    }
}
