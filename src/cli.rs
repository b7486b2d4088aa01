//! Command-line definitions (clap only; behaviour lives in `commands`).

use crate::render::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version,
    about = "Runbooks as code: lint them in CI, walk through them at 3 am",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check runbooks for errors (default: ./runbooks)
    Lint(LintArgs),
    /// Show the documentation of a lint rule
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to check; a folder stands for every *.yaml and *.yml below it
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Do not run shellcheck on scripts
    #[arg(long)]
    pub no_shellcheck: bool,
    /// Say which checks were skipped, and why
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code such as RB008, or a rule name such as step-kind; `all` lists every rule
    pub code: String,
}
