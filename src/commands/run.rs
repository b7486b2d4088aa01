//! `runbook run NAME|PATH`: load, check, resolve inputs, then walk the steps.

use super::driver::{Plan, drive, operator, prepare};
use super::{EXIT_FAILED, EXIT_USAGE, report_error};
use crate::cli::RunArgs;
use crate::exec::inputs::{self};
use crate::exec::journal::{self, Mode};
use crate::exec::shell::{ProcessShell, install_interrupt_handler};
use crate::exec::signals::{self};
use std::time::Duration;

/// A runbook ready to run: its path, text hash and typed form, checked.
pub fn run(args: &RunArgs) -> i32 {
    match run_inner(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_inner(args: &RunArgs) -> Result<i32, i32> {
    let ready = prepare(&args.runbook)?;
    let mut operator = operator(&args.answering)?;
    super::driver::check_answering(&ready, &args.answering, &operator, args.from.as_deref())?;
    let start = match &args.from {
        Some(from) => ready
            .runbook
            .steps
            .iter()
            .position(|s| &s.id() == from)
            .unwrap_or(0),
        None => 0,
    };
    // SIGTERM, SIGHUP and SIGQUIT end the run cleanly from here on (`exec::signals`).
    signals::install().map_err(|e| {
        report_error(&e, "");
        EXIT_FAILED
    })?;
    let given = operator.inputs.clone();
    let values = inputs::resolve(&ready.runbook, &given, &mut operator).map_err(|e| {
        report_error(&e.to_string(), &e.help());
        EXIT_USAGE
    })?;
    let mut shell = ProcessShell {
        interrupt: install_interrupt_handler().map_err(|e| {
            report_error(&format!("cannot handle Ctrl-C: {e}"), "");
            EXIT_FAILED
        })?,
        grace: Duration::from_secs(3),
    };
    let interrupt = shell.interrupt.clone();
    let state_dir = journal::state_dir(args.state_dir.as_deref());
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Run
    };
    let plan = Plan {
        mode,
        start,
        allow_readonly: args.allow_readonly,
        assume_yes: args.answering.yes,
    };
    Ok(drive(
        &ready,
        values,
        plan,
        &mut operator,
        &mut shell,
        interrupt,
        &state_dir,
    ))
}
