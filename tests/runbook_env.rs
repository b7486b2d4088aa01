//! `$RUNBOOK_ENV` cannot be turned into code: a value of several lines stays one variable,
//! and the variables that make every later command run something else (`BASH_ENV`,
//! `LD_PRELOAD`, …) are set only by the runbook's own `env:`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Test;
use common::run::{HEAD, finished, journal};

/// A file that leaves a marker when a shell runs it, and the marker's path.
fn evil(t: &Test) -> (String, std::path::PathBuf) {
    let marker = t.path("pwned");
    let file = t.path("evil.sh");
    std::fs::write(&file, format!("touch {}\n", marker.display())).unwrap();
    (file.display().to_string(), marker)
}

/// Writes the runbook; step items may start at the line start (`- id:`) in `body`.
fn rb(t: Test, body: &str) -> Test {
    let body = body.replace("\n- id: ", "\n  - id: ");
    t.file("runbooks/rb.yaml", &format!("title: Env\n{HEAD}{body}"))
}

#[test]
fn a_value_of_several_lines_cannot_set_another_variable() {
    let t = Test::new();
    let (file, marker) = evil(&t);
    let t = rb(
        t,
        "inputs:\n  v: {description: a value}\nsteps:\n\
         - id: write\n    title: Write it\n    on_failure: continue\n    run: echo \"X={{ inputs.v }}\" >> \"$RUNBOOK_ENV\"\n\
         - id: later\n    title: A later bash step\n    run: echo later\n",
    );
    let input = format!("v=x\nBASH_ENV={file}");
    let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
    o.code(0);
    assert!(
        o.stderr.contains("several lines written as `NAME=value`"),
        "{}",
        o.stderr
    );
    let j = journal(&t);
    assert_eq!(finished(&j, "write")["status"], "failed");
    assert_eq!(finished(&j, "later")["status"], "ok");
    assert!(!marker.exists(), "BASH_ENV was set from a value");
    assert!(
        !j.iter().any(|e| e["event"] == "env_set"),
        "nothing was set"
    );
}

#[test]
fn a_value_of_several_lines_passes_in_the_block_form() {
    let t = rb(
        Test::new(),
        "inputs:\n  v: {description: a value}\nsteps:\n\
         - id: write\n    title: Write it\n    run: |\n      {\n        echo 'X<<END_OF_X'\n        echo \"{{ inputs.v }}\"\n        echo END_OF_X\n      } >> \"$RUNBOOK_ENV\"\n\
         - id: later\n    title: Read it\n    run: printf '[%s]' \"$X\" > out\n",
    );
    t.exec(&["run", "rb", "--yes", "--input", "v=a\nB=c"])
        .code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/out")).unwrap(),
        "[a\nB=c]"
    );
}

#[test]
fn protected_variables_are_set_only_by_the_runbooks_env() {
    let t = Test::new();
    let (file, marker) = evil(&t);
    let t = rb(
        t,
        &format!(
            "steps:\n\
             - id: write\n    title: Write it\n    on_failure: continue\n    run: echo 'BASH_ENV={file}' >> \"$RUNBOOK_ENV\"\n\
             - id: later\n    title: A later bash step\n    run: echo later\n"
        ),
    );
    let o = t.exec(&["run", "rb", "--yes"]);
    o.code(0);
    assert!(o.stderr.contains("it sets `BASH_ENV`"), "{}", o.stderr);
    assert!(!marker.exists());

    // The runbook's own `env:` names it: then a step may change it.
    let t = Test::new();
    let (file, marker) = evil(&t);
    let t = rb(
        t,
        &format!(
            "env:\n  BASH_ENV: /dev/null\nsteps:\n\
             - id: write\n    title: Write it\n    run: echo 'BASH_ENV={file}' >> \"$RUNBOOK_ENV\"\n\
             - id: later\n    title: A later bash step\n    run: echo later\n"
        ),
    );
    t.exec(&["run", "rb", "--yes"]).code(0);
    assert!(marker.exists(), "the runbook's own BASH_ENV applies");
}

#[test]
fn the_operators_bash_env_does_not_reach_steps() {
    let t = Test::new();
    let (file, marker) = evil(&t);
    let t = rb(
        t,
        "steps:\n  - id: one\n    title: One\n    run: echo one\n",
    )
    .env("BASH_ENV", &file)
    .env("ENV", &file);
    t.exec(&["run", "rb", "--yes"]).code(0);
    assert!(
        !marker.exists(),
        "BASH_ENV from the operator's environment was read"
    );
}

