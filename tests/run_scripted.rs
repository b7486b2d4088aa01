//! `runbook run` without a terminal: every step kind and key, the failure paths, injection,
//! secrets and leftover processes, through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;
use common::run::*;
use serde_json::Value;

#[test]
fn every_step_kind_in_one_run() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: ack
    title: Ack
    checklist: [Page acknowledged, Channel opened]
  - id: read
    title: Read
    instructions: Look at **this**.
  - id: count
    title: Count
    run: printf '3\n'
    capture: count
  - id: pick
    title: Pick
    choose:
      var: side
      options:
        - {label: Left, next: ask-name, value: L}
        - {label: Right, next: end}
  - id: ask-name
    title: Name
    ask: {var: name, pattern: '^[a-z]+$'}
  - id: use
    title: Use
    run: echo "count={{ vars.count }} side={{ vars.side }} name={{ vars.name }}"
  - id: settle
    title: Settle
    wait: {run: "echo {{ vars.count }}", until: output | int < 5, interval: 1s, timeout: 30s}
  - id: sub
    title: Sub
    runbook: child
    with: {greeting: "hi {{ vars.name }}"}
"#,
    )
    .file(
        "runbooks/child.yaml",
        "title: Child\nowner: t\ndescription: d\ninputs:\n  greeting: {description: g}\nsteps:\n  - id: say\n    title: Say\n    run: echo \"child says {{ inputs.greeting }}\"\n",
    )
    .file("answers.yaml", "pick: Left\nask-name: alice\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert!(
        out.stdout.contains("count=3 side=L name=alice"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("child says hi alice"), "{}", out.stdout);
    let j = journal(&t);
    assert_eq!(j[0]["event"], "run_started");
    assert_eq!(j[0]["mode"], "run");
    assert_eq!(
        j.last().map(|e| e["status"].clone()),
        Some(Value::from("succeeded"))
    );
    assert_eq!(events(&j, "checklist_item").len(), 2);
    let decision = events(&j, "decision")[0];
    assert_eq!(
        (decision["label"].as_str(), decision["next"].as_str()),
        (Some("Left"), Some("ask-name"))
    );
    assert_eq!(events(&j, "answer")[0]["value"], "alice");
    let nested: Vec<&Value> = j
        .iter()
        .filter(|e| e["within"] == serde_json::json!(["sub"]))
        .collect();
    assert!(
        nested
            .iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "say"),
        "{nested:?}"
    );
    let seqs: Vec<u64> = j.iter().map(|e| e["seq"].as_u64().unwrap_or(0)).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
}

#[test]
fn when_next_and_end() {
    let t = runbook(
        Test::new(),
        "inputs:\n  force: {type: bool, default: \"false\"}\nsteps:\n  - {id: a, title: A, run: echo a, when: inputs.force}\n  - {id: b, title: B, run: echo b, next: d}\n  - {id: c, title: C, run: echo c}\n  - {id: d, title: D, run: echo d, next: end}\n  - {id: e, title: E, run: echo e}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    let j = journal(&t);
    assert_eq!(finished(&j, "a")["status"], "skipped");
    assert!(
        finished(&j, "a")["reason"]
            .as_str()
            .unwrap_or("")
            .contains("when")
    );
    assert_eq!(finished(&j, "c"), Value::Null);
    assert_eq!(finished(&j, "e"), Value::Null);
    assert_eq!(finished(&j, "d")["status"], "ok");
}

#[test]
fn on_failure_continue_jump_and_abort() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: a, title: A, run: exit 3, on_failure: continue}\n  - {id: b, title: B, run: exit 4, on_failure: fix}\n  - {id: c, title: C, run: echo never}\n  - {id: fix, title: Fix, run: echo fixing}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    let j = journal(&t);
    assert_eq!(finished(&j, "a")["status"], "failed");
    assert_eq!(finished(&j, "a")["exit_code"], 3);
    assert_eq!(finished(&j, "b")["status"], "failed");
    assert_eq!(finished(&j, "c"), Value::Null);
    assert_eq!(finished(&j, "fix")["status"], "ok");

    let t = runbook(
        Test::new(),
        "steps:\n  - {id: a, title: A, run: exit 3}\n  - {id: b, title: B, run: echo never}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(1);
    let j = journal(&t);
    assert_eq!(finished(&j, "b"), Value::Null);
    let end = j.last().cloned().unwrap_or(Value::Null);
    assert_eq!(end["status"], "failed");
    assert!(
        end["reason"]
            .as_str()
            .unwrap_or("")
            .contains("step `a` failed"),
        "{end}"
    );
}

