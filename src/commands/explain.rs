//! `runbook explain CODE`: a rule's documentation, from its doc comment.

use super::{EXIT_OK, EXIT_USAGE, report_error};
use crate::cli::ExplainArgs;
use crate::lint::registry::{RULES, find};
use crate::render::sarif::summary;
use crate::suggest::did_you_mean;

pub fn run(args: &ExplainArgs) -> i32 {
    if args.code == "all" {
        for rule in RULES {
            let m = rule.meta();
            println!(
                "{}  {:<28} {:<7}  {}",
                m.code,
                m.name,
                m.severity.as_str(),
                summary(m.doc)
            );
        }
        return EXIT_OK;
    }
    match find(&args.code) {
        Some(m) => {
            println!("{} {} ({})\n", m.code, m.name, m.severity.as_str());
            for line in m.doc.lines() {
                println!("{}", line.strip_prefix(' ').unwrap_or(line));
            }
            EXIT_OK
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
