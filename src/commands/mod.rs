//! One file per command: each takes its parsed arguments and returns the exit code.

pub mod completions;
pub mod config;
pub mod drill;
pub mod driver;
pub mod examples;
pub mod explain;
pub mod history;
pub mod import;
pub mod lint;
pub mod list;
pub mod man;
pub mod new;
pub mod past_run;
pub mod report;
pub mod resume;
pub mod rollback;
pub mod run;
pub mod schema;
pub mod show;
pub mod stats;
pub mod status;
pub mod store;
pub mod team;
pub mod watch;

pub use status::{
    EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, print_stdout, report_error, use_color,
};

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> i32 {
    // Commands that read nothing of a repository do not read its runbook.toml either.
    let needs_config = !matches!(
        cli.command,
        Command::Man | Command::Schema | Command::Completions(_) | Command::Explain(_)
    );
    let config = if needs_config {
        match crate::config::load(cli.config.as_deref()) {
            Ok(config) => config,
            Err(e) => {
                config::report(&e);
                return EXIT_USAGE;
            }
        }
    } else {
        crate::config::Config::default()
    };
    crate::store::configure(cli.store.clone());
    crate::load::find::configure(config.runbooks.value.clone());
    crate::config::activate(config.clone());
    if let Some(dir) = &config.state_dir.value {
        crate::exec::journal::configure_state_dir(dir.clone());
    }
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    crate::fleet::configure(crate::fleet::FleetSettings {
        inventory: cli
            .inventory
            .clone()
            .or_else(|| from_env("RUNBOOK_INVENTORY")),
        default_inventory: config.inventory.value.clone(),
        ssh_config: cli
            .ssh_config
            .clone()
            .or_else(|| from_env("RUNBOOK_SSH_CONFIG"))
            .or_else(|| config.ssh_config.value.clone()),
    });
    match cli.command {
        Command::Config => config::run(&config),
        Command::Run(args) => run::run(&args),
        Command::Drill(args) => drill::run(&args),
        Command::Resume(args) => resume::run(&args),
        Command::Rollback(args) => rollback::run(&args),
        Command::History(args) => history::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Lint(args) => lint::run(&args, &config),
        Command::Explain(args) => explain::run(&args),
        Command::Show(args) => show::run(&args),
        Command::List(args) => list::run(&args),
        Command::New(args) => new::run(&args),
        Command::Schema => schema::run(),
        Command::Completions(args) => completions::run(&args),
        Command::Man => man::run(),
        Command::Examples(args) => examples::run(&args),
        Command::Store(args) => store::run(&args),
        Command::Sync(args) => store::sync(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Import(args) => import::run(&args),
    }
}
