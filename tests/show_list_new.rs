//! `runbook show`, `list`, `new`, `schema` and `completions`, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{Test, root};
use serde_json::Value;
use std::path::Path;

/// A runbook with every thing `show` draws: a checklist, a captured command, a decision, a
/// dangerous step with a rollback and an `on_failure`, a wait, a `next`, a `when`, a
/// sub-runbook; and text that needs escaping in every format (quotes, brackets, `#`, `|`).
const SHOWN: &str = r##"name: payments-5xx
title: 'Payments API returns "5xx" [sev1 #ops]'
description: |
  The **payments** API answers 5xx to more than 1% of requests.
owner: team-payments
severity: sev1
tags: [payments, api]
links:
  dashboard: https://grafana.example.com/d/payments
inputs:
  service:
    description: The service | its unit
    default: payments-api
  since:
    description: How far back to look
    default: 5min
    choices: [5min, 1h]
steps:
  - id: ack
    title: Acknowledge the page
    checklist:
      - Acknowledge the page
      - Open the [dashboard] and note the 5xx rate
  - id: errors
    title: Count the recent errors
    readonly: true
    run: |
      journalctl -u "{{ inputs.service }}" --since "-{{ inputs.since }}" | grep -c ' 5[0-9][0-9] ' || true
    capture: errors
    timeout: 30s
    simulate: {stdout: "42"}
  - id: decide
    title: "Is it the last deploy? (see #deploys)"
    choose:
      prompt: "{{ vars.errors }} errors since {{ inputs.since }}."
      var: cause
      options:
        - {label: 'Yes: the "deploy" at 02:00', next: roll-back, value: deploy}
        - {label: No, next: notify, value: other}
  - id: roll-back
    title: Roll back the deploy
    run: deployctl rollback "{{ inputs.service }}"
    rollback: deployctl rollforward "{{ inputs.service }}"
    dangerous: true
    confirm: roll back {{ inputs.service }}
    retries: 1
    retry_delay: 10s
    on_failure: escalate
    simulate: {stdout: rolled back}
  - id: healthy
    title: Wait for the errors to stop
    wait:
      run: journalctl -u "{{ inputs.service }}" --since -1min | grep -c ' 5[0-9][0-9] ' || true
      until: output | int < 5
      interval: 10s
      timeout: 5m
    simulate: {stdout: "0"}
    next: notify
  - id: escalate
    title: Escalate to the payments team
    when: vars.cause == "deploy"
    instructions: Page the secondary on-call of `team-payments`.
    notes: true
  - id: notify
    title: Tell the stakeholders
    runbook: notify
    with:
      message: "payments: {{ vars.cause }}"
"##;

const NOTIFY: &str = r#"title: Tell the stakeholders
owner: team-sre
description: Post in the channel.
inputs:
  message: What to say
steps:
  - title: Post the message
    instructions: "Post: {{ inputs.message }}"
"#;

fn shown() -> Test {
    Test::new()
        .file("runbooks/payments-5xx.yaml", SHOWN)
        .file("runbooks/notify.yaml", NOTIFY)
}

