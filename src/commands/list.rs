//! `runbook list`: every runbook found in `./runbooks` and `RUNBOOK_PATH`, with its title,
//! owner, severity and tags, and when it was last run and last drilled (from the journals).
//! A runbook that does not load is listed with its error, not dropped.

use super::{EXIT_OK, print_stdout};
use crate::cli::ListArgs;
use crate::exec::journal::{self, Event, Mode};
use crate::load::find;
use crate::report::{journals, read_journal, started};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use textwrap::core::display_width;

/// The width the human table aims at (more on a wider terminal); only the title column
/// gives way, down to [`MIN_TITLE`].
const TABLE_WIDTH: usize = 100;
const MIN_TITLE: usize = 30;
const MAX_TAGS: usize = 20;

struct Entry {
    name: String,
    path: PathBuf,
    title: Option<String>,
    owner: Option<String>,
    severity: Option<String>,
    tags: Vec<String>,
    last_run: Option<Started>,
    last_drill: Option<Started>,
    error: Option<String>,
}

/// When a run started: as the journal wrote it, and parsed for comparing and display.
#[derive(Clone)]
struct Started {
    text: String,
    at: jiff::Timestamp,
}

/// When a runbook was last run and last drilled.
#[derive(Default)]
struct Last {
    run: Option<Started>,
    drill: Option<Started>,
}

pub fn run(args: &ListArgs) -> i32 {
    let folders = find::search_folders(None);
    let mut entries: Vec<Entry> = files(&folders).iter().map(|p| entry(p)).collect();
    let mut history = history(&journal::state_dir(args.state_dir.as_deref()));
    match team_history() {
        Ok(team) => {
            for (name, (mode, ts)) in team {
                let entry = history.entry(name).or_default();
                let slot = match mode {
                    Mode::Run => &mut entry.run,
                    _ => &mut entry.drill,
                };
                if slot.as_ref().is_none_or(|t| t.at < ts.at) {
                    *slot = Some(ts);
                }
            }
        }
        Err(Some(code)) => return code,
        Err(None) => {}
    }
    for entry in &mut entries {
        if let Some(last) = history.get(&entry.name) {
            entry.last_run = last.run.clone();
            entry.last_drill = last.drill.clone();
        }
    }
    if args.json {
        let items: Vec<Item> = entries.iter().map(Item::from).collect();
        let text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
        return print_stdout(&format!("{text}\n"));
    }
    if entries.is_empty() {
        let searched: Vec<String> = folders
            .iter()
            .map(|f| format!("`{}`", f.display()))
            .collect();
        warn(
            &format!("no runbooks found (looked in {})", searched.join(", ")),
            "`runbook new NAME` writes a starting runbook in ./runbooks; RUNBOOK_PATH adds folders",
        );
        return EXIT_OK;
    }
    let code = super::status::print_table(&table(&entries));
    if entries.iter().any(|e| e.error.is_some()) {
        warn(
            "some runbooks have errors and cannot run",
            "`runbook lint` shows every problem with its location",
        );
    }
    code
}

/// The runbook files of every folder that exists, each once, in search order.
fn files(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    for folder in folders {
        if !folder.is_dir() {
            continue;
        }
        match find::runbook_files(std::slice::from_ref(folder)) {
            Ok(found) => {
                for file in found {
                    let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
                    if seen.insert(key) {
                        files.push(file);
                    }
                }
            }
            Err(e) => warn(
                &e.to_string(),
                "check the folder's permissions, or take it out of RUNBOOK_PATH",
            ),
        }
    }
    files
}

fn entry(path: &Path) -> Entry {
    let mut entry = Entry {
        name: find::stem(path),
        path: path.to_path_buf(),
        title: None,
        owner: None,
        severity: None,
        tags: Vec::new(),
        last_run: None,
        last_drill: None,
        error: None,
    };
    let loaded = match crate::load::load_path(path) {
        Ok(loaded) => loaded,
        Err(e) => {
            entry.error = Some(format!("{}: cannot read: {e}", path.display()));
            return entry;
        }
    };
    if let Some(first) = loaded.issues.first() {
        let at = loaded.source.position(first.span.start);
        let more = match loaded.issues.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more problem)".to_string(),
            n => format!(" (and {n} more problems)"),
        };
        entry.error = Some(format!(
            "{}:{}:{}: {}{more}",
            path.display(),
            at.line,
            at.column,
            first.message
        ));
    }
    if let Some(rb) = loaded.runbook {
        if let Some(name) = rb.name {
            entry.name = name.value;
        }
        entry.title = rb.title.map(|t| t.value);
        entry.owner = rb.owner.map(|o| o.value);
        entry.severity = rb.severity.map(|s| s.value);
        entry.tags = rb.tags.into_iter().map(|t| t.value).collect();
    }
    entry
}

/// The start of the latest run and drill of each runbook name. Dry-runs count as neither.
fn history(state_dir: &Path) -> HashMap<String, Last> {
    let mut last: HashMap<String, Last> = HashMap::new();
    for path in journals(state_dir) {
        let records = match read_journal(&path) {
            Ok((records, _)) => records,
            Err(e) => {
                warn(
                    &format!("cannot read the journal `{}`: {e}", path.display()),
                    "its run is left out of `last run` and `last drill`",
                );
                continue;
            }
        };
        let Some((name, mode)) = started(&records) else {
            continue;
        };
        let ts = records
            .iter()
            .find(|r| matches!(r.event, Event::RunStarted { .. }))
            .and_then(|r| {
                let at = r.ts.parse::<jiff::Timestamp>().ok()?;
                Some(Started {
                    text: r.ts.clone(),
                    at,
                })
            });
        let Some(ts) = ts else { continue };
        let entry = last.entry(name.to_string()).or_default();
        let slot = match mode {
            Mode::Run => &mut entry.run,
            Mode::Drill => &mut entry.drill,
            Mode::DryRun => continue,
        };
        if slot.as_ref().is_none_or(|t| t.at < ts.at) {
            *slot = Some(ts);
        }
    }
    last
}