#[test]
fn retries_then_success() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: flaky\n    title: Flaky\n    run: |\n      n=$(cat count 2>/dev/null || echo 0)\n      echo $((n+1)) > count\n      [ \"$n\" -ge 2 ]\n    retries: 3\n    retry_delay: 1s\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    let j = journal(&t);
    assert_eq!(events(&j, "retry").len(), 2);
    assert_eq!(events(&j, "command").len(), 3);
}

#[test]
fn timeout_ends_the_whole_process_group() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: hang\n    title: Hang\n    run: |\n      sleep 300 &\n      echo $! > grandchild.pid\n      sleep 300\n    timeout: 1s\n    on_failure: continue\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    let j = journal(&t);
    assert_eq!(finished(&j, "hang")["status"], "timeout");
    let pid = std::fs::read_to_string(t.path("runbooks/grandchild.pid")).expect("pid file");
    assert!(!common::alive(pid.trim()), "grandchild {pid} still running");
}

#[test]
fn expect_and_capture_forms() {
    let t = runbook(
        Test::new(),
        r#"steps:
  - id: grep
    title: Grep
    run: "echo 'ip=10.0.0.7' >&2; exit 1"
    expect: {exit: [0, 1]}
    capture: {var: ip, from: stderr, pattern: 'ip=([0-9.]+)'}
  - id: show
    title: Show
    run: echo "got {{ vars.ip }}"
  - id: strict
    title: Strict
    run: echo nope
    expect: {stdout: '^yes'}
    on_failure: continue
"#,
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    assert!(out.stdout.contains("got 10.0.0.7"), "{}", out.stdout);
    let j = journal(&t);
    assert_eq!(finished(&j, "strict")["status"], "failed");
    assert!(
        finished(&j, "strict")["reason"]
            .as_str()
            .unwrap_or("")
            .contains("does not match")
    );
}

#[test]
fn runbook_env_output_env_dir_and_shells() {
    let t = runbook(
        Test::new(),
        r#"env:
  GREETING: hello
steps:
  - id: set
    title: Set
    run: |
      echo "TARGET=db-2" >> "$RUNBOOK_ENV"
      { echo "NOTE<<END"; echo "two"; echo "lines"; echo "END"; } >> "$RUNBOOK_OUTPUT"
    outputs: [NOTE]
  - id: use
    title: Use
    env: {LOCAL: "{{ vars.NOTE | length }}"}
    dir: sub
    shell: sh
    run: echo "$GREETING $TARGET $LOCAL $(basename "$PWD")"
  - id: list
    title: List shell
    shell: [sh, -c]
    run: echo "list shell $TARGET"
"#,
    )
    .file("runbooks/sub/keep", "");
    let out = run(&t, &["--yes"]);
    out.code(0);
    assert!(out.stdout.contains("hello db-2 9 sub"), "{}", out.stdout);
    assert!(out.stdout.contains("list shell db-2"), "{}", out.stdout);
}

#[test]
fn dangerous_steps_need_confirm_not_yes() {
    let body = "steps:\n  - id: drop\n    title: Drop\n    run: echo dropped\n    rollback: echo restored\n    dangerous: true\n    confirm: drop it\n";
    let t = runbook(Test::new(), body);
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("step `drop` is dangerous"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--confirm drop"), "{}", out.stderr);
    assert!(!out.stdout.contains("dropped"));
    let t = runbook(Test::new(), body);
    let out = run(&t, &["--yes", "--confirm", "drop"]);
    out.code(0);
    assert!(out.stdout.contains("dropped"));
    let j = journal(&t);
    let c = events(&j, "confirmation")[0];
    assert_eq!(
        (c["accepted"].as_bool(), c["by"].as_str()),
        (Some(true), Some("flag"))
    );
    let t = runbook(Test::new(), body);
    let out = run(&t, &["--yes", "--confirm", "dorp"]);
    out.code(2);
    assert!(
        out.stderr.contains("did you mean `drop`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn no_terminal_and_no_answer_is_an_error_naming_the_flag() {
    let t = runbook(
        Test::new(),
        "steps:\n  - id: pick\n    title: Pick\n    choose:\n      options: [{label: A, next: end}, {label: B, next: end}]\n",
    );
    let out = run(&t, &[]);
    out.code(2);
    assert!(
        out.stderr
            .contains("step `pick` needs a decision, and there is no terminal to ask on"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--answers FILE"), "{}", out.stderr);
    let t = runbook(Test::new(), "steps:\n  - {id: a, title: A, run: echo hi}\n");
    let out = run(&t, &[]);
    out.code(2);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert!(!out.stdout.contains("hi\n"));
}

#[test]
fn missing_required_input_fails_before_any_step() {
    let t = runbook(
        Test::new(),
        "inputs:\n  db: {description: Database}\nsteps:\n  - {id: a, title: A, run: 'echo {{ inputs.db }}'}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("input `db` has no value"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--input db=VALUE"), "{}", out.stderr);
    assert!(journals(&t).is_empty(), "no run may start");
    let out = run(&t, &["--yes", "--input", "db=x", "--input", "dbb=y"]);
    out.code(2);
    assert!(out.stderr.contains("unknown input `dbb`"), "{}", out.stderr);
    let out = run(&t, &["--yes", "--input", "db=inventory"]);
    out.code(0);
    assert!(out.stdout.contains("inventory"));
}

#[test]
fn injected_values_are_data_in_every_position() {
    let evil = "10.1.2.3; touch pwned1 $(touch pwned2) `touch pwned3` \" ' \\ end";
    let t = runbook(
        Test::new(),
        r#"inputs:
  v: {description: value}
steps:
  - id: bare
    title: Bare
    run: printf '%s' {{ inputs.v }} > bare.out
  - id: double
    title: Double
    run: printf '%s' "x={{ inputs.v }}" > double.out
  - id: single
    title: Single
    run: printf '%s' 'x={{ inputs.v }}' > single.out
"#,
    );
    let out = run(&t, &["--yes", "--input", &format!("v={evil}")]);
    out.code(0);
    for marker in ["pwned1", "pwned2", "pwned3"] {
        assert!(
            !t.path(&format!("runbooks/{marker}")).exists(),
            "{marker} was created: the value ran as code"
        );
    }
    let read =
        |f: &str| std::fs::read_to_string(t.path(&format!("runbooks/{f}"))).unwrap_or_default();
    assert_eq!(read("bare.out"), evil);
    assert_eq!(read("double.out"), format!("x={evil}"));
    assert_eq!(read("single.out"), format!("x={evil}"));
}

#[test]
fn values_in_shell_arithmetic_must_be_integers() {
    // bash evaluates arithmetic text as an expression, and a subscript in it runs `$(…)`.
    let t = runbook(
        Test::new(),
        r#"inputs:
  n: {description: count}
steps:
  - id: expansion
    title: Expansion
    run: echo $(( {{ inputs.n }} + 1 )) > expansion.out
    on_failure: continue
  - id: quoted
    title: Quoted
    run: echo "$(( {{ inputs.n }} + 1 ))" > quoted.out
    on_failure: continue
  - id: test
    title: Test
    run: "[[ {{ inputs.n }} -gt 5 ]] && echo big > test.out"
    on_failure: continue
  - id: command
    title: Command
    run: (( {{ inputs.n }} )); let 'x = {{ inputs.n }}'; echo $[ {{ inputs.n }} ] > command.out
    on_failure: continue
  - id: subscript
    title: Subscript
    run: a=(1 2); echo "${a[{{ inputs.n }}]}" > subscript.out
"#,
    );
    let out = run(&t, &["--yes", "--input", "n=a[$(touch PWNED_2)]"]);
    out.code(1);
    assert!(!t.path("PWNED_2").exists() && !t.path("runbooks/PWNED_2").exists());
    let said = format!("{}{}", out.stdout, out.stderr);
    assert!(
        said.contains("step `subscript` failed: cannot render the command: `inputs.n` must be an integer: `{{ inputs.n }}` stands in shell arithmetic, where other text would run as code"),
        "{said}"
    );
    assert!(
        said.contains("help: give `inputs.n` a decimal integer such as `42` or `-1`"),
        "{said}"
    );
    let j = journal(&t);
    for step in ["expansion", "quoted", "test", "command", "subscript"] {
        assert_eq!(finished(&j, step)["status"], "failed", "{step}");
        assert!(
            !t.path(&format!("runbooks/{step}.out")).exists(),
            "{step} ran"
        );
    }

    let t = runbook(
        Test::new(),
        r#"inputs:
  n: {description: count}
  v: {description: text}
steps:
  - id: sum
    title: Sum
    run: |
      echo $(( 1 << {{ inputs.n }} )) > sum.out
      printf '[%s]' {{ inputs.v }} >> sum.out
"#,
    )
    .file("runbooks/ans.yaml", "");
    let out = run(&t, &["--yes", "--input", "n=3", "--input", "v=a  b *.yaml"]);
    out.code(0);
    let sum = std::fs::read_to_string(t.path("runbooks/sum.out")).unwrap_or_default();
    assert_eq!(sum, "8\n[a  b *.yaml]", "a shift is not a here-document");
}

#[test]
fn secrets_never_reach_the_screen_or_the_state_folder() {
    let secret = "hunter2-Sup3rSecret";
    let b64 = "aHVudGVyMi1TdXAzclNlY3JldA==";
    let t = runbook(
        Test::new(),
        "inputs:\n  token: {secret: true, env: API_TOKEN}\nsteps:\n  - id: use\n    title: Use\n    run: |\n      echo \"token=$API_TOKEN\"\n      printf '%s' \"$API_TOKEN\" | base64\n      echo \"API_TOKEN_COPY=$API_TOKEN\" >> \"$RUNBOOK_OUTPUT\"\n    outputs: [API_TOKEN_COPY]\n  - id: note\n    title: Note\n    instructions: x\n    notes: true\n",
    )
    .file("answers.yaml", &format!("note: {{note: \"saw {secret}\"}}\n"));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"));
    let out = cmd
        .args(["run", "rb", "--yes", "--answers", "answers.yaml"])
        .current_dir(t.dir.path())
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .env("API_TOKEN", secret)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("token=***"), "{stdout}");
    for text in [&*stdout, &*stderr] {
        assert!(
            !text.contains(secret) && !text.contains(b64),
            "secret on screen: {text}"
        );
    }
    let mut stack = vec![t.path(".state")];
    let mut files = 0;
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(
                std::fs::read_dir(&p)
                    .expect("dir")
                    .flatten()
                    .map(|e| e.path()),
            );
        } else {
            files += 1;
            let text = String::from_utf8_lossy(&std::fs::read(&p).expect("file")).into_owned();
            assert!(
                !text.contains(secret) && !text.contains(b64),
                "secret in {}: {text}",
                p.display()
            );
        }
    }
    assert!(files >= 3);
}

#[test]
fn an_invalid_secret_is_refused_without_being_shown() {
    let secret = "hunter2-Sup3rSecret";
    let t = runbook(
        Test::new(),
        "inputs:\n  token: {secret: true, env: API_TOKEN, pattern: '^[a-f0-9]{40}$'}\nsteps:\n  - id: pin\n    title: Pin\n    ask: {var: pin, secret: true, pattern: '^[0-9]{4}$'}\n",
    )
    .file("answers.yaml", &format!("pin: \"{secret}\"\n"));
    // The secret input itself is invalid; then a secret `ask` is answered wrongly by the
    // answers file.
    let valid_token = "0123456789abcdef0123456789abcdef01234567";
    for (token, extra) in [
        (secret, &[][..]),
        (valid_token, &["--answers", "answers.yaml"][..]),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(["run", "rb", "--yes"])
            .args(extra)
            .current_dir(t.dir.path())
            .env("NO_COLOR", "1")
            .env("RUNBOOK_STATE_DIR", t.path(".state"))
            .env("API_TOKEN", token)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("the secret value does not match"),
            "{stderr}"
        );
        assert!(!stderr.contains(secret), "secret on screen: {stderr}");
    }
}

#[test]
fn a_capture_that_does_not_match_opens_the_failure_menu() {
    // The first run prints no number; the retry does.
    let rb = "steps:\n  - id: count\n    title: Count\n    run: |\n      if [ -e tried ]; then echo 'n=42'; else touch tried; echo 'none yet'; fi\n    capture: {var: n, pattern: 'n=([0-9]+)'}\n  - {id: use, title: Use, run: 'echo \"got {{ vars.n }}\" > got'}\n";
    let t = runbook(Test::new(), rb).file("answers.yaml", "count: {failure: retry}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/got")).unwrap_or_default(),
        "got 42\n"
    );
    let j = journal(&t);
    let count: Vec<&str> = j
        .iter()
        .filter(|e| e["event"] == "step_finished" && e["step"] == "count")
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert_eq!(count, ["failed", "ok"], "{}", out.stderr);
    assert_eq!(events(&j, "retry").len(), 1);

    // `failure: skip` goes on without the value; the next step that needs it fails.
    let t = runbook(
        Test::new(),
        "steps:\n  - id: count\n    title: Count\n    run: echo none\n    capture: {var: n, pattern: 'n=([0-9]+)'}\n  - {id: after, title: After, run: touch after}\n",
    )
    .file("answers.yaml", "count: {failure: skip}\n");
    run(&t, &["--yes", "--answers", "answers.yaml"]).code(0);
    assert!(t.path("runbooks/after").exists());
    let j = journal(&t);
    let count = events(&j, "step_finished");
    assert_eq!(count[0]["step"], "count");
    assert_eq!(count[0]["status"], "skipped");

    // A step that keeps failing is retried once, then the run ends; without an answer and
    // without a terminal, the failure ends it at once.
    for (answers, retries) in [("count: {failure: retry}\n", 1), ("{}\n", 0)] {
        let t = runbook(
            Test::new(),
            "steps:\n  - id: count\n    title: Count\n    run: echo none\n    capture: {var: n, pattern: 'n=([0-9]+)'}\n  - {id: after, title: After, run: touch after}\n",
        )
        .file("answers.yaml", answers);
        let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
        out.code(1);
        assert!(!t.path("runbooks/after").exists());
        assert!(
            out.stderr.contains("does not match the capture pattern"),
            "{}",
            out.stderr
        );
        assert_eq!(events(&journal(&t), "retry").len(), retries);
    }
}

