//! `runbook report [RUN]`: one run's timeline, decisions, notes, commands and deviations, as
//! Markdown (optionally a post-mortem skeleton) or JSON.

use super::{EXIT_USAGE, report_error};
use crate::cli::{ReportArgs, ReportFormat};
use crate::exec::journal;
use crate::report::run::{PickError, load, pick};
use crate::report::{json, markdown, postmortem, timeline};

pub fn run(args: &ReportArgs) -> i32 {
    let state_dir = journal::state_dir(args.state_dir.as_deref());
    let path = match pick(&state_dir, args.run.as_deref()) {
        Ok(path) => path,
        // A run of another machine: from the team store, when there is one.
        Err(PickError::NoRuns { .. } | PickError::NoMatch { .. })
            if args.run.is_some() && crate::store::url().is_some() =>
        {
            match from_store(&state_dir, args.run.as_deref().unwrap_or_default()) {
                Ok(path) => path,
                Err(code) => return code,
            }
        }
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

/// Fetches run `reference` from the team store into `state_dir/team/`, a cache apart from
/// this machine's runs (`history` does not list it, `sync` does not send it back).
fn from_store(state_dir: &std::path::Path, reference: &str) -> Result<std::path::PathBuf, i32> {
    let target = super::team::target()?.ok_or(EXIT_USAGE)?;
    let fail = |e: crate::store::StoreError| {
        report_error(&e.message, &e.help);
        if e.kind == crate::store::ErrorKind::Query {
            EXIT_USAGE
        } else {
            e.exit_code()
        }
    };
    let mut store = crate::store::Store::open(&target).map_err(fail)?;
    let id = crate::store::read::resolve(&mut store, reference).map_err(fail)?;
    crate::store::read::fetch(&mut store, &id, &state_dir.join("team")).map_err(fail)
}
