//! What the engineer sees (UX.md). The tool's lines go to stderr; commands' output goes to
//! stdout under a gutter. Nothing is ever cleared. Status is told by a symbol and a colour.
//! Without a terminal: no spinner, no colour, a timestamp on every line of the tool's own.

use super::journal::Mode;
use super::shell::Stream;
use crate::values::visible::{Visible, plain_text, visible};
use console::{Style, Term};
use std::io::Write;
use std::time::{Duration, Instant};

/// The kind of a status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Failed,
    Warning,
    Skipped,
    Info,
}

/// Messages left by background work (the team store's shipper) for the screen to show at
/// its next step, never in the middle of a prompt.
pub type Notices = std::sync::Arc<std::sync::Mutex<Vec<(Status, String)>>>;

pub struct Screen {
    /// stderr is a terminal: spinner, colour, no timestamps.
    tty: bool,
    stdout_tty: bool,
    unicode: bool,
    width: usize,
    mode: Mode,
    started: Instant,
    spinner: Option<indicatif::ProgressBar>,
    /// Whether the next output byte of each stream starts a line.
    line_start: [bool; 2],
    /// Reused for each chunk of output.
    buffer: Vec<u8>,
    /// What each stream printed, made safe to show (`values::visible`).
    visible: [Visible; 2],
    /// Reused for each chunk once filtered.
    shown: Vec<u8>,
    /// Each stream's line ended with a carriage return that no text has followed yet.
    returned: [bool; 2],
    /// Without a terminal: the line each stream is printing, held until it ends so that a
    /// carriage return (a progress bar) leaves only its final state in the log.
    partial: [Vec<u8>; 2],
    /// Messages from background work (the team store's shipper), shown at the next step.
    notices: Option<Notices>,
    /// The `section` of the last step shown: a new one is announced above its first step.
    section: Option<String>,
}

/// Without a terminal, how much of an unfinished line is held back (for a carriage return to
/// replace) before it is written anyway.
const PARTIAL_MAX: usize = 16 * 1024;

/// Writes all of `bytes` to fd 1; a closed stdout (a pipe whose reader left) is ignored.
fn write_all_stdout(mut bytes: &[u8]) {
    let out = std::io::stdout();
    let _ = std::io::Write::flush(&mut out.lock());
    while !bytes.is_empty() {
        match rustix::io::write(&out, bytes) {
            Ok(0) => return,
            Ok(n) => bytes = &bytes[n..],
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return,
        }
    }
}

fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

impl Screen {
    pub fn new(mode: Mode) -> Screen {
        let term = Term::stderr();
        let tty = term.is_term();
        let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        console::set_colors_enabled_stderr(color);
        console::set_colors_enabled(color && Term::stdout().is_term());
        let width = if tty {
            (term.size().1 as usize).clamp(40, 100)
        } else {
            80
        };
        Screen {
            tty,
            stdout_tty: Term::stdout().is_term(),
            unicode: locale_is_utf8(),
            width,
            mode,
            started: Instant::now(),
            spinner: None,
            line_start: [true, true],
            visible: Default::default(),
            shown: Vec::new(),
            partial: Default::default(),
            notices: None,
            section: None,
            returned: [false, false],
            buffer: Vec::new(),
        }
    }

    fn sym(&self, status: Status) -> (&'static str, Style) {
        let (u, a, style) = match status {
            Status::Ok => ("✓", "ok", Style::new().green().bold()),
            Status::Failed => ("✗", "FAIL", Style::new().red().bold()),
            Status::Warning => ("⚠", "!", Style::new().yellow().bold()),
            Status::Skipped => ("⤼", "skip", Style::new().cyan().bold()),
            Status::Info => ("·", "-", Style::new().dim()),
        };
        (if self.unicode { u } else { a }, style.for_stderr())
    }

