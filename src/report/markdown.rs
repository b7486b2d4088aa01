//! A report as Markdown: the run's header, the timeline table, decisions and answers, notes,
//! commands with an excerpt of their output, failures and deviations.

use super::run::{self, Status, duration, local_clock, local_full, offset, parse_ts};
use super::timeline::{At, Command, Entry, Report};
use std::fmt::Write;

/// Lines of a command's output shown in the report; the log holds all of it.
pub const EXCERPT_LINES: usize = 6;
/// Characters of one output line shown in the report.
const EXCERPT_WIDTH: usize = 200;

/// The whole report, with its title.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Run report: {}\n", inline(&report.run.title));
    out.push_str(&header(report));
    out.push_str(&body(report, 2));
    out
}

/// The table of facts about the run, and warnings about its journal.
pub fn header(report: &Report) -> String {
    let run = &report.run;
    let mut out = String::new();
    let when = |ts: &str| parse_ts(ts).map_or_else(|| ts.to_string(), local_full);
    let mut rows: Vec<(&str, String)> = vec![
        (
            "Runbook",
            format!(
                "{} ({}, {})",
                inline(&run.title),
                code(&run.runbook),
                code(&run.path)
            ),
        ),
        ("Run", code(&run.id)),
        ("Mode", run.mode.as_str().to_string()),
        ("Operators", run.operators.join(", ")),
        ("Host", run.hosts.join(", ")),
        ("Journal", code(&run.journal.display().to_string())),
        ("Started", when(&run.start)),
    ];
    match &run.end {
        Some(end) => rows.push(("Ended", when(end))),
        None => rows.push((
            "Ended",
            format!("not yet (last event {})", when(&run.last_event)),
        )),
    }
    rows.push(("Duration", duration(run.duration_ms)));
    let status = match &run.reason {
        Some(reason) if !reason.is_empty() => {
            format!("**{}**: {}", run.status.as_str(), inline(reason))
        }
        _ => format!("**{}**", run.status.as_str()),
    };
    rows.push(("Status", status));
    if !run.inputs.is_empty() {
        let inputs: Vec<String> = run
            .inputs
            .iter()
            .map(|(k, v)| format!("{} = {}", code(k), code(v)))
            .collect();
        rows.push(("Inputs", inputs.join(", ")));
    }
    out.push_str("| | |\n|---|---|\n");
    for (name, value) in rows {
        let _ = writeln!(out, "| {name} | {} |", cell(&value));
    }
    out.push('\n');
    if run.status == Status::Unfinished {
        let _ = writeln!(
            out,
            "> The run is unfinished: its journal has no `run_finished`. \
             `runbook resume {}` goes on with it.\n",
            run.id
        );
    }
    if run.torn {
        out.push_str(
            "> The journal's last line was cut short (the process was killed while writing \
             it); the report leaves it out.\n\n",
        );
    }
    out
}

/// Every section after the header, with headings at `level` (2: `##`).
pub fn body(report: &Report, level: usize) -> String {
    let h = "#".repeat(level);
    let mut out = String::new();
    let _ = writeln!(out, "{h} Timeline\n");
    out.push_str(&timeline(report));
    let _ = writeln!(out, "\n{h} Decisions and answers\n");
    out.push_str(&decisions(report));
    let _ = writeln!(out, "\n{h} Notes\n");
    out.push_str(&notes(report));
    let _ = writeln!(out, "\n{h} Commands\n");
    out.push_str(&commands(report, level + 1));
    let _ = writeln!(out, "\n{h} Failures\n");
    out.push_str(&failures(report));
    let _ = writeln!(out, "\n{h} Deviations\n");
    out.push_str(&deviations(report));
    out
}

/// Whether the run crossed midnight (local time), so that times need their date.
fn spans_days(report: &Report) -> bool {
    let day = |ts: &str| parse_ts(ts).map(|t| run::local_format(t, "%Y-%m-%d"));
    day(&report.run.start) != day(&report.run.last_event)
}

/// A time of the run: `17:21:04`, or `11-26 02:01:04` when the run crossed midnight.
fn clock(report: &Report, ts: &str) -> String {
    match parse_ts(ts) {
        Some(t) if spans_days(report) => run::local_format(t, "%m-%d %H:%M:%S"),
        Some(t) => local_clock(t),
        None => ts.to_string(),
    }
}

fn timeline(report: &Report) -> String {
    let mut out = String::new();
    let several = report.run.operators.len() > 1;
    if several {
        out.push_str("| time | offset | step | what happened | result | duration | operator |\n");
        out.push_str("|---|---|---|---|---|---|---|\n");
    } else {
        out.push_str("| time | offset | step | what happened | result | duration |\n");
        out.push_str("|---|---|---|---|---|---|\n");
    }
    let polls = |i: usize| {
        let e = &report.timeline[i];
        (e.purpose.as_deref() == Some("wait")).then(|| e.at.path())
    };
    let mut skip_to = 0;
    for (i, e) in report.timeline.iter().enumerate() {
        if i < skip_to {
            continue;
        }
        // A long wait: its first and last checks, and how many were in between.
        if let Some(path) = polls(i) {
            let mut last = i;
            while last + 1 < report.timeline.len() && polls(last + 1).as_ref() == Some(&path) {
                last += 1;
            }
            if last - i >= 3 {
                skip_to = last;
                let between = last - i - 1;
                out.push_str(&row(report, e, several));
                let _ = writeln!(
                    out,
                    "| | | {} | … {between} more checks … | | |{}",
                    cell(&code(&path)),
                    if several { " |" } else { "" }
                );
                continue;
            }
        }
        out.push_str(&row(report, e, several));
    }
    out
}

