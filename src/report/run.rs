//! A journal folded into the summary of one run: what `runbook history` lists and what heads
//! `runbook report`. Also finds runs by id or id prefix.

use super::read_journal;
use crate::exec::journal::{Event, JOURNAL_VERSION, Mode, Record, RunStatus};
use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// How a run ended, or that it has not (yet): `unfinished` runs are the ones `resume` picks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Succeeded,
    Failed,
    Aborted,
    Interrupted,
    Unfinished,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Aborted => "aborted",
            Status::Interrupted => "interrupted",
            Status::Unfinished => "unfinished",
        }
    }
}

impl From<RunStatus> for Status {
    fn from(s: RunStatus) -> Status {
        match s {
            RunStatus::Succeeded => Status::Succeeded,
            RunStatus::Failed => Status::Failed,
            RunStatus::Aborted => Status::Aborted,
            RunStatus::Interrupted => Status::Interrupted,
        }
    }
}

/// One run, as its journal tells it.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub id: String,
    pub short_id: String,
    pub runbook: String,
    pub title: String,
    /// The runbook file as given when the run started.
    pub path: String,
    pub sha256: String,
    pub mode: Mode,
    /// Who drove the run: the operator who started it, then each one who resumed it.
    pub operators: Vec<String>,
    /// The host the run started on.
    pub host: String,
    /// Every host the run was driven from, in order.
    pub hosts: Vec<String>,
    /// Inputs as journaled (secrets already redacted).
    pub inputs: BTreeMap<String, String>,
    pub journal_version: u32,
    /// RFC 3339, UTC, as journaled.
    pub start: String,
    /// When the run finished; `None` while it is unfinished.
    pub end: Option<String>,
    /// The time of the last event in the journal.
    pub last_event: String,
    /// Wall-clock time from the start to the end (or, unfinished, to the last event).
    pub duration_ms: u64,
    pub status: Status,
    /// Why the run failed or was aborted, when it says.
    pub reason: Option<String>,
    /// The journal's last line was cut short (the process was killed while writing it).
    pub torn: bool,
    pub events: usize,
    pub journal: PathBuf,
    #[serde(skip)]
    pub start_ts: Option<Timestamp>,
}

/// The run id of a journal: the name of its folder.
pub fn run_id_of(journal: &Path) -> String {
    journal
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The first 8 characters of a run id, as shown in tables.
pub fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

/// For each run id, its shortest prefix that no other id shares, and at least its `short`
/// 8 characters: run ids made in the same minute share their first 8 characters.
pub fn unique_prefixes<'a>(ids: impl IntoIterator<Item = &'a str>) -> HashMap<String, String> {
    let mut sorted: Vec<&str> = ids.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let mut out = HashMap::new();
    for (i, id) in sorted.iter().enumerate() {
        let before = i.checked_sub(1).map_or(0, |j| common(sorted[j], id));
        let after = sorted.get(i + 1).map_or(0, |next| common(next, id));
        let mut len = (before.max(after) + 1).max(8);
        // Never end on the dash between the id's groups.
        if id.chars().nth(len - 1) == Some('-') {
            len += 1;
        }
        out.insert(id.to_string(), id.chars().take(len).collect());
    }
    out
}

/// Parses a journal time (`ts`).
pub fn parse_ts(ts: &str) -> Option<Timestamp> {
    ts.parse().ok()
}

