//! A decision (`choose`) and a question (`ask`): the answer journaled, kept in `vars`.

use crate::exec::executor::*;
use crate::exec::journal::{Event, Mode};
use crate::exec::operator::{Answer, Question};
use crate::exec::render;
use crate::exec::screen::Status;
use crate::graph::{EdgeKind, Target};
use crate::load::Step;
use std::time::Instant;

impl Executor<'_> {
    pub(crate) fn choose(&mut self, step: &Step, started: Instant) -> Result<Flow, ExecError> {
        let Some(choose) = &step.choose else {
            return self.done(step, started, None, Flow::Next);
        };
        let ctx = self.progress.state.context(None);
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
        // `--yes` takes the runbook's `default`; in a dry-run without one, the first option,
        // so that a dry-run walks to its end (and says so).
        let mut default = choose.value.default_index();
        if default.is_none() && self.cfg.mode == Mode::DryRun && self.cfg.assume_yes {
            // The first that goes on (not `end: failed`/`aborted`), else the first.
            let first = choose
                .value
                .options
                .iter()
                .position(|o| o.end.is_none())
                .unwrap_or(0);
            default = Some(first);
            self.out.screen.status(
                Status::Info,
                &format!(
                    "no `default` option: with --yes, this dry-run takes the first one that goes on (`{}`) unless an answer is given",
                    labels.get(first).map_or("", String::as_str)
                ),
            );
        }
        let automatic = self.automatic_option(step);
        let index = match &automatic {
            Some((n, _)) => *n,
            None => {
                let q = Question::Choose {
                    step: step.id(),
                    prompt,
                    options: labels.clone(),
                    default,
                };
                match self.ask(&q)? {
                    Answer::Choice(n) if n < labels.len() => n,
                    Answer::Abort => return self.aborted(step, started, "aborted at a decision"),
                    _ => 0,
                }
            }
        };
        let target = self
            .cfg
            .graph
            .out_edges(step.index)
            .find(|e| e.kind == EdgeKind::Choice(index))
            .map_or(Target::End, |e| e.to);
        let option = &choose.value.options[index];
        let next = match (target, &option.end) {
            (_, Some(end)) => format!("end ({})", end.value),
            (Target::Step(t), None) => self.cfg.graph.ids[t].clone(),
            (Target::End, None) => "end".into(),
        };
        let value = option.value.as_ref().map(|v| v.value.clone());
        if let Some(var) = &choose.value.var {
            let chosen = value.clone().unwrap_or_else(|| labels[index].clone());
            self.progress
                .set_var(&mut self.out, &step.id(), (&var.value, false), chosen)?;
        }
        let how = automatic.as_ref().map_or_else(String::new, |(_, when)| {
            format!(" (automatic: `{when}` holds)")
        });
        self.out
            .screen
            .status(Status::Ok, &format!("{} → {next}{how}", labels[index]));
        self.progress
            .tally
            .decisions
            .push((step.id(), labels[index].clone()));
        self.out.record(Event::Decision {
            step: step.id(),
            option: index + 1,
            label: labels[index].clone(),
            value,
            next,
            automatic: automatic.map(|(_, when)| when),
        })?;
        if let Some(end) = &option.end {
            let reason = format!("`{}` at step `{}` ends the run", labels[index], step.id());
            let flow = Flow::Abort {
                by_operator: end.value == "aborted",
                reason,
            };
            return self.done(step, started, None, flow);
        }
        self.done(step, started, None, Flow::Jump(target))
    }

    /// The first option whose `when` holds, taken without asking: (its index, the
    /// expression). A `when` that cannot be evaluated is shown and the operator is asked; in
    /// a dry-run, one that reads what a step that did not run would have made is unknown.
    fn automatic_option(&mut self, step: &Step) -> Option<(usize, String)> {
        let choose = step.choose.as_ref()?;
        let ctx = self.progress.state.context(None);
        for (n, option) in choose.value.options.iter().enumerate() {
            let Some(when) = &option.when else { continue };
            if let Some(name) = self.unknown_in(&when.value) {
                self.out.screen.status(
                    Status::Info,
                    &format!(
                        "`when: {}` cannot be known in a dry-run (it reads `{name}`): the decision is asked",
                        when.value
                    ),
                );
                return None;
            }
            match render::condition(&when.value, &ctx) {
                Ok(true) => return Some((n, when.value.clone())),
                Ok(false) => {}
                Err(e) => {
                    self.out.screen.status(
                        Status::Warning,
                        &format!(
                            "cannot evaluate `when: {}`: {e}; the decision is asked",
                            when.value
                        ),
                    );
                    return None;
                }
            }
        }
        None
    }

    /// Asks the step's `ask` (if any: each of its values, in order) and stores the answers.
    /// `Some(flow)` when aborted.
    pub(crate) fn ask_var(&mut self, step: &Step) -> Result<Option<Flow>, ExecError> {
        let Some(ask) = &step.ask else {
            return Ok(None);
        };
        for field in ask.value.each() {
            if let Some(flow) = self.ask_one(step, field)? {
                return Ok(Some(flow));
            }
        }
        Ok(None)
    }

    /// Asks one value of a step's `ask` until a valid answer, and stores it.
    fn ask_one(&mut self, step: &Step, ask: &crate::load::Ask) -> Result<Option<Flow>, ExecError> {
        let Some(var) = &ask.var else {
            return Ok(None);
        };
        let ctx = self.progress.state.context(None);
        let prompt = ask.prompt.as_ref().map_or_else(
            || var.value.clone(),
            |p| render::text(&p.value, &ctx).unwrap_or_else(|_| p.value.clone()),
        );
        let pattern = ask.pattern.as_ref().map(|p| p.value.clone());
        let choices: Vec<String> = ask.choices.iter().map(|c| c.value.clone()).collect();
        let several = step.ask.as_ref().is_some_and(|a| a.value.each().len() > 1);
        // `--yes` takes the ask's `default`; in a dry-run without one, a stand-in (its first
        // choice, or a word that names the value), so that a dry-run walks to its end as it
        // does past a decision (and says so).
        let mut default = ask.default.as_ref().map(|d| d.value.clone());
        let mut stand_in = None;
        if default.is_none() && self.cfg.mode == Mode::DryRun && self.cfg.assume_yes {
            let value = choices
                .first()
                .cloned()
                .unwrap_or_else(|| format!("dry-run-{}", var.value.replace('_', "-")));
            self.out.screen.status(
                Status::Info,
                &format!(
                    "no `default` for `vars.{}`: with --yes, this dry-run uses `{value}` unless an answer is given",
                    var.value
                ),
            );
            default = Some(value.clone());
            stand_in = Some(value);
        }
        let q = Question::Ask {
            step: step.id(),
            several,
            var: var.value.clone(),
            prompt,
            pattern: pattern.clone(),
            choices: choices.clone(),
            default,
            secret: ask.secret,
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
            // (The dry-run's stand-in is shown for the value, not checked as one.)
            let problem =
                crate::values::valid_answer(&value, ask.secret, pattern.as_deref(), &choices)
                    .filter(|_| stand_in.as_ref() != Some(&value));
            if let Some(problem) = problem {
                if !self.operator.interactive() {
                    return Err(ExecError::NoAnswer {
                        what: format!("the answer for step `{}` is invalid: {problem}", step.id()),
                        help: "correct it in the answers file".into(),
                    });
                }
                self.out.screen.status(Status::Warning, &problem);
                continue;
            }
            if ask.secret {
                self.out.add_secret(&value);
            }
            let shown = if ask.secret {
                "***".to_string()
            } else {
                value.clone()
            };
            self.out
                .screen
                .status(Status::Ok, &format!("vars.{} = {shown}", var.value));
            self.out.record(Event::Answer {
                step: step.id(),
                var: var.value.clone(),
                value: self.out.mask(&value),
            })?;
            self.progress
                .set_var(&mut self.out, &step.id(), (&var.value, ask.secret), value)?;
            return Ok(None);
        }
    }
}
