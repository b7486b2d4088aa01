//! The batches of a step on several hosts, each host's command on a thread of its own, and
//! how each ended (`max_failures`, `retries`).

use super::*;

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
    /// Runs the hosts `todo` of each batch; `Some(why)` when it stopped before the end (too
    /// many failures, Ctrl-C, the operator at a batch's confirmation).
    pub(super) fn run_batches(
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
                match remote::payload(&vars, run.dir.as_deref(), script) {
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
    pub(super) fn run_hosts(
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
                // (Also when no command was running: a host waiting for its retry.)
                ledger.interrupted = true;
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
    pub(super) fn retry_later(
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
    pub(super) fn host_done(
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
            match crate::values::pattern::compile(&pattern.value) {
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
        // `capture`: each host's value, read from its own output. A secret is masked from
        // here on even when this try failed (a retry may print it again, and this try's log
        // and tail hold it), as for a command run here.
        let candidate = step
            .capture
            .as_ref()
            .map(|capture| (capture, crate::exec::command::captured(step, &outcome)));
        if let Some((capture, Ok((value, _)))) = &candidate
            && capture.secret
            && !value.is_empty()
            && !self.out.secrets.contains(value)
        {
            // Masked from here on, and in what the host printed on its other stream (the
            // captured one was never kept).
            self.out.add_secret(value);
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
        let mut captured = None;
        if ok && let Some((_, found)) = candidate {
            match found {
                Ok((value, _)) => captured = Some(value),
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
            last: if !ok
                && (ssh_problem_said
                    || s.last.is_empty()
                    || (step.capture.is_some() && captured.is_none()))
            {
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
            self.retried(step, tries + 1, true, Some(name.clone()))?;
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
}
