//! `runbook resume [RUN]`: go on with an interrupted run. Its state is rebuilt only by
//! replaying its journal; completed steps never run again; a step that started and never
//! finished is offered again (run it again, mark it done, or skip it).

use super::driver::{Ready, operator, prepare, secret_values, summary};
use super::past_run::{OpenRun, changes, fail, known_values, open_run, rollbacks, short};
use super::{EXIT_FAILED, EXIT_OK};
use crate::cli::ResumeArgs;
use crate::exec::drill::DrillShell;
use crate::exec::executor::{ExecError, Executor, Output, Progress, RunConfig};
use crate::exec::inputs::InputValue;
use crate::exec::journal::{self, Event, Journal, Mode, RunStatus, StepStatus};
use crate::exec::operator::{Answer, Operator, Question};
use crate::exec::replay::Replay;
use crate::exec::screen::{Screen, Status};
use crate::exec::shell::{ProcessShell, Shell, install_interrupt_handler};
use crate::graph::{EdgeKind, Target};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub fn run(args: &ResumeArgs) -> i32 {
    match resume(args) {
        Ok(code) | Err(code) => code,
    }
}

fn resume(args: &ResumeArgs) -> Result<i32, i32> {
    let mut operator = operator(&args.answering)?;
    operator.accept_changed = args.accept_changed;
    // With a team store: the run claimed there first (fetched if it went on elsewhere).
    let claim = super::team::claim(
        &journal::state_dir(args.state_dir.as_deref()),
        args.run.as_deref(),
        |r| resumable(r.finished) && r.mode.is_some(),
        args.take_over,
        &mut operator,
    )?;
    // The journal first: it is locked while we drive the run.
    let OpenRun {
        dir,
        mut journal,
        replay: r,
        torn,
    } = open_run(args.state_dir.as_deref(), args.run.as_deref(), |r| {
        resumable(r.finished) && r.mode.is_some()
    })?;
    if let Some(status) = r.finished.filter(|&s| !resumable(Some(s))) {
        return Err(fail(
            &format!("run `{}` already finished ({})", r.run_id, status.as_str()),
            &format!("`runbook report {}` shows what happened", short(&r.run_id)),
        ));
    }
    let Some(mode) = r.mode else {
        return Err(fail(
            "the journal has no run_started event",
            "this run cannot be resumed",
        ));
    };
    // The runbook as it is now, checked; and what changed since the run started. A run
    // started on another machine names a path of that machine: the runbook is found by
    // name here.
    let ready = if std::path::Path::new(&r.path).is_file() {
        prepare(&r.path)?
    } else {
        prepare(&r.runbook)?
    };
    let changed = ready.sha256 != r.sha256;
    let mut screen = Screen::new(mode);
    let team = match claim {
        Some(c) => Some(super::team::Team::resume(c, &mut journal, &mut screen)?),
        None => None,
    };
    if let Some(text) = &torn {
        screen.status(
            Status::Warning,
            &format!("the journal's last line was torn ({} bytes, written when the run was killed) and was removed", text.len()),
        );
    }
    if changed {
        let before = std::fs::read_to_string(dir.join("runbook.yaml")).unwrap_or_default();
        let summary = changes(&before, &ready.runbook, &ready.text);
        screen.status(
            Status::Warning,
            &format!(
                "`{}` changed since the run started: {summary}",
                ready.path.display()
            ),
        );
        match operator.ask(&Question::AcceptChanged { summary }) {
            Ok(Answer::Done) => {}
            Ok(_) => {
                return Err(fail(
                    "resume stopped: the runbook changed",
                    "pass `--accept-changed` to go on",
                ));
            }
            Err(e) => {
                return Err(fail(
                    &e.to_string(),
                    "pass `--accept-changed` to go on with the changed runbook",
                ));
            }
        }
    }
    let values = known_values(&ready.runbook, &r, &mut operator)?;
    let interrupt =
        install_interrupt_handler().map_err(|e| fail(&format!("cannot handle Ctrl-C: {e}"), ""))?;
    crate::exec::signals::install().map_err(|e| fail(&e, ""))?;
    let me = format!("{}@{}", journal::user(), journal::host());
    let secrets = secret_values(&ready.runbook, &values);
    if let Err(e) = journal.append(Event::RunResumed {
        operator: me.clone(),
        host: journal::host(),
        sha256: changed.then(|| ready.sha256.clone()),
    }) {
        return Err(fail(&e.to_string(), ""));
    }
    let title = ready
        .runbook
        .title
        .as_ref()
        .map_or_else(|| r.runbook.clone(), |t| t.value.clone());
    let started_by = r.operators.first().cloned().unwrap_or_default();
    screen.header(
        &title,
        "",
        &format!(
            "resuming run {} · started by {started_by} · now {me}",
            short(&r.run_id)
        ),
        &journal.path().display().to_string(),
        None,
        &[],
    );
    for (step, name) in &r.lost_secrets {
        screen.status(
            Status::Warning,
            &format!(
                "{name} is a secret made by step `{step}`: the journal holds it masked, so this resume does not have it; a step that uses it fails (run `{step}` again in a new run with `--from {step}` to make it)"
            ),
        );
    }
    let mut shell_real;
    let mut shell_drill = DrillShell;
    let shell: &mut dyn Shell = if mode == Mode::Drill {
        &mut shell_drill
    } else {
        shell_real = ProcessShell {
            interrupt: interrupt.clone(),
            grace: Duration::from_secs(3),
        };
        &mut shell_real
    };
    let code = go_on(GoOn {
        ready: &ready,
        replayed: &r,
        values,
        me: &me,
        secrets,
        mode,
        operator: &mut operator,
        shell,
        journal: &mut journal,
        screen: &mut screen,
        interrupt,
        assume_yes: args.answering.yes,
        tether: team.as_ref().map(|t| t.tether.clone()),
    });
    Ok(code)
}

