//! The `gti` binary: parse the command line, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap exits with 2 on usage errors, 0 for --help and --version.
    let cli = gti::cli::Cli::parse();
    match gti::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(gti::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