    fn rule_char(&self) -> &'static str {
        if self.unicode { "─" } else { "-" }
    }

    pub fn gutter(&self) -> &'static str {
        if self.unicode { "  │ " } else { "  | " }
    }

    /// Writes one line of the tool's own to stderr (a timestamp first, without a terminal).
    /// What a runbook says (a title, an instruction, a value) never reaches the terminal as
    /// control: escape sequences other than colour are shown (`values::visible`).
    pub fn line(&mut self, text: &str) {
        let text = visible(text);
        let text = if self.tty {
            text.into_owned()
        } else {
            format!("[{}] {text}", clock())
        };
        self.with_spinner_hidden(|| {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{text}");
        });
    }

    pub fn blank(&mut self) {
        self.with_spinner_hidden(|| {
            let _ = writeln!(std::io::stderr().lock());
        });
    }

    fn with_spinner_hidden(&self, f: impl FnOnce()) {
        match &self.spinner {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn banner(&self) -> Option<(String, Style)> {
        match self.mode {
            Mode::Run => None,
            Mode::DryRun => Some((
                "DRY-RUN: nothing is executed".into(),
                Style::new().black().on_cyan().bold(),
            )),
            Mode::Drill => Some((
                "DRILL: outputs are simulated".into(),
                Style::new().black().on_magenta().bold(),
            )),
        }
    }

    pub fn header(
        &mut self,
        title: &str,
        meta: &str,
        run_line: &str,
        journal: &str,
        description: Option<&str>,
        links: &[(String, String)],
    ) {
        let bold = Style::new().bold().for_stderr();
        let right = plain_text(meta).into_owned();
        let left = format!("runbook · {}", plain_text(title));
        let used = console::measure_text_width(&left) + console::measure_text_width(&right);
        if used + 2 <= self.width || right.is_empty() {
            let pad = self.width.saturating_sub(used).max(2);
            self.line(&format!(
                "{}{}{}",
                bold.apply_to(&left),
                " ".repeat(pad),
                right
            ));
        } else {
            // Too long for one line: the severity and owner on their own line rather than
            // cut by the terminal's wrap.
            self.line(&bold.apply_to(&left).to_string());
            self.line(&right);
        }
        if let Some((banner, style)) = self.banner() {
            self.line(
                &style
                    .for_stderr()
                    .apply_to(format!(" {banner} "))
                    .to_string(),
            );
        }
        self.line(run_line);
        self.line(&format!("journal {journal}"));
        if let Some(text) = description {
            self.blank();
            self.markdown(text);
        }
        for (name, url) in links {
            self.line(&format!("  {name}: {url}"));
        }
        self.blank();
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Shows, from now on, the messages background work leaves in `notices`.
    pub fn attach_notices(&mut self, notices: Notices) {
        self.notices = Some(notices);
    }

    /// Shows the messages left by background work since the last call.
    pub fn show_notices(&mut self) {
        let pending = match &self.notices {
            Some(n) => n
                .lock()
                .map(|mut n| std::mem::take(&mut *n))
                .unwrap_or_default(),
            None => return,
        };
        for (status, text) in pending {
            self.status(status, &text);
        }
    }

    /// A step's `section` (Diagnosis, Mitigation), said once above the first step of each.
    pub fn section(&mut self, section: Option<&str>) {
        let Some(section) = section.map(str::trim).filter(|s| !s.is_empty()) else {
            return;
        };
        if self.section.as_deref() == Some(section) {
            return;
        }
        self.section = Some(section.to_string());
        self.blank();
        self.line(
            &Style::new()
                .bold()
                .underlined()
                .for_stderr()
                .apply_to(plain_text(section))
                .to_string(),
        );
    }

    /// `── 3/9 · top-clients · 02:09:40 ─────── ⚠ dangerous ──`
    pub fn step_header(&mut self, position: &str, id: &str, title: &str, dangerous: bool) {
        self.show_notices();
        let r = self.rule_char();
        // The wall-clock time, and the time since the run started (the timeline of the
        // post-mortem is built from both).
        let mut left = format!(
            "{r}{r} {position} · {id} · {} · +{} ",
            clock(),
            clock_of(self.started.elapsed())
        );
        if let Some((banner, _)) = self.banner() {
            left.push_str(&format!("· {banner} "));
        }
        let right = if dangerous {
            format!(" {} dangerous {r}{r}", if self.unicode { "⚠" } else { "!" })
        } else {
            String::new()
        };
        let fill = self
            .width
            .saturating_sub(
                console::measure_text_width(&left) + console::measure_text_width(&right),
            )
            .max(3);
        let style = match (self.mode, dangerous) {
            (Mode::DryRun, _) => Style::new().cyan(),
            (Mode::Drill, _) => Style::new().magenta(),
            (_, true) => Style::new().yellow(),
            _ => Style::new().dim(),
        }
        .for_stderr();
        self.blank();
        self.line(
            &style
                .apply_to(format!("{left}{}{right}", r.repeat(fill)))
                .to_string(),
        );
        self.line(
            &Style::new()
                .bold()
                .for_stderr()
                .apply_to(plain_text(title))
                .to_string(),
        );
    }

    /// Markdown, readably: wrapped paragraphs, lists with hanging indents, code verbatim,
    /// `**bold**` and `` `code` `` styled.
    pub fn markdown(&mut self, text: &str) {
        let width = self.width.saturating_sub(4).max(30);
        for l in super::markdown::lines(text, width, self.unicode) {
            if l.is_empty() {
                self.line("");
            } else {
                self.line(&format!("  {l}"));
            }
        }
    }

    /// The command, before the question that runs it.
    pub fn command(&mut self, script: &str, label: &str) {
        let prompt = Style::new().bold().for_stderr();
        for (i, l) in script.trim_end_matches('\n').lines().enumerate() {
            let lead = if i == 0 {
                format!("  {label}$ ")
            } else {
                " ".repeat(label.len() + 4)
            };
            self.line(&format!("{}{}", prompt.apply_to(lead), l));
        }
    }

    pub fn status(&mut self, status: Status, text: &str) {
        let (sym, style) = self.sym(status);
        let line = format!("{} {text}", style.apply_to(sym));
        self.line(&line);
    }

    /// A command's output, under the gutter, on stdout. Written straight to the file
    /// descriptor: Rust's stdout is line-buffered, which costs a scan and a write per line.
    ///
    /// Only colour reaches the terminal as control (`values::visible`); a carriage return
    /// redraws the line under its gutter on a terminal, and keeps only the line's final
    /// state without one. The output log keeps the raw bytes.
    pub fn output(&mut self, stream: Stream, bytes: &[u8]) {
        let idx = usize::from(stream == Stream::Stderr);
        let mut shown = std::mem::take(&mut self.shown);
        shown.clear();
        self.visible[idx].push(bytes, &mut shown);
        self.show(idx, &shown);
        self.shown = shown;
    }

    /// Writes filtered output of stream `idx` under the gutter.
    fn show(&mut self, idx: usize, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let gutter = self.gutter().as_bytes();
        self.buffer.clear();
        let mut at = 0;
        while at < bytes.len() {
            let end =
                memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(bytes.len(), |n| at + n + 1);
            let piece = &bytes[at..end];
            let (text, ending) = match piece.last() {
                Some(&c @ (b'\n' | b'\r')) => (&piece[..piece.len() - 1], Some(c)),
                _ => (piece, None),
            };
            // A carriage return takes effect when text follows it: a line that ends with one
            // keeps its last state (`printf 'x\ry\r'` shows `y`).
            let redraw = std::mem::take(&mut self.returned[idx]) && !text.is_empty();
            if self.stdout_tty {
                if self.line_start[idx] {
                    self.buffer.extend_from_slice(gutter);
                    self.line_start[idx] = false;
                }
                if redraw {
                    // The line is drawn again from its start: the gutter, then its new text.
                    self.buffer.push(b'\r');
                    self.buffer.extend_from_slice(gutter);
                    self.buffer.extend_from_slice(b"\x1b[K");
                }
                self.buffer.extend_from_slice(text);
                match ending {
                    Some(b'\n') => {
                        self.buffer.push(b'\n');
                        self.line_start[idx] = true;
                    }
                    Some(_) => self.returned[idx] = true,
                    None => {}
                }
            } else {
                // `line_start` false: the line's start was written already (it was long).
                let partial = &mut self.partial[idx];
                let lead = if self.line_start[idx] {
                    gutter.len()
                } else {
                    0
                };
                if partial.is_empty() && self.line_start[idx] {
                    partial.extend_from_slice(gutter);
                }
                if redraw {
                    partial.truncate(lead);
                }
                partial.extend_from_slice(text);
                match ending {
                    Some(b'\n') => {
                        self.buffer.append(partial);
                        self.buffer.push(b'\n');
                        self.line_start[idx] = true;
                    }
                    Some(_) => self.returned[idx] = true,
                    // A line this long is no progress bar: written as it comes, so that
                    // memory stays bounded whatever a command prints.
                    None if partial.len() > PARTIAL_MAX => {
                        self.buffer.append(partial);
                        self.line_start[idx] = false;
                    }
                    None => {}
                }
            }
            at = end;
        }
        // A line left open on the terminal (`printf '{"replicas":3}'`): the spinner would
        // be drawn on it, and clearing the spinner would clear the line. It stops first, on
        // its own line, and the open line keeps its text until the command ends.
        if self.stdout_tty
            && !self.line_start[idx]
            && let Some(bar) = self.spinner.take()
        {
            bar.finish_and_clear();
        }
        let buffer = &self.buffer;
        let write = || write_all_stdout(buffer);
        match (&self.spinner, self.stdout_tty) {
            (Some(bar), true) => bar.suspend(write),
            _ => write(),
        }
    }

    /// One line a host printed (a step on several hosts): under the gutter, behind the
    /// host's name (padded to the longest, in its colour), on stdout. Only colour reaches the
    /// terminal as control.
    pub fn host_line(&mut self, label: &str, colour: u8, text: &str) {
        let name = Style::new()
            .color256(colour)
            .bold()
            .apply_to(visible(label));
        let line = format!("{}{name} {}\n", self.gutter(), visible(text));
        let write = || write_all_stdout(line.as_bytes());
        match (&self.spinner, self.stdout_tty) {
            (Some(bar), true) => bar.suspend(write),
            _ => write(),
        }
    }

    /// Ends an unterminated output line, so the tool's next line starts on its own.
    pub fn end_output(&mut self) {
        for idx in 0..2 {
            let mut rest = Vec::new();
            self.visible[idx].finish(&mut rest);
            self.show(idx, &rest);
            // (A line left with its gutter alone after a carriage return shows nothing.)
            let lead = if self.line_start[idx] {
                self.gutter().len()
            } else {
                0
            };
            if self.partial[idx].len() > lead {
                let mut line = std::mem::take(&mut self.partial[idx]);
                line.push(b'\n');
                write_all_stdout(&line);
                self.line_start[idx] = true;
            }
            self.partial[idx].clear();
        }
        self.returned = [false, false];
        if !self.line_start[0] || !self.line_start[1] {
            let _ = writeln!(std::io::stdout().lock());
            self.line_start = [true, true];
        }
    }

    pub fn spinner_start(&mut self, label: &str) {
        if !self.tty {
            return;
        }
        let bar = indicatif::ProgressBar::new_spinner();
        let style = indicatif::ProgressStyle::with_template("  {spinner} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        bar.set_style(if self.unicode {
            style
        } else {
            style.tick_chars("|/-\\ ")
        });
        bar.set_message(label.to_string());
        self.spinner = Some(bar);
    }

    pub fn spinner_update(&mut self, text: String) {
        if let Some(bar) = &self.spinner {
            bar.set_message(text);
            bar.tick();
        }
    }

    pub fn spinner_stop(&mut self) {
        if let Some(bar) = self.spinner.take() {
            bar.finish_and_clear();
        }
    }

    /// `✓ 7 ran   ⤼ 1 skipped   ✗ 0 failed   ↺ 1 retried`
    /// The summary's count of steps; a dry-run's steps that were only shown are counted
    /// apart, never as run.
    pub fn tally(&mut self, tally: &super::tally::Tally) {
        let (ok, ok_style) = self.sym(Status::Ok);
        let (skip, skip_style) = self.sym(Status::Skipped);
        let (fail, fail_style) = self.sym(Status::Failed);
        let again = if self.unicode { "↺" } else { "retry" };
        let mut line = format!("{} {} ran   ", ok_style.apply_to(ok), tally.ran);
        if tally.not_run > 0 {
            line.push_str(&format!(
                "{} {} not run (dry-run)   ",
                skip_style.apply_to(skip),
                tally.not_run
            ));
        }
        line.push_str(&format!(
            "{} {} skipped   {} {} failed   {} {} retried",
            skip_style.apply_to(skip),
            tally.skipped,
            fail_style.apply_to(fail),
            tally.failed,
            Style::new().yellow().bold().for_stderr().apply_to(again),
            tally.retried,
        ));
        self.line(&line);
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn rule(&mut self, text: &str) {
        let r = self.rule_char();
        let left = format!("{r}{r} {text} ");
        let fill = self
            .width
            .saturating_sub(console::measure_text_width(&left))
            .max(3);
        self.blank();
        self.line(&format!("{left}{}", r.repeat(fill)));
    }
}

/// Local wall-clock time, `HH:MM:SS`.
pub fn clock() -> String {
    jiff::ZonedDateTime::now().strftime("%H:%M:%S").to_string()
}

/// `02:27`, `1:02:27`: a time since the start, as the step headers show it.
pub fn clock_of(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// `0.4 s`, `12 s`, `3:05`, `1:02:03`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 10 {
        format!("{:.1} s", d.as_secs_f64())
    } else if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{}:{:02}", secs / 60, secs % 60)
    } else {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    }
}