/// Folds the records of one journal into its summary. Errs (with what to tell the operator)
/// when the journal does not describe a run.
pub fn summarize(journal: &Path, records: &[Record], torn: bool) -> Result<RunSummary, String> {
    let Some(first) = records.first() else {
        return Err(if torn {
            format!(
                "`{}` holds only a torn line: the process stopped while writing the run's first event",
                journal.display()
            )
        } else {
            format!(
                "`{}` is empty: the process stopped before writing the run's first event",
                journal.display()
            )
        });
    };
    let Event::RunStarted {
        journal_version,
        run_id,
        runbook,
        title,
        path,
        sha256,
        operator,
        host,
        inputs,
        mode,
    } = &first.event
    else {
        return Err(format!(
            "`{}` does not begin with `run_started`: it is not a run's journal, or its start was lost",
            journal.display()
        ));
    };
    if *journal_version > JOURNAL_VERSION {
        return Err(newer(journal, u64::from(*journal_version)));
    }
    let mut operators = vec![operator.clone()];
    let mut hosts = vec![host.clone()];
    let mut finished = None;
    for r in records {
        match &r.event {
            Event::RunResumed { operator, host, .. } => {
                if !operators.contains(operator) {
                    operators.push(operator.clone());
                }
                if !hosts.contains(host) {
                    hosts.push(host.clone());
                }
            }
            Event::RunFinished { status, reason, .. } => {
                finished = Some((r.ts.clone(), *status, reason.clone()));
            }
            _ => {}
        }
    }
    // The last `run_finished` says how the run ended; events after it (a rollback
    // journaled in the same run, say) do not reopen it.
    let last = records.last().map_or(first, |r| r);
    let start_ts = parse_ts(&first.ts);
    let (end, status, reason) = match finished {
        Some((ts, status, reason)) => (Some(ts), Status::from(status), reason),
        None => (None, Status::Unfinished, None),
    };
    let until = end.as_deref().unwrap_or(&last.ts);
    let duration_ms = match (start_ts, parse_ts(until)) {
        (Some(a), Some(b)) => b.duration_since(a).as_millis().max(0) as u64,
        _ => 0,
    };
    let id = if run_id.is_empty() {
        run_id_of(journal)
    } else {
        run_id.clone()
    };
    Ok(RunSummary {
        short_id: short(&id),
        id,
        runbook: runbook.clone(),
        title: title.clone(),
        path: path.clone(),
        sha256: sha256.clone(),
        mode: *mode,
        operators,
        host: host.clone(),
        hosts,
        inputs: inputs.clone(),
        journal_version: *journal_version,
        start: first.ts.clone(),
        end,
        last_event: last.ts.clone(),
        duration_ms,
        status,
        reason,
        torn,
        events: records.len(),
        journal: journal.to_path_buf(),
        start_ts,
    })
}

/// What reading one journal says: the error is the whole message for the operator.
pub fn read_error(journal: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        // `read_journal` names the file and line itself.
        std::io::ErrorKind::InvalidData => e.to_string(),
        std::io::ErrorKind::NotFound => format!(
            "`{}` does not exist: the run stopped before writing its first event",
            journal.display()
        ),
        _ => format!("cannot read `{}`: {e}", journal.display()),
    }
}

/// The journal of every run folder under the state folder, oldest first (run ids sort by
/// time), whether or not the journal exists: a folder without one is a run that stopped
/// before it began, and is listed as such.
pub fn run_journals(state_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(state_dir.join("runs")) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .map(|p| p.join("journal.jsonl"))
        .collect();
    paths.sort();
    paths
}

/// The message for a journal written in a newer format than this build reads.
fn newer(journal: &Path, version: u64) -> String {
    format!(
        "`{}` is journal version {version}, newer than this runbook reads \
         (up to {JOURNAL_VERSION}): install a newer runbook to read it",
        journal.display()
    )
}

/// The `journal_version` of a journal's first line, if it has one.
fn first_version(journal: &Path) -> Option<u64> {
    use std::io::{BufRead, Read};
    let file = std::fs::File::open(journal).ok()?;
    let mut line = String::new();
    std::io::BufReader::new(file.take(64 * 1024))
        .read_line(&mut line)
        .ok()?;
    let value: serde_json::Value = serde_json::from_str(line.trim_end()).ok()?;
    value.get("journal_version")?.as_u64()
}

/// Reads and folds one journal.
pub fn load(journal: &Path) -> Result<(Vec<Record>, RunSummary), String> {
    let (records, torn) = read_journal(journal).map_err(|e| {
        // A newer format may hold events this build does not know: say that, not which
        // line it could not read.
        match first_version(journal) {
            Some(v) if v > u64::from(JOURNAL_VERSION) => newer(journal, v),
            _ => read_error(journal, &e),
        }
    })?;
    let summary = summarize(journal, &records, torn)?;
    Ok((records, summary))
}