/// One row of the timeline table.
fn row(report: &Report, e: &Entry, several: bool) -> String {
    // Sub-runbook events stand under their parent step, marked as nested.
    let nested = "↳ ".repeat(e.at.within.len());
    let mut what = if e.event == "step_started" {
        format!("**{}**", inline(&e.what))
    } else {
        inline(&e.what)
    };
    if let Some(kind) = &e.kind {
        let _ = write!(what, " ({kind})");
    }
    if let Some(c) = &e.code {
        what.push(' ');
        what.push_str(&code(c));
    }
    let step = e.at.path();
    let mut out = format!(
        "| {} | {} | {} | {} | {} | {} |",
        clock(report, &e.at.ts),
        offset(e.at.offset_ms),
        cell(&if step.is_empty() { step } else { code(&step) }),
        cell(&format!("{nested}{what}")),
        cell(&e.result.as_deref().map(inline).unwrap_or_default()),
        e.duration_ms.map(duration).unwrap_or_default(),
    );
    if several {
        let _ = write!(out, " {} |", cell(&e.at.operator));
    }
    out.push('\n');
    out
}

/// `17:21:04 · **check** (Check the load)`: where a list item happened.
fn place(report: &Report, at: &At, title: Option<&str>) -> String {
    let path = at.path();
    // An event of the run itself (a lease's change) has no step.
    let where_ = if path.is_empty() {
        "the run".to_string()
    } else {
        inline(&path)
    };
    let mut s = format!("{} · **{where_}**", clock(report, &at.ts));
    if let Some(t) = title {
        let _ = write!(s, " ({})", inline(t));
    }
    if report.run.operators.len() > 1 {
        let _ = write!(s, " · {}", inline(&at.operator));
    }
    s
}

fn decisions(report: &Report) -> String {
    let mut items: Vec<(u64, String)> = Vec::new();
    for d in &report.decisions {
        let mut s = format!(
            "- {}: chose option {}, *{}*",
            place(report, &d.at, d.title.as_deref()),
            d.option,
            inline(&d.label)
        );
        if let Some(v) = &d.value {
            let _ = write!(s, " (value {})", code(v));
        }
        let _ = write!(s, " → {}", code(&d.next));
        items.push((d.at.seq, s));
    }
    for a in &report.answers {
        items.push((
            a.at.seq,
            format!(
                "- {}: answered {} = {}",
                place(report, &a.at, a.title.as_deref()),
                code(&a.var),
                code(&a.value)
            ),
        ));
    }
    items.sort_by_key(|(seq, _)| *seq);
    if items.is_empty() {
        return "_No decision was taken and no question answered._\n".into();
    }
    items.into_iter().map(|(_, s)| s + "\n").collect()
}

fn notes(report: &Report) -> String {
    if report.notes.is_empty() {
        return "_No notes were written._\n".into();
    }
    let mut out = String::new();
    for n in &report.notes {
        let _ = writeln!(out, "- {}:", place(report, &n.at, n.title.as_deref()));
        for line in n.text.lines() {
            let _ = writeln!(out, "  > {}", line.trim_end());
        }
    }
    out
}

fn commands(report: &Report, level: usize) -> String {
    if report.commands.is_empty() {
        return "_No command was run._\n".into();
    }
    let h = "#".repeat(level);
    let mut out = String::new();
    let polls = |i: usize| {
        let c = &report.commands[i];
        (c.purpose.as_deref() == Some("wait")).then(|| c.at.path())
    };
    let mut i = 0;
    while i < report.commands.len() {
        let c = &report.commands[i];
        // A long wait: its first and last checks only.
        if let Some(path) = polls(i) {
            let mut last = i;
            while last + 1 < report.commands.len() && polls(last + 1).as_ref() == Some(&path) {
                last += 1;
            }
            if last - i >= 2 {
                out.push_str(&command(report, c, &h));
                let _ = writeln!(
                    out,
                    "_… {} more checks, each in the journal and its output log._\n",
                    last - i - 1
                );
                out.push_str(&command(report, &report.commands[last], &h));
                i = last + 1;
                continue;
            }
        }
        out.push_str(&command(report, c, &h));
        i += 1;
    }
    out.truncate(out.trim_end().len() + 1);
    out
}

