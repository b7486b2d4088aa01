//! The [`Executor`]: the state machine that walks a runbook's step graph. It talks only to an
//! [`Operator`] (who answers), a [`Shell`] (which runs commands), a [`Screen`] (what is shown)
//! and the [`Journal`] (what is recorded, before the next action begins).

pub use super::completed::{Completed, completed_rollback};
use super::journal::{Event, Journal, JournalError, Mode, RunStatus, StepStatus};
use super::mask::Masker;
use super::operator::{Answer, AskError, Operator, Question};
use super::render::{self, RenderError};
use super::screen::{Screen, Status};
use super::shell::Shell;
use super::state::RunState;
pub use super::tally::Tally;
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::{Runbook, Shell as ShellKind, Step, StepKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

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
pub(crate) enum Flow {
    /// Go on along the step's default edge.
    Next,
    /// Go to a target (a decision, `on_failure: <step>`).
    Jump(Target),
    /// Run the same step again from its start, in the same visit (the failure menu's retry).
    Retry,
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

/// The result of a walk.
pub struct WalkResult {
    pub status: RunStatus,
    pub reason: Option<String>,
}

/// The executor is three parts and three collaborators, each given to the code that needs
/// it: what the walk is ([`RunConfig`], read-only), what is recorded and shown ([`Output`]:
/// the journal and the screen, with the masking of secrets), and what the walk has done so
/// far ([`Progress`]); the [`Operator`] answers, the [`Shell`] runs commands.
pub struct Executor<'a> {
    pub cfg: RunConfig<'a>,
    pub out: Output<'a>,
    pub progress: Progress,
    pub operator: &'a mut dyn Operator,
    pub shell: &'a mut dyn Shell,
    pub interrupt: Arc<AtomicBool>,
}

/// What a walk is: the runbook, its graph, the mode and the flags. Never changes during it.
pub struct RunConfig<'a> {
    pub runbook: &'a Runbook,
    pub path: &'a Path,
    pub graph: StepGraph,
    pub mode: Mode,
    /// `--allow-readonly` in a dry-run: steps marked `readonly` run for real.
    pub allow_readonly: bool,
    /// `--yes` in a dry-run also passes dangerous steps (nothing runs).
    pub assume_yes: bool,
    /// Sub-runbook nesting, outermost first (`notify`), for positions on screen.
    pub within: Vec<String>,
    /// How many errors lint finds in a sub-runbook's text, checked before it runs. Given by
    /// the command (the executor does not depend on lint).
    pub check: CheckRunbook,
}

/// What is recorded and shown: every event goes to the journal (before the next action
/// begins) and every text to the screen, through the masking of the secrets known so far.
pub struct Output<'a> {
    pub journal: &'a mut Journal,
    pub screen: &'a mut Screen,
    pub secrets: Vec<String>,
    pub masker: Masker,
}

/// What the walk has done so far.
#[derive(Default)]
pub struct Progress {
    /// Inputs, `vars`, outputs and the environment steps leave for later steps.
    pub state: RunState,
    /// The steps that succeeded, newest last, for rollbacks.
    pub completed: Vec<Completed>,
    pub tally: Tally,
    /// In a drill: the steps that had no `simulate` and were treated as succeeded.
    pub unsimulated: Vec<String>,
    /// How many times each step (by index) was entered.
    pub visits: Vec<u32>,
    /// In a dry-run: what is not known because a step did not run (`vars.count`,
    /// `steps.check`): a `when` that reads it cannot be decided.
    pub unknown: std::collections::BTreeSet<String>,
    /// The `remind` of each step done so far: (step, title, every, last reminded).
    pub reminders: Vec<(String, String, std::time::Duration, Instant)>,
    /// The step with `for_each` being walked: its index, its items, the one being run.
    pub iteration: Option<(usize, Vec<String>, usize)>,
    /// Why the items of a step with `for_each` could not be read.
    pub iteration_error: Option<String>,
    /// On resume: the items of a step with `for_each` that already succeeded in the visit
    /// the run stopped in (they are not run again).
    pub done_items: std::collections::BTreeMap<String, Vec<String>>,
}

