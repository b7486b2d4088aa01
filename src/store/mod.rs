//! The team store (docs/STORE.md): the runs of every machine in one PostgreSQL database.
//! The local journal stays the record written first; the store is a copy that catches up
//! ([`ship`]), so nothing a driver does ever waits on the network.
//!
//! - [`conninfo`]: where the store is (`--store`, `RUNBOOK_STORE`, `[store] url`), in
//!   libpq's conventions.
//! - [`tls`]: the server's certificate checked as `sslmode` says.
//! - [`migrations`]: the schema, versioned; `runbook store migrate` applies it.
//! - [`ship`]: the background shipper of journal events, and `runbook sync`.

pub mod conninfo;
pub mod lease;
pub mod migrations;
pub mod read;
pub mod ship;
pub mod stats;
pub mod tls;

use conninfo::{SslMode, Target};
use std::sync::OnceLock;

/// The store URL given with `--store` (set once at start; it wins over the rest).
static FLAG: OnceLock<String> = OnceLock::new();

/// Records `--store URL` for this process.
pub fn configure(flag: Option<String>) {
    if let Some(url) = flag.filter(|u| !u.trim().is_empty()) {
        let _ = FLAG.set(url);
    }
}

/// Where the store URL came from, for `runbook config` and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlOrigin {
    Flag,
    Env,
    File(String),
}

/// The store URL in effect, and where it came from: `--store`, else `RUNBOOK_STORE`, else
/// `[store] url` of runbook.toml. `None`: no store, everything stays local.
pub fn url() -> Option<(String, UrlOrigin)> {
    if let Some(url) = FLAG.get() {
        return Some((url.clone(), UrlOrigin::Flag));
    }
    if let Some(url) = std::env::var("RUNBOOK_STORE")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        return Some((url, UrlOrigin::Env));
    }
    let config = crate::config::active();
    let url = config.store_url.value?;
    let at = match config.store_url.origin {
        crate::config::Origin::File(at) => at,
        crate::config::Origin::Default => String::new(),
    };
    Some((url, UrlOrigin::File(at)))
}

/// The URL with its password hidden, to show (`postgres://ops:***@db/runs`).
pub fn hide_password(url: &str) -> String {
    let re = regex::Regex::new(
        r"^(postgres(?:ql)?://[^:@/]*:)[^@/]*@|(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)",
    );
    match re {
        Ok(re) => re
            .replace_all(url, |c: &regex::Captures| match (c.get(1), c.get(2)) {
                (Some(user), _) => format!("{}***@", user.as_str()),
                (_, Some(key)) => format!("{}***", key.as_str()),
                _ => c[0].to_string(),
            })
            .into_owned(),
        Err(_) => url.to_string(),
    }
}

/// What went wrong with the store: what, and what to do.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    pub kind: ErrorKind,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The URL or its settings cannot be used (exit 2).
    Config,
    /// The server cannot be reached or refused the connection (exit 1 where the store
    /// was the point; a note and nothing else for a run).
    Unreachable,
    /// The schema is older than this runbook knows: `runbook store migrate` (exit 2).
    Behind,
    /// The schema is newer than this runbook knows: upgrade runbook (exit 2).
    Ahead,
    /// A query failed.
    Query,
    /// Another driver holds the run's lease (the fence refused this driver's events).
    Taken,
}

impl StoreError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, help: impl Into<String>) -> Self {
        StoreError {
            kind,
            message: message.into(),
            help: help.into(),
        }
    }

    /// The exit status of a command that could not do its work because of this.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Config | ErrorKind::Behind | ErrorKind::Ahead => 2,
            ErrorKind::Unreachable | ErrorKind::Query | ErrorKind::Taken => 1,
        }
    }
}

/// An open connection to the store.
pub struct Store {
    pub client: postgres::Client,
    pub shown: String,
}

/// The target of the store in effect, or `None` without one.
pub fn target() -> Result<Option<Target>, StoreError> {
    let Some((url, origin)) = url() else {
        return Ok(None);
    };
    let from = match origin {
        UrlOrigin::Flag => "--store".to_string(),
        UrlOrigin::Env => "RUNBOOK_STORE".to_string(),
        UrlOrigin::File(at) => at,
    };
    conninfo::resolve(&url).map(Some).map_err(|e| {
        StoreError::new(
            ErrorKind::Config,
            format!("the team store ({from}): {}", e.message),
            e.help,
        )
    })
}

