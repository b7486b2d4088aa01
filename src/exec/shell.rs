//! Running one command: its own process group, live output, timeout, Ctrl-C, bounded capture.
//!
//! How one command runs (`ProcessShell::run`):
//! - it is spawned as the leader of a new process group (process-wrap), stdin `/dev/null`,
//!   stdout and stderr piped;
//! - the calling thread alone does the rest, in one `poll(2)` loop: it reads both pipes as
//!   output arrives and hands it to the sink in arrival order, keeps the captures, ticks the
//!   sink, watches the timeout and the Ctrl-C flag, and learns that the leader exited from a
//!   pidfd (Linux 5.3+; elsewhere, a `waitid(WNOHANG)` every `GROUP_POLL`), which reports the
//!   exit *without reaping* the leader. No thread is started: a trivial command costs one
//!   process and nothing else;
//! - on a timeout the group gets TERM, then KILL after the grace period; on Ctrl-C it gets INT,
//!   then TERM, then KILL; when this process gets SIGTERM, SIGHUP or SIGQUIT (`signals`), the
//!   group gets TERM, then KILL, and the command ends `Interrupted` (a second such signal
//!   hurries the KILL); no command starts once one arrived: the run ends instead;
//! - once the leader has exited, whatever is left of its group gets TERM, then KILL after a
//!   short grace. The TERM goes out while the leader is still an unreaped zombie: the zombie
//!   holds the group id, so it cannot have been reused by an unrelated group;
//! - `run` returns when no live process is left in the group and both pipes are closed (or,
//!   when a process that left the group still holds a pipe, after `DRAIN_LIMIT`).
//!
//! Memory stays bounded whatever the output size: one buffer of `READ_SIZE` bytes is read
//! into, the sink gets it before the next read (a slow sink slows the command through its
//! pipe), and each capture keeps at most `CAPTURE_LIMIT` bytes.

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use process_wrap::std::{ChildWrapper, CommandWrap, ProcessGroup};
use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};

/// Which stream a chunk of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Everything needed to start a command.
#[derive(Debug, Clone, Default)]
pub struct CommandSpec {
    /// Program and arguments, the script included: `["bash", "--noprofile", "--norc", "-eo",
    /// "pipefail", "-c", SCRIPT]`.
    pub argv: Vec<String>,
    /// Variables added to (or overriding) the inherited environment.
    pub env: Vec<(String, String)>,
    /// Working folder; empty means the current folder of this process.
    pub dir: PathBuf,
    pub timeout: Option<Duration>,
    /// What a drill plays instead of running the command (the step's `simulate`).
    pub simulated: Option<Simulated>,
    /// Attached to the terminal (`interactive: true`): the command reads the keyboard and
    /// writes the screen itself; nothing is captured.
    pub interactive: bool,
    /// Written to the command's standard input, which then stays open until the command ends
    /// (`None`: `/dev/null`). A step on another host sends its script to `ssh` this way, and
    /// the remote side ends the script when that input closes.
    pub stdin: Option<Vec<u8>>,
    /// Bytes kept of each stream for the outcome (`None`: `CAPTURE_LIMIT`). A host of a step
    /// on many hosts keeps none: its output is shown and logged as it comes.
    pub capture_limit: Option<usize>,
}

/// A command's simulated result, for drills.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Simulated {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
    /// The command runs past its timeout.
    pub timed_out: bool,
    /// Lines written to `$RUNBOOK_OUTPUT` and `$RUNBOOK_ENV`.
    pub outputs: Vec<(String, String)>,
    pub env: Vec<(String, String)>,
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// Exited with this status.
    Code(i32),
    /// Killed by a signal it did not ask for (number).
    Signal(i32),
    /// Ran past its timeout; its whole process group was ended.
    TimedOut,
    /// The operator pressed Ctrl-C; its whole process group was ended.
    Interrupted,
    /// Could not be started (program missing, folder missing): the reason.
    NotStarted(String),
}

/// Text kept from one stream: at most `CAPTURE_LIMIT` bytes, from the start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    pub text: String,
    pub truncated: bool,
}

/// The most bytes of each stream kept in memory for `capture`, `expect` and `wait.until`.
pub const CAPTURE_LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub exit: Exit,
    pub duration: Duration,
    pub stdout: Captured,
    pub stderr: Captured,
}

/// Receives a command's output as it arrives (raw bytes, not yet masked).
pub trait OutputSink {
    fn output(&mut self, stream: Stream, bytes: &[u8]);
    /// Called about every 100 ms while the command runs (to animate a spinner).
    fn tick(&mut self, _elapsed: Duration) {}
}

/// Runs commands. The real one starts processes; drills replace it with simulated outputs.
pub trait Shell {
    fn run(&mut self, spec: &CommandSpec, sink: &mut dyn OutputSink) -> Outcome;
}

/// Keeps what a command printed, to give it to another sink later (a drill's simulated
/// output, or a command run on another thread): at most `limit` bytes, the rest dropped.
#[derive(Default)]
pub(crate) struct Collect {
    pub(crate) chunks: Vec<(Stream, Vec<u8>)>,
    pub(crate) kept: usize,
    /// 0: no limit.
    pub(crate) limit: usize,
}

