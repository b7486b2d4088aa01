//! Command-line definitions (clap only; behaviour lives in `commands`).

use crate::render::Format;
use crate::show::ShowFormat;
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
    /// The configuration file (default: the first runbook.toml from here up to the
    /// repository's root)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The team store, a PostgreSQL connection string in libpq's conventions (default:
    /// RUNBOOK_STORE, else `[store] url` of runbook.toml; without one, runs stay local)
    #[arg(long, global = true, value_name = "URL")]
    pub store: Option<String>,
    /// The Ansible inventory (INI or YAML) whose hosts and groups steps' `on:` name, instead
    /// of the runbook's `inventory:` (default: RUNBOOK_INVENTORY, else the runbook's, else
    /// `[fleet] inventory` of runbook.toml)
    #[arg(long, global = true, value_name = "FILE")]
    pub inventory: Option<PathBuf>,
    /// The ssh config for steps on other hosts, given to `ssh -F` (default:
    /// RUNBOOK_SSH_CONFIG, else `[fleet] ssh_config`, else ssh's own)
    #[arg(long, global = true, value_name = "FILE")]
    pub ssh_config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through a runbook, step by step
    Run(RunArgs),
    /// Practise a runbook: every command replaced by its `simulate` output
    Drill(DrillArgs),
    /// Go on with an interrupted run (default: the latest unfinished one)
    Resume(ResumeArgs),
    /// Run the rollbacks of a run's completed steps, newest first
    Rollback(RollbackArgs),
    /// Past runs, newest first: id, runbook, mode, operators, start, duration, status
    History(HistoryArgs),
    /// A run's timeline, decisions, notes, commands and deviations (Markdown or JSON)
    Report(ReportArgs),
    /// Check runbooks for errors (default: ./runbooks)
    Lint(LintArgs),
    /// Show the documentation of a lint rule
    Explain(ExplainArgs),
    /// Print a runbook as a Markdown checklist, or its step graph (Mermaid, Graphviz)
    Show(ShowArgs),
    /// List the runbooks found, with when each was last run and drilled
    List(ListArgs),
    /// Write a commented starting runbook to ./runbooks/NAME.yaml
    New(NewArgs),
    /// Print the JSON Schema of the runbook file, for editor completion
    Schema,
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the manual page (roff), every command and option included
    Man,
    /// The example runbooks built into runbook: list them, or copy them to a folder
    Examples(ExamplesArgs),
    /// Print the effective configuration (runbook.toml) and where each value comes from
    Config,
    /// The team store (PostgreSQL): create or upgrade its schema, or check it
    Store(StoreArgs),
    /// Send the team store every event of this machine's runs that it does not have yet
    Sync(SyncArgs),
    /// Follow a run as it happens, from the team store, on any machine (read only)
    Watch(WatchArgs),
    /// What the runs say about the runbooks: outcomes, time to finish, the steps departed
    /// from, runs per week, drills per operator (the team store's runs, or this machine's)
    Stats(StatsArgs),
    /// Turn a Markdown runbook page into a first draft of a runbook (stdout by default)
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Markdown page (`-` reads stdin), or a folder: each of its `.md` pages
    pub file: PathBuf,
    /// With a folder: where the runbooks go, one per page (NAME.md → NAME.yaml)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Where the runbook goes (default: stdout); an existing file is never overwritten
    #[arg(short, long, value_name = "OUT.yaml")]
    pub output: Option<PathBuf>,
    /// Any guess is an error: nothing is written, every guess is listed (exit 1)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only runs started since: a date (2026-11-01), a time (RFC 3339) or a duration ago
    /// (30d, 12h)
    #[arg(long, value_name = "WHEN", default_value = "30d")]
    pub since: String,
    /// Only the runs of this runbook (its name)
    #[arg(long, value_name = "NAME")]
    pub runbook: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// This machine's runs only, even with a team store
    #[arg(long)]
    pub local: bool,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The run: its id or a unique prefix (default: the newest unfinished run of the team)
    pub run: Option<String>,
}

#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub action: StoreAction,
}

#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Create the schema, or upgrade it to this version of runbook (each migration in one
    /// transaction)
    Migrate,
    /// Connect, and say which store, its schema version and how many runs it holds
    Status,
}

