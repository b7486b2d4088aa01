//! Shipping journal events to the team store, never in the way of the walk.
//!
//! The journal file is the source: the shipper reads the lines written since it last
//! looked (complete lines only) and sends them in one transaction per batch, each event
//! once by `(run_id, seq)`: sending again is harmless, so a batch cut by a lost connection is
//! simply sent again. The driver only wakes the shipper (`Journal::on_append`); it never
//! waits on it but for a bounded moment at the run's end. What the store did not get stays
//! in the journal, and `runbook sync` (or the next shipper) sends it.

use super::conninfo::Target;
use super::{ErrorKind, Store, StoreError};
use crate::exec::screen::Status;
use crate::exec::tether::Tether;
use serde_json::Value;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// At most this many events per transaction.
const BATCH: usize = 500;
/// The longest wait between two attempts to reach an unreachable store.
const BACKOFF_MAX: Duration = Duration::from_secs(30);

pub use crate::exec::screen::Notices;

#[derive(Default)]
struct State {
    /// A new event was journaled since the shipper last looked.
    woken: bool,
    stop: bool,
    /// The shipper has ended (after its last pass once stopped).
    done: bool,
    /// The highest seq the store holds for this run.
    shipped: u64,
    /// The highest seq read from the journal.
    read: u64,
    /// The last error, if the last attempt failed.
    error: Option<String>,
}

