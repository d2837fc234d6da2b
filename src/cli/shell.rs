//! Shell completions and man pages, both generated from clap's own command tree ([`Cli`]), so
//! that a new subcommand or option is completed and documented without a change here.

use super::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

/// The completion script of `shell` for `gti`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "gti", &mut out);
    out
}

/// Every man page: `gti.1`, then one per subcommand, nested ones included
/// (`gti-import-coinr.1`), as file name and roff text. The pages carry no date, so that they
/// are the same on every run.
///
/// # Errors
/// Formatting errors from clap_mangen (writing into memory: none expected).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut out)?;
    Ok(out)
}

fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let page = clap_mangen::Man::new(cmd.clone())
        .manual("gti manual")
        .source(format!("gti {}", env!("CARGO_PKG_VERSION")));
    let mut text = Vec::new();
    page.render(&mut text)?;
    out.push((page.get_filename(), text));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        walk(sub, out)?;
    }
    Ok(())
}