/// A run goes on when it has no `run_finished`, or when the last one says `interrupted`: the
/// process was stopped by SIGTERM, SIGHUP or SIGQUIT (`exec::signals`).
fn resumable(finished: Option<RunStatus>) -> bool {
    matches!(finished, None | Some(RunStatus::Interrupted))
}

struct GoOn<'a> {
    ready: &'a Ready,
    replayed: &'a Replay,
    values: BTreeMap<String, InputValue>,
    me: &'a str,
    secrets: Vec<String>,
    mode: Mode,
    operator: &'a mut dyn Operator,
    shell: &'a mut dyn Shell,
    journal: &'a mut Journal,
    screen: &'a mut Screen,
    interrupt: std::sync::Arc<std::sync::atomic::AtomicBool>,
    assume_yes: bool,
    tether: Option<crate::exec::tether::Tether>,
}

fn go_on(g: GoOn) -> i32 {
    let rb = &g.ready.runbook;
    let started = Instant::now();
    let completed = rollbacks(rb, &g.ready.path, g.replayed, &g.values);
    // A signal ends the run journaled as interrupted (`exec::signals`).
    crate::exec::signals::begin_run(g.journal.path(), &g.replayed.run_id, started);
    let mut operator = crate::exec::signals::Guarded(g.operator);
    let mut executor = Executor {
        cfg: RunConfig {
            assume_yes: g.assume_yes,
            tether: g.tether.clone(),
            ..RunConfig::new(rb, &g.ready.path, g.mode, super::driver::lint_errors)
        },
        out: Output::new(g.journal, g.screen, g.secrets.clone()),
        progress: Progress {
            completed,
            done_items: g.replayed.done_items.clone(),
            hosts_done: g
                .replayed
                .in_progress
                .as_ref()
                .and_then(|id| {
                    let hosts = g.replayed.hosts_in_visit.get(id)?;
                    Some([(id.clone(), hosts.clone())].into_iter().collect())
                })
                .unwrap_or_default(),
            // The visits so far go on counting (a step the run stopped in is entered again
            // in the same visit), so that answers given in advance answer one visit.
            visits: rb
                .steps
                .iter()
                .map(|s| {
                    let id = s.id();
                    let n = g.replayed.visits.get(&id).copied().unwrap_or(0);
                    if g.replayed.in_progress.as_deref() == Some(id.as_str()) {
                        n.saturating_sub(1)
                    } else {
                        n
                    }
                })
                .collect(),
            lost_env: g
                .replayed
                .lost_secrets
                .iter()
                .filter_map(|(step, name)| {
                    name.strip_prefix('$')
                        .map(|n| (n.to_string(), step.clone()))
                })
                .collect(),
            ..Progress::new(g.replayed.state_with(rb, g.values.clone(), g.me))
        },
        operator: &mut operator,
        shell: g.shell,
        interrupt: g.interrupt,
    };
    executor.restore_reminders();
    let position = match where_to_start(&mut executor, g.replayed) {
        Ok(p) => p,
        Err(e) => return super::driver::report_exec_error(e, &g.replayed.run_id),
    };
    let result = match position {
        Target::Step(i) => executor.walk(i),
        Target::End => Ok(crate::exec::executor::WalkResult {
            status: RunStatus::Succeeded,
            reason: None,
        }),
    };
    crate::exec::signals::end_if_pending();
    crate::exec::signals::end_run();
    let tally = executor.progress.tally.clone();
    let result = match result {
        Ok(r) => r,
        Err(e) => return super::driver::report_exec_error(e, &g.replayed.run_id),
    };
    let _ = g.journal.append(Event::RunFinished {
        status: result.status,
        duration_ms: started.elapsed().as_millis() as u64,
        reason: result.reason.clone(),
    });
    summary(
        g.screen,
        rb.steps.len(),
        &result.status,
        result.reason.as_deref(),
        &tally,
        started.elapsed(),
        g.journal.path(),
        short(&g.replayed.run_id),
    );
    match result.status {
        RunStatus::Succeeded => EXIT_OK,
        _ => EXIT_FAILED,
    }
}

