//! `runbook man`: the manual page, in roff, generated from the clap definitions (clap_mangen)
//! so that it never falls behind them: the main page, then every command with its synopsis
//! and options, then the environment and files runbook reads.

use super::{EXIT_FAILED, print_stdout, report_error};
use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

pub fn run() -> i32 {
    match page() {
        Ok(text) => print_stdout(&text),
        Err(e) => {
            report_error(&format!("cannot write the manual page: {e}"), "");
            EXIT_FAILED
        }
    }
}

/// The whole page.
pub fn page() -> std::io::Result<String> {
    let cli = Cli::command();
    let man = Man::new(cli.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    let mut roff = Roff::new();
    roff.control("PP", []);
    roff.text([roman(
        "runbook reads runbooks written as YAML (checklist steps, shell commands, decisions, waits, rollbacks), checks them (lint) and walks an engineer through them step by step, showing every command before it runs and writing a journal of everything done.",
    )]);
    roff.control("SH", ["COMMANDS"]);
    out.extend_from_slice(roff.render().as_bytes());
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(&mut out, sub, "runbook")?;
    }
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff.control("SH", ["FILES"]);
    for (name, what) in FILES {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "0: done (or no problem found); 1: a step failed, the run was aborted, or lint found errors; 2: a usage error, a question nobody answered without a terminal, or a runbook that cannot be read; 130 and 128+N: interrupted by a signal.",
    )]);
    out.extend_from_slice(roff.render().as_bytes());
    man.render_version_section(&mut out)?;
    // Each part comes with roff's preamble (the `Aq` string): once is enough.
    let text = String::from_utf8_lossy(&out);
    let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let body = text.replace(preamble, "");
    Ok(if text.contains(preamble) {
        format!("{preamble}{body}")
    } else {
        body
    })
}

/// One command: a subsection with what it does, its synopsis and its options, then its own
/// commands, if any.
fn command(out: &mut Vec<u8>, sub: &clap::Command, parent: &str) -> std::io::Result<()> {
    let name = format!("{parent} {}", sub.get_name());
    let cmd = sub.clone().bin_name(&name).disable_help_flag(false);
    let man = Man::new(cmd.clone());
    let mut roff = Roff::new();
    roff.control("SS", [name.as_str()]);
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        roff.text([roman(about.to_string())]);
    }
    out.extend_from_slice(roff.render().as_bytes());
    // clap_mangen writes each part as a section of its own: here they are parts of one
    // command's subsection.
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut part)?;
    }
    let part = String::from_utf8_lossy(&part)
        .replace(".SH SYNOPSIS\n", ".PP\n")
        .replace(".SH OPTIONS\n", ".PP\nOptions:\n");
    out.extend_from_slice(part.as_bytes());
    for nested in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(out, nested, &name)?;
    }
    Ok(())
}

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "RUNBOOK_PATH",
        "Folders (separated by :) searched for NAME.yaml after ./runbooks.",
    ),
    (
        "RUNBOOK_STATE_DIR",
        "Where runs are recorded (default: $XDG_STATE_HOME/runbook, else ~/.local/state/runbook).",
    ),
    ("NO_COLOR", "When set and not empty, no colour is used."),
    (
        "RUNBOOK_ENV, RUNBOOK_OUTPUT",
        "Set for each step's command: files where it may write NAME=value lines for later steps (environment variables and vars).",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "./runbooks/NAME.yaml",
        "Where a runbook named on the command line is looked for first.",
    ),
    (
        "$RUNBOOK_STATE_DIR/runs/ID/journal.jsonl",
        "The journal of a run (JSON lines), with output/ (one log per command) and runbook.yaml (the runbook as it was when the run started).",
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_covers_every_command() {
        let page = super::page().unwrap_or_default();
        assert!(page.contains("\n.TH runbook 1"), "{page}");
        assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
        for sub in [
            "run", "drill", "lint", "resume", "rollback", "report", "man",
        ] {
            assert!(
                page.contains(&format!(".SS \"runbook {sub}\"")),
                "{sub}: {page}"
            );
        }
        assert!(page.contains("\\-\\-dry\\-run"), "options are listed");
        assert!(!page.contains(".SH SYNOPSIS\n.SH"), "{page}");
    }
}
