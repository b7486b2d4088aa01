//! `runbook run` without a terminal, when things go wrong: failing commands answered by an
//! answers file (retry, skip, abort), waits that time out, commands that cannot start,
//! failing or vanished sub-runbooks, timeouts, and the processes a failed step leaves behind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;
use common::run::*;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The run's last `run_finished`.
fn run_finished(j: &[Value]) -> Value {
    events(j, "run_finished")
        .last()
        .map_or(Value::Null, |e| (*e).clone())
}

fn text<'a>(e: &'a Value, field: &str) -> &'a str {
    e[field].as_str().unwrap_or_default()
}

fn child(t: Test, body: &str) -> Test {
    t.file(
        "runbooks/child.yaml",
        &format!("title: Child\n{HEAD}{body}"),
    )
}

/// The pid a command wrote into a file of the runbook folder.
fn recorded_pid(t: &Test, name: &str) -> i32 {
    let path = t.path(&format!("runbooks/{name}"));
    let text = std::fs::read_to_string(&path).expect("the command recorded a pid");
    text.trim().parse().expect("a pid")
}

// ---------------------------------------------------------------------------------------
// 1. The answers file's `failure:` for a command that exits non-zero
// ---------------------------------------------------------------------------------------

#[test]
fn failure_skip_goes_on_and_journals_the_skip() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: bad, title: Bad, run: 'echo tried >> tried; exit 3'}\n  - {id: after, title: After, run: touch after}\n",
    )
    .file("answers.yaml", "bad: {failure: skip}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(0);
    // Run once, not retried; the next step ran.
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/tried")).unwrap_or_default(),
        "tried\n"
    );
    assert!(t.path("runbooks/after").exists(), "{}", out.stderr);
    let j = journal(&t);
    assert!(events(&j, "retry").is_empty());
    let done = step_events(&j, "command_finished", "bad");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["exit_code"], 3);
    assert_eq!(done[0]["outcome"], "exit 3");
    let bad = finished(&j, "bad");
    assert_eq!(bad["status"], "skipped", "{bad}");
    assert_eq!(bad["exit_code"], 3, "{bad}");
    assert!(text(&bad, "reason").contains("answers file"), "{bad}");
    assert_eq!(bad["next"], "after");
    assert_eq!(finished(&j, "after")["status"], "ok");
    assert_eq!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn failure_abort_ends_the_run_and_offers_the_rollbacks() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: prep, title: Prep, run: touch prepared, rollback: rm prepared}\n  - {id: bad, title: Bad, run: exit 4}\n  - {id: after, title: After, run: touch after}\n",
    )
    .file(
        "answers.yaml",
        "bad: {failure: abort}\nprep: {rollback: run}\n",
    );
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(1);
    assert!(!t.path("runbooks/after").exists());
    // The rollback of the completed step ran.
    assert!(!t.path("runbooks/prepared").exists(), "{}", out.stderr);
    assert!(out.stderr.contains("step `bad`"), "{}", out.stderr);
    let j = journal(&t);
    assert!(events(&j, "retry").is_empty());
    let bad = finished(&j, "bad");
    assert_eq!(bad["status"], "failed", "{bad}");
    assert_eq!(bad["exit_code"], 4, "{bad}");
    assert_eq!(bad["next"], "abort", "{bad}");
    assert_eq!(finished(&j, "after"), Value::Null);
    assert!(step_events(&j, "step_started", "after").is_empty());
    let rollbacks = events(&j, "rollback");
    assert_eq!(rollbacks.len(), 1, "{rollbacks:?}");
    assert_eq!(rollbacks[0]["step"], "prep");
    assert_eq!(rollbacks[0]["status"], "ok");
    let end = run_finished(&j);
    assert!(
        matches!(text(&end, "status"), "failed" | "aborted"),
        "{end}"
    );
    assert!(text(&end, "reason").contains("`bad`"), "{end}");
    assert_eq!(
        j.last().map(|e| e["event"].clone()),
        Some("run_finished".into())
    );
}