impl Store {
    /// Connects, without looking at the schema.
    ///
    /// The whole setup (TCP, TLS, start-up, login) is bounded by the connect timeout, as
    /// libpq bounds it: a store that accepts and never answers (a firewall, a stuck pooler)
    /// is unreachable after it, never a hang. (The connection is made on a thread of its own;
    /// one that never finishes is left to the process's exit.)
    pub fn connect(target: &Target) -> Result<Store, StoreError> {
        let limit = target
            .config
            .get_connect_timeout()
            .copied()
            .unwrap_or(std::time::Duration::from_secs(5));
        let tls = if target.sslmode == SslMode::Disable {
            None
        } else {
            Some(
                tls::connector(target)
                    .map_err(|e| StoreError::new(ErrorKind::Config, e, "check sslrootcert"))?,
            )
        };
        let config = target.config.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("runbook-connect".into())
            .spawn(move || {
                let connected = match tls {
                    None => config.connect(postgres::NoTls),
                    Some(tls) => config.connect(tls),
                };
                let _ = tx.send(connected);
            });
        if let Err(e) = spawned {
            return Err(StoreError::new(
                ErrorKind::Unreachable,
                format!("cannot reach the team store {}: {e}", target.shown),
                "",
            ));
        }
        let client = match rx.recv_timeout(limit) {
            Ok(connected) => connected.map_err(|e| unreachable(target, &e))?,
            Err(_) => {
                return Err(StoreError::new(
                    ErrorKind::Unreachable,
                    format!(
                        "cannot reach the team store {}: no answer within {} s",
                        target.shown,
                        limit.as_secs()
                    ),
                    "check that the server is up and reachable from here (`psql` with the same URL tells); connect_timeout or PGCONNECT_TIMEOUT sets the wait",
                ));
            }
        };
        Ok(Store {
            client,
            shown: target.shown.clone(),
        })
    }

    /// Connects and checks that the schema is the one this runbook writes.
    pub fn open(target: &Target) -> Result<Store, StoreError> {
        let mut store = Store::connect(target)?;
        store.check_schema()?;
        Ok(store)
    }

    /// The schema's version: 0 when runbook's tables are not there.
    pub fn schema_version(&mut self) -> Result<i32, StoreError> {
        let exists = self
            .client
            .query_one("SELECT to_regclass('runbook.migrations') IS NOT NULL", &[])
            .map_err(|e| self.query_error(&e))?;
        if !exists.get::<_, bool>(0) {
            return Ok(0);
        }
        let row = self
            .client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM runbook.migrations",
                &[],
            )
            .map_err(|e| self.query_error(&e))?;
        Ok(row.get(0))
    }

    pub fn check_schema(&mut self) -> Result<(), StoreError> {
        let have = self.schema_version()?;
        let want = migrations::latest();
        if have < want {
            return Err(StoreError::new(
                ErrorKind::Behind,
                format!(
                    "the team store {} has schema version {have}, this runbook needs {want}",
                    self.shown
                ),
                "run `runbook store migrate` (as a role that may create tables; docs/STORE.md)",
            ));
        }
        if have > want {
            return Err(StoreError::new(
                ErrorKind::Ahead,
                format!(
                    "the team store {} has schema version {have}, newer than this runbook knows ({want})",
                    self.shown
                ),
                "upgrade runbook on this machine to the version the team uses",
            ));
        }
        Ok(())
    }

    pub fn query_error(&self, e: &postgres::Error) -> StoreError {
        // Class 57 (operator intervention: the backend terminated, the server shutting
        // down) is a connection lost, not a query refused.
        let cut = e.code().is_some_and(|c| c.code().starts_with("57"));
        if e.is_closed() || e.as_db_error().is_none() || cut {
            return StoreError::new(
                ErrorKind::Unreachable,
                format!(
                    "cannot reach the team store {}: {}",
                    self.shown,
                    describe(e)
                ),
                "check the server; the local journal holds everything, `runbook sync` sends it later",
            );
        }
        let db = e.as_db_error();
        let privilege =
            db.is_some_and(|d| d.code() == &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE);
        StoreError::new(
            ErrorKind::Query,
            format!(
                "the team store {} refused a query: {}",
                self.shown,
                describe(e)
            ),
            if privilege {
                "grant the role the privileges docs/STORE.md lists"
            } else {
                "check the server's log; the local journal holds everything"
            },
        )
    }
}

