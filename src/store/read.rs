//! Reading the team's runs back: the list `history --team` shows, and one run's journal and
//! runbook copy fetched to a local folder (for `report`, and for a handover's `resume`).

use super::{ErrorKind, Store, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One run as the store's `runs` table has it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TeamRun {
    pub id: String,
    pub runbook: String,
    pub title: String,
    pub mode: String,
    pub operators: Vec<String>,
    pub host: String,
    /// Milliseconds since the epoch.
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub duration_ms: Option<i64>,
    /// How it ended; while it has no end: `running` (its driver's lease is fresh) or
    /// `unfinished` (to be resumed). `None` only where the end is not looked at.
    pub status: Option<String>,
    pub events: i64,
}

/// Which runs `history --team` lists.
#[derive(Debug, Default)]
pub struct Filter {
    pub runbook: Option<String>,
    pub since_ms: Option<i64>,
    pub limit: i64,
}

/// The newest runs matching `filter`, and how many match in all.
pub fn team_runs(store: &mut Store, filter: &Filter) -> Result<(Vec<TeamRun>, i64), StoreError> {
    let since = filter.since_ms.map(|ms| ms as f64 / 1000.0);
    let rows = store
        .client
        .query(
            &format!(
                "{RUN_COLUMNS}
                 WHERE ($1::text IS NULL OR r.runbook = $1)
                   AND ($2::float8 IS NULL OR r.started_at >= to_timestamp($2))
                 ORDER BY r.started_at DESC, r.run_id DESC
                 LIMIT $3"
            ),
            &[&filter.runbook, &since, &filter.limit],
        )
        .map_err(|e| store.query_error(&e))?;
    let runs: Vec<TeamRun> = rows.iter().map(team_run).collect();
    let total = if (runs.len() as i64) < filter.limit {
        runs.len() as i64
    } else {
        store
            .client
            .query_one(
                "SELECT count(*) FROM runbook.runs
                 WHERE ($1::text IS NULL OR runbook = $1)
                   AND ($2::float8 IS NULL OR started_at >= to_timestamp($2))",
                &[&filter.runbook, &since],
            )
            .map_err(|e| store.query_error(&e))?
            .get(0)
    };
    Ok((runs, total))
}

/// The full id of the run `reference` names (its id or a unique prefix of it).
pub fn resolve(store: &mut Store, reference: &str) -> Result<String, StoreError> {
    let wanted = reference.trim().to_ascii_lowercase();
    let not_found = || {
        StoreError::new(
            ErrorKind::Query,
            format!(
                "no run matches `{reference}`, here or in the team store {}",
                store.shown
            ),
            "`runbook history --team` lists the team's runs",
        )
    };
    if wanted.is_empty() || !wanted.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(not_found());
    }
    let rows = store
        .client
        .query(
            "SELECT run_id FROM runbook.runs WHERE run_id LIKE $1 || '%' ORDER BY run_id LIMIT 6",
            &[&wanted],
        )
        .map_err(|e| store.query_error(&e))?;
    let ids: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    match ids.as_slice() {
        [] => Err(not_found()),
        [one] => Ok(one.clone()),
        many => Err(StoreError::new(
            ErrorKind::Query,
            format!(
                "`{reference}` matches {} runs in the team store: {}",
                if many.len() > 5 {
                    "more than 5".to_string()
                } else {
                    many.len().to_string()
                },
                many.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            ),
            "give more characters of the id; `runbook history --team` lists them",
        )),
    }
}

/// Writes run `id`'s journal (every event the store has, in order) and its runbook copy to
/// `dir/<id>/`, private to the user; returns the journal's path.
pub fn fetch(store: &mut Store, id: &str, dir: &Path) -> Result<PathBuf, StoreError> {
    let text: Option<String> = store
        .client
        .query_opt(
            "SELECT runbook_text FROM runbook.runs WHERE run_id = $1",
            &[&id],
        )
        .map_err(|e| store.query_error(&e))?
        .and_then(|r| r.get(0));
    let rows = store
        .client
        .query(
            "SELECT record::text FROM runbook.events WHERE run_id = $1 ORDER BY seq",
            &[&id],
        )
        .map_err(|e| store.query_error(&e))?;
    let run_dir = dir.join(id);
    let write_error = |e: std::io::Error| {
        StoreError::new(
            ErrorKind::Query,
            format!(
                "cannot write the run fetched from the team store to {}: {e}",
                run_dir.display()
            ),
            "check the state folder (--state-dir, RUNBOOK_STATE_DIR)",
        )
    };
    crate::exec::journal::private_dir(&run_dir.join("output")).map_err(write_error)?;
    let mut journal = String::new();
    for r in &rows {
        // The store's JSON is jsonb: written back in one line, as the journal holds it.
        let line: String = r.get(0);
        let value: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        journal.push_str(&serde_json::to_string(&value).unwrap_or(line));
        journal.push('\n');
    }
    let write = |name: &str, body: &str| -> std::io::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = run_dir.join(name);
        let tmp = run_dir.join(format!(".{name}.tmp"));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(body.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    };
    write("journal.jsonl", &journal).map_err(write_error)?;
    if let Some(text) = text {
        write("runbook.yaml", &text).map_err(write_error)?;
    }
    Ok(run_dir.join("journal.jsonl"))
}

/// The newest run still open (no end yet) in the store, if any.
pub fn newest_open(store: &mut Store) -> Result<Option<String>, StoreError> {
    let row = store
        .client
        .query_opt(
            "SELECT run_id FROM runbook.runs WHERE status IS NULL ORDER BY started_at DESC LIMIT 1",
            &[],
        )
        .map_err(|e| store.query_error(&e))?;
    Ok(row.map(|r| r.get(0)))
}

/// One run's row.
pub fn run(store: &mut Store, id: &str) -> Result<Option<TeamRun>, StoreError> {
    let row = store
        .client
        .query_opt(&format!("{RUN_COLUMNS} WHERE r.run_id = $1"), &[&id])
        .map_err(|e| store.query_error(&e))?;
    Ok(row.as_ref().map(team_run))
}

/// The columns of a [`TeamRun`], in [`team_run`]'s order; a run without an end is
/// `running` while its driver's lease is fresh, else `unfinished`.
const RUN_COLUMNS: &str = "SELECT r.run_id, r.runbook, r.title, r.mode, r.operators, r.host,
        (extract(epoch FROM r.started_at) * 1000)::bigint,
        (extract(epoch FROM r.finished_at) * 1000)::bigint,
        r.duration_ms,
        coalesce(r.status, CASE
            WHEN l.released_at IS NULL AND l.expires_at > now() THEN 'running'
            ELSE 'unfinished' END),
        r.last_seq
    FROM runbook.runs r LEFT JOIN runbook.leases l USING (run_id)";

fn team_run(r: &postgres::Row) -> TeamRun {
    TeamRun {
        id: r.get(0),
        runbook: r.get(1),
        title: r.get(2),
        mode: r.get(3),
        operators: r.get(4),
        host: r.get(5),
        start_ms: r.get(6),
        end_ms: r.get(7),
        duration_ms: r.get(8),
        status: r.get(9),
        events: r.get(10),
    }
}

/// The events of run `id` after `seq`, in order: (seq, the journal line as JSON).
pub fn events_after(
    store: &mut Store,
    id: &str,
    seq: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = store
        .client
        .query(
            "SELECT seq, record::text FROM runbook.events WHERE run_id = $1 AND seq > $2
             ORDER BY seq LIMIT 5000",
            &[&id, &seq],
        )
        .map_err(|e| store.query_error(&e))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