pub struct Shipper {
    shared: Arc<(Mutex<State>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the shipper got to the store by the end of a run.
#[derive(Debug)]
pub struct Outcome {
    /// Every event of the journal is in the store.
    pub complete: bool,
    /// Events journaled and not (known to be) in the store.
    pub pending: u64,
    pub error: Option<String>,
}

impl Shipper {
    /// Starts shipping the run in `run_dir` to `target`; notices go to `notices`.
    pub fn start(target: Target, run_dir: PathBuf, notices: Notices, tether: Tether) -> Shipper {
        let shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let theirs = shared.clone();
        let thread = std::thread::Builder::new()
            .name("runbook-shipper".into())
            .spawn(move || ship_loop(&target, &run_dir, &theirs, &notices, &tether))
            .ok();
        if thread.is_none()
            && let Ok(mut s) = shared.0.lock()
        {
            s.done = true;
            s.error = Some("cannot start the shipper thread".into());
        }
        Shipper { shared, thread }
    }

    /// A wake-up for the journal's `on_append`: cheap, never blocks on the network.
    pub fn waker(&self) -> impl FnMut(u64) + Send + 'static {
        let shared = self.shared.clone();
        move |_seq| {
            if let Ok(mut s) = shared.0.lock() {
                s.woken = true;
                shared.1.notify_all();
            }
        }
    }

    /// Stops after one last pass over the journal, waiting at most `wait` for it.
    pub fn finish(mut self, wait: Duration) -> Outcome {
        let deadline = Instant::now() + wait;
        let (lock, cvar) = &*self.shared;
        let Ok(mut s) = lock.lock() else {
            return Outcome {
                complete: false,
                pending: 0,
                error: Some("the shipper failed".into()),
            };
        };
        s.stop = true;
        s.woken = true;
        cvar.notify_all();
        while !s.done {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match cvar.wait_timeout(s, left) {
                Ok((guard, _)) => s = guard,
                Err(_) => {
                    return Outcome {
                        complete: false,
                        pending: 0,
                        error: Some("the shipper failed".into()),
                    };
                }
            }
        }
        let outcome = Outcome {
            complete: s.done && s.error.is_none() && s.shipped >= s.read,
            pending: s.read.saturating_sub(s.shipped),
            error: s.error.clone(),
        };
        let done = s.done;
        drop(s);
        if done && let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // Not done in time: the thread is left to the process's exit (the journal keeps all).
        outcome
    }
}

fn ship_loop(
    target: &Target,
    run_dir: &Path,
    shared: &Arc<(Mutex<State>, Condvar)>,
    notices: &Notices,
    tether: &Tether,
) {
    let (lock, cvar) = &**shared;
    let mut reader = JournalReader::new(run_dir);
    reader.generation = tether.generation() as i64;
    reader.live = true;
    let mut store: Option<Store> = None;
    let mut backoff = Duration::from_millis(250);
    let ttl = super::lease::ttl();
    let backoff_max = BACKOFF_MAX.min(ttl / 2).max(Duration::from_millis(500));
    let mut reported_down = false;
    let mut synced_others = false;
    // The last time the lease was renewed (this process's clock); `None` before the first.
    let mut renewed: Option<Instant> = None;
    let started = Instant::now();
    let mut lost = false;
    let mut taken = false;
    loop {
        let stopping = lock.lock().map(|s| s.stop).unwrap_or(true);
        let result = if taken {
            Err(StoreError::new(
                ErrorKind::Query,
                "the run was taken over",
                "",
            ))
        } else {
            ship_once(target, &mut store, &mut reader).and_then(|shipped| {
                // The lease, once the run's row is there: renewed every third of its life.
                let due = renewed.is_none_or(|r| r.elapsed() >= ttl / 3) || stopping;
                if due
                    && reader.sent > 0
                    && let Some(st) = store.as_mut()
                {
                    let run_id = reader.run_id();
                    match super::lease::renew(&mut st.client, &run_id, reader.generation) {
                        Ok(super::lease::Renewal::Renewed) => renewed = Some(Instant::now()),
                        Ok(super::lease::Renewal::Taken(l)) => {
                            return Err(taken_error(&l));
                        }
                        Err(e) => return Err(st.query_error(&e)),
                    }
                }
                Ok(shipped)
            })
        };
        let mut failed = false;
        match result {
            Ok(shipped) => {
                backoff = Duration::from_millis(250);
                if reported_down {
                    reported_down = false;
                    notice(
                        notices,
                        Status::Ok,
                        format!(
                            "the team store {} is reachable again: the run's events are sent",
                            target.shown
                        ),
                    );
                }
                if lost {
                    lost = false;
                    tether.set_lost(None);
                }
                if let Ok(mut s) = lock.lock() {
                    s.shipped = s.shipped.max(shipped);
                    s.read = s.read.max(reader.last_seq);
                    s.error = None;
                }
                // Once this run is caught up, what earlier runs left behind goes too.
                if !synced_others && !stopping {
                    synced_others = true;
                    if let Some(st) = store.as_mut() {
                        let state_dir = run_dir.parent().and_then(Path::parent);
                        if let Some(state_dir) = state_dir {
                            let _ = sync_all(st, state_dir, Some(run_dir));
                        }
                    }
                }
            }
            Err(e) if e.kind == ErrorKind::Taken || taken => {
                failed = true;
                if !taken {
                    taken = true;
                    tether.set_taken(e.help.clone());
                }
                if let Ok(mut s) = lock.lock() {
                    s.read = s.read.max(reader.last_seq);
                    s.error = Some(e.message);
                }
            }
            Err(e) => {
                failed = true;
                store = None;
                if !reported_down {
                    reported_down = true;
                    let what = match e.kind {
                        // The store is there but cannot take the events: say what to do.
                        ErrorKind::Behind | ErrorKind::Ahead | ErrorKind::Config => {
                            format!("{} ({})", e.message, e.help)
                        }
                        _ => e.message.clone(),
                    };
                    notice(
                        notices,
                        Status::Warning,
                        format!(
                            "{what}; the run goes on, the journal keeps everything, `runbook sync` sends it later"
                        ),
                    );
                }
                if let Ok(mut s) = lock.lock() {
                    s.read = s.read.max(reader.last_seq);
                    s.error = Some(e.message);
                }
            }
        }
        // No contact for longer than the lease lives: someone may take the run over.
        let last_contact = renewed.unwrap_or(started);
        if failed && !taken && !lost && last_contact.elapsed() > ttl {
            lost = true;
            let ago = jiff::SignedDuration::try_from(last_contact.elapsed()).unwrap_or_default();
            let at = jiff::ZonedDateTime::now()
                .checked_sub(ago)
                .map_or_else(|_| "?".into(), |z| z.strftime("%H:%M:%S").to_string());
            tether.set_lost(Some(at));
        }
        let Ok(mut s) = lock.lock() else { return };
        if stopping || (s.stop && failed) {
            // This process drives the run no more: the lease is let go, for a resume
            // elsewhere to take it at once.
            if !failed
                && !taken
                && let Some(st) = store.as_mut()
            {
                let _ = super::lease::release(&mut st.client, &reader.run_id(), reader.generation);
            }
            s.done = true;
            cvar.notify_all();
            return;
        }
        // Wait for the next event; after a failure, for the next attempt (an event arriving
        // does not hurry a retry against a store that is down). The lease is renewed in time
        // either way.
        let wait = if failed {
            backoff
        } else {
            Duration::from_secs(2)
        }
        .min(ttl / 3);
        let deadline = Instant::now() + wait;
        while !s.stop && (failed || !s.woken) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match cvar.wait_timeout(s, left) {
                Ok((g, _)) => s = g,
                Err(_) => return,
            }
        }
        if failed {
            backoff = (backoff * 2).min(backoff_max);
        } else if s.woken && !s.stop {
            // Woken by an event: the ones that follow it closely go in the same batch (a
            // step is a handful of events), so a fast walk costs a few transactions a
            // second, not one per event.
            let until = Instant::now() + COALESCE;
            while !s.stop {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match cvar.wait_timeout(s, left) {
                    Ok((g, _)) => s = g,
                    Err(_) => return,
                }
            }
        }
        s.woken = false;
    }
}

