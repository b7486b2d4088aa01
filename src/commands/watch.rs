//! `runbook watch [RUN]`: a run followed as it happens, from the team store, on any machine.
//! It listens for the store's notifications (`runbook_events`, sent by a trigger whenever
//! events are stored) and shows each new event as a line: step headers, commands, output
//! tails, statuses, decisions, notes, the end. Read only: its session cannot write, and it
//! never asks anything.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report_error};
use crate::cli::WatchArgs;
use crate::exec::journal::{Event, Record, short_id};
use crate::store::{ErrorKind, Store, StoreError, read};
use crate::values::visible::plain_text;
use postgres::fallible_iterator::FallibleIterator;
use std::io::Write;
use std::time::Duration;

pub fn run(args: &WatchArgs) -> i32 {
    let target = match super::team::target() {
        Ok(Some(t)) => t,
        Ok(None) => {
            report_error(
                "`watch` follows a run in the team store, and none is configured",
                "give one with --store URL, RUNBOOK_STORE, or `[store] url` in runbook.toml (docs/STORE.md)",
            );
            return EXIT_USAGE;
        }
        Err(code) => return code,
    };
    let fail = |e: &StoreError| {
        report_error(&e.message, &e.help);
        match e.kind {
            ErrorKind::Query => EXIT_USAGE,
            _ => e.exit_code(),
        }
    };
    let mut store = match Store::open(&target) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    if let Err(e) = read_only(&mut store) {
        return fail(&e);
    }
    let id = match args.run.as_deref() {
        Some(reference) => match read::resolve(&mut store, reference) {
            Ok(id) => id,
            Err(e) => return fail(&e),
        },
        None => match read::newest_open(&mut store) {
            Ok(Some(id)) => id,
            Ok(None) => {
                report_error(
                    &format!("no run is going on in the team store {}", store.shown),
                    "`runbook history --team` lists the runs; `runbook watch RUN` follows one (or shows a finished one)",
                );
                return EXIT_FAILED;
            }
            Err(e) => return fail(&e),
        },
    };
    if let Err(e) = store.client.batch_execute("LISTEN runbook_events") {
        return fail(&store.query_error(&e));
    }
    let mut out = std::io::stdout().lock();
    if let Ok(Some(r)) = read::run(&mut store, &id) {
        let _ = writeln!(
            out,
            "watching run {} · {} · {} · started by {} on {}",
            short_id(&id),
            plain_text(&r.runbook),
            r.mode,
            plain_text(r.operators.first().map_or("?", String::as_str)),
            plain_text(&r.host)
        );
        let _ = writeln!(out, "(read only; Ctrl-C stops watching, not the run)\n");
    }
    let mut seq = 0i64;
    let mut reconnecting = false;
    let mut last_driving: Option<String> = None;
    loop {
        match read::events_after(&mut store, &id, seq) {
            Ok(events) => {
                for (s, text) in events {
                    seq = s;
                    let Ok(record) = serde_json::from_str::<Record>(&text) else {
                        continue;
                    };
                    for line in lines(&record) {
                        if writeln!(out, "{line}").is_err() {
                            return EXIT_OK; // the reader left (`| head`)
                        }
                    }
                    if let Event::RunFinished { status, .. } = record.event {
                        let _ = out.flush();
                        return if status == crate::exec::journal::RunStatus::Succeeded {
                            EXIT_OK
                        } else {
                            EXIT_FAILED
                        };
                    }
                }
                let _ = out.flush();
            }
            Err(e) if e.kind == ErrorKind::Unreachable => {
                if !reconnecting {
                    reconnecting = true;
                    let _ = writeln!(
                        out,
                        "({}; watching again as soon as it is back)",
                        plain_text(&e.message)
                    );
                    let _ = out.flush();
                }
                std::thread::sleep(Duration::from_secs(2));
                if let Ok(mut s) = Store::open(&target)
                    && read_only(&mut s).is_ok()
                    && s.client.batch_execute("LISTEN runbook_events").is_ok()
                {
                    store = s;
                    reconnecting = false;
                    let _ = writeln!(out, "(the team store is back)");
                }
                continue;
            }
            Err(e) => return fail(&e),
        }
        // A notification for this run, or a look every 2 s whatever happens.
        let mut woken = false;
        {
            let mut notifications = store.client.notifications();
            let mut iter = notifications.timeout_iter(Duration::from_secs(2));
            while let Ok(Some(n)) = iter.next() {
                if n.payload() == id {
                    woken = true;
                    break;
                }
            }
        }
        // Quiet: is anyone driving it? A run left unfinished sends nothing more, and the
        // watcher must not believe the engineer is still at the last step.
        if !woken {
            let driving = driver(&mut store, &id);
            if driving != last_driving {
                if let Some(line) = &driving {
                    let _ = writeln!(out, "{}", plain_text(line));
                    let _ = out.flush();
                }
                last_driving = driving;
            }
        }
    }
}

