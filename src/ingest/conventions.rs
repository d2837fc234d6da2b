//! How a publisher wrote the data: extra missing-value tokens (`..`, `n/a`, `-`, `#N/A`),
//! the CSV delimiter, a decimal comma. Declared, never guessed: the methodology's `[input]`
//! table and the reading commands' `--na`, `--delimiter` and `--decimal-comma` set them, and
//! with none declared a cell such as `..` stays a located error whose hint names the option
//! that would read it.

use serde::Serialize;

/// The declared reading conventions of every `-d` input of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conventions {
    /// Cells read as missing besides the empty cell and `NA`, compared trimmed and exactly.
    pub na: Vec<String>,
    /// The CSV column delimiter (one ASCII byte).
    pub delimiter: u8,
    /// Numbers are written `1,5`: the comma is the decimal mark, and a `.` in a number is
    /// refused (it would be a thousands separator, which is never guessed).
    pub decimal_comma: bool,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions { na: Vec::new(), delimiter: b',', decimal_comma: false }
    }
}

/// Delimiters a CSV file may declare, with the names they are given by.
pub const DELIMITERS: [(u8, &str); 4] = [(b',', ","), (b';', ";"), (b'\t', "tab"), (b'|', "|")];

impl Conventions {
    /// Whether a trimmed, non-empty cell is a declared missing-value token.
    #[inline]
    pub fn is_na(&self, s: &str) -> bool {
        !self.na.is_empty() && self.na.iter().any(|t| t == s)
    }

    /// Adds tokens, each trimmed, keeping the first of any repeated one; empty and `NA`
    /// are missing already and not listed.
    pub fn add_na<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, tokens: I) {
        for t in tokens {
            let t = t.as_ref().trim();
            if !t.is_empty() && t != "NA" && !self.na.iter().any(|n| n == t) {
                self.na.push(t.to_string());
            }
        }
    }

    /// The name of the delimiter as the command line and `[input]` take it.
    pub fn delimiter_name(&self) -> &'static str {
        delimiter_name(self.delimiter)
    }
}

/// `,`, `;`, `tab` or `|`; `?` for a byte that is none of them.
pub fn delimiter_name(d: u8) -> &'static str {
    DELIMITERS.iter().find(|(b, _)| *b == d).map_or("?", |(_, n)| n)
}

/// Reads a declared delimiter: one of `,` `;` `|`, and a tab as `tab`, `\t` or the character.
///
/// # Errors
/// The accepted forms, for anything else.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "|" => Ok(b'|'),
        "\t" | "\\t" | "tab" | "TAB" => Ok(b'\t'),
        _ => Err(format!("'{s}' is not a delimiter gti reads: give ',', ';', '|' or tab")),
    }
}

/// A token as the command line takes it, quoted for a shell when it needs to be.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-./:,+=@%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_trimmed_and_kept_once() {
        let mut c = Conventions::default();
        c.add_na([" .. ", "n/a", "..", "", "NA"]);
        assert_eq!(c.na, vec!["..", "n/a"]);
        assert!(c.is_na("..") && !c.is_na("."));
        assert!(!Conventions::default().is_na(".."));
    }

    #[test]
    fn delimiters_by_name() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter("\\t"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("ab").is_err());
        assert!(parse_delimiter("\"").is_err());
        assert_eq!(delimiter_name(b'\t'), "tab");
        assert_eq!(shell_quote(".."), "..");
        assert_eq!(shell_quote(":"), ":");
        assert_eq!(shell_quote("#N/A"), "'#N/A'");
        assert_eq!(shell_quote("don't"), r"'don'\''t'");
    }
}