#[test]
fn failure_retry_runs_the_command_again_and_goes_on_when_it_succeeds() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: flaky\n    title: Flaky\n    run: |\n      echo attempt >> attempts\n      if [ -e marker ]; then echo second; else touch marker; exit 3; fi\n  - {id: after, title: After, run: touch after}\n",
    )
    .file("answers.yaml", "flaky: {failure: retry}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/attempts")).unwrap_or_default(),
        "attempt\nattempt\n"
    );
    assert!(t.path("runbooks/after").exists());
    let j = journal(&t);
    let retries = events(&j, "retry");
    assert_eq!(retries.len(), 1, "{retries:?}");
    assert_eq!(retries[0]["step"], "flaky");
    assert_eq!(retries[0]["attempt"], 2);
    assert_eq!(retries[0]["automatic"], false);
    let attempts: Vec<&Value> = step_events(&j, "command", "flaky")
        .iter()
        .map(|e| &e["attempt"])
        .collect();
    assert_eq!(attempts, [1, 2]);
    let codes: Vec<&Value> = step_events(&j, "command_finished", "flaky")
        .iter()
        .map(|e| &e["exit_code"])
        .collect();
    assert_eq!(codes, [3, 0]);
    // One step, finished once: ok.
    let ends = step_events(&j, "step_finished", "flaky");
    assert_eq!(ends.len(), 1, "{ends:?}");
    assert_eq!(ends[0]["status"], "ok");
    assert_eq!(ends[0]["exit_code"], 0);
    // The retry comes between the two commands.
    let order: Vec<&str> = j
        .iter()
        .filter(|e| e["step"] == "flaky")
        .filter(|e| matches!(text(e, "event"), "command" | "retry" | "command_finished"))
        .map(|e| text(e, "event"))
        .collect();
    assert_eq!(
        order,
        [
            "command",
            "command_finished",
            "retry",
            "command",
            "command_finished"
        ]
    );
    assert_eq!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn failure_retry_of_a_command_that_always_fails_retries_once_then_aborts() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: bad, title: Bad, run: 'echo attempt >> attempts; exit 5'}\n  - {id: after, title: After, run: touch after}\n",
    )
    .file("answers.yaml", "bad: {failure: retry}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(1);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/attempts")).unwrap_or_default(),
        "attempt\nattempt\n",
        "retried exactly once"
    );
    assert!(!t.path("runbooks/after").exists());
    let j = journal(&t);
    let retries = events(&j, "retry");
    assert_eq!(retries.len(), 1, "{retries:?}");
    assert_eq!(retries[0]["attempt"], 2);
    assert_eq!(retries[0]["automatic"], false);
    assert_eq!(step_events(&j, "command", "bad").len(), 2);
    let bad = finished(&j, "bad");
    assert_eq!(bad["status"], "failed", "{bad}");
    assert_eq!(bad["exit_code"], 5, "{bad}");
    assert_eq!(bad["next"], "abort", "{bad}");
    assert_eq!(finished(&j, "after"), Value::Null);
    let end = run_finished(&j);
    assert_ne!(end["status"], "succeeded", "{end}");
    assert!(text(&end, "reason").contains("`bad`"), "{end}");
}

// ---------------------------------------------------------------------------------------
// 2. A `wait` that times out
// ---------------------------------------------------------------------------------------

const NEVER: &str = "    wait: {run: 'echo 1 >> checks; echo 1', until: \"output == '2'\", interval: 200ms, timeout: 1s}\n";