/// Where the replayed run goes on: the step that never finished (if the operator runs it
/// again), else where the last finished step led.
fn where_to_start(x: &mut Executor, r: &Replay) -> Result<Target, ExecError> {
    let target_of = |x: &Executor, id: &str| -> Target {
        if id == "end" {
            return Target::End;
        }
        x.cfg
            .graph
            .index
            .get(id)
            .map_or(Target::End, |&i| Target::Step(i))
    };
    let Some(step_id) = r.in_progress.clone() else {
        return Ok(match r.next.as_deref() {
            None => Target::Step(0),
            Some(next) => target_of(x, next),
        });
    };
    let Some(&index) = x.cfg.graph.index.get(&step_id) else {
        // The step is gone from the changed runbook: go on where it would have led.
        return Ok(Target::End);
    };
    x.out.screen.status(
        Status::Warning,
        &format!("step `{step_id}` started and never finished"),
    );
    // A decision, a question or a checklist changed nothing yet: it is simply asked again.
    if matches!(
        x.cfg.runbook.steps[index].kind(),
        Some(
            crate::load::StepKind::Choose
                | crate::load::StepKind::Ask
                | crate::load::StepKind::Manual
        )
    ) {
        return Ok(Target::Step(index));
    }
    let default = x
        .cfg
        .graph
        .out_edges(index)
        .find(|e| matches!(e.kind, EdgeKind::Sequence | EdgeKind::Next))
        .map_or(Target::End, |e| e.to);
    let next_id = match default {
        Target::Step(i) => x.cfg.graph.ids[i].clone(),
        Target::End => "end".into(),
    };
    let question = Question::ResumeStep {
        step: step_id.clone(),
    };
    let answer = x.operator.ask(&question).map_err(|e| match e {
        crate::exec::operator::AskError::NoAnswer { what, help } => {
            ExecError::NoAnswer { what, help }
        }
        other => ExecError::Terminal(other.to_string()),
    })?;
    let (status, reason) = match answer {
        Answer::Retry => return Ok(Target::Step(index)),
        Answer::Done => {
            let note = match x.operator.ask(&Question::Note {
                step: step_id.clone(),
            }) {
                Ok(Answer::Text(t)) if !t.trim().is_empty() => t,
                _ => "no note".into(),
            };
            (
                StepStatus::Ok,
                format!("marked done by hand on resume: {note}"),
            )
        }
        Answer::Skip(why) => (StepStatus::Skipped, format!("skipped on resume: {why}")),
        _ => return Ok(Target::End),
    };
    x.out.journal.append(Event::StepFinished {
        item: None,
        step: step_id,
        status,
        exit_code: None,
        duration_ms: 0,
        reason: Some(reason.clone()),
        next: Some(next_id),
    })?;
    x.out.screen.status(
        if status == StepStatus::Ok {
            Status::Ok
        } else {
            Status::Skipped
        },
        &reason,
    );
    Ok(default)
}
