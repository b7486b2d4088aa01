//! A `run` step with `on:`: its command on each host, over OpenSSH, in batches (`serial`),
//! several at once (`concurrency`), stopping once too many have failed (`max_failures`).
//!
//! Each host's command is `ssh` with the script on its standard input (`exec::remote`), run
//! by a `ProcessShell` on a thread of its own; this thread shows what the hosts print, a line
//! at a time behind the host's name, writes each host's output log and journals each host's
//! start and end. A drill plays the step's `simulate` for every host, one after the other;
//! a dry-run shows the hosts and the batches and runs nothing.

use crate::exec::command::{exit_code, outcome_text};
use crate::exec::executor::*;
use crate::exec::journal::{Event, Mode, OutputLog, StepStatus};
use crate::exec::operator::{Answer, Question};
use crate::exec::remote::{self, Ssh, settings};
use crate::exec::render;
use crate::exec::screen::{Status, duration};
use crate::exec::shell::{Collect, CommandSpec, Exit, Outcome, OutputSink, ProcessShell, Stream};
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

enum Msg {
    Out(usize, Stream, Vec<u8>),
    Done(usize, Outcome),
}

/// Sends a host's output to the showing thread.
struct ChannelSink {
    host: usize,
    tx: mpsc::SyncSender<Msg>,
}

impl OutputSink for ChannelSink {
    fn output(&mut self, stream: Stream, bytes: &[u8]) {
        let _ = self.tx.send(Msg::Out(self.host, stream, bytes.to_vec()));
    }
}

