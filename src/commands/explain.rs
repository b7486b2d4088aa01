//! `runbook explain CODE`: a rule's documentation, from its doc comment.

use super::{EXIT_USAGE, print_stdout, report_error};
use crate::cli::ExplainArgs;
use crate::lint::registry::{RULES, find};
use crate::render::sarif::summary;
use crate::suggest::did_you_mean;
use std::fmt::Write as _;

pub fn run(args: &ExplainArgs) -> i32 {
    // Written at once: a reader that stops early (`| head`) is not an error.
    let mut text = String::new();
    if args.code == "all" {
        for rule in RULES {
            let m = rule.meta();
            let _ = writeln!(
                text,
                "{}  {:<28} {:<7}  {}",
                m.code,
                m.name,
                m.severity.as_str(),
                summary(m.doc)
            );
        }
        return print_stdout(&text);
    }
    match find(&args.code) {
        Some(m) => {
            let _ = writeln!(text, "{} {} ({})\n", m.code, m.name, m.severity.as_str());
            for line in m.doc.lines() {
                let _ = writeln!(text, "{}", line.strip_prefix(' ').unwrap_or(line));
            }
            print_stdout(&text)
        }
        None => {
            let codes = RULES
                .iter()
                .map(|r| r.meta().code)
                .chain(RULES.iter().map(|r| r.meta().name));
            let help = match did_you_mean(&args.code, codes) {
                Some(best) => {
                    format!("did you mean `{best}`? `runbook explain all` lists every rule")
                }
                None => "`runbook explain all` lists every rule".to_string(),
            };
            report_error(&format!("no lint rule `{}`", args.code), &help);
            EXIT_USAGE
        }
    }
}
