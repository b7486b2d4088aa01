//! `runbook report --postmortem`: the report wrapped in a post-mortem skeleton. What the
//! journal knows is filled in (the timeline, the facts of the run); what only people know
//! (impact, detection, causes) is left as a section with a one-line hint. The five whys and
//! the action items are seeded from the run's failures, deviations and notes.

use super::markdown::{self, code, inline};
use super::run::{Status, duration, local_full, parse_ts};
use super::timeline::{DeviationKind, Report, first_line};
use crate::exec::journal::StepStatus;
use serde::Serialize;
use std::fmt::Write;

/// The questions and the to-do list a post-mortem starts from.
#[derive(Debug, Clone, Serialize)]
pub struct Seeds {
    /// "Why …?" questions, most specific first.
    pub five_whys: Vec<String>,
    /// Items to turn into tickets (each with an owner and a date).
    pub action_items: Vec<String>,
}

fn step_name(path: &str, title: Option<&str>) -> String {
    match title {
        Some(t) if !t.is_empty() => format!("`{path}` ({})", inline(t)),
        _ => format!("`{path}`"),
    }
}

/// Seeds the five whys and the action items from the report.
pub fn seeds(report: &Report) -> Seeds {
    let run = &report.run;
    let mut whys = Vec::new();
    for f in report.failures.iter().take(3) {
        let mut q = format!(
            "Why did step {} {}",
            step_name(&f.at.path(), f.title.as_deref()),
            verb(f.status).0
        );
        if let Some(reason) = f.reason.as_deref().filter(|r| !r.is_empty()) {
            let _ = write!(q, " ({})", inline(reason));
        }
        q.push('?');
        whys.push(q);
    }
    match run.status {
        Status::Aborted | Status::Interrupted => whys.push(format!(
            "Why was the run {}{}?",
            run.status.as_str(),
            run.reason
                .as_deref()
                .map(|r| format!(" ({})", inline(r)))
                .unwrap_or_default()
        )),
        Status::Failed if report.failures.is_empty() => whys.push(format!(
            "Why did the run fail{}?",
            run.reason
                .as_deref()
                .map(|r| format!(" ({})", inline(r)))
                .unwrap_or_default()
        )),
        _ => {}
    }
    if whys.is_empty() {
        whys.push(format!(
            "Why did “{}” have to be run: what put the system in that state?",
            inline(&run.title)
        ));
    }
    let generic = [
        "Why did that happen? (ask it of the answer above)",
        "Why was it not caught earlier, by tests, review or monitoring?",
        "Why …? (ask it of the answer above)",
        "Why …? (stop when the answer is something you can change)",
    ];
    for why in generic {
        if whys.len() == 5 {
            break;
        }
        whys.push(why.to_string());
    }
    whys.truncate(5);

    let mut items = Vec::new();
    for f in &report.failures {
        let mut item = format!(
            "Find and fix why step {} {}",
            step_name(&f.at.path(), f.title.as_deref()),
            verb(f.status).1
        );
        if let Some(reason) = f.reason.as_deref().filter(|r| !r.is_empty()) {
            let _ = write!(item, ": {}", inline(reason));
        }
        items.push(item);
    }
    let mut retried: Vec<String> = Vec::new();
    for d in &report.deviations {
        let path = d.at.path();
        let item = match d.kind {
            // A `when` that is false is the runbook at work; an abort is asked about above.
            DeviationKind::StepSkipped => {
                let reason = d.reason.as_deref().unwrap_or("");
                // A `when` that is false is the runbook at work; an abort is asked about above.
                if reason.starts_with("`when:") || reason.starts_with("aborted") {
                    continue;
                }
                format!(
                    "Step `{path}` was skipped ({}): make it optional in the runbook, or do \
                     what it was for",
                    inline(or_none(reason))
                )
            }
            DeviationKind::CommandEdited => format!(
                "Put the command edited at step `{path}` into the runbook, or say why it had to \
                 differ: {}",
                code(&first_line(d.code.as_deref().unwrap_or(""), 80))
            ),
            DeviationKind::ShellOpened => {
                format!("Write into the runbook what was done in the shell opened at step `{path}`")
            }
            DeviationKind::Retry => {
                if retried.contains(&path) {
                    continue;
                }
                retried.push(path.clone());
                format!("Make step `{path}` reliable: it needed a retry")
            }
            DeviationKind::ChecklistItemSkipped => format!(
                "Review the checklist item “{}” of step `{path}`, skipped ({}): is it still \
                 needed?",
                inline(d.item.as_deref().unwrap_or("")),
                inline(or_none(d.reason.as_deref().unwrap_or("")))
            ),
            DeviationKind::MarkedDone => format!(
                "Check that step `{path}`, marked done by hand, really completed ({})",
                inline(or_none(d.reason.as_deref().unwrap_or("")))
            ),
            DeviationKind::WentOnAlone => {
                "Check that nobody else drove this run while its driver went on without the team \
                 store (`runbook history --team`), and why the store was out of reach"
                    .to_string()
            }
            DeviationKind::RollbackDeclined => {
                format!("Decide whether the declined rollback of step `{path}` is still needed")
            }
            DeviationKind::RollbackRun if !d.detail.ends_with(": ok") => format!(
                "Finish the rollback of step `{path}`: {}",
                inline(&d.detail)
            ),
            DeviationKind::RollbackRun => continue,
            DeviationKind::RunbookChanged => {
                "Review the runbook changes accepted while the run was resumed".to_string()
            }
        };
        items.push(item);
    }
    for n in &report.notes {
        items.push(format!(
            "Follow up the note at step `{}`: “{}”",
            n.at.path(),
            inline(&n.text)
        ));
    }
    items.push(format!(
        "Update the runbook `{}` with what this incident taught",
        run.runbook
    ));
    Seeds {
        five_whys: whys,
        action_items: items,
    }
}

