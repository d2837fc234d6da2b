//! The command line (clap derive). Raw options here; `commands` resolves them into checked
//! configurations before any work starts.

use crate::methodology::Override;
use crate::stages::DatasetName;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Composite human-rights indices (the Global Torture Index first) from indicator data and a
/// versioned methodology file.
#[derive(Debug, Parser)]
#[command(name = "gti", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

pub const EXIT_CODES: &str = "Exit codes: 0 success; 1 data, methodology or verification failure \
(or an I/O error); 2 usage error.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a methodology and data without writing anything.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(InputArgs),
    /// Compute every unit's score at every level, with ranks, bands and trends.
    #[command(after_help = COMPUTE_EXAMPLES)]
    Compute(ComputeArgs),
    /// Convert another tool's data into gti's files.
    #[command(subcommand)]
    Import(ImportCommand),
}

const VALIDATE_EXAMPLES: &str = "Examples:
  gti validate                                   # the embedded example (methodology/gti.toml + indicators/)
  gti validate -m methodology/gti.toml -d indicators/
  gti validate -m m.toml -d stats.csv -d units.csv --set defaults.normalise.method=zscore";

const COMPUTE_EXAMPLES: &str = "Examples:
  gti compute                                    # the embedded example, written to results/
  gti compute -m methodology/gti.toml -d indicators/ -o out/
  gti compute -m m.toml -d data/ --format json -o out/
  gti compute -m m.toml -d data/ -o - > scores.csv
  gti compute -m m.toml -d data/ --set indicator.P1_opcat.weight=2 --set defaults.aggregate.method=geometric
  gti compute -m m.toml -d data/ --dataset Normalised --dataset Aggregated -o out/";

/// Inputs shared by every command that reads a methodology and data.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Methodology file (TOML). With neither -m nor -d: methodology/gti.toml and indicators/.
    #[arg(short = 'm', long = "methodology", value_name = "FILE")]
    pub methodology: Option<PathBuf>,
    /// Data file or folder of .csv files (repeatable): indicators (long or wide) and units.csv.
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Override a methodology value before validation: PATH=VALUE, VALUE in TOML
    /// (e.g. defaults.normalise.method=zscore, node.P1.weight=2). Recorded in the manifest.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ComputeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder, or - for one table on standard output.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = "results")]
    pub output: PathBuf,
    /// Output format: csv (scores.csv, trends.csv, manifest.json) or json (results.json).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Also export an intermediate data set (repeatable); with -o -, the one table written.
    #[arg(long = "dataset", value_enum, value_name = "NAME")]
    pub dataset: Vec<DatasetName>,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// COINr's iData + iMeta → methodology.toml, indicators.csv and units.csv.
    #[command(after_help = IMPORT_EXAMPLES)]
    Coinr(ImportCoinrArgs),
}

const IMPORT_EXAMPLES: &str = "Examples:
  gti import coinr --idata ASEM_iData.csv --imeta ASEM_iMeta.csv -o asem/
  gti compute -m asem/methodology.toml -d asem/ -o asem/results/";

#[derive(Debug, Args)]
pub struct ImportCoinrArgs {
    /// COINr iData (wide: uCode, uName, Time?, group and indicator columns).
    #[arg(long, value_name = "FILE")]
    pub idata: PathBuf,
    /// COINr iMeta (Level, iCode, iName, Direction, Weight, Parent, Type, ...).
    #[arg(long, value_name = "FILE")]
    pub imeta: PathBuf,
    /// Output folder for methodology.toml, indicators.csv and units.csv.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// The year of every row when iData has no Time column.
    #[arg(long)]
    pub year: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