impl<'a> Output<'a> {
    pub fn new(journal: &'a mut Journal, screen: &'a mut Screen, secrets: Vec<String>) -> Self {
        let masker = Masker::new(&secrets);
        Output {
            journal,
            screen,
            secrets,
            masker,
        }
    }

    /// The same journal and screen, for a sub-runbook's walk.
    pub fn reborrow(&mut self) -> Output<'_> {
        Output::new(self.journal, self.screen, self.secrets.clone())
    }

    pub(crate) fn record(&mut self, event: Event) -> Result<u64, ExecError> {
        Ok(self.journal.append(event)?)
    }

    pub(crate) fn mask(&self, text: &str) -> String {
        self.masker.mask_str(text)
    }

    pub(crate) fn add_secret(&mut self, value: &str) {
        if !value.is_empty() && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_string());
            self.masker = Masker::new(&self.secrets);
        }
    }
}

impl Progress {
    pub fn new(state: RunState) -> Self {
        Progress {
            state,
            ..Default::default()
        }
    }

    /// Takes in what a sub-runbook's walk did (`reference`: how its steps are named here).
    pub(crate) fn absorb(&mut self, sub: Progress, reference: &str) {
        self.completed.extend(sub.completed);
        for id in sub.unsimulated {
            self.unsimulated.push(format!("{reference}/{id}"));
        }
        let t = sub.tally;
        self.tally.ran += t.ran;
        self.tally.not_run += t.not_run;
        self.tally.skipped += t.skipped;
        self.tally.failed += t.failed;
        self.tally.retried += t.retried;
        self.tally.decisions.extend(t.decisions);
        // A reminder set in a sub-runbook goes on for the rest of the run.
        self.reminders.extend(sub.reminders);
    }

    /// Sets `vars.NAME` and journals it (masked), so that a resume can rebuild it. A secret
    /// is masked everywhere from here on (and journaled as `***`).
    pub(crate) fn set_var(
        &mut self,
        out: &mut Output,
        step: &str,
        (name, secret): (&str, bool),
        value: String,
    ) -> Result<(), ExecError> {
        if secret {
            out.add_secret(&value);
        }
        out.record(Event::VarSet {
            step: step.to_string(),
            name: name.to_string(),
            value: out.mask(&value),
            secret,
        })?;
        Arc::make_mut(&mut self.state.vars).insert(name.to_string(), value);
        Ok(())
    }

    /// Sets an environment variable for later steps (`$RUNBOOK_ENV`) and journals it; a
    /// secret (`secret_env`) is masked everywhere from here on.
    pub(crate) fn set_env(
        &mut self,
        out: &mut Output,
        step: &str,
        (name, secret): (&str, bool),
        value: String,
    ) -> Result<(), ExecError> {
        if secret {
            out.add_secret(&value);
        }
        out.record(Event::EnvSet {
            step: step.to_string(),
            name: name.to_string(),
            value: out.mask(&value),
            secret,
        })?;
        Arc::make_mut(&mut self.state.env).insert(name.to_string(), value);
        Ok(())
    }
}

impl<'a> RunConfig<'a> {
    /// A walk of `runbook` (read from `path`) in `mode`, with no flags and not nested.
    pub fn new(runbook: &'a Runbook, path: &'a Path, mode: Mode, check: CheckRunbook) -> Self {
        RunConfig {
            runbook,
            path,
            graph: StepGraph::build(runbook),
            mode,
            allow_readonly: false,
            assume_yes: false,
            within: Vec::new(),
            check,
        }
    }

