//! A problem found in a runbook, with everything a renderer needs and nothing more: a
//! diagnostic does not keep the file's text, so memory does not grow with the files linted.

use crate::load::{Source, Span};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The source lines a diagnostic points into, for the human renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// 1-based number of the first line of `text`.
    pub first_line: usize,
    pub text: String,
    /// The highlighted byte range within `text`.
    pub highlight: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: PathBuf,
    /// 1-based; columns count characters.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub excerpt: Option<Excerpt>,
}

/// Lines of context kept around a highlighted span at most.
const MAX_EXCERPT_LINES: usize = 6;

impl Diagnostic {
    pub fn new(
        source: &Source,
        span: Span,
        code: impl Into<String>,
        severity: Severity,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let start = source.position(span.start);
        let end = source.position(span.end);
        let last_line = end.line.min(start.line + MAX_EXCERPT_LINES - 1);
        let excerpt = if source.text.is_empty() {
            None
        } else {
            let from = source.line_start(start.line);
            let to = (source.line_start(last_line) + source.line_text(last_line).len()).max(from);
            let text = source.text.get(from..to).unwrap_or("").to_string();
            // On whole characters: a span of one byte from a column (shellcheck's SC1018 at
            // a no-break space) would end inside a character, which the renderer cannot cut.
            let mut hl_start = span.start.saturating_sub(from).min(text.len());
            while !text.is_char_boundary(hl_start) {
                hl_start -= 1;
            }
            let mut hl_end = span.end.saturating_sub(from).clamp(hl_start, text.len());
            while !text.is_char_boundary(hl_end) {
                hl_end += 1;
            }
            Some(Excerpt {
                first_line: start.line,
                text,
                highlight: hl_start..hl_end,
            })
        };
        Diagnostic {
            code: code.into(),
            severity,
            message,
            help,
            file: source.path.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            excerpt,
        }
    }

    /// The order of every output format: file, line, column, then code and message.
    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            &self.code,
            &self.message,
        )
    }
}
