//! End to end: the db-overload lab (`examples/db-overload-lab/`) reproduces the incident on a
//! throwaway PostgreSQL; the real `runbook run db-overload` fixes it; the checks ask the
//! database itself; `runbook rollback` undoes the block.
//!
//! Skipped (with a note) when the PostgreSQL binaries are missing, unless
//! `RUNBOOK_LAB_REQUIRED=1` (as in CI), which turns the skip into a failure. Every wait is
//! bounded, and the lab is stopped whatever happens (a drop guard).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The runbook's threshold (`max_active`), given explicitly so that the check below agrees.
const MAX_ACTIVE: usize = 20;
/// Queries running longer than this are runaway, in the lab.
const MIN_RUNTIME: &str = "10 seconds";
/// Runaway queries that must be piling up before the runbook runs.
const RUNAWAY_BEFORE: usize = 3;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lab_dir() -> PathBuf {
    root().join("examples/db-overload-lab")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// What the lab needs and is missing: the server binaries (as start.sh looks for them) and
/// `psql` on PATH (the runbook's steps call it).
fn missing_postgres() -> Option<String> {
    let server = match std::env::var_os("PG_BIN") {
        Some(dir) => Path::new(&dir).join("initdb").is_file(),
        None => {
            std::fs::read_dir("/usr/lib/postgresql")
                .map(|versions| {
                    versions
                        .flatten()
                        .any(|v| v.path().join("bin/initdb").is_file())
                })
                .unwrap_or(false)
                || on_path("initdb")
        }
    };
    match (server, on_path("psql")) {
        (true, true) => None,
        (false, _) => Some("the PostgreSQL server binaries (initdb, pg_ctl)".into()),
        (true, false) => Some("`psql` on PATH".into()),
    }
}

/// The result of a command run with a time limit.
struct Outcome {
    /// `None` when it was killed at the limit.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn show(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs a command under `timeout` (TERM at the limit, KILL 5 s later). Its output goes to
/// files, not pipes, so that a background process it leaves (the lab's server and client)
/// cannot keep the test waiting for the end of a pipe.
fn bounded(cmd: Command, limit: Duration, scratch: &Path, name: &str) -> Outcome {
    let out = scratch.join(format!("{name}.stdout"));
    let err = scratch.join(format!("{name}.stderr"));
    let mut timed = Command::new("timeout");
    timed
        .arg("-k")
        .arg("5")
        .arg(limit.as_secs().to_string())
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap());
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => timed.env(key, v),
            None => timed.env_remove(key),
        };
    }
    let status = timed
        .status()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    // `timeout` exits 124 when the limit was hit (137 after the KILL).
    let code = status.code().filter(|c| *c != 124 && *c != 137);
    Outcome {
        code,
        stdout: std::fs::read_to_string(out).unwrap_or_default(),
        stderr: std::fs::read_to_string(err).unwrap_or_default(),
    }
}

/// Polls `check` every half second until it gives a value, for at most `limit`.
fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "gave up after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// A running lab; stopped when dropped, whatever happened.
struct Lab {
    state: PathBuf,
    scratch: PathBuf,
    port: String,
    base: PathBuf,
}

impl Lab {
    fn script(&self, name: &str) -> Outcome {
        let mut cmd = Command::new("bash");
        cmd.arg(lab_dir().join(name))
            .env("RUNBOOK_LAB_STATE", &self.state)
            // The client gives up by itself after this, should everything else fail.
            .env("LAB_CLIENT_MINUTES", "10");
        bounded(cmd, Duration::from_secs(90), &self.scratch, name)
    }

    fn url(&self, user: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/inventory", self.port)
    }

