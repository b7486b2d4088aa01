//! One command, run and journaled: the `command` event, the output log, the masked tee to the
//! screen, `command_finished`; and what a drill simulates instead.

use crate::exec::executor::*;
use crate::exec::inputs::InputValue;
use crate::exec::journal::{Event, Mode, StepStatus};
use crate::exec::render::RenderError;
use crate::exec::screen::{Status, duration};
use crate::exec::shell::{CommandSpec, Exit, Outcome, Shell, Stream};
use crate::exec::state::{names_in_script, parse_assignments, whole_values};
use crate::exec::step_dir::StepDir;
use crate::exec::tee::*;
use crate::load::{CaptureFrom, Shell as ShellKind, Step};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A drill's stand-in for a step's command: its `simulate`, if it has one.
/// The `simulate` of a step for its `n`-th run (1-based: a retry, a wait's check): the n-th
/// of a sequence, the last one repeating.
pub(crate) fn simulated_of(step: &Step, n: u32) -> Option<super::shell::Simulated> {
    simulated_from(&step.simulate, n)
}

/// What a drill plays on `host` for a step on several hosts: its own results
/// (`simulate: {hosts: {HOST: …}}`), else the step's.
pub(crate) fn simulated_on(step: &Step, host: &str, n: u32) -> Option<super::shell::Simulated> {
    match step.simulate_hosts.iter().find(|(h, _)| h.value == host) {
        Some((_, results)) => simulated_from(results, n),
        None => simulated_of(step, n),
    }
}

fn simulated_from(list: &[crate::load::Simulate], n: u32) -> Option<super::shell::Simulated> {
    let at = (n.max(1) as usize - 1).min(list.len().checked_sub(1)?);
    let sim = list.get(at)?;
    let pairs = |p: &crate::load::Pairs| -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.value.clone(), v.value.clone()))
            .collect()
    };
    Some(super::shell::Simulated {
        stdout: sim
            .stdout
            .as_ref()
            .map_or_else(String::new, |s| s.value.clone()),
        stderr: sim
            .stderr
            .as_ref()
            .map_or_else(String::new, |s| s.value.clone()),
        exit: sim.exit.as_ref().map_or(0, |e| e.value as i32),
        timed_out: sim.timeout.as_ref().is_some_and(|t| t.value),
        outputs: pairs(&sim.outputs),
        env: pairs(&sim.env),
    })
}

/// One command as the journal records it and the screen shows it.
/// Reads, once a command ended, the secrets it made.
pub(crate) type LateSecrets<'a> = dyn Fn(&Outcome) -> Vec<String> + 'a;

pub(crate) struct Journaled<'a> {
    pub(crate) step: &'a str,
    /// The command as the operator saw it (the journal masks secrets).
    pub(crate) shown: &'a str,
    pub(crate) attempt: u32,
    pub(crate) edited: bool,
    /// `None` for a step's own command; `wait`, `rollback`.
    pub(crate) purpose: Option<&'static str>,
    /// Streams the output to the screen under a spinner (a wait's checks only log it).
    pub(crate) show: bool,
    pub(crate) label: &'static str,
    /// A stream that holds a secret being captured: neither shown, logged nor journaled.
    pub(crate) hide: Option<Stream>,
    /// The step's `duration` ends the command: being stopped then is its success.
    pub(crate) planned: bool,
    /// Secrets the command itself made (`secret_env`, secret `outputs`, a secret `capture`),
    /// known once it ends: masked in its log and output tail as in everything after.
    pub(crate) late_secrets: Option<&'a LateSecrets<'a>>,
}

/// Reads and removes a file a command may have written (`$RUNBOOK_ENV`, `$RUNBOOK_OUTPUT`);
/// empty when it did not.
pub(crate) fn take_file(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let _ = std::fs::remove_file(path);
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
        Err(_) => String::new(),
    }
}

pub(crate) fn exit_code(exit: &Exit) -> Option<i32> {
    match exit {
        Exit::Code(c) => Some(*c),
        _ => None,
    }
}

/// How a command ended, said for the screen and the journal: a command stopped at its
/// `duration` ran as planned.
pub(crate) fn outcome_text(exit: &Exit, planned: bool) -> String {
    if planned && *exit == Exit::TimedOut {
        "ran for its planned `duration`, then stopped".to_string()
    } else {
        describe(exit)
    }
}