    /// Refuses what a step wrote to `$RUNBOOK_ENV` for a variable that only the runbook's own
    /// `env:` may set (`BASH_ENV`, `LD_PRELOAD`, …: see [`crate::values::PROTECTED_ENV`]).
    pub(crate) fn allowed_env(
        &self,
        env: Vec<(String, String)>,
    ) -> Result<Vec<(String, String)>, String> {
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

    /// The environment variables whose values the runbook writes out itself (an `env:` entry
    /// with no template, of the runbook or of `step`): its own text, not a value from outside.
    pub(crate) fn literal_env(&self, step: Option<&Step>) -> Vec<String> {
        self.runbook
            .env
            .iter()
            .chain(step.into_iter().flat_map(|s| s.env.iter()))
            .filter(|(_, v)| !v.value.contains("{{"))
            .map(|(k, _)| k.value.clone())
            .collect()
    }

    /// In a dry-run, nothing runs but the steps marked `readonly` with `--allow-readonly`.
    pub(crate) fn dry_run_skips(&self, step: &Step) -> bool {
        self.mode == Mode::DryRun
            && !(self.allow_readonly && step.readonly.as_ref().is_some_and(|r| r.value))
    }

    pub(crate) fn folder(&self) -> PathBuf {
        folder_of(self.path)
    }

    /// The working folder of a step: its `dir`, the runbook's `dir`, or the runbook's folder.
    pub(crate) fn dir_of(&self, step: &Step, state: &RunState) -> Result<PathBuf, RenderError> {
        let ctx = state.context(None);
        let dir = step.dir.as_ref().or(self.runbook.dir.as_ref());
        Ok(match dir {
            Some(d) => self.folder().join(render::text(&d.value, &ctx)?),
            None => self.folder(),
        })
    }

    pub(crate) fn shell_of(&self, step: &Step) -> ShellKind {
        step.shell
            .as_ref()
            .or(self.runbook.shell.as_ref())
            .map_or(ShellKind::Bash, |s| s.value.clone())
    }

    pub(crate) fn default_target(&self, i: usize) -> Target {
        self.graph
            .out_edges(i)
            .find(|e| matches!(e.kind, EdgeKind::Sequence | EdgeKind::Next))
            .map_or(Target::End, |e| e.to)
    }

    pub(crate) fn failure_target(&self, i: usize) -> Option<Target> {
        self.graph
            .out_edges(i)
            .find(|e| e.kind == EdgeKind::OnFailure)
            .map(|e| e.to)
    }

    pub(crate) fn position(&self, i: usize) -> String {
        let n = format!("{}/{}", i + 1, self.runbook.steps.len());
        match self.within.last() {
            Some(parent) => format!("{parent} › {n}"),
            None => n,
        }
    }
}

/// The items of a rendered `for_each`: a JSON list, or one item per non-empty line.
fn items_of(text: &str) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.starts_with('[')
        && let Ok(list) = serde_json::from_str::<Vec<serde_json::Value>>(trimmed)
    {
        return list
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect();
    }
    trimmed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
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
pub(crate) fn resolve_program(name: &str) -> String {
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

pub(crate) fn ask_error(e: AskError) -> ExecError {
    match e {
        AskError::NoAnswer { what, help } => ExecError::NoAnswer { what, help },
        AskError::Interrupted => ExecError::Terminal("interrupted".into()),
        AskError::Terminal(t) => ExecError::Terminal(t),
    }
}

impl<'a> Executor<'a> {
    pub(crate) fn ask(&mut self, q: &Question) -> Result<Answer, ExecError> {
        loop {
            self.out.screen.spinner_stop();
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

    /// Walks the runbook from `start` to `end`.
    pub fn walk(&mut self, start: usize) -> Result<WalkResult, ExecError> {
        let mut at = if start < self.cfg.runbook.steps.len() {
            Target::Step(start)
        } else {
            Target::End
        };
        let mut failed = None;
        let mut retry = false;
        while let Target::Step(i) = at {
            if !retry && let Some(stop) = self.enter(i) {
                self.offer_rollbacks()?;
                return Ok(stop);
            }
            if !retry {
                self.begin_items(i);
            }
            let flow = self.step(i, &mut failed)?;
            retry = matches!(flow, Flow::Retry);
            // `for_each`: the next item, in the same visit.
            if let Some((step, items, k)) = &mut self.progress.iteration
                && *step == i
            {
                if matches!(flow, Flow::Next) && *k + 1 < items.len() {
                    *k += 1;
                    self.progress.state.item = Some(items[*k].clone());
                    retry = true;
                    at = Target::Step(i);
                    continue;
                }
                if !retry {
                    self.progress.iteration = None;
                    self.progress.state.item = None;
                }
            }
            at = match flow {
                Flow::Next => self.cfg.default_target(i),
                Flow::Jump(target) => target,
                Flow::Retry => Target::Step(i),
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

    /// Entering step `i` with `for_each`: reads its items (less those a resumed run already
    /// did) and sets the first as `{{ item }}`.
    fn begin_items(&mut self, i: usize) {
        let step = &self.cfg.runbook.steps[i];
        self.progress.iteration = None;
        self.progress.iteration_error = None;
        self.progress.state.item = None;
        if step.for_each.is_empty() && step.for_each_from.is_none() {
            return;
        }
        let ctx = self.progress.state.context(None);
        let items: Result<Vec<String>, String> = match &step.for_each_from {
            Some(from) => render::step_text(step, &from.value, &ctx)
                .map_err(|e| format!("`for_each` cannot be rendered: {e}"))
                .map(|text| items_of(&text)),
            None => step
                .for_each
                .iter()
                .map(|item| {
                    render::step_text(step, &item.value, &ctx)
                        .map_err(|e| format!("an item of `for_each` cannot be rendered: {e}"))
                })
                .collect(),
        };
        match items {
            Ok(mut items) => {
                if let Some(done) = self.progress.done_items.remove(&step.id()) {
                    items.retain(|item| !done.contains(item));
                }
                if let Some(first) = items.first() {
                    self.progress.state.item = Some(first.clone());
                    self.progress.iteration = Some((i, items, 0));
                }
            }
            Err(e) => self.progress.iteration_error = Some(e),
        }
    }

    /// Counts a visit of step `i` and tells the operator which visit it is; past the run's
    /// bound (`max_visits`), the run stops there, failed.
    fn enter(&mut self, i: usize) -> Option<WalkResult> {
        let steps = self.cfg.runbook.steps.len();
        let visits = &mut self.progress.visits;
        if visits.len() < steps {
            visits.resize(steps, 0);
        }
        visits[i] = visits[i].saturating_add(1);
        let visit = visits[i];
        let id = self.cfg.runbook.steps[i].id();
        let bound = self.cfg.runbook.max_visits();
        if visit > bound {
            let reason = format!(
                "step `{id}` was entered {visit} times: the run stopped a loop at the bound of {bound} visits (`max_visits`)"
            );
            self.out.screen.status(
                Status::Failed,
                &format!("{reason}; raise `max_visits` in the runbook if the loop is meant"),
            );
            return Some(WalkResult {
                status: RunStatus::Failed,
                reason: Some(reason),
            });
        }
        self.operator.visit(&id, visit);
        None
    }

    /// A duration field of a step (`timeout`, `duration`, `retry_delay`, `wait.interval`, …):
    /// rendered when it is a template (`"{{ inputs.wait }}"`), then read. The error says
    /// which field and what it held.
    pub(crate) fn duration_of(
        &self,
        key: &str,
        field: Option<&crate::load::Sp<String>>,
    ) -> Result<Option<std::time::Duration>, String> {
        let Some(field) = field else {
            return Ok(None);
        };
        let text = if field.value.contains("{{") {
            render::text(&field.value, &self.progress.state.context(None))
                .map_err(|e| format!("`{key}` cannot be rendered: {e}"))?
        } else {
            field.value.clone()
        };
        crate::load::duration::parse_duration(&text)
            .map(Some)
            .map_err(|why| format!("`{key}: {}` is not a duration ({why})", text.trim()))
    }

    /// Shows the reminders that are due (`remind:` of steps done earlier), and journals them.
    fn remind(&mut self, at: &str) -> Result<(), ExecError> {
        let now = Instant::now();
        let mut due = Vec::new();
        for (step, title, every, last) in &mut self.progress.reminders {
            if now.duration_since(*last) >= *every {
                *last = now;
                due.push((step.clone(), title.clone(), *every));
            }
        }
        for (step, title, every) in due {
            self.out.screen.status(
                Status::Warning,
                &format!(
                    "reminder (every {}, from step `{step}`): {title}",
                    crate::exec::screen::duration(every)
                ),
            );
            self.out.record(Event::Reminder {
                step: at.to_string(),
                about: step,
            })?;
        }
        Ok(())
    }

    /// A step skipped before it began (`when` false, no items), the reason shown.
    fn skip(&mut self, step: &Step, started: Instant, reason: String) -> Result<Flow, ExecError> {
        self.out
            .screen
            .status(Status::Skipped, &format!("skipped: {reason}"));
        self.finish(
            step,
            started,
            StepStatus::Skipped,
            None,
            Some(reason),
            Flow::Next,
        )
    }

    /// In a dry-run, the first name an expression reads that no step has made yet.
    pub(crate) fn unknown_in(&self, expression: &str) -> Option<String> {
        if self.progress.unknown.is_empty() {
            return None;
        }
        let analysis = crate::template::analyze_expression(expression);
        analysis.references.iter().find_map(|r| {
            let name = r.name()?;
            let key = format!("{}.{name}", r.namespace());
            self.progress.unknown.contains(&key).then(|| r.dotted())
        })
    }

    /// One step, from its header to `step_finished`.
    pub(crate) fn step(
        &mut self,
        i: usize,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        let runbook = self.cfg.runbook;
        let step = &runbook.steps[i];
        let id = step.id();
        let title = step.title.as_ref().map_or(id.clone(), |t| t.value.clone());
        let started = Instant::now();
        self.remind(&id)?;
        let position = match &self.progress.iteration {
            Some((_, items, k)) => {
                format!("{} · item {}/{}", self.cfg.position(i), k + 1, items.len())
            }
            None => self.cfg.position(i),
        };
        self.out
            .screen
            .step_header(&position, &id, &title, step.is_dangerous());
        let kind = step.kind().unwrap_or(StepKind::Manual);
        let item = self.progress.state.item.clone();
        self.out.record(Event::StepStarted {
            step: id.clone(),
            index: i,
            title: title.clone(),
            kind: kind.name().into(),
            item: item.clone(),
        })?;
        if let Some(item) = &item {
            let shown = self.out.mask(item);
            self.out
                .screen
                .status(Status::Info, &format!("item: {shown}"));
        } else if let Some(problem) = self.progress.iteration_error.take() {
            self.out.screen.status(Status::Failed, &problem);
            return self.failed(step, started, None, problem, failed, true);
        } else if !step.for_each.is_empty() || step.for_each_from.is_some() {
            return self.skip(step, started, "`for_each` has no items (left)".to_string());
        }
        if let Some(when) = &step.when {
            let unknown = self.unknown_in(&when.value);
            if let Some(name) = &unknown {
                self.out.screen.status(
                    Status::Info,
                    &format!(
                        "`when: {}` cannot be known in a dry-run: it reads `{name}`, which a step that did not run would have made; the step is shown",
                        when.value
                    ),
                );
            }
            let decided = if unknown.is_some() {
                Ok(true)
            } else {
                render::condition(&when.value, &self.progress.state.context(None))
            };
            match decided {
                Ok(true) => {}
                Ok(false) => {
                    return self.skip(step, started, format!("`when: {}` is false", when.value));
                }
                Err(_) if self.cfg.mode == Mode::DryRun => {
                    self.out.screen.status(
                        Status::Info,
                        &format!(
                            "`when: {}` cannot be known in a dry-run: the step is shown",
                            when.value
                        ),
                    );
                }
                Err(e) => {
                    self.out
                        .screen
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
            let shown = render::step_text(step, &text.value, &self.progress.state.context(None))
                .unwrap_or_else(|_| text.value.clone());
            let shown = self.out.mask(&shown);
            self.out.screen.markdown(&shown);
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
}
