//! The store's schema, as numbered migrations. Each runs in one transaction with the
//! migration lock held (two `runbook store migrate` at once apply each version once), and
//! records its version in `runbook.migrations`. A migration is never edited once released:
//! a change is a new one at the end.

pub struct Migration {
    pub version: i32,
    pub description: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "runs and their journal events",
        sql: r#"
CREATE SCHEMA IF NOT EXISTS runbook;
CREATE TABLE runbook.migrations (
    version     integer PRIMARY KEY,
    description text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
-- One row per run of any machine: what `history --team` lists.
CREATE TABLE runbook.runs (
    run_id       text PRIMARY KEY,
    runbook      text NOT NULL,
    title        text NOT NULL,
    mode         text NOT NULL,
    host         text NOT NULL,
    operators    text[] NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    status       text,
    duration_ms  bigint,
    runbook_text text,
    last_seq     bigint NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_started ON runbook.runs (started_at DESC);
CREATE INDEX runs_runbook ON runbook.runs (runbook, mode, started_at DESC);
CREATE INDEX runs_open ON runbook.runs (started_at DESC) WHERE status IS NULL;
-- Runs are named by a prefix of their id (`runbook report 01a2419a`), in any collation.
CREATE INDEX runs_id_prefix ON runbook.runs (run_id text_pattern_ops);
-- Every journal event, as the journal holds it (masked), once: by (run_id, seq).
CREATE TABLE runbook.events (
    run_id  text NOT NULL REFERENCES runbook.runs (run_id) ON DELETE CASCADE,
    seq     bigint NOT NULL,
    ts      timestamptz NOT NULL,
    event   text NOT NULL,
    step    text,
    record  jsonb NOT NULL,
    PRIMARY KEY (run_id, seq)
);
"#,
    },
    Migration {
        version: 2,
        description: "leases: one driver per run, fenced by generation",
        sql: r#"
-- Who drives a run. `generation` goes up at each take-over; it is the fencing token: the
-- events of an older generation are refused (the trigger below), so a driver that lost
-- its lease cannot write over the run's new course.
CREATE TABLE runbook.leases (
    run_id      text PRIMARY KEY REFERENCES runbook.runs (run_id) ON DELETE CASCADE,
    generation  bigint NOT NULL,
    holder      text NOT NULL,
    host        text NOT NULL,
    pid         integer NOT NULL,
    -- Which running system the pid belongs to (machine id, boot id, pid namespace): only a
    -- holder of this very system whose pid is gone is known dead. Empty: never assumed.
    machine     text NOT NULL DEFAULT '',
    acquired_at timestamptz NOT NULL DEFAULT now(),
    renewed_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- The driver stopped and let go (an unfinished run left to be resumed): free to take.
    released_at timestamptz
);
ALTER TABLE runbook.events ADD COLUMN generation bigint NOT NULL DEFAULT 1;
CREATE FUNCTION runbook.fence() RETURNS trigger LANGUAGE plpgsql AS $fence$
DECLARE
    current bigint;
BEGIN
    SELECT generation INTO current FROM runbook.leases WHERE run_id = NEW.run_id FOR SHARE;
    IF current IS NOT NULL AND NEW.generation < current THEN
        RAISE EXCEPTION 'run % is driven by generation % (this event is of generation %)',
            NEW.run_id, current, NEW.generation
            USING ERRCODE = 'RB409';
    END IF;
    RETURN NEW;
END
$fence$;
CREATE TRIGGER fence BEFORE INSERT ON runbook.events
    FOR EACH ROW EXECUTE FUNCTION runbook.fence();
"#,
    },
    Migration {
        version: 3,
        description: "notify watchers of new events",
        sql: r#"
-- `runbook watch` listens on `runbook_events`; the payload is the run's id, once per
-- transaction and run, whoever wrote the events.
CREATE FUNCTION runbook.notify_events() RETURNS trigger LANGUAGE plpgsql AS $notify$
BEGIN
    PERFORM pg_notify('runbook_events', run_id) FROM (SELECT DISTINCT run_id FROM new_events) r;
    RETURN NULL;
END
$notify$;
CREATE TRIGGER notify AFTER INSERT ON runbook.events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION runbook.notify_events();
"#,
    },
];

/// The version this runbook writes.
pub fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}