/// One run folder of the state folder: its summary, or why it cannot be read.
#[derive(Debug)]
pub struct RunEntry {
    pub id: String,
    pub journal: PathBuf,
    pub run: Result<RunSummary, String>,
}

impl RunEntry {
    /// When the run started: from its journal, else from its id (a UUIDv7 holds its time).
    pub fn start(&self) -> Option<Timestamp> {
        match &self.run {
            Ok(run) => run.start_ts,
            Err(_) => id_time(&self.id),
        }
    }
}

/// The time a UUIDv7 run id was made.
pub fn id_time(id: &str) -> Option<Timestamp> {
    let uuid = uuid::Uuid::parse_str(id).ok()?;
    let (secs, nanos) = uuid.get_timestamp()?.to_unix();
    Timestamp::new(i64::try_from(secs).ok()?, i32::try_from(nanos).ok()?).ok()
}

/// Every run of the state folder, newest first (run ids sort by time).
pub fn runs(state_dir: &Path) -> Vec<RunEntry> {
    let mut entries: Vec<RunEntry> = run_journals(state_dir)
        .into_par_iter()
        .map(|journal| RunEntry {
            id: run_id_of(&journal),
            run: load(&journal).map(|(_, summary)| summary),
            journal,
        })
        .collect();
    entries.reverse();
    entries
}

/// Why `report RUN` cannot pick a run.
#[derive(Debug)]
pub enum PickError {
    NoRuns {
        state_dir: PathBuf,
    },
    NoMatch {
        reference: String,
    },
    Ambiguous {
        reference: String,
        candidates: Vec<String>,
    },
}

impl PickError {
    pub fn message(&self) -> String {
        match self {
            PickError::NoRuns { state_dir } => {
                format!("no runs are recorded in `{}`", state_dir.display())
            }
            PickError::NoMatch { reference } => format!("no run matches `{reference}`"),
            PickError::Ambiguous {
                reference,
                candidates,
            } => format!(
                "`{reference}` matches {} runs: {}",
                candidates.len(),
                candidates.join("; ")
            ),
        }
    }

    pub fn help(&self) -> String {
        match self {
            PickError::NoRuns { .. } => {
                "`runbook run`, `runbook drill` and `runbook run --dry-run` \
                record runs; --state-dir or RUNBOOK_STATE_DIR says where to look"
                    .into()
            }
            PickError::NoMatch { .. } => "`runbook history` lists them".into(),
            PickError::Ambiguous { .. } => {
                "give more characters of the id; `runbook history` lists them".into()
            }
        }
    }
}

/// The journal of the run `reference` names: its full id or a unique prefix of it; the
/// latest run when `None`.
pub fn pick(state_dir: &Path, reference: Option<&str>) -> Result<PathBuf, PickError> {
    let all = run_journals(state_dir);
    if all.is_empty() {
        return Err(PickError::NoRuns {
            state_dir: state_dir.to_path_buf(),
        });
    }
    let Some(reference) = reference.map(str::trim) else {
        return all.last().cloned().ok_or(PickError::NoRuns {
            state_dir: state_dir.to_path_buf(),
        });
    };
    let wanted = reference.to_ascii_lowercase();
    if let Some(exact) = all.iter().find(|j| run_id_of(j) == wanted) {
        return Ok(exact.clone());
    }
    let matching: Vec<&PathBuf> = if wanted.is_empty() {
        Vec::new()
    } else {
        all.iter()
            .filter(|j| run_id_of(j).to_ascii_lowercase().starts_with(&wanted))
            .collect()
    };
    match matching.as_slice() {
        [] => Err(PickError::NoMatch {
            reference: reference.to_string(),
        }),
        [one] => Ok((*one).clone()),
        many => {
            const SHOWN: usize = 10;
            let mut candidates: Vec<String> = many
                .iter()
                .rev()
                .take(SHOWN)
                .map(|j| {
                    let id = run_id_of(j);
                    match load(j) {
                        Ok((_, run)) => format!(
                            "{id} ({}, {})",
                            run.runbook,
                            run.start_ts
                                .map_or_else(|| run.start.clone(), local_minutes)
                        ),
                        Err(_) => format!("{id} (unreadable)"),
                    }
                })
                .collect();
            if many.len() > SHOWN {
                candidates.push(format!("and {} more", many.len() - SHOWN));
            }
            Err(PickError::Ambiguous {
                reference: reference.to_string(),
                candidates,
            })
        }
    }
}