/// The post-mortem skeleton in Markdown, with the report as its timeline.
pub fn render(report: &Report) -> String {
    let run = &report.run;
    let seeds = seeds(report);
    let started = parse_ts(&run.start).map_or_else(|| run.start.clone(), local_full);
    let mut out = String::new();
    let _ = writeln!(out, "# Post-mortem: {}\n", inline(&run.title));
    let _ = writeln!(
        out,
        "_Draft from run {} of {} (`runbook report --postmortem`). The timeline comes from the \
         run's journal; write the sections in italics, then delete the hints._\n",
        code(&run.short_id),
        code(&run.runbook)
    );
    out.push_str("## Summary\n\n");
    out.push_str(
        "_What happened, what caused it and how it was resolved, in two or three sentences._\n\n",
    );
    let mut facts = format!(
        "The runbook “{}” was {} by {}, starting {}, for {}; the run ended **{}**",
        inline(&run.title),
        match run.mode.as_str() {
            "run" => "run".to_string(),
            other => format!("walked through as a {other}"),
        },
        run.operators.join(", "),
        started,
        duration(run.duration_ms),
        run.status.as_str()
    );
    if let Some(reason) = run.reason.as_deref().filter(|r| !r.is_empty()) {
        let _ = write!(facts, " ({})", inline(reason));
    }
    let _ = write!(
        facts,
        ", with {} failed step{} and {} deviation{} from the runbook.",
        report.failures.len(),
        plural(report.failures.len()),
        report.deviations.len(),
        plural(report.deviations.len())
    );
    let _ = writeln!(out, "{facts}\n");
    out.push_str("## Customer impact\n\n");
    out.push_str(
        "_Who was affected and how (errors, latency, data), from when to when: the impact's \
         start and end, not the run's._\n\n",
    );
    out.push_str("## Detection\n\n");
    let _ = writeln!(
        out,
        "_How the problem was noticed (an alert, a customer, someone looking) and how long after \
         it began; the runbook was started {started}._\n"
    );
    out.push_str("## Timeline\n\n");
    out.push_str(&markdown::header(report));
    out.push_str(&markdown::body(report, 3));
    out.push_str("\n## Five whys\n\n");
    out.push_str(
        "_Answer each question under it; each answer is the subject of the next \"why\", until \
         the cause is one you can change._\n\n",
    );
    for (i, why) in seeds.five_whys.iter().enumerate() {
        let _ = writeln!(out, "{}. {why}", i + 1);
    }
    out.push_str("\n## Action items\n\n");
    out.push_str(
        "_Give each item an owner and a due date, add what the five whys found, and delete what \
         needs nothing._\n\n",
    );
    for item in &seeds.action_items {
        let _ = writeln!(out, "- [ ] {item}");
    }
    out
}

/// How a step's failure reads in a question and in a statement.
fn verb(status: StepStatus) -> (&'static str, &'static str) {
    match status {
        StepStatus::Timeout => ("time out", "timed out"),
        StepStatus::Interrupted => ("get interrupted", "was interrupted"),
        StepStatus::Skipped => ("get skipped", "was skipped"),
        StepStatus::Ok | StepStatus::Failed => ("fail", "failed"),
    }
}

fn or_none(reason: &str) -> &str {
    if reason.trim().is_empty() {
        "no reason given"
    } else {
        reason
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
