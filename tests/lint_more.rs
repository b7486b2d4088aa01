//! More of `runbook lint` through the real binary: shellcheck findings (RB030) at their exact
//! place, runbooks found by name, and problems of a sub-runbook reported in its own file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{Output, Test};

/// One diagnostic of `--format json`: code, the `SC` code of an RB030 (else ""), file, and
/// the 1-based start and end positions.
type Diag = (String, String, String, u64, u64, u64, u64);

fn diags(out: &Output) -> Vec<Diag> {
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}\n{}", out.stdout, out.stderr));
    parsed
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_string();
            let sc = if code == "RB030" {
                let message = d["message"].as_str().unwrap();
                message.split(':').next().unwrap().to_string()
            } else {
                String::new()
            };
            (
                code,
                sc,
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_line"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn diag(code: &str, sc: &str, file: &str, at: (u64, u64), end: (u64, u64)) -> Diag {
    (
        code.into(),
        sc.into(),
        file.into(),
        at.0,
        at.1,
        end.0,
        end.1,
    )
}

fn rb030(file: &str, sc: &str, at: (u64, u64), end: (u64, u64)) -> Diag {
    diag("RB030", sc, file, at, end)
}

/// A test folder holding `runbooks/NAME.yaml`, with the shellcheck cache inside it.
fn with_runbook(name: &str, text: &str) -> Test {
    assert!(
        std::process::Command::new("shellcheck")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "these tests need shellcheck on the PATH"
    );
    let test = Test::new().file(&format!("runbooks/{name}.yaml"), text);
    let cache = test.path("shellcheck-cache");
    test.env("RUNBOOK_CACHE_DIR", cache.to_str().unwrap())
}

/// `runbook lint --format json` on the test folder's runbooks, shellcheck on.
fn lint_json(test: &Test) -> Output {
    test.exec(&["lint", "--format", "json", "--deny-warnings", "runbooks"])
}

// ---------------------------------------------------------------------------------------------
// RB030: shellcheck

const SHELL_SCRIPTS: &str = r#"title: Shell checks
owner: team
description: Scripts for shellcheck.
steps:
  - id: posix
    title: A bashism in sh
    shell: sh
    run: |
      echo start
      if [[ -f /etc/passwd ]]; then echo yes; fi
  - id: echo-n
    title: echo -n in sh, a template as a word
    shell: sh
    run: 'echo -n "{{ run.id }}"'
  - id: undo
    title: A rollback script
    run: "true"
    rollback: |-
      systemctl start api
      echo $1
  - id: poll
    title: A wait script
    wait:
      run: curl -fsS localhost/health; echo $2
      until: output != ""
      interval: 5s
      timeout: 1m
"#;

