//! `runbook history`: past runs, newest first, from the journals of the state folder.

use super::{EXIT_OK, EXIT_USAGE, report_error};
use crate::cli::HistoryArgs;
use crate::exec::journal;
use crate::report::run::{
    RunEntry, duration, local_minutes, parse_since, runs, short, unique_prefixes,
};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

pub fn run(args: &HistoryArgs) -> i32 {
    let state_dir = journal::state_dir(args.state_dir.as_deref());
    let since = match &args.since {
        Some(text) => match parse_since(text, &jiff::ZonedDateTime::now()) {
            Ok(ts) => Some(ts),
            Err(e) => {
                report_error(
                    &e,
                    "write a date (`2026-11-01`), a time (`2026-11-01T09:00:00Z`) or a \
                     duration ago (`2d`, `12h`, `30m`)",
                );
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    if args.team {
        return team(args, since);
    }
    let all = runs(&state_dir);
    // Shown ids are prefixes unique in the whole state folder, so `report` takes them.
    let prefixes = unique_prefixes(all.iter().map(|e| e.id.as_str()));
    let entries: Vec<RunEntry> = all
        .into_iter()
        .filter(|e| match (&args.runbook, &e.run) {
            (Some(name), Ok(run)) => &run.runbook == name,
            // An unreadable journal cannot be told apart: it stays listed.
            _ => true,
        })
        .filter(|e| match (since, e.start()) {
            (Some(since), Some(start)) => start >= since,
            _ => true,
        })
        .collect();
    let text = if args.json {
        json_text(&entries)
    } else {
        if entries.is_empty() {
            let mut what = format!("no runs in `{}`", state_dir.join("runs").display());
            if let Some(name) = &args.runbook {
                let _ = write!(what, " of `{name}`");
            }
            if let Some(since) = &args.since {
                let _ = write!(what, " since {since}");
            }
            eprintln!("{what}");
            eprintln!(
                "help: `runbook run`, `runbook drill` and `runbook run --dry-run` record runs; \
                 --state-dir or RUNBOOK_STATE_DIR says where to look"
            );
            return EXIT_OK;
        }
        table(&entries, &prefixes)
    };
    if args.json {
        super::print_stdout(&text)
    } else {
        super::status::print_table(&text)
    }
}

/// One run in `history --json`; an unreadable journal has only `id`, `short_id`, `status`
/// (`unreadable`), `error` and `journal` (and `end`, `reason` as null).
#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    short_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    runbook: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    operators: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<&'a str>,
    end: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_ms: Option<u64>,
    status: &'static str,
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    torn: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    journal: String,
}

fn json_text(entries: &[RunEntry]) -> String {
    let items: Vec<Item> = entries
        .iter()
        .map(|e| match &e.run {
            Ok(run) => Item {
                id: &run.id,
                short_id: run.short_id.clone(),
                runbook: Some(&run.runbook),
                title: Some(&run.title),
                mode: Some(run.mode.as_str()),
                operators: Some(&run.operators),
                host: Some(&run.host),
                start: Some(&run.start),
                end: run.end.as_deref(),
                duration_ms: Some(run.duration_ms),
                status: run.status.as_str(),
                reason: run.reason.as_deref(),
                torn: run.torn,
                error: None,
                journal: run.journal.display().to_string(),
            },
            Err(error) => Item {
                id: &e.id,
                short_id: short(&e.id),
                runbook: None,
                title: None,
                mode: None,
                operators: None,
                host: None,
                start: None,
                end: None,
                duration_ms: None,
                status: "unreadable",
                reason: None,
                torn: false,
                error: Some(error),
                journal: e.journal.display().to_string(),
            },
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

/// Cuts a cell to `width` characters, marking the cut with `…`.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `alice@a`, or `alice@a +1` when others drove the run too.
fn operators(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} +{}", rest.len()),
    }
}

/// The widest the table gets; runbook names and operators are cut to fit.
pub const TABLE_WIDTH: usize = 100;

/// The human table.
fn table(entries: &[RunEntry], prefixes: &HashMap<String, String>) -> String {
    let shown = |id: &str| prefixes.get(id).cloned().unwrap_or_else(|| short(id));
    let rows: Vec<[String; 7]> = entries
        .iter()
        .map(|e| match &e.run {
            Ok(run) => [
                shown(&e.id),
                run.runbook.clone(),
                run.mode.as_str().to_string(),
                operators(&run.operators),
                run.start_ts
                    .map_or_else(|| run.start.clone(), local_minutes),
                duration(run.duration_ms),
                run.status.as_str().to_string(),
            ],
            Err(_) => [
                shown(&e.id),
                "?".into(),
                "?".into(),
                "?".into(),
                e.start().map_or_else(|| "?".into(), local_minutes),
                "?".into(),
                "unreadable".into(),
            ],
        })
        .map(|row| row.map(|cell| crate::values::visible::plain_text(&cell).into_owned()))
        .collect();
    let header = [
        "RUN", "RUNBOOK", "MODE", "OPERATOR", "STARTED", "DURATION", "STATUS",
    ];
    let mut out = grid(
        &header,
        rows.into_iter().map(Vec::from).collect(),
        &[1, 3],
        5,
    );
    let unreadable: Vec<&RunEntry> = entries.iter().filter(|e| e.run.is_err()).collect();
    if !unreadable.is_empty() {
        out.push_str("\nunreadable journals:\n");
        for e in unreadable {
            if let Err(error) = &e.run {
                let _ = writeln!(out, "  {}  {error}", shown(&e.id));
            }
        }
    }
    out
}

/// A table of `rows` under `header`, at most [`TABLE_WIDTH`] wide: the columns in
/// `narrow` (the widest first) are cut to fit; column `right` lines up on the right. Cells
/// show a runbook's text without control characters.
fn grid(header: &[&str], mut rows: Vec<Vec<String>>, narrow: &[usize], right: usize) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let gaps = 2 * (widths.len() - 1);
    while widths.iter().sum::<usize>() + gaps > TABLE_WIDTH {
        let Some(&i) = narrow
            .iter()
            .max_by_key(|&&i| (widths[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        if widths[i] <= 8 {
            break;
        }
        widths[i] -= 1;
    }
    for row in &mut rows {
        for &i in narrow {
            row[i] = fit(&row[i], widths[i]);
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else if i == right {
                let _ = write!(l, "{cell:>w$}  ");
            } else {
                let _ = write!(l, "{cell:<w$}  ");
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells);
    }
    out
}

/// `history --team`: the runs of every machine, from the team store.
fn team(args: &HistoryArgs, since: Option<jiff::Timestamp>) -> i32 {
    use crate::store::read::{Filter, team_runs};
    let target = match super::team::target() {
        Ok(Some(t)) => t,
        Ok(None) => {
            report_error(
                "--team reads the team store, and none is configured",
                "give one with --store URL, RUNBOOK_STORE, or `[store] url` in runbook.toml (docs/STORE.md)",
            );
            return EXIT_USAGE;
        }
        Err(code) => return code,
    };
    let fail = |e: crate::store::StoreError| {
        report_error(&e.message, &e.help);
        e.exit_code()
    };
    let mut store = match crate::store::Store::open(&target) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let filter = Filter {
        runbook: args.runbook.clone(),
        since_ms: since.map(|t| t.as_millisecond()),
        limit: args.limit.unwrap_or(TEAM_LIMIT) as i64,
    };
    let (runs, total) = match team_runs(&mut store, &filter) {
        Ok(found) => found,
        Err(e) => return fail(e),
    };
    if args.json {
        let mut text = serde_json::to_string_pretty(&runs).unwrap_or_else(|_| "[]".into());
        text.push('\n');
        return super::print_stdout(&text);
    }
    if runs.is_empty() {
        eprintln!("no runs in the team store {}", store.shown);
        eprintln!(
            "help: runs driven with a store are sent as they happen; `runbook sync` sends a machine's earlier ones"
        );
        return EXIT_OK;
    }
    let prefixes = unique_prefixes(runs.iter().map(|r| r.id.as_str()));
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            let start = jiff::Timestamp::from_millisecond(r.start_ms)
                .map_or_else(|_| "?".into(), local_minutes);
            vec![
                prefixes.get(&r.id).cloned().unwrap_or_else(|| short(&r.id)),
                r.runbook.clone(),
                r.mode.clone(),
                operators(&r.operators),
                r.host.clone(),
                start,
                r.duration_ms
                    .map_or_else(|| "-".into(), |ms| duration(ms.max(0) as u64)),
                r.status.clone().unwrap_or_else(|| "unfinished".into()),
            ]
            .into_iter()
            .map(|c| crate::values::visible::plain_text(&c).into_owned())
            .collect()
        })
        .collect();
    let mut text = grid(
        &[
            "RUN", "RUNBOOK", "MODE", "OPERATOR", "HOST", "STARTED", "DURATION", "STATUS",
        ],
        rows,
        &[1, 3, 4],
        6,
    );
    if total > runs.len() as i64 {
        let _ = writeln!(
            text,
            "\n{} of {total} runs shown, newest first (--limit N, --since WHEN or --runbook NAME for others)",
            runs.len()
        );
    }
    super::status::print_table(&text)
}

/// How many runs `history --team` shows without `--limit`.
const TEAM_LIMIT: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_to_fit() {
        assert_eq!(fit("db-overload", 22), "db-overload");
        assert_eq!(fit("a-very-long-runbook-name-indeed", 10), "a-very-lo…");
        assert_eq!(operators(&["a@h".into(), "b@h".into()]), "a@h +1");
    }
}