impl Executor<'_> {
    /// The inventory that `on:` names are looked up in, if any.
    fn inventory(&self) -> Result<Option<Inventory>, String> {
        remote::load_inventory(
            self.cfg
                .runbook
                .inventory
                .as_ref()
                .map(|i| self.cfg.folder().join(&i.value)),
        )
    }

    /// The hosts of a step's `on:`, its templates rendered.
    pub(crate) fn hosts_of(&self, step: &Step, on: &Sp<OnValue>) -> Result<Vec<Target>, String> {
        let ctx = self.progress.state.context(None);
        let inventory = self.inventory()?;
        let render = |t: &str| {
            render::step_text(step, t, &ctx).map_err(|e| format!("cannot render `on:`: {e}"))
        };
        let found = match &on.value {
            OnValue::List(items) => {
                let names = items
                    .iter()
                    .map(|i| render(&i.value))
                    .collect::<Result<Vec<String>, String>>()?;
                crate::fleet::targets(On::Names(&names), inventory.as_ref())
            }
            OnValue::Text(text) => {
                let text = render(&text.value)?;
                crate::fleet::targets(On::Text(&text), inventory.as_ref())
            }
        };
        let found = found.map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        if inventory.is_some()
            && let Some(u) = found.unknown.first()
        {
            // A name the inventory does not know is most likely a typo: never guessed.
            return Err(format!(
                "`{}` in `on:` is neither a host nor a group of the inventory{}",
                u.name,
                u.suggestion
                    .as_ref()
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"))
            ));
        }
        Ok(found.hosts)
    }

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
        let rendered =
            match render::step_script(step, &run.value, &self.progress.state.context(None), &shell)
            {
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
        let run = HostRun {
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
                self.remember_on_hosts(step, &shell, &hosts, results);
                break self.done(step, started, None, Flow::Next)?;
            }
            let interrupted = results
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
                self.remember_on_hosts(step, &shell, &hosts, results);
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
                    self.remember_on_hosts(step, &shell, &hosts, &ledger.results);
                    break self.skipped_with(step, started, None, reason, || {
                        format!("skipped after failure ({problem})")
                    })?;
                }
                _ => {
                    // The hosts where it did complete can be rolled back (the canary).
                    self.remember_on_hosts(step, &shell, &hosts, &ledger.results);
                    let status = if interrupted {
                        StepStatus::Interrupted
                    } else {
                        StepStatus::Failed
                    };
                    break self.abort_after(step, started, (status, None), problem, failed)?;
                }
            }
            attempt += 1;
            self.progress.tally.retried += 1;
            self.out.record(Event::Retry {
                step: step.id(),
                attempt,
                automatic: false,
                host: None,
            })?;
            todo = failures;
            for &i in &todo {
                ledger.results[i] = None;
            }
        };
        // The multiplexed connections end with the step: nothing of the run is left behind.
        remote::close_masters(&ssh, &hosts);
        Ok(flow)
    }

    /// The step's rollback, to run on the hosts where it completed, newest first (also when
    /// the step as a whole failed or was skipped: those hosts did change).
    fn remember_on_hosts(
        &mut self,
        step: &Step,
        shell: &crate::load::Shell,
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
        self.remember_rollback(step, shell);
        if self.progress.completed.len() > before
            && let Some(c) = self.progress.completed.last_mut()
        {
            c.hosts = done.into_iter().map(|(_, h)| h).collect();
        }
    }

    fn show_batches(
        &mut self,
        hosts: &[Target],
        batches: &[std::ops::Range<usize>],
        concurrency: usize,
        allowed: usize,
    ) {
        let n = hosts.len();
        let at_once = if concurrency >= n {
            String::new()
        } else {
            format!(", {concurrency} at a time")
        };
        let head = if batches.len() <= 1 {
            format!("on {n} host{}{at_once}", plural(n))
        } else {
            format!(
                "on {n} host{} in {} batches{at_once}",
                plural(n),
                batches.len()
            )
        };
        let stop = if allowed == 0 {
            "the first failure stops the step".to_string()
        } else {
            format!("stops once more than {allowed} fail")
        };
        self.out
            .screen
            .status(Status::Info, &format!("{head}; {stop}"));
        for (k, b) in batches.iter().enumerate().take(20) {
            let list: Vec<&str> = hosts[b.clone()].iter().map(|h| h.name.as_str()).collect();
            let shown = if list.len() > 12 {
                format!("{} … ({} hosts)", list[..12].join(" "), list.len())
            } else {
                list.join(" ")
            };
            self.out
                .screen
                .line(&format!("    batch {}: {shown}", k + 1));
        }
        if batches.len() > 20 {
            self.out
                .screen
                .line(&format!("    … {} more batches", batches.len() - 20));
        }
    }

    /// Runs the hosts `todo` of each batch; `Some(why)` when it stopped before the end (too
    /// many failures, Ctrl-C, the operator at a batch's confirmation).
    fn run_batches(
        &mut self,
        step: &Step,
        (hosts, batches, todo): (&[Target], &[std::ops::Range<usize>], &[usize]),
        run: &HostRun<'_>,
        (script, values): (&str, &[(String, String)]),
        (concurrency, allowed): (usize, usize),
        ledger: &mut Ledger,
    ) -> Result<Option<String>, ExecError> {
        let width = hosts
            .iter()
            .map(|h| h.name.chars().count())
            .max()
            .unwrap_or(0);
        let env = match self.step_env(step) {
            Ok(env) => env,
            Err(e) => return Ok(Some(format!("the step's environment cannot be given: {e}"))),
        };
        let mut first = true;
        for batch in batches {
            let members: Vec<usize> = batch.clone().filter(|i| todo.contains(i)).collect();
            if members.is_empty() {
                continue;
            }
            let failed_so_far = ledger.results.iter().flatten().filter(|r| !r.ok).count();
            if failed_so_far > allowed {
                return Ok(Some(format!(
                    "{failed_so_far} host{} failed, more than max_failures ({allowed}): the next batch was not started",
                    plural(failed_so_far)
                )));
            }
            if !first && step.confirm_batches.as_ref().is_some_and(|c| c.value) {
                let list = names(hosts, &members);
                let number = batches.iter().position(|b| b == batch).map_or(0, |k| k + 1);
                let q = Question::NextBatch {
                    step: step.id(),
                    hosts: list.clone(),
                    batch: number,
                    of: batches.len(),
                    dangerous: step.is_dangerous(),
                };
                if self.ask(&q)? != Answer::Done {
                    return Ok(Some(format!(
                        "stopped by the operator before batch {number} ({list})"
                    )));
                }
                self.out.screen.status(
                    Status::Info,
                    &format!("batch {number} of {}: {list}", batches.len()),
                );
            }
            first = false;
            let mut payloads = Vec::with_capacity(members.len());
            for &i in &members {
                let mut vars = env.clone();
                vars.extend(values.iter().cloned());
                vars.push(("RUNBOOK_HOST".into(), hosts[i].name.clone()));
                match remote::payload(&vars, script) {
                    Ok(p) => payloads.push(p),
                    Err(problem) => return Ok(Some(problem)),
                }
            }
            let stop = self.run_hosts(
                step,
                hosts,
                &members,
                payloads,
                run,
                (width, concurrency, allowed),
                ledger,
            )?;
            if stop.is_some() {
                return Ok(stop);
            }
        }
        Ok(None)
    }

    #[allow(clippy::too_many_arguments)]
    fn run_hosts(
        &mut self,
        step: &Step,
        hosts: &[Target],
        members: &[usize],
        payloads: Vec<Vec<u8>>,
        run: &HostRun<'_>,
        (width, concurrency, allowed): (usize, usize, usize),
        ledger: &mut Ledger,
    ) -> Result<Option<String>, ExecError> {
        let id = step.id();
        let mut round = Round {
            expected: step
                .expect
                .as_ref()
                .filter(|e| !e.exit.is_empty())
                .map_or(vec![0], |e| e.exit.iter().map(|c| c.value as i32).collect()),
            shown: (0..hosts.len()).map(|_| None).collect(),
            allowed,
            stop: None,
            drill: self.cfg.mode == Mode::Drill,
        };
        let mut queue: VecDeque<(usize, Vec<u8>)> = members.iter().copied().zip(payloads).collect();
        let mut later: Vec<Later> = Vec::new();
        // What was sent to a host that may be retried, to send it again.
        let mut spare: Vec<Option<Vec<u8>>> = vec![None; hosts.len()];
        let (tx, rx) = mpsc::sync_channel::<Msg>(IN_FLIGHT);
        let mut running: Vec<(usize, Arc<AtomicBool>)> = Vec::new();
        loop {
            while round.stop.is_none() && running.len() < concurrency.max(1) {
                let now = Instant::now();
                let next = match later.iter().position(|(at, ..)| *at <= now) {
                    Some(k) => {
                        let (_, i, payload, _) = later.remove(k);
                        Some((i, payload))
                    }
                    None => queue.pop_front(),
                };
                let Some((i, payload)) = next else {
                    break;
                };
                ledger.tries[i] += 1;
                let attempt = ledger.tries[i];
                spare[i] = (attempt <= run.retries).then(|| payload.clone());
                let host = &hosts[i];
                self.out.record(Event::HostStarted {
                    step: id.clone(),
                    host: host.name.clone(),
                    attempt,
                })?;
                let seq = self.out.journal.next_seq();
                round.shown[i] = Some(Shown {
                    label: format!("{:<width$}", host.name),
                    hide: step.capture.as_ref().filter(|c| c.secret).map(|c| {
                        if c.from == CaptureFrom::Stderr {
                            Stream::Stderr
                        } else {
                            Stream::Stdout
                        }
                    }),
                    colour: COLOURS[i % COLOURS.len()],
                    partial: Default::default(),
                    log: self
                        .out
                        .journal
                        .output_log(seq, &format!("{id}-{}", host.name)),
                    tail: Vec::new(),
                    last: String::new(),
                    stderr_tail: Vec::new(),
                });
                let simulated = if !round.drill {
                    None
                } else if step
                    .simulate_hosts
                    .iter()
                    .any(|(h, _)| h.value == host.name)
                {
                    crate::exec::command::simulated_on(step, &host.name, attempt)
                } else {
                    Some(self.simulated(step, attempt).unwrap_or_default())
                };
                let spec = CommandSpec {
                    argv: remote::argv(run.ssh, host, run.words),
                    timeout: run.timeout,
                    stdin: Some(payload),
                    // Kept only to read a `capture` or check `expect.stdout`.
                    capture_limit: if step.capture.is_some()
                        || step.expect.as_ref().is_some_and(|e| e.stdout.is_some())
                    {
                        None
                    } else {
                        Some(0)
                    },
                    simulated,
                    ..CommandSpec::default()
                };
                if round.drill {
                    // Played here, one host after the other: nothing is reached.
                    let mut collect = Collect::default();
                    let outcome = self.shell.run(&spec, &mut collect);
                    for (stream, bytes) in collect.chunks {
                        self.host_output(&mut round.shown, i, stream, &bytes);
                    }
                    let retry =
                        self.host_done(step, hosts, i, outcome, (&mut round, run), ledger)?;
                    Self::retry_later(i, retry, run, (&mut spare, &mut later), ledger);
                    continue;
                }
                let flag = Arc::new(AtomicBool::new(false));
                let worker_flag = Arc::clone(&flag);
                let worker_tx = tx.clone();
                std::thread::spawn(move || {
                    let shell = ProcessShell::new(worker_flag);
                    let mut sink = ChannelSink {
                        host: i,
                        tx: worker_tx.clone(),
                    };
                    let outcome = shell.run_beside(&spec, &mut sink);
                    let _ = worker_tx.send(Msg::Done(i, outcome));
                });
                running.push((i, flag));
            }
            if running.is_empty() && (later.is_empty() || round.stop.is_some()) {
                break;
            }
            // Ctrl-C or an ending signal: every host's command is ended, none starts.
            if self.interrupt.load(Ordering::SeqCst) || crate::exec::signals::received_count() > 0 {
                self.interrupt.store(false, Ordering::SeqCst);
                for (_, flag) in &running {
                    flag.store(true, Ordering::SeqCst);
                }
                if round.stop.is_none() {
                    round.stop = Some("interrupted: the hosts' commands were ended".into());
                }
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(Msg::Out(i, stream, bytes)) => {
                    self.host_output(&mut round.shown, i, stream, &bytes);
                }
                Ok(Msg::Done(i, outcome)) => {
                    running.retain(|(k, _)| *k != i);
                    let retry =
                        self.host_done(step, hosts, i, outcome, (&mut round, run), ledger)?;
                    Self::retry_later(i, retry, run, (&mut spare, &mut later), ledger);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        // The step stopped before their retry: how their last try ended is their result.
        for (_, i, _, result) in later {
            ledger.results[i] = Some(result);
        }
        Ok(round.stop)
    }

    /// A host whose command failed and may run again (`retries`) waits `retry_delay` for it;
    /// otherwise how it ended is its result.
    fn retry_later(
        i: usize,
        retry: Option<HostResult>,
        run: &HostRun<'_>,
        (spare, later): (&mut [Option<Vec<u8>>], &mut Vec<Later>),
        ledger: &mut Ledger,
    ) {
        let Some(result) = retry else {
            return;
        };
        match spare[i].take() {
            Some(payload) => later.push((Instant::now() + run.delay, i, payload, result)),
            None => ledger.results[i] = Some(result),
        }
    }

    /// One host's command has ended: its last line shown, its end journaled and said, its
    /// result kept; too many failures stop the step from starting more. A failed host that
    /// `retries` runs again is not counted yet: its result is returned, to wait for its retry.
    fn host_done(
        &mut self,
        step: &Step,
        hosts: &[Target],
        i: usize,
        outcome: Outcome,
        (round, run): (&mut Round, &HostRun<'_>),
        ledger: &mut Ledger,
    ) -> Result<Option<HostResult>, ExecError> {
        let Some(mut s) = round.shown[i].take() else {
            return Ok(None);
        };
        self.flush_host(&mut s);
        let log_path = s.log.relative().to_string();
        s.log.close();
        let name = &hosts[i].name;
        let stderr_tail = String::from_utf8_lossy(&s.stderr_tail).into_owned();
        let ssh_problem = if round.drill {
            None
        } else {
            remote::ssh_problem(&outcome.exit, &stderr_tail, name)
        };
        let ssh_problem_said = ssh_problem.is_some();
        // It ran for its `duration`, as planned: that is its success.
        let planned = run.planned && outcome.exit == Exit::TimedOut;
        let mut ok = ssh_problem.is_none()
            && (planned || matches!(outcome.exit, Exit::Code(c) if round.expected.contains(&c)));
        let mut why = ssh_problem.unwrap_or_else(|| outcome_text(&outcome.exit, planned));
        // `expect.stdout`: each host's own output must match.
        if ok && let Some(pattern) = step.expect.as_ref().and_then(|e| e.stdout.as_ref()) {
            match regex::Regex::new(&pattern.value) {
                Ok(re) if re.is_match(&outcome.stdout.text) => {}
                Ok(_) => {
                    ok = false;
                    why = format!("the output does not match `{}`", pattern.value);
                }
                Err(e) => {
                    ok = false;
                    why = format!("invalid `expect.stdout`: {e}");
                }
            }
        }
        // `capture`: each host's value, read from its own output.
        let mut captured = None;
        if ok && let Some(capture) = &step.capture {
            match crate::exec::command::captured(step, &outcome) {
                Ok((value, _)) => {
                    if capture.secret && !value.is_empty() && !self.out.secrets.contains(&value) {
                        // Masked from here on, and in what the host printed on its other
                        // stream (the captured one was never kept).
                        self.out.add_secret(&value);
                        if let Err(e) = self.out.journal.remask_log(&log_path, &self.out.secrets) {
                            self.out.screen.status(
                                Status::Warning,
                                &format!("could not mask the secret captured on {} in its output log {log_path}: {e}; delete that file", hosts[i].name),
                            );
                        } else if !s.tail.is_empty() {
                            self.out.screen.status(
                                Status::Info,
                                &format!("{}: the secret captured was shown above if its other stream printed it; it is masked in its log and the journal", hosts[i].name),
                            );
                        }
                    }
                    captured = Some(value);
                }
                Err(problem) => {
                    ok = false;
                    why = problem;
                }
            }
        }
        let status = match outcome.exit {
            _ if ok => StepStatus::Ok,
            Exit::TimedOut => StepStatus::Timeout,
            _ => StepStatus::Failed,
        };
        let tail = self.out.mask(&String::from_utf8_lossy(&s.tail));
        self.out.record(Event::HostFinished {
            step: step.id(),
            host: name.clone(),
            status,
            exit_code: exit_code(&outcome.exit),
            outcome: self.out.mask(&why),
            duration_ms: outcome.duration.as_millis() as u64,
            log: Some(s.log.relative().to_string()),
            tail,
            value: captured.as_ref().map(|v| self.out.mask(v)),
            address: hosts[i].address.clone(),
            port: hosts[i].port,
            user: hosts[i].user.clone(),
        })?;
        if ok {
            self.out.screen.status(
                Status::Ok,
                &format!("{name} {}", outcome_text(&outcome.exit, planned)),
            );
        } else {
            self.out
                .screen
                .status(Status::Failed, &format!("{name} {why}"));
        }
        let result = HostResult {
            ok,
            ended: Instant::now(),
            exit: outcome.exit,
            duration: outcome.duration,
            // The host's own last line says more than `exit 3`; ssh's problem more than its.
            last: if !ok && (ssh_problem_said || s.last.is_empty() || captured.is_none()) {
                why
            } else {
                // Masked now: a secret this host's command made was not known as it printed.
                self.out.mask(&s.last)
            },
            captured,
        };
        // `retries`: run again by itself, unless the operator or a signal stopped it.
        let tries = ledger.tries[i];
        if !ok
            && tries <= run.retries
            && result.exit != Exit::Interrupted
            && round.stop.is_none()
            && !self.interrupt.load(Ordering::SeqCst)
        {
            self.out.screen.status(
                Status::Warning,
                &format!(
                    "{name} retry {tries} of {} in {}",
                    run.retries,
                    duration(run.delay)
                ),
            );
            self.progress.tally.retried += 1;
            self.out.record(Event::Retry {
                step: step.id(),
                attempt: tries + 1,
                automatic: true,
                host: Some(name.clone()),
            })?;
            return Ok(Some(result));
        }
        ledger.results[i] = Some(result);
        let failures = ledger.results.iter().flatten().filter(|r| !r.ok).count();
        if failures > round.allowed && round.stop.is_none() {
            round.stop = Some(format!(
                "{failures} host{} failed, more than max_failures ({}): no other host was started",
                plural(failures),
                round.allowed
            ));
        }
        Ok(None)
    }

    /// Shows the complete lines of a host's output behind its name, and logs them.
    fn host_output(&mut self, shown: &mut [Option<Shown>], i: usize, stream: Stream, bytes: &[u8]) {
        let Some(s) = shown.get_mut(i).and_then(Option::as_mut) else {
            return;
        };
        if s.hide == Some(stream) {
            // The secret being captured: not even held for a line.
            return;
        }
        let idx = usize::from(stream == Stream::Stderr);
        s.partial[idx].extend_from_slice(bytes);
        if idx == 1 {
            keep_tail(&mut s.stderr_tail, bytes);
        }
        loop {
            let end = match memchr::memchr(b'\n', &s.partial[idx]) {
                Some(n) => n + 1,
                // A line this long is shown in pieces; the end that could start a secret
                // stays for the next piece, so that the secret is masked whole.
                None if s.partial[idx].len() > LINE_MAX => {
                    let hold = self
                        .out
                        .secrets
                        .iter()
                        .map(|x| x.len().saturating_sub(1))
                        .max()
                        .unwrap_or(0);
                    s.partial[idx].len().saturating_sub(hold).max(1)
                }
                None => break,
            };
            let line: Vec<u8> = s.partial[idx].drain(..end).collect();
            self.host_line(s, &line);
        }
    }

    fn host_line(&mut self, s: &mut Shown, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\n', '\r']);
        let masked = self.out.mask(text);
        // The log keeps the line as printed; the screen its final state (a progress bar
        // redrawn with carriage returns shows its last drawing).
        let _ = s.log.write(format!("{masked}\n").as_bytes());
        let shown = masked
            .rsplit('\r')
            .find(|part| !part.is_empty())
            .unwrap_or("");
        keep_tail(&mut s.tail, format!("{shown}\n").as_bytes());
        if !shown.trim().is_empty() {
            s.last = shown.trim().to_string();
        }
        self.out.screen.host_line(&s.label, s.colour, shown);
    }

    fn flush_host(&mut self, s: &mut Shown) {
        for idx in 0..2 {
            if !s.partial[idx].is_empty() {
                let line = std::mem::take(&mut s.partial[idx]);
                self.host_line(s, &line);
            }
        }
    }

    /// The table that ends the step: each host, how it ended, how long it took, its last line.
    fn host_table(&mut self, hosts: &[Target], results: &[Option<HostResult>]) {
        let width = hosts
            .iter()
            .map(|h| h.name.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        self.out.screen.blank();
        self.out.screen.line(&format!(
            "  {:<width$}  {:<6}  {:>8}  last line",
            "host", "exit", "time"
        ));
        for (h, r) in hosts.iter().zip(results) {
            let (exit, time, last) = match r {
                Some(r) => (
                    match &r.exit {
                        Exit::Code(c) => c.to_string(),
                        Exit::TimedOut => "timeout".into(),
                        Exit::Interrupted => "stopped".into(),
                        Exit::Signal(s) => format!("sig {s}"),
                        Exit::NotStarted(_) => "–".into(),
                    },
                    duration(r.duration),
                    r.last.clone(),
                ),
                None => ("–".into(), "–".into(), "not started".into()),
            };
            // A host's own last line is cut to the screen; what went wrong is said whole.
            let room = self.out.screen.width().saturating_sub(width + 24).max(30);
            let last: String = if r.as_ref().is_some_and(|r| !r.ok) {
                last
            } else {
                last.chars().take(room).collect()
            };
            self.out.screen.line(&format!(
                "  {:<width$}  {exit:<6}  {time:>8}  {last}",
                h.name
            ));
        }
    }
}

fn keep_tail(tail: &mut Vec<u8>, bytes: &[u8]) {
    tail.extend_from_slice(bytes);
    if tail.len() > TAIL_MAX {
        let cut = tail.len() - TAIL_MAX;
        tail.drain(..cut);
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
