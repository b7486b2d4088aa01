//! A `wait` step: its check run every `interval` until `until` holds or the timeout.

use crate::exec::command::*;
use crate::exec::executor::*;
use crate::exec::journal::Mode;
use crate::exec::operator::{Answer, Question};
use crate::exec::remote;
use crate::exec::render;
use crate::exec::screen::{Status, clock_of, duration};
use crate::exec::shell::{Collect, CommandSpec, Exit, Outcome, Played, ProcessShell};
use crate::exec::step_dir::StepDir;
use crate::load::{Shell as ShellKind, Step};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Bytes of each host's check kept (output and log): a check prints a status, not a dump.
const CHECK_KEPT: usize = 256 * 1024;
/// Hosts checked at once.
const CHECKS_AT_ONCE: usize = 32;

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
        // The folder of every check, rendered once: on other hosts only the step's own
        // `dir:` applies.
        let step_dir = self.cfg.step_dir(step, &self.progress.state);
        let step_dir = if step.on.is_some() {
            match step_dir {
                Ok(d) => Ok(d.filter(|d| d.own)),
                Err(e) if step.dir.is_some() => Err(e),
                Err(_) => Ok(None),
            }
        } else {
            step_dir
        };
        // The check's environment, checked once as a step's is (`checked_env`, `$PWD` a
        // value when a template writes `dir:`); the script's `env` becomes the whole
        // environment of each check. Its `dir:` is checked as a `cd` at its start.
        let rendered = self.rendered(step, &run.value, &shell).and_then(|r| {
            let mut env = self.step_env(step).unwrap_or_default();
            env.extend(r.env.iter().cloned());
            let mut literal = self.cfg.literal_env(Some(step));
            literal.extend(r.env.iter().map(|(k, _)| k.clone()));
            let env = checked_env(&r.script, env, &literal, &step_dir)?;
            self.cfg
                .check_entered_dir(step, &step_dir, &run.value, &self.progress.state)?;
            Ok(render::Script { env, ..r })
        });
        let rendered = match rendered {
            Ok(r) => r,
            Err(e) => return self.not_rendered(step, started, &e, failed),
        };
        let folder = self.cfg.folder_in(&step_dir);
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
                (
                    hosts,
                    StepDir::on_hosts(step_dir.as_ref().ok().and_then(Option::as_ref)),
                ),
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
            let outcome = self.poll(step, (&shell, &folder), &rendered, &display, checks, left)?;
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
                (_, _) => {
                    self.out.screen.status(
                        Status::Warning,
                        &format!("check {checks}: {}", self.check_said(&outcome)),
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

    /// A wait whose check runs on several hosts (`on:`): each round checks, all at once, the
    /// hosts where `until` does not hold yet (`output` being that host's), until it holds on
    /// every host or the time is spent. Each check is journaled as a command of its own, in
    /// the hosts' order; the connections are multiplexed for the rounds and closed at the end.
    #[allow(clippy::too_many_arguments)]
    fn wait_on_hosts(
        &mut self,
        step: &Step,
        started: Instant,
        failed: &mut Option<String>,
        (shell, rendered, display): (&ShellKind, &render::Script, &str),
        (until, interval, limit): (&str, Duration, Duration),
        (hosts, dir): (Vec<crate::fleet::Target>, Option<String>),
    ) -> Result<Flow, ExecError> {
        if let Some(what) = crate::fleet::unsupported(step) {
            let problem = format!(
                "step `{}`: {what}; nothing was run: use `capture` in a `run` step with `on:`, which gives a value per host",
                step.id()
            );
            return self.wait_failed(step, started, problem, failed);
        }
        let words = match remote::remote_shell(shell) {
            Ok(w) => w,
            Err(problem) => {
                return self.wait_failed(step, started, problem, failed);
            }
        };
        let drill = self.cfg.mode == Mode::Drill;
        // A drill reaches no host, not even to close a connection.
        let control = (!drill).then(remote::control_dir).and_then(Result::ok);
        let ssh = remote::Ssh {
            control_dir: control.as_ref().map(|d| d.path().to_path_buf()),
            ..remote::Ssh::configured()
        };
        let _masters = remote::Masters::new(&ssh, &hosts);
        self.wait_rounds(
            step,
            (started, failed),
            (&ssh, &words, rendered, display),
            (until, interval, limit),
            (hosts, dir),
        )
    }

    fn wait_rounds(
        &mut self,
        step: &Step,
        (started, failed): (Instant, &mut Option<String>),
        (ssh, words, rendered, display): (&remote::Ssh, &[String], &render::Script, &str),
        (until, interval, limit): (&str, Duration, Duration),
        (hosts, dir): (Vec<crate::fleet::Target>, Option<String>),
    ) -> Result<Flow, ExecError> {
        let drill = self.cfg.mode == Mode::Drill;
        let mut pending: Vec<crate::fleet::Target> = hosts;
        let began = Instant::now();
        let mut checks = 0u32;
        let id = step.id();
        loop {
            checks += 1;
            let left = limit
                .saturating_sub(began.elapsed())
                .max(Duration::from_secs(1));
            let mut specs = Vec::with_capacity(pending.len());
            for host in &pending {
                let mut vars = rendered.env.clone();
                vars.push(("RUNBOOK_HOST".into(), host.name.clone()));
                let stdin = match remote::payload(&vars, dir.as_deref(), &rendered.script) {
                    Ok(p) => p,
                    Err(problem) => {
                        return self.wait_failed(step, started, problem, failed);
                    }
                };
                specs.push(CommandSpec {
                    argv: remote::argv(ssh, host, words),
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
                    capture_limit: Some(CHECK_KEPT),
                    ..CommandSpec::default()
                });
            }
            // A drill plays the checks here; a real round runs them at once, then each is
            // journaled as if it had run alone.
            let ran: Vec<Played> = if drill {
                specs
                    .iter()
                    .map(|spec| {
                        let mut collect = Collect::default();
                        let outcome = self.shell.run(spec, &mut collect);
                        Played {
                            output: collect.chunks,
                            outcome: Some(outcome),
                        }
                    })
                    .collect()
            } else {
                self.out
                    .screen
                    .spinner_start(&format!("check {checks} on {} hosts", specs.len()));
                let ran = self.check_at_once(&specs);
                self.out.screen.spinner_stop();
                ran
            };
            let mut still = Vec::new();
            let mut lasts = Vec::new();
            for ((host, spec), mut played) in pending.into_iter().zip(&specs).zip(ran) {
                let shown = format!("{display}\n(on {})", host.name);
                let outcome = self.out.run_journaled(
                    &mut played,
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
                    spec,
                )?;
                if outcome.exit == Exit::Interrupted {
                    let problem = self.interrupted();
                    return self.wait_failed(step, started, problem, failed);
                }
                let output = outcome.stdout.text.trim().to_string();
                let ssh_problem = if drill {
                    None
                } else {
                    remote::ssh_problem(&outcome.exit, &outcome.stderr.text, &host.name)
                };
                let met = ssh_problem.is_none()
                    && outcome.exit == Exit::Code(0)
                    && render::condition(until, &self.progress.state.context(Some(&output)))
                        .unwrap_or(false);
                if !met {
                    let last = ssh_problem.unwrap_or_else(|| self.check_said(&outcome));
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

    /// Runs each check on a thread of its own, at most `CHECKS_AT_ONCE` at a time, and keeps
    /// what each printed (up to `CHECK_KEPT`) and how it ended, in the order of `specs`.
    /// Ctrl-C or an ending signal ends those running; those not started end as interrupted.
    fn check_at_once(&mut self, specs: &[CommandSpec]) -> Vec<Played> {
        let mut ran: Vec<Played> = specs
            .iter()
            .map(|_| Played {
                output: Vec::new(),
                outcome: None,
            })
            .collect();
        let (tx, rx) =
            mpsc::channel::<(usize, Outcome, Vec<(crate::exec::shell::Stream, Vec<u8>)>)>();
        let mut running: Vec<(usize, Arc<AtomicBool>)> = Vec::new();
        let mut next = 0;
        let mut stopped = false;
        loop {
            while !stopped && running.len() < CHECKS_AT_ONCE && next < specs.len() {
                let i = next;
                next += 1;
                let flag = Arc::new(AtomicBool::new(false));
                let shell = ProcessShell::new(Arc::clone(&flag));
                let spec = specs[i].clone();
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let mut collect = Collect {
                        limit: CHECK_KEPT,
                        ..Collect::default()
                    };
                    let outcome = shell.run_beside(&spec, &mut collect);
                    let _ = tx.send((i, outcome, collect.chunks));
                });
                running.push((i, flag));
            }
            if running.is_empty() {
                break;
            }
            if self.interrupt.load(Ordering::SeqCst) || crate::exec::signals::received_count() > 0 {
                self.interrupt.store(false, Ordering::SeqCst);
                stopped = true;
                for (_, flag) in &running {
                    flag.store(true, Ordering::SeqCst);
                }
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok((i, outcome, output)) => {
                    running.retain(|(k, _)| *k != i);
                    ran[i] = Played {
                        output,
                        outcome: Some(outcome),
                    };
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        for played in ran.iter_mut().filter(|p| p.outcome.is_none()) {
            played.outcome = Some(Outcome {
                exit: Exit::Interrupted,
                duration: Duration::ZERO,
                stdout: Default::default(),
                stderr: Default::default(),
            });
        }
        ran
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
    /// What a check said, for the operator: its last line of output, or how it failed and
    /// the last line it wrote on stderr (masked).
    fn check_said(&self, outcome: &Outcome) -> String {
        let last = |text: &str| text.trim().lines().last().unwrap_or("").trim().to_string();
        match &outcome.exit {
            Exit::Code(0) => {
                let out = last(&outcome.stdout.text);
                if out.is_empty() {
                    "no output".into()
                } else {
                    self.out.mask(&out)
                }
            }
            exit => {
                let err = last(&outcome.stderr.text);
                if err.is_empty() {
                    describe(exit)
                } else {
                    format!("{}: {}", describe(exit), self.out.mask(&err))
                }
            }
        }
    }

    pub(crate) fn poll(
        &mut self,
        step: &Step,
        (shell, folder): (&ShellKind, &Path),
        rendered: &render::Script,
        display: &str,
        check: u32,
        timeout: Duration,
    ) -> Result<Outcome, ExecError> {
        let spec = CommandSpec {
            argv: argv(shell, &rendered.script),
            env: rendered.env.clone(),
            dir: folder.to_path_buf(),
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