/// How long the shipper gathers events after the first that woke it.
const COALESCE: Duration = Duration::from_millis(100);

/// The error for a run another driver holds now: `help` carries who, for the walk.
fn taken_error(l: &super::lease::LeaseInfo) -> StoreError {
    StoreError::new(
        ErrorKind::Taken,
        format!(
            "the run was taken over by {} (generation {})",
            l.who(),
            l.generation
        ),
        format!("{} since {}", l.who(), l.acquired_at),
    )
}

fn notice(notices: &Notices, status: Status, text: String) {
    if let Ok(mut n) = notices.lock() {
        n.push((status, text));
    }
}

/// Sends what the journal holds beyond what was sent; returns the highest seq in the store.
fn ship_once(
    target: &Target,
    store: &mut Option<Store>,
    reader: &mut JournalReader,
) -> Result<u64, StoreError> {
    if store.is_none() {
        *store = Some(Store::open(target)?);
    }
    let Some(st) = store.as_mut() else {
        return Ok(0);
    };
    let lines = reader.read_new().map_err(|e| {
        StoreError::new(
            ErrorKind::Query,
            e,
            "the journal holds the run; check the state folder",
        )
    })?;
    reader.pending.extend(lines);
    while !reader.pending.is_empty() {
        let n = reader.pending.len().min(BATCH);
        let batch: Vec<Line> = reader.pending[..n].to_vec();
        send(st, reader, &batch)?;
        reader.pending.drain(..n);
        reader.sent = reader.sent.max(batch.last().map_or(0, |l| l.seq));
    }
    Ok(reader.sent)
}

/// One journal line, parsed as much as the store needs.
#[derive(Debug, Clone)]
struct Line {
    seq: u64,
    ts: String,
    event: String,
    step: Option<String>,
    text: String,
    value: Value,
}

/// Reads a run's journal from where it last stopped: complete lines only.
struct JournalReader {
    dir: PathBuf,
    offset: u64,
    last_seq: u64,
    /// The highest seq sent.
    sent: u64,
    pending: Vec<Line>,
    /// The run's `run_started` record (its first line).
    started: Option<Value>,
    /// The lease generation the events are sent under.
    generation: i64,
    /// Sent by the run's driver as it goes (not `sync` afterwards): the run's row comes
    /// with the driver's lease.
    live: bool,
}

impl JournalReader {
    fn new(dir: &Path) -> JournalReader {
        JournalReader {
            dir: dir.to_path_buf(),
            offset: 0,
            last_seq: 0,
            sent: 0,
            pending: Vec::new(),
            started: None,
            generation: 1,
            live: false,
        }
    }

    fn run_id(&self) -> String {
        self.started
            .as_ref()
            .map(|v| str_of(v, "run_id").to_string())
            .unwrap_or_default()
    }

