//! `runbook report [RUN]`: one run's timeline, decisions, notes, commands and deviations, as
//! Markdown (optionally a post-mortem skeleton) or JSON.

use super::{EXIT_USAGE, report_error};
use crate::cli::{ReportArgs, ReportFormat};
use crate::exec::journal;
use crate::report::run::{load, pick};
use crate::report::{json, markdown, postmortem, timeline};

pub fn run(args: &ReportArgs) -> i32 {
    let state_dir = journal::state_dir(args.state_dir.as_deref());
    let path = match pick(&state_dir, args.run.as_deref()) {
        Ok(path) => path,
        Err(e) => {
            report_error(&e.message(), &e.help());
            return EXIT_USAGE;
        }
    };
    let (records, summary) = match load(&path) {
        Ok(loaded) => loaded,
        Err(e) => {
            report_error(
                &e,
                "the journal is kept as written; `runbook history` lists the other runs",
            );
            return EXIT_USAGE;
        }
    };
    let report = timeline::build(summary, &records);
    let text = match args.format {
        ReportFormat::Md if args.postmortem => postmortem::render(&report),
        ReportFormat::Md => markdown::render(&report),
        ReportFormat::Json => match json::render(&report, args.postmortem) {
            Ok(text) => text,
            Err(e) => {
                report_error(
                    &format!("cannot write the report as JSON: {e}"),
                    "use `--format md`",
                );
                return super::EXIT_FAILED;
            }
        },
    };
    super::print_stdout(&text)
}
