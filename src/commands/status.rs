//! How a command ends: its exit status (SPEC §3), its errors in the house style, its output.

/// Exit codes (SPEC §3).
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_INTERRUPTED: i32 = 130;

/// Prints a tool error in the house style: what happened, then what to do. Text from a
/// runbook or a journal in it is shown without control characters (`values::visible`).
pub fn report_error(message: &str, help: &str) {
    use std::io::Write;
    let mut text = String::new();
    error_text(&mut text, message, help);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// [`report_error`]'s text, added to `out` (for messages printed later, in order).
pub fn error_text(out: &mut String, message: &str, help: &str) {
    use crate::values::visible::visible;
    use std::fmt::Write;
    let _ = writeln!(out, "error: {}", visible(message));
    if !help.is_empty() {
        let _ = writeln!(out, "help: {}", visible(help));
    }
}

/// Whether to colour output written to stderr or stdout: a terminal, and `NO_COLOR` unset.
pub fn use_color(stream: &impl std::io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A table for people (`list`, `history`): shown without control characters wherever it
/// goes (`runbook list | grep db` still ends on a screen).
pub fn print_table(text: &str) -> i32 {
    print_stdout(&crate::values::visible::visible_document(text))
}

/// Writes a command's whole output to stdout. A reader that stops early (`| head`) is not an
/// error; any other failure to write is reported, and gives exit status 1.
///
/// On a terminal, what the text holds of a runbook or a journal (a title, a command's
/// output) is shown without control (`values::visible`); a file or a pipe gets it as is.
pub fn print_stdout(text: &str) -> i32 {
    use std::io::{IsTerminal, Write};
    let mut out = std::io::stdout().lock();
    let shown;
    let text = if out.is_terminal() {
        shown = crate::values::visible::visible_document(text);
        shown.as_ref()
    } else {
        text
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            report_error(
                &format!("cannot write the output: {e}"),
                "check where stdout goes (a full disk, a closed file)",
            );
            EXIT_FAILED
        }
    }
}