impl Store {
    /// Applies the migrations the store lacks; returns the versions applied.
    pub fn migrate(&mut self) -> Result<Vec<(i32, &'static str)>, StoreError> {
        let store = self;
        let mut applied = Vec::new();
        for m in migrations::MIGRATIONS {
            let shown = store.shown.clone();
            let fail = |e: &postgres::Error| {
                let privilege = e.as_db_error().is_some_and(|d| {
                    d.code() == &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE
                });
                StoreError::new(
                    if e.as_db_error().is_some() {
                        ErrorKind::Query
                    } else {
                        ErrorKind::Unreachable
                    },
                    format!(
                        "migration {} ({}) failed on {shown}: {}; nothing of it was applied",
                        m.version,
                        m.description,
                        describe(e)
                    ),
                    if privilege {
                        "run `runbook store migrate` as a role that may create the schema (the database's owner; docs/STORE.md)"
                    } else {
                        "check the server's log, then run `runbook store migrate` again"
                    },
                )
            };
            let mut tx = store.client.transaction().map_err(|e| fail(&e))?;
            // One migrator at a time; the others wait here, then find the version applied.
            tx.execute("SELECT pg_advisory_xact_lock(7205759403792793)", &[])
                .map_err(|e| fail(&e))?;
            let exists: bool = tx
                .query_one("SELECT to_regclass('runbook.migrations') IS NOT NULL", &[])
                .map_err(|e| fail(&e))?
                .get(0);
            let done = exists
                && tx
                    .query_opt(
                        "SELECT 1 FROM runbook.migrations WHERE version = $1",
                        &[&m.version],
                    )
                    .map_err(|e| fail(&e))?
                    .is_some();
            if done {
                tx.rollback().map_err(|e| fail(&e))?;
                continue;
            }
            tx.batch_execute(m.sql).map_err(|e| fail(&e))?;
            tx.execute(
                "INSERT INTO runbook.migrations (version, description) VALUES ($1, $2)",
                &[&m.version, &m.description],
            )
            .map_err(|e| fail(&e))?;
            tx.commit().map_err(|e| fail(&e))?;
            applied.push((m.version, m.description));
        }
        Ok(applied)
    }
}

/// A postgres error in one line: the server's message, or the cause of a failed connection.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

fn unreachable(target: &Target, e: &postgres::Error) -> StoreError {
    let text = describe(e);
    let help = if text.contains("password authentication failed")
        || text.contains("no password")
        || text.contains("password missing")
    {
        if conninfo::passfile_skipped() {
            "the password file was skipped: others can read it (chmod 600 it, as libpq requires); or give the password in PGPASSWORD"
        } else {
            "give the password in ~/.pgpass (mode 0600) or PGPASSWORD, as for psql"
        }
    } else if text.contains("not valid for name") {
        "reach the store by a name its certificate is for (above), or check the CA only with sslmode=verify-ca"
    } else if text.contains("certificate") || text.contains("UnknownIssuer") {
        "the server's certificate is not trusted: give its CA with sslrootcert=FILE (or PGSSLROOTCERT)"
    } else if text.contains("does not exist") {
        "create the database and run `runbook store migrate`"
    } else {
        "check that the server is up and reachable from here (`psql` with the same URL tells)"
    };
    StoreError::new(
        if text.contains("does not exist") || text.contains("password") {
            ErrorKind::Config
        } else {
            ErrorKind::Unreachable
        },
        format!("cannot reach the team store {}: {text}", target.shown),
        help,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_shown_urls() {
        assert_eq!(
            hide_password("postgres://ops:s3cret@db:5432/runs"),
            "postgres://ops:***@db:5432/runs"
        );
        assert_eq!(
            hide_password("postgres://ops@db/runs"),
            "postgres://ops@db/runs"
        );
        assert_eq!(
            hide_password("host=db password='a b' user=ops"),
            "host=db password=*** user=ops"
        );
        assert_eq!(hide_password("host=db password=x"), "host=db password=***");
        assert_eq!(
            hide_password("postgres://db/runs?password=x&sslmode=require"),
            "postgres://db/runs?password=***&sslmode=require"
        );
    }
}