#[test]
fn the_header_fits_80_columns_and_steps_show_the_time_since_the_start() {
    let title = "Inventory database overloaded while the nightly reports run late";
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &format!(
            "title: {title}\nseverity: sev2\n{HEAD}steps:\n  - {{id: a, title: A, run: 'true'}}\n"
        ),
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    // Without a terminal each line starts with `[hh:mm:ss] `; the rest is 80 columns.
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .map(|l| l.get(11..).unwrap_or(""))
        .collect();
    let meta = lines
        .iter()
        .find(|l| l.contains("sev2"))
        .expect("a line with the severity");
    assert!(meta.contains("sev2 · owner team"), "{}", out.stderr);
    assert!(meta.chars().count() <= 80, "{meta}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("runbook · {title}"))),
        "{}",
        out.stderr
    );
    let header = lines
        .iter()
        .find(|l| l.contains("1/1 · a ·"))
        .expect("the step header");
    assert!(header.contains(" · +00:0"), "{header}");
}

#[test]
fn invalid_runbooks_do_not_run() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: a, title: A, run: echo hi, next: nowhere}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(out.stderr.contains("error[RB009]"), "{}", out.stderr);
    assert!(out.stderr.contains("cannot run"), "{}", out.stderr);
    let out = Test::new().args(&["run", "nope"]).run();
    out.code(2);
    assert!(
        out.stderr.contains("no runbook named `nope`"),
        "{}",
        out.stderr
    );
}

