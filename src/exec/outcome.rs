//! How a step ends: journaled, shown on screen and counted — done, skipped (with the reason),
//! aborted, or failed (then `on_failure` or the failure menu decides what comes next).

use crate::exec::executor::*;
use crate::exec::journal::{Event, StepStatus};
use crate::exec::operator::{Answer, Question};
use crate::exec::screen::Status;
use crate::graph::Target;
use crate::load::Step;
use std::sync::Arc;
use std::time::Instant;

impl Executor<'_> {
    /// Records the end of a step (notes first) and returns the flow.
    /// After a resume: the reminders of the steps done before it, due at once (the time
    /// they were last shown is not journaled), then every period as before.
    pub fn restore_reminders(&mut self) {
        let now = Instant::now();
        let steps = self.cfg.runbook.steps.clone();
        for step in steps.iter().filter(|s| s.remind.is_some()) {
            let id = step.id();
            let done = self
                .progress
                .state
                .steps
                .get(&id)
                .is_some_and(|(status, _)| *status == StepStatus::Ok);
            if !done || self.progress.reminders.iter().any(|(s, ..)| *s == id) {
                continue;
            }
            match self.duration_of("remind", step.remind.as_ref()) {
                Ok(Some(every)) => {
                    let title = step.title.as_ref().map_or(id.clone(), |t| t.value.clone());
                    let last = now.checked_sub(every).unwrap_or(now);
                    self.progress.reminders.push((id, title, every, last));
                }
                Ok(None) => {}
                Err(e) => self.out.screen.status(Status::Warning, &e),
            }
        }
    }

    pub(crate) fn finish(
        &mut self,
        step: &Step,
        started: Instant,
        status: StepStatus,
        exit_code: Option<i32>,
        reason: Option<String>,
        flow: Flow,
    ) -> Result<Flow, ExecError> {
        let id = step.id();
        if status == StepStatus::Ok
            && step.remind.is_some()
            && !self.progress.reminders.iter().any(|(s, ..)| *s == id)
        {
            match self.duration_of("remind", step.remind.as_ref()) {
                Ok(Some(every)) => {
                    let title = step.title.as_ref().map_or(id.clone(), |t| t.value.clone());
                    self.out.screen.status(
                        Status::Info,
                        &format!(
                            "you will be reminded of this every {} while the run is open",
                            crate::exec::screen::duration(every)
                        ),
                    );
                    self.progress
                        .reminders
                        .push((id.clone(), title, every, Instant::now()));
                }
                Ok(None) => {}
                Err(e) => self.out.screen.status(Status::Warning, &e),
            }
        }
        if step.notes.as_ref().is_some_and(|n| n.value)
            && !matches!(flow, Flow::Abort { .. })
            && let Answer::Text(text) = self.ask(&Question::Note { step: id.clone() })?
        {
            let text = self.out.mask(text.trim());
            if !text.is_empty() {
                self.out.record(Event::Note {
                    step: id.clone(),
                    text,
                })?;
            }
        }
        match status {
            StepStatus::Skipped => self.progress.tally.skipped += 1,
            StepStatus::Ok => {}
            _ => self.progress.tally.failed += 1,
        }
        // A step with `for_each` keeps the worst status of its items: a failed item (gone on
        // from with `on_failure: continue`) is not hidden by the ones after it.
        let earlier_failed = self
            .progress
            .iteration
            .as_ref()
            .is_some_and(|(i, _, k)| *i == step.index && *k > 0)
            && self
                .progress
                .state
                .steps
                .get(&id)
                .is_some_and(|(s, _)| !matches!(s, StepStatus::Ok | StepStatus::Skipped));
        if !earlier_failed {
            Arc::make_mut(&mut self.progress.state.steps).insert(id.clone(), (status, exit_code));
        }
        // An item of `for_each` with more after it leads to the step again.
        let more_items = self
            .progress
            .iteration
            .as_ref()
            .is_some_and(|(i, items, k)| *i == step.index && k + 1 < items.len());
        let next = match &flow {
            Flow::Next if more_items => Some(Target::Step(step.index)),
            Flow::Next => Some(self.cfg.default_target(step.index)),
            Flow::Jump(target) => Some(*target),
            Flow::Retry => Some(Target::Step(step.index)),
            Flow::Abort { .. } => None,
        }
        .map_or_else(
            || "abort".to_string(),
            |t| match t {
                Target::Step(i) => self.cfg.graph.ids[i].clone(),
                Target::End => "end".to_string(),
            },
        );
        self.out.record(Event::StepFinished {
            step: id,
            item: self.progress.state.item.as_ref().map(|i| self.out.mask(i)),
            next: Some(next),
            status,
            exit_code,
            duration_ms: started.elapsed().as_millis() as u64,
            reason: reason.map(|r| self.out.mask(&r)),
        })?;
        Ok(flow)
    }

    pub(crate) fn done(
        &mut self,
        step: &Step,
        started: Instant,
        exit_code: Option<i32>,
        flow: Flow,
    ) -> Result<Flow, ExecError> {
        self.finish(step, started, StepStatus::Ok, exit_code, None, flow)
    }

    pub(crate) fn aborted(
        &mut self,
        step: &Step,
        started: Instant,
        reason: &str,
    ) -> Result<Flow, ExecError> {
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

    pub(crate) fn skipped(
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
    pub(crate) fn skipped_with(
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
        self.out
            .screen
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
    pub(crate) fn failed(
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
            _ => match self.cfg.failure_target(step.index) {
                Some(target) => Flow::Jump(target),
                None => Flow::Next,
            },
        };
        self.finish(step, started, status, exit_code, Some(problem), flow)
    }
}
