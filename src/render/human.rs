//! `--format human`: rustc-style diagnostics with the source line and a caret under the span.

use crate::lint::{Diagnostic, LintReport, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

pub fn render(report: &LintReport, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&render_one(&renderer, d));
        out.push_str("\n\n");
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// One diagnostic, as `render` shows each (for other files than runbooks: runbook.toml).
pub fn one(d: &Diagnostic, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    render_one(&renderer, d)
}

fn render_one(renderer: &Renderer, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.file.display().to_string();
    let title = level
        .clone()
        .primary_title(d.message.as_str())
        .id(d.code.as_str());
    let group = match &d.excerpt {
        Some(excerpt) => {
            let highlight = if excerpt.highlight.is_empty() {
                // An empty span still gets a caret: under the character it starts at.
                let end = excerpt.text[excerpt.highlight.start..]
                    .chars()
                    .next()
                    .map_or(excerpt.highlight.start, |c| {
                        excerpt.highlight.start + c.len_utf8()
                    });
                excerpt.highlight.start..end
            } else {
                excerpt.highlight.clone()
            };
            let snippet = Snippet::source(excerpt.text.as_str())
                .line_start(excerpt.first_line)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(highlight));
            let group = title.element(snippet);
            match &d.help {
                Some(help) => group.element(Level::HELP.message(help.as_str())),
                None => group,
            }
        }
        None => {
            let origin = annotate_snippets::Origin::path(path.as_str())
                .line(d.line)
                .char_column(d.column);
            let group = title.element(origin);
            match &d.help {
                Some(help) => group.element(Level::HELP.message(help.as_str())),
                None => group,
            }
        }
    };
    let report: Vec<Group> = vec![group];
    renderer.render(&report)
}

/// The closing line: what was checked and what was found.
pub fn summary(report: &LintReport) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let files = plural(report.files, "file");
    if errors == 0 && warnings == 0 {
        return format!("checked {files}: no problems");
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    format!("checked {files}: {}", parts.join(", "))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Diagnostic, Severity};
    use crate::load::{Source, Span};

    /// Shellcheck reports a no-break space (SC1018) at a column, one byte long: the span
    /// ends inside the character. Shown on the whole character, never a panic.
    #[test]
    fn a_span_inside_a_character_is_shown_on_the_whole_character() {
        let text = "steps:\n  - run: kubectl get pods\u{a0}-n web\n";
        let at = text.find('\u{a0}').unwrap_or(0);
        let source = Source::new("nb.yaml", text.to_string());
        for (start, end) in [(at, at + 1), (at + 1, at + 1), (at + 1, at + 2)] {
            let d = Diagnostic::new(
                &source,
                Span::new(start, end),
                "RB030",
                Severity::Error,
                "SC1018: This is a unicode non-breaking space".to_string(),
                None,
            );
            let shown = super::one(&d, false);
            assert!(shown.contains("kubectl get pods"), "{shown}");
        }
    }
}
