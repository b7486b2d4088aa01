//! A `run` step with `on:`: its command on each host, over OpenSSH, in batches (`serial`),
//! several at once (`concurrency`), stopping once too many have failed (`max_failures`).
//!
//! Each host's command is `ssh` with the script on its standard input (`exec::remote`), run
//! by a `ProcessShell` on a thread of its own; this thread shows what the hosts print, a line
//! at a time behind the host's name, writes each host's output log and journals each host's
//! start and end. A drill plays the step's `simulate` for every host, one after the other;
//! a dry-run shows the hosts and the batches and runs nothing.
//!
//! `hosts.rs` runs the batches and each host's command; `show.rs` shows the hosts' lines,
//! batches and the closing table; `targets.rs` resolves `on:` through the inventory.

mod hosts;
mod show;
mod targets;

use crate::exec::command::{exit_code, outcome_text};
use crate::exec::executor::*;
use crate::exec::journal::{Event, Mode, OutputLog, StepStatus};
use crate::exec::operator::{Answer, Question};
use crate::exec::remote::{self, Ssh, settings};
use crate::exec::render;
use crate::exec::screen::{Status, duration};
use crate::exec::shell::{Collect, CommandSpec, Exit, Outcome, OutputSink, ProcessShell, Stream};
use crate::exec::step_dir::StepDir;
use crate::exec::steps::run::Gate;
use crate::fleet::{Amount, AmountKey, Inventory, On, Target};
use crate::load::{CaptureFrom, On as OnValue, Sp, Step};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Bytes of a host's line kept before it is shown unfinished (a command that prints no new
/// line must not make memory grow).
const LINE_MAX: usize = 16 * 1024;
/// Bytes of each host's output kept for the journal's tail.
const TAIL_MAX: usize = 2048;
/// Chunks of output in flight from the hosts' threads to this one: beyond that, a host's
/// thread waits (and its ssh with it), so memory does not grow with what the hosts print.
const IN_FLIGHT: usize = 64;
/// Colours of the hosts' names (256-colour codes, distinct on dark and light terminals).
const COLOURS: [u8; 8] = [33, 172, 35, 170, 39, 208, 71, 134];

/// How one host's command ended.
#[derive(Debug, Clone)]
struct HostResult {
    ok: bool,
    /// When it ended (a rollback runs on the hosts newest first).
    ended: Instant,
    exit: Exit,
    duration: Duration,
    /// The last line it printed, or why it failed.
    last: String,
    /// What `capture` read from it.
    captured: Option<String>,
}

/// What each host did in this visit of the step.
struct Ledger {
    /// How each host's last command ended (`None`: not started yet, or waiting for its
    /// automatic retry).
    results: Vec<Option<HostResult>>,
    /// How many times each host's command was started (its `attempt`).
    tries: Vec<u32>,
    /// Ctrl-C or an ending signal stopped the hosts.
    interrupted: bool,
}

/// How each host's command runs: through which ssh and shell, for how long, how often.
struct HostRun<'a> {
    ssh: &'a Ssh,
    words: &'a [String],
    /// Each host's command is stopped after that long, …
    timeout: Option<Duration>,
    /// … which is its success when that is the step's `duration`, a failure otherwise.
    planned: bool,
    /// A host whose command failed runs it again by itself that many times (`retries`), …
    retries: u32,
    /// … that long after it failed (`retry_delay`).
    delay: Duration,
    /// The step's `dir`, a folder on each host.
    dir: Option<String>,
}

/// One host being shown: its name on screen, its partial line, its log and tail.
struct Shown {
    label: String,
    /// The stream that holds the secret being captured: neither shown nor logged.
    hide: Option<Stream>,
    colour: u8,
    partial: [Vec<u8>; 2],
    log: OutputLog,
    tail: Vec<u8>,
    last: String,
    stderr_tail: Vec<u8>,
}

/// One batch being run: what counts as success, what is shown of each host, and why it
/// stopped starting hosts, if it did.
struct Round {
    expected: Vec<i32>,
    shown: Vec<Option<Shown>>,
    allowed: usize,
    stop: Option<String>,
    drill: bool,
}

/// A host waiting for its automatic retry: when, which, what to send it, and how its last
/// try ended (its result if the retry does not come).
type Later = (Instant, usize, Vec<u8>, HostResult);

