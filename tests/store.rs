//! The team store against a real, throwaway PostgreSQL (tests/common/pg.rs): migrations,
//! shipping runs while they happen, a store down at start or killed mid-run, events sent
//! twice, secrets kept masked, and bad configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::pg::{PASSWORD, Pg};
use common::run::journals;
use common::{Output, Test};

/// A test folder whose commands reach `pg` with its password from PGPASSWORD.
fn team(pg: &Pg) -> Test {
    Test::new()
        .env("RUNBOOK_STORE", &pg.url())
        .env("PGPASSWORD", PASSWORD)
        .env("PGPASSFILE", "/nonexistent/pgpass")
}

const RB: &str = "title: Ship it\nowner: team\ndescription: d\ninputs:\n  token: {secret: true}\nsteps:\n  - id: one\n    title: One\n    run: echo \"first $TOKEN\"\n    env: {TOKEN: \"{{ inputs.token }}\"}\n  - id: two\n    title: Two\n    run: echo second\n";

fn migrated(pg: &Pg) -> Test {
    let t = team(pg).file("runbooks/ship.yaml", RB);
    t.exec(&["store", "migrate"]).code(0);
    t
}

fn run_ship(t: &Test) -> Output {
    t.exec(&[
        "run",
        "ship",
        "--yes",
        "--input",
        "token=hunter2-Sup3rSecret",
    ])
}

fn journal_lines(t: &Test) -> usize {
    journals(t).iter().map(Vec::len).sum()
}

#[test]
fn migrate_creates_the_schema_once_and_commands_say_when_it_is_behind() {
    let Some(pg) = Pg::start() else { return };
    let t = team(&pg);
    // Before any migration, commands about the store say what to do.
    let out = t.exec(&["sync"]);
    out.code(2);
    assert!(
        out.stderr.contains("runbook store migrate"),
        "{}",
        out.stderr
    );
    let out = t.exec(&["store", "migrate"]);
    out.code(0);
    assert!(out.stdout.contains("applied migration 1"), "{}", out.stdout);
    assert!(out.stdout.contains("applied migration 3"), "{}", out.stdout);
    let out = t.exec(&["store", "migrate"]);
    out.code(0);
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
    assert_eq!(pg.count("SELECT count(*) FROM runbook.migrations"), 3);
    let out = t.exec(&["store", "status"]);
    out.code(0);
    assert!(out.stdout.contains("schema   version 3"), "{}", out.stdout);
    assert!(
        out.stdout.contains("runs     0 (0 unfinished)"),
        "{}",
        out.stdout
    );
    // A store newer than this runbook: refused, nothing changed.
    pg.sql("INSERT INTO runbook.migrations (version, description) VALUES (99, 'future')");
    let out = t.exec(&["sync"]);
    out.code(2);
    assert!(out.stderr.contains("upgrade runbook"), "{}", out.stderr);
    let out = t.exec(&["store", "migrate"]);
    out.code(2);
    assert!(out.stderr.contains("nothing was changed"), "{}", out.stderr);
}

#[test]
fn a_run_is_shipped_as_it_happens_once_and_masked() {
    let Some(pg) = Pg::start() else { return };
    let t = migrated(&pg);
    let out = run_ship(&t);
    out.code(0);
    assert!(out.stderr.contains("every event sent"), "{}", out.stderr);
    let lines = journal_lines(&t) as i64;
    assert_eq!(pg.count("SELECT count(*) FROM runbook.events"), lines);
    assert_eq!(
        pg.sql(
            "SELECT runbook || ' ' || mode || ' ' || status || ' ' || last_seq FROM runbook.runs"
        ),
        format!("ship run succeeded {lines}")
    );
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.runs WHERE runbook_text LIKE 'title: Ship it%'"),
        1
    );
    // The secret never reaches the store: the journal holds it masked, and so does the store.
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events WHERE record::text LIKE '%Sup3rSecret%'"),
        0
    );
    assert!(pg.count("SELECT count(*) FROM runbook.events WHERE record::text LIKE '%***%'") > 0);
    // Sending again is harmless.
    let out = t.exec(&["sync"]);
    out.code(0);
    assert!(
        out.stdout.contains("0 sent now, 1 already there"),
        "{}",
        out.stdout
    );
    pg.sql("DELETE FROM runbook.events WHERE seq > 2");
    pg.sql("UPDATE runbook.runs SET last_seq = 2");
    let out = t.exec(&["sync"]);
    out.code(0);
    assert!(
        out.stdout.contains(&format!("{} events", lines - 2)),
        "{}",
        out.stdout
    );
    assert_eq!(pg.count("SELECT count(*) FROM runbook.events"), lines);
}