    /// Runs one SQL command as `user`: Ok(its output) or Err(psql's error).
    fn sql_as(&self, user: &str, sql: &str) -> Result<String, String> {
        let out = Command::new("timeout")
            .args(["30", "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1"])
            .arg(self.url(user))
            .args(["-c", sql])
            .env("PGCONNECT_TIMEOUT", "5")
            .env("PGOPTIONS", "-c statement_timeout=10s")
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    fn sql(&self, sql: &str) -> String {
        self.sql_as("postgres", sql)
            .unwrap_or_else(|e| panic!("{sql}\n{e}"))
    }

    fn count(&self, sql: &str) -> usize {
        let out = self.sql(sql);
        out.parse()
            .unwrap_or_else(|_| panic!("not a count: {out:?} from {sql}"))
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let stop = self.script("stop.sh");
        if stop.code != Some(0) {
            eprintln!("stopping the lab failed: {}", stop.show());
        }
    }
}

fn runbook(args: &[&str], state_dir: &Path, scratch: &Path, name: &str) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(args)
        .arg("--state-dir")
        .arg(state_dir)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("RUNBOOK_CACHE_DIR", scratch.join("cache"))
        .env_remove("RUNBOOK_PATH")
        .env_remove("RUNBOOK_STATE_DIR")
        // Never post to a real channel from a test.
        .env_remove("SLACK_WEBHOOK_URL");
    bounded(cmd, Duration::from_secs(60), scratch, name)
}

fn journal(run_dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(run_dir.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn step_finished<'a>(j: &'a [Value], step: &str) -> &'a Value {
    j.iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == step && e.get("within").is_none())
        .unwrap_or_else(|| panic!("no step_finished for `{step}` in the journal"))
}

