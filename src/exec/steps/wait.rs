//! A `wait` step: its check run every `interval` until `until` holds or the timeout.

use crate::exec::command::*;
use crate::exec::executor::*;
use crate::exec::journal::Mode;
use crate::exec::operator::{Answer, Question};
use crate::exec::render;
use crate::exec::screen::{Status, clock_of, duration};
use crate::exec::shell::{CommandSpec, Exit, Outcome};
use crate::load::{Shell as ShellKind, Step};
use std::time::{Duration, Instant};

impl Executor<'_> {
    pub(crate) fn wait_step(
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
        let shell = self.cfg.shell_of(step);
        let durations = self
            .duration_of("wait.interval", wait.interval.as_ref())
            .and_then(|i| {
                let key = if wait.timeout.is_some() {
                    "wait.timeout"
                } else {
                    "timeout"
                };
                Ok((
                    i,
                    self.duration_of(key, wait.timeout.as_ref().or(step.timeout.as_ref()))?,
                ))
            });
        let (interval, limit) = match durations {
            Ok((i, t)) => (
                i.unwrap_or(Duration::from_secs(5)),
                t.unwrap_or(Duration::from_secs(600)),
            ),
            Err(problem) => {
                return self.wait_failed(step, started, problem, failed);
            }
        };
        // The check's environment, checked once as a step's is (`render::arithmetic_env`); the
        // script's `env` becomes the whole environment of each check.
        let rendered =
            render::step_script(step, &run.value, &self.progress.state.context(None), &shell)
                .and_then(|r| {
                    let mut env = self.step_env(step).unwrap_or_default();
                    env.extend(r.env.iter().cloned());
                    let mut literal = self.cfg.literal_env(Some(step));
                    literal.extend(r.env.iter().map(|(k, _)| k.clone()));
                    render::arithmetic_env(&r.script, env, &literal)
                        .map(|env| render::Script { env, ..r })
                });
        let rendered = match rendered {
            Ok(r) => r,
            Err(e) => return self.not_rendered(step, started, &e, failed),
        };
        let display = self.out.mask(&rendered.display);
        self.out.screen.blank();
        self.out.screen.command(&display, "");
        self.out.screen.line(&format!(
            "  until {} · every {} · at most {}",
            until.value,
            duration(interval),
            duration(limit)
        ));
        self.out.screen.blank();
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
        if self.cfg.dry_run_skips(step) {
            self.out.screen.status(
                Status::Skipped,
                &format!("not run (dry-run): would wait until {}", until.value),
            );
            self.progress.tally.not_run += 1;
            return self.done(step, started, None, Flow::Next);
        }
        if let Some(on) = &step.on {
            let hosts = match self.hosts_of(step, on) {
                Ok(h) => h,
                Err(problem) => {
                    return self.wait_failed(step, started, problem, failed);
                }
            };
            return self.wait_on_hosts(
                step,
                started,
                failed,
                (&shell, &rendered, &display),
                (&until.value, interval, limit),
                hosts,
            );
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
            let last = self.out.mask(output.lines().last().unwrap_or(""));
            let met = match (
                &outcome.exit,
                render::condition(&until.value, &self.progress.state.context(Some(&output))),
            ) {
                (Exit::Code(0), Ok(met)) => met,
                (Exit::Interrupted, _) => {
                    let problem = self.interrupted();
                    return self.wait_failed(step, started, problem, failed);
                }
                (_, Err(e)) => {
                    self.out
                        .screen
                        .status(Status::Warning, &format!("check {checks}: {e}"));
                    false
                }
                (exit, _) => {
                    self.out.screen.status(
                        Status::Warning,
                        &format!("check {checks}: {}", describe(exit)),
                    );
                    false
                }
            };
            let spent = began.elapsed();
            if !met && self.cfg.mode == Mode::Drill {
                // A sequence of simulated checks plays through without waiting; once it is
                // spent, the wait would time out.
                if (checks as usize) < step.simulate.len() {
                    self.out.screen.status(
                        Status::Info,
                        &format!("check {checks}: `{}` is false for {last}", until.value),
                    );
                    continue;
                }
                let problem = format!(
                    "`{}` is false for the simulated output ({last}): in the real incident, the wait would time out",
                    until.value
                );
                return self.wait_failed(step, started, problem, failed);
            }
            if met {
                self.out.screen.spinner_stop();
                self.out.screen.status(
                    Status::Ok,
                    &format!(
                        "condition met after {checks} check{} · {}",
                        if checks == 1 { "" } else { "s" },
                        clock_of(spent)
                    ),
                );
                self.progress.tally.ran += 1;
                return self.done(step, started, Some(0), Flow::Next);
            }
            // The last check is at the deadline: the wait gives up only once its time is spent.
            if spent >= limit {
                self.out.screen.spinner_stop();
                let problem = format!(
                    "`{}` still false after {} ({checks} checks, last {last})",
                    until.value,
                    duration(spent)
                );
                return self.wait_failed(step, started, problem, failed);
            }
            let line = format!(
                "until {} · check {checks} · last {last} · {} of {}",
                until.value,
                clock_of(spent),
                clock_of(limit)
            );
            self.out.screen.spinner_start(&line);
            if !super::super::command::sleep(
                &self.interrupt,
                interval.min(limit.saturating_sub(spent)),
            ) {
                self.out.screen.spinner_stop();
                let problem = self.interrupted();
                return self.wait_failed(step, started, problem, failed);
            }
        }
    }

    /// A wait whose check runs on several hosts (`on:`): each round checks, one host after
    /// the other, the hosts where `until` does not hold yet (`output` being that host's), until
    /// it holds on every host or the time is spent.
    #[allow(clippy::too_many_arguments)]
    fn wait_on_hosts(
        &mut self,
        step: &Step,
        started: Instant,
        failed: &mut Option<String>,
        (shell, rendered, display): (&ShellKind, &render::Script, &str),
        (until, interval, limit): (&str, Duration, Duration),
        hosts: Vec<crate::fleet::Target>,
    ) -> Result<Flow, ExecError> {
        let words = match crate::exec::remote::remote_shell(shell) {
            Ok(w) => w,
            Err(problem) => {
                return self.wait_failed(step, started, problem, failed);
            }
        };
        let ssh = crate::exec::remote::Ssh::configured();
        let drill = self.cfg.mode == Mode::Drill;
        let mut pending: Vec<crate::fleet::Target> = hosts;
        let began = Instant::now();
        let mut checks = 0u32;
        let id = step.id();
        loop {
            checks += 1;
            let mut still = Vec::new();
            let mut lasts = Vec::new();
            for host in pending {
                let left = limit
                    .saturating_sub(began.elapsed())
                    .max(Duration::from_secs(1));
                let mut vars = rendered.env.clone();
                vars.push(("RUNBOOK_HOST".into(), host.name.clone()));
                let stdin = match crate::exec::remote::payload(&vars, &rendered.script) {
                    Ok(p) => p,
                    Err(problem) => {
                        return self.wait_failed(step, started, problem, failed);
                    }
                };
                let spec = CommandSpec {
                    argv: crate::exec::remote::argv(&ssh, &host, &words),
                    timeout: Some(left),
                    simulated: if !drill {
                        None
                    } else if step
                        .simulate_hosts
                        .iter()
                        .any(|(h, _)| h.value == host.name)
                    {
                        crate::exec::command::simulated_on(step, &host.name, checks)
                    } else {
                        self.simulated(step, checks)
                    },
                    stdin: Some(stdin),
                    ..CommandSpec::default()
                };
                let shown = format!("{display}\n(on {})", host.name);
                let outcome = self.out.run_journaled(
                    &mut *self.shell,
                    Journaled {
                        step: &id,
                        shown: &shown,
                        attempt: checks,
                        edited: false,
                        purpose: Some("wait"),
                        show: false,
                        label: "checking",
                        hide: None,
                        late_secrets: None,
                        planned: false,
                    },
                    &spec,
                )?;
                if outcome.exit == Exit::Interrupted {
                    let problem = self.interrupted();
                    return self.wait_failed(step, started, problem, failed);
                }
                let output = outcome.stdout.text.trim().to_string();
                let ssh_problem = if drill {
                    None
                } else {
                    crate::exec::remote::ssh_problem(
                        &outcome.exit,
                        &outcome.stderr.text,
                        &host.name,
                    )
                };
                let met = ssh_problem.is_none()
                    && outcome.exit == Exit::Code(0)
                    && render::condition(until, &self.progress.state.context(Some(&output)))
                        .unwrap_or(false);
                if !met {
                    let last = ssh_problem
                        .unwrap_or_else(|| self.out.mask(output.lines().last().unwrap_or("")));
                    lasts.push(format!("{} ({last})", host.name));
                    still.push(host);
                }
            }
            pending = still;
            let spent = began.elapsed();
            if pending.is_empty() {
                self.out.screen.spinner_stop();
                self.out.screen.status(
                    Status::Ok,
                    &format!(
                        "condition met on every host after {checks} check{} · {}",
                        if checks == 1 { "" } else { "s" },
                        clock_of(spent)
                    ),
                );
                self.progress.tally.ran += 1;
                return self.done(step, started, Some(0), Flow::Next);
            }
            let out_of_time = spent >= limit
                || (drill
                    && checks as usize
                        >= step.simulate.len().max(
                            step.simulate_hosts
                                .iter()
                                .map(|(_, r)| r.len())
                                .max()
                                .unwrap_or(0),
                        ));
            if out_of_time {
                self.out.screen.spinner_stop();
                let problem = format!(
                    "`{until}` still false after {} ({checks} check{}) on {}",
                    duration(spent),
                    if checks == 1 { "" } else { "s" },
                    lasts.join(", ")
                );
                return self.wait_failed(step, started, problem, failed);
            }
            self.out.screen.status(
                Status::Info,
                &format!("check {checks}: still waiting for {}", lasts.join(", ")),
            );
            if !drill
                && !super::super::command::sleep(
                    &self.interrupt,
                    interval.min(limit.saturating_sub(spent)),
                )
            {
                let problem = self.interrupted();
                return self.wait_failed(step, started, problem, failed);
            }
        }
    }

    /// A wait that did not end well, said: the failure menu (retry waits again), or the
    /// policy.
    pub(crate) fn wait_failed(
        &mut self,
        step: &Step,
        started: Instant,
        problem: String,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        self.out.screen.status(Status::Failed, &problem);
        self.failed(step, started, None, problem, failed, false)
    }

    /// One check of a wait, in the environment `wait_step` checked (`rendered.env`): the
    /// command runs without streaming; its output goes to the log.
    /// A check that hangs is ended at `timeout` (what is left of the wait's time).
    pub(crate) fn poll(
        &mut self,
        step: &Step,
        shell: &ShellKind,
        rendered: &render::Script,
        display: &str,
        check: u32,
        timeout: Duration,
    ) -> Result<Outcome, ExecError> {
        let spec = CommandSpec {
            argv: argv(shell, &rendered.script),
            env: rendered.env.clone(),
            dir: self
                .cfg
                .dir_of(step, &self.progress.state)
                .unwrap_or_else(|_| self.cfg.folder()),
            timeout: Some(timeout),
            simulated: self.simulated(step, check),
            interactive: false,
            stdin: None,
            capture_limit: None,
        };
        let id = step.id();
        self.out.run_journaled(
            &mut *self.shell,
            Journaled {
                step: &id,
                shown: display,
                attempt: check,
                edited: false,
                purpose: Some("wait"),
                show: false,
                label: "checking",
                hide: None,
                late_secrets: None,
                planned: false,
            },
            &spec,
        )
    }
}