#[test]
fn a_store_down_at_start_never_stops_the_run_and_sync_sends_it_later() {
    let Some(mut pg) = Pg::start() else { return };
    let t = migrated(&pg);
    pg.kill();
    let out = run_ship(&t);
    out.code(0);
    assert!(
        out.stderr.contains("does not have the whole run yet"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("runbook sync"), "{}", out.stderr);
    // While it is down, sync fails and says why.
    let out = t.exec(&["sync"]);
    out.code(1);
    assert!(
        out.stderr.contains("cannot reach the team store"),
        "{}",
        out.stderr
    );
    pg.resume();
    let out = t.exec(&["sync"]);
    out.code(0);
    assert!(out.stdout.contains("1 sent now"), "{}", out.stdout);
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events"),
        journal_lines(&t) as i64
    );
    // The next run sends what an earlier one left behind, by itself.
    pg.kill();
    run_ship(&t).code(0);
    pg.resume();
    run_ship(&t).code(0);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(pg.count("SELECT count(*) FROM runbook.runs"), 3);
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events"),
        journal_lines(&t) as i64
    );
}

#[test]
fn a_store_killed_in_the_middle_of_a_run_catches_up_when_it_is_back() {
    let Some(pg) = Pg::start() else { return };
    let pg_ctl = common::pg::bin().unwrap().join("pg_ctl");
    let data = pg.path().join("data");
    // The run itself stops and restarts the server between its steps.
    let as_pg = if std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let ctl = format!("{as_pg}{} --pgdata {}", pg_ctl.display(), data.display());
    let rb = format!(
        "title: Outage\nowner: team\ndescription: d\nsteps:\n  - id: before\n    title: Before\n    run: echo before\n  - id: kill\n    title: Kill the store\n    dangerous: true\n    confirm: stop the store\n    run: {ctl} --mode=immediate --wait stop\n  - id: during\n    title: During\n    run: echo during; sleep 1\n  - id: back\n    title: Bring it back\n    run: {ctl} --log {} --wait -o '-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off' start >/dev/null\n  - id: after\n    title: After\n    run: sleep 3; echo after\n",
        pg.path().join("postgres.log").display(),
        pg.port,
        pg.path().display()
    );
    let t = team(&pg).file("runbooks/outage.yaml", &rb);
    t.exec(&["store", "migrate"]).code(0);
    let out = t.exec(&["run", "outage", "--yes", "--confirm", "kill"]);
    out.code(0);
    assert!(
        out.stderr.contains("cannot reach the team store"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("reachable again"), "{}", out.stderr);
    assert!(out.stderr.contains("every event sent"), "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("cannot reach the team store").count(),
        1,
        "said once:\n{}",
        out.stderr
    );
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events"),
        journal_lines(&t) as i64
    );
    assert_eq!(
        pg.count("SELECT count(DISTINCT seq) FROM runbook.events"),
        journal_lines(&t) as i64
    );
}

