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

#[test]
fn secrets_made_during_the_run_are_masked_from_that_moment() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: login
    title: Log in
    run: "printf 'user=ops\ntoken=%s\n' \"$(echo UzNjcjN0VG9rZW5WYWx1ZQ== | base64 -d)\"; echo 'on stderr' >&2"
    capture: {var: token, pattern: 'token=(\S+)', secret: true}
  - id: make
    title: Make credentials
    run: |
      echo "AWS_SECRET_ACCESS_KEY=$(echo QUtJQXNlY3JldGtleTEyMw== | base64 -d)" >> "$RUNBOOK_ENV"
      echo "password=$(echo cHctZ2VuZXJhdGVkLTQy | base64 -d)" >> "$RUNBOOK_OUTPUT"
      echo "region=eu-west-1" >> "$RUNBOOK_OUTPUT"
    secret_env: [AWS_SECRET_ACCESS_KEY]
    outputs: [{name: password, secret: true}, region]
  - id: print
    title: Make and print a secret
    run: |
      k=$(echo c2Vzc2lvbi1zZWNyZXQtOTk= | base64 -d)
      echo "SESSION=$k" >> "$RUNBOOK_ENV"
      echo "the session is $k"
    secret_env: [SESSION]
  - id: stderr-token
    title: A token on stderr, echoed on stdout
    run: |
      t=$(echo Y2FwdHVyZWQtdG9rLTc3 | base64 -d)
      echo "token=$t" >&2
      echo "stdout mentions $t"
    capture: {var: tok, from: stderr, pattern: 'token=(\S+)', secret: true}
  - id: keys
    title: Make two keys
    run: |
      printf 'keys<<END\n%s\n%s\nEND\n' "$(echo a2V5LWFscGhhLTAx | base64 -d)" "$(echo a2V5LWJldGEtMDI= | base64 -d)" >> "$RUNBOOK_OUTPUT"
    outputs: [{name: keys, secret: true}]
  - id: each-key
    title: Use each key
    for_each: "{{ vars.keys }}"
    run: echo "using {{ item }}" | head -1
  - id: first-line
    title: Print the first key alone
    env: {KEYS: "{{ vars.keys }}"}
    run: echo "$KEYS" | head -1
  - id: use
    title: Use them
    env: {TOKEN: "{{ vars.token }}", PASSWORD: "{{ vars.password }}"}
    run: |
      printf '%s %s %s\n' "$TOKEN" "$AWS_SECRET_ACCESS_KEY" "$PASSWORD" > got
      echo "token is $TOKEN, key is $AWS_SECRET_ACCESS_KEY, password is $PASSWORD, region {{ vars.region }}"
"#,
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    // The values are real where the steps use them...
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/got")).unwrap(),
        "S3cr3tTokenValue AKIAsecretkey123 pw-generated-42\n"
    );
    // ...and nowhere else: not on screen, not in the journal, not in the output logs.
    let kept = all_text(&t.path(".state"));
    // A secret the step printed as it made it was on the screen, but is masked in its log
    // and the journal.
    assert!(
        !kept.contains("session-secret-99"),
        "the made secret was kept"
    );
    assert!(kept.contains("the session is ***"), "its output was lost");
    // A secret captured from stderr and printed on stdout; a secret of several lines printed
    // a line at a time, or looped over.
    for secret in ["captured-tok-77", "key-alpha-01", "key-beta-02"] {
        assert!(!kept.contains(secret), "{secret} kept in the state folder");
        assert!(
            !out.stderr.contains(secret),
            "{secret} on the screen: {}",
            out.stderr
        );
    }
    assert!(
        out.stderr.contains("it is masked in the log and journal"),
        "{}",
        out.stderr
    );
    for secret in ["S3cr3tTokenValue", "AKIAsecretkey123", "pw-generated-42"] {
        assert!(
            !out.stdout.contains(secret),
            "{secret} on stdout: {}",
            out.stdout
        );
        assert!(
            !out.stderr.contains(secret),
            "{secret} on stderr: {}",
            out.stderr
        );
        assert!(!kept.contains(secret), "{secret} kept in the state folder");
    }
    assert!(out.stderr.contains("region eu-west-1"), "{}", out.stderr);
    assert!(out.stderr.contains("on stderr"), "{}", out.stderr);
    assert!(
        out.stderr.contains("stdout is not shown or kept"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    let set: Vec<_> = events(&j, "var_set")
        .into_iter()
        .chain(events(&j, "env_set"))
        .map(|e| {
            (
                e["name"].as_str().unwrap(),
                e["secret"].as_bool() == Some(true),
            )
        })
        .collect();
    assert!(set.contains(&("token", true)), "{set:?}");
    assert!(set.contains(&("password", true)), "{set:?}");
    assert!(set.contains(&("AWS_SECRET_ACCESS_KEY", true)), "{set:?}");
    assert!(set.contains(&("region", false)), "{set:?}");
}

#[test]
fn secret_outputs_and_env_names_are_checked() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: a\n    title: A\n    run: echo a\n    secret_env: [not-a-name]\n    outputs: [{secret: true}]\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(2);
    let lint = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["lint", "runbooks/rb.yaml"])
        .current_dir(t.dir.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&lint.stdout).into_owned() + &String::from_utf8_lossy(&lint.stderr);
    assert!(
        text.contains("invalid environment variable name `not-a-name`"),
        "{text}"
    );
    assert!(text.contains("name"), "{text}");
}

