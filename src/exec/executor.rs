//! The [`Executor`]: the state machine that walks a runbook's step graph. It talks only to an
//! [`Operator`] (who answers), a [`Shell`] (which runs commands), a [`Screen`] (what is shown)
//! and the [`Journal`] (what is recorded, before the next action begins).

use super::inputs::InputValue;
use super::journal::{Event, Journal, JournalError, Mode, OutputLog, RunStatus, StepStatus};
use super::mask::Masker;
use super::operator::{Answer, AskError, Operator, Question};
use super::render::{self, RenderError};
use super::screen::{Screen, Status, clock_of, duration};
use super::shell::{CommandSpec, Exit, Outcome, OutputSink, Shell, Stream};
use super::state::{RunState, parse_assignments, whole_values};
pub use super::tally::Tally;
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::duration::parse_duration;
use crate::load::{CaptureFrom, Runbook, Shell as ShellKind, Step, StepKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why a run stopped before its end, other than a decision to abort.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A question nobody can answer (no terminal, no scripted answer).
    #[error("{what}, and there is no terminal to ask on")]
    NoAnswer { what: String, help: String },
    #[error("the terminal failed: {0}")]
    Terminal(String),
}

/// What a step leads to.
enum Flow {
    /// Go on along the step's default edge.
    Next,
    /// Go to a target (a decision, `on_failure: <step>`).
    Jump(Target),
    /// Stop the run: the operator aborted (true) or a failure aborted it (false).
    Abort { by_operator: bool, reason: String },
}

/// The folder of a runbook file, where its commands run and its sub-runbooks are found.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        // `runbook run ed.yaml`: the parent of a bare file name is the empty path.
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A drill's stand-in for a step's command: its `simulate`, if it has one.
fn simulated_of(step: &Step) -> Option<super::shell::Simulated> {
    let sim = step.simulate.as_ref()?;
    Some(super::shell::Simulated {
        stdout: sim
            .stdout
            .as_ref()
            .map_or_else(String::new, |s| s.value.clone()),
        stderr: sim
            .stderr
            .as_ref()
            .map_or_else(String::new, |s| s.value.clone()),
        exit: sim.exit.as_ref().map_or(0, |e| e.value as i32),
    })
}

/// The rollback of a completed step, rendered with the state the step completed in. `None`
/// when the step has no rollback, or its template cannot be rendered.
pub fn completed_rollback(
    step: &Step,
    state: &RunState,
    shell: &ShellKind,
    dir: PathBuf,
    within: &[String],
) -> Option<Completed> {
    let rollback = step.rollback.as_ref()?;
    let ctx = state.context(None);
    let mut rendered = render::script(&rollback.value, &ctx, shell).ok()?;
    // The step's own `env` applies to its rollback too.
    for (k, v) in &step.env {
        rendered
            .env
            .push((k.value.clone(), render::text(&v.value, &ctx).ok()?));
    }
    let confirm = step
        .confirm
        .as_ref()
        .map(|c| render::text(&c.value, &ctx).unwrap_or_else(|_| c.value.clone()))
        .unwrap_or_else(|| step.id());
    Some(Completed {
        step: step.id(),
        rollback: rendered.display,
        script: rendered.script,
        values: rendered.env,
        dangerous: step.is_dangerous(),
        confirm,
        shell: shell.clone(),
        dir,
        within: within.to_vec(),
    })
}

/// A completed step whose `rollback` can be offered after an abort.
#[derive(Debug, Clone)]
pub struct Completed {
    pub step: String,
    /// The rollback as the operator sees it (values written in, secrets masked).
    pub rollback: String,
    /// The rollback as it runs: values passed as data through `values` (SPEC §2.5).
    pub script: String,
    pub values: Vec<(String, String)>,
    pub dangerous: bool,
    pub confirm: String,
    pub shell: ShellKind,
    pub dir: PathBuf,
    pub within: Vec<String>,
}

/// The result of a walk.
pub struct WalkResult {
    pub status: RunStatus,
    pub reason: Option<String>,
}

pub struct Executor<'a> {
    pub runbook: &'a Runbook,
    pub path: &'a Path,
    pub graph: StepGraph,
    pub mode: Mode,
    pub operator: &'a mut dyn Operator,
    pub shell: &'a mut dyn Shell,
    pub journal: &'a mut Journal,
    pub screen: &'a mut Screen,
    pub state: RunState,
    pub secrets: Vec<String>,
    pub masker: Masker,
    pub interrupt: Arc<AtomicBool>,
    pub completed: Vec<Completed>,
    pub tally: Tally,
    /// `--allow-readonly` in a dry-run: steps marked `readonly` run for real.
    pub allow_readonly: bool,
    /// Sub-runbook nesting, outermost first (`notify`), for positions on screen.
    pub within: Vec<String>,
    /// `--yes` in a dry-run also passes dangerous steps (nothing runs).
    pub assume_yes: bool,
    /// In a drill: the steps that had no `simulate` and were treated as succeeded.
    pub unsimulated: Vec<String>,
    /// How many errors lint finds in a sub-runbook's text, checked before it runs. Given by
    /// the command (the executor does not depend on lint).
    pub check: CheckRunbook,
}

/// Counts the lint errors of a runbook's text at a path.
pub type CheckRunbook = fn(&Path, &str) -> usize;

/// The argv that runs a script with a shell (SPEC §2.4).
pub fn argv(shell: &ShellKind, script: &str) -> Vec<String> {
    let mut argv: Vec<String> = match shell {
        ShellKind::Bash => ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]
            .map(String::from)
            .to_vec(),
        ShellKind::Sh => ["sh", "-e", "-c"].map(String::from).to_vec(),
        ShellKind::Command(parts) => parts.clone(),
    };
    argv.push(script.to_string());
    if let Some(program) = argv.first_mut() {
        *program = resolve_program(program);
    }
    argv
}

/// A program's path from `PATH`, looked up once per name (as a shell's hash table does):
/// otherwise every step pays a failed `execve` for each folder before the right one.
fn resolve_program(name: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    if name.contains('/') {
        return name.to_string();
    }
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(name).cloned()) {
        return found;
    }
    let found = std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::metadata(candidate)
                        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                })
        })
        .map_or_else(|| name.to_string(), |p| p.to_string_lossy().into_owned());
    if let Ok(mut c) = cache.lock() {
        c.insert(name.to_string(), found.clone());
    }
    found
}

/// Sends output to the screen and the output log, masked, and keeps a short tail.
struct Tee<'s> {
    screen: &'s mut Screen,
    log: OutputLog,
    /// The first error writing the log, shown once the command has ended.
    log_error: Option<String>,
    masker: Masker,
    /// Reused for every chunk: the masked bytes.
    masked: Vec<u8>,
    tail: Vec<u8>,
    show: bool,
    /// Bytes written in all, to tell whether the tail is the whole output.
    written: usize,
    label: &'static str,
}

const TAIL_BYTES: usize = 2048;

/// What a command left once it ended.
struct Teed {
    /// The last ~2 KiB of its output, masked.
    tail: String,
    /// Whether the tail is only part of the output.
    truncated: bool,
    log_error: Option<String>,
}

impl Tee<'_> {
    fn new<'s>(
        screen: &'s mut Screen,
        log: OutputLog,
        secrets: &[String],
        show: bool,
        label: &'static str,
    ) -> Tee<'s> {
        Tee {
            screen,
            log,
            log_error: None,
            masker: Masker::new(secrets),
            masked: Vec::new(),
            tail: Vec::new(),
            show,
            written: 0,
            label,
        }
    }

    fn write(&mut self, stream: Stream, masked: &[u8]) {
        if masked.is_empty() {
            return;
        }
        if let Some(e) = self.log.write(masked).map(ToString::to_string) {
            self.log_error = Some(format!(
                "cannot write the output log `{}`: {e}; the output from there on is only on screen (its last 2 KiB are in the journal)",
                self.log.relative()
            ));
        }
        if self.show {
            self.screen.output(stream, masked);
        }
        self.written += masked.len();
        // Only the last TAIL_BYTES can end up in the tail: never copy more of a chunk.
        if masked.len() >= TAIL_BYTES {
            self.tail.clear();
            self.tail
                .extend_from_slice(&masked[masked.len() - TAIL_BYTES..]);
        } else {
            self.tail.extend_from_slice(masked);
            if self.tail.len() > 2 * TAIL_BYTES {
                let cut = self.tail.len() - TAIL_BYTES;
                self.tail.drain(..cut);
            }
        }
    }

    fn finish(mut self) -> Teed {
        let mut rest = std::mem::take(&mut self.masked);
        rest.clear();
        let _ = self.masker.finish_to(&mut rest);
        self.write(Stream::Stdout, &rest);
        self.log.close();
        let start = self.tail.len().saturating_sub(TAIL_BYTES);
        Teed {
            tail: String::from_utf8_lossy(&self.tail[start..]).into_owned(),
            truncated: self.written > TAIL_BYTES,
            log_error: self.log_error,
        }
    }
}

