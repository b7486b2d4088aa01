//! Running one command: its own process group, live output, timeout, Ctrl-C, bounded capture.
//!
//! INTERFACE (implementation in progress): the executor depends only on these types.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

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
    pub dir: PathBuf,
    pub timeout: Option<Duration>,
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

/// Starts real processes, each in its own process group.
pub struct ProcessShell {
    /// Set by the SIGINT handler; the shell clears it when it has acted on it.
    pub interrupt: Arc<AtomicBool>,
    /// After INT (on Ctrl-C) or TERM (on timeout), how long before the next signal.
    pub grace: Duration,
}

impl Shell for ProcessShell {
    fn run(&mut self, _spec: &CommandSpec, _sink: &mut dyn OutputSink) -> Outcome {
        Outcome {
            exit: Exit::NotStarted("not implemented yet".into()),
            duration: Duration::ZERO,
            stdout: Captured::default(),
            stderr: Captured::default(),
        }
    }
}
