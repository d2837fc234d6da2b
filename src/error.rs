//! Errors, one type per layer, each carrying where the problem is.
//!
//! Every error a user can cause names the file, line and column (or the methodology key and
//! its line) and, where we can tell, how to fix it. Exit codes: 2 for a usage error (a bad
//! command line), 1 for everything else.

use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A place in an input file: `path:line:column`, 1-based. `line` 0 means the whole file.
/// In a spreadsheet, `sheet` names the sheet and the place reads `file.xlsx[Sheet]!C14`
/// (`line` is the row, `column` the column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: u64,
    pub column: Option<u64>,
    pub sheet: Option<String>,
}

impl Location {
    pub fn file(path: &Path) -> Self {
        Location { path: path.to_path_buf(), line: 0, column: None, sheet: None }
    }
    pub fn at(path: &Path, line: u64, column: Option<u64>) -> Self {
        Location { path: path.to_path_buf(), line, column, sheet: None }
    }
    /// A spreadsheet cell: 1-based `row` and `column`.
    pub fn cell(path: &Path, sheet: &str, row: u64, column: u64) -> Self {
        Location { path: path.to_path_buf(), line: row, column: Some(column), sheet: Some(sheet.to_string()) }
    }
    /// A place on the command line rather than in a file (`--set node.P4.wieght=0.6`): the
    /// argument is written where a path would be, so that the message reads
    /// `--set node.P4.wieght=0.6: unknown key …`.
    pub fn argument(arg: impl Into<String>) -> Self {
        Location { path: PathBuf::from(arg.into()), line: 0, column: None, sheet: None }
    }
}

/// A spreadsheet column's letters: 1 → `A`, 27 → `AA`.
pub fn column_letters(mut c: u64) -> String {
    let mut s = Vec::new();
    while c > 0 {
        let r = ((c - 1) % 26) as u8;
        s.push(b'A' + r);
        c = (c - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, "[{sheet}]")?;
            return match (self.line, self.column) {
                (0, _) => Ok(()),
                (row, Some(c)) => write!(f, "!{}{row}", column_letters(c)),
                (row, None) => write!(f, " row {row}"),
            };
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// One located finding: what is wrong, and how to fix it when we can tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub loc: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl Diag {
    pub fn new(loc: Location, message: impl Into<String>) -> Self {
        Diag { loc, message: message.into(), hint: None }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

fn join(diags: &[Diag]) -> String {
    let shown: Vec<String> = diags.iter().take(MAX_SHOWN).map(|d| d.to_string()).collect();
    let mut s = shown.join("\n");
    if diags.len() > MAX_SHOWN {
        s.push_str(&format!("\n… and {} more", diags.len() - MAX_SHOWN));
    }
    s
}

/// How many located errors one message lists before summarising the rest.
pub const MAX_SHOWN: usize = 20;

/// The methodology file is malformed or inconsistent.
#[derive(Debug, Error)]
#[error("{}", join(.0))]
pub struct MethodologyError(pub Vec<Diag>);

/// An input data file is malformed, or its content contradicts itself.
#[derive(Debug, Error)]
#[error("{}", join(.0))]
pub struct DataError(pub Vec<Diag>);

/// A numeric step cannot produce a defined value, and the methodology has no policy that
/// would make one (e.g. the log of a negative value).
#[derive(Debug, Error)]
#[error("{stage}: {message} (unit {unit}, year {year}, {code})")]
pub struct PipelineError {
    pub stage: &'static str,
    pub unit: String,
    pub year: i32,
    pub code: String,
    pub message: String,
}

/// Everything the library can fail with.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{0}")]
    Methodology(#[from] MethodologyError),
    #[error("{0}")]
    Data(#[from] DataError),
    #[error("{0}")]
    Pipeline(#[from] PipelineError),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Recomputed results do not reproduce a published table (exit code 1).
    #[error("verification failed: {0}")]
    Verification(String),
    /// An output cannot be formatted (exit code 1; writing it is [`Error::Io`]).
    #[error("{0}")]
    Format(String),
    /// The command line is inconsistent (exit code 2).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }

    /// The process exit code this error maps to: 2 for usage errors (a bad command line), 1
    /// otherwise (bad input, a failed verification, an output that cannot be formatted or
    /// written).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bad_command_line_exits_2() {
        assert_eq!(Error::Usage("-m given without -d".into()).exit_code(), 2);
        assert_eq!(Error::Format("cannot format CSV".into()).exit_code(), 1);
        let io = Error::io(Path::new("out/scores.csv"), std::io::Error::other("disk full"));
        assert_eq!(io.exit_code(), 1);
        assert_eq!(Error::Verification("1 of 2".into()).exit_code(), 1);
    }

    #[test]
    fn spreadsheet_cells_read_as_excel_writes_them() {
        assert_eq!(Location::cell(Path::new("f.xlsx"), "survey", 14, 3).to_string(), "f.xlsx[survey]!C14");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(Location::at(Path::new("f.csv"), 2, Some(5)).to_string(), "f.csv:2:5");
    }
}