#[test]
fn show_markdown_snapshot() {
    let t = shown();
    let out = t.exec(&["show", "payments-5xx"]);
    out.code(0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_mermaid_snapshot() {
    let t = shown();
    let out = t.exec(&["show", "payments-5xx", "--format", "mermaid"]);
    out.code(0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_dot_snapshot() {
    let t = shown();
    let out = t.exec(&["show", "runbooks/payments-5xx.yaml", "--format", "dot"]);
    out.code(0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_draws_every_edge_of_the_graph() {
    let t = shown();
    let mermaid = t.exec(&["show", "payments-5xx", "--format", "mermaid"]);
    let dot = t.exec(&["show", "payments-5xx", "--format", "dot"]);
    // list order 5, choices 2, next 1, on_failure 1: 9 edges, each once in each format.
    let arrows = mermaid
        .stdout
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->") || l.contains("==>"))
        .count();
    assert_eq!(arrows, 9, "{}", mermaid.stdout);
    assert_eq!(dot.stdout.matches(" -> ").count(), 9, "{}", dot.stdout);
    if let Some(graphviz) = which("dot") {
        let file = t.path("graph.dot");
        std::fs::write(&file, &dot.stdout).unwrap();
        let status = std::process::Command::new(graphviz)
            .args(["-Tsvg", "-o", "/dev/null"])
            .arg(&file)
            .status()
            .unwrap();
        assert!(status.success(), "graphviz rejected:\n{}", dot.stdout);
    }
}

#[test]
fn show_refuses_a_runbook_with_errors() {
    let t = Test::new().file("runbooks/bad.yaml", "title: Bad\nstpes: []\n");
    let out = t.exec(&["show", "bad"]);
    out.code(2);
    assert!(
        out.stderr.contains("did you mean `steps`?"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let missing = t.exec(&["show", "nothing-here"]);
    missing.code(2);
    assert!(missing.stderr.contains("no runbook named `nothing-here`"));
}

#[test]
fn show_every_bundled_runbook() {
    for path in bundled() {
        let path = path.to_string_lossy().into_owned();
        for format in ["md", "mermaid", "dot"] {
            let out = Test::new().exec(&["show", &path, "--format", format]);
            out.code(0);
            assert!(!out.stdout.is_empty(), "{path} {format}");
        }
    }
}

const PRACTICE: &str = r#"title: Practise the tool
owner: team-sre
severity: sev4
tags: [practice]
description: Nothing real happens here.
steps:
  - id: look
    title: Look around
    readonly: true
    run: echo looking
    simulate: {stdout: "looking\n"}
  - id: pick
    title: All good?
    choose:
      options:
        - {label: 'Yes', next: end}
        - {label: 'No', next: end}
"#;

#[test]
fn list_shows_the_last_run_and_the_last_drill() {
    let t = Test::new()
        .file("runbooks/practice.yaml", PRACTICE)
        .file(
            "runbooks/idle.yaml",
            PRACTICE.replace("Practise", "Idle").as_str(),
        )
        .file("runbooks/broken.yaml", "titel: Broken\nsteps: []\n")
        .file("answers.yaml", "pick: 'Yes'\n");
    t.exec(&["drill", "practice", "--yes", "--answers", "answers.yaml"])
        .code(0);
    t.exec(&["run", "practice", "--yes", "--answers", "answers.yaml"])
        .code(0);
    // A dry-run is neither a run nor a drill.
    t.exec(&[
        "run",
        "practice",
        "--dry-run",
        "--yes",
        "--answers",
        "answers.yaml",
    ])
    .code(0);
    let started = run_starts(&t.path(".state"));

    let out = t.exec(&["list", "--json"]);
    out.code(0);
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["broken", "idle", "practice"]);
    let practice = &list[2];
    assert_eq!(practice["title"], "Practise the tool");
    assert_eq!(practice["owner"], "team-sre");
    assert_eq!(practice["severity"], "sev4");
    assert_eq!(practice["tags"], serde_json::json!(["practice"]));
    assert_eq!(practice["path"], "runbooks/practice.yaml");
    assert_eq!(practice["error"], Value::Null);
    assert_eq!(
        practice["last_run"].as_str(),
        started.get("run").map(String::as_str)
    );
    assert_eq!(
        practice["last_drill"].as_str(),
        started.get("drill").map(String::as_str)
    );
    assert!(practice["last_run"].is_string() && practice["last_drill"].is_string());
    assert_eq!(list[1]["last_run"], Value::Null);
    assert_eq!(list[1]["last_drill"], Value::Null);
    let broken = &list[0];
    assert_eq!(broken["title"], Value::Null);
    assert!(
        broken["error"]
            .as_str()
            .unwrap()
            .starts_with("runbooks/broken.yaml:1:1: unknown key `titel`"),
        "{broken}"
    );

    let out = t.exec(&["list"]);
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME "), "{}", out.stdout);
    for header in [
        "TITLE",
        "OWNER",
        "SEVERITY",
        "TAGS",
        "LAST RUN",
        "LAST DRILL",
    ] {
        assert!(lines[0].contains(header), "{}", out.stdout);
    }
    assert!(lines[1].starts_with("broken "), "{}", out.stdout);
    assert!(lines[2].contains("✗ runbooks/broken.yaml:1:1: unknown key `titel`"));
    let idle = lines.iter().find(|l| l.starts_with("idle ")).unwrap();
    assert!(idle.ends_with("never     never"), "{idle}");
    let practice = lines.iter().find(|l| l.starts_with("practice ")).unwrap();
    assert!(
        practice.contains("Practise the tool  team-sre"),
        "{practice}"
    );
    assert_eq!(practice.matches("just now").count(), 2, "{practice}");
    assert!(
        out.stderr
            .contains("warning: some runbooks have errors and cannot run\nhelp: `runbook lint`"),
        "{}",
        out.stderr
    );
}

#[test]
fn list_reads_runbook_path_and_the_state_dir_flag() {
    let t = Test::new()
        .file("runbooks/here.yaml", PRACTICE)
        .file("elsewhere/there.yaml", PRACTICE)
        .env("RUNBOOK_PATH", "elsewhere")
        .file("answers.yaml", "pick: 'Yes'\n");
    t.exec(&["drill", "there", "--yes", "--answers", "answers.yaml"])
        .code(0);
    let out = t.exec(&["list", "--json"]);
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "here");
    assert_eq!(list[1]["name"], "there");
    assert_eq!(list[1]["path"], "elsewhere/there.yaml");
    assert!(list[1]["last_drill"].is_string());
    let elsewhere = t.path("empty-state");
    let out = t.exec(&["list", "--json", "--state-dir", elsewhere.to_str().unwrap()]);
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list[1]["last_drill"], Value::Null);
}

#[test]
fn list_with_no_runbooks_says_where_it_looked() {
    let t = Test::new();
    let out = t.exec(&["list"]);
    out.code(0);
    assert!(
        out.stderr
            .starts_with("warning: no runbooks found (looked in `runbooks`)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("runbook new NAME"), "{}", out.stderr);
    let out = t.exec(&["list", "--json"]);
    assert_eq!(out.stdout.trim(), "[]");
}

#[test]
fn new_writes_a_runbook_that_lints_clean() {
    let t = Test::new();
    let out = t.exec(&["new", "checkout-slow"]);
    out.code(0);
    assert!(
        out.stdout
            .starts_with("wrote runbooks/checkout-slow.yaml\n")
    );
    assert!(
        out.stdout
            .contains("runbook lint runbooks/checkout-slow.yaml")
    );
    assert!(out.stdout.contains("runbook drill checkout-slow"));
    let text = std::fs::read_to_string(t.path("runbooks/checkout-slow.yaml")).unwrap();
    assert!(text.contains("name: checkout-slow\n"));
    assert!(text.contains("title: Checkout slow"));
    for kind in [
        "checklist:",
        "run:",
        "choose:",
        "ask:",
        "wait:",
        "runbook:",
        "simulate:",
        "dangerous: true",
        "rollback:",
    ] {
        assert!(text.contains(kind), "the template shows no `{kind}`");
    }
    if which("shellcheck").is_some() {
        let lint = t.exec(&["lint", "--deny-warnings", "--verbose", "runbooks/"]);
        lint.code(0);
        assert!(!lint.stderr.contains("skipped"), "{}", lint.stderr);
    } else {
        eprintln!("note: shellcheck is not on PATH; linting without it");
        t.exec(&["lint", "--deny-warnings", "--no-shellcheck", "runbooks/"])
            .code(0);
    }
    // It drills from start to end with the defaults and an answer for each question.
    let answers = "decide: 1\nhow-many: '6'\nacknowledge: done\n";
    let t = t.file("answers.yaml", answers);
    t.exec(&[
        "drill",
        "checkout-slow",
        "--yes",
        "--answers",
        "answers.yaml",
        "--confirm",
        "scale-up",
    ])
    .code(0);
}

#[test]
fn new_refuses_an_existing_file_and_a_bad_name() {
    let t = Test::new().file("runbooks/taken.yml", "title: Taken\n");
    let out = t.exec(&["new", "taken"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("error: `runbooks/taken.yml` already exists"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help: choose another name"));
    t.exec(&["new", "fresh"]).code(0);
    let again = t.exec(&["new", "fresh"]);
    again.code(2);
    assert!(
        again
            .stderr
            .contains("`runbooks/fresh.yaml` already exists")
    );

    for bad in ["Disk_Full", "a/b", "disk full", "café", "x.yaml"] {
        let out = t.exec(&["new", bad]);
        out.code(2);
        assert!(
            out.stderr
                .contains(&format!("error: `{bad}` is not a valid runbook name")),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("help: use lower-case letters"));
    }
    let out = t.exec(&["new", "Disk_Full"]);
    assert!(
        out.stderr.contains("(for example `disk-full`)"),
        "{}",
        out.stderr
    );
    assert!(!t.path("runbooks/Disk_Full.yaml").exists());
}

#[test]
fn new_warns_when_it_hides_a_runbook_further_down_runbook_path() {
    let t = Test::new()
        .file("shared/disk-full.yaml", PRACTICE)
        .env("RUNBOOK_PATH", "shared");
    let out = t.exec(&["new", "disk-full"]);
    out.code(0);
    assert!(
        out.stderr
            .contains("warning: `shared/disk-full.yaml` is also named `disk-full`"),
        "{}",
        out.stderr
    );
}

#[test]
fn schema_is_json_schema_with_every_top_level_key() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], serde_json::json!(["title", "steps"]));
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "version",
        "name",
        "title",
        "description",
        "owner",
        "severity",
        "tags",
        "links",
        "inputs",
        "env",
        "shell",
        "dir",
        "max_visits",
        "steps",
    ] {
        assert!(keys.contains(&key), "no `{key}` in the schema");
    }
    let step = &schema["$defs"]["step"];
    for key in ["secret_env", "outputs", "capture", "simulate"] {
        assert!(
            step["properties"].get(key).is_some(),
            "no step key `{key}` in the schema"
        );
    }
    assert!(
        schema["$defs"]["simulated"]["properties"]
            .get("timeout")
            .is_some()
    );
    assert!(
        schema["$defs"]["choose"]["properties"]
            .get("default")
            .is_some()
    );
    assert_eq!(
        step["properties"]["on_failure"]["anyOf"][0]["enum"],
        serde_json::json!(["ask", "abort", "continue"])
    );
    assert_eq!(
        schema["$defs"]["shell"]["anyOf"][0]["enum"],
        serde_json::json!(["bash", "sh"])
    );
}

#[test]
fn every_bundled_runbook_matches_the_schema() {
    let schema = schema();
    check_keywords(&schema);
    let t = Test::new();
    t.exec(&["new", "from-the-template"]).code(0);
    let mut files = bundled();
    files.push(t.path("runbooks/from-the-template.yaml"));
    files.extend(good_fixtures());
    for path in files {
        let document = yaml_as_json(&path);
        let mut errors = Vec::new();
        validate(&schema, &schema, &document, "", &mut errors);
        assert!(
            errors.is_empty(),
            "{} does not match the schema:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
}

/// What lint reads as text (a number or boolean where a template or expression goes) the
/// schema accepts too.
#[test]
fn the_schema_accepts_what_the_loader_accepts() {
    let schema = schema();
    let t = Test::new();
    let path = t.path("ok.yaml");
    std::fs::write(
        &path,
        "title: x\nsteps:\n  - {id: a, title: a, run: 5, when: true, rollback: {manual: 5}}\n  - id: b\n    title: b\n    choose:\n      options: [{label: x, when: 5, next: a}, {label: y}]\n",
    )
    .unwrap();
    let mut errors = Vec::new();
    validate(&schema, &schema, &yaml_as_json(&path), "", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let out = t.exec(&["lint", "--no-shellcheck", "ok.yaml"]);
    assert!(!out.stdout.contains("RB003"), "{}", out.stdout);
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let schema = schema();
    let bad = [
        ("titel: x\nsteps: [{title: a}]\n", "/titel"),
        ("title: x\nsteps: []\n", "/steps"),
        ("title: x\nsteps: [{title: a, runn: b}]\n", "/steps/0/runn"),
        ("title: x\nshell: zsh\nsteps: [{title: a}]\n", "/shell"),
        (
            "title: x\ninputs: {n: {type: float}}\nsteps: [{title: a}]\n",
            "/inputs/n",
        ),
        (
            "title: x\nsteps: [{title: a, run: b, capture: {var: v, from: both}}]\n",
            "/steps/0/capture",
        ),
        (
            "title: x\nsteps: [{title: a, run: b, on_failure: Retry}]\n",
            "/steps/0/on_failure",
        ),
        (
            "title: x\nsteps: [{id: end, title: a, run: b}]\n",
            "/steps/0/id",
        ),
        (
            "title: x\nsteps: [{title: a, dangerous: yes, run: b}]\n",
            "/steps/0/dangerous",
        ),
    ];
    let t = Test::new();
    for (text, at) in bad {
        let path = t.path("bad.yaml");
        std::fs::write(&path, text).unwrap();
        let mut errors = Vec::new();
        validate(&schema, &schema, &yaml_as_json(&path), "", &mut errors);
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{at}:"))),
            "{text:?} should fail at {at}, got {errors:?}"
        );
    }
}

#[test]
fn man_prints_a_roff_page_with_every_command() {
    let t = Test::new();
    let out = t.exec(&["man"]);
    out.code(0);
    assert!(out.stdout.contains(".TH runbook 1"), "{}", out.stdout);
    for sub in [
        "run",
        "drill",
        "resume",
        "rollback",
        "history",
        "report",
        "lint",
        "explain",
        "show",
        "list",
        "new",
        "schema",
        "completions",
        "man",
    ] {
        assert!(
            out.stdout.contains(&format!(".SS \"runbook {sub}\"")),
            "{sub} missing"
        );
    }
    assert!(out.stdout.contains(".SH ENVIRONMENT"));
    assert!(out.stdout.contains("RUNBOOK_STATE_DIR"));
    // `man` reads it without a warning.
    if let Ok(man) = std::process::Command::new("man")
        .args(["--warnings", "-l", "-"])
        .env("MANWIDTH", "80")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut man = man;
        man.stdin
            .take()
            .unwrap()
            .write_all(out.stdout.as_bytes())
            .unwrap();
        let done = man.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&done.stdout);
        assert!(text.contains("runbook drill"), "{text}");
        assert!(
            String::from_utf8_lossy(&done.stderr).trim().is_empty(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
}

#[test]
fn completions_for_every_shell() {
    let t = Test::new();
    let bash = t.exec(&["completions", "bash"]);
    bash.code(0);
    assert!(bash.stdout.contains("_runbook()"), "{}", bash.stdout);
    assert!(bash.stdout.contains("complete -F _runbook"));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = t.exec(&["completions", shell]);
        out.code(0);
        assert!(out.stdout.contains("runbook"), "{shell}");
        assert!(
            out.stdout.contains("drill"),
            "{shell}: sub-commands are completed"
        );
    }
    t.exec(&["completions", "tcsh"]).code(2);
}

// ---- helpers ----

fn schema() -> Value {
    let out = Test::new().exec(&["schema"]);
    out.code(0);
    serde_json::from_str(&out.stdout).expect("`runbook schema` prints JSON")
}

fn bundled() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("runbooks"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no bundled runbooks");
    files
}

/// The lint fixtures that must be clean: valid runbooks, each showing a corner of the format.
fn good_fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("testdata/rules"))
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path().join("good.yaml"))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The start time of the latest run of each mode, as the journals wrote it.
fn run_starts(state: &Path) -> std::collections::HashMap<String, String> {
    let mut starts = std::collections::HashMap::new();
    let mut dirs: Vec<_> = std::fs::read_dir(state.join("runs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let text = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["event"], "run_started");
        starts.insert(
            first["mode"].as_str().unwrap().to_string(),
            first["ts"].as_str().unwrap().to_string(),
        );
    }
    starts
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// A YAML file as JSON, read by the project's own loader (YAML 1.2, strict booleans), so
/// that the schema is checked against what `runbook` itself sees.
fn yaml_as_json(path: &Path) -> Value {
    use runbook::load::node::{Node, Value as Yaml};
    fn convert(node: &Node) -> Value {
        match &node.value {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(*b),
            Yaml::Int(i) => Value::from(*i),
            Yaml::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Yaml::Str(s) => Value::String(s.clone()),
            Yaml::Seq(items) => Value::Array(items.iter().map(convert).collect()),
            Yaml::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match convert(k) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
        }
    }
    let loaded = runbook::load::load_path(path).unwrap();
    let root = loaded
        .root
        .unwrap_or_else(|| panic!("{} is not YAML", path.display()));
    convert(&root)
}

/// The keywords the validator below understands, and the annotations it may ignore. The
/// schema must use no other: a keyword the validator skipped would check nothing. (Each
/// also means the same in draft 7, which the YAML language server implements.)
const KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "pattern",
    "required",
    "properties",
    "additionalProperties",
    "propertyNames",
    "items",
    "minItems",
    "minimum",
    "anyOf",
    "not",
    "$ref",
];
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$defs",
    "title",
    "description",
    "default",
    "examples",
];

fn check_keywords(schema: &Value) {
    let Value::Object(map) = schema else { return };
    for (key, value) in map {
        assert!(
            KEYWORDS.contains(&key.as_str()) || ANNOTATIONS.contains(&key.as_str()),
            "the schema uses `{key}`, which this test does not check: teach `validate` it"
        );
        match key.as_str() {
            "properties" | "$defs" => value.as_object().unwrap().values().for_each(check_keywords),
            "anyOf" => value.as_array().unwrap().iter().for_each(check_keywords),
            "additionalProperties" | "propertyNames" | "items" | "not" => check_keywords(value),
            _ => {}
        }
    }
}

/// A small JSON Schema validator for the keywords in [`KEYWORDS`]. The `jsonschema` crate
/// would do, but doubles the test build time; this schema needs only these.
fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Value::Object(s) = schema else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    if let Some(Value::String(r)) = s.get("$ref") {
        let target = root.pointer(r.trim_start_matches('#')).unwrap();
        validate(root, target, value, at, errors);
        return validate_rest(root, s, value, at, errors);
    }
    if let Some(types) = s.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let ok = types.iter().any(|t| match *t {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: expected {types:?}, found {value}"));
            return;
        }
    }
    validate_rest(root, s, value, at, errors);
}

fn validate_rest(
    root: &Value,
    s: &serde_json::Map<String, Value>,
    value: &Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    if let Some(Value::Array(allowed)) = s.get("enum")
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(expected) = s.get("const")
        && expected != value
    {
        errors.push(format!("{at}: {value} is not {expected}"));
    }
    if let (Some(Value::String(pattern)), Value::String(text)) = (s.get("pattern"), value)
        && !regex::Regex::new(pattern).unwrap().is_match(text)
    {
        errors.push(format!("{at}: `{text}` does not match `{pattern}`"));
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), value.as_f64())
        && n < min
    {
        errors.push(format!("{at}: {n} is less than {min}"));
    }
    if let Some(options) = s.get("anyOf").and_then(Value::as_array) {
        let matched = options.iter().any(|option| {
            let mut inner = Vec::new();
            validate(root, option, value, at, &mut inner);
            inner.is_empty()
        });
        if !matched {
            errors.push(format!("{at}: {value} matches none of the allowed forms"));
        }
    }
    if let Some(not) = s.get("not") {
        let mut inner = Vec::new();
        validate(root, not, value, at, &mut inner);
        if inner.is_empty() {
            errors.push(format!("{at}: matches a form that is not allowed: {not}"));
        }
    }
    if let Value::Array(items) = value {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            errors.push(format!("{at}: fewer than {min} items"));
        }
        if let Some(item_schema) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(root, item_schema, item, &format!("{at}/{i}"), errors);
            }
        }
    }
    if let Value::Object(map) = value {
        for key in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(key) {
                errors.push(format!("{at}: missing `{key}`"));
            }
        }
        let properties = s.get("properties").and_then(Value::as_object);
        for (key, item) in map {
            let here = format!("{at}/{key}");
            if let Some(names) = s.get("propertyNames") {
                validate(root, names, &Value::String(key.clone()), &here, errors);
            }
            match properties.and_then(|p| p.get(key)) {
                Some(property) => validate(root, property, item, &here, errors),
                None => {
                    if let Some(extra) = s.get("additionalProperties") {
                        validate(root, extra, item, &here, errors);
                    }
                }
            }
        }
    }
}