#[test]
fn a_name_the_script_does_not_write_is_refused() {
    // The value becomes several lines on its way: printf's `\n`, or `tr`.
    for (run, value) in [
        (
            "printf \"X={{ inputs.v }}\\n\" >> \"$RUNBOOK_ENV\"",
            "x\\nPATH=EVIL:/usr/bin:/bin",
        ),
        (
            "echo \"X={{ inputs.v }}\" | tr , '\\n' >> \"$RUNBOOK_ENV\"",
            "x,PATH=EVIL:/usr/bin:/bin",
        ),
    ] {
        let t = Test::new();
        let (file, marker) = evil(&t);
        let t = rb(
            t,
            &format!(
                "inputs:\n  v: {{description: a value}}\nsteps:\n\
                 - id: write\n    title: Write it\n    on_failure: continue\n    run: {run}\n\
                 - id: later\n    title: A later step\n    run: echo \"$X\" > x.txt\n"
            ),
        );
        let input = format!("v={}", value.replace("EVIL", &file));
        let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
        o.code(0);
        assert!(
            o.stderr
                .contains("what the step wrote to $RUNBOOK_ENV is not used"),
            "{run}: {}",
            o.stderr
        );
        assert!(!marker.exists());
        assert!(!journal(&t).iter().any(|e| e["event"] == "env_set"));
    }
}

#[test]
fn an_environment_variable_used_in_arithmetic_holds_an_integer() {
    let t = Test::new();
    let marker = t.path("pwned");
    let t = rb(
        t,
        "inputs:\n  n: {description: a count}\nsteps:\n\
         - id: count\n    title: Count\n    env:\n      N: \"{{ inputs.n }}\"\n    run: echo $(( N + 1 ))\n",
    );
    let input = format!("n=a[$(touch {})]", marker.display());
    let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr.contains("`$N` is used in shell arithmetic"),
        "{}",
        o.stderr
    );
    assert!(!marker.exists());
    t.exec(&["run", "rb", "--yes", "--input", "n=41"]).code(0);
}

#[test]
fn a_wait_check_and_a_rollback_are_held_to_the_same_rule() {
    let t = Test::new();
    let marker = t.path("pwned");
    let input = format!("n=a[$(touch {})]", marker.display());
    let t = rb(
        t,
        "inputs:\n  n: {description: a count, env: N}\nsteps:\n\
         - id: settle\n    title: Settle\n    wait:\n      run: echo $(( N + 1 ))\n      until: output != ''\n      interval: 1s\n      timeout: 5s\n",
    );
    let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr.contains("`$N` is used in shell arithmetic"),
        "{}",
        o.stderr
    );
    assert!(!marker.exists(), "a wait's check ran the value");

    // A run that completed, then its rollback.
    let t = rb(
        Test::new(),
        "inputs:\n  n: {description: a count, env: N}\nsteps:\n\
         - id: first\n    title: First\n    run: 'true'\n    rollback: echo $(( N + 1 ))\n",
    );
    let t = t.file("rollback.yaml", "first: {rollback: run}\n");
    t.exec(&["run", "rb", "--yes", "--input", &input]).code(0);
    let o = t.exec(&["rollback", "--answers", "rollback.yaml"]);
    assert!(
        o.stderr.contains("rollback of first not run"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("`$N` is used in shell arithmetic"),
        "{}",
        o.stderr
    );
    assert!(!marker.exists(), "a rollback ran the value");
}

#[test]
fn a_relative_state_folder_still_carries_runbook_env() {
    // Steps run in the runbook's folder; the run's files are found there all the same.
    let t = rb(
        Test::new(),
        "steps:\n\
         - id: write\n    title: Write it\n    run: echo 'X=carried' >> \"$RUNBOOK_ENV\"\n\
         - id: read\n    title: Read it\n    run: printf '%s' \"$X\" > x.txt\n",
    );
    t.exec(&["run", "rb", "--yes", "--state-dir", "relative-state"])
        .code(0);
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/x.txt")).unwrap(),
        "carried"
    );
    assert!(t.path("relative-state/runs").is_dir());
}

#[test]
fn a_value_quoted_into_the_script_cannot_spell_a_name_it_sets() {
    // `ssh h "…"` gets the value quoted into its text (here a function stands in for ssh):
    // the names a step may set are read from what the runbook wrote, not from that text.
    let t = rb(
        Test::new(),
        "inputs:\n  v: {description: a value}\nsteps:\n\
         - id: write\n    title: Write it\n    on_failure: continue\n    run: |\n      ssh() { sh -c \"$2\"; }\n      ssh h \"echo 'X={{ inputs.v }}' | tr '|' '\\\\n'\" >> \"$RUNBOOK_ENV\"\n\
         - id: later\n    title: A later step\n    run: printf '%s' \"${EVIL:-unset}\" > evil.out\n",
    );
    let o = t.exec(&["run", "rb", "--yes", "--input", "v=a|EVIL=1"]);
    o.code(0);
    assert!(
        o.stderr
            .contains("it sets `EVIL`, a name the step's script does not write"),
        "{}",
        o.stderr
    );
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/evil.out")).unwrap(),
        "unset"
    );
}
