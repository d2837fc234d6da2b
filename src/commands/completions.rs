//! `gti completions SHELL`: the completion script, on standard output.

use crate::cli::{CompletionsArgs, shell};
use crate::error::Result;
use crate::output::Target;

pub fn run(args: &CompletionsArgs) -> Result<()> {
    Target::Stdout.write_one(&shell::completions(args.shell)).map(|_| ())
}
