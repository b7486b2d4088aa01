//! The [`Executor`]: the state machine that walks a runbook's step graph. It talks only to an
//! [`Operator`] (who answers), a [`Shell`] (which runs commands), a [`Screen`] (what is shown)
//! and the [`Journal`] (what is recorded, before the next action begins).

pub use super::completed::{Completed, completed_rollback};
use super::journal::{Event, Mode, RunStatus};
use super::operator::{Answer, AskError, Operator, Question};
pub use super::parts::{CheckRunbook, ExecError, Output, Progress, RunConfig, folder_of};
use super::render::{self};
use super::screen::Status;
use super::shell::Shell;
pub use super::tally::Tally;
use crate::graph::Target;
use crate::load::{Shell as ShellKind, Step, StepKind};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

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
            self.check_tether(i)?;
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
                // An item that is part of a secret (`for_each: "{{ vars.keys }}"` with `keys`
                // secret) is one too: not shown, not journaled.
                for item in &items {
                    let part_of_secret = !item.trim().is_empty()
                        && self.out.secrets.iter().any(|s| s.contains(item.as_str()));
                    if part_of_secret {
                        self.out.add_secret(item);
                    }
                }
                let all = items.len();
                // Done before a resume: each done item once, in order (`[a, b, a]` with `a`
                // and `b` done leaves the second `a`).
                if let Some(done) = self.progress.done_items.remove(&step.id()) {
                    for d in &done {
                        if let Some(k) = items.iter().position(|item| item == d) {
                            items.remove(k);
                        }
                    }
                }
                self.progress.items_before = all - items.len();
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
    /// Before each step of a run driven with a team store: stops when another driver took
    /// the run over; asks whether to go on alone when the lease expired for lack of contact.
    fn check_tether(&mut self, i: usize) -> Result<(), ExecError> {
        use super::journal::LeaseChange;
        use super::tether::Standing;
        let Some(tether) = self.cfg.tether.clone() else {
            return Ok(());
        };
        let generation = tether.generation();
        match tether.standing() {
            Standing::Held => Ok(()),
            Standing::Taken { by } => {
                self.out.record(Event::Lease {
                    change: LeaseChange::TakenAway,
                    generation,
                    other: Some(by.clone()),
                    since: None,
                })?;
                Err(ExecError::TakenOver { by })
            }
            Standing::Lost { since } => {
                // What the shipper said first (the store out of reach), then the question.
                self.out.screen.show_notices();
                let step = self.cfg.runbook.steps[i].id();
                let store = tether.store();
                self.out.screen.status(
                    Status::Warning,
                    &format!(
                        "contact with the team store {store} is lost since {since}: this run's lease has expired, and someone may take the run over"
                    ),
                );
                let answer = self.operator.ask(&Question::GoOnAlone {
                    step,
                    since: since.clone(),
                    store,
                });
                let went_on = match answer {
                    Ok(Answer::Done) => true,
                    Ok(_) | Err(AskError::Interrupted) => false,
                    Err(AskError::NoAnswer { what, help }) => {
                        self.out.record(Event::Lease {
                            change: LeaseChange::StoppedAlone,
                            generation,
                            other: None,
                            since: Some(since),
                        })?;
                        return Err(ExecError::NoAnswer { what, help });
                    }
                    Err(AskError::Terminal(e)) => return Err(ExecError::Terminal(e)),
                };
                self.out.record(Event::Lease {
                    change: if went_on {
                        LeaseChange::WentOnAlone
                    } else {
                        LeaseChange::StoppedAlone
                    },
                    generation,
                    other: None,
                    since: Some(since.clone()),
                })?;
                if went_on {
                    tether.go_on_alone();
                    self.out
                        .screen
                        .status(Status::Warning, "going on alone (recorded in the journal)");
                    Ok(())
                } else {
                    Err(ExecError::StoppedAlone { since })
                }
            }
        }
    }

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
        self.skipped_with(step, started, None, reason, String::new)
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
                let before = self.progress.items_before;
                format!(
                    "{} · item {}/{}",
                    self.cfg.position(i),
                    before + k + 1,
                    before + items.len()
                )
            }
            None => self.cfg.position(i),
        };
        self.out
            .screen
            .section(step.section.as_ref().map(|s| s.as_str()));
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
            item: item.as_ref().map(|i| self.out.mask(i)),
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
        if step.on.is_some() && !matches!(kind, StepKind::Run | StepKind::Wait) {
            // Never here what was meant for other hosts.
            let problem = format!(
                "`on:` is for `run` and `wait` steps: this {} step would run here, not on the hosts it names",
                kind.name()
            );
            self.out.screen.status(Status::Failed, &problem);
            return self.failed(step, started, None, problem, failed, false);
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
