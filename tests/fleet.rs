//! Steps on several hosts (`on:`), against real OpenSSH servers on 127.0.0.1: values arrive as
//! data, batches and failure thresholds, a retry of the failed hosts only, a host that is
//! down or whose key is unknown, a timeout that leaves nothing running on the host, dry-runs
//! and drills. The "hosts" are sshd instances of this machine, so what a step does there can
//! be seen here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;
use common::run::*;
use common::sshd::Fleet;
use serde_json::Value;

fn fleet_runbook(t: Test, body: &str) -> Test {
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let text = format!(
        "title: Fleet\nowner: t\ndescription: d\nenv:\n  OUT: {}\n{body}",
        out.display()
    );
    t.file("runbooks/rb.yaml", &text)
}

fn run_on(t: &Test, fleet: &Fleet, extra: &[&str]) -> common::Output {
    let config = fleet.config();
    let mut args = vec!["--ssh-config", config.to_str().unwrap(), "run", "rb"];
    args.extend_from_slice(extra);
    t.exec(&args)
}

/// `runbook rollback` of the last run, answered by `answers.yaml`.
fn rollback_on(t: &Test, fleet: &Fleet) -> common::Output {
    let config = fleet.config();
    t.exec(&[
        "--ssh-config",
        config.to_str().unwrap(),
        "rollback",
        "--answers",
        "answers.yaml",
    ])
}

