//! What a step on several hosts shows: its hosts and batches, each host's lines behind its
//! name, and the table that ends it.

use super::*;

impl Executor<'_> {
    pub(super) fn show_batches(
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

    /// Shows the complete lines of a host's output behind its name, and logs them.
    pub(super) fn host_output(
        &mut self,
        shown: &mut [Option<Shown>],
        i: usize,
        stream: Stream,
        bytes: &[u8],
    ) {
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

    pub(super) fn host_line(&mut self, s: &mut Shown, line: &[u8]) {
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

    pub(super) fn flush_host(&mut self, s: &mut Shown) {
        for idx in 0..2 {
            if !s.partial[idx].is_empty() {
                let line = std::mem::take(&mut s.partial[idx]);
                self.host_line(s, &line);
            }
        }
    }

    /// The table that ends the step: each host, how it ended, how long it took, its last line.
    pub(super) fn host_table(&mut self, hosts: &[Target], results: &[Option<HostResult>]) {
        let width = hosts
            .iter()
            .map(|h| h.name.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        self.out.screen.blank();
        self.out.screen.line(&format!(
            "  {:<width$}  {:<7}  {:>8}  last line",
            "host", "exit", "time"
        ));
        for (h, r) in hosts.iter().zip(results) {
            let (exit, time, last) = match r {
                Some(r) => (
                    match &r.exit {
                        // Stopped at its planned `duration`: its success.
                        Exit::TimedOut if r.ok => "done".into(),
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
            let room = self.out.screen.width().saturating_sub(width + 25).max(30);
            let last: String = if r.as_ref().is_some_and(|r| !r.ok) {
                last
            } else {
                last.chars().take(room).collect()
            };
            self.out.screen.line(&format!(
                "  {:<width$}  {exit:<7}  {time:>8}  {last}",
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
