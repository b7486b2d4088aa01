//! A journal folded into a report: the timeline of everything that happened, and the
//! decisions, answers, notes, commands, failures and deviations drawn from it. Every text is
//! as journaled, so secrets are already masked.

use super::run::{RunSummary, parse_ts};
use crate::exec::journal::{Event, Record, StepStatus};
use serde::Serialize;
use std::collections::HashMap;

/// Everything `runbook report` shows, in the order it shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub run: RunSummary,
    pub timeline: Vec<Entry>,
    pub decisions: Vec<Decision>,
    pub answers: Vec<Answer>,
    pub notes: Vec<Note>,
    pub commands: Vec<Command>,
    pub failures: Vec<Failure>,
    pub deviations: Vec<Deviation>,
}

/// Where and when something happened.
#[derive(Debug, Clone, Serialize)]
pub struct At {
    /// RFC 3339, UTC, as journaled.
    pub ts: String,
    pub seq: u64,
    /// From the start of the run.
    pub offset_ms: u64,
    /// The sub-runbook steps this happened in, outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub within: Vec<String>,
    /// The step's id, when it happened in a step.
    pub step: Option<String>,
    /// Who was driving the run at the time.
    pub operator: String,
}

impl At {
    /// The step with its sub-runbook path: `deploy › check`.
    pub fn path(&self) -> String {
        let mut parts: Vec<&str> = self.within.iter().map(String::as_str).collect();
        if let Some(step) = &self.step {
            parts.push(step);
        }
        parts.join(" › ")
    }
}

/// One row of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    #[serde(flatten)]
    pub at: At,
    /// The journal event this row stands for (`step_started` rows also carry the step's end).
    pub event: &'static str,
    pub what: String,
    /// The step's kind (`run`, `choose`, …), on `step_started` rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A command or phrase that goes with `what`, shown as code.
    pub code: Option<String>,
    /// On `command` rows: `rollback`, `wait`, when the command is not the step's `run`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    pub result: Option<String>,
    pub duration_ms: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    #[serde(flatten)]
    pub at: At,
    pub title: Option<String>,
    /// 1-based.
    pub option: usize,
    pub label: String,
    pub value: Option<String>,
    pub next: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    #[serde(flatten)]
    pub at: At,
    pub title: Option<String>,
    pub var: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    #[serde(flatten)]
    pub at: At,
    pub title: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Command {
    #[serde(flatten)]
    pub at: At,
    pub command: String,
    pub attempt: u32,
    pub edited: bool,
    /// `rollback`, `wait`: when the command is not the step's `run`.
    pub purpose: Option<String>,
    /// The full output, relative to the run folder.
    pub log: Option<String>,
    pub exit_code: Option<i32>,
    /// `exit 0`, `timed out`, `not run (dry-run)`; `None` when the command never finished.
    pub outcome: Option<String>,
    pub duration_ms: Option<u64>,
    /// The end of the output, as journaled.
    pub output: Option<String>,
    /// The output was longer than `output`.
    pub output_truncated: bool,
    /// Ran attached to the terminal (`interactive: true`): no output was captured.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interactive: bool,
}

/// A step that failed, timed out or was interrupted.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    #[serde(flatten)]
    pub at: At,
    pub title: Option<String>,
    pub status: StepStatus,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    /// Where the walk went next (`abort` when the failure ended the run).
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationKind {
    StepSkipped,
    CommandEdited,
    ShellOpened,
    Retry,
    ChecklistItemSkipped,
    MarkedDone,
    RollbackRun,
    RollbackDeclined,
    RunbookChanged,
    WentOnAlone,
}

