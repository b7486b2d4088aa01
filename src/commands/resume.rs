//! `runbook resume [RUN]`: go on with an interrupted run. Its state is rebuilt only by
//! replaying its journal; completed steps never run again; a step that started and never
//! finished is offered again (run it again, mark it done, or skip it).

use super::run::{Ready, operator, prepare, summary};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report_error};
use crate::cli::ResumeArgs;
use crate::exec::drill::DrillShell;
use crate::exec::executor::{Completed, ExecError, Executor, Tally, completed_rollback};
use crate::exec::inputs::{self, InputValue};
use crate::exec::interactive::Terminal;
use crate::exec::journal::{self, Event, Journal, JournalError, Mode, RunStatus, StepStatus};
use crate::exec::mask::Masker;
use crate::exec::operator::{Answer, Operator, Question};
use crate::exec::replay::{Replay, replay};
use crate::exec::screen::{Screen, Status};
use crate::exec::scripted::Scripted;
use crate::exec::shell::{ProcessShell, Shell, install_interrupt_handler};
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::Runbook;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The folder of a run: by id or unique prefix, or (with `None`) the latest one for which
/// `pick` holds.
pub fn find_run(
    state_dir: &Path,
    wanted: Option<&str>,
    pick: impl Fn(&Replay) -> bool,
) -> Result<PathBuf, String> {
    let runs = state_dir.join("runs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&runs)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    match wanted {
        Some(prefix) => {
            let matching: Vec<&PathBuf> = dirs
                .iter()
                .filter(|d| {
                    d.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                })
                .collect();
            match matching.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(format!("no run matches `{prefix}` in `{}`", runs.display())),
                many => Err(format!(
                    "`{prefix}` matches {} runs: {}",
                    many.len(),
                    many.iter()
                        .filter_map(|d| d.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        None => dirs
            .iter()
            .rev()
            .find(|d| {
                crate::report::read_journal(&d.join("journal.jsonl"))
                    .is_ok_and(|(records, _)| pick(&replay(&records)))
            })
            .cloned()
            .ok_or_else(|| format!("no such run in `{}`", runs.display())),
    }
}

/// A run opened to be driven again (`resume`, `rollback`): its folder, its journal (locked
/// while this process holds it), the replay of its records, and the torn last line that
/// opening removed, if any.
pub struct OpenRun {
    pub dir: PathBuf,
    pub journal: Journal,
    pub replay: Replay,
    pub torn: Option<String>,
}

/// Finds a run (see [`find_run`]) and opens its journal; the errors are reported here.
pub fn open_run(
    state_dir: Option<&Path>,
    wanted: Option<&str>,
    pick: impl Fn(&Replay) -> bool,
) -> Result<OpenRun, i32> {
    let state_dir = journal::state_dir(state_dir);
    let dir = find_run(&state_dir, wanted, pick).map_err(|e| {
        fail(
            &e,
            "`runbook history` lists the runs; give a run id (or the first characters of one)",
        )
    })?;
    let (journal, records, torn) = Journal::open(&dir, &[]).map_err(|e| match e {
        JournalError::Locked { run, holder } => fail(
            &format!("run `{run}` is being driven by another process: {holder}"),
            "wait for it to finish, or ask its operator; a run has one driver at a time",
        ),
        other => fail(&other.to_string(), "check the state folder"),
    })?;
    Ok(OpenRun {
        dir,
        journal,
        replay: replay(&records),
        torn,
    })
}

/// The inputs of a run being driven again: those the journal recorded, then `--input`, then
/// what the runbook's defaults and the operator give (secrets were never journaled, so they
/// are asked again).
pub fn known_values(
    rb: &Runbook,
    r: &Replay,
    operator: &mut Scripted<Terminal>,
) -> Result<BTreeMap<String, InputValue>, i32> {
    let mut given = r.known_inputs();
    given.extend(operator.inputs.clone());
    given.retain(|k, _| rb.input(k).is_some());
    inputs::resolve(rb, &given, operator).map_err(|e| fail(&e.to_string(), &e.help()))
}

/// What changed between the runbook a run started with and the one on disk now.
pub fn changes(before: &str, now: &Runbook, now_text: &str) -> String {
    let old = crate::load::load_bytes(Path::new("runbook.yaml"), before.as_bytes().to_vec());
    let Some(old_rb) = old.runbook else {
        return "the runbook the run started with can no longer be read".into();
    };
    let text_of = |rb: &Runbook, text: &str, id: &str| {
        rb.step(id)
            .map(|s| text.get(s.span.start..s.span.end).unwrap_or("").to_string())
    };
    let old_ids: Vec<String> = old_rb.steps.iter().map(|s| s.id()).collect();
    let new_ids: Vec<String> = now.steps.iter().map(|s| s.id()).collect();
    let added: Vec<&String> = new_ids.iter().filter(|i| !old_ids.contains(i)).collect();
    let removed: Vec<&String> = old_ids.iter().filter(|i| !new_ids.contains(i)).collect();
    let edited: Vec<&String> = new_ids
        .iter()
        .filter(|i| old_ids.contains(i) && text_of(&old_rb, before, i) != text_of(now, now_text, i))
        .collect();
    let list = |ids: &[&String]| {
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("steps added: {}", list(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("steps removed: {}", list(&removed)));
    }
    if !edited.is_empty() {
        parts.push(format!("steps edited: {}", list(&edited)));
    }
    if parts.is_empty() {
        "no step changed (only other parts of the file)".into()
    } else {
        parts.join("; ")
    }
}

pub fn run(args: &ResumeArgs) -> i32 {
    match resume(args) {
        Ok(code) | Err(code) => code,
    }
}

pub fn fail(message: &str, help: &str) -> i32 {
    report_error(message, help);
    EXIT_USAGE
}

fn resume(args: &ResumeArgs) -> Result<i32, i32> {
    let mut operator = operator(&args.answering)?;
    operator.accept_changed = args.accept_changed;
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
    // The runbook as it is now, checked; and what changed since the run started.
    let ready = prepare(&r.path)?;
    let changed = ready.sha256 != r.sha256;
    let mut screen = Screen::new(mode);
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
    });
    Ok(code)
}

/// A run goes on when it has no `run_finished`, or when the last one says `interrupted`: the
/// process was stopped by SIGTERM, SIGHUP or SIGQUIT (`exec::signals`).
fn resumable(finished: Option<RunStatus>) -> bool {
    matches!(finished, None | Some(RunStatus::Interrupted))
}

pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

pub fn secret_values(rb: &Runbook, values: &BTreeMap<String, InputValue>) -> Vec<String> {
    rb.inputs
        .iter()
        .filter(|i| i.secret)
        .filter_map(|i| values.get(&i.name.value).map(InputValue::text))
        .filter(|v| !v.is_empty())
        .collect()
}

/// The rollbacks the replayed run can still offer, oldest first.
pub fn rollbacks(
    rb: &Runbook,
    path: &Path,
    r: &Replay,
    values: &BTreeMap<String, InputValue>,
) -> Vec<Completed> {
    let folder = crate::exec::executor::folder_of(path);
    r.completed
        .iter()
        .filter(|(step, _)| !r.rolled_back.contains(step))
        .filter_map(|(id, state)| {
            let step = rb.step(id)?;
            let shell = step
                .shell
                .as_ref()
                .or(rb.shell.as_ref())
                .map_or(crate::load::Shell::Bash, |s| s.value.clone());
            let state =
                crate::exec::replay::with_inputs(state, rb, values.clone(), &state.operator);
            let dir = step
                .dir
                .as_ref()
                .or(rb.dir.as_ref())
                .map_or_else(|| folder.clone(), |d| folder.join(&d.value));
            completed_rollback(step, &state, &shell, dir, &[])
        })
        .collect()
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
}

fn go_on(g: GoOn) -> i32 {
    let rb = &g.ready.runbook;
    let graph = StepGraph::build(rb);
    let started = Instant::now();
    let completed = rollbacks(rb, &g.ready.path, g.replayed, &g.values);
    // A signal ends the run journaled as interrupted (`exec::signals`).
    crate::exec::signals::begin_run(g.journal.path(), &g.replayed.run_id, started);
    let mut operator = crate::exec::signals::Guarded(g.operator);
    let mut executor = Executor {
        runbook: rb,
        path: &g.ready.path,
        graph,
        mode: g.mode,
        operator: &mut operator,
        shell: g.shell,
        journal: g.journal,
        screen: g.screen,
        state: g.replayed.state_with(rb, g.values.clone(), g.me),
        secrets: g.secrets.clone(),
        masker: Masker::new(&g.secrets),
        interrupt: g.interrupt,
        completed,
        tally: Tally::default(),
        allow_readonly: false,
        within: Vec::new(),
        assume_yes: g.assume_yes,
        unsimulated: Vec::new(),
    };
    let position = match where_to_start(&mut executor, g.replayed) {
        Ok(p) => p,
        Err(e) => return report_exec_error(e),
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
    let tally = executor.tally.clone();
    let result = match result {
        Ok(r) => r,
        Err(e) => return report_exec_error(e),
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

fn report_exec_error(e: ExecError) -> i32 {
    match e {
        ExecError::NoAnswer { what, help } => {
            report_error(
                &format!("{what}, and there is no terminal to ask on"),
                &help,
            );
            EXIT_USAGE
        }
        other => {
            report_error(
                &other.to_string(),
                "the journal holds everything done so far",
            );
            EXIT_FAILED
        }
    }
}

/// Where the replayed run goes on: the step that never finished (if the operator runs it
/// again), else where the last finished step led.
fn where_to_start(x: &mut Executor, r: &Replay) -> Result<Target, ExecError> {
    let target_of = |x: &Executor, id: &str| -> Target {
        if id == "end" {
            return Target::End;
        }
        x.graph
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
    let Some(&index) = x.graph.index.get(&step_id) else {
        // The step is gone from the changed runbook: go on where it would have led.
        return Ok(Target::End);
    };
    x.screen.status(
        Status::Warning,
        &format!("step `{step_id}` started and never finished"),
    );
    // A decision, a question or a checklist changed nothing yet: it is simply asked again.
    if matches!(
        x.runbook.steps[index].kind(),
        Some(
            crate::load::StepKind::Choose
                | crate::load::StepKind::Ask
                | crate::load::StepKind::Manual
        )
    ) {
        return Ok(Target::Step(index));
    }
    let default = x
        .graph
        .out_edges(index)
        .find(|e| matches!(e.kind, EdgeKind::Sequence | EdgeKind::Next))
        .map_or(Target::End, |e| e.to);
    let next_id = match default {
        Target::Step(i) => x.graph.ids[i].clone(),
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
    x.journal.append(Event::StepFinished {
        step: step_id,
        status,
        exit_code: None,
        duration_ms: 0,
        reason: Some(reason.clone()),
        next: Some(next_id),
    })?;
    x.screen.status(
        if status == StepStatus::Ok {
            Status::Ok
        } else {
            Status::Skipped
        },
        &reason,
    );
    Ok(default)
}
