//! `--format json`: one array of diagnostics, sorted by file, line and column.

use crate::lint::LintReport;
use serde::Serialize;

#[derive(Serialize)]
struct Item<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn render(report: &LintReport) -> String {
    let items: Vec<Item> = report
        .diagnostics
        .iter()
        .map(|d| Item {
            code: &d.code,
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