impl OutputSink for Collect {
    fn output(&mut self, stream: Stream, bytes: &[u8]) {
        let room = if self.limit == 0 {
            bytes.len()
        } else {
            self.limit.saturating_sub(self.kept).min(bytes.len())
        };
        if room > 0 {
            self.chunks.push((stream, bytes[..room].to_vec()));
            self.kept += room;
        }
    }
}

/// A command that already ran (on another thread): `run` gives its output to the sink as it
/// came and returns how it ended, so that it is journaled like any other.
pub(crate) struct Played {
    pub(crate) output: Vec<(Stream, Vec<u8>)>,
    pub(crate) outcome: Option<Outcome>,
}

impl Shell for Played {
    fn run(&mut self, _spec: &CommandSpec, sink: &mut dyn OutputSink) -> Outcome {
        for (stream, bytes) in self.output.drain(..) {
            sink.output(stream, &bytes);
        }
        self.outcome.take().unwrap_or(Outcome {
            exit: Exit::NotStarted("it was played already".into()),
            duration: Duration::ZERO,
            stdout: Captured::default(),
            stderr: Captured::default(),
        })
    }
}

/// Starts real processes, each in its own process group.
///
/// The interrupt flag is acted on only while a command's leader runs; a Ctrl-C that arrives
/// before `run` or after the leader has exited stays in the flag for the caller.
pub struct ProcessShell {
    /// Set by the SIGINT handler; the shell clears it when it has acted on it.
    pub interrupt: Arc<AtomicBool>,
    /// After INT (on Ctrl-C) or TERM (on timeout), how long before the next signal.
    pub grace: Duration,
}

/// The grace period `ProcessShell::new` uses.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);

/// Bytes asked for by one read of a pipe (a Linux pipe holds 64 KiB by default).
const READ_SIZE: usize = 64 * 1024;
/// How often the sink ticks.
const TICK: Duration = Duration::from_millis(100);
/// The longest grace given to what is left of the group after its leader exited normally.
const CLEANUP_GRACE: Duration = Duration::from_secs(1);
/// How often to look whether the group is empty once the leader is gone (and, without a
/// pidfd, whether the leader has exited).
const GROUP_POLL: Duration = Duration::from_millis(10);
/// After KILL, how long to wait for the group to disappear (a process stuck in the kernel).
const KILL_WAIT: Duration = Duration::from_secs(2);
/// Once the group is gone, how long to wait for the pipes to close: a process that left the
/// group (`setsid`) may hold them forever.
const DRAIN_LIMIT: Duration = Duration::from_secs(1);

/// Registers a SIGINT handler that sets the returned flag (give it to `ProcessShell`).
///
/// Ctrl-C then no longer ends this process: whoever holds the flag decides what it means.
pub fn install_interrupt_handler() -> io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&flag))?;
    Ok(flag)
}

impl ProcessShell {
    /// A command attached to the terminal: it inherits runbook's standard input, output and
    /// error, and stays in runbook's process group, the terminal's foreground, so that it can
    /// read the keyboard and Ctrl-C reaches it as at any prompt. Its output is not captured
    /// (so not masked or logged either); its exit status is kept.
    fn attached(&self, spec: &CommandSpec) -> Outcome {
        let started = Instant::now();
        let mut command = match command_for(spec) {
            Ok(c) => c,
            Err(reason) => return Outcome::not_started(reason, started),
        };
        command
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        let program = spec.argv.first().cloned().unwrap_or_default();
        let status = match command.status() {
            Ok(status) => status,
            Err(e) => return Outcome::not_started(start_error(&program, &e), started),
        };
        // A Ctrl-C during the command was the command's.
        self.interrupt
            .store(false, std::sync::atomic::Ordering::SeqCst);
        use std::os::unix::process::ExitStatusExt;
        let exit = match (status.code(), status.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => Exit::Code(-1),
        };
        Outcome {
            exit,
            duration: started.elapsed(),
            stdout: Captured::default(),
            stderr: Captured::default(),
        }
    }

    pub fn new(interrupt: Arc<AtomicBool>) -> ProcessShell {
        ProcessShell {
            interrupt,
            grace: DEFAULT_GRACE,
        }
    }
}

impl Shell for ProcessShell {
    fn run(&mut self, spec: &CommandSpec, sink: &mut dyn OutputSink) -> Outcome {
        // SIGTERM or SIGHUP already arrived: end the run rather than start a command.
        super::signals::end_if_pending();
        if spec.interactive {
            return self.attached(spec);
        }
        self.start(spec, sink, true)
    }
}