#[test]
fn a_resume_names_the_secrets_it_does_not_have() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: login
    title: Log in
    run: "echo \"token=$(echo UzNjcjN0VG9rZW5WYWx1ZQ== | base64 -d)\""
    capture: {var: token, pattern: 'token=(\S+)', secret: true}
  - id: pick
    title: Pick
    choose:
      options:
        - {label: go, next: end}
        - {label: stop, next: end}
"#,
    )
    .file("answers.yaml", "pick: go\n");
    let first = run(&t, &["--yes"]);
    first.code(2);
    assert!(first.stderr.contains("left unfinished"), "{}", first.stderr);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["resume", "--yes", "--answers", "answers.yaml"])
        .current_dir(t.dir.path())
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("vars.token is a secret made by step `login`"),
        "{stderr}"
    );
    assert!(!all_text(&t.path(".state")).contains("S3cr3tTokenValue"));

    // A secret environment variable made before the stop: a step that reads it after the
    // resume fails instead of running with it unset.
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: mk
    title: Make a password
    run: echo "DBPASS=$(echo cHctNDI= | base64 -d)" >> "$RUNBOOK_ENV"
    secret_env: [DBPASS]
  - id: pick
    title: Pick
    choose:
      options:
        - {label: go}
        - {label: stop, next: end}
  - id: use
    title: Use it
    run: echo "len=${#DBPASS}" > used.txt
"#,
    )
    .file(
        "answers.yaml",
        "pick: go
",
    );
    run(&t, &["--yes"]).code(2);
    let out = exec(&t, &["resume", "--yes", "--answers", "answers.yaml"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("`$DBPASS` is a secret made by step `mk` before this resume"),
        "{}",
        out.stderr
    );
    assert!(!t.path("runbooks/used.txt").exists());
}

fn exec(t: &Test, args: &[&str]) -> common::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(args)
        .current_dir(t.dir.path())
        .env_remove("RUNBOOK_PATH")
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    common::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const DECIDE: &str = r#"steps:
  - id: count
    title: Count
    run: echo 7
    capture: count
  - id: big
    title: Only when big
    when: vars.count | int > 5
    run: echo big
  - id: pick
    title: Pick
    choose:
      options:
        - {label: Restart, next: restart}
        - {label: Fail over, next: failover}
  - id: restart
    title: Restart
    run: echo restart
    next: end
  - id: failover
    title: Fail over
    run: echo failover
"#;