impl OutputSink for Tee<'_> {
    fn output(&mut self, stream: Stream, bytes: &[u8]) {
        let mut masked = std::mem::take(&mut self.masked);
        masked.clear();
        // Writing into a Vec cannot fail.
        let _ = self.masker.push_to(bytes, &mut masked);
        self.write(stream, &masked);
        self.masked = masked;
    }

    fn tick(&mut self, elapsed: Duration) {
        let text = format!("{} · {} · Ctrl-C interrupts", self.label, clock_of(elapsed));
        self.screen.spinner_update(text);
    }
}

/// One command as the journal records it and the screen shows it.
struct Journaled<'a> {
    step: &'a str,
    /// The command as the operator saw it (the journal masks secrets).
    shown: &'a str,
    attempt: u32,
    edited: bool,
    /// `None` for a step's own command; `wait`, `rollback`.
    purpose: Option<&'static str>,
    /// Streams the output to the screen under a spinner (a wait's checks only log it).
    show: bool,
    label: &'static str,
}

/// Reads and removes a file a command may have written (`$RUNBOOK_ENV`, `$RUNBOOK_OUTPUT`);
/// empty when it did not.
fn take_file(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let _ = std::fs::remove_file(path);
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
        Err(_) => String::new(),
    }
}

fn exit_code(exit: &Exit) -> Option<i32> {
    match exit {
        Exit::Code(c) => Some(*c),
        _ => None,
    }
}

fn describe(exit: &Exit) -> String {
    match exit {
        Exit::Code(c) => format!("exit {c}"),
        Exit::Signal(s) => format!("killed by signal {s}"),
        Exit::TimedOut => "timed out".into(),
        Exit::Interrupted => "interrupted".into(),
        Exit::NotStarted(why) => format!("not started: {why}"),
    }
}

/// The result of running one command of a step.
struct Ran {
    outcome: Outcome,
    /// Not run: a dry-run.
    dry: bool,
    ok: bool,
    /// Why it did not succeed (in words), when it did not.
    problem: Option<String>,
    status: StepStatus,
}

impl<'a> Executor<'a> {
    fn ask(&mut self, q: &Question) -> Result<Answer, ExecError> {
        loop {
            self.screen.spinner_stop();
            match self.operator.ask(q) {
                Ok(a) => return Ok(a),
                Err(AskError::Interrupted) => {
                    let step = q.subject().to_string();
                    match self.operator.ask(&Question::Interrupted { step }) {
                        Ok(Answer::Abort) | Err(AskError::Interrupted) => return Ok(Answer::Abort),
                        Ok(_) => continue,
                        Err(e) => return Err(ask_error(e)),
                    }
                }
                Err(e) => return Err(ask_error(e)),
            }
        }
    }

    fn record(&mut self, event: Event) -> Result<u64, ExecError> {
        Ok(self.journal.append(event)?)
    }

    /// In a drill, what plays instead of the step's command (its `simulate`); a step without
    /// one is remembered, to be named in the drill's summary.
    fn simulated(&mut self, step: &Step) -> Option<super::shell::Simulated> {
        if self.mode != Mode::Drill {
            return None;
        }
        let simulated = simulated_of(step);
        let id = step.id();
        if simulated.is_none() && !self.unsimulated.contains(&id) {
            self.unsimulated.push(id);
        }
        simulated
    }

    /// Runs one command and journals it: `command` before it starts, then `output_tail` and
    /// `command_finished`; its output goes, masked, to its log (and to the screen if shown).
    fn run_journaled(
        &mut self,
        cmd: Journaled<'_>,
        spec: &CommandSpec,
    ) -> Result<Outcome, ExecError> {
        let seq = self.journal.next_seq();
        let log = self.journal.output_log(seq, cmd.step);
        self.record(Event::Command {
            step: cmd.step.to_string(),
            command: cmd.shown.to_string(),
            attempt: cmd.attempt,
            edited: cmd.edited,
            purpose: cmd.purpose.map(str::to_string),
            log: Some(log.relative().to_string()),
        })?;
        if cmd.show {
            self.screen
                .spinner_start(&format!("{} · 00:00 · Ctrl-C interrupts", cmd.label));
        }
        let mut tee = Tee::new(&mut *self.screen, log, &self.secrets, cmd.show, cmd.label);
        // Keys typed while a command runs are not echoed into its output.
        let echo_off = cmd.show.then(super::tty::EchoOff::new);
        let outcome = self.shell.run(spec, &mut tee);
        drop(echo_off);
        let teed = tee.finish();
        if cmd.show {
            self.screen.spinner_stop();
            self.screen.end_output();
        }
        if let Some(problem) = &teed.log_error {
            self.screen.status(Status::Warning, problem);
        }
        self.record(Event::OutputTail {
            step: cmd.step.to_string(),
            tail: self.mask(&teed.tail),
            truncated: teed.truncated,
        })?;
        self.record(Event::CommandFinished {
            step: cmd.step.to_string(),
            exit_code: exit_code(&outcome.exit),
            outcome: describe(&outcome.exit),
            duration_ms: outcome.duration.as_millis() as u64,
        })?;
        Ok(outcome)
    }

    /// Sets `vars.NAME` and journals it (masked), so that a resume can rebuild it.
    fn set_var(&mut self, step: &str, name: &str, value: String) -> Result<(), ExecError> {
        self.record(Event::VarSet {
            step: step.to_string(),
            name: name.to_string(),
            value: self.mask(&value),
        })?;
        Arc::make_mut(&mut self.state.vars).insert(name.to_string(), value);
        Ok(())
    }

    /// Sets an environment variable for later steps (`$RUNBOOK_ENV`) and journals it.
    fn set_env(&mut self, step: &str, name: &str, value: String) -> Result<(), ExecError> {
        self.record(Event::EnvSet {
            step: step.to_string(),
            name: name.to_string(),
            value: self.mask(&value),
        })?;
        Arc::make_mut(&mut self.state.env).insert(name.to_string(), value);
        Ok(())
    }

    /// Refuses what a step wrote to `$RUNBOOK_ENV` for a variable that only the runbook's own
    /// `env:` may set (`BASH_ENV`, `LD_PRELOAD`, …: see [`crate::values::PROTECTED_ENV`]).
    fn allowed_env(&self, env: Vec<(String, String)>) -> Result<Vec<(String, String)>, String> {
        for (name, _) in &env {
            if crate::values::is_protected_env(name)
                && !self.runbook.env.iter().any(|(k, _)| k.value == *name)
            {
                return Err(format!(
                    "it sets `{name}`, which changes what every later command runs; only the runbook's own `env:` may set it"
                ));
            }
        }
        Ok(env)
    }

    fn mask(&self, text: &str) -> String {
        self.masker.mask_str(text)
    }