impl ProcessShell {
    /// Runs a command; `pidfd: false` watches the leader with `waitid(WNOHANG)` instead, as
    /// on systems without pidfds (the tests run both ways).
    fn start(&self, spec: &CommandSpec, sink: &mut dyn OutputSink, pidfd: bool) -> Outcome {
        let started = Instant::now();
        let mut child = match spawn(spec) {
            Ok(child) => child,
            Err(reason) => return Outcome::not_started(reason, started),
        };
        // The input is written by a thread of its own (a command may print before it reads),
        // which holds the pipe open until `feeding` is dropped, once the command has ended.
        let feeding = spec.stdin.as_ref().and_then(|bytes| {
            let mut pipe = child.stdin().take()?;
            let bytes = bytes.clone();
            let (done, wait) = std::sync::mpsc::channel::<()>();
            std::thread::spawn(move || {
                use std::io::Write;
                // A command that exits without reading it all closes the pipe: nothing to do.
                let _ = pipe.write_all(&bytes).and_then(|()| pipe.flush());
                let _ = wait.recv();
            });
            Some(done)
        });
        let Some(pgid) = i32::try_from(child.id()).ok().and_then(Pid::from_raw) else {
            // Unreachable: a pid always fits. Without a pid there is nothing safe to signal.
            let _ = child.inner_mut().kill();
            return Outcome::not_started("the command got no process id".into(), started);
        };
        let mut pipes = [
            child.stdout().take().map(OwnedFd::from),
            child.stderr().take().map(OwnedFd::from),
        ];
        for pipe in pipes.iter_mut() {
            // A pipe that cannot be made non-blocking could stall the loop: not read at all.
            if pipe
                .as_ref()
                .is_some_and(|fd| rustix::io::ioctl_fionbio(fd, true).is_err())
            {
                *pipe = None;
            }
        }
        Supervisor {
            child,
            pgid,
            leader_fd: if pidfd { leader_fd(pgid) } else { None },
            pipes,
            buf: vec![0; READ_SIZE],
            started,
            interrupt: &self.interrupt,
            grace: self.grace,
            timeout_at: spec.timeout.and_then(|t| started.checked_add(t)),
            sink,
            stdout: Capture::new(spec.capture_limit.unwrap_or(CAPTURE_LIMIT)),
            stderr: Capture::new(spec.capture_limit.unwrap_or(CAPTURE_LIMIT)),
            feeding,
        }
        .supervise()
    }

    /// Runs a command on a thread other than the run's main one (the hosts of a step on
    /// several hosts): a pending SIGTERM is left to the main thread, which ends the run at a
    /// safe point; this command is ended by it all the same.
    pub fn run_beside(&self, spec: &CommandSpec, sink: &mut dyn OutputSink) -> Outcome {
        self.start(spec, sink, true)
    }
}

/// A pidfd of the leader, readable once it has exited (Linux 5.3+); `None` where there is
/// none (older kernels, other systems, a seccomp filter that refuses the call).
fn leader_fd(pgid: Pid) -> Option<OwnedFd> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::pidfd_open(pgid, rustix::process::PidfdFlags::empty()).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pgid;
        None
    }
}

