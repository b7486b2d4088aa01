//! The failure menu (retry, edit, shell, skip, abort) and what an abort or an interruption
//! asks for.

use crate::exec::executor::*;
use crate::exec::journal::{Event, StepStatus};
use crate::exec::operator::{Answer, Question};
use crate::exec::screen::Status;
use crate::load::Step;
use std::sync::atomic::Ordering;
use std::time::Instant;

impl Executor<'_> {
    /// A step's command is run again (attempt `attempt`): by `retries:` (`automatic`), for
    /// one host of a step with `on:` (`host`), or from the failure menu. Counted and
    /// journaled.
    pub(crate) fn retried(
        &mut self,
        step: &Step,
        attempt: u32,
        automatic: bool,
        host: Option<String>,
    ) -> Result<(), ExecError> {
        self.progress.tally.retried += 1;
        self.out.record(Event::Retry {
            step: step.id(),
            attempt,
            automatic,
            host,
        })?;
        Ok(())
    }

    /// The failure menu for a step that failed before or after its command (it could not be
    /// rendered, its output did not match `capture`, a sub-runbook could not be loaded): retry
    /// runs the step again from its start, after the operator fixed what was wrong (in a
    /// shell, in the file); skip goes on; abort ends the run. Without a terminal, the answers
    /// file's `failure:` or the abort.
    pub(crate) fn failure_menu(
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
                    self.retried(step, 2, false, None)?;
                    return self.finish(
                        step,
                        started,
                        status,
                        exit_code,
                        Some(problem),
                        Flow::Retry,
                    );
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

    /// `$SHELL` in the step's folder with the run's environment (a deviation, journaled).
    pub(crate) fn open_shell(&mut self, step: &Step) -> Result<(), ExecError> {
        let program = std::env::var("SHELL").unwrap_or_else(|_| "/bin/sh".into());
        let dir = self
            .cfg
            .folder_in(&self.cfg.step_dir(step, &self.progress.state));
        let env = self.step_env(step).unwrap_or_default();
        self.out.screen.line(&format!(
            "  opening {program} in {} · exit to come back",
            dir.display()
        ));
        let status = std::process::Command::new(&program)
            .current_dir(&dir)
            .envs(env)
            .status();
        let code = status.as_ref().ok().and_then(|s| s.code());
        if let Err(e) = &status {
            self.out
                .screen
                .status(Status::Failed, &format!("cannot open {program}: {e}"));
        }
        self.interrupt.store(false, Ordering::SeqCst);
        self.out.record(Event::ShellOpened {
            step: step.id(),
            exit_code: code,
        })?;
        Ok(())
    }

    /// Ends the run after a failed step, at the operator's word (the failure menu's abort)
    /// or, without a terminal, because of the failure itself, which `failed` then keeps.
    pub(crate) fn abort_after(
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
    pub(crate) fn interrupted(&self) -> String {
        match super::signals::pending() {
            Some(signal) => format!("interrupted ({})", super::signals::name(signal)),
            None if !self.operator.interactive() => super::signals::end_interrupted(),
            None => "interrupted (Ctrl-C)".into(),
        }
    }
}
