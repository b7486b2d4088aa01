use std::io::Write as _;

use clap::Parser;

fn main() {
    // `runbook --version` answered before clap builds the whole command tree: scripts and
    // shell prompts call it, and its start is measured (benches/lint.sh). Same text as clap's.
    let mut args = std::env::args_os().skip(1);
    if let (Some(flag), None) = (args.next(), args.next())
        && (flag == "--version" || flag == "-V")
    {
        // A closed stdout (`| head -c0`) is not an error worth a panic.
        let _ = writeln!(std::io::stdout(), "runbook {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    let cli = runbook::cli::Cli::parse();
    std::process::exit(runbook::commands::run(cli));
}