#[test]
fn output_logs_hold_what_commands_printed_and_only_then_exist() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: quiet, title: Quiet, run: 'true'}\n  - {id: loud, title: Loud, run: 'echo out; echo err >&2'}\n",
    );
    run(&t, &["--yes"]).code(0);
    let j = journal(&t);
    let logs: Vec<&str> = events(&j, "command")
        .iter()
        .filter_map(|e| e["log"].as_str())
        .collect();
    assert_eq!(logs.len(), 2, "{j:?}");
    let runs = std::fs::read_dir(t.path(".state/runs")).unwrap();
    let dir = runs.flatten().next().unwrap().path();
    // The quiet command left no file; the loud one's log has both streams, private.
    assert!(logs[0].ends_with("-quiet.log") && !dir.join(logs[0]).exists());
    let loud = dir.join(logs[1]);
    let text = std::fs::read_to_string(&loud).unwrap();
    assert!(text.contains("out\n") && text.contains("err\n"), "{text:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&loud).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Nothing else was left in the run folder (no $RUNBOOK_ENV/$RUNBOOK_OUTPUT files).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["journal.jsonl", "lock", "output", "runbook.yaml"]);
}

#[test]
fn an_output_log_that_cannot_be_written_is_said_and_the_run_goes_on() {
    // The first step replaces the run's output folder by a file: no log can be created.
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: break, title: Break, run: 'd=$(dirname \"$RUNBOOK_ENV\"); mv \"$d/output\" \"$d/moved\"; : > \"$d/output\"'}\n  - {id: loud, title: Loud, run: echo hello-there}\n",
    );
    let out = run(&t, &["--yes"]);
    out.code(0);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("hello-there"), "{all}");
    assert!(
        all.contains("cannot write the output log `output/") && all.contains("-loud.log`"),
        "{all}"
    );
    let j = journal(&t);
    assert_eq!(finished(&j, "loud")["status"], "ok");
    // The journal still has the output's tail.
    assert!(events(&j, "output_tail").iter().any(|e| {
        e["tail"]
            .as_str()
            .is_some_and(|t| t.contains("hello-there"))
    }));
}

