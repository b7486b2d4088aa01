//! One driver per run: the lease in `runbook.leases`. A driver renews it every third of its
//! time to live; a driver that stops lets go of it (`released_at`); another machine may take
//! a run whose lease is released at once, and one whose lease expired only when asked to
//! (`resume --take-over`, its id typed). Each new driver gets the next `generation`, and the
//! store refuses events of an older one (the `fence` trigger): a driver cut off from the
//! store cannot write over the run's new course when it comes back.

use super::{ErrorKind, Store, StoreError};
use std::time::Duration;

/// How long a lease lives without renewal: `RUNBOOK_LEASE_SECONDS`, default 30.
pub fn ttl() -> Duration {
    let secs = std::env::var("RUNBOOK_LEASE_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(30);
    Duration::from_secs(secs)
}

/// The running system this process belongs to: machine id, boot id and pid namespace, so
/// that a pid is only ever looked up where it means the same process (not on a clone with
/// the same host name, nor in another container). Empty where any is unknown.
pub fn machine() -> String {
    // Read once: it does not change while the process lives, and renewals ask often.
    static MACHINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MACHINE.get_or_init(read_machine).clone()
}

fn read_machine() -> String {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .ok()
            .map(|s| s.trim().to_string())
    };
    let machine_id = read("/etc/machine-id").or_else(|| read("/var/lib/dbus/machine-id"));
    let boot_id = read("/proc/sys/kernel/random/boot_id");
    let pidns = std::fs::read_link("/proc/self/ns/pid")
        .ok()
        .map(|p| p.to_string_lossy().into_owned());
    match (machine_id, boot_id, pidns) {
        (Some(m), Some(b), Some(n)) if !m.is_empty() && !b.is_empty() => format!("{m}:{b}:{n}"),
        _ => String::new(),
    }
}

/// `alice@laptop` and the process: who holds a lease.
pub fn me() -> (String, String, i32) {
    let host = crate::exec::journal::host();
    (
        format!("{}@{host}", crate::exec::journal::user()),
        host,
        std::process::id() as i32,
    )
}

/// A lease as the store has it.
#[derive(Debug, Clone)]
pub struct LeaseInfo {
    pub generation: i64,
    pub holder: String,
    pub host: String,
    pub pid: i32,
    /// RFC 3339, UTC.
    pub acquired_at: String,
    pub renewed_at: String,
    /// Milliseconds until it expires (negative: expired that long ago).
    pub expires_in_ms: i64,
    pub released: bool,
    pub machine: String,
}

impl LeaseInfo {
    /// `alice@laptop (pid 4242)`.
    pub fn who(&self) -> String {
        format!("{} (pid {})", self.holder, self.pid)
    }

    /// Held by a live driver: not released, not expired, and not a process of this machine
    /// that is gone (a driver killed here is known dead at once).
    pub fn fresh(&self) -> bool {
        !self.released && self.expires_in_ms > 0 && !self.dead_here()
    }

    fn dead_here(&self) -> bool {
        !self.machine.is_empty()
            && self.machine == machine()
            && self.pid > 0
            && !std::path::Path::new(&format!("/proc/{}", self.pid)).exists()
    }
}