/// One command: its heading, the script, and the end of its output.
fn command(report: &Report, c: &Command, h: &str) -> String {
    let mut out = String::new();
    let mut title = format!("{h} {}", code(&c.at.path()));
    match c.purpose.as_deref() {
        Some("wait") => {
            let _ = write!(title, " · wait · check {}", c.attempt);
        }
        Some(p) => {
            let _ = write!(title, " · {p} · attempt {}", c.attempt);
        }
        None => {
            let _ = write!(title, " · attempt {}", c.attempt);
        }
    }
    if c.edited {
        title.push_str(" · edited");
    }
    match (&c.outcome, c.duration_ms) {
        (Some(outcome), Some(ms)) => {
            let _ = write!(title, " · {} · {}", inline(outcome), duration(ms));
        }
        _ => title.push_str(" · did not finish"),
    }
    let _ = writeln!(out, "{title}\n");
    let _ = writeln!(
        out,
        "{} · {}\n",
        clock(report, &c.at.ts),
        offset(c.at.offset_ms)
    );
    out.push_str(&fenced(&c.command, "sh"));
    if let Some(output) = c.output.as_deref().filter(|o| !o.trim().is_empty()) {
        let (excerpt, shown, total) = excerpt(output);
        let mut what = if shown < total || c.output_truncated {
            format!("Output, last {shown} lines")
        } else {
            "Output".to_string()
        };
        if let Some(log) = &c.log {
            let _ = write!(what, " (full output in {})", code(log));
        }
        let _ = writeln!(out, "\n{what}:\n");
        out.push_str(&fenced(&excerpt, "text"));
    } else if c.interactive {
        out.push_str(
            "\nRan attached to the terminal (`interactive: true`): its output was not captured.\n",
        );
    } else if c.outcome.is_some() && c.outcome.as_deref() != Some("not run (dry-run)") {
        out.push_str("\nNo output.\n");
    }
    out.push('\n');
    out
}

fn failures(report: &Report) -> String {
    if report.failures.is_empty() {
        return "_No step failed._\n".into();
    }
    let mut out = String::new();
    for f in &report.failures {
        let mut s = format!(
            "- {}: {}",
            place(report, &f.at, f.title.as_deref()),
            f.status.as_str()
        );
        if let Some(code) = f.exit_code {
            let _ = write!(s, " (exit {code})");
        }
        // `exit 4` says nothing the exit code did not.
        let said = f.exit_code.map(|c| format!("exit {c}"));
        if let Some(reason) = f.reason.as_ref().filter(|r| Some(*r) != said.as_ref()) {
            let _ = write!(s, ": {}", inline(reason));
        }
        match f.next.as_deref() {
            Some("abort") => s.push_str("; the run stopped here"),
            Some("end") => s.push_str("; the run went on to its end"),
            Some(next) => {
                let _ = write!(s, "; the run went on to {}", code(next));
            }
            None => {}
        }
        let _ = writeln!(out, "{s}");
    }
    out
}

fn deviations(report: &Report) -> String {
    if report.deviations.is_empty() {
        return "_None: the run followed the runbook as written._\n".into();
    }
    let mut out = String::new();
    for d in &report.deviations {
        let mut s = format!("- {}: {}", place(report, &d.at, None), inline(&d.detail));
        if let Some(c) = &d.code {
            let _ = write!(s, " {}", code(&super::timeline::first_line(c, 80)));
        }
        let _ = writeln!(out, "{s}");
    }
    out
}

/// The last lines of an output (control characters removed, long lines cut): the text,
/// how many lines it shows, and how many there were.
pub fn excerpt(output: &str) -> (String, usize, usize) {
    let lines: Vec<&str> = output.trim_end_matches(['\n', '\r']).lines().collect();
    let total = lines.len();
    let from = total.saturating_sub(EXCERPT_LINES);
    let shown: Vec<String> = lines[from..]
        .iter()
        .map(|l| {
            let clean: String = l
                .chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect();
            if clean.chars().count() > EXCERPT_WIDTH {
                let cut: String = clean.chars().take(EXCERPT_WIDTH).collect();
                format!("{cut} …")
            } else {
                clean
            }
        })
        .collect();
    (shown.join("\n"), total - from, total)
}

/// Text for one line of Markdown: line breaks become spaces.
pub fn inline(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A table cell: `|` escaped (also inside code spans, as GitHub's tables need).
pub fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// An inline code span that holds any text, backticks included.
pub fn code(text: &str) -> String {
    let text = inline(text);
    let longest = longest_run(&text, '`');
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') || longest > 0 {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A fenced code block that holds any text, fences included.
pub fn fenced(text: &str, lang: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", text.trim_end_matches('\n'))
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_and_fences_hold_backticks() {
        assert_eq!(code("ls"), "`ls`");
        assert_eq!(code("echo `date`"), "`` echo `date` ``");
        assert_eq!(fenced("a\n```\nb", "sh"), "````sh\na\n```\nb\n````\n");
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn excerpts_keep_the_last_lines() {
        let text: String = (1..=10).map(|i| format!("line {i}\n")).collect();
        let (shown, n, total) = excerpt(&text);
        assert_eq!((n, total), (EXCERPT_LINES, 10));
        assert!(shown.starts_with("line 5\n") && shown.ends_with("line 10"));
        assert_eq!(excerpt("a\u{1b}[31mred\n").0, "a[31mred");
    }
}
