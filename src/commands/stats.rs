//! `runbook stats`: the team store's runs (or, without one, this machine's) summed up per
//! runbook and operator (`report::stats`).

use super::{EXIT_USAGE, print_stdout, report_error};
use crate::cli::StatsArgs;
use crate::exec::journal;
use crate::report::coverage::Coverage;
use crate::report::run::parse_since;
use crate::report::stats::{Gathered, build, gather_local, render};

pub fn run(args: &StatsArgs) -> i32 {
    let since = match parse_since(&args.since, &jiff::ZonedDateTime::now()) {
        Ok(ts) => ts,
        Err(e) => {
            report_error(
                &e,
                "write a date (`2026-11-01`), a time (`2026-11-01T09:00:00Z`) or a duration ago (`30d`, `12h`)",
            );
            return EXIT_USAGE;
        }
    };
    let state_dir = journal::state_dir(args.state_dir.as_deref());
    let target = if args.local {
        None
    } else {
        match super::team::target() {
            Ok(t) => t,
            Err(code) => return code,
        }
    };
    let (gathered, source): (Gathered, String) = match target {
        Some(target) => {
            let fail = |e: crate::store::StoreError| {
                report_error(
                    &e.message,
                    &format!(
                        "{}; `runbook stats --local` sums up this machine's runs",
                        e.help
                    ),
                );
                e.exit_code()
            };
            let mut store = match crate::store::Store::open(&target) {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            match crate::store::stats::gather(
                &mut store,
                Some(since.as_millisecond()),
                args.runbook.as_deref(),
            ) {
                Ok(g) => (g, format!("the team store {}", store.shown)),
                Err(e) => return fail(e),
            }
        }
        None => (
            gather_local(&state_dir, Some(since), args.runbook.as_deref()),
            format!("this machine's runs ({})", state_dir.display()),
        ),
    };
    let since_text = since.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    // Branch coverage needs the runbook's decisions: read from the runbook found here.
    let branches = |name: &str, taken: &[(String, String)], drills: u64| -> Option<Coverage> {
        let path = crate::load::find::resolve(name, None).ok()?;
        let runbook = crate::load::load_path(&path).ok()?.runbook?;
        Some(crate::report::coverage::of(
            &runbook,
            taken,
            drills as usize,
        ))
    };
    let stats = build(gathered, source, Some(since_text), &branches);
    if args.json {
        let mut text = serde_json::to_string_pretty(&stats).unwrap_or_else(|_| "{}".into());
        text.push('\n');
        return print_stdout(&text);
    }
    super::status::print_table(&render(&stats))
}
