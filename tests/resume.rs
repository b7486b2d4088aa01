//! `runbook resume` and `runbook rollback`: runs rebuilt from their journals. Includes the
//! crash test: `runbook run` killed with SIGKILL at many moments, then resumed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::Duration;

fn records(t: &Test) -> Vec<Value> {
    common::run::journal(t)
}

fn run_id(t: &Test) -> String {
    records(t)[0]["run_id"].as_str().unwrap().to_string()
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
fn resume_goes_on_where_the_run_stopped_and_records_the_handover() {
    let t = Test::new()
        .file("runbooks/three.yaml", THREE)
        .file("answers.yaml", "pick: Go\n");
    let out = t.exec(&["run", "three", "--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("the run is left unfinished"),
        "{}",
        out.stderr
    );
    let out = t.exec(&["resume", "--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "one\ntwo\n"
    );
    let j = records(&t);
    assert_eq!(j.iter().filter(|e| e["event"] == "run_resumed").count(), 1);
    assert_eq!(j.last().unwrap()["status"], "succeeded");
    let out = t.exec(&["resume"]);
    out.code(2);
    assert!(out.stderr.contains("no such run"), "{}", out.stderr);
    let out = t.exec(&["resume", &run_id(&t)[..8]]);
    out.code(2);
    assert!(
        out.stderr.contains("already finished (succeeded)"),
        "{}",
        out.stderr
    );
}

#[test]
fn rollback_runs_completed_steps_newest_first() {
    let t = Test::new()
        .file("runbooks/three.yaml", THREE)
        .file("answers.yaml", "pick: Go\n")
        .file(
            "rollback.yaml",
            "one: {rollback: run}\ntwo: {rollback: run}\n",
        );
    t.exec(&["run", "three", "--yes", "--answers", "answers.yaml"])
        .code(0);
    let out = t.exec(&["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "one\ntwo\nundo-two\nundo-one\n"
    );
    let steps: Vec<String> = records(&t)
        .iter()
        .filter(|e| e["event"] == "rollback")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(steps, ["two", "one"]);
    // Rolled back once: nothing is left to roll back.
    let out = t.exec(&["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert!(
        out.stderr.contains("no completed step has a rollback left"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_changed_runbook_needs_accept_changed() {
    let t = Test::new()
        .file("runbooks/three.yaml", THREE)
        .file("answers.yaml", "pick: Go\n");
    t.exec(&["run", "three", "--yes"]).code(2);
    std::fs::write(
        t.path("runbooks/three.yaml"),
        THREE.replace("echo two >>", "echo TWO >>"),
    )
    .unwrap();
    let out = t.exec(&["resume", "--yes", "--answers", "answers.yaml"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("changed since the run started: steps edited: `two`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--accept-changed"), "{}", out.stderr);
    let out = t.exec(&[
        "resume",
        "--yes",
        "--answers",
        "answers.yaml",
        "--accept-changed",
    ]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "one\nTWO\n"
    );
    let resumed = records(&t)
        .into_iter()
        .find(|e| e["event"] == "run_resumed")
        .unwrap();
    assert!(resumed["sha256"].is_string());
}

#[test]
fn a_torn_last_line_is_repaired() {
    let t = Test::new()
        .file("runbooks/three.yaml", THREE)
        .file("answers.yaml", "pick: Go\n");
    t.exec(&["run", "three", "--yes"]).code(2);
    let runs = t.path(".state/runs");
    let run = std::fs::read_dir(&runs)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let journal = run.join("journal.jsonl");
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("{\"ts\":\"2026-11-25T00:00:00.000Z\",\"seq\":99,\"event\":\"step_sta");
    std::fs::write(&journal, text).unwrap();
    let out = t.exec(&["resume", "--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert!(out.stderr.contains("last line was torn"), "{}", out.stderr);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(
        text.lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok()),
        "{text}"
    );
}

#[test]
fn one_driver_at_a_time() {
    let t = Test::new().file(
        "runbooks/slow.yaml",
        "title: Slow\nowner: o\ndescription: d\nsteps:\n  - {id: wait, title: Wait, run: sleep 30}\n",
    );
    let mut first = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["run", "slow", "--yes"])
        .current_dir(t.dir.path())
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::fs::read_dir(t.path(".state/runs"))
        .map(|d| d.count())
        .unwrap_or(0)
        == 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the run did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let out = t.exec(&["resume"]);
    let _ = first.kill();
    let _ = first.wait();
    out.code(2);
    assert!(
        out.stderr.contains("is being driven by another process"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("pid {}", first.id())),
        "{}",
        out.stderr
    );
}

/// Kills `runbook run` with SIGKILL at many moments, resumes each time, and checks that the
/// run completes, that no step that had finished ran again, and that every line of the
/// journal is whole.
#[test]
fn crash_at_any_moment_then_resume() {
    let mut steps = String::new();
    for i in 1..=8 {
        steps.push_str(&format!(
            "  - id: s{i}\n    title: Step {i}\n    run: |\n      echo s{i} >> effects.log\n      for n in $(seq 200); do echo \"line $n of step {i}\"; done\n      sleep 0.02\n"
        ));
    }
    let runbook = format!("title: Crash\nowner: o\ndescription: d\nsteps:\n{steps}");
    let kills = 32;
    for k in 0..kills {
        let t = Test::new().file("runbooks/crash.yaml", &runbook);
        let mut child = Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(["run", "crash", "--yes"])
            .current_dir(t.dir.path())
            .env("RUNBOOK_STATE_DIR", t.path(".state"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the whole run (about 0.5 s here), a few at the very start.
        std::thread::sleep(Duration::from_millis(5 + k * 17));
        let _ = Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status();
        let _ = child.wait();
        if !t.path(".state/runs").exists()
            || std::fs::read_dir(t.path(".state/runs")).unwrap().count() == 0
        {
            continue; // killed before the run folder existed: nothing to resume
        }
        // Before the resume, the last line may be torn: only whole lines count here.
        let before: Vec<Value> = {
            let runs = t.path(".state/runs");
            let run = std::fs::read_dir(&runs)
                .unwrap()
                .flatten()
                .next()
                .unwrap()
                .path();
            let text = std::fs::read_to_string(run.join("journal.jsonl")).unwrap_or_default();
            text.lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()
        };
        if before.is_empty() {
            continue; // killed before the run's first event: the run never started
        }
        let finished_before = before.iter().any(|e| e["event"] == "run_finished");
        if !finished_before {
            // A command that runbook was forking when it was killed holds the run's lock
            // (inherited, closed on exec) until it has started: only a moment, which a loaded
            // machine stretches. Resume is refused meanwhile, as it must be.
            let mut out = t.exec(&["resume", "--yes"]);
            for _ in 0..100 {
                if !out.stderr.contains("is being driven by another process") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
                out = t.exec(&["resume", "--yes"]);
            }
            assert_eq!(
                out.code, 0,
                "kill {k}: resume failed\n{}\n{}",
                out.stdout, out.stderr
            );
        }
        let j = records_tolerant(&t);
        assert_eq!(j.last().unwrap()["status"], "succeeded", "kill {k}");
        let effects = std::fs::read_to_string(t.path("runbooks/effects.log")).unwrap_or_default();
        for i in 1..=8 {
            let id = format!("s{i}");
            let finished = j
                .iter()
                .filter(|e| e["event"] == "step_finished" && e["step"] == id.as_str())
                .count();
            assert_eq!(finished, 1, "kill {k}: step {id} finished {finished} times");
            let first_finish = j
                .iter()
                .position(|e| e["event"] == "step_finished" && e["step"] == id.as_str())
                .unwrap();
            let started_after = j[first_finish..]
                .iter()
                .any(|e| e["event"] == "step_started" && e["step"] == id.as_str());
            assert!(!started_after, "kill {k}: completed step {id} ran again");
            let starts = j
                .iter()
                .filter(|e| e["event"] == "step_started" && e["step"] == id.as_str())
                .count();
            let ran = effects.lines().filter(|l| *l == id).count();
            assert!(
                ran >= 1 && ran <= starts,
                "kill {k}: {id} ran {ran} times for {starts} starts"
            );
        }
    }
}

/// The journal's records; the test fails on any line that is not whole JSON.
fn records_tolerant(t: &Test) -> Vec<Value> {
    let runs = t.path(".state/runs");
    let run = std::fs::read_dir(&runs)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(run.join("journal.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}")))
        .collect()
}

#[test]
fn handover_records_who_drove_each_part() {
    let t = Test::new()
        .file("runbooks/three.yaml", THREE)
        .file("answers.yaml", "pick: Go\n");
    let run_as = |user: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(args)
            .current_dir(t.dir.path())
            .env("RUNBOOK_STATE_DIR", t.path(".state"))
            .env("USER", user)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    assert_eq!(
        run_as("alice", &["run", "three", "--yes"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run_as("bob", &["resume", "--yes", "--answers", "answers.yaml"])
            .status
            .code(),
        Some(0)
    );
    let j = records(&t);
    assert!(j[0]["operator"].as_str().unwrap().starts_with("alice@"));
    let resumed = j.iter().find(|e| e["event"] == "run_resumed").unwrap();
    assert!(
        resumed["operator"].as_str().unwrap().starts_with("bob@"),
        "{resumed}"
    );
}

#[test]
fn resume_and_rollback_keep_the_runbook_environment() {
    let rb = r#"title: Env
owner: o
description: d
inputs:
  target: {default: db-1}
env:
  TARGET: "{{ inputs.target }}"
steps:
  - id: one
    title: One
    env: {LOCAL: here}
    run: echo "one $TARGET $LOCAL" >> ran.log
    rollback: echo "undo $TARGET $LOCAL" >> ran.log
  - id: pick
    title: Pick
    choose:
      options: [{label: Go, next: two}, {label: Stop, next: end}]
  - {id: two, title: Two, run: echo "two $TARGET" >> ran.log}
"#;
    let t = Test::new()
        .file("runbooks/env.yaml", rb)
        .file("answers.yaml", "pick: Go\n")
        .file("rollback.yaml", "one: {rollback: run}\n");
    t.exec(&["run", "env", "--yes"]).code(2);
    t.exec(&["resume", "--yes", "--answers", "answers.yaml"])
        .code(0);
    t.exec(&["rollback", "--answers", "rollback.yaml"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "one db-1 here\ntwo db-1\nundo db-1 here\n"
    );
}
