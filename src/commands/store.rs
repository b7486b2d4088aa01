//! `runbook store migrate|status` and `runbook sync`.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_stdout, report_error};
use crate::cli::{StoreAction, StoreArgs};
use crate::store::{Store, StoreError, migrations};

pub fn run(args: &StoreArgs) -> i32 {
    let target = match needed() {
        Ok(t) => t,
        Err(code) => return code,
    };
    match args.action {
        StoreAction::Migrate => {
            let mut store = match Store::connect(&target) {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
            let before = match store.schema_version() {
                Ok(v) => v,
                Err(e) => return fail(&e),
            };
            if before > migrations::latest() {
                return fail(&StoreError::new(
                    crate::store::ErrorKind::Ahead,
                    format!(
                        "the team store {} has schema version {before}, newer than this runbook knows ({}): nothing was changed",
                        store.shown,
                        migrations::latest()
                    ),
                    "upgrade runbook to the version the team uses",
                ));
            }
            match store.migrate() {
                Ok(applied) if applied.is_empty() => print_stdout(&format!(
                    "the team store {} is up to date (schema version {})\n",
                    store.shown,
                    migrations::latest()
                )),
                Ok(applied) => {
                    let mut out = String::new();
                    for (v, what) in applied {
                        out.push_str(&format!("applied migration {v}: {what}\n"));
                    }
                    out.push_str(&format!(
                        "the team store {} is at schema version {}\n",
                        store.shown,
                        migrations::latest()
                    ));
                    print_stdout(&out)
                }
                Err(e) => fail(&e),
            }
        }
        StoreAction::Status => {
            let mut store = match Store::connect(&target) {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
            let version = match store.schema_version() {
                Ok(v) => v,
                Err(e) => return fail(&e),
            };
            let tls = if target.sslmode == crate::store::conninfo::SslMode::Disable {
                "TLS off (sslmode=disable)".to_string()
            } else {
                format!(
                    "sslmode={}{}",
                    target.sslmode.as_str(),
                    match target.verify {
                        crate::store::conninfo::Verify::Full =>
                            ", the server's certificate and name checked",
                        crate::store::conninfo::Verify::Chain =>
                            ", the server's certificate checked (not its name)",
                        crate::store::conninfo::Verify::Nothing =>
                            ", the server not authenticated (use verify-full)",
                    }
                )
            };
            // What the connection really is: `prefer` falls back to plain text.
            let encrypted = store
                .client
                .query_opt(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )
                .ok()
                .flatten()
                .map(|r| r.get::<_, bool>(0));
            let tls = if encrypted == Some(false)
                && target.sslmode != crate::store::conninfo::SslMode::Disable
            {
                format!(
                    "TLS off: the server does not offer it (sslmode={}); use sslmode=verify-full with a server that has TLS",
                    target.sslmode.as_str()
                )
            } else {
                tls
            };
            let mut out = format!(
                "store    {}\nsecurity {tls}\nschema   version {version} (this runbook writes {})\n",
                store.shown,
                migrations::latest()
            );
            if let Err(e) = store.check_schema() {
                print_stdout(&out);
                return fail(&e);
            }
            match store.client.query_one(
                "SELECT count(*), count(*) FILTER (WHERE status IS NULL) FROM runbook.runs",
                &[],
            ) {
                Ok(row) => {
                    out.push_str(&format!(
                        "runs     {} ({} unfinished)\n",
                        row.get::<_, i64>(0),
                        row.get::<_, i64>(1)
                    ));
                    print_stdout(&out)
                }
                Err(e) => fail(&store.query_error(&e)),
            }
        }
    }
}

/// `runbook sync`: every local run's events the store lacks.
pub fn sync(args: &crate::cli::SyncArgs) -> i32 {
    let target = match needed() {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut store = match Store::open(&target) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let state_dir = crate::exec::journal::state_dir(args.state_dir.as_deref());
    match crate::store::ship::sync_all(&mut store, &state_dir, None) {
        Ok(report) => {
            let mut out = String::new();
            for (id, n) in &report.sent {
                out.push_str(&format!(
                    "sent run {}: {n} event{}\n",
                    crate::exec::journal::short_id(id),
                    if *n == 1 { "" } else { "s" }
                ));
            }
            out.push_str(&format!(
                "the team store {} has every run of {} ({} sent now, {} already there)\n",
                store.shown,
                state_dir.display(),
                report.sent.len(),
                report.current
            ));
            if report.failed.is_empty() {
                return print_stdout(&out);
            }
            let _ = print_stdout(&out);
            for (id, why) in &report.failed {
                report_error(
                    &format!("run {id} was not sent: {why}"),
                    "its journal stays here; fix the cause and run `runbook sync` again",
                );
            }
            EXIT_FAILED
        }
        Err(e) => fail(&e),
    }
}

/// The store's target, for commands that are about the store: without one, exit 2.
fn needed() -> Result<crate::store::conninfo::Target, i32> {
    match super::team::target()? {
        Some(t) => Ok(t),
        None => {
            report_error(
                "no team store is configured",
                "give one with --store URL, RUNBOOK_STORE, or `[store] url` in runbook.toml (docs/STORE.md)",
            );
            Err(EXIT_USAGE)
        }
    }
}

fn fail(e: &StoreError) -> i32 {
    report_error(&e.message, &e.help);
    let code = e.exit_code();
    if code == EXIT_OK { EXIT_FAILED } else { code }
}
