//! `runbook completions SHELL`: the shell completion script, generated from the clap
//! definitions so that it never falls behind them.

use super::print_stdout;
use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;

pub fn run(args: &CompletionsArgs) -> i32 {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "runbook", &mut script);
    print_stdout(&String::from_utf8_lossy(&script))
}
