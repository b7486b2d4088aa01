//! Terminal settings while a command runs: input echo off, so that a `^C` (or keys typed
//! meanwhile, which go nowhere: commands read /dev/null) does not garble the live output and
//! the spinner. Restored when the guard is dropped. After SIGTERM or SIGHUP (`signals`), the
//! settings the process started with are put back, whatever was running.

use rustix::termios::{LocalModes, OptionalActions, Termios, tcgetattr, tcsetattr};

pub struct EchoOff {
    saved: Option<Termios>,
}

impl EchoOff {
    /// Turns echo off on stdin when it is a terminal; a no-op otherwise.
    pub fn new() -> EchoOff {
        let stdin = std::io::stdin();
        let Ok(saved) = tcgetattr(&stdin) else {
            return EchoOff { saved: None };
        };
        let mut quiet = saved.clone();
        quiet
            .local_modes
            .remove(LocalModes::ECHO | LocalModes::ECHOCTL);
        match tcsetattr(&stdin, OptionalActions::Now, &quiet) {
            Ok(()) => EchoOff { saved: Some(saved) },
            Err(_) => EchoOff { saved: None },
        }
    }
}

impl Default for EchoOff {
    fn default() -> Self {
        EchoOff::new()
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            let _ = tcsetattr(std::io::stdin(), OptionalActions::Now, saved);
        }
    }
}

/// The terminal's settings when the process started (`None`: stdin is not a terminal).
static STARTED_WITH: std::sync::OnceLock<Option<Termios>> = std::sync::OnceLock::new();

/// Remembers the terminal's settings now (once), for [`restore_after_signal`].
pub fn remember_settings() {
    STARTED_WITH.get_or_init(|| tcgetattr(std::io::stdin()).ok());
}

/// After SIGTERM or SIGHUP, whatever was running (a prompt in raw mode, a command with echo
/// off): puts back the settings the process started with and shows the cursor. Nothing here
/// fails or blocks on a terminal that hung up (EIO is ignored), and a process in the
/// background does not touch the terminal's settings (it would be stopped for it).
pub fn restore_after_signal() {
    let stdin = std::io::stdin();
    if let Some(Some(saved)) = STARTED_WITH.get()
        && rustix::termios::tcgetpgrp(&stdin).is_ok_and(|g| g == rustix::process::getpgrp())
    {
        let _ = tcsetattr(&stdin, OptionalActions::Now, saved);
    }
    if rustix::termios::isatty(std::io::stderr()) {
        // Show the cursor; clear a spinner's line.
        write_stderr(b"\x1b[?25h\r\x1b[2K");
    }
}

/// Writes to fd 2 directly (no lock another thread may hold, no buffer); gives up at the
/// first error (a terminal that hung up, a closed pipe).
pub fn write_stderr(mut bytes: &[u8]) {
    let stderr = std::io::stderr();
    while !bytes.is_empty() {
        match rustix::io::write(&stderr, bytes) {
            Ok(0) => return,
            Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return,
        }
    }
}