#[test]
fn a_bad_store_url_stops_before_anything_is_written() {
    let t = Test::new().file("runbooks/ship.yaml", RB);
    for (url, part) in [
        ("mysql://db/runs", "runbook's store is PostgreSQL"),
        ("postgres://db/runs?sslmode=maybe", "not one of libpq's"),
        (
            "postgres://db/runs?sslmod=require",
            "did you mean `sslmode`?",
        ),
        (
            "postgres://db/runs?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            "does not exist",
        ),
    ] {
        let out = t.exec(&["--store", url, "run", "ship", "--yes", "--input", "token=x"]);
        out.code(2);
        assert!(out.stderr.contains(part), "{url}: {}", out.stderr);
        assert!(!t.path(".state/runs").exists(), "{url}: a run was started");
    }
    // Commands about the store without one.
    let out = t.exec(&["sync"]);
    out.code(2);
    assert!(
        out.stderr.contains("no team store is configured"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_password_comes_from_the_password_file_as_for_psql() {
    let Some(pg) = Pg::start() else { return };
    let t = Test::new()
        .env("RUNBOOK_STORE", &pg.url())
        .env("PGPASSFILE", "/nonexistent/pgpass");
    let out = t.exec(&["store", "migrate"]);
    out.code(2);
    assert!(out.stderr.contains("~/.pgpass"), "{}", out.stderr);
    assert!(!out.stderr.contains(PASSWORD));
    let pass = t.path("pgpass");
    std::fs::write(
        &pass,
        format!("127.0.0.1:{}:runbook:postgres:{PASSWORD}\n", pg.port),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    // Readable by others: skipped, as libpq skips it, and said.
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = t.exec(&[
        "--store",
        &format!("{}&passfile={}", pg.url(), pass.display()),
        "store",
        "migrate",
    ]);
    out.code(2);
    assert!(out.stderr.contains("chmod 600"), "{}", out.stderr);
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = t.exec(&[
        "--store",
        &format!("{}&passfile={}", pg.url(), pass.display()),
        "store",
        "migrate",
    ]);
    out.code(0);
    let out = t.exec(&[
        "--store",
        &format!("{}&passfile={}", pg.url(), pass.display()),
        "store",
        "status",
    ]);
    out.code(0);
    assert!(out.stdout.contains("TLS off"), "{}", out.stdout);
    // `prefer` against a server without TLS: plain text, and said so.
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/runbook?sslmode=prefer&passfile={}",
        pg.port,
        pass.display()
    );
    let out = t.exec(&["--store", &url, "store", "status"]);
    out.code(0);
    assert!(
        out.stdout.contains("the server does not offer it"),
        "{}",
        out.stdout
    );
}

const THREE: &str = r#"title: Three
owner: o
description: d
steps:
  - {id: one, title: One, run: echo one >> ran.log, rollback: echo undo-one >> ran.log}
  - id: pick
    title: Pick
    choose:
      options: [{label: Go, next: two}, {label: Stop, next: end}]
  - {id: two, title: Two, run: echo two >> ran.log, rollback: echo undo-two >> ran.log}
"#;

#[test]
fn a_resumed_and_rolled_back_run_is_one_run_in_the_store() {
    let Some(pg) = Pg::start() else { return };
    let t = team(&pg)
        .file("runbooks/three.yaml", THREE)
        .file("answers.yaml", "pick: Go\n")
        .file(
            "rollback.yaml",
            "two: {rollback: run}\none: {rollback: run}\n",
        );
    t.exec(&["store", "migrate"]).code(0);
    // Left unfinished: the store has it open, up to where it stopped.
    t.exec(&["run", "three", "--yes"]).code(2);
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.runs WHERE status IS NULL"),
        1
    );
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events"),
        journal_lines(&t) as i64
    );
    let out = t.exec(&["resume", "--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert!(out.stderr.contains("every event sent"), "{}", out.stderr);
    assert_eq!(
        pg.sql("SELECT status || ' ' || cardinality(operators) FROM runbook.runs"),
        "succeeded 1"
    );
    let out = t.exec(&["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert_eq!(pg.count("SELECT count(*) FROM runbook.runs"), 1);
    // Each driver let go of the lease when it stopped, a rollback with nothing left too.
    assert_eq!(
        pg.sql("SELECT released_at IS NOT NULL FROM runbook.leases"),
        "t"
    );
    let generation = pg.sql("SELECT generation FROM runbook.leases");
    t.exec(&["rollback", "--answers", "rollback.yaml"]).code(0);
    assert_eq!(
        pg.sql("SELECT released_at IS NOT NULL FROM runbook.leases"),
        "t"
    );
    assert_ne!(pg.sql("SELECT generation FROM runbook.leases"), generation);
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events WHERE event = 'rollback'"),
        2
    );
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events"),
        journal_lines(&t) as i64
    );
}

/// `store status` against a TLS server with `url`'s TLS settings.
fn status_with(pg: &Pg, query: &str) -> Output {
    let url = format!("postgres://postgres@127.0.0.1:{}/runbook?{query}", pg.port);
    Test::new()
        .env("PGPASSWORD", PASSWORD)
        .env("PGPASSFILE", "/nonexistent/pgpass")
        .env("HOME", "/nonexistent")
        .exec(&["--store", &url, "store", "status"])
}

#[test]
fn tls_checks_the_servers_certificate_as_sslmode_says() {
    let Some(pg) = Pg::start_tls("IP:127.0.0.1") else {
        return;
    };
    team(&pg).exec(&["store", "migrate"]).code(0);
    let ca = pg.path().join("ca.pem");
    let out = status_with(
        &pg,
        &format!("sslmode=verify-full&sslrootcert={}", ca.display()),
    );
    out.code(0);
    assert!(
        out.stdout.contains("certificate and name checked"),
        "{}",
        out.stdout
    );
    // A CA that did not sign it: refused, saying what to give.
    let other = Pg::start_tls("IP:127.0.0.1").unwrap();
    let out = status_with(
        &pg,
        &format!(
            "sslmode=verify-full&sslrootcert={}",
            other.path().join("ca.pem").display()
        ),
    );
    out.code(1);
    assert!(out.stderr.contains("sslrootcert"), "{}", out.stderr);
    // Without verification (libpq's `require`): encrypted, and said to be unauthenticated.
    let out = status_with(&pg, "sslmode=require");
    out.code(0);
    assert!(out.stdout.contains("not authenticated"), "{}", out.stdout);
}

#[test]
fn verify_full_checks_the_name_and_verify_ca_does_not() {
    let Some(pg) = Pg::start_tls("DNS:db.example.com") else {
        return;
    };
    team(&pg).exec(&["store", "migrate"]).code(0);
    let ca = pg.path().join("ca.pem");
    let out = status_with(
        &pg,
        &format!("sslmode=verify-full&sslrootcert={}", ca.display()),
    );
    out.code(1);
    assert!(out.stderr.contains("not valid for name"), "{}", out.stderr);
    assert!(out.stderr.contains("sslmode=verify-ca"), "{}", out.stderr);
    let out = status_with(
        &pg,
        &format!("sslmode=verify-ca&sslrootcert={}", ca.display()),
    );
    out.code(0);
    assert!(out.stdout.contains("not its name"), "{}", out.stdout);
}

#[test]
fn another_machine_lists_reports_and_sees_the_last_runs_of_the_team() {
    let Some(pg) = Pg::start() else { return };
    let a = migrated(&pg);
    run_ship(&a).code(0);
    let drill = a.exec(&["drill", "ship", "--yes", "--input", "token=x"]);
    drill.code(0);
    // Another machine: its own state folder, the same runbooks, the same store.
    let b = team(&pg).file("runbooks/ship.yaml", RB);
    let out = b.exec(&["history"]);
    out.code(0);
    assert!(out.stderr.contains("no runs"), "{}", out.stderr);
    let out = b.exec(&["history", "--team"]);
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].contains("HOST"), "{}", out.stdout);
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(
        lines[1].contains(" drill ") && lines[2].contains(" run "),
        "{}",
        out.stdout
    );
    assert!(lines[2].contains("succeeded"), "{}", out.stdout);
    let out = b.exec(&["history", "--team", "--json", "--runbook", "ship"]);
    out.code(0);
    let runs: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(runs.as_array().unwrap().len(), 2);
    let id = runs[1]["id"].as_str().unwrap().to_string();
    assert_eq!(runs[1]["status"], "succeeded");
    assert!(runs[1]["host"].as_str().is_some_and(|h| !h.is_empty()));
    let out = b.exec(&["history", "--team", "--limit", "1"]);
    out.code(0);
    assert!(out.stdout.contains("1 of 2 runs shown"), "{}", out.stdout);
    // The report of a run started elsewhere, from the store.
    let out = b.exec(&["report", &id[..13], "--postmortem"]);
    out.code(0);
    assert!(out.stdout.contains("Ship it"), "{}", out.stdout);
    assert!(out.stdout.contains("echo second"), "{}", out.stdout);
    assert!(!out.stdout.contains("Sup3rSecret"));
    let out = b.exec(&["report", "ffffffff"]);
    out.code(2);
    assert!(out.stderr.contains("team store"), "{}", out.stderr);
    // The fetched copy is not one of this machine's runs.
    let out = b.exec(&["history"]);
    assert!(out.stderr.contains("no runs"), "{}", out.stderr);
    let out = b.exec(&["list", "--json"]);
    out.code(0);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(list[0]["last_run"].is_string(), "{}", out.stdout);
    assert!(list[0]["last_drill"].is_string(), "{}", out.stdout);
}

#[test]
fn team_reading_without_a_reachable_store_says_so() {
    let Some(mut pg) = Pg::start() else { return };
    let t = migrated(&pg);
    run_ship(&t).code(0);
    pg.kill();
    let out = t.exec(&["history", "--team"]);
    out.code(1);
    assert!(
        out.stderr.contains("cannot reach the team store"),
        "{}",
        out.stderr
    );
    // `list` goes on with this machine's runs, and says so.
    let out = t.exec(&["list"]);
    out.code(0);
    assert!(
        out.stderr.contains("this machine's runs only"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("ship"), "{}", out.stdout);
    let out = Test::new().exec(&["history", "--team"]);
    out.code(2);
    assert!(out.stderr.contains("none is configured"), "{}", out.stderr);
}

/// A driver role with the least privileges docs/STORE.md lists.
fn driver_role(pg: &Pg, name: &str) -> String {
    pg.sql(&format!(
        "CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}';
         GRANT USAGE ON SCHEMA runbook TO {name};
         GRANT SELECT ON ALL TABLES IN SCHEMA runbook TO {name};
         GRANT INSERT, UPDATE ON runbook.runs TO {name};
         GRANT INSERT ON runbook.events TO {name};
         GRANT INSERT, UPDATE ON runbook.leases TO {name};"
    ));
    format!(
        "postgres://{name}@127.0.0.1:{}/runbook?sslmode=disable",
        pg.port
    )
}

/// The journal's `step_finished` events of every run folder of `t`, as (step, status).
fn finished_steps(t: &Test) -> Vec<(String, String)> {
    journals(t)
        .iter()
        .flatten()
        .filter(|e| e["event"] == "step_finished" && e.get("within").is_none())
        .map(|e| {
            (
                e["step"].as_str().unwrap_or("").to_string(),
                e["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

const SLOW: &str = "title: Slow\nowner: o\ndescription: d\nsteps:\n  - {id: one, title: One, run: echo one}\n  - {id: wait, title: Wait, run: 'sleep ${SLOW_SECONDS:-8}'}\n  - {id: two, title: Two, run: echo two}\n  - {id: three, title: Three, run: echo three}\n";

/// Starts `runbook run slow --yes` in the background for `t`, with `url` as the store.
fn spawn_slow(t: &Test, url: &str) -> std::process::Child {
    spawn_slow_with(t, url, &["--yes"])
}

fn spawn_slow_with(t: &Test, url: &str, flags: &[&str]) -> std::process::Child {
    let mut cmd = background(t, &t.path(".state"), url, &["run", "slow"]);
    cmd.args(flags).spawn().expect("spawn runbook")
}

/// `runbook ARGS` for `t` in the background, with `url` as the store and `state` as the
/// state folder (leases of 2 s; output piped).
fn background(
    t: &Test,
    state: &std::path::Path,
    url: &str,
    args: &[&str],
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(args)
        .current_dir(t.dir.path())
        .env_remove("RUNBOOK_PATH")
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", state)
        .env("RUNBOOK_STORE", url)
        .env("PGPASSWORD", PASSWORD)
        .env("PGPASSFILE", "/nonexistent/pgpass")
        .env("RUNBOOK_LEASE_SECONDS", "2")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// Waits (at most 20 s) for `sql` to return `want`.
fn wait_sql(pg: &Pg, sql: &str, want: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while pg.sql(sql) != want {
        assert!(
            std::time::Instant::now() < deadline,
            "gave up waiting for {sql} to be {want}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_killed_drivers_run_is_finished_elsewhere_each_step_once() {
    let Some(pg) = Pg::start() else { return };
    let a = team(&pg).file("runbooks/slow.yaml", SLOW);
    a.exec(&["store", "migrate"]).code(0);
    let mut child = spawn_slow(&a, &pg.url());
    wait_sql(
        &pg,
        "SELECT count(*) FROM runbook.events WHERE event = 'step_started' AND step = 'wait'",
        "1",
    );
    // The driver's lease came with its first events: there is no moment at which the run
    // is in the store and nobody is known to drive it (killed then, no watcher would know).
    assert_eq!(pg.sql("SELECT count(*) FROM runbook.leases"), "1");
    child.kill().unwrap();
    child.wait().unwrap();
    let id = pg.sql("SELECT run_id FROM runbook.runs");
    // Someone watching is told that nobody drives the run any more.
    // (Read from a file until it says so, up to a limit: a loaded machine is slower.)
    let said = a.path("watch.out");
    let mut watch = background(&a, &a.path(".watch"), &pg.url(), &["watch", &id])
        .stdout(std::fs::File::create(&said).unwrap())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60)
        && !std::fs::read_to_string(&said)
            .unwrap_or_default()
            .contains("--take-over")
    {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    watch.kill().unwrap();
    watch.wait().unwrap();
    let seen = std::fs::read_to_string(&said).unwrap();
    assert!(seen.contains("nobody drives this run now"), "{seen}");
    assert!(seen.contains("--take-over"), "{seen}");
    // Another machine: its lease is fresh, but its holder is dead on this host, so it is
    // free; the run is fetched, the unfinished step run again.
    let b = team(&pg)
        .env("RUNBOOK_LEASE_SECONDS", "2")
        .env("SLOW_SECONDS", "0")
        .file("runbooks/slow.yaml", SLOW);
    let out = b.exec(&["resume", &id[..13], "--yes"]);
    out.code(0);
    assert!(out.stderr.contains("every event sent"), "{}", out.stderr);
    let mut steps: Vec<String> = finished_steps(&a)
        .into_iter()
        .chain(finished_steps(&b).into_iter().filter(|(s, _)| s != "one"))
        .map(|(s, st)| format!("{s}:{st}"))
        .collect();
    steps.sort();
    assert_eq!(steps, ["one:ok", "three:ok", "two:ok", "wait:ok"]);
    // The store has the whole run once, finished, with the lease's generation 2.
    assert_eq!(pg.sql("SELECT status FROM runbook.runs"), "succeeded");
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events WHERE event = 'step_finished'"),
        4
    );
    assert_eq!(pg.sql("SELECT generation FROM runbook.leases"), "2");
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events"),
        journals(&b)[0].len() as i64
    );
}

#[test]
fn a_fresh_lease_refuses_a_second_driver_and_one_of_two_at_once_wins() {
    let Some(pg) = Pg::start() else { return };
    let a = team(&pg).file("runbooks/slow.yaml", SLOW);
    a.exec(&["store", "migrate"]).code(0);
    let child = spawn_slow(&a, &pg.url());
    wait_sql(&pg, "SELECT count(*) FROM runbook.leases", "1");
    let id = pg.sql("SELECT run_id FROM runbook.runs");
    let b = team(&pg).file("runbooks/slow.yaml", SLOW);
    let out = b.exec(&[
        "resume",
        &id,
        "--yes",
        "--take-over",
        "--confirm",
        "take-over",
    ]);
    out.code(1);
    assert!(out.stderr.contains("is driven by"), "{}", out.stderr);
    assert!(
        out.stderr.contains("its lease was renewed"),
        "{}",
        out.stderr
    );
    let out = b.exec(&["history", "--team"]);
    assert!(out.stdout.contains("running"), "{}", out.stdout);
    assert!(!b.path(".state/runs").exists() || journals(&b).is_empty());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The run is over: nothing to resume. Two resumes of an unfinished run at once: one
    // drives it, the other is refused.
    // (Every "machine" here shares one file system: a resume finds the runbook at the path
    // the run started from, as where a team keeps its runbooks at one path.)
    let slow_three = THREE.replace("echo two >> ran.log", "sleep 3; echo two >> ran.log");
    let t = team(&pg)
        .file("runbooks/three.yaml", &slow_three)
        .file("answers.yaml", "pick: Go\n");
    t.exec(&["run", "three", "--yes"]).code(2);
    let three = pg.sql("SELECT run_id FROM runbook.runs WHERE runbook = 'three'");
    let c = team(&pg).file("answers.yaml", "pick: Go\n");
    let d = team(&pg).file("answers.yaml", "pick: Go\n");
    let args = ["resume", &three, "--yes", "--answers", "answers.yaml"];
    let (oc, od) = std::thread::scope(|s| {
        let hc = s.spawn(|| c.exec(&args));
        let hd = s.spawn(|| d.exec(&args));
        (hc.join().unwrap(), hd.join().unwrap())
    });
    let codes = [oc.code, od.code];
    assert!(
        codes.contains(&0) && codes.contains(&1),
        "{codes:?}\n{}\n{}",
        oc.stderr,
        od.stderr
    );
    let refused = if oc.code == 1 { &oc } else { &od };
    assert!(
        refused.stderr.contains("is driven by") || refused.stderr.contains("a moment ago"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        pg.count(&format!(
            "SELECT count(*) FROM runbook.events WHERE run_id = '{three}' AND event = 'step_finished' AND step = 'two'"
        )),
        1
    );
}

#[test]
fn a_stale_lease_taken_over_fences_the_old_driver_which_stops() {
    let Some(pg) = Pg::start() else { return };
    let a = team(&pg).file("runbooks/slow.yaml", SLOW);
    a.exec(&["store", "migrate"]).code(0);
    let alice = driver_role(&pg, "alice");
    let child = spawn_slow(&a, &alice);
    wait_sql(
        &pg,
        "SELECT count(*) FROM runbook.events WHERE event = 'step_started' AND step = 'wait'",
        "1",
    );
    // Cut the old driver off from the store, alive.
    pg.sql("ALTER ROLE alice NOLOGIN");
    pg.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'alice'");
    wait_sql(&pg, "SELECT expires_at < now() FROM runbook.leases", "t");
    let id = pg.sql("SELECT run_id FROM runbook.runs");
    let b = team(&pg)
        .env("RUNBOOK_LEASE_SECONDS", "2")
        .env("SLOW_SECONDS", "0")
        .file("runbooks/slow.yaml", SLOW);
    // Expired: refused without --take-over, then taken with it.
    let out = b.exec(&["resume", &id, "--yes"]);
    out.code(1);
    assert!(out.stderr.contains("--take-over"), "{}", out.stderr);
    let out = b.exec(&["resume", &id, "--yes", "--take-over"]);
    out.code(2);
    assert!(out.stderr.contains("--confirm take-over"), "{}", out.stderr);
    let out = b.exec(&[
        "resume",
        &id,
        "--yes",
        "--take-over",
        "--confirm",
        "take-over",
    ]);
    out.code(0);
    assert!(
        out.stderr.contains("run taken over from "),
        "{}",
        out.stderr
    );
    // The old driver comes back: refused by the store, it stops before its next step.
    pg.sql("ALTER ROLE alice LOGIN");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("was taken over by"), "{stderr}");
    let a_steps = finished_steps(&a);
    assert!(
        !a_steps.iter().any(|(s, _)| s == "two"),
        "the old driver went on: {a_steps:?}"
    );
    // What the old driver did after the take-over stays on its machine, and `sync` says so.
    let out = a.exec(&["--store", &alice, "sync"]);
    out.code(1);
    assert!(out.stderr.contains("taken over"), "{}", out.stderr);
    assert_eq!(pg.sql("SELECT status FROM runbook.runs"), "succeeded");
    assert_eq!(
        pg.count(
            "SELECT count(*) FROM runbook.events WHERE event = 'step_finished' AND step = 'two'"
        ),
        1
    );
    assert_eq!(
        pg.count("SELECT count(*) FROM runbook.events WHERE generation = 1 AND seq > (SELECT min(seq) FROM runbook.events WHERE generation = 2)"),
        0
    );
}

#[test]
fn a_driver_cut_off_from_the_store_asks_before_going_on_alone() {
    let Some(pg) = Pg::start() else { return };
    let t = team(&pg).file("runbooks/slow.yaml", SLOW);
    t.exec(&["store", "migrate"]).code(0);
    let alice = driver_role(&pg, "alice");
    std::fs::write(
        t.path("none.yaml"),
        "one: run\nwait: run\ntwo: run\nthree: run\n",
    )
    .unwrap();
    for (i, (flags, code, change)) in [
        (vec!["--yes"], 0, "went_on_alone"),
        (vec!["--answers", "none.yaml"], 2, "stopped_alone"),
    ]
    .into_iter()
    .enumerate()
    {
        pg.sql("ALTER ROLE alice LOGIN");
        let state = t.path(&format!(".state{i}"));
        let mut cmd = background(&t, &state, &alice, &["run", "slow"]);
        cmd.args(&flags).env("SLOW_SECONDS", "5");
        let mut child = cmd.spawn().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while pg.sql(
            "SELECT count(*) FROM runbook.events WHERE event = 'step_started' AND step = 'wait'",
        ) != (i + 1).to_string()
        {
            if std::time::Instant::now() > deadline || child.try_wait().unwrap().is_some() {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "the run did not reach `wait` in the store:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        pg.sql("ALTER ROLE alice NOLOGIN");
        pg.sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'alice'",
        );
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains("contact with the team store"), "{stderr}");
        assert_eq!(
            stderr.matches("lease has expired").count(),
            1,
            "asked once: {stderr}"
        );
        let text = std::fs::read_dir(state.join("runs"))
            .unwrap()
            .flatten()
            .map(|d| std::fs::read_to_string(d.path().join("journal.jsonl")).unwrap())
            .collect::<String>();
        assert!(text.contains(&format!("\"change\":\"{change}\"")), "{text}");
        if code == 0 {
            assert!(text.contains("\"step\":\"three\""), "it went on: {text}");
        } else {
            assert!(!text.contains("\"step\":\"two\""), "it stopped: {text}");
        }
    }
}

#[test]
fn watch_follows_a_run_as_it_happens_from_another_machine() {
    let Some(pg) = Pg::start() else { return };
    let a = team(&pg).file("runbooks/slow.yaml", SLOW);
    a.exec(&["store", "migrate"]).code(0);
    let b = team(&pg);
    let out = b.exec(&["watch"]);
    out.code(1);
    assert!(out.stderr.contains("no run is going on"), "{}", out.stderr);
    let mut cmd = background(&a, &a.path(".state"), &pg.url(), &["run", "slow", "--yes"]);
    cmd.env("SLOW_SECONDS", "3")
        .env("RUNBOOK_LEASE_SECONDS", "30")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut driver = cmd.spawn().unwrap();
    wait_sql(
        &pg,
        "SELECT count(*) FROM runbook.events WHERE event = 'step_started' AND step = 'wait'",
        "1",
    );
    assert_eq!(pg.sql("SELECT status IS NULL FROM runbook.runs"), "t");
    // Another machine follows it: everything so far, then each event as it is stored,
    // until the run ends.
    let out = b.exec(&["watch"]);
    out.code(0);
    assert!(driver.wait().unwrap().success());
    let text = &out.stdout;
    let order: Vec<usize> = [
        "── one",
        "── wait",
        "$ sleep",
        "── two",
        "── three",
        "run succeeded",
    ]
    .iter()
    .map(|w| {
        text.find(w)
            .unwrap_or_else(|| panic!("{w} missing:\n{text}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("read only"), "{text}");
    // A finished run is shown whole; the watcher's session cannot write.
    let id = pg.sql("SELECT run_id FROM runbook.runs");
    let out = b.exec(&["watch", &id[..13]]);
    out.code(0);
    assert!(out.stdout.contains("run succeeded"), "{}", out.stdout);
}

const PRACTICE: &str = r#"title: Practice
owner: o
description: d
steps:
  - id: check
    title: Check
    checklist: [Open the dashboard, Tell the channel]
  - id: flaky
    title: Flaky
    run: 'test -f ok || { touch ok; exit 3; }'
    on_failure: continue
  - id: optional
    title: Optional
    run: echo optional
  - id: pick
    title: Pick
    choose:
      options:
        - {label: Restart, next: end}
        - {label: Wait, next: end}
"#;

#[test]
fn stats_over_the_store_and_over_the_journals_agree() {
    let Some(pg) = Pg::start() else { return };
    let t = team(&pg)
        .file("runbooks/practice.yaml", PRACTICE)
        .file(
            "restart.yaml",
            "pick: Restart\noptional: skip\ncheck: skip\n",
        )
        .file("wait.yaml", "pick: Wait\n");
    t.exec(&["store", "migrate"]).code(0);
    t.exec(&["run", "practice", "--yes", "--answers", "restart.yaml"])
        .code(0);
    t.exec(&["run", "practice", "--yes", "--answers", "wait.yaml"])
        .code(0);
    t.exec(&["drill", "practice", "--yes", "--answers", "wait.yaml"])
        .code(0);
    t.exec(&["drill", "practice", "--yes", "--answers", "restart.yaml"])
        .code(0);
    t.exec(&[
        "run",
        "practice",
        "--dry-run",
        "--yes",
        "--answers",
        "wait.yaml",
    ])
    .code(0);
    let team = t.exec(&["stats", "--json"]);
    team.code(0);
    let local = t.exec(&["stats", "--json", "--local"]);
    local.code(0);
    let mut a: serde_json::Value = serde_json::from_str(&team.stdout).unwrap();
    let mut b: serde_json::Value = serde_json::from_str(&local.stdout).unwrap();
    assert!(a["source"].as_str().unwrap().contains("team store"));
    for v in [&mut a, &mut b] {
        v["source"] = serde_json::Value::Null;
        v["since"] = serde_json::Value::Null;
    }
    assert_eq!(a, b, "store:\n{}\nlocal:\n{}", team.stdout, local.stdout);
    let r = &a["runbooks"][0];
    assert_eq!(r["runbook"], "practice");
    assert_eq!(
        (
            r["runs"].as_u64(),
            r["drills"].as_u64(),
            r["dry_runs"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(r["outcomes"]["succeeded"], 2);
    assert!(r["median_ms"].is_u64());
    let steps = r["steps"].as_array().unwrap();
    let optional = steps.iter().find(|s| s["step"] == "optional").unwrap();
    assert_eq!(optional["skipped"], 2, "{}", team.stdout);
    assert!(
        steps
            .iter()
            .any(|s| s["step"] == "flaky" && s["failed"].as_u64() >= Some(1))
    );
    assert_eq!(r["checklist_skipped"][0]["item"], "Open the dashboard");
    let o = &a["operators"][0];
    assert_eq!(o["drills"], 2);
    assert_eq!(o["coverage"][0]["branches_walked"], 2);
    assert_eq!(o["coverage"][0]["branches"], 2);
    assert_eq!(a["weeks"].as_array().unwrap().len(), 1);
    let text = t.exec(&["stats"]);
    text.code(0);
    assert!(
        text.stdout
            .contains("practice\n  2 runs, 2 drills, 1 dry-run"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("2/2 branches"), "{}", text.stdout);
    let out = t.exec(&["stats", "--since", "yesterday-ish"]);
    out.code(2);
}

#[test]
fn a_store_whose_schema_is_behind_never_stops_a_run_and_says_what_to_do() {
    let Some(pg) = Pg::start() else { return };
    let t = team(&pg).file("runbooks/ship.yaml", RB);
    let out = run_ship(&t);
    out.code(0);
    assert!(
        out.stderr.contains("runbook store migrate"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("does not have the whole run yet"),
        "{}",
        out.stderr
    );
    t.exec(&["store", "migrate"]).code(0);
    let out = t.exec(&["sync"]);
    out.code(0);
    assert!(out.stdout.contains("1 sent now"), "{}", out.stdout);
}

#[test]
fn a_store_that_accepts_and_never_answers_is_unreachable_not_a_hang() {
    // A firewall or a stuck pooler: the connection is accepted, nothing ever comes back.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let url = format!("postgres://ops@127.0.0.1:{port}/runbook?sslmode=disable&connect_timeout=2");
    let t = Test::new()
        .file("runbooks/ship.yaml", RB)
        .env("RUNBOOK_STORE", &url)
        .env("PGPASSWORD", "x")
        .env("RUNBOOK_LEASE_SECONDS", "3");
    let out = t.exec(&["history", "--team"]);
    out.code(1);
    assert!(
        out.stderr.contains("no answer within 2 s"),
        "{}",
        out.stderr
    );
    // The run goes on, and says once, during the run, that the store does not answer.
    let out = t.exec(&["run", "ship", "--yes", "--input", "token=x"]);
    out.code(0);
    assert!(
        out.stderr.contains("does not have the whole run yet"),
        "{}",
        out.stderr
    );
    let out = t.exec(&["list"]);
    out.code(0);
    assert!(
        out.stderr.contains("this machine's runs only"),
        "{}",
        out.stderr
    );
}

#[test]
fn stats_name_the_hosts_where_a_step_failed() {
    let Some(pg) = Pg::start() else { return };
    let Some(fleet) = common::sshd::Fleet::start(2) else {
        return;
    };
    let t = team(&pg).file(
        "runbooks/fleet.yaml",
        r#"title: Fleet
owner: o
description: d
steps:
  - id: clear
    title: Clear
    on: [web-1, web-2]
    max_failures: 1
    run: '[ "$RUNBOOK_HOST" != web-2 ]'
"#,
    );
    t.exec(&["store", "migrate"]).code(0);
    let config = fleet.config();
    let config = config.to_str().unwrap();
    for _ in 0..2 {
        t.exec(&["--ssh-config", config, "run", "fleet", "--yes"])
            .code(0);
    }
    let team = t.exec(&["stats", "--json"]);
    team.code(0);
    let local = t.exec(&["stats", "--json", "--local"]);
    local.code(0);
    let a: serde_json::Value = serde_json::from_str(&team.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&local.stdout).unwrap();
    assert_eq!(a["runbooks"][0]["hosts"], b["runbooks"][0]["hosts"]);
    let hosts = a["runbooks"][0]["hosts"].as_array().unwrap();
    assert_eq!(hosts.len(), 1, "{}", team.stdout);
    assert_eq!(hosts[0]["host"], "web-2");
    assert_eq!(
        (hosts[0]["ran"].as_u64(), hosts[0]["failed"].as_u64()),
        (Some(2), Some(2))
    );
    let text = t.exec(&["stats"]);
    assert!(
        text.stdout.contains("clear › web-2 failed 2 of 2 times"),
        "{}",
        text.stdout
    );
}