#[derive(Debug, Args)]
pub struct ExamplesArgs {
    #[command(subcommand)]
    pub action: Option<ExamplesAction>,
}

#[derive(Debug, Subcommand)]
pub enum ExamplesAction {
    /// Write example runbooks (default: all), the runbooks they call and their drill answers;
    /// an existing file is never overwritten
    Copy(ExamplesCopyArgs),
}

#[derive(Debug, Args)]
pub struct ExamplesCopyArgs {
    /// The examples to copy (default: every one); `runbook examples` lists them
    pub names: Vec<String>,
    /// Where the runbooks go
    #[arg(long, value_name = "DIR", default_value = "runbooks")]
    pub to: PathBuf,
    /// Where their drill answers files go (kept apart: `runbook lint DIR` reads every YAML
    /// file of DIR as a runbook)
    #[arg(long, value_name = "DIR", default_value = "answers")]
    pub answers_to: PathBuf,
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

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The runbook: a name (./runbooks/NAME.yaml, then RUNBOOK_PATH) or a path
    pub runbook: String,
    #[command(flatten)]
    pub answering: AnsweringArgs,
    /// Start at this step instead of the first
    #[arg(long, value_name = "STEP")]
    pub from: Option<String>,
    /// Walk through without executing anything: commands shown, decisions asked
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: run the steps marked `readonly: true` for real
    #[arg(long, requires = "dry_run")]
    pub allow_readonly: bool,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// The options that answer prompts in advance (run, resume, rollback).
#[derive(Debug, Args, Clone, Default)]
pub struct AnsweringArgs {
    /// Give an input: --input name=value (repeatable)
    #[arg(long = "input", short = 'i', value_name = "NAME=VALUE")]
    pub inputs: Vec<String>,
    /// Answer the default to every prompt that is not dangerous
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Confirm a dangerous step in advance (repeatable); --yes never does
    #[arg(long = "confirm", value_name = "STEP")]
    pub confirm: Vec<String>,
    /// A YAML file of answers: step id → option (label or number), value, `done`, `run`, `skip`
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The runbook: a name (./runbooks/NAME.yaml, then RUNBOOK_PATH) or a path
    pub runbook: String,
    #[command(flatten)]
    pub answering: AnsweringArgs,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The run: its id or a unique prefix (default: the latest unfinished run)
    pub run: Option<String>,
    #[command(flatten)]
    pub answering: AnsweringArgs,
    /// Go on even though the runbook changed since the run started (--yes is not enough)
    #[arg(long)]
    pub accept_changed: bool,
    /// With a team store: take the run over from a driver whose lease expired (its id is
    /// typed to confirm; without a terminal, --confirm take-over)
    #[arg(long)]
    pub take_over: bool,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The run: its id or a unique prefix (default: the latest run)
    pub run: Option<String>,
    #[command(flatten)]
    pub answering: AnsweringArgs,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The runbook: a name (./runbooks/NAME.yaml, then RUNBOOK_PATH) or a path
    pub runbook: String,
    /// Output format: a Markdown checklist, a Mermaid flowchart or a Graphviz digraph
    #[arg(long, value_enum, default_value_t = ShowFormat::Md)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print a JSON array instead of a table
    #[arg(long)]
    pub json: bool,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The runbook's name: lower-case letters, digits and `-`, such as `disk-full`
    pub name: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the runs of this runbook (its name)
    #[arg(long, value_name = "NAME")]
    pub runbook: Option<String>,
    /// Only runs started since: a date (2026-11-01), a time (RFC 3339) or a duration ago (2d, 12h, 30m)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Print a JSON array instead of a table
    #[arg(long)]
    pub json: bool,
    /// The runs of every machine, from the team store (with a HOST column)
    #[arg(long)]
    pub team: bool,
    /// With --team: at most this many runs, newest first (default 50)
    #[arg(long, value_name = "N", requires = "team")]
    pub limit: Option<usize>,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown
    #[value(alias = "markdown")]
    Md,
    /// JSON, the same content structured
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run id, or any unique prefix of it (default: the latest run)
    pub run: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Wrap the report in a post-mortem skeleton (summary, impact, five whys, action items)
    #[arg(long)]
    pub postmortem: bool,
    /// Where runs are recorded (default: $RUNBOOK_STATE_DIR, $XDG_STATE_HOME/runbook)
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}
