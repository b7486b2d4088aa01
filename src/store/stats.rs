//! The groups of `runbook stats` from the team store, counted by the server (a team's
//! millions of events never cross the network): the same [`Gathered`] as the state folder's.

use super::{Store, StoreError};
use crate::report::stats::{Gathered, Kind, counts_as_skip};

/// Runs started at or after `since` (ms since the epoch), of `runbook` if given.
pub fn gather(
    store: &mut Store,
    since_ms: Option<i64>,
    runbook: Option<&str>,
) -> Result<Gathered, StoreError> {
    let since = since_ms.map(|ms| ms as f64 / 1000.0);
    let runbook = runbook.map(str::to_string);
    let tz = jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_string();
    const RUNS: &str = "($1::float8 IS NULL OR r.started_at >= to_timestamp($1))
        AND ($2::text IS NULL OR r.runbook = $2)";
    let mut g = Gathered::default();
    let q = |store: &mut Store, sql: &str| {
        let sql = sql.replace("{RUNS}", RUNS);
        store
            .client
            .query(sql.as_str(), &[&since, &runbook])
            .map_err(|e| store.query_error(&e))
    };
    for row in q(
        store,
        "SELECT r.runbook, r.mode, coalesce(r.status, 'unfinished'), count(*)
         FROM runbook.runs r WHERE {RUNS} GROUP BY 1, 2, 3",
    )? {
        g.runs.insert(
            (row.get(0), row.get(1), row.get(2)),
            row.get::<_, i64>(3) as u64,
        );
    }
    for row in q(
        store,
        "SELECT r.runbook,
                percentile_disc(0.5) WITHIN GROUP (ORDER BY r.duration_ms),
                percentile_disc(0.9) WITHIN GROUP (ORDER BY r.duration_ms)
         FROM runbook.runs r
         WHERE {RUNS} AND r.mode = 'run' AND r.finished_at IS NOT NULL AND r.duration_ms IS NOT NULL
         GROUP BY 1",
    )? {
        g.timing.insert(
            row.get(0),
            (row.get::<_, i64>(1) as u64, row.get::<_, i64>(2) as u64),
        );
    }
    let weeks = store
        .client
        .query(
            &format!(
                "SELECT to_char(date_trunc('week', r.started_at AT TIME ZONE $3), 'YYYY-MM-DD'), count(*)
                 FROM runbook.runs r WHERE {RUNS} AND r.mode = 'run' GROUP BY 1"
            ),
            &[&since, &runbook, &tz],
        )
        .map_err(|e| store.query_error(&e))?;
    for row in weeks {
        g.weeks.insert(row.get(0), row.get::<_, i64>(1) as u64);
    }
    for row in q(
        store,
        "SELECT coalesce(r.operators[1], ''), r.runbook, count(*)
         FROM runbook.runs r WHERE {RUNS} AND r.mode = 'drill' GROUP BY 1, 2",
    )? {
        g.drills
            .insert((row.get(0), row.get(1)), row.get::<_, i64>(2) as u64);
    }
    for row in q(
        store,
        "SELECT coalesce(r.operators[1], ''), r.runbook, e.step, e.record->>'label'
         FROM runbook.events e JOIN runbook.runs r USING (run_id)
         WHERE {RUNS} AND r.mode = 'drill' AND e.event = 'decision' AND NOT (e.record ? 'within')
         GROUP BY 1, 2, 3, 4",
    )? {
        let label: Option<String> = row.get(3);
        let step: Option<String> = row.get(2);
        g.decisions
            .entry((row.get(0), row.get(1)))
            .or_default()
            .push((step.unwrap_or_default(), label.unwrap_or_default()));
    }
    for row in q(
        store,
        "SELECT r.runbook, coalesce(e.step, ''), e.event, coalesce(e.record->>'status', ''),
                coalesce(e.record->>'reason', ''), coalesce(e.record->>'item', ''), count(*)
         FROM runbook.events e JOIN runbook.runs r USING (run_id)
         WHERE {RUNS} AND r.mode IN ('run', 'drill') AND NOT (e.record ? 'within')
           AND ((e.event = 'step_finished' AND e.record->>'status' IN ('failed', 'timeout', 'skipped'))
             OR e.event = 'retry'
             OR (e.event = 'command' AND e.record @> '{\"edited\": true}')
             OR (e.event = 'checklist_item' AND e.record @> '{\"done\": false}'))
         GROUP BY 1, 2, 3, 4, 5, 6",
    )? {
        let (runbook, step, event): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        let (status, reason, item): (String, String, String) = (row.get(3), row.get(4), row.get(5));
        let kind = match (event.as_str(), status.as_str()) {
            ("step_finished", "skipped") if counts_as_skip(&reason) => Kind::Skipped(reason),
            ("step_finished", "skipped") => continue,
            ("step_finished", _) => Kind::Failed,
            ("retry", _) => Kind::Retried,
            ("command", _) => Kind::Edited,
            _ => Kind::ChecklistSkipped(item, reason),
        };
        *g.events.entry((runbook, step, kind)).or_default() += row.get::<_, i64>(6) as u64;
    }
    for row in q(
        store,
        "SELECT r.runbook, coalesce(e.step, ''), coalesce(e.record->>'host', ''), count(*),
                count(*) FILTER (WHERE e.record->>'status' <> 'ok')
         FROM runbook.events e JOIN runbook.runs r USING (run_id)
         WHERE {RUNS} AND r.mode = 'run' AND e.event = 'host_finished' AND NOT (e.record ? 'within')
         GROUP BY 1, 2, 3",
    )? {
        g.hosts.insert(
            (row.get(0), row.get(1), row.get(2)),
            (row.get::<_, i64>(3) as u64, row.get::<_, i64>(4) as u64),
        );
    }
    Ok(g)
}