#[test]
fn shellcheck_findings_of_run_rollback_and_wait_are_at_their_place() {
    let test = with_runbook("sc", SHELL_SCRIPTS);
    let out = lint_json(&test);
    out.code(1);
    let f = "runbooks/sc.yaml";
    assert_eq!(
        diags(&out),
        vec![
            // `[[` of line 10, inside the literal block of a `shell: sh` step.
            rb030(f, "SC3010", (10, 10), (10, 30)),
            // `-n` of `echo -n`: the single-quoted scalar starts at column 10, `echo` at 11.
            rb030(f, "SC3037", (14, 16), (14, 18)),
            rb030(f, "SC2086", (20, 12), (20, 14)),
            rb030(f, "SC2086", (24, 45), (24, 47)),
        ]
    );
    // The cache went where RUNBOOK_CACHE_DIR said.
    let cache = test.path("shellcheck-cache");
    let cached = walk(&cache);
    assert!(!cached.is_empty(), "nothing cached in {}", cache.display());
    // A second run, from the cache, says the same.
    let again = lint_json(&test);
    assert_eq!(again.stdout, out.stdout);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_bash_step_is_not_checked_as_sh() {
    // The same `[[ ]]` in a bash step (the default) is fine.
    let test = with_runbook(
        "sc",
        "title: T\nowner: team\ndescription: D.\nsteps:\n  - id: one\n    title: One\n    \
         run: if [[ -f /etc/passwd ]]; then echo yes; fi\n",
    );
    let out = lint_json(&test);
    out.code(0);
    assert_eq!(diags(&out), vec![]);
}

#[test]
fn a_non_posix_shell_is_not_shellchecked() {
    let test = with_runbook(
        "sc",
        r#"title: T
owner: team
description: D.
steps:
  - id: py
    title: Python, by a list
    shell: [python3, -c]
    run: echo $1
    rollback: echo $1
  - id: control
    title: The same in bash
    run: echo $1
"#,
    );
    let out = lint_json(&test);
    out.code(1);
    assert_eq!(
        diags(&out),
        vec![rb030("runbooks/sc.yaml", "SC2086", (12, 15), (12, 17))]
    );
}

#[test]
fn a_runbook_level_shell_applies_and_a_step_can_override_it() {
    let test = with_runbook(
        "sc",
        r#"title: T
owner: team
description: D.
shell: [python3, -c]
steps:
  - id: py
    title: Python, from the runbook
    run: echo $1
  - id: back-to-bash
    title: Bash again
    shell: bash
    run: echo $1
"#,
    );
    let out = lint_json(&test);
    out.code(1);
    assert_eq!(
        diags(&out),
        vec![rb030("runbooks/sc.yaml", "SC2086", (12, 15), (12, 17))]
    );
}

#[test]
fn scripts_are_checked_with_set_e() {
    // bash runs with `-eo pipefail` and sh with `-e`: a failing `cd` stops the script, so
    // there is no SC2164 ("use cd ... || exit"). The SC2086 on the same first line shows that
    // the script was checked, and that the flags do not shift its columns.
    let test = with_runbook(
        "sc",
        r#"title: T
owner: team
description: D.
steps:
  - id: bash-cd
    title: cd in bash
    run: cd /x; echo $1
  - id: sh-cd
    title: cd in sh
    shell: sh
    run: |
      cd /x
      echo $2
"#,
    );
    let out = lint_json(&test);
    out.code(1);
    let f = "runbooks/sc.yaml";
    assert_eq!(
        diags(&out),
        vec![
            rb030(f, "SC2086", (7, 22), (7, 24)),
            rb030(f, "SC2086", (13, 12), (13, 14)),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Runbooks found by name

fn runbook(title: &str, word: &str) -> String {
    format!(
        "title: {title}\nowner: team\ndescription: D.\nsteps:\n  - id: one\n    title: Say\n    \
         run: echo {word}\n"
    )
}

#[test]
fn a_name_finds_runbooks_yml() {
    let test = Test::new().file("runbooks/alpha.yml", &runbook("Alpha here", "here-alpha"));
    let out = test.exec(&["show", "alpha"]);
    out.code(0);
    assert!(out.stdout.starts_with("# Alpha here\n"), "{}", out.stdout);
    assert!(out.stdout.contains("echo here-alpha"), "{}", out.stdout);
}

#[test]
fn runbooks_folder_wins_over_runbook_path() {
    let test = Test::new()
        .file("runbooks/alpha.yml", &runbook("Alpha here", "here-alpha"))
        .file(
            "elsewhere/alpha.yaml",
            &runbook("Alpha there", "there-alpha"),
        )
        .file("elsewhere/beta.yaml", &runbook("Beta there", "there-beta"));
    let elsewhere = test.path("elsewhere");
    let test = test.env("RUNBOOK_PATH", elsewhere.to_str().unwrap());

    let out = test.exec(&["show", "alpha"]);
    out.code(0);
    assert!(out.stdout.starts_with("# Alpha here\n"), "{}", out.stdout);
    assert!(!out.stdout.contains("there-alpha"), "{}", out.stdout);

    let out = test.exec(&["run", "alpha", "--dry-run", "--yes"]);
    out.code(0);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("echo here-alpha"), "{all}");
    assert!(!all.contains("there-alpha"), "{all}");

    // A name only in RUNBOOK_PATH is found there.
    let out = test.exec(&["show", "beta"]);
    out.code(0);
    assert!(out.stdout.starts_with("# Beta there\n"), "{}", out.stdout);
    let out = test.exec(&["run", "beta", "--dry-run", "--yes"]);
    out.code(0);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("echo there-beta"), "{all}");
}

#[test]
fn runbook_path_folders_are_searched_in_order() {
    let test = Test::new()
        .file("first/gamma.yaml", &runbook("Gamma first", "first-gamma"))
        .file(
            "second/gamma.yaml",
            &runbook("Gamma second", "second-gamma"),
        )
        .file(
            "second/delta.yaml",
            &runbook("Delta second", "second-delta"),
        );
    let path = format!(
        "{}:{}",
        test.path("first").display(),
        test.path("second").display()
    );
    let test = test.env("RUNBOOK_PATH", &path);
    let out = test.exec(&["show", "gamma"]);
    out.code(0);
    assert!(out.stdout.starts_with("# Gamma first\n"), "{}", out.stdout);
    let out = test.exec(&["show", "delta"]);
    out.code(0);
    assert!(out.stdout.starts_with("# Delta second\n"), "{}", out.stdout);
}

#[test]
fn a_name_found_nowhere_says_where_it_looked() {
    let test = Test::new().file("runbooks/alpha.yaml", &runbook("Alpha", "a"));
    let out = test.exec(&["show", "beta"]);
    out.code(2);
    assert!(
        out.stderr.contains("no runbook named `beta`"),
        "{}",
        out.stderr
    );
    let out = test.exec(&["run", "beta", "--dry-run", "--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("no runbook named `beta`"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Problems of a sub-runbook, reported in its own file

const PARENT: &str = r#"title: Parent
owner: team
description: Calls the child.
steps:
  - id: call
    title: Call the child
    runbook: child
"#;

const CHILD: &str = r#"title: Child
owner: team
description: Has a problem.
steps:
  - id: one
    title: One
    run: echo hi
    tiemout: 30s
"#;

fn parent_and_child() -> Test {
    Test::new()
        .file("runbooks/parent.yaml", PARENT)
        .file("runbooks/child.yaml", CHILD)
}

#[test]
fn a_sub_runbook_problem_is_in_the_child_file_json() {
    let out = parent_and_child().exec(&[
        "lint",
        "--no-shellcheck",
        "--format",
        "json",
        "runbooks/parent.yaml",
    ]);
    out.code(1);
    assert_eq!(
        diags(&out),
        vec![diag("RB002", "", "runbooks/child.yaml", (8, 5), (8, 12))]
    );
}

#[test]
fn a_sub_runbook_problem_is_in_the_child_file_github() {
    let out = parent_and_child().exec(&[
        "lint",
        "--no-shellcheck",
        "--format",
        "github",
        "runbooks/parent.yaml",
    ]);
    out.code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(
        lines[0].starts_with("::error file=runbooks/child.yaml,line=8,col=5,"),
        "{}",
        out.stdout
    );
    assert!(lines[0].contains("title=RB002::"), "{}", out.stdout);
}

#[test]
fn a_sub_runbook_problem_is_in_the_child_file_sarif() {
    let out = parent_and_child().exec(&[
        "lint",
        "--no-shellcheck",
        "--format",
        "sarif",
        "runbooks/parent.yaml",
    ]);
    out.code(1);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{}", out.stdout);
    let result = &results[0];
    assert_eq!(result["ruleId"], "RB002");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "runbooks/child.yaml");
    assert_eq!(location["region"]["startLine"], 8);
    assert_eq!(location["region"]["startColumn"], 5);
}

#[test]
fn a_sub_runbook_is_reported_once_when_the_folder_is_linted() {
    let out = parent_and_child().exec(&["lint", "--no-shellcheck", "--format", "json"]);
    out.code(1);
    assert_eq!(
        diags(&out),
        vec![diag("RB002", "", "runbooks/child.yaml", (8, 5), (8, 12))]
    );
}

#[test]
fn sub_runbooks_are_found_beside_the_caller_first_then_in_runbook_path() {
    // `lib/caller.yaml` calls `child` (in lib/ and in runbooks/: lib/ wins) and `faraway`
    // (only in RUNBOOK_PATH). The shellcheck finding of a child is in its file too.
    let test = with_runbook("child", CHILD)
        .file(
            "lib/caller.yaml",
            r#"title: Caller
owner: team
description: Calls two.
steps:
  - id: call
    title: Call the child
    runbook: child
  - id: call-far
    title: Call far away
    runbook: faraway
"#,
        )
        .file(
            "lib/child.yaml",
            "title: Lib child\nowner: team\ndescription: D.\nsteps:\n  - id: one\n    \
             title: One\n    run: echo $1\n    retries: three\n",
        )
        .file(
            "ext/faraway.yaml",
            "title: Far\nowner: team\ndescription: D.\nsteps:\n  - id: one\n    title: One\n    \
             run: echo hi\n    dangerous: yes\n",
        );
    let ext = test.path("ext");
    let test = test.env("RUNBOOK_PATH", ext.to_str().unwrap());
    let out = test.exec(&["lint", "--format", "json", "lib/caller.yaml"]);
    out.code(1);
    assert_eq!(
        diags(&out),
        vec![
            diag("RB003", "", "ext/faraway.yaml", (8, 16), (8, 19)),
            rb030("lib/child.yaml", "SC2086", (7, 15), (7, 17)),
            diag("RB003", "", "lib/child.yaml", (8, 14), (8, 19)),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// RB016 and RB025 follow what an expression reads, whatever its spelling.

#[test]
fn inputs_read_by_key_or_whole_are_used_and_secrets_are_found() {
    let text = r#"title: Reads
owner: team
description: Inputs read in every spelling.
inputs:
  token: {description: A token, secret: true, env: TOKEN}
  by_attr: {description: Read with attr}
  by_key: {description: Read with a subscript}
  whole: {description: Read with the whole namespace}
steps:
  - id: one
    title: One
    instructions: 'a {{ inputs | attr("by_attr") }} b {{ inputs["by_key"] }}'
  - id: two
    title: Two
    when: inputs | length > 3
    instructions: Go on.
  - id: three
    title: Three
    run: curl -H "{{ inputs | attr('token') }}" https://example.invalid
"#;
    let test = Test::new().file("runbooks/reads.yaml", text);
    let out = test.exec(&["lint", "--no-shellcheck", "--format", "json", "runbooks"]);
    let found: Vec<String> = serde_json::from_str::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect();
    assert_eq!(found, ["RB025 19:22"], "{}", out.stdout);
}

#[test]
fn an_invisible_character_written_as_an_escape_in_an_ascii_file_is_found() {
    // The whole file is ASCII: the override exists only once YAML decodes `\u202e`.
    let test = with_runbook(
        "bidi",
        "title: T\nowner: team\ndescription: D.\nsteps:\n  - id: one\n    title: One\n    \
         run: \"echo \\u202e hi\"\n    instructions: \"Look \\u200b here.\"\n",
    );
    let out = lint_json(&test);
    out.code(1);
    let found: Vec<(String, u64)> = diags(&out).into_iter().map(|d| (d.0, d.3)).collect();
    assert_eq!(
        found,
        vec![("RB035".to_string(), 7), ("RB035".to_string(), 8)],
        "{}",
        out.stdout
    );
}

/// The lines RB037 reports in a runbook, and lint's JSON.
fn rb037_lines(text: &str) -> (Vec<u64>, String) {
    rule_lines("RB037", text)
}

fn rule_lines(rule: &str, text: &str) -> (Vec<u64>, String) {
    let test = with_runbook("floor", text);
    let out = test.exec(&["lint", "--format", "json", "runbooks"]);
    let found = diags(&out)
        .into_iter()
        .filter(|d| d.0 == rule)
        .map(|d| d.3)
        .collect();
    (found, out.stdout.clone())
}

/// RB037 says ahead of the run which values a step will refuse: those its own plan accepts
/// (free text in a log line) when the step also sends a variable it computes to a shell that
/// parses it again; not those an input's `pattern` or type already refuse, not a script with
/// no such variable, and runbook's own carrier of a value counts as one.
#[test]
fn values_the_floor_will_refuse_are_said_at_lint() {
    let inputs = "inputs:\n  reason:\n    description: R\n  host:\n    description: H\n    pattern: '^[a-z0-9-]+$'\n  n:\n    description: N\n    type: int\n";
    // (The script's first line is the file's 17th.)
    for (run, lines) in [
        // Free text beside `$pid` from ssh in an ssh string: said at the value.
        (
            "logger -t oncall \"{{ inputs.reason }}\"\n      pid=$(ssh -n web-1 pgrep -o nginx)\n      ssh -n web-1 \"kill -HUP $pid\"",
            vec![17],
        ),
        // The same with a host whose pattern refuses such text, and an int: nothing to say.
        (
            "logger \"{{ inputs.host }} {{ inputs.n }}\"\n      pid=$(ssh -n web-1 pgrep -o nginx)\n      ssh -n web-1 \"kill -HUP $pid\"",
            vec![],
        ),
        // No variable of the script's making reaches the ssh string.
        (
            "logger -t oncall \"{{ inputs.reason }}\"\n      ssh -n web-1 \"systemctl reload nginx\"",
            vec![],
        ),
        // Where the value itself stands: a copy parsed again must be one plain word.
        (
            "cmd=\"systemctl restart {{ inputs.reason }}\"\n      eval \"$cmd\"",
            vec![17],
        ),
        // An `int` in arithmetic, a host with a pattern in the copy: nothing to say.
        (
            "echo $(( {{ inputs.n }} + 1 ))\n      h=\"{{ inputs.host }}\"\n      eval \"ping $h\"",
            vec![],
        ),
        // runbook's own carrier named in an ssh string.
        (
            "echo \"{{ inputs.reason }}\"\n      ssh -n web-1 \"echo $RUNBOOK_VALUE_1\"",
            vec![17],
        ),
    ] {
        let text = format!(
            "title: T\nowner: team\ndescription: D.\n{inputs}steps:\n  - id: one\n    title: One\n    run: |\n      {run}\n"
        );
        let (found, stdout) = rb037_lines(&text);
        assert_eq!(found, lines, "{run}\n{stdout}");
    }
}

/// The eighteenth audit: a value given in the environment (an input's `env:`, a step's
/// `env:` from a template) that the run refuses where the script expands it or prints it
/// into a shell was refused when the step ran, with nothing said by lint.
#[test]
fn environment_values_the_run_refuses_are_said_at_lint() {
    let inputs = "inputs:\n  v:\n    description: V\n    env: NV\n  host:\n    description: H\n    pattern: '^[a-z0-9-]+$'\n    env: NH\n";
    // (The script's first line is the file's 17th.)
    for (env, run, lines) in [
        ("", "ssh -n web-1 \"echo $NV\"", vec![17]),
        ("", "printenv NV | sh", vec![17]),
        ("", "ssh -n web-1 \"echo $NH\"", vec![]),
        ("", "echo \"$NV\"", vec![]),
        (
            "    env: {C: \"{{ inputs.v }}\"}\n",
            "jq -rn '\"echo \" + env.C' | sh",
            vec![17],
        ),
        (
            "    env: {C: \"{{ inputs.host }}\"}\n",
            "ssh -n web-1 \"echo $C\"",
            vec![],
        ),
        (
            "    env: {C: \"literal; text\"}\n",
            "ssh -n web-1 \"echo $C\"",
            vec![],
        ),
    ] {
        let pad = if env.is_empty() {
            "    on_failure: continue\n"
        } else {
            ""
        };
        let text = format!(
            "title: T\nowner: team\ndescription: D.\n{inputs}steps:\n  - id: one\n    title: One\n{env}{pad}    run: |\n      {run}\n"
        );
        let (found, stdout) = rb037_lines(&text);
        assert_eq!(found, lines, "{env}{run}\n{stdout}");
    }
}

/// Audit 19 LINT-1: a value an earlier step writes to `$RUNBOOK_ENV` (from a template or a
/// command's output) that the run refuses where a later step expands it is said by lint.
#[test]
fn values_written_to_runbook_env_that_the_run_refuses_are_said_at_lint() {
    let text = "title: T\nowner: team\ndescription: D.\ninputs:\n  v:\n    description: V\nsteps:\n  - id: find\n    title: Find\n    run: |\n      echo \"NODE=$(kubectl get nodes -o name | head -1)\" >> \"$RUNBOOK_ENV\"\n      echo \"V={{ inputs.v }}\" >> \"$RUNBOOK_ENV\"\n      echo \"FIXED=web-1\" >> \"$RUNBOOK_ENV\"\n  - id: use\n    title: Use\n    run: |\n      ssh -n web-1 \"echo $NODE $V $FIXED\"\n  - id: safe\n    title: Safe\n    run: |\n      kubectl describe \"$NODE\" --context \"$V\"\n";
    let test = with_runbook("renv", text);
    let out = test.exec(&["lint", "--format", "json", "runbooks"]);
    let found: Vec<(String, u64)> = diags(&out)
        .into_iter()
        .filter(|d| d.0 == "RB037")
        .map(|d| (d.1.clone(), d.3))
        .collect();
    assert_eq!(found.len(), 2, "{}", out.stdout);
    assert!(found.iter().all(|(_, line)| *line == 17), "{}", out.stdout);
    assert!(
        out.stdout.contains("which writes `NODE=$(kubectl"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("FIXED"), "{}", out.stdout);
}

/// Audit 19 HOLE-5: where a filter writes shell characters between words before a string
/// another shell parses, lint says the value is refused whatever it holds (once), not a
/// rule of plain words that an attacking value meets; as an error, RB031, since no value
/// can run the step (audit 25 LINT-2), and not again as RB037.
#[test]
fn a_filter_writing_shell_characters_is_said_to_refuse_every_value() {
    let text = "title: F\ndescription: d\nowner: o\ninputs:\n  v: {description: v}\nsteps:\n  - id: a\n    title: A\n    run: |\n      mapfile -t ps < <(printf '%s\\n' \"{{ inputs.v }}\" | sed 's/,/;/g'); for p in \"${ps[@]}\"; do ssh -n h \"kill $p\"; done\n";
    let (rb037, _) = rb037_lines(text);
    assert!(rb037.is_empty(), "{rb037:?}");
    let (lines, json) = rule_lines("RB031", text);
    assert_eq!(lines.len(), 1, "{json}");
    assert!(json.contains("whatever it holds"), "{json}");
    assert!(
        json.contains("writes shell characters between words"),
        "{json}"
    );
}

/// Audit 29 H-23 to H-25: a value in a document or command string that a program reads in
/// a language of its own (a Vault policy on vault's input, an sftp batch, lftp's `-c`) is
/// held there to what adds no rule or command; lint says so ahead (RB037), not where the
/// input's pattern admits only names.
#[test]
fn values_in_a_programs_own_command_language_are_said_at_lint() {
    let inputs = "inputs:\n  reason:\n    description: R\n  host:\n    description: H\n    pattern: '^[a-z0-9-]+$'\n  n:\n    description: N\n    type: int\n";
    // (The script's first line is the file's 17th.)
    for (run, lines) in [
        (
            "vault policy write app - <<EOF\n      path \"kv/{{ inputs.reason }}/*\" { capabilities = [\"read\"] }\n      EOF",
            vec![18],
        ),
        (
            "vault policy write app - <<EOF\n      path \"kv/{{ inputs.host }}/*\" { capabilities = [\"read\"] }\n      EOF",
            vec![],
        ),
        (
            "sftp -b - backup@db-1 <<EOF\n      put {{ inputs.reason }}\n      EOF",
            vec![18],
        ),
        ("lftp -c \"open db-1; put {{ inputs.reason }}\"", vec![17]),
        ("lftp -c \"open db-1; put {{ inputs.host }}\"", vec![]),
        // A batch file the step writes, then gives sftp on its input.
        (
            "echo \"put {{ inputs.reason }}\" > b.txt\n      sftp backup@db-1 < b.txt",
            vec![17],
        ),
        (
            "echo \"put {{ inputs.host }}\" > b.txt\n      sftp backup@db-1 < b.txt",
            vec![],
        ),
    ] {
        let text = format!(
            "title: T\nowner: team\ndescription: D.\n{inputs}steps:\n  - id: one\n    title: One\n    run: |\n      {run}\n"
        );
        let (found, stdout) = rb037_lines(&text);
        assert_eq!(found, lines, "{run}\n{stdout}");
    }
}

/// Audit 41: lint says ahead what the run refuses in a program's own language (RB032:
/// Erlang behind `rabbitmqctl eval`, Python behind a launcher, Ruby behind `bundle exec`,
/// m4, dc; RB037: a command sent over `socat`), and not an RB031 error for the usual
/// Erlang line nor for a value that only selects what a lookup prints.
#[test]
fn languages_behind_launchers_and_subcommands_are_said_at_lint() {
    let inputs = "inputs:\n  v:\n    description: V\n";
    // (The script's first line is the file's 11th.)
    for (run, rule, lines) in [
        (
            "rabbitmqctl eval 'os:cmd(\"echo {{ inputs.v }}\").'",
            "RB032",
            vec![11],
        ),
        (
            "rabbitmqctl eval 'rabbit_amqqueue:internal_delete({resource,<<\"/\">>,queue,<<\"{{ inputs.v }}\">>}, <<\"cli\">>).'",
            "RB032",
            vec![11],
        ),
        (
            "poetry run python3 -c \"print('{{ inputs.v }}')\"",
            "RB032",
            vec![11],
        ),
        (
            "bundle exec rails runner 'User.find_by(email: \"{{ inputs.v }}\")'",
            "RB032",
            vec![11],
        ),
        ("m4 -DRELAY=\"{{ inputs.v }}\" tmpl.m4", "RB032", vec![11]),
        ("dc -e \"{{ inputs.v }} 1024 / p\"", "RB032", vec![11]),
        (
            "echo \"disable server b/{{ inputs.v }}\" | socat stdio /run/haproxy/admin.sock",
            "RB037",
            vec![11],
        ),
        (
            "rabbitmqctl eval 'rabbit_amqqueue:internal_delete({resource,<<\"/\">>,queue,<<\"{{ inputs.v }}\">>}, <<\"cli\">>).'",
            "RB031",
            vec![],
        ),
        (
            "NODE=$(kubectl get pod \"{{ inputs.v }}\" -o jsonpath=\"{.spec.nodeName}\")\n      ssh \"$NODE\" uptime",
            "RB031",
            vec![],
        ),
        (
            "IP=$(dig +short \"{{ inputs.v }}\")\n      ssh -- \"$IP\" uptime",
            "RB031",
            vec![],
        ),
    ] {
        let text = format!(
            "title: T\nowner: team\ndescription: D.\n{inputs}steps:\n  - id: one\n    title: One\n    run: |\n      {run}\n"
        );
        let (found, stdout) = rule_lines(rule, &text);
        assert_eq!(found, lines, "{run}\n{stdout}");
    }
}

/// Audit 41 A41-20: a value given to psql as a variable that its SQL expands unquoted
/// (`:uid`) is spliced into SQL: RB032 says so ahead, with the quoted forms in its help;
/// `:'uid'` is data, and an `int` input holds no SQL.
#[test]
fn a_psql_variable_expanded_unquoted_is_said_at_lint() {
    let inputs = "inputs:\n  v:\n    description: V\n  n:\n    description: N\n    type: int\n";
    // (The script's first line is the file's 14th.)
    for (run, lines) in [
        (
            "psql -v uid=\"{{ inputs.v }}\" <<'SQL'\n      DELETE FROM sessions WHERE user_id = :uid;\n      SQL",
            vec![14],
        ),
        (
            "psql -v uid=\"{{ inputs.v }}\" <<'SQL'\n      DELETE FROM sessions WHERE user_id = :'uid';\n      SQL",
            vec![],
        ),
        (
            "psql -v uid=\"{{ inputs.n }}\" -c 'DELETE FROM sessions WHERE user_id = :uid'",
            vec![],
        ),
    ] {
        let text = format!(
            "title: T\nowner: team\ndescription: D.\n{inputs}steps:\n  - id: one\n    title: One\n    run: |\n      {run}\n"
        );
        let (found, stdout) = rule_lines("RB032", &text);
        assert_eq!(found, lines, "{run}\n{stdout}");
        if !lines.is_empty() {
            assert!(stdout.contains(":'name'"), "{stdout}");
        }
    }
}