#[test]
fn abort_offers_rollbacks_newest_first() {
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: one, title: One, run: echo one, rollback: echo undo-one >> undo.log}\n  - {id: two, title: Two, run: echo two, rollback: echo undo-two >> undo.log}\n  - {id: boom, title: Boom, run: exit 1, on_failure: abort}\n",
    )
    .file("answers.yaml", "one: {rollback: run}\ntwo: {rollback: run}\n");
    let out = run(&t, &["--yes", "--answers", "answers.yaml"]);
    out.code(1);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/undo.log")).unwrap_or_default(),
        "undo-two\nundo-one\n"
    );
    let j = journal(&t);
    let rollbacks: Vec<&str> = events(&j, "rollback")
        .iter()
        .filter_map(|e| e["step"].as_str())
        .collect();
    assert_eq!(rollbacks, ["two", "one"]);
    // Each rollback's command is journaled whole: command, output tail, command_finished,
    // then the rollback event.
    let seq: Vec<String> = j
        .iter()
        .skip_while(|e| e["purpose"] != "rollback")
        .map(|e| e["event"].as_str().unwrap_or_default().to_string())
        .take(4)
        .collect();
    assert_eq!(
        seq,
        ["command", "output_tail", "command_finished", "rollback"]
    );
    let finished_rollbacks = j
        .iter()
        .filter(|e| e["event"] == "command_finished" && e["exit_code"] == 0)
        .count();
    assert_eq!(finished_rollbacks, 4, "two steps and two rollbacks");
    // Without an answer and without a terminal, rollbacks are not run.
    let t = runbook(
        Test::new(),
        "steps:\n  - {id: one, title: One, run: echo one, rollback: echo undo >> undo.log}\n  - {id: boom, title: Boom, run: exit 1}\n",
    );
    run(&t, &["--yes"]).code(1);
    assert!(!t.path("runbooks/undo.log").exists());
    assert_eq!(events(&journal(&t), "rollback")[0]["status"], "skipped");
}