#[test]
fn a_wait_that_times_out_with_on_failure_continue_goes_on() {
    let t = runbook(
        Test::new(),
        &format!(
            "steps:\n  - id: settle\n    title: Settle\n{NEVER}    on_failure: continue\n  - {{id: after, title: After, run: touch after}}\n"
        ),
    );
    let started = Instant::now();
    let out = run(&t, &["--yes"]);
    out.code(0);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(t.path("runbooks/after").exists(), "{}", out.stderr);
    let j = journal(&t);
    let settle = finished(&j, "settle");
    assert_eq!(settle["status"], "timeout", "{settle}");
    assert_eq!(settle["next"], "after", "{settle}");
    assert!(
        text(&settle, "reason").contains("output == '2'"),
        "{settle}"
    );
    // Polled more than once, every check journaled as a `wait` command.
    let checks = step_events(&j, "command", "settle");
    assert!(checks.len() >= 2, "{checks:?}");
    assert!(checks.iter().all(|c| c["purpose"] == "wait"), "{checks:?}");
    let written = std::fs::read_to_string(t.path("runbooks/checks")).unwrap_or_default();
    assert_eq!(written.lines().count(), checks.len());
    assert_eq!(finished(&j, "after")["status"], "ok");
    // A failure handled by `on_failure: continue` does not fail the run.
    assert_eq!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn a_wait_that_times_out_with_on_failure_abort_fails_the_run() {
    let t = runbook(
        Test::new(),
        &format!(
            "steps:\n  - id: settle\n    title: Settle\n{NEVER}    on_failure: abort\n  - {{id: after, title: After, run: touch after}}\n"
        ),
    );
    let out = run(&t, &["--yes"]);
    out.code(1);
    assert!(!t.path("runbooks/after").exists());
    assert!(out.stderr.contains("step `settle`"), "{}", out.stderr);
    let j = journal(&t);
    let settle = finished(&j, "settle");
    assert_eq!(settle["status"], "timeout", "{settle}");
    assert_eq!(settle["next"], "abort", "{settle}");
    assert!(step_events(&j, "step_started", "after").is_empty());
    let end = run_finished(&j);
    assert_eq!(end["status"], "failed", "{end}");
    assert!(text(&end, "reason").contains("`settle`"), "{end}");
}

#[test]
fn a_wait_that_times_out_can_be_skipped_by_the_answers_file() {
    let t = runbook(
        Test::new(),
        &format!(
            "steps:\n  - id: settle\n    title: Settle\n{NEVER}  - {{id: after, title: After, run: touch after}}\n"
        ),
    )
    .file("answers.yaml", "settle: {failure: skip}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert!(t.path("runbooks/after").exists(), "{}", out.stderr);
    let j = journal(&t);
    assert_eq!(finished(&j, "settle")["status"], "skipped");
    assert_eq!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn a_wait_that_times_out_has_waited_its_whole_timeout() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: settle\n    title: Settle\n    wait: {run: echo 1, until: \"output == '2'\", interval: 1s, timeout: 1s}\n    on_failure: continue\n",
    );
    run(&t, &["--yes"]).code(0);
    let j = journal(&t);
    let settle = finished(&j, "settle");
    assert_eq!(settle["status"], "timeout", "{settle}");
    let waited = settle["duration_ms"].as_u64().unwrap_or(0);
    assert!(
        waited >= 1000,
        "gave up after {waited} ms of a 1 s timeout: {settle}"
    );
}

#[test]
fn a_hanging_wait_check_is_ended_by_the_wait_timeout() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: settle\n    title: Settle\n    wait: {run: 'sleep 8; echo 1', until: \"output == '2'\", interval: 200ms, timeout: 1s}\n    on_failure: continue\n",
    );
    let started = Instant::now();
    run(&t, &["--yes"]).code(0);
    // The check (`sleep 8`) was cut short: not a timing figure, the end of the process.
    let took = started.elapsed();
    assert!(took < Duration::from_secs(7), "a 1 s wait took {took:?}");
    let j = journal(&t);
    assert_eq!(finished(&j, "settle")["status"], "timeout");
    let checks = step_events(&j, "command_finished", "settle");
    assert_eq!(checks.len(), 1, "{checks:?}");
    assert_eq!(checks[0]["outcome"], "timed out", "{}", checks[0]);
}

// ---------------------------------------------------------------------------------------
// 3. A command that cannot start
// ---------------------------------------------------------------------------------------

#[test]
fn a_missing_interpreter_fails_the_step_naming_it() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: interp\n    title: Interp\n    shell: [/nonexistent/interpreter, -c]\n    run: echo hi\n  - {id: after, title: After, run: touch after}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(1);
    assert!(!t.path("runbooks/after").exists());
    assert!(
        out.stderr.contains("step `interp` failed")
            && out.stderr.contains("/nonexistent/interpreter"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    let done = step_events(&j, "command_finished", "interp");
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0]["exit_code"], Value::Null, "{}", done[0]);
    let outcome = text(done[0], "outcome");
    assert!(
        outcome.starts_with("not started:") && outcome.contains("/nonexistent/interpreter"),
        "{outcome}"
    );
    let interp = finished(&j, "interp");
    assert_eq!(interp["status"], "failed", "{interp}");
    assert!(
        interp.get("exit_code").is_none_or(Value::is_null),
        "{interp}"
    );
    assert!(text(&interp, "reason").contains("not started"), "{interp}");
    assert_eq!(interp["next"], "abort");
    let end = run_finished(&j);
    assert_eq!(end["status"], "failed", "{end}");
    assert!(text(&end, "reason").contains("`interp`"), "{end}");
}

