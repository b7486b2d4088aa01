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
    let cli = match runbook::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version print as clap writes them; an error quotes what was typed,
            // shown without control characters (`runbook $'\e]52;…'`).
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.exit();
            }
            let text = e.render().to_string();
            let _ = write!(
                std::io::stderr(),
                "{}",
                runbook::values::visible::visible_document(&text)
            );
            std::process::exit(e.exit_code());
        }
    };
    std::process::exit(runbook::commands::run(cli));
}
