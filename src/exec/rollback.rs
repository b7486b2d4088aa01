//! Rollbacks: offered newest first after an abort, each confirmed, run and journaled.

use crate::exec::command::*;
use crate::exec::completed::*;
use crate::exec::executor::*;
use crate::exec::journal::{Event, Mode, StepStatus};
use crate::exec::operator::{Answer, Question};
use crate::exec::screen::{Status, duration};
use crate::exec::shell::{CommandSpec, Exit};

impl Executor<'_> {
    /// A rollback a person does by hand: what to do is shown, and the operator says when it
    /// is done (journaled like any rollback, its command being the instructions).
    fn manual_rollback(&mut self, c: &Completed) -> Result<(), ExecError> {
        self.out
            .screen
            .line(&format!("rollback of {} (by hand)", c.step));
        let text = self.out.mask(&c.rollback);
        self.out.screen.markdown(&text);
        let answer = self.ask(&Question::Rollback {
            step: c.step.clone(),
            command: format!("by hand: {text}"),
        })?;
        let (status, line) = match answer {
            Answer::Run | Answer::Done if self.cfg.mode != Mode::DryRun => (
                StepStatus::Ok,
                format!("rollback of {} done by hand", c.step),
            ),
            _ => (
                StepStatus::Skipped,
                format!(
                    "rollback of {} not done; `runbook rollback {}` offers it again",
                    c.step,
                    crate::exec::journal::short_id(&self.progress.state.run_id)
                ),
            ),
        };
        self.out.screen.status(
            if status == StepStatus::Ok {
                Status::Ok
            } else {
                Status::Skipped
            },
            &line,
        );
        self.out.record(Event::Rollback {
            step: c.step.clone(),
            command: format!("by hand: {text}"),
            status,
            exit_code: None,
            item: c.item.as_ref().map(|i| self.out.mask(i)),
            host: None,
        })?;
        Ok(())
    }

    /// After an abort: the rollbacks of completed steps, newest first, each confirmed.
    pub fn offer_rollbacks(&mut self) -> Result<(), ExecError> {
        if self.progress.completed.is_empty() || !self.cfg.within.is_empty() {
            return Ok(());
        }
        let completed: Vec<Completed> = self.progress.completed.drain(..).rev().collect();
        self.out.screen.rule(&format!(
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
        self.out.screen.blank();
        if c.manual {
            return self.manual_rollback(c);
        }
        self.out.screen.line(&format!("rollback of {}", c.step));
        self.out.screen.command(&self.out.mask(&c.rollback), "");
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
                command: self.out.mask(&c.rollback),
            })?
        };
        let answer = match answer {
            Answer::Run | Answer::Done if self.cfg.mode == Mode::DryRun => {
                Answer::Skip("not run (dry-run)".into())
            }
            other => other,
        };
        match answer {
            Answer::Run | Answer::Done => {
                let mut env: Vec<(String, String)> = self
                    .progress
                    .state
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                env.push(("RUNBOOK_RUN_ID".into(), self.progress.state.run_id.clone()));
                env.push(("RUNBOOK_STEP".into(), c.step.clone()));
                env.extend(c.values.iter().cloned());
                let mut literal = self.cfg.literal_env(self.cfg.runbook.step(&c.step));
                literal.extend(c.values.iter().map(|(k, _)| k.clone()));
                let env = match crate::exec::render::arithmetic_env(&c.script, env, &literal) {
                    Ok(env) => env,
                    Err(e) => {
                        self.out.screen.status(
                            Status::Failed,
                            &format!("rollback of {} not run: {e}", c.step),
                        );
                        self.out.screen.line(&format!("  help: {}", e.help));
                        self.out.record(Event::Rollback {
                            step: c.step.clone(),
                            command: self.out.mask(&c.rollback),
                            status: StepStatus::Failed,
                            exit_code: None,
                            item: c.item.as_ref().map(|i| self.out.mask(i)),
                            host: None,
                        })?;
                        return Ok(());
                    }
                };
                if !c.hosts.is_empty() {
                    return self.rollback_on_hosts(c, &env);
                }
                let spec = CommandSpec {
                    argv: argv(&c.shell, &c.script),
                    env,
                    dir: c.dir.clone(),
                    timeout: None,
                    simulated: None,
                    interactive: false,
                    stdin: None,
                    capture_limit: None,
                };
                self.run_rollback(c, &spec, None)?;
            }
            other => {
                let why = match other {
                    Answer::Skip(reason) if !reason.is_empty() => format!(": {reason}"),
                    _ => String::new(),
                };
                self.out.screen.status(
                    Status::Skipped,
                    &format!(
                        "rollback of {} not run{why}; `runbook rollback {}` offers it again",
                        c.step,
                        crate::exec::journal::short_id(&self.progress.state.run_id)
                    ),
                );
                self.out.record(Event::Rollback {
                    step: c.step.clone(),
                    command: self.out.mask(&c.rollback),
                    status: StepStatus::Skipped,
                    exit_code: None,
                    item: c.item.as_ref().map(|i| self.out.mask(i)),
                    host: None,
                })?;
            }
        }
        Ok(())
    }
}

