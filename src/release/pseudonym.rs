//! Pseudonymous respondent ids for an internal archive (`gti release --include-responses`,
//! docs/release.md, "Internal archive").
//!
//! A respondent id `id` becomes `r_` followed by the first [`HEX_DIGITS`] lower-case hex
//! digits of HMAC-SHA-256(key, id as UTF-8) (RFC 2104 with SHA-256, the keyed hash of
//! RFC 4231; computed by the `hmac` and `sha2` crates). The same key gives the same
//! pseudonym in every edition, so successive archives link one respondent's answers; another
//! key gives unrelated pseudonyms; without the key the original id cannot be computed back,
//! nor tried against a list of likely ids (a plain hash could). In Python:
//! `"r_" + hmac.new(key, id.encode(), hashlib.sha256).hexdigest()[:16]`.

use crate::error::{Error, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::path::Path;

/// Hex digits kept of the HMAC: 64 bits, so that two of a few thousand respondents share a
/// pseudonym with a chance below 10⁻¹¹ (and [`Pseudonyms`] refuses it should it happen).
pub const HEX_DIGITS: usize = 16;
/// The pseudonyms' prefix: a pseudonym never reads as a unit or item code.
pub const PREFIX: &str = "r_";
/// The shortest key accepted, in bytes: 32, the HMAC-SHA-256 output size (RFC 2104, section 3,
/// advises keys no shorter than the hash output).
pub const MIN_KEY_BYTES: usize = 32;

/// The project's pseudonym key: the bytes of a key file, trailing whitespace (a final newline)
/// removed. Never written anywhere; `Debug` does not show it.
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({} bytes)", self.0.len())
    }
}

impl Key {
    /// Checks a key: at least [`MIN_KEY_BYTES`] bytes once trailing whitespace is removed.
    ///
    /// # Errors
    /// A usage error saying how long the key is and how to make one.
    pub fn new(bytes: &[u8], what: &str) -> Result<Key> {
        let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |k| k + 1);
        if end < MIN_KEY_BYTES {
            return Err(Error::Usage(format!(
                "{what}: the pseudonym key has {end} bytes, fewer than the {MIN_KEY_BYTES} required; \
                 make one with `openssl rand -hex 32 > FILE` and keep it outside the package and the repository"
            )));
        }
        Ok(Key(bytes[..end].to_vec()))
    }

    /// Reads a key file (`--key-file`).
    ///
    /// # Errors
    /// A usage error when the file cannot be read or holds too short a key.
    pub fn from_file(path: &Path) -> Result<Key> {
        let what = format!("--key-file {}", path.display());
        let bytes = std::fs::read(path).map_err(|e| Error::Usage(format!("{what}: cannot read it: {e}")))?;
        Key::new(&bytes, &what)
    }

    /// The key's bytes, for a check that they appear nowhere in a package.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// HMAC-SHA-256(key, message).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The pseudonym of respondent `id` under `key`: `r_` and 16 hex digits.
pub fn pseudonym(key: &Key, id: &str) -> String {
    let mac = hmac_sha256(&key.0, id.as_bytes());
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    format!("{PREFIX}{}", &hex[..HEX_DIGITS])
}

/// Pseudonyms given so far, each checked against a collision: two ids under one pseudonym would
/// merge two people's answers, which the combination would then refuse or, worse, not notice.
pub struct Pseudonyms<'k> {
    key: &'k Key,
    given: std::collections::HashMap<String, String>,
}

impl<'k> Pseudonyms<'k> {
    pub fn new(key: &'k Key) -> Self {
        Pseudonyms { key, given: std::collections::HashMap::new() }
    }

    /// The pseudonym of `id`.
    ///
    /// # Errors
    /// Two ids with one pseudonym (a chance below 10⁻¹¹ for thousands of respondents): the
    /// message names neither id.
    pub fn of(&mut self, id: &str) -> Result<String> {
        let p = pseudonym(self.key, id);
        match self.given.insert(p.clone(), id.to_string()) {
            Some(other) if other != id => Err(Error::Usage(format!(
                "two respondents share the pseudonym {p} under this key: use another key (--key-file)"
            ))),
            _ => Ok(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn the_keyed_hash_is_hmac_sha256_by_rfc_4231() {
        // RFC 4231, section 4.2 (test case 1): key 0x0b × 20, data "Hi There".
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // Section 4.3 (test case 2): key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Section 4.7 (test case 6): a 131-byte key, longer than the block, hashed first.
        assert_eq!(
            hex(&hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_pseudonym_is_the_prefix_and_the_first_16_hex_digits() {
        let key = Key::new(&[0x0b; 32], "test").unwrap();
        let full = hex(&hmac_sha256(&[0x0b; 32], b"XAA-E01"));
        assert_eq!(pseudonym(&key, "XAA-E01"), format!("r_{}", &full[..16]));
        let other = Key::new(&[b'k'; 32], "test").unwrap();
        assert_ne!(pseudonym(&key, "XAA-E01"), pseudonym(&other, "XAA-E01"));
    }

    #[test]
    fn short_keys_are_refused_and_a_final_newline_is_not_the_key() {
        let err = Key::new(b"short\n", "--key-file k").unwrap_err().to_string();
        assert!(err.contains("5 bytes") && err.contains("32"), "{err}");
        assert!(Key::new(&[b'a'; 31], "k").is_err());
        assert!(Key::new(b"", "k").is_err());
        let text = format!("{}\n", "ab".repeat(32));
        let a = Key::new(text.as_bytes(), "k").unwrap();
        let b = Key::new(&text.as_bytes()[..64], "k").unwrap();
        assert_eq!(pseudonym(&a, "x"), pseudonym(&b, "x"));
        assert_eq!(format!("{a:?}"), "Key(64 bytes)");
    }

    #[test]
    fn one_id_keeps_its_pseudonym() {
        let key = Key::new(&[7; 32], "k").unwrap();
        let mut p = Pseudonyms::new(&key);
        let a = p.of("XAA-E01").unwrap();
        assert_eq!(p.of("XAA-E01").unwrap(), a);
        assert_ne!(p.of("XAA-E02").unwrap(), a);
    }
}