/// Whether the leader has exited, without reaping it (for systems without a pidfd).
fn leader_has_exited(pgid: Pid) -> io::Result<bool> {
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOWAIT | WaitIdOptions::NOHANG;
    loop {
        match rustix::process::waitid(WaitId::Pid(pgid), options) {
            Ok(status) => return Ok(status.is_some()),
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// The command of a spec: its program, arguments, folder and environment (without the
/// variables that would make it run something else), its standard streams not yet set.
fn command_for(spec: &CommandSpec) -> Result<Command, String> {
    let Some((program, args)) = spec.argv.split_first() else {
        return Err("no program to run".into());
    };
    let has_dir = !spec.dir.as_os_str().is_empty();
    if has_dir && !spec.dir.is_dir() {
        let what = if spec.dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(format!("folder `{}` {what}", spec.dir.display()));
    }
    let mut command = Command::new(program);
    for name in crate::values::DROPPED_ENV {
        if !spec.env.iter().any(|(k, _)| k == name) {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)));
    if has_dir {
        command.current_dir(&spec.dir);
    }
    Ok(command)
}

fn start_error(program: &str, e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => format!("program `{program}` not found"),
        io::ErrorKind::PermissionDenied => format!("program `{program}` is not executable"),
        _ => format!("could not start `{program}`: {e}"),
    }
}

fn spawn(spec: &CommandSpec) -> Result<Box<dyn ChildWrapper>, String> {
    let mut command = command_for(spec)?;
    command
        .stdin(if spec.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = spec.argv.first().cloned().unwrap_or_default();
    let mut command = CommandWrap::from(command);
    command.wrap(ProcessGroup::leader());
    command.spawn().map_err(|e| start_error(&program, &e))
}

/// Sends a signal to every process of the group. A stopped process only acts on INT or TERM
/// once continued, so CONT follows them.
fn signal_group(pgid: Pid, signal: Signal) {
    // ESRCH (nobody left) is the outcome we want anyway.
    let _ = rustix::process::kill_process_group(pgid, signal);
    if signal != Signal::KILL {
        let _ = rustix::process::kill_process_group(pgid, Signal::CONT);
    }
}

/// True when no live process is left in the group (zombies waiting for init do not count).
fn group_is_empty(pgid: Pid) -> bool {
    match rustix::process::test_kill_process_group(pgid) {
        Err(rustix::io::Errno::SRCH) => true,
        _ => matches!(live_member(pgid), Ok(false)),
    }
}

/// Looks through `/proc` for a process of the group that is not a zombie (Linux only; an
/// error elsewhere, and then only the signals tell).
fn live_member(pgid: Pid) -> io::Result<bool> {
    let wanted = pgid.as_raw_pid().to_string();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        if !name.as_encoded_bytes().iter().all(u8::is_ascii_digit) {
            continue;
        }
        // The process may have gone since the listing.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        let Some((_, fields)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut fields = fields.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1);
        if pgrp == Some(wanted.as_str()) && !matches!(state, Some("Z" | "X" | "x")) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `now + d`, saturating far in the future instead of overflowing.
fn later(now: Instant, d: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(365 * 24 * 3600);
    now.checked_add(d.min(FAR)).unwrap_or(now)
}

/// The signals still to send to the group, one per grace period.
struct Escalation {
    rest: &'static [Signal],
    next_at: Option<Instant>,
    grace: Duration,
    killed_at: Option<Instant>,
    begun: bool,
}

impl Escalation {
    fn idle() -> Escalation {
        Escalation {
            rest: &[],
            next_at: None,
            grace: Duration::ZERO,
            killed_at: None,
            begun: false,
        }
    }

    fn begin(&mut self, pgid: Pid, signals: &'static [Signal], grace: Duration, now: Instant) {
        self.begun = true;
        self.rest = signals;
        self.grace = grace;
        self.send_next(pgid, now);
    }

    /// Sends no more signals: the group is gone, and its id may be reused.
    fn stop(&mut self) {
        self.rest = &[];
        self.next_at = None;
    }

    /// Sends the next signal if its time has come.
    fn advance(&mut self, pgid: Pid, now: Instant) {
        if self.next_at.is_some_and(|at| now >= at) {
            self.send_next(pgid, now);
        }
    }

    fn send_next(&mut self, pgid: Pid, now: Instant) {
        let Some((&signal, rest)) = self.rest.split_first() else {
            return;
        };
        signal_group(pgid, signal);
        if signal == Signal::KILL {
            self.killed_at = Some(now);
        }
        self.rest = rest;
        self.next_at = (!rest.is_empty()).then(|| later(now, self.grace));
    }
}

/// Bytes kept from one stream, up to `limit`.
struct Capture {
    bytes: Vec<u8>,
    truncated: bool,
    limit: usize,
}

impl Capture {
    fn new(limit: usize) -> Capture {
        Capture {
            bytes: Vec::new(),
            truncated: false,
            limit,
        }
    }

    fn keep(&mut self, chunk: &[u8]) {
        let room = self.limit.saturating_sub(self.bytes.len());
        if chunk.len() > room {
            self.truncated = true;
        }
        self.bytes
            .extend_from_slice(&chunk[..chunk.len().min(room)]);
    }

    fn into_captured(self) -> Captured {
        let text = match String::from_utf8(self.bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Captured {
            text,
            truncated: self.truncated,
        }
    }
}

impl Outcome {
    fn not_started(reason: String, started: Instant) -> Outcome {
        Outcome {
            exit: Exit::NotStarted(reason),
            duration: started.elapsed(),
            stdout: Captured::default(),
            stderr: Captured::default(),
        }
    }
}

fn exit_of(status: ExitStatus) -> Exit {
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => Exit::Code(-1),
    }
}

/// One running command, watched by the calling thread.
struct Supervisor<'a> {
    child: Box<dyn ChildWrapper>,
    pgid: Pid,
    /// Readable once the leader has exited; `None`: ask `waitid` every `GROUP_POLL`.
    leader_fd: Option<OwnedFd>,
    /// stdout and stderr, until each reaches its end.
    pipes: [Option<OwnedFd>; 2],
    buf: Vec<u8>,
    started: Instant,
    interrupt: &'a AtomicBool,
    grace: Duration,
    timeout_at: Option<Instant>,
    sink: &'a mut dyn OutputSink,
    stdout: Capture,
    stderr: Capture,
    /// Holds the command's standard input open while it runs; dropped (the input ends) as
    /// soon as the command is being ended or its leader has exited, so that what reads it
    /// elsewhere (a host's wrapper, over a connection another ssh process holds) ends too,
    /// not a drain later.
    feeding: Option<std::sync::mpsc::Sender<()>>,
}

/// What one wait for events saw.
#[derive(Default)]
struct Woken {
    leader_exited: bool,
    wait_failed: bool,
}

impl Supervisor<'_> {
    fn supervise(mut self) -> Outcome {
        // Set when we end the command (timeout, Ctrl-C): it overrides the leader's status.
        let mut forced: Option<Exit> = None;
        let mut escalation = Escalation::idle();
        let mut leader_exited = false;
        let mut wait_failed = false;
        let mut leader: Option<Exit> = None;
        let mut group_check_at = self.started;
        let mut drain_until: Option<Instant> = None;
        let mut next_tick = later(self.started, TICK);
        // SIGTERM, SIGHUP or SIGQUIT to this process acted on so far.
        let mut signals_seen = 0;

        loop {
            let mut wake = next_tick;
            if leader.is_none() && forced.is_none() {
                wake = self.timeout_at.map_or(wake, |t| wake.min(t));
            }
            wake = escalation.next_at.map_or(wake, |t| wake.min(t));
            if leader.is_some() && drain_until.is_none() {
                wake = wake.min(group_check_at);
            }
            wake = drain_until.map_or(wake, |t| wake.min(t));
            let mut wait = wake.saturating_duration_since(Instant::now());
            if !leader_exited && self.leader_fd.is_none() {
                wait = wait.min(GROUP_POLL);
            }

            let woken = self.wait_and_read(wait, !leader_exited);
            if woken.leader_exited && !leader_exited {
                leader_exited = true;
                wait_failed = woken.wait_failed;
            }

            let now = Instant::now();
            if now >= next_tick {
                self.sink.tick(now.duration_since(self.started));
                next_tick = later(now, TICK);
            }

            if leader.is_none() && !leader_exited {
                if self.interrupt.swap(false, Ordering::SeqCst) {
                    if forced.is_none() {
                        forced = Some(Exit::Interrupted);
                        const SIGNALS: &[Signal] = &[Signal::INT, Signal::TERM, Signal::KILL];
                        escalation.begin(self.pgid, SIGNALS, self.grace, now);
                    } else {
                        // Ctrl-C while already ending the command: hurry.
                        escalation.send_next(self.pgid, now);
                    }
                }
                let received = super::signals::received_count();
                if received > signals_seen {
                    // This process is told to stop: end the command (TERM, then KILL).
                    if !escalation.begun {
                        escalation.begin(self.pgid, &[Signal::TERM, Signal::KILL], self.grace, now);
                    } else if signals_seen > 0 || escalation.rest.first() == Some(&Signal::TERM) {
                        // Already ending it after Ctrl-C (TERM to come), or told twice: hurry.
                        escalation.send_next(self.pgid, now);
                    }
                    forced = Some(Exit::Interrupted);
                    signals_seen = received;
                }
                if forced.is_none() && self.timeout_at.is_some_and(|t| now >= t) {
                    forced = Some(Exit::TimedOut);
                    escalation.begin(self.pgid, &[Signal::TERM, Signal::KILL], self.grace, now);
                }
            }

            if leader.is_none() && leader_exited {
                if wait_failed {
                    // We lost track of the leader: end the group at once.
                    escalation.begin(self.pgid, &[Signal::KILL], Duration::ZERO, now);
                } else if !escalation.begun {
                    // The leader ended on its own: end what it left behind. The leader is still
                    // an unreaped zombie here, so the group id is still ours.
                    let grace = self.grace.min(CLEANUP_GRACE);
                    escalation.begin(self.pgid, &[Signal::TERM, Signal::KILL], grace, now);
                }
                leader = Some(self.reap(wait_failed));
                group_check_at = now;
            }

            if forced.is_some() || leader_exited {
                self.feeding = None;
            }
            escalation.advance(self.pgid, now);

            if leader.is_some() && drain_until.is_none() && now >= group_check_at {
                let killed_long_ago = escalation
                    .killed_at
                    .is_some_and(|at| now.duration_since(at) >= KILL_WAIT);
                if killed_long_ago || group_is_empty(self.pgid) {
                    escalation.stop();
                    drain_until = Some(later(now, DRAIN_LIMIT));
                } else {
                    group_check_at = later(now, GROUP_POLL);
                }
            }

            if let Some(until) = drain_until
                && (self.pipes.iter().all(Option::is_none) || now >= until)
            {
                break;
            }
        }

        // Closing the pipes ends a writer that left the group still holding them (SIGPIPE).
        self.pipes = [None, None];
        let exit = forced
            .or(leader)
            .unwrap_or(Exit::Signal(Signal::KILL.as_raw()));
        Outcome {
            exit,
            duration: self.started.elapsed(),
            stdout: self.stdout.into_captured(),
            stderr: self.stderr.into_captured(),
        }
    }

    /// Waits up to `wait` for output or for the leader's exit (when `watch_leader`), and
    /// hands what was read to the sink. A signal (Ctrl-C) ends the wait early.
    fn wait_and_read(&mut self, wait: Duration, watch_leader: bool) -> Woken {
        let mut woken = Woken::default();
        // Which pipes were ready, and whether the leader's pidfd was.
        let mut ready = [false; 2];
        let mut leader_ready = false;
        {
            let mut fds: Vec<PollFd<'_>> = Vec::with_capacity(3);
            let mut slots: Vec<Option<usize>> = Vec::with_capacity(3);
            for (n, pipe) in self.pipes.iter().enumerate() {
                if let Some(fd) = pipe {
                    fds.push(PollFd::new(fd, PollFlags::IN));
                    slots.push(Some(n));
                }
            }
            if watch_leader && let Some(fd) = &self.leader_fd {
                fds.push(PollFd::new(fd, PollFlags::IN));
                slots.push(None);
            }
            let timeout = Timespec::try_from(wait).unwrap_or(Timespec {
                tv_sec: 1,
                tv_nsec: 0,
            });
            match rustix::event::poll(&mut fds, Some(&timeout)) {
                Ok(_) => {
                    for (fd, slot) in fds.iter().zip(&slots) {
                        if fd.revents().is_empty() {
                            continue;
                        }
                        match slot {
                            Some(n) => ready[*n] = true,
                            None => leader_ready = true,
                        }
                    }
                }
                // A signal (Ctrl-C) arrived: the caller looks at the flag.
                Err(rustix::io::Errno::INTR) => {}
                // Cannot happen with valid descriptors; do not spin.
                Err(_) => std::thread::sleep(wait.min(GROUP_POLL)),
            }
        }
        for (n, stream) in [(0, Stream::Stdout), (1, Stream::Stderr)] {
            if ready[n] {
                self.read_pipe(n, stream);
            }
        }
        if watch_leader {
            if self.leader_fd.is_some() {
                woken.leader_exited = leader_ready;
            } else {
                match leader_has_exited(self.pgid) {
                    Ok(exited) => woken.leader_exited = exited,
                    Err(_) => {
                        woken.leader_exited = true;
                        woken.wait_failed = true;
                    }
                }
            }
        }
        woken
    }

    /// Reads what a ready pipe holds (one buffer's worth) and hands it to the sink; closes
    /// the pipe at its end.
    fn read_pipe(&mut self, n: usize, stream: Stream) {
        let Some(fd) = &self.pipes[n] else {
            return;
        };
        match rustix::io::read(fd, &mut self.buf[..]) {
            Ok(0) => self.pipes[n] = None,
            Ok(len) => {
                let bytes = &self.buf[..len];
                self.sink.output(stream, bytes);
                match stream {
                    Stream::Stdout => self.stdout.keep(bytes),
                    Stream::Stderr => self.stderr.keep(bytes),
                }
            }
            Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => {}
            Err(_) => self.pipes[n] = None,
        }
    }

    /// Reaps the leader (never blocks for long: it has exited, or was just sent KILL).
    fn reap(&mut self, wait_failed: bool) -> Exit {
        // Only the leader itself, not process-wrap's wait, which also waits for every child
        // of ours in the group and would block on the leftovers if we were a subreaper.
        match self.child.inner_mut().wait() {
            Ok(status) => exit_of(status),
            Err(_) if wait_failed => Exit::Signal(Signal::KILL.as_raw()),
            Err(_) => Exit::Code(-1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::thread;

    /// Generous bound showing that something did not hang.
    const NO_HANG: Duration = Duration::from_secs(20);

    #[derive(Default)]
    struct Collect {
        stdout: Vec<u8>,
        stderr: Vec<u8>,
        ticks: usize,
    }

    impl OutputSink for Collect {
        fn output(&mut self, stream: Stream, bytes: &[u8]) {
            match stream {
                Stream::Stdout => self.stdout.extend_from_slice(bytes),
                Stream::Stderr => self.stderr.extend_from_slice(bytes),
            }
        }

        fn tick(&mut self, _elapsed: Duration) {
            self.ticks += 1;
        }
    }

    fn shell() -> ProcessShell {
        ProcessShell {
            interrupt: Arc::new(AtomicBool::new(false)),
            grace: Duration::from_millis(200),
        }
    }

    fn sh(script: &str) -> CommandSpec {
        CommandSpec {
            argv: vec!["sh".into(), "-c".into(), script.into()],
            ..CommandSpec::default()
        }
    }

    fn bash(script: &str) -> CommandSpec {
        CommandSpec {
            argv: vec![
                "bash".into(),
                "--noprofile".into(),
                "--norc".into(),
                "-eo".into(),
                "pipefail".into(),
                "-c".into(),
                script.into(),
            ],
            ..CommandSpec::default()
        }
    }

    fn run(spec: &CommandSpec) -> (Outcome, Collect) {
        let mut sink = Collect::default();
        let outcome = shell().run(spec, &mut sink);
        (outcome, sink)
    }

    /// Whether a process is alive: exists and is not a zombie (an orphan that init has not
    /// reaped yet is dead for our purpose).
    fn alive(pid: i32) -> bool {
        if Path::new("/proc/self/stat").exists() {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next());
            !matches!(state, None | Some("Z" | "X" | "x"))
        } else {
            let pid = Pid::from_raw(pid).unwrap();
            rustix::process::test_kill_process(pid).is_ok()
        }
    }

    fn pids_in(dir: &Path, names: &[&str]) -> Vec<i32> {
        names
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join(name)).unwrap();
                text.trim().parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn exit_codes() {
        assert_eq!(run(&sh("exit 0")).0.exit, Exit::Code(0));
        assert_eq!(run(&sh("exit 3")).0.exit, Exit::Code(3));
        assert_eq!(run(&bash("false; echo unreachable")).0.exit, Exit::Code(1));
        assert_eq!(run(&bash("false | true")).0.exit, Exit::Code(1));
    }

    #[test]
    fn a_signal_we_did_not_send() {
        let (outcome, _) = run(&sh("kill -TERM $$; sleep 5"));
        assert_eq!(outcome.exit, Exit::Signal(15));
    }

    #[test]
    fn streams_stay_apart_and_in_order() {
        let script = "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done";
        let (outcome, sink) = run(&sh(script));
        assert_eq!(outcome.exit, Exit::Code(0));
        let out = "out1\nout2\nout3\nout4\nout5\n";
        let err = "err1\nerr2\nerr3\nerr4\nerr5\n";
        assert_eq!(String::from_utf8(sink.stdout).unwrap(), out);
        assert_eq!(String::from_utf8(sink.stderr).unwrap(), err);
        assert_eq!(
            outcome.stdout,
            Captured {
                text: out.into(),
                truncated: false
            }
        );
        assert_eq!(outcome.stderr.text, err);
    }

    #[test]
    fn env_is_added_to_the_inherited_one_and_dir_is_applied() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = sh(r#"printf '%s|%s|%s' "$GREETING" "$PATH" "$(pwd -P)""#);
        spec.env = vec![("GREETING".into(), "hello world".into())];
        spec.dir = dir.path().to_path_buf();
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.exit, Exit::Code(0));
        let path = std::env::var("PATH").unwrap_or_default();
        let cwd = dir.path().canonicalize().unwrap();
        let expected = format!("hello world|{path}|{}", cwd.display());
        assert_eq!(outcome.stdout.text, expected);
    }

    #[test]
    fn stdin_is_empty() {
        let (outcome, _) = run(&sh("cat; echo done"));
        assert_eq!(outcome.exit, Exit::Code(0));
        assert_eq!(outcome.stdout.text, "done\n");
    }

    #[test]
    fn given_input_is_written_and_stays_open_until_the_command_ends() {
        // 300 KiB: more than a pipe holds, read after the command has printed.
        let input: Vec<u8> = std::iter::repeat_n(b'x', 300 * 1024).collect();
        let mut spec = bash(
            "echo first; head -c 307200 | wc -c; \
             if IFS= read -r -t 0.2 line; then echo more; else echo still-open=$?; fi",
        );
        spec.stdin = Some(input);
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.exit, Exit::Code(0));
        let lines: Vec<&str> = outcome.stdout.text.lines().collect();
        assert_eq!(lines[0], "first");
        assert_eq!(lines[1].trim(), "307200");
        // `read -t` timed out (status above 128) rather than meeting the end of the input.
        let status: i32 = lines[2]
            .strip_prefix("still-open=")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(status > 128, "{}", outcome.stdout.text);
    }

    #[test]
    fn not_started_when_program_or_folder_is_missing() {
        let spec = CommandSpec {
            argv: vec!["runbook-no-such-program-x".into()],
            ..CommandSpec::default()
        };
        let (outcome, _) = run(&spec);
        assert_eq!(
            outcome.exit,
            Exit::NotStarted("program `runbook-no-such-program-x` not found".into())
        );

        let mut spec = sh("true");
        spec.dir = PathBuf::from("/nonexistent/runbook-folder");
        let (outcome, _) = run(&spec);
        assert_eq!(
            outcome.exit,
            Exit::NotStarted("folder `/nonexistent/runbook-folder` does not exist".into())
        );

        let file = tempfile::NamedTempFile::new().unwrap();
        spec.dir = file.path().to_path_buf();
        assert!(matches!(run(&spec).0.exit, Exit::NotStarted(r) if r.ends_with("is not a folder")));

        let (outcome, _) = run(&CommandSpec::default());
        assert_eq!(outcome.exit, Exit::NotStarted("no program to run".into()));
    }

    #[test]
    fn timeout_ends_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = sh("sleep 300 & echo $! > p1; sleep 300 & echo $! > p2; echo $$ > p0; wait");
        spec.dir = dir.path().to_path_buf();
        spec.timeout = Some(Duration::from_secs(1));
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.exit, Exit::TimedOut);
        assert!(outcome.duration < NO_HANG);
        for pid in pids_in(dir.path(), &["p0", "p1", "p2"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }
    }

    #[test]
    fn timeout_escalates_to_kill_when_term_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        // Ignored signals stay ignored across exec: neither the shell nor sleep dies on TERM.
        let mut spec = bash("trap '' TERM; sleep 300 & echo $! > p1; echo $$ > p0; wait");
        spec.dir = dir.path().to_path_buf();
        spec.timeout = Some(Duration::from_millis(500));
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.exit, Exit::TimedOut);
        assert!(outcome.duration < NO_HANG);
        for pid in pids_in(dir.path(), &["p0", "p1"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }
    }

    #[test]
    fn timeout_applies_after_the_command_closed_its_output() {
        let mut spec = sh("exec >/dev/null 2>&1; sleep 300");
        spec.timeout = Some(Duration::from_millis(300));
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.exit, Exit::TimedOut);
        assert!(outcome.duration < NO_HANG);
    }

    #[test]
    fn background_grandchild_does_not_hang_and_is_ended() {
        let dir = tempfile::tempdir().unwrap();
        // The grandchild holds both pipes open.
        let mut spec = sh("sleep 300 & echo $! > p1; echo started");
        spec.dir = dir.path().to_path_buf();
        let (outcome, sink) = run(&spec);
        assert_eq!(outcome.exit, Exit::Code(0));
        assert_eq!(outcome.stdout.text, "started\n");
        assert_eq!(sink.stdout, b"started\n");
        assert!(outcome.duration < NO_HANG);
        for pid in pids_in(dir.path(), &["p1"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }
    }

    #[test]
    fn a_process_that_left_the_group_holding_the_pipes_does_not_hang_the_run() {
        let dir = tempfile::tempdir().unwrap();
        // `setsid` puts the sleeper in a session (and group) of its own, out of reach of the
        // group's signals, with our stdout and stderr: run returns after DRAIN_LIMIT.
        let mut spec = sh("setsid sh -c 'echo $$ > p1; exec sleep 300' & sleep 0.2; echo led");
        spec.dir = dir.path().to_path_buf();
        let (outcome, sink) = run(&spec);
        let leftover = pids_in(dir.path(), &["p1"]);
        for pid in &leftover {
            let _ = rustix::process::kill_process(Pid::from_raw(*pid).unwrap(), Signal::KILL);
        }
        assert_eq!(outcome.exit, Exit::Code(0));
        assert_eq!(sink.stdout, b"led\n");
        assert!(outcome.duration >= DRAIN_LIMIT && outcome.duration < NO_HANG);
    }

    /// Without a pidfd the leader is watched with `waitid(WNOHANG)`: the same outcomes.
    #[test]
    fn without_a_pidfd_the_outcomes_are_the_same() {
        let start = |spec: &CommandSpec| {
            let mut sink = Collect::default();
            let outcome = shell().start(spec, &mut sink, false);
            (outcome, sink)
        };
        assert_eq!(start(&sh("exit 3")).0.exit, Exit::Code(3));
        let (outcome, sink) = start(&sh("echo out; echo err >&2; sleep 0.2; echo late"));
        assert_eq!(outcome.exit, Exit::Code(0));
        assert_eq!(sink.stdout, b"out\nlate\n");
        assert_eq!(sink.stderr, b"err\n");
        let dir = tempfile::tempdir().unwrap();
        let mut spec = sh("sleep 300 & echo $! > p1; sleep 300");
        spec.dir = dir.path().to_path_buf();
        spec.timeout = Some(Duration::from_millis(300));
        let (outcome, _) = start(&spec);
        assert_eq!(outcome.exit, Exit::TimedOut);
        assert!(outcome.duration < NO_HANG);
        for pid in pids_in(dir.path(), &["p1"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }
    }

    #[test]
    fn background_grandchild_ignoring_term_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = bash("(trap '' TERM; exec sleep 300) & echo $! > p1; exit 4");
        spec.dir = dir.path().to_path_buf();
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.exit, Exit::Code(4));
        assert!(outcome.duration < NO_HANG);
        for pid in pids_in(dir.path(), &["p1"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }
    }

    #[test]
    fn the_leader_is_reaped() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = sh("echo $$ > p0");
        spec.dir = dir.path().to_path_buf();
        assert_eq!(run(&spec).0.exit, Exit::Code(0));
        let pid = pids_in(dir.path(), &["p0"])[0];
        // Either gone, or the pid was reused by a process that is not our child.
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            let ppid = stat.rsplit_once(')').unwrap().1.split_whitespace().nth(1);
            assert_ne!(ppid, Some(std::process::id().to_string().as_str()));
        }
    }

    /// Runs `spec` and sets the interrupt flag from another thread after a moment.
    fn interrupted(spec: &CommandSpec) -> (Outcome, Arc<AtomicBool>) {
        let mut shell = shell();
        let flag = Arc::clone(&shell.interrupt);
        let setter = thread::spawn({
            let flag = Arc::clone(&flag);
            move || {
                thread::sleep(Duration::from_millis(300));
                flag.store(true, Ordering::SeqCst);
            }
        });
        let outcome = shell.run(spec, &mut Collect::default());
        setter.join().unwrap();
        (outcome, flag)
    }

    #[test]
    fn interrupt_sends_int_to_the_group() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = sh("sleep 30 & echo $! > p1; wait");
        spec.dir = dir.path().to_path_buf();
        let (outcome, flag) = interrupted(&spec);
        assert_eq!(outcome.exit, Exit::Interrupted);
        assert!(outcome.duration < NO_HANG);
        assert!(!flag.load(Ordering::SeqCst), "the flag is cleared");
        for pid in pids_in(dir.path(), &["p1"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }
    }

    #[test]
    fn interrupt_escalates_when_int_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = bash("trap '' INT; sleep 30 & echo $! > p1; echo $$ > p0; wait");
        spec.dir = dir.path().to_path_buf();
        let (outcome, flag) = interrupted(&spec);
        assert_eq!(outcome.exit, Exit::Interrupted);
        assert!(outcome.duration < NO_HANG);
        assert!(!flag.load(Ordering::SeqCst));
        for pid in pids_in(dir.path(), &["p0", "p1"]) {
            assert!(!alive(pid), "process {pid} left behind");
        }

        let (outcome, _) = interrupted(&bash("trap '' INT TERM; sleep 30"));
        assert_eq!(outcome.exit, Exit::Interrupted);
        assert!(outcome.duration < NO_HANG);
    }

    #[test]
    fn capture_is_bounded_and_the_sink_gets_everything() {
        struct Count {
            stdout: usize,
            stderr: usize,
        }
        impl OutputSink for Count {
            fn output(&mut self, stream: Stream, bytes: &[u8]) {
                match stream {
                    Stream::Stdout => self.stdout += bytes.len(),
                    Stream::Stderr => self.stderr += bytes.len(),
                }
            }
        }
        let size = 5 * 1024 * 1024;
        let spec = sh(&format!(
            "head -c {size} /dev/zero | tr '\\0' x; echo small >&2"
        ));
        let mut sink = Count {
            stdout: 0,
            stderr: 0,
        };
        let outcome = shell().run(&spec, &mut sink);
        assert_eq!(outcome.exit, Exit::Code(0));
        assert_eq!(sink.stdout, size);
        assert_eq!(sink.stderr, 6);
        assert_eq!(outcome.stdout.text.len(), CAPTURE_LIMIT);
        assert!(outcome.stdout.text.bytes().all(|b| b == b'x'));
        assert!(outcome.stdout.truncated);
        assert_eq!(
            outcome.stderr,
            Captured {
                text: "small\n".into(),
                truncated: false
            }
        );
    }

    #[test]
    fn output_exactly_at_the_limit_is_not_truncated() {
        let spec = sh(&format!("head -c {CAPTURE_LIMIT} /dev/zero"));
        let (outcome, _) = run(&spec);
        assert_eq!(outcome.stdout.text.len(), CAPTURE_LIMIT);
        assert!(!outcome.stdout.truncated);
    }

    #[test]
    fn invalid_utf8_is_kept_lossily() {
        let (outcome, sink) = run(&sh(r"printf 'a\377b'"));
        assert_eq!(sink.stdout, b"a\xffb");
        assert_eq!(outcome.stdout.text, "a\u{fffd}b");
    }

    #[test]
    fn the_sink_ticks_while_the_command_runs() {
        let (outcome, sink) = run(&sh("sleep 0.5"));
        assert_eq!(outcome.exit, Exit::Code(0));
        assert!(sink.ticks >= 1);
    }
}