impl Executor<'_> {
    /// The rollback of a step on several hosts: on each host where it completed, newest
    /// first, one after the other (over ssh, as the step ran), each journaled.
    fn rollback_on_hosts(
        &mut self,
        c: &Completed,
        env: &[(String, String)],
    ) -> Result<(), ExecError> {
        let words = match crate::exec::remote::remote_shell(&c.shell) {
            Ok(w) => w,
            Err(problem) => {
                self.out.screen.status(
                    Status::Failed,
                    &format!("rollback of {} not run: {problem}", c.step),
                );
                return Ok(());
            }
        };
        let ssh = crate::exec::remote::Ssh::configured();
        for host in &c.hosts {
            let mut vars: Vec<(String, String)> = env.to_vec();
            vars.push(("RUNBOOK_HOST".into(), host.name.clone()));
            let stdin = match crate::exec::remote::payload(&vars, c.host_dir.as_deref(), &c.script)
            {
                Ok(p) => p,
                Err(problem) => {
                    self.out.screen.status(
                        Status::Failed,
                        &format!("rollback of {} on {} not run: {problem}", c.step, host.name),
                    );
                    continue;
                }
            };
            let spec = CommandSpec {
                argv: crate::exec::remote::argv(&ssh, host, &words),
                stdin: Some(stdin),
                ..CommandSpec::default()
            };
            self.run_rollback(c, &spec, Some(host))?;
        }
        Ok(())
    }

    /// Runs one rollback command (here, or on `host` over ssh), says how it ended and
    /// journals it: `command`, its output, then the `rollback` event.
    fn run_rollback(
        &mut self,
        c: &Completed,
        spec: &CommandSpec,
        host: Option<&crate::fleet::Target>,
    ) -> Result<(), ExecError> {
        let shown = self.out.mask(&c.rollback);
        let outcome = self.out.run_journaled(
            &mut *self.shell,
            Journaled {
                step: &c.step,
                shown: &shown,
                attempt: 1,
                edited: false,
                purpose: Some("rollback"),
                show: true,
                label: "rolling back",
                hide: None,
                late_secrets: None,
                planned: false,
            },
            spec,
        )?;
        // On a host, ssh's own failure (exit 255) is told as such.
        let problem = host.and_then(|h| {
            crate::exec::remote::ssh_problem(&outcome.exit, &outcome.stderr.text, &h.name)
        });
        let ok = problem.is_none() && outcome.exit == Exit::Code(0);
        let what = match host {
            Some(h) => format!("rollback of {} on {}", c.step, h.name),
            None => format!("rollback of {}", c.step),
        };
        self.out.screen.status(
            if ok { Status::Ok } else { Status::Failed },
            &format!(
                "{what}: {} · {}",
                problem.unwrap_or_else(|| describe(&outcome.exit)),
                duration(outcome.duration)
            ),
        );
        self.out
            .record(Event::Rollback {
                step: c.step.clone(),
                command: shown,
                status: if ok {
                    StepStatus::Ok
                } else {
                    StepStatus::Failed
                },
                exit_code: exit_code(&outcome.exit),
                item: c.item.as_ref().map(|i| self.out.mask(i)),
                host: host.map(|h| h.name.clone()),
            })
            .map(|_| ())
    }
}
