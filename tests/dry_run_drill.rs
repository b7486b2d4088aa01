//! `runbook run --dry-run` and `runbook drill`: the same walk, nothing touched.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;
use serde_json::Value;

const RUNBOOK: &str = r#"title: Practice
owner: team
description: Dry-run and drill.
steps:
  - id: look
    title: Look
    readonly: true
    run: touch looked; echo 7
    capture: count
    simulate: {stdout: "42\n"}
  - id: change
    title: Change
    run: touch changed; echo "count was {{ vars.count }}"
    when: vars.count | int > 10
    simulate: {stdout: "changed\n"}
  - id: pick
    title: Pick
    choose:
      options:
        - {label: Restart, next: restart}
        - {label: Leave it, next: end}
  - id: restart
    title: Restart
    run: touch restarted
    dangerous: true
    confirm: restart it
  - id: flaky
    title: Flaky
    run: touch flaky; exit 1
    simulate: {stderr: "connection refused\n", exit: 2}
    on_failure: continue
"#;

fn journal(t: &Test) -> Vec<Value> {
    let runs = t.path(".state/runs");
    let mut dirs: Vec<_> = std::fs::read_dir(&runs)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    let last = dirs.last().unwrap();
    std::fs::read_to_string(last.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn step_status(j: &[Value], step: &str) -> Option<String> {
    j.iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == step)
        .and_then(|e| e["status"].as_str().map(str::to_string))
}

fn touched(t: &Test, name: &str) -> bool {
    t.path(&format!("runbooks/{name}")).exists()
}

#[test]
fn dry_run_touches_nothing_and_shows_placeholders() {
    let t = Test::new()
        .file("runbooks/practice.yaml", RUNBOOK)
        .file("answers.yaml", "pick: Restart\n");
    let out = t.exec(&[
        "run",
        "practice",
        "--dry-run",
        "--yes",
        "--answers",
        "answers.yaml",
    ]);
    out.code(0);
    for f in ["looked", "changed", "restarted", "flaky"] {
        assert!(!touched(&t, f), "{f} ran in a dry-run");
    }
    assert!(
        out.stderr.contains("DRY-RUN: nothing is executed"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("a real run needs the phrase `restart it`"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    assert_eq!(j[0]["mode"], "dry-run");
    // `when: vars.count | int > 10` cannot be known from a placeholder: the step is shown.
    assert!(
        out.stderr.contains("cannot be known in a dry-run"),
        "{}",
        out.stderr
    );
    assert_eq!(step_status(&j, "change").as_deref(), Some("ok"));
    assert_eq!(step_status(&j, "restart").as_deref(), Some("ok"));
    // The summary never counts a step that was only shown as run.
    assert!(
        out.stderr.contains("0 ran   ⤼ 4 not run (dry-run)"),
        "{}",
        out.stderr
    );
}

#[test]
fn dry_run_can_run_readonly_steps_for_real() {
    let t = Test::new()
        .file("runbooks/practice.yaml", RUNBOOK)
        .file("answers.yaml", "pick: 2\n");
    let out = t.exec(&[
        "run",
        "practice",
        "--dry-run",
        "--allow-readonly",
        "--yes",
        "--answers",
        "answers.yaml",
    ]);
    out.code(0);
    assert!(touched(&t, "looked"), "the readonly step should run");
    assert!(!touched(&t, "changed") && !touched(&t, "flaky"));
    assert!(out.stdout.contains("7"), "{}", out.stdout);
    assert!(out.stderr.contains("1 ran"), "{}", out.stderr);
}

#[test]
fn drills_play_simulated_outputs_and_count_branches() {
    let t = Test::new()
        .file("runbooks/practice.yaml", RUNBOOK)
        .file("answers.yaml", "pick: Restart\n");
    let out = t.exec(&[
        "drill",
        "practice",
        "--yes",
        "--answers",
        "answers.yaml",
        "--confirm",
        "restart",
    ]);
    out.code(0);
    for f in ["looked", "changed", "restarted", "flaky"] {
        assert!(!touched(&t, f), "{f} ran in a drill");
    }
    assert!(
        out.stderr.contains("echo \"count was 42\""),
        "simulated capture reaches later steps: {}",
        out.stderr
    );
    assert!(out.stdout.contains("connection refused"), "{}", out.stdout);
    assert!(out.stderr.contains("DRILL: outputs are simulated"));
    assert!(
        out.stderr
            .contains("no `simulate`, treated as succeeded: restart"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 of 2 walked in 1 drill"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    assert_eq!(j[0]["mode"], "drill");
    assert_eq!(step_status(&j, "change").as_deref(), Some("ok"));
    assert_eq!(step_status(&j, "flaky").as_deref(), Some("failed"));

    std::fs::write(t.path("answers.yaml"), "pick: Leave it\n").unwrap();
    let out = t.exec(&["drill", "practice", "--yes", "--answers", "answers.yaml"]);
    let stderr = out.stderr;
    assert!(stderr.contains("2 of 2 walked in 2 drills"), "{stderr}");
}

#[test]
fn a_drill_needs_the_phrase_like_a_real_run() {
    let t = Test::new()
        .file("runbooks/practice.yaml", RUNBOOK)
        .file("answers.yaml", "pick: Restart\n");
    let out = t.exec(&["drill", "practice", "--yes", "--answers", "answers.yaml"]);
    out.code(2);
    assert!(
        out.stderr.contains("step `restart` is dangerous"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_dry_run_with_yes_answers_an_ask_with_a_stand_in_and_says_so() {
    let t = Test::new().file(
        "runbooks/ask.yaml",
        r#"title: Ask
owner: team
description: An ask in a dry-run.
steps:
  - id: which
    title: Which database
    ask: {var: db, prompt: Database to promote, pattern: '^db-[0-9]+$'}
    run: touch promoted; echo "promote {{ vars.db }}"
  - id: zone
    title: Which zone
    ask: {var: zone, prompt: Zone, choices: [eu, us]}
    run: echo "zone {{ vars.zone }}"
  - id: size
    title: Size
    ask: {var: size, prompt: Size, default: "3"}
    run: echo "size {{ vars.size }}"
"#,
    );
    let out = t.exec(&["run", "ask", "--dry-run", "--yes"]);
    out.code(0);
    assert!(!touched(&t, "promoted"));
    // No default: a stand-in that names the value (not checked against the pattern), said.
    assert!(
        out.stderr.contains(
            "no `default` for `vars.db`: with --yes, this dry-run uses `dry-run-db` unless an answer is given"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("echo \"promote dry-run-db\""),
        "{}",
        out.stderr
    );
    // Choices: the first; a default: the default, with nothing said.
    assert!(out.stderr.contains("echo \"zone eu\""), "{}", out.stderr);
    assert!(out.stderr.contains("echo \"size 3\""), "{}", out.stderr);
    assert!(!out.stderr.contains("`vars.size`"), "{}", out.stderr);
    // An answer given is taken, and checked.
    let t = t.file("answers.yaml", "which: db-7\n");
    let out = t.exec(&[
        "run",
        "ask",
        "--dry-run",
        "--yes",
        "--answers",
        "answers.yaml",
    ]);
    out.code(0);
    assert!(
        out.stderr.contains("echo \"promote db-7\""),
        "{}",
        out.stderr
    );
    let t = t.file("answers.yaml", "which: primary\n");
    let out = t.exec(&[
        "run",
        "ask",
        "--dry-run",
        "--yes",
        "--answers",
        "answers.yaml",
    ]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    // A real run with --yes has no stand-in: it needs the answer.
    let out = t.exec(&["run", "ask", "--yes"]);
    assert_ne!(out.code, 0);
    assert!(!touched(&t, "promoted"));
    assert!(
        out.stderr.contains("there is no terminal to ask on"),
        "{}",
        out.stderr
    );
}
