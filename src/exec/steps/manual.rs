//! A manual step: its instructions, then each checklist item confirmed or skipped with a reason.

use crate::exec::executor::*;
use crate::exec::journal::Event;
use crate::exec::operator::{Answer, Question};
use crate::exec::render;
use crate::exec::screen::Status;
use crate::load::Step;
use std::time::Instant;

impl Executor<'_> {
    pub(crate) fn manual(&mut self, step: &Step, started: Instant) -> Result<Flow, ExecError> {
        let id = step.id();
        if let Some(checklist) = &step.checklist {
            let total = checklist.value.len();
            let mut skipped = 0;
            for (index, item) in checklist.value.iter().enumerate() {
                let text = render::step_text(step, &item.value, &self.progress.state.context(None))
                    .unwrap_or_else(|_| item.value.clone());
                let text = self.out.mask(&text);
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
                self.out
                    .screen
                    .status(mark, &format!("[{}/{total}] {text}{suffix}", index + 1));
                self.out.record(Event::ChecklistItem {
                    step: id.clone(),
                    index,
                    item: text,
                    done,
                    reason,
                })?;
            }
            if skipped > 0 {
                self.out.screen.status(
                    Status::Warning,
                    &format!("{skipped} of {total} items skipped"),
                );
            }
            // A manual step's rollback (by hand, or a script) is offered after an abort too.
            let shell = self.cfg.shell_of(step);
            self.remember_rollback(step, &shell, &self.cfg.step_dir(step, &self.progress.state));
            return self.done(step, started, None, Flow::Next);
        }
        match self.ask(&Question::Manual { step: id })? {
            Answer::Abort => self.aborted(step, started, "aborted"),
            Answer::Skip(reason) => self.skipped(step, started, reason),
            _ => {
                self.out.screen.status(Status::Ok, "done");
                let shell = self.cfg.shell_of(step);
                self.remember_rollback(
                    step,
                    &shell,
                    &self.cfg.step_dir(step, &self.progress.state),
                );
                self.done(step, started, None, Flow::Next)
            }
        }
    }
}