fn hosts_of<'a>(j: &'a [Value], kind: &str) -> Vec<(&'a str, u64)> {
    events(j, kind)
        .into_iter()
        .map(|e| {
            (
                e["host"].as_str().unwrap_or(""),
                e["attempt"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Waits (up to `secs`) until no process matches `pattern` (`pgrep -f`): what a step left
/// running on a "host", which is this machine.
fn none_left(pattern: &str, secs: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let left = std::process::Command::new("pgrep")
            .args(["-f", pattern])
            .output()
            .unwrap();
        if left.stdout.is_empty() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "left running on a host: {}",
            String::from_utf8_lossy(&left.stdout)
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// `runbook run rb --yes` started in the background, its stderr piped.
/// Runs `runbook run rb --yes` in the background; its ssh control sockets (and so the names
/// of its multiplexed connections' processes) are under `t.path("run")`.
fn spawn_run(t: &Test, fleet: &Fleet) -> std::process::Child {
    let config = fleet.config();
    std::fs::create_dir_all(t.path("run")).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args([
            "--ssh-config",
            config.to_str().unwrap(),
            "run",
            "rb",
            "--yes",
        ])
        .current_dir(t.dir.path())
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .env("XDG_RUNTIME_DIR", t.path("run"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (up to 20 s) until every file exists.
fn wait_for(files: &[std::path::PathBuf]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !files.iter().all(|f| f.exists()) {
        assert!(
            std::time::Instant::now() < deadline,
            "never appeared: {files:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn values_arrive_as_data_on_every_host() {
    let Some(fleet) = Fleet::start(3) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"inputs:
  v: {description: a value}
steps:
  - id: write
    title: Write the value on each host
    on: [web-1, web-2, web-3]
    run: |
      printf '%s' "{{ inputs.v }}" > "$OUT/$RUNBOOK_HOST"
      printf '%s %s' "$RUNBOOK_STEP" "${RUNBOOK_RUN_ID:+set}" > "$OUT/$RUNBOOK_HOST.env"
"#,
    );
    let marks = t.path("marks");
    std::fs::create_dir_all(&marks).unwrap();
    let m = marks.display();
    for value in [
        format!("a'b\"c $(touch {m}/1) `touch {m}/2` ; touch {m}/3"),
        format!("-n\nsecond line\\ $HOME ${{x}} '$(touch {m}/4)'"),
        "plain".to_string(),
    ] {
        let o = run_on(&t, &fleet, &["--yes", "--input", &format!("v={value}")]);
        o.code(0);
        for host in ["web-1", "web-2", "web-3"] {
            let got = std::fs::read_to_string(t.path("out").join(host)).unwrap();
            assert_eq!(got, value, "{host}");
            let env = std::fs::read_to_string(t.path("out").join(format!("{host}.env"))).unwrap();
            assert_eq!(env, "write set");
        }
        assert_eq!(std::fs::read_dir(&marks).unwrap().count(), 0, "{value:?}");
        // Each host's lines behind its name, and a table at the end.
        assert!(o.stderr.contains("on 3 hosts"), "{}", o.stderr);
        assert!(o.stderr.contains("host "), "{}", o.stderr);
    }
}

#[test]
fn a_failed_host_stops_the_next_batch_and_a_retry_runs_only_the_failed_ones() {
    let Some(fleet) = Fleet::start(3) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: restart
    title: Restart one host at a time
    on: [web-1, web-2, web-3]
    serial: 1
    on_failure: abort
    run: |
      echo "restarting on $RUNBOOK_HOST"
      [ "$RUNBOOK_HOST" != web-2 ]
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    let j = journal(&t);
    assert_eq!(
        hosts_of(&j, "host_started"),
        [("web-1", 1), ("web-2", 1)],
        "web-3 is in the next batch: never started"
    );
    let ended: Vec<(&str, &str)> = events(&j, "host_finished")
        .into_iter()
        .map(|e| (e["host"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(ended, [("web-1", "ok"), ("web-2", "failed")]);
    assert!(
        o.stdout.contains("web-1 restarting on web-1"),
        "{}",
        o.stdout
    );
    assert!(o.stderr.contains("not started"), "{}", o.stderr);

    // The failure menu's retry runs web-2 and web-3, not web-1 again.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: restart
    title: Restart one host at a time
    on: [web-1, web-2, web-3]
    serial: 1
    run: |
      if [ "$RUNBOOK_HOST" = web-2 ] && [ ! -e "$OUT/again" ]; then touch "$OUT/again"; exit 1; fi
      echo ok
"#,
    )
    .file("answers.yaml", "restart: {failure: retry}\n");
    let o = run_on(&t, &fleet, &["--yes", "--answers", "answers.yaml"]);
    o.code(0);
    let j = journal(&t);
    assert_eq!(
        hosts_of(&j, "host_started"),
        [("web-1", 1), ("web-2", 1), ("web-2", 2), ("web-3", 1)],
        "each host's attempt counts its own tries: web-3's first comes with web-2's second"
    );
    assert_eq!(finished(&j, "restart")["status"], "ok");
}

#[test]
fn max_failures_lets_the_others_run() {
    let Some(fleet) = Fleet::start(3) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: clear
    title: Clear the cache
    on: [web-1, web-2, web-3]
    concurrency: 1
    max_failures: "34%"
    run: '[ "$RUNBOOK_HOST" != web-1 ]'
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    let j = journal(&t);
    assert_eq!(hosts_of(&j, "host_started").len(), 3);
    assert!(o.stderr.contains("within max_failures (1)"), "{}", o.stderr);
}

#[test]
fn a_host_that_is_down_or_unknown_fails_alone() {
    let Some(fleet) = Fleet::start(1) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: check
    title: Check
    on: [web-1, down-1, stranger-1]
    max_failures: 2
    run: touch "$OUT/$RUNBOOK_HOST"
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert!(t.path("out/web-1").exists());
    assert!(
        !t.path("out/stranger-1").exists(),
        "an unknown host key is never accepted"
    );
    assert!(o.stderr.contains("cannot reach down-1"), "{}", o.stderr);
    assert!(
        o.stderr.contains("the host key of stranger-1 is not known"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_timeout_leaves_no_process_on_the_host() {
    let Some(fleet) = Fleet::start(1) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: hang
    title: Hang
    on: [web-1]
    timeout: 2s
    on_failure: abort
    run: |
      sh -c 'trap "" TERM; sleep 7319' &
      sleep 7321
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("timed out"), "{}", o.stderr);
    // The host's script and its children are ended (TERM, then KILL two seconds later),
    // even one that ignores TERM.
    none_left("sleep 73(19|21)", 8);
}

#[test]
fn a_dry_run_shows_the_batches_and_a_drill_plays_every_host() {
    // No server: nothing is reached in either.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: roll
    title: Roll
    on: "{{ inputs.hosts }}"
    serial: "50%"
    run: touch "$OUT/$RUNBOOK_HOST"
    simulate: {stdout: "restarted\n"}
inputs:
  hosts: {description: hosts, default: "web-1\nweb-2\nweb-3"}
"#,
    );
    let o = t.exec(&["run", "rb", "--dry-run", "--yes"]);
    o.code(0);
    assert!(o.stderr.contains("on 3 hosts in 2 batches"), "{}", o.stderr);
    assert!(o.stderr.contains("batch 1: web-1 web-2"), "{}", o.stderr);
    assert!(o.stderr.contains("batch 2: web-3"), "{}", o.stderr);
    assert_eq!(std::fs::read_dir(t.path("out")).unwrap().count(), 0);

    let o = t.exec(&["drill", "rb", "--yes"]);
    o.code(0);
    for host in ["web-1", "web-2", "web-3"] {
        assert!(
            o.stdout.contains(&format!("{host} restarted")),
            "{host}: {}",
            o.stdout
        );
    }
    assert_eq!(std::fs::read_dir(t.path("out")).unwrap().count(), 0);
}

#[test]
fn an_inventory_names_groups_and_a_wrong_name_is_refused() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"inventory: hosts.ini
steps:
  - id: touch
    title: Touch
    on: web
    run: touch "$OUT/$RUNBOOK_HOST"
"#,
    )
    .file("runbooks/hosts.ini", "[web]\nweb-1\nweb-2\n\n[db]\ndb-1\n");
    run_on(&t, &fleet, &["--yes"]).code(0);
    assert!(t.path("out/web-1").exists() && t.path("out/web-2").exists());

    let t = fleet_runbook(
        Test::new(),
        r#"inventory: hosts.ini
steps:
  - id: touch
    title: Touch
    on: [wbe]
    on_failure: abort
    run: touch "$OUT/$RUNBOOK_HOST"
"#,
    )
    .file("runbooks/hosts.ini", "[web]\nweb-1\nweb-2\n");
    // Written in the runbook: lint finds it, and the run does not start.
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("`wbe` in `on:` of step `touch` is neither a host nor a group"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("did you mean `web`"), "{}", o.stderr);
    // Given when the run starts: the step fails, naming it, and nothing runs anywhere.
    let t = fleet_runbook(
        Test::new(),
        r#"inventory: hosts.ini
inputs:
  group: {description: the group}
steps:
  - id: touch
    title: Touch
    on: "{{ inputs.group }}"
    on_failure: abort
    run: touch "$OUT/$RUNBOOK_HOST"
"#,
    )
    .file("runbooks/hosts.ini", "[web]\nweb-1\nweb-2\n");
    let o = run_on(&t, &fleet, &["--yes", "--input", "group=wbe"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr
            .contains("`wbe` in `on:` is neither a host nor a group"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("did you mean `web`"), "{}", o.stderr);
    assert_eq!(std::fs::read_dir(t.path("out")).unwrap().count(), 0);
    // With no inventory, a host name written from a value holds only a name's characters
    // (audit 28 H-7: ssh hands it to a `%h` that a shell may run).
    let t = fleet_runbook(
        Test::new(),
        r#"inputs:
  host: {description: the host}
steps:
  - id: touch
    title: Touch
    on: "{{ inputs.host }}"
    run: touch "$OUT/$RUNBOOK_HOST"
"#,
    );
    let o = run_on(&t, &fleet, &["--yes", "--input", "host=web-1$(id)"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr.contains(
            "`on:` of step `touch` names the host `web-1$(id)`, written from a value, which holds `$`"
        ),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read_dir(t.path("out")).unwrap().count(), 0);
}

#[test]
fn a_rollback_runs_on_the_hosts_where_the_step_completed_newest_first() {
    let Some(fleet) = Fleet::start(3) else {
        return;
    };
    let body = r#"steps:
  - id: drain
    title: Drain
    on: [web-1, web-2, web-3]
    serial: 1
    max_failures: 1
    run: '[ "$RUNBOOK_HOST" != web-2 ]'
    rollback: echo "$RUNBOOK_HOST" >> "$OUT/undone"
  - id: boom
    title: Boom
    run: exit 1
    on_failure: abort
"#;
    let t = fleet_runbook(Test::new(), body).file("answers.yaml", "drain: {rollback: run}\n");
    let o = run_on(&t, &fleet, &["--yes", "--answers", "answers.yaml"]);
    assert_ne!(o.code, 0);
    // web-2 failed (within max_failures): nothing to undo there; web-3 ended last.
    let undone = std::fs::read_to_string(t.path("out/undone")).unwrap();
    assert_eq!(undone, "web-3\nweb-1\n", "{}", o.stderr);
    let j = journal(&t);
    let hosts: Vec<&str> = events(&j, "rollback")
        .into_iter()
        .map(|e| e["host"].as_str().unwrap_or("here"))
        .collect();
    assert_eq!(hosts, ["web-3", "web-1"]);

    // `runbook rollback` of a past run does the same, from the journal.
    let t = fleet_runbook(Test::new(), body);
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_ne!(o.code, 0);
    assert!(!t.path("out/undone").exists(), "no answer: no rollback");
    let t2 = t.file("answers.yaml", "drain: {rollback: run}\n");
    rollback_on(&t2, &fleet).code(0);
    let undone = std::fs::read_to_string(t2.path("out/undone")).unwrap();
    assert_eq!(undone, "web-3\nweb-1\n", "{}", o.stderr);
}

#[test]
fn resume_after_sigkill_runs_only_the_hosts_that_did_not_finish() {
    let Some(fleet) = Fleet::start(3) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: roll
    title: Roll
    on: [web-1, web-2, web-3]
    serial: 1
    run: |
      echo "$RUNBOOK_HOST" >> "$OUT/ran"
      if [ "$RUNBOOK_HOST" = web-2 ] && [ ! -e "$OUT/slept" ]; then touch "$OUT/slept"; sleep 7333; fi
"#,
    );
    let config = fleet.config();
    let mut child = spawn_run(&t, &fleet);
    wait_for(&[t.path("out/slept")]);
    child.kill().unwrap();
    child.wait().unwrap();
    // The host's command ends with the connection, though runbook could not end it.
    none_left("sleep 7333", 10);
    let o = t.exec(&["--ssh-config", config.to_str().unwrap(), "resume", "--yes"]);
    o.code(0);
    assert!(o.stderr.contains("not run again: web-1"), "{}", o.stderr);
    let ran = std::fs::read_to_string(t.path("out/ran")).unwrap();
    assert_eq!(ran, "web-1\nweb-2\nweb-2\nweb-3\n");
    let j = journal(&t);
    let started: Vec<&str> = events(&j, "host_started")
        .into_iter()
        .map(|e| e["host"].as_str().unwrap())
        .collect();
    assert_eq!(started, ["web-1", "web-2", "web-2", "web-3"]);
    assert_eq!(finished(&j, "roll")["status"], "ok");
}

#[test]
fn confirm_batches_asks_before_each_batch_after_the_first() {
    let body = |dangerous: bool| {
        format!(
            r#"steps:
  - id: roll
    title: Roll
    on: [web-1, web-2, web-3]
    serial: 1
    confirm_batches: true
    dangerous: {dangerous}
    rollback: echo undo
    run: echo restart
    simulate: {{stdout: "restarted\n"}}
"#
        )
    };
    let t = fleet_runbook(Test::new(), &body(false));
    let o = t.exec(&["drill", "rb", "--yes"]);
    o.code(0);
    assert!(o.stderr.contains("batch 2 of 3: web-2"), "{}", o.stderr);
    assert!(o.stderr.contains("batch 3 of 3: web-3"), "{}", o.stderr);

    // An answers file may stop after the canary (`batches: stop`), or go on (`go`).
    let t2 = fleet_runbook(Test::new(), &body(false))
        .file("answers.yaml", "roll: {batches: stop, failure: abort}\n");
    let o = t2.exec(&["drill", "rb", "--yes", "--answers", "answers.yaml"]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("stopped by the operator before batch 2"),
        "{}",
        o.stderr
    );
    // A dangerous step: `--yes` neither confirms it nor starts its batches.
    let t = fleet_runbook(Test::new(), &body(true));
    let o = t.exec(&["drill", "rb", "--yes"]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    let o = t.exec(&["drill", "rb", "--yes", "--confirm", "roll"]);
    o.code(0);
    assert!(o.stderr.contains("dangerous, on 3 hosts"), "{}", o.stderr);
    assert!(o.stderr.contains("batch 3 of 3: web-3"), "{}", o.stderr);
}

#[test]
fn a_drill_plays_a_partial_failure_from_per_host_results() {
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: roll
    title: Roll
    on: [web-1, web-2, web-3]
    serial: 1
    run: sudo systemctl restart app
    simulate:
      default: {stdout: "restarted\n"}
      hosts:
        web-2:
          - {exit: 1, stderr: "Job for app.service failed\n"}
          - {stdout: "restarted at last\n"}
"#,
    )
    .file("answers.yaml", "roll: {failure: retry}\n");
    let o = t.exec(&["drill", "rb", "--yes", "--answers", "answers.yaml"]);
    o.code(0);
    assert!(
        o.stdout.contains("web-2 Job for app.service failed"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("web-2 restarted at last"), "{}", o.stdout);
    let j = journal(&t);
    assert_eq!(
        hosts_of(&j, "host_started"),
        [("web-1", 1), ("web-2", 1), ("web-2", 2), ("web-3", 1)],
        "web-3 waits for web-2's batch; the retry runs web-2 (its second try) and web-3 (its first)"
    );
    // `expect.stdout` holds on each host; a drill reaches no host, even with a config
    // that does not exist.
    let t2 = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: health
    title: Health
    on: [web-1, web-2]
    max_failures: 1
    run: curl -fsS localhost/health
    expect: {stdout: '^healthy'}
    simulate: {default: {stdout: "healthy\n"}, hosts: {web-2: {stdout: "unhealthy\n"}}}
"#,
    );
    let o = t2.exec(&[
        "--ssh-config",
        "/nonexistent/ssh_config",
        "drill",
        "rb",
        "--yes",
    ]);
    o.code(0);
    assert!(
        o.stderr
            .contains("web-2 the output does not match `^healthy`"),
        "{}",
        o.stderr
    );
    // Results for a host the step does not name are never played: lint says so.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: roll
    title: Roll
    on: [web-1]
    run: "true"
    simulate: {hosts: {web-9: {exit: 1}}}
"#,
    );
    let o = t.exec(&["lint", "runbooks/rb.yaml", "--no-shellcheck"]);
    assert!(o.stdout.contains("results for `web-9`"), "{}", o.stdout);
}

#[test]
fn ctrl_c_and_sigterm_end_the_commands_on_every_host() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    for (signal, marker) in [("INT", "7341"), ("TERM", "7343")] {
        let t = fleet_runbook(
            Test::new(),
            &format!(
                r#"steps:
  - id: hang
    title: Hang
    on: [web-1, web-2]
    run: |
      touch "$OUT/$RUNBOOK_HOST"
      sleep {marker}
"#
            ),
        );
        let child = spawn_run(&t, &fleet);
        wait_for(&[t.path("out/web-1"), t.path("out/web-2")]);
        std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_ne!(out.status.code(), Some(0), "{signal}");
        none_left(&format!("sleep {marker}"), 10);
        // Nor ssh's multiplexed connections (they would linger for ControlPersist).
        none_left(&t.path("run").display().to_string(), 5);
        let j = journal(&t);
        assert_eq!(events(&j, "host_finished").len(), 2, "{signal}: {j:?}");
        assert_eq!(
            events(&j, "run_finished")
                .last()
                .map(|e| e["status"].as_str().unwrap_or("")),
            Some("interrupted"),
            "{signal}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn capture_on_hosts_gives_a_map_from_host_to_value() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: version
    title: Read the version on each host
    on: [web-1, web-2]
    run: echo "version=7.$RUNBOOK_HOST"
    capture: {var: version, pattern: 'version=(\S+)'}
  - id: show
    title: Use one
    run: printf '%s\n' "{{ vars.version['web-2'] }}" > "$OUT/one"
  - id: each
    title: Use each
    for_each: "{{ vars.version | list | join('\n') }}"
    run: printf '%s=%s\n' "{{ item }}" "{{ vars.version[item] }}" >> "$OUT/all"
"#,
    );
    run_on(&t, &fleet, &["--yes"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("out/one")).unwrap(),
        "7.web-2\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.path("out/all")).unwrap(),
        "web-1=7.web-1\nweb-2=7.web-2\n"
    );
    let j = journal(&t);
    let set = events(&j, "var_set");
    assert_eq!(set[0]["map"], true);
    // A host whose output does not match fails, saying why.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: version
    title: Read the version on each host
    on: [web-1, web-2]
    max_failures: 1
    run: '[ "$RUNBOOK_HOST" = web-1 ] && echo version=1 || echo nothing'
    capture: {var: version, pattern: 'version=(\S+)'}
  - id: show
    title: Use it
    run: printf '%s %s' "{{ vars.version | length }}" "{{ vars.version['web-1'] }}" > "$OUT/json"
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert!(
        o.stderr
            .contains("web-2 the output does not match the capture pattern"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read_to_string(t.path("out/json")).unwrap(), "1 1");
}

#[test]
fn values_and_secrets_never_stand_in_a_command_line_on_the_host() {
    let Some(fleet) = Fleet::start(1) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"inputs:
  token: {description: a token, secret: true, env: FLEET_TOKEN}
  v: {description: a value}
steps:
  - id: use
    title: Use them
    on: [web-1]
    run: |
      touch "$OUT/started"
      sleep 3
      [ "$FLEET_TOKEN" = s3cr3t-7411 ] && [ "{{ inputs.v }}" = visible-7412 ]
"#,
    );
    let child = {
        let config = fleet.config();
        std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args([
                "--ssh-config",
                config.to_str().unwrap(),
                "run",
                "rb",
                "--yes",
            ])
            .args(["--input", "v=visible-7412"])
            .current_dir(t.dir.path())
            .env("NO_COLOR", "1")
            .env("FLEET_TOKEN", "s3cr3t-7411")
            .env("RUNBOOK_STATE_DIR", t.path(".state"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    wait_for(&[t.path("out/started")]);
    // Every process's command line on the "host" (this machine) is readable by any user.
    for needle in ["s3cr3t-7411", "visible-7412"] {
        let seen = std::process::Command::new("pgrep")
            .args(["-af", needle])
            .output()
            .unwrap();
        let seen = String::from_utf8_lossy(&seen.stdout).to_string();
        // (But runbook's own, here, given `--input` by the test.)
        assert!(
            !seen
                .lines()
                .any(|l| !l.contains("pgrep") && !l.contains("--ssh-config")),
            "{needle} in a command line: {seen}"
        );
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_failed_canary_batch_still_offers_the_rollback_where_it_ran() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: roll
    title: Roll
    on: [web-1, web-2]
    serial: 1
    on_failure: abort
    run: '[ "$RUNBOOK_HOST" != web-2 ]'
    rollback: echo "$RUNBOOK_HOST" >> "$OUT/undone"
"#,
    )
    .file("answers.yaml", "roll: {rollback: run}\n");
    let o = run_on(&t, &fleet, &["--yes", "--answers", "answers.yaml"]);
    assert_ne!(o.code, 0);
    assert_eq!(
        std::fs::read_to_string(t.path("out/undone")).unwrap_or_default(),
        "web-1\n",
        "{}",
        o.stderr
    );
}

#[test]
fn a_wait_checks_every_host_until_each_is_ready() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: ready
    title: Wait for every host
    on: [web-1, web-2]
    wait:
      run: |
        n=$(cat "$OUT/n-$RUNBOOK_HOST" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo "$n" > "$OUT/n-$RUNBOOK_HOST"
        if [ "$RUNBOOK_HOST" = web-1 ] || [ "$n" -ge 3 ]; then echo yes; else echo no; fi
      until: output == "yes"
      interval: 1s
      timeout: 30s
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert!(
        o.stderr
            .contains("condition met on every host after 3 checks"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("still waiting for web-2 (no)"),
        "{}",
        o.stderr
    );
    // A host where it holds is not checked again.
    assert_eq!(
        std::fs::read_to_string(t.path("out/n-web-1")).unwrap(),
        "1\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.path("out/n-web-2")).unwrap(),
        "3\n"
    );
    let j = journal(&t);
    let checks = step_events(&j, "command", "ready");
    assert_eq!(checks.len(), 4, "web-1 once, web-2 three times");
    assert!(checks.iter().all(|c| c["purpose"] == "wait"));
}

#[test]
fn a_wait_checks_its_hosts_at_once() {
    let Some(fleet) = Fleet::start(3) else {
        return;
    };
    // Each host's check says yes only once every host's check has started: checked one
    // after the other, the first would never see the others and the wait would fail.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: together
    title: Wait for every host, checked together
    on: [web-1, web-2, web-3]
    wait:
      run: |
        touch "$OUT/at-$RUNBOOK_HOST"
        for _ in $(seq 100); do
          [ -e "$OUT/at-web-1" ] && [ -e "$OUT/at-web-2" ] && [ -e "$OUT/at-web-3" ] && { echo yes; exit 0; }
          sleep 0.1
        done
        echo alone
      until: output == "yes"
      interval: 1s
      timeout: 40s
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert!(
        o.stderr
            .contains("condition met on every host after 1 check"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_progress_bar_on_a_host_shows_its_last_drawing() {
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: pull
    title: Pull
    on: [web-1]
    run: docker pull app
    simulate: {stdout: "10%\r50%\r100% done\n"}
"#,
    );
    let o = t.exec(&["drill", "rb", "--yes"]);
    o.code(0);
    assert!(o.stdout.contains("web-1 100% done"), "{}", o.stdout);
    assert!(
        !o.stdout.contains("x0d") && !o.stdout.contains('\r'),
        "{:?}",
        o.stdout
    );
}

#[test]
fn a_bad_timeout_fails_the_step_before_any_host_is_reached() {
    let t = fleet_runbook(
        Test::new(),
        r#"inputs:
  t: {description: how long}
steps:
  - id: roll
    title: Roll
    on: [web-1]
    timeout: "{{ inputs.t }}"
    on_failure: abort
    run: touch "$OUT/$RUNBOOK_HOST"
    simulate: {stdout: "ok\n"}
"#,
    );
    let o = t.exec(&["drill", "rb", "--yes", "--input", "t=soon"]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("timeout"), "{}", o.stderr);
    assert!(!o.stdout.contains("web-1 ok"), "{}", o.stdout);
}

#[test]
fn retries_run_a_failed_host_again_by_itself_and_only_that_host() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    // web-2 fails its first try; its retry (after `retry_delay`) passes. web-1 runs once.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: flaky
    title: Flaky on web-2
    on: [web-1, web-2]
    retries: 2
    retry_delay: 1s
    run: |
      echo x >> "$OUT/tries-$RUNBOOK_HOST"
      [ "$RUNBOOK_HOST" = web-1 ] || [ "$(wc -l < "$OUT/tries-$RUNBOOK_HOST")" -ge 2 ]
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert!(
        o.stderr.contains("web-2 retry 1 of 2 in 1.0 s"),
        "{}",
        o.stderr
    );
    for (host, tries) in [("web-1", "x\n"), ("web-2", "x\nx\n")] {
        assert_eq!(
            std::fs::read_to_string(t.path(&format!("out/tries-{host}"))).unwrap(),
            tries
        );
    }
    let j = journal(&t);
    assert_eq!(
        hosts_of(&j, "host_started"),
        [("web-1", 1), ("web-2", 1), ("web-2", 2)]
    );
    let retry = events(&j, "retry");
    assert_eq!(retry.len(), 1);
    assert_eq!(retry[0]["host"], "web-2");
    assert_eq!(retry[0]["automatic"], true);
    assert_eq!(retry[0]["attempt"], 2);
    assert_eq!(finished(&j, "flaky")["status"], "ok");
    // The report says which host was retried.
    let report = t.exec(&["report"]);
    assert!(
        report.stdout.contains("automatic retry on web-2"),
        "{}",
        report.stdout
    );

    // A host that fails every try fails once its retries are spent, and the others are not
    // run again.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: broken
    title: Broken on web-2
    on: [web-1, web-2]
    retries: 1
    retry_delay: 0s
    on_failure: continue
    run: |
      echo x >> "$OUT/tries-$RUNBOOK_HOST"
      [ "$RUNBOOK_HOST" = web-1 ]
"#,
    );
    run_on(&t, &fleet, &["--yes"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("out/tries-web-2")).unwrap(),
        "x\nx\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.path("out/tries-web-1")).unwrap(),
        "x\n"
    );
    let j = journal(&t);
    assert_eq!(finished(&j, "broken")["status"], "failed");
    let ends: Vec<(&str, &str)> = events(&j, "host_finished")
        .iter()
        .map(|e| (e["host"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert!(
        ends.contains(&("web-2", "failed")) && ends.contains(&("web-1", "ok")),
        "{ends:?}"
    );
    assert_eq!(ends.len(), 3, "{ends:?}");
}

#[test]
fn a_drill_retries_a_host_through_its_simulated_results() {
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: roll
    title: Roll
    on: [web-1, web-2]
    retries: 1
    retry_delay: 0s
    run: sudo systemctl restart app
    simulate:
      default: {stdout: "restarted\n"}
      hosts:
        web-2:
          - {exit: 1, stderr: "Job for app.service failed\n"}
          - {stdout: "restarted at last\n"}
"#,
    );
    let o = t.exec(&["drill", "rb", "--yes"]);
    o.code(0);
    assert!(o.stdout.contains("web-2 restarted at last"), "{}", o.stdout);
    let j = journal(&t);
    assert_eq!(
        hosts_of(&j, "host_started"),
        [("web-1", 1), ("web-2", 1), ("web-2", 2)]
    );
}

#[test]
fn a_duration_on_hosts_is_their_success_and_leaves_nothing_running() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: soak
    title: Let the load run for two seconds on each host
    on: [web-1, web-2]
    duration: 2s
    run: |
      echo "load started on $RUNBOOK_HOST"
      sleep 7331
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    let j = journal(&t);
    let ends = events(&j, "host_finished");
    assert_eq!(ends.len(), 2);
    for e in ends {
        assert_eq!(e["status"], "ok", "{e}");
        assert!(
            e["outcome"]
                .as_str()
                .unwrap()
                .contains("planned `duration`"),
            "{e}"
        );
    }
    assert_eq!(finished(&j, "soak")["status"], "ok");
    // The end table says that each host's command ran as planned, not that it timed out.
    let table: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.contains("  web-") && l.contains(" s "))
        .collect();
    assert_eq!(table.len(), 2, "{}", o.stderr);
    for row in table {
        assert!(row.contains(" done ") && !row.contains("timeout"), "{row}");
        assert!(row.contains("load started on web-"), "{row}");
    }
    none_left("sleep 7331", 8);
}

#[test]
fn dir_is_a_folder_on_each_host_and_failures_say_what_the_host_said() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"dir: /nonexistent/local/folder
steps:
  - id: where
    title: Work in the folder on each host
    on: [web-1, web-2]
    dir: "{{ env.OUT }}"
    run: |
      pwd > "$OUT/pwd-$RUNBOOK_HOST"
      if [ "$RUNBOOK_HOST" = web-2 ]; then
        echo "pool web-2 is exhausted: 41 of 40 in use"
        echo "checked the pool" >&2
        exit 3
      fi
    rollback: pwd > "$OUT/rollback-pwd-$RUNBOOK_HOST"
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    let out = t.path("out");
    for host in ["web-1", "web-2"] {
        assert_eq!(
            std::fs::read_to_string(out.join(format!("pwd-{host}"))).unwrap(),
            format!(
                "{}
",
                out.display()
            )
        );
    }
    // The failed host's row says its own last line, not only `exit 3`.
    let row = o
        .stderr
        .lines()
        .find(|l| l.contains("  web-2  3 "))
        .unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(row.contains("checked the pool"), "{row}");
    // The rollback runs in that folder too.
    let t = t.file("answers.yaml", "where: {rollback: run}\n");
    rollback_on(&t, &fleet).code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("rollback-pwd-web-1")).unwrap(),
        format!(
            "{}
",
            out.display()
        )
    );
    // A folder that is not on the host fails the host, saying so.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: where
    title: Work in a folder that is not there
    on: [web-1]
    dir: /nonexistent/remote/folder
    run: touch "$OUT/ran"
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr
            .contains("/nonexistent/remote/folder: No such file or directory"),
        "{}",
        o.stderr
    );
    assert!(!t.path("out/ran").exists());
}

#[test]
fn a_failing_check_on_hosts_says_its_exit_and_stderr() {
    let Some(fleet) = Fleet::start(1) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: ready
    title: Wait for the replica
    on: [web-1]
    wait:
      run: |
        echo "psql: connection refused on $RUNBOOK_HOST" >&2
        exit 2
      until: output == "yes"
      interval: 1s
      timeout: 2s
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr
            .contains("web-1 (exit 2: psql: connection refused on web-1)"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_secret_captured_on_hosts_is_masked_everywhere_and_reaches_later_steps() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: token
    title: Read each host's token
    on: [web-1, web-2]
    run: |
      s=Zq8
      echo "tok-$RUNBOOK_HOST-${s}sW2"
      echo "made tok-$RUNBOOK_HOST-${s}sW2 just now" >&2
    capture: {var: token, secret: true}
  - id: use
    title: Use web-2's token
    env: {TOKEN: "{{ vars.token['web-2'] }}"}
    run: printf '%s\n' "$TOKEN" > "$OUT/token"
"#,
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("out/token")).unwrap(),
        "tok-web-2-Zq8sW2\n"
    );
    // The captured stream is never shown; the other one is shown as it comes (the value is
    // not known until the host's command ends), and the screen says so.
    assert_eq!(o.stdout.matches("Zq8sW2").count(), 2, "{}", o.stdout);
    assert!(
        o.stdout.contains("web-1 made tok-web-1-Zq8sW2 just now"),
        "{}",
        o.stdout
    );
    assert!(!o.stderr.contains("Zq8sW2"), "{}", o.stderr);
    assert!(o.stderr.contains("not shown or kept"), "{}", o.stderr);
    assert!(
        o.stderr.contains("masked in its log and the journal"),
        "{}",
        o.stderr
    );
    let kept = all_text(&t.path(".state"));
    assert!(!kept.contains("Zq8sW2"), "a secret in the state folder");
    assert!(
        kept.contains("made *** just now"),
        "the other stream, masked"
    );
    let j = journal(&t);
    let set = events(&j, "var_set");
    assert_eq!(set[0]["secret"], true);
    assert_eq!(set[0]["map"], true);
}

#[test]
fn a_secret_printed_by_a_try_that_failed_is_masked_in_its_log_and_tail() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let folder = Test::new();
    let dir = folder.path("").display().to_string();
    let t = fleet_runbook(
        folder,
        &format!(
            r#"steps:
  - id: token
    title: Read each host's token
    on: [web-1, web-2]
    dir: "{dir}"
    retries: 1
    retry_delay: 1s
    run: |
      echo x >> "tries-$RUNBOOK_HOST"
      s=Kp4
      echo "tok-$RUNBOOK_HOST-${{s}}mN7"
      echo "made tok-$RUNBOOK_HOST-${{s}}mN7" >&2
      [ "$RUNBOOK_HOST" != web-2 ] || [ "$(wc -l < "tries-$RUNBOOK_HOST")" -ge 2 ] || exit 6
    capture: {{var: token, secret: true}}
"#
        ),
    );
    let o = run_on(&t, &fleet, &["--yes"]);
    o.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("tries-web-2")).unwrap(),
        "x\nx\n"
    );
    // web-2's first try failed after printing its token: that try's log and tail are masked
    // as the successful one's are.
    let kept = all_text(&t.path(".state"));
    assert!(!kept.contains("Kp4mN7"), "a secret in the state folder");
    let j = journal(&t);
    let failed: Vec<&Value> = events(&j, "host_finished")
        .into_iter()
        .filter(|e| e["host"] == "web-2" && e["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{j:?}");
    assert_eq!(failed[0]["tail"], "made ***\n", "{:?}", failed[0]);
}

#[test]
fn outputs_and_interactive_on_hosts_are_refused_before_anything_runs() {
    for (key, run, said) in [
        (
            "outputs: [version]",
            "touch \"$OUT/ran\"",
            "`outputs` cannot come back from other hosts",
        ),
        (
            "interactive: true",
            "touch \"$OUT/ran\"",
            "`interactive: true` cannot run on other hosts",
        ),
        (
            "timeout: 1m",
            "touch \"$OUT/ran\"; echo V=1 >> \"$RUNBOOK_ENV\"",
            "`$RUNBOOK_ENV` and `$RUNBOOK_OUTPUT` are not set on other hosts",
        ),
        (
            "rollback: echo V=1 >> \"$RUNBOOK_ENV\"",
            "touch \"$OUT/ran\"",
            "`$RUNBOOK_ENV` and `$RUNBOOK_OUTPUT` are not set on other hosts",
        ),
        (
            "secret_env: [TOKEN]",
            "touch \"$OUT/ran\"",
            "`secret_env` names what the command writes to `$RUNBOOK_ENV`",
        ),
        (
            "wait: {until: output == \"x\", timeout: 5s}",
            "",
            "`$RUNBOOK_ENV` and `$RUNBOOK_OUTPUT` are not set on other hosts",
        ),
    ] {
        // The last case is a wait whose check writes to `$RUNBOOK_ENV`.
        let step = if run.is_empty() {
            "steps:\n  - id: read\n    title: Read\n    on: [web-1]\n    wait:\n      run: 'touch \"$OUT/ran\"; echo V=1 >> \"$RUNBOOK_ENV\"'\n      until: output == \"x\"\n      timeout: 5s\n".to_string()
        } else {
            format!(
                "steps:\n  - id: read\n    title: Read\n    on: [web-1]\n    {key}\n    run: '{}'\n",
                run.replace('\'', "''")
            )
        };
        let t = fleet_runbook(Test::new(), &step);
        let lint = t.exec(&["lint", "runbooks/rb.yaml"]);
        assert!(lint.stdout.contains(said), "{}", lint.stdout);
        let o = t.exec(&["--ssh-config", "/nonexistent", "run", "rb", "--yes"]);
        assert_ne!(o.code, 0);
        assert!(o.stderr.contains(said), "{}", o.stderr);
        assert!(!t.path("out/ran").exists());
    }
}

#[test]
fn a_resume_says_that_secrets_captured_before_it_are_lost() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: token
    title: Read each host's token
    on: [web-1, web-2]
    serial: 1
    capture: {var: token, secret: true}
    run: |
      s=Kp4
      echo "tok-$RUNBOOK_HOST-${s}vR9"
      if [ "$RUNBOOK_HOST" = web-2 ] && [ ! -e "$OUT/slept" ]; then touch "$OUT/slept"; sleep 7351; fi
  - id: use
    title: Use web-2's token
    on_failure: abort
    env: {TOKEN: "{{ vars.token['web-2'] }}"}
    run: printf '%s\n' "$TOKEN" > "$OUT/token"
"#,
    );
    let config = fleet.config();
    let mut child = spawn_run(&t, &fleet);
    wait_for(&[t.path("out/slept")]);
    child.kill().unwrap();
    child.wait().unwrap();
    none_left("sleep 7351", 10);
    let o = t.exec(&["--ssh-config", config.to_str().unwrap(), "resume", "--yes"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr
            .contains("vars.token is a secret captured before this resume on web-1"),
        "{}",
        o.stderr
    );
    // The step that needs it fails rather than running with a masked value.
    assert!(!t.path("out/token").exists());
    assert!(!all_text(&t.path(".state")).contains("Kp4vR9"));
}

#[test]
fn ctrl_c_during_a_retry_delay_or_a_wait_on_hosts_ends_the_run_there() {
    let Some(fleet) = Fleet::start(2) else {
        return;
    };
    // A host waiting 30 s for its retry: SIGINT ends the run, the retry never starts.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: flaky
    title: Fails on web-2
    on: [web-1, web-2]
    retries: 3
    retry_delay: 30s
    run: |
      touch "$OUT/$RUNBOOK_HOST"
      [ "$RUNBOOK_HOST" = web-1 ]
"#,
    );
    let child = spawn_run(&t, &fleet);
    wait_for(&[t.path("out/web-1"), t.path("out/web-2")]);
    // Until the failure is journaled and the retry waits.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while journals(&t)
        .first()
        .is_none_or(|j| events(j, "retry").is_empty())
    {
        assert!(std::time::Instant::now() < deadline, "no retry journaled");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    none_left(&t.path("run").display().to_string(), 5);
    let j = journal(&t);
    assert_eq!(
        hosts_of(&j, "host_started"),
        [("web-1", 1), ("web-2", 1)],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let end = events(&j, "run_finished");
    assert_eq!(
        end.last().map(|e| e["status"].clone()),
        Some("interrupted".into())
    );

    // A wait whose checks hang on the hosts: SIGINT ends the checks and the run.
    let t = fleet_runbook(
        Test::new(),
        r#"steps:
  - id: ready
    title: Wait for the hosts
    on: [web-1, web-2]
    wait:
      run: |
        touch "$OUT/$RUNBOOK_HOST"
        sleep 7361
      until: output == "yes"
      interval: 1s
      timeout: 5m
"#,
    );
    let child = spawn_run(&t, &fleet);
    wait_for(&[t.path("out/web-1"), t.path("out/web-2")]);
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    none_left("sleep 7361", 10);
    none_left(&t.path("run").display().to_string(), 5);
    let j = journal(&t);
    assert_eq!(
        events(&j, "run_finished")
            .last()
            .map(|e| e["status"].clone()),
        Some("interrupted".into()),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
