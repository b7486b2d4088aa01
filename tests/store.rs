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
    let out = t.exec(&["store", "migrate"]);
    out.code(0);
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
    assert_eq!(pg.count("SELECT count(*) FROM runbook.migrations"), 1);
    let out = t.exec(&["store", "status"]);
    out.code(0);
    assert!(out.stdout.contains("schema   version 1"), "{}", out.stdout);
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
        "title: Outage\nowner: team\ndescription: d\nsteps:\n  - id: before\n    title: Before\n    run: echo before\n  - id: kill\n    title: Kill the store\n    run: {ctl} --mode=immediate --wait stop\n  - id: during\n    title: During\n    run: echo during; sleep 1\n  - id: back\n    title: Bring it back\n    run: {ctl} --log {} --wait -o '-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off' start >/dev/null\n  - id: after\n    title: After\n    run: sleep 3; echo after\n",
        pg.path().join("postgres.log").display(),
        pg.port,
        pg.path().display()
    );
    let t = team(&pg).file("runbooks/outage.yaml", &rb);
    t.exec(&["store", "migrate"]).code(0);
    let out = t.exec(&["run", "outage", "--yes"]);
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
