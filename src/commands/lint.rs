//! `runbook lint [PATH…]`

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report_error, use_color};
use crate::cli::LintArgs;
use crate::config::Config;
use crate::lint::shellcheck::ShellCheck;
use crate::lint::{Linter, Severity};
use crate::load::find::FindError;
use crate::render::{Format, render};
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &LintArgs, config: &Config) -> i32 {
    // No path: ./runbooks and the folders of runbook.toml's `[paths] runbooks` that exist
    // (./runbooks alone when none does, for its error).
    let paths = if args.paths.is_empty() {
        let mut all = vec![PathBuf::from("runbooks")];
        all.extend(config.runbooks.value.iter().cloned());
        let existing: Vec<PathBuf> = all.iter().filter(|p| p.exists()).cloned().collect();
        if existing.is_empty() {
            vec![PathBuf::from("runbooks")]
        } else {
            existing
        }
    } else {
        args.paths.clone()
    };
    let shellcheck = if args.no_shellcheck || config.shellcheck.value == Some(false) {
        None
    } else {
        let found = ShellCheck::detect();
        if found.is_none() && config.shellcheck.value == Some(true) {
            eprintln!(
                "warning: runbook.toml asks for shellcheck (`shellcheck = true`), but it is not installed: rule RB030 skipped\n  help: install shellcheck (Debian: apt-get install shellcheck), or set RUNBOOK_SHELLCHECK to its path"
            );
        }
        found
    };
    if args.verbose {
        let note = match (&shellcheck, args.no_shellcheck) {
            (_, true) => "note: shellcheck is off (--no-shellcheck): rule RB030 skipped".to_string(),
            (Some(sc), _) => format!("note: shellcheck {} checks the scripts (RB030)", sc.version()),
            (None, _) => "note: shellcheck is not installed: rule RB030 skipped (install it, or set RUNBOOK_SHELLCHECK)".to_string(),
        };
        eprintln!("{note}");
    }
    let linter = Linter { shellcheck };
    let result = linter.lint_paths(&paths);
    if let Some(failure) = linter.shellcheck.as_ref().and_then(ShellCheck::failure) {
        // Findings are missing: never let that pass for a clean result unsaid.
        eprintln!(
            "warning: shellcheck failed ({failure}): some scripts were not checked (rule RB030)\n  help: run that shellcheck by hand to see why, or pass --no-shellcheck to lint without it"
        );
    }
    let mut report = match result {
        Ok(report) => report,
        Err(FindError::Unreadable { path, source }) => {
            report_error(
                &format!("cannot read `{}`: {source}", path.display()),
                "check the path; with no path, `runbook lint` checks ./runbooks",
            );
            return EXIT_USAGE;
        }
        Err(e) => {
            report_error(&e.to_string(), "");
            return EXIT_USAGE;
        }
    };
    if report.files == 0 {
        report_error(
            &format!(
                "no runbooks (*.yaml, *.yml) found in {}",
                paths
                    .iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "give the files or folders to check",
        );
        return EXIT_USAGE;
    }
    // runbook.toml: the rules selected, at the severity it sets.
    config.apply(&mut report.diagnostics);
    let stdout = std::io::stdout();
    let text = render(
        &report,
        args.format,
        args.format == Format::Human && use_color(&stdout),
    );
    // A runbook's text in the excerpts reaches a terminal without control.
    let text = if args.format == Format::Human && std::io::IsTerminal::is_terminal(&stdout) {
        crate::values::visible::visible_document(&text).into_owned()
    } else {
        text
    };
    let mut out = stdout.lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return EXIT_USAGE;
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