impl Executor<'_> {
    pub(crate) fn fleet_step(
        &mut self,
        step: &Step,
        run: &Sp<String>,
        on: &Sp<OnValue>,
        started: Instant,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        let fail = |this: &mut Self, problem: String, failed: &mut Option<String>| {
            this.out.screen.status(Status::Failed, &problem);
            this.failed(step, started, None, problem, failed, false)
        };
        let hosts = match self.hosts_of(step, on) {
            Ok(h) => h,
            Err(problem) => return fail(self, problem, failed),
        };
        let n = hosts.len();
        let amount =
            |key: AmountKey, value: &Option<Sp<String>>| -> Result<Option<Amount>, String> {
                value
                    .as_ref()
                    .map(|v| Amount::parse(key, &v.value).map_err(|e| e.to_string()))
                    .transpose()
            };
        let (serial, allowed) = match (
            amount(AmountKey::Serial, &step.serial),
            amount(AmountKey::MaxFailures, &step.max_failures),
        ) {
            (Ok(s), Ok(m)) => (s, m.map_or(0, |m| m.failures_allowed(n))),
            (Err(e), _) | (_, Err(e)) => return fail(self, e, failed),
        };
        let batches = crate::fleet::batches(n, serial);
        // Each host's command is stopped after `timeout` or `duration`, and run again after
        // a failure as `retries` says (a bad one fails the step now).
        let ((timeout, planned), (retries, delay)) = match self
            .limits_of(step)
            .and_then(|l| Ok((l, self.retries_of(step)?)))
        {
            Ok(found) => found,
            Err(problem) => return fail(self, problem, failed),
        };
        let concurrency = step
            .concurrency
            .as_ref()
            .map_or(usize::MAX, |c| c.value.max(1) as usize);
        if let Some(key) = crate::fleet::unsupported(step) {
            return fail(
                self,
                format!(
                    "step `{}`: {key}; nothing was run: use `capture`, which gives a value per host, or run that part in a step without `on:` (`ssh -t HOST …`)",
                    step.id()
                ),
                failed,
            );
        }
        let shell = self.cfg.shell_of(step);
        let words = match remote::remote_shell(&shell) {
            Ok(w) => w,
            Err(problem) => return fail(self, problem, failed),
        };
        let rendered = match self.rendered(step, &run.value, &shell) {
            Ok(r) => r,
            Err(e) => return self.not_rendered(step, started, &e, failed),
        };
        let display = self.out.mask(&rendered.display);
        self.out.screen.blank();
        self.out.screen.command(&display, "");
        self.show_batches(&hosts, &batches, concurrency, allowed);
        self.out.screen.blank();
        if step.is_dangerous() {
            self.out.screen.status(
                Status::Warning,
                &format!(
                    "dangerous, on {n} host{}: the phrase is asked once for all of them",
                    plural(n)
                ),
            );
        }
        let (mut script, mut values, mut edited) =
            match self.command_gate(step, started, &display)? {
                Gate::Go(None) => (rendered.script.clone(), rendered.env.clone(), false),
                Gate::Go(Some(new)) => (new, Vec::new(), true),
                Gate::Stop(flow) => return Ok(flow),
            };
        if self.cfg.dry_run_skips(step) {
            let shown = if edited {
                self.out.mask(&script)
            } else {
                display.clone()
            };
            self.out.not_run(
                &step.id(),
                (&shown, 1, edited),
                &format!("not run (dry-run): {n} host{}", plural(n)),
            )?;
            self.progress.tally.not_run += 1;
            if let Some(capture) = &step.capture {
                // Not run: later steps cannot know it.
                self.progress
                    .unknown
                    .insert(format!("vars.{}", capture.var.value));
                self.progress.unknown.insert(format!("steps.{}", step.id()));
            }
            return self.done(step, started, None, Flow::Next);
        }
        // Multiplexed connections for a real run only: a drill reaches no host, not even
        // to close a connection.
        let control = (self.cfg.mode != Mode::Drill)
            .then(remote::control_dir)
            .and_then(Result::ok);
        let ssh = Ssh {
            config: settings().ssh_config,
            control_dir: control.as_ref().map(|d| d.path().to_path_buf()),
        };
        // The multiplexed connections end with the step, however it ends: nothing of the
        // run is left behind.
        let _masters = remote::Masters::new(&ssh, &hosts);
        // Rendered once for the step; on the hosts only its own `dir:` applies, and is
        // checked as a `cd` at the start of its script there.
        let step_dir = self.cfg.step_dir(step, &self.progress.state);
        let remote = match &step_dir {
            Ok(d) => Ok(d.clone().filter(|d| d.own)),
            Err(e) if step.dir.is_some() => Err(e.clone()),
            Err(_) => Ok(None),
        };
        if let Err(e) = self
            .cfg
            .check_entered_dir(step, &remote, &run.value, &self.progress.state)
        {
            return self.not_rendered(step, started, &e, failed);
        }
        let dir = StepDir::on_hosts(remote.as_ref().ok().and_then(Option::as_ref));
        let run = HostRun {
            dir,
            ssh: &ssh,
            words: &words,
            timeout,
            planned,
            retries,
            delay,
        };
        if self.cfg.mode != Mode::Drill
            && let Some(config) = &ssh.config
            && let Err(problem) = remote::check_config(config)
        {
            return fail(self, problem, failed);
        }
        let mut ledger = Ledger {
            results: vec![None; n],
            tries: vec![0; n],
            interrupted: false,
        };
        // A resumed run does not run again the hosts that succeeded before it stopped.
        let before = self
            .progress
            .hosts_done
            .remove(&step.id())
            .unwrap_or_default();
        let resumed_at = Instant::now();
        for (i, host) in hosts.iter().enumerate() {
            if before.iter().any(|(h, _)| *h == host.name) {
                ledger.results[i] = Some(HostResult {
                    ok: true,
                    ended: resumed_at,
                    exit: Exit::Code(0),
                    duration: Duration::ZERO,
                    last: "done before the run was resumed".into(),
                    captured: before
                        .iter()
                        .find(|(h, _)| *h == host.name)
                        .and_then(|(_, v)| v.clone()),
                });
            }
        }
        if !before.is_empty() {
            let done: Vec<usize> = (0..n).filter(|&i| ledger.results[i].is_some()).collect();
            self.out.screen.status(
                Status::Info,
                &format!(
                    "done before the run stopped, not run again: {}",
                    names(&hosts, &done)
                ),
            );
        }
        let mut attempt = 1;
        // Which hosts this attempt runs: all of them first (but those done before a
        // resume), the failed and unstarted ones on a retry.
        let mut todo: Vec<usize> = (0..n).filter(|&i| ledger.results[i].is_none()).collect();
        if let Some(capture) = step.capture.as_ref().filter(|c| c.secret) {
            let stream = if capture.from == CaptureFrom::Stderr {
                "stderr"
            } else {
                "stdout"
            };
            self.out.screen.status(
                Status::Info,
                &format!(
                    "the hosts' {stream} is not shown or kept: it holds the secret being captured"
                ),
            );
        }
        let flow = loop {
            let shown = if edited {
                self.out.mask(&script)
            } else {
                display.clone()
            };
            self.out.record(Event::Command {
                step: step.id(),
                command: shown.clone(),
                attempt,
                edited,
                purpose: None,
                log: None,
                interactive: false,
            })?;
            let stopped = self.run_batches(
                step,
                (&hosts, &batches, &todo),
                &run,
                (&script, &values),
                (concurrency, allowed),
                &mut ledger,
            )?;
            let results = &ledger.results;
            let failures: Vec<usize> = (0..n)
                .filter(|&i| results[i].as_ref().is_none_or(|r| !r.ok))
                .collect();
            self.host_table(&hosts, results);
            let ran = results.iter().flatten().count();
            let failed_count = results.iter().flatten().filter(|r| !r.ok).count();
            self.out.record(Event::CommandFinished {
                step: step.id(),
                exit_code: None,
                outcome: format!(
                    "{} of {n} host{} ok, {failed_count} failed, {} not started",
                    ran - failed_count,
                    plural(n),
                    n - ran
                ),
                duration_ms: started.elapsed().as_millis() as u64,
            })?;
            if failures.is_empty() || (stopped.is_none() && failed_count <= allowed && ran == n) {
                if !failures.is_empty() {
                    self.out.screen.status(
                        Status::Warning,
                        &format!(
                            "{failed_count} host{} failed, within max_failures ({allowed})",
                            plural(failed_count)
                        ),
                    );
                }
                self.progress.tally.ran += 1;
                if let Some(capture) = &step.capture {
                    if capture.secret && !before.is_empty() {
                        // The journal holds the values of the hosts done before masked.
                        self.out.screen.status(
                            Status::Warning,
                            &format!(
                                "vars.{} is a secret captured before this resume on {}: the journal holds it masked, so it is not set; a step that uses it fails (run `{}` again in a new run with `--from {}` to make it)",
                                capture.var.value,
                                before.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>().join(", "),
                                step.id(),
                                step.id()
                            ),
                        );
                    } else {
                        let map: std::collections::BTreeMap<String, String> = results
                            .iter()
                            .zip(&hosts)
                            .filter_map(|(r, h)| {
                                let r = r.as_ref().filter(|r| r.ok)?;
                                Some((h.name.clone(), r.captured.clone()?))
                            })
                            .collect();
                        self.progress.set_var_map(
                            &mut self.out,
                            &step.id(),
                            (&capture.var.value, capture.secret),
                            &map,
                        )?;
                    }
                }
                self.remember_on_hosts(step, (&shell, &step_dir), &hosts, results);
                break self.done(step, started, None, Flow::Next)?;
            }
            let interrupted = std::mem::take(&mut ledger.interrupted)
                || results
                    .iter()
                    .flatten()
                    .any(|r| r.exit == Exit::Interrupted);
            // Ctrl-C with no terminal to ask ends the run here, journaled as interrupted (as
            // for a command run here); a signal ends it at the next question.
            let failed_hosts: Vec<usize> = (0..n)
                .filter(|&i| results[i].as_ref().is_some_and(|r| !r.ok))
                .collect();
            let problem = if interrupted {
                format!("{}: the hosts' commands were ended", self.interrupted())
            } else if failed_count > allowed {
                // Said with the counts at the end (hosts already running finished too).
                format!(
                    "{failed_count} of {n} host{} failed ({}), more than max_failures ({allowed}){}",
                    plural(n),
                    names(&hosts, &failed_hosts),
                    if ran < n {
                        format!("; {} not started", n - ran)
                    } else {
                        String::new()
                    }
                )
            } else {
                stopped.unwrap_or_else(|| {
                    format!(
                        "{failed_count} of {n} host{} failed: {}",
                        plural(n),
                        names(&hosts, &failures)
                    )
                })
            };
            self.out.screen.status(Status::Failed, &problem);
            let policy = step.on_failure.as_ref().map_or("ask", |p| p.as_str());
            if policy != "ask" && !interrupted {
                self.remember_on_hosts(step, (&shell, &step_dir), &hosts, results);
                break self.failed(step, started, None, problem, failed, true)?;
            }
            let q = Question::Failure {
                step: step.id(),
                command: format!(
                    "{shown}\n(on {}; a retry runs only the hosts that failed or did not start: {})",
                    names(&hosts, &(0..n).collect::<Vec<_>>()),
                    names(&hosts, &failures)
                ),
                summary: problem.clone(),
            };
            // A shell opened from the menu comes back to the menu: nothing runs again
            // until the operator says so.
            let answer = loop {
                match self.ask(&q)? {
                    Answer::Shell => self.open_shell(step)?,
                    answer => break answer,
                }
            };
            match answer {
                Answer::Retry => {}
                Answer::Edit(new) => {
                    script = new;
                    values.clear();
                    edited = true;
                }
                Answer::Skip(reason) => {
                    self.remember_on_hosts(step, (&shell, &step_dir), &hosts, &ledger.results);
                    break self.skipped_with(step, started, None, reason, || {
                        format!("skipped after failure ({problem})")
                    })?;
                }
                _ => {
                    // The hosts where it did complete can be rolled back (the canary).
                    self.remember_on_hosts(step, (&shell, &step_dir), &hosts, &ledger.results);
                    let status = if interrupted {
                        StepStatus::Interrupted
                    } else {
                        StepStatus::Failed
                    };
                    break self.abort_after(step, started, (status, None), problem, failed)?;
                }
            }
            attempt += 1;
            self.retried(step, attempt, false, None)?;
            todo = failures;
            for &i in &todo {
                ledger.results[i] = None;
            }
        };
        Ok(flow)
    }

    /// The step's rollback, to run on the hosts where it completed, newest first (also when
    /// the step as a whole failed or was skipped: those hosts did change).
    fn remember_on_hosts(
        &mut self,
        step: &Step,
        (shell, dir): (
            &crate::load::Shell,
            &Result<Option<StepDir>, render::RenderError>,
        ),
        hosts: &[Target],
        results: &[Option<HostResult>],
    ) {
        let mut done: Vec<(Instant, Target)> = results
            .iter()
            .zip(hosts)
            .filter_map(|(r, h)| r.as_ref().filter(|r| r.ok).map(|r| (r.ended, h.clone())))
            .collect();
        if done.is_empty() {
            return;
        }
        done.sort_by_key(|d| std::cmp::Reverse(d.0));
        let before = self.progress.completed.len();
        self.remember_rollback(step, shell, dir);
        if self.progress.completed.len() > before
            && let Some(c) = self.progress.completed.last_mut()
        {
            c.hosts = done.into_iter().map(|(_, h)| h).collect();
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The names of some hosts, shortened past 10.
fn names(hosts: &[Target], which: &[usize]) -> String {
    let list: Vec<&str> = which
        .iter()
        .filter_map(|&i| hosts.get(i))
        .map(|h| h.name.as_str())
        .collect();
    if list.len() > 10 {
        format!("{} … ({} in all)", list[..10].join(", "), list.len())
    } else {
        list.join(", ")
    }
}
