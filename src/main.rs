//! The `gti` binary: parse the command line, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_reader_panics();
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

/// A panic inside the spreadsheet reader (calamine) on a malformed file is caught and reported
/// as an error naming the file (`ingest::sheet`); Rust's "thread panicked" line before it would
/// read like a crash of gti, so such a panic prints one line saying where the reader failed
/// (kept, not silenced: it tells a maintainer where in calamine). Every other panic prints as
/// usual.
fn quiet_reader_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| match info.location() {
        Some(l) if l.file().contains("/calamine-") => {
            eprintln!("note: the spreadsheet reader failed at {}:{}", l.file(), l.line());
        }
        _ => default(info),
    }));
}