fn local(ts: Timestamp) -> jiff::ZonedDateTime {
    ts.to_zoned_datetime(jiff::tz::TimeZone::system())
}

/// A time in the local time zone, in a `strftime` format.
pub fn local_format(ts: Timestamp, format: &str) -> String {
    local(ts).strftime(format).to_string()
}

/// `2026-11-25 17:21`, local time.
pub fn local_minutes(ts: Timestamp) -> String {
    local_format(ts, "%Y-%m-%d %H:%M")
}

/// `2026-11-25 17:21:04 CET`, local time.
pub fn local_full(ts: Timestamp) -> String {
    local(ts).strftime("%Y-%m-%d %H:%M:%S %Z").to_string()
}

/// `17:21:04`, local time.
pub fn local_clock(ts: Timestamp) -> String {
    local(ts).strftime("%H:%M:%S").to_string()
}

/// `+02:05` from the start of the run (`+1:02:05` past an hour).
pub fn offset(ms: u64) -> String {
    let secs = ms / 1000;
    if secs >= 3600 {
        format!("+{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("+{:02}:{:02}", secs / 60, secs % 60)
    }
}

/// `0.4 s`, `12 s`, `3:05`, `1:02:03`: as the run's screen shows durations.
pub fn duration(ms: u64) -> String {
    crate::exec::screen::duration(std::time::Duration::from_millis(ms))
}

/// Parses `--since`: a date (`2026-11-01`, local midnight), a time (RFC 3339, or a local
/// `2026-11-01T09:00`), or a duration ago (`2d`, `12h`, `30m`, `1w`).
pub fn parse_since(text: &str, now: &jiff::ZonedDateTime) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned_datetime(now.time_zone().clone())
            .map(|z| z.timestamp())
            .map_err(|e| format!("`{text}` is not a time in the local time zone: {e}"));
    }
    if let Ok(span) = text.parse::<jiff::Span>() {
        return now
            .checked_sub(span.abs())
            .map(|z| z.timestamp())
            .map_err(|e| format!("`{text}` ago is out of range: {e}"));
    }
    Err(format!(
        "`--since {text}` is not a date, a time or a duration"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_dates_times_and_durations() {
        let now: jiff::ZonedDateTime = "2026-11-25T12:00:00+00:00[UTC]".parse().unwrap();
        let ts = |s: &str| parse_since(s, &now).unwrap().to_string();
        assert_eq!(ts("2026-11-01"), "2026-11-01T00:00:00Z");
        assert_eq!(ts("2026-11-01T09:30:00Z"), "2026-11-01T09:30:00Z");
        assert_eq!(ts("2026-11-01T09:30"), "2026-11-01T09:30:00Z");
        assert_eq!(ts("2d"), "2026-11-23T12:00:00Z");
        assert_eq!(ts("12h"), "2026-11-25T00:00:00Z");
        assert_eq!(ts("30m"), "2026-11-25T11:30:00Z");
        assert!(parse_since("yesterday-ish", &now).is_err());
    }

    #[test]
    fn offsets_and_ids() {
        assert_eq!(offset(0), "+00:00");
        assert_eq!(offset(125_400), "+02:05");
        assert_eq!(offset(3_725_000), "+1:02:05");
        assert_eq!(short("01a213b9-a852-7241"), "01a213b9");
        let ids = ["01a213c7-38e3-77", "01a213c7-395b-70", "01a213b9-a852-72"];
        let p = unique_prefixes(ids);
        assert_eq!(p["01a213b9-a852-72"], "01a213b9");
        assert_eq!(p["01a213c7-38e3-77"], "01a213c7-38");
        assert_eq!(p["01a213c7-395b-70"], "01a213c7-39");
        let t = id_time("01a213b9-a852-7241-b2a5-cd1d770d5fa7").unwrap();
        assert!(t.to_string().starts_with("2026-"), "{t}");
    }
}