#[test]
fn db_overload_runbook_fixes_the_lab_and_rollback_unblocks() {
    if let Some(missing) = missing_postgres() {
        assert!(
            std::env::var("RUNBOOK_LAB_REQUIRED").as_deref() != Ok("1"),
            "RUNBOOK_LAB_REQUIRED=1 but {missing} cannot be found \
             (Debian: apt-get install -y postgresql)"
        );
        eprintln!("note: db-overload lab test skipped: {missing} not found");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().to_path_buf();
    let state_dir = scratch.join("state");
    let mut lab = Lab {
        state: scratch.join("lab.state"),
        scratch: scratch.clone(),
        port: String::new(),
        base: PathBuf::new(),
    };

    // The lab: a server, an inventory database, and the report client piling up queries.
    let start = lab.script("start.sh");
    assert_eq!(start.code, Some(0), "start.sh failed: {}", start.show());
    let recorded: BTreeMap<String, String> = std::fs::read_to_string(&lab.state)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    lab.port = recorded["port"].clone();
    lab.base = PathBuf::from(&recorded["base"]);
    assert!(
        start.stdout.contains(&lab.url("postgres")),
        "start.sh does not print the connection string: {}",
        start.show()
    );
    let runaway = format!(
        "from pg_stat_activity where usename = 'report_api' and state = 'active' \
         and now() - query_start > interval '{MIN_RUNTIME}'"
    );
    wait_for(
        "runaway report queries to pile up",
        Duration::from_secs(60),
        || (lab.count(&format!("select count(*) {runaway}")) >= RUNAWAY_BEFORE).then_some(()),
    );
    let before: Vec<String> = lab
        .sql(&format!("select pid {runaway} order by pid"))
        .lines()
        .map(str::to_string)
        .collect();
    assert!(
        before.len() >= RUNAWAY_BEFORE,
        "runaway queries: {before:?}"
    );

    // The real runbook, non-interactively.
    let db = format!("db={}", lab.url("postgres"));
    let min_runtime = format!("min_runtime={MIN_RUNTIME}");
    let max_active = format!("max_active={MAX_ACTIVE}");
    #[rustfmt::skip]
    let run = runbook(
        &[
            "run", "db-overload", "--yes",
            "--answers", "examples/answers/db-overload-lab.yaml",
            "--input", &db, "--input", &min_runtime, "--input", &max_active,
            "--confirm", "block-client",
        ],
        &state_dir, &scratch, "run",
    );
    assert_eq!(run.code, Some(0), "runbook run failed: {}", run.show());

    let runs: Vec<PathBuf> = std::fs::read_dir(state_dir.join("runs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(runs.len(), 1, "one run expected: {runs:?}");
    let run_dir = &runs[0];
    let j = journal(run_dir);
    assert_eq!(j.last().unwrap()["status"], "succeeded", "{}", run.show());
    assert_eq!(step_finished(&j, "block-client")["status"], "ok");
    let cancelled: usize = j
        .iter()
        .find(|e| e["event"] == "output_tail" && e["step"] == "cancel-runaway")
        .and_then(|e| e["tail"].as_str())
        .and_then(|t| t.trim().parse().ok())
        .expect("the count of cancelled queries in the journal");
    assert!(
        cancelled >= before.len(),
        "cancelled {cancelled}, but {} were runaway before the run",
        before.len()
    );

    // The database itself: the runaway queries were cancelled (not finished: the server log
    // says so for each), the role is blocked, and the load is below the threshold.
    let pids = before.join(",");
    wait_for(
        "the cancelled backends to go away",
        Duration::from_secs(30),
        || {
            (lab.count(&format!(
                "select count(*) from pg_stat_activity where pid in ({pids}) and state = 'active'"
            )) == 0)
                .then_some(())
        },
    );
    let log = std::fs::read_to_string(lab.base.join("postgres.log")).unwrap();
    for pid in &before {
        assert!(
            log.lines()
                .any(|l| l.contains(&format!("[{pid}] report_api@inventory"))
                    && l.contains("canceling statement due to user request")),
            "no cancel of runaway backend {pid} in the server log:\n{log}"
        );
    }
    assert_eq!(
        lab.sql("select rolconnlimit from pg_roles where rolname = 'report_api'"),
        "0",
        "report_api is not blocked"
    );
    let refused = lab.sql_as("report_api", "select 1").unwrap_err();
    assert!(
        refused.contains("too many connections for role"),
        "report_api could connect, or failed for another reason: {refused}"
    );
    let active = lab.count(
        "select count(*) from pg_stat_activity \
         where state = 'active' and backend_type = 'client backend'",
    );
    assert!(active < MAX_ACTIVE, "{active} active queries after the run");

    // The run keeps what undoes the block: the runbook as it started (with block-client's
    // rollback script) and the role it was rendered with.
    let snapshot = std::fs::read_to_string(run_dir.join("runbook.yaml")).unwrap();
    let block = &snapshot[snapshot.find("- id: block-client").expect("block-client")..];
    let rollback = &block[block.find("rollback:").expect("block-client's rollback")..];
    assert!(rollback.contains("connection limit -1"), "{rollback}");
    assert!(
        j.iter()
            .any(|e| e["event"] == "answer" && e["var"] == "role" && e["value"] == "report_api"),
        "the journal does not record the role that was blocked"
    );

    // `runbook rollback` unblocks the role.
    let run_id = j[0]["run_id"].as_str().unwrap().to_string();
    let undo = runbook(
        &["rollback", &run_id, "--confirm", "block-client"],
        &state_dir,
        &scratch,
        "rollback",
    );
    assert_eq!(
        undo.code,
        Some(0),
        "runbook rollback failed (it must run block-client's rollback with the runbook's \
         `env`, DB_URL, as `runbook run` ran the step): {}",
        undo.show()
    );
    assert!(
        journal(run_dir).iter().any(|e| e["event"] == "rollback"
            && e["step"] == "block-client"
            && e["status"] == "ok"),
        "the journal does not record the rollback of block-client: {}",
        undo.show()
    );
    assert_eq!(
        lab.sql("select rolconnlimit from pg_roles where rolname = 'report_api'"),
        "-1"
    );
    assert_eq!(lab.sql_as("report_api", "select 1").as_deref(), Ok("1"));

    // And stop.sh removes everything (the guard's second stop finds nothing to do).
    let stop = lab.script("stop.sh");
    assert_eq!(stop.code, Some(0), "stop.sh failed: {}", stop.show());
    assert!(!lab.base.exists(), "{} is still there", lab.base.display());
    assert!(
        !lab.state.exists(),
        "{} is still there",
        lab.state.display()
    );
}