const SELECT: &str = "SELECT generation, holder, host, pid,
        to_char(acquired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
        to_char(renewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
        (extract(epoch FROM expires_at - now()) * 1000)::bigint,
        released_at IS NOT NULL, machine
    FROM runbook.leases WHERE run_id = $1";

fn info(row: &postgres::Row) -> LeaseInfo {
    LeaseInfo {
        generation: row.get(0),
        holder: row.get(1),
        host: row.get(2),
        pid: row.get(3),
        acquired_at: row.get(4),
        renewed_at: row.get(5),
        expires_in_ms: row.get(6),
        released: row.get(7),
        machine: row.get(8),
    }
}

/// The lease of `run_id`, if it has one.
pub fn read(
    client: &mut postgres::Client,
    run_id: &str,
) -> Result<Option<LeaseInfo>, postgres::Error> {
    Ok(client.query_opt(SELECT, &[&run_id])?.map(|r| info(&r)))
}

/// What a driver about to resume may do.
#[derive(Debug)]
pub enum Standing {
    /// Nobody holds it (none, released, or its holder died on this machine).
    Free(Option<LeaseInfo>),
    /// Held by a live driver.
    Fresh(LeaseInfo),
    /// Its driver stopped renewing it: taken only with `--take-over`.
    Expired(LeaseInfo),
}

pub fn standing(store: &mut Store, run_id: &str) -> Result<Standing, StoreError> {
    let lease = read(&mut store.client, run_id).map_err(|e| store.query_error(&e))?;
    Ok(match lease {
        None => Standing::Free(None),
        Some(l) if l.released || l.dead_here() => Standing::Free(Some(l)),
        Some(l) if l.fresh() => Standing::Fresh(l),
        Some(l) => Standing::Expired(l),
    })
}

/// Takes the lease as the next generation, if it is still as `seen` (nobody took it in
/// between); returns the new generation.
pub fn take(store: &mut Store, run_id: &str, seen: Option<&LeaseInfo>) -> Result<i64, StoreError> {
    let (holder, host, pid) = me();
    let ttl = ttl().as_secs_f64();
    let shown = store.shown.clone();
    let fail = |e: &postgres::Error| {
        StoreError::new(
            ErrorKind::Query,
            format!(
                "cannot take the lease of run {run_id} in the team store {shown}: {}",
                super::describe(e)
            ),
            "try again; the run was not changed",
        )
    };
    let mut tx = store.client.transaction().map_err(|e| fail(&e))?;
    let now = tx
        .query_opt(
            SELECT
                .replace("run_id = $1", "run_id = $1 FOR UPDATE")
                .as_str(),
            &[&run_id],
        )
        .map_err(|e| fail(&e))?
        .map(|r| info(&r));
    if now.as_ref().map(|l| l.generation) != seen.map(|l| l.generation) {
        return Err(StoreError::new(
            ErrorKind::Taken,
            format!(
                "run {run_id} was taken by {} a moment ago",
                now.map_or_else(|| "another driver".to_string(), |l| l.who())
            ),
            "it is driven elsewhere now; `runbook history --team` shows it",
        ));
    }
    let generation = now.map_or(1, |l| l.generation + 1);
    tx.execute(
        "INSERT INTO runbook.leases (run_id, generation, holder, host, pid, expires_at, machine)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7)
         ON CONFLICT (run_id) DO UPDATE SET generation = $2, holder = $3, host = $4, pid = $5,
            acquired_at = now(), renewed_at = now(),
            expires_at = now() + make_interval(secs => $6), released_at = NULL, machine = $7",
        &[&run_id, &generation, &holder, &host, &pid, &ttl, &machine()],
    )
    .map_err(|e| fail(&e))?;
    tx.commit().map_err(|e| fail(&e))?;
    Ok(generation)
}

/// What a renewal found.
#[derive(Debug)]
pub enum Renewal {
    Renewed,
    /// A newer generation holds the run.
    Taken(LeaseInfo),
}

/// Renews this driver's lease (creating it for a new run: generation 1, no one else can
/// know the run yet).
pub fn renew(
    client: &mut postgres::Client,
    run_id: &str,
    generation: i64,
) -> Result<Renewal, postgres::Error> {
    let (holder, host, pid) = me();
    let ttl = ttl().as_secs_f64();
    let n = client.execute(
        "UPDATE runbook.leases SET renewed_at = now(), expires_at = now() + make_interval(secs => $3),
                holder = $4, host = $5, pid = $6, released_at = NULL, machine = $7
         WHERE run_id = $1 AND generation = $2",
        &[&run_id, &generation, &ttl, &holder, &host, &pid, &machine()],
    )?;
    if n == 1 {
        return Ok(Renewal::Renewed);
    }
    match read(client, run_id)? {
        Some(l) if l.generation > generation => Ok(Renewal::Taken(l)),
        _ => {
            create(client, run_id, generation)?;
            match read(client, run_id)? {
                Some(l) if l.generation > generation => Ok(Renewal::Taken(l)),
                _ => Ok(Renewal::Renewed),
            }
        }
    }
}

/// Creates this driver's lease of a new run, unless the run has one.
pub fn create(
    client: &mut impl postgres::GenericClient,
    run_id: &str,
    generation: i64,
) -> Result<(), postgres::Error> {
    let (holder, host, pid) = me();
    client.execute(
        "INSERT INTO runbook.leases (run_id, generation, holder, host, pid, expires_at, machine)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7)
         ON CONFLICT (run_id) DO NOTHING",
        &[
            &run_id,
            &generation,
            &holder,
            &host,
            &pid,
            &ttl().as_secs_f64(),
            &machine(),
        ],
    )?;
    Ok(())
}

/// Lets go of the lease when this driver stops (the run may be resumed elsewhere at once).
pub fn release(
    client: &mut postgres::Client,
    run_id: &str,
    generation: i64,
) -> Result<(), postgres::Error> {
    client.execute(
        "UPDATE runbook.leases SET released_at = now(), expires_at = now()
         WHERE run_id = $1 AND generation = $2",
        &[&run_id, &generation],
    )?;
    Ok(())
}
