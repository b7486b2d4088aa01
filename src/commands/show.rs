//! `runbook show NAME|PATH`: the runbook as a Markdown checklist, or its step graph for
//! Mermaid or Graphviz. Loading is `run`'s (a runbook with errors is refused with the
//! diagnostics); rendering is `crate::show`'s.

use super::driver::prepare;
use super::print_stdout;
use crate::cli::ShowArgs;

pub fn run(args: &ShowArgs) -> i32 {
    let ready = match prepare(&args.runbook) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    print_stdout(&crate::show::render(&ready.runbook, args.format))
}
