//! What hand-translated real runbooks broke (issue 11): each test failed before its fix.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;
use common::run::*;

const LOOP: &str = r#"steps:
  - id: check
    title: Check
    run: echo checking
  - id: purge
    title: Purge
    run: echo purged
    dangerous: true
    confirm: purge it
  - id: again
    title: Again?
    choose:
      options:
        - {label: again, next: check}
        - {label: done, next: end}
"#;

#[test]
fn answers_given_in_advance_answer_one_visit_not_a_loop() {
    let t = runbook(Test::new(), LOOP).file("answers.yaml", "again: again\n");
    for mode in [&[][..], &["--dry-run"][..]] {
        let mut args = vec!["--yes", "--confirm", "purge", "--answers", "answers.yaml"];
        args.extend_from_slice(mode);
        let out = run(&t, &args);
        out.code(2);
        assert!(
            out.stderr
                .contains("step `check` comes again (visit 2 in this run)"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("does not come back to `check`"),
            "{}",
            out.stderr
        );
    }
    // Each command ran (or was shown) once per run, never twice.
    for j in journals(&t) {
        assert_eq!(step_events(&j, "step_started", "purge").len(), 1);
        assert_eq!(step_events(&j, "step_started", "check").len(), 2);
    }
}

#[test]
fn a_drill_stops_at_the_second_visit() {
    let t = runbook(Test::new(), LOOP).file("answers.yaml", "again: again\n");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"));
    let out = cmd
        .args([
            "drill",
            "rb",
            "--yes",
            "--confirm",
            "purge",
            "--answers",
            "answers.yaml",
        ])
        .current_dir(t.dir.path())
        .env_remove("RUNBOOK_PATH")
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("comes again"), "{stderr}");
}

#[test]
fn max_visits_must_be_a_count() {
    let t = runbook(
        Test::new(),
        "max_visits: 0\nsteps:\n  - id: a\n    title: A\n    run: echo a\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(out.stderr.contains("max_visits"), "{}", out.stderr);
}
