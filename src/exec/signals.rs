//! Ending a run when the process is told to stop: SIGTERM (`kill`), SIGHUP (the terminal was
//! closed, the ssh connection dropped) and SIGQUIT.
//!
//! The handlers only record the signal (and a watcher thread notices it); the run is ended
//! at a *safe point*, where nothing is half-written:
//! - while a command runs, `ProcessShell` ends its whole process group (TERM, then KILL after
//!   the grace period) and returns `Exit::Interrupted`; the executor journals the command's
//!   end as for Ctrl-C, and the run ends at its next question;
//! - at a terminal prompt (the main thread blocked reading a key), the watcher thread ends it;
//! - otherwise, before the next question ([`Guarded`]), before the next command starts, or
//!   in a pause between retries or checks.
//!
//! Ending the run (`end`): the journal gets `command_finished` for a command announced but not
//! started, then `run_finished` with status `interrupted` and a reason naming the signal,
//! synced; the terminal gets its settings back (echo on, not raw) and the cursor; one line
//! says how to go on; the process exits with 128 + the signal's number. The step that was
//! running has no `step_finished`, so `resume` offers it again. Writing to a terminal that
//! hung up fails (EIO) and is ignored.

use super::journal::{self, Event, Record, RunStatus};
use super::operator::{Answer, AskError, Operator, Question};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// The first ending signal received (0: none yet).
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// How many ending signals were received (a second one hurries the end of a command).
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
/// The main thread is blocked at a terminal prompt: the watcher thread may end the run.
static AT_PROMPT: AtomicBool = AtomicBool::new(false);
/// Someone (the main thread or the watcher) is ending the process.
static ENDING: AtomicBool = AtomicBool::new(false);
/// The run being driven, journaled where.
static RUN: Mutex<Option<Run>> = Mutex::new(None);
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// The signals that end a run.
pub const SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
];

struct Run {
    journal: PathBuf,
    run_id: String,
    started: Instant,
}

/// Handles SIGTERM, SIGHUP and SIGQUIT from now on (once per process; later calls return the
/// first one's result), and remembers the terminal's settings to restore them. A signal this
/// process was started ignoring (`nohup` ignores SIGHUP) stays ignored.
pub fn install() -> Result<(), String> {
    INSTALLED
        .get_or_init(|| {
            super::tty::remember_settings();
            let ignored = std::fs::read_to_string("/proc/self/status")
                .map(|status| ignored_signals(&status))
                .unwrap_or_default();
            let wanted = SIGNALS.iter().filter(|s| !ignored.contains(s));
            let mut signals = signal_hook::iterator::Signals::new(wanted)
                .map_err(|e| format!("cannot handle SIGTERM and SIGHUP: {e}"))?;
            std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    for signal in signals.forever() {
                        received(signal);
                    }
                })
                .map(drop)
                .map_err(|e| format!("cannot handle SIGTERM and SIGHUP: {e}"))
        })
        .clone()
}

/// The signals `SigIgn` of `/proc/self/status` lists (a bit mask, bit N-1 for signal N).
fn ignored_signals(status: &str) -> Vec<i32> {
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    (1..=64).filter(|n| mask & (1 << (n - 1)) != 0).collect()
}

/// On the watcher thread, for each signal.
fn received(signal: i32) {
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    RECEIVED.fetch_add(1, Ordering::SeqCst);
    // The main thread publishes AT_PROMPT before it looks at SIGNAL, and we store SIGNAL
    // before we look at AT_PROMPT: one of the two sees the other.
    if AT_PROMPT.load(Ordering::SeqCst) {
        end(first());
    }
}

fn first() -> i32 {
    SIGNAL.load(Ordering::SeqCst)
}

/// The ending signal received, if one was.
pub fn pending() -> Option<i32> {
    Some(first()).filter(|&s| s != 0)
}

/// How many ending signals were received so far.
pub fn received_count() -> usize {
    RECEIVED.load(Ordering::SeqCst)
}

/// At a safe point of the main thread: ends the run if a signal asked for it.
pub fn end_if_pending() {
    if let Some(signal) = pending() {
        end(signal);
    }
}

/// Runs a terminal prompt, during which a signal ends the run at once (the prompt blocks
/// reading a key and would not notice).
pub fn at_prompt<T>(prompt: impl FnOnce() -> T) -> T {
    AT_PROMPT.store(true, Ordering::SeqCst);
    end_if_pending();
    let answer = prompt();
    AT_PROMPT.store(false, Ordering::SeqCst);
    // A hung-up terminal makes the prompt fail: the signal says why.
    end_if_pending();
    answer
}

/// What else ends when a signal ends the run (registered by what starts it, such as ssh's
/// multiplexed connections in `remote`).
static AT_END: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Runs `f` when a signal ends the run, before the process exits.
pub fn at_end(f: fn()) {
    AT_END
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(f);
}

/// From here on, a signal ends this run: journaled in `journal`.
pub fn begin_run(journal: &Path, run_id: &str, started: Instant) {
    *RUN.lock().unwrap_or_else(PoisonError::into_inner) = Some(Run {
        journal: journal.to_path_buf(),
        run_id: run_id.to_string(),
        started,
    });
}

/// The run is ending by itself: a signal no longer journals anything.
pub fn end_run() {
    *RUN.lock().unwrap_or_else(PoisonError::into_inner) = None;
}