/// `runbook --version` is answered before the command line is parsed (for a fast start); it
/// must print exactly what clap prints for the same flag elsewhere on the command line.
#[test]
fn version_fast_path_matches_clap() {
    let t = Test::new();
    let fast = t.exec(&["--version"]);
    fast.code(0);
    assert_eq!(
        fast.stdout,
        format!("runbook {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(t.exec(&["-V"]).stdout, fast.stdout);
    // With a second word the fast path steps aside and clap answers: the same text.
    let clap = t.exec(&["--version", "extra"]);
    clap.code(0);
    assert_eq!(clap.stdout, fast.stdout);
}

#[test]
fn list_shows_escape_sequences_of_a_title_as_text_and_keeps_its_columns() {
    let t = Test::new()
        .file(
            "runbooks/red.yaml",
            "title: \"\\e[31mRed\\e[0m\"\nowner: team-red\ndescription: d\nsteps:\n  - id: a\n    title: A\n    run: \"true\"\n",
        )
        .file(
            "runbooks/plain.yaml",
            "title: Plain title here\nowner: team-plain\ndescription: d\nsteps:\n  - id: a\n    title: A\n    run: \"true\"\n",
        );
    let out = t.exec(&["list"]);
    out.code(0);
    assert!(!out.stdout.contains('\x1b'), "{}", out.stdout);
    assert!(out.stdout.contains("␛[31mRed␛[0m"), "{}", out.stdout);
    // OWNER starts at the same column on every line.
    let columns: Vec<usize> = out
        .stdout
        .lines()
        .filter_map(|l| {
            let at = l.find("OWNER").or_else(|| l.find("team-"))?;
            Some(l[..at].chars().count())
        })
        .collect();
    assert_eq!(columns.len(), 3, "{}", out.stdout);
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", out.stdout);
}
