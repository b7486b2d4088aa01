//! What a command prints, on its way to the screen and the output log: masked, under the
//! gutter, its tail kept for the journal.

use crate::exec::journal::OutputLog;
use crate::exec::mask::Masker;
use crate::exec::screen::{Screen, clock_of};
use crate::exec::shell::{OutputSink, Stream};
use std::time::Duration;

/// Sends output to the screen and the output log, masked, and keeps a short tail.
pub(crate) struct Tee<'s> {
    pub(crate) screen: &'s mut Screen,
    pub(crate) log: OutputLog,
    /// The first error writing the log, shown once the command has ended.
    pub(crate) log_error: Option<String>,
    pub(crate) masker: Masker,
    /// Reused for every chunk: the masked bytes.
    pub(crate) masked: Vec<u8>,
    pub(crate) tail: Vec<u8>,
    pub(crate) show: bool,
    /// Bytes written in all, to tell whether the tail is the whole output.
    pub(crate) written: usize,
    pub(crate) label: &'static str,
    /// A stream that is dropped (it holds a secret being captured).
    pub(crate) hide: Option<Stream>,
}

const TAIL_BYTES: usize = 2048;

/// What a command left once it ended.
pub(crate) struct Teed {
    /// The last ~2 KiB of its output, masked.
    pub(crate) tail: String,
    /// Whether the tail is only part of the output.
    pub(crate) truncated: bool,
    pub(crate) log_error: Option<String>,
}

impl Tee<'_> {
    pub(crate) fn new<'s>(
        screen: &'s mut Screen,
        log: OutputLog,
        secrets: &[String],
        show: bool,
        label: &'static str,
    ) -> Tee<'s> {
        Tee {
            screen,
            log,
            log_error: None,
            masker: Masker::new(secrets),
            masked: Vec::new(),
            tail: Vec::new(),
            show,
            written: 0,
            label,
            hide: None,
        }
    }

    pub(crate) fn write(&mut self, stream: Stream, masked: &[u8]) {
        if masked.is_empty() || self.hide == Some(stream) {
            return;
        }
        if let Some(e) = self.log.write(masked).map(ToString::to_string) {
            self.log_error = Some(format!(
                "cannot write the output log `{}`: {e}; the output from there on is only on screen (its last 2 KiB are in the journal)",
                self.log.relative()
            ));
        }
        if self.show {
            self.screen.output(stream, masked);
        }
        self.written += masked.len();
        // Only the last TAIL_BYTES can end up in the tail: never copy more of a chunk.
        if masked.len() >= TAIL_BYTES {
            self.tail.clear();
            self.tail
                .extend_from_slice(&masked[masked.len() - TAIL_BYTES..]);
        } else {
            self.tail.extend_from_slice(masked);
            if self.tail.len() > 2 * TAIL_BYTES {
                let cut = self.tail.len() - TAIL_BYTES;
                self.tail.drain(..cut);
            }
        }
    }

    pub(crate) fn finish(mut self) -> Teed {
        let mut rest = std::mem::take(&mut self.masked);
        rest.clear();
        let _ = self.masker.finish_to(&mut rest);
        // What the masker held back came from a stream that is shown.
        let shown = if self.hide == Some(Stream::Stdout) {
            Stream::Stderr
        } else {
            Stream::Stdout
        };
        self.write(shown, &rest);
        self.log.close();
        let start = self.tail.len().saturating_sub(TAIL_BYTES);
        Teed {
            tail: String::from_utf8_lossy(&self.tail[start..]).into_owned(),
            truncated: self.written > TAIL_BYTES,
            log_error: self.log_error,
        }
    }
}

impl OutputSink for Tee<'_> {
    fn output(&mut self, stream: Stream, bytes: &[u8]) {
        if self.hide == Some(stream) {
            // Not even through the masker, which could hold some of it back for later.
            return;
        }
        let mut masked = std::mem::take(&mut self.masked);
        masked.clear();
        // Writing into a Vec cannot fail.
        let _ = self.masker.push_to(bytes, &mut masked);
        self.write(stream, &masked);
        self.masked = masked;
    }

    fn tick(&mut self, elapsed: Duration) {
        let text = format!("{} · {} · Ctrl-C interrupts", self.label, clock_of(elapsed));
        self.screen.spinner_update(text);
    }
}
