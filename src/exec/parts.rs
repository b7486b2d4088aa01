//! The parts of an [`Executor`](super::executor::Executor), each handed to the code that
//! needs only it: [`RunConfig`] (what the walk is), [`Output`] (what is recorded and shown)
//! and [`Progress`] (what the walk has done so far).

use super::completed::Completed;
use super::journal::JournalError;
use super::journal::{Event, Journal, Mode};
use super::mask::Masker;
use super::render::RenderError;
use super::screen::Screen;
use super::state::RunState;
use super::step_dir::StepDir;
use super::tally::Tally;
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::{Runbook, Shell as ShellKind, Step};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// Another driver took the run over (the team store's lease): this process stops.
    #[error("the run was taken over by {by}")]
    TakenOver { by: String },
    /// Contact with the team store was lost and the operator chose to stop.
    #[error("contact with the team store was lost (last at {since}); the run was stopped")]
    StoppedAlone { since: String },
}

/// The folder of a runbook file, where its commands run and its sub-runbooks are found.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        // `runbook run ed.yaml`: the parent of a bare file name is the empty path.
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Counts the lint errors of a runbook's text at a path.
pub type CheckRunbook = fn(&Path, &str) -> usize;

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
    /// The run's lease in the team store, when there is one: looked at before each step.
    pub tether: Option<super::tether::Tether>,
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
    /// Items of that step done before a resume, left out of `iteration` but counted in what
    /// the screen shows (`item 3/3`).
    pub items_before: usize,
    /// After a resume: the secret environment variables made before it, which the journal
    /// does not keep (name, the step that made it). A step whose script reads one fails
    /// rather than run with it unset.
    pub lost_env: Vec<(String, String)>,
    /// Why the items of a step with `for_each` could not be read.
    pub iteration_error: Option<String>,
    /// On resume: the items of a step with `for_each` that already succeeded in the visit
    /// the run stopped in (they are not run again).
    pub done_items: std::collections::BTreeMap<String, Vec<String>>,
    /// On resume: the hosts where the step on several hosts the run stopped in already
    /// succeeded (they are not run again).
    pub hosts_done: std::collections::BTreeMap<String, Vec<(String, Option<String>)>>,
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
        self.set(out, step, (name, secret), value, false)
    }

    /// Sets `vars.NAME` to a map from host to value (`capture` on a step with `on:`), kept
    /// as JSON and read by templates as a map.
    pub(crate) fn set_var_map(
        &mut self,
        out: &mut Output,
        step: &str,
        (name, secret): (&str, bool),
        map: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), ExecError> {
        if secret {
            for value in map.values() {
                out.add_secret(value);
            }
        }
        let value = serde_json::to_string(map).unwrap_or_default();
        out.record(Event::VarSet {
            step: step.to_string(),
            name: name.to_string(),
            value: out.mask(&value),
            secret,
            map: true,
        })?;
        Arc::make_mut(&mut self.state.maps).insert(name.to_string());
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
        self.set(out, step, (name, secret), value, true)
    }

    fn set(
        &mut self,
        out: &mut Output,
        step: &str,
        (name, secret): (&str, bool),
        value: String,
        env: bool,
    ) -> Result<(), ExecError> {
        if secret {
            out.add_secret(&value);
        }
        let (step, name, masked) = (step.to_string(), name.to_string(), out.mask(&value));
        out.record(if env {
            Event::EnvSet {
                step,
                name: name.clone(),
                value: masked,
                secret,
            }
        } else {
            Event::VarSet {
                step,
                name: name.clone(),
                value: masked,
                secret,
                map: false,
            }
        })?;
        let map = if env {
            &mut self.state.env
        } else {
            &mut self.state.vars
        };
        if !env {
            Arc::make_mut(&mut self.state.maps).remove(&name);
        }
        Arc::make_mut(map).insert(name, value);
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
            tether: None,
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

    /// The `dir:` of a step (its own, or the runbook's), rendered once for the step: the
    /// folder its scripts run in, and the value its templates write there. `Ok(None)`: no
    /// `dir:`.
    pub(crate) fn step_dir(
        &self,
        step: &Step,
        state: &RunState,
    ) -> Result<Option<StepDir>, RenderError> {
        StepDir::of(self.runbook, step, &state.context(None))
    }

    /// The working folder of a step, from its [`RunConfig::step_dir`]: that `dir`, or the
    /// runbook's folder (also when it could not be rendered: the step is refused then).
    pub(crate) fn folder_in(&self, dir: &Result<Option<StepDir>, RenderError>) -> PathBuf {
        StepDir::folder(dir.as_ref().ok().and_then(Option::as_ref), &self.folder())
    }

    /// A `dir:` written by a template is the folder `script` (a `run`, `wait.run` or
    /// `rollback` of `step`, as written) starts in: its values are checked as the values
    /// of a `cd "…"` at the script's start are, in the step's shell (`dir:
    /// /srv/releases/{{ inputs.v }}` before `rm -rf ./*`: not empty, `.`, `/` or `..`).
    /// `dir`: the step's [`RunConfig::step_dir`]. Errs with the problem, naming the step,
    /// when it could not be rendered or a value is refused.
    pub(crate) fn check_entered_dir(
        &self,
        step: &Step,
        dir: &Result<Option<StepDir>, RenderError>,
        script: &str,
        state: &RunState,
    ) -> Result<(), RenderError> {
        match dir {
            Ok(Some(d)) => d.check(step, script, &state.context(None), &self.shell_of(step)),
            Ok(None) => Ok(()),
            Err(e) => Err(e.clone()),
        }
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
