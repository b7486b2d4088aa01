//! A `run` step: its environment, the dangerous-step gate, the command with retries, captures,
//! `expect`, and what it wrote to `$RUNBOOK_ENV` and `$RUNBOOK_OUTPUT`.

use crate::exec::command::*;
use crate::exec::completed::*;
use crate::exec::executor::*;
use crate::exec::journal::{Event, Mode, StepStatus};
use crate::exec::operator::{Answer, Question};
use crate::exec::render::{self, RenderError};
use crate::exec::screen::{Status, duration};
use crate::exec::shell::Exit;
use crate::exec::step_dir::StepDir;
use crate::load::{Shell as ShellKind, Step};
use std::time::Instant;

/// What the operator said before a step's command runs.
pub(crate) enum Gate {
    /// Run it: as rendered, or the script the operator wrote instead (`Edit`).
    Go(Option<String>),
    /// Skipped or aborted: the step is over.
    Stop(Flow),
}

pub(crate) enum Confirmed {
    Yes,
    Skip,
    Abort,
}

impl Executor<'_> {
    /// `template`, a script of `step` (its `run` or `rollback`), rendered with the run's
    /// values for `shell`, among the runbook's other scripts.
    pub(crate) fn rendered(
        &self,
        step: &Step,
        template: &str,
        shell: &ShellKind,
    ) -> Result<render::Script, RenderError> {
        render::step_script(
            step,
            template,
            &self.progress.state.context(None),
            shell,
            self.cfg.runbook,
        )
    }

    pub(crate) fn step_env(&self, step: &Step) -> Result<Vec<(String, String)>, RenderError> {
        let ctx = self.progress.state.context(None);
        let mut env: Vec<(String, String)> = self
            .progress
            .state
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in &step.env {
            // Rendered even with `templates: false`: how values reach such a script.
            let whose = format!("step `{}`", step.id());
            env.push((
                k.value.clone(),
                render::env_value(&whose, &k.value, &v.value, &ctx)?,
            ));
        }
        env.push(("RUNBOOK_RUN_ID".into(), self.progress.state.run_id.clone()));
        env.push(("RUNBOOK_STEP".into(), step.id()));
        env.push(("RUNBOOK_MODE".into(), self.cfg.mode.as_str().into()));
        Ok(env)
    }

    pub(crate) fn run_step(
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
        if let Some(on) = &step.on {
            return self.fleet_step(step, run, on, started, failed);
        }
        let shell = self.cfg.shell_of(step);
        // Rendered once for the step: its attempts and its rollback run there.
        let dir = self.cfg.step_dir(step, &self.progress.state);
        let rendered = match self.rendered(step, &run.value, &shell) {
            Ok(r) => r,
            Err(e) => return self.not_rendered(step, started, &e, failed),
        };
        // (Any mention of the name counts: `$X`, `${X}`, `${#X}`, `"$X"` passed on.)
        let lost = self.progress.lost_env.iter().find(|(name, _)| {
            rendered.script.match_indices(name.as_str()).any(|(i, _)| {
                let before = rendered.script[..i].chars().next_back();
                let after = rendered.script[i + name.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        });
        if let Some((name, maker)) = lost.cloned() {
            let problem = format!(
                "`${name}` is a secret made by step `{maker}` before this resume: the journal holds it masked, so this command would run without it"
            );
            self.out.screen.status(Status::Failed, &problem);
            self.out.screen.line(&format!(
                "  help: run `{maker}` again (a new run with `--from {maker}`), or skip this step"
            ));
            return self.failed(step, started, None, problem, failed, true);
        }
        let display = self.out.mask(&rendered.display);
        self.out.screen.blank();
        self.out.screen.command(&display, "");
        if let Some(rollback) = &step.rollback {
            let shown = self
                .rendered(step, &rollback.value, &shell)
                .map_or_else(|_| rollback.value.clone(), |r| r.display);
            let shown = self.out.mask(&shown);
            let first = shown.lines().next().unwrap_or("");
            let more = if shown.trim_end().lines().count() > 1 {
                " …"
            } else {
                ""
            };
            self.out.screen.line(&format!("  rollback: {first}{more}"));
        }
        self.out.screen.blank();
        // Confirmation: a dangerous step needs its phrase typed (or --confirm STEP).
        let (mut script, mut values, mut edited) =
            match self.command_gate(step, started, &display)? {
                Gate::Go(None) => (rendered.script.clone(), rendered.env.clone(), false),
                Gate::Go(Some(new)) => (new, Vec::new(), true),
                Gate::Stop(flow) => return Ok(flow),
            };
        let (retries, delay) = match self.retries_of(step) {
            Ok(policy) => policy,
            Err(problem) => {
                self.out.screen.status(Status::Failed, &problem);
                return self.failed(step, started, None, problem, failed, false);
            }
        };
        let mut attempt = 1;
        loop {
            let shown = if edited {
                self.out.mask(&script)
            } else {
                display.clone()
            };
            let ran = self.execute(
                step, &shell, &script, &values, &shown, attempt, edited, &dir,
            )?;
            if ran.ok {
                match self.out.collect(step, &ran.outcome, ran.dry) {
                    Ok(values) => {
                        if ran.dry {
                            // What a step that did not run would have made is not known.
                            let unknown = &mut self.progress.unknown;
                            unknown.insert(format!("steps.{}", step.id()));
                            unknown.extend(values.iter().map(|(name, _)| format!("vars.{name}")));
                        }
                        for (name, value) in values {
                            self.progress.set_var(
                                &mut self.out,
                                &step.id(),
                                (&name, step.secret_var(&name)),
                                value,
                            )?;
                        }
                        if ran.dry {
                            self.progress.tally.not_run += 1;
                        } else {
                            self.progress.tally.ran += 1;
                        }
                        self.remember_rollback(step, &shell, &dir);
                        return self.done(step, started, exit_code(&ran.outcome.exit), Flow::Next);
                    }
                    Err(problem) => {
                        self.out.screen.status(Status::Failed, &problem);
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
                self.out.screen.status(
                    Status::Warning,
                    &format!("retry {attempt} of {retries} in {}", duration(delay)),
                );
                self.retried(step, attempt + 1, true, None)?;
                if super::super::command::sleep(&self.interrupt, delay) {
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
                    command: self.out.mask(&script_display(edited, &script, &display)),
                    summary: problem.clone(),
                };
                match self.ask(&q)? {
                    Answer::Retry => {
                        attempt += 1;
                        self.retried(step, attempt, false, None)?;
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

    /// A step whose command cannot be rendered (a value that cannot be passed as data, a
    /// template that fails): said with its help, and the step fails.
    pub(crate) fn not_rendered(
        &mut self,
        step: &Step,
        started: Instant,
        e: &RenderError,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        self.out
            .screen
            .status(Status::Failed, &format!("cannot render the command: {e}"));
        if !e.help.is_empty() {
            self.out.screen.line(&format!("  help: {}", e.help));
        }
        self.failed(
            step,
            started,
            None,
            format!("cannot render the command: {e}"),
            failed,
            true,
        )
    }

    /// `dir`: the step's `dir:` as rendered for the step ([`RunConfig::step_dir`]).
    pub(crate) fn remember_rollback(
        &mut self,
        step: &Step,
        shell: &ShellKind,
        dir: &Result<Option<StepDir>, RenderError>,
    ) {
        if let Some(c) = completed_rollback(
            self.cfg.runbook,
            step,
            &self.progress.state,
            shell,
            (dir, &self.cfg.folder()),
            &self.cfg.within,
        ) {
            self.progress.completed.push(Completed {
                rollback: self.out.mask(&c.rollback),
                ..c
            });
        }
    }

    /// Before a step's command: a dangerous step's phrase, or the question whether to run
    /// the command shown (`display`), which may be edited.
    pub(crate) fn command_gate(
        &mut self,
        step: &Step,
        started: Instant,
        display: &str,
    ) -> Result<Gate, ExecError> {
        if step.is_dangerous() {
            return Ok(match self.dangerous_gate(step, started)? {
                Some(flow) => Gate::Stop(flow),
                None => Gate::Go(None),
            });
        }
        Ok(
            match self.ask(&Question::RunCommand {
                step: step.id(),
                command: display.to_string(),
            })? {
                Answer::Skip(reason) => Gate::Stop(self.skipped(step, started, reason)?),
                Answer::Edit(new) => Gate::Go(Some(new)),
                Answer::Abort => {
                    Gate::Stop(self.aborted(step, started, "aborted before the command ran")?)
                }
                _ => Gate::Go(None),
            },
        )
    }

    /// A dangerous step (of any kind) goes on only once its phrase is typed or `--confirm`
    /// gave it: `Some(flow)` when it does not (skipped, or the run aborted).
    pub(crate) fn dangerous_gate(
        &mut self,
        step: &Step,
        started: Instant,
    ) -> Result<Option<Flow>, ExecError> {
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

    pub(crate) fn confirm_dangerous(&mut self, step: &Step) -> Result<Confirmed, ExecError> {
        let ctx = self.progress.state.context(None);
        let phrase = step
            .confirm
            .as_ref()
            .map(|c| render::step_text(step, &c.value, &ctx).unwrap_or_else(|_| c.value.clone()))
            .unwrap_or_else(|| step.id());
        if self.cfg.mode == Mode::DryRun && self.cfg.assume_yes {
            self.out.screen.status(
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
                self.out.record(Event::Confirmation {
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
            self.out.record(Event::Confirmation {
                step: step.id(),
                phrase: phrase.clone(),
                accepted,
                by: by.into(),
            })?;
            if accepted {
                return Ok(Confirmed::Yes);
            }
            self.out.screen.status(
                Status::Warning,
                &format!("that is not the phrase: type `{phrase}` exactly, or nothing to skip"),
            );
        }
    }
}
