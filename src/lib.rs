//! gti: composite human-rights indices from indicator data and a versioned methodology.
//!
//! Parse → validate → run: [`methodology::Methodology::load`] checks the methodology into
//! typed form, [`ingest::read_all`] reads the data with located errors, [`stages::run`]
//! applies the pure pipeline stages, and [`output`] writes the results atomically.

pub mod audit;
pub mod cli;
pub mod codes;
pub mod commands;
pub mod compare;
pub mod declared;
pub mod disclosure;
pub mod error;
pub mod explore;
pub mod fitted;
mod frame;
pub mod hash;
pub mod import;
pub mod ingest;
pub mod init;
pub mod log;
pub mod methodology;
pub mod output;
pub mod present;
pub mod regions;
pub mod report;
pub mod rows;
pub mod sensitivity;
pub mod stages;
pub mod stats;
pub mod suggest;
pub mod table;
pub mod verify;

pub use error::{Error, Result};

/// Runs a parsed command line.
///
/// # Errors
/// Any [`Error`]; its [`Error::exit_code`] is the process exit code.
pub fn run(cli: cli::Cli) -> Result<()> {
    match cli.command {
        cli::Command::Validate(args) => commands::validate::run(&args),
        cli::Command::Compute(args) => commands::compute::run(&args),
        cli::Command::Audit(args) => commands::audit::run(&args),
        cli::Command::Verify(args) => commands::verify::run(&args),
        cli::Command::Compare(args) => commands::compare::run(&args),
        cli::Command::Sensitivity(args) => commands::sensitivity::run(&args),
        cli::Command::Report(args) => commands::report::run(&args),
        cli::Command::Explore(args) => commands::explore::run(&args),
        cli::Command::Methodology(cli::MethodologyCommand::Show(args)) => commands::methodology::show(&args),
        cli::Command::Methodology(cli::MethodologyCommand::Diff(args)) => {
            commands::methodology::diff_cmd(&args)
        }
        cli::Command::Methodology(cli::MethodologyCommand::Freeze(args)) => {
            commands::methodology::freeze_cmd(&args)
        }
        cli::Command::Import(cli::ImportCommand::Coinr(args)) => commands::import_coinr::run(&args),
        cli::Command::Import(cli::ImportCommand::Columns(args)) => commands::import_columns::run(&args),
        cli::Command::Init(args) => commands::init::run(&args),
        cli::Command::Completions(args) => commands::completions::run(&args),
        cli::Command::Man(args) => commands::man::run(&args),
    }
}