/// A runbook's last run or drill in the team store.
type TeamLast = (String, (Mode, Started));

/// The last run and drill of each runbook across the team, from the store when there is
/// one. `Err(Some(code))`: its URL cannot be used (reported); `Err(None)`: no store, or it
/// cannot be reached now (said: the times are this machine's).
fn team_history() -> Result<Vec<TeamLast>, Option<i32>> {
    let mut target = super::team::target().map_err(Some)?.ok_or(None)?;
    // A listing waits at most 2 s for a store out of reach, then shows this machine's runs.
    if target
        .config
        .get_connect_timeout()
        .is_none_or(|t| *t > std::time::Duration::from_secs(2))
    {
        target
            .config
            .connect_timeout(std::time::Duration::from_secs(2));
    }
    let rows = crate::store::Store::open(&target).and_then(|mut store| {
        store
            .client
            .query(
                "SELECT DISTINCT ON (runbook, mode) runbook, mode,
                        (extract(epoch FROM started_at) * 1000)::bigint
                 FROM runbook.runs WHERE mode IN ('run', 'drill')
                 ORDER BY runbook, mode, started_at DESC",
                &[],
            )
            .map_err(|e| store.query_error(&e))
    });
    let rows = rows.map_err(|e| {
        warn(
            &e.message,
            "LAST RUN and LAST DRILL show this machine's runs only",
        );
        None
    })?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let mode = if r.get::<_, String>(1) == "run" {
                Mode::Run
            } else {
                Mode::Drill
            };
            let at = jiff::Timestamp::from_millisecond(r.get(2)).ok()?;
            let text = at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
            Some((r.get(0), (mode, Started { text, at })))
        })
        .collect())
}

/// One runbook in `--json` output; unknown values are `null`, times RFC 3339 in UTC.
#[derive(serde::Serialize)]
struct Item<'a> {
    name: &'a str,
    title: Option<&'a str>,
    owner: Option<&'a str>,
    severity: Option<&'a str>,
    tags: &'a [String],
    last_run: Option<&'a str>,
    last_drill: Option<&'a str>,
    path: String,
    error: Option<&'a str>,
}

impl<'a> From<&'a Entry> for Item<'a> {
    fn from(e: &'a Entry) -> Item<'a> {
        Item {
            name: &e.name,
            title: e.title.as_deref(),
            owner: e.owner.as_deref(),
            severity: e.severity.as_deref(),
            tags: &e.tags,
            last_run: e.last_run.as_ref().map(|t| t.text.as_str()),
            last_drill: e.last_drill.as_ref().map(|t| t.text.as_str()),
            path: e.path.display().to_string(),
            error: e.error.as_deref(),
        }
    }
}

/// How long ago, for a person: `12m ago`, `5h ago`, `3d ago`; `never`.
fn ago(t: Option<&Started>, now: jiff::Timestamp) -> String {
    let Some(t) = t else {
        return "never".to_string();
    };
    let seconds = now.as_second().saturating_sub(t.at.as_second()).max(0);
    match seconds {
        0..60 => "just now".to_string(),
        60..3600 => format!("{}m ago", seconds / 60),
        3600..172_800 => format!("{}h ago", seconds / 3600),
        _ => format!("{}d ago", seconds / 86_400),
    }
}

/// The width the table aims at: the terminal's when wider, else [`TABLE_WIDTH`].
fn table_width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(TABLE_WIDTH, |(_, cols)| usize::from(cols).max(TABLE_WIDTH))
}

fn table(entries: &[Entry]) -> String {
    let now = jiff::Timestamp::now();
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
    let rows: Vec<[String; 7]> = entries
        .iter()
        .map(|e| {
            let tags = if e.tags.is_empty() {
                "-".to_string()
            } else {
                truncate(&e.tags.join(", "), MAX_TAGS)
            };
            // The runbook's own text, shown as it is (`␛[31m`) so that columns line up.
            [
                e.name.clone(),
                dash(&e.title),
                dash(&e.owner),
                dash(&e.severity),
                tags,
                ago(e.last_run.as_ref(), now),
                ago(e.last_drill.as_ref(), now),
            ]
            .map(|cell| crate::values::visible::plain_text(&cell).into_owned())
        })
        .collect();
    let header = [
        "NAME",
        "TITLE",
        "OWNER",
        "SEVERITY",
        "TAGS",
        "LAST RUN",
        "LAST DRILL",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let others: usize = widths
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, w)| w + 2)
        .sum();
    widths[1] = widths[1].min(table_width().saturating_sub(others).max(MIN_TITLE));
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            let cell = truncate(cell, *width);
            if i + 1 < cells.len() {
                let pad = width.saturating_sub(display_width(&cell));
                text.push_str(&cell);
                text.push_str(&" ".repeat(pad + 2));
            } else {
                text.push_str(&cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from), &mut out);
    for (row, entry) in rows.iter().zip(entries) {
        line(row, &mut out);
        if let Some(error) = &entry.error {
            out.push_str(&format!("  ✗ {error}\n"));
        }
    }
    out
}

/// Cuts a text to a display width, marking the cut with `…`.
fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let w = display_width(c.encode_utf8(&mut buf));
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Something the reader should know that does not stop the listing: a warning on stderr.
fn warn(message: &str, help: &str) {
    eprintln!("warning: {message}\nhelp: {help}");
}