    fn add_secret(&mut self, value: &str) {
        if !value.is_empty() && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_string());
            self.masker = Masker::new(&self.secrets);
        }
    }

    /// In a dry-run, nothing runs but the steps marked `readonly` with `--allow-readonly`.
    fn dry_run_skips(&self, step: &Step) -> bool {
        self.mode == Mode::DryRun
            && !(self.allow_readonly && step.readonly.as_ref().is_some_and(|r| r.value))
    }

    fn folder(&self) -> PathBuf {
        folder_of(self.path)
    }

    /// The working folder of a step: its `dir`, the runbook's `dir`, or the runbook's folder.
    fn dir_of(&self, step: &Step) -> Result<PathBuf, RenderError> {
        let ctx = self.state.context(None);
        let dir = step.dir.as_ref().or(self.runbook.dir.as_ref());
        Ok(match dir {
            Some(d) => self.folder().join(render::text(&d.value, &ctx)?),
            None => self.folder(),
        })
    }

    fn shell_of(&self, step: &Step) -> ShellKind {
        step.shell
            .as_ref()
            .or(self.runbook.shell.as_ref())
            .map_or(ShellKind::Bash, |s| s.value.clone())
    }

    /// Walks the runbook from `start` to `end`.
    pub fn walk(&mut self, start: usize) -> Result<WalkResult, ExecError> {
        let mut at = if start < self.runbook.steps.len() {
            Target::Step(start)
        } else {
            Target::End
        };
        let mut failed = None;
        while let Target::Step(i) = at {
            let flow = self.step(i, &mut failed)?;
            at = match flow {
                Flow::Next => self.default_target(i),
                Flow::Jump(target) => target,
                Flow::Abort {
                    by_operator,
                    reason,
                } => {
                    self.offer_rollbacks()?;
                    let status = if by_operator {
                        RunStatus::Aborted
                    } else {
                        RunStatus::Failed
                    };
                    return Ok(WalkResult {
                        status,
                        reason: Some(reason),
                    });
                }
            };
        }
        Ok(WalkResult {
            status: if failed.is_some() {
                RunStatus::Failed
            } else {
                RunStatus::Succeeded
            },
            reason: failed,
        })
    }

    fn default_target(&self, i: usize) -> Target {
        self.graph
            .out_edges(i)
            .find(|e| matches!(e.kind, EdgeKind::Sequence | EdgeKind::Next))
            .map_or(Target::End, |e| e.to)
    }

    fn failure_target(&self, i: usize) -> Option<Target> {
        self.graph
            .out_edges(i)
            .find(|e| e.kind == EdgeKind::OnFailure)
            .map(|e| e.to)
    }

    fn position(&self, i: usize) -> String {
        let n = format!("{}/{}", i + 1, self.runbook.steps.len());
        match self.within.last() {
            Some(parent) => format!("{parent} › {n}"),
            None => n,
        }
    }

    /// One step, from its header to `step_finished`.
    fn step(&mut self, i: usize, failed: &mut Option<String>) -> Result<Flow, ExecError> {
        let runbook = self.runbook;
        let step = &runbook.steps[i];
        let id = step.id();
        let title = step.title.as_ref().map_or(id.clone(), |t| t.value.clone());
        let started = Instant::now();
        self.screen
            .step_header(&self.position(i), &id, &title, step.is_dangerous());
        let kind = step.kind().unwrap_or(StepKind::Manual);
        self.record(Event::StepStarted {
            step: id.clone(),
            index: i,
            title: title.clone(),
            kind: kind.name().into(),
        })?;
        if let Some(when) = &step.when {
            match render::condition(&when.value, &self.state.context(None)) {
                Ok(true) => {}
                Ok(false) => {
                    let reason = format!("`when: {}` is false", when.value);
                    self.screen
                        .status(Status::Skipped, &format!("skipped: {reason}"));
                    return self.finish(
                        step,
                        started,
                        StepStatus::Skipped,
                        None,
                        Some(reason),
                        Flow::Next,
                    );
                }
                Err(_) if self.mode == Mode::DryRun => {
                    self.screen.status(
                        Status::Info,
                        &format!(
                            "`when: {}` cannot be known in a dry-run: the step is shown",
                            when.value
                        ),
                    );
                }
                Err(e) => {
                    self.screen
                        .status(Status::Failed, &format!("cannot evaluate `when`: {e}"));
                    return self.failed(
                        step,
                        started,
                        None,
                        format!("`when` failed: {e}"),
                        failed,
                        true,
                    );
                }
            }
        }
        if let Some(text) = &step.instructions {
            let shown = render::text(&text.value, &self.state.context(None))
                .unwrap_or_else(|_| text.value.clone());
            let shown = self.mask(&shown);
            self.screen.markdown(&shown);
        }
        let flow = match kind {
            StepKind::Manual => self.manual(step, started)?,
            StepKind::Choose => self.choose(step, started)?,
            StepKind::Ask => match self.ask_var(step)? {
                Some(flow) => flow,
                None => self.done(step, started, None, Flow::Next)?,
            },
            StepKind::Run => self.run_step(step, started, failed)?,
            StepKind::Wait => self.wait_step(step, started, failed)?,
            StepKind::Runbook => self.sub_runbook(step, started, failed)?,
        };
        Ok(flow)
    }

    /// Records the end of a step (notes first) and returns the flow.
    fn finish(
        &mut self,
        step: &Step,
        started: Instant,
        status: StepStatus,
        exit_code: Option<i32>,
        reason: Option<String>,
        flow: Flow,
    ) -> Result<Flow, ExecError> {
        let id = step.id();
        if step.notes.as_ref().is_some_and(|n| n.value)
            && !matches!(flow, Flow::Abort { .. })
            && let Answer::Text(text) = self.ask(&Question::Note { step: id.clone() })?
        {
            let text = self.mask(text.trim());
            if !text.is_empty() {
                self.record(Event::Note {
                    step: id.clone(),
                    text,
                })?;
            }
        }
        match status {
            StepStatus::Skipped => self.tally.skipped += 1,
            StepStatus::Ok => {}
            _ => self.tally.failed += 1,
        }
        Arc::make_mut(&mut self.state.steps).insert(id.clone(), (status, exit_code));
        let next = match &flow {
            Flow::Next => Some(self.default_target(step.index)),
            Flow::Jump(target) => Some(*target),
            Flow::Abort { .. } => None,
        }
        .map_or_else(
            || "abort".to_string(),
            |t| match t {
                Target::Step(i) => self.graph.ids[i].clone(),
                Target::End => "end".to_string(),
            },
        );
        self.record(Event::StepFinished {
            step: id,
            next: Some(next),
            status,
            exit_code,
            duration_ms: started.elapsed().as_millis() as u64,
            reason: reason.map(|r| self.mask(&r)),
        })?;
        Ok(flow)
    }

    fn done(
        &mut self,
        step: &Step,
        started: Instant,
        exit_code: Option<i32>,
        flow: Flow,
    ) -> Result<Flow, ExecError> {
        self.finish(step, started, StepStatus::Ok, exit_code, None, flow)
    }

    fn aborted(&mut self, step: &Step, started: Instant, reason: &str) -> Result<Flow, ExecError> {
        let flow = Flow::Abort {
            by_operator: true,
            reason: format!("aborted by the operator at step `{}`", step.id()),
        };
        self.finish(
            step,
            started,
            StepStatus::Skipped,
            None,
            Some(reason.to_string()),
            flow,
        )
    }

    fn skipped(
        &mut self,
        step: &Step,
        started: Instant,
        reason: String,
    ) -> Result<Flow, ExecError> {
        self.skipped_with(step, started, None, reason, || {
            "skipped by the operator".to_string()
        })
    }

    /// Ends a step as skipped with the operator's reason (or `default` when none was given).
    fn skipped_with(
        &mut self,
        step: &Step,
        started: Instant,
        exit_code: Option<i32>,
        reason: String,
        default: impl FnOnce() -> String,
    ) -> Result<Flow, ExecError> {
        let reason = if reason.trim().is_empty() {
            default()
        } else {
            reason
        };
        self.screen
            .status(Status::Skipped, &format!("skipped: {reason}"));
        self.finish(
            step,
            started,
            StepStatus::Skipped,
            exit_code,
            Some(reason),
            Flow::Next,
        )
    }

    /// A failure that the step's `on_failure` (or the operator) did not turn into a retry.
    fn failed(
        &mut self,
        step: &Step,
        started: Instant,
        exit_code: Option<i32>,
        problem: String,
        failed: &mut Option<String>,
        status_failed: bool,
    ) -> Result<Flow, ExecError> {
        let status = if status_failed {
            StepStatus::Failed
        } else {
            StepStatus::Timeout
        };
        let policy = step.on_failure.as_ref().map_or("ask", |p| p.as_str());
        let flow = match policy {
            "continue" => Flow::Next,
            "ask" => return self.failure_menu(step, started, (status, exit_code), problem, failed),
            "abort" => {
                let reason = format!("step `{}` failed: {problem}", step.id());
                *failed = Some(reason.clone());
                Flow::Abort {
                    by_operator: false,
                    reason,
                }
            }
            _ => match self.failure_target(step.index) {
                Some(target) => Flow::Jump(target),
                None => Flow::Next,
            },
        };
        self.finish(step, started, status, exit_code, Some(problem), flow)
    }

    /// The failure menu for a step that failed before or after its command (it could not be
    /// rendered, its output did not match `capture`, a sub-runbook could not be loaded): retry
    /// runs the step again from its start, after the operator fixed what was wrong (in a
    /// shell, in the file); skip goes on; abort ends the run. Without a terminal, the answers
    /// file's `failure:` or the abort.
    fn failure_menu(
        &mut self,
        step: &Step,
        started: Instant,
        (status, exit_code): (StepStatus, Option<i32>),
        problem: String,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        loop {
            let q = Question::Failure {
                step: step.id(),
                command: String::new(),
                summary: problem.clone(),
            };
            match self.ask(&q)? {
                Answer::Retry | Answer::Edit(_) => {
                    self.tally.retried += 1;
                    self.record(Event::Retry {
                        step: step.id(),
                        attempt: 2,
                        automatic: false,
                    })?;
                    let again = Flow::Jump(Target::Step(step.index));
                    return self.finish(step, started, status, exit_code, Some(problem), again);
                }
                Answer::Shell => self.open_shell(step)?,
                Answer::Skip(reason) => {
                    return self.skipped_with(step, started, exit_code, reason, || {
                        format!("skipped after: {problem}")
                    });
                }
                _ => return self.abort_after(step, started, (status, exit_code), problem, failed),
            }
        }
    }

    fn manual(&mut self, step: &Step, started: Instant) -> Result<Flow, ExecError> {
        let id = step.id();
        if let Some(checklist) = &step.checklist {
            let total = checklist.value.len();
            let mut skipped = 0;
            for (index, item) in checklist.value.iter().enumerate() {
                let text = render::text(&item.value, &self.state.context(None))
                    .unwrap_or_else(|_| item.value.clone());
                let text = self.mask(&text);
                let q = Question::ChecklistItem {
                    step: id.clone(),
                    item: text.clone(),
                    index,
                    total,
                };
                let (done, reason) = match self.ask(&q)? {
                    Answer::Abort => {
                        return self.aborted(step, started, "aborted at a checklist item");
                    }
                    Answer::Skip(reason) => {
                        skipped += 1;
                        (
                            false,
                            Some(if reason.trim().is_empty() {
                                "no reason given".to_string()
                            } else {
                                reason
                            }),
                        )
                    }
                    _ => (true, None),
                };
                let mark = if done { Status::Ok } else { Status::Skipped };
                let suffix = reason
                    .as_ref()
                    .map(|r| format!(" (skipped: {r})"))
                    .unwrap_or_default();
                self.screen
                    .status(mark, &format!("[{}/{total}] {text}{suffix}", index + 1));
                self.record(Event::ChecklistItem {
                    step: id.clone(),
                    index,
                    item: text,
                    done,
                    reason,
                })?;
            }
            if skipped > 0 {
                self.screen.status(
                    Status::Warning,
                    &format!("{skipped} of {total} items skipped"),
                );
            }
            return self.done(step, started, None, Flow::Next);
        }
        match self.ask(&Question::Manual { step: id })? {
            Answer::Abort => self.aborted(step, started, "aborted"),
            Answer::Skip(reason) => self.skipped(step, started, reason),
            _ => {
                self.screen.status(Status::Ok, "done");
                self.done(step, started, None, Flow::Next)
            }
        }
    }

    fn choose(&mut self, step: &Step, started: Instant) -> Result<Flow, ExecError> {
        let Some(choose) = &step.choose else {
            return self.done(step, started, None, Flow::Next);
        };
        let ctx = self.state.context(None);
        let prompt = choose
            .value
            .prompt
            .as_ref()
            .map(|p| render::text(&p.value, &ctx).unwrap_or_else(|_| p.value.clone()));
        let labels: Vec<String> = choose
            .value
            .options
            .iter()
            .map(|o| {
                o.label
                    .as_ref()
                    .map_or_else(String::new, |l| l.value.clone())
            })
            .collect();
        let q = Question::Choose {
            step: step.id(),
            prompt,
            options: labels.clone(),
        };
        let index = match self.ask(&q)? {
            Answer::Choice(n) if n < labels.len() => n,
            Answer::Abort => return self.aborted(step, started, "aborted at a decision"),
            _ => 0,
        };
        let target = self
            .graph
            .out_edges(step.index)
            .find(|e| e.kind == EdgeKind::Choice(index))
            .map_or(Target::End, |e| e.to);
        let next = match target {
            Target::Step(t) => self.graph.ids[t].clone(),
            Target::End => "end".into(),
        };
        let option = &choose.value.options[index];
        let value = option.value.as_ref().map(|v| v.value.clone());
        if let Some(var) = &choose.value.var {
            let chosen = value.clone().unwrap_or_else(|| labels[index].clone());
            self.set_var(&step.id(), &var.value, chosen)?;
        }
        self.screen
            .status(Status::Ok, &format!("{} → {next}", labels[index]));
        self.tally
            .decisions
            .push((step.id(), labels[index].clone()));
        self.record(Event::Decision {
            step: step.id(),
            option: index + 1,
            label: labels[index].clone(),
            value,
            next,
        })?;
        self.done(step, started, None, Flow::Jump(target))
    }

    /// Asks the step's `ask` (if any) and stores the answer. `Some(flow)` when aborted.
    fn ask_var(&mut self, step: &Step) -> Result<Option<Flow>, ExecError> {
        let Some(ask) = &step.ask else {
            return Ok(None);
        };
        let Some(var) = &ask.value.var else {
            return Ok(None);
        };
        let ctx = self.state.context(None);
        let prompt = ask.value.prompt.as_ref().map_or_else(
            || var.value.clone(),
            |p| render::text(&p.value, &ctx).unwrap_or_else(|_| p.value.clone()),
        );
        let pattern = ask.value.pattern.as_ref().map(|p| p.value.clone());
        let choices: Vec<String> = ask.value.choices.iter().map(|c| c.value.clone()).collect();
        let q = Question::Ask {
            step: step.id(),
            var: var.value.clone(),
            prompt,
            pattern: pattern.clone(),
            choices: choices.clone(),
            default: ask.value.default.as_ref().map(|d| d.value.clone()),
            secret: ask.value.secret,
        };
        loop {
            let value = match self.ask(&q)? {
                Answer::Text(v) => v,
                Answer::Abort => {
                    return Ok(Some(Flow::Abort {
                        by_operator: true,
                        reason: format!("aborted by the operator at step `{}`", step.id()),
                    }));
                }
                _ => continue,
            };
            let problem =
                crate::values::valid_answer(&value, ask.value.secret, pattern.as_deref(), &choices);
            if let Some(problem) = problem {
                if !self.operator.interactive() {
                    return Err(ExecError::NoAnswer {
                        what: format!("the answer for step `{}` is invalid: {problem}", step.id()),
                        help: "correct it in the answers file".into(),
                    });
                }
                self.screen.status(Status::Warning, &problem);
                continue;
            }
            if ask.value.secret {
                self.add_secret(&value);
            }
            let shown = if ask.value.secret {
                "***".to_string()
            } else {
                value.clone()
            };
            self.screen
                .status(Status::Ok, &format!("vars.{} = {shown}", var.value));
            self.record(Event::Answer {
                step: step.id(),
                var: var.value.clone(),
                value: self.mask(&value),
            })?;
            self.set_var(&step.id(), &var.value, value)?;
            return Ok(None);
        }
    }

    fn step_env(&self, step: &Step) -> Result<Vec<(String, String)>, RenderError> {
        let ctx = self.state.context(None);
        let mut env: Vec<(String, String)> = self
            .state
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in &step.env {
            env.push((k.value.clone(), render::text(&v.value, &ctx)?));
        }
        env.push(("RUNBOOK_RUN_ID".into(), self.state.run_id.clone()));
        env.push(("RUNBOOK_STEP".into(), step.id()));
        env.push(("RUNBOOK_MODE".into(), self.mode.as_str().into()));
        Ok(env)
    }

    fn run_step(
        &mut self,
        step: &Step,
        started: Instant,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        if let Some(flow) = self.ask_var(step)? {
            return Ok(flow);
        }
        let Some(run) = &step.run else {
            return self.done(step, started, None, Flow::Next);
        };
        let shell = self.shell_of(step);
        let rendered = match render::script(&run.value, &self.state.context(None), &shell) {
            Ok(r) => r,
            Err(e) => {
                self.screen
                    .status(Status::Failed, &format!("cannot render the command: {e}"));
                self.screen.line(&format!("  help: {}", e.help));
                return self.failed(
                    step,
                    started,
                    None,
                    format!("cannot render the command: {e}"),
                    failed,
                    true,
                );
            }
        };
        let display = self.mask(&rendered.display);
        self.screen.blank();
        self.screen.command(&display, "");
        if let Some(rollback) = &step.rollback {
            let shown = render::script(&rollback.value, &self.state.context(None), &shell)
                .map_or_else(|_| rollback.value.clone(), |r| r.display);
            let shown = self.mask(&shown);
            let first = shown.lines().next().unwrap_or("");
            let more = if shown.trim_end().lines().count() > 1 {
                " …"
            } else {
                ""
            };
            self.screen.line(&format!("  rollback: {first}{more}"));
        }
        self.screen.blank();
        // Confirmation: a dangerous step needs its phrase typed (or --confirm STEP).
        let mut script = rendered.script.clone();
        let mut values = rendered.env.clone();
        let mut edited = false;
        if step.is_dangerous() {
            if let Some(flow) = self.dangerous_gate(step, started)? {
                return Ok(flow);
            }
        } else {
            match self.ask(&Question::RunCommand {
                step: step.id(),
                command: display.clone(),
            })? {
                Answer::Run | Answer::Done => {}
                Answer::Skip(reason) => return self.skipped(step, started, reason),
                Answer::Edit(new) => {
                    script = new;
                    values.clear();
                    edited = true;
                }
                Answer::Abort => {
                    return self.aborted(step, started, "aborted before the command ran");
                }
                _ => {}
            }
        }
        let retries = step.retries.as_ref().map_or(0, |r| r.value.max(0) as u32);
        let delay = step
            .retry_delay
            .as_ref()
            .and_then(|d| parse_duration(&d.value).ok())
            .unwrap_or(Duration::from_secs(5));
        let mut attempt = 1;
        loop {
            let shown = if edited {
                self.mask(&script)
            } else {
                display.clone()
            };
            let ran = self.execute(step, &shell, &script, &values, &shown, attempt, edited)?;
            if ran.ok {
                match self.collect(step, &ran.outcome, ran.dry) {
                    Ok(values) => {
                        for (name, value) in values {
                            self.set_var(&step.id(), &name, value)?;
                        }
                        if ran.dry {
                            self.tally.not_run += 1;
                        } else {
                            self.tally.ran += 1;
                        }
                        self.remember_rollback(step, &shell);
                        return self.done(step, started, exit_code(&ran.outcome.exit), Flow::Next);
                    }
                    Err(problem) => {
                        self.screen.status(Status::Failed, &problem);
                        return self.failed(
                            step,
                            started,
                            exit_code(&ran.outcome.exit),
                            problem,
                            failed,
                            true,
                        );
                    }
                }
            }
            let problem = ran
                .problem
                .clone()
                .unwrap_or_else(|| describe(&ran.outcome.exit));
            if attempt <= retries && ran.outcome.exit != Exit::Interrupted {
                self.screen.status(
                    Status::Warning,
                    &format!("retry {attempt} of {retries} in {}", duration(delay)),
                );
                self.tally.retried += 1;
                self.record(Event::Retry {
                    step: step.id(),
                    attempt: attempt + 1,
                    automatic: true,
                })?;
                if self.sleep(delay) {
                    attempt += 1;
                    continue;
                }
            }
            let policy = step.on_failure.as_ref().map_or("ask", |p| p.as_str());
            if policy != "ask" && ran.outcome.exit != Exit::Interrupted {
                let exit = exit_code(&ran.outcome.exit);
                return self.failed(
                    step,
                    started,
                    exit,
                    problem,
                    failed,
                    ran.status != StepStatus::Timeout,
                );
            }
            // The failure menu.
            loop {
                let q = Question::Failure {
                    step: step.id(),
                    command: self.mask(&script_display(edited, &script, &display)),
                    summary: problem.clone(),
                };
                match self.ask(&q)? {
                    Answer::Retry => {
                        attempt += 1;
                        self.tally.retried += 1;
                        self.record(Event::Retry {
                            step: step.id(),
                            attempt,
                            automatic: false,
                        })?;
                        break;
                    }
                    Answer::Edit(new) => {
                        script = new;
                        values.clear();
                        edited = true;
                        attempt += 1;
                        break;
                    }
                    Answer::Shell => self.open_shell(step)?,
                    Answer::Skip(reason) => {
                        let exit = exit_code(&ran.outcome.exit);
                        return self.skipped_with(step, started, exit, reason, || {
                            format!("skipped after failure ({problem})")
                        });
                    }
                    _ => {
                        return self.abort_after(
                            step,
                            started,
                            (ran.status, exit_code(&ran.outcome.exit)),
                            problem,
                            failed,
                        );
                    }
                }
            }
        }
    }

    fn remember_rollback(&mut self, step: &Step, shell: &ShellKind) {
        let dir = self.dir_of(step).unwrap_or_else(|_| self.folder());
        if let Some(c) = completed_rollback(step, &self.state, shell, dir, &self.within) {
            self.completed.push(Completed {
                rollback: self.mask(&c.rollback),
                ..c
            });
        }
    }

    /// A dangerous step (of any kind) goes on only once its phrase is typed or `--confirm`
    /// gave it: `Some(flow)` when it does not (skipped, or the run aborted).
    fn dangerous_gate(&mut self, step: &Step, started: Instant) -> Result<Option<Flow>, ExecError> {
        match self.confirm_dangerous(step)? {
            Confirmed::Yes => Ok(None),
            Confirmed::Skip => self
                .skipped(
                    step,
                    started,
                    "the confirmation phrase was not typed".into(),
                )
                .map(Some),
            Confirmed::Abort => self
                .aborted(step, started, "aborted at the confirmation")
                .map(Some),
        }
    }

    fn confirm_dangerous(&mut self, step: &Step) -> Result<Confirmed, ExecError> {
        let ctx = self.state.context(None);
        let phrase = step
            .confirm
            .as_ref()
            .map(|c| render::text(&c.value, &ctx).unwrap_or_else(|_| c.value.clone()))
            .unwrap_or_else(|| step.id());
        if self.mode == Mode::DryRun && self.assume_yes {
            self.screen.status(
                Status::Warning,
                &format!("dangerous: a real run needs the phrase `{phrase}`"),
            );
            return Ok(Confirmed::Yes);
        }
        loop {
            let q = Question::Dangerous {
                step: step.id(),
                phrase: phrase.clone(),
                rollback: false,
            };
            let typed = match self.ask(&q)? {
                Answer::Text(t) => t,
                Answer::Abort => return Ok(Confirmed::Abort),
                _ => String::new(),
            };
            if typed.trim().is_empty() {
                self.record(Event::Confirmation {
                    step: step.id(),
                    phrase: phrase.clone(),
                    accepted: false,
                    by: "typed".into(),
                })?;
                return Ok(Confirmed::Skip);
            }
            let accepted = typed.trim() == phrase.trim();
            let by = if self.operator.interactive() {
                "typed"
            } else {
                "flag"
            };
            self.record(Event::Confirmation {
                step: step.id(),
                phrase: phrase.clone(),
                accepted,
                by: by.into(),
            })?;
            if accepted {
                return Ok(Confirmed::Yes);
            }
            self.screen.status(
                Status::Warning,
                &format!("that is not the phrase: type `{phrase}` exactly, or nothing to skip"),
            );
        }
    }

    /// Runs one command, with its header line, live output, log and status line.
    #[allow(clippy::too_many_arguments)]
    fn execute(
        &mut self,
        step: &Step,
        shell: &ShellKind,
        script: &str,
        values: &[(String, String)],
        shown: &str,
        attempt: u32,
        edited: bool,
    ) -> Result<Ran, ExecError> {
        let id = step.id();
        let mut env = match self.step_env(step) {
            Ok(env) => env,
            Err(e) => {
                let problem = format!("cannot render the step's env: {e}");
                self.screen.status(Status::Failed, &problem);
                return Ok(Ran {
                    outcome: Outcome {
                        exit: Exit::NotStarted(e.to_string()),
                        duration: Duration::ZERO,
                        stdout: Default::default(),
                        stderr: Default::default(),
                    },
                    ok: false,
                    problem: Some(problem),
                    status: StepStatus::Failed,
                    dry: false,
                });
            }
        };
        env.extend(values.iter().cloned());
        let timeout = step
            .timeout
            .as_ref()
            .and_then(|t| parse_duration(&t.value).ok());
        if self.dry_run_skips(step) {
            self.record(Event::Command {
                step: id.clone(),
                command: shown.to_string(),
                attempt,
                edited,
                purpose: None,
                log: None,
            })?;
            self.screen.status(Status::Skipped, "not run (dry-run)");
            self.record(Event::CommandFinished {
                step: id.clone(),
                exit_code: None,
                outcome: "not run (dry-run)".into(),
                duration_ms: 0,
            })?;
            return Ok(Ran {
                outcome: Outcome {
                    exit: Exit::Code(0),
                    duration: Duration::ZERO,
                    stdout: Default::default(),
                    stderr: Default::default(),
                },
                ok: true,
                problem: None,
                status: StepStatus::Ok,
                dry: true,
            });
        }
        // Where the step may write variables for later steps. Not created here: a command
        // that writes to them creates them (inside the private run folder), and most don't.
        let files = self
            .journal
            .dir()
            .join(format!(".io-{}", self.journal.next_seq()));
        let env_file = files.with_extension("env");
        let out_file = files.with_extension("out");
        env.push(("RUNBOOK_ENV".into(), env_file.display().to_string()));
        env.push(("RUNBOOK_OUTPUT".into(), out_file.display().to_string()));
        let spec = CommandSpec {
            argv: argv(shell, script),
            env,
            dir: self.dir_of(step).unwrap_or_else(|_| self.folder()),
            timeout,
            simulated: self.simulated(step),
        };
        let outcome = self.run_journaled(
            Journaled {
                step: &id,
                shown,
                attempt,
                edited,
                purpose: None,
                show: true,
                label: "running",
            },
            &spec,
        )?;
        // What the step wrote for later steps; read even when it failed, then removed.
        let env_text = take_file(&env_file);
        let out_text = take_file(&out_file);
        let expected: Vec<i32> = step
            .expect
            .as_ref()
            .filter(|e| !e.exit.is_empty())
            .map_or(vec![0], |e| e.exit.iter().map(|c| c.value as i32).collect());
        let mut problem = None;
        let mut status = StepStatus::Ok;
        match &outcome.exit {
            Exit::Code(c) if expected.contains(c) => {}
            Exit::Code(c) => {
                problem = Some(if expected == [0] {
                    format!("exit {c}")
                } else {
                    format!("exit {c}, expected {expected:?}")
                });
                status = StepStatus::Failed;
            }
            Exit::TimedOut => {
                problem = Some(format!(
                    "timed out after {}",
                    timeout.map_or_else(String::new, duration)
                ));
                status = StepStatus::Timeout;
            }
            Exit::Interrupted => {
                problem = Some(self.interrupted());
                status = StepStatus::Interrupted;
            }
            other => {
                problem = Some(describe(other));
                status = StepStatus::Failed;
            }
        }
        if problem.is_none()
            && let Some(pattern) = step.expect.as_ref().and_then(|e| e.stdout.as_ref())
        {
            match regex::Regex::new(&pattern.value) {
                Ok(re) if re.is_match(&outcome.stdout.text) => {}
                Ok(_) => {
                    problem = Some(format!("the output does not match `{}`", pattern.value));
                    status = StepStatus::Failed;
                }
                Err(_) => {
                    problem = Some(format!(
                        "`expect.stdout` `{}` is not a valid regex",
                        pattern.value
                    ));
                    status = StepStatus::Failed;
                }
            }
        }
        if problem.is_none() {
            let known: Vec<&str> = self
                .state
                .inputs
                .values()
                .filter_map(|v| match v {
                    InputValue::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .chain(self.state.vars.values().map(String::as_str))
                .chain(self.state.env.values().map(String::as_str))
                .chain(values.iter().map(|(_, v)| v.as_str()))
                .filter(|v| v.contains('\n'))
                .collect();
            let written = (
                parse_assignments(&env_text)
                    .and_then(|env| whole_values(&env_text, &known).map(|()| env))
                    .and_then(|env| self.allowed_env(env)),
                parse_assignments(&out_text)
                    .and_then(|out| whole_values(&out_text, &known).map(|()| out)),
            );
            match written {
                (Ok(env), Ok(out)) => {
                    for (name, value) in env {
                        self.set_env(&id, &name, value)?;
                    }
                    for (name, value) in out {
                        self.set_var(&id, &name, value)?;
                    }
                }
                (Err(e), _) => {
                    problem = Some(format!(
                        "what the step wrote to $RUNBOOK_ENV is not used: {e}"
                    ))
                }
                (_, Err(e)) => {
                    problem = Some(format!(
                        "what the step wrote to $RUNBOOK_OUTPUT is not used: {e}"
                    ))
                }
            }
            if problem.is_some() {
                status = StepStatus::Failed;
            }
        }
        let took = duration(outcome.duration);
        let line = match &problem {
            None => format!(
                "{} · {took} · {}",
                describe(&outcome.exit),
                super::screen::clock()
            ),
            Some(p) => format!("{p} · {took} · {}", super::screen::clock()),
        };
        self.screen.status(
            if problem.is_none() {
                Status::Ok
            } else {
                Status::Failed
            },
            &line,
        );
        let ok = problem.is_none();
        Ok(Ran {
            outcome,
            ok,
            problem,
            status,
            dry: false,
        })
    }

    /// Stores `capture` after a successful command. Errs when the pattern does not match.
    fn collect(
        &mut self,
        step: &Step,
        outcome: &Outcome,
        dry: bool,
    ) -> Result<Vec<(String, String)>, String> {
        if dry {
            // Nothing ran: later steps show named placeholders where the values would be.
            let names = step
                .capture
                .iter()
                .map(|c| c.var.value.clone())
                .chain(step.outputs.iter().map(|o| o.value.clone()));
            return Ok(names
                .map(|name| (name.clone(), format!("<{name}>")))
                .collect());
        }
        let Some(capture) = &step.capture else {
            return Ok(Vec::new());
        };
        let source = match capture.from {
            CaptureFrom::Stdout => &outcome.stdout,
            CaptureFrom::Stderr => &outcome.stderr,
        };
        let value = match &capture.pattern {
            None => source.text.trim().to_string(),
            Some(pattern) => {
                let re = regex::Regex::new(&pattern.value)
                    .map_err(|e| format!("invalid capture pattern: {e}"))?;
                re.captures(&source.text)
                    .and_then(|c| c.get(1).or_else(|| c.get(0)))
                    .map(|m| m.as_str().trim().to_string())
                    .ok_or_else(|| {
                        format!(
                            "the output does not match the capture pattern `{}`",
                            pattern.value
                        )
                    })?
            }
        };
        let note = if source.truncated {
            " (from the first 1 MiB of output only)"
        } else {
            ""
        };
        self.screen.status(
            Status::Info,
            &format!("vars.{} captured{note}", capture.var.value),
        );
        Ok(vec![(capture.var.value.clone(), value)])
    }

    /// Sleeps, waking for Ctrl-C. Returns false when interrupted.
    fn sleep(&mut self, d: Duration) -> bool {
        let until = Instant::now() + d;
        while Instant::now() < until {
            if self.interrupt.swap(false, Ordering::SeqCst) {
                return false;
            }
            // SIGTERM or SIGHUP during a pause ends the run here (see `signals`).
            super::signals::end_if_pending();
            std::thread::sleep(
                Duration::from_millis(50).min(until.saturating_duration_since(Instant::now())),
            );
        }
        true
    }

    /// `$SHELL` in the step's folder with the run's environment (a deviation, journaled).
    fn open_shell(&mut self, step: &Step) -> Result<(), ExecError> {
        let program = std::env::var("SHELL").unwrap_or_else(|_| "/bin/sh".into());
        let dir = self.dir_of(step).unwrap_or_else(|_| self.folder());
        let env = self.step_env(step).unwrap_or_default();
        self.screen.line(&format!(
            "  opening {program} in {} · exit to come back",
            dir.display()
        ));
        let status = std::process::Command::new(&program)
            .current_dir(&dir)
            .envs(env)
            .status();
        let code = status.as_ref().ok().and_then(|s| s.code());
        if let Err(e) = &status {
            self.screen
                .status(Status::Failed, &format!("cannot open {program}: {e}"));
        }
        self.interrupt.store(false, Ordering::SeqCst);
        self.record(Event::ShellOpened {
            step: step.id(),
            exit_code: code,
        })?;
        Ok(())
    }

    fn wait_step(
        &mut self,
        step: &Step,
        started: Instant,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        let Some(wait) = &step.wait else {
            return self.done(step, started, None, Flow::Next);
        };
        let wait = &wait.value;
        let (Some(run), Some(until)) = (&wait.run, &wait.until) else {
            return self.done(step, started, None, Flow::Next);
        };
        let shell = self.shell_of(step);
        let interval = wait
            .interval
            .as_ref()
            .and_then(|d| parse_duration(&d.value).ok())
            .unwrap_or(Duration::from_secs(5));
        let limit = wait
            .timeout
            .as_ref()
            .or(step.timeout.as_ref())
            .and_then(|d| parse_duration(&d.value).ok())
            .unwrap_or(Duration::from_secs(600));
        let rendered = match render::script(&run.value, &self.state.context(None), &shell) {
            Ok(r) => r,
            Err(e) => {
                self.screen
                    .status(Status::Failed, &format!("cannot render the command: {e}"));
                return self.failed(
                    step,
                    started,
                    None,
                    format!("cannot render the command: {e}"),
                    failed,
                    true,
                );
            }
        };
        let display = self.mask(&rendered.display);
        self.screen.blank();
        self.screen.command(&display, "");
        self.screen.line(&format!(
            "  until {} · every {} · at most {}",
            until.value,
            duration(interval),
            duration(limit)
        ));
        self.screen.blank();
        if step.is_dangerous() {
            if let Some(flow) = self.dangerous_gate(step, started)? {
                return Ok(flow);
            }
        } else {
            match self.ask(&Question::RunCommand {
                step: step.id(),
                command: display.clone(),
            })? {
                Answer::Skip(reason) => return self.skipped(step, started, reason),
                Answer::Abort => return self.aborted(step, started, "aborted before waiting"),
                _ => {}
            }
        }
        if self.dry_run_skips(step) {
            self.screen.status(
                Status::Skipped,
                &format!("not run (dry-run): would wait until {}", until.value),
            );
            self.tally.not_run += 1;
            return self.done(step, started, None, Flow::Next);
        }
        let began = Instant::now();
        let mut checks = 0;
        loop {
            checks += 1;
            // A check may take what is left of the wait's time (at least a second), no more.
            let left = limit
                .saturating_sub(began.elapsed())
                .max(Duration::from_secs(1));
            let outcome = self.poll(step, &shell, &rendered, &display, checks, left)?;
            let output = outcome.stdout.text.trim().to_string();
            let last = self.mask(output.lines().last().unwrap_or(""));
            let met = match (
                &outcome.exit,
                render::condition(&until.value, &self.state.context(Some(&output))),
            ) {
                (Exit::Code(0), Ok(met)) => met,
                (Exit::Interrupted, _) => {
                    let problem = self.interrupted();
                    self.screen.status(Status::Failed, &problem);
                    return self.wait_failed(step, started, problem, failed);
                }
                (_, Err(e)) => {
                    self.screen
                        .status(Status::Warning, &format!("check {checks}: {e}"));
                    false
                }
                (exit, _) => {
                    self.screen.status(
                        Status::Warning,
                        &format!("check {checks}: {}", describe(exit)),
                    );
                    false
                }
            };
            let spent = began.elapsed();
            if !met && self.mode == Mode::Drill {
                let problem = format!(
                    "`{}` is false for the simulated output ({last}): in the real incident, the wait would time out",
                    until.value
                );
                self.screen.status(Status::Failed, &problem);
                return self.wait_failed(step, started, problem, failed);
            }
            if met {
                self.screen.spinner_stop();
                self.screen.status(
                    Status::Ok,
                    &format!(
                        "condition met after {checks} check{} · {}",
                        if checks == 1 { "" } else { "s" },
                        clock_of(spent)
                    ),
                );
                self.tally.ran += 1;
                return self.done(step, started, Some(0), Flow::Next);
            }
            // The last check is at the deadline: the wait gives up only once its time is spent.
            if spent >= limit {
                self.screen.spinner_stop();
                let problem = format!(
                    "`{}` still false after {} ({checks} checks, last {last})",
                    until.value,
                    duration(spent)
                );
                self.screen.status(Status::Failed, &problem);
                return self.wait_failed(step, started, problem, failed);
            }
            let line = format!(
                "until {} · check {checks} · last {last} · {} of {}",
                until.value,
                clock_of(spent),
                clock_of(limit)
            );
            self.screen.spinner_start(&line);
            if !self.sleep(interval.min(limit.saturating_sub(spent))) {
                self.screen.spinner_stop();
                let problem = self.interrupted();
                self.screen.status(Status::Failed, &problem);
                return self.wait_failed(step, started, problem, failed);
            }
        }
    }

    /// Ends the run after a failed step, at the operator's word (the failure menu's abort)
    /// or, without a terminal, because of the failure itself, which `failed` then keeps.
    fn abort_after(
        &mut self,
        step: &Step,
        started: Instant,
        (status, exit): (StepStatus, Option<i32>),
        problem: String,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        let by_operator = self.operator.interactive();
        let reason = if by_operator {
            format!(
                "aborted by the operator after step `{}` failed ({problem})",
                step.id()
            )
        } else {
            format!("step `{}` failed: {problem}", step.id())
        };
        if !by_operator {
            *failed = Some(reason.clone());
        }
        self.finish(
            step,
            started,
            status,
            exit,
            Some(problem),
            Flow::Abort {
                by_operator,
                reason,
            },
        )
    }

    /// What stopped a command that was interrupted. Ctrl-C opens the failure menu; with no
    /// terminal to show it on, the run ends as interrupted (exit 130), journaled.
    fn interrupted(&self) -> String {
        match super::signals::pending() {
            Some(signal) => format!("interrupted ({})", super::signals::name(signal)),
            None if !self.operator.interactive() => super::signals::end_interrupted(),
            None => "interrupted (Ctrl-C)".into(),
        }
    }

    /// A wait that did not end well: the failure menu (retry waits again), or the policy.
    fn wait_failed(
        &mut self,
        step: &Step,
        started: Instant,
        problem: String,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        self.failed(step, started, None, problem, failed, false)
    }

    /// One check of a wait: the command runs without streaming; its output goes to the log.
    /// A check that hangs is ended at `timeout` (what is left of the wait's time).
    fn poll(
        &mut self,
        step: &Step,
        shell: &ShellKind,
        rendered: &render::Script,
        display: &str,
        check: u32,
        timeout: Duration,
    ) -> Result<Outcome, ExecError> {
        let mut env = self.step_env(step).unwrap_or_default();
        env.extend(rendered.env.iter().cloned());
        let spec = CommandSpec {
            argv: argv(shell, &rendered.script),
            env,
            dir: self.dir_of(step).unwrap_or_else(|_| self.folder()),
            timeout: Some(timeout),
            simulated: self.simulated(step),
        };
        let id = step.id();
        self.run_journaled(
            Journaled {
                step: &id,
                shown: display,
                attempt: check,
                edited: false,
                purpose: Some("wait"),
                show: false,
                label: "checking",
            },
            &spec,
        )
    }

    fn sub_runbook(
        &mut self,
        step: &Step,
        started: Instant,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        let Some(reference) = &step.runbook else {
            return self.done(step, started, None, Flow::Next);
        };
        if step.is_dangerous()
            && let Some(flow) = self.dangerous_gate(step, started)?
        {
            return Ok(flow);
        }
        let folder = self.folder();
        let loaded = crate::load::find::resolve(&reference.value, Some(&folder))
            .map_err(|e| e.to_string())
            .and_then(|path| {
                let loaded = crate::load::load_path(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                let errors = (self.check)(&path, &loaded.source.text);
                match (loaded.runbook, errors) {
                    (Some(rb), 0) => Ok((path, rb)),
                    _ => Err(format!(
                        "`{}` has errors: run `runbook lint {}`",
                        path.display(),
                        path.display()
                    )),
                }
            });
        let (path, sub) = match loaded {
            Ok(found) => found,
            Err(problem) => {
                self.screen.status(Status::Failed, &problem);
                return self.failed(step, started, None, problem, failed, true);
            }
        };
        let ctx = self.state.context(None);
        let mut given = std::collections::BTreeMap::new();
        for (k, v) in &step.with {
            match render::text(&v.value, &ctx) {
                Ok(value) => {
                    given.insert(k.value.clone(), value);
                }
                Err(e) => {
                    let problem = format!("cannot render `with.{}`: {e}", k.value);
                    self.screen.status(Status::Failed, &problem);
                    return self.failed(step, started, None, problem, failed, true);
                }
            }
        }
        let inputs = match super::inputs::resolve(&sub, &given, &mut *self.operator) {
            Ok(inputs) => inputs,
            Err(super::inputs::InputError::Ask(e)) => return Err(ask_error(e)),
            Err(e) => {
                let problem = e.to_string();
                self.screen.status(Status::Failed, &problem);
                return self.failed(step, started, None, problem, failed, true);
            }
        };
        let title = sub
            .title
            .as_ref()
            .map_or_else(|| reference.value.clone(), |t| t.value.clone());
        self.screen
            .line(&format!("  runbook {} · {title}", reference.value));
        let mut state = RunState {
            inputs,
            run_id: self.state.run_id.clone(),
            operator: self.state.operator.clone(),
            mode: self.state.mode.clone(),
            ..Default::default()
        };
        for input in &sub.inputs {
            if input.secret
                && let Some(v) = state.inputs.get(&input.name.value)
            {
                self.add_secret(&v.text());
            }
            if let (Some(env), Some(v)) = (&input.env, state.inputs.get(&input.name.value)) {
                Arc::make_mut(&mut state.env).insert(env.value.clone(), v.text());
            }
        }
        let sub_ctx = state.context(None);
        for (k, v) in &sub.env {
            if let Ok(value) = render::text(&v.value, &sub_ctx) {
                Arc::make_mut(&mut state.env).insert(k.value.clone(), value);
            }
        }
        let graph = StepGraph::build(&sub);
        self.journal.within.push(step.id());
        let result = {
            let mut nested = Executor {
                runbook: &sub,
                path: &path,
                graph,
                mode: self.mode,
                operator: &mut *self.operator,
                shell: &mut *self.shell,
                journal: &mut *self.journal,
                screen: &mut *self.screen,
                state,
                secrets: self.secrets.clone(),
                masker: Masker::new(&self.secrets),
                interrupt: self.interrupt.clone(),
                completed: Vec::new(),
                tally: Tally::default(),
                allow_readonly: self.allow_readonly,
                assume_yes: self.assume_yes,
                unsimulated: Vec::new(),
                check: self.check,
                within: {
                    let mut w = self.within.clone();
                    w.push(reference.value.clone());
                    w
                },
            };
            let result = nested.walk(0);
            self.completed.extend(nested.completed);
            for id in nested.unsimulated {
                self.unsimulated.push(format!("{}/{id}", reference.value));
            }
            let t = nested.tally;
            self.tally.ran += t.ran;
            self.tally.not_run += t.not_run;
            self.tally.skipped += t.skipped;
            self.tally.failed += t.failed;
            self.tally.retried += t.retried;
            self.tally.decisions.extend(t.decisions);
            result
        };
        self.journal.within.pop();
        let result = result?;
        match result.status {
            RunStatus::Succeeded => {
                self.screen
                    .status(Status::Ok, &format!("runbook {} done", reference.value));
                self.done(step, started, None, Flow::Next)
            }
            RunStatus::Aborted => {
                let reason = result.reason.unwrap_or_else(|| "aborted".into());
                self.finish(
                    step,
                    started,
                    StepStatus::Failed,
                    None,
                    Some(reason.clone()),
                    Flow::Abort {
                        by_operator: true,
                        reason,
                    },
                )
            }
            _ => {
                let problem = format!(
                    "runbook {} failed: {}",
                    reference.value,
                    result.reason.unwrap_or_default()
                );
                self.screen.status(Status::Failed, &problem);
                self.failed(step, started, None, problem, failed, true)
            }
        }
    }

    /// After an abort: the rollbacks of completed steps, newest first, each confirmed.
    pub fn offer_rollbacks(&mut self) -> Result<(), ExecError> {
        if self.completed.is_empty() || !self.within.is_empty() {
            return Ok(());
        }
        let completed: Vec<Completed> = self.completed.drain(..).rev().collect();
        self.screen.rule(&format!(
            "rollback · {} step{} can be undone",
            completed.len(),
            if completed.len() == 1 { "" } else { "s" }
        ));
        for c in completed {
            self.rollback_one(&c)?;
        }
        Ok(())
    }

    pub fn rollback_one(&mut self, c: &Completed) -> Result<(), ExecError> {
        self.screen.blank();
        self.screen.line(&format!("rollback of {}", c.step));
        self.screen.command(&self.mask(&c.rollback), "");
        let answer = if c.dangerous {
            let q = Question::Dangerous {
                step: c.step.clone(),
                phrase: c.confirm.clone(),
                rollback: true,
            };
            match self.ask(&q)? {
                Answer::Text(t) if t.trim() == c.confirm.trim() => Answer::Run,
                Answer::Text(t) if t.trim().is_empty() => {
                    Answer::Skip("the confirmation phrase was not typed".into())
                }
                Answer::Text(_) => Answer::Skip("the confirmation phrase did not match".into()),
                other => other,
            }
        } else {
            self.ask(&Question::Rollback {
                step: c.step.clone(),
                command: self.mask(&c.rollback),
            })?
        };
        let answer = match answer {
            Answer::Run | Answer::Done if self.mode == Mode::DryRun => {
                Answer::Skip("not run (dry-run)".into())
            }
            other => other,
        };
        match answer {
            Answer::Run | Answer::Done => {
                let mut env: Vec<(String, String)> = self
                    .state
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                env.push(("RUNBOOK_RUN_ID".into(), self.state.run_id.clone()));
                env.push(("RUNBOOK_STEP".into(), c.step.clone()));
                env.extend(c.values.iter().cloned());
                let spec = CommandSpec {
                    argv: argv(&c.shell, &c.script),
                    env,
                    dir: c.dir.clone(),
                    timeout: None,
                    simulated: None,
                };
                let shown = self.mask(&c.rollback);
                let outcome = self.run_journaled(
                    Journaled {
                        step: &c.step,
                        shown: &shown,
                        attempt: 1,
                        edited: false,
                        purpose: Some("rollback"),
                        show: true,
                        label: "rolling back",
                    },
                    &spec,
                )?;
                let ok = outcome.exit == Exit::Code(0);
                let status = if ok {
                    StepStatus::Ok
                } else {
                    StepStatus::Failed
                };
                self.screen.status(
                    if ok { Status::Ok } else { Status::Failed },
                    &format!(
                        "rollback of {}: {} · {}",
                        c.step,
                        describe(&outcome.exit),
                        duration(outcome.duration)
                    ),
                );
                self.record(Event::Rollback {
                    step: c.step.clone(),
                    command: self.mask(&c.rollback),
                    status,
                    exit_code: exit_code(&outcome.exit),
                })?;
            }
            _ => {
                self.screen
                    .status(Status::Skipped, &format!("rollback of {} not run", c.step));
                self.record(Event::Rollback {
                    step: c.step.clone(),
                    command: self.mask(&c.rollback),
                    status: StepStatus::Skipped,
                    exit_code: None,
                })?;
            }
        }
        Ok(())
    }
}

enum Confirmed {
    Yes,
    Skip,
    Abort,
}

fn script_display(edited: bool, script: &str, display: &str) -> String {
    if edited {
        script.to_string()
    } else {
        display.to_string()
    }
}

fn ask_error(e: AskError) -> ExecError {
    match e {
        AskError::NoAnswer { what, help } => ExecError::NoAnswer { what, help },
        AskError::Interrupted => ExecError::Terminal("interrupted".into()),
        AskError::Terminal(t) => ExecError::Terminal(t),
    }
}