/// A way in which the run departed from the runbook as written.
#[derive(Debug, Clone, Serialize)]
pub struct Deviation {
    #[serde(flatten)]
    pub at: At,
    pub kind: DeviationKind,
    pub detail: String,
    /// The command concerned, if any.
    pub code: Option<String>,
    /// Why, as the operator or the runbook gave it.
    pub reason: Option<String>,
    /// The checklist item concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// The first line of a command, shortened for a table cell.
pub fn first_line(text: &str, max: usize) -> String {
    let mut lines = text.trim().lines();
    let first = lines.next().unwrap_or("").trim_end();
    let more = lines.next().is_some();
    let mut out: String = first.chars().take(max).collect();
    if more || first.chars().count() > max {
        out.truncate(out.trim_end().len());
        out.push_str(" …");
    }
    out
}

fn status_text(status: StepStatus, reason: Option<&str>) -> String {
    match reason {
        Some(r) if !r.is_empty() => format!("{}: {r}", status.as_str()),
        _ => status.as_str().to_string(),
    }
}

/// Folds a run's journal into its report.
pub fn build(run: RunSummary, records: &[Record]) -> Report {
    let start = run.start_ts;
    let mut operator = run.operators.first().cloned().unwrap_or_default();
    let mut report = Report {
        run,
        timeline: Vec::new(),
        decisions: Vec::new(),
        answers: Vec::new(),
        notes: Vec::new(),
        commands: Vec::new(),
        failures: Vec::new(),
        deviations: Vec::new(),
    };
    let mut titles: HashMap<(Vec<String>, String), String> = HashMap::new();
    // The timeline row of a step (or command) that started and has not finished yet.
    let mut open_steps: HashMap<(Vec<String>, String), usize> = HashMap::new();
    let mut open_commands: HashMap<(Vec<String>, String), (usize, usize)> = HashMap::new();
    let mut previous: Option<&Event> = None;
    for r in records {
        if let Event::RunResumed { operator: o, .. } = &r.event {
            operator = o.clone();
            // What was running when the process stopped never finished in it; whatever
            // the resuming process records about it gets a row of its own.
            open_steps.clear();
            open_commands.clear();
        }
        let offset_ms = match (start, parse_ts(&r.ts)) {
            (Some(a), Some(b)) => b.duration_since(a).as_millis().max(0) as u64,
            _ => 0,
        };
        let step = step_of(&r.event);
        let at = At {
            ts: r.ts.clone(),
            seq: r.seq,
            offset_ms,
            within: r.within.clone(),
            step: step.map(str::to_string),
            operator: operator.clone(),
        };
        let key = (r.within.clone(), step.unwrap_or_default().to_string());
        let title = titles.get(&key).cloned();
        let Report {
            timeline,
            decisions,
            answers,
            notes,
            commands,
            failures,
            deviations,
            ..
        } = &mut report;
        let mut row = |event: &'static str, what: String, code: Option<String>| {
            timeline.push(Entry {
                at: at.clone(),
                event,
                what,
                kind: None,
                code,
                purpose: None,
                result: None,
                duration_ms: None,
            });
            timeline.len() - 1
        };
        let mut deviation = |kind: DeviationKind, detail: String, code: Option<String>| {
            deviations.push(Deviation {
                at: at.clone(),
                kind,
                detail,
                code,
                reason: None,
                item: None,
            });
            deviations.len() - 1
        };
        match &r.event {
            Event::RunStarted {
                operator,
                host,
                mode,
                ..
            } => {
                row(
                    "run_started",
                    format!("run started ({}) by {operator} on {host}", mode.as_str()),
                    None,
                );
            }
            Event::StepStarted { title, kind, .. } => {
                titles.insert(key.clone(), title.clone());
                let i = row("step_started", title.clone(), None);
                timeline[i].kind = Some(kind.clone());
                timeline[i].result = Some("did not finish".into());
                open_steps.insert(key, i);
            }
            Event::Command {
                command,
                attempt,
                edited,
                purpose,
                log,
                interactive,
                ..
            } => {
                let mut what = match purpose.as_deref() {
                    Some("wait") => format!("wait: check {attempt}"),
                    Some(p) => format!("{p} command"),
                    None => "command".to_string(),
                };
                if *attempt > 1 && purpose.as_deref() != Some("wait") {
                    what.push_str(&format!(", attempt {attempt}"));
                }
                if *edited {
                    what.push_str(", edited");
                    deviation(
                        DeviationKind::CommandEdited,
                        "the operator edited the command before it ran".into(),
                        Some(command.clone()),
                    );
                }
                let i = row("command", what, Some(first_line(command, 60)));
                timeline[i].result = Some("did not finish".into());
                timeline[i].purpose = purpose.clone();
                commands.push(Command {
                    at: at.clone(),
                    command: command.clone(),
                    attempt: *attempt,
                    edited: *edited,
                    purpose: purpose.clone(),
                    log: log.clone(),
                    exit_code: None,
                    outcome: None,
                    duration_ms: None,
                    output: None,
                    output_truncated: false,
                    interactive: *interactive,
                });
                open_commands.insert(key, (i, commands.len() - 1));
            }
            // A step on several hosts: a row per host that ended, with how.
            Event::HostStarted { .. } => {}
            Event::HostFinished {
                host,
                status,
                outcome,
                duration_ms,
                ..
            } => {
                let i = row("host_finished", format!("on {host}"), None);
                timeline[i].result = Some(if *status == StepStatus::Ok {
                    outcome.clone()
                } else {
                    status_text(*status, Some(outcome))
                });
                timeline[i].duration_ms = Some(*duration_ms);
            }
            Event::OutputTail {
                tail, truncated, ..
            } => {
                if let Some(&(_, c)) = open_commands.get(&key) {
                    commands[c].output = Some(tail.clone());
                    commands[c].output_truncated = *truncated;
                }
            }
            Event::CommandFinished {
                exit_code,
                outcome,
                duration_ms,
                ..
            } => {
                let i = match open_commands.remove(&key) {
                    Some((i, c)) => {
                        let command = &mut commands[c];
                        command.exit_code = *exit_code;
                        command.outcome = Some(outcome.clone());
                        command.duration_ms = Some(*duration_ms);
                        i
                    }
                    None => row("command_finished", "command finished".into(), None),
                };
                timeline[i].result = Some(outcome.clone());
                timeline[i].duration_ms = Some(*duration_ms);
            }
            Event::StepFinished {
                status,
                exit_code,
                duration_ms,
                reason,
                next,
                ..
            } => {
                let i = match open_steps.remove(&key) {
                    Some(i) => i,
                    None => row("step_finished", "step finished".into(), None),
                };
                timeline[i].result = Some(status_text(*status, reason.as_deref()));
                timeline[i].duration_ms = Some(*duration_ms);
                // A step that ends has no command left running.
                open_commands.remove(&key);
                let reason_text = reason.clone().unwrap_or_default();
                match status {
                    StepStatus::Ok if reason_text.to_ascii_lowercase().contains("marked done") => {
                        let d = deviation(
                            DeviationKind::MarkedDone,
                            format!("step marked done by hand: {reason_text}"),
                            None,
                        );
                        deviations[d].reason = reason.clone();
                    }
                    StepStatus::Ok => {}
                    StepStatus::Skipped => {
                        let d = deviation(
                            DeviationKind::StepSkipped,
                            if reason_text.is_empty() {
                                "step skipped".into()
                            } else {
                                format!("step skipped: {reason_text}")
                            },
                            None,
                        );
                        deviations[d].reason = reason.clone();
                    }
                    StepStatus::Failed | StepStatus::Timeout | StepStatus::Interrupted => failures
                        .push(Failure {
                            at: at.clone(),
                            title: title.clone(),
                            status: *status,
                            exit_code: *exit_code,
                            reason: reason.clone(),
                            next: next.clone(),
                        }),
                }
            }
            Event::VarSet {
                name, value, step, ..
            } => {
                // An answer or a decision already shows the value it sets.
                let shown = matches!(previous,
                    Some(Event::Answer { step: s, var, .. }) if s == step && var == name)
                    || matches!(previous, Some(Event::Decision { step: s, .. }) if s == step);
                if !shown {
                    row("var_set", format!("vars.{name} = {value}"), None);
                }
            }
            Event::EnvSet { name, value, .. } => {
                row("env_set", format!("env {name} = {value}"), None);
            }
            Event::RunResumed {
                operator,
                host,
                sha256,
            } => {
                let mut what = format!("run resumed by {operator} on {host}");
                if let Some(sha) = sha256 {
                    what.push_str(", changed runbook accepted");
                    deviation(
                        DeviationKind::RunbookChanged,
                        format!(
                            "the runbook had changed since the run started; {operator} went on \
                             with the changed one (sha256 {})",
                            sha.chars().take(12).collect::<String>()
                        ),
                        None,
                    );
                }
                row("run_resumed", what, None);
            }
            Event::Lease {
                change,
                generation,
                other,
                since,
            } => {
                use crate::exec::journal::LeaseChange;
                let other = other.as_deref().unwrap_or("another driver");
                let since = since.as_deref().unwrap_or("?");
                let what = match change {
                    LeaseChange::Acquired => {
                        format!("lease of the team store held (generation {generation})")
                    }
                    LeaseChange::TookOver => format!(
                        "run taken over from {other}, whose lease had expired (generation {generation})"
                    ),
                    LeaseChange::WentOnAlone => {
                        deviation(
                            DeviationKind::WentOnAlone,
                            format!(
                                "contact with the team store was lost (last at {since}); the operator went on alone, while someone else could have taken the run over"
                            ),
                            None,
                        );
                        format!("contact with the team store lost since {since}: went on alone")
                    }
                    LeaseChange::StoppedAlone => format!(
                        "contact with the team store lost since {since}: stopped, to be resumed"
                    ),
                    LeaseChange::TakenAway => {
                        format!("run taken over by {other}: this driver stopped")
                    }
                };
                row("lease", what, None);
            }
            Event::Decision {
                option,
                label,
                value,
                next,
                ..
            } => {
                row(
                    "decision",
                    format!("decision: option {option}, {label} → {next}"),
                    None,
                );
                decisions.push(Decision {
                    at: at.clone(),
                    title: title.clone(),
                    option: *option,
                    label: label.clone(),
                    value: value.clone(),
                    next: next.clone(),
                });
            }
            Event::Answer { var, value, .. } => {
                row("answer", format!("answer: {var} = {value}"), None);
                answers.push(Answer {
                    at: at.clone(),
                    title: title.clone(),
                    var: var.clone(),
                    value: value.clone(),
                });
            }
            Event::ChecklistItem {
                index,
                item,
                done,
                reason,
                ..
            } => {
                let result = if *done {
                    "done".to_string()
                } else {
                    let reason = reason.clone().unwrap_or_else(|| "no reason given".into());
                    let d = deviation(
                        DeviationKind::ChecklistItemSkipped,
                        format!("checklist item {} “{item}” skipped: {reason}", index + 1),
                        None,
                    );
                    deviations[d].reason = Some(reason.clone());
                    deviations[d].item = Some(item.clone());
                    format!("skipped: {reason}")
                };
                let i = row(
                    "checklist_item",
                    format!("checklist item {}: {item}", index + 1),
                    None,
                );
                timeline[i].result = Some(result);
            }
            Event::Reminder { about, .. } => {
                row("reminder", format!("reminder from step `{about}`"), None);
            }
            Event::Note { text, .. } => {
                row("note", format!("note: {text}"), None);
                notes.push(Note {
                    at: at.clone(),
                    title: title.clone(),
                    text: text.clone(),
                });
            }
            Event::Confirmation {
                phrase,
                accepted,
                by,
                ..
            } => {
                let by = if by == "flag" {
                    "--confirm"
                } else {
                    by.as_str()
                };
                let i = row(
                    "confirmation",
                    format!("confirmation ({by})"),
                    Some(phrase.clone()),
                );
                timeline[i].result = Some(if *accepted { "accepted" } else { "refused" }.into());
            }
            Event::ShellOpened { exit_code, .. } => {
                let i = row("shell_opened", "shell opened".into(), None);
                timeline[i].result = Some(
                    exit_code.map_or_else(|| "no exit status".into(), |c| format!("exit {c}")),
                );
                deviation(
                    DeviationKind::ShellOpened,
                    "the operator opened a shell from the failure menu".into(),
                    None,
                );
            }
            Event::Retry {
                attempt,
                automatic,
                host,
                ..
            } => {
                let how = if *automatic { "automatic" } else { "manual" };
                let on = host.as_ref().map_or(String::new(), |h| format!(" on {h}"));
                row(
                    "retry",
                    format!("retry ({how}){on}, attempt {attempt}"),
                    None,
                );
                deviation(
                    DeviationKind::Retry,
                    format!("{how} retry{on}, attempt {attempt}"),
                    None,
                );
            }
            Event::Rollback {
                command,
                status,
                exit_code,
                ..
            } => {
                let (kind, result) = match status {
                    StepStatus::Skipped => {
                        (DeviationKind::RollbackDeclined, "declined".to_string())
                    }
                    StepStatus::Ok => (DeviationKind::RollbackRun, "ok".to_string()),
                    other => (
                        DeviationKind::RollbackRun,
                        match exit_code {
                            Some(c) => format!("{}: exit {c}", other.as_str()),
                            None => other.as_str().to_string(),
                        },
                    ),
                };
                let i = row("rollback", "rollback".into(), Some(first_line(command, 60)));
                timeline[i].result = Some(result.clone());
                let detail = match kind {
                    DeviationKind::RollbackDeclined => "rollback declined".to_string(),
                    _ => format!("rollback run: {result}"),
                };
                deviation(kind, detail, Some(command.clone()));
            }
            Event::RunFinished {
                status,
                duration_ms,
                reason,
            } => {
                let i = row("run_finished", "run finished".into(), None);
                timeline[i].result = Some(match reason {
                    Some(r) if !r.is_empty() => format!("{}: {r}", status.as_str()),
                    _ => status.as_str().to_string(),
                });
                timeline[i].duration_ms = Some(*duration_ms);
            }
        }
        previous = Some(&r.event);
    }
    report
}

/// The step an event belongs to, if any.
pub fn step_of(event: &Event) -> Option<&str> {
    match event {
        Event::StepStarted { step, .. }
        | Event::Command { step, .. }
        | Event::OutputTail { step, .. }
        | Event::CommandFinished { step, .. }
        | Event::StepFinished { step, .. }
        | Event::VarSet { step, .. }
        | Event::EnvSet { step, .. }
        | Event::Decision { step, .. }
        | Event::Answer { step, .. }
        | Event::ChecklistItem { step, .. }
        | Event::Note { step, .. }
        | Event::Confirmation { step, .. }
        | Event::ShellOpened { step, .. }
        | Event::Retry { step, .. }
        | Event::HostStarted { step, .. }
        | Event::HostFinished { step, .. }
        | Event::Reminder { step, .. }
        | Event::Rollback { step, .. } => Some(step),
        Event::RunStarted { .. }
        | Event::RunResumed { .. }
        | Event::Lease { .. }
        | Event::RunFinished { .. } => None,
    }
}