    fn read_new(&mut self) -> Result<Vec<Line>, String> {
        let path = self.dir.join("journal.jsonl");
        let mut file = std::fs::File::open(&path)
            .map_err(|e| format!("cannot read the journal {}: {e}", path.display()))?;
        file.seek(SeekFrom::Start(self.offset))
            .map_err(|e| format!("cannot read the journal {}: {e}", path.display()))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the journal {}: {e}", path.display()))?;
        let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        self.offset += complete as u64;
        let mut lines = Vec::new();
        for raw in bytes[..complete].split(|&b| b == b'\n') {
            if raw.is_empty() {
                continue;
            }
            let text = String::from_utf8_lossy(raw).into_owned();
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let Some(seq) = value.get("seq").and_then(Value::as_u64) else {
                continue;
            };
            let event = value
                .get("event")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if event == "run_started" && self.started.is_none() {
                self.started = Some(value.clone());
            }
            self.last_seq = self.last_seq.max(seq);
            lines.push(Line {
                seq,
                ts: value
                    .get("ts")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                step: value
                    .get("step")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                event,
                text,
                value,
            });
        }
        Ok(lines)
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// One batch in one transaction: the run's row, then the events, each once.
fn send(store: &mut Store, reader: &JournalReader, batch: &[Line]) -> Result<(), StoreError> {
    let Some(started) = &reader.started else {
        return Err(StoreError::new(
            ErrorKind::Query,
            format!(
                "the journal in {} does not start with run_started",
                reader.dir.display()
            ),
            "the run cannot be sent; its journal stays local",
        ));
    };
    let run_id = str_of(started, "run_id").to_string();
    let runbook_text = std::fs::read_to_string(reader.dir.join("runbook.yaml")).ok();
    let shown = store.shown.clone();
    let fail = |e: &postgres::Error| {
        let cut = e.code().is_some_and(|c| c.code().starts_with("57"));
        if e.is_closed() || e.as_db_error().is_none() || cut {
            StoreError::new(
                ErrorKind::Unreachable,
                format!(
                    "cannot reach the team store {shown}: {}",
                    super::describe(e)
                ),
                "",
            )
        } else {
            StoreError::new(
                ErrorKind::Query,
                format!(
                    "the team store {shown} refused the events: {}",
                    super::describe(e)
                ),
                "",
            )
        }
    };
    let mut operators: Vec<String> = Vec::new();
    let mut finished: Option<(&str, &str)> = None;
    for l in batch {
        match l.event.as_str() {
            "run_started" | "run_resumed" => {
                let op = str_of(&l.value, "operator").to_string();
                if !op.is_empty() && !operators.contains(&op) {
                    operators.push(op);
                }
            }
            "run_finished" => {
                finished = Some((l.ts.as_str(), str_of(&l.value, "status")));
            }
            _ => {}
        }
    }
    let mut tx = store.client.transaction().map_err(|e| fail(&e))?;
    let first_operator = str_of(started, "operator").to_string();
    tx.execute(
        "INSERT INTO runbook.runs (run_id, runbook, title, mode, host, operators, started_at, runbook_text)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$6::text], $7::text::timestamptz, $8)
         ON CONFLICT (run_id) DO NOTHING",
        &[
            &run_id,
            &str_of(started, "runbook"),
            &str_of(started, "title"),
            &str_of(started, "mode"),
            &str_of(started, "host"),
            &first_operator,
            &str_of(started, "ts"),
            &runbook_text,
        ],
    )
    .map_err(|e| fail(&e))?;
    if reader.live {
        // A live driver's lease comes with the run's first events, in one transaction: a
        // run in the store always has a driver to ask about, even one killed a moment
        // after it sent them (a watcher then says nobody drives it).
        super::lease::create(&mut tx, &run_id, reader.generation).map_err(|e| fail(&e))?;
    }
    let seqs: Vec<i64> = batch.iter().map(|l| l.seq as i64).collect();
    let tss: Vec<&str> = batch.iter().map(|l| l.ts.as_str()).collect();
    let events: Vec<&str> = batch.iter().map(|l| l.event.as_str()).collect();
    let steps: Vec<Option<&str>> = batch.iter().map(|l| l.step.as_deref()).collect();
    let records: Vec<&str> = batch.iter().map(|l| l.text.as_str()).collect();
    let inserted = tx.execute(
        "INSERT INTO runbook.events (run_id, seq, ts, event, step, record, generation)
         SELECT $1, e.seq, e.ts::timestamptz, e.event, e.step, e.record::jsonb, $7
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
              AS e(seq, ts, event, step, record)
         ON CONFLICT (run_id, seq) DO NOTHING",
        &[
            &run_id,
            &seqs,
            &tss,
            &events,
            &steps,
            &records,
            &reader.generation,
        ],
    );
    if let Err(e) = inserted {
        // Fenced: a newer driver holds the run.
        if e.code().is_some_and(|c| c.code() == "RB409") {
            drop(tx);
            if let Ok(Some(l)) = super::lease::read(&mut store.client, &run_id) {
                return Err(taken_error(&l));
            }
        }
        return Err(fail(&e));
    }
    let max_seq = seqs.iter().copied().max().unwrap_or(0);
    tx.execute(
        "UPDATE runbook.runs SET
            last_seq = greatest(last_seq, $2),
            operators = operators || ARRAY(SELECT o FROM unnest($3::text[]) o WHERE o <> ALL(operators)),
            updated_at = now()
         WHERE run_id = $1",
        &[&run_id, &max_seq, &operators],
    )
    .map_err(|e| fail(&e))?;
    if let Some((ts, status)) = finished {
        // The time to finish: from the start to the end, resumes and pauses included, as
        // the journal's reader counts it (`report::run::summarize`).
        tx.execute(
            "UPDATE runbook.runs SET finished_at = $2::text::timestamptz, status = $3,
                duration_ms = greatest(0, (extract(epoch FROM ($2::text::timestamptz - started_at)) * 1000)::bigint)
             WHERE run_id = $1",
            &[&run_id, &ts, &status],
        )
        .map_err(|e| fail(&e))?;
    }
    tx.commit().map_err(|e| fail(&e))?;
    Ok(())
}

/// Whether the store's event of `line`'s run and seq is this one (same time).
fn same_event(store: &mut Store, run_id: &str, line: &Line) -> Result<bool, StoreError> {
    let row = store
        .client
        .query_opt(
            "SELECT ts = $3::text::timestamptz FROM runbook.events WHERE run_id = $1 AND seq = $2",
            &[&run_id, &(line.seq as i64), &line.ts],
        )
        .map_err(|e| store.query_error(&e))?;
    Ok(row.is_some_and(|r| r.get::<_, bool>(0)))
}

/// What `runbook sync` did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Runs whose missing events were sent, with how many.
    pub sent: Vec<(String, u64)>,
    /// Runs already complete in the store.
    pub current: usize,
    /// Runs that could not be read or sent: id, why.
    pub failed: Vec<(String, String)>,
}

/// Sends every local run's events that the store lacks (`except`: a run being shipped
/// by this process already).
pub fn sync_all(
    store: &mut Store,
    state_dir: &Path,
    except: Option<&Path>,
) -> Result<SyncReport, StoreError> {
    let mut report = SyncReport::default();
    let runs_dir = state_dir.join("runs");
    let Ok(entries) = std::fs::read_dir(&runs_dir) else {
        return Ok(report);
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("journal.jsonl").is_file())
        .filter(|p| except != Some(p.as_path()))
        .collect();
    dirs.sort();
    let ids: Vec<String> = dirs
        .iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let rows = store
        .client
        .query(
            "SELECT run_id, last_seq FROM runbook.runs WHERE run_id = ANY($1)",
            &[&ids],
        )
        .map_err(|e| store.query_error(&e))?;
    let known: std::collections::HashMap<String, i64> = rows
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
        .collect();
    for (dir, id) in dirs.iter().zip(&ids) {
        let mut reader = JournalReader::new(dir);
        let lines = match reader.read_new() {
            Ok(l) => l,
            Err(e) => {
                report.failed.push((id.clone(), e));
                continue;
            }
        };
        let have = known.get(id).copied().unwrap_or(-1);
        // The store has as many events: are they this machine's? A run taken over elsewhere
        // goes on under the same numbers; what this machine did after is only here.
        if let Some(last) = lines.last().filter(|l| l.seq as i64 <= have) {
            match same_event(store, id, last) {
                Ok(true) => {}
                Ok(false) => {
                    report.failed.push((
                        id.clone(),
                        format!(
                            "this machine's journal went on after the run was taken over elsewhere: its events up to seq {} differ from the store's, and stay only here (`runbook report {}` on this machine shows them)",
                            last.seq,
                            crate::exec::journal::short_id(id)
                        ),
                    ));
                    continue;
                }
                Err(e) if e.kind == ErrorKind::Unreachable => return Err(e),
                Err(e) => {
                    report.failed.push((id.clone(), e.message));
                    continue;
                }
            }
        }
        let missing: Vec<Line> = lines.into_iter().filter(|l| l.seq as i64 > have).collect();
        if missing.is_empty() {
            report.current += 1;
            continue;
        }
        let count = missing.len() as u64;
        let mut result = Ok(());
        for chunk in missing.chunks(BATCH) {
            result = send(store, &reader, chunk);
            if result.is_err() {
                break;
            }
        }
        match result {
            Ok(()) => report.sent.push((id.clone(), count)),
            Err(e) if e.kind == ErrorKind::Unreachable => return Err(e),
            Err(e) => report.failed.push((id.clone(), e.message)),
        }
    }
    Ok(report)
}
