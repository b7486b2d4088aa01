//! Terminal settings while a command runs: input echo off, so that a `^C` (or keys typed
//! meanwhile, which go nowhere: commands read /dev/null) does not garble the live output and
//! the spinner. Restored when the guard is dropped.

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
