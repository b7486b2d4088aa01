//! `runbook drill NAME`: the real runbook, walked with simulated outputs.

use super::driver::{Plan, drive, operator, prepare};
use super::{EXIT_FAILED, EXIT_USAGE, report_error};
use crate::cli::DrillArgs;
use crate::exec::drill::DrillShell;
use crate::exec::inputs;
use crate::exec::journal::{self, Mode};
use crate::exec::shell::install_interrupt_handler;

pub fn run(args: &DrillArgs) -> i32 {
    let ready = match prepare(&args.runbook) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    let mut operator = match operator(&args.answering) {
        Ok(op) => op,
        Err(code) => return code,
    };
    // The steps the answers file and `--confirm` name, and the values it gives, are checked
    // as for a run: a misspelt one is an error, not a question left to the default.
    if let Err(code) = super::driver::check_answering(&ready, &args.answering, &operator, None) {
        return code;
    }
    let given = operator.inputs.clone();
    let values = match inputs::resolve(&ready.runbook, &given, &mut operator) {
        Ok(v) => v,
        Err(e) => {
            report_error(&e.to_string(), &e.help());
            return EXIT_USAGE;
        }
    };
    let interrupt = match install_interrupt_handler() {
        Ok(flag) => flag,
        Err(e) => {
            report_error(&format!("cannot handle Ctrl-C: {e}"), "");
            return EXIT_FAILED;
        }
    };
    let plan = Plan {
        mode: Mode::Drill,
        start: 0,
        allow_readonly: false,
        assume_yes: args.answering.yes,
    };
    let state_dir = journal::state_dir(args.state_dir.as_deref());
    drive(
        &ready,
        values,
        plan,
        &mut operator,
        &mut DrillShell,
        interrupt,
        &state_dir,
    )
}