pub(crate) fn describe(exit: &Exit) -> String {
    match exit {
        Exit::Code(c) => format!("exit {c}"),
        Exit::Signal(s) => format!("killed by signal {s}"),
        Exit::TimedOut => "timed out".into(),
        Exit::Interrupted => "interrupted".into(),
        Exit::NotStarted(why) => format!("not started: {why}"),
    }
}

/// The result of running one command of a step.
pub(crate) struct Ran {
    pub(crate) outcome: Outcome,
    /// Not run: a dry-run.
    pub(crate) dry: bool,
    pub(crate) ok: bool,
    /// Why it did not succeed (in words), when it did not.
    pub(crate) problem: Option<String>,
    pub(crate) status: StepStatus,
}

impl Ran {
    /// A command that could not be started: the step fails with `problem`.
    fn not_started(problem: String) -> Ran {
        Ran {
            outcome: Outcome {
                exit: Exit::NotStarted(problem.clone()),
                duration: Duration::ZERO,
                stdout: Default::default(),
                stderr: Default::default(),
            },
            ok: false,
            problem: Some(problem),
            status: StepStatus::Failed,
            dry: false,
        }
    }
}

/// The environment of a script checked as `render::arithmetic_env` checks it (`literal`: the
/// names set from literal text), with a `dir:` written by a template (`dir`) as a value in
/// `$PWD` (`ssh h "ls $PWD"`): checked, not given (the shell sets `PWD` from the folder it
/// starts in). Shared by a `run` and a `wait`'s check.
pub(crate) fn checked_env(
    script: &str,
    mut env: Vec<(String, String)>,
    literal: &[String],
    dir: &Result<Option<StepDir>, RenderError>,
) -> Result<Vec<(String, String)>, RenderError> {
    let templated = dir
        .as_ref()
        .ok()
        .and_then(Option::as_ref)
        .filter(|d| d.templated());
    let pwd = templated.is_some() && !env.iter().any(|(k, _)| k == "PWD");
    if let Some(d) = templated
        && pwd
    {
        env.push(("PWD".into(), d.rendered.clone()));
    }
    let mut env = crate::exec::render::arithmetic_env(script, env, literal)?;
    if pwd {
        env.retain(|(k, _)| k != "PWD");
    }
    Ok(env)
}

pub(crate) fn script_display(edited: bool, script: &str, display: &str) -> String {
    if edited {
        script.to_string()
    } else {
        display.to_string()
    }
}

