//! `--format gitlab`: a GitLab Code Quality report (a JSON array), which merge requests show
//! inline once a CI job keeps it as `artifacts: reports: codequality`.
//!
//! The fingerprint identifies one problem across runs, so that GitLab can tell new problems
//! from old ones: the file, the rule, the message and the text of the highlighted line (not
//! its number, so that adding a line above does not make every problem below "new"), and the
//! problem's rank among identical ones in the file.

use crate::lint::{LintReport, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub fn render(report: &LintReport) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue> = report
        .diagnostics
        .iter()
        .map(|d| {
            // Relative to the working folder (the repository's root in CI), as GitLab links
            // it, whichever way the path was given (`./runbooks`, `$PWD/runbooks`).
            let path = relative_path(&d.file);
            let line_text = d
                .excerpt
                .as_ref()
                .and_then(|e| {
                    e.text
                        .lines()
                        .nth(d.line.saturating_sub(e.first_line))
                        .map(str::trim)
                })
                .unwrap_or_default();
            // Line numbers inside a message (`the item on line 8`) are left out: a line
            // added above must not make an old problem new.
            let message: String = d.message.chars().filter(|c| !c.is_ascii_digit()).collect();
            let key = format!("{path}\0{}\0{message}\0{line_text}", d.code);
            let rank = seen.entry(key.clone()).or_insert(0);
            *rank += 1;
            let digest = Sha256::new()
                .chain_update(key.as_bytes())
                .chain_update(rank.to_string().as_bytes())
                .finalize();
            let fingerprint: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
            let mut description = format!("{}: {}", d.code, d.message);
            if let Some(help) = &d.help {
                description.push_str(" (help: ");
                description.push_str(help);
                description.push(')');
            }
            Issue {
                description,
                check_name: &d.code,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path,
                    lines: Lines { begin: d.line },
                },
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// `path` relative to the working folder when it is below it, without a leading `./`.
fn relative_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    let relative = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let text = relative.display().to_string();
    let mut text = text.as_str();
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_string()
}