/// Whether the run has a driver now: `None` while its lease is held (or it has none yet),
/// else a line saying nobody drives it and how to take it over.
fn driver(store: &mut Store, id: &str) -> Option<String> {
    let lease = crate::store::lease::read(&mut store.client, id).ok()??;
    if lease.fresh() {
        return None;
    }
    let short = short_id(id);
    Some(if lease.released {
        format!(
            "(nobody drives this run now: {} stopped it unfinished; `runbook resume {short}` goes on with it)",
            lease.who()
        )
    } else {
        format!(
            "(nobody drives this run now: the lease of {} on {} expired, last renewed at {}; `runbook resume {short} --take-over` takes it over)",
            lease.who(),
            lease.host,
            lease.renewed_at
        )
    })
}

/// This session can read only: `watch` cannot change a run.
fn read_only(store: &mut Store) -> Result<(), StoreError> {
    store
        .client
        .batch_execute("SET default_transaction_read_only = on")
        .map_err(|e| store.query_error(&e))
}

/// `HH:MM:SS` of an event's RFC 3339 time, in local time.
fn clock(ts: &str) -> String {
    crate::report::run::parse_ts(ts)
        .map(|t| crate::report::run::local_format(t, "%H:%M:%S"))
        .unwrap_or_default()
}

/// The lines that show one event.
fn lines(r: &Record) -> Vec<String> {
    let at = clock(&r.ts);
    let path = if r.within.is_empty() {
        String::new()
    } else {
        format!("{} › ", r.within.join(" › "))
    };
    let t = |s: &str| plain_text(s).into_owned();
    match &r.event {
        Event::RunStarted {
            title, operator, ..
        } => {
            vec![format!(
                "{at} run started by {} · {}",
                t(operator),
                t(title)
            )]
        }
        Event::RunResumed { operator, host, .. } => {
            vec![format!(
                "{at} run resumed by {} on {}",
                t(operator),
                t(host)
            )]
        }
        Event::StepStarted {
            step, title, item, ..
        } => {
            let item = item
                .as_ref()
                .map(|i| format!(" · item {}", t(i)))
                .unwrap_or_default();
            vec![
                String::new(),
                format!("{at} ── {path}{}{item} · {}", t(step), t(title)),
            ]
        }
        Event::Command {
            command, purpose, ..
        } => {
            let label = purpose
                .as_deref()
                .map(|p| format!("{p} "))
                .unwrap_or_default();
            command
                .trim_end()
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        format!("{at}   {label}$ {}", t(l))
                    } else {
                        format!("           {}", t(l))
                    }
                })
                .collect()
        }
        Event::OutputTail {
            tail, truncated, ..
        } => {
            let mut v: Vec<String> = Vec::new();
            if *truncated {
                v.push("           │ …".into());
            }
            v.extend(tail.lines().map(|l| format!("           │ {}", t(l))));
            v
        }
        Event::CommandFinished {
            exit_code,
            outcome,
            duration_ms,
            ..
        } => {
            // `outcome` says the exit already (`exit 0`, `timeout`, `interrupted`).
            let outcome = if outcome.is_empty() {
                exit_code.map_or_else(|| "ended".into(), |c| format!("exit {c}"))
            } else {
                t(outcome)
            };
            vec![format!(
                "{at}   {outcome} · {}",
                crate::report::run::duration(*duration_ms)
            )]
        }
        Event::StepFinished {
            step,
            status,
            reason,
            ..
        } => {
            let why = reason
                .as_ref()
                .map(|r| format!(": {}", t(r)))
                .unwrap_or_default();
            vec![format!("{at} {} {path}{}{why}", status.as_str(), t(step))]
        }
        Event::Decision { label, next, .. } => {
            vec![format!("{at}   decision: {} → {}", t(label), t(next))]
        }
        Event::Answer { var, value, .. } => {
            vec![format!("{at}   answer: {} = {}", t(var), t(value))]
        }
        Event::ChecklistItem { item, done, .. } => vec![format!(
            "{at}   [{}] {}",
            if *done { "x" } else { " " },
            t(item)
        )],
        Event::Note { text, .. } => vec![format!("{at}   note: {}", t(text))],
        Event::Retry { step, .. } => vec![format!("{at}   retry of {}", t(step))],
        Event::ShellOpened { .. } => vec![format!("{at}   the operator opened a shell")],
        Event::Rollback { step, status, .. } => {
            vec![format!(
                "{at}   rollback of {}: {}",
                t(step),
                status.as_str()
            )]
        }
        Event::Lease { change, other, .. } => vec![format!(
            "{at} lease: {}{}",
            serde_json::to_value(change)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            other
                .as_ref()
                .map(|o| format!(" ({})", t(o)))
                .unwrap_or_default()
        )],
        Event::RunFinished {
            status,
            duration_ms,
            reason,
        } => vec![
            String::new(),
            format!(
                "{at} run {} after {}{}",
                status.as_str(),
                crate::report::run::duration(*duration_ms),
                reason
                    .as_ref()
                    .map(|r| format!(": {}", t(r)))
                    .unwrap_or_default()
            ),
        ],
        _ => Vec::new(),
    }
}