impl Executor<'_> {
    /// How long a step's command may run, and whether reaching that is its success: its
    /// `duration` ("let it run for 30 s", when no shorter `timeout`), or its `timeout` (a
    /// failure).
    pub(crate) fn limits_of(&self, step: &Step) -> Result<(Option<Duration>, bool), String> {
        let timeout = self.duration_of("timeout", step.timeout.as_ref())?;
        Ok(
            match (
                timeout,
                self.duration_of("duration", step.duration.as_ref())?,
            ) {
                (t, Some(d)) if t.is_none_or(|t| d <= t) => (Some(d), true),
                (t, _) => (t, false),
            },
        )
    }

    /// How many times a failed command is run again by itself (`retries`), and how long after
    /// (`retry_delay`, 5 s by default).
    pub(crate) fn retries_of(&self, step: &Step) -> Result<(u32, Duration), String> {
        let retries = step.retries.as_ref().map_or(0, |r| r.value.max(0) as u32);
        let delay = self.duration_of("retry_delay", step.retry_delay.as_ref())?;
        Ok((retries, delay.unwrap_or(Duration::from_secs(5))))
    }

    /// In a drill, what plays instead of the step's command (its `simulate`); a step without
    /// one is remembered, to be named in the drill's summary.
    pub(crate) fn simulated(&mut self, step: &Step, n: u32) -> Option<super::shell::Simulated> {
        if self.cfg.mode != Mode::Drill {
            return None;
        }
        let simulated = simulated_of(step, n);
        let id = step.id();
        if simulated.is_none() && !self.progress.unsimulated.contains(&id) {
            self.progress.unsimulated.push(id);
        }
        simulated
    }

    /// Runs one command, with its header line, live output, log and status line.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute(
        &mut self,
        step: &Step,
        shell: &ShellKind,
        script: &str,
        values: &[(String, String)],
        shown: &str,
        attempt: u32,
        edited: bool,
        dir: &Result<Option<StepDir>, RenderError>,
    ) -> Result<Ran, ExecError> {
        let id = step.id();
        let mut env = match self.step_env(step).and_then(|env| {
            // The values of the script's own templates were placed by `render::script`.
            let mut literal = self.cfg.literal_env(Some(step));
            literal.extend(values.iter().map(|(k, _)| k.clone()));
            checked_env(script, env, &literal, dir)
        }) {
            Ok(env) => env,
            Err(e) => {
                let problem = format!("the step's environment cannot be given: {e}");
                self.out.screen.status(Status::Failed, &problem);
                return Ok(Ran::not_started(problem));
            }
        };
        env.extend(values.iter().cloned());
        // (After `$PWD` is checked as a value of the environment, above.)
        if let Err(e) = self.cfg.check_entered_dir(
            step,
            dir,
            step.run.as_ref().map_or("", |r| r.value.as_str()),
            &self.progress.state,
        ) {
            self.out.screen.status(Status::Failed, &e.message);
            if !e.help.is_empty() {
                self.out.screen.line(&format!("  help: {}", e.help));
            }
            return Ok(Ran::not_started(e.message));
        }
        // `duration`: stopped after that long, which is its success; `timeout`: stopped after
        // that long, which is a failure. The shorter one ends the command.
        let (timeout, planned) = match self.limits_of(step) {
            Ok(limits) => limits,
            Err(problem) => {
                self.out.screen.status(Status::Failed, &problem);
                return Ok(Ran::not_started(problem));
            }
        };
        if self.cfg.dry_run_skips(step) {
            self.out
                .not_run(&id, (shown, attempt, edited), "not run (dry-run)")?;
            return Ok(Ran {
                outcome: Outcome {
                    exit: Exit::Code(0),
                    duration: Duration::ZERO,
                    stdout: Default::default(),
                    stderr: Default::default(),
                },
                ok: true,
                problem: None,
                status: StepStatus::Ok,
                dry: true,
            });
        }
        // Where the step may write variables for later steps. Not created here: a command
        // that writes to them creates them (inside the private run folder), and most don't.
        let files = self
            .out
            .journal
            .dir()
            .join(format!(".io-{}", self.out.journal.next_seq()));
        let env_file = files.with_extension("env");
        let out_file = files.with_extension("out");
        env.push(("RUNBOOK_ENV".into(), env_file.display().to_string()));
        env.push(("RUNBOOK_OUTPUT".into(), out_file.display().to_string()));
        let spec = CommandSpec {
            argv: argv(shell, script),
            env,
            dir: self.cfg.folder_in(dir),
            timeout,
            simulated: self.simulated(step, attempt),
            interactive: step.is_interactive() && self.cfg.mode != Mode::Drill,
            stdin: None,
            capture_limit: None,
        };
        if spec.interactive {
            if !self.operator.interactive() {
                return Err(ExecError::NoAnswer {
                    what: format!(
                        "step `{id}` is interactive (`interactive: true`): its command needs the terminal"
                    ),
                    help: "run it on a terminal (`runbook resume` goes on from here), or give the command its input another way and remove `interactive: true`".into(),
                });
            }
            self.out.screen.status(
                Status::Info,
                "attached to the terminal: its output is not captured, masked or logged; its exit status is kept",
            );
        }
        // Secrets the step makes: what it wrote under a secret name, masked in its own
        // output as soon as the command ends.
        let makes_secrets = !step.secret_env.is_empty()
            || !step.secret_outputs.is_empty()
            || step.capture.as_ref().is_some_and(|c| c.secret);
        let late = |outcome: &Outcome| {
            let mut values = Vec::new();
            // A secret captured from one stream may be printed on the other too.
            if step.capture.as_ref().is_some_and(|c| c.secret)
                && let Ok((value, _)) = captured(step, outcome)
            {
                values.push(value);
            }
            for (file, secret) in [
                (
                    &env_file,
                    &(|n: &str| step.secret_env_name(n)) as &dyn Fn(&str) -> bool,
                ),
                (&out_file, &|n: &str| step.secret_var(n)),
            ] {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                if let Ok(pairs) = parse_assignments(&text) {
                    values.extend(pairs.into_iter().filter(|(n, _)| secret(n)).map(|(_, v)| v));
                }
            }
            values
        };
        let outcome = self.out.run_journaled(
            &mut *self.shell,
            Journaled {
                late_secrets: makes_secrets.then_some(&late as &LateSecrets),
                step: &id,
                shown,
                attempt,
                edited,
                purpose: None,
                show: !spec.interactive,
                planned,
                label: "running",
                hide: step
                    .capture
                    .as_ref()
                    .filter(|c| c.secret)
                    .map(|c| match c.from {
                        CaptureFrom::Stdout => Stream::Stdout,
                        CaptureFrom::Stderr => Stream::Stderr,
                    }),
            },
            &spec,
        )?;
        // What the step wrote for later steps; read even when it failed, then removed.
        let env_text = take_file(&env_file);
        let out_text = take_file(&out_file);
        let expected: Vec<i32> = step
            .expect
            .as_ref()
            .filter(|e| !e.exit.is_empty())
            .map_or(vec![0], |e| e.exit.iter().map(|c| c.value as i32).collect());
        let mut problem = None;
        let mut status = StepStatus::Ok;
        match &outcome.exit {
            Exit::Code(c) if expected.contains(c) => {}
            Exit::Code(c) => {
                problem = Some(if expected == [0] {
                    format!("exit {c}")
                } else {
                    format!("exit {c}, expected {expected:?}")
                });
                status = StepStatus::Failed;
            }
            // It ran for its `duration`, as planned.
            Exit::TimedOut if planned => {}
            Exit::TimedOut => {
                problem = Some(match timeout {
                    Some(t) => format!("timed out after {}", duration(t)),
                    None => "timed out".to_string(),
                });
                status = StepStatus::Timeout;
            }
            Exit::Interrupted => {
                problem = Some(self.interrupted());
                status = StepStatus::Interrupted;
            }
            other => {
                problem = Some(self.out.mask(&describe(other)));
                status = StepStatus::Failed;
            }
        }
        if problem.is_none()
            && let Some(pattern) = step.expect.as_ref().and_then(|e| e.stdout.as_ref())
        {
            match crate::values::pattern::compile(&pattern.value) {
                Ok(re) if re.is_match(&outcome.stdout.text) => {}
                Ok(_) => {
                    problem = Some(format!("the output does not match `{}`", pattern.value));
                    status = StepStatus::Failed;
                }
                Err(_) => {
                    problem = Some(format!(
                        "`expect.stdout` `{}` is not a valid regex",
                        pattern.value
                    ));
                    status = StepStatus::Failed;
                }
            }
        }
        if problem.is_none() {
            let known: Vec<&str> = self
                .progress
                .state
                .inputs
                .values()
                .filter_map(|v| match v {
                    InputValue::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .chain(self.progress.state.vars.values().map(String::as_str))
                .chain(self.progress.state.env.values().map(String::as_str))
                .chain(values.iter().map(|(_, v)| v.as_str()))
                .collect();
            // As written, and as `printf %b` or `echo -e` would print it.
            let printed: Vec<String> = known
                .iter()
                .filter(|v| v.contains('\\'))
                .map(|v| crate::exec::state::printed_with_escapes(v))
                .collect();
            let known: Vec<&str> = known
                .into_iter()
                .chain(printed.iter().map(String::as_str))
                .filter(|v| v.contains('\n'))
                .collect();
            // A drill's `simulate` writes the files itself, not the script.
            let drill = self.cfg.mode == Mode::Drill;
            // The names are looked for in what the runbook wrote, never in the rendered
            // script: a value quoted into it (`ssh h "echo '{{ v }}'"`) could spell any.
            let written_by = if edited {
                script
            } else {
                step.run.as_ref().map_or(script, |r| r.value.as_str())
            };
            let spelled = |_: &str, written: &[(String, String)]| {
                if drill {
                    Ok(())
                } else {
                    names_in_script(written_by, written)
                }
            };
            let written = (
                parse_assignments(&env_text)
                    .and_then(|env| whole_values(&env_text, &known).map(|()| env))
                    .and_then(|env| spelled(script, &env).map(|()| env))
                    .and_then(|env| self.cfg.allowed_env(env)),
                parse_assignments(&out_text)
                    .and_then(|out| whole_values(&out_text, &known).map(|()| out))
                    .and_then(|out| spelled(script, &out).map(|()| out)),
            );
            match written {
                (Ok(env), Ok(out)) => {
                    for (name, value) in env {
                        let secret = step.secret_env_name(&name);
                        self.progress
                            .set_env(&mut self.out, &id, (&name, secret), value)?;
                    }
                    for (name, value) in out {
                        let secret = step.secret_var(&name);
                        self.progress
                            .set_var(&mut self.out, &id, (&name, secret), value)?;
                    }
                }
                (Err(e), _) => {
                    problem = Some(format!(
                        "what the step wrote to $RUNBOOK_ENV is not used: {e}"
                    ))
                }
                (_, Err(e)) => {
                    problem = Some(format!(
                        "what the step wrote to $RUNBOOK_OUTPUT is not used: {e}"
                    ))
                }
            }
            if problem.is_some() {
                status = StepStatus::Failed;
            }
        }
        let took = duration(outcome.duration);
        let line = match &problem {
            None => format!(
                "{} · {took} · {}",
                outcome_text(&outcome.exit, planned),
                super::screen::clock()
            ),
            Some(p) => format!("{p} · {took} · {}", super::screen::clock()),
        };
        self.out.screen.status(
            if problem.is_none() {
                Status::Ok
            } else {
                Status::Failed
            },
            &line,
        );
        let ok = problem.is_none();
        Ok(Ran {
            outcome,
            ok,
            problem,
            status,
            dry: false,
        })
    }
}

/// What is recorded and shown of a command: it runs journaled, its captures are shown.
impl Output<'_> {
    /// Runs one command and journals it: `command` before it starts, then `output_tail` and
    /// `command_finished`; its output goes, masked, to its log (and to the screen if shown).
    /// A command a dry-run does not run: journaled as shown, said (`said`), and finished
    /// `not run (dry-run)`.
    pub(crate) fn not_run(
        &mut self,
        step: &str,
        (shown, attempt, edited): (&str, u32, bool),
        said: &str,
    ) -> Result<(), ExecError> {
        self.record(Event::Command {
            step: step.to_string(),
            command: shown.to_string(),
            attempt,
            edited,
            purpose: None,
            log: None,
            interactive: false,
        })?;
        self.screen.status(Status::Skipped, said);
        self.record(Event::CommandFinished {
            step: step.to_string(),
            exit_code: None,
            outcome: "not run (dry-run)".into(),
            duration_ms: 0,
        })?;
        Ok(())
    }

    pub(crate) fn run_journaled(
        &mut self,
        shell: &mut dyn Shell,
        cmd: Journaled<'_>,
        spec: &CommandSpec,
    ) -> Result<Outcome, ExecError> {
        let seq = self.journal.next_seq();
        let log = self.journal.output_log(seq, cmd.step);
        let log_path = log.relative().to_string();
        self.record(Event::Command {
            step: cmd.step.to_string(),
            command: cmd.shown.to_string(),
            attempt: cmd.attempt,
            edited: cmd.edited,
            purpose: cmd.purpose.map(str::to_string),
            log: Some(log.relative().to_string()),
            interactive: spec.interactive,
        })?;
        if cmd.show {
            self.screen
                .spinner_start(&format!("{} · 00:00 · Ctrl-C interrupts", cmd.label));
        }
        let mut tee = Tee::new(&mut *self.screen, log, &self.secrets, cmd.show, cmd.label);
        tee.hide = cmd.hide;
        if let (Some(stream), true) = (cmd.hide, cmd.show) {
            let name = if stream == Stream::Stdout {
                "stdout"
            } else {
                "stderr"
            };
            tee.screen.status(
                Status::Info,
                &format!("{name} is not shown or kept: it holds the secret being captured"),
            );
        }
        // Keys typed while a command runs are not echoed into its output.
        let echo_off = cmd.show.then(super::tty::EchoOff::new);
        let outcome = shell.run(spec, &mut tee);
        drop(echo_off);
        let teed = tee.finish();
        if cmd.show {
            self.screen.spinner_stop();
            self.screen.end_output();
        }
        if let Some(problem) = &teed.log_error {
            self.screen.status(Status::Warning, problem);
        }
        if let Some(late) = cmd.late_secrets {
            let fresh: Vec<String> = late(&outcome)
                .into_iter()
                .filter(|v| !v.is_empty() && !self.secrets.contains(v))
                .collect();
            if !fresh.is_empty() {
                for value in &fresh {
                    self.add_secret(value);
                }
                if let Err(e) = self.journal.remask_log(&log_path, &self.secrets) {
                    self.screen.status(
                        Status::Warning,
                        &format!("could not mask the secret it wrote in its output log {log_path}: {e}; delete that file"),
                    );
                }
                if cmd.show && !spec.interactive {
                    self.screen.status(
                        Status::Info,
                        "the secret it wrote was shown above if the command printed it; it is masked in the log and journal",
                    );
                }
            }
        }
        self.record(Event::OutputTail {
            step: cmd.step.to_string(),
            tail: self.mask(&teed.tail),
            truncated: teed.truncated,
        })?;
        self.record(Event::CommandFinished {
            step: cmd.step.to_string(),
            exit_code: exit_code(&outcome.exit),
            outcome: self.mask(&outcome_text(&outcome.exit, cmd.planned)),
            duration_ms: outcome.duration.as_millis() as u64,
        })?;
        Ok(outcome)
    }

    /// Stores `capture` after a successful command. Errs when the pattern does not match.
    pub(crate) fn collect(
        &mut self,
        step: &Step,
        outcome: &Outcome,
        dry: bool,
    ) -> Result<Vec<(String, String)>, String> {
        if dry {
            // Nothing ran: later steps show named placeholders where the values would be.
            let names = step
                .capture
                .iter()
                .map(|c| c.var.value.clone())
                .chain(step.outputs.iter().map(|o| o.value.clone()));
            return Ok(names
                .map(|name| (name.clone(), format!("<{name}>")))
                .collect());
        }
        let Some(capture) = &step.capture else {
            return Ok(Vec::new());
        };
        let (value, truncated) = captured(step, outcome)?;
        let note = if truncated {
            " (from the first 1 MiB of output only)"
        } else {
            ""
        };
        self.screen.status(
            Status::Info,
            &format!("vars.{} captured{note}", capture.var.value),
        );
        Ok(vec![(capture.var.value.clone(), value)])
    }
}