#[test]
fn a_dry_run_with_yes_walks_to_the_end() {
    let t = runbook(Test::new(), DECIDE);
    let out = run(&t, &["--dry-run", "--yes"]);
    out.code(0);
    assert!(
        out.stderr
            .contains("this dry-run takes the first one that goes on (`Restart`)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("cannot be known in a dry-run: it reads `vars.count`"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    assert_eq!(finished(&j, "big")["status"], "ok", "{}", out.stderr);
    assert_eq!(events(&j, "decision")[0]["label"], "Restart");
}

#[test]
fn yes_takes_a_choose_default_in_every_mode() {
    let t = runbook(
        Test::new(),
        &DECIDE.replace("    choose:\n", "    choose:\n      default: Fail over\n"),
    );
    for mode in [&[][..], &["--dry-run"][..]] {
        let mut args = vec!["--yes"];
        args.extend_from_slice(mode);
        run(&t, &args).code(0);
    }
    for j in journals(&t) {
        assert_eq!(events(&j, "decision")[0]["label"], "Fail over");
    }
    let out = exec(&t, &["show", "rb"]);
    out.code(0);
    // A default that names no option is an error.
    let t = runbook(
        Test::new(),
        &DECIDE.replace("    choose:\n", "    choose:\n      default: Reboot\n"),
    );
    let out = exec(&t, &["lint", "runbooks/rb.yaml"]);
    out.code(1);
    assert!(
        out.stdout
            .contains("`default` `Reboot` of the `choose` in step `pick` names no option"),
        "{}",
        out.stdout
    );
}

#[test]
fn drills_simulate_outputs_a_sequence_of_checks_and_a_timeout() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: make
    title: Make a password
    run: echo "password=$(openssl rand -hex 8)" >> "$RUNBOOK_OUTPUT"
    outputs: [{name: password, secret: true}, region]
    simulate:
      outputs: {password: drill-pass-123, region: eu-west-1}
  - id: settle
    title: Wait for the queue
    wait: {run: queue-depth, until: output | int < 5, interval: 1s, timeout: 1m}
    simulate: [{stdout: "40"}, {stdout: "12"}, {stdout: "3"}]
  - id: slow
    title: A slow command
    run: sleep 600
    timeout: 5s
    on_failure: continue
    simulate: {timeout: true}
  - id: show
    title: Show
    run: echo "region {{ vars.region }}"
    simulate: {stdout: "region eu-west-1"}
"#,
    );
    let out = exec(&t, &["drill", "rb", "--yes"]);
    // `on_failure: continue` goes on after the simulated timeout.
    out.code(0);
    let j = journal(&t);
    let region = events(&j, "var_set")
        .into_iter()
        .find(|e| e["name"] == "region")
        .cloned()
        .unwrap();
    assert_eq!(region["value"], "eu-west-1");
    let password = events(&j, "var_set")
        .into_iter()
        .find(|e| e["name"] == "password")
        .cloned()
        .unwrap();
    assert_eq!(
        (password["value"].as_str(), password["secret"].as_bool()),
        (Some("***"), Some(true))
    );
    assert_eq!(
        step_events(&j, "command", "settle").len(),
        3,
        "{}",
        out.stderr
    );
    assert_eq!(finished(&j, "settle")["status"], "ok");
    assert_eq!(finished(&j, "slow")["status"], "timeout", "{}", out.stderr);
    // The journal holds it masked (the copy of the runbook holds its `simulate` as written).
    let journal_text = serde_json::to_string(&j).unwrap();
    assert!(!journal_text.contains("drill-pass-123"));
}

#[test]
fn rollbacks_declined_for_want_of_a_terminal_are_kept_for_runbook_rollback() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: scale
    title: Scale up
    run: echo scaled >> ran.log
    rollback: echo undo-scale >> ran.log
  - id: check
    title: Check
    run: exit 3