#[test]
fn a_missing_folder_fails_the_step_and_its_policy_is_followed() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: nodir, title: No folder, dir: no-such-folder, run: touch ran, on_failure: continue}\n  - {id: afile, title: A file, dir: plain, run: touch ran, on_failure: after}\n  - {id: skipped, title: Skipped, run: touch skipped}\n  - {id: after, title: After, run: touch after}\n",
    )
    .file("runbooks/plain", "not a folder\n");
    let out = run(&t, &["--yes"]);
    out.code(0);
    assert!(!t.path("runbooks/ran").exists());
    assert!(!t.path("runbooks/no-such-folder").exists());
    assert!(!t.path("runbooks/skipped").exists());
    assert!(t.path("runbooks/after").exists(), "{}", out.stderr);
    assert!(out.stderr.contains("no-such-folder"), "{}", out.stderr);
    let j = journal(&t);
    for (step, why) in [("nodir", "does not exist"), ("afile", "is not a folder")] {
        let done = step_events(&j, "command_finished", step);
        assert_eq!(done.len(), 1, "{done:?}");
        assert_eq!(done[0]["exit_code"], Value::Null);
        let outcome = text(done[0], "outcome");
        assert!(
            outcome.starts_with("not started:") && outcome.contains(why),
            "{outcome}"
        );
        let end = finished(&j, step);
        assert_eq!(end["status"], "failed", "{end}");
        assert!(text(&end, "reason").contains(why), "{end}");
    }
    assert_eq!(finished(&j, "nodir")["next"], "afile");
    assert_eq!(finished(&j, "afile")["next"], "after");
    assert_eq!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn a_command_that_cannot_start_is_retried_once_by_the_answers_file() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: interp, title: Interp, shell: [/nonexistent/interpreter], run: echo hi}\n",
    )
    .file("answers.yaml", "interp: {failure: retry}\n");
    run(&t, &["--yes", "--answers", "answers.yaml"]).code(1);
    let j = journal(&t);
    assert_eq!(events(&j, "retry").len(), 1);
    let outcomes: Vec<&str> = step_events(&j, "command_finished", "interp")
        .iter()
        .map(|e| text(e, "outcome"))
        .collect();
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert!(
        outcomes.iter().all(|o| o.starts_with("not started:")),
        "{outcomes:?}"
    );
}

// ---------------------------------------------------------------------------------------
// 4. Sub-runbooks that fail
// ---------------------------------------------------------------------------------------

const PARENT: &str = "steps:\n  - {id: sub, title: Sub, runbook: child}\n  - {id: after, title: After, run: touch after}\n";

