//! The runbook as a Markdown checklist, to print or paste into a wiki: its metadata, inputs,
//! then every step numbered, with what the operator does, types, decides and waits for.
//! `description` and `instructions` are Markdown already and are kept as written; every
//! other text (titles, labels, prompts) is plain text and escaped.

use super::title;
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::{CaptureFrom, InputType, Runbook, Shell, Sp, Step};
use std::fmt::Write;

/// The checklist item for a step that asks for an observation (`notes: true`).
const NOTES: &str = "- [ ] Write down what you observed\n";

pub fn render(rb: &Runbook, graph: &StepGraph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", text(&title(rb)));
    header(&mut out, rb);
    inputs(&mut out, rb);
    // Steps under a `section` go under its heading (a page's Diagnosis, Mitigation); the
    // steps before the first section under "Steps".
    // A section written `Mitigation › Force a renewal` is nested: a heading for each part
    // that changed.
    let mut section: Vec<&str> = Vec::new();
    // (A step's heading is one level below its section's: under a nested section, `###
    // 1. Cordon the node`, its steps are `####`, never headings level with it, audit 39 I-16.)
    let mut level = 3;
    for (n, step) in rb.steps.iter().enumerate() {
        let this: Vec<&str> = step
            .section
            .as_ref()
            .map(|s| s.as_str().split('›').map(str::trim).collect())
            .unwrap_or_default();
        if !this.is_empty() && this != section {
            let same = this
                .iter()
                .zip(&section)
                .take_while(|(a, b)| a == b)
                .count();
            for (depth, part) in this.iter().enumerate().skip(same) {
                let _ = writeln!(out, "{} {}\n", "#".repeat(depth + 2), heading(part));
            }
            level = (this.len() + 2).clamp(3, 6);
            section = this;
        } else if n == 0 && this.is_empty() {
            out.push_str("## Steps\n\n");
        }
        self::step(&mut out, rb, graph, step, level);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn header(out: &mut String, rb: &Runbook) {
    let mut meta = Vec::new();
    if let Some(name) = &rb.name {
        meta.push(format!("**Runbook:** {}", code(name.as_str())));
    }
    if let Some(owner) = &rb.owner {
        meta.push(format!("**Owner:** {}", text(owner.as_str())));
    }
    if let Some(severity) = &rb.severity {
        meta.push(format!("**Severity:** {}", text(severity.as_str())));
    }
    if !rb.tags.is_empty() {
        let tags: Vec<String> = rb.tags.iter().map(|t| code(t.as_str())).collect();
        meta.push(format!("**Tags:** {}", tags.join(", ")));
    }
    for line in &meta {
        let _ = writeln!(out, "- {line}");
    }
    if !rb.links.is_empty() {
        out.push_str("- **Links:**\n");
        for (name, url) in &rb.links {
            let _ = writeln!(out, "  - [{}](<{}>)", text(name.as_str()), url.as_str());
        }
    }
    if !meta.is_empty() || !rb.links.is_empty() {
        out.push('\n');
    }
    if let Some(description) = &rb.description {
        let _ = writeln!(out, "{}\n", description.as_str().trim_end());
    }
    let mut setup = Vec::new();
    if let Some(shell) = &rb.shell {
        setup.push(format!("**Shell:** {}", shell_text(&shell.value)));
    }
    if let Some(dir) = &rb.dir {
        setup.push(format!("**Working folder:** {}", code(dir.as_str())));
    }
    if !rb.env.is_empty() {
        setup.push(format!("**Environment:** {}", pairs(&rb.env)));
    }
    if let Some(max) = &rb.max_visits {
        setup.push(format!(
            "**Loops:** a step may be entered {} times in a run",
            max.value
        ));
    }
    for line in &setup {
        let _ = writeln!(out, "- {line}");
    }
    if !setup.is_empty() {
        out.push('\n');
    }
}

fn inputs(out: &mut String, rb: &Runbook) {
    if rb.inputs.is_empty() {
        return;
    }
    out.push_str("## Inputs\n\n| input | description | default | notes |\n|---|---|---|---|\n");
    for input in &rb.inputs {
        let mut notes = Vec::new();
        let required = input
            .required
            .as_ref()
            .map_or(input.default.is_none() && input.env.is_none(), |r| r.value);
        if required {
            notes.push("required".to_string());
        }
        match input.ty.value {
            InputType::String => {}
            InputType::Int => notes.push("whole number".to_string()),
            InputType::Bool => notes.push("`true` or `false`".to_string()),
        }
        if !input.choices.is_empty() {
            let choices: Vec<String> = input.choices.iter().map(|c| code(c.as_str())).collect();
            notes.push(format!("one of {}", choices.join(", ")));
        }
        if let Some(pattern) = &input.pattern {
            notes.push(format!("matches {}", code(pattern.as_str())));
        }
        if let Some(env) = &input.env {
            notes.push(format!("from {}", code(&format!("${}", env.value))));
        }
        if input.secret {
            notes.push("secret".to_string());
        }
        let cells = [
            code(input.name.as_str()),
            input
                .description
                .as_ref()
                .map_or_else(String::new, |d| text(d.as_str())),
            input
                .default
                .as_ref()
                .map_or_else(String::new, |d| code(d.as_str())),
            notes.join("; "),
        ];
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn step(out: &mut String, rb: &Runbook, graph: &StepGraph, step: &Step, level: usize) {
    let name = step.title.as_ref().map_or("", |t| t.as_str());
    let warning = if step.is_dangerous() { " ⚠" } else { "" };
    let _ = writeln!(
        out,
        "{} {}. {}{warning}\n",
        "#".repeat(level),
        step.index + 1,
        heading(name)
    );
    let _ = writeln!(out, "{}\n", facts(step).join(" · "));
    if let Some(when) = &step.when {
        let _ = writeln!(
            out,
            "*Only when* {}; otherwise the step is skipped.\n",
            code(when.as_str())
        );
    }
    if let Some(instructions) = &step.instructions {
        let _ = writeln!(out, "{}\n", instructions.as_str().trim_end());
    }
    let notes = step.notes.as_ref().is_some_and(|n| n.value);
    if let Some(checklist) = &step.checklist {
        for item in &checklist.value {
            let _ = writeln!(out, "- [ ] {}", text(&super::one_line(item.as_str())));
        }
        if notes {
            out.push_str(NOTES);
        }
        out.push('\n');
    }
    for ask in step.ask.iter().flat_map(|a| a.value.each()) {
        let prompt = ask.prompt.as_ref().map_or("", |p| p.as_str());
        let var = ask.var.as_ref().map_or("", |v| v.as_str());
        let mut rules = Vec::new();
        if let Some(pattern) = &ask.pattern {
            rules.push(format!("matches {}", code(pattern.as_str())));
        }
        if !ask.choices.is_empty() {
            let choices: Vec<String> = ask.choices.iter().map(|c| code(c.as_str())).collect();
            rules.push(format!("one of {}", choices.join(", ")));
        }
        if let Some(default) = &ask.default {
            rules.push(format!("default {}", code(default.as_str())));
        }
        if ask.secret {
            rules.push("secret".to_string());
        }
        let rules = if rules.is_empty() {
            String::new()
        } else {
            format!(" ({})", rules.join("; "))
        };
        let _ = writeln!(
            out,
            "**Ask:** {} → {}{rules}\n",
            text(prompt),
            code(&format!("vars.{var}"))
        );
    }
    if step.is_dangerous() {
        let phrase = step
            .confirm
            .as_ref()
            .map_or_else(|| step.id(), |c| c.value.clone());
        let _ = writeln!(
            out,
            "> ⚠ **Dangerous.** To go ahead, type the confirmation phrase {}\n",
            code(&phrase)
        );
    }
    if let Some(run) = &step.run {
        out.push_str("**Run:**\n\n");
        fence(out, "sh", &page_placeholders(rb, run.as_str()));
    }
    if let Some(choose) = &step.choose {
        let prompt = choose.value.prompt.as_ref().map_or("", |p| p.as_str());
        let _ = writeln!(out, "**Decide:** {}\n", text(&super::one_line(prompt)));
        let var = choose.value.var.as_ref();
        for (n, option) in choose.value.options.iter().enumerate() {
            let label = option.label.as_ref().map_or("", |l| l.as_str());
            let leads = graph
                .out_edges(step.index)
                .find(|e| e.kind == EdgeKind::Choice(n))
                .map_or_else(
                    || {
                        let name = option.next.as_ref().map_or("", |n| n.as_str());
                        format!("{} (no such step)", code(name))
                    },
                    |e| target(rb, e.to),
                );
            let sets = match (var, &option.value) {
                (Some(var), Some(value)) => format!(
                    " (sets {} to {})",
                    code(&format!("vars.{}", var.value)),
                    code(value.as_str())
                ),
                _ => String::new(),
            };
            let mut default = if choose.value.default_index() == Some(n) {
                " (default)".to_string()
            } else {
                String::new()
            };
            if let Some(end) = &option.end {
                default.push_str(&format!(" (the run ends {})", end.value));
            }
            if let Some(when) = &option.when {
                default.push_str(&format!(
                    " (taken without asking when {})",
                    code(when.as_str())
                ));
            }
            let _ = writeln!(out, "- [ ] {} → {leads}{sets}{default}", text(label));
        }
        out.push('\n');
    }
    if let Some(wait) = &step.wait {
        let wait = &wait.value;
        let mut line = format!(
            "**Wait** until {}",
            code(wait.until.as_ref().map_or("", |u| u.as_str()))
        );
        if let Some(interval) = &wait.interval {
            let _ = write!(line, ", checking every {}", interval.as_str());
        }
        if let Some(timeout) = &wait.timeout {
            let _ = write!(line, ", for at most {}", timeout.as_str());
        }
        let _ = writeln!(out, "{line}:\n");
        if let Some(run) = &wait.run {
            fence(out, "sh", run.as_str());
        }
    }
    if let Some(name) = &step.runbook {
        let _ = write!(
            out,
            "**Run the runbook** {}: its steps, nested here",
            code(name.as_str())
        );
        if step.with.is_empty() {
            out.push_str(".\n\n");
        } else {
            out.push_str(", with:\n\n");
            for (input, value) in &step.with {
                let _ = writeln!(out, "- {}: {}", code(input.as_str()), code(value.as_str()));
            }
            out.push('\n');
        }
    }
    if let Some(rollback) = &step.rollback {
        out.push_str("**Rollback** (undoes this step):\n\n");
        fence(out, "sh", rollback.as_str());
    }
    if let Some(manual) = &step.rollback_manual {
        let _ = writeln!(
            out,
            "**Rollback** (by hand): {}\n",
            text(&super::one_line(manual.as_str()))
        );
    }
    if notes && step.checklist.is_none() {
        out.push_str(NOTES);
        out.push('\n');
    }
    if let Some(on_failure) = &step.on_failure {
        let what = match on_failure.as_str() {
            "ask" => "ask what to do (retry, skip, edit, shell, abort)".to_string(),
            "abort" => "abort the run".to_string(),
            "continue" => "go on with the run".to_string(),
            _ => graph
                .out_edges(step.index)
                .find(|e| e.kind == EdgeKind::OnFailure)
                .map_or_else(
                    || format!("{} (no such step)", code(on_failure.as_str())),
                    |e| format!("go to {}", target(rb, e.to)),
                ),
        };
        let _ = writeln!(out, "**On failure:** {what}.\n");
    }
    if step.choose.is_none()
        && let Some(next) = &step.next
    {
        let leads = graph
            .out_edges(step.index)
            .find(|e| e.kind == EdgeKind::Next)
            .map_or_else(
                || format!("{} (no such step)", code(next.as_str())),
                |e| target(rb, e.to),
            );
        let _ = writeln!(out, "**Next:** {leads}.\n");
    }
}

/// The one-line facts under a step's heading: its id, then how it runs.
fn facts(step: &Step) -> Vec<String> {
    let mut facts = vec![code(&step.id())];
    if let Some(kind) = step.kind() {
        facts.push(kind.name().to_string());
    }
    if step.readonly.as_ref().is_some_and(|r| r.value) {
        facts.push("read-only".to_string());
    }
    if !step.for_each.is_empty() {
        let items: Vec<String> = step.for_each.iter().map(|i| code(i.as_str())).collect();
        facts.push(format!("once for each of {}", items.join(", ")));
    }
    if let Some(from) = &step.for_each_from {
        facts.push(format!("once for each item of {}", code(from.as_str())));
    }
    if let Some(d) = &step.duration {
        facts.push(format!("runs for {}, then stopped", d.as_str()));
    }
    if let Some(every) = &step.remind {
        facts.push(format!("reminds every {} once done", every.as_str()));
    }
    if let Some(timeout) = &step.timeout {
        facts.push(format!("timeout {}", timeout.as_str()));
    }
    if let Some(retries) = &step.retries {
        let delay = step
            .retry_delay
            .as_ref()
            .map_or_else(String::new, |d| format!(", {} apart", d.as_str()));
        let noun = if retries.value == 1 {
            "retry"
        } else {
            "retries"
        };
        facts.push(format!("{} {noun}{delay}", retries.value));
    }
    if let Some(expect) = &step.expect {
        let mut parts = Vec::new();
        if !expect.exit.is_empty() {
            let codes: Vec<String> = expect.exit.iter().map(|c| c.value.to_string()).collect();
            parts.push(format!("exit {}", codes.join(" or ")));
        }
        if let Some(stdout) = &expect.stdout {
            parts.push(format!("stdout matches {}", code(stdout.as_str())));
        }
        facts.push(format!("succeeds on {}", parts.join(" and ")));
    }
    if let Some(capture) = &step.capture {
        let from = match capture.from {
            CaptureFrom::Stdout => "stdout",
            CaptureFrom::Stderr => "stderr",
        };
        let pattern = capture
            .pattern
            .as_ref()
            .map_or_else(String::new, |p| format!(" matching {}", code(p.as_str())));
        let secret = if capture.secret { " (secret)" } else { "" };
        facts.push(format!(
            "{from}{pattern} → {}{secret}",
            code(&format!("vars.{}", capture.var.value))
        ));
    }
    if !step.outputs.is_empty() {
        let outputs: Vec<String> = step
            .outputs
            .iter()
            .map(|o| {
                let secret = if step.secret_var(&o.value) {
                    " (secret)"
                } else {
                    ""
                };
                format!("{}{secret}", code(&format!("vars.{}", o.value)))
            })
            .collect();
        facts.push(format!("sets {}", outputs.join(", ")));
    }
    if !step.secret_env.is_empty() {
        let names: Vec<String> = step
            .secret_env
            .iter()
            .map(|n| code(&format!("${}", n.value)))
            .collect();
        facts.push(format!("secret environment {}", names.join(", ")));
    }
    if let Some(shell) = &step.shell {
        facts.push(format!("shell {}", shell_text(&shell.value)));
    }
    if step.is_interactive() {
        facts.push("attached to the terminal".to_string());
    }
    if !step.renders() {
        facts.push("text used as written (`templates: false`)".to_string());
    }
    if let Some(dir) = &step.dir {
        facts.push(format!("in {}", code(dir.as_str())));
    }
    if !step.env.is_empty() {
        facts.push(format!("env {}", pairs(&step.env)));
    }
    facts
}

/// Where an edge leads, for a reader: `step 4, *Block the client*` or `the end`.
/// A command as the page it was imported from wrote it: each `{{ inputs.NAME }}` that
/// `runbook import` made from a `<PLACEHOLDER>` (its input described "The value of
/// <PLACEHOLDER> on the page") is written back as that placeholder, for the reader to fill
/// in, and so is each `{{ vars.NAME }}` it asks in an option that alone uses it (its `ask`
/// prompted the same). Other values stay `{{ … }}`.
fn page_placeholders(rb: &Runbook, command: &str) -> String {
    let mut out = command.to_string();
    for ask in rb
        .steps
        .iter()
        .filter_map(|s| s.ask.as_ref())
        .flat_map(|a| a.value.each())
    {
        let (Some(var), Some(prompt)) = (&ask.var, &ask.prompt) else {
            continue;
        };
        if let Some(written) = crate::import::placeholder_of(&prompt.value) {
            out = out.replace(&format!("{{{{ vars.{} }}}}", var.value), written);
        }
    }
    for input in &rb.inputs {
        let description = input.description.as_ref().map_or("", |d| d.as_str());
        let written = match crate::import::placeholder_of(description) {
            Some(written) => written.to_string(),
            // `export NAMESPACE=openshift-etcd` on the page: its value, the input's default.
            None if description.ends_with(", set by `export` on the page") => {
                match &input.default {
                    Some(default) => default.as_str().to_string(),
                    None => continue,
                }
            }
            None => continue,
        };
        out = out.replace(
            &format!("{{{{ inputs.{} }}}}", input.name.as_str()),
            &written,
        );
    }
    out
}

fn target(rb: &Runbook, to: Target) -> String {
    match to {
        Target::End => "the end".to_string(),
        Target::Step(i) => {
            let title = rb
                .steps
                .get(i)
                .and_then(|s| s.title.as_ref())
                .map_or("", |t| t.as_str());
            format!("step {}, *{}*", i + 1, text(title))
        }
    }
}

fn shell_text(shell: &Shell) -> String {
    match shell {
        Shell::Bash => code("bash"),
        Shell::Sh => code("sh"),
        Shell::Command(parts) => code(&parts.join(" ")),
    }
}

fn pairs(pairs: &[(Sp<String>, Sp<String>)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| code(&format!("{}={}", k.value, v.value)))
        .collect();
    items.join(", ")
}

/// A fenced code block, its fence longer than any run of backticks inside.
fn fence(out: &mut String, lang: &str, body: &str) {
    let ticks = "`".repeat(longest_run(body, '`').max(2) + 1);
    let _ = writeln!(out, "{ticks}{lang}\n{}\n{ticks}\n", body.trim_end());
}

/// An inline code span: on one line, delimited by more backticks than it contains.
pub fn code(value: &str) -> String {
    let value = value.replace(['\n', '\r'], " ");
    let ticks = "`".repeat(longest_run(&value, '`') + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{value}{pad}{ticks}")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Plain text escaped so that Markdown shows it as written. An `_` inside a word is not
/// emphasis in CommonMark, so `pg_stat_activity` stays readable in the source.
pub fn text(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len());
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        match c {
            '\n' | '\r' => out.push(' '),
            '_' if inside_word => out.push('_'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A heading's plain text escaped, its code spans (`` `<SIDEKIQ_NODE>` ``, a title the page
/// wrote with them) kept as code (audit 39 I-8 found them shown as escaped backquotes). A
/// backquote with no partner is text.
fn heading(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(open) = rest.find('`') {
        let ticks = rest[open..].len() - rest[open..].trim_start_matches('`').len();
        let fence = &rest[open..open + ticks];
        let after = &rest[open + ticks..];
        // The closing run of exactly as many backquotes.
        let close = after.match_indices(fence).map(|(k, _)| k).find(|&k| {
            !after[k + ticks..].starts_with('`') && (k == 0 || !after[..k].ends_with('`'))
        });
        let Some(close) = close.filter(|&k| k > 0 && !after[..k].contains('\n')) else {
            out.push_str(&text(&rest[..open + ticks]));
            rest = after;
            continue;
        };
        out.push_str(&text(&rest[..open]));
        out.push_str(&rest[open..open + ticks + close + ticks]);
        rest = &after[close + ticks..];
    }
    out.push_str(&text(rest));
    out
}

/// A table cell: a `|` would end it even inside a code span.
fn cell(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut escaped = false;
    for c in value.chars() {
        if c == '|' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{cell, code, heading, text};

    #[test]
    fn a_heading_keeps_its_code_spans() {
        assert_eq!(
            heading("Look at the workers on the node `<SIDEKIQ_NODE>`"),
            "Look at the workers on the node `<SIDEKIQ_NODE>`"
        );
        assert_eq!(heading("Run ``a`b`` <x>"), "Run ``a`b`` \\<x\\>");
        assert_eq!(heading("a `b and *c*"), "a \\`b and \\*c\\*");
        assert_eq!(heading("`` `x"), "\\`\\` \\`x");
    }

    #[test]
    fn plain_text_and_code_are_escaped() {
        assert_eq!(text("pg_stat_activity"), "pg_stat_activity");
        assert_eq!(
            text("_x_ *y* [z] #1 <b>"),
            "\\_x\\_ \\*y\\* \\[z\\] \\#1 \\<b\\>"
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(cell("`a|b` \\| c"), "`a\\|b` \\| c");
    }
}