#[test]
fn dangerous_waits_and_sub_runbooks_need_their_phrase_too() {
    let rb = "steps:\n  - id: watch\n    title: Watch\n    dangerous: true\n    wait:\n      run: touch waited; echo ok\n      until: output == 'ok'\n      timeout: 10s\n  - {id: nested, title: Nested, dangerous: true, runbook: child}\n";
    let child =
        format!("title: Child\n{HEAD}steps:\n  - {{id: c, title: C, run: touch child-ran}}\n");
    let t = runbook(Test::new(), rb).file("runbooks/child.yaml", &child);
    let out = run(&t, &["--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("step `watch` is dangerous"),
        "{}",
        out.stderr
    );
    assert!(!t.path("runbooks/waited").exists());
    let t = runbook(Test::new(), rb).file("runbooks/child.yaml", &child);
    let out = run(&t, &["--yes", "--confirm", "watch"]);
    out.code(2);
    assert!(t.path("runbooks/waited").exists());
    assert!(
        out.stderr.contains("step `nested` is dangerous"),
        "{}",
        out.stderr
    );
    assert!(!t.path("runbooks/child-ran").exists());
    let t = runbook(Test::new(), rb).file("runbooks/child.yaml", &child);
    run(&t, &["--yes", "--confirm", "watch", "--confirm", "nested"]).code(0);
    assert!(t.path("runbooks/child-ran").exists());
}

#[test]
fn steps_of_sub_runbooks_can_be_answered_in_advance() {
    let rb = "steps:\n  - {id: first, title: First, run: echo first}\n  - {id: nested, title: Nested, runbook: child}\n";
    let child = format!(
        "title: Child\n{HEAD}steps:\n  - {{id: drop, title: Drop, run: touch dropped, dangerous: true, confirm: drop it, rollback: echo undo}}\n  - {{id: pick, title: Pick, choose: {{options: [{{label: Left, next: left}}, {{label: Right, next: end}}]}}}}\n  - {{id: left, title: Left, run: touch went-left}}\n"
    );
    let t = runbook(Test::new(), rb)
        .file("runbooks/child.yaml", &child)
        .file("answers.yaml", "pick: Left\n");
    let out = run(
        &t,
        &["--yes", "--confirm", "drop", "--answers", "answers.yaml"],
    );
    out.code(0);
    assert!(t.path("runbooks/dropped").exists(), "{}", out.stderr);
    assert!(t.path("runbooks/went-left").exists(), "{}", out.stderr);
    // A name that is in neither runbook is still refused, with the closest one.
    let out = run(&t, &["--yes", "--confirm", "dorp"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("--confirm names step `dorp`, which the runbook does not have"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `drop`?"),
        "{}",
        out.stderr
    );
    // `--from` starts at a step of the runbook itself, not of one it calls.
    let out = run(&t, &["--yes", "--from", "drop"]);
    out.code(2);
}

#[test]
fn confirming_a_dangerous_step_does_not_confirm_its_rollback() {
    let rb = "steps:\n  - {id: drop, title: Drop, run: echo dropped, dangerous: true, confirm: drop it, rollback: echo undone >> undo.log}\n  - {id: boom, title: Boom, run: exit 1, on_failure: abort}\n";
    // `--confirm drop` runs the step; its rollback is a second, separate decision.
    let t = runbook(Test::new(), rb);
    run(&t, &["--yes", "--confirm", "drop"]).code(1);
    assert!(
        !t.path("runbooks/undo.log").exists(),
        "the dangerous step's rollback ran without being asked for"
    );
    let j = journal(&t);
    assert_eq!(events(&j, "rollback")[0]["status"], "skipped");
    // `rollback: run` in the answers file is that decision.
    let t = runbook(Test::new(), rb).file("answers.yaml", "drop: {rollback: run}\n");
    run(
        &t,
        &["--yes", "--confirm", "drop", "--answers", "answers.yaml"],
    )
    .code(1);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/undo.log")).unwrap_or_default(),
        "undone\n"
    );
    let t = runbook(Test::new(), rb).file("answers.yaml", "drop: {rollback: skip}\n");
    run(
        &t,
        &["--yes", "--confirm", "drop", "--answers", "answers.yaml"],
    )
    .code(1);
    assert!(!t.path("runbooks/undo.log").exists());
}

#[test]
fn rollbacks_pass_values_as_data_too() {
    let evil = "x'; touch pwned-rollback; echo '";
    let t = runbook(
        Test::new(),
        "inputs:\n  v: {description: value}\nsteps:\n  - id: one\n    title: One\n    run: echo one\n    rollback: printf '%s' '{{ inputs.v }}' > rollback.out\n  - {id: boom, title: Boom, run: exit 1, on_failure: abort}\n",
    )
    .file("answers.yaml", "one: {rollback: run}\n");
    let out = run(
        &t,
        &[
            "--yes",
            "--answers",
            "answers.yaml",
            "--input",
            &format!("v={evil}"),
        ],
    );
    out.code(1);
    assert!(
        !t.path("runbooks/pwned-rollback").exists(),
        "the value ran as code in the rollback"
    );
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/rollback.out")).unwrap_or_default(),
        evil
    );
    let j = journal(&t);
    assert!(
        j.iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "one" && e["next"] == "boom")
    );
}

/// A rollback the run cannot prepare with the step's values (a value refused where it
/// would be code) is offered by hand, saying why, not dropped without a word (an audit found
/// `rollback` then said nothing was left to undo).
#[test]
fn a_rollback_that_cannot_take_its_value_is_offered_by_hand() {
    let evil = "x;touch pwned-rollback";
    let t = runbook(
        Test::new(),
        "inputs:\n  v: {description: value}\nsteps:\n  - id: one\n    title: One\n    run: echo one\n    rollback: |\n      X=\"{{ inputs.v }}\"\n      eval \"echo rolling back $X\"\n  - {id: boom, title: Boom, run: exit 1, on_failure: abort}\n",
    )
    .file("answers.yaml", "one: {rollback: run}\n");
    let out = run(
        &t,
        &[
            "--yes",
            "--answers",
            "answers.yaml",
            "--input",
            &format!("v={evil}"),
        ],
    );
    out.code(1);
    assert!(!t.path("runbooks/pwned-rollback").exists());
    assert!(
        out.stderr.contains("rollback of one (by hand)")
            && out
                .stderr
                .contains("runbook cannot run this step's rollback"),
        "{}",
        out.stderr
    );
}