#[test]
fn a_failing_sub_runbook_fails_the_parent_naming_the_childs_step() {
    let t = child(
        runbook(Test::new(), PARENT),
        "steps:\n  - {id: one, title: One, run: touch child-one, rollback: rm child-one}\n  - {id: boom, title: Boom, run: exit 7}\n  - {id: two, title: Two, run: touch child-two}\n",
    )
    .file("answers.yaml", "one: {rollback: run}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(1);
    assert!(!t.path("runbooks/child-two").exists());
    assert!(!t.path("runbooks/after").exists());
    // The child's completed step is rolled back with the parent's abort.
    assert!(!t.path("runbooks/child-one").exists(), "{}", out.stderr);
    assert!(
        out.stderr.contains("step `sub`") && out.stderr.contains("step `boom`"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    let within = serde_json::json!(["sub"]);
    let boom = finished(&j, "boom");
    assert_eq!(boom["within"], within, "{boom}");
    assert_eq!(boom["status"], "failed", "{boom}");
    assert_eq!(boom["exit_code"], 7, "{boom}");
    assert_eq!(finished(&j, "two"), Value::Null);
    let sub = finished(&j, "sub");
    assert_eq!(sub.get("within"), None, "{sub}");
    assert_eq!(sub["status"], "failed", "{sub}");
    assert!(text(&sub, "reason").contains("`boom`"), "{sub}");
    assert_eq!(sub["next"], "abort", "{sub}");
    assert_eq!(finished(&j, "after"), Value::Null);
    let rollbacks = events(&j, "rollback");
    assert_eq!(rollbacks.len(), 1, "{rollbacks:?}");
    assert_eq!(rollbacks[0]["step"], "one");
    assert_eq!(rollbacks[0]["status"], "ok");
    let end = run_finished(&j);
    assert_eq!(end["status"], "failed", "{end}");
    assert_eq!(end.get("within"), None, "{end}");
    assert!(
        text(&end, "reason").contains("`sub`") && text(&end, "reason").contains("`boom`"),
        "{end}"
    );
}

#[test]
fn a_failing_sub_runbook_with_on_failure_continue_lets_the_parent_go_on() {
    let t = child(
        runbook(
            Test::new(),
            "steps:\n  - {id: sub, title: Sub, runbook: child, on_failure: continue}\n  - {id: after, title: After, run: touch after}\n",
        ),
        "steps:\n  - {id: boom, title: Boom, run: exit 7}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    assert!(t.path("runbooks/after").exists(), "{}", out.stderr);
    let j = journal(&t);
    assert_eq!(finished(&j, "boom")["status"], "failed");
    let sub = finished(&j, "sub");
    assert_eq!(sub["status"], "failed", "{sub}");
    assert_eq!(sub["next"], "after", "{sub}");
    assert_eq!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn a_sub_runbook_that_no_longer_exists_fails_its_step() {
    // Lint refuses a missing sub-runbook before the run, so it goes away during the run.
    let t = child(
        runbook(
            Test::new(),
            "steps:\n  - {id: del, title: Delete, run: rm child.yaml}\n  - {id: sub, title: Sub, runbook: child}\n  - {id: after, title: After, run: touch after}\n",
        ),
        "steps:\n  - {id: c, title: C, run: touch child-ran}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(1);
    assert!(!t.path("runbooks/child-ran").exists());
    assert!(!t.path("runbooks/after").exists());
    assert!(
        out.stderr.contains("step `sub`") && out.stderr.contains("`child`"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    assert!(
        j.iter().all(|e| e.get("within").is_none()),
        "no step of the child ran"
    );
    let sub = finished(&j, "sub");
    assert_eq!(sub["status"], "failed", "{sub}");
    assert!(text(&sub, "reason").contains("`child`"), "{sub}");
    assert_eq!(finished(&j, "after"), Value::Null);
    let end = run_finished(&j);
    assert_eq!(end["status"], "failed", "{end}");
    assert!(text(&end, "reason").contains("`sub`"), "{end}");

    // Without it, lint stops the run before it starts.
    let t = runbook(Test::new(), PARENT);
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(out.stderr.contains("RB022"), "{}", out.stderr);
    assert!(journals(&t).is_empty());
}

#[test]
fn a_sub_runbook_broken_during_the_run_fails_its_step_and_can_be_skipped() {
    let t = child(
        runbook(
            Test::new(),
            "steps:\n  - {id: break, title: Break, run: \"printf 'title: [oops\\\\n' > child.yaml\"}\n  - {id: sub, title: Sub, runbook: child}\n  - {id: after, title: After, run: touch after}\n",
        ),
        "steps:\n  - {id: c, title: C, run: touch child-ran}\n",
    )
    .file("answers.yaml", "sub: {failure: skip}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/child.yaml")).unwrap_or_default(),
        "title: [oops\n"
    );
    assert!(!t.path("runbooks/child-ran").exists());
    assert!(t.path("runbooks/after").exists(), "{}", out.stderr);
    assert!(out.stderr.contains("child.yaml"), "{}", out.stderr);
    let j = journal(&t);
    let sub = finished(&j, "sub");
    assert_eq!(sub["status"], "skipped", "{sub}");
    assert_eq!(finished(&j, "after")["status"], "ok");
}

// ---------------------------------------------------------------------------------------
// 5. No process left behind
// ---------------------------------------------------------------------------------------

const LEAVES_A_SLEEPER: &str =
    "    run: |\n      sleep 300 &\n      echo $! > pid\n      echo $$ > pgid\n";

#[test]
fn no_process_is_left_behind_after_an_abort() {
    let t = runbook(
        Test::new(),
        &format!(
            "steps:\n  - id: bad\n    title: Bad\n{LEAVES_A_SLEEPER}      exit 1\n  - {{id: after, title: After, run: touch after}}\n"
        ),
    )
    .file("answers.yaml", "bad: {failure: abort}\n");
    let started = Instant::now();
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    let (pid, pgid) = (recorded_pid(&t, "pid"), recorded_pid(&t, "pgid"));
    let left = group_members(pgid);
    let sleeper = alive(pid);
    kill_leftovers(&[pid]);
    kill_leftovers(&left);
    out.code(1);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(!sleeper, "the background `sleep` {pid} is still running");
    assert!(left.is_empty(), "processes left behind: {left:?}");
    assert!(!t.path("runbooks/after").exists());
    let j = journal(&t);
    assert_eq!(finished(&j, "bad")["exit_code"], 1);
    assert_ne!(run_finished(&j)["status"], "succeeded");
}

#[test]
fn no_process_is_left_behind_after_a_timeout() {
    let t = runbook(
        Test::new(),
        &format!(
            "steps:\n  - id: hang\n    title: Hang\n{LEAVES_A_SLEEPER}      sleep 300\n    timeout: 1s\n"
        ),
    );
    let started = Instant::now();
    let out = run(&t, &["--yes"]);
    let (pid, pgid) = (recorded_pid(&t, "pid"), recorded_pid(&t, "pgid"));
    let left = group_members(pgid);
    let sleeper = alive(pid);
    kill_leftovers(&[pid, pgid]);
    kill_leftovers(&left);
    out.code(1);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(!sleeper, "the background `sleep` {pid} is still running");
    assert!(!alive(pgid), "the command's shell {pgid} is still running");
    assert!(left.is_empty(), "processes left behind: {left:?}");
    let j = journal(&t);
    assert_eq!(finished(&j, "hang")["status"], "timeout");
}

// ---------------------------------------------------------------------------------------
// 6. A command's timeout
// ---------------------------------------------------------------------------------------

#[test]
fn a_command_timeout_is_journaled_as_timeout_with_no_exit_code() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: hang, title: Hang, run: 'echo started; sleep 300', timeout: 1s}\n  - {id: after, title: After, run: touch after}\n",
    );
    let started = Instant::now();
    let out = run(&t, &["--yes"]);
    out.code(1);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(!t.path("runbooks/after").exists());
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);
    assert!(out.stderr.contains("step `hang`"), "{}", out.stderr);
    let j = journal(&t);
    let done = step_events(&j, "command_finished", "hang");
    assert_eq!(done.len(), 1, "{done:?}");
    assert_eq!(done[0]["exit_code"], Value::Null, "{}", done[0]);
    assert_eq!(done[0]["outcome"], "timed out", "{}", done[0]);
    let ms = done[0]["duration_ms"].as_u64().unwrap_or(0);
    assert!((1000..2500).contains(&ms), "ran {ms} ms");
    // What it printed before the timeout is kept.
    let tail = step_events(&j, "output_tail", "hang");
    assert_eq!(tail[0]["tail"], "started\n");
    let hang = finished(&j, "hang");
    assert_eq!(hang["status"], "timeout", "{hang}");
    assert!(hang.get("exit_code").is_none_or(Value::is_null), "{hang}");
    assert!(text(&hang, "reason").contains("timed out"), "{hang}");
    let end = run_finished(&j);
    assert_eq!(end["status"], "failed", "{end}");
    assert!(
        text(&end, "reason").contains("`hang`") && text(&end, "reason").contains("timed out"),
        "{end}"
    );
}

#[test]
fn a_command_timeout_with_retries_is_retried_and_continue_goes_on() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: hang\n    title: Hang\n    run: 'echo x >> attempts; sleep 300'\n    timeout: 1s\n    retries: 1\n    retry_delay: 100ms\n    on_failure: continue\n  - {id: after, title: After, run: touch after}\n",
    );
    let started = Instant::now();
    let out = run(&t, &["--yes"]);
    out.code(0);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/attempts")).unwrap_or_default(),
        "x\nx\n"
    );
    assert!(t.path("runbooks/after").exists());
    let j = journal(&t);
    let retries = events(&j, "retry");
    assert_eq!(retries.len(), 1);
    assert_eq!(retries[0]["automatic"], true);
    let outcomes: Vec<&str> = step_events(&j, "command_finished", "hang")
        .iter()
        .map(|e| text(e, "outcome"))
        .collect();
    assert_eq!(outcomes, ["timed out", "timed out"]);
    let hang = finished(&j, "hang");
    assert_eq!(hang["status"], "timeout", "{hang}");
    assert_eq!(hang["next"], "after", "{hang}");
    assert_eq!(run_finished(&j)["status"], "succeeded");
}