/// What a step's `capture` takes from its command's output, and whether that output was cut
/// (kept to its first 1 MiB).
pub(crate) fn captured(step: &Step, outcome: &Outcome) -> Result<(String, bool), String> {
    let Some(capture) = &step.capture else {
        return Err("the step captures nothing".into());
    };
    let source = match capture.from {
        CaptureFrom::Stdout => &outcome.stdout,
        CaptureFrom::Stderr => &outcome.stderr,
    };
    let value = match &capture.pattern {
        None => source.text.trim().to_string(),
        Some(pattern) => {
            let re = crate::values::pattern::compile(&pattern.value)
                .map_err(|e| format!("invalid capture pattern: {e}"))?;
            re.captures(&source.text)
                .and_then(|c| c.get(1).or_else(|| c.get(0)))
                .map(|m| m.as_str().trim().to_string())
                .ok_or_else(|| {
                    format!(
                        "the output does not match the capture pattern `{}`",
                        pattern.value
                    )
                })?
        }
    };
    Ok((value, source.truncated))
}

/// Sleeps, waking for Ctrl-C. Returns false when interrupted.
pub(crate) fn sleep(interrupt: &AtomicBool, d: Duration) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until {
        if interrupt.swap(false, Ordering::SeqCst) {
            return false;
        }
        // SIGTERM or SIGHUP during a pause ends the run here (see `signals`).
        super::signals::end_if_pending();
        std::thread::sleep(
            Duration::from_millis(50).min(until.saturating_duration_since(Instant::now())),
        );
    }
    true
}