"#,
    )
    .file("rollback.yaml", "scale: {rollback: run}\n");
    let out = run(&t, &["--yes"]);
    out.code(1);
    assert!(
        out.stderr.contains("no terminal to confirm it"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "scaled\n"
    );
    // Without a terminal or an answer, `runbook rollback` runs nothing and says so: not a
    // success.
    let out = exec(&t, &["rollback"]);
    out.code(2);
    assert!(
        out.stderr.contains("1 rollback of run")
            && out.stderr.contains("not run: no terminal to confirm it"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("{rollback: run}"), "{}", out.stderr);
    // Declining is not rolling back: `runbook rollback` still offers it.
    let out = exec(&t, &["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "scaled\nundo-scale\n",
        "{}",
        out.stderr
    );
    // Now it is done.
    let out = exec(&t, &["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert!(
        out.stderr.contains("no completed step has a rollback left"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_interactive_step_without_a_terminal_stops_the_run_unfinished() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: edit\n    title: Edit\n    run: touch edited; read -r -p 'ok? ' x\n    interactive: true\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains(
            "step `edit` is interactive (`interactive: true`): its command needs the terminal"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("left unfinished"), "{}", out.stderr);
    assert!(!t.path("runbooks/edited").exists());
    // A dry-run shows it; a drill plays its `simulate`.
    run(&t, &["--dry-run", "--yes"]).code(0);
    exec(&t, &["drill", "rb", "--yes"]).code(0);
    assert!(!t.path("runbooks/edited").exists());
}

const TRIAGE: &str = r#"steps:
  - id: count
    title: Count the errors
    run: echo 42
    capture: errors
  - id: triage
    title: How bad is it?
    choose:
      options:
        - {label: Quiet, when: "vars.errors | int == 0", next: done}
        - {label: Escalate, when: "vars.errors | int > 40", end: failed}
        - {label: Stop here, end: aborted}
        - {label: Go on, next: done}
  - id: done
    title: Done
    run: echo done
"#;

#[test]
fn decisions_can_end_the_run_and_decide_themselves() {
    let t = runbook(Test::new(), TRIAGE);
    // 42 errors: `Escalate` is taken without asking, and ends the run failed.
    let out = run(&t, &["--yes"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("Escalate → end (failed) (automatic: `vars.errors | int > 40` holds)"),
        "{}",
        out.stderr
    );
    let j = journal(&t);
    let decision = events(&j, "decision")[0].clone();
    assert_eq!(decision["automatic"], "vars.errors | int > 40");
    let end = events(&j, "run_finished")[0].clone();
    assert_eq!(end["status"], "failed");
    assert!(
        end["reason"]
            .as_str()
            .unwrap()
            .contains("`Escalate` at step `triage` ends the run")
    );
    // The flowchart says how each such option ends the run.
    let out = exec(&t, &["show", "rb", "--format", "mermaid"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("|\"Escalate (ends the run failed)\"| END"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("|\"Stop here (ends the run aborted)\"| END"),
        "{}",
        out.stdout
    );
    // A dry-run with --yes and no `default` walks on: it passes over the options that end
    // the run.
    let t2 = runbook(
        Test::new(),
        "steps:\n  - id: d\n    title: D\n    choose:\n      options:\n        - {label: Fail it, end: failed}\n        - {label: Go on}\n  - id: e\n    title: E\n    run: echo e\n",
    );
    let out = run(&t2, &["--dry-run", "--yes"]);
    out.code(0);
    assert!(
        out.stderr.contains("first one that goes on (`Go on`)"),
        "{}",
        out.stderr
    );
    // No `when` holds: asked; `end: aborted` ends the run aborted.
    let t = runbook(Test::new(), &TRIAGE.replace("echo 42", "echo 7"))
        .file("answers.yaml", "triage: Stop here\n");
    run(&t, &["--yes", "--answers", "answers.yaml"]).code(1);
    let j = journal(&t);
    assert_eq!(events(&j, "run_finished")[0]["status"], "aborted");
    assert!(events(&j, "decision")[0].get("automatic").is_none());
    // Lint: `next` and `end` together, and an unknown `end`.
    let t = runbook(
        Test::new(),
        &TRIAGE
            .replace("end: aborted}", "end: aborted, next: done}")
            .replace("end: failed}", "end: fail}"),
    );
    let out = exec(&t, &["lint", "runbooks/rb.yaml"]);
    out.code(1);
    assert!(
        out.stdout
            .contains("has both `next: done` and `end: aborted`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("must be `failed` or `aborted`"),
        "{}",
        out.stdout
    );
}

#[test]
fn time_a_planned_duration_durations_from_inputs_and_reminders() {
    let t = runbook(
        Test::new(),
        r#"inputs:
  wait: {default: 1s, description: how long the check may take}
steps:
  - id: status
    title: Post a status update in the incident channel
    instructions: Say what is known and what is being tried.
    remind: 1s
  - id: load
    title: Let the load test run for a second
    run: sleep 30
    duration: 1s
  - id: check
    title: Check, within the time given
    run: sleep 30
    timeout: "{{ inputs.wait }}"
    on_failure: continue
"#,
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    let j = journal(&t);
    assert_eq!(finished(&j, "load")["status"], "ok", "{}", out.stderr);
    let load = step_events(&j, "command_finished", "load")[0].clone();
    assert_eq!(
        load["outcome"],
        "ran for its planned `duration`, then stopped"
    );
    assert_eq!(finished(&j, "check")["status"], "timeout");
    assert!(
        out.stderr
            .contains("reminder (every 1.0 s, from step `status`)"),
        "{}",
        out.stderr
    );
    assert!(!events(&j, "reminder").is_empty());
    // A duration from a value that is not one fails the step, saying which and what.
    let out = run(&t, &["--yes", "--input", "wait=soon"]);
    out.code(0);
    assert!(
        out.stderr.contains("`timeout: soon` is not a duration"),
        "{}",
        out.stderr
    );
    // Lint reads the written ones.
    let t = runbook(
        Test::new(),
        "steps:\n  - id: a\n    title: A\n    run: sleep 5\n    duration: 30\n",
    );
    let out = exec(&t, &["lint", "runbooks/rb.yaml"]);
    out.code(1);
    assert!(
        out.stdout.contains("invalid duration in `duration`"),
        "{}",
        out.stdout
    );
}

#[test]
fn another_template_language_in_a_script_with_templates_false() {
    let step = "steps:\n  - id: names\n    title: List the pod names\n    run: |\n      printf '%s\\n' '{{range .items}}{{.metadata.name}} {{end}}' > names.txt\n";
    // Read as runbook templates, it is an error that says what to write.
    let t = runbook(Test::new(), step);
    let out = exec(&t, &["lint", "runbooks/rb.yaml"]);
    out.code(1);
    assert!(out.stdout.contains("error[RB019]"), "{}", out.stdout);
    assert!(
        out.stdout.contains("write `templates: false` on the step"),
        "{}",
        out.stdout
    );
    // With `templates: false`, the text is used as written.
    let t = runbook(Test::new(), &format!("{step}    templates: false\n"));
    exec(&t, &["lint", "--no-shellcheck", "runbooks/rb.yaml"]).code(0);
    run(&t, &["--yes"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/names.txt")).unwrap(),
        "{{range .items}}{{.metadata.name}} {{end}}\n"
    );
    // Its `env:` is still rendered: that is how a value reaches such a script.
    let t = runbook(
        Test::new(),
        "inputs:\n  ns: {default: payments, description: the namespace}\nsteps:\n  - id: names\n    title: List the pod names\n    env: {NS: \"{{ inputs.ns }}\"}\n    templates: false\n    run: |\n      printf '%s %s\\n' \"$NS\" '{{.metadata.name}}' > names.txt\n",
    );
    exec(&t, &["lint", "--no-shellcheck", "runbooks/rb.yaml"]).code(0);
    run(&t, &["--yes"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/names.txt")).unwrap(),
        "payments {{.metadata.name}}\n"
    );
}

#[test]
fn a_variable_never_assigned_is_reported_unless_the_runbook_sets_it() {
    if std::process::Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let t = runbook(
        Test::new(),
        r#"env:
  region: eu-west-1
steps:
  - id: install
    title: Install the helper
    run: |
      install_dir=/opt/helper
      echo "fetching $region" | tee "${install_dir}/${script}"
  - id: remember
    title: Remember the node
    run: echo "node_name=web-1" >> "$RUNBOOK_ENV"
  - id: use
    title: Use it
    run: echo "$node_name"
"#,
    );
    let out = exec(&t, &["lint", "runbooks/rb.yaml"]);
    assert!(
        out.stdout
            .contains("SC2154: script is referenced but not assigned"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("SC2154: region"), "{}", out.stdout);
    assert!(!out.stdout.contains("SC2154: node_name"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("SC2154: install_dir"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_rollback_done_by_hand() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: purge
    title: Purge the CDN cache
    run: echo purged >> ran.log
    dangerous: true
    confirm: purge it
    rollback:
      manual: Warm the cache again from the CDN console (Caches → Warm → all regions).
  - id: check
    title: Check
    run: exit 3
"#,
    )
    .file("rollback.yaml", "purge: {rollback: run}\n");
    exec(&t, &["lint", "--no-shellcheck", "runbooks/rb.yaml"]).code(0);
    let out = run(&t, &["--yes", "--confirm", "purge"]);
    out.code(1);
    assert!(
        out.stderr.contains("rollback of purge (by hand)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Warm the cache again"),
        "{}",
        out.stderr
    );
    let out = exec(&t, &["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert!(
        out.stderr.contains("rollback of purge done by hand"),
        "{}",
        out.stderr
    );
    let out = exec(&t, &["rollback", "--answers", "rollback.yaml"]);
    assert!(
        out.stderr.contains("no completed step has a rollback left"),
        "{}",
        out.stderr
    );
}

#[test]
fn for_each_runs_a_step_per_item_and_resumes_by_item() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: list
    title: List the queues
    run: printf 'orders\nemails\nreports\n'
    capture: queues
    remind: 1h
  - id: drain
    title: Drain one queue
    for_each: "{{ vars.queues }}"
    run: |
      if [ "{{ item }}" = reports ] && [ ! -e fixed ]; then kill -TERM "$PPID"; sleep 5; fi
      echo "drained {{ item }}" >> drained.log
  - id: regions
    title: Check each region
    for_each: [eu, us]
    run: echo "region {{ item }}" >> drained.log
"#,
    );
    exec(&t, &["lint", "--no-shellcheck", "runbooks/rb.yaml"]).code(0);
    // At `reports` the run is stopped (SIGTERM): it is left to resume.
    let out = run(&t, &["--yes"]);
    out.code(143);
    assert!(out.stderr.contains("item 3/3"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/drained.log")).unwrap(),
        "drained orders\ndrained emails\n"
    );
    let j = journal(&t);
    let items: Vec<&str> = step_events(&j, "step_started", "drain")
        .iter()
        .filter_map(|e| e["item"].as_str())
        .collect();
    assert_eq!(items, ["orders", "emails", "reports"]);
    // The resume runs only the item that did not finish, then goes on.
    std::fs::write(t.path("runbooks/fixed"), "").unwrap();
    let out = exec(&t, &["resume", "--yes"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/drained.log")).unwrap(),
        "drained orders\ndrained emails\ndrained reports\nregion eu\nregion us\n",
        "{}",
        out.stderr
    );
    // Counted as in the run it goes on from: the third of three.
    assert!(out.stderr.contains("item 3/3"), "{}", out.stderr);
    // The reminder of a step done before the stop is given again after the resume.
    assert!(
        out.stderr
            .contains("reminder (every 1:00:00, from step `list`)"),
        "{}",
        out.stderr
    );
    // `item` outside a step with `for_each` is an error.
    let t = runbook(
        Test::new(),
        "steps:\n  - id: a\n    title: A\n    run: echo {{ item }}\n",
    );
    let out = exec(&t, &["lint", "runbooks/rb.yaml"]);
    out.code(1);
    assert!(
        out.stdout
            .contains("`item` is only defined in a step with `for_each`"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_ask_with_several_fields() {
    let body = r#"steps:
  - id: who
    title: Who is involved?
    ask:
      fields:
        - {var: commander, prompt: Incident commander, pattern: '^[a-z]+$'}
        - {var: scribe, prompt: Scribe, default: nobody}
  - id: note
    title: Note them
    run: echo "{{ vars.commander }} / {{ vars.scribe }}" > who.txt
"#;
    let t = runbook(Test::new(), body).file(
        "answers.yaml",
        "who: {values: {commander: alice, scribe: bob}}\n",
    );
    exec(&t, &["lint", "--no-shellcheck", "runbooks/rb.yaml"]).code(0);
    run(&t, &["--yes", "--answers", "answers.yaml"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/who.txt")).unwrap(),
        "alice / bob\n"
    );
    let j = journal(&t);
    let answers: Vec<&str> = events(&j, "answer")
        .iter()
        .filter_map(|e| e["var"].as_str())
        .collect();
    assert_eq!(answers, ["commander", "scribe"]);
    // A field's default with --yes; a missing answer names the field's step and variable.
    let t2 = runbook(Test::new(), body).file("answers.yaml", "who: {values: {commander: carol}}\n");
    run(&t2, &["--yes", "--answers", "answers.yaml"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t2.path("runbooks/who.txt")).unwrap(),
        "carol / nobody\n"
    );
    let out = run(&t2, &["--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("step `who` asks for `commander`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("who: {values: {commander: VALUE}}"),
        "{}",
        out.stderr
    );
    // One plain answer does not fill every field.
    let t3 = runbook(Test::new(), body).file("answers.yaml", "who: alice\n");
    run(&t3, &["--yes", "--answers", "answers.yaml"]).code(2);
    // A misspelt field is an error before anything runs, not a default taken silently.
    let t4 = runbook(Test::new(), body).file(
        "answers.yaml",
        "who: {values: {commander: dave, scirbe: erin}}\n",
    );
    let out = run(&t4, &["--yes", "--answers", "answers.yaml"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("gives step `who` a value for `scirbe`, which it does not ask for"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `scribe`?"),
        "{}",
        out.stderr
    );
    assert!(!t4.path("runbooks/who.txt").exists());
}

#[test]
fn fourth_audit_for_each_rollbacks_resumed_loops_and_empty_lists() {
    // Each item's rollback is kept, and `runbook rollback` offers them.
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: drain, title: Drain each, for_each: [h1, h2], run: 'echo \"drain {{ item }}\" >> ran.log', rollback: 'echo \"undrain {{ item }}\" >> ran.log'}\n  - {id: flip, title: Flip by hand, instructions: Flip it., rollback: {manual: Flip it back.}}\n  - {id: boom, title: Boom, run: 'false'}\n  - {id: none, title: Nothing to do, for_each: [], run: 'echo never >> ran.log'}\n",
    )
    .file("rollback.yaml", "drain: {rollback: run}\nflip: {rollback: run}\n");
    let out = run(&t, &["--yes"]);
    out.code(1);
    assert!(
        out.stderr.contains("rollback of flip (by hand)"),
        "{}",
        out.stderr
    );
    let out = exec(&t, &["rollback", "--answers", "rollback.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/ran.log")).unwrap(),
        "drain h1\ndrain h2\nundrain h2\nundrain h1\n",
        "{}",
        out.stderr
    );
    // `for_each: []` runs nothing.
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: none, title: Nothing to do, for_each: [], run: 'echo never >> ran.log'}\n",
    );
    run(&t, &["--yes"]).code(0);
    assert!(!t.path("runbooks/ran.log").exists());
    // A resume does not go round a loop again with answers given in advance.
    let t = runbook(Test::new(), LOOP).file("answers.yaml", "again: again\n");
    let args = ["--yes", "--confirm", "purge", "--answers", "answers.yaml"];
    run(&t, &args).code(2);
    for _ in 0..2 {
        let mut resume = vec!["resume"];
        resume.extend_from_slice(&args);
        exec(&t, &resume).code(2);
    }
    let j = journal(&t);
    assert_eq!(
        step_events(&j, "command", "purge").len(),
        1,
        "purge ran again"
    );
}

#[test]
fn a_secret_item_is_masked_in_the_journal() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: make\n    title: Make\n    run: echo \"$(echo UzNjcjN0VG9rZW5WYWx1ZQ== | base64 -d)\"\n    capture: {var: pw, secret: true}\n  - id: use\n    title: Use\n    for_each: \"{{ vars.pw }}\"\n    run: 'true'\n",
    );
    run(&t, &["--yes"]).code(0);
    let j = journal(&t);
    assert!(
        !serde_json::to_string(&j)
            .unwrap()
            .contains("S3cr3tTokenValue")
    );
}

#[test]
fn a_for_each_step_keeps_the_status_of_a_failed_item() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: each, title: Each, for_each: [h2, h1], run: 'test \"{{ item }}\" != h2', on_failure: continue}\n  - {id: after, title: After, run: 'echo \"{{ steps.each.status }}\" > status.txt'}\n",
    );
    run(&t, &["--yes"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/status.txt")).unwrap(),
        "failed\n"
    );
}