/// The operator, asked only while no signal is pending: a signal that arrived while a
/// command ran (or between questions) ends the run before the next question is answered,
/// by a person or by scripted answers (which would otherwise abort and offer rollbacks).
pub struct Guarded<'a>(pub &'a mut dyn Operator);

impl Operator for Guarded<'_> {
    fn ask(&mut self, question: &Question) -> Result<Answer, AskError> {
        end_if_pending();
        let answer = self.0.ask(question);
        end_if_pending();
        answer
    }

    fn visit(&mut self, step: &str, visit: u32) {
        self.0.visit(step, visit);
    }

    fn interactive(&self) -> bool {
        self.0.interactive()
    }
}

/// `SIGTERM`, `SIGHUP`, …
pub fn name(signal: i32) -> String {
    match signal {
        signal_hook::consts::SIGTERM => "SIGTERM".into(),
        signal_hook::consts::SIGHUP => "SIGHUP".into(),
        signal_hook::consts::SIGQUIT => "SIGQUIT".into(),
        signal_hook::consts::SIGINT => "SIGINT".into(),
        other => format!("signal {other}"),
    }
}

/// The reason journaled in `run_finished`: the signal first, then what it usually means.
pub fn reason(signal: i32) -> String {
    let meaning = match signal {
        signal_hook::consts::SIGTERM => "runbook was terminated",
        signal_hook::consts::SIGHUP => "the terminal was closed",
        signal_hook::consts::SIGQUIT => "runbook was told to quit",
        signal_hook::consts::SIGINT => "interrupted with no terminal to ask what next",
        _ => "runbook was stopped",
    };
    format!("{}: {meaning}", name(signal))
}

/// Ends the run after Ctrl-C (SIGINT) stopped a command when no one can be asked what to do
/// next (no terminal): journaled as interrupted, exit 130, as for the other signals. The
/// interrupted command's end is already journaled.
pub fn end_interrupted() -> ! {
    end(signal_hook::consts::SIGINT)
}

/// Ends the process for `signal`: journal, terminal, exit 128 + signal. Whoever comes second
/// (the main thread or the watcher) waits for the first to exit the process.
fn end(signal: i32) -> ! {
    if ENDING.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
    let run = RUN.lock().unwrap_or_else(PoisonError::into_inner).take();
    let journaled = run.as_ref().map(|run| (run, journal_end(run, signal)));
    super::tty::restore_after_signal();
    // Nothing of the run is left behind (ssh's multiplexed connections end with it).
    let at_end: Vec<fn()> = AT_END
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    for f in at_end {
        f();
    }
    let mut message = format!("runbook: {}", reason(signal));
    match journaled {
        Some((run, Ok(()))) => {
            let short = run.run_id.get(..8).unwrap_or(&run.run_id);
            message.push_str(&format!(
                "; run {short} is interrupted, `runbook resume {short}` goes on with it\n  journal {}\n",
                run.journal.display()
            ));
        }
        Some((run, Err(e))) => message.push_str(&format!(
            "; cannot journal the end of the run in `{}`: {e}\n",
            run.journal.display()
        )),
        None => message.push('\n'),
    }
    super::tty::write_stderr(message.as_bytes());
    std::process::exit(128 + signal)
}

/// Appends the end of the run to its journal and syncs it. The main thread is at a safe
/// point (or blocked at a prompt): nothing else is appending.
fn journal_end(run: &Run, signal: i32) -> Result<(), String> {
    let text = std::fs::read_to_string(&run.journal).map_err(|e| e.to_string())?;
    let (records, _) = journal::parse(&text)?;
    let last_seq = records.last().map_or(0, |r| r.seq);
    let mut events = Vec::new();
    // A command announced whose shell never ran it (the signal came first).
    if let Some(Record {
        within,
        event: Event::Command { step, .. },
        ..
    }) = records.last()
    {
        events.push((
            within.clone(),
            Event::CommandFinished {
                step: step.clone(),
                exit_code: None,
                outcome: format!("not started: {}", reason(signal)),
                duration_ms: 0,
            },
        ));
    }
    events.push((
        Vec::new(),
        Event::RunFinished {
            status: RunStatus::Interrupted,
            duration_ms: run.started.elapsed().as_millis() as u64,
            reason: Some(reason(signal)),
        },
    ));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&run.journal)
        .map_err(|e| e.to_string())?;
    for (seq, (within, event)) in (last_seq + 1..).zip(events) {
        let record = Record {
            ts: journal::now_rfc3339(),
            seq,
            within,
            event,
        };
        let mut line = serde_json::to_string(&record).map_err(|e| e.to_string())?;
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
    }
    file.sync_data().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};

    #[test]
    fn reasons_name_the_signal() {
        assert_eq!(reason(SIGTERM), "SIGTERM: runbook was terminated");
        assert_eq!(reason(SIGHUP), "SIGHUP: the terminal was closed");
        assert!(reason(SIGQUIT).starts_with("SIGQUIT: "));
    }

    #[test]
    fn ignored_signals_are_read_from_the_mask() {
        let status = "Name:\trunbook\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000001001\n";
        assert_eq!(ignored_signals(status), [1, 13]);
        assert!(ignored_signals("Name:\tx\n").is_empty());
    }
}
